//! When to try a failed call again, and how long to wait first; and the
//! pacing that keeps calls within the Graph's per-Page budget. Pure
//! arithmetic: the clock and the randomness come from the caller.
//!
//! See <https://developers.facebook.com/docs/graph-api/overview/rate-limiting>.

use crate::prelude::*;

use ::core::cell::RefCell;
use alloc::rc::Rc;

use super::config::ClientConfig;
use super::error::Error;
use super::sha256::sha256;

/// Backoff settings: exponential with full jitter, capped, never shorter
/// than what the Graph asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first retry waits up to this long; each later one up to twice as
    /// long as the one before.
    pub base_delay_ms: u64,
    /// The longest single wait. When the Graph asks for a longer one, the
    /// call is not retried: the caller gets the error and its `retryAfterMs`.
    pub max_delay_ms: u64,
}

impl RetryPolicy {
    /// The policy of `config`.
    pub fn of(config: &ClientConfig) -> Self {
        Self {
            max_retries: config.max_retries,
            base_delay_ms: config.retry_delay_ms,
            max_delay_ms: config.max_retry_delay_ms,
        }
    }

    /// How long to wait before retry number `retry` (1 for the first) after
    /// `error`, or `None` when the call should not be tried again: the error
    /// is not transient, the retries are used up, or the Graph asks for a
    /// longer wait than [`RetryPolicy::max_delay_ms`]. `random` is uniform
    /// in `[0, 1)`.
    pub fn delay_ms(&self, error: &Error, retry: u32, random: f64) -> Option<u64> {
        if !error.transient() || retry == 0 || retry > self.max_retries {
            return None;
        }
        let asked = error.retry_after_ms().unwrap_or(0);
        if asked > self.max_delay_ms {
            return None;
        }
        let doubling = 1u64.checked_shl(retry - 1).unwrap_or(u64::MAX);
        let ceiling = self.base_delay_ms.saturating_mul(doubling).min(self.max_delay_ms);
        // Full jitter: spreads the retries of many clients hit at once.
        let jittered = (ceiling as f64 * random.clamp(0.0, 1.0)) as u64;
        Some(jittered.max(asked))
    }
}

/// Spaces the calls made with one access token so that no more than
/// `calls_per_second` start in any second: the Conversations API allows 2
/// per second per Page (and per Instagram professional account).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pacer {
    /// When the next call may start, in the caller's clock (ms).
    next_start_ms: f64,
}

impl Pacer {
    /// A pacer with no call made yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no call is held back any more at `now_ms`: forgetting this
    /// pace loses nothing.
    pub fn is_idle(&self, now_ms: f64) -> bool {
        self.next_start_ms <= now_ms
    }

    /// Books `calls` calls (a batch request counts each item) starting as
    /// soon as the budget allows, at `now_ms` or later, and returns how long
    /// to wait before sending. A rate of 0 turns pacing off.
    pub fn reserve(&mut self, now_ms: f64, calls: u32, calls_per_second: f64) -> f64 {
        if calls_per_second <= 0.0 || !calls_per_second.is_finite() || !now_ms.is_finite() {
            return 0.0;
        }
        let start = self.next_start_ms.max(now_ms);
        self.next_start_ms = start + f64::from(calls.max(1)) * 1000.0 / calls_per_second;
        start - now_ms
    }
}

/// One pace per access token, shared by every client of a realm that uses
/// the token: the Graph's budget is per Page, not per client. Keyed by a
/// hash of the token, so the registry holds no copy of it.
///
/// A pace stays while a client holds it or while it still holds back a
/// call (its next start is in the future); each lookup drops the others, so
/// a long-lived Worker that makes a client per request keeps only the paces
/// in use, however many tokens it has seen.
#[derive(Debug, Default)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the JS facade holds it
pub struct Paces {
    by_token: Vec<([u8; 32], Rc<RefCell<Pacer>>)>,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Paces {
    /// No pace yet (a `static`'s starting value).
    pub const fn new() -> Self {
        Self { by_token: Vec::new() }
    }

    /// The pace of `token`, shared with every other holder; forgets the
    /// paces nobody holds that hold nothing back at `now_ms`.
    pub fn pace_for(&mut self, token: &str, now_ms: f64) -> Rc<RefCell<Pacer>> {
        self.by_token.retain(|(_, pacer)| Rc::strong_count(pacer) > 1 || !pacer.borrow().is_idle(now_ms));
        let key = sha256(token.as_bytes());
        // Few tokens are in use at once: a scan is all the lookup needs.
        if let Some((_, pacer)) = self.by_token.iter().find(|(k, _)| *k == key) {
            return pacer.clone();
        }
        let pacer = Rc::default();
        self.by_token.push((key, Rc::clone(&pacer)));
        pacer
    }

    /// How many paces are kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.by_token.len()
    }
}
