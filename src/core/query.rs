//! What a caller can ask of a list or a node: platform, folder, fields,
//! limit and cursors, checked before anything is sent.

use crate::prelude::*;
use crate::text::cat;

use serde::{Deserialize, Serialize};

use super::error::Error;
use super::quoted::{first_chars, joined, quoted, quoted_char};

/// The inbox to read: `platform` of `GET /{page-id}/conversations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// The Page's Messenger inbox (the Graph's default).
    Messenger,
    /// The inbox of the Instagram professional account linked to the Page.
    Instagram,
}

impl Platform {
    /// The value of the `platform` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Messenger => "messenger",
            Self::Instagram => "instagram",
        }
    }

    /// Reads `"messenger"` or `"instagram"` (any case).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for anything else.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value.to_ascii_lowercase().as_str() {
            "messenger" => Ok(Self::Messenger),
            "instagram" => Ok(Self::Instagram),
            _ => Err(Error::invalid_argument(cat!(
                "invalid platform ",
                quoted(&shorten(value)),
                ": expected \"messenger\" or \"instagram\""
            ))),
        }
    }
}

/// A folder of the inbox: `folder` of `GET /{page-id}/conversations`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    /// The main inbox (the Graph's default).
    Inbox,
    /// Message requests and filtered threads.
    Other,
    /// Threads marked done.
    PageDone,
    /// Spam.
    Spam,
}

impl Folder {
    /// The value of the `folder` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::Other => "other",
            Self::PageDone => "page_done",
            Self::Spam => "spam",
        }
    }

    /// Reads `"inbox"`, `"other"`, `"page_done"` or `"spam"` (any case).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for anything else.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value.to_ascii_lowercase().as_str() {
            "inbox" => Ok(Self::Inbox),
            "other" => Ok(Self::Other),
            "page_done" => Ok(Self::PageDone),
            "spam" => Ok(Self::Spam),
            _ => Err(Error::invalid_argument(cat!(
                "invalid folder ",
                quoted(&shorten(value)),
                ": expected \"inbox\", \"other\", \"page_done\" or \"spam\""
            ))),
        }
    }
}

/// Which fields to ask for: a list of names (`["id", "message"]`) or one
/// Graph field-expansion string (`"messages.limit(20){id,message,from}"`).
///
/// See <https://developers.facebook.com/docs/graph-api/guides/field-expansion>.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
#[serde(untagged)]
pub enum Fields {
    /// Field names, each of which may itself be an expansion.
    List(Vec<String>),
    /// One field-expansion string.
    Expansion(String),
}

impl Fields {
    /// The value of the `fields` parameter: white space removed, checked for
    /// characters and balanced `{}` / `()`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty list or name, a character
    /// that has no place in a field expansion, or unbalanced brackets.
    pub fn to_param(&self) -> Result<String, Error> {
        let joined = match self {
            Self::List(names) => {
                if names.is_empty() {
                    return Err(Error::invalid_argument("invalid fields: the list is empty"));
                }
                joined(names, ",")
            }
            Self::Expansion(text) => text.clone(),
        };
        let mut compact = String::with_capacity(joined.len());
        for c in joined.chars() {
            if !c.is_whitespace() {
                compact.push(c);
            }
        }
        check_expansion(&compact)?;
        Ok(compact)
    }
}

/// Checks a field-expansion string: names of `[A-Za-z0-9_]`, modifiers such
/// as `.limit(5)` or `.after(QVFI…)`, nested `{…}`, no empty name.
fn check_expansion(text: &str) -> Result<(), Error> {
    let fail = |why: String| Err(Error::invalid_argument(cat!("invalid fields: ", why)));
    if text.is_empty() {
        return fail("it is empty".into());
    }
    let mut stack = Vec::new();
    let mut previous = ',';
    for (at, c) in text.char_indices() {
        let in_modifier = stack.last() == Some(&'(');
        match c {
            '{' | '(' if !(previous.is_ascii_alphanumeric() || previous == '_' || previous == ')') => {
                return fail(cat!(quoted_char(c), " at position ", at, " follows no field name"));
            }
            '{' | '(' => stack.push(c),
            '}' | ')' => {
                let open = if c == '}' { '{' } else { '(' };
                if stack.pop() != Some(open) {
                    return fail(cat!("unbalanced ", quoted_char(c), " at position ", at));
                }
            }
            ',' if !in_modifier && matches!(previous, ',' | '{') => {
                return fail(cat!("empty field name at position ", at));
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '_' | ',' | '.') => {}
            // Cursors inside `.after(…)` are base64url, sometimes padded.
            '-' | '=' | '%' if in_modifier => {}
            c => return fail(cat!("character ", quoted_char(c), " at position ", at, " has no place in a field list")),
        }
        previous = c;
    }
    if let Some(open) = stack.last() {
        return fail(cat!(quoted_char(*open), " is never closed"));
    }
    if matches!(previous, ',' | '.') {
        return fail("it ends with a separator".into());
    }
    Ok(())
}

/// Checks a page size against [`LIMIT`](super::options::LIMIT).
///
/// # Errors
/// [`Error::InvalidArgument`] outside its range.
pub fn check_limit(limit: u32) -> Result<u32, Error> {
    super::options::LIMIT.check_whole(f64::from(limit))
}

/// Checks a paging cursor (`after` / `before`): printable ASCII, no white
/// space, at most 4096 characters.
///
/// # Errors
/// [`Error::InvalidArgument`] otherwise.
pub fn check_cursor(name: &str, cursor: &str) -> Result<(), Error> {
    let ok = !cursor.is_empty() && cursor.len() <= 4096 && cursor.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_argument(cat!(
            "invalid ",
            name,
            " cursor: expected the non-empty cursor string from paging.cursors"
        )))
    }
}

/// What to ask of `GET /{page-id}/conversations` (`query` in JS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConversationQuery {
    /// `messenger` (the default) or `instagram`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// `inbox` (the default), `other`, `page_done` or `spam`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder: Option<Folder>,
    /// Only the thread with this person (PSID or IGSID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The conversation fields to return; the Graph's default is
    /// `id,updated_time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields>,
    /// Page size, 1 to 500 (the Graph's default is 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The `paging.cursors.after` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The `paging.cursors.before` of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

/// What to ask of a conversation's `messages` edge (`query` in JS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MessageQuery {
    /// The message fields to return; the default is the documented set
    /// ([`DEFAULT_MESSAGE_FIELDS`](super::request::DEFAULT_MESSAGE_FIELDS)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Fields>,
    /// Page size, 1 to 500 (the Graph's default is 25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The `paging.cursors.after` of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The `paging.cursors.before` of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

/// A value shown in an error message, cut short so that a pasted secret is
/// never repeated whole.
fn shorten(value: &str) -> String {
    let mut cut = first_chars(value, 16).to_owned();
    if cut.len() < value.len() {
        cut.push('…');
    }
    cut
}
