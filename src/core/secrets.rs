//! The access token and the app secret on their way through the client:
//! the two places where they are scrubbed.
//!
//! - **On the way in**, [`Secrets::redact_body`] replaces them in every
//!   answer body before anything reads it. The Graph writes the token into
//!   `paging.next` links, and a proxy may echo a request back: after this,
//!   no page, object or error text the caller sees can hold them.
//! - **On the way out**, [`Secrets::redact_error`] scrubs every error that
//!   leaves a client call, whatever made it (a runtime's network message, a
//!   snippet of a body), including the first part of a secret that a cut
//!   snippet ends in.
//!
//! Before sending, [`Secrets::in_url`] refuses a request whose URL would
//! carry one (a `paging.next` link passed back as a cursor, say).

use crate::prelude::*;
use crate::text::cat;

use super::error::Error;
use super::quoted::{contains_text, replaced};

/// What stands in for a secret.
pub const REDACTED: &str = "[redacted]";

/// A body as a transport received it, before it is parsed: a JS string in
/// the wasm build (searched and replaced by the engine, never copied into
/// wasm memory), a `String` on the host.
pub trait BodyText: Sized {
    /// Whether `needle` stands in the text.
    fn contains(&self, needle: &str) -> bool;
    /// The text with every `from` replaced by `to`.
    #[must_use]
    fn replace_all(&self, from: &str, to: &str) -> Self;
    /// The first `max_chars` characters (UTF-16 units in JS), for an error
    /// message about a body that is not JSON.
    fn start(&self, max_chars: usize) -> String;
}

impl BodyText for String {
    fn contains(&self, needle: &str) -> bool {
        contains_text(self, needle)
    }
    fn replace_all(&self, from: &str, to: &str) -> Self {
        replaced(self, from, to)
    }
    fn start(&self, max_chars: usize) -> String {
        self.chars().take(max_chars).collect()
    }
}

/// The secrets of one client: its access token and, when given, its app
/// secret.
#[derive(Clone, Copy)]
pub struct Secrets<'a> {
    token: &'a str,
    app_secret: Option<&'a str>,
}

impl ::core::fmt::Debug for Secrets<'_> {
    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
        f.write_str("Secrets([redacted])")
    }
}

impl<'a> Secrets<'a> {
    /// The secrets to keep out of everything the caller sees.
    pub fn new(token: &'a str, app_secret: Option<&'a str>) -> Self {
        Self { token, app_secret }
    }

    /// Each secret that is set.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> {
        [Some(self.token), self.app_secret].into_iter().flatten().filter(|s| !s.is_empty())
    }

    /// Whether `url` would carry a secret.
    pub fn in_url(&self, url: &str) -> bool {
        self.iter().any(|secret| contains_text(url, secret))
    }

    /// The way in: `body` with every secret replaced by `[redacted]`,
    /// before it is parsed or quoted.
    #[must_use]
    pub fn redact_body<T: BodyText>(&self, body: T) -> T {
        self.iter()
            .fold(body, |body, secret| if body.contains(secret) { body.replace_all(secret, REDACTED) } else { body })
    }

    /// The way out: `error` with every secret, and the first part of one
    /// that a cut snippet ends in, replaced in each of its texts.
    #[must_use]
    pub fn redact_error(&self, mut error: Error) -> Error {
        for text in error.texts_mut() {
            for secret in self.iter() {
                if contains_text(text, secret) {
                    *text = replaced(text, secret, REDACTED);
                }
                scrub_cut_secret(text, secret);
            }
        }
        error
    }
}

/// A snippet cut at its end (`…`) can end in the first part of a secret,
/// which a search for the whole secret misses: that part goes too.
fn scrub_cut_secret(text: &mut String, secret: &str) {
    const MIN_PART: usize = 6;
    let Some(body) = text.strip_suffix('…') else { return };
    let longest = (MIN_PART.min(secret.len())..secret.len())
        .rev()
        .find(|&len| secret.get(..len).is_some_and(|part| body.ends_with(part)));
    if let Some(len) = longest {
        *text = cat!(body.get(..body.len() - len).unwrap_or_default(), REDACTED, "…");
    }
}
