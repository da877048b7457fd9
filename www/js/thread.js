// One message of a thread, as the Graph describes it: text, attachments,
// reactions, shares, story replies and mentions, and the two cases a person
// must not mistake for errors: unsupported messages and messages older than
// the 20 newest, which the Graph lists without details.

import { h, link, safeUrl } from "./dom.js";
import { fileSize, personName, timeParts } from "./format.js";

export const OLDER_MESSAGE_TEXT =
  "Older message: details not available (the Graph gives details only for a thread's 20 newest messages)";

/** A listed message beyond the 20 newest carries only `id` and `created_time`. */
export function isOlderMessage(message) {
  return Object.keys(message).every((key) => key === "id" || key === "created_time");
}

/** One message as an `<li>`; `own` holds the inbox's own ids (drawn on the right). */
export function messageItem(message, own) {
  const when = timeParts(message.created_time);
  const time = h("time", { datetime: when.iso, title: message.created_time }, when.text);
  if (isOlderMessage(message)) {
    return h("li", { class: "message older", "data-message-id": message.id },
      h("div", { class: "message-head" }, h("span", { class: "sender muted" }, "Beyond the 20 newest"), time),
      h("p", { class: "marker" }, OLDER_MESSAGE_TEXT),
      h("button", { type: "button", class: "link-button", "data-action": "get-message", "data-message-id": message.id },
        "Try getMessage() on it"),
      h("span", { class: "call-status muted", role: "status" }));
  }
  const mine = own.has(message.from?.id);
  return h("li", { class: `message${mine ? " mine" : ""}`, "data-message-id": message.id },
    h("div", { class: "message-head" }, h("span", { class: "sender" }, personName(message.from)), time),
    message.message ? h("p", { class: "text" }, message.message) : null,
    message.is_unsupported ? h("p", { class: "marker unsupported" },
      "Unsupported message: the Graph does not give this message's content through the API") : null,
    story(message.story),
    attachments(message),
    shares(message.shares?.data),
    reactions(message.reactions?.data),
    rawJson(message));
}

// ---------------------------------------------------------------- attachments

function attachments(message) {
  const items = message.attachments?.data ?? [];
  const nodes = items.map(attachment);
  // A sticker also comes as an attachment; the bare `sticker` URL only when it does not.
  if (message.sticker && items.length === 0) nodes.push(image(message.sticker, "Sticker", { sticker: true }));
  return nodes.length ? h("div", { class: "attachments" }, nodes) : null;
}

function attachment(item) {
  if (item.image_data) {
    const data = item.image_data;
    const what = data.render_as_sticker ? "Sticker" : data.animated_gif_url ? "GIF" : "Image";
    return image(data.url ?? data.preview_url, item.name ? `${what} attachment: ${item.name}` : `${what} attachment`,
      { width: data.width, height: data.height, sticker: data.render_as_sticker });
  }
  if (item.video_data) return video(item);
  if (item.generic_template) return template(item.generic_template);
  if (item.file_url) {
    return h("p", { class: "file" }, "📄 ", link(item.file_url, item.name ?? "file"),
      h("span", { class: "muted" }, ` ${[item.mime_type, fileSize(item.size)].filter(Boolean).join(", ")}`));
  }
  // EU privacy rules leave only the id and the name.
  return h("p", { class: "marker" }, `Attachment ${item.name ?? item.id ?? ""}: no media in the answer (the Graph withholds it in some regions)`);
}

function image(url, alt, { width, height, sticker } = {}) {
  const src = safeUrl(url);
  if (!src) return h("p", { class: "marker" }, `${alt}: no usable URL`);
  return h("a", { href: src, target: "_blank", rel: "noopener noreferrer", class: `media${sticker ? " sticker" : ""}` },
    h("img", { src, alt, width, height, loading: "lazy", referrerpolicy: "no-referrer" }));
}

function video(item) {
  const data = item.video_data;
  const src = safeUrl(data.url);
  if (!src) return h("p", { class: "marker" }, "Video attachment: no usable URL");
  // preload=none: nothing is fetched until the person presses play.
  return h("video", {
    class: "media", src, controls: true, preload: "none", poster: safeUrl(data.preview_url),
    width: data.width, height: data.height, "aria-label": item.name ? `Video attachment: ${item.name}` : "Video attachment",
  });
}

function template(card) {
  return h("div", { class: "card" },
    safeUrl(card.media_url) ? h("img", { src: safeUrl(card.media_url), alt: card.title ?? "Card image", loading: "lazy", referrerpolicy: "no-referrer" }) : null,
    h("p", { class: "card-title" }, card.title ?? "Card"),
    card.subtitle ? h("p", { class: "muted" }, card.subtitle) : null,
    card.cta?.url ? link(card.cta.url, card.cta.title ?? "Open") : card.url ? link(card.url, "Open") : null);
}

// ---------------------------------------------------------------- the rest

function shares(list) {
  if (!list?.length) return null;
  return h("div", { class: "shares" }, list.map((share) => {
    const hasDetails = share && (share.link || share.name || share.description);
    if (!hasDetails) return h("p", { class: "share marker" }, "Shared content: the answer carries no details");
    return h("div", { class: "share card" },
      h("p", { class: "card-label" }, "Shared"),
      share.name ? h("p", { class: "card-title" }, share.name) : null,
      share.description ? h("p", { class: "muted" }, share.description) : null,
      share.link ? link(share.link, shortUrl(share.link)) : null);
  }));
}

function story(value) {
  if (!value) return null;
  const parts = [];
  if (value.reply_to) parts.push(h("p", { class: "story reply" }, "↩ Replied to your story · ", link(value.reply_to.link, "open the story")));
  if (value.mention) parts.push(h("p", { class: "story mention" }, "@ Mentioned you in their story · ", link(value.mention.link, "open the story")));
  return parts;
}

const REACTION_EMOJI = { love: "❤️", like: "👍", haha: "😆", wow: "😮", sad: "😢", angry: "😠" };

function reactions(list) {
  if (!list?.length) return null;
  return h("ul", { class: "reactions", "aria-label": "Reactions" }, list.map((r) => {
    const who = (r.users ?? []).map(personName).join(", ");
    return h("li", { class: "reaction", title: who ? `${r.reaction} by ${who}` : r.reaction },
      REACTION_EMOJI[r.reaction] ?? r.reaction ?? "?", who ? h("span", { class: "muted" }, ` ${who}`) : null);
  }));
}

// The JSON itself, built only when opened: it is how the API answered.
function rawJson(message) {
  const details = h("details", { class: "raw" }, h("summary", {}, "JSON"));
  details.addEventListener("toggle", () => {
    if (details.open && details.children.length === 1) details.append(h("pre", {}, JSON.stringify(message, null, 2)));
  });
  return details;
}

function shortUrl(value) {
  const href = safeUrl(value);
  if (!href) return String(value);
  const url = new URL(href);
  const path = url.pathname.length > 32 ? `${url.pathname.slice(0, 31)}…` : url.pathname;
  return `${url.host}${path}`;
}
