//! One Graph call from its first attempt to its end: the pace, the
//! attempts, when to try again, and what an answer is. Pure: whoever
//! drives a call (the async [`Client`](crate::client::Client) over a
//! transport, or the JS driver of the wasm facade) sends, waits and reads
//! the clock; [`Attempts`] only says what to do next.
//!
//! A driver's loop, for a request that passed [`refuse_secret_in_url`]:
//!
//! 1. wait [`Attempts::pace`] ms (the token's budget), then send, counting
//!    it with [`Attempts::sent`];
//! 2. read the answer with [`read_answer`] (or take the transport's
//!    failure), and check its shape;
//! 3. on a failure, [`Attempts::after_failure`] says how long to wait
//!    before step 1 again, or hands back the error to end with;
//! 4. every error the call ends with goes out through [`Attempts::end`].
//!
//! A send ([`Retries::Send`]) follows the same loop under the Send API's
//! rule: it is never sent twice.

use super::config::ClientConfig;
use super::error::{Delivery, Error};
use super::json::Json;
use super::quoted::contains_text;
use super::request::HttpRequest;
use super::response::{read_body, read_response, HttpResponse};
use super::retry::{Pacer, RetryPolicy};
use super::send::send_may_retry;
use super::usage::UsageValues;

/// Refuses a request whose URL would carry the token or the app secret (a
/// `paging.next` link passed as a cursor, an id that is the token): they
/// never travel in a URL.
///
/// # Errors
/// [`Error::InvalidArgument`], before anything is sent.
pub fn refuse_secret_in_url(config: &ClientConfig, request: &HttpRequest) -> Result<(), Error> {
    if config.secrets().in_url(&request.url) {
        return Err(Error::invalid_argument(
            "a cursor, id or field holds the access token or app secret, which never travels in a URL",
        ));
    }
    Ok(())
}

/// Which failures a call tries again after (each within the retry
/// policy's count and longest wait).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retries {
    /// Every transient failure: a read.
    Transient,
    /// Rate limits only: an adaptive sync's large page, for which a
    /// timeout or a 5xx ends the call and a smaller page is asked for.
    RateLimits,
    /// A Send API call, never sent twice: tried again only after an error
    /// body with a throttling code, which proves the Graph did not take
    /// it. Sends are not held to the Conversations API's pace, and every
    /// error says whether the message went out ([`Error::delivery`]).
    Send,
}

/// The attempts of one call: how many were sent, and whether another may
/// follow a failure.
#[derive(Clone, Copy, Debug)]
pub struct Attempts {
    policy: RetryPolicy,
    /// What one attempt costs in the token's budget (a batch: its items).
    calls: u32,
    retries: Retries,
    sent: u32,
}

impl Attempts {
    /// A call of `calls` Graph calls under `config`'s retry policy, tried
    /// again after the failures `retries` names.
    pub fn new(config: &ClientConfig, calls: u32, retries: Retries) -> Self {
        Self { policy: RetryPolicy::of(config), calls, retries, sent: 0 }
    }

    /// Books the next attempt in the token's `pacer` at `now_ms`: how many
    /// milliseconds to wait before sending it (0: at once; always for a
    /// send).
    pub fn pace(&self, pacer: &mut Pacer, now_ms: f64, calls_per_second: f64) -> f64 {
        match self.retries {
            Retries::Send => 0.0,
            _ => pacer.reserve(now_ms, self.calls, calls_per_second),
        }
    }

    /// Counts an attempt as sent.
    pub fn sent(&mut self) {
        self.sent += 1;
    }

    /// After the last attempt failed with `error`: `Ok(ms)` to wait that
    /// long and try again, or `Err(error)` to end the call with it.
    /// `random` is uniform in `[0, 1)`, for the backoff's jitter.
    ///
    /// # Errors
    /// `error` itself when it is not transient, the retries are used up,
    /// or the Graph asks for a longer wait than the policy allows.
    pub fn after_failure(&self, error: Error, random: f64) -> Result<f64, Error> {
        let may_retry = match self.retries {
            Retries::Transient => true,
            Retries::RateLimits => error.rate_limited(),
            Retries::Send => send_may_retry(&error),
        };
        let delay = if may_retry { self.policy.delay_ms(&error, self.sent, random) } else { None };
        delay.map(|ms| ms as f64).ok_or(error)
    }

    /// The error the call ends with: how many attempts were sent, what the
    /// Graph's words leave out ([`explain`]), and no secret in any text;
    /// for a send, whether the message went out: only a Graph error body
    /// says it did not. Every error of a call leaves through here.
    pub fn end(&self, error: Error, config: &ClientConfig) -> Error {
        let mut error = error.with_attempts(self.sent);
        if self.retries == Retries::Send {
            let delivery = if error.graph().is_some() { Delivery::NotSent } else { Delivery::Unknown };
            error = error.with_delivery(delivery);
        }
        config.secrets().redact_error(explain(config, error))
    }

    /// The error of a call that the caller aborted while it waited (for
    /// the pace, or before a retry): no request was under way, so a send
    /// did not go out since the last refusal.
    pub fn end_aborted(&self, config: &ClientConfig) -> Error {
        let error = Error::aborted().with_attempts(self.sent);
        let error = match self.retries {
            Retries::Send => error.with_delivery(Delivery::NotSent),
            _ => error,
        };
        config.secrets().redact_error(error)
    }
}

/// Reads one answer as a transport received it, with its parsed usage
/// headers: the body redacted before anything parses or quotes it, then
/// the JSON of a success or the error it stands for.
///
/// # Errors
/// The error the answer stands for (see [`read_response`]).
pub fn read_answer<J: Json>(
    config: &ClientConfig,
    response: HttpResponse<J::Text>,
    usage: &UsageValues<J>,
) -> Result<J, Error> {
    let text = config.secrets().redact_body(response.body);
    read_response(HttpResponse { status: response.status, headers: response.headers, body: read_body(&text) }, usage)
}

/// Adds what the Graph's own words leave out: an Instagram User token
/// (`IGAA…`) refused by graph.facebook.com belongs on graph.instagram.com.
pub fn explain(config: &ClientConfig, error: Error) -> Error {
    let token = config.access_token.expose();
    let instagram_token = token.starts_with("IGAA") || token.starts_with("IGQ");
    if instagram_token
        && error.graph().and_then(|b| b.code) == Some(190)
        && contains_text(&config.base_url, "graph.facebook.com")
    {
        return error.with_hint(
            "this is an Instagram User token (Instagram API with Instagram Login): send it to \
             baseUrl \"https://graph.instagram.com\", with \"me\" or the account's id",
        );
    }
    error
}
