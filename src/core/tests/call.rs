//! A call's attempts, decided without I/O: what a driver (the async client,
//! or `drive` in JS) is told to do after each answer.

use crate::core::call::{explain, read_answer, refuse_secret_in_url, Attempts, Retries};
use crate::core::config::ClientConfig;
use crate::core::error::{Delivery, Error, GraphErrorBody};
use crate::core::request::{HttpRequest, Method};
use crate::core::response::HttpResponse;
use crate::core::retry::Pacer;
use crate::core::usage::{ResponseHeaders, UsageValues};

const TOKEN: &str = "EAAG-test-page-token";

fn config() -> ClientConfig {
    ClientConfig::new(TOKEN).unwrap().max_retries(2.0).unwrap().retry_delay_ms(100.0).unwrap()
}

fn rate_limit() -> Error {
    Error::graph_error(
        Some(400),
        GraphErrorBody {
            code: Some(613),
            message: "Calls to this api have exceeded the rate limit.".into(),
            ..Default::default()
        },
        None,
    )
}

#[test]
fn a_transient_failure_is_tried_again_until_the_retries_are_used_up() {
    let config = config();
    let mut attempts = Attempts::new(&config, 1, Retries::Transient);
    attempts.sent();
    let wait = attempts.after_failure(Error::network("connection reset"), 0.5).unwrap();
    assert_eq!(wait, 50.0, "the first retry waits up to retryDelayMs, jittered");
    attempts.sent();
    assert_eq!(attempts.after_failure(Error::network("connection reset"), 0.5).unwrap(), 100.0, "then twice as long");
    attempts.sent();
    let error = attempts.after_failure(Error::network("connection reset"), 0.5).unwrap_err();
    let ended = attempts.end(error, &config);
    assert_eq!(ended.attempts(), Some(3), "maxRetries 2: three attempts, and the error says so");
}

#[test]
fn a_failure_that_is_not_transient_ends_the_call_at_once() {
    let config = config();
    let mut attempts = Attempts::new(&config, 1, Retries::Transient);
    attempts.sent();
    let error = attempts.after_failure(Error::invalid_argument("bad"), 0.5).unwrap_err();
    assert_eq!(attempts.end(error, &config).attempts(), Some(1));
}

#[test]
fn a_large_page_of_an_adaptive_sync_waits_out_only_rate_limits() {
    let config = config();
    let mut attempts = Attempts::new(&config, 1, Retries::RateLimits);
    attempts.sent();
    assert!(attempts.after_failure(Error::timeout(30_000), 0.5).is_err(), "a timeout: ask for a smaller page instead");
    assert!(attempts.after_failure(rate_limit(), 0.5).is_ok(), "a rate limit is waited out");
}

#[test]
fn the_pace_books_each_attempt_as_many_calls_as_it_costs() {
    let config = config();
    let mut pacer = Pacer::new();
    let batch = Attempts::new(&config, 4, Retries::Transient);
    assert_eq!(batch.pace(&mut pacer, 1_000.0, 2.0), 0.0, "the first goes at once");
    assert_eq!(batch.pace(&mut pacer, 1_000.0, 2.0), 2_000.0, "four calls at 2 per second: the next in 2 s");
}

#[test]
fn no_error_of_a_call_carries_a_secret() {
    let config = config().app_secret("shh-app-secret").unwrap();
    let attempts = Attempts::new(&config, 1, Retries::Transient);
    let error = Error::network(format!("proxy said: token {TOKEN}, secret shh-app-secret"));
    let ended = attempts.end(error, &config).to_string();
    assert!(!ended.contains(TOKEN) && !ended.contains("shh-app-secret"), "{ended}");
    assert!(ended.contains("[redacted]"), "{ended}");
}

#[test]
fn a_url_that_would_carry_the_token_is_refused_before_sending() {
    let config = config();
    let request = |url: String| HttpRequest { method: Method::Get, url, headers: Vec::new(), body: None };
    let refused = refuse_secret_in_url(&config, &request(format!("https://graph.facebook.com/v21.0/1?after={TOKEN}")));
    assert!(refused.unwrap_err().to_string().contains("never travels in a URL"));
    assert!(refuse_secret_in_url(&config, &request("https://graph.facebook.com/v21.0/1?after=QVFI".into())).is_ok());
}

#[test]
fn an_answer_is_redacted_before_it_is_read() {
    let config = config();
    let body = format!(r#"{{"data":[{{"id":"t_1","snippet":"my token is {TOKEN}"}}]}}"#);
    let response = HttpResponse { status: 200, headers: ResponseHeaders::default(), body };
    let no_usage = UsageValues::parse(&ResponseHeaders::default());
    let page = read_answer::<serde_json::Value>(&config, response, &no_usage).unwrap();
    assert_eq!(page["data"][0]["snippet"], "my token is [redacted]");
    let response =
        HttpResponse { status: 500, headers: ResponseHeaders::default(), body: format!("<html>{TOKEN}</html>") };
    let error = read_answer::<serde_json::Value>(&config, response, &no_usage).unwrap_err();
    assert!(error.transient() && !error.to_string().contains(TOKEN), "{error}");
}

#[test]
fn an_instagram_user_token_refused_by_graph_facebook_com_is_pointed_to_graph_instagram_com() {
    let config = ClientConfig::new("IGAAJtest0instagram0user0token").unwrap();
    let refused = Error::graph_error(
        Some(400),
        GraphErrorBody { code: Some(190), message: "Invalid OAuth access token.".into(), ..Default::default() },
        None,
    );
    assert!(explain(&config, refused.clone()).to_string().contains("graph.instagram.com"));
    let page_token = ClientConfig::new(TOKEN).unwrap();
    assert!(!explain(&page_token, refused).to_string().contains("graph.instagram.com"));
}

#[test]
fn a_send_is_tried_again_only_when_the_graph_proves_it_did_not_take_it() {
    let config = config();
    let mut send = Attempts::new(&config, 1, Retries::Send);
    assert_eq!(send.pace(&mut Pacer::new(), 0.0, 2.0), 0.0, "sends are not paced");
    send.sent();
    let unknown = send.after_failure(Error::timeout(30_000), 0.5).unwrap_err();
    let unknown = send.end(unknown, &config);
    assert_eq!(unknown.delivery(), Some(Delivery::Unknown), "no answer: it may have gone out, so it is not sent again");
    assert_eq!(unknown.attempts(), Some(1));
    assert!(send.after_failure(Error::http(502, "bad gateway", None), 0.5).is_err(), "a 5xx is not proof either");
    assert!(send.after_failure(rate_limit(), 0.5).is_ok(), "a throttling code is");
    send.sent();
    let refused = send.end(rate_limit(), &config);
    assert_eq!((refused.delivery(), refused.attempts()), (Some(Delivery::NotSent), Some(2)));
    let aborted = send.end_aborted(&config);
    assert!(aborted.is_aborted());
    assert_eq!(aborted.delivery(), Some(Delivery::NotSent), "aborted while it waited: nothing went out since");
    let read = Attempts::new(&config, 1, Retries::Transient);
    assert_eq!(read.end_aborted(&config).delivery(), None, "a read has no delivery");
}
