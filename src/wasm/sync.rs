//! `syncInbox` driven from JS: `runSync` in `calls.js` starts the
//! calls the [`Sync`] hands out (each a driven [`Call`], at most
//! `concurrency` at once), whose outcomes go straight to the sync, until
//! none is left or the sync stopped. The bookkeeping is [`SyncRun`]'s.

use crate::prelude::*;

use ::core::cell::RefCell;
use alloc::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::call::{Answer, Call};
use super::error::to_js;
use super::json::{js_array, js_strings};
use super::keys::key;
use super::options::{id_argument, sync_options};
use super::state::ClientState;
use crate::client::{InboxSync, SyncProgress, SyncRun};
use crate::core::error::Error;
use crate::transport::fetch::AbortSignal;

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// Runs `sync` to its end: a promise of its `InboxSync`.
    #[wasm_bindgen(js_name = runSync)]
    fn run_sync(sync: Sync, signal: Option<AbortSignal>) -> Promise;
}

/// What a sync's calls share: the run, and the caller's progress callback.
pub struct SyncShared {
    run: RefCell<Option<SyncRun<JsValue>>>,
    on_progress: Option<Function>,
}

impl SyncShared {
    /// The outcome of call `id`; the progress callback hears of it.
    pub fn answered(&self, id: u64, answer: Result<JsValue, Error>) {
        let progress = self.run.borrow_mut().as_mut().and_then(|run| run.answered(id, answer));
        if let (Some(progress), Some(callback)) = (progress, &self.on_progress) {
            // A throwing callback must not stop the sync.
            let _ = callback.call1(&JsValue::UNDEFINED, &progress_object(progress));
        }
    }
}

/// A `syncInbox` under way (internal: `runSync` is its only user).
#[wasm_bindgen(skip_typescript)]
pub struct Sync {
    state: Rc<ClientState>,
    shared: Rc<SyncShared>,
    page_id: String,
}

impl Sync {
    /// Starts syncing `page_id` as a promise of its `InboxSync`. A bad
    /// argument rejects at once, with nothing sent.
    pub fn start(state: &Rc<ClientState>, page_id: &JsValue, options: Option<JsValue>) -> Promise {
        let started = (|| {
            let page_id = id_argument("pageId", page_id)?;
            let args = sync_options(&options.unwrap_or_default())?;
            let learned = state.page_sizes().borrow().learned(&page_id);
            let run = SyncRun::new(&page_id, args.options, args.cursor.as_deref(), learned)?;
            let shared = Rc::new(SyncShared { run: RefCell::new(Some(run)), on_progress: args.on_progress });
            Ok((Self { state: Rc::clone(state), shared, page_id }, args.signal))
        })();
        match started {
            Ok((sync, signal)) => run_sync(sync, signal),
            Err(error) => Promise::reject(&to_js(&error)),
        }
    }
}

#[wasm_bindgen]
impl Sync {
    /// The next call to start, as a promise that settles when its outcome
    /// is in the sync; `undefined` when none may start now. `signal` is the
    /// sync's own: `runSync` aborts it to end the calls still under way.
    pub fn next(&self, signal: Option<AbortSignal>) -> JsValue {
        let step = self.shared.run.borrow_mut().as_mut().and_then(SyncRun::next_call);
        let Some(step) = step else { return JsValue::UNDEFINED };
        match step.request {
            Ok(request) => {
                let answer =
                    Answer::Sync { sync: Rc::clone(&self.shared), id: step.id, node: step.node, retries: step.retries };
                Call::start(&self.state, Ok((request.to_http(self.state.config()), signal)), answer).into()
            }
            Err(error) => {
                self.shared.answered(step.id, Err(error));
                Promise::resolve(&JsValue::UNDEFINED).into()
            }
        }
    }

    /// Whether the sync stopped on an error.
    pub fn stopped(&self) -> bool {
        self.shared.run.borrow().as_ref().is_none_or(SyncRun::stopped)
    }

    /// The `InboxSync`; throws the `GraphError` that stopped the sync, whose
    /// `cursor` and `inbox` keep what was read.
    pub fn finish(&self) -> Result<JsValue, JsValue> {
        let Some(run) = self.shared.run.borrow_mut().take() else {
            return Err(to_js(&Error::invalid_argument("this sync has ended")));
        };
        let (result, learned) = run.finish();
        if let Some(size) = learned {
            self.state.page_sizes().borrow_mut().learn(&self.page_id, size);
        }
        match result {
            Ok(inbox) => Ok(inbox_object(inbox)),
            Err(failure) => {
                let error = to_js(&failure.error);
                if let Some(partial) = failure.partial {
                    if let Some(cursor) = &partial.cursor {
                        let _ = Reflect::set(&error, &key("cursor"), &JsValue::from_str(cursor));
                    }
                    let _ = Reflect::set(&error, &key("inbox"), &inbox_object(partial));
                }
                Err(error)
            }
        }
    }
}

fn progress_object(progress: SyncProgress) -> JsValue {
    let object = Object::new();
    for (name, value) in
        [("conversations", progress.conversations), ("messages", progress.messages), ("requests", progress.requests)]
    {
        let _ = Reflect::set(&object, &key(name), &value.into());
    }
    object.into()
}

/// `{ conversations, requests, complete, cursor?, cutShort, accountIds }`;
/// each conversation is the Graph's object with `messages` as a plain
/// array.
fn inbox_object(inbox: InboxSync<JsValue>) -> JsValue {
    let conversations = Array::new();
    for thread in inbox.conversations {
        let conversation = match thread.conversation {
            Some(conversation) if conversation.is_object() => conversation,
            _ => {
                let object = Object::new();
                let _ = Reflect::set(&object, &key("id"), &JsValue::from_str(&thread.id));
                object.into()
            }
        };
        let messages = js_array(thread.messages);
        let _ = Reflect::set(&conversation, &key("messages"), &messages);
        conversations.push(&conversation);
    }
    let object = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&object, &key(name), value);
    };
    set("conversations", &conversations);
    set("requests", &inbox.requests.into());
    set("complete", &inbox.complete.into());
    if let Some(cursor) = &inbox.cursor {
        set("cursor", &JsValue::from_str(cursor));
    }
    set("cutShort", &js_strings(&inbox.cut_short));
    set("accountIds", &js_strings(&inbox.account_ids));
    object.into()
}
