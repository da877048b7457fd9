//! The Graph's objects as typed Rust values: [`Conversation`],
//! [`Message`] and what a message carries.
//!
//! Field names are the Graph's own (`updated_time`, `is_unsupported`), so a
//! `fields` list and the result read alike. Every field is optional, as the
//! Graph returns only what was asked for; values the Graph may send as
//! `null` are `Option`s too. A field these types do not know lands in
//! `other` and is serialised back untouched. In JS the same shapes are the
//! TypeScript interfaces of the package, which tsify writes from these
//! types into `js/models.d.ts` (a host test keeps the file true to them).

use crate::prelude::*;

mod conversation;
mod message;

pub use conversation::Conversation;
pub use message::{
    Attachment, CallToAction, GenericTemplate, ImageData, Message, Reaction, ReplyTo, Share, Story, StoryLink, Tag,
    VideoData,
};

use serde::{Deserialize, Serialize};

/// Fields the types do not know, kept as the Graph sent them.
pub type Other = serde_json::Map<String, serde_json::Value>;

/// A person or Page in a conversation: `participants`, `senders`, a
/// message's `from` and `to`. Messenger gives `{name, email, id}` (the
/// email is `<PSID>@facebook.com`), Instagram `{username, id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Participant {
    /// PSID, IGSID or Page id.
    pub id: String,
    /// Messenger: the person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Messenger: `<PSID>@facebook.com`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Instagram: the handle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}
