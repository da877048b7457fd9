// The reply box's rules, kept apart from the page so they can be tested in
// Node: the reply window a thread is in (24 hours after the customer last
// wrote; then 7 days with the HUMAN_AGENT tag; then closed), said in words,
// and how a reply that was sent is marked until its echo comes back.

import { h } from "./dom.js";
import { plural } from "./format.js";

const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** Any reply: this long after the customer's last message. */
export const REPLY_WINDOW_MS = DAY;
/** With tag HUMAN_AGENT (a person replying, App Review's Human Agent permission): this long. */
export const HUMAN_AGENT_WINDOW_MS = 7 * DAY;
/** Typing indicators go at most this often while the person types (Meta shows one for about 20 s). */
export const TYPING_EVERY_MS = 5000;
/**
 * How long the page waits for the Send API's answer before it stops waiting
 * (the client's own timeout is 30 s, long for a person at a page). A send
 * given up on may still have gone out: its delivery is "unknown".
 */
export const SEND_WAIT_MS = 8000;
/** How long a reply waits for its echo before the page says none came. */
export const ECHO_WAIT_MS = 30_000;

/**
 * @typedef {{ state: "open" | "human_agent" | "closed", text: string }} ReplyWindow
 */

/**
 * The window a thread is in, from when the customer last wrote (ms, or null
 * when no message of theirs is shown) and now (ms, on the Graph's clock).
 * @param {number | null} lastWrote
 * @param {number} now
 * @returns {ReplyWindow}
 */
export function replyWindow(lastWrote, now) {
  if (lastWrote === null) {
    return { state: "closed", text: "Closed: none of the messages shown is the customer's, so no reply window is known to be open." };
  }
  const age = Math.max(0, now - lastWrote);
  if (age <= REPLY_WINDOW_MS) {
    return { state: "open", text: `You can reply for ${forMore(REPLY_WINDOW_MS - age)}.` };
  }
  if (age <= HUMAN_AGENT_WINDOW_MS) {
    return {
      state: "human_agent",
      text: `Only with HUMAN_AGENT, for ${forMore(HUMAN_AGENT_WINDOW_MS - age)}: the customer last wrote ${ago(age)} ago, past the 24-hour window.`,
    };
  }
  return { state: "closed", text: `Closed: the customer last wrote ${ago(age)} ago, past the 7 days HUMAN_AGENT allows; a reply is refused until they write again.` };
}

/**
 * "3 more hours", "1 more hour", "2 more days", "12 more minutes".
 * @param {number} ms
 */
export function forMore(ms) {
  if (ms >= 2 * DAY) return `${Math.floor(ms / DAY)} more days`;
  if (ms >= HOUR) return plural(Math.floor(ms / HOUR), "more hour", "more hours");
  return plural(Math.max(1, Math.floor(ms / 60_000)), "more minute", "more minutes");
}

/**
 * "3 days", "5 hours", "a minute".
 * @param {number} ms
 */
function ago(ms) {
  if (ms >= 2 * DAY) return plural(Math.floor(ms / DAY), "day");
  if (ms >= HOUR) return plural(Math.floor(ms / HOUR), "hour");
  return plural(Math.max(1, Math.floor(ms / 60_000)), "minute");
}

/**
 * When the customer last wrote, among the messages shown: the `data-at` of
 * the newest message from them (newest first, so the first found).
 * @param {HTMLElement} list the thread's `<ol>`
 * @param {string} customerId
 * @returns {number | null}
 */
export function customerLastWrote(list, customerId) {
  let newest = null;
  for (const item of Array.from(list.children)) {
    if (!(item instanceof HTMLElement) || item.dataset.from !== customerId || item.classList.contains("unsent")) continue;
    const at = Number(item.dataset.at);
    if (Number.isFinite(at) && (newest === null || at > newest)) newest = at;
  }
  return newest;
}

/**
 * What became of a reply, said on its message: "sending", "sent" (answered,
 * waiting for its echo), "answered" (answered, and no webhooks to wait for:
 * not with `make demo`), "unknown" (no answer: it may have gone out),
 * "delivered" (its echo came back), "no-echo" (none came in time), "twice"
 * (a second message came back with the same metadata: it went out again).
 * @typedef {"sending" | "sent" | "answered" | "unknown" | "delivered" | "no-echo" | "twice"} ReplyState
 */

/** @type {Record<ReplyState, string>} */
export const REPLY_STATE_TEXT = {
  sending: "Sending…",
  sent: "Sent: the Graph answered with its message id; waiting for its echo webhook…",
  answered: "Sent: the Graph answered with its message id.",
  unknown: "Not known whether it went out: no answer came, so it was not sent again. Waiting for its echo webhook to say…",
  delivered: "✓ Delivered: its echo came back by webhook",
  "no-echo": "No echo came back in 30 seconds: if it went out, the thread will show it when read again.",
  twice: "⚠ The same reply went out again: its echo came back a second time with another message id, so the customer got it twice.",
};

/**
 * Puts the reply's state on its message.
 * @param {HTMLElement} item
 * @param {ReplyState} state
 */
export function markReply(item, state) {
  item.classList.add("reply-item");
  item.dataset.replyState = state;
  item.querySelector(".reply-state")?.remove();
  const head = item.querySelector(".message-head");
  const line = h("p", { class: "reply-state", role: "status" }, REPLY_STATE_TEXT[state]);
  if (head) head.after(line);
  else item.append(line);
}
