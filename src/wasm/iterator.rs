//! The async iterators of `conversations()` and `messages()`: an
//! `ItemIterator` (JS, in `calls.js`) over a [`Walk`], which says
//! which page to read next and moves on past each page read. A page is
//! fetched, as a JS-driven [`Call`], when the items of the one before are
//! used up.

use crate::prelude::*;

use alloc::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::call::{Answer, Call};
use super::error::to_js;
use super::state::ClientState;
use crate::client::ListWalk;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::transport::fetch::AbortSignal;

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// The `ItemIterator` over `walk`.
    #[wasm_bindgen(js_name = iterate)]
    fn item_iterator(walk: Walk) -> JsValue;
}

/// A list being read page by page for an `ItemIterator` (internal).
#[wasm_bindgen(skip_typescript)]
pub struct Walk {
    state: Rc<ClientState>,
    /// `Err`: the bad argument the first `next()` rejects with; `None`
    /// once it did.
    walk: Option<Result<ListWalk, Error>>,
    signal: Option<AbortSignal>,
}

impl Walk {
    /// The `ItemIterator` JS sees. A bad argument in `walk` rejects the
    /// first `next()`; the iteration then ends.
    pub(super) fn start(state: Rc<ClientState>, walk: Result<(ListWalk, Option<AbortSignal>), Error>) -> JsValue {
        let (walk, signal) = match walk {
            Ok((walk, signal)) => (Ok(walk), signal),
            Err(error) => (Err(error), None),
        };
        item_iterator(Self { state, walk: Some(walk), signal })
    }
}

#[wasm_bindgen]
impl Walk {
    /// The promise of the next page; `undefined` after the last one.
    /// Throws the `GraphError` of a bad argument, or the one a page left
    /// for the next call.
    pub fn page(&mut self) -> Result<JsValue, JsValue> {
        let walk = match &mut self.walk {
            Some(Ok(walk)) => walk,
            Some(Err(_)) => match self.walk.take() {
                Some(Err(error)) => return Err(to_js(&error)),
                _ => return Ok(JsValue::UNDEFINED),
            },
            None => return Ok(JsValue::UNDEFINED),
        };
        let node = walk.node();
        match walk.next_request() {
            Ok(Some(request)) => {
                Ok(Call::read(&self.state, Ok((request, self.signal.clone())), Answer::Page(node)).into())
            }
            Ok(None) => Ok(JsValue::UNDEFINED),
            Err(error) => Err(to_js(&error)),
        }
    }

    /// Moves on past `page`, just read, and hands back its items.
    pub fn items(&mut self, page: JsValue) -> Array {
        if let Some(Ok(walk)) = &mut self.walk {
            walk.read(&page);
        }
        page.get("data").and_then(|data| data.dyn_into::<Array>().ok()).unwrap_or_default()
    }

    /// Where a new iterator goes on without reading the pages already read
    /// again: the `after` cursor of the page to read next.
    pub fn after(&self) -> Option<String> {
        match &self.walk {
            Some(Ok(walk)) => walk.after().map(str::to_owned),
            _ => None,
        }
    }
}
