// The edge inbox, with `make demo-edge`: the template of examples/edge-inbox
// runs under `wrangler dev`, fed by the same mock's webhooks (through its
// Queue into the account's Durable Object). This panel reads it the way a
// dashboard would: the account's status and its conversations from its
// routes (through the demo's server, which adds the admin token; the page
// never has it), and each change from its WebSocket, opened with a
// single-use ticket straight to the Worker.

import { h, replace } from "./dom.js";
import { personName, plural, timeParts } from "./format.js";

/** @typedef {import("graph-conversations/web").InboxConversation} InboxConversation */
/** @typedef {import("graph-conversations/web").InboxChanges} InboxChanges */

/**
 * Where the demo serves the edge inbox's routes (demo/config.json's `edge`).
 * @typedef {{ api: string, accountId: string, worker?: string }} EdgeConfig
 */
/** @typedef {"connecting" | "open" | "reconnecting" | "closed"} EdgeState */

/** Conversations the panel lists. */
const SHOWN = 8;
/** A dropped socket is opened again after this long, at most this often. */
const RECONNECT_MS = 2_000;
const MAX_RECONNECTS = 30;
/** Frames that come together refresh the list once. */
const REFRESH_MS = 150;
const LOG_LINES = 30;

/**
 * Starts the panel: loads the status and the list, opens the WebSocket, and
 * refreshes the list after each frame. `els` are the panel's elements.
 * @param {EdgeConfig} config
 * @param {{ state: HTMLElement, status: HTMLElement, list: HTMLElement, log: HTMLElement }} els
 */
export function startEdgeInbox(config, els) {
  const api = (/** @type {string} */ path) => new URL(`${config.api}${path}`, document.baseURI);
  /** @type {ReturnType<typeof setTimeout> | null} */
  let refreshTimer = null;
  let reconnects = 0;
  let closed = false;
  /** @type {WebSocket | null} */
  let socket = null;

  /** @param {EdgeState} state */
  const show = (state) => {
    els.state.dataset.state = state;
    els.state.textContent = { connecting: "connecting…", open: "live", reconnecting: "reconnecting…", closed: "closed" }[state];
  };

  async function refresh() {
    try {
      const [status, page] = await Promise.all([getJson(api("status")), getJson(api(`conversations?limit=${SHOWN}`))]);
      const sync = status.sync ?? {};
      els.status.textContent = `${sync.complete ? "History sync complete" : "History sync running"}: ${plural(sync.conversations ?? 0, "conversation")}, ` +
        `${plural(sync.messages ?? 0, "message")} in ${plural(sync.requests ?? 0, "Graph call")}; ${plural(status.live?.events ?? 0, "live event")} applied.`;
      els.list.dataset.count = String(page.data.length);
      replace(els.list, /** @type {InboxConversation[]} */ (page.data).map((c) => edgeItem(c, config.accountId)));
    } catch (err) {
      els.status.textContent = `The edge inbox did not answer: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  function refreshSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      refresh();
    }, REFRESH_MS);
  }

  async function connect() {
    if (closed) return;
    try {
      const ticket = await postJson(api("live-ticket"));
      socket = new WebSocket(ticket.url);
    } catch (err) {
      els.status.textContent = `No WebSocket: ${err instanceof Error ? err.message : String(err)}`;
      return retry();
    }
    socket.addEventListener("open", () => {
      reconnects = 0;
      show("open");
      refresh(); // what changed while it was connecting
    });
    socket.addEventListener("message", (event) => {
      /** @type {InboxChanges} */
      let changes;
      try {
        changes = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (!changes?.messages || !changes?.conversations) return;
      els.log.prepend(frameLine(changes));
      while (els.log.children.length > LOG_LINES) els.log.lastElementChild?.remove();
      refreshSoon();
    });
    socket.addEventListener("close", () => retry());
  }

  function retry() {
    socket = null;
    if (closed || reconnects >= MAX_RECONNECTS) return show("closed");
    reconnects += 1;
    show("reconnecting");
    setTimeout(connect, RECONNECT_MS);
  }

  show("connecting");
  refresh();
  connect();
  window.addEventListener("pagehide", () => {
    closed = true;
    socket?.close(1000);
    show("closed");
  }, { once: true });
  return { refresh };
}

/**
 * One conversation as the edge inbox holds it: who, its newest message, when.
 * @param {InboxConversation} conversation
 * @param {string} accountId
 * @returns {HTMLLIElement}
 */
function edgeItem(conversation, accountId) {
  const people = (conversation.participants?.data ?? []).filter((p) => p.id !== accountId);
  const newest = conversation.messages[0];
  const when = timeParts(newest?.created_time ?? conversation.updated_time);
  const text = newest ? newest.message || (newest.attachments?.data?.length ? "(an attachment)" : "") : "";
  return h("li", { class: "edge-conversation", "data-conversation-id": conversation.id, "data-customer-id": conversation.customer_id ?? "" },
    h("span", { class: "conversation-top" },
      h("span", { class: "conversation-who" }, people.map(personName).join(", ") || conversation.customer_id || conversation.id),
      h("time", { datetime: when.iso, title: newest?.created_time ?? "" }, when.text)),
    h("span", { class: "conversation-snippet" }, text || "(no text)"),
    h("span", { class: "conversation-meta muted" }, plural(conversation.messages.length, "message"), " kept"));
}

/**
 * One log line for a WebSocket frame.
 * @param {InboxChanges} changes
 * @returns {HTMLLIElement}
 */
function frameLine(changes) {
  const { messages: m, conversations: c } = changes;
  const parts = [
    m.added.length ? `${m.added.length} added` : "",
    m.updated.length ? `${m.updated.length} changed` : "",
    m.removed.length ? `${m.removed.length} removed` : "",
  ].filter(Boolean).join(", ");
  const threads = c.added.length + c.updated.length + c.removed.length;
  return h("li", { "data-added": m.added.join(" ") },
    h("time", {}, new Date().toLocaleTimeString()), " ",
    h("strong", {}, "frame"), " ",
    parts ? `messages ${parts}` : "no message changed", threads ? `; ${plural(threads, "conversation")} touched` : "");
}

/** @param {URL} url */
async function getJson(url) {
  const answer = await fetch(url, { cache: "no-store" });
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(body?.error?.message ?? `HTTP ${answer.status}`);
  return body;
}

/** @param {URL} url */
async function postJson(url) {
  const answer = await fetch(url, { method: "POST" });
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok) throw new Error(body?.error?.message ?? `HTTP ${answer.status}`);
  return body;
}
