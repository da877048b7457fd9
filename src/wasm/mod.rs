//! The `#[wasm_bindgen]` facade: `GraphClient` and its async iterators.
//! Options come in as JS objects, Graph objects go out as the JS objects the
//! engine parsed, and every failure leaves as a `GraphError`.

use crate::prelude::*;

mod batch;
mod call;
mod client;
mod error;
mod inbox;
mod iterator;
mod json;
pub(crate) mod keys;
mod local;
mod options;
mod state;
mod sync;
mod webhook;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::account::own_ids;
use crate::core::options::{
    CALLS_PER_SECOND, DEFAULT_API_VERSION, DEFAULT_BASE_URL, MAX_RETRIES, MAX_RETRY_DELAY_MS, RETRY_DELAY_MS,
    TIMEOUT_MS,
};
use crate::core::page::next_cursor;

/// The allocator: talc, smaller and faster in wasm than Rust's default
/// (dlmalloc). The module is single-threaded (no `atomics`).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The ids of an inbox's own account among its conversations' participants:
/// `accountId` (the Page, or `me`), and on Instagram the business's own
/// account, which takes part in every thread under an id the Page id does
/// not reveal — found once two or more `conversations` (with
/// `participants`) show it. Everyone else is a customer.
#[wasm_bindgen(js_name = ownAccountIds, unchecked_return_type = "string[]")]
pub fn own_account_ids(
    #[wasm_bindgen(js_name = accountId)] account_id: &str,
    #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<Conversation | SyncedConversation>")] conversations: JsValue,
) -> js_sys::Array {
    let array = js_sys::Array::from(&conversations);
    let mut list = Vec::with_capacity(array.length() as usize);
    for i in 0..array.length() {
        list.push(array.get(i));
    }
    json::js_strings(&own_ids::<JsValue, _>(account_id, &list))
}

/// The settings a `GraphClient` uses when its options leave them out:
/// `{ apiVersion, baseUrl, timeoutMs, maxRetries, retryDelayMs,
/// maxRetryDelayMs, callsPerSecond }`.
#[wasm_bindgen(js_name = clientDefaults, unchecked_return_type = "ClientDefaults")]
pub fn client_defaults() -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &value);
    };
    set("apiVersion", DEFAULT_API_VERSION.into());
    set("baseUrl", DEFAULT_BASE_URL.into());
    for option in [TIMEOUT_MS, MAX_RETRIES, RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, CALLS_PER_SECOND] {
        set(option.name, option.default.unwrap_or(0.0).into());
    }
    object.into()
}

/// The `after` cursor that reads the page after `page`, or `null` when the
/// Graph says there is none (no `paging.next`). Throws a `GraphError`
/// (`kind: "decode"`) for a page that announces a next page without a
/// cursor. Never follow `paging.next` itself: the Graph writes the token
/// into it.
#[wasm_bindgen(js_name = nextCursor, unchecked_return_type = "string | null")]
pub fn next_page_cursor(
    #[wasm_bindgen(unchecked_param_type = "Page<unknown>")] page: JsValue,
) -> Result<JsValue, JsValue> {
    match next_cursor(&page) {
        Ok(Some(after)) => Ok(JsValue::from_str(&after)),
        Ok(None) => Ok(JsValue::NULL),
        Err(error) => Err(error::to_js(&error)),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &'static str = r#"
import type { GraphError } from "./graph_error.js";

/** Options of `new GraphClient(…)`. */
export interface ClientOptions {
    /** A Page (or Instagram) access token. Sent in the `Authorization` header or a form body (see `tokenIn`), never in a URL. */
    accessToken: string;
    /** Graph API version such as `"v27.0"`; default: a current version (see `clientDefaults()`). */
    apiVersion?: string;
    /** `https://graph.facebook.com` (default), a proxy, or a local mock. */
    baseUrl?: string;
    /** Server or edge only: signs every call with `appsecret_proof`. Never put it in a browser page. */
    appSecret?: string;
    /** A precomputed `appsecret_proof` (64 hex digits) instead of `appSecret`. */
    appSecretProof?: string;
    /** Per HTTP request, in milliseconds (default 30000). */
    timeoutMs?: number;
    /** Retries of transient failures: rate limits, 5xx, network errors, timeouts (default 3). */
    maxRetries?: number;
    /** The first retry waits up to this long, later ones up to twice as long each time, with full jitter (default 1000 ms). */
    retryDelayMs?: number;
    /** The longest wait before a retry (default 30000 ms). When the Graph asks for a longer one, the call rejects with `retryAfterMs` instead. */
    maxRetryDelayMs?: number;
    /** Calls per second per access token (default 2); 0 turns pacing off. */
    callsPerSecond?: number;
    /**
     * Where the token travels: `"header"` (`Authorization: Bearer …` on a GET) or `"body"`
     * (a form-encoded POST with `method=GET`, which needs no CORS preflight).
     * Default: `"body"` in a browser page or web worker, `"header"` elsewhere.
     */
    tokenIn?: "header" | "body";
    /** A `fetch` to use instead of the global one (a service binding, a test). */
    fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** What `clientDefaults()` returns: the settings a client uses when its options leave them out. */
export interface ClientDefaults {
    apiVersion: string;
    baseUrl: string;
    timeoutMs: number;
    maxRetries: number;
    retryDelayMs: number;
    maxRetryDelayMs: number;
    callsPerSecond: number;
}

/** What every method's last argument also takes. */
export interface RequestOptions {
    /** Aborting rejects the call with `kind: "aborted"` and cancels the HTTP request under way. */
    signal?: AbortSignal;
}

/** Options of `findConversation`. */
export interface FindConversationOptions extends RequestOptions {
    /** `"messenger"` (default) or `"instagram"`. */
    platform?: Platform;
    /** The conversation fields to return. */
    fields?: Fields;
}

/** Options of `getConversation`, `getMessage` and `getMessages`. */
export interface NodeOptions extends RequestOptions {
    /** The fields to return. */
    fields?: Fields;
}

/** Options of `syncInbox`. */
export interface SyncInboxOptions extends RequestOptions {
    /** `"messenger"` (default) or `"instagram"`. */
    platform?: Platform;
    /** The folder to read; the Graph's default is the inbox. */
    folder?: Folder;
    /**
     * How many of each thread's newest messages to read (1 to 100000, or `"all"`; default 20).
     * Up to 100 come with the thread's page; the rest are read 100 a call from the thread's messages
     * edge, within the same resumable sync. The Graph gives details only for a thread's 20 newest.
     */
    messagesPerConversation?: number | "all";
    /**
     * The conversation fields to read, as plain names (`["snippet", "unread_count", "participants"]`);
     * `id` and `updated_time` are always read. Default: the platform's usual set.
     */
    fields?: string[] | string;
    /** Stop at the first conversation updated before this: ISO 8601, a `Date`, or Unix seconds. */
    updatedSince?: string | Date | number;
    /**
     * Conversations per call (1 to 100), kept as given (halved only when the Graph asks for less data).
     * Left out, a sync starts at 100 — the floor of calls — and adapts: it halves the page on "reduce
     * the amount of data", a timeout or a 5xx, grows back after two good pages, and remembers per
     * account, for the client's life, what worked.
     */
    pageSize?: number;
    /** HTTP calls in flight at once (1 to 16, default 4). */
    concurrency?: number;
    /** Make at most this many calls (a Worker's subrequest budget); then resolve with `complete: false` and a `cursor`. */
    maxRequests?: number;
    /** Called after each call. */
    onProgress?: (progress: SyncProgress) => void;
    /** Go on from where an earlier sync of the same Page, platform and folder stopped. */
    cursor?: string;
}

/** What `onProgress` gets after each call of a sync. */
export interface SyncProgress {
    /** Threads read so far. */
    conversations: number;
    /** Messages read so far. */
    messages: number;
    /** Calls answered so far. */
    requests: number;
}

/**
 * A conversation of a sync, with its newest messages as a plain array (newest first). Like every
 * object the Graph returns, it keeps fields the types do not name (typed `unknown`).
 */
export type SyncedConversation = { [K in keyof Conversation as K extends "messages" ? never : K]: Conversation[K] } & {
    messages: Message[];
};

/** What `syncInbox` resolves to. */
export interface InboxSync {
    /**
     * The threads, newest first. A resumed sync lists a thread that the earlier one cut short
     * again, with only the messages it had not read (merge by `id`).
     */
    conversations: SyncedConversation[];
    /** Calls made. */
    requests: number;
    /** Whether every thread was read; `false` when `maxRequests` stopped the sync. */
    complete: boolean;
    /** Where a later sync goes on, when not complete. */
    cursor?: string;
    /**
     * The threads of this result whose messages are not all read yet: the sync from `cursor`
     * brings the rest of them (under the same ids). Every other thread here is final. Empty when complete.
     */
    cutShort: string[];
    /**
     * The inbox's own account among the participants: the Page id (or `me`) and, on Instagram, the
     * business's account id once two threads show it (see `ownAccountIds`). Everyone else is a customer.
     */
    accountIds: string[];
}

/** Options of `new Webhook(…)`. */
export interface WebhookOptions {
    /** The app secret, or several (rotation; an Instagram Login app has its own beside its Meta app). */
    appSecret: string | string[];
    /** What Meta's subscription request must carry as `hub.verify_token`. */
    verifyToken?: string | undefined;
}

/** What `webhook.handle(request)` resolves to. */
export interface WebhookHandled {
    /** The answer to give Meta: 200, 403, 401, 400 or 405, with a sentence saying why. */
    response: Response;
    /** The verified events (empty unless the answer is a 200 to a POST). */
    events: WebhookEvent[];
}

/** One messaging item of a webhook. */
export interface WebhookEvent {
    kind: "message" | "echo" | "edit" | "delete" | "reaction" | "read" | "delivery" | "postback" | "referral" | "unknown";
    /** From the envelope's `object`: `"page"` is Messenger. */
    platform: Platform;
    /** The entry's id: the Page or the Instagram professional account. */
    accountId: string;
    /** The person on the other side, whichever way the message went (an echo's recipient). */
    customerId: string;
    /** The message the event is about. */
    mid?: string;
    /** Milliseconds since the epoch (a payload in seconds is converted). */
    timestamp: number;
    /** Came on the standby channel (another app owns the thread). */
    standby: boolean;
    /** message, echo: the message as a Graph Message node (what a webhook does not carry is absent). */
    message?: Message;
    /** edit: the new text. */
    text?: string;
    /** edit: how many times the message has been edited. */
    editCount?: number;
    /** reaction: given or taken back. */
    reaction?: { action: "react" | "unreact"; reaction?: string; emoji?: string };
    /** read (Messenger) and delivery: everything before this time (ms). */
    watermark?: number;
    /** The messaging item exactly as received. */
    raw: { [field: string]: unknown };
}

/** Options of `new Inbox(…)`. */
export interface InboxOptions {
    /** The Page, the Instagram professional account, or `"me"`. */
    accountId: string;
    /** `"messenger"` (default) or `"instagram"`. */
    platform?: Platform | undefined;
    /** The newest messages kept per conversation (1 to 10000, default 200). */
    maxMessagesPerConversation?: number | undefined;
}

/** A conversation of an `Inbox`: the Graph's object, with its messages as a plain array (newest first). */
export type InboxConversation = SyncedConversation & {
    /** The person the conversation is with. */
    customer_id?: string;
    /** Up to when the person has read (ms since the epoch), from read webhooks. */
    read_watermark?: number;
};

/** What one `inbox.apply` changed: ids to redraw. */
export interface InboxChanges {
    conversations: { added: string[]; updated: string[]; removed: string[] };
    messages: { added: string[]; updated: string[]; removed: string[] };
}

/** What `sendMessage` sends. */
export interface OutgoingMessage {
    /** The text: Messenger fewer than 2000 characters, Instagram at most 1000 bytes. */
    text?: string | undefined;
    /** An attachment by URL (https:), which the Graph downloads. */
    attachment?: { type: "image" | "video" | "audio" | "file"; url: string } | undefined;
    /** The mid of a message of the thread to quote. */
    replyTo?: string | undefined;
    /** `"HUMAN_AGENT"`: a human agent's reply up to 7 days after the person wrote (needs the Human Agent permission). */
    tag?: "HUMAN_AGENT" | undefined;
    /** `"RESPONSE"` (default), `"UPDATE"`, or `"MESSAGE_TAG"` (set whenever `tag` is given). */
    messagingType?: "RESPONSE" | "UPDATE" | "MESSAGE_TAG" | undefined;
    /** Comes back on the echo webhook (fewer than 1000 characters). */
    metadata?: string | undefined;
    /** Which text limit applies: `"messenger"` (default) or `"instagram"`. */
    platform?: Platform | undefined;
}

/** What `sendMessage` resolves to (Send API). */
export interface SentMessage {
    recipientId: string;
    messageId: string;
    message: Message;
}

/** What `getMessages` resolves to: a message, or the error of that one item. */
export type MessageResult = Message | GraphError;
"#;
