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

/** @typedef {import("graph-conversations/web").Conversation} Conversation */
/** @typedef {import("graph-conversations/web").Message} Message */
/** @typedef {import("graph-conversations/web").ConversationQuery} ConversationQuery */
/** @typedef {import("graph-conversations/web").Page<Conversation>} ConversationPage */
/** @typedef {import("graph-conversations/web").Page<Message>} MessagePage */
/** @typedef {import("./snippet.js").Call} Call */
/** @typedef {import("./settings.js").Settings} Settings */
/** @typedef {"conversations" | "thread" | "single"} View */

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
  $("messages").append(...page.data.map((m) => messageItem(m, state.own)));
  // A reply links the message it quotes once that is shown (it may come on a later page).
  linkReplies($("messages"));
  state.messagesAfter = cursorAfter(page);
  $("more-messages").hidden = !state.messagesAfter;
  if (!more) revealOnNarrowScreens($("thread-view")); // again: the messages made the page longer
  const shown = $("messages").children.length;
  $("thread-count").textContent = plural(shown, "message");
  status.textContent = shown === 0 ? "No messages." : `Newest first. ${state.messagesAfter ? "Older ones through the paging cursor." : "That is the whole thread."}`;
}

/** Back to "pick a conversation": a new list may hold another inbox. */
function clearThread() {
  state.requests.thread?.abort();
  setBusy("thread", false);
  state.thread = null;
  state.messagesAfter = null;
  $("messages").replaceChildren();
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
  renderUsage($("usage"), null);
  wire();
  $("boot").remove();
  document.documentElement.dataset.ready = "true";
}

await boot();
