//! Validated Graph ids: a [`PageId`], [`ConversationId`], [`MessageId`] or
//! [`UserId`] can only be built from a string that is safe to put in a URL
//! path or query, so no input can turn one call into a request to another
//! path or host.

use crate::prelude::*;
use crate::text::{cat, Hex4};

use ::core::fmt;

use super::error::Error;
use super::quoted::{contains_text, quoted, quoted_char};

/// The longest id accepted. Real ids are far shorter (Instagram's base64-like
/// ids are the longest, about 100 characters); the cap keeps a pasted blob
/// out of a URL.
pub const MAX_ID_LEN: usize = 512;

/// Checks that `value` can be a Graph id and says what is wrong if not.
///
/// Graph ids are digits (`104620945892041`), prefixed ids (`t_10161`,
/// `m_mid.46348462:357234723feb`) or base64url-like Instagram ids
/// (`aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6…`). Accepted: ASCII letters, digits
/// and `_ - . : = + @ ! ~ * ' ( ) , ;`. Refused: empty, too long, `/ ? # & %`,
/// `\`, whitespace, control or non-ASCII characters, `..`, and `.` alone.
///
/// The message never repeats the value itself: a token pasted by mistake
/// where an id belongs must not end up in an error message or a log.
pub fn check_id(what: &str, value: &str) -> Result<(), Error> {
    let refuse = |why: String| Err(Error::invalid_argument(cat!("invalid ", what, ": ", why)));
    if value.is_empty() {
        return refuse("it is empty".into());
    }
    if value.len() > MAX_ID_LEN {
        return refuse(cat!("it is longer than ", MAX_ID_LEN, " characters"));
    }
    if contains_text(value, "..") {
        return refuse("it contains \"..\"".into());
    }
    if value == "." {
        // A dot segment: `/{id}` would fold into the path above it.
        return refuse("it is \".\"".into());
    }
    for (at, c) in value.char_indices() {
        let allowed = c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | ':' | '=' | '+' | '@' | '!' | '~' | '*' | '\'' | '(' | ')' | ',' | ';');
        if !allowed {
            return refuse(cat!("character ", describe(c), " at position ", at, " is not allowed in an id"));
        }
    }
    Ok(())
}

/// Names a refused character without echoing anything secret around it.
fn describe(c: char) -> String {
    match c {
        ' ' => "' ' (space)".into(),
        c if c.is_whitespace() => "(whitespace)".into(),
        c if c.is_control() => cat!("U+", Hex4(c as u32), " (control)"),
        c if !c.is_ascii() => cat!("U+", Hex4(c as u32), " (non-ASCII)"),
        c => quoted_char(c),
    }
}

macro_rules! graph_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Validates `value` as this kind of id.
            ///
            /// # Errors
            /// [`Error::InvalidArgument`] when the value cannot be a Graph id
            /// (see [`check_id`]).
            pub fn new(value: impl Into<String>) -> Result<Self, Error> {
                let value = value.into();
                check_id($what, &value)?;
                Ok(Self(value))
            }

            /// The id as the Graph spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id's text, taken out of the checked id.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), quoted(&self.0))
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(value: &str) -> Result<Self, Error> {
                Self::new(value)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

graph_id!(
    /// The id of a Facebook Page (or of the Page an Instagram professional
    /// account is linked to): the `{page-id}` of `GET /{page-id}/conversations`.
    PageId,
    "page id"
);
graph_id!(
    /// The id of a conversation (`t_…` on Messenger, `aWdf…` on Instagram).
    ConversationId,
    "conversation id"
);
graph_id!(
    /// The id of a message (`m_…` on Messenger, `aWdf…` on Instagram).
    MessageId,
    "message id"
);
graph_id!(
    /// A person's Page-scoped id (PSID) or Instagram-scoped id (IGSID), as
    /// `user_id` when finding the thread with that person.
    UserId,
    "user id"
);
