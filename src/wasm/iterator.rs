//! The async iterators of `conversations()` and `messages()`: a page is
//! fetched when the items of the previous one are used up.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::error::to_js;
use super::spawn;
use super::state::ClientState;
use crate::client::ListWalk;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::transport::fetch::AbortSignal;

#[wasm_bindgen(raw_module = "./graph_error.js")]
extern "C" {
    /// Gives `iterator` its `[Symbol.asyncIterator]`, which wasm-bindgen
    /// classes cannot declare.
    #[wasm_bindgen(js_name = asyncIterable)]
    fn async_iterable(iterator: &JsValue);
}

struct State {
    shared: Rc<ClientState>,
    walk: Result<ListWalk, Error>,
    signal: Option<AbortSignal>,
    items: Option<Array>,
    next_index: u32,
    finished: bool,
    /// The promise of the latest `next()`: each call waits for the one
    /// before, so pages are fetched once and in order.
    tail: Promise,
}

/// An async iterator over the items of a Graph list, page after page.
/// Use it with `for await … of`; `return()` (a `break`) stops it.
#[wasm_bindgen]
pub struct ItemIterator {
    state: Rc<RefCell<State>>,
}

impl ItemIterator {
    /// The iterator JS sees. A bad argument in `walk` rejects the first
    /// `next()`.
    pub(super) fn start(shared: Rc<ClientState>, walk: Result<(ListWalk, Option<AbortSignal>), Error>) -> JsValue {
        let (walk, signal) = match walk {
            Ok((walk, signal)) => (Ok(walk), signal),
            Err(error) => (Err(error), None),
        };
        let state = State {
            shared,
            walk,
            signal,
            items: None,
            next_index: 0,
            finished: false,
            tail: Promise::resolve(&JsValue::UNDEFINED),
        };
        let iterator: JsValue = ItemIterator { state: Rc::new(RefCell::new(state)) }.into();
        async_iterable(&iterator);
        iterator
    }
}

#[wasm_bindgen]
impl ItemIterator {
    /// The next item: `{ value, done: false }`, or `{ done: true }` after
    /// the last page.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<any>>")]
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let before = state.borrow().tail.clone();
        let promise = spawn(Box::pin(async move {
            // The previous call's outcome was delivered to its own caller.
            let _ = JsFuture::from(before).await;
            next_item(&state).await
        }));
        self.state.borrow_mut().tail = promise.clone();
        promise
    }

    /// Stops the iteration (what `break` in `for await` calls).
    #[wasm_bindgen(js_name = "return", unchecked_return_type = "Promise<IteratorResult<any>>")]
    pub fn finish(&self) -> Promise {
        let mut state = self.state.borrow_mut();
        state.finished = true;
        state.items = None;
        Promise::resolve(&result(JsValue::UNDEFINED, true))
    }
}

async fn next_item(state: &Rc<RefCell<State>>) -> Result<JsValue, JsValue> {
    loop {
        let (client, mut walk) = {
            let mut s = state.borrow_mut();
            if s.finished {
                return Ok(result(JsValue::UNDEFINED, true));
            }
            if let Some(item) = s.take_item() {
                return Ok(result(item, false));
            }
            let walk = match &s.walk {
                Ok(walk) => walk.clone(),
                Err(error) => {
                    let error = to_js(error);
                    s.finished = true;
                    return Err(error);
                }
            };
            (s.shared.client(s.signal.clone()), walk)
        };
        // No borrow is held across the call: `return()` may run meanwhile.
        let page = client.next_page(&mut walk).await;
        let mut s = state.borrow_mut();
        if s.finished {
            return Ok(result(JsValue::UNDEFINED, true));
        }
        match page {
            Ok(Some(body)) => {
                s.walk = Ok(walk);
                s.items = body.get("data").and_then(|d| d.dyn_into::<Array>().ok());
                s.next_index = 0;
            }
            Ok(None) => s.finished = true,
            Err(error) => {
                // Kept as it was: a transient failure can be retried with
                // another `next()`; an abort ends the iteration. The error
                // says where a new iterator can start without fetching the
                // pages already read again.
                if error.is_aborted() {
                    s.finished = true;
                }
                let js = to_js(&error);
                if let Some(after) = walk.after() {
                    let _ = Reflect::set(&js, &JsValue::from_str("cursor"), &JsValue::from_str(after));
                }
                return Err(js);
            }
        }
    }
}

impl State {
    fn take_item(&mut self) -> Option<JsValue> {
        let items = self.items.as_ref()?;
        if self.next_index >= items.length() {
            self.items = None;
            return None;
        }
        let item = items.get(self.next_index);
        self.next_index += 1;
        Some(item)
    }
}

fn result(value: JsValue, done: bool) -> JsValue {
    let result = Object::new();
    let _ = Reflect::set(&result, &JsValue::from_str("value"), &value);
    let _ = Reflect::set(&result, &JsValue::from_str("done"), &JsValue::from_bool(done));
    result.into()
}
