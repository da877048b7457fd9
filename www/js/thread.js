// One message of a thread, as the Graph describes it: text, the message it
// replies to, attachments (images, videos, files, cards, stickers, shared
// Instagram posts), reactions, shares, story replies and mentions, and the
// two cases a person must not mistake for errors: unsupported messages and
// messages older than the 20 newest, which the Graph lists without details.

import { h, link, safeUrl } from "./dom.js";
import { fileSize, parseGraphTime, personName, timeParts } from "./format.js";

/** @typedef {import("graph-conversations/web").Message} Message */
/** @typedef {import("graph-conversations/web").Attachment} Attachment */
/** @typedef {import("graph-conversations/web").Share} Share */
/** @typedef {import("graph-conversations/web").Story} Story */
/** @typedef {import("graph-conversations/web").Reaction} Reaction */
/** @typedef {import("graph-conversations/web").GenericTemplate} GenericTemplate */

export const OLDER_MESSAGE_TEXT =
  "Older message: details not available (the Graph gives details only for a thread's 20 newest messages)";

/**
 * A listed message beyond the 20 newest carries only `id` and `created_time`.
 * @param {Message} message
 */
export function isOlderMessage(message) {
  return Object.keys(message).every((key) => key === "id" || key === "created_time");
}

/**
 * The `id` of a message's `<li>`, which a reply links to (`#message-…`).
 * @param {string} messageId
 */
export const messageAnchor = (messageId) => `message-${messageId}`;

/**
 * One message as an `<li>`; `own` holds the inbox's own ids (drawn on the right).
 * @param {Message} message
 * @param {Set<string>} own
 * @returns {HTMLLIElement}
 */
export function messageItem(message, own) {
  const when = timeParts(message.created_time);
  const time = h("time", { datetime: when.iso, title: message.created_time }, when.text);
  // When it was written, in ms: where a message that arrives live goes in the list.
  const at = parseGraphTime(message.created_time)?.getTime();
  if (isOlderMessage(message)) {
    return h("li", { class: "message older", id: messageAnchor(message.id), "data-message-id": message.id, "data-at": at },
      h("div", { class: "message-head" }, h("span", { class: "sender muted" }, "Beyond the 20 newest"), time),
      h("p", { class: "marker" }, OLDER_MESSAGE_TEXT),
      h("button", { type: "button", class: "link-button", "data-action": "get-message", "data-message-id": message.id },
        "Try getMessage() on it"),
      h("span", { class: "call-status muted", role: "status" }));
  }
  const mine = message.from ? own.has(message.from.id) : false;
  // An inbox (Inbox.apply of an edit webhook) counts edits; the Graph does not say.
  const edits = typeof message.edit_count === "number" && message.edit_count > 0 ? message.edit_count : 0;
  return h("li", {
    class: `message${mine ? " mine" : ""}`, id: messageAnchor(message.id), "data-message-id": message.id, "data-at": at,
    "data-from": message.from?.id,
  },
    h("div", { class: "message-head" },
      h("span", { class: "sender" }, personName(message.from)),
      edits ? h("span", { class: "badge edited", title: `edited ${edits === 1 ? "once" : `${edits} times`} (message_edit webhook)` }, "edited") : null,
      time),
    replyTo(message.reply_to),
    message.message ? h("p", { class: "text" }, message.message) : null,
    message.is_unsupported ? h("p", { class: "marker unsupported" },
      "Unsupported message: the Graph does not give this message's content through the API") : null,
    story(message.story),
    attachments(message),
    shares(message.shares?.data),
    reactions(message.reactions?.data),
    rawJson(message));
}

// ---------------------------------------------------------------- replies

/**
 * "↩ replying to …": filled in by `linkReplies` once the quoted message is
 * in the list (it is older, so it comes later in the list, or on a later page).
 * @param {Message["reply_to"]} reply
 */
function replyTo(reply) {
  if (!reply?.mid) return null;
  return h("p", { class: "reply-to", "data-reply-to": reply.mid, "data-self-reply": reply.is_self_reply ? "true" : undefined },
    "↩ replying to an earlier message that is not loaded");
}

/**
 * Turns each reply in `list` whose quoted message is now shown into a link to
 * it, with the start of its text. Runs after every page of messages.
 * @param {HTMLElement} list the thread's `<ol>`
 */
export function linkReplies(list) {
  for (const reply of Array.from(list.querySelectorAll(".reply-to[data-reply-to]:not(.linked)"))) {
    if (!(reply instanceof HTMLElement)) continue;
    const quoted = document.getElementById(messageAnchor(reply.dataset.replyTo ?? ""));
    if (!quoted || !list.contains(quoted)) continue;
    const own = reply.dataset.selfReply === "true" ? " (their own)" : "";
    reply.classList.add("linked");
    reply.replaceChildren("↩ replying to ",
      h("a", { href: `#${quoted.id}`, class: "reply-link" }, quotedText(quoted)), own);
  }
}

/**
 * How a reply names the message it quotes: the start of its text, else what it holds.
 * @param {HTMLElement} quoted
 */
function quotedText(quoted) {
  const text = quoted.querySelector(".text")?.textContent?.trim();
  if (text) return `“${[...text].length > 60 ? `${[...text].slice(0, 59).join("")}…` : text}”`;
  if (quoted.classList.contains("older")) return "an older message";
  return quoted.querySelector(".attachments") ? "a message with an attachment" : "a message";
}

// ---------------------------------------------------------------- attachments

/** @param {Message} message */
function attachments(message) {
  const items = message.attachments?.data ?? [];
  const nodes = items.map(attachment);
  // A sticker also comes as an attachment; the bare `sticker` URL only when it does not.
  if (message.sticker && items.length === 0) nodes.push(image(message.sticker, "Sticker", { sticker: true }));
  return nodes.length ? h("div", { class: "attachments" }, nodes) : null;
}

/** @param {Attachment} item */
function attachment(item) {
  if (item.type === "sticker" || item.sticker_id != null) {
    // Since June 2026 a sticker is an attachment of its own, with `sticker_id`.
    return image(item.image_data?.url ?? item.url ?? item.image_data?.preview_url, "Sticker", { sticker: true });
  }
  if (item.type === "ig_post" || item.ig_post_media_id) return instagramPost(item);
  if (item.image_data) {
    const data = item.image_data;
    const what = data.render_as_sticker ? "Sticker" : data.animated_gif_url ? "GIF" : "Image";
    return image(data.url ?? data.preview_url, item.name ? `${what} attachment: ${item.name}` : `${what} attachment`,
      { width: data.width, height: data.height, sticker: data.render_as_sticker });
  }
  if (item.video_data) return video(item, item.video_data);
  if (item.generic_template) return template(item.generic_template);
  if (item.file_url) {
    return h("p", { class: "file" }, "📄 ", link(item.file_url, item.name ?? "file"),
      h("span", { class: "muted" }, ` ${[item.mime_type, fileSize(item.size)].filter(Boolean).join(", ")}`));
  }
  // EU privacy rules leave only the id and the name.
  return h("p", { class: "marker" }, `Attachment ${item.name ?? item.id ?? ""}: no media in the answer (the Graph withholds it in some regions)`);
}

/**
 * A shared Instagram post (`ig_post`, which replaced the legacy share): its caption and a link.
 * @param {Attachment} item
 */
function instagramPost(item) {
  return h("div", { class: "ig-post card" },
    h("p", { class: "card-label" }, "Instagram post"),
    h("p", { class: "card-title" }, item.title || "(no caption)"),
    item.url ? link(item.url, "Open the post") : h("p", { class: "marker" }, "The answer carries no link to the post"));
}

/**
 * @param {unknown} url
 * @param {string} alt
 * @param {{ width?: number, height?: number, sticker?: boolean }} [size]
 */
function image(url, alt, { width, height, sticker } = {}) {
  const src = safeUrl(url);
  if (!src) return h("p", { class: "marker" }, `${alt}: no usable URL`);
  return h("a", { href: src, target: "_blank", rel: "noopener noreferrer", class: `media${sticker ? " sticker" : ""}` },
    h("img", { src, alt, width, height, loading: "lazy", referrerpolicy: "no-referrer" }));
}

/**
 * @param {Attachment} item
 * @param {import("graph-conversations/web").VideoData} data its `video_data`
 */
function video(item, data) {
  const src = safeUrl(data.url);
  if (!src) return h("p", { class: "marker" }, "Video attachment: no usable URL");
  // preload=none: nothing is fetched until the person presses play.
  return h("video", {
    class: "media", src, controls: true, preload: "none", poster: safeUrl(data.preview_url),
    width: data.width, height: data.height, "aria-label": item.name ? `Video attachment: ${item.name}` : "Video attachment",
  });
}

/** @param {GenericTemplate} card */
function template(card) {
  const media = safeUrl(card.media_url);
  return h("div", { class: "card" },
    media ? h("img", { src: media, alt: card.title ?? "Card image", loading: "lazy", referrerpolicy: "no-referrer" }) : null,
    h("p", { class: "card-title" }, card.title ?? "Card"),
    card.subtitle ? h("p", { class: "muted" }, card.subtitle) : null,
    card.cta?.url ? link(card.cta.url, card.cta.title ?? "Open") : card.url ? link(card.url, "Open") : null);
}

// ---------------------------------------------------------------- the rest

/** @param {Share[] | undefined} list */
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

/** @param {Story | undefined} value */
function story(value) {
  if (!value) return null;
  const parts = [];
  if (value.reply_to) parts.push(h("p", { class: "story reply" }, "↩ Replied to your story · ", link(value.reply_to.link, "open the story")));
  if (value.mention) parts.push(h("p", { class: "story mention" }, "@ Mentioned you in their story · ", link(value.mention.link, "open the story")));
  return parts;
}

/** @type {Record<string, string>} */
const REACTION_EMOJI = { love: "❤️", like: "👍", haha: "😆", wow: "😮", sad: "😢", angry: "😠" };

/** @param {Reaction[] | undefined} list */
function reactions(list) {
  if (!list?.length) return null;
  return h("ul", { class: "reactions", "aria-label": "Reactions" }, list.map((r) => {
    const who = (r.users ?? []).map(personName).join(", ");
    return h("li", { class: "reaction", title: who ? `${r.reaction} by ${who}` : r.reaction },
      (r.reaction && REACTION_EMOJI[r.reaction]) ?? r.reaction ?? "?", who ? h("span", { class: "muted" }, ` ${who}`) : null);
  }));
}

/**
 * The JSON itself, built only when opened: it is how the API answered.
 * @param {Message} message
 */
function rawJson(message) {
  const details = h("details", { class: "raw" }, h("summary", {}, "JSON"));
  details.addEventListener("toggle", () => {
    if (details.open && details.children.length === 1) details.append(h("pre", {}, JSON.stringify(message, null, 2)));
  });
  return details;
}

/** @param {string} value */
function shortUrl(value) {
  const href = safeUrl(value);
  if (!href) return String(value);
  const url = new URL(href);
  const path = url.pathname.length > 32 ? `${url.pathname.slice(0, 31)}…` : url.pathname;
  return `${url.host}${path}`;
}
