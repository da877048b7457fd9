//! # graph-conversations
//!
//! A typed client for Meta's Graph **Conversations API**: the Messenger and
//! Instagram inboxes of a Facebook Page. It lists conversations (by
//! platform, folder or person), pages through their messages, and reads
//! message details — attachments, reactions, shares, story replies, tags —
//! with Graph errors turned into one typed [`Error`].
//!
//! The crate compiles to WebAssembly and ships as the npm package
//! `graph-conversations` (`GraphClient`, `GraphError`), for Node, browsers
//! and Cloudflare Workers. In Rust, the [`Client`] runs over any
//! [`Transport`]:
//!
//! ```
//! use graph_conversations::{Client, ClientConfig, ConversationQuery, Platform};
//! use graph_conversations::transport::scripted::{block_on, ScriptedTransport};
//! use serde_json::json;
//!
//! let transport = ScriptedTransport::new();
//! transport.answer_json(200, json!({"data": [{"id": "t_1", "updated_time": "2026-11-20T14:03:11+0000"}]}));
//! let client = Client::new(ClientConfig::new("PAGE-ACCESS-TOKEN")?, transport);
//!
//! let query = ConversationQuery { platform: Some(Platform::Instagram), ..Default::default() };
//! let page = block_on(client.list_conversations("104620945892041", &query))?;
//! assert_eq!(page["data"][0]["id"], "t_1");
//!
//! let sent = &client.transport().sent()[0];
//! assert!(sent.url.ends_with("/104620945892041/conversations?platform=instagram"));
//! # Ok::<(), graph_conversations::Error>(())
//! ```
//!
//! Layout: [`core`] is pure (requests, answers, errors, paging, usage, a
//! call's attempts: [`call`]); [`client`] holds the machines of a list, a
//! batch read and a sync, and the async client that drives them over one
//! [`Transport`] seam; [`transport`] holds the wasm build's `fetch` seam
//! and a scripted test double; `wasm` is the thin `#[wasm_bindgen]`
//! facade, whose calls JS drives with no Rust future.
//!
//! Reference: <https://developers.facebook.com/docs/messenger-platform/conversations>.

// No `std` in the wasm build: its panic machinery (which formats every
// panic's message) and thread-locals were about 1 KB of the gzipped .wasm.
// `alloc` and `core` give the rest; `prelude` what `std`'s prelude gave.
#![cfg_attr(target_arch = "wasm32", no_std)]
#![deny(missing_docs)]
// One `unsafe`: `wasm::local::Local` is `Sync` because the wasm build runs
// one thread.
#![deny(unsafe_code)]
// A `str` sliced by index (`&text[a..b]`) can panic, and its panic path
// formats the text (Unicode tables and all: about 4 KB of the gzipped
// wasm). The library slices with `get`, which cannot.
#![cfg_attr(not(test), deny(clippy::string_slice))]

extern crate alloc;

#[cfg(any(target_arch = "wasm32", test))]
mod float;
mod prelude;
mod text;

pub mod client;
mod core;
pub mod transport;
#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;
#[cfg(test)]
mod test_support;

pub use crate::client::{
    BatchRead, BatchStep, Client, InboxSync, ListWalk, SyncFailure, SyncProgress, SyncRun, SyncStep, SyncedThread,
    Transport,
};
pub use crate::core::config::{ClientConfig, TokenIn};
pub use crate::core::error::{Delivery, Error, ErrorDetail, ErrorKind, FieldValue, GraphErrorBody, GRAPH_ERROR_FIELDS};
pub use crate::core::ids::{ConversationId, MessageId, PageId, UserId};
pub use crate::core::inbox::{Changes, Inbox};
pub use crate::core::json::Json;
pub use crate::core::models::{Conversation, Message, Participant};
pub use crate::core::send::{OutgoingMessage, SenderAction};
pub use crate::core::value::{Number, Value};
pub use crate::core::webhook::{EventKind, Reaction, WebhookEvent};

/// The Graph's objects as typed serde models — conversations, messages,
/// participants, attachments, reactions, shares, stories, tags — to read the
/// JSON values the [`Client`] returns:
/// `serde_json::from_value::<Page<Message>>(value)`.
pub mod models {
    pub use crate::core::models::*;
}
pub use crate::core::page::{Cursors, Page, Paging};
pub use crate::core::query::{ConversationQuery, Fields, Folder, MessageQuery, Platform};
pub use crate::core::request::{HttpRequest, Method};
pub use crate::core::response::HttpResponse;
pub use crate::core::secrets::BodyText;
pub use crate::core::sync::SyncOptions;
pub use crate::core::usage::{ResponseHeaders, Usage, UsageValues};

/// Webhooks: the subscription handshake, the `X-Hub-Signature-256` check
/// over the raw bytes, and the events of a body.
pub mod webhook {
    pub use crate::core::webhook::{
        challenge, check_body, events_json, parse, sign, verify_signature, EventKind, Reaction, WebhookEvent,
        MAX_BODY_BYTES, MAX_DEPTH,
    };
}

/// A call's attempts, decided without I/O: the pace, when to try again
/// ([`call::Retries`]), the error a call ends with.
pub mod call {
    pub use crate::core::call::*;
}

/// The inbox's own accounts among participants (see [`InboxSync::account_ids`]).
pub use crate::core::account::own_ids;

/// The bounds and defaults of every numeric option, and the default Graph
/// version and address: one declaration each, shared by the Rust builders
/// and the JS facade.
pub mod options {
    pub use crate::core::options::*;
}
