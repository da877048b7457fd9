//! The `fetch` transport: the *global* `fetch` (so one build runs in Node,
//! browsers and workerd), or the one given in the options, with a timeout
//! and the caller's `AbortSignal`.
//!
//! The body stays a JS string and is parsed by the engine's `JSON.parse`;
//! the core checks its shape through [`Json`](crate::core::json::Json).
//! No `mode`, `credentials`, `cache` or `referrer` is set: workerd rejects
//! some of them and the defaults are right for the Graph.

use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::client::{Received, Transport};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use crate::core::usage::{ResponseHeaders, UsageValues};
use crate::wasm::keys::key;

#[wasm_bindgen]
extern "C" {
    /// An `AbortSignal`: the caller's.
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, catch, js_name = addEventListener)]
    fn add_event_listener(this: &AbortSignal, kind: &str, listener: &Function) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeEventListener)]
    fn remove_event_listener(this: &AbortSignal, kind: &str, listener: &Function) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

#[wasm_bindgen(raw_module = "./graph_error.js")]
extern "C" {
    /// `fetch` (the global one for `None`) under a timeout and the caller's
    /// signal, then `[status, text, x-app-usage, x-page-usage,
    /// x-business-use-case-usage, retry-after, content-type]` of its answer;
    /// rejects with `[error, timedOut]`. `headers` is `name\nvalue\n` per
    /// header. The promise's `cancel()` aborts the request.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn exchange(
        fetch: Option<&Function>,
        url: &str,
        method: &str,
        headers: &str,
        body: Option<&str>,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
    ) -> Promise;
}

impl AbortSignal {
    /// Whether this signal has fired.
    pub fn is_aborted(&self) -> bool {
        self.aborted()
    }
}

/// What sees the usage headers of every answer.
pub type UsageObserver = Rc<dyn Fn(&UsageValues<JsValue>)>;

/// Sends requests with `fetch`. One is made per client call, carrying that
/// call's `AbortSignal`.
pub struct FetchTransport {
    /// A caller's `fetch`; `None` uses the global one at call time.
    pub fetch: Option<Function>,
    /// Per request, in milliseconds.
    pub timeout_ms: u64,
    /// The caller's signal for this call.
    pub signal: Option<AbortSignal>,
    /// Gets the usage headers of every answer.
    pub on_usage: UsageObserver,
}

/// A request under way: dropped before its answer is in (a sync that
/// stopped, an iterator left early), it cancels the request. The timer and
/// the listener on the caller's signal live in `exchange`, in JS: no wasm
/// closure, controller or timer call is made per request.
struct InFlight(Option<Promise>);

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(cancel) = self.0.as_ref().and_then(|p| member(p, "cancel").dyn_into::<Function>().ok()) {
            let _ = cancel.call0(&JsValue::UNDEFINED);
        }
    }
}

impl FetchTransport {
    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::is_aborted)
    }

    fn failure(&self, rejection: &JsValue) -> Error {
        failure(rejection, self.aborted(), self.timeout_ms)
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

/// `name\nvalue\n` per header, for `exchange`.
pub(crate) fn header_lines(request: &HttpRequest) -> String {
    let mut lines = String::new();
    for (name, value) in &request.headers {
        for part in [*name, value.as_str()] {
            lines.push_str(part);
            lines.push('\n');
        }
    }
    lines
}

/// A `setTimeout` that the caller's signal cuts short; cleared when
/// dropped, so a dropped future leaves no timer or listener behind.
struct Wait {
    wake: Closure<dyn FnMut()>,
    timer: Option<JsValue>,
    signal: Option<AbortSignal>,
}

impl Wait {
    /// A promise that resolves after `ms`, or at once when `signal` fires.
    fn start(ms: f64, signal: Option<&AbortSignal>) -> (Self, Promise) {
        let mut resolve = None;
        let promise = Promise::new(&mut |res, _rej| resolve = Some(res));
        let wake = Closure::<dyn FnMut()>::new(move || {
            if let Some(resolve) = &resolve {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            }
        });
        let timer = set_timeout(wake.as_ref().unchecked_ref(), ms).ok();
        let signal = signal.filter(|s| s.add_event_listener("abort", wake.as_ref().unchecked_ref()).is_ok());
        (Self { timer, signal: signal.cloned(), wake }, promise)
    }
}

impl Drop for Wait {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            clear_timeout(timer);
        }
        if let Some(signal) = &self.signal {
            let _ = signal.remove_event_listener("abort", self.wake.as_ref().unchecked_ref());
        }
    }
}

impl Transport for FetchTransport {
    type Json = JsValue;

    async fn sleep(&self, ms: f64) -> Result<(), Error> {
        if self.aborted() {
            return Err(Error::aborted());
        }
        if ms > 0.0 {
            let (wait, promise) = Wait::start(ms, self.signal.as_ref());
            let _ = JsFuture::from(promise).await;
            drop(wait);
        }
        if self.aborted() {
            Err(Error::aborted())
        } else {
            Ok(())
        }
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    async fn send(&self, request: HttpRequest) -> Result<Received<JsValue>, Error> {
        if self.aborted() {
            return Err(Error::aborted());
        }
        let promise = exchange(
            self.fetch.as_ref(),
            &request.url,
            request.method.as_str(),
            &header_lines(&request),
            request.body.as_deref(),
            self.timeout_ms as f64,
            self.signal.as_ref(),
        );
        // The body is read under the same timeout and signal as the request.
        let mut in_flight = InFlight(Some(promise.clone()));
        let settled = JsFuture::from(promise).await;
        // Settled either way: nothing is left to cancel, and an `abort()`
        // is not free (Node makes a DOMException with a stack, some 20 µs).
        in_flight.0 = None;
        let answer = settled.map_err(|e| self.failure(&e))?;
        Ok(http_response(&answer))
    }

    fn observe_usage(&self, usage: &UsageValues<JsValue>) {
        (self.on_usage)(usage);
    }
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
    // Only a failed status says what came instead of JSON: a good answer
    // does not copy its content type into wasm memory.
    let status = answer.get(0).as_f64().unwrap_or(0.0) as u16;
    let content_type = match (200..300).contains(&status) {
        true => None,
        false => answer.get(6).as_string(),
    };
    let headers =
        ResponseHeaders { retry_after: answer.get(5).as_string(), content_type, ..ResponseHeaders::default() };
    (HttpResponse { status, headers, body: answer.get(1) }, usage)
}

fn member(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A JS exception as words: its `name: message`, or its string form.
fn describe_js_error(error: &JsValue) -> String {
    let text = |key: &str| member(error, key).as_string().filter(|s| !s.is_empty());
    let cause = text("cause").or_else(|| {
        let cause = member(error, "cause");
        member(&cause, "code").as_string().or_else(|| member(&cause, "message").as_string())
    });
    let base = match (text("name"), text("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (None, Some(message)) => message,
        _ => error.as_string().unwrap_or_else(|| "fetch failed".into()),
    };
    match cause {
        Some(cause) => format!("{base} ({cause})"),
        None => base,
    }
}
