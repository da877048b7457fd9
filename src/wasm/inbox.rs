//! `Inbox`: history and live events in one view (see `core::inbox`).

use crate::prelude::*;

use wasm_bindgen::prelude::*;

use super::error::to_js;
use crate::core::error::Error;
use crate::core::inbox::{Inbox as Core, READ_DEPTH, SNAPSHOT_DEPTH};
use crate::core::json::Json;
use crate::core::options::MAX_MESSAGES_PER_CONVERSATION;
use crate::core::query::Platform;
use crate::core::value::Value;

/// One view of an inbox: sync results, webhook events and sent messages
/// merged, the same whatever their order and repetition.
///
/// ```js
/// const inbox = new Inbox({ accountId: pageId, platform: "messenger" });
/// inbox.apply(await client.syncInbox(pageId));
/// inbox.apply(events);
/// ```
#[wasm_bindgen]
pub struct Inbox {
    core: Core,
}

#[wasm_bindgen]
impl Inbox {
    /// `{ accountId, platform?, maxMessagesPerConversation? }`: the Page
    /// (or Instagram account, or `me`), `"messenger"` (default) or
    /// `"instagram"`, and how many newest messages a conversation keeps
    /// (default 200). Throws a `GraphError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "InboxOptions")] options: JsValue) -> Result<Inbox, JsValue> {
        read_options(&options).map(|core| Inbox { core }).map_err(|e| to_js(&e))
    }

    /// Applies a sync result, a webhook event (or a list of them), or what
    /// `sendMessage` resolved to, and says what changed. Throws a
    /// `GraphError` (`kind: "invalid_argument"`) for anything else, having
    /// applied nothing.
    #[wasm_bindgen(unchecked_return_type = "InboxChanges")]
    pub fn apply(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "InboxSync | WebhookEvent | WebhookEvent[] | SentMessage")]
        input: JsValue,
    ) -> Result<JsValue, JsValue> {
        // The parsed input is copied into the inbox, not moved: a copy is
        // allocated to size, where the parser's vectors and strings keep
        // room to grow (74 MB wasm high-water per 10,000 messages against
        // 80 MB when moved).
        let changes = self.core.apply(&read(&input)).map_err(|e| to_js(&e))?;
        Ok(out(&changes.to_value()))
    }

    /// Every conversation, newest activity first, each with its messages
    /// newest first.
    #[wasm_bindgen(unchecked_return_type = "InboxConversation[]")]
    pub fn conversations(&self) -> JsValue {
        out(&Value::Array(self.core.conversations()))
    }

    /// One conversation, by its id or the person's id; `undefined` if unknown.
    #[wasm_bindgen(unchecked_return_type = "InboxConversation | undefined")]
    pub fn conversation(&self, #[wasm_bindgen(js_name = idOrCustomerId)] id: &str) -> JsValue {
        self.core.conversation(id).map_or(JsValue::UNDEFINED, |c| out(&c))
    }

    /// The inbox as a string, for storage: `Inbox.restore(snapshot)` gives
    /// the same inbox. Two inboxes given the same inputs, in any order,
    /// write the same string.
    pub fn snapshot(&self) -> String {
        self.core.snapshot()
    }

    /// The inbox `snapshot` wrote. Throws a `GraphError` for anything else.
    pub fn restore(snapshot: &str) -> Result<Inbox, JsValue> {
        let parsed = Value::parse(snapshot, SNAPSHOT_DEPTH)
            .ok_or_else(|| to_js(&Error::invalid_argument("Inbox.restore: the snapshot is not JSON")))?;
        Core::restore(&parsed).map(|core| Inbox { core }).map_err(|e| to_js(&e))
    }
}

/// An input as the inbox's own value: the engine writes it as JSON text
/// once, and wasm reads the text, instead of crossing into JS per member.
fn read(input: &JsValue) -> Value {
    js_sys::JSON::stringify(input)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| Value::parse(&text, READ_DEPTH))
        .unwrap_or(Value::Null)
}

/// A value handed to JS in one crossing: its JSON text, read by `JSON.parse`
/// (ASCII, which the engine decodes and parses fastest).
fn out(value: &Value) -> JsValue {
    JsValue::parse(&value.to_ascii_json_text()).unwrap_or(JsValue::UNDEFINED)
}

fn read_options(options: &JsValue) -> Result<Core, Error> {
    if !options.is_object() {
        return Err(Error::invalid_argument(
            "new Inbox(options) needs { accountId, platform?, maxMessagesPerConversation? }",
        ));
    }
    super::options::check_keys("options", options, &["accountId", "platform", "maxMessagesPerConversation"])?;
    let get = |key: &str| options.get(key);
    let account = get("accountId").and_then(|a| a.as_string()).filter(|a| !a.is_empty()).ok_or_else(|| {
        Error::invalid_argument("options.accountId is required: the Page or Instagram account id, or \"me\"")
    })?;
    let platform = match get("platform") {
        Some(p) => Platform::parse(
            &p.as_string().ok_or_else(|| Error::invalid_argument("options.platform must be a string"))?,
        )?,
        None => Platform::Messenger,
    };
    let max = match get("maxMessagesPerConversation") {
        Some(n) => MAX_MESSAGES_PER_CONVERSATION.check_whole(
            n.as_f64().ok_or_else(|| Error::invalid_argument("options.maxMessagesPerConversation must be a number"))?,
        )?,
        None => MAX_MESSAGES_PER_CONVERSATION.default_whole(),
    };
    Ok(Core::new(&account, platform, max))
}
