//! A message and what it carries: attachments, reactions, shares, a story
//! reply or mention, tags.

use crate::prelude::*;

use serde::{Deserialize, Serialize};

use super::{Other, Participant};
use crate::core::page::Page;

/// One message. The Graph gives details only for a thread's 20 newest
/// messages; older ones come with `id` and `created_time` alone.
///
/// See <https://developers.facebook.com/docs/graph-api/reference/message>.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Message {
    /// `m_…` on Messenger, `aWdf…` on Instagram.
    pub id: String,
    /// When it was sent, ISO 8601.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// Who sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Participant>,
    /// Who it went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Page<Participant>>,
    /// The text; `""` when the message is only an attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A sticker's image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sticker: Option<String>,
    /// Images, videos, files, templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Page<Attachment>>,
    /// Reactions, grouped by reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Page<Reaction>>,
    /// Shared posts, links and products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shares: Option<Page<Share>>,
    /// Instagram: the story this message replies to or mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<Story>,
    /// Labels such as `inbox`, `read`, `source:chat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Page<Tag>>,
    /// Whether the message holds content the API cannot show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_unsupported: Option<bool>,
    /// The message of the thread this one quotes (a reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<ReplyTo>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `reply_to` of a message: the message it quotes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct ReplyTo {
    /// The quoted message's id (its mid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mid: Option<String>,
    /// Whether the sender quoted a message of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_self_reply: Option<bool>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// An attachment. EU-privacy answers can carry only `id` and `name`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Attachment {
    /// The attachment's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `image/jpeg`, `video/mp4`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// The file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// A file's download URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    /// An image's URLs and dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_data: Option<ImageData>,
    /// A video's URLs and dimensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_data: Option<VideoData>,
    /// A generic template (card) the Page sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_template: Option<GenericTemplate>,
    /// `"sticker"` for a sticker, `"ig_post"` for a shared Instagram post,
    /// and the Graph's other attachment types.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "string"))]
    pub attachment_type: Option<String>,
    /// A sticker's id (`type: "sticker"`); the Graph sends it as a number or a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "string | number"))]
    pub sticker_id: Option<serde_json::Value>,
    /// A shared Instagram post's media id (`type: "ig_post"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ig_post_media_id: Option<String>,
    /// A shared Instagram post's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A shared Instagram post's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `image_data` of an [`Attachment`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct ImageData {
    /// The full image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A smaller preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Largest width the image is shown at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_width: Option<u32>,
    /// Largest height the image is shown at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_height: Option<u32>,
    /// The image's kind (a number in the Graph's answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "number | string"))]
    pub image_type: Option<serde_json::Value>,
    /// Whether to show it as a sticker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render_as_sticker: Option<bool>,
    /// An animated GIF's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animated_gif_url: Option<String>,
    /// An animated GIF's preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub animated_gif_preview_url: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `video_data` of an [`Attachment`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct VideoData {
    /// The video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A still preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Length in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
    /// The video's kind (a number in the Graph's answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "number | string"))]
    pub video_type: Option<serde_json::Value>,
    /// Rotation in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<i32>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `generic_template` of an [`Attachment`]: a card with a button.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct GenericTemplate {
    /// The card's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The line under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Where tapping the card goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The card's image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// The card's button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cta: Option<CallToAction>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `cta` of a [`GenericTemplate`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct CallToAction {
    /// The button's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `web_url`, `postback`, …
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub cta_type: Option<String>,
    /// Where it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// One reaction and who gave it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Reaction {
    /// The emoji (`❤`) or name (`love`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction: Option<String>,
    /// Who reacted so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<Participant>>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// A shared post, link or product. Real answers can hold `null` in any of
/// these fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Share {
    /// The share's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A template the share was sent as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, tsify(type = "unknown"))]
    pub template: Option<serde_json::Value>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// Instagram: the story a message replies to or mentions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Story {
    /// The story this message answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<StoryLink>,
    /// The story that mentions the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<StoryLink>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// `story.reply_to` / `story.mention`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct StoryLink {
    /// The story's media URL (it expires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The story's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}

/// A label on a message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(tsify::Tsify))]
pub struct Tag {
    /// `inbox`, `read`, `source:chat`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields these types do not know.
    #[serde(flatten)]
    #[cfg_attr(test, tsify(type = "{ [field: string]: unknown }"))]
    pub other: Other,
}
