//! `core::response`.

use crate::core::error::ErrorKind;
use crate::core::response::*;
use crate::core::usage::{ResponseHeaders, UsageValues};
#[allow(unused_imports)]
use crate::*;
use serde_json::{json, Value};

fn answer(status: u16, body: Body<Value>, headers: ResponseHeaders) -> Result<Value, Error> {
    let usage = UsageValues::parse(&headers);
    read_response(HttpResponse { status, headers, body }, &usage)
}

#[test]
fn every_documented_error_is_read_and_classified() {
    let index: Value = serde_json::from_str(include_str!("../../../tests/fixtures/error_index.json")).unwrap();
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
    let body: Value = serde_json::from_str(include_str!("../../../tests/fixtures/error_user_msg.json")).unwrap();
    let err = answer(400, Body::Json(body.clone()), ResponseHeaders::default()).unwrap_err();
    let graph = err.graph().unwrap();
    assert_eq!(graph.user_title.as_deref(), body["error"]["error_user_title"].as_str());
    assert_eq!(graph.user_message.as_deref(), body["error"]["error_user_msg"].as_str());
    assert_eq!(graph.subcode, body["error"]["error_subcode"].as_i64());
}

#[test]
fn a_proxy_page_is_an_http_error_with_a_readable_snippet() {
    let headers =
        ResponseHeaders { content_type: Some("text/html".into()), retry_after: Some("7".into()), ..Default::default() };
    let html = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad   Gateway</h1></body></html>";
    let err = answer(502, Body::Text(html.into()), headers).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Http);
    assert_eq!(err.to_string(), "HTTP 502: not a Graph answer (text/html): 502 Bad Gateway Bad Gateway");
    assert!(err.transient());
    assert_eq!(err.retry_after_ms(), Some(7000));
}

#[test]
fn a_cut_off_success_is_a_decode_error_worth_retrying() {
    let err = answer(200, Body::Text(r#"{"data":[{"id":"1""#.into()), ResponseHeaders::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.transient(), "a body cut off on the way may come whole next time");
    let ok = answer(200, Body::Json(json!({"data": []})), ResponseHeaders::default()).unwrap();
    assert_eq!(ok, json!({"data": []}));
    let odd = answer(404, Body::Json(json!({"data": []})), ResponseHeaders::default()).unwrap_err();
    assert_eq!(odd.kind(), ErrorKind::Http);
}

#[test]
fn a_proxy_page_s_styles_and_scripts_stay_out_of_the_message() {
    let html = "<!doctype html><html><head><title>502 Bad Gateway</title><STYLE type=\"text/css\">body { font-family: sans-serif; }</STYLE>\
<script>var x = '<b>';</script></head><body><h1>Bad Gateway</h1><p>The upstream server failed.</p></body></html>";
    let headers = ResponseHeaders { content_type: Some("text/html".into()), ..Default::default() };
    let err = answer(502, Body::Text(html.into()), headers).unwrap_err();
    assert_eq!(
        err.to_string(),
        "HTTP 502: not a Graph answer (text/html): 502 Bad Gateway Bad Gateway The upstream server failed."
    );
    let cut = answer(502, Body::Text("<p>half a tag <a href=".into()), ResponseHeaders::default()).unwrap_err();
    assert!(cut.to_string().ends_with(": half a tag"), "{cut}");
}
