// The shapes the Graph added in 2025–2026, laid over the seeded inbox
// (GRAPH-FACTS.md, "Versions and recent changes"):
//
// - every conversation says `is_owner` (Conversation Routing): whether this
//   app owns the thread; a few threads are owned by another app;
// - a few messages quote another one: `reply_to: { mid, is_self_reply }`,
//   one of them a message outside the 20 newest (its details are gone);
// - a Messenger sticker is an attachment of `type: "sticker"` with a numeric
//   `sticker_id` and the image's `image_data` (the legacy `sticker` URL
//   string stays on older messages: both shapes were sent until Aug 2026);
// - an Instagram post share is an attachment of `type: "ig_post"` with
//   `ig_post_media_id`, `title` and `url`.
//
// Laid over, not drawn from a thread's own random stream: each change has its
// own seed, so every id, count, time and text of the seeded inbox stays as it
// was, and tests that pin them still hold. Only the first thread of each
// inbox (the one that shows every kind) and the 45-message thread change.

import { digits, fbcdnUrl, int, pick, rngFor } from "./seed.mjs";

// The Messenger "like" stickers (small, medium, large).
const STICKER_IDS = [369239263222822, 369239343222814, 369239383222810];
const POST_TITLES = ["Autumn menu is here 🍂", "Latte art Friday ☕", "New roast: Huila, Colombia", "Meet the team 👋"];
const SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

// Every tenth thread (7, 17, 27, …) is owned by another app.
const ownedByAnotherApp = (ordinal) => ordinal % 10 === 7;

/** Messages of a thread's first 14 keep the kinds data.mjs pins there; changes start after them. */
const FIRST_FREE = 14;

/**
 * The conversation with the 2026 fields: `is_owner` on every thread; replies,
 * a sticker attachment (Messenger) or an ig_post attachment (Instagram) in
 * the first thread of the inbox; a reply to an old message in the fourth.
 * `thread` is data.mjs's conversation (messages newest first); it is changed
 * in place and returned.
 */
export function withRecentShapes(thread, ordinal) {
  thread.is_owner = !ownedByAnotherApp(ordinal);
  if (thread.folder !== "inbox") return thread;
  const seed = `${thread.platform}|${thread.folder}|${ordinal}|2026`;
  const page = thread.participants.data[1];
  if (ordinal === 0) {
    if (thread.platform === "messenger") addSticker(thread, page, rngFor(`${seed}|sticker`));
    else addPostShare(thread, page, rngFor(`${seed}|ig_post`));
    addReplies(thread, page);
  }
  if (ordinal === 3) addReplyToOld(thread);
  return thread;
}

// ---------------------------------------------------------------- attachments

// The first customer message after the pinned kinds becomes a sticker.
function addSticker(thread, page, rng) {
  const message = freeMessage(thread, (m) => m.from.id !== page.id);
  if (!message) return;
  const size = pick(rng, [120, 240]);
  const url = fbcdnUrl(rng, "png");
  setContent(message, [{
    id: digits(rng, 16),
    type: "sticker",
    sticker_id: pick(rng, STICKER_IDS),
    image_data: {
      url, preview_url: url, width: size, height: size, max_width: size, max_height: size,
      image_type: 1, render_as_sticker: true,
    },
  }]);
}

// The first customer message after the pinned kinds shares one of the Page's posts.
function addPostShare(thread, page, rng) {
  const message = freeMessage(thread, (m) => m.from.id !== page.id);
  if (!message) return;
  const shortcode = Array.from({ length: 11 }, () => SHORTCODE[int(rng, 0, SHORTCODE.length - 1)]).join("");
  setContent(message, [{
    type: "ig_post",
    ig_post_media_id: digits(rng, 17),
    title: pick(rng, POST_TITLES),
    url: `https://www.instagram.com/p/${shortcode}/`,
  }]);
}

// The message keeps its id, time, sender, reactions and tags; its content is the attachment.
function setContent(message, attachments) {
  delete message.sticker;
  delete message.shares;
  delete message.story;
  message.message = "";
  message.attachments = { data: attachments };
  message.is_unsupported = false;
}

// ---------------------------------------------------------------- replies

// Two messages with text quote an older one: the Page answering a
// customer, and a customer adding to a message of their own.
function addReplies(thread, page) {
  const fromPage = (m) => m.from.id === page.id;
  quote(thread, (m) => fromPage(m) && m.message !== "", (m) => !fromPage(m));
  quote(thread, (m) => !fromPage(m) && m.message !== "", (m) => !fromPage(m));
}

// `quoting` is the first free message that matches and has an older message
// that matches `quoted`; that older message is what it quotes.
function quote(thread, quoting, quoted) {
  const { messages } = thread;
  for (let i = FIRST_FREE; i < Math.min(messages.length, 20); i++) {
    const message = messages[i];
    if (!quoting(message) || message.reply_to) continue;
    const older = messages.slice(i + 1).find(quoted);
    if (!older) continue;
    message.reply_to = { mid: older.id, is_self_reply: older.from.id === message.from.id };
    return;
  }
}

// In the 45-message thread, a recent message quotes one that is outside the
// 20 newest: the reply names it, but its details are no longer given.
function addReplyToOld(thread) {
  const { messages } = thread;
  if (messages.length <= 25) return;
  const message = messages[5];
  message.reply_to = { mid: messages[25].id, is_self_reply: messages[25].from.id === message.from.id };
}

function freeMessage(thread, accept) {
  return thread.messages.slice(FIRST_FREE, 20).find((m) => accept(m) && !m.reply_to);
}
