//! `core::usage`.

use crate::core::usage::*;
#[allow(unused_imports)]
use crate::*;
use serde_json::Value;

fn headers(fixture: &str) -> ResponseHeaders {
    let v: Value = serde_json::from_str(fixture).unwrap();
    let text = |name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
    ResponseHeaders {
        app_usage: text("x-app-usage"),
        page_usage: text("x-page-usage"),
        business_use_case_usage: text("x-business-use-case-usage"),
        ..Default::default()
    }
}

#[test]
fn reads_the_three_headers() {
    let values = UsageValues::<Value>::parse(&headers(include_str!("../../../tests/fixtures/usage_headers.json")));
    let usage = Usage::read(&values);
    assert_eq!(usage.app.as_ref().and_then(|a| a.call_count), Some(12.0));
    assert_eq!(usage.page.as_ref().and_then(|a| a.total_time), Some(2.0));
    let buc = usage.business_use_case.unwrap();
    let entry = &buc["100200300400500"][0];
    assert_eq!(entry.use_case.as_deref(), Some("messenger"));
    assert_eq!(entry.usage.call_count, Some(7.0));
    assert_eq!(wait_ms(&values, None), None);
}

#[test]
fn a_throttled_answer_says_how_long_to_wait() {
    let values =
        UsageValues::<Value>::parse(&headers(include_str!("../../../tests/fixtures/usage_headers_throttled.json")));
    assert_eq!(wait_ms(&values, None), Some(5 * 60_000));
    assert_eq!(wait_ms(&values, Some("600")), Some(600_000));
}

#[test]
fn instagram_usage_can_come_under_two_ids() {
    let values =
        UsageValues::<Value>::parse(&headers(include_str!("../../../tests/fixtures/usage_headers_instagram.json")));
    assert_eq!(Usage::read(&values).business_use_case.map(|b| b.len()), Some(2));
}

#[test]
fn odd_headers_are_ignored() {
    let odd = ResponseHeaders {
        app_usage: Some("not json".into()),
        business_use_case_usage: Some("[1]".into()),
        ..Default::default()
    };
    let values = UsageValues::<Value>::parse(&odd);
    assert!(values.is_empty());
    assert_eq!(wait_ms(&values, Some("soon")), None);
}
