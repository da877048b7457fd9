//! `core::error`.

use crate::core::error::*;
use crate::core::secrets::Secrets;
#[allow(unused_imports)]
use crate::*;

fn graph(code: i64, message: &str, is_transient: Option<bool>, status: u16) -> Error {
    let body = GraphErrorBody { message: message.into(), code: Some(code), is_transient, ..Default::default() };
    Error::graph_error(Some(status), body, None)
}

#[test]
fn rate_limits_and_temporary_faults_are_transient() {
    for code in [1, 2, 4, 17, 32, 613, 80001, 80002, 80006] {
        assert!(graph(code, "x", None, 400).transient(), "{code}");
    }
    for code in [100, 104, 190, 200, 230, 368, 2500, 9000001] {
        assert!(!graph(code, "x", None, 400).transient(), "{code}");
    }
}

#[test]
fn the_graphs_own_word_wins() {
    assert!(!graph(1, "An unknown error occurred", Some(false), 500).transient());
    assert!(graph(100, "x", Some(true), 400).transient());
}

#[test]
fn asking_for_too_much_data_is_not_worth_repeating() {
    let e = graph(1, "Please reduce the amount of data you're asking for, then retry your request", None, 500);
    assert!(!e.transient());
}

#[test]
fn http_answers_are_transient_only_for_5xx_and_429() {
    let http = |status| Error::http(status, "x", None);
    assert!(http(502).transient());
    assert!(http(429).transient());
    assert!(!http(404).transient());
}

#[test]
fn display_names_code_and_subcode() {
    let body = GraphErrorBody {
        message: "Error validating access token".into(),
        code: Some(190),
        subcode: Some(463),
        ..Default::default()
    };
    let e = Error::graph_error(Some(400), body, None);
    assert_eq!(e.to_string(), "Error validating access token (code 190, subcode 463)");
}

#[test]
fn redact_scrubs_every_text() {
    let e = Secrets::new("EAAGsecret", Some("")).redact_error(graph(190, "bad token EAAGsecret in url", None, 400));
    assert_eq!(e.to_string(), "bad token [redacted] in url (code 190)");
    assert!(!format!("{e:?}").contains("EAAGsecret"));
}

#[test]
fn a_retried_graph_error_is_still_the_graph_case() {
    let err = graph(613, "Calls to this api have exceeded the rate limit.", None, 400).with_attempts(4);
    assert!(matches!(err.detail(), ErrorDetail::Graph { body, .. } if body.code == Some(613)));
    assert_eq!(err.attempts(), Some(4));
    assert!(err.rate_limited());
    assert!(err.to_string().ends_with("(code 613) (after 4 attempts)"), "{err}");
}

#[test]
fn the_error_value_is_small() {
    // The detail is boxed: a `Result<T, Error>` costs a pointer and a count.
    assert!(std::mem::size_of::<Error>() <= 16, "{}", std::mem::size_of::<Error>());
}

#[test]
fn rate_limited_names_throttling_codes_and_429_only() {
    for code in [4, 17, 32, 613, 80001, 80002, 80006] {
        assert!(graph(code, "x", None, 400).rate_limited(), "{code}");
    }
    for code in [1, 2, 100, 190] {
        assert!(!graph(code, "x", None, 400).rate_limited(), "{code}");
    }
    assert!(Error::http(429, "slow down", None).rate_limited());
    assert!(!Error::http(503, "x", None).rate_limited());
    assert!(!Error::network("x").rate_limited());
}

/// The JS `GraphError`'s declared properties are exactly the fields the
/// facade builds it from (plus what `Error` itself and the calls that have
/// them add: `name`, `cursor`, `inbox`).
#[test]
fn graph_error_d_ts_declares_every_field_and_no_other() {
    let d_ts = include_str!("../../../js/graph_error.d.ts");
    let class = &d_ts[d_ts.find("export declare class GraphError").unwrap()..];
    let class = &class[..class.find("\n}").unwrap()];
    let mut declared: Vec<&str> = class
        .lines()
        .filter_map(|line| line.trim().strip_prefix("readonly "))
        .map(|rest| rest.split([':', '?']).next().unwrap())
        .filter(|name| !["name", "cursor", "inbox"].contains(name))
        .collect();
    let mut fields: Vec<&str> = GRAPH_ERROR_FIELDS.iter().map(|(name, _)| *name).collect();
    declared.sort_unstable();
    fields.sort_unstable();
    assert_eq!(declared, fields);
}

#[test]
fn fields_leave_out_what_is_absent() {
    let names: Vec<_> = Error::invalid_argument("x").fields().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["kind", "transient", "rateLimited"]);
    let err = graph(190, "bad", None, 400).with_attempts(1);
    assert!(err.fields().contains(&("code", FieldValue::Number(190.0))));
    assert!(err.fields().contains(&("attempts", FieldValue::Number(1.0))));
}
