//! The client's settings (`new GraphClient({…})`), checked once.

use super::auth::{check_proof, AccessToken, AppSecret};
use super::error::Error;

/// The Graph API version used when none is given.
pub const DEFAULT_API_VERSION: &str = "v24.0";
/// The Graph's address.
pub const DEFAULT_BASE_URL: &str = "https://graph.facebook.com";
/// Per-request timeout when none is given.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// Retries of transient failures when none is given.
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// The first retry's longest wait when none is given; later ones double.
pub const DEFAULT_RETRY_DELAY_MS: u64 = 1_000;
/// The longest single wait before a retry when none is given.
pub const DEFAULT_MAX_RETRY_DELAY_MS: u64 = 30_000;
/// The documented Conversations API budget: 2 calls per second per Page.
pub const DEFAULT_CALLS_PER_SECOND: f64 = 2.0;

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
            other => {
                Err(Error::invalid_argument(format!("invalid tokenIn {other:?}: expected \"header\" or \"body\"")))
            }
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
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_delay_ms: DEFAULT_RETRY_DELAY_MS,
            max_retry_delay_ms: DEFAULT_MAX_RETRY_DELAY_MS,
            calls_per_second: DEFAULT_CALLS_PER_SECOND,
        })
    }

    /// Uses Graph API version `version` (`v21.0`, `v24.0`, …).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless it reads `v<major>.<minor>`.
    pub fn api_version(mut self, version: &str) -> Result<Self, Error> {
        let digits = version.strip_prefix('v').and_then(|rest| rest.split_once('.'));
        let ok = digits.is_some_and(|(major, minor)| {
            [major, minor]
                .iter()
                .all(|part| !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit()))
        });
        if !ok {
            return Err(Error::invalid_argument(format!(
                "invalid apiVersion {version:?}: expected a Graph version such as \"v24.0\""
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
        let trimmed = url.trim_end_matches('/');
        let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
        let ok = rest.is_some_and(|rest| {
            let host = rest.split('/').next().unwrap_or("");
            !host.is_empty()
                && !host.contains('@')
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

    /// Per-request timeout, 1 ms to 10 minutes.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn timeout_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.timeout_ms = whole_in_range("timeoutMs", ms, 1.0, 600_000.0)? as u64;
        Ok(self)
    }

    /// Retries of transient failures, 0 to 10.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn max_retries(mut self, retries: f64) -> Result<Self, Error> {
        self.max_retries = whole_in_range("maxRetries", retries, 0.0, 10.0)? as u32;
        Ok(self)
    }

    /// The first retry's longest wait, 0 ms to 10 minutes; later retries
    /// double it, with full jitter.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn retry_delay_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.retry_delay_ms = whole_in_range("retryDelayMs", ms, 0.0, 600_000.0)? as u64;
        Ok(self)
    }

    /// The longest single wait before a retry, 0 ms to 1 hour. When the
    /// Graph asks for a longer wait (a rate limit's regain time), the call is
    /// not retried and its error says how long to wait.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] outside that range.
    pub fn max_retry_delay_ms(mut self, ms: f64) -> Result<Self, Error> {
        self.max_retry_delay_ms = whole_in_range("maxRetryDelayMs", ms, 0.0, 3_600_000.0)? as u64;
        Ok(self)
    }

    /// Calls per second per access token; 0 turns pacing off.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a rate other than 0 or 0.01 to 1000.
    pub fn calls_per_second(mut self, rate: f64) -> Result<Self, Error> {
        // A rate near zero would hold every call for ever.
        if !(rate == 0.0 || (0.01..=1000.0).contains(&rate)) {
            return Err(Error::invalid_argument("invalid callsPerSecond: expected 0 (off) or 0.01 to 1000"));
        }
        self.calls_per_second = rate;
        Ok(self)
    }

    /// The strings that must never appear in a message or log.
    pub fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.access_token.expose()];
        secrets.extend(self.app_secret.as_ref().map(AppSecret::expose));
        secrets
    }
}

fn whole_in_range(name: &str, value: f64, min: f64, max: f64) -> Result<f64, Error> {
    if value.is_finite() && value.fract() == 0.0 && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid_argument(format!("invalid {name}: expected a whole number from {min} to {max}")))
    }
}
