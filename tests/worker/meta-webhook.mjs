// Webhook bodies built and signed the way Meta sends them, for the Worker
// tests: Meta's own JSON serialisation (every non-ASCII character escaped as
// \uXXXX, an emoji as its two surrogates, "/" as "\/"), and the
// X-Hub-Signature-256 header, HMAC-SHA256 of exactly those bytes with the
// app secret (node:crypto, independent of the library under test).
//
//   const body = metaJson(envelope("page", PAGE_ID, [messageItem({ … })]));
//   await fetch(`${url}/webhook`, { method: "POST", headers: signedHeaders(body, APP_SECRET), body });
import { createHmac } from "node:crypto";

/** `value` as Meta writes it: JSON with non-ASCII as lowercase \uXXXX escapes and "/" as "\/". */
export function metaJson(value) {
  return JSON.stringify(value)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}

/** `sha256=<hex>`: HMAC-SHA256 of the body's exact bytes, keyed by the app secret. */
export function signature(rawBody, appSecret) {
  return `sha256=${createHmac("sha256", appSecret).update(Buffer.from(rawBody, "utf8")).digest("hex")}`;
}

/** The headers Meta sends with an event POST. */
export function signedHeaders(rawBody, appSecret) {
  return { "Content-Type": "application/json", "X-Hub-Signature-256": signature(rawBody, appSecret) };
}

/** `{ object, entry: [{ id, time, messaging }] }`: `object` is "page" (Messenger) or "instagram". */
export function envelope(object, accountId, messaging) {
  const time = Math.max(...messaging.map((item) => item.timestamp));
  return { object, entry: [{ id: accountId, time, messaging }] };
}

/** A person's message to the account. */
export function messageItem({ accountId, customerId, mid, text, timestamp }) {
  return { sender: { id: customerId }, recipient: { id: accountId }, timestamp, message: { mid, text } };
}

/** The echo of the account's own message to the person (`is_echo`), as Meta sends it after a send. */
export function echoItem({ accountId, customerId, mid, text, timestamp, appId = "1234567890", metadata }) {
  const message = { mid, text, is_echo: true, app_id: appId, ...(metadata === undefined ? {} : { metadata }) };
  return { sender: { id: accountId }, recipient: { id: customerId }, timestamp, message };
}

/** An edit of message `mid`: `num_edit` says which edit it is (the highest wins). */
export function editItem({ accountId, customerId, mid, text, numEdit, timestamp }) {
  return { sender: { id: customerId }, recipient: { id: accountId }, timestamp, message_edit: { mid, text, num_edit: numEdit } };
}
