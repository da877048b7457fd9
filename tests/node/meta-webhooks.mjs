// Webhook bodies in the shapes Meta sends (Messenger `object: "page"`,
// Instagram `object: "instagram"`), serialised and signed the way Meta does
// it: compact JSON with every non-ASCII character as a `\uXXXX` escape
// (an emoji as its surrogate pair) and `/` as `\/`, and
// `X-Hub-Signature-256: sha256=<lowercase hex>` = HMAC-SHA256 of those bytes
// with the app secret. Shared by webhook.test.mjs and inbox.test.mjs.

import { createHmac } from "node:crypto";

/** Meta's serialisation of `value`: escaped unicode, escaped slashes, no spaces. */
export function metaJson(value) {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}

/** The `X-Hub-Signature-256` header Meta sends with `raw` (a string or bytes). */
export function sign(raw, secret) {
  return `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`;
}

/** The legacy `X-Hub-Signature` (SHA-1) Meta also sends. */
export function signSha1(raw, secret) {
  return `sha1=${createHmac("sha1", secret).update(raw).digest("hex")}`;
}

/** `{ object, entry }`: `platform` "messenger" or "instagram". */
export function envelope(platform, entries) {
  return { object: platform === "instagram" ? "instagram" : "page", entry: entries };
}

/** One entry of `account` with its messaging items (and standby / changes when given). */
export function entry(account, items, { time = Date.now(), standby, changes } = {}) {
  const out = { id: account, time };
  if (items) out.messaging = items;
  if (standby) out.standby = standby;
  if (changes) out.changes = changes;
  return out;
}

/** A messaging item from `from` to `to` at `ms`, with the event's own field(s). */
export function item(from, to, ms, fields) {
  return { sender: { id: from }, recipient: { id: to }, timestamp: ms, ...fields };
}

/** A person's message to the account. */
export function incoming(account, customer, ms, message) {
  return item(customer, account, ms, { message });
}

/** The account's own message, echoed. */
export function echo(account, customer, ms, message) {
  return item(account, customer, ms, { message: { is_echo: true, app_id: 1517776481860111, ...message } });
}

export function edit(account, customer, ms, mid, text, numEdit) {
  return item(customer, account, ms, { message_edit: { mid, text, num_edit: numEdit } });
}

/** Instagram's unsend: the message again, with `is_deleted`. */
export function unsend(account, customer, ms, mid) {
  return item(customer, account, ms, { message: { mid, is_deleted: true } });
}

export function reaction(account, customer, ms, mid, action, emoji) {
  const r = action === "react" ? { mid, action, reaction: emoji === "❤️" ? "love" : "other", emoji } : { mid, action };
  return item(customer, account, ms, { reaction: r });
}

/** Messenger's read: everything before `watermark` (ms). */
export function readWatermark(account, customer, ms, watermark) {
  return item(customer, account, ms, { read: { watermark, seq: 0 } });
}

/** Instagram's read (`messaging_seen`): up to a message. */
export function readMid(account, customer, ms, mid) {
  return item(customer, account, ms, { read: { mid } });
}

/** A signed request body: `{ body, signature }` for `value` under `secret`. */
export function signed(value, secret) {
  const body = metaJson(value);
  return { body, signature: sign(body, secret) };
}
