//! `GraphClient`: the JS class over [`Client`].

use crate::prelude::*;

use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::batch::Batch;
use super::call::{Answer, Call};
use super::error::to_js;
use super::iterator::Walk;
use super::options::{
    client_options, conversation_query, find_options, id_argument, id_list, in_browser, message_query, node_options,
    send_message_options, signal_only,
};
use super::state::ClientState;
use super::sync::Sync;
use crate::client::{BatchRead, ListWalk};
use crate::core::error::Error;
use crate::core::ids::{ConversationId, MessageId, PageId, UserId};
use crate::core::page::Node;
use crate::core::query::ConversationQuery;
use crate::core::request::GraphRequest;
use crate::core::send::{SendRequest, SenderAction};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
}

static APP_SECRET_WARNED: ::core::sync::atomic::AtomicBool = ::core::sync::atomic::AtomicBool::new(false);

/// Anyone who opens the page can read an app secret out of it: say so,
/// once per page, without the secret.
fn warn_app_secret_once() {
    if !APP_SECRET_WARNED.swap(true, ::core::sync::atomic::Ordering::Relaxed) {
        console_warn(
            "graph-conversations: appSecret was given in a browser. Anyone who opens this page can read it; \
             keep app secrets on a server or an edge worker, or pass a precomputed appSecretProof from there.",
        );
    }
}

/// A client for the Graph Conversations API: the Messenger and Instagram
/// inboxes of a Page.
///
/// ```js
/// const client = new GraphClient({ accessToken });
/// for await (const c of client.conversations(pageId, { platform: "instagram" })) console.log(c.id);
/// ```
///
/// Every method returns a Promise (or an async iterator); every failure
/// rejects with a `GraphError`.
#[wasm_bindgen]
pub struct GraphClient {
    shared: Rc<ClientState>,
}

#[wasm_bindgen]
impl GraphClient {
    /// Creates a client. Throws a `GraphError` (`kind: "invalid_argument"`)
    /// for a missing token or a bad option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<GraphClient, JsValue> {
        let (config, fetch) = client_options(&options).map_err(|e| to_js(&e))?;
        if config.app_secret.is_some() && in_browser() {
            warn_app_secret_once();
        }
        Ok(GraphClient { shared: ClientState::new(config, fetch) })
    }

    /// The latest `X-App-Usage`, `X-Page-Usage` and
    /// `X-Business-Use-Case-Usage` headers, parsed: how close the app and the
    /// Page are to their rate limits.
    #[wasm_bindgen(getter, unchecked_return_type = "Usage")]
    pub fn usage(&self) -> JsValue {
        // The parsed header objects, kept as JS values: typed, not copied.
        self.shared.usage().clone().into()
    }

    /// One page of `GET /{page-id}/conversations`, newest first.
    #[wasm_bindgen(js_name = listConversations, unchecked_return_type = "Promise<Page<Conversation>>")]
    pub fn list_conversations(
        &self,
        #[wasm_bindgen(js_name = pageId, unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ConversationQuery & RequestOptions")] query: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let page_id = PageId::new(id_argument("pageId", &page_id)?)?;
            let (query, signal) = conversation_query(&query.unwrap_or_default())?;
            Ok((GraphRequest::list_conversations(&page_id, &query)?, signal))
        })();
        Call::read(&self.shared, request, Answer::Page(Node::Conversation))
    }

    /// Every conversation of `GET /{page-id}/conversations`, following the
    /// cursors page by page.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<Conversation>")]
    pub fn conversations(
        &self,
        #[wasm_bindgen(js_name = pageId, unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ConversationQuery & RequestOptions")] query: Option<JsValue>,
    ) -> JsValue {
        let walk = id_argument("pageId", &page_id).and_then(|page_id| {
            let (query, signal) = conversation_query(&query.unwrap_or_default())?;
            let walk = ListWalk::conversations(&page_id, &query)?;
            Ok((walk, signal))
        });
        Walk::start(self.shared.clone(), walk)
    }

    /// The conversation between the Page and the person `userId` (PSID or
    /// IGSID), or `null` when they have none.
    #[wasm_bindgen(js_name = findConversation, unchecked_return_type = "Promise<Conversation | null>")]
    pub fn find_conversation(
        &self,
        #[wasm_bindgen(js_name = pageId, unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(js_name = userId, unchecked_param_type = "string")] user_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FindConversationOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let page_id = PageId::new(id_argument("pageId", &page_id)?)?;
            let user_id = UserId::new(id_argument("userId", &user_id)?)?;
            let find = find_options(&options.unwrap_or_default())?;
            let query = ConversationQuery {
                platform: find.platform,
                user_id: Some(user_id.into_string()),
                fields: find.fields,
                ..Default::default()
            };
            Ok((GraphRequest::list_conversations(&page_id, &query)?, find.signal))
        })();
        Call::read(&self.shared, request, Answer::FirstOf)
    }

    /// `GET /{conversation-id}`.
    #[wasm_bindgen(js_name = getConversation, unchecked_return_type = "Promise<Conversation>")]
    pub fn get_conversation(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "string")] conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "NodeOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let id = ConversationId::new(id_argument("conversationId", &conversation_id)?)?;
            let (fields, signal) = node_options(&options.unwrap_or_default())?;
            Ok((GraphRequest::get_conversation(&id, fields.as_ref())?, signal))
        })();
        Call::read(&self.shared, request, Answer::Node(Node::Conversation))
    }

    /// One page of a conversation's messages, newest first, with the
    /// documented message fields unless `fields` names others.
    #[wasm_bindgen(js_name = listMessages, unchecked_return_type = "Promise<Page<Message>>")]
    pub fn list_messages(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "string")] conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MessageQuery & RequestOptions")] query: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let id = ConversationId::new(id_argument("conversationId", &conversation_id)?)?;
            let (query, signal) = message_query(&query.unwrap_or_default())?;
            Ok((GraphRequest::list_messages(&id, &query)?, signal))
        })();
        Call::read(&self.shared, request, Answer::Page(Node::Message))
    }

    /// Every message of a conversation, newest first, following the cursors.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<Message>")]
    pub fn messages(
        &self,
        #[wasm_bindgen(js_name = conversationId, unchecked_param_type = "string")] conversation_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MessageQuery & RequestOptions")] query: Option<JsValue>,
    ) -> JsValue {
        let walk = id_argument("conversationId", &conversation_id).and_then(|id| {
            let (query, signal) = message_query(&query.unwrap_or_default())?;
            let walk = ListWalk::messages(&id, &query)?;
            Ok((walk, signal))
        });
        Walk::start(self.shared.clone(), walk)
    }

    /// `GET /{message-id}`. The Graph gives details only for a thread's 20
    /// newest messages; an older one rejects (code 9000001).
    #[wasm_bindgen(js_name = getMessage, unchecked_return_type = "Promise<Message>")]
    pub fn get_message(
        &self,
        #[wasm_bindgen(js_name = messageId, unchecked_param_type = "string")] message_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "NodeOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let id = MessageId::new(id_argument("messageId", &message_id)?)?;
            let (fields, signal) = node_options(&options.unwrap_or_default())?;
            Ok((GraphRequest::get_message(&id, fields.as_ref())?, signal))
        })();
        Call::read(&self.shared, request, Answer::Node(Node::Message))
    }

    /// Many messages through Graph batch requests (at most 50 per HTTP
    /// call), in input order; an item that fails is a `GraphError` in its
    /// place.
    #[wasm_bindgen(js_name = getMessages, unchecked_return_type = "Promise<MessageResult[]>")]
    pub fn get_messages(
        &self,
        #[wasm_bindgen(js_name = messageIds, unchecked_param_type = "string[]")] message_ids: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "NodeOptions")] options: Option<JsValue>,
    ) -> Promise {
        let read = (|| {
            let ids = id_list(&message_ids)?;
            let (fields, signal) = node_options(&options.unwrap_or_default())?;
            Ok((BatchRead::new(&ids, fields.as_ref(), self.shared.config())?, signal))
        })();
        Batch::start(&self.shared, read)
    }

    /// Sends a message through the Send API (`POST /{account-id}/messages`)
    /// and resolves to `{ recipientId, messageId, message }`, the message as
    /// a Graph Message node. Never sent twice: see `GraphError.delivery`.
    #[wasm_bindgen(js_name = sendMessage, unchecked_return_type = "Promise<SentMessage>")]
    pub fn send_message(
        &self,
        #[wasm_bindgen(js_name = accountId, unchecked_param_type = "string")] account_id: JsValue,
        #[wasm_bindgen(js_name = customerId, unchecked_param_type = "string")] customer_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OutgoingMessage & RequestOptions")] message: JsValue,
    ) -> Promise {
        let request = (|| {
            let (account, customer) = send_ids(&account_id, &customer_id)?;
            let (message, signal) = send_message_options(&message)?;
            Ok((SendRequest::message(&account, &customer, &message)?, signal))
        })();
        Call::send_api(&self.shared, request, Answer::Sent)
    }

    /// A sender action: `"typing_on"`, `"typing_off"` or `"mark_seen"`.
    #[wasm_bindgen(js_name = sendAction, unchecked_return_type = "Promise<void>")]
    pub fn send_action(
        &self,
        #[wasm_bindgen(js_name = accountId, unchecked_param_type = "string")] account_id: JsValue,
        #[wasm_bindgen(js_name = customerId, unchecked_param_type = "string")] customer_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"typing_on\" | \"typing_off\" | \"mark_seen\"")] action: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let (account, customer) = send_ids(&account_id, &customer_id)?;
            let action = SenderAction::parse(&id_argument("action", &action)?)?;
            let signal = signal_only(&options.unwrap_or_default())?;
            Ok((SendRequest::action(&account, &customer, action)?, signal))
        })();
        Call::send_api(&self.shared, request, |_| Answer::Done)
    }

    /// Reacts to message `mid` with an emoji, or takes the reaction back
    /// (`null`).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn react(
        &self,
        #[wasm_bindgen(js_name = accountId, unchecked_param_type = "string")] account_id: JsValue,
        #[wasm_bindgen(js_name = customerId, unchecked_param_type = "string")] customer_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] mid: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | null")] emoji: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: Option<JsValue>,
    ) -> Promise {
        let request = (|| {
            let (account, customer) = send_ids(&account_id, &customer_id)?;
            let mid = id_argument("mid", &mid)?;
            let emoji = match emoji.as_string() {
                Some(emoji) => Some(emoji),
                None if emoji.is_null() || emoji.is_undefined() => None,
                None => {
                    return Err(Error::invalid_argument("emoji must be a string, or null to take the reaction back"))
                }
            };
            let signal = signal_only(&options.unwrap_or_default())?;
            Ok((SendRequest::react(&account, &customer, &mid, emoji.as_deref())?, signal))
        })();
        Call::send_api(&self.shared, request, |_| Answer::Done)
    }

    /// Reads an inbox — its conversations with each one's newest messages
    /// and their details — in as few calls as the Graph allows: one per page
    /// of conversations, through field expansion. Rejects with a
    /// `GraphError` whose `cursor` and `inbox` keep what was read.
    #[wasm_bindgen(js_name = syncInbox, unchecked_return_type = "Promise<InboxSync>")]
    pub fn sync_inbox(
        &self,
        #[wasm_bindgen(js_name = pageId, unchecked_param_type = "string")] page_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SyncInboxOptions")] options: Option<JsValue>,
    ) -> Promise {
        Sync::start(&self.shared, &page_id, options)
    }
}

/// The account and the person of a Send API call.
fn send_ids(account_id: &JsValue, customer_id: &JsValue) -> Result<(String, String), Error> {
    Ok((id_argument("accountId", account_id)?, id_argument("customerId", customer_id)?))
}
