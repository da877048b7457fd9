//! `{data, paging}`: the one list shape of the Graph, its shape checks and
//! the cursor logic that walks it.
//!
//! The next page is always requested with `paging.cursors.after`, never by
//! fetching `paging.next`: that URL can carry the access token.
//!
//! See <https://developers.facebook.com/docs/graph-api/results>.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::error::Error;
use super::json::Json;

/// One page of a Graph list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Page<T> {
    /// The items of this page, in the Graph's order (newest first).
    pub data: Vec<T>,
    /// Cursors and links; absent on some last pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// `paging` of a [`Page`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
    check_page_at(body, node, "").map_err(|why| Error::decode(status, why))
}

/// Checks that `body` is one node of kind `node`.
///
/// # Errors
/// [`Error::Decode`] naming the first place that is off.
pub fn check_node<J: Json>(body: &J, node: Node, status: Option<u16>) -> Result<(), Error> {
    check_node_at(body, node, "").map_err(|why| Error::decode(status, why))
}

fn check_page_at<J: Json>(body: &J, node: Node, path: &str) -> Result<(), String> {
    let at = |member: &str| {
        if path.is_empty() {
            member.to_owned()
        } else {
            format!("{path}.{member}")
        }
    };
    if !body.is_object() {
        return Err(format!("{} is not an object", if path.is_empty() { "the body" } else { path }));
    }
    let data = body.get("data").ok_or_else(|| format!("{} is missing", at("data")))?;
    let len = data.array_len().ok_or_else(|| format!("{} is not an array", at("data")))?;
    for i in 0..len {
        let item = data.at(i).ok_or_else(|| format!("{}[{i}] is missing", at("data")))?;
        check_node_at(&item, node, &format!("{}[{i}]", at("data")))?;
    }
    if let Some(paging) = body.get("paging").filter(|p| !p.is_null()) {
        if !paging.is_object() {
            return Err(format!("{} is not an object", at("paging")));
        }
        if let Some(cursors) = paging.get("cursors").filter(|c| !c.is_null()) {
            for name in ["before", "after"] {
                if cursors.get(name).is_some_and(|c| !c.is_string() && !c.is_null()) {
                    return Err(format!("{}.{name} is not a string", at("paging.cursors")));
                }
            }
        }
    }
    Ok(())
}

fn check_node_at<J: Json>(item: &J, node: Node, path: &str) -> Result<(), String> {
    let at = |member: &str| {
        if path.is_empty() {
            member.to_owned()
        } else {
            format!("{path}.{member}")
        }
    };
    if !item.is_object() {
        return Err(format!("{} is not an object", if path.is_empty() { "the body" } else { path }));
    }
    if !item.get("id").is_some_and(|id| id.is_string()) {
        return Err(format!("{} is missing or not a string", at("id")));
    }
    if node == Node::Conversation {
        if let Some(messages) = item.get("messages").filter(|m| !m.is_null()) {
            check_page_at(&messages, Node::Message, &at("messages"))?;
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
    seen: HashSet<String>,
    after: Option<String>,
    done: bool,
}

impl CursorWalk {
    /// A walk that starts at `after` (or at the first page).
    pub fn starting_at(after: Option<String>) -> Self {
        Self { seen: after.iter().cloned().collect(), after, done: false }
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
            Some(cursor) if !self.seen.insert(cursor.clone()) => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accepts_graph_lists_and_names_the_odd_place() {
        let ok = json!({"data": [{"id": "t_1", "messages": {"data": [{"id": "m_1"}], "paging": {"cursors": {"after": "A"}}}}]});
        assert!(check_page(&ok, Node::Conversation, Some(200)).is_ok());
        let no_paging = json!({"data": []});
        assert!(check_page(&no_paging, Node::Conversation, None).is_ok());
        let cases = [
            (json!([]), "the body is not an object"),
            (json!({"data": 5}), "data is not an array"),
            (json!({}), "data is missing"),
            (json!({"data": [{"id": "1"}, {"id": 2}]}), "data[1].id is missing or not a string"),
            (json!({"data": [{"id": "1", "messages": {"data": [null]}}]}), "data[0].messages.data[0] is not an object"),
            (json!({"data": [], "paging": {"cursors": {"after": 1}}}), "paging.cursors.after is not a string"),
        ];
        for (body, why) in cases {
            let err = check_page(&body, Node::Conversation, Some(200)).unwrap_err();
            assert_eq!(err, Error::decode(Some(200), why));
        }
    }

    #[test]
    fn odd_fields_pass() {
        let odd =
            json!({"data": [{"id": "m_1", "message": null, "shares": {"data": [{"link": null}]}, "new_field": [1]}]});
        assert!(check_page(&odd, Node::Message, None).is_ok());
    }

    #[test]
    fn next_cursor_needs_next_and_after() {
        let more =
            json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": "A"}, "next": "https://x?access_token=T"}});
        assert_eq!(next_cursor(&more).unwrap().as_deref(), Some("A"));
        let last = json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": "A"}}});
        assert_eq!(next_cursor(&last).unwrap(), None);
        assert_eq!(next_cursor(&json!({"data": [{"id": "1"}]})).unwrap(), None);
        let empty = json!({"data": [], "paging": {"cursors": {"after": "A"}, "next": "n"}});
        assert_eq!(next_cursor(&empty).unwrap(), None);
        let null_after = json!({"data": [{"id": "1"}], "paging": {"cursors": {"after": null}}});
        assert!(check_page(&null_after, Node::Message, None).is_ok(), "a null cursor is not an odd page");
        assert_eq!(next_cursor(&null_after).unwrap(), None);
        let no_after = json!({"data": [{"id": "1"}], "paging": {"next": "https://x"}});
        assert_eq!(next_cursor(&no_after).unwrap_err().kind(), crate::core::error::ErrorKind::Decode);
    }

    #[test]
    fn walk_stops_at_the_end_and_on_a_repeated_cursor() {
        let mut walk = CursorWalk::starting_at(None);
        walk.advance(Some("A".into())).unwrap();
        assert_eq!(walk.after(), Some("A"));
        walk.advance(Some("B".into())).unwrap();
        assert!(walk.advance(Some("A".into())).is_err());
        assert!(walk.done());
        let mut walk = CursorWalk::starting_at(Some("S".into()));
        assert!(walk.advance(Some("S".into())).is_err());
        let mut walk = CursorWalk::default();
        walk.advance(None).unwrap();
        assert!(walk.done());
    }
}
