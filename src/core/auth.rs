//! The access token and the app secret: kept out of every URL, log, `Debug`
//! string and error message, and turned into `appsecret_proof`.
//!
//! See <https://developers.facebook.com/docs/graph-api/securing-requests#appsecret_proof>.

use crate::prelude::*;
use crate::text::cat;

use ::core::fmt;

use super::error::Error;
use super::sha256::{hex, hmac_sha256};

/// A Page (or Instagram) access token. Travels only in the
/// `Authorization` header; its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Checks that `token` can travel in an HTTP header: not empty, printable
    /// ASCII, no white space.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] otherwise; the message does not repeat it.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = token.into();
        check_secret("accessToken", &token, MIN_TOKEN_CHARS)?;
        Ok(Self(token))
    }

    /// The token itself, for the `Authorization` header and for redaction.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        cat!("Bearer ", self.0)
    }

    /// `appsecret_proof`: hex HMAC-SHA256 of the token, keyed by the app
    /// secret.
    pub fn proof(&self, app_secret: &AppSecret) -> String {
        appsecret_proof(&self.0, &app_secret.0)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([redacted])")
    }
}

/// An app secret: used only to compute `appsecret_proof`, never sent.
#[derive(Clone, PartialEq, Eq)]
pub struct AppSecret(String);

impl AppSecret {
    /// Checks that `secret` is a plausible app secret.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty or non-printable value.
    pub fn new(secret: impl Into<String>) -> Result<Self, Error> {
        let secret = secret.into();
        check_secret("appSecret", &secret, MIN_APP_SECRET_CHARS)?;
        Ok(Self(secret))
    }

    /// The secret itself, for redaction.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AppSecret([redacted])")
    }
}

/// The shortest access token accepted. Real ones are far longer (a Page
/// token has about 200 characters); a short dummy such as `"token"` would
/// be found inside ordinary words, so every text the client redacts would
/// be garbled and every URL refused.
pub const MIN_TOKEN_CHARS: usize = 16;
/// The shortest app secret accepted (real ones are 32 hex digits), for the
/// same reason.
pub const MIN_APP_SECRET_CHARS: usize = 12;

fn check_secret(name: &str, value: &str, min_chars: usize) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_argument(cat!(name, " is empty")));
    }
    if value.starts_with("Bearer ") || value.starts_with("OAuth ") {
        return Err(Error::invalid_argument(cat!(name, " must be the token alone, without \"Bearer \" or \"OAuth \"")));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_argument(cat!(
            name,
            " contains white space or a character that is not printable ASCII"
        )));
    }
    if value.len() < min_chars {
        return Err(Error::invalid_argument(cat!(
            name,
            " is ",
            value.len(),
            " characters long, too short to be real (real ones have ",
            min_chars,
            " or more; a Page access token about 200): pass the whole value; against a mock, any printable \
             string of ",
            min_chars,
            " characters or more works"
        )));
    }
    Ok(())
}

/// Checks a precomputed `appsecret_proof`: 64 hex digits.
///
/// # Errors
/// [`Error::InvalidArgument`] otherwise.
pub fn check_proof(proof: &str) -> Result<(), Error> {
    if proof.len() == 64 && proof.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Error::invalid_argument("appSecretProof must be 64 hex digits (HMAC-SHA256 of the token)"))
    }
}

/// Hex HMAC-SHA256 of `token` with `app_secret` as the key.
pub fn appsecret_proof(token: &str, app_secret: &str) -> String {
    hex(&hmac_sha256(app_secret.as_bytes(), token.as_bytes()))
}
