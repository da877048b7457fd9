//! `Webhook`: Meta's subscription handshake, the signature check over the
//! raw bytes, and the events of a body, for any Fetch-API runtime.

use crate::prelude::*;
use crate::text::{cat, trim_white};
use ::core::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::to_js;
use crate::core::error::Error;
use crate::core::json::Json;
use crate::core::webhook::{challenge, events_json, verify_signature};

/// Verifies and reads Meta's webhooks (Messenger and Instagram).
///
/// ```js
/// const webhook = new Webhook({ appSecret, verifyToken });
/// const { response, events } = await webhook.handle(request);
/// ```
#[wasm_bindgen]
pub struct Webhook {
    secrets: Vec<String>,
    verify_token: Option<String>,
}

#[wasm_bindgen]
impl Webhook {
    /// `appSecret`: the app secret, or several (rotation; an Instagram
    /// Login app has its own beside the Meta app's). `verifyToken`: what
    /// the handshake must carry. Throws a `GraphError` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "WebhookOptions")] options: JsValue) -> Result<Webhook, JsValue> {
        read_options(&options).map_err(|e| to_js(&e))
    }

    /// The `hub.challenge` to answer for Meta's subscription request (a
    /// URL, a `URLSearchParams` or a query string), or `null` when it is
    /// not a subscription with the right verify token.
    #[wasm_bindgen(unchecked_return_type = "string | null")]
    pub fn challenge(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | URL | URLSearchParams")] url: JsValue,
    ) -> JsValue {
        // A URL or URLSearchParams reads as its `toString()`: the href, or the query.
        let text = url.as_string().or_else(|| {
            url.is_object().then(|| url.unchecked_ref::<js_sys::Object>().to_string().as_string()).flatten()
        });
        let answer = match (self.verify_token.as_deref(), text) {
            (Some(token), Some(text)) => challenge(&text, token),
            _ => None,
        };
        answer.map_or(JsValue::NULL, |a| JsValue::from_str(&a))
    }

    /// Whether `signatureHeader` (`X-Hub-Signature-256`) is the HMAC-SHA256
    /// of `rawBody` — the bytes exactly as received — with one of the app
    /// secrets, compared in constant time. Throws a `GraphError` when
    /// handed parsed JSON instead of the raw body.
    pub fn verify(
        &self,
        #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "string | ArrayBuffer | ArrayBufferView")]
        raw_body: JsValue,
        #[wasm_bindgen(js_name = signatureHeader, unchecked_param_type = "string | null | undefined")]
        signature: JsValue,
    ) -> Result<bool, JsValue> {
        let bytes = raw_bytes(&raw_body).map_err(|e| to_js(&e))?;
        let secrets = as_strs(&self.secrets);
        Ok(verify_signature(&bytes, signature.as_string().as_deref(), &secrets))
    }

    /// The events of a webhook body (a string, bytes or an already parsed
    /// object), in the order sent. Throws a `GraphError` (`kind: "decode"`)
    /// for a body that is not JSON or not a Messenger / Instagram webhook.
    #[wasm_bindgen(unchecked_return_type = "WebhookEvent[]")]
    pub fn parse(
        #[wasm_bindgen(js_name = rawBody, unchecked_param_type = "string | ArrayBuffer | ArrayBufferView | object")]
        raw_body: JsValue,
    ) -> Result<Array, JsValue> {
        events(&raw_body).map_err(|e| to_js(&e))
    }

    /// The whole exchange for a Fetch-API `Request`: the handshake (`GET`,
    /// 200 with the challenge or 403), a signed `POST` (200 and its events;
    /// 401 for a missing or wrong signature; 400 for a signed body that is
    /// not a webhook), and 405 for anything else. Each refusal says why in
    /// its body. Resolves to `{ response, events }`.
    #[wasm_bindgen(unchecked_return_type = "Promise<WebhookHandled>")]
    pub fn handle(&self, #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue) -> Promise {
        let method = request.get("method").and_then(|m| m.as_string()).unwrap_or_default().to_ascii_uppercase();
        let (status, text) = match method.as_str() {
            "GET" => {
                let url = request.get("url").and_then(|u| u.as_string()).unwrap_or_default();
                match self.verify_token.as_deref().and_then(|t| challenge(&url, t)) {
                    Some(answer) => (200, answer),
                    None => (403, "Forbidden: not a subscription request with this verify token".into()),
                }
            }
            "POST" => {
                // The body is read in JS (`readBody`), then checked here.
                let post =
                    SignedPost { secrets: self.secrets.clone(), signature: header(&request, "x-hub-signature-256") };
                return read_body(&request, post);
            }
            _ => (405, "Method Not Allowed: Meta's webhooks are GET (handshake) and POST (events)".into()),
        };
        match handled(status, &text, Array::new()) {
            Ok(out) => Promise::resolve(&out),
            Err(error) => Promise::reject(&error),
        }
    }
}

#[wasm_bindgen(raw_module = "./calls.js")]
extern "C" {
    /// `request.arrayBuffer()`, then `post.answer(bytes)`.
    #[wasm_bindgen(js_name = readBody)]
    fn read_body(request: &JsValue, post: SignedPost) -> Promise;
}

/// A `POST` to `Webhook.handle`, waiting for its body (internal).
#[wasm_bindgen(skip_typescript)]
pub struct SignedPost {
    secrets: Vec<String>,
    signature: Option<String>,
}

#[wasm_bindgen]
impl SignedPost {
    /// `{ response, events }` for the body's `bytes`: 200 and its events,
    /// 401 for a missing or wrong signature, 400 for a signed body that is
    /// not a webhook.
    pub fn answer(&self, bytes: &Uint8Array) -> Result<JsValue, JsValue> {
        let bytes = bytes_of(bytes);
        if !verify_signature(&bytes, self.signature.as_deref(), &as_strs(&self.secrets)) {
            let why = match self.signature {
                None => "Unauthorized: no X-Hub-Signature-256 header",
                Some(_) => "Unauthorized: X-Hub-Signature-256 does not match the body and app secret",
            };
            return handled(401, why, Array::new());
        }
        match events_of(bytes) {
            Ok(events) => handled(200, "EVENT_RECEIVED", events),
            Err(error) => handled(400, &cat!("Bad Request: ", error.message()), Array::new()),
        }
    }
}

/// `{ response, events }`: a text response with `status`.
fn handled(status: u16, text: &str, events: Array) -> Result<JsValue, JsValue> {
    let response = text_response(status, text)?;
    let out = js_sys::Object::new();
    let _ = Reflect::set(&out, &JsValue::from_str("response"), &response);
    let _ = Reflect::set(&out, &JsValue::from_str("events"), &events);
    Ok(out.into())
}

fn read_options(options: &JsValue) -> Result<Webhook, Error> {
    if !options.is_object() {
        return Err(Error::invalid_argument("new Webhook(options) needs { appSecret, verifyToken? }"));
    }
    super::options::check_keys("options", options, &["appSecret", "verifyToken"])?;
    let secret = options.get("appSecret").unwrap_or_default();
    let secrets: Vec<String> = if let Some(one) = secret.as_string() {
        vec![one]
    } else if Array::is_array(&secret) {
        let mut secrets = Vec::new();
        for item in Array::from(&secret).iter() {
            let Some(one) = item.as_string() else {
                return Err(Error::invalid_argument("options.appSecret must be a string or an array of strings"));
            };
            secrets.push(one);
        }
        secrets
    } else {
        return Err(Error::invalid_argument("options.appSecret is required: the app secret, or several"));
    };
    if secrets.is_empty() || secrets.iter().any(|s| trim_white(s).is_empty()) {
        return Err(Error::invalid_argument("options.appSecret must not be empty"));
    }
    let verify_token = match options.get("verifyToken") {
        None => None,
        Some(token) => {
            Some(token.as_string().ok_or_else(|| Error::invalid_argument("options.verifyToken must be a string"))?)
        }
    };
    Ok(Webhook { secrets, verify_token })
}

/// The app secrets as `verify_signature` takes them.
fn as_strs(secrets: &[String]) -> Vec<&str> {
    let mut strs = Vec::with_capacity(secrets.len());
    for secret in secrets {
        strs.push(secret.as_str());
    }
    strs
}

/// The raw body's bytes; parsed JSON is refused, since its signature can
/// never match.
fn raw_bytes(raw: &JsValue) -> Result<Vec<u8>, Error> {
    if let Some(text) = raw.dyn_ref::<js_sys::JsString>() {
        return Ok(utf8(text));
    }
    if raw.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(bytes_of(&Uint8Array::new(raw)));
    }
    if js_sys::ArrayBuffer::is_view(raw) {
        let view = raw.unchecked_ref::<js_sys::DataView>();
        return Ok(bytes_of(&Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset() as u32,
            view.byte_length() as u32,
        )));
    }
    Err(Error::invalid_argument(
        "verify needs the raw body exactly as received (a string or bytes: `await request.text()`), not parsed JSON: \
         Meta signs its own serialisation, and re-serialised JSON never matches",
    ))
}

/// The events of a body (a string, bytes, or an object a framework already
/// parsed, which the engine writes back as text).
fn events(raw: &JsValue) -> Result<Array, Error> {
    if raw.is_string() || raw.is_instance_of::<js_sys::ArrayBuffer>() || js_sys::ArrayBuffer::is_view(raw) {
        return events_of(raw_bytes(raw)?);
    }
    let text = js_sys::JSON::stringify(raw).ok().and_then(|t| t.as_string()).unwrap_or_default();
    events_of(text.into_bytes())
}

/// The events of raw bytes, read where they are, in wasm memory (no
/// crossing into JS per member). They cross back once, as one ASCII JSON
/// text that the engine's `JSON.parse` turns into every object at once.
fn events_of(bytes: Vec<u8>) -> Result<Array, Error> {
    let text = String::from_utf8(bytes).map_err(|_| Error::decode(None, "the webhook body is not UTF-8 text"))?;
    let json = events_json(&text)?;
    // The text is an array: taken as one, not copied by `Array.from`.
    Ok(JsValue::parse(&json).map(JsCast::unchecked_into).unwrap_or_default())
}

fn header(request: &JsValue, name: &str) -> Option<String> {
    let headers = request.get("headers")?;
    let get = headers.get("get")?.dyn_into::<Function>().ok()?;
    get.call1(&headers, &JsValue::from_str(name)).ok()?.as_string()
}

#[wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &js_sys::JsString, destination: &mut [u8]) -> EncodeResult;
    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
    /// `Uint8Array.prototype.set.call(into, from)`: `from` copied into
    /// `into`, a view of wasm memory.
    #[wasm_bindgen(js_namespace = Uint8Array, js_name = "prototype.set.call")]
    fn copy_bytes(into: &mut [u8], from: &Uint8Array);
}

/// The bytes of `array`, copied into wasm memory: `Uint8Array::to_vec`
/// without its length assertion, whose panic message links `usize`'s
/// `Debug` and hex formatting (the lengths are one value read once here).
fn bytes_of(array: &Uint8Array) -> Vec<u8> {
    let mut bytes = vec![0u8; array.length() as usize];
    copy_bytes(&mut bytes, array);
    bytes
}

static ENCODER: super::local::Local<RefCell<Option<TextEncoder>>> = super::local::Local(RefCell::new(None));

/// A JS string's UTF-8 bytes, written by the engine's own encoder straight
/// into wasm memory (a body is read once and hashed or parsed where it is).
fn utf8(text: &js_sys::JsString) -> Vec<u8> {
    let mut bytes = vec![0u8; text.length() as usize * 3];
    let written = ENCODER.with(|encoder| {
        encoder.borrow_mut().get_or_insert_with(TextEncoder::new).encode_into(text, &mut bytes).written()
    });
    bytes.truncate(written as usize);
    bytes
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Response)]
    type JsResponse;
    #[wasm_bindgen(constructor, catch, js_class = "Response")]
    fn new(body: &str, init: &JsValue) -> Result<JsResponse, JsValue>;
}

fn text_response(status: u16, text: &str) -> Result<JsValue, JsValue> {
    let init = js_sys::Object::new();
    let headers = js_sys::Object::new();
    let _ = Reflect::set(&headers, &JsValue::from_str("content-type"), &JsValue::from_str("text/plain; charset=utf-8"));
    let _ = Reflect::set(&init, &JsValue::from_str("status"), &JsValue::from(status));
    let _ = Reflect::set(&init, &JsValue::from_str("headers"), &headers);
    Ok(JsResponse::new(text, &init)?.into())
}
