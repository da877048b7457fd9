//! JS option objects → the core's typed values, checked field by field.
//!
//! Each reader refuses what a caller most likely got wrong — a misspelled
//! option, a number given as a string, an unknown platform — with an
//! `invalid_argument` error before anything is sent.

use crate::prelude::*;
use crate::text::{cat, split_byte, trim_white};

use js_sys::{Array, Function};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::config::{ClientConfig, TokenIn};
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::options::{
    NumberOption, ALL_MESSAGES, CALLS_PER_SECOND, CONCURRENCY, LIMIT, MAX_REQUESTS, MAX_RETRIES, MAX_RETRY_DELAY_MS,
    MESSAGES_PER_CONVERSATION, PAGE_SIZE, RETRY_DELAY_MS, TIMEOUT_MS,
};
use crate::core::query::{ConversationQuery, Fields, Folder, MessageQuery, Platform};
use crate::core::quoted::{joined, quoted};
use crate::core::send::OutgoingMessage;
use crate::core::sync::SyncOptions;
use crate::core::time::unix_seconds;
use crate::transport::fetch::AbortSignal;

/// Refuses a key of the object `value` that is not one of `allowed`:
/// "{name} has no option …; the options are …". One copy for every
/// options object (the client's, `new Inbox`'s and `new Webhook`'s).
#[inline(never)]
pub(super) fn check_keys(name: &str, value: &JsValue, allowed: &[&str]) -> Result<(), Error> {
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    for key in keys.iter() {
        let Some(key) = key.as_string() else { continue };
        if !allowed.contains(&key.as_str()) {
            return Err(Error::invalid_argument(cat!(
                name,
                " has no option ",
                quoted(&key),
                "; the options are ",
                joined(allowed, ", ")
            )));
        }
    }
    Ok(())
}

/// An options object being read: which keys it may have, and typed getters.
struct Options<'a> {
    name: &'a str,
    value: &'a JsValue,
}

impl<'a> Options<'a> {
    /// `value` as an options object with only `allowed` keys; `undefined`
    /// and `null` read as `{}`.
    fn new(name: &'a str, value: &'a JsValue, allowed: &[&str]) -> Result<Self, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(Self { name, value });
        }
        if !value.is_object() || Array::is_array(value) || value.is_function() {
            return Err(Error::invalid_argument(cat!(name, " must be an object")));
        }
        check_keys(name, value, allowed)?;
        Ok(Self { name, value })
    }

    /// The option `key`; `None` when it is absent, `undefined` or `null`
    /// (or when `options` itself was).
    #[inline(never)]
    fn get(&self, key: &str) -> Option<JsValue> {
        self.value.get(key)
    }

    #[inline(never)]
    fn wrong(&self, key: &str, expected: &str) -> Error {
        Error::invalid_argument(cat!(self.name, ".", key, " must be ", expected))
    }

    #[inline(never)]
    fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.get(key).map(|v| v.as_string().ok_or_else(|| self.wrong(key, "a string"))).transpose()
    }

    #[inline(never)]
    fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        self.get(key).map(|v| v.as_f64().ok_or_else(|| self.wrong(key, "a number"))).transpose()
    }

    /// A number option, checked against its one declaration in the core.
    #[inline(never)]
    fn bounded(&self, option: &NumberOption) -> Result<Option<f64>, Error> {
        self.number(option.name)?
            .map(|n| option.check(n).map_err(|_| self.wrong(option.name, &option.expected())))
            .transpose()
    }

    /// A whole-number option, checked against its declaration in the core.
    fn whole(&self, option: &NumberOption) -> Result<Option<u32>, Error> {
        Ok(self.bounded(option)?.map(|n| n as u32))
    }

    /// A time as an ISO 8601 string, a `Date`, or Unix seconds.
    fn time(&self, key: &str) -> Result<Option<i64>, Error> {
        let Some(value) = self.get(key) else { return Ok(None) };
        let expected = "an ISO 8601 time (\"2026-01-31T00:00:00Z\"), a Date or Unix seconds";
        let seconds = if let Some(text) = value.as_string() {
            unix_seconds(&text)
        } else if let Some(date) = value.dyn_ref::<js_sys::Date>() {
            Some((date.get_time() / 1000.0).floor()).filter(|s| s.is_finite()).map(|s| s as i64)
        } else {
            value.as_f64().filter(|s| s.is_finite() && s.abs() < 1e12).map(|s| s.floor() as i64)
        };
        seconds.map(Some).ok_or_else(|| self.wrong(key, expected))
    }

    #[inline(never)]
    fn fields(&self) -> Result<Option<Fields>, Error> {
        let Some(value) = self.get("fields") else {
            return Ok(None);
        };
        if let Some(text) = value.as_string() {
            return Ok(Some(Fields::Expansion(text)));
        }
        let list =
            value.dyn_into::<Array>().map_err(|_| self.wrong("fields", "an array of field names or a string"))?;
        let names = strings(&list).map_err(|_| self.wrong("fields", "an array of strings"))?;
        Ok(Some(Fields::List(names)))
    }

    /// `fields` as plain names: an array, or one comma-separated string.
    fn field_names(&self) -> Result<Option<Vec<String>>, Error> {
        Ok(self.fields()?.map(|fields| match fields {
            Fields::List(names) => names,
            Fields::Expansion(text) => {
                let mut names = Vec::new();
                for name in split_byte(&text, b',') {
                    names.push(trim_white(name).to_owned());
                }
                names
            }
        }))
    }

    #[inline(never)]
    fn signal(&self) -> Result<Option<AbortSignal>, Error> {
        let Some(value) = self.get("signal") else {
            return Ok(None);
        };
        let looks_like_signal = value.get("aborted").is_some_and(|a| a.as_bool().is_some())
            && value.get("addEventListener").is_some_and(|f| f.is_function());
        if looks_like_signal {
            Ok(Some(value.unchecked_into()))
        } else {
            Err(self.wrong("signal", "an AbortSignal"))
        }
    }
}

const CLIENT_OPTIONS: &[&str] = &[
    "accessToken",
    "apiVersion",
    "baseUrl",
    "appSecret",
    "appSecretProof",
    "timeoutMs",
    "maxRetries",
    "retryDelayMs",
    "maxRetryDelayMs",
    "callsPerSecond",
    "tokenIn",
    "fetch",
];

/// `new GraphClient(options)`: the settings and the caller's `fetch`.
///
/// # Errors
/// [`Error::InvalidArgument`] for a missing token or a bad option.
pub fn client_options(value: &JsValue) -> Result<(ClientConfig, Option<Function>), Error> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid_argument("new GraphClient(options) needs options with an accessToken"));
    }
    let options = Options::new("options", value, CLIENT_OPTIONS)?;
    let token =
        options.string("accessToken")?.ok_or_else(|| Error::invalid_argument("options.accessToken is required"))?;
    let mut config = ClientConfig::new(token)?;
    if let Some(version) = options.string("apiVersion")? {
        config = config.api_version(&version)?;
    }
    if let Some(url) = options.string("baseUrl")? {
        config = config.base_url(&url)?;
    }
    if let Some(secret) = options.string("appSecret")? {
        config = config.app_secret(&secret)?;
    }
    if let Some(proof) = options.string("appSecretProof")? {
        if config.app_secret.is_some() {
            return Err(Error::invalid_argument("give appSecret or appSecretProof, not both"));
        }
        config = config.app_secret_proof(&proof)?;
    }
    // Checked against the same declarations as the builders check, so set
    // in place: each builder call moves the whole config twice.
    if let Some(ms) = options.whole(&TIMEOUT_MS)? {
        config.timeout_ms = u64::from(ms);
    }
    if let Some(retries) = options.whole(&MAX_RETRIES)? {
        config.max_retries = retries;
    }
    if let Some(ms) = options.whole(&RETRY_DELAY_MS)? {
        config.retry_delay_ms = u64::from(ms);
    }
    if let Some(ms) = options.whole(&MAX_RETRY_DELAY_MS)? {
        config.max_retry_delay_ms = u64::from(ms);
    }
    if let Some(rate) = options.bounded(&CALLS_PER_SECOND)? {
        config.calls_per_second = rate;
    }
    let token_in = match options.string("tokenIn")? {
        Some(text) => TokenIn::parse(&text)?,
        None if in_browser() => TokenIn::Body,
        None => TokenIn::Header,
    };
    config.token_in = token_in;
    let fetch = match options.get("fetch") {
        Some(f) => Some(f.dyn_into::<Function>().map_err(|_| options.wrong("fetch", "a function"))?),
        None => None,
    };
    Ok((config, fetch))
}

#[wasm_bindgen::prelude::wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// A browser page or a browser worker, where a request with an
    /// `Authorization` header needs a CORS preflight: it has `document`,
    /// or `importScripts` (web workers). Node, Deno and Cloudflare Workers
    /// have neither. (Asked in JS: `js_sys::global()` links 1 KB of wasm
    /// to find the global object.)
    #[wasm_bindgen(js_name = inBrowser)]
    pub fn in_browser() -> bool;
}

/// `query` of `listConversations` / `conversations`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn conversation_query(value: &JsValue) -> Result<(ConversationQuery, Option<AbortSignal>), Error> {
    let options = Options::new(
        "query",
        value,
        &["platform", "folder", "userId", "fields", "limit", "after", "before", "signal"],
    )?;
    let query = ConversationQuery {
        platform: options.string("platform")?.as_deref().map(Platform::parse).transpose()?,
        folder: options.string("folder")?.as_deref().map(Folder::parse).transpose()?,
        user_id: options.string("userId")?,
        fields: options.fields()?,
        limit: options.whole(&LIMIT)?,
        after: options.string("after")?,
        before: options.string("before")?,
    };
    Ok((query, options.signal()?))
}

/// `query` of `listMessages` / `messages`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn message_query(value: &JsValue) -> Result<(MessageQuery, Option<AbortSignal>), Error> {
    let options = Options::new("query", value, &["fields", "limit", "after", "before", "signal"])?;
    let query = MessageQuery {
        fields: options.fields()?,
        limit: options.whole(&LIMIT)?,
        after: options.string("after")?,
        before: options.string("before")?,
    };
    Ok((query, options.signal()?))
}

/// `{ fields?, signal? }` of `getConversation`, `getMessage`, `getMessages`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn node_options(value: &JsValue) -> Result<(Option<Fields>, Option<AbortSignal>), Error> {
    let options = Options::new("options", value, &["fields", "signal"])?;
    Ok((options.fields()?, options.signal()?))
}

/// `{ platform?, fields?, signal? }` of `findConversation`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn find_options(value: &JsValue) -> Result<FindOptions, Error> {
    let options = Options::new("options", value, &["platform", "fields", "signal"])?;
    let platform = options.string("platform")?.as_deref().map(Platform::parse).transpose()?;
    Ok(FindOptions { platform, fields: options.fields()?, signal: options.signal()? })
}

/// The options of `findConversation`.
pub struct FindOptions {
    /// Messenger or Instagram.
    pub platform: Option<Platform>,
    /// The conversation fields to return.
    pub fields: Option<Fields>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
}

/// What `syncInbox` takes besides the plan's own options.
pub struct SyncArguments {
    /// The plan's options.
    pub options: SyncOptions,
    /// Where an interrupted sync stopped.
    pub cursor: Option<String>,
    /// The caller's signal.
    pub signal: Option<AbortSignal>,
    /// Called after each call.
    pub on_progress: Option<Function>,
}

/// The options of `syncInbox`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key, a value of the wrong type
/// or a number out of range.
pub fn sync_options(value: &JsValue) -> Result<SyncArguments, Error> {
    let options = Options::new(
        "options",
        value,
        &[
            "platform",
            "folder",
            "messagesPerConversation",
            "fields",
            "updatedSince",
            "pageSize",
            "concurrency",
            "maxRequests",
            "signal",
            "onProgress",
            "cursor",
        ],
    )?;
    let defaults = SyncOptions::default();
    let sync = SyncOptions {
        platform: options.string("platform")?.as_deref().map(Platform::parse).transpose()?,
        folder: options.string("folder")?.as_deref().map(Folder::parse).transpose()?,
        messages_per_conversation: match options.get("messagesPerConversation") {
            Some(all) if all.as_string().as_deref() == Some("all") => ALL_MESSAGES,
            Some(_) => options.whole(&MESSAGES_PER_CONVERSATION)?.unwrap_or(defaults.messages_per_conversation),
            None => defaults.messages_per_conversation,
        },
        conversation_fields: options.field_names()?,
        updated_since: options.time("updatedSince")?,
        page_size: options.whole(&PAGE_SIZE)?.unwrap_or(defaults.page_size),
        // A pageSize given is kept; left out, the sync adapts.
        adaptive: options.get("pageSize").is_none(),
        max_requests: options.whole(&MAX_REQUESTS)?,
        concurrency: options.whole(&CONCURRENCY)?.unwrap_or(defaults.concurrency),
    };
    let on_progress = match options.get("onProgress") {
        Some(f) => Some(f.dyn_into::<Function>().map_err(|_| options.wrong("onProgress", "a function"))?),
        None => None,
    };
    Ok(SyncArguments { options: sync, cursor: options.string("cursor")?, signal: options.signal()?, on_progress })
}

/// An id argument, which must be a string.
///
/// # Errors
/// [`Error::InvalidArgument`] for anything else.
pub fn id_argument(name: &str, value: &JsValue) -> Result<String, Error> {
    value.as_string().ok_or_else(|| Error::invalid_argument(cat!(name, " must be a string")))
}

/// The `messageIds` argument of `getMessages`: an array of strings.
///
/// # Errors
/// [`Error::InvalidArgument`] for anything else.
pub fn id_list(value: &JsValue) -> Result<Vec<String>, Error> {
    let list =
        value.dyn_ref::<Array>().ok_or_else(|| Error::invalid_argument("messageIds must be an array of strings"))?;
    strings(list).map_err(|i| Error::invalid_argument(cat!("messageIds[", i, "] must be a string")))
}

/// The items of `list`, which must all be strings; else the index of the
/// first that is not, for the caller's error (an index, not a `dyn Fn`,
/// whose vtable keeps three copies of each closure). A loop, not
/// `map(…).collect()`: each collect shape is its own few hundred bytes of
/// wasm.
fn strings(list: &Array) -> Result<Vec<String>, u32> {
    let mut out = Vec::with_capacity(list.length() as usize);
    for i in 0..list.length() {
        out.push(list.get(i).as_string().ok_or(i)?);
    }
    Ok(out)
}

/// The message of `sendMessage`: `{ text?, attachment?: { type, url },
/// replyTo?, tag?, messagingType?, metadata?, platform?, signal? }`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn send_message_options(value: &JsValue) -> Result<(OutgoingMessage, Option<AbortSignal>), Error> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid_argument("sendMessage needs a message: { text } or { attachment: { type, url } }"));
    }
    let options = Options::new(
        "message",
        value,
        &["text", "attachment", "replyTo", "tag", "messagingType", "metadata", "platform", "signal"],
    )?;
    let attachment = match options.get("attachment") {
        None => None,
        Some(attachment) => {
            let inner = Options::new("message.attachment", &attachment, &["type", "url"])?;
            let kind = inner
                .string("type")?
                .ok_or_else(|| inner.wrong("type", "\"image\", \"video\", \"audio\" or \"file\""))?;
            let url = inner.string("url")?.ok_or_else(|| inner.wrong("url", "an https:// URL"))?;
            Some((kind, url))
        }
    };
    let message = OutgoingMessage {
        text: options.string("text")?,
        attachment,
        reply_to: options.string("replyTo")?,
        tag: options.string("tag")?,
        messaging_type: options.string("messagingType")?,
        metadata: options.string("metadata")?,
        platform: options.string("platform")?.as_deref().map(Platform::parse).transpose()?,
    };
    Ok((message, options.signal()?))
}

/// `{ signal? }`, the last argument of `sendAction` and `react`.
///
/// # Errors
/// [`Error::InvalidArgument`] for an unknown key or a value of the wrong type.
pub fn signal_only(value: &JsValue) -> Result<Option<AbortSignal>, Error> {
    Options::new("options", value, &["signal"])?.signal()
}
