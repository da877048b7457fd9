//! The package's TypeScript types of the models (`js/models.d.ts`), as
//! tsify writes them from the Rust types. The build appends the file to
//! the glue's `.d.ts` (the wasm build has no `std`, which tsify's runtime
//! half needs, so the declarations are written here instead).
//! `UPDATE_TS_TYPES=1 cargo test ts_types` writes the file again after a
//! model changed.

use tsify::Tsify;

use crate::core::models::{
    Attachment, CallToAction, GenericTemplate, ImageData, Reaction, ReplyTo, Share, Story, StoryLink, Tag, VideoData,
};
use crate::core::models::{Conversation, Message, Participant};
use crate::core::page::{Cursors, Page, Paging};
use crate::core::query::{ConversationQuery, Fields, Folder, MessageQuery, Platform};
use crate::core::usage::{AppUsage, BusinessUseCaseUsage, Usage};

/// Every model's declaration, in the order of their Rust sources.
fn declarations() -> String {
    let decls = [
        Page::<Conversation>::DECL,
        Paging::DECL,
        Cursors::DECL,
        AppUsage::DECL,
        BusinessUseCaseUsage::DECL,
        Usage::DECL,
        Conversation::DECL,
        Message::DECL,
        ReplyTo::DECL,
        Attachment::DECL,
        ImageData::DECL,
        VideoData::DECL,
        GenericTemplate::DECL,
        CallToAction::DECL,
        Reaction::DECL,
        Share::DECL,
        Story::DECL,
        StoryLink::DECL,
        Tag::DECL,
        Participant::DECL,
        Platform::DECL,
        Folder::DECL,
        Fields::DECL,
        ConversationQuery::DECL,
        MessageQuery::DECL,
    ];
    let mut out = String::from(
        "// Written by tsify from the Rust models (src/core/tests/ts_types.rs); do not edit:\n\
         // UPDATE_TS_TYPES=1 cargo test ts_types writes it again.\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    out
}

#[test]
fn models_d_ts_is_what_tsify_writes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/models.d.ts");
    let written = declarations();
    if std::env::var_os("UPDATE_TS_TYPES").is_some() {
        std::fs::write(path, &written).unwrap();
    }
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        kept == written,
        "js/models.d.ts is not what tsify writes from the models: UPDATE_TS_TYPES=1 cargo test ts_types"
    );
    for name in ["Page<T>", "Usage", "Conversation", "Message", "Participant", "Platform", "ConversationQuery"] {
        assert!(
            kept.contains(&format!("export type {name} ")) || kept.contains(&format!("export interface {name} ")),
            "{name}"
        );
    }
}
