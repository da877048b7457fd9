//! A [`Transport`] that answers from a script: for tests of the client on
//! the host, with no network and no JS engine.

use crate::prelude::*;

use ::core::cell::{Cell, RefCell};
use ::core::future::Future;
use ::core::pin::pin;
use ::core::task::{Context, Poll, Waker};
use alloc::collections::VecDeque;

use serde_json::Value;

use crate::client::{Received, Transport};
use crate::core::error::Error;
use crate::core::request::HttpRequest;
use crate::core::response::HttpResponse;
use crate::core::usage::{ResponseHeaders, Usage, UsageValues};

/// Answers requests in order from a queue and records every request.
#[derive(Debug, Default)]
pub struct ScriptedTransport {
    answers: RefCell<VecDeque<Result<HttpResponse<String>, Error>>>,
    sent: RefCell<Vec<HttpRequest>>,
    usage: RefCell<Option<Usage>>,
    clock_ms: Cell<f64>,
    waits: RefCell<Vec<f64>>,
    sent_at: RefCell<Vec<f64>>,
}

impl ScriptedTransport {
    /// A transport with nothing to answer yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues a JSON answer with `status`.
    pub fn answer_json(&self, status: u16, body: Value) -> &Self {
        self.answer_text(status, ResponseHeaders::default(), body.to_string())
    }

    /// Queues an answer whose body is `text`, as received.
    pub fn answer_text(&self, status: u16, headers: ResponseHeaders, text: impl Into<String>) -> &Self {
        self.answer(Ok(HttpResponse { status, headers, body: text.into() }))
    }

    /// Queues any answer, or a failure to get one.
    pub fn answer(&self, answer: Result<HttpResponse<String>, Error>) -> &Self {
        self.answers.borrow_mut().push_back(answer);
        self
    }

    /// Every request sent so far.
    pub fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }

    /// Every wait the client asked for (backoff, pacing), in order; waits
    /// take no real time, they move this transport's clock.
    pub fn waits(&self) -> Vec<f64> {
        self.waits.borrow().clone()
    }

    /// The clock time (ms) at which each request was sent.
    pub fn sent_at(&self) -> Vec<f64> {
        self.sent_at.borrow().clone()
    }

    /// The usage headers of the latest answer that had any.
    pub fn usage(&self) -> Option<Usage> {
        self.usage.borrow().clone()
    }
}

impl Transport for ScriptedTransport {
    type Json = Value;

    async fn send(&self, request: HttpRequest) -> Result<Received<Value>, Error> {
        self.sent.borrow_mut().push(request);
        self.sent_at.borrow_mut().push(self.clock_ms.get());
        let answer = self
            .answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(Error::network("the script has no answer left")));
        answer.map(|response| {
            let usage = UsageValues::parse(&response.headers);
            (response, usage)
        })
    }

    async fn sleep(&self, ms: f64) -> Result<(), Error> {
        self.waits.borrow_mut().push(ms);
        self.clock_ms.set(self.clock_ms.get() + ms.max(0.0));
        Ok(())
    }

    fn now_ms(&self) -> f64 {
        self.clock_ms.get()
    }

    /// Always the middle, so backoff waits are predictable in tests.
    fn random(&self) -> f64 {
        0.5
    }

    fn observe_usage(&self, usage: &UsageValues<Value>) {
        *self.usage.borrow_mut() = Some(Usage::read(usage));
    }
}

/// Runs a future that never waits on anything outside itself (as with a
/// [`ScriptedTransport`]) to its end.
///
/// # Panics
/// When the future is still pending after many polls: it waits on
/// something no one will wake. For tests only.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
    panic!("block_on: the future never finished");
}
