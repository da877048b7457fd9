//! What the calls of one `GraphClient` share: its settings, its `fetch`,
//! its `usage` object and the pace of its access token, drawn from the
//! realm's registry of paces.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use crate::client::PageSizes;
use crate::core::config::ClientConfig;
use crate::core::request::HttpRequest;
use crate::core::retry::{Pacer, Paces};

/// The state of one `GraphClient`, shared by its calls and iterators.
pub struct ClientState {
    config: ClientConfig,
    fetch: Option<Function>,
    usage: Object,
    pacer: Rc<RefCell<Pacer>>,
    /// What adaptive syncs learned per account, for the client's life.
    page_sizes: RefCell<PageSizes>,
    /// `Authorization`'s value, and `exchange`'s header lines of a request
    /// with only that header (every read) as one JS string, made once: not
    /// built and decoded again on every call.
    auth_lines: (String, JsValue),
}

impl ClientState {
    /// The state of a new client, joined to its token's pace.
    pub fn new(config: ClientConfig, fetch: Option<Function>) -> Rc<Self> {
        let token = config.access_token.expose();
        let pacer = PACES.with(|paces| paces.borrow_mut().pace_for(token, js_sys::Date::now()));
        let authorization = config.access_token.authorization();
        let lines = JsValue::from_str(&format!("Authorization\n{authorization}\n"));
        let auth_lines = (authorization, lines);
        Rc::new(Self { config, fetch, usage: Object::new(), pacer, page_sizes: RefCell::default(), auth_lines })
    }

    /// The latest usage headers (`client.usage`).
    pub fn usage(&self) -> &Object {
        &self.usage
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The caller's `fetch`; `None` for the global one.
    pub fn fetch(&self) -> Option<&Function> {
        self.fetch.as_ref()
    }

    /// The pace of this client's token.
    pub fn pacer(&self) -> &RefCell<Pacer> {
        &self.pacer
    }

    /// `request`'s headers as `exchange` takes them (`name\nvalue\n` per
    /// header): the one JS string of this client's `Authorization` alone,
    /// or `None` for other headers (see `header_lines`).
    pub fn auth_lines(&self, request: &HttpRequest) -> Option<&JsValue> {
        match request.headers.as_slice() {
            [("Authorization", value)] if *value == self.auth_lines.0 => Some(&self.auth_lines.1),
            _ => None,
        }
    }

    /// What adaptive syncs of this client learned, per account.
    pub fn page_sizes(&self) -> &RefCell<PageSizes> {
        &self.page_sizes
    }
}

thread_local! {
    /// The paces of this realm (see [`Paces`]).
    static PACES: RefCell<Paces> = RefCell::new(Paces::default());
}
