//! An HTTP answer → the Graph's JSON, or the one [`Error`] it stands for.

use super::error::{Error, GraphErrorBody};
use super::json::{int_member, str_member, Json};
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

/// An HTTP answer as a transport hands it over.
#[derive(Clone, Debug)]
pub struct HttpResponse<J> {
    /// The HTTP status.
    pub status: u16,
    /// The headers the client reads.
    pub headers: ResponseHeaders,
    /// The body.
    pub body: Body<J>,
}

/// Reads an answer: the JSON body of a success, or the error it carries.
/// `usage` are the answer's parsed usage headers, which say how long to
/// wait after a rate limit.
///
/// # Errors
/// [`Error::Graph`] for `{"error":{…}}` (whatever the status),
/// [`Error::Http`] for another failed status, [`Error::Decode`] for a
/// successful status whose body is not JSON.
pub fn read_response<J: Json>(response: HttpResponse<J>, usage: &UsageValues<J>) -> Result<J, Error> {
    let status = response.status;
    let retry_after_ms = wait_ms(usage, response.headers.retry_after.as_deref());
    match response.body {
        Body::Json(json) => {
            if let Some(body) = graph_error(&json) {
                return Err(Error::Graph { status: Some(status), body, retry_after_ms });
            }
            if (200..300).contains(&status) {
                Ok(json)
            } else {
                Err(Error::Http { status, message: "a JSON answer that is not a Graph error".into(), retry_after_ms })
            }
        }
        Body::Text(text) if (200..300).contains(&status) => {
            Err(Error::decode(Some(status), format!("the body is not JSON: {}", snippet(&text))))
        }
        Body::Text(text) => {
            let kind = response.headers.content_type.as_deref().unwrap_or("no content type");
            let message = format!("not a Graph answer ({kind}): {}", snippet(&text));
            Err(Error::Http { status, message, retry_after_ms })
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
/// folded, for an error message.
fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let folded = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return "(empty body)".into();
    }
    let mut cut: String = folded.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < folded.len() {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use serde_json::{json, Value};

    fn answer(status: u16, body: Body<Value>, headers: ResponseHeaders) -> Result<Value, Error> {
        let usage = UsageValues::parse(&headers);
        read_response(HttpResponse { status, headers, body }, &usage)
    }

    #[test]
    fn every_documented_error_is_read_and_classified() {
        let index: Value = serde_json::from_str(include_str!("../../tests/fixtures/error_index.json")).unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
        for entry in index.as_array().unwrap() {
            let file = entry["file"].as_str().unwrap();
            let body: Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}{file}")).unwrap()).unwrap();
            let status = entry["status"].as_u64().unwrap() as u16;
            let err = answer(status, Body::Json(body.clone()), ResponseHeaders::default()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Graph, "{file}");
            assert_eq!(err.status(), Some(status), "{file}");
            let graph = err.graph().unwrap();
            assert_eq!(graph.code, entry["code"].as_i64(), "{file}");
            assert_eq!(graph.message, body["error"]["message"].as_str().unwrap(), "{file}");
            assert_eq!(graph.fbtrace_id.as_deref(), body["error"]["fbtrace_id"].as_str(), "{file}");
            assert_eq!(err.transient(), entry["transient"].as_bool().unwrap(), "{file}");
        }
    }

    #[test]
    fn a_rate_limit_says_when_to_try_again() {
        let headers = ResponseHeaders {
            business_use_case_usage: Some(
                r#"{"1":[{"type":"messenger","call_count":100,"estimated_time_to_regain_access":3}]}"#.into(),
            ),
            ..Default::default()
        };
        let body = json!({"error": {"message": "(#613) Calls to this api have exceeded the rate limit.", "code": 613, "type": "OAuthException"}});
        let err = answer(400, Body::Json(body), headers).unwrap_err();
        assert!(err.transient());
        assert_eq!(err.retry_after_ms(), Some(180_000));
    }

    #[test]
    fn user_facing_fields_are_kept() {
        let body: Value = serde_json::from_str(include_str!("../../tests/fixtures/error_user_msg.json")).unwrap();
        let err = answer(400, Body::Json(body.clone()), ResponseHeaders::default()).unwrap_err();
        let graph = err.graph().unwrap();
        assert_eq!(graph.user_title.as_deref(), body["error"]["error_user_title"].as_str());
        assert_eq!(graph.user_message.as_deref(), body["error"]["error_user_msg"].as_str());
        assert_eq!(graph.subcode, body["error"]["error_subcode"].as_i64());
    }

    #[test]
    fn a_proxy_page_is_an_http_error_with_a_readable_snippet() {
        let headers = ResponseHeaders {
            content_type: Some("text/html".into()),
            retry_after: Some("7".into()),
            ..Default::default()
        };
        let html = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad   Gateway</h1></body></html>";
        let err = answer(502, Body::Text(html.into()), headers).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Http);
        assert_eq!(err.to_string(), "HTTP 502: not a Graph answer (text/html): 502 Bad Gateway Bad Gateway");
        assert!(err.transient());
        assert_eq!(err.retry_after_ms(), Some(7000));
    }

    #[test]
    fn a_cut_off_success_is_a_decode_error() {
        let err = answer(200, Body::Text(r#"{"data":[{"id":"1""#.into()), ResponseHeaders::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(!err.transient());
        let ok = answer(200, Body::Json(json!({"data": []})), ResponseHeaders::default()).unwrap();
        assert_eq!(ok, json!({"data": []}));
        let odd = answer(404, Body::Json(json!({"data": []})), ResponseHeaders::default()).unwrap_err();
        assert_eq!(odd.kind(), ErrorKind::Http);
    }
}
