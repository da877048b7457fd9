//! The client's settings (`new GraphClient({…})`), checked once.

use crate::prelude::*;
use crate::text::{cat, split_byte, split_once_byte, trim_end_byte};

use super::auth::{check_proof, AccessToken, AppSecret};
use super::error::Error;
use super::quoted::quoted;

use super::options::{CALLS_PER_SECOND, MAX_RETRIES, MAX_RETRY_DELAY_MS, RETRY_DELAY_MS, TIMEOUT_MS};
pub use super::options::{DEFAULT_API_VERSION, DEFAULT_BASE_URL};
use super::secrets::Secrets;

/// Where the access token travels. Never in a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TokenIn {
    /// `Authorization: Bearer …` on a `GET`: the usual form on servers and
    /// at the edge. In a browser it makes the request "non-simple", so the
    /// browser first sends a CORS preflight (`OPTIONS`).
    #[default]
    Header,
    /// A form-encoded `POST` with `method=GET` and `access_token` in the
    /// body: what Meta's own web code sends. The Graph reads it as a `GET`,
    /// and it is a CORS "simple" request, so a browser sends no preflight.
    Body,
}

impl TokenIn {
    /// Reads `"header"` or `"body"`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for anything else.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "header" => Ok(Self::Header),
            "body" => Ok(Self::Body),
            other => Err(Error::invalid_argument(cat!(
                "invalid tokenIn ",
                quoted(other),
                ": expected \"header\" or \"body\""
            ))),
        }
    }
}

/// Everything a client needs to build and send requests.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The token, sent as `Authorization: Bearer …` or in a form body.
    pub access_token: AccessToken,
    /// Where the token travels.
    pub token_in: TokenIn,
    /// The app secret, kept only to compute the proof and to redact it.
    pub app_secret: Option<AppSecret>,
    /// `appsecret_proof`, sent with every call when set.
    pub appsecret_proof: Option<String>,
    /// `v24.0`, …
    pub api_version: String,
    /// `https://graph.facebook.com`, a proxy or a local mock; no trailing `/`.
    pub base_url: String,
    /// Per HTTP request.
    pub timeout_ms: u64,
    /// How many times a transient failure is retried.
    pub max_retries: u32,
    /// The first retry's longest wait (exponential backoff, full jitter).
    pub retry_delay_ms: u64,
    /// The longest single wait; a longer one asked by the Graph is not waited.
    pub max_retry_delay_ms: u64,
    /// Pacing per access token; 0 turns it off.
    pub calls_per_second: f64,
}

impl ClientConfig {
    /// Settings with every default, for `token`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a token that cannot travel in a header.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        Ok(Self {
            access_token: AccessToken::new(token)?,
            token_in: TokenIn::default(),
            app_secret: None,
            appsecret_proof: None,
            api_version: DEFAULT_API_VERSION.into(),
            base_url: DEFAULT_BASE_URL.into(),
            timeout_ms: u64::from(TIMEOUT_MS.default_whole()),
            max_retries: MAX_RETRIES.default_whole(),
            retry_delay_ms: u64::from(RETRY_DELAY_MS.default_whole()),
            max_retry_delay_ms: u64::from(MAX_RETRY_DELAY_MS.default_whole()),
            calls_per_second: CALLS_PER_SECOND.default.unwrap_or(0.0),
        })
    }

    /// Uses Graph API version `version` (`v21.0`, `v24.0`, …).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless it reads `v<major>.<minor>`.
    pub fn api_version(mut self, version: &str) -> Result<Self, Error> {
        let digits = version.strip_prefix('v').and_then(|rest| split_once_byte(rest, b'.'));
        let ok = digits.is_some_and(|(major, minor)| {
            [major, minor]
                .iter()
                .all(|part| !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit()))
        });
        if !ok {
            return Err(Error::invalid_argument(cat!(
                "invalid apiVersion ",
                quoted(version),
                ": expected a Graph version such as \"v24.0\""
            )));
        }
        self.api_version = version.into();
        Ok(self)
    }

    /// Sends calls to `url` instead of graph.facebook.com: a proxy, or a
    /// local mock. It may carry a path prefix; a trailing `/` is dropped.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless it is an `http://` or `https://` URL
    /// without user info, query or fragment.
    pub fn base_url(mut self, url: &str) -> Result<Self, Error> {
        let trimmed = trim_end_byte(url, b'/');
        let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
        let ok = rest.is_some_and(|rest| {
            let host = split_byte(rest, b'/').next().unwrap_or("");
            !host.is_empty()
                && !host.bytes().any(|b| b == b'@')
                && rest.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'\\'))
        });
        if !ok {
            return Err(Error::invalid_argument(
                "invalid baseUrl: expected an http:// or https:// URL without credentials, query or fragment",
            ));
        }
        self.base_url = trimmed.into();
        Ok(self)
    }

    /// Signs every call with `appsecret_proof` computed from `secret`. Keep
    /// app secrets on servers and edge workers, never in a browser page.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an empty or non-printable secret.
    pub fn app_secret(mut self, secret: &str) -> Result<Self, Error> {
        let secret = AppSecret::new(secret)?;
        self.appsecret_proof = Some(self.access_token.proof(&secret));
        self.app_secret = Some(secret);
        Ok(self)
    }

    /// Sends a precomputed `appsecret_proof` with every call.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless it is 64 hex digits.
    pub fn app_secret_proof(mut self, proof: &str) -> Result<Self, Error> {
        check_proof(proof)?;
        self.appsecret_proof = Some(proof.to_ascii_lowercase());
        Ok(self)
    }

    /// Sends the token in a header or in a form body (see [`TokenIn`]).
    pub fn token_in(mut self, token_in: TokenIn) -> Self {
        self.token_in = token_in;
        self
    }

    /// Per-request timeout; range and default: [`TIMEOUT_MS`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn timeout_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.timeout_ms = u64::from(TIMEOUT_MS.check_whole(ms)?);
        Ok(self)
    }

    /// Retries of transient failures; range and default: [`MAX_RETRIES`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn max_retries(mut self, retries: f64) -> Result<Self, Error> {
        self.max_retries = MAX_RETRIES.check_whole(retries)?;
        Ok(self)
    }

    /// The first retry's longest wait; later retries double it, with full
    /// jitter. Range and default: [`RETRY_DELAY_MS`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn retry_delay_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.retry_delay_ms = u64::from(RETRY_DELAY_MS.check_whole(ms)?);
        Ok(self)
    }

    /// The longest single wait before a retry ([`MAX_RETRY_DELAY_MS`]). When the
    /// Graph asks for a longer wait (a rate limit's regain time), the call is
    /// not retried and its error says how long to wait.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn max_retry_delay_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.max_retry_delay_ms = u64::from(MAX_RETRY_DELAY_MS.check_whole(ms)?);
        Ok(self)
    }

    /// Calls per second per access token; 0 turns pacing off. Range and
    /// default: [`CALLS_PER_SECOND`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn calls_per_second(mut self, rate: f64) -> Result<Self, Error> {
        self.calls_per_second = CALLS_PER_SECOND.check(rate)?;
        Ok(self)
    }

    /// The token and app secret, to keep out of everything the caller sees.
    pub fn secrets(&self) -> Secrets<'_> {
        Secrets::new(self.access_token.expose(), self.app_secret.as_ref().map(AppSecret::expose))
    }
}
