//! The one error type of the crate, and whether trying again can help.
//!
//! Every failure — an error object from the Graph, an unexpected HTTP
//! answer, the network, a timeout, an abort, a body of the wrong shape, a bad
//! argument caught before sending — is one [`Error`], so callers branch on
//! [`Error::kind`] and [`Error::transient`] instead of on strings. In JS it
//! becomes a `GraphError` with the same fields.

use crate::prelude::*;

use ::core::fmt;

use crate::text::cat;

use super::quoted::contains_text;

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
            .any(|text| contains_text(text, "reduce the amount of data"))
    }
}

/// What went wrong in a failed Graph call, or a call that was never sent:
/// one case per [`ErrorKind`]. An [`Error`] holds one, with how many times
/// the call was sent beside it, so a Graph error that lasted through every
/// retry is still the [`ErrorDetail::Graph`] case.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorDetail {
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
}

/// A failed Graph call, or a call that was never sent: its
/// [`detail`](Error::detail) and how many [`attempts`](Error::attempts) were
/// made. Small (the detail is boxed), so `Result<_, Error>` stays cheap.
///
/// ```
/// use graph_conversations::{Error, ErrorDetail};
/// let error = Error::invalid_argument("pageId must not be empty");
/// assert!(matches!(error.detail(), ErrorDetail::InvalidArgument { .. }));
/// assert_eq!(error.attempts(), None); // nothing was sent
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    detail: Box<ErrorDetail>,
    /// Sends made; 0 when nothing was sent.
    attempts: u32,
    delivery: Option<Delivery>,
}

/// Whether a failed send went out: `GraphError.delivery` in JS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// No answer came, or the answer does not say (a timeout, a reset, a
    /// proxy's page): the message may have been delivered. Never sent again
    /// by the client; its echo webhook settles it.
    Unknown,
    /// The Graph refused it: nothing was delivered.
    NotSent,
}

impl Delivery {
    /// `"unknown"` or `"not_sent"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::NotSent => "not_sent",
        }
    }
}

impl From<ErrorDetail> for Error {
    fn from(detail: ErrorDetail) -> Self {
        Self { detail: Box::new(detail), attempts: 0, delivery: None }
    }
}

impl Error {
    /// The Graph's error object, as it came with `status`.
    pub fn graph_error(status: Option<u16>, body: GraphErrorBody, retry_after_ms: Option<u64>) -> Self {
        ErrorDetail::Graph { status, body, retry_after_ms }.into()
    }

    /// An HTTP answer that is not the Graph's JSON.
    pub fn http(status: u16, message: impl Into<String>, retry_after_ms: Option<u64>) -> Self {
        ErrorDetail::Http { status, message: message.into(), retry_after_ms }.into()
    }

    /// A bad argument caught before sending.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        ErrorDetail::InvalidArgument { message: message.into() }.into()
    }

    /// A body that does not match the Graph's shape.
    pub fn decode(status: Option<u16>, message: impl Into<String>) -> Self {
        ErrorDetail::Decode { status, message: message.into(), not_json: false }.into()
    }

    /// A success whose body is not JSON (cut off on the way, most likely).
    pub fn not_json(status: Option<u16>, message: impl Into<String>) -> Self {
        ErrorDetail::Decode { status, message: message.into(), not_json: true }.into()
    }

    /// A failed connection.
    pub fn network(message: impl Into<String>) -> Self {
        ErrorDetail::Network { message: message.into() }.into()
    }

    /// No answer within `after_ms`.
    pub fn timeout(after_ms: u64) -> Self {
        ErrorDetail::Timeout { after_ms }.into()
    }

    /// The caller aborted.
    pub fn aborted() -> Self {
        ErrorDetail::Aborted.into()
    }

    /// What went wrong, to match on.
    pub fn detail(&self) -> &ErrorDetail {
        &self.detail
    }

    /// This error, recorded as the outcome of `attempts` sends of the call
    /// (0 leaves the count absent: nothing was sent).
    #[must_use]
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// [`Error::with_attempts`] in place, for an error held in a list.
    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        self.attempts = attempts;
    }

    /// This error, as the outcome of a send: whether it went out.
    #[must_use]
    pub fn with_delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = Some(delivery);
        self
    }

    /// This error with `hint` added to what the Graph said.
    #[must_use]
    pub fn with_hint(mut self, hint: &str) -> Self {
        if let ErrorDetail::Graph { body, .. } = &mut *self.detail {
            body.message = cat!(body.message, " (", hint, ")");
        }
        self
    }

    /// For a failed send: whether it went out.
    pub fn delivery(&self) -> Option<Delivery> {
        self.delivery
    }

    /// How many times the failed call was sent: 1 when it was not retried,
    /// `maxRetries + 1` after the last retry; `None` when nothing was sent
    /// (a bad argument, an abort before sending) or for an error that did not
    /// come out of a client call.
    pub fn attempts(&self) -> Option<u32> {
        (self.attempts > 0).then_some(self.attempts)
    }

    /// The kind, for branching.
    pub fn kind(&self) -> ErrorKind {
        match self.detail() {
            ErrorDetail::Graph { .. } => ErrorKind::Graph,
            ErrorDetail::Http { .. } => ErrorKind::Http,
            ErrorDetail::Network { .. } => ErrorKind::Network,
            ErrorDetail::Timeout { .. } => ErrorKind::Timeout,
            ErrorDetail::Aborted => ErrorKind::Aborted,
            ErrorDetail::Decode { .. } => ErrorKind::Decode,
            ErrorDetail::InvalidArgument { .. } => ErrorKind::InvalidArgument,
        }
    }

    /// Whether the caller aborted.
    pub fn is_aborted(&self) -> bool {
        matches!(self.detail(), ErrorDetail::Aborted)
    }

    /// Whether trying again later can succeed (rate limits, 5xx, timeouts,
    /// network failures; the Graph's `is_transient` when it says).
    pub fn transient(&self) -> bool {
        match self.detail() {
            ErrorDetail::Graph { status, body, .. } => body.transient(*status),
            ErrorDetail::Http { status, .. } => *status >= 500 || *status == 429,
            ErrorDetail::Network { .. } | ErrorDetail::Timeout { .. } => true,
            ErrorDetail::Decode { not_json, .. } => *not_json,
            ErrorDetail::Aborted | ErrorDetail::InvalidArgument { .. } => false,
        }
    }

    /// Whether the answer said "too many calls": a Graph throttling code
    /// (see [`is_rate_limit_code`]) or HTTP 429.
    pub fn rate_limited(&self) -> bool {
        match self.detail() {
            ErrorDetail::Graph { body, .. } => body.code.is_some_and(is_rate_limit_code),
            ErrorDetail::Http { status, .. } => *status == 429,
            _ => false,
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self.detail() {
            ErrorDetail::Graph { status, .. } | ErrorDetail::Decode { status, .. } => *status,
            ErrorDetail::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Graph's error object, for `kind == Graph`.
    pub fn graph(&self) -> Option<&GraphErrorBody> {
        match self.detail() {
            ErrorDetail::Graph { body, .. } => Some(body),
            _ => None,
        }
    }

    /// How long the answer said to wait before trying again.
    pub fn retry_after_ms(&self) -> Option<u64> {
        match self.detail() {
            ErrorDetail::Graph { retry_after_ms, .. } | ErrorDetail::Http { retry_after_ms, .. } => *retry_after_ms,
            _ => None,
        }
    }

    /// The properties of this error as JS's `GraphError` has them, in the
    /// order of [`GRAPH_ERROR_FIELDS`]; absent ones are left out.
    pub fn fields(&self) -> Vec<(&'static str, FieldValue<'_>)> {
        let mut fields = Vec::with_capacity(GRAPH_ERROR_FIELDS.len());
        for &(name, read) in GRAPH_ERROR_FIELDS {
            if let Some(value) = read(self) {
                fields.push((name, value));
            }
        }
        fields
    }

    /// Every text of the error, for redaction.
    pub(crate) fn texts_mut(&mut self) -> Vec<&mut String> {
        match &mut *self.detail {
            ErrorDetail::Graph { body, .. } => {
                let mut texts = vec![&mut body.message];
                let optional =
                    [&mut body.user_title, &mut body.user_message, &mut body.error_type, &mut body.fbtrace_id];
                for text in optional.into_iter().flatten() {
                    texts.push(text);
                }
                texts
            }
            ErrorDetail::Http { message, .. }
            | ErrorDetail::Network { message }
            | ErrorDetail::Decode { message, .. }
            | ErrorDetail::InvalidArgument { message } => vec![message],
            ErrorDetail::Timeout { .. } | ErrorDetail::Aborted => Vec::new(),
        }
    }
}

/// One property value of a `GraphError`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldValue<'a> {
    /// A string property.
    Text(&'a str),
    /// A number property.
    Number(f64),
    /// A boolean property.
    Bool(bool),
}

type FieldReader = for<'a> fn(&'a Error) -> Option<FieldValue<'a>>;

/// The properties of JS's `GraphError`, each with how it is read from an
/// [`Error`]: the one list the facade builds `GraphError`s from, and that a
/// test checks against `graph_error.d.ts`. (`message` is the error's
/// `Display`; `cursor` and `inbox` are added by the calls that have them.)
pub const GRAPH_ERROR_FIELDS: &[(&str, FieldReader)] = &[
    ("kind", |e| Some(FieldValue::Text(e.kind().as_str()))),
    ("transient", |e| Some(FieldValue::Bool(e.transient()))),
    ("rateLimited", |e| Some(FieldValue::Bool(e.rate_limited()))),
    ("status", |e| e.status().map(|s| FieldValue::Number(f64::from(s)))),
    ("code", |e| e.graph()?.code.map(|c| FieldValue::Number(c as f64))),
    ("subcode", |e| e.graph()?.subcode.map(|c| FieldValue::Number(c as f64))),
    ("type", |e| e.graph()?.error_type.as_deref().map(FieldValue::Text)),
    ("fbtraceId", |e| e.graph()?.fbtrace_id.as_deref().map(FieldValue::Text)),
    ("userTitle", |e| e.graph()?.user_title.as_deref().map(FieldValue::Text)),
    ("userMessage", |e| e.graph()?.user_message.as_deref().map(FieldValue::Text)),
    ("retryAfterMs", |e| e.retry_after_ms().map(|ms| FieldValue::Number(ms as f64))),
    ("attempts", |e| e.attempts().map(|n| FieldValue::Number(f64::from(n)))),
    ("delivery", |e| e.delivery().map(|d| FieldValue::Text(d.as_str()))),
    ("refusal", |e| e.delivery().and(super::send::refusal(e)).map(|(name, _)| FieldValue::Text(name))),
];

impl Error {
    /// What went wrong, as one sentence: the `Display` text, and the
    /// message of a `GraphError` in JS (written without `core::fmt`).
    pub fn message(&self) -> String {
        let mut out = match self.detail() {
            ErrorDetail::Graph { body, .. } => match (body.code, body.subcode) {
                (Some(code), Some(sub)) => cat!(body.message, " (code ", code, ", subcode ", sub, ")"),
                (Some(code), None) => cat!(body.message, " (code ", code, ")"),
                _ => body.message.clone(),
            },
            ErrorDetail::Http { status, message, .. } => cat!("HTTP ", *status, ": ", message),
            ErrorDetail::Network { message } => cat!("network error: ", message),
            ErrorDetail::Timeout { after_ms } => cat!("no answer within ", *after_ms, " ms"),
            ErrorDetail::Aborted => "the request was aborted".to_owned(),
            ErrorDetail::Decode { message, .. } => cat!("unexpected answer from the Graph: ", message),
            ErrorDetail::InvalidArgument { message } => message.clone(),
        };
        if let Some((_, advice)) = self.delivery.and(super::send::refusal(self)) {
            out.push_str(": ");
            out.push_str(advice);
        }
        if self.delivery == Some(Delivery::Unknown) {
            out.push_str(
                " (delivery unknown: the message may have gone out; it was not sent again, and its echo webhook will \
                 say)",
            );
        }
        if self.attempts > 1 && !self.is_aborted() {
            out.push_str(&cat!(" (after ", self.attempts, " attempts)"));
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl ::core::error::Error for Error {}
