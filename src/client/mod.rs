//! The client's state machines, and the async client that drives them
//! over any [`Transport`].
//!
//! The decisions of every call live in pure machines: a call's attempts
//! ([`Attempts`]), a list walked page by page ([`ListWalk`]), a batch read
//! ([`BatchRead`]) and a sync ([`SyncRun`]). The wasm facade drives them
//! from JS, with no Rust future (`src/wasm`, and the drivers in
//! `js/calls.js`); [`Client`] drives the same machines with
//! `async` Rust over a [`Transport`], which is how they are tested
//! natively (over a scripted transport) and how a Rust program uses the
//! crate.

use crate::prelude::*;

mod batch;
mod first_of;
mod sync;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests_send;

use ::core::cell::RefCell;
use alloc::rc::Rc;

pub use batch::{BatchRead, BatchStep};
pub use sync::{InboxSync, PageSizes, SyncFailure, SyncProgress, SyncRun, SyncStep, SyncedThread};

use crate::core::call::{read_answer, refuse_secret_in_url, Attempts, Retries};
use crate::core::config::ClientConfig;
use crate::core::error::Error;
use crate::core::ids::{ConversationId, MessageId, PageId, UserId};
use crate::core::json::Json;
use crate::core::page::{check_node, check_page, next_cursor, CursorWalk, Node};
use crate::core::query::{ConversationQuery, Fields, MessageQuery, Platform};
use crate::core::request::{GraphRequest, HttpRequest};
use crate::core::response::HttpResponse;
use crate::core::retry::Pacer;
use crate::core::send::{sent_id, sent_message, OutgoingMessage, SendRequest, SenderAction};
use crate::core::usage::UsageValues;

/// The one place where HTTP happens: sends a request, hands back the answer.
///
/// Timeouts and cancellation belong to the transport (the fetch transport
/// aborts its `AbortController`); it reports them as [`Error::timeout`] and
/// [`Error::aborted`], and a failed connection as [`Error::network`].
#[allow(async_fn_in_trait)] // single-threaded (wasm): no `Send` bound wanted
pub trait Transport {
    /// How this transport's JSON bodies are held.
    type Json: Json;

    /// Sends `request`; any HTTP answer, whatever its status, is `Ok`, with
    /// its body as received (the client redacts and parses it) and its
    /// usage headers, parsed.
    ///
    /// # Errors
    /// A network error, a timeout or an abort ([`Error::network`],
    /// [`Error::timeout`], [`Error::aborted`]) when no answer came.
    async fn send(&self, request: HttpRequest) -> Result<Received<Self::Json>, Error>;

    /// Waits `ms` milliseconds (before a retry, or to keep a pace).
    ///
    /// # Errors
    /// [`Error::aborted`] when the caller aborts meanwhile.
    async fn sleep(&self, ms: f64) -> Result<(), Error>;

    /// The time, in milliseconds, on a clock that [`Transport::sleep`] moves.
    fn now_ms(&self) -> f64;

    /// A number in `[0, 1)`, for the backoff's jitter.
    fn random(&self) -> f64;

    /// Sees the usage headers of every answer (for `client.usage`).
    fn observe_usage(&self, _usage: &UsageValues<Self::Json>) {}
}

/// An answer as a transport received it, and its usage headers, parsed.
pub type Received<J> = (HttpResponse<<J as Json>::Text>, UsageValues<J>);

/// A list being read page by page (what `conversations()` and
/// `messages()` iterate over).
#[derive(Clone, Debug)]
pub struct ListWalk {
    request: GraphRequest,
    node: Node,
    cursor: CursorWalk,
    deferred: Option<Error>,
}

impl ListWalk {
    /// Starts walking `GET /{page-id}/conversations` from `query.after`.
    /// Nothing is sent until [`Client::next_page`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a bad id or query.
    pub fn conversations(page_id: &str, query: &ConversationQuery) -> Result<Self, Error> {
        let request = GraphRequest::list_conversations(&PageId::new(page_id)?, query)?;
        Self::new(request, Node::Conversation, query.after.clone(), query.before.as_ref())
    }

    /// Starts walking a conversation's messages from `query.after`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a bad id or query.
    pub fn messages(conversation_id: &str, query: &MessageQuery) -> Result<Self, Error> {
        let request = GraphRequest::list_messages(&ConversationId::new(conversation_id)?, query)?;
        Self::new(request, Node::Message, query.after.clone(), query.before.as_ref())
    }

    /// A walk over `request` from `after`. Walks go forward (to older
    /// items) only: a `before` cursor belongs to a single `list…` call.
    fn new(request: GraphRequest, node: Node, after: Option<String>, before: Option<&String>) -> Result<Self, Error> {
        if before.is_some() {
            return Err(Error::invalid_argument(
                "the iterators walk forward from `after`; use listConversations / listMessages with `before`",
            ));
        }
        Ok(Self { request, node, cursor: CursorWalk::starting_at(after), deferred: None })
    }

    /// Whether the last page has been read.
    pub fn done(&self) -> bool {
        self.deferred.is_none() && self.cursor.done()
    }

    /// The `after` cursor of the page to read next (`None` for the first):
    /// where a new walk goes on after this one failed.
    pub fn after(&self) -> Option<&str> {
        self.cursor.after()
    }

    /// The kind of node the list holds.
    pub fn node(&self) -> Node {
        self.node
    }

    /// The request of the next page; `None` after the last one.
    ///
    /// # Errors
    /// The error a page left for the next call (a repeated cursor): the
    /// page that carried it was returned first, so none is lost.
    pub fn next_request(&mut self) -> Result<Option<GraphRequest>, Error> {
        if let Some(error) = self.deferred.take() {
            return Err(error);
        }
        if self.cursor.done() {
            return Ok(None);
        }
        Ok(Some(match self.cursor.after() {
            Some(after) => self.request.with_after(after),
            None => self.request.clone(),
        }))
    }

    /// Moves on past `page`, just read: to its `after` cursor, or to the
    /// end. A page whose cursor is off ends the walk after it, with the
    /// error kept for the next call.
    pub fn read<J: Json>(&mut self, page: &J) {
        if let Err(error) = next_cursor(page).and_then(|next| self.cursor.advance(next)) {
            let _ = self.cursor.advance(None);
            self.deferred = Some(error);
        }
    }
}

/// A Graph client over the transport `T`.
#[derive(Debug)]
pub struct Client<T> {
    config: ClientConfig,
    transport: T,
    pacer: Rc<RefCell<Pacer>>,
    /// What adaptive syncs learned per account.
    page_sizes: RefCell<PageSizes>,
}

impl<T: Transport> Client<T> {
    /// A client with `config` that sends through `transport`, with a pace
    /// of its own.
    pub fn new(config: ClientConfig, transport: T) -> Self {
        Self::with_pacer(config, transport, Rc::default())
    }

    /// A client that shares `pacer` with every other client of the same
    /// access token, so that together they keep the token's budget.
    pub fn with_pacer(config: ClientConfig, transport: T, pacer: Rc<RefCell<Pacer>>) -> Self {
        Self { config, transport, pacer, page_sizes: RefCell::default() }
    }

    /// The settings.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// One page of `GET /{page-id}/conversations`.
    ///
    /// # Errors
    /// Any [`Error`]; [`Error::InvalidArgument`] before sending for a bad id
    /// or query.
    pub async fn list_conversations(&self, page_id: &str, query: &ConversationQuery) -> Result<T::Json, Error> {
        let request = GraphRequest::list_conversations(&PageId::new(page_id)?, query)?;
        self.list(&request, Node::Conversation).await
    }

    /// The thread between the Page and the person `user_id` on `platform`,
    /// or `None` when they have none.
    ///
    /// # Errors
    /// Any [`Error`]; [`Error::InvalidArgument`] before sending for a bad id.
    pub async fn find_conversation(
        &self,
        page_id: &str,
        user_id: &str,
        platform: Option<Platform>,
        fields: Option<Fields>,
    ) -> Result<Option<T::Json>, Error> {
        let query = ConversationQuery {
            platform,
            user_id: Some(UserId::new(user_id)?.into_string()),
            fields,
            ..Default::default()
        };
        let page = self.list_conversations(page_id, &query).await?;
        Ok(page.get("data").and_then(|data| data.at(0)))
    }

    /// `GET /{conversation-id}`.
    ///
    /// # Errors
    /// Any [`Error`]; [`Error::InvalidArgument`] before sending.
    pub async fn get_conversation(&self, id: &str, fields: Option<&Fields>) -> Result<T::Json, Error> {
        let request = GraphRequest::get_conversation(&ConversationId::new(id)?, fields)?;
        self.node(&request, Node::Conversation).await
    }

    /// One page of a conversation's messages, newest first.
    ///
    /// # Errors
    /// Any [`Error`]; [`Error::InvalidArgument`] before sending.
    pub async fn list_messages(&self, conversation_id: &str, query: &MessageQuery) -> Result<T::Json, Error> {
        let request = GraphRequest::list_messages(&ConversationId::new(conversation_id)?, query)?;
        self.list(&request, Node::Message).await
    }

    /// `GET /{message-id}`. Only a thread's 20 newest messages have
    /// details; an older one answers with a Graph error (code 9000001).
    ///
    /// # Errors
    /// Any [`Error`]; [`Error::InvalidArgument`] before sending.
    pub async fn get_message(&self, id: &str, fields: Option<&Fields>) -> Result<T::Json, Error> {
        let request = GraphRequest::get_message(&MessageId::new(id)?, fields)?;
        self.node(&request, Node::Message).await
    }

    /// Many messages through Graph batch requests, at most 50 per HTTP call,
    /// in input order; an item that fails is an `Err` in its place (see
    /// [`BatchRead`] for the rules).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] (nothing sent) when any id or the fields
    /// are bad; an abort when the caller aborts; the error of the first
    /// batch call when every batch call failed (a bad token, say).
    pub async fn get_messages(
        &self,
        ids: &[String],
        fields: Option<&Fields>,
    ) -> Result<Vec<Result<T::Json, Error>>, Error> {
        let mut read = BatchRead::new(ids, fields, &self.config)?;
        loop {
            match read.next(&self.config, self.transport.random())? {
                BatchStep::Call(request, calls) => {
                    let outcome = self.send(&request, calls, &|body| read.check(body)).await;
                    read.answered(outcome)?;
                }
                BatchStep::Wait(ms) => self.transport.sleep(ms).await?,
                BatchStep::Done => return Ok(read.finish()),
            }
        }
    }

    /// Reads the next page of `walk`; `None` after the last one. A page is
    /// never lost: when the Graph repeats a cursor, the page that carried it
    /// is returned and the error comes on the next call.
    ///
    /// # Errors
    /// Any [`Error`]; after a failed call the walk can be tried again.
    pub async fn next_page(&self, walk: &mut ListWalk) -> Result<Option<T::Json>, Error> {
        let Some(request) = walk.next_request()? else { return Ok(None) };
        let body = self.list(&request, walk.node).await?;
        walk.read(&body);
        Ok(Some(body))
    }

    async fn list(&self, request: &GraphRequest, node: Node) -> Result<T::Json, Error> {
        self.list_with(request, node, Retries::Transient).await
    }

    /// A list call tried again after the failures `retries` names: an
    /// adaptive sync's large page ([`Retries::RateLimits`]) gives up at
    /// once on a failure a smaller request may not meet (a timeout, a 5xx,
    /// a cut body) and asks for a smaller page instead.
    async fn list_with(&self, request: &GraphRequest, node: Node, retries: Retries) -> Result<T::Json, Error> {
        let http = request.to_http(&self.config);
        self.send_with(&http, 1, &|body| check_page(body, node, Some(200)), retries).await
    }

    async fn node(&self, request: &GraphRequest, node: Node) -> Result<T::Json, Error> {
        self.send(&request.to_http(&self.config), 1, &|body| check_node(body, node, Some(200))).await
    }

    /// Sends `message` from `account` to `recipient` through the Send API
    /// and resolves to `{ recipientId, messageId, message }` (the message as
    /// a Graph Message node). Sends are not held to the Conversations API's
    /// pace.
    ///
    /// A message is never sent twice: it is tried again only when the
    /// answer proves the Graph did not take it (an error body with a
    /// throttling code), waiting as the Graph asks.
    ///
    /// # Errors
    /// An invalid-argument error (nothing sent) for a message the Graph
    /// would refuse; otherwise an error with [`Error::delivery`]:
    /// [`Delivery::Unknown`] when no answer came or the answer does not say
    /// (a timeout, a reset, a proxy's page, a success without a
    /// `message_id`), [`Delivery::NotSent`] when the Graph refused it — with
    /// words a person can act on for the window, an unavailable or unknown
    /// person, a restricted Page, a retired tag.
    pub async fn send_message(
        &self,
        account: &str,
        recipient: &str,
        message: &OutgoingMessage,
    ) -> Result<T::Json, Error> {
        let request = SendRequest::message(account, recipient, message)?;
        let http = request.to_http(&self.config);
        // An answer without a message_id ends the send like any failure
        // that does not prove the Graph refused it: delivery unknown.
        let body = self.send_with(&http, 1, &|body| sent_id(body).map(drop), Retries::Send).await?;
        let mid = sent_id(&body)?;
        Ok(sent_message(&request, mid, self.transport.now_ms()).build())
    }

    /// A sender action (`typing_on`, `typing_off`, `mark_seen`), sent under
    /// the same never-twice rule.
    ///
    /// # Errors
    /// As [`Client::send_message`].
    pub async fn send_action(&self, account: &str, recipient: &str, action: SenderAction) -> Result<(), Error> {
        let request = SendRequest::action(account, recipient, action)?;
        self.deliver(&request.to_http(&self.config)).await.map(|_| ())
    }

    /// Reacts to message `mid` with `emoji`, or takes the reaction back
    /// (`None`).
    ///
    /// # Errors
    /// As [`Client::send_message`].
    pub async fn react(&self, account: &str, recipient: &str, mid: &str, emoji: Option<&str>) -> Result<(), Error> {
        let request = SendRequest::react(account, recipient, mid, emoji)?;
        self.deliver(&request.to_http(&self.config)).await.map(|_| ())
    }

    /// One Send API call, never sent twice: tried again only after an error
    /// body with a throttling code (the Graph did not take it). Every error
    /// says whether the message went out ([`Retries::Send`]).
    async fn deliver(&self, request: &HttpRequest) -> Result<T::Json, Error> {
        self.send_with(request, 1, &|_| Ok(()), Retries::Send).await
    }

    /// Sends `request` (worth `calls` Graph calls) at the token's pace and
    /// reads its answer, which `check` must find of the right shape,
    /// retrying transient failures with backoff. The error of the last
    /// attempt says how many were made.
    ///
    /// This is the one way out of the I/O seam: every error that a call
    /// ends with is redacted here ([`Secrets::redact_error`](crate::core::secrets::Secrets::redact_error)).
    async fn send(
        &self,
        request: &HttpRequest,
        calls: u32,
        check: &dyn Fn(&T::Json) -> Result<(), Error>,
    ) -> Result<T::Json, Error> {
        self.send_with(request, calls, check, Retries::Transient).await
    }

    /// [`Client::send`], retrying the failures `retries` names: the
    /// core's [`Attempts`] decide, this loop sends and waits.
    async fn send_with(
        &self,
        request: &HttpRequest,
        calls: u32,
        check: &dyn Fn(&T::Json) -> Result<(), Error>,
        retries: Retries,
    ) -> Result<T::Json, Error> {
        refuse_secret_in_url(&self.config, request)?;
        let mut attempts = Attempts::new(&self.config, calls, retries);
        loop {
            let now = self.transport.now_ms();
            let pace = attempts.pace(&mut self.pacer.borrow_mut(), now, self.config.calls_per_second);
            // `sleep` fails only when the caller aborts.
            if pace > 0.0 && self.transport.sleep(pace).await.is_err() {
                return Err(attempts.end_aborted(&self.config));
            }
            attempts.sent();
            let error = match self.send_once(request.clone()).await.and_then(|body| check(&body).map(|()| body)) {
                Ok(body) => return Ok(body),
                Err(error) => error,
            };
            match attempts.after_failure(error, self.transport.random()) {
                // An abort ends even a wait of 0 ms.
                Ok(ms) if self.transport.sleep(ms).await.is_err() => return Err(attempts.end_aborted(&self.config)),
                Ok(_) => {}
                Err(error) => return Err(attempts.end(error, &self.config)),
            }
        }
    }

    /// One attempt: sends and reads the answer ([`read_answer`]: the body
    /// is redacted before anything parses or quotes it).
    async fn send_once(&self, request: HttpRequest) -> Result<T::Json, Error> {
        let (response, usage) = self.transport.send(request).await?;
        if !usage.is_empty() {
            self.transport.observe_usage(&usage);
        }
        read_answer(&self.config, response, &usage)
    }
}
