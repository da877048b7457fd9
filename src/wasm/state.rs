//! What the calls of one `GraphClient` share: its settings, its `fetch`,
//! its `usage` object and the pace of its access token — and the registry
//! of paces, one per token, that every client in this realm draws from.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use sha2::{Digest, Sha256};
use wasm_bindgen::JsValue;

use crate::client::Client;
use crate::core::config::ClientConfig;
use crate::core::retry::Pacer;
use crate::core::usage::UsageValues;
use crate::transport::fetch::{AbortSignal, FetchTransport};

/// The state of one `GraphClient`, shared by its calls and iterators.
pub struct ClientState {
    config: ClientConfig,
    fetch: Option<Function>,
    usage: Object,
    pacer: Rc<RefCell<Pacer>>,
}

impl ClientState {
    /// The state of a new client, joined to its token's pace.
    pub fn new(config: ClientConfig, fetch: Option<Function>) -> Rc<Self> {
        let pacer = PACES.with(|paces| paces.borrow_mut().pace_for(&config, js_sys::Date::now()));
        Rc::new(Self { config, fetch, usage: Object::new(), pacer })
    }

    /// The latest usage headers (`client.usage`).
    pub fn usage(&self) -> &Object {
        &self.usage
    }

    /// A client for one call, which `signal` can abort.
    pub fn client(self: &Rc<Self>, signal: Option<AbortSignal>) -> Client<FetchTransport> {
        let state = Rc::clone(self);
        let transport = FetchTransport {
            fetch: self.fetch.clone(),
            timeout_ms: self.config.timeout_ms,
            signal,
            on_usage: Rc::new(move |values: &UsageValues<JsValue>| state.record_usage(values)),
        };
        Client::with_pacer(self.config.clone(), transport, self.pacer.clone())
    }

    /// Keeps the latest value of each usage header on `client.usage`.
    fn record_usage(&self, values: &UsageValues<JsValue>) {
        let headers = [("app", &values.app), ("page", &values.page), ("business_use_case", &values.business_use_case)];
        for (key, value) in headers {
            if let Some(value) = value {
                let _ = Reflect::set(&self.usage, &JsValue::from_str(key), value);
            }
        }
    }
}

thread_local! {
    static PACES: RefCell<Paces> = RefCell::new(Paces::default());
}

/// One pace per access token, shared by every client in this realm that
/// uses the token: the Graph's budget is per Page, not per client. Keyed by
/// a hash of the token, so the registry holds no copy of it.
///
/// A pace stays while a client holds it or while it still holds back a
/// call (its next start is in the future); each new client drops the
/// others, so a long-lived Worker that makes a client per request keeps
/// only the paces in use.
#[derive(Default)]
struct Paces {
    by_token: HashMap<[u8; 32], Rc<RefCell<Pacer>>>,
}

impl Paces {
    fn pace_for(&mut self, config: &ClientConfig, now_ms: f64) -> Rc<RefCell<Pacer>> {
        self.by_token.retain(|_, pacer| Rc::strong_count(pacer) > 1 || !pacer.borrow().is_idle(now_ms));
        let key: [u8; 32] = Sha256::digest(config.access_token.expose().as_bytes()).into();
        self.by_token.entry(key).or_default().clone()
    }
}
