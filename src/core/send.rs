//! The Send API: a reply, a sender action or a reaction as one checked
//! `POST /{account-id}/messages`, and what its refusals mean.
//!
//! The Graph has no idempotency key, so the client must never send a
//! message twice: a send is tried again only when the answer proves the
//! Graph did not take it (an error body with a throttling code). See
//! `Client::send_message` for the rest of that rule, and
//! <https://developers.facebook.com/docs/messenger-platform/reference/send-api>.

use crate::prelude::*;
use crate::text::{cat, trim_white};

use super::config::ClientConfig;
use super::error::{is_rate_limit_code, Error};
use super::ids::{MessageId, PageId, UserId};
use super::json::{str_member, Json};
use super::query::Platform;
use super::quoted::{char_count, contains_text, quoted};
use super::request::{form_encode, HttpRequest, Method};
use super::time::graph_time;
use super::value::Value;

/// The one message tag still accepted: a human agent's reply up to 7 days
/// after the person's last message (needs the Human Agent permission).
pub const HUMAN_AGENT: &str = "HUMAN_AGENT";
/// Tags the Graph retired on 27 April 2026 (it answers code 100 for them).
pub const RETIRED_TAGS: [&str; 3] = ["CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE"];
/// Messenger: a text must have fewer than 2,000 characters.
pub const MESSENGER_TEXT_CHARS: usize = 2_000;
/// Instagram: a text may have at most 1,000 bytes (UTF-8).
pub const INSTAGRAM_TEXT_BYTES: usize = 1_000;
/// `metadata` must have fewer than 1,000 characters.
pub const METADATA_CHARS: usize = 1_000;

/// What `sendMessage` sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// The text.
    pub text: Option<String>,
    /// An attachment by URL: `image`, `video`, `audio` or `file`.
    pub attachment: Option<(String, String)>,
    /// The mid of a message of the thread to quote.
    pub reply_to: Option<String>,
    /// `HUMAN_AGENT`, the only tag still accepted.
    pub tag: Option<String>,
    /// `RESPONSE` (default), `UPDATE` or `MESSAGE_TAG` (whenever a tag is given).
    pub messaging_type: Option<String>,
    /// Comes back on the echo webhook.
    pub metadata: Option<String>,
    /// Which text limit applies; Messenger unless said (Instagram on
    /// graph.instagram.com).
    pub platform: Option<Platform>,
}

/// A sender action: typing indicators and mark-seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SenderAction {
    /// Shows the typing indicator.
    TypingOn,
    /// Hides it.
    TypingOff,
    /// Marks the person's last message as seen.
    MarkSeen,
}

impl SenderAction {
    /// Reads `typing_on`, `typing_off` or `mark_seen`.
    ///
    /// # Errors
    /// An invalid-argument error for anything else.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "typing_on" => Ok(Self::TypingOn),
            "typing_off" => Ok(Self::TypingOff),
            "mark_seen" => Ok(Self::MarkSeen),
            other => Err(Error::invalid_argument(cat!(
                "invalid action ",
                quoted(other),
                ": expected \"typing_on\", \"typing_off\" or \"mark_seen\""
            ))),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::TypingOn => "typing_on",
            Self::TypingOff => "typing_off",
            Self::MarkSeen => "mark_seen",
        }
    }
}

/// One checked Send API call.
#[derive(Clone, Debug, PartialEq)]
pub struct SendRequest {
    account: String,
    /// The form fields (`recipient`, `messaging_type`, `message` or `sender_action`, …).
    fields: Vec<(&'static str, String)>,
    /// The sent message as a Graph Message node, for a message (not an action).
    pub message: Option<Value>,
    /// The recipient.
    pub recipient: String,
}

impl SendRequest {
    /// A message from `account` to `recipient`, checked against every rule
    /// the Graph would refuse it for.
    ///
    /// # Errors
    /// An invalid-argument error naming the rule broken; nothing is sent.
    pub fn message(account: &str, recipient: &str, message: &OutgoingMessage) -> Result<Self, Error> {
        let account = PageId::new(account)?.into_string();
        let recipient = UserId::new(recipient)?.into_string();
        let text = message.text.as_deref().filter(|t| !t.is_empty());
        if text.is_none() && message.attachment.is_none() {
            return Err(Error::invalid_argument("a message needs text or an attachment (or both)"));
        }
        if let Some(text) = text {
            check_text(text, message.platform.unwrap_or(Platform::Messenger))?;
        }
        let tag = match message.tag.as_deref() {
            None => None,
            Some(HUMAN_AGENT) => Some(HUMAN_AGENT),
            Some(retired) if RETIRED_TAGS.contains(&retired) => {
                return Err(Error::invalid_argument(cat!(
                    "tag ",
                    retired,
                    " was retired on 27 April 2026; the only tag still accepted is HUMAN_AGENT (a human agent's \
                     reply within 7 days of the person's last message)"
                )))
            }
            Some(other) => {
                return Err(Error::invalid_argument(cat!(
                    "invalid tag ",
                    quoted(other),
                    ": the only tag still accepted is \"HUMAN_AGENT\""
                )))
            }
        };
        let messaging_type = match (message.messaging_type.as_deref(), tag) {
            (None, None) => "RESPONSE",
            (None | Some("MESSAGE_TAG"), Some(_)) => "MESSAGE_TAG",
            (Some(kind @ ("RESPONSE" | "UPDATE")), None) => kind,
            (Some(kind), Some(_)) => {
                return Err(Error::invalid_argument(cat!(
                    "messagingType ",
                    quoted(kind),
                    " with a tag: a tagged message is \"MESSAGE_TAG\" (or leave messagingType out)"
                )))
            }
            (Some(other), None) => {
                return Err(Error::invalid_argument(cat!(
                    "invalid messagingType ",
                    quoted(other),
                    ": expected \"RESPONSE\" or \"UPDATE\" (\"MESSAGE_TAG\" needs a tag)"
                )))
            }
        };
        let mut body = Value::object();
        if let Some(text) = text {
            body.set("text", Value::text(text));
        }
        if let Some((kind, url)) = &message.attachment {
            check_attachment(kind, url)?;
            let payload = Value::object().with("url", Value::text(url.as_str())).with("is_reusable", Value::Bool(true));
            body.set("attachment", Value::object().with("type", Value::text(kind.as_str())).with("payload", payload));
        }
        if let Some(metadata) = &message.metadata {
            let count = char_count(metadata);
            if count >= METADATA_CHARS {
                return Err(Error::invalid_argument(cat!(
                    "metadata must have fewer than ",
                    METADATA_CHARS,
                    " characters, not ",
                    count
                )));
            }
            body.set("metadata", Value::text(metadata.as_str()));
        }
        let mut fields = vec![
            ("recipient", Value::object().with("id", Value::text(recipient.as_str())).to_json_text()),
            ("messaging_type", messaging_type.to_owned()),
            ("message", body.to_json_text()),
        ];
        if let Some(tag) = tag {
            fields.push(("tag", tag.to_owned()));
        }
        if let Some(mid) = &message.reply_to {
            let mid = MessageId::new(mid.as_str())?.into_string();
            fields.push(("reply_to", Value::object().with("mid", Value::String(mid)).to_json_text()));
        }
        let node = sent_node(&account, &recipient, text, message);
        Ok(Self { account, fields, message: Some(node), recipient })
    }

    /// A sender action (`typing_on`, `typing_off`, `mark_seen`).
    ///
    /// # Errors
    /// An invalid-argument error for a bad id.
    pub fn action(account: &str, recipient: &str, action: SenderAction) -> Result<Self, Error> {
        Self::sender_action(account, recipient, action.as_str(), None)
    }

    /// A reaction to message `mid`, or taking it back (`emoji` `None`).
    ///
    /// # Errors
    /// An invalid-argument error for a bad id or an empty emoji.
    pub fn react(account: &str, recipient: &str, mid: &str, emoji: Option<&str>) -> Result<Self, Error> {
        let mid = MessageId::new(mid)?.into_string();
        let mut payload = Value::object().with("message_id", Value::String(mid));
        let action = match emoji {
            Some(emoji) if trim_white(emoji).is_empty() => {
                return Err(Error::invalid_argument("a reaction is an emoji (\"❤️\"); pass null to take one back"))
            }
            Some(emoji) => {
                payload.set("reaction", Value::text(emoji));
                "react"
            }
            None => "unreact",
        };
        Self::sender_action(account, recipient, action, Some(payload))
    }

    fn sender_action(account: &str, recipient: &str, action: &str, payload: Option<Value>) -> Result<Self, Error> {
        let account = PageId::new(account)?.into_string();
        let recipient = UserId::new(recipient)?.into_string();
        let mut fields = vec![
            ("recipient", Value::object().with("id", Value::text(recipient.as_str())).to_json_text()),
            ("sender_action", action.to_owned()),
        ];
        if let Some(payload) = payload {
            fields.push(("payload", payload.to_json_text()));
        }
        Ok(Self { account, fields, message: None, recipient })
    }

    /// The HTTP request: a form `POST` to `/{account}/messages`, the token
    /// in the header or the body as `tokenIn` says, never in the URL.
    pub fn to_http(&self, config: &ClientConfig) -> HttpRequest {
        let mut form = self.fields.clone();
        if let Some(proof) = &config.appsecret_proof {
            form.push(("appsecret_proof", proof.clone()));
        }
        let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded".to_owned())];
        match config.token_in {
            super::config::TokenIn::Header => headers.push(("Authorization", config.access_token.authorization())),
            super::config::TokenIn::Body => form.push(("access_token", config.access_token.expose().to_owned())),
        }
        HttpRequest {
            method: Method::Post,
            url: cat!(config.base_url, "/", config.api_version, "/", self.account, "/messages"),
            headers,
            body: Some(form_encode(&form)),
        }
    }
}

fn check_text(text: &str, platform: Platform) -> Result<(), Error> {
    match platform {
        Platform::Messenger => {
            let count = char_count(text);
            if count >= MESSENGER_TEXT_CHARS {
                return Err(Error::invalid_argument(cat!(
                    "the text has ",
                    count,
                    " characters; Messenger takes fewer than ",
                    MESSENGER_TEXT_CHARS,
                    ": split it"
                )));
            }
            Ok(())
        }
        Platform::Instagram if text.len() > INSTAGRAM_TEXT_BYTES => Err(Error::invalid_argument(cat!(
            "the text has ",
            text.len(),
            " bytes (UTF-8); Instagram takes at most ",
            INSTAGRAM_TEXT_BYTES,
            ": split it"
        ))),
        _ => Ok(()),
    }
}

fn check_attachment(kind: &str, url: &str) -> Result<(), Error> {
    if !matches!(kind, "image" | "video" | "audio" | "file") {
        return Err(Error::invalid_argument(cat!(
            "invalid attachment type ",
            quoted(kind),
            ": expected \"image\", \"video\", \"audio\" or \"file\""
        )));
    }
    // No host: nothing after `https://`, or a `/`, `?` or `#` right after
    // it (a byte test, not `split(…).next()`: its own searcher in the wasm).
    let no_host =
        url.strip_prefix("https://").is_none_or(|rest| matches!(rest.bytes().next(), None | Some(b'/' | b'?' | b'#')));
    if no_host || url.chars().any(char::is_whitespace) {
        return Err(Error::invalid_argument(
            "an attachment URL must be an https:// URL the Graph can fetch (it downloads the file)",
        ));
    }
    Ok(())
}

/// The sent message as the Graph's Message node; its `id` and
/// `created_time` are filled in from the answer.
fn sent_node(account: &str, recipient: &str, text: Option<&str>, message: &OutgoingMessage) -> Value {
    let mut node = Value::object().with("from", Value::object().with("id", Value::text(account))).with(
        "to",
        Value::object().with("data", Value::Array(vec![Value::object().with("id", Value::text(recipient))])),
    );
    if let Some(text) = text {
        node.set("message", Value::text(text));
    }
    if let Some((kind, url)) = &message.attachment {
        let mut attachment = Value::object().with("type", Value::text(kind.as_str()));
        match kind.as_str() {
            "image" => attachment.set("image_data", Value::object().with("url", Value::text(url.as_str()))),
            "video" => attachment.set("video_data", Value::object().with("url", Value::text(url.as_str()))),
            _ => attachment.set("file_url", Value::text(url.as_str())),
        }
        node.set("attachments", Value::object().with("data", Value::Array(vec![attachment])));
    }
    if let Some(mid) = &message.reply_to {
        node.set("reply_to", Value::object().with("mid", Value::text(mid.as_str())));
    }
    if let Some(metadata) = &message.metadata {
        node.set("metadata", Value::text(metadata.as_str()));
    }
    node
}

/// The mid a send's answer, `{recipient_id, message_id}`, gives the sent
/// message.
///
/// # Errors
/// A decode error when the answer lacks `message_id`: the message may have
/// been sent, so a send is not tried again after it
/// ([`send_may_retry`]).
pub fn sent_id<J: Json>(answer: &J) -> Result<String, Error> {
    str_member(answer, "message_id").filter(|m| !m.is_empty()).ok_or_else(|| {
        Error::decode(Some(200), "the Send API answered without a message_id; the message may have been sent")
    })
}

/// The sent message, `{ recipientId, messageId, message }`: the request's
/// message as a Graph Message node, with its `mid` and time.
pub fn sent_message(request: &SendRequest, mid: String, now_ms: f64) -> Value {
    let mut node = request.message.clone().unwrap_or_else(Value::object);
    node.set("id", Value::String(mid.clone()));
    node.set("created_time", Value::String(graph_time((now_ms / 1000.0).floor() as i64)));
    Value::object()
        .with("recipientId", Value::String(request.recipient.clone()))
        .with("messageId", Value::String(mid))
        .with("message", node)
}

/// Whether a send failed in a way that proves the Graph did not take it
/// and asking again later can succeed: an error body with a throttling
/// code. Everything else is not tried again.
pub fn send_may_retry(error: &Error) -> bool {
    error.graph().and_then(|body| body.code).is_some_and(is_rate_limit_code)
}

/// Why the Graph refused a send, in words a person can act on; `None` for
/// errors that are not one of these.
pub fn refusal(error: &Error) -> Option<(&'static str, &'static str)> {
    let body = error.graph()?;
    match (body.code?, body.subcode) {
        (10, Some(2_018_278 | 2_534_022)) => Some((
            "outside_window",
            "outside the 24-hour window: the person last wrote more than 24 hours ago. A human agent may still reply \
             within 7 days with tag \"HUMAN_AGENT\" (the app needs the Human Agent permission, granted through App \
             Review); otherwise wait until the person writes again",
        )),
        (551, _) => Some((
            "recipient_unavailable",
            "this person isn't available right now (they may have blocked the account or left); do not retry",
        )),
        (100, Some(2_018_001)) => Some((
            "no_such_recipient",
            "no such person for this account: check the recipient id (a PSID of this Page, or an IGSID of this \
             Instagram account)",
        )),
        (10, Some(1_893_063)) => Some((
            "page_restricted",
            "this Page may not send messages for now (restricted); wait, and see the Page's quality in Meta Business \
             Suite",
        )),
        (100, _) if contains_text(&body.message.to_ascii_lowercase(), "tag") => Some((
            "retired_tag",
            "the message tag is not accepted (CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE and POST_PURCHASE_UPDATE were \
             retired on 27 April 2026): use HUMAN_AGENT or send within the 24-hour window",
        )),
        _ => None,
    }
}
