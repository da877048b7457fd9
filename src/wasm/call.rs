//! One Graph call driven from JS: the core's [`Attempts`] decide, and
//! `drive` in `graph_error.js` sends and waits. A call of one request
//! (a page, a node) then runs with no Rust future, spawned task or
//! `JsFuture`: one synchronous wasm call builds it, one sends each attempt
//! and one reads each answer.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::error::to_js;
use super::state::ClientState;
use crate::core::call::{read_answer, refuse_secret_in_url, Attempts};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::page::{check_node, check_page, Node};
use crate::core::request::{GraphRequest, HttpRequest};
use crate::transport::fetch::{exchange, failure, header_lines, http_response, AbortSignal};

#[wasm_bindgen(raw_module = "./graph_error.js")]
extern "C" {
    /// Runs `call` to its end: a promise of its result, or of the
    /// `GraphError` it ends with.
    #[wasm_bindgen(js_name = drive)]
    fn drive_call(call: Call, signal: Option<AbortSignal>) -> Promise;
}

/// What a call's answer must be, and what of it the caller gets.
#[derive(Clone, Copy)]
pub enum Answer {
    /// A page of these nodes, whole.
    Page(Node),
    /// One node.
    Node(Node),
    /// A page of conversations: its first one, or `null`.
    FirstOf,
}

/// A call under way (internal: `drive` is its only user).
#[wasm_bindgen(skip_typescript)]
pub struct Call {
    state: Rc<ClientState>,
    request: HttpRequest,
    answer: Answer,
    attempts: Attempts,
    signal: Option<AbortSignal>,
}

impl Call {
    /// Starts a call of `request`, read as `answer`, which the caller's
    /// `signal` can abort, as a promise of its result. A bad argument
    /// (`request` is an error) or a request that would carry a secret in
    /// its URL rejects at once, with nothing sent.
    pub fn start(
        state: &Rc<ClientState>,
        request: Result<(GraphRequest, Option<AbortSignal>), Error>,
        answer: Answer,
    ) -> Promise {
        let request = request.and_then(|(request, signal)| {
            let request = request.to_http(state.config());
            refuse_secret_in_url(state.config(), &request)?;
            Ok((request, signal))
        });
        match request {
            Ok((request, signal)) => {
                let attempts = Attempts::new(state.config(), 1, false);
                drive_call(Self { state: Rc::clone(state), request, answer, attempts, signal: signal.clone() }, signal)
            }
            Err(error) => Promise::reject(&to_js(&error)),
        }
    }

    /// The error the call ends with, as JS sees it.
    fn end(&self, error: Error) -> JsValue {
        to_js(&self.attempts.end(error, self.state.config()))
    }

    /// After a failed attempt: how long to wait before the next, or the
    /// `GraphError` the call ends with.
    fn retry(&self, error: Error) -> Result<f64, JsValue> {
        self.attempts.after_failure(error, js_sys::Math::random()).map_err(|error| self.end(error))
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::is_aborted)
    }
}

#[wasm_bindgen]
impl Call {
    /// Books the next attempt in the token's pace: how many milliseconds
    /// to wait before sending it.
    pub fn pace(&self) -> f64 {
        let config = self.state.config();
        self.attempts.pace(&mut self.state.pacer().borrow_mut(), js_sys::Date::now(), config.calls_per_second)
    }

    /// Sends the next attempt: `exchange`'s promise.
    pub fn send(&mut self) -> Promise {
        self.attempts.sent();
        let request = &self.request;
        exchange(
            self.state.fetch(),
            &request.url,
            request.method.as_str(),
            &header_lines(request),
            request.body.as_deref(),
            self.state.config().timeout_ms as f64,
            self.signal.as_ref(),
        )
    }

    /// Reads `exchange`'s answer: the call's result, or (a number) how many
    /// milliseconds to wait before trying again. Throws the `GraphError`
    /// the call ends with.
    pub fn answer(&self, answer: JsValue) -> Result<JsValue, JsValue> {
        let (response, usage) = http_response(&answer);
        if !usage.is_empty() {
            self.state.record_usage(&usage);
        }
        let checked = read_answer(self.state.config(), response, &usage).and_then(|body| {
            match self.answer {
                Answer::Page(node) => check_page(&body, node, Some(200))?,
                Answer::Node(node) => check_node(&body, node, Some(200))?,
                Answer::FirstOf => {
                    check_page(&body, Node::Conversation, Some(200))?;
                    return Ok(body.get("data").and_then(|data| data.at(0)).unwrap_or(JsValue::NULL));
                }
            }
            Ok(body)
        });
        match checked {
            Ok(value) => Ok(value),
            Err(error) => self.retry(error).map(JsValue::from_f64),
        }
    }

    /// Reads `exchange`'s rejection (`[error, timedOut]`): how many
    /// milliseconds to wait before trying again. Throws the `GraphError`
    /// the call ends with.
    pub fn failed(&self, rejection: JsValue) -> Result<f64, JsValue> {
        self.retry(failure(&rejection, self.aborted(), self.state.config().timeout_ms))
    }

    /// The `GraphError` of a call that the caller's signal aborted while it
    /// waited.
    pub fn abort(&self) -> JsValue {
        self.end(Error::aborted())
    }
}
