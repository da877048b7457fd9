//! The one error type of the crate, and whether trying again can help.
//!
//! Every failure — an error object from the Graph, an unexpected HTTP
//! answer, the network, a timeout, an abort, a body of the wrong shape, a bad
//! argument caught before sending — is one [`Error`], so callers branch on
//! [`Error::kind`] and [`Error::transient`] instead of on strings. In JS it
//! becomes a `GraphError` with the same fields.

use std::fmt;

/// What kind of failure an [`Error`] is; `GraphError.kind` in JS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The Graph answered with an error object (`{"error":{…}}`).
    Graph,
    /// A non-JSON or otherwise unexpected HTTP answer (a proxy's HTML page).
    Http,
    /// The request did not get an answer: DNS, connection, CORS, reset.
    Network,
    /// No answer within `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A body that does not have the Graph's shape.
    Decode,
    /// A bad argument, caught before anything was sent.
    InvalidArgument,
}

impl ErrorKind {
    /// The name JS sees in `GraphError.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Graph => "graph",
            Self::Http => "http",
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Aborted => "aborted",
            Self::Decode => "decode",
            Self::InvalidArgument => "invalid_argument",
        }
    }
}

/// The Graph's error object: `{"error":{"message","type","code",
/// "error_subcode","error_user_title","error_user_msg","fbtrace_id",
/// "is_transient"}}`. Every field but `message` is optional in real answers.
///
/// See <https://developers.facebook.com/docs/graph-api/guides/error-handling>.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphErrorBody {
    /// `message`: what went wrong, in the Graph's words.
    pub message: String,
    /// `type`: `OAuthException`, `GraphMethodException`, `IGApiException`, …
    pub error_type: Option<String>,
    /// `code`: 100, 190, 613, 80006, …
    pub code: Option<i64>,
    /// `error_subcode`: 33, 463, …
    pub subcode: Option<i64>,
    /// `error_user_title`: a title to show a person.
    pub user_title: Option<String>,
    /// `error_user_msg`: a message to show a person.
    pub user_message: Option<String>,
    /// `fbtrace_id`: what Meta's support asks for.
    pub fbtrace_id: Option<String>,
    /// `is_transient`: the Graph's own word on whether to retry.
    pub is_transient: Option<bool>,
}

/// Graph error codes that mean "too many calls, wait": application (4), user
/// (17), Page (32), API-specific (613) and the business-use-case throttles
/// 80000–80014 (80001 Pages, 80002 Instagram, 80006 Messenger, …).
pub fn is_rate_limit_code(code: i64) -> bool {
    matches!(code, 4 | 17 | 32 | 613 | 80000..=80014)
}

/// Codes the Graph uses for a temporary fault on its side.
fn is_temporary_code(code: i64) -> bool {
    matches!(code, 1 | 2)
}

impl GraphErrorBody {
    /// Whether asking again later can succeed: the Graph's own
    /// `is_transient` when present, otherwise rate limits and temporary
    /// faults are, except code 1 "reduce the amount of data", which fails
    /// again for the same request.
    pub fn transient(&self, status: Option<u16>) -> bool {
        if let Some(said) = self.is_transient {
            return said;
        }
        match self.code {
            Some(1) if self.asks_for_less_data() => false,
            Some(code) if is_rate_limit_code(code) || is_temporary_code(code) => true,
            Some(_) => false,
            None => status.is_some_and(|s| s >= 500),
        }
    }
}

impl GraphErrorBody {
    /// Code 1 "Please reduce the amount of data you're asking for": the
    /// phrase can stand in `message` or only in the user-facing texts.
    pub fn asks_for_less_data(&self) -> bool {
        [Some(&self.message), self.user_title.as_ref(), self.user_message.as_ref()]
            .into_iter()
            .flatten()
            .any(|text| text.contains("reduce the amount of data"))
    }
}

/// A failed Graph call, or a call that was never sent. See [`ErrorKind`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The Graph answered with an error object.
    Graph {
        /// The HTTP status it came with.
        status: Option<u16>,
        /// The error object.
        body: GraphErrorBody,
        /// How long the usage headers said to wait, in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// An HTTP answer that is not the Graph's JSON (a proxy's error page).
    Http {
        /// The HTTP status.
        status: u16,
        /// What was wrong with it.
        message: String,
        /// From a `Retry-After` header, in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// No answer: the connection failed.
    Network {
        /// What the runtime said.
        message: String,
    },
    /// No answer within the timeout.
    Timeout {
        /// The timeout that ran out, in milliseconds.
        after_ms: u64,
    },
    /// The caller aborted.
    Aborted,
    /// The body is not of the Graph's shape.
    Decode {
        /// The HTTP status, when there was an answer.
        status: Option<u16>,
        /// What was expected, and where (`data[3].id`).
        message: String,
        /// A success whose body is not JSON at all: most likely cut off on
        /// the way, so asking again can help (unlike a body of the wrong shape).
        not_json: bool,
    },
    /// A bad argument; nothing was sent.
    InvalidArgument {
        /// Which argument, and what is wrong with it.
        message: String,
    },
    /// A transient failure that lasted through every retry: `last` is the
    /// failure of the last of `attempts` attempts.
    Retried {
        /// How many times the call was sent.
        attempts: u32,
        /// What the last attempt ended with.
        last: Box<Error>,
    },
}

impl Error {
    /// A bad argument caught before sending.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::InvalidArgument { message: message.into() }
    }

    /// A body that does not match the Graph's shape.
    pub fn decode(status: Option<u16>, message: impl Into<String>) -> Self {
        Self::Decode { status, message: message.into(), not_json: false }
    }

    /// A success whose body is not JSON (cut off on the way, most likely).
    pub fn not_json(status: Option<u16>, message: impl Into<String>) -> Self {
        Self::Decode { status, message: message.into(), not_json: true }
    }

    /// `error` after `attempts` sends; a single attempt leaves it as it is.
    pub fn after_attempts(error: Self, attempts: u32) -> Self {
        match error {
            Self::Retried { last, .. } => Self::Retried { attempts, last },
            // An abort is the caller's choice, not a failure that lasted.
            Self::Aborted => Self::Aborted,
            error if attempts > 1 => Self::Retried { attempts, last: Box::new(error) },
            error => error,
        }
    }

    /// How many times the failed call was sent: `None` when nothing was
    /// sent (a bad argument, an abort before sending is counted as 1).
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Self::Retried { attempts, .. } => Some(*attempts),
            Self::InvalidArgument { .. } => None,
            _ => Some(1),
        }
    }

    /// The failure itself, under any retry wrapper.
    pub fn last(&self) -> &Self {
        match self {
            Self::Retried { last, .. } => last.last(),
            error => error,
        }
    }

    /// A failed connection.
    pub fn network(message: impl Into<String>) -> Self {
        Self::Network { message: message.into() }
    }

    /// The kind, for branching.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Graph { .. } => ErrorKind::Graph,
            Self::Http { .. } => ErrorKind::Http,
            Self::Network { .. } => ErrorKind::Network,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Aborted => ErrorKind::Aborted,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Self::Retried { last, .. } => last.kind(),
        }
    }

    /// Whether trying again later can succeed (rate limits, 5xx, timeouts,
    /// network failures; the Graph's `is_transient` when it says).
    pub fn transient(&self) -> bool {
        match self {
            Self::Graph { status, body, .. } => body.transient(*status),
            Self::Http { status, .. } => *status >= 500 || *status == 429,
            Self::Network { .. } | Self::Timeout { .. } => true,
            Self::Decode { not_json, .. } => *not_json,
            Self::Aborted | Self::InvalidArgument { .. } => false,
            Self::Retried { last, .. } => last.transient(),
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Graph { status, .. } | Self::Decode { status, .. } => *status,
            Self::Http { status, .. } => Some(*status),
            Self::Retried { last, .. } => last.status(),
            _ => None,
        }
    }

    /// The Graph's error object, for `kind == Graph`.
    pub fn graph(&self) -> Option<&GraphErrorBody> {
        match self {
            Self::Graph { body, .. } => Some(body),
            Self::Retried { last, .. } => last.graph(),
            _ => None,
        }
    }

    /// How long the answer said to wait before trying again.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self {
            Self::Graph { retry_after_ms, .. } | Self::Http { retry_after_ms, .. } => *retry_after_ms,
            Self::Retried { last, .. } => last.retry_after_ms(),
            _ => None,
        }
    }

    /// Replaces every occurrence of each secret in every text of the error
    /// with `[redacted]`: the last guard that keeps a token that a proxy or
    /// the Graph echoed out of messages and logs.
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        let scrub = |text: &mut String| {
            redact_text(text, secrets);
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                scrub_cut_secret(text, secret);
            }
        };
        match &mut self {
            Self::Graph { body, .. } => {
                scrub(&mut body.message);
                for text in [&mut body.user_title, &mut body.user_message, &mut body.error_type, &mut body.fbtrace_id]
                    .into_iter()
                    .flatten()
                {
                    scrub(text);
                }
            }
            Self::Http { message, .. }
            | Self::Network { message }
            | Self::Decode { message, .. }
            | Self::InvalidArgument { message } => scrub(message),
            Self::Timeout { .. } | Self::Aborted => {}
            Self::Retried { last, .. } => {
                let inner = std::mem::replace(&mut **last, Self::Aborted);
                **last = inner.redact(secrets);
            }
        }
        self
    }
}

/// Replaces, in place, every occurrence of each secret in `text` with `[redacted]`.
pub fn redact_text(text: &mut String, secrets: &[&str]) {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            *text = text.replace(secret, "[redacted]");
        }
    }
}

/// A snippet cut at its end (`…`) can end in the first part of a secret,
/// which a search for the whole secret misses: that part goes too.
fn scrub_cut_secret(text: &mut String, secret: &str) {
    const MIN_PART: usize = 6;
    let Some(body) = text.strip_suffix('…') else { return };
    let longest = (MIN_PART.min(secret.len())..secret.len())
        .rev()
        .find(|&len| secret.is_char_boundary(len) && body.ends_with(&secret[..len]));
    if let Some(len) = longest {
        *text = format!("{}[redacted]…", &body[..body.len() - len]);
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Graph { body, .. } => {
                f.write_str(&body.message)?;
                match (body.code, body.subcode) {
                    (Some(code), Some(sub)) => write!(f, " (code {code}, subcode {sub})"),
                    (Some(code), None) => write!(f, " (code {code})"),
                    _ => Ok(()),
                }
            }
            Self::Http { status, message, .. } => write!(f, "HTTP {status}: {message}"),
            Self::Network { message } => write!(f, "network error: {message}"),
            Self::Timeout { after_ms } => write!(f, "no answer within {after_ms} ms"),
            Self::Aborted => f.write_str("the request was aborted"),
            Self::Decode { message, .. } => {
                write!(f, "unexpected answer from the Graph: {message}")
            }
            Self::InvalidArgument { message } => f.write_str(message),
            Self::Retried { attempts, last } => write!(f, "{last} (after {attempts} attempts)"),
        }
    }
}

impl std::error::Error for Error {}
