//! The live half: webhook bodies read as the wasm facade reads them
//! (`check_body`, then JSON, then `parse`), the signature check and the
//! handshake, and the inbox fed mutated events, sync results and sends —
//! in order, reversed and repeated.

#![allow(clippy::wildcard_imports)]

use super::generator::*;
use super::prelude::*;
use super::targets::Case;

use crate::core::inbox::Inbox;
use crate::core::inbox::COPIES_PER_MESSAGE;
use crate::core::time::graph_time;
use crate::core::value::{Number, Value as Own};
use crate::core::webhook::{
    challenge, check_body, events_json, parse, sign, verify_signature, EventKind, Reaction, WebhookEvent,
    MAX_BODY_BYTES, MAX_DEPTH,
};

// ---------------------------------------------------------------------------
// Webhook bodies
// ---------------------------------------------------------------------------

/// What a generated webhook body is, when the generator made it to break a
/// limit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Limit {
    None,
    /// Larger than `MAX_BODY_BYTES`.
    Large,
    /// Nested deeper than `MAX_DEPTH`.
    Deep,
}

/// The bodies over a limit that `check_body` refused, too large and too
/// deep: how many, the largest, and the longest it took (measured, for the
/// run's report; what is asserted is that none reached the JSON parser).
pub(super) static REFUSALS: std::sync::Mutex<[(u64, usize, Duration); 2]> =
    std::sync::Mutex::new([(0, 0, Duration::ZERO); 2]);

/// The kinds of messaging item, by the key that says which.
const ITEM_KINDS: &[&str] =
    &["message", "message_edit", "reaction", "read", "delivery", "postback", "referral", "optin", "account_linking"];

/// JSON pointers to the messaging items of a webhook body (and the
/// `value` of its `changes[]`).
fn item_pointers(body: &Value) -> Vec<String> {
    let mut pointers = Vec::new();
    for (i, entry) in body.get("entry").and_then(Value::as_array).into_iter().flatten().enumerate() {
        for key in ["messaging", "standby"] {
            for j in 0..entry.get(key).and_then(Value::as_array).map_or(0, Vec::len) {
                pointers.push(format!("/entry/{i}/{key}/{j}"));
            }
        }
        for j in 0..entry.get("changes").and_then(Value::as_array).map_or(0, Vec::len) {
            pointers.push(format!("/entry/{i}/changes/{j}/value"));
        }
    }
    pointers
}

impl Generator<'_> {
    /// A webhook body: a fixture as Meta sent it, mutated as a value (with
    /// mutations that know the webhook's shape) or as bytes, or random
    /// bytes; one in 40 made too large or too deep to read.
    pub(super) fn webhook_body(&mut self) -> (Vec<u8>, Limit) {
        let corpus = self.corpus;
        let seed = self.rng.below(corpus.webhooks.len());
        match self.rng.below(40) {
            0 => return self.oversized(seed),
            1 => return (self.rng.bytes(256), Limit::None),
            2..=4 => return (corpus.webhooks[seed].clone(), Limit::None),
            5..=14 => {
                let mut bytes = corpus.webhooks[seed].clone();
                for _ in 0..1 + self.rng.below(6) {
                    self.mutate_bytes(&mut bytes);
                }
                return (bytes, Limit::None);
            }
            _ => {}
        }
        let mut value = corpus.webhook_values[seed].clone();
        for _ in 0..1 + self.rng.below(4) {
            self.mutate_webhook(&mut value);
        }
        let mut bytes = json_text(&value, self.rng.one_in(4));
        if self.rng.one_in(8) {
            self.mutate_bytes(&mut bytes);
        }
        (bytes, Limit::None)
    }

    /// A fixture made larger than any Meta sends (up to 11 MB), or nested
    /// deeper (up to 10,000 levels).
    fn oversized(&mut self, seed: usize) -> (Vec<u8>, Limit) {
        let body = &self.corpus.webhooks[seed];
        if self.rng.one_in(2) {
            let len = if self.rng.one_in(8) { 10 << 20 } else { MAX_BODY_BYTES + 1 + self.rng.below(1 << 12) };
            let mut bytes = body.clone();
            match self.rng.below(3) {
                // White space after the body: still JSON.
                0 => bytes.resize(len, b' '),
                // A long string in it: still JSON.
                1 => {
                    let at = body.iter().position(|&b| b == b'{').map_or(0, |i| i + 1);
                    let fill = format!("\"pad\":\"{}\",", "x".repeat(len.saturating_sub(body.len() + 9)));
                    bytes.splice(at..at, fill.into_bytes());
                }
                _ => bytes.resize(len, b'['),
            }
            return (bytes, Limit::Large);
        }
        let depth = if self.rng.one_in(4) { 10_000 } else { MAX_DEPTH + 1 + self.rng.below(200) };
        let (open, close): (&[u8], &[u8]) = if self.rng.one_in(2) { (b"[", b"]") } else { (b"{\"a\":", b"}") };
        let mut bytes = open.repeat(depth);
        bytes.extend_from_slice(body);
        bytes.extend(close.repeat(depth));
        (bytes, Limit::Deep)
    }

    /// One mutation that knows the webhook's shape: its `object`, its items'
    /// kinds, times and ids, items moved between fixtures and channels.
    pub(super) fn mutate_webhook(&mut self, body: &mut Value) {
        let corpus = self.corpus;
        let pointers = item_pointers(body);
        let pointer = if pointers.is_empty() { String::new() } else { self.rng.pick(&pointers).clone() };
        match self.rng.below(12) {
            0 => {
                let object = match self.rng.below(6) {
                    0 => json!("instagram"),
                    1 => json!("page"),
                    2 => json!("whatsapp_business_account"),
                    3 => json!(""),
                    _ => self.scalar(),
                };
                if let Some(map) = body.as_object_mut() {
                    map.insert("object".into(), object);
                }
            }
            1 => {
                // An item of another fixture, appended to a channel of this one.
                let other = self.rng.pick(&corpus.webhook_values);
                let others = item_pointers(other);
                if others.is_empty() {
                    return;
                }
                let Some(item) = other.pointer(&others[self.rng.below(others.len())]).cloned() else { return };
                let key = *self.rng.pick(&["messaging", "standby", "messaging"]);
                let entries = body.get_mut("entry").and_then(Value::as_array_mut);
                if let Some(entry) = entries.filter(|e| !e.is_empty()).map(|e| {
                    let i = self.rng.below(e.len());
                    &mut e[i]
                }) {
                    if let Some(map) = entry.as_object_mut() {
                        let list = map.entry(key).or_insert_with(|| json!([]));
                        if let Some(list) = list.as_array_mut() {
                            list.push(item);
                        }
                    }
                }
            }
            2 => {
                // An item's kind renamed: a message becomes a reaction…
                let Some(item) = body.pointer_mut(&pointer).and_then(Value::as_object_mut) else { return };
                let Some(from) = ITEM_KINDS.iter().find(|k| item.contains_key(**k)) else { return };
                let value = item.remove(*from).unwrap_or(Value::Null);
                item.insert((*self.rng.pick(ITEM_KINDS)).to_owned(), value);
            }
            3 => {
                // A time in seconds, milliseconds, text, or odd.
                let time = match self.rng.below(4) {
                    0 => json!(1_764_921_600 + self.rng.below(100_000)),
                    1 => json!(1_764_921_600_000u64 + self.rng.below(100_000_000) as u64),
                    _ => self.time(),
                };
                let key = *self.rng.pick(&["timestamp", "time", "watermark"]);
                let target = match key {
                    "time" => body.pointer_mut(pointer.split("/messaging").next().unwrap_or("")),
                    "watermark" => body.pointer_mut(&format!("{pointer}/read")),
                    _ => body.pointer_mut(&pointer),
                };
                if let Some(map) = target.and_then(Value::as_object_mut) {
                    map.insert(key.into(), time);
                }
            }
            4 => {
                // Ids: a number, the account's own, another person's, missing.
                let who = *self.rng.pick(&["sender", "recipient"]);
                let id = match self.rng.below(5) {
                    0 => json!(5_120_094_478_812_093u64),
                    1 => json!("104620945892041"),
                    2 => json!("5120094478812094"),
                    3 => Value::Null,
                    _ => self.scalar(),
                };
                if let Some(map) = body.pointer_mut(&format!("{pointer}/{who}")).and_then(Value::as_object_mut) {
                    map.insert("id".into(), id);
                }
            }
            5 => {
                let flag = *self.rng.pick(&["is_echo", "is_deleted", "is_unsupported"]);
                let value = if self.rng.one_in(2) { json!(true) } else { self.scalar() };
                if let Some(map) = body.pointer_mut(&format!("{pointer}/message")).and_then(Value::as_object_mut) {
                    map.insert(flag.into(), value);
                }
            }
            6 => {
                // The entries repeated: a batch of many.
                if let Some(entries) = body.get_mut("entry").and_then(Value::as_array_mut) {
                    if let Some(first) = entries.first().cloned() {
                        let n = self.rng.below(20).min(MAX_WEIGHT / weight(&first, MAX_WEIGHT).max(1));
                        entries.extend(std::iter::repeat_n(first, n));
                    }
                }
            }
            7 => {
                // Attachments as one object, or with an odd payload.
                if let Some(message) = body.pointer_mut(&format!("{pointer}/message")).and_then(Value::as_object_mut) {
                    let attachment = json!({"type": *self.rng.pick(&["image", "video", "audio", "file", "sticker",
                        "story_mention", "share", "ig_reel", "template", ""]), "payload": self.scalar()});
                    let attachments = if self.rng.one_in(2) {
                        attachment
                    } else {
                        json!([attachment, {"type": "image",
                        "payload": {"url": "https://x/y.jpg", "sticker_id": 369_239_263_222_822u64}}])
                    };
                    message.insert("attachments".into(), attachments);
                }
            }
            8 => {
                // An item moved to the changes[] form.
                let Some(item) = body.pointer(&pointer).cloned() else { return };
                if let Some(entry) = body.pointer_mut("/entry/0").and_then(Value::as_object_mut) {
                    let field = *self.rng.pick(&["messages", "feed", ""]);
                    entry.insert("changes".into(), json!([{"field": field, "value": item}]));
                }
            }
            _ => self.mutate_value(body),
        }
    }
}

/// The depth of a parsed value: 0 for a scalar, 1 for `[]`.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// An id as the parser writes it: a string, or a whole number's digits
/// (as the number's canonical text, when that has no fraction or exponent).
fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Number::parse(&n.to_string()).map(|n| n.to_string()).filter(|t| !t.contains(['.', 'e'])),
        _ => None,
    }
}

/// Two JSON values alike, numbers within a rounding of each other (one
/// side's were read from their text by serde_json, the other's from the
/// crate's canonical text of the same decimal value).
fn alike(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
        }
        // An id too long for an f64: serde_json's model read the number
        // as an f64 and wrote its rounding; the crate keeps the body's digits.
        (Value::String(x), Value::String(y)) if x != y && long_digits(x) && long_digits(y) => {
            x.parse::<f64>().ok() == y.parse::<f64>().ok()
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| alike(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| alike(v, w)))
        }
        (x, y) => x == y,
    }
}

/// Whether a text is the digits of a whole number past f64's exact
/// integers (2^53 has 16 digits), negative ones too.
fn long_digits(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.len() >= 16 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// What the wasm facade does with a body serde_json read: `events_json`
/// (the crate's own reader, each event written with its raw item's own
/// text) must say what each event's value says.
fn assert_written_as_parsed(text: &str, events: Option<&[WebhookEvent]>) {
    let written = events_json(text);
    let Some(events) = events else {
        assert!(written.is_err(), "the crate's reader found events where serde_json's value had none");
        return;
    };
    let written = written.expect("the same envelope");
    assert!(written.is_ascii() || !text.is_ascii(), "{written}");
    let written: Value = serde_json::from_str(&written).expect("the text for JS is JSON");
    let expected: Vec<Value> =
        events.iter().map(|e| serde_json::from_str(&e.to_value().to_json_text()).expect("JSON")).collect();
    assert!(alike(&written, &Value::Array(expected.clone())), "written {written}\nexpected {expected:?}");
}

fn kind_of(item: &Value) -> EventKind {
    if let Some(message) = item.get("message").filter(|m| m.is_object()) {
        let flag = |key: &str| message.get(key).and_then(Value::as_bool).unwrap_or(false);
        return match (flag("is_deleted"), flag("is_echo")) {
            (true, _) => EventKind::Delete,
            (false, true) => EventKind::Echo,
            (false, false) => EventKind::Message,
        };
    }
    [
        ("message_edit", EventKind::Edit),
        ("reaction", EventKind::Reaction),
        ("read", EventKind::Read),
        ("delivery", EventKind::Delivery),
        ("postback", EventKind::Postback),
        ("referral", EventKind::Referral),
    ]
    .into_iter()
    .find(|(key, _)| item.get(*key).is_some())
    .map_or(EventKind::Unknown, |(_, kind)| kind)
}

/// An event as (account, standby, kind).
type Expected = (String, bool, EventKind);

/// The events a body must give, in order;
/// `None` when it is not a Messenger or Instagram webhook.
fn expected_events(body: &Value) -> Option<(Platform, Vec<Expected>)> {
    let platform = match body.get("object")?.as_str()? {
        "page" => Platform::Messenger,
        "instagram" => Platform::Instagram,
        _ => return None,
    };
    let mut events = Vec::new();
    for entry in body.get("entry")?.as_array()? {
        let account = id_text(entry.get("id")).unwrap_or_default();
        for (key, standby) in [("messaging", false), ("standby", true)] {
            for item in entry.get(key).and_then(Value::as_array).into_iter().flatten() {
                events.push((account.clone(), standby, kind_of(item)));
            }
        }
        for change in entry.get("changes").and_then(Value::as_array).into_iter().flatten() {
            let kind = match change.get("value").filter(|v| v.is_object()) {
                Some(value) if value.get("sender").is_some() || value.get("message").is_some() => kind_of(value),
                _ => EventKind::Unknown,
            };
            events.push((account.clone(), false, kind));
        }
    }
    Some((platform, events))
}

/// A webhook body through what the wasm facade does with one: refused
/// before parsing when too large or deep, then JSON, then events only for a
/// Messenger or Instagram envelope, each one that reads back from its value.
pub(super) fn webhook_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    let (body, limit) = generator.webhook_body();
    let mut answer = generator.answer();
    answer.text = body;
    answer.value = None;
    input.answers.push(answer);
    (
        input,
        Box::new(move |input: &Input| {
            let raw = &input.answers[0].text;
            let mut parses = 0u32;
            let began = Instant::now();
            let checked = check_body(raw);
            if limit != Limit::None {
                let mut refusals = REFUSALS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let slot = &mut refusals[usize::from(limit == Limit::Deep)];
                *slot = (slot.0 + 1, slot.1.max(raw.len()), slot.2.max(began.elapsed()));
            }
            let parsed: Option<Value> = match &checked {
                Err(err) => {
                    assert_eq!(err.kind(), ErrorKind::Decode);
                    let text = err.to_string();
                    assert!(text.contains("larger than any Meta sends") || text.contains("nested deeper"), "{text}");
                    // Never a body within both limits (this parse is the check's, not the pipeline's).
                    if raw.len() <= MAX_BODY_BYTES {
                        let within = serde_json::from_slice::<Value>(raw).is_ok_and(|v| depth(&v) <= MAX_DEPTH);
                        assert!(!within, "check_body refused a body within its limits: {err}");
                    }
                    None
                }
                Ok(()) => {
                    assert_eq!(limit, Limit::None, "a body made to break a limit was let through");
                    parses += 1;
                    std::str::from_utf8(raw).ok().and_then(|text| serde_json::from_str(text).ok())
                }
            };
            match limit {
                Limit::None => {}
                Limit::Large => {
                    assert!(checked.is_err_and(|e| e.to_string().contains("larger than any Meta sends")));
                    // Refused on its length: its bytes were not looked at.
                    assert!(check_body(&vec![b'x'; raw.len()]).is_err());
                }
                Limit::Deep => {
                    assert!(checked.is_err_and(|e| e.to_string().contains("nested deeper")));
                    // Refused on the first levels: what follows them was not needed.
                    let first = raw.iter().enumerate().filter(|(_, b)| **b == b'[' || **b == b'{').nth(MAX_DEPTH);
                    let (cut, _) = first.expect("deeper than MAX_DEPTH");
                    assert!(check_body(&raw[..=cut]).is_err(), "the verdict needed more than the first levels");
                }
            }
            assert!(limit == Limit::None || parses == 0, "a body over a limit reached the JSON parser");
            let Some(body) = parsed else { return };
            assert!(depth(&body) <= MAX_DEPTH, "check_body let through a body {} deep", depth(&body));
            let expected = expected_events(&body);
            let text = std::str::from_utf8(raw).expect("serde_json read it as text");
            match parse(&body) {
                Err(err) => {
                    assert_eq!(err.kind(), ErrorKind::Decode);
                    assert!(expected.is_none(), "a webhook envelope refused: {err}");
                    assert_written_as_parsed(text, None);
                }
                Ok(events) => {
                    let (platform, expected) = expected.expect("events only from a Messenger or Instagram envelope");
                    let got: Vec<Expected> = events.iter().map(|e| (e.account_id.clone(), e.standby, e.kind)).collect();
                    assert_eq!(got, expected);
                    for event in &events {
                        assert_eq!(event.platform, platform);
                        assert!(event.timestamp.is_finite());
                        assert_eq!(event.message.is_some(), matches!(event.kind, EventKind::Message | EventKind::Echo));
                        let value = event.to_value();
                        assert_eq!(
                            WebhookEvent::from_value(&value).as_ref(),
                            Some(event),
                            "an event that does not read back from {}",
                            value.to_json_text()
                        );
                    }
                    assert_written_as_parsed(text, Some(&events));
                }
            }
        }),
    )
}

// ---------------------------------------------------------------------------
// The signature and the handshake
// ---------------------------------------------------------------------------

/// The lowercase hex of `sign(body, secret)`.
fn hex_of(body: &[u8], secret: &str) -> String {
    sign(body, secret).trim_start_matches("sha256=").to_owned()
}

/// What `verify_signature` must answer: `sha256=` and 64 hex digits (any
/// case; white space around), the HMAC of the body under a non-empty secret.
fn verifies(body: &[u8], header: Option<&str>, secrets: &[&str]) -> bool {
    let Some(hex) = header.map(str::trim).and_then(|h| h.strip_prefix("sha256=")) else { return false };
    hex.len() == 64
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
        && secrets.iter().filter(|s| !s.is_empty()).any(|s| hex_of(body, s) == hex.to_ascii_lowercase())
}

impl Generator<'_> {
    fn webhook_secret(&mut self) -> String {
        match self.rng.below(8) {
            0 => String::new(),
            1 => "s".into(),
            2 => format!("{:016x}{:016x}", self.rng.next(), self.rng.next()),
            // Longer than SHA-256's block: HMAC hashes such a key first.
            3 => {
                let len = 65 + self.rng.below(200);
                self.rng.alnum(len)
            }
            4 => self.rng.pick(&self.strings).clone(),
            5 => "sécret \u{0} 😀".into(),
            _ => "app-secret-1234567890".into(),
        }
    }

    /// A header for `body`: right, right under another secret, in upper
    /// case or with white space, of another body, or malformed.
    fn signature_header(&mut self, body: &[u8], secrets: &[String]) -> Option<String> {
        let secret = if secrets.is_empty() || self.rng.one_in(5) {
            self.webhook_secret()
        } else {
            self.rng.pick(secrets).clone()
        };
        let good = sign(body, &secret);
        let hex = good.trim_start_matches("sha256=").to_owned();
        Some(match self.rng.below(14) {
            0 => return None,
            1 | 2 => good,
            3 => format!("sha256={}", hex.to_uppercase()),
            4 => {
                let space = *self.rng.pick(&[" sha256=", "\tsha256=", "\nsha256="]);
                format!("{good} ").replace("sha256=", space)
            }
            5 => good.to_uppercase(),
            6 => (*self.rng.pick(&["sha256=", "sha1=", "", "sha256", "sha256= ", "="])).to_owned(),
            7 => format!("sha1={}", &hex[..40]),
            8 => {
                // Too short or too long.
                let cut = self.rng.below(hex.len());
                if self.rng.one_in(2) {
                    format!("sha256={}", &hex[..cut])
                } else {
                    format!("sha256={hex}{}", &hex[..1 + cut % 8])
                }
            }
            9 => {
                // One digit replaced by something that is not one.
                let at = self.rng.below(hex.len());
                let odd = *self.rng.pick(&["g", "G", " ", "é", "😀", "\u{0}", "-", "x"]);
                format!("sha256={}{odd}{}", &hex[..at], &hex[at + 1..])
            }
            10 => format!("sha256={hex},sha256={hex}"),
            11 => {
                // The body's signature with one bit of it changed.
                let mut bytes = hex.into_bytes();
                let at = self.rng.below(bytes.len());
                bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
                format!("sha256={}", String::from_utf8_lossy(&bytes))
            }
            12 => {
                let mut other = body.to_vec();
                self.mutate_bytes(&mut other);
                sign(&other, &secret)
            }
            _ => self.rng.pick(&self.strings).clone(),
        })
    }

    /// A handshake query: the three `hub.*` members (or not), right or
    /// wrong, form-encoded; with a URL before it, a fragment after it. The
    /// answer the handshake must give comes second, when it is known.
    fn handshake(&mut self, verify_token: &str) -> (String, Option<Option<String>>) {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for key in ["hub.mode", "hub.verify_token", "hub.challenge", "hub.mode", "x"] {
            if self.rng.one_in(4) {
                continue;
            }
            let value = match key {
                "hub.mode" => (*self.rng.pick(&["subscribe", "subscribe", "unsubscribe", "", "SUBSCRIBE"])).to_owned(),
                "hub.verify_token" if self.rng.below(3) > 0 => verify_token.to_owned(),
                "hub.challenge" if self.rng.below(3) > 0 => self.rng.below(usize::MAX).to_string(),
                _ => self.webhook_secret(),
            };
            pairs.push((key, value));
        }
        let last = |key: &str| pairs.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        let answer = (last("hub.mode").as_deref() == Some("subscribe")
            && last("hub.verify_token").as_deref() == Some(verify_token)
            && !verify_token.is_empty())
        .then(|| last("hub.challenge"))
        .flatten();
        let mut query = form_encode(&pairs);
        if self.rng.one_in(3) {
            query = format!("https://example.com/webhook?{query}");
        }
        if self.rng.one_in(4) {
            query.push_str("#hub.mode=subscribe");
        }
        if self.rng.one_in(4) {
            let mut bytes = query.into_bytes();
            self.mutate_bytes(&mut bytes);
            return (String::from_utf8_lossy(&bytes).into_owned(), None);
        }
        (query, Some(answer))
    }
}

/// `verify_signature` and `challenge` on any bytes, secrets and headers:
/// never a panic, the header `sign` writes always verifies, and no
/// single-byte change of the body ever does.
pub(super) fn signature_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    let body = match generator.rng.below(4) {
        0 => generator.rng.bytes(300),
        1 => generator.corpus.webhooks[generator.rng.below(generator.corpus.webhooks.len())].clone(),
        _ => {
            // Not the 10 MB ones: each check signs the body some hundred times.
            let (mut body, _) = generator.webhook_body();
            body.truncate(1 << 16);
            body
        }
    };
    let mut answer = generator.answer();
    answer.text = body;
    answer.value = None;
    input.answers.push(answer);
    input.webhook_secrets = (0..generator.rng.below(4)).map(|_| generator.webhook_secret()).collect();
    input.signature = generator.signature_header(&input.answers[0].text, &input.webhook_secrets);
    let token = input.webhook_secrets.first().cloned().unwrap_or_default();
    let (query, answer) = generator.handshake(&token);
    input.word = query;
    (
        input,
        Box::new(move |input: &Input| {
            let body = &input.answers[0].text;
            let secrets: Vec<&str> = input.webhook_secrets.iter().map(String::as_str).collect();
            let header = input.signature.as_deref();
            assert_eq!(verify_signature(body, header, &secrets), verifies(body, header, &secrets), "{header:?}");
            for secret in secrets.iter().filter(|s| !s.is_empty()) {
                let good = sign(body, secret);
                assert!(good.len() == 71 && good.starts_with("sha256="), "{good}");
                assert!(verify_signature(body, Some(&good), &secrets), "sign's own header refused");
                let shouted = format!(" sha256={}\r\n", hex_of(body, secret).to_uppercase());
                assert!(verify_signature(body, Some(&shouted), &[secret]), "upper case, white space");
                assert!(!verify_signature(body, Some(&good), &[""]), "an empty secret verified");
                // Any one byte changed, added or taken away: refused.
                let mut changed = body.clone();
                let positions: Vec<usize> = if body.len() <= 64 {
                    (0..body.len()).collect()
                } else {
                    (0..16).map(|i| i * 7919 % body.len()).chain([0, body.len() - 1]).collect()
                };
                for at in positions {
                    for flip in [1u8, 0x80, 0xff] {
                        changed[at] ^= flip;
                        assert!(!verify_signature(&changed, Some(&good), &[secret]), "byte {at} ^ {flip} verified");
                        changed[at] ^= flip;
                    }
                }
                changed.push(b' ');
                assert!(!verify_signature(&changed, Some(&good), &[secret]), "a byte added verified");
                if !body.is_empty() {
                    assert!(!verify_signature(&body[1..], Some(&good), &[secret]), "a byte taken verified");
                }
            }
            let token = secrets.first().copied().unwrap_or("");
            let got = challenge(&input.word, token);
            if let Some(answer) = answer {
                assert_eq!(got, answer, "the handshake of {:?}", input.word);
            }
            if got.is_some() {
                assert!(!token.is_empty(), "answered with no verify token");
            }
        }),
    )
}

// ---------------------------------------------------------------------------
// The inbox
// ---------------------------------------------------------------------------

/// The most one inbox input weighs (about its JSON text's length).
const STEP_WEIGHT: usize = 1 << 15;

const INBOX_PAGE: &str = "104620945892041";
const INBOX_INSTAGRAM: &str = "17841400000000001";
/// The people of the webhook fixtures, and one more.
const CUSTOMERS: &[&str] = &["5120094478812093", "5120094478812094", "6234110987654321"];

impl Generator<'_> {
    fn customer(&mut self) -> String {
        if self.rng.one_in(16) {
            return self.rng.pick(&self.strings).clone();
        }
        (*self.rng.pick(CUSTOMERS)).to_owned()
    }

    /// A message id from a small set, so that inputs meet.
    fn mid(&mut self) -> String {
        match self.rng.below(16) {
            0 => "m_live_0001".into(),
            1 => "m_echo_0001".into(),
            2 => String::new(),
            _ => format!("m_{}", self.rng.below(8)),
        }
    }

    /// The second a message of `mid` was made: mostly one per mid, as the
    /// Graph and the webhook agree, sometimes not.
    fn created(&mut self, mid: &str) -> i64 {
        let base = 1_764_900_000 + 60 * mid.bytes().map(i64::from).sum::<i64>() % 3600;
        match self.rng.below(6) {
            0 => base + *self.rng.pick(&[1, -60, 3600, -1_764_900_000]),
            _ => base,
        }
    }

    /// A Graph Message node.
    fn inbox_message(&mut self, mid: &str, customer: &str) -> Value {
        let created = self.created(mid);
        let (from, to) = if self.rng.one_in(2) { (customer, INBOX_PAGE) } else { (INBOX_PAGE, customer) };
        let mut message = json!({
            "id": mid,
            "created_time": graph_time(created),
            "from": {"id": from},
            "to": {"data": [{"id": to}]},
            "message": format!("text of {mid}"),
        });
        if self.rng.one_in(4) {
            message["reactions"] = json!({"data": [{"reaction": "❤️", "users": [{"id": customer}]}]});
        }
        if self.rng.one_in(4) {
            message["attachments"] = json!({"data": [{"id": "a_1", "mime_type": "image/png"}]});
        }
        if self.rng.one_in(6) {
            message.as_object_mut().map(|m| m.remove(*self.rng.pick(&["to", "from", "created_time", "message"])));
        }
        message
    }

    /// A webhook event of any kind, built.
    fn inbox_event(&mut self) -> WebhookEvent {
        const KINDS: &[EventKind] = &[
            EventKind::Message,
            EventKind::Message,
            EventKind::Echo,
            EventKind::Edit,
            EventKind::Delete,
            EventKind::Reaction,
            EventKind::Reaction,
            EventKind::Read,
            EventKind::Delivery,
            EventKind::Postback,
            EventKind::Referral,
            EventKind::Unknown,
        ];
        let kind = *self.rng.pick(KINDS);
        let customer = self.customer();
        let mid = self.mid();
        let created = self.created(&mid);
        let timestamp = (created * 1000 + self.rng.below(5) as i64 * 1000) as f64;
        let mut event = WebhookEvent {
            kind,
            platform: Platform::Messenger,
            account_id: if self.rng.one_in(8) { String::new() } else { INBOX_PAGE.into() },
            customer_id: customer.clone(),
            mid: (!self.rng.one_in(8)).then(|| mid.clone()),
            timestamp,
            standby: self.rng.one_in(8),
            message: None,
            text: None,
            edit_count: None,
            reaction: None,
            watermark: None,
            raw: Own::object().with("sender", Own::object().with("id", Own::String(customer.clone()))),
        };
        match kind {
            EventKind::Message | EventKind::Echo => {
                let mut message = self.inbox_message(&mid, &customer);
                message.as_object_mut().map(|m| m.remove("to"));
                event.message = Some(Own::read(&message, 32));
            }
            EventKind::Edit => {
                let count = self.rng.below(7) as u32;
                event.text = Some(format!("edit {count} of {mid}"));
                event.edit_count = (!self.rng.one_in(6)).then_some(count);
            }
            EventKind::Reaction => {
                let action = if self.rng.below(3) > 0 { "react" } else { "unreact" };
                let emoji = (*self.rng.pick(&["❤️", "👍", ""])).to_owned();
                let name = self.rng.one_in(3).then(|| "love".to_owned());
                event.reaction = Some(Reaction { action: action.into(), reaction: name, emoji: Some(emoji) });
            }
            EventKind::Read | EventKind::Delivery if self.rng.one_in(2) => {
                event.watermark = Some((created * 1000) as f64);
                event.mid = None;
            }
            _ => {}
        }
        event
    }

    /// A sync result: some of the people's conversations with some of
    /// their messages.
    fn inbox_sync(&mut self) -> Value {
        let conversations: Vec<Value> = (0..self.rng.below(4))
            .map(|_| {
                let customer = self.customer();
                let messages: Vec<Value> = (0..self.rng.below(5))
                    .map(|_| {
                        let mid = self.mid();
                        self.inbox_message(&mid, &customer)
                    })
                    .collect();
                let participants = match self.rng.below(6) {
                    0 => json!({"data": [{"id": customer}]}),
                    1 => json!({"data": [{"id": INBOX_PAGE}, {"id": customer}, {"id": self.customer()}]}),
                    _ => json!({"data": [{"id": INBOX_PAGE}, {"id": customer}]}),
                };
                let updated = self.created("");
                let messages = if self.rng.one_in(2) {
                    Value::Array(messages)
                } else {
                    json!({"data": messages, "paging": {"cursors": {"after": "QVFI"}}})
                };
                let id =
                    if self.rng.one_in(8) { self.rng.pick(&self.strings).clone() } else { format!("t_{customer}") };
                json!({
                    "id": id,
                    "updated_time": graph_time(updated + self.rng.below(3) as i64 * 60),
                    "participants": participants,
                    "messages": messages,
                })
            })
            .collect();
        let mut sync = json!({"conversations": conversations});
        if !self.rng.one_in(4) {
            sync["accountIds"] = json!([INBOX_PAGE]);
        }
        sync
    }

    /// One input of an inbox: an event (built, or read from a mutated
    /// webhook fixture), a sync result, a sent message, a list of them, or
    /// anything.
    fn inbox_step(&mut self, nested: bool) -> Value {
        let mut step = match self.rng.below(12) {
            0..=3 => self.inbox_event().to_value().build::<Value>(),
            4 | 5 => {
                let mut body = self.rng.pick(&self.corpus.webhook_values).clone();
                if self.rng.one_in(2) {
                    self.mutate_webhook(&mut body);
                }
                let events = parse(&body).unwrap_or_default();
                if events.is_empty() {
                    self.inbox_event().to_value().build::<Value>()
                } else {
                    let event = &events[self.rng.below(events.len())];
                    event.to_value().build::<Value>()
                }
            }
            6 | 7 => self.inbox_sync(),
            8 | 9 => {
                let customer = self.customer();
                let mid = self.mid();
                let message = self.inbox_message(&mid, &customer);
                json!({"recipientId": customer, "messageId": mid, "message": message})
            }
            10 if !nested => Value::Array((0..1 + self.rng.below(3)).map(|_| self.inbox_step(true)).collect()),
            _ => {
                let mut value = self.rng.pick(&self.corpus.values).clone();
                self.mutate_value(&mut value);
                value
            }
        };
        if self.rng.one_in(6) {
            for _ in 0..1 + self.rng.below(2) {
                self.mutate_value(&mut step);
            }
        }
        if weight(&step, STEP_WEIGHT) > STEP_WEIGHT {
            // The inbox reads each input in full, three times over and more
            // in this check: keep inputs the size of a sync page.
            return self.inbox_event().to_value().build::<Value>();
        }
        step
    }
}

fn new_inbox(cap: u32, instagram: bool) -> Inbox {
    if instagram {
        Inbox::new(INBOX_INSTAGRAM, Platform::Instagram, cap)
    } else {
        Inbox::new(INBOX_PAGE, Platform::Messenger, cap)
    }
}

/// The inbox fed the inputs of `steps` (those it refuses change nothing).
fn fed<'a>(cap: u32, instagram: bool, steps: impl Iterator<Item = &'a Value>) -> Inbox {
    let mut inbox = new_inbox(cap, instagram);
    for step in steps {
        let _ = inbox.apply_json(step);
    }
    inbox
}

/// The inbox over random inputs: no panic, a refused input changes
/// nothing, at most `cap` messages a conversation and `4 × cap` events a
/// thread, the same snapshot whatever the order and repetition of the
/// inputs, and a snapshot that restores to itself.
pub(super) fn inbox_target(generator: &mut Generator) -> Case {
    let mut input = generator.input(0);
    input.cap = *generator.rng.pick(&[1, 2, 3, 5, 200]);
    input.word = if generator.rng.one_in(6) { "instagram".into() } else { "messenger".into() };
    let mut steps: Vec<Value> = (0..1 + generator.rng.below(14)).map(|_| generator.inbox_step(false)).collect();
    if generator.rng.one_in(4) && !steps.is_empty() {
        // A repeat, as webhooks are redelivered.
        let again = steps[generator.rng.below(steps.len())].clone();
        steps.push(again);
    }
    input.steps = steps;
    let damaged = generator.rng.one_in(3);
    (
        input,
        Box::new(move |input: &Input| {
            let (cap, instagram) = (input.cap, input.word == "instagram");
            // In order, each input checked.
            let mut forward = new_inbox(cap, instagram);
            for step in &input.steps {
                let before = forward.snapshot();
                match forward.apply_json(step) {
                    Ok(_) => {}
                    Err(err) => {
                        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
                        assert!(forward.snapshot() == before, "a refused input changed the inbox");
                    }
                }
            }
            let snapshot = forward.snapshot();
            let backward = fed(cap, instagram, input.steps.iter().rev());
            assert_eq!(backward.snapshot(), snapshot, "the inputs in reverse order gave another inbox");
            let mut twice = forward.clone();
            for step in &input.steps {
                let _ = twice.apply_json(step);
            }
            assert_eq!(twice.snapshot(), snapshot, "the inputs given again gave another inbox");
            let conversations = forward.conversations();
            let texts = |list: &[Own]| list.iter().map(Own::to_json_text).collect::<Vec<_>>();
            assert_eq!(texts(&backward.conversations()), texts(&conversations));

            // Bounded: messages shown and kept, events kept.
            for conversation in &conversations {
                let messages = conversation.get("messages").map(Own::items).unwrap_or_default();
                assert!(messages.len() <= cap as usize, "{} messages shown, at most {cap}", messages.len());
                let mids: HashSet<&str> = messages.iter().filter_map(|m| m.get("id")?.as_str()).collect();
                assert_eq!(mids.len(), messages.len(), "a message shown twice in one conversation");
            }
            let parsed: Value = serde_json::from_str(&snapshot).expect("a snapshot is JSON");
            for thread in parsed["threads"].as_array().expect("threads") {
                let copies = thread["copies"].as_array().expect("copies");
                let most = COPIES_PER_MESSAGE * cap as usize;
                assert!(copies.len() <= most, "{} message copies kept in a thread, at most {most}", copies.len());
                let events = thread["events"].as_array().expect("events").len();
                assert!(events <= 4 * cap as usize, "{events} events kept in a thread, at most {}", 4 * cap);
            }

            // Restored, the same inbox.
            let restored = Inbox::restore_json(&parsed).unwrap_or_else(|err| panic!("its own snapshot refused: {err}"));
            assert_eq!(restored.snapshot(), snapshot, "a snapshot restores to another inbox");
            // A damaged snapshot: refused, or an inbox that restores to itself.
            if damaged {
                let mut bytes = snapshot.into_bytes();
                let mut rng = Rng::new(bytes.len() as u64);
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(bytes.len());
                    bytes[at] = *rng.pick(b"{}[]\",:0x");
                }
                let Ok(damaged) = serde_json::from_slice::<Value>(&bytes) else { return };
                if let Ok(inbox) = Inbox::restore_json(&damaged) {
                    let again: Value = serde_json::from_str(&inbox.snapshot()).expect("a snapshot is JSON");
                    let restored = Inbox::restore_json(&again).expect("a snapshot it wrote");
                    assert_eq!(restored.snapshot(), inbox.snapshot());
                }
            }
        }),
    )
}
