//! Webhooks of the Messenger Platform and the Instagram API: the
//! subscription handshake, the `X-Hub-Signature-256` check over the raw
//! bytes, and every messaging item read as one typed [`WebhookEvent`], its
//! message in the Graph's Message shape.
//!
//! Nothing is parsed before the signature holds (the caller checks it
//! first), and the signature is computed over the bytes exactly as they came:
//! Meta signs its own escaped-unicode serialisation, so re-serialised JSON
//! would not match.
//!
//! See <https://developers.facebook.com/docs/messenger-platform/webhooks>.

use crate::prelude::*;
use crate::text::{cat, parse_u64, split_byte, split_once_byte, trim_white};

use super::error::Error;
use super::json::Json;
use super::query::Platform;
use super::quoted::quoted;
use super::request::{hex_digit, percent_decode};
use super::sha256::{equal_in_constant_time, hex, hmac_sha256};
use super::time::{epoch_ms, graph_time};
use alloc::borrow::Cow;

use super::value::{write_ascii_string, Borrowed, Number, Value, MAX_SAFE_INTEGER};

/// The largest webhook body read. Meta's are a few kilobytes; a larger one
/// is refused before anything parses it.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The deepest nesting of a webhook body read (Meta's go about 8 deep).
pub const MAX_DEPTH: usize = 64;

/// Checks `X-Hub-Signature-256` (`sha256=<64 lowercase hex>`) against the
/// HMAC-SHA256 of `raw` with each of `secrets` (several: rotation, or an
/// Instagram Login app beside its Meta app), in constant time. A missing,
/// malformed or wrong header is `false`, never an error.
pub fn verify_signature(raw: &[u8], header: Option<&str>, secrets: &[&str]) -> bool {
    let Some(hex) = header.map(trim_white).and_then(|h| h.strip_prefix("sha256=")) else { return false };
    let Some(expected) = decode_hex_32(hex) else { return false };
    let mut any = false;
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        // Compared in constant time; every secret is tried, so the time
        // does not say which one matched.
        any |= equal_in_constant_time(&hmac_sha256(secret.as_bytes(), raw), &expected);
    }
    any
}

/// The signature header Meta would send for `raw` signed with `secret`
/// (for tests and for the mock Graph).
pub fn sign(raw: &[u8], secret: &str) -> String {
    cat!("sha256=", hex(&hmac_sha256(secret.as_bytes(), raw)))
}

fn decode_hex_32(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    // By `get`, not `chunks(2)` and indexes: no iterator or bounds panic
    // of its own in the wasm.
    for (i, byte) in out.iter_mut().enumerate() {
        let (Some(&high), Some(&low)) = (bytes.get(2 * i), bytes.get(2 * i + 1)) else { return None };
        *byte = hex_digit(high)? << 4 | hex_digit(low)?;
    }
    Some(out)
}

/// The subscription handshake: the `hub.challenge` to answer when `query`
/// (a URL's query string, with or without `?`) is `hub.mode=subscribe`
/// with `hub.verify_token` equal to `verify_token`; `None` otherwise.
pub fn challenge(query: &str, verify_token: &str) -> Option<String> {
    let query = split_once_byte(query, b'?').map_or(query, |(_, q)| q);
    let query = split_once_byte(query, b'#').map_or(query, |(q, _)| q);
    let (mut mode, mut token, mut challenge) = (None, None, None);
    for pair in split_byte(query, b'&') {
        let (key, value) = split_once_byte(pair, b'=').unwrap_or((pair, ""));
        let value = percent_decode(value, true)?;
        match key {
            "hub.mode" => mode = Some(value),
            "hub.verify_token" => token = Some(value),
            "hub.challenge" => challenge = Some(value),
            _ => {}
        }
    }
    let token_ok = token.is_some_and(|t| constant_time_eq(t.as_bytes(), verify_token.as_bytes()));
    (mode.as_deref() == Some("subscribe") && token_ok && !verify_token.is_empty()).then_some(challenge?)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuses, before parsing, a body too large or nested too deep to be a
/// webhook, in one pass over its bytes.
///
/// # Errors
/// A decode error saying which limit the body broke.
pub fn check_body(raw: &[u8]) -> Result<(), Error> {
    if raw.len() > MAX_BODY_BYTES {
        return Err(Error::decode(
            None,
            cat!(
                "a webhook body of ",
                raw.len(),
                " bytes is larger than any Meta sends (",
                MAX_BODY_BYTES,
                " at most)"
            ),
        ));
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in raw {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Error::decode(
                        None,
                        cat!("a webhook body nested deeper than ", MAX_DEPTH, " levels is not one Meta sends"),
                    ));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// What a [`WebhookEvent`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    /// A person's message to the account.
    Message,
    /// The account's own message, as sent (by any app or the inbox).
    Echo,
    /// A message's new text.
    Edit,
    /// A message taken back (unsent, deleted).
    Delete,
    /// A reaction given or taken back.
    Reaction,
    /// The person read the thread (up to a time, or a message).
    Read,
    /// Messages reached the person (Messenger).
    Delivery,
    /// A button or ice-breaker tapped.
    Postback,
    /// The person came through a link, an ad or a QR code.
    Referral,
    /// An item of a kind this list does not know: kept, with its `raw`.
    Unknown,
}

impl EventKind {
    /// The name JS sees in `event.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Message => "message",
            Self::Echo => "echo",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Reaction => "reaction",
            Self::Read => "read",
            Self::Delivery => "delivery",
            Self::Postback => "postback",
            Self::Referral => "referral",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a name [`EventKind::as_str`] gave.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Message,
            Self::Echo,
            Self::Edit,
            Self::Delete,
            Self::Reaction,
            Self::Read,
            Self::Delivery,
            Self::Postback,
            Self::Referral,
            Self::Unknown,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

/// A reaction given or taken back.
#[derive(Clone, Debug, PartialEq)]
pub struct Reaction {
    /// `"react"` or `"unreact"`.
    pub action: String,
    /// Meta's name for it (`"love"`, `"like"`, `"other"`).
    pub reaction: Option<String>,
    /// The emoji itself.
    pub emoji: Option<String>,
}

/// One messaging item of a webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// What it is about.
    pub kind: EventKind,
    /// From the envelope's `object`: `page` is Messenger.
    pub platform: Platform,
    /// The entry's id: the Page or the Instagram professional account.
    pub account_id: String,
    /// The person on the other side, whichever way the message went.
    pub customer_id: String,
    /// The message the event is about.
    pub mid: Option<String>,
    /// Milliseconds since the epoch (a payload in seconds is converted).
    pub timestamp: f64,
    /// Came on the standby channel (another app owns the thread).
    pub standby: bool,
    /// Message and echo: the message as a Graph Message node.
    pub message: Option<Value>,
    /// Edit: the new text.
    pub text: Option<String>,
    /// Edit: how many times the message was edited (Meta allows 5).
    pub edit_count: Option<u32>,
    /// Reaction: which, and whether given or taken back.
    pub reaction: Option<Reaction>,
    /// Read (Messenger) and delivery: everything sent before this time (ms).
    pub watermark: Option<f64>,
    /// The messaging item exactly as received.
    pub raw: Value,
}

/// Reads a webhook body (already parsed) into its events, in the order
/// sent: every messaging and standby item of every entry, and the
/// `changes[]` items that carry messages. An item of a kind not known is an
/// event of kind [`EventKind::Unknown`], never dropped.
///
/// # Errors
/// A decode error when the body is not a Messenger or Instagram webhook
/// (no `object` of `page` or `instagram`, no `entry` array).
pub fn parse<J: Json>(body: &J) -> Result<Vec<WebhookEvent>, Error> {
    // One reader: the body as the crate's own value (the wasm build parses
    // raw bytes straight into one, see `parse_value`). An item is nested at
    // most 5 levels below the body; its `raw` keeps MAX_DEPTH more.
    parse_value(&Value::read(body, MAX_DEPTH + 5))
}

/// [`parse`] of a body read into a [`Value`] (by [`Value::parse`]).
///
/// # Errors
/// As [`parse`].
pub fn parse_value(body: &Value) -> Result<Vec<WebhookEvent>, Error> {
    let view = Borrowed::of(body);
    let items = parse_items(&view)?;
    Ok(items
        .into_iter()
        .map(|(mut event, item)| {
            event.raw = item.to_value(MAX_DEPTH);
            event
        })
        .collect())
}

/// The events of a body, each beside the messaging item it was read from
/// (borrowed, so its `raw` is left `null` rather than copied): for writers
/// that write the item where it is.
///
/// # Errors
/// As [`parse`].
pub fn parse_items<'a, 'b>(body: &'a Borrowed<'b>) -> Result<Vec<(WebhookEvent, &'a Borrowed<'b>)>, Error> {
    let mut events = Vec::new();
    each_item(body, |platform, account_id, item, source| events.push((item.to_event(platform, account_id), source)))?;
    Ok(events)
}

/// Calls `found` with every messaging item of a body, in the order sent,
/// read where it is (nothing copied): the one walk both the owned events
/// and the text for JS are made from.
fn each_item<'a, 'b>(
    body: &'a Borrowed<'b>,
    mut found: impl FnMut(Platform, &str, Item<'a>, &'a Borrowed<'b>),
) -> Result<(), Error> {
    let not_webhook = |why: &str| Error::decode(None, cat!("not a Messenger or Instagram webhook: ", why));
    if !body.is_object() {
        return Err(not_webhook("the body is not a JSON object"));
    }
    let platform = match body.get("object").and_then(Borrowed::as_str) {
        Some("page") => Platform::Messenger,
        Some("instagram") => Platform::Instagram,
        Some(other) => {
            return Err(not_webhook(&cat!("its object is ", quoted(other), ", not \"page\" or \"instagram\"")))
        }
        _ => return Err(not_webhook("it has no \"object\"")),
    };
    let Some(Borrowed::Array(entries, _)) = body.get("entry") else {
        return Err(not_webhook("it has no \"entry\" array"));
    };
    for entry in entries {
        let account_id = entry.get("id").and_then(id_text).unwrap_or_default();
        let entry_time = time_ms(entry.get("time"));
        for &(key, standby) in &[("messaging", false), ("standby", true)] {
            for item in entry.get(key).map_or(&[][..], Borrowed::items) {
                found(platform, &account_id, read_item(item, &account_id, entry_time, standby), item);
            }
        }
        for change in entry.get("changes").map_or(&[][..], Borrowed::items) {
            match change.get("value").filter(|v| v.is_object()) {
                Some(value) if value.get("sender").is_some() || value.get("message").is_some() => {
                    found(platform, &account_id, read_item(value, &account_id, entry_time, false), value);
                }
                _ => found(platform, &account_id, Item::unknown(entry_time), change),
            }
        }
    }
    Ok(())
}

/// The events of a body's text as one JSON array (ASCII; each event as
/// [`WebhookEvent::write_json`] writes it, its `raw` the item's own text as
/// it came): what the wasm build hands to the engine's `JSON.parse`, which
/// makes every object at once.
///
/// Each event is written straight from the body as it is read, nothing
/// built or copied on the way: the events' [`Value`]s are what made this
/// slow in a size-optimised build (an allocation for every member).
///
/// The limits of [`check_body`] hold: the reader itself refuses anything
/// nested deeper than [`MAX_DEPTH`] (its recursion is bounded), so the full
/// check runs only to say why a body was refused.
///
/// # Errors
/// A decode error for a body over a limit, not JSON, or not a Messenger or
/// Instagram webhook.
pub fn events_json(text: &str) -> Result<String, Error> {
    if text.len() > MAX_BODY_BYTES {
        check_body(text.as_bytes())?;
    }
    let body = Borrowed::parse(text, MAX_DEPTH).ok_or_else(|| {
        check_body(text.as_bytes()).err().unwrap_or_else(|| Error::decode(None, "the webhook body is not JSON"))
    })?;
    let mut out = String::with_capacity(text.len() * 3);
    out.push('[');
    each_item(&body, |platform, account_id, item, source| {
        if out.len() > 1 {
            out.push(',');
        }
        item.write_json(platform, account_id, &mut out, |out| match source.span() {
            Some(range) => out.push_str(text.get(range).unwrap_or_default()),
            None => source.to_value(MAX_DEPTH).write_json(out),
        });
    })?;
    out.push(']');
    Ok(out)
}

/// An id as text: Meta sends ids as strings, some payloads as numbers (a
/// whole number's digits; a number with a fraction or an exponent is no id).
fn id_text<'a>(value: &'a Borrowed<'_>) -> Option<Cow<'a, str>> {
    match value {
        Borrowed::String(text) => Some(Cow::Borrowed(text.as_ref())),
        _ => value.number().map(|n| n.as_str().to_owned()).filter(|n| !n.contains(['.', 'e'])).map(Cow::Owned),
    }
}

fn string_of<'a>(value: Option<&'a Borrowed<'_>>) -> Option<&'a str> {
    value.and_then(Borrowed::as_str)
}

/// A webhook time in whole milliseconds. One beyond 2^53 ms (the year
/// 287,396) is no time: a double would not hold it exactly.
fn time_ms(value: Option<&Borrowed<'_>>) -> Option<f64> {
    let value = value?;
    epoch_ms(value.number().map(|n| n.as_f64()), value.as_str()).filter(|ms| *ms <= MAX_SAFE_INTEGER)
}

/// One messaging item as read, borrowing from the body: what an owned
/// [`WebhookEvent`] and the event's text for JS are both made from.
struct Item<'a> {
    kind: EventKind,
    sender: Option<Cow<'a, str>>,
    recipient: Option<Cow<'a, str>>,
    /// The account's own message (an echo, or sent from the account's id).
    from_account: bool,
    mid: Option<&'a str>,
    timestamp: f64,
    standby: bool,
    /// Message and echo: the webhook's `message`, for the Graph's node.
    message: Option<&'a Borrowed<'a>>,
    text: Option<&'a str>,
    edit_count: Option<u32>,
    /// Reaction: action, reaction, emoji.
    reaction: Option<(&'a str, Option<&'a str>, Option<&'a str>)>,
    watermark: Option<f64>,
}

impl<'a> Item<'a> {
    fn unknown(entry_time: Option<f64>) -> Self {
        Item {
            kind: EventKind::Unknown,
            sender: None,
            recipient: None,
            from_account: false,
            mid: None,
            timestamp: entry_time.unwrap_or(0.0),
            standby: false,
            message: None,
            text: None,
            edit_count: None,
            reaction: None,
            watermark: None,
        }
    }

    /// The person on the other side, whichever way the message went.
    fn customer_id(&self) -> &str {
        let id =
            if self.from_account { self.recipient.as_ref() } else { self.sender.as_ref().or(self.recipient.as_ref()) };
        id.map_or("", |id| id.as_ref())
    }

    /// The Graph's Message node of a message or an echo, as JSON text.
    fn write_message(&self, out: &mut String) {
        if let Some(message) = self.message {
            write_graph_message(message, self.sender.as_deref(), self.recipient.as_deref(), self.timestamp, out);
        }
    }

    fn to_event(&self, platform: Platform, account_id: &str) -> WebhookEvent {
        let message = self.message.map(|_| {
            let mut text = String::new();
            self.write_message(&mut text);
            Value::parse(&text, MAX_DEPTH).unwrap_or_else(Value::object)
        });
        WebhookEvent {
            kind: self.kind,
            platform,
            account_id: account_id.to_owned(),
            customer_id: self.customer_id().to_owned(),
            mid: self.mid.map(str::to_owned),
            timestamp: self.timestamp,
            standby: self.standby,
            message,
            text: self.text.map(str::to_owned),
            edit_count: self.edit_count,
            reaction: self.reaction.map(|(action, reaction, emoji)| Reaction {
                action: action.to_owned(),
                reaction: reaction.map(str::to_owned),
                emoji: emoji.map(str::to_owned),
            }),
            watermark: self.watermark,
            raw: Value::Null,
        }
    }

    /// The event's JSON text (as [`WebhookEvent::write_json`] writes it),
    /// written from the body where it is, `raw` by `raw`.
    fn write_json(&self, platform: Platform, account_id: &str, out: &mut String, raw: impl FnOnce(&mut String)) {
        let envelope = Envelope {
            kind: self.kind,
            platform,
            account_id,
            customer_id: self.customer_id(),
            mid: self.mid,
            timestamp: self.timestamp,
            standby: self.standby,
            text: self.text,
            edit_count: self.edit_count,
            reaction: self.reaction,
            watermark: self.watermark,
        };
        let message = self.message.map(|_| |out: &mut String| self.write_message(out));
        envelope.write(out, message, raw);
    }
}

fn read_item<'a>(item: &'a Borrowed<'a>, account_id: &str, entry_time: Option<f64>, standby: bool) -> Item<'a> {
    let mut event = Item::unknown(entry_time);
    event.standby = standby;
    event.timestamp = time_ms(item.get("timestamp")).or(entry_time).unwrap_or(0.0);
    event.sender = item.get("sender").and_then(|s| s.get("id")).and_then(id_text);
    event.recipient = item.get("recipient").and_then(|r| r.get("id")).and_then(id_text);
    let message = item.get("message").filter(|m| m.is_object());
    let echo = message.and_then(|m| m.get("is_echo")).and_then(Borrowed::as_bool).unwrap_or(false);
    event.from_account = echo
        || (event.sender.is_some()
            && event.sender.as_deref() == Some(account_id)
            && event.recipient.as_deref() != Some(account_id));
    let text_of = |value: &'a Borrowed<'a>, key: &str| string_of(value.get(key));

    if let Some(message) = message {
        event.mid = text_of(message, "mid");
        let deleted = message.get("is_deleted").and_then(Borrowed::as_bool).unwrap_or(false);
        event.kind = match (deleted, echo) {
            (true, _) => EventKind::Delete,
            (false, true) => EventKind::Echo,
            (false, false) => EventKind::Message,
        };
        if !deleted {
            event.message = Some(message);
        }
    } else if let Some(edit) = item.get("message_edit") {
        event.kind = EventKind::Edit;
        event.mid = text_of(edit, "mid");
        event.text = text_of(edit, "text");
        event.edit_count = edit
            .get("num_edit")
            .and_then(|n| {
                n.number().map(|n| n.as_f64()).or_else(|| {
                    let n = u32::try_from(parse_u64(trim_white(n.as_str()?))?).ok()?;
                    Some(f64::from(n))
                })
            })
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n.min(f64::from(u32::MAX)) as u32);
    } else if let Some(reaction) = item.get("reaction") {
        event.kind = EventKind::Reaction;
        event.mid = text_of(reaction, "mid");
        event.reaction = Some((
            text_of(reaction, "action").unwrap_or("react"),
            text_of(reaction, "reaction"),
            text_of(reaction, "emoji"),
        ));
    } else if let Some(read) = item.get("read") {
        event.kind = EventKind::Read;
        event.mid = text_of(read, "mid");
        event.watermark = time_ms(read.get("watermark"));
    } else if let Some(delivery) = item.get("delivery") {
        event.kind = EventKind::Delivery;
        event.watermark = time_ms(delivery.get("watermark"));
        event.mid = string_of(delivery.get("mids").and_then(|m| m.items().first()));
    } else if let Some(postback) = item.get("postback") {
        event.kind = EventKind::Postback;
        event.mid = text_of(postback, "mid");
    } else if item.get("referral").is_some() {
        event.kind = EventKind::Referral;
    }
    event
}

/// Writes JSON text member by member: a comma before every member but an
/// object's first.
struct Writer<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Writer<'o> {
    fn object(out: &'o mut String) -> Self {
        out.push('{');
        Writer { out, first: true }
    }

    /// One of this module's own member names (plain ASCII, nothing to escape).
    fn key(&mut self, key: &'static str) -> &mut String {
        self.out.push_str(if self.first { "\"" } else { ",\"" });
        self.first = false;
        self.out.push_str(key);
        self.out.push_str("\":");
        self.out
    }

    /// A member name from the body, escaped.
    fn body_key(&mut self, key: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_ascii_string(self.out, key);
        self.out.push(':');
        self.out
    }

    fn string(&mut self, key: &'static str, value: &str) {
        write_ascii_string(self.key(key), value);
    }

    fn end(self) {
        self.out.push('}');
    }
}

/// A value of the body copied into the text for JS, nested at most `depth`
/// levels (deeper is `null`), numbers in their canonical form: what
/// [`Borrowed::to_value`] gives, written.
fn write_copy(value: &Borrowed<'_>, depth: usize, out: &mut String) {
    match value {
        _ if depth == 0 => out.push_str("null"),
        Borrowed::Null => out.push_str("null"),
        Borrowed::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Borrowed::Number(_) => out.push_str(value.number().as_ref().map_or("null", Number::as_str)),
        Borrowed::String(text) => write_ascii_string(out, text),
        Borrowed::Array(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_copy(item, depth - 1, out);
            }
            out.push(']');
        }
        Borrowed::Object(members, _) => {
            let mut object = Writer::object(out);
            for (key, value) in members {
                write_copy(value, depth - 1, object.body_key(key));
            }
            object.end();
        }
    }
}

/// A webhook's `message` as the Graph's Message node: `id` (the mid),
/// `created_time`, `from`, `to`, `message`, `attachments`, `reply_to`,
/// `story`, `is_unsupported`, and `quick_reply`, `metadata`, `app_id` as
/// sent; what a webhook does not carry is absent.
fn write_graph_message(
    message: &Borrowed<'_>,
    sender: Option<&str>,
    recipient: Option<&str>,
    timestamp: f64,
    out: &mut String,
) {
    let mut node = Writer::object(out);
    if let Some(mid) = string_of(message.get("mid")) {
        node.string("id", mid);
    }
    if timestamp > 0.0 {
        node.string("created_time", &graph_time((timestamp / 1000.0).floor() as i64));
    }
    if let Some(sender) = sender {
        let mut from = Writer::object(node.key("from"));
        from.string("id", sender);
        from.end();
    }
    if let Some(recipient) = recipient {
        let mut to = Writer::object(node.key("to"));
        let data = to.key("data");
        data.push('[');
        let mut one = Writer::object(data);
        one.string("id", recipient);
        one.end();
        to.out.push(']');
        to.end();
    }
    if let Some(text) = string_of(message.get("text")) {
        node.string("message", text);
    }
    // An array, or (seen on Instagram) a single object.
    let list = match message.get("attachments") {
        Some(Borrowed::Array(items, _)) => &items[..],
        Some(one @ Borrowed::Object(..)) => ::core::slice::from_ref(one),
        _ => &[],
    };
    let is_mention = |a: &Borrowed<'_>| string_of(a.get("type")) == Some("story_mention");
    // One pass (a plain loop, not an adapter chain each): whether any
    // attachment is shown, whether one says its sticker, the last mention.
    let (mut shown, mut has_sticker, mut mention) = (false, false, None);
    for attachment in list {
        if is_mention(attachment) {
            mention = Some(attachment);
        } else {
            shown = true;
            has_sticker = has_sticker || attachment_has_sticker_id(attachment);
        }
    }
    // The legacy form: a sticker id beside an image attachment, unless an
    // attachment says its sticker already.
    let sticker = message.get("sticker_id").and_then(id_text).filter(|_| !has_sticker);
    if sticker.is_some() || shown {
        let mut attachments = Writer::object(node.key("attachments"));
        let data = attachments.key("data");
        data.push('[');
        let mut first = true;
        for attachment in list {
            if is_mention(attachment) {
                continue;
            }
            if !first {
                data.push(',');
            }
            first = false;
            write_graph_attachment(attachment, data);
        }
        if let Some(sticker) = sticker {
            if !first {
                data.push(',');
            }
            let mut one = Writer::object(data);
            one.string("type", "sticker");
            one.string("sticker_id", &sticker);
            one.end();
        }
        attachments.out.push(']');
        attachments.end();
    }
    let reply = message.get("reply_to");
    let reply_mid = reply.and_then(|r| string_of(r.get("mid")));
    if let (Some(reply), Some(mid)) = (reply, reply_mid) {
        let mut reply_to = Writer::object(node.key("reply_to"));
        reply_to.string("mid", mid);
        if let Some(own) = reply.get("is_self_reply").and_then(Borrowed::as_bool) {
            reply_to.key("is_self_reply").push_str(if own { "true" } else { "false" });
        }
        reply_to.end();
    }
    // A story replied to, else the last story mentioned: { link?, id? }.
    let replied = reply.filter(|_| reply_mid.is_none()).and_then(|r| r.get("story"));
    let story = match replied {
        Some(story) => {
            Some(("reply_to", string_of(story.get("url")).map(Cow::Borrowed), story.get("id").and_then(id_text)))
        }
        None => mention.map(|a| {
            let field = |key: &str| a.get("payload").and_then(|p| p.get(key)).and_then(id_text);
            ("mention", field("url"), field("id"))
        }),
    };
    if let Some((how, link, id)) = story {
        let mut story = Writer::object(node.key("story"));
        let mut to = Writer::object(story.key(how));
        if let Some(link) = link {
            to.string("link", &link);
        }
        if let Some(id) = id {
            to.string("id", &id);
        }
        to.end();
        story.end();
    }
    if message.get("is_unsupported").and_then(Borrowed::as_bool) == Some(true) {
        node.key("is_unsupported").push_str("true");
    }
    for key in ["quick_reply", "metadata", "app_id"] {
        if let Some(value) = message.get(key) {
            write_copy(value, 8, node.key(key));
        }
    }
    node.end();
}

/// Whether an attachment, as the Graph's, has a `sticker_id`.
fn attachment_has_sticker_id(attachment: &Borrowed<'_>) -> bool {
    let payload = attachment.get("payload");
    match string_of(attachment.get("type")).unwrap_or_default() {
        "image" | "sticker" => payload.and_then(|p| p.get("sticker_id")).and_then(id_text).is_some(),
        "video" | "audio" | "file" => false,
        _ => payload.is_some_and(|p| p.get("sticker_id").is_some()),
    }
}

/// `{type, payload: {url, …}}` as the Graph's attachment (a story mention
/// is the message's `story` instead).
fn write_graph_attachment(attachment: &Borrowed<'_>, out: &mut String) {
    let kind = string_of(attachment.get("type")).unwrap_or_default();
    let payload = attachment.get("payload");
    let field = |key: &str| payload.and_then(|p| p.get(key)).and_then(id_text);
    let url = field("url");
    let mut out = Writer::object(out);
    match kind {
        "image" => {
            // Messenger's thumbs-up: an image that is a sticker.
            let sticker = field("sticker_id");
            out.string("type", if sticker.is_some() { "sticker" } else { "image" });
            if let Some(url) = url {
                let mut data = Writer::object(out.key("image_data"));
                data.string("url", &url);
                data.string("preview_url", &url);
                data.end();
            }
            if let Some(sticker) = sticker {
                out.string("sticker_id", &sticker);
            }
        }
        "video" => {
            out.string("type", kind);
            if let Some(url) = url {
                let mut data = Writer::object(out.key("video_data"));
                data.string("url", &url);
                data.end();
            }
        }
        "audio" | "file" => {
            out.string("type", kind);
            if let Some(url) = url {
                out.string("file_url", &url);
            }
        }
        "sticker" => {
            out.string("type", kind);
            if let Some(id) = field("sticker_id") {
                out.string("sticker_id", &id);
            }
            if let Some(url) = url {
                let mut data = Writer::object(out.key("image_data"));
                data.string("url", &url);
                data.key("render_as_sticker").push_str("true");
                data.end();
            }
        }
        _ => {
            // share, ig_post, reel, ig_reel, template, fallback, location…:
            // the payload's plain fields, as the Graph names them (a
            // payload's own `type` in the attachment's place).
            let members = payload.map_or(&[][..], Borrowed::members);
            match payload.and_then(|p| p.get("type")) {
                Some(own) => write_copy(own, 8, out.key("type")),
                None => out.string("type", kind),
            }
            for (key, value) in members {
                if key != "type" {
                    write_copy(value, 8, out.body_key(key));
                }
            }
        }
    }
    out.end();
}

impl WebhookEvent {
    /// The event as the caller's JSON: `{ kind, platform, accountId,
    /// customerId, mid?, timestamp, standby, message?, text?, editCount?,
    /// reaction?, watermark?, raw }`. Times are written as whole
    /// milliseconds.
    pub fn to_value(&self) -> Value {
        let mut out = Value::object()
            .with("kind", Value::text(self.kind.as_str()))
            .with("platform", Value::text(self.platform.as_str()))
            .with("accountId", Value::String(self.account_id.clone()))
            .with("customerId", Value::String(self.customer_id.clone()));
        if let Some(mid) = &self.mid {
            out.set("mid", Value::String(mid.clone()));
        }
        out.set("timestamp", Value::Number(Number::whole(self.timestamp)));
        out.set("standby", Value::Bool(self.standby));
        if let Some(message) = &self.message {
            out.set("message", message.clone());
        }
        if let Some(text) = &self.text {
            out.set("text", Value::String(text.clone()));
        }
        if let Some(count) = self.edit_count {
            out.set("editCount", Value::Number(Number::from(count)));
        }
        if let Some(reaction) = &self.reaction {
            out.set("reaction", reaction.to_value());
        }
        if let Some(watermark) = self.watermark {
            out.set("watermark", Value::Number(Number::whole(watermark)));
        }
        out.set("raw", self.raw.clone());
        out
    }

    /// Writes the JSON text of [`WebhookEvent::to_value`] (members in that
    /// order, ASCII only) with `raw` in place of the event's own `raw`,
    /// without copying either: one `JSON.parse` in the engine then makes
    /// every object at once, far faster than one member at a time.
    pub fn write_json(&self, raw: &Value, out: &mut String) {
        self.write_json_with(out, |out| raw.write_json(out));
    }

    /// [`WebhookEvent::write_json`] with the raw item's own JSON text, copied
    /// as it came (the text of the item in the body).
    pub fn write_json_raw_text(&self, raw: &str, out: &mut String) {
        self.write_json_with(out, |out| out.push_str(raw));
    }

    fn write_json_with(&self, out: &mut String, raw: impl FnOnce(&mut String)) {
        let envelope = Envelope {
            kind: self.kind,
            platform: self.platform,
            account_id: &self.account_id,
            customer_id: &self.customer_id,
            mid: self.mid.as_deref(),
            timestamp: self.timestamp,
            standby: self.standby,
            text: self.text.as_deref(),
            edit_count: self.edit_count,
            reaction: self.reaction.as_ref().map(|r| (r.action.as_str(), r.reaction.as_deref(), r.emoji.as_deref())),
            watermark: self.watermark,
        };
        let message = self.message.as_ref().map(|message| |out: &mut String| message.write_json(out));
        envelope.write(out, message, raw);
    }

    /// Reads back what [`WebhookEvent::to_value`] wrote (events handed to an
    /// inbox from JS, or kept in storage). Times are read as whole
    /// milliseconds (truncated); one beyond ±2^53 ms is none.
    pub fn from_value(value: &Value) -> Option<Self> {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let time =
            |key: &str| value.get(key).and_then(Value::as_f64).filter(|t| t.abs() <= MAX_SAFE_INTEGER).map(f64::trunc);
        let reaction = value.get("reaction").map(|r| Reaction {
            action: r.get("action").and_then(Value::as_str).unwrap_or("react").to_owned(),
            reaction: r.get("reaction").and_then(Value::as_str).map(str::to_owned),
            emoji: r.get("emoji").and_then(Value::as_str).map(str::to_owned),
        });
        Some(Self {
            kind: EventKind::parse(&text("kind")?)?,
            platform: Platform::parse(&text("platform")?).ok()?,
            account_id: text("accountId").unwrap_or_default(),
            customer_id: text("customerId").unwrap_or_default(),
            mid: text("mid"),
            timestamp: time("timestamp").unwrap_or(0.0),
            standby: value.get("standby") == Some(&Value::Bool(true)),
            message: value.get("message").filter(|m| matches!(m, Value::Object(_))).cloned(),
            text: text("text"),
            edit_count: value
                .get("editCount")
                .and_then(Value::as_f64)
                .filter(|n| *n >= 0.0)
                .map(|n| n.min(f64::from(u32::MAX)) as u32),
            reaction,
            watermark: time("watermark"),
            raw: value.get("raw").cloned().unwrap_or(Value::Null),
        })
    }
}

/// An event's members but its message and raw, borrowed: written alike
/// from an owned [`WebhookEvent`] and from an item read where it is.
struct Envelope<'a> {
    kind: EventKind,
    platform: Platform,
    account_id: &'a str,
    customer_id: &'a str,
    mid: Option<&'a str>,
    timestamp: f64,
    standby: bool,
    text: Option<&'a str>,
    edit_count: Option<u32>,
    reaction: Option<(&'a str, Option<&'a str>, Option<&'a str>)>,
    watermark: Option<f64>,
}

impl Envelope<'_> {
    /// `{ kind, platform, accountId, customerId, mid?, timestamp, standby,
    /// message?, text?, editCount?, reaction?, watermark?, raw }`, as
    /// [`WebhookEvent::to_value`] orders them, ASCII only.
    fn write<M: FnOnce(&mut String)>(&self, out: &mut String, message: Option<M>, raw: impl FnOnce(&mut String)) {
        let mut event = Writer::object(out);
        event.string("kind", self.kind.as_str());
        event.string("platform", self.platform.as_str());
        event.string("accountId", self.account_id);
        event.string("customerId", self.customer_id);
        if let Some(mid) = self.mid {
            event.string("mid", mid);
        }
        event.key("timestamp").push_str(Number::whole(self.timestamp).as_str());
        event.key("standby").push_str(if self.standby { "true" } else { "false" });
        if let Some(message) = message {
            message(event.key("message"));
        }
        if let Some(text) = self.text {
            event.string("text", text);
        }
        if let Some(count) = self.edit_count {
            event.key("editCount").push_str(Number::from(count).as_str());
        }
        if let Some((action, reaction, emoji)) = self.reaction {
            let mut out = Writer::object(event.key("reaction"));
            out.string("action", action);
            if let Some(reaction) = reaction {
                out.string("reaction", reaction);
            }
            if let Some(emoji) = emoji {
                out.string("emoji", emoji);
            }
            out.end();
        }
        if let Some(watermark) = self.watermark {
            event.key("watermark").push_str(Number::whole(watermark).as_str());
        }
        raw(event.key("raw"));
        event.end();
    }
}

impl Reaction {
    /// `{ action, reaction?, emoji? }`.
    pub fn to_value(&self) -> Value {
        let mut r = Value::object().with("action", Value::String(self.action.clone()));
        if let Some(name) = &self.reaction {
            r.set("reaction", Value::String(name.clone()));
        }
        if let Some(emoji) = &self.emoji {
            r.set("emoji", Value::String(emoji.clone()));
        }
        r
    }
}
