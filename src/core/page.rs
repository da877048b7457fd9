//! `{data, paging}`: the one list shape of the Graph, its shape checks and
//! the cursor logic that walks it.
//!
//! The next page is always requested with `paging.cursors.after`, never by
//! fetching `paging.next`: that URL can carry the access token.
//!
//! See <https://developers.facebook.com/docs/graph-api/results>.

use crate::prelude::*;
use crate::text::push_decimal;

use serde::{Deserialize, Serialize};

use super::error::Error;
use super::json::Json;
use super::string_set::StringSet;

/// One page of a Graph list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Page<T> {
    /// The items of this page, in the Graph's order (newest first).
    pub data: Vec<T>,
    /// Cursors and links; absent on some last pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// `paging` of a [`Page`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Paging {
    /// The cursors to pass as `after` / `before`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// The Graph's link to the next page; present only when there is one.
    /// It can carry the access token: do not fetch or log it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The Graph's link to the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
}

/// `paging.cursors`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Cursors {
    /// Points at the first item of the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Points at the last item of the page: `after` for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// What a list holds, for its shape check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// A conversation; its nested `messages`, when present, is a page too.
    Conversation,
    /// A message.
    Message,
}

/// Checks that `body` is `{data: [node…], paging?: {…}}`. Only what the
/// client relies on is checked (ids, nesting, cursors); any other field may
/// hold anything and passes through untouched.
///
/// # Errors
/// [`Error::Decode`] naming the first place that is off, e.g. `data[3].id`.
pub fn check_page<J: Json>(body: &J, node: Node, status: Option<u16>) -> Result<(), Error> {
    check_page_at(body, node, &Path::Body).map_err(|why| Error::decode(status, why))
}

/// Checks that `body` is one node of kind `node`.
///
/// # Errors
/// [`Error::Decode`] naming the first place that is off.
pub fn check_node<J: Json>(body: &J, node: Node, status: Option<u16>) -> Result<(), Error> {
    check_node_at(body, node, &Path::Body).map_err(|why| Error::decode(status, why))
}

/// Where a value sits in a body, for an error message: built only when
/// something is off, never for a page that checks out (a 1 MB page has
/// thousands of nodes).
#[derive(Clone, Copy)]
enum Path<'a> {
    /// The body itself.
    Body,
    /// `parent.member`.
    Member(&'a Path<'a>, &'a str),
    /// `parent[index]`.
    Item(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// What is off here: `the body {what}` for the body itself, else
    /// `data[3].messages {what}`. One writer for every message, not a
    /// `format!` each.
    fn off(&self, what: &str) -> String {
        let mut out = String::new();
        match self {
            Path::Body => out.push_str("the body"),
            _ => self.write(&mut out),
        }
        out.push(' ');
        out.push_str(what);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Path::Body => {}
            Path::Member(parent, member) => {
                parent.write(out);
                if !matches!(parent, Path::Body) {
                    out.push('.');
                }
                out.push_str(member);
            }
            Path::Item(parent, index) => {
                parent.write(out);
                out.push('[');
                push_decimal(out, *index as u64, 1);
                out.push(']');
            }
        }
    }
}

fn check_page_at<J: Json>(body: &J, node: Node, path: &Path<'_>) -> Result<(), String> {
    if !body.is_object() {
        return Err(path.off("is not an object"));
    }
    let data_path = Path::Member(path, "data");
    let data = body.get("data").ok_or_else(|| data_path.off("is missing"))?;
    let len = data.array_len().ok_or_else(|| data_path.off("is not an array"))?;
    for i in 0..len {
        let item_path = Path::Item(&data_path, i);
        // `at` gives nothing for a `null` element.
        let item = data.at(i).ok_or_else(|| item_path.off("is not an object"))?;
        check_node_at(&item, node, &item_path)?;
    }
    if let Some(paging) = body.get("paging") {
        if !paging.is_object() {
            return Err(Path::Member(path, "paging").off("is not an object"));
        }
        if let Some(cursors) = paging.get("cursors") {
            for name in ["before", "after"] {
                if cursors.get(name).is_some_and(|c| !c.is_string()) {
                    return Err(Path::Member(&Path::Member(path, "paging.cursors"), name).off("is not a string"));
                }
            }
        }
    }
    Ok(())
}

fn check_node_at<J: Json>(item: &J, node: Node, path: &Path<'_>) -> Result<(), String> {
    if !item.is_object() {
        return Err(path.off("is not an object"));
    }
    if !item.get("id").is_some_and(|id| id.is_string()) {
        return Err(Path::Member(path, "id").off("is missing or not a string"));
    }
    if node == Node::Conversation {
        if let Some(messages) = item.get("messages") {
            check_page_at(&messages, Node::Message, &Path::Member(path, "messages"))?;
        }
    }
    Ok(())
}

/// The cursor of the next page: `paging.cursors.after`, when `paging.next`
/// says there is a next page and this page was not empty; `None` on the
/// last page (no `paging`, or no `next`, as real Instagram lists end).
///
/// # Errors
/// [`Error::Decode`] when `paging.next` announces a next page but there is
/// no `after` cursor to ask for it with: the list would otherwise end early
/// without a word (the client never fetches `next`, which holds the token).
pub fn next_cursor<J: Json>(body: &J) -> Result<Option<String>, Error> {
    let Some(paging) = body.get("paging") else { return Ok(None) };
    let has_next = paging.get("next").and_then(|n| n.string()).is_some_and(|n| !n.is_empty());
    let non_empty = body.get("data").and_then(|d| d.array_len()).is_some_and(|n| n > 0);
    if !(has_next && non_empty) {
        return Ok(None);
    }
    match paging.get("cursors").and_then(|c| c.get("after")).and_then(|a| a.string()) {
        Some(after) if !after.is_empty() => Ok(Some(after)),
        _ => Err(Error::decode(Some(200), "paging.next announces a next page, but paging.cursors.after is missing")),
    }
}

/// Walks a list page by page, stopping at the last page and refusing to
/// loop: a cursor the Graph already gave ends the walk with an error.
#[derive(Clone, Debug, Default)]
pub struct CursorWalk {
    seen: StringSet,
    after: Option<String>,
    done: bool,
}

impl CursorWalk {
    /// A walk that starts at `after` (or at the first page).
    pub fn starting_at(after: Option<String>) -> Self {
        let mut seen = StringSet::new();
        if let Some(after) = &after {
            seen.insert(after);
        }
        Self { seen, after, done: false }
    }

    /// Whether the last page has been read.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The `after` cursor of the page to read next.
    pub fn after(&self) -> Option<&str> {
        self.after.as_deref()
    }

    /// Records the page just read, by its [`next_cursor`].
    ///
    /// # Errors
    /// [`Error::Decode`] when the Graph hands back a cursor it gave before,
    /// which would otherwise loop forever.
    pub fn advance(&mut self, next: Option<String>) -> Result<(), Error> {
        match next {
            None => self.done = true,
            Some(cursor) if !self.seen.insert(&cursor) => {
                self.done = true;
                return Err(Error::decode(
                    None,
                    "the Graph repeated a paging cursor; stopped to avoid an endless loop",
                ));
            }
            Some(cursor) => self.after = Some(cursor),
        }
        Ok(())
    }
}
