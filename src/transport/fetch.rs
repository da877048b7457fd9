//! The `fetch` seam of the wasm build: `exchange` (JS, in
//! `calls.js`) sends with the *global* `fetch` (so one build runs in
//! Node, browsers and workerd), or the one given in the options, under a
//! timeout and the caller's `AbortSignal`; this module reads what it
//! answers or why it failed. `drive` and the other JS drivers call it
//! through the wasm [`Call`](crate::wasm) of each request.
//!
//! The body stays a JS string and is parsed by the engine's `JSON.parse`;
//! the core checks its shape through [`Json`](crate::core::json::Json).
//! No `mode`, `credentials`, `cache` or `referrer` is set: workerd rejects
//! some of them and the defaults are right for the Graph.

use crate::prelude::*;
use crate::text::cat;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::Received;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::response::HttpResponse;
use crate::core::usage::{ResponseHeaders, UsageValues};

#[wasm_bindgen]
extern "C" {
    /// An `AbortSignal`: the caller's.
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &AbortSignal) -> bool;
}

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// `fetch` (the global one for `None`) under a timeout and the caller's
    /// signal, then `[status, text, x-app-usage, x-page-usage,
    /// x-business-use-case-usage, retry-after, content-type]` of its answer
    /// (the last two only for a status outside 200–299); rejects with
    /// `[error, timedOut]`. `headers` is `name\nvalue\n` per header. The
    /// usage headers are parsed, and each one that is an object is set on
    /// `usage` (`client.usage`). The caller's signal aborts the request.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn exchange(
        fetch: Option<&Function>,
        url: &str,
        method: &JsValue,
        headers: &JsValue,
        body: Option<&str>,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
        usage: &JsValue,
    ) -> Promise;
}

impl AbortSignal {
    /// Whether this signal has fired.
    pub fn is_aborted(&self) -> bool {
        self.aborted()
    }
}

/// What a failure to get an answer was: the caller's abort, our timeout
/// (of `timeout_ms`), or the network; `rejection` is `exchange`'s
/// `[error, timedOut]`.
pub(crate) fn failure(rejection: &JsValue, aborted: bool, timeout_ms: u64) -> Error {
    let error = Reflect::get_u32(rejection, 0).unwrap_or(JsValue::UNDEFINED);
    if aborted {
        Error::aborted()
    } else if Reflect::get_u32(rejection, 1).is_ok_and(|t| t.is_truthy()) {
        Error::timeout(timeout_ms)
    } else {
        Error::network(describe_js_error(&error))
    }
}

/// `name\nvalue\n` per header (a request's `headers`), for `exchange`.
pub(crate) fn header_lines(headers: &[(&'static str, String)]) -> String {
    let mut lines = String::new();
    for (name, value) in headers {
        for part in [*name, value.as_str()] {
            lines.push_str(part);
            lines.push('\n');
        }
    }
    lines
}

/// `exchange`'s answer, `[status, text, x-app-usage, x-page-usage,
/// x-business-use-case-usage, retry-after, content-type]` with the usage
/// headers parsed in JS, as the core reads it. The body stays a JS string:
/// the client redacts it and the engine's JSON.parse reads it (see
/// `BodyText for JsValue`); the usage headers never cross into wasm
/// memory as text.
pub(crate) fn http_response(answer: &JsValue) -> Received<JsValue> {
    let answer: &Array = answer.unchecked_ref();
    let usage = |i: u32| Some(answer.get(i)).filter(Json::is_object);
    let usage = UsageValues { app: usage(2), page: usage(3), business_use_case: usage(4) };
    // Only a failed status says how long to wait and what came instead of
    // JSON (`exchange` reads those two headers for it alone).
    let status = answer.get(0).as_f64().unwrap_or(0.0) as u16;
    let headers = match (200..300).contains(&status) {
        true => ResponseHeaders::default(),
        false => ResponseHeaders {
            retry_after: answer.get(5).as_string(),
            content_type: answer.get(6).as_string(),
            ..ResponseHeaders::default()
        },
    };
    (HttpResponse { status, headers, body: answer.get(1) }, usage)
}

/// A JS exception as words: its `name: message`, or its string form.
fn describe_js_error(error: &JsValue) -> String {
    let text = |key: &str| error.get(key).and_then(|v| v.as_string()).filter(|s| !s.is_empty());
    let cause = text("cause").or_else(|| {
        let cause = error.get("cause")?;
        cause.get("code").and_then(|c| c.as_string()).or_else(|| cause.get("message")?.as_string())
    });
    let base = match (text("name"), text("message")) {
        (Some(name), Some(message)) => cat!(name, ": ", message),
        (None, Some(message)) => message,
        _ => error.as_string().unwrap_or_else(|| "fetch failed".into()),
    };
    match cause {
        Some(cause) => cat!(base, " (", cause, ")"),
        None => base,
    }
}
