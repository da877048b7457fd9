//! Every bounded option of the client, the list calls and the sync —
//! its name as JS spells it, its range and its default — declared once.
//! The builders of [`ClientConfig`](super::config::ClientConfig) and
//! [`SyncOptions`](super::sync::SyncOptions), the query checks and the JS
//! facade all check through these, so Rust and JS callers get one contract.

use crate::prelude::*;
use crate::text::{cat, trim_end_byte, Padded};

use super::error::Error;

/// A number option: whole or not, within `min..=max`, with its default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberOption {
    /// The option's name as JS spells it (`timeoutMs`).
    pub name: &'static str,
    /// The smallest value accepted.
    pub min: f64,
    /// The largest value accepted.
    pub max: f64,
    /// Whether only whole numbers are accepted.
    pub whole: bool,
    /// `0` is accepted too, below `min`, and turns the feature off.
    pub zero_is_off: bool,
    /// The value when the option is not given; `None` for "no bound".
    pub default: Option<f64>,
}

impl NumberOption {
    /// `value` when it is in range.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the option and its range.
    #[inline(never)]
    pub fn check(&self, value: f64) -> Result<f64, Error> {
        let in_range = value.is_finite()
            && (!self.whole || value.fract() == 0.0)
            && ((self.min..=self.max).contains(&value) || (self.zero_is_off && value == 0.0));
        if in_range {
            Ok(value)
        } else {
            Err(Error::invalid_argument(cat!("invalid ", self.name, ": expected ", self.expected())))
        }
    }

    /// `value` as a whole number, when it is one in range.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the option and its range.
    pub fn check_whole(&self, value: f64) -> Result<u32, Error> {
        self.check(value).map(|v| v as u32)
    }

    /// What the option accepts, in words.
    pub fn expected(&self) -> String {
        let kind = if self.whole { "a whole number" } else { "a number" };
        let off = if self.zero_is_off { "0 (off) or " } else { "" };
        cat!(off, kind, " from ", bound_text(self.min), " to ", bound_text(self.max))
    }

    /// The default, as a whole number (0 when there is none).
    pub const fn default_whole(&self) -> u32 {
        match self.default {
            Some(value) => value as u32,
            None => 0,
        }
    }
}

/// A bound as `Display` writes it (`0.01`, `1000`), with integer formatting
/// only: formatting an `f64` would link Rust's float formatter (about 15 KB)
/// into the wasm build for these few constants. Bounds have at most six
/// decimals.
fn bound_text(value: f64) -> String {
    let micros = (value * 1e6).round() as i64;
    let (whole, fraction) = (micros / 1_000_000, micros % 1_000_000);
    if fraction == 0 {
        return cat!(whole);
    }
    let digits = cat!(Padded(fraction.unsigned_abs(), 6));
    cat!(whole, ".", trim_end_byte(&digits, b'0'))
}

const fn whole(name: &'static str, min: u32, max: u32, default: Option<u32>) -> NumberOption {
    let default = match default {
        Some(value) => Some(value as f64),
        None => None,
    };
    NumberOption { name, min: min as f64, max: max as f64, whole: true, zero_is_off: false, default }
}

/// Per HTTP request, in milliseconds: 1 ms to 10 minutes, default 30 s.
pub const TIMEOUT_MS: NumberOption = whole("timeoutMs", 1, 600_000, Some(30_000));
/// Retries of transient failures: 0 to 10, default 3.
pub const MAX_RETRIES: NumberOption = whole("maxRetries", 0, 10, Some(3));
/// The first retry's longest wait (later ones double, full jitter): 0 ms to
/// 10 minutes, default 1 s.
pub const RETRY_DELAY_MS: NumberOption = whole("retryDelayMs", 0, 600_000, Some(1_000));
/// The longest single wait before a retry: 0 ms to 1 hour, default 30 s. A
/// longer wait asked by the Graph is not waited: the call rejects with
/// `retryAfterMs`.
pub const MAX_RETRY_DELAY_MS: NumberOption = whole("maxRetryDelayMs", 0, 3_600_000, Some(30_000));
/// Calls per second per access token: 0 (pacing off) or 0.01 to 1000,
/// default 2 — the Conversations API's budget per Page. A rate near zero
/// would hold every call for ever.
pub const CALLS_PER_SECOND: NumberOption = NumberOption {
    name: "callsPerSecond",
    min: 0.01,
    max: 1000.0,
    whole: false,
    zero_is_off: true,
    default: Some(2.0),
};
/// Items per page of a list call: 1 to 500. The Graph caps larger values
/// silently (reportedly 200 conversations, 100 messages); no default, the
/// Graph's own (25) applies.
pub const LIMIT: NumberOption = whole("limit", 1, 500, None);
/// How many of each thread's newest messages a sync reads: 1 to 100,000,
/// or [`ALL_MESSAGES`] (`"all"` in JS); default 20 (the Graph gives details
/// for the 20 newest). Up to 100 come with the thread's own call; the rest
/// are read from the thread's messages edge, 100 a call.
pub const MESSAGES_PER_CONVERSATION: NumberOption = whole("messagesPerConversation", 1, 100_000, Some(20));
/// `messagesPerConversation: "all"`: every message of each thread.
pub const ALL_MESSAGES: u32 = u32::MAX;
/// The most messages one call returns (nested in a conversations page, or
/// a page of a thread's messages edge).
pub const MESSAGES_PER_CALL: u32 = 100;
/// Conversations per sync call: 1 to 100. Left out, a sync starts at 100
/// (the largest page the Graph serves with nested messages) and adapts:
/// it halves the page when the Graph struggles and grows back after
/// successes, remembering per account what worked.
pub const PAGE_SIZE: NumberOption = whole("pageSize", 1, 100, Some(100));
/// Sync calls in flight at once: 1 to 16, default 4.
pub const CONCURRENCY: NumberOption = whole("concurrency", 1, 16, Some(4));
/// The most calls one sync makes (a Worker's subrequest budget): 1 to
/// 100,000; no bound by default.
pub const MAX_REQUESTS: NumberOption = whole("maxRequests", 1, 100_000, None);

/// Messages an `Inbox` keeps per conversation, the newest: 1 to 10,000,
/// default 200.
pub const MAX_MESSAGES_PER_CONVERSATION: NumberOption = whole("maxMessagesPerConversation", 1, 10_000, Some(200));

/// The Graph API version used when none is given.
pub const DEFAULT_API_VERSION: &str = "v27.0";
/// The Graph's address.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
