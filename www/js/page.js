// The page: the form makes a client, the views run calls with it, and every
// call is shown as the code that ran it. Calls are kept as data
// (`{ method, args, result }`) so the code shown and the call made cannot
// differ.

import { GraphClient, clientDefaults, nextCursor, ownAccountIds } from "graph-conversations/web";
import { h, replace } from "./dom.js";
import { plural } from "./format.js";
import { clientOptions, initialSettings, readForm, remember, writeForm } from "./settings.js";
import { callSnippet, clientSnippet } from "./snippet.js";
import { CONVERSATION_FIELDS, conversationItem, otherPeople } from "./conversations.js";
import { linkReplies, messageItem } from "./thread.js";
import { hideError, showError } from "./errors.js";
import { renderUsage } from "./usage.js";
import { STATE_TEXT, connectLive, liveAction, logLine, markLive, markUnsent, placeByTime, withNames } from "./live.js";
import { startEdgeInbox } from "./edge.js";
import { ECHO_WAIT_MS, SEND_WAIT_MS, TYPING_EVERY_MS, customerLastWrote, markReply, replyWindow } from "./reply.js";

/** @typedef {import("graph-conversations/web").Conversation} Conversation */
/** @typedef {import("graph-conversations/web").Message} Message */
/** @typedef {import("graph-conversations/web").ConversationQuery} ConversationQuery */
/** @typedef {import("graph-conversations/web").Page<Conversation>} ConversationPage */
/** @typedef {import("graph-conversations/web").Page<Message>} MessagePage */
/** @typedef {import("./snippet.js").Call} Call */
/** @typedef {import("./settings.js").Settings} Settings */
/** @typedef {"conversations" | "thread" | "single"} View */
/** @typedef {import("./live.js").Push} Push */
/** @typedef {import("./live.js").LiveConfig} LiveConfig */
/** @typedef {import("./live.js").PushedConversation} PushedConversation */
/** @typedef {import("./reply.js").ReplyState} ReplyState */
/**
 * A reply sent from this page: `key` is the `metadata` it was sent with (its
 * echo carries it back), `mid` the message id once the Graph or the echo said it.
 * @typedef {{ key: string, mid: string | null, state: ReplyState, started: number,
 *   timer: ReturnType<typeof setTimeout> | null }} Reply
 */

const CONVERSATIONS_PER_PAGE = 10;
// The Graph's default page size; past the 20 newest, messages come without details.
const MESSAGES_PER_PAGE = 25;
/** What the client uses for every option the form leaves empty. */
const DEFAULTS = clientDefaults();

/**
 * The element with this id, of this class; the page is broken without it.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
function element(id, type) {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`the page has no ${type.name} #${id}`);
  return node;
}
/** @param {string} id */
const $ = (id) => element(id, HTMLElement);
const form = element("settings", HTMLFormElement);
const liveForm = element("live-form", HTMLFormElement);
const rememberBox = element("remember", HTMLInputElement);
const errorPanel = $("error");

const state = {
  /** @type {GraphClient | null} */
  client: null,
  clientKey: "",
  pageId: "",
  /** @type {Set<string>} */
  own: new Set(),
  /** @type {Conversation[]} */
  conversations: [],
  /** @type {ConversationQuery | null} the query of the list shown, for "Load more" */
  conversationQuery: null,
  /** @type {string | null} */
  conversationsAfter: null,
  /** @type {Conversation | null} the conversation shown */
  thread: null,
  /** @type {string | null} */
  messagesAfter: null,
  /** @type {Record<View, AbortController | null>} the calls under way */
  requests: { conversations: null, thread: null, single: null },
  /** @type {LiveConfig | null} the demo's live stream, with `make demo` */
  live: null,
  /** @type {Map<string, number>} mids the Live panel made the customer write, and when (performance.now()) */
  awaited: new Map(),
  /** @type {{ startsAt: number, startedAt: number } | null} the mock's clock, with `make demo` (its inbox is as of `startsAt`) */
  mockClock: null,
  /** @type {Map<string, Reply>} replies sent from this page, by their metadata key */
  replies: new Map(),
  /** @type {Map<string, string>} replies delivered, metadata key → mid: a second echo with the key is a second message */
  delivered: new Map(),
  /** When the last typing indicator went (Date.now()). */
  lastTyping: 0,
  /** @type {ReturnType<typeof setInterval> | null} keeps the reply window's words current */
  windowTimer: null,
};

/** The code of the call each error came from, for the error panel. @type {WeakMap<object, string>} */
const failedCalls = new WeakMap();

// ---------------------------------------------------------------- the client

/**
 * The code that makes the client for these settings.
 * @param {Settings} settings
 */
const clientCode = (settings) => clientSnippet(clientOptions(settings), DEFAULTS);

/**
 * The client for the form's settings; a new one when they changed.
 * @param {Settings} settings
 * @returns {GraphClient}
 */
function clientFor(settings) {
  const options = clientOptions(settings);
  const key = JSON.stringify(options); // in memory only, like the token itself
  if (!state.client || state.clientKey !== key) {
    state.client = new GraphClient(options);
    state.clientKey = key;
  }
  return state.client;
}

/**
 * Runs `call` with the form's client and shows its code in `codeId`.
 * `signal` joins the options object (or becomes one): the code shown leaves
 * it out, since it is the page's own plumbing.
 * @param {Call} call
 * @param {string | null} codeId
 * @param {AbortSignal} signal
 * @returns {Promise<unknown>}
 */
async function run(call, codeId, signal) {
  const code = callSnippet(call);
  if (codeId) $(codeId).textContent = code;
  let client;
  try {
    client = clientFor(readForm(form));
  } catch (err) {
    // The options were refused: what failed is `new GraphClient(…)`.
    if (err && typeof err === "object") failedCalls.set(err, clientCode(readForm(form)));
    throw err;
  }
  try {
    const args = [...call.args];
    const last = args.at(-1);
    if (last && typeof last === "object" && !Array.isArray(last)) args[args.length - 1] = { ...last, signal };
    else args.push({ signal });
    // The page's calls are data: any method, any arguments (the client checks them).
    const method = /** @type {(...args: unknown[]) => Promise<unknown>} */ (Reflect.get(client, call.method));
    return await method.apply(client, args);
  } catch (err) {
    if (err && typeof err === "object") failedCalls.set(err, code);
    throw err;
  } finally {
    if (state.client) renderUsage($("usage"), state.client.usage);
  }
}

/**
 * A fresh AbortController for a view; the call it replaces is cancelled.
 * @param {View} view
 */
function restart(view) {
  state.requests[view]?.abort();
  const controller = new AbortController();
  state.requests[view] = controller;
  return controller.signal;
}

/** @param {unknown} err */
const aborted = (err) => typeof err === "object" && err !== null &&
  (Reflect.get(err, "kind") === "aborted" || Reflect.get(err, "name") === "AbortError");

/** @param {unknown} err */
function fail(err) {
  showError(errorPanel, err, err && typeof err === "object" ? failedCalls.get(err) : undefined);
  errorPanel.scrollIntoView({ block: "start" });
}

// ---------------------------------------------------------------- conversations

/**
 * @param {Settings} settings
 * @returns {ConversationQuery}
 */
function conversationQuery(settings) {
  return {
    platform: /** @type {ConversationQuery["platform"]} */ (settings.platform),
    folder: /** @type {ConversationQuery["folder"]} */ (settings.folder),
    fields: CONVERSATION_FIELDS,
    limit: CONVERSATIONS_PER_PAGE,
  };
}

/** @param {{ more?: boolean }} [options] */
async function listConversations({ more = false } = {}) {
  const settings = readForm(form);
  if (!settings.accessToken || !settings.pageId) {
    $("form-note").textContent = "Fill in an access token and a Page id first.";
    return;
  }
  $("form-note").textContent = "";
  remember(settings, rememberBox.checked);
  $("client-code").textContent = clientCode(settings);

  /** @type {ConversationQuery} */
  const query = more ? { ...state.conversationQuery, after: state.conversationsAfter ?? undefined } : conversationQuery(settings);
  const pageId = more ? state.pageId : settings.pageId;
  const status = $("conversations-status");
  status.textContent = more ? "Loading more…" : "Loading…";
  const page = /** @type {ConversationPage | null} */ (
    await listCall("conversations", { method: "listConversations", args: [pageId, query] }, status));
  if (!page) return;
  if (!more) {
    state.conversations = [];
    state.pageId = pageId;
    state.conversationQuery = query;
    $("conversations").replaceChildren();
    clearThread();
  }
  state.conversations.push(...page.data);
  // The Page, and on Instagram the business's own account: not customers.
  state.own = new Set(ownAccountIds(pageId, state.conversations));
  $("conversations").append(...page.data.map((c) => conversationItem(c, state.own)));
  fillLivePicker();
  // The client never follows `paging.next` (it holds the token); the cursor is what goes on.
  state.conversationsAfter = cursorAfter(page);
  $("more-conversations").hidden = !state.conversationsAfter;
  const shown = state.conversations.length;
  $("conversations-count").textContent = `${query.platform} · ${query.folder}`;
  status.textContent = shown === 0
    ? "No conversations in this folder."
    : `${plural(shown, "conversation")} shown${state.conversationsAfter ? "; more through the paging cursor" : ", all there is"}.`;
}

/**
 * Runs the list call of `view` ("conversations" or "thread"), showing its
 * code beside the view. Resolves to the page, or to null when the call
 * failed (the error panel explains it) or a newer call replaced it.
 * @param {"conversations" | "thread"} view
 * @param {Call} call
 * @param {HTMLElement} status
 * @returns {Promise<unknown>}
 */
async function listCall(view, call, status) {
  setBusy(view, true);
  const signal = restart(view);
  try {
    const page = await run(call, `${view}-code`, signal);
    hideError(errorPanel);
    return page;
  } catch (err) {
    if (!aborted(err)) {
      status.textContent = "The call failed: the error is explained above.";
      fail(err);
    }
    return null;
  } finally {
    // A call replaced by a newer one leaves the view busy with that one.
    if (!signal.aborted) setBusy(view, false);
  }
}

/**
 * The `after` cursor of the next page, by the package's rule (`nextCursor`),
 * or null on the last page. A page that announces more without a cursor is
 * an error to show; the list ends there.
 * @param {import("graph-conversations/web").Page<unknown>} page
 * @returns {string | null}
 */
function cursorAfter(page) {
  try {
    return nextCursor(page);
  } catch (err) {
    fail(err);
    return null;
  }
}

// ---------------------------------------------------------------- a thread

/**
 * @param {string} conversationId
 * @param {{ more?: boolean }} [options]
 */
async function openThread(conversationId, { more = false } = {}) {
  const conversation = state.conversations.find((c) => c.id === conversationId) ?? { id: conversationId };
  if (!more) {
    state.thread = conversation;
    state.messagesAfter = null;
    $("messages").replaceChildren();
    hideReplyBox();
    markSelected(conversationId);
    $("thread-title").textContent = `Thread with ${otherPeople(conversation, state.own)}`;
    $("thread-id").textContent = `conversation id ${conversationId}`;
    $("thread-count").textContent = "";
    revealOnNarrowScreens($("thread-view"));
  }
  const query = { limit: MESSAGES_PER_PAGE, ...(more && state.messagesAfter ? { after: state.messagesAfter } : {}) };
  const status = $("thread-status");
  status.textContent = more ? "Loading older messages…" : "Loading…";
  const page = /** @type {MessagePage | null} */ (
    await listCall("thread", { method: "listMessages", args: [conversationId, query] }, status));
  if (!page) return;
  // A message a live push drew while this page was on its way is not drawn twice.
  const fresh = page.data.filter((m) => !messageNode(m.id));
  $("messages").append(...fresh.map((m) => messageItem(m, state.own)));
  // A reply links the message it quotes once that is shown (it may come on a later page).
  linkReplies($("messages"));
  state.messagesAfter = cursorAfter(page);
  $("more-messages").hidden = !state.messagesAfter;
  if (!more) revealOnNarrowScreens($("thread-view")); // again: the messages made the page longer
  const shown = $("messages").children.length;
  $("thread-count").textContent = plural(shown, "message");
  status.textContent = shown === 0 ? "No messages." : `Newest first. ${state.messagesAfter ? "Older ones through the paging cursor." : "That is the whole thread."}`;
  showReplyBox();
}

/** Back to "pick a conversation": a new list may hold another inbox. */
function clearThread() {
  state.requests.thread?.abort();
  setBusy("thread", false);
  state.thread = null;
  state.messagesAfter = null;
  $("messages").replaceChildren();
  hideReplyBox();
  $("more-messages").hidden = true;
  $("thread-title").textContent = "Thread";
  $("thread-id").textContent = "";
  $("thread-count").textContent = "";
  $("thread-code").textContent = "// Opening a conversation runs a call; it shows here.";
  $("thread-status").textContent = "Pick a conversation to read its messages, newest first.";
}

/** @param {string} conversationId */
function markSelected(conversationId) {
  for (const button of Array.from($("conversations").querySelectorAll("button.conversation"))) {
    if (!(button instanceof HTMLElement)) continue;
    button.setAttribute("aria-pressed", String(button.dataset.conversationId === conversationId));
  }
}

/**
 * On a phone the thread sits below the list: bring it into view.
 * @param {HTMLElement} node
 */
function revealOnNarrowScreens(node) {
  if (window.matchMedia("(max-width: 899px)").matches) node.scrollIntoView({ block: "start" });
}

/**
 * @param {"conversations" | "thread"} view
 * @param {boolean} busy
 */
function setBusy(view, busy) {
  const section = view === "conversations" ? $("conversations-view") : $("thread-view");
  section.setAttribute("aria-busy", String(busy));
  if (view === "conversations") element("list-button", HTMLButtonElement).disabled = busy;
}

// ---------------------------------------------------------------- single calls

/**
 * One call outside the two views; `status` says it is under way, since a
 * transient failure is retried with backoff and can take seconds.
 * @param {Call} call
 * @param {HTMLElement} status
 * @returns {Promise<unknown>}
 */
async function single(call, status) {
  status.textContent = `Calling ${call.method}(…); transient failures are retried…`;
  try {
    const value = await run(call, null, restart("single"));
    hideError(errorPanel);
    return value;
  } catch (err) {
    if (!aborted(err)) fail(err);
    return undefined;
  } finally {
    status.textContent = "";
  }
}

/**
 * `getMessage` on an older message: the Graph's answer (9000001) is the lesson.
 * @param {string} messageId
 * @param {HTMLElement} item
 */
async function getMessage(messageId, item) {
  const status = item.querySelector(".call-status");
  if (!(status instanceof HTMLElement)) return;
  const message = /** @type {Message | undefined} */ (
    await single({ method: "getMessage", args: [messageId], result: "message" }, status));
  if (message) {
    item.replaceWith(messageItem(message, state.own));
    linkReplies($("messages"));
  }
}

/** @param {string} id */
function openErrorTrigger(id) {
  return single({ method: "getConversation", args: [id], result: "conversation" }, $("demo-status"));
}

// ---------------------------------------------------------------- replies

/** Now on the Graph's clock: the mock's with `make demo` (its inbox is as of a fixed time), else this computer's. */
function graphNow() {
  const clock = state.mockClock;
  return clock ? clock.startsAt + (Date.now() - clock.startedAt) : Date.now();
}

/** The customer of the thread shown: its participant who is not the inbox's own account. */
function threadCustomer() {
  const people = state.thread?.participants?.data ?? [];
  return people.find((p) => !state.own.has(p.id)) ?? null;
}

/** The inbox's own account in the thread shown, as the Graph names it. */
function threadAccount() {
  const people = state.thread?.participants?.data ?? [];
  return people.find((p) => state.own.has(p.id)) ?? { id: state.pageId };
}

function showReplyBox() {
  if (!state.thread || !threadCustomer()) return hideReplyBox();
  $("reply-form").hidden = false;
  updateWindow();
  if (state.windowTimer === null) state.windowTimer = setInterval(updateWindow, 60_000);
}

function hideReplyBox() {
  $("reply-form").hidden = true;
  $("reply-status").textContent = "";
  if (state.windowTimer !== null) clearInterval(state.windowTimer);
  state.windowTimer = null;
  state.lastTyping = 0;
}

/** The reply window, from the customer's newest message in the thread; HUMAN_AGENT offered between 24 hours and 7 days. */
function updateWindow() {
  const customer = threadCustomer();
  if (!customer || $("reply-form").hidden) return;
  const open = replyWindow(customerLastWrote($("messages"), customer.id), graphNow());
  const line = $("reply-window");
  line.dataset.window = open.state;
  line.textContent = open.text;
  const row = $("reply-human-agent-row");
  row.hidden = open.state !== "human_agent";
  if (row.hidden) element("reply-human-agent", HTMLInputElement).checked = false;
}

/**
 * The reply this message is, if it is one sent from here: by the metadata
 * its echo carries back, or by its mid.
 * @param {Message} message
 * @returns {Reply | undefined}
 */
function replyOf(message) {
  const key = typeof message.metadata === "string" ? message.metadata : "";
  return state.replies.get(key) ?? [...state.replies.values()].find((r) => r.mid === message.id);
}

/**
 * The `<li>` of a reply: its mid's once known, else the one drawn when it was sent.
 * @param {Reply} reply
 * @returns {HTMLElement | null}
 */
function replyNode(reply) {
  const byKey = $("messages").querySelector(`li[data-reply-key="${CSS.escape(reply.key)}"]`);
  if (byKey instanceof HTMLElement) return byKey;
  return reply.mid ? messageNode(reply.mid) : null;
}

/**
 * The reply's message id is known (the Send API's answer, or its echo): the
 * message drawn when it was sent takes it, so the echo replaces it rather than
 * adding a second one.
 * @param {Reply} reply
 * @param {string} mid
 */
function adoptMid(reply, mid) {
  reply.mid = mid;
  const drawn = $("messages").querySelector(`li[data-reply-key="${CSS.escape(reply.key)}"]`);
  if (!(drawn instanceof HTMLElement)) return;
  const other = messageNode(mid);
  if (other && other !== drawn) {
    drawn.remove(); // the echo got here first and is drawn already
    return;
  }
  drawn.dataset.messageId = mid;
  drawn.id = `message-${mid}`;
}

/**
 * @param {Reply} reply
 * @param {ReplyState} next
 */
function setReplyState(reply, next) {
  if (reply.state === "delivered") return; // final
  reply.state = next;
  if (reply.timer !== null) clearTimeout(reply.timer);
  reply.timer = null;
  if (next === "sent" || next === "unknown") {
    reply.timer = setTimeout(() => setReplyState(reply, "no-echo"), ECHO_WAIT_MS);
  }
  const item = replyNode(reply);
  if (item) markReply(item, next);
  const status = $("reply-status");
  if (next === "delivered") {
    status.textContent = `Delivered: its echo came back by webhook ${Math.round(performance.now() - reply.started)} ms after you pressed Send.`;
    state.replies.delete(reply.key);
    if (reply.mid) state.delivered.set(reply.key, reply.mid);
    if (state.delivered.size > 200) state.delivered.delete(state.delivered.keys().next().value ?? "");
  }
}

async function sendReply() {
  const thread = state.thread;
  const customer = threadCustomer();
  if (!thread || !customer) return;
  const textarea = element("reply-text", HTMLTextAreaElement);
  const status = $("reply-status");
  const text = textarea.value.trim();
  if (!text) {
    status.textContent = "Write something first.";
    return;
  }
  const platform = state.conversationQuery?.platform ?? "messenger";
  const humanAgent = !$("reply-human-agent-row").hidden && element("reply-human-agent", HTMLInputElement).checked;
  // Its echo carries the metadata back: how the page knows its own reply, even when no answer came.
  const key = `www:${crypto.randomUUID()}`;
  /** @type {import("graph-conversations/web").OutgoingMessage} */
  const message = { text, metadata: key, ...(humanAgent ? { tag: "HUMAN_AGENT" } : {}), ...(platform === "instagram" ? { platform } : {}) };

  // In the thread at once, as the Page's message.
  const item = messageItem({ id: key, created_time: new Date().toISOString(), from: threadAccount(), message: text }, state.own);
  item.dataset.at = String(Date.now());
  item.dataset.replyKey = key;
  placeByTime($("messages"), item);
  markReply(item, "sending");
  $("thread-count").textContent = plural($("messages").children.length, "message");
  textarea.value = "";
  state.lastTyping = 0;
  /** @type {Reply} */
  const reply = { key, mid: null, state: "sending", started: performance.now(), timer: null };
  state.replies.set(key, reply);
  status.textContent = "Sending…";
  // A person should not wait the client's 30 s: past SEND_WAIT_MS the page stops waiting.
  const giveUp = new AbortController();
  const deadline = setTimeout(() => giveUp.abort(), SEND_WAIT_MS);
  try {
    const sent = /** @type {import("graph-conversations/web").SentMessage} */ (await run(
      { method: "sendMessage", args: [state.pageId, customer.id, message], result: "sent" }, "reply-code", giveUp.signal));
    if (reply.state === "delivered") return; // the echo came first
    adoptMid(reply, sent.messageId);
    setReplyState(reply, state.live ? "sent" : "answered");
    status.textContent = state.live ? "Sent; waiting for its echo…" : "Sent.";
  } catch (err) {
    if (reply.state === "delivered") return;
    const delivery = err && typeof err === "object" ? Reflect.get(err, "delivery") : undefined;
    if (delivery === "unknown") {
      setReplyState(reply, "unknown");
      status.textContent = "No answer came: the message may have gone out, and it was not sent again. Its echo will say.";
      return;
    }
    // Refused (or never sent): it leaves the thread, its text goes back in the box.
    state.replies.delete(key);
    replyNode(reply)?.remove();
    $("thread-count").textContent = plural($("messages").children.length, "message");
    if (!textarea.value) textarea.value = text;
    const refusal = err && typeof err === "object" ? Reflect.get(err, "refusal") : undefined;
    status.textContent = `Not sent: ${err instanceof Error ? err.message : String(err)}`;
    status.dataset.refusal = typeof refusal === "string" ? refusal : "";
    if (!refusal) fail(err);
  } finally {
    clearTimeout(deadline);
  }
}

/** While the person types, the customer sees "typing…": typing_on, at most every few seconds. */
function typing() {
  const customer = threadCustomer();
  const text = element("reply-text", HTMLTextAreaElement).value.trim();
  if (!customer || !text || $("reply-window").dataset.window === "closed") return;
  if (Date.now() - state.lastTyping < TYPING_EVERY_MS) return;
  state.lastTyping = Date.now();
  // Best effort: a typing indicator that fails is not worth an error panel.
  run({ method: "sendAction", args: [state.pageId, customer.id, "typing_on"] }, null, new AbortController().signal).catch(() => {});
}

// ---------------------------------------------------------------- live (make demo)

/**
 * The `<li>` of a message in the thread shown, or null.
 * @param {string} messageId
 * @returns {HTMLElement | null}
 */
function messageNode(messageId) {
  const node = $("messages").querySelector(`li[data-message-id="${CSS.escape(messageId)}"]`);
  return node instanceof HTMLElement ? node : null;
}

/**
 * The list entry of a conversation, or null.
 * @param {string} conversationId
 * @returns {HTMLElement | null}
 */
function listEntry(conversationId) {
  const button = $("conversations").querySelector(`button.conversation[data-conversation-id="${CSS.escape(conversationId)}"]`);
  const item = button?.closest("li");
  return item instanceof HTMLElement ? item : null;
}

/** The platform the Live panel acts on: the list's, else the form's. */
const livePlatform = () => state.conversationQuery?.platform ?? readForm(form).platform;

/** The Live panel's conversation picker: the open thread, a new customer, or one of the list. */
function fillLivePicker() {
  const picker = element("live-conversation", HTMLSelectElement);
  const chosen = picker.value;
  replace(picker,
    h("option", { value: "" }, "the open thread"),
    h("option", { value: "new" }, "a new customer"),
    state.conversations.map((c) => h("option", { value: c.id }, otherPeople(c, state.own))));
  picker.value = Array.from(picker.options).some((o) => o.value === chosen) ? chosen : "";
}

/**
 * What one apply on the demo's server changed, drawn: the open thread gets
 * new messages (marked "new"), edits ("edited"), reactions and unsends; the
 * list moves a conversation with news to the top.
 * @param {Push} push
 */
function applyPush(push) {
  // A sync joined a new person's conversation to its thread: one conversation, under the thread's id.
  for (const personId of push.removedConversations) {
    listEntry(personId)?.remove();
    state.conversations = state.conversations.filter((c) => c.id !== personId);
    const joined = push.conversations.find((c) => c.customerId === personId);
    if (joined && state.thread?.id === personId) {
      state.thread = { ...state.thread, id: joined.id };
      $("thread-id").textContent = `conversation id ${joined.id}`;
    }
  }
  for (const conversation of push.conversations) updateListEntry(conversation, push);
  // An echo of a reply sent from here: the same message (by its metadata, or its mid once known).
  /** @type {Map<string, Reply>} */
  const echoed = new Map();
  /** @type {string[]} mids of a reply's second message */
  const again = [];
  for (const { message } of push.messages) {
    const reply = replyOf(message);
    const key = typeof message.metadata === "string" ? message.metadata : "";
    if (!reply) {
      if (state.delivered.has(key) && state.delivered.get(key) !== message.id) again.push(message.id);
      continue;
    }
    if (!reply.mid) adoptMid(reply, message.id);
    echoed.set(message.id, reply);
  }
  const open = state.thread;
  if (open) {
    const people = open.participants?.data ?? push.conversations.find((c) => c.id === open.id)?.participants ?? [];
    for (const pushed of push.messages) {
      if (pushed.conversationId !== open.id) continue;
      const item = messageItem(withNames(pushed.message, people), state.own);
      item.dataset.at = String(pushed.at);
      const shown = messageNode(pushed.message.id);
      if (shown) {
        const wasNew = shown.classList.contains("live-new");
        shown.replaceWith(item);
        markLive(item, { isNew: wasNew });
      } else {
        placeByTime($("messages"), item);
        markLive(item, { isNew: true });
      }
    }
    linkReplies($("messages"));
    $("thread-count").textContent = plural($("messages").children.length, "message");
    updateWindow();
  }
  for (const reply of echoed.values()) setReplyState(reply, "delivered");
  for (const mid of again) {
    const item = messageNode(mid);
    if (item) markReply(item, "twice");
    $("reply-status").textContent = "The same reply went out twice: the customer got two messages.";
  }
  for (const { mid } of push.removed) {
    const shown = messageNode(mid);
    if (shown && !shown.classList.contains("unsent")) markUnsent(shown);
  }
  for (const pushed of push.messages) {
    const started = state.awaited.get(pushed.message.id);
    if (started === undefined) continue;
    state.awaited.delete(pushed.message.id);
    const where = pushed.conversationId === state.thread?.id ? "in the open thread" : "in the list";
    $("live-status").textContent = `Arrived by webhook ${Math.round(performance.now() - started)} ms after the customer wrote; shown ${where}.`;
  }
  const log = $("live-log");
  log.prepend(logLine(push));
  while (log.children.length > 12) log.lastElementChild?.remove();
}

/**
 * A conversation with news: its list entry shows the newest snippet and
 * time, counts the customer's new messages as unread, and moves to the top.
 * A conversation the list does not have yet is added when it is on the
 * platform listed.
 * @param {PushedConversation} pushed
 * @param {Push} push
 */
function updateListEntry(pushed, push) {
  if (!state.conversationQuery) return; // nothing listed yet
  const added = push.messages.filter((m) => m.conversationId === pushed.id && m.added);
  const arrived = added.filter((m) => m.message.from?.id === pushed.customerId).length;
  const index = state.conversations.findIndex((c) => c.id === pushed.id);
  const before = index >= 0 ? state.conversations[index] : null;
  if (!before && (!pushed.added || push.platform !== state.conversationQuery.platform)) return;
  /** @type {Conversation} */
  const after = {
    ...(before ?? { id: pushed.id, participants: { data: pushed.participants } }),
    snippet: pushed.snippet || before?.snippet,
    updated_time: pushed.updatedTime ?? before?.updated_time,
    // The customer's new messages are unread; a reply from the account reads the thread.
    unread_count: !before ? pushed.unreadCount ?? arrived
      : arrived > 0 ? (before.unread_count ?? 0) + arrived
      : added.length > 0 ? 0 : before.unread_count,
    ...(typeof before?.message_count === "number" ? { message_count: before.message_count + added.length } : {}),
  };
  if (index >= 0) state.conversations.splice(index, 1);
  state.conversations.unshift(after);
  const item = conversationItem(after, state.own);
  const button = item.querySelector("button.conversation");
  if (button instanceof HTMLElement) {
    button.setAttribute("aria-pressed", String(state.thread?.id === pushed.id));
    if (arrived > 0 || !before) button.classList.add("live-new");
    // A new person's conversation before the Graph lists its thread: nothing to open yet.
    if (pushed.id === pushed.customerId) {
      button.setAttribute("disabled", "");
      button.title = "A new customer: the Graph lists their thread in a moment";
    }
  }
  const shown = listEntry(pushed.id);
  // A new message moves it up; an edit or a reaction leaves it where it is.
  if (shown && added.length === 0 && before) shown.replaceWith(item);
  else {
    shown?.remove();
    $("conversations").prepend(item);
  }
  fillLivePicker();
}

/**
 * One of the Live panel's actions on the conversation picked (or the open thread).
 * @param {string} name
 * @param {Record<string, unknown>} extra
 */
async function runLive(name, extra = {}) {
  if (!state.live) return;
  const picked = element("live-conversation", HTMLSelectElement).value;
  const conversation = picked || state.thread?.id;
  const status = $("live-status");
  if (!conversation) {
    status.textContent = "Open a thread first, or pick a conversation.";
    return;
  }
  if (conversation === "new" && name !== "customer-writes") {
    status.textContent = "Pick a conversation: a new customer has no message yet.";
    return;
  }
  const text = element("live-text", HTMLInputElement).value;
  status.textContent = "Asking the mock…";
  try {
    const started = performance.now();
    const result = await liveAction(state.live, name, { conversation, platform: livePlatform(), text, ...extra });
    const mid = typeof result.mid === "string" ? result.mid : "";
    if (name === "customer-writes" && mid) state.awaited.set(mid, started);
    status.textContent = name === "customer-writes"
      ? "The customer wrote; waiting for the webhook…"
      : "Done; waiting for the webhook…";
  } catch (err) {
    status.textContent = `The demo refused: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The delivery checkboxes: Meta's duplicates and late deliveries, on the mock. */
async function setDelivery() {
  if (!state.live) return;
  const redeliver = element("live-redeliver", HTMLInputElement).checked;
  const outOfOrder = element("live-out-of-order", HTMLInputElement).checked;
  try {
    await liveAction(state.live, "delivery", { redeliver, outOfOrder });
    $("live-status").textContent = redeliver || outOfOrder
      ? `The mock now delivers ${[redeliver ? "every webhook twice" : "", outOfOrder ? "out of order" : ""].filter(Boolean).join(" and ")}: the inbox still shows each message once, in order.`
      : "The mock delivers each webhook once, in order.";
  } catch (err) {
    $("live-status").textContent = `The demo refused: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** @param {import("./live.js").LiveState} live */
function showLiveState(live) {
  const badge = $("live-state");
  badge.dataset.state = live;
  badge.textContent = STATE_TEXT[live];
}

/** @param {import("./settings.js").DemoConfig | null} demo */
function startLive(demo) {
  const config = demo?.live;
  if (!config || typeof config.stream !== "string" || typeof config.actions !== "string") return;
  state.live = config;
  $("live").hidden = false;
  liveForm.addEventListener("submit", (event) => {
    event.preventDefault();
    runLive("customer-writes", { attachment: element("live-attachment", HTMLSelectElement).value });
  });
  liveForm.addEventListener("click", (event) => {
    const button = closest(event.target, "button[data-live]");
    if (button?.dataset.live) runLive(button.dataset.live, button.dataset.emoji ? { emoji: button.dataset.emoji } : {});
  });
  for (const id of ["live-redeliver", "live-out-of-order"]) $(id).addEventListener("change", setDelivery);
  connectLive(config, { onPush: applyPush, onState: showLiveState });
}

/** @param {import("./settings.js").DemoConfig | null} demo */
function startEdge(demo) {
  const config = demo?.edge;
  if (!config || typeof config.api !== "string" || typeof config.accountId !== "string") return;
  $("edge").hidden = false;
  startEdgeInbox(config, { state: $("edge-state"), status: $("edge-status"), list: $("edge-conversations"), log: $("edge-log") });
}

// ---------------------------------------------------------------- wiring

/** @param {HTMLElement} button */
async function copy(button) {
  const code = $(button.dataset.copy ?? "");
  try {
    await navigator.clipboard.writeText(code.textContent ?? "");
    button.textContent = "Copied";
  } catch {
    // No clipboard permission: select the code so Ctrl-C works.
    getSelection()?.selectAllChildren(code);
    button.textContent = "Selected";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
}

/** @param {HTMLElement} button */
function toggleToken(button) {
  const input = element("accessToken", HTMLInputElement);
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  button.textContent = show ? "Hide" : "Show";
}

function wire() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    listConversations();
  });
  form.addEventListener("input", () => {
    const settings = readForm(form);
    $("client-code").textContent = clientCode(settings);
    if (rememberBox.checked) remember(settings, true);
  });
  rememberBox.addEventListener("change", () => remember(readForm(form), rememberBox.checked));
  $("more-conversations").addEventListener("click", () => listConversations({ more: true }));
  $("more-messages").addEventListener("click", () => state.thread && openThread(state.thread.id, { more: true }));
  element("reply-form", HTMLFormElement).addEventListener("submit", (event) => {
    event.preventDefault();
    sendReply();
  });
  $("reply-text").addEventListener("input", typing);
  // Enter sends, Shift+Enter starts a new line.
  $("reply-text").addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    element("reply-form", HTMLFormElement).requestSubmit();
  });
  $("conversations").addEventListener("click", (event) => {
    const button = closest(event.target, "button.conversation");
    if (button?.dataset.conversationId) openThread(button.dataset.conversationId);
  });
  document.addEventListener("click", (event) => {
    const target = closest(event.target, "[data-action], [data-copy]");
    if (!target) return;
    const { action, copy: copyId, messageId, id } = target.dataset;
    if (copyId) copy(target);
    else if (action === "toggle-token") toggleToken(target);
    else if (action === "dismiss-error") hideError(errorPanel);
    else if (action === "get-message") {
      const item = closest(target, "li");
      if (messageId && item) getMessage(messageId, item);
    } else if (action === "trigger-error" && id) openErrorTrigger(id);
  });
}

/**
 * The element an event happened in, or its nearest ancestor, matching `selector`.
 * @param {EventTarget | null} target
 * @param {string} selector
 * @returns {HTMLElement | null}
 */
function closest(target, selector) {
  const found = target instanceof Element ? target.closest(selector) : null;
  return found instanceof HTMLElement ? found : null;
}

/** @param {import("./settings.js").DemoConfig | null} demo */
function showDemoAids(demo) {
  const errors = Array.isArray(demo?.errors) ? demo.errors : [];
  if (errors.length === 0) return;
  replace($("demo-errors"), errors.map(({ id, label }) =>
    h("button", { type: "button", class: "demo", "data-action": "trigger-error", "data-id": id }, label ?? id)));
  $("demo-aids").hidden = false;
}

async function boot() {
  const { settings, remembered, demo } = await initialSettings();
  writeForm(form, settings);
  rememberBox.checked = remembered;
  // The empty fields say what the client uses instead.
  element("baseUrl", HTMLInputElement).placeholder = DEFAULTS.baseUrl;
  element("apiVersion", HTMLInputElement).placeholder = `${DEFAULTS.apiVersion} (the client's default)`;
  $("client-code").textContent = clientCode(readForm(form));
  showDemoAids(demo);
  // The mock's inbox is as of a fixed time, and its clock runs from there: reply windows are measured on it.
  const clock = demo?.mockClock;
  if (clock && typeof clock.startsAt === "number" && typeof clock.startedAt === "number") state.mockClock = clock;
  startLive(demo);
  startEdge(demo);
  renderUsage($("usage"), null);
  wire();
  $("boot").remove();
  document.documentElement.dataset.ready = "true";
}

await boot();
