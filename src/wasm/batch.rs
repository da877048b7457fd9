//! `getMessages` driven from JS: `readBatch` in `calls.js` asks the
//! [`Batch`] what to do next (a batch call, driven as a [`Call`], or a
//! wait before items are sent again) until every item is read. The rules
//! are [`BatchRead`]'s.

use ::core::cell::RefCell;
use alloc::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::call::{Answer, Call};
use super::error::to_js;
use super::state::ClientState;
use crate::client::{BatchRead, BatchStep};
use crate::core::error::Error;
use crate::transport::fetch::AbortSignal;

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// Runs `batch` to its end: a promise of its results.
    #[wasm_bindgen(js_name = readBatch)]
    fn read_batch(batch: Batch, signal: Option<AbortSignal>) -> Promise;
}

/// A `getMessages` under way (internal: `readBatch` is its only user).
#[wasm_bindgen(skip_typescript)]
pub struct Batch {
    state: Rc<ClientState>,
    read: Rc<RefCell<BatchRead<JsValue>>>,
    signal: Option<AbortSignal>,
}

impl Batch {
    /// Starts reading `ids` as a promise of their results, in order. A bad
    /// argument rejects at once, with nothing sent.
    pub fn start(state: &Rc<ClientState>, read: Result<(BatchRead<JsValue>, Option<AbortSignal>), Error>) -> Promise {
        match read {
            Ok((read, signal)) => {
                let batch = Self { state: Rc::clone(state), read: Rc::new(RefCell::new(read)), signal: signal.clone() };
                read_batch(batch, signal)
            }
            Err(error) => Promise::reject(&to_js(&error)),
        }
    }
}

#[wasm_bindgen]
impl Batch {
    /// What to do next: the promise of a batch call (driven; it resolves
    /// to `true`, or rejects with the call's `GraphError`, which its items
    /// keep), how many milliseconds to wait before items are sent again,
    /// or `undefined` when every item is read. Throws the first call's
    /// `GraphError` when every call of the first pass failed, and an
    /// abort's when the caller's signal has aborted the read (`aborted`:
    /// it did while the read waited).
    pub fn next(&self, aborted: bool) -> Result<JsValue, JsValue> {
        if aborted {
            return Err(to_js(&Error::aborted()));
        }
        let step = self.read.borrow_mut().next(self.state.config(), js_sys::Math::random());
        match step {
            Ok(BatchStep::Call(request, calls)) => {
                let answer = Answer::Batch(Rc::clone(&self.read), calls);
                Ok(Call::start(&self.state, Ok((request, self.signal.clone())), answer).into())
            }
            Ok(BatchStep::Wait(ms)) => Ok(JsValue::from_f64(ms)),
            Ok(BatchStep::Done) => Ok(JsValue::UNDEFINED),
            Err(error) => Err(to_js(&error)),
        }
    }

    /// Every item's result, in input order: the message, or a `GraphError`.
    pub fn results(&self) -> Array {
        let results = self.read.borrow_mut().finish();
        let out = Array::new_with_length(results.len() as u32);
        for (i, result) in results.iter().enumerate() {
            out.set(i as u32, result.as_ref().map_or_else(to_js, Clone::clone));
        }
        out
    }
}
