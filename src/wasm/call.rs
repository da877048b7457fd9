//! One Graph call driven from JS: the core's [`Attempts`] decide, and
//! `drive` in `calls.js` sends and waits. A call of one request (a
//! page, a node, a send) then runs with no Rust future, spawned task or
//! `JsFuture`: one synchronous wasm call builds it, one sends each attempt
//! and one reads each answer.

use ::core::cell::RefCell;
use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::error::to_js;
use super::state::ClientState;
use super::sync::SyncShared;
use crate::client::BatchRead;
use crate::core::call::{read_answer, refuse_secret_in_url, Attempts, Retries};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::page::{check_node, check_page, Node};
use crate::core::request::{GraphRequest, HttpRequest};
use crate::core::send::{sent_id, sent_message, SendRequest};
use crate::transport::fetch::{exchange, failure, header_lines, http_response, AbortSignal};

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// Runs `call` to its end: a promise of its result, or of the
    /// `GraphError` it ends with.
    #[wasm_bindgen(js_name = drive)]
    fn drive_call(call: Call, signal: Option<AbortSignal>) -> Promise;
}

/// What a call's answer must be, and what of it the caller gets.
pub enum Answer {
    /// A page of these nodes, whole.
    Page(Node),
    /// One node.
    Node(Node),
    /// A page of conversations: its first one, or `null`.
    FirstOf,
    /// The Send API's `{recipient_id, message_id}` for this message: the
    /// sent message, `{ recipientId, messageId, message }`. Never sent
    /// twice ([`Retries::Send`]).
    Sent(SendRequest),
    /// A sender action or a reaction: `undefined`. Never sent twice.
    Done,
    /// A batch call of `getMessages` with this many items (each counts in
    /// the token's pace): its outcome goes to the read, and the call
    /// resolves to `true`.
    Batch(Rc<RefCell<BatchRead<JsValue>>>, u32),
    /// Call `id` of a sync: a page of these nodes, whose outcome goes to
    /// the sync; the call resolves to `true`.
    Sync {
        /// The sync.
        sync: Rc<SyncShared>,
        /// The plan's id of the call.
        id: u64,
        /// What the page lists.
        node: Node,
        /// Which failures it is tried again after.
        retries: Retries,
    },
}

/// A call under way (internal: `drive` is its only user).
#[wasm_bindgen(skip_typescript)]
pub struct Call {
    state: Rc<ClientState>,
    request: HttpRequest,
    answer: Answer,
    attempts: Attempts,
    signal: Option<AbortSignal>,
    /// Whether the next attempt has its place in the token's pace.
    paced: bool,
}

impl Call {
    /// Starts a read of `request`, read as `answer`, which the caller's
    /// `signal` can abort, as a promise of its result. A bad argument
    /// (`request` is an error) or a request that would carry a secret in
    /// its URL rejects at once, with nothing sent.
    pub fn read(
        state: &Rc<ClientState>,
        request: Result<(GraphRequest, Option<AbortSignal>), Error>,
        answer: Answer,
    ) -> Promise {
        Self::start(state, request.map(|(request, signal)| (request.to_http(state.config()), signal)), answer)
    }

    /// Starts a Send API call (`answer` is [`Answer::Sent`] or
    /// [`Answer::Done`]), as [`Call::read`] does a read.
    pub fn send_api(
        state: &Rc<ClientState>,
        request: Result<(SendRequest, Option<AbortSignal>), Error>,
        answer: impl FnOnce(SendRequest) -> Answer,
    ) -> Promise {
        match request {
            Ok((request, signal)) => {
                let http = request.to_http(state.config());
                Self::start(state, Ok((http, signal)), answer(request))
            }
            Err(error) => Promise::reject(&to_js(&error)),
        }
    }

    pub(super) fn start(
        state: &Rc<ClientState>,
        request: Result<(HttpRequest, Option<AbortSignal>), Error>,
        answer: Answer,
    ) -> Promise {
        let (request, signal) = match request {
            Ok(request) => request,
            Err(error) => return Promise::reject(&to_js(&error)),
        };
        let (calls, retries) = match &answer {
            Answer::Sent(_) | Answer::Done => (1, Retries::Send),
            Answer::Batch(_, calls) => (*calls, Retries::Transient),
            Answer::Sync { retries, .. } => (1, *retries),
            _ => (1, Retries::Transient),
        };
        let attempts = Attempts::new(state.config(), calls, retries);
        let call = Self { state: Rc::clone(state), request, answer, attempts, signal: signal.clone(), paced: false };
        // Refused before anything is sent; a batch read or a sync keeps
        // the refusal as this call's outcome, as for any other end.
        if let Err(error) = refuse_secret_in_url(state.config(), &call.request) {
            return Promise::reject(&call.end(error));
        }
        drive_call(call, signal)
    }

    /// The error the call ends with, as JS sees it.
    fn end(&self, error: Error) -> JsValue {
        self.ended(self.attempts.end(error, self.state.config()))
    }

    /// `error`, which the call ends with, as JS sees it; a batch call's
    /// read keeps it for the call's items, a sync for its call.
    fn ended(&self, error: Error) -> JsValue {
        let js = to_js(&error);
        match &self.answer {
            Answer::Batch(read, _) => {
                let _ = read.borrow_mut().answered(Err(error));
            }
            Answer::Sync { sync, id, .. } => sync.answered(*id, Err(error)),
            _ => {}
        }
        js
    }

    /// After a failed attempt: how long to wait before the next, or the
    /// `GraphError` the call ends with.
    fn retry(&self, error: Error) -> Result<f64, JsValue> {
        self.attempts.after_failure(error, js_sys::Math::random()).map_err(|error| self.end(error))
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::is_aborted)
    }

    /// Reads `exchange`'s answer: the call's result, or (a number) how many
    /// milliseconds to wait before trying again. Throws the `GraphError`
    /// the call ends with.
    fn answer(&self, answer: &JsValue) -> Result<JsValue, JsValue> {
        // `exchange` has set the usage headers on `client.usage`.
        let (response, usage) = http_response(answer);
        let checked = read_answer(self.state.config(), response, &usage).and_then(|body| {
            match &self.answer {
                Answer::Page(node) => check_page(&body, *node, Some(200))?,
                Answer::Node(node) => check_node(&body, *node, Some(200))?,
                Answer::FirstOf => {
                    check_page(&body, Node::Conversation, Some(200))?;
                    return Ok(body.get("data").and_then(|data| data.at(0)).unwrap_or(JsValue::NULL));
                }
                Answer::Sent(request) => {
                    // Without a message_id, the send ends (Retries::Send):
                    // it may have gone out.
                    let mid = sent_id(&body)?;
                    return Ok(sent_message(request, mid, js_sys::Date::now()).build());
                }
                Answer::Done => return Ok(JsValue::UNDEFINED),
                Answer::Batch(read, _) => {
                    let mut read = read.borrow_mut();
                    read.check(&body)?;
                    return read.answered(Ok(body)).map(|()| JsValue::TRUE);
                }
                Answer::Sync { sync, id, node, .. } => {
                    check_page(&body, *node, Some(200))?;
                    sync.answered(*id, Ok(body));
                    return Ok(JsValue::TRUE);
                }
            }
            Ok(body)
        });
        checked.or_else(|error| self.retry(error).map(JsValue::from_f64))
    }
}

#[wasm_bindgen]
impl Call {
    /// The next attempt: how many milliseconds to wait first for the
    /// token's pace (then `send` again), or `exchange`'s promise. Throws
    /// the call's `GraphError` when the caller's signal has aborted it
    /// (`aborted`: it did while the call waited).
    pub fn send(&mut self, aborted: bool) -> Result<JsValue, JsValue> {
        if aborted {
            return Err(self.ended(self.attempts.end_aborted(self.state.config())));
        }
        if !self.paced {
            self.paced = true;
            let config = self.state.config();
            let now = js_sys::Date::now();
            let wait = self.attempts.pace(&mut self.state.pacer().borrow_mut(), now, config.calls_per_second);
            if wait > 0.0 {
                return Ok(JsValue::from_f64(wait));
            }
        }
        self.paced = false;
        self.attempts.sent();
        let request = &self.request;
        let built;
        let headers = match self.state.read_header_lines(request) {
            Some(lines) => lines,
            None => {
                built = JsValue::from_str(&header_lines(&request.headers));
                &built
            }
        };
        Ok(exchange(
            self.state.fetch(),
            &request.url,
            &crate::wasm::keys::key(request.method.as_str()),
            headers,
            request.body.as_deref(),
            self.state.config().timeout_ms as f64,
            self.signal.as_ref(),
            self.state.usage(),
        )
        .into())
    }

    /// Reads what `exchange`'s promise settled with (`ok`: its answer;
    /// otherwise its rejection, `[error, timedOut]`): the call's result, or
    /// (a number) how many milliseconds to wait before trying again. Throws
    /// the `GraphError` the call ends with.
    #[wasm_bindgen(js_name = read)]
    pub fn read_settled(&self, settled: JsValue, ok: bool) -> Result<JsValue, JsValue> {
        if !ok {
            let failure = failure(&settled, self.aborted(), self.state.config().timeout_ms);
            return self.retry(failure).map(JsValue::from_f64);
        }
        self.answer(&settled)
    }
}
