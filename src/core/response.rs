//! An HTTP answer → the Graph's JSON, or the one [`Error`] it stands for.

use crate::prelude::*;
use crate::text::{cat, find_byte, fold_white};

use super::error::{Error, GraphErrorBody};
use super::json::{int_member, str_member, Json};
use super::quoted::first_chars;
use super::secrets::BodyText;
use super::usage::{wait_ms, ResponseHeaders, UsageValues};

/// How much of a body that is not JSON an error message quotes.
const SNIPPET_CHARS: usize = 120;

/// The body of an answer, parsed as JSON when it is.
#[derive(Clone, Debug)]
pub enum Body<J> {
    /// A JSON body.
    Json(J),
    /// A body that is not JSON (a proxy's HTML page, a cut-off answer).
    Text(String),
}

/// An HTTP answer: as a transport hands it over (`B` is the raw text,
/// see [`BodyText`](super::secrets::BodyText)), or with its body read
/// (`B` = [`Body`]).
#[derive(Clone, Debug)]
pub struct HttpResponse<B> {
    /// The HTTP status.
    pub status: u16,
    /// The headers the client reads.
    pub headers: ResponseHeaders,
    /// The body.
    pub body: B,
}

/// How much of a body that is not JSON is kept, to quote from.
pub const KEPT_TEXT_CHARS: usize = 2_000;

/// A body as received → JSON when it parses, else the start of its text.
pub fn read_body<J: Json>(text: &J::Text) -> Body<J> {
    J::parse_text(text).map_or_else(|| Body::Text(text.start(KEPT_TEXT_CHARS)), Body::Json)
}

/// Reads an answer: the JSON body of a success, or the error it carries.
/// `usage` are the answer's parsed usage headers, which say how long to
/// wait after a rate limit.
///
/// # Errors
/// [`Error::Graph`] for `{"error":{…}}` (whatever the status),
/// [`Error::Http`] for another failed status, [`Error::Decode`] for a
/// successful status whose body is not JSON.
pub fn read_response<J: Json>(response: HttpResponse<Body<J>>, usage: &UsageValues<J>) -> Result<J, Error> {
    let status = response.status;
    // Only a failure says how long to wait: a good answer is not made to
    // walk its usage headers for it (a fixed cost on every call).
    let retry_after_ms = || wait_ms(usage, response.headers.retry_after.as_deref());
    match response.body {
        Body::Json(json) => {
            if let Some(body) = graph_error(&json) {
                return Err(Error::graph_error(Some(status), body, retry_after_ms()));
            }
            if (200..300).contains(&status) {
                Ok(json)
            } else {
                Err(Error::http(status, "a JSON answer that is not a Graph error", retry_after_ms()))
            }
        }
        Body::Text(text) if (200..300).contains(&status) => {
            Err(Error::not_json(Some(status), cat!("the body is not JSON: ", snippet(&text))))
        }
        Body::Text(text) => {
            let kind = response.headers.content_type.as_deref().unwrap_or("no content type");
            let message = cat!("not a Graph answer (", kind, "): ", snippet(&text));
            Err(Error::http(status, message, retry_after_ms()))
        }
    }
}

/// The Graph's error object in `body`, when it is one.
pub fn graph_error<J: Json>(body: &J) -> Option<GraphErrorBody> {
    let error = body.get("error").filter(J::is_object)?;
    Some(GraphErrorBody {
        message: str_member(&error, "message")
            .unwrap_or_else(|| "the Graph answered with an error that has no message".into()),
        error_type: str_member(&error, "type"),
        code: int_member(&error, "code"),
        subcode: int_member(&error, "error_subcode"),
        user_title: str_member(&error, "error_user_title"),
        user_message: str_member(&error, "error_user_msg"),
        fbtrace_id: str_member(&error, "fbtrace_id"),
        is_transient: error.get("is_transient").and_then(|v| v.boolean()),
    })
}

/// The start of a text body on one line, tags and runs of white space
/// folded, for an error message. What `<style>` and `<script>` hold is not
/// text a person reads, so it goes too.
fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    // Read only as far as the cut below needs: a huge page is not read to
    // its end.
    let mut seen = 0;
    while seen <= SNIPPET_CHARS {
        let Some(open) = find_byte(rest, b'<') else { break };
        seen += push_text(&mut out, rest.get(..open).unwrap_or_default());
        let tag = rest.get(open..).unwrap_or_default();
        let Some(close) = find_byte(tag, b'>') else {
            rest = "";
            break;
        };
        let inner = tag.get(1..close).unwrap_or_default();
        let end = inner.char_indices().find(|&(_, c)| c.is_whitespace() || c == '/').map_or(inner.len(), |(at, _)| at);
        let name = inner.get(..end).unwrap_or_default();
        rest = tag.get(close + 1..).unwrap_or_default();
        for hidden in ["style", "script"] {
            if name.eq_ignore_ascii_case(hidden) {
                rest =
                    find_ignoring_case(rest, &cat!("</", hidden)).map_or("", |at| rest.get(at..).unwrap_or_default());
            }
        }
    }
    if seen <= SNIPPET_CHARS {
        push_text(&mut out, rest);
    }
    let folded = fold_white(&out);
    if folded.is_empty() {
        return "(empty body)".into();
    }
    let mut cut = first_chars(&folded, SNIPPET_CHARS).to_owned();
    if cut.len() < folded.len() {
        cut.push('…');
    }
    cut
}

/// Appends `text` with control characters as spaces, and a space where a
/// tag stood; one space stands for any run. Returns how many visible
/// characters it added.
fn push_text(out: &mut String, text: &str) -> usize {
    let mut visible = 0;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
            visible += 1;
        }
    }
    // The space where the tag stood (not `chars().chain([' '])`: an adapter
    // chain is its own code in the wasm).
    if !out.ends_with(' ') {
        out.push(' ');
    }
    visible
}

/// Where `needle` (ASCII) first stands in `haystack`, in any case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    // A loop over `get`, not `find` over indexed slices: no slice panic path.
    let mut at = 0;
    while let Some(window) = hay.get(at..at + needle.len()) {
        if window.eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}
