//! `core::error`.

use graph_conversations::core::error::*;
#[allow(unused_imports)]
use graph_conversations::*;

fn graph(code: i64, message: &str, is_transient: Option<bool>, status: u16) -> Error {
    Error::Graph {
        status: Some(status),
        body: GraphErrorBody { message: message.into(), code: Some(code), is_transient, ..Default::default() },
        retry_after_ms: None,
    }
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
    let http = |status| Error::Http { status, message: "x".into(), retry_after_ms: None };
    assert!(http(502).transient());
    assert!(http(429).transient());
    assert!(!http(404).transient());
}

#[test]
fn display_names_code_and_subcode() {
    let mut e = graph(190, "Error validating access token", None, 400);
    if let Error::Graph { body, .. } = &mut e {
        body.subcode = Some(463);
    }
    assert_eq!(e.to_string(), "Error validating access token (code 190, subcode 463)");
}

#[test]
fn redact_scrubs_every_text() {
    let e = graph(190, "bad token EAAGsecret in url", None, 400).redact(&["EAAGsecret", ""]);
    assert_eq!(e.to_string(), "bad token [redacted] in url (code 190)");
    assert!(!format!("{e:?}").contains("EAAGsecret"));
}
