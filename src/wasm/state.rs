//! What the calls of one `GraphClient` share: its settings, its `fetch`,
//! its `usage` object and the pace of its access token, drawn from the
//! realm's registry of paces.

use crate::prelude::*;

use ::core::cell::RefCell;
use alloc::rc::Rc;

use js_sys::{Function, Object};
use wasm_bindgen::JsValue;

use crate::client::PageSizes;
use crate::core::config::ClientConfig;
use crate::core::request::{auth_headers, HttpRequest};
use crate::core::retry::{Pacer, Paces};
use crate::transport::fetch::header_lines;

/// The state of one `GraphClient`, shared by its calls and iterators.
pub struct ClientState {
    config: ClientConfig,
    fetch: Option<Function>,
    usage: Object,
    pacer: Rc<RefCell<Pacer>>,
    /// What adaptive syncs learned per account, for the client's life.
    page_sizes: RefCell<PageSizes>,
    /// The headers of a read with the token in the header
    /// (`Authorization` alone), and `exchange`'s header lines of them as one
    /// JS string, made once: not built and decoded again on every call.
    read_headers: (Vec<(&'static str, String)>, JsValue),
}

impl ClientState {
    /// The state of a new client, joined to its token's pace.
    pub fn new(config: ClientConfig, fetch: Option<Function>) -> Rc<Self> {
        let token = config.access_token.expose();
        let pacer = PACES.with(|paces| paces.borrow_mut().pace_for(token, js_sys::Date::now()));
        let headers = auth_headers(&config);
        let lines = JsValue::from_str(&header_lines(&headers));
        let read_headers = (headers, lines);
        Rc::new(Self { config, fetch, usage: Object::new(), pacer, page_sizes: RefCell::default(), read_headers })
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

    /// `request`'s headers as `exchange` takes them, when they are a
    /// read's: the one JS string made for them; `None` for others (a send's
    /// form, the token in the body), which `header_lines` writes.
    pub fn read_header_lines(&self, request: &HttpRequest) -> Option<&JsValue> {
        (request.headers == self.read_headers.0).then_some(&self.read_headers.1)
    }

    /// What adaptive syncs of this client learned, per account.
    pub fn page_sizes(&self) -> &RefCell<PageSizes> {
        &self.page_sizes
    }
}

/// The paces of this realm (see [`Paces`]).
static PACES: super::local::Local<RefCell<Paces>> = super::local::Local(RefCell::new(Paces::new()));
