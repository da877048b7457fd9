//! A conversation (the Graph's UnifiedThread).

use crate::prelude::*;

use serde::{Deserialize, Serialize};

use super::{Message, Other, Participant};
use crate::core::page::Page;

/// A conversation between the Page (or Instagram account) and people.
///
/// See <https://developers.facebook.com/docs/graph-api/reference/conversation>.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Conversation {
    /// `t_…` on Messenger, `aWdf…` on Instagram.
    pub id: String,
    /// When the last message came, ISO 8601 (`2026-11-20T14:03:11+0000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_time: Option<String>,
    /// How many messages the thread holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_count: Option<u64>,
    /// How many are unread by the Page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread_count: Option<u64>,
    /// The start of the last message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// Everyone in the thread, the Page included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<Page<Participant>>,
    /// Everyone who has sent a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub senders: Option<Page<Participant>>,
    /// People who have left the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_participants: Option<Page<Participant>>,
    /// Whether the Page may answer now (the messaging window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_reply: Option<bool>,
    /// Whether the Page follows the thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_subscribed: Option<bool>,
    /// The thread in the Page's inbox on facebook.com.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The thread's name (group threads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The thread's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// A key that identifies the thread across Page-scoped apps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoped_thread_key: Option<String>,
    /// The thread's wallpaper image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallpaper: Option<String>,
    /// The newest messages, when asked for with `fields=messages…`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Page<Message>>,
    /// Conversation Routing: whether this app owns the thread (it may
    /// answer it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_owner: Option<bool>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}
