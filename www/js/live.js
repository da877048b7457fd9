// Live updates, with `make demo`: the demo's server receives the mock's
// webhooks (Webhook.handle), applies them to an Inbox, and pushes what each
// apply changed to this page as Server-Sent Events (`demo/live`). Here: the
// stream (one per page, closed when the page goes away), the demo's actions
// (`demo/live/<action>`: the mock's customer writes, edits, reacts,
// unsends), and what a push means for the views.
//
// Nothing here carries the token: the stream and the actions go to this
// page's own server, and the page's Graph calls stay in page.js.

import { h } from "./dom.js";

/** @typedef {import("graph-conversations/web").Message} Message */
/** @typedef {import("graph-conversations/web").Participant} Participant */
/** @typedef {import("graph-conversations/web").InboxChanges} InboxChanges */

/**
 * Where the demo serves the stream and the actions (demo/config.json's `live`).
 * @typedef {{ stream: string, actions: string }} LiveConfig
 */
/**
 * A conversation a push names.
 * @typedef {{ id: string, customerId: string | null, updatedTime: string | null, snippet: string,
 *   participants: Participant[], unreadCount: number | null, added: boolean }} PushedConversation
 */
/**
 * A message a push adds or changes: the inbox's copy, the conversation it is
 * in, and when it was written (ms; the webhook's time, finer than the Graph's seconds).
 * @typedef {{ conversationId: string, at: number, added: boolean, message: Message }} PushedMessage
 */
/**
 * What one `inbox.apply` on the demo's server changed (examples/demo-live.mjs).
 * @typedef {{ id: number, platform: "messenger" | "instagram", source: "webhook" | "sync", changes: InboxChanges,
 *   conversations: PushedConversation[], messages: PushedMessage[],
 *   removed: Array<{ conversationId: string | null, mid: string }>, removedConversations: string[],
 *   events: Array<{ kind: string, mid?: string, customerId: string, text?: string }> }} Push
 */
/** @typedef {"connecting" | "open" | "reconnecting" | "closed"} LiveState */

/**
 * Opens the stream. `onPush` gets every push, `onState` the connection's
 * state. The stream closes when the page is hidden for good (`pagehide`) or
 * `close()` is called; the browser reconnects after a drop by itself, and
 * the server replays what it missed.
 * @param {LiveConfig} config
 * @param {{ onPush: (push: Push) => void, onState: (state: LiveState) => void }} handlers
 */
export function connectLive(config, { onPush, onState }) {
  const source = new EventSource(new URL(config.stream, document.baseURI));
  onState("connecting");
  source.addEventListener("open", () => onState("open"));
  source.addEventListener("error", () => onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting"));
  source.addEventListener("inbox", (event) => {
    let push;
    try {
      push = /** @type {Push} */ (JSON.parse(/** @type {MessageEvent<string>} */ (event).data));
    } catch {
      return; // not ours
    }
    onPush(push);
  });
  const close = () => {
    source.close();
    onState("closed");
  };
  window.addEventListener("pagehide", close, { once: true });
  return { close };
}

/**
 * Runs one of the demo's live actions; resolves to its answer, rejects with
 * the server's reason.
 * @param {LiveConfig} config
 * @param {string} name
 * @param {Record<string, unknown>} body
 * @returns {Promise<Record<string, unknown>>}
 */
export async function liveAction(config, name, body) {
  const answer = await fetch(new URL(`${config.actions}${name}`, document.baseURI), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const result = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(typeof result?.error === "string" ? result.error : `the demo answered ${answer.status}`);
  return result;
}

/** What the state is called on the page. @type {Record<LiveState, string>} */
export const STATE_TEXT = {
  connecting: "connecting…",
  open: "live",
  reconnecting: "reconnecting…",
  closed: "closed",
};

/**
 * A message as the page draws it: a webhook names people by id only, so the
 * sender's name comes from the conversation's participants when it knows them.
 * @param {Message} message
 * @param {Participant[]} people
 * @returns {Message}
 */
export function withNames(message, people) {
  /** @param {Participant | undefined} person */
  const named = (person) => {
    if (!person?.id || person.name || person.username) return person;
    const known = people.find((p) => p.id === person.id);
    return known ? { ...known } : person;
  };
  const reactions = message.reactions?.data;
  return {
    ...message,
    ...(message.from ? { from: named(message.from) } : {}),
    ...(reactions ? { reactions: { ...message.reactions, data: reactions.map((r) => ({ ...r, users: r.users?.map((u) => named(u) ?? u) })) } } : {}),
  };
}

/**
 * Puts `item` in the thread's list (newest first) by its `data-at` time.
 * @param {HTMLElement} list
 * @param {HTMLElement} item
 */
export function placeByTime(list, item) {
  const at = Number(item.dataset.at);
  for (const other of Array.from(list.children)) {
    if (!(other instanceof HTMLElement)) continue;
    const otherAt = Number(other.dataset.at);
    if (Number.isFinite(otherAt) && otherAt < at) {
      list.insertBefore(item, other);
      return;
    }
  }
  list.append(item);
}

/**
 * Marks a message that arrived live: "new", and "edited" when it was.
 * @param {HTMLElement} item
 * @param {{ isNew: boolean }} marks
 */
export function markLive(item, { isNew }) {
  const head = item.querySelector(".message-head");
  if (!head) return;
  if (isNew) {
    item.classList.add("live-new");
    head.prepend(h("span", { class: "badge new", title: "arrived by webhook while this page was open" }, "new"));
  }
}

/**
 * A message the customer took back: its content goes, a marker stays where it was.
 * @param {HTMLElement} item
 */
export function markUnsent(item) {
  item.classList.add("unsent");
  for (const node of Array.from(item.children)) {
    if (!node.classList.contains("message-head")) node.remove();
  }
  item.append(h("p", { class: "marker unsent-marker" }, "Unsent: the sender took this message back (an is_deleted webhook)"));
}

/**
 * One line of the live log: what arrived and what it changed.
 * @param {Push} push
 * @returns {HTMLLIElement}
 */
export function logLine(push) {
  const { messages, conversations } = push.changes;
  const changed = [
    messages.added.length ? `${messages.added.length} added` : "",
    messages.updated.length ? `${messages.updated.length} changed` : "",
    messages.removed.length ? `${messages.removed.length} unsent` : "",
  ].filter(Boolean).join(", ");
  const what = push.source === "sync"
    ? `a sync joined a new customer's thread (${conversations.removed.length} merged)`
    : push.events.map((e) => e.kind).join(", ");
  const time = new Date().toLocaleTimeString();
  return h("li", { class: changed ? "" : "unchanged" },
    h("time", {}, time), " ", h("strong", {}, what), " ",
    changed ? `→ messages ${changed}`
      : conversations.updated.length || conversations.added.length ? "→ the conversation changed"
      : "→ nothing new: already applied (Meta delivers at least once)");
}
