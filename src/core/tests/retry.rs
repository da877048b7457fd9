//! `core::retry`: which failures are tried again, how long to wait, and
//! the pace per access token.

use crate::core::error::GraphErrorBody;
use std::rc::Rc;

use crate::core::retry::{Pacer, Paces, RetryPolicy};
use crate::Error;

const POLICY: RetryPolicy = RetryPolicy { max_retries: 3, base_delay_ms: 1000, max_delay_ms: 60_000 };

fn graph(code: i64, retry_after_ms: Option<u64>) -> Error {
    let body = GraphErrorBody { message: "x".into(), code: Some(code), ..Default::default() };
    Error::graph_error(Some(400), body, retry_after_ms)
}

#[test]
fn backoff_doubles_with_full_jitter_up_to_the_cap() {
    let err = Error::network("reset");
    // random = 1.0 - ε gives (almost) the ceiling: 1 s, 2 s, 4 s.
    let top = |retry| POLICY.delay_ms(&err, retry, 0.999_999).unwrap();
    assert_eq!([top(1) / 100, top(2) / 100, top(3) / 100], [9, 19, 39]);
    assert_eq!(POLICY.delay_ms(&err, 1, 0.0), Some(0), "full jitter goes down to zero");
    let capped = RetryPolicy { max_retries: 10, base_delay_ms: 1000, max_delay_ms: 5000 };
    assert_eq!(capped.delay_ms(&err, 9, 0.999_999), Some(4999));
}

#[test]
fn retries_stop_after_max_retries() {
    let err = Error::timeout(10);
    assert!(POLICY.delay_ms(&err, 3, 0.5).is_some());
    assert_eq!(POLICY.delay_ms(&err, 4, 0.5), None);
}

#[test]
fn only_transient_failures_are_retried() {
    for code in [4, 17, 32, 613, 80006, 1, 2] {
        assert!(POLICY.delay_ms(&graph(code, None), 1, 0.5).is_some(), "code {code}");
    }
    for code in [100, 190, 200, 230, 368, 2500, 9_000_001] {
        assert_eq!(POLICY.delay_ms(&graph(code, None), 1, 0.5), None, "code {code}");
    }
    assert_eq!(POLICY.delay_ms(&Error::aborted(), 1, 0.5), None);
    assert_eq!(POLICY.delay_ms(&Error::invalid_argument("x"), 1, 0.5), None);
    assert_eq!(POLICY.delay_ms(&Error::decode(Some(200), "wrong shape"), 1, 0.5), None);
    assert!(POLICY.delay_ms(&Error::not_json(Some(200), "cut off"), 1, 0.5).is_some());
}

#[test]
fn the_wait_the_graph_asks_for_is_a_floor_and_a_too_long_one_is_not_waited() {
    assert_eq!(POLICY.delay_ms(&graph(613, Some(7000)), 1, 0.0), Some(7000));
    assert_eq!(POLICY.delay_ms(&graph(613, Some(60_000)), 1, 0.0), Some(60_000));
    assert_eq!(POLICY.delay_ms(&graph(613, Some(180_000)), 1, 0.5), None, "3 minutes is beyond the cap");
}

#[test]
fn the_last_error_counts_the_attempts_and_reads_as_the_failure() {
    let err = graph(613, Some(5)).with_attempts(4);
    assert_eq!(err.attempts(), Some(4));
    assert_eq!(err.kind(), graph(613, None).kind());
    assert_eq!(err.graph().and_then(|b| b.code), Some(613));
    assert_eq!(err.retry_after_ms(), Some(5));
    assert!(err.to_string().ends_with("(after 4 attempts)"), "{err}");
    assert_eq!(Error::network("x").with_attempts(1).attempts(), Some(1));
    assert_eq!(Error::network("x").with_attempts(0).attempts(), None, "nothing was sent");
    assert_eq!(Error::aborted().with_attempts(3).to_string(), "the request was aborted");
    assert_eq!(Error::invalid_argument("x").attempts(), None);
    let secret = crate::core::secrets::Secrets::new("EAAG-1", None)
        .redact_error(Error::network("token EAAG-1 echoed").with_attempts(2));
    assert!(!secret.to_string().contains("EAAG-1"), "{secret}");
}

#[test]
fn pacing_spaces_calls_and_counts_batch_items() {
    let mut pacer = Pacer::new();
    assert_eq!(pacer.reserve(0.0, 1, 2.0), 0.0, "the first call goes at once");
    assert_eq!(pacer.reserve(0.0, 1, 2.0), 500.0);
    assert_eq!(pacer.reserve(100.0, 3, 2.0), 900.0, "a batch of 3 starts at 1000 ms");
    assert_eq!(pacer.reserve(1000.0, 1, 2.0), 1500.0, "and holds the next call 1500 ms");
    assert_eq!(pacer.reserve(10_000.0, 1, 2.0), 0.0, "an idle token starts again at once");
    assert_eq!(Pacer::new().reserve(0.0, 50, 0.0), 0.0, "rate 0: no pacing");
}

#[test]
fn clients_of_one_token_share_a_pace_and_the_registry_stays_small() {
    let mut paces = Paces::default();
    let a = paces.pace_for("EAAG-token-a", 0.0);
    let b = paces.pace_for("EAAG-token-a", 0.0);
    assert!(Rc::ptr_eq(&a, &b), "one pace per token");
    assert_eq!(a.borrow_mut().reserve(0.0, 1, 2.0), 0.0);
    assert_eq!(b.borrow_mut().reserve(0.0, 1, 2.0), 500.0, "the second client waits its turn");
    drop((a, b));
    // A pace nobody holds that still holds a call back is kept: a new client
    // of the token (a Worker's next request) waits its turn too.
    let again = paces.pace_for("EAAG-token-a", 100.0);
    assert_eq!(again.borrow_mut().reserve(100.0, 1, 2.0), 900.0);
    drop(again);
    // A long-lived Worker that makes a client per request with ever new tokens.
    for i in 0..10_000 {
        let pacer = paces.pace_for(&format!("EAAG-token-{i}"), 2_000.0 + f64::from(i));
        pacer.borrow_mut().reserve(2_000.0 + f64::from(i), 1, 2_000.0);
    }
    assert!(paces.kept() <= 2, "only paces in use or holding a call back are kept: {}", paces.kept());
}
