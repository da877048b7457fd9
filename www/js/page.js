// The page: the form makes a client, the views run calls with it, and every
// call is shown as the code that ran it. Calls are kept as data
// (`{ method, args, result }`) so the code shown and the call made cannot
// differ.

import { GraphClient } from "graph-conversations/web";
import { h, replace } from "./dom.js";
import { plural } from "./format.js";
import { clientOptions, initialSettings, readForm, remember, writeForm } from "./settings.js";
import { callSnippet, clientSnippet } from "./snippet.js";
import { CONVERSATION_FIELDS, conversationItem, otherPeople, ownIds } from "./conversations.js";
import { messageItem } from "./thread.js";
import { hideError, showError } from "./errors.js";
import { renderUsage } from "./usage.js";

const CONVERSATIONS_PER_PAGE = 10;
// The Graph's default page size; past the 20 newest, messages come without details.
const MESSAGES_PER_PAGE = 25;

const $ = (id) => document.getElementById(id);
const form = $("settings");
const errorPanel = $("error");

const state = {
  client: null,
  clientKey: "",
  pageId: "",
  own: new Set(),
  conversations: [],
  conversationQuery: null, // the query of the list shown, for "Load more"
  conversationsAfter: null,
  thread: null, // the conversation shown
  messagesAfter: null,
  requests: { conversations: null, thread: null, single: null }, // AbortControllers of the calls under way
};

// The code of the call each error came from, for the error panel.
const failedCalls = new WeakMap();

// ---------------------------------------------------------------- the client

/** The client for the form's settings; a new one when they changed. */
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
 */
async function run(call, codeId, signal) {
  const code = callSnippet(call);
  if (codeId) $(codeId).textContent = code;
  let client;
  try {
    client = clientFor(readForm(form));
  } catch (err) {
    // The options were refused: what failed is `new GraphClient(…)`.
    if (err && typeof err === "object") failedCalls.set(err, clientSnippet(clientOptions(readForm(form))));
    throw err;
  }
  try {
    const args = [...call.args];
    const last = args.at(-1);
    if (last && typeof last === "object" && !Array.isArray(last)) args[args.length - 1] = { ...last, signal };
    else args.push({ signal });
    return await client[call.method](...args);
  } catch (err) {
    if (err && typeof err === "object") failedCalls.set(err, code);
    throw err;
  } finally {
    if (state.client) renderUsage($("usage"), state.client.usage);
  }
}

/** A fresh AbortController for a view; the call it replaces is cancelled. */
function restart(view) {
  state.requests[view]?.abort();
  state.requests[view] = new AbortController();
  return state.requests[view].signal;
}

const aborted = (err) => err?.kind === "aborted" || err?.name === "AbortError";

function fail(err) {
  showError(errorPanel, err, failedCalls.get(err));
  errorPanel.scrollIntoView({ block: "start" });
}

// ---------------------------------------------------------------- conversations

function conversationQuery(settings) {
  return { platform: settings.platform, folder: settings.folder, fields: CONVERSATION_FIELDS, limit: CONVERSATIONS_PER_PAGE };
}

async function listConversations({ more = false } = {}) {
  const settings = readForm(form);
  if (!settings.accessToken || !settings.pageId) {
    $("form-note").textContent = "Fill in an access token and a Page id first.";
    return;
  }
  $("form-note").textContent = "";
  remember(settings, $("remember").checked);
  $("client-code").textContent = clientSnippet(clientOptions(settings));

  const query = more ? { ...state.conversationQuery, after: state.conversationsAfter } : conversationQuery(settings);
  const pageId = more ? state.pageId : settings.pageId;
  const status = $("conversations-status");
  status.textContent = more ? "Loading more…" : "Loading…";
  const page = await listCall("conversations", { method: "listConversations", args: [pageId, query] }, status);
  if (!page) return;
  if (!more) {
    state.conversations = [];
    state.pageId = pageId;
    state.conversationQuery = query;
    $("conversations").replaceChildren();
    clearThread();
  }
  state.conversations.push(...page.data);
  state.own = ownIds(pageId, state.conversations);
  $("conversations").append(...page.data.map((c) => conversationItem(c, state.own)));
  // The client never follows `paging.next` (it holds the token); the cursor is what goes on.
  state.conversationsAfter = page.paging?.next ? page.paging.cursors?.after ?? null : null;
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

// ---------------------------------------------------------------- a thread

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
  const query = { limit: MESSAGES_PER_PAGE, ...(more ? { after: state.messagesAfter } : {}) };
  const status = $("thread-status");
  status.textContent = more ? "Loading older messages…" : "Loading…";
  const page = await listCall("thread", { method: "listMessages", args: [conversationId, query] }, status);
  if (!page) return;
  $("messages").append(...page.data.map((m) => messageItem(m, state.own)));
  state.messagesAfter = page.paging?.next ? page.paging.cursors?.after ?? null : null;
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

function markSelected(conversationId) {
  for (const button of $("conversations").querySelectorAll("button.conversation")) {
    button.setAttribute("aria-pressed", String(button.dataset.conversationId === conversationId));
  }
}

// On a phone the thread sits below the list: bring it into view.
function revealOnNarrowScreens(node) {
  if (window.matchMedia("(max-width: 899px)").matches) node.scrollIntoView({ block: "start" });
}

function setBusy(view, busy) {
  const section = view === "conversations" ? $("conversations-view") : $("thread-view");
  section.setAttribute("aria-busy", String(busy));
  if (view === "conversations") $("list-button").disabled = busy;
}

// ---------------------------------------------------------------- single calls

/**
 * One call outside the two views; `status` says it is under way, since a
 * transient failure is retried with backoff and can take seconds.
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

/** `getMessage` on an older message: the Graph's answer (9000001) is the lesson. */
async function getMessage(messageId, item) {
  const message = await single({ method: "getMessage", args: [messageId], result: "message" }, item.querySelector(".call-status"));
  if (message) item.replaceWith(messageItem(message, state.own));
}

function openErrorTrigger(id) {
  return single({ method: "getConversation", args: [id], result: "conversation" }, $("demo-status"));
}

// ---------------------------------------------------------------- wiring

async function copy(button) {
  const text = $(button.dataset.copy).textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    // No clipboard permission: select the code so Ctrl-C works.
    getSelection().selectAllChildren($(button.dataset.copy));
    button.textContent = "Selected";
  }
  setTimeout(() => { button.textContent = "Copy"; }, 1500);
}

function toggleToken(button) {
  const input = $("accessToken");
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
    $("client-code").textContent = clientSnippet(clientOptions(settings));
    if ($("remember").checked) remember(settings, true);
  });
  $("remember").addEventListener("change", (event) => remember(readForm(form), event.target.checked));
  $("more-conversations").addEventListener("click", () => listConversations({ more: true }));
  $("more-messages").addEventListener("click", () => state.thread && openThread(state.thread.id, { more: true }));
  $("conversations").addEventListener("click", (event) => {
    const button = event.target.closest("button.conversation");
    if (button) openThread(button.dataset.conversationId);
  });
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-action], [data-copy]");
    if (!target) return;
    if (target.dataset.copy) copy(target);
    else if (target.dataset.action === "toggle-token") toggleToken(target);
    else if (target.dataset.action === "dismiss-error") hideError(errorPanel);
    else if (target.dataset.action === "get-message") getMessage(target.dataset.messageId, target.closest("li"));
    else if (target.dataset.action === "trigger-error") openErrorTrigger(target.dataset.id);
  });
}

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
  $("remember").checked = remembered;
  $("client-code").textContent = clientSnippet(clientOptions(readForm(form)));
  showDemoAids(demo);
  renderUsage($("usage"), null);
  wire();
  $("boot").remove();
  document.documentElement.dataset.ready = "true";
}

await boot();
