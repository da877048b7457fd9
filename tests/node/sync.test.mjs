// syncInbox against the mock Graph: every thread, message counts, the
// 20-newest details rule, the number of calls, updatedSince, concurrency,
// progress, abort and resume, maxRequests, cursors, bad options, and the
// page size an adaptive sync halves and grows back (the mock's too-much-data
// fault, a 500, a timeout).
//
// The mock answers a nested `messages.limit(M){…}` with min(M, 100) messages,
// so a thread never comes back short from it. `graphFetch({ capNested })`
// stands between the client and the mock and keeps at most `capNested`
// messages of each nested page, with a next cursor (a Graph that returns
// fewer than asked): that is what makes the sync follow a thread's own paging.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DETAIL_WINDOW, IG_ACCOUNT_ID, PAGE_ID, encodeCursor, graphView, threads } from "../../mock/server.mjs";
import { defaultMessageFields, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph(); // 60 Messenger and 45 Instagram threads, no latency
const defaultFields = await defaultMessageFields();

const messenger = threads("messenger");
const instagram = threads("instagram");
const PAGE_SIZE = 25; // pageSize given: several pages of these 60 threads (the default, 100, is tested on its own)
const realFetch = globalThis.fetch;

const DOCUMENTED = ["id", "created_time", "from", "to", "message", "attachments", "reactions", "shares", "story", "tags", "is_unsupported"];

function pick(object, keys) {
  const out = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

/**
 * A thread's `m` newest messages as the sync should return them: details for
 * the 20 newest only, as the Graph answers them to the client's default
 * message fields (sub-fields not asked for are not sent).
 */
function expectedMessages(thread, m) {
  return thread.messages.slice(0, m).map((message, i) =>
    (i < DETAIL_WINDOW ? pick(graphView("Message", message, defaultFields), DOCUMENTED) : { id: message.id, created_time: message.created_time }));
}

/** Each conversation is its thread, in order, with the `m` newest messages (documented fields compared). */
function assertInbox(conversations, list, m) {
  assert.deepEqual(conversations.map((c) => c.id), list.map((t) => t.id), "conversation ids, newest first");
  conversations.forEach((conversation, i) => {
    const thread = list[i];
    assert.equal(conversation.updated_time, thread.updated_time, `updated_time of ${thread.id}`);
    assert.ok(Array.isArray(conversation.messages), `messages of ${thread.id} is an array`);
    assert.equal(conversation.messages.length, Math.min(m, thread.messages.length), `message count of ${thread.id}`);
    assert.deepEqual(conversation.messages.map((msg) => pick(msg, DOCUMENTED)), expectedMessages(thread, m), `messages of ${thread.id}`);
  });
}

const messageCount = (list, m) => list.reduce((sum, t) => sum + Math.min(m, t.messages.length), 0);
const allMessageIds = (...results) => results.flatMap((r) => r.conversations.flatMap((c) => c.messages.map((m) => m.id)));

/** Merges sync results by conversation id, as a caller does after a resume. */
function mergeById(...results) {
  const byId = new Map();
  for (const result of results) {
    for (const conversation of result.conversations) {
      const seen = byId.get(conversation.id);
      if (seen) seen.messages.push(...conversation.messages);
      else byId.set(conversation.id, { ...conversation, messages: [...conversation.messages] });
    }
  }
  return [...byId.values()];
}

function assertNoDuplicates(ids, what) {
  const seen = new Set();
  const twice = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(twice, [], `${what} returned twice`);
}

/**
 * A `fetch` option between the client and the mock: counts the requests in
 * flight, records every answered request as `path after=<cursor>`, can wait
 * `delayMs` before each request, keep at most `capNested` messages per nested
 * page of the conversations edge (with a next cursor into the thread's own
 * messages edge), and answer `failWith(url)` instead of the mock when it
 * returns an error body.
 */
function graphFetch({ capNested, delayMs = 0, failWith = () => null } = {}) {
  const state = { inFlight: 0, maxInFlight: 0, answered: [] };
  state.fetch = async (url, init = {}) => {
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: init.signal ?? undefined });
      const u = new URL(url);
      const failure = failWith(u);
      if (failure) return jsonResponse(failure.status, failure.body);
      const response = await realFetch(url, init);
      let text = await response.text();
      if (capNested && response.status === 200 && u.pathname.endsWith("/conversations")) {
        text = JSON.stringify(capNestedMessages(JSON.parse(text), capNested, u));
      }
      state.answered.push(`${u.pathname} after=${u.searchParams.get("after") ?? ""}`);
      return new Response(text, { status: response.status, headers: answerHeaders(response.headers) });
    } finally {
      state.inFlight -= 1;
    }
  };
  return state;
}

function answerHeaders(headers) {
  const out = new Headers(headers);
  out.delete("content-length");
  out.delete("content-encoding");
  return out;
}

function jsonResponse(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8" } });
}

function capNestedMessages(body, cap, url) {
  const version = url.pathname.split("/").find((s) => /^v\d+\.\d+$/.test(s)) ?? "v21.0";
  for (const conversation of body.data ?? []) {
    const nested = conversation.messages;
    if (!nested?.data || nested.data.length <= cap) continue;
    const scope = `m|${conversation.id}`;
    const after = encodeCursor(scope, cap - 1);
    nested.data = nested.data.slice(0, cap);
    nested.paging = {
      cursors: { before: encodeCursor(scope, 0), after },
      next: `${url.origin}/${version}/${conversation.id}/messages?${new URLSearchParams({ limit: String(cap), after })}`,
    };
  }
  return body;
}

/** Threads whose nested page comes back short of `m` under `capNested`: one follow-up each. */
const shortThreads = (list, cap, m) => list.filter((t) => Math.min(m, t.messages.length) > cap);

const conversationRequests = () => env.mock.requests.filter((r) => r.path.endsWith(`/${PAGE_ID}/conversations`));
const followUpRequests = () => env.mock.requests.filter((r) => /\/messages$/.test(r.path));

// ---------------------------------------------------------------- whole inboxes

test("syncInbox: every Messenger thread with its 20 newest messages and their details, one call per page of 25", async () => {
  const inbox = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger" });
  assertInbox(inbox.conversations, messenger, 20);
  assert.equal(inbox.complete, true);
  assert.equal(inbox.requests, Math.ceil(messenger.length / PAGE_SIZE));
  assert.equal(env.mock.requests.length, inbox.requests);
  const pages = conversationRequests();
  assert.equal(pages.length, env.mock.requests.length, "only conversations pages were asked for");
  for (const request of pages) {
    assert.equal(request.query.limit, String(PAGE_SIZE));
    assert.match(request.query.fields, /(^|,)messages\.limit\(20\)\{/, "messages with details through field expansion");
    assert.match(request.query.fields, /(^|,)updated_time(,|$)/);
    assert.equal(String(request.query.platform).toLowerCase(), "messenger");
  }
  assert.equal(pages[0].query.after, undefined);
  assert.ok(pages.slice(1).every((r) => typeof r.query.after === "string"), "later pages follow the after cursor");
  assertNoDuplicates(allMessageIds(inbox), "message id");
});

test("syncInbox: every Instagram thread (its last page has no paging key)", async () => {
  const inbox = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "instagram" });
  assertInbox(inbox.conversations, instagram, 20);
  assert.equal(inbox.complete, true);
  assert.equal(inbox.requests, Math.ceil(instagram.length / PAGE_SIZE));
  assert.equal(env.mock.requests.length, inbox.requests);
  assert.ok(conversationRequests().every((r) => String(r.query.platform).toLowerCase() === "instagram"));
});

test("syncInbox: folder picks the folder's threads", async () => {
  const inbox = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", folder: "other" });
  assertInbox(inbox.conversations, threads("messenger", { folder: "other" }), 20);
  assert.equal(inbox.requests, 1);
  assert.equal(env.mock.requests[0].query.folder, "other");
});

test("syncInbox: messagesPerConversation 30 — older than the 20 newest come with id and created_time only, in the same calls", async () => {
  const inbox = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30 });
  assertInbox(inbox.conversations, messenger, 30);
  const longest = inbox.conversations[3]; // 45 messages in the mock
  assert.equal(longest.messages.length, 30);
  assert.deepEqual(Object.keys(pick(longest.messages[29], DOCUMENTED)).sort(), ["created_time", "id"]);
  assert.ok(longest.messages[19].from && typeof longest.messages[19].message === "string", "the 20th newest has details");
  assert.equal(inbox.requests, Math.ceil(messenger.length / PAGE_SIZE), "a nested page that holds M messages needs no follow-up");
  assert.equal(followUpRequests().length, 0);
  assert.match(env.mock.requests[0].query.fields, /messages\.limit\(30\)\{/);
});

test("syncInbox: messagesPerConversation 100 gives whole threads; pageSize sets the conversations per call", async () => {
  const client = env.client();
  const whole = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 100 });
  assertInbox(whole.conversations, messenger, 100);
  assert.equal(whole.requests, Math.ceil(messenger.length / PAGE_SIZE));

  env.mock.reset();
  const small = await client.syncInbox(PAGE_ID, { platform: "messenger", messagesPerConversation: 1, pageSize: 7 });
  assertInbox(small.conversations, messenger, 1);
  assert.equal(small.requests, Math.ceil(messenger.length / 7));
  assert.equal(env.mock.requests.length, small.requests);
  assert.ok(env.mock.requests.every((r) => r.query.limit === "7"));
});

test("syncInbox: a nested page cut short is followed on the thread's own messages edge, once per short thread", async () => {
  const graph = graphFetch({ capNested: 10 });
  const inbox = await env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30 });
  assertInbox(inbox.conversations, messenger, 30); // details for the 20 newest even when they came from a follow-up
  const short = shortThreads(messenger, 10, 30);
  assert.ok(short.length > 20, "the cap leaves many threads short");
  const followUps = followUpRequests();
  assert.deepEqual(followUps.map((r) => r.path.split("/").at(-2)).sort(), short.map((t) => t.id).sort(),
    "one follow-up for each short thread, none for the others");
  assert.ok(followUps.every((r) => typeof r.query.after === "string"), "follow-ups start after the nested page");
  assert.equal(inbox.requests, Math.ceil(messenger.length / PAGE_SIZE) + short.length);
  assert.equal(env.mock.requests.length, inbox.requests);
  assertNoDuplicates(allMessageIds(inbox), "message id");
});

// ---------------------------------------------------------------- updatedSince, concurrency, progress

test("syncInbox: updatedSince stops at the first older conversation, with fewer calls", async () => {
  const client = env.client();
  const seconds = (t) => Date.parse(t.updated_time.replace("+0000", "Z")) / 1000;
  const since = seconds(messenger[30]) + 1; // threads 0..29 are newer, 30 and later older
  const forms = [
    ["ISO string", new Date(since * 1000).toISOString()],
    ["Date", new Date(since * 1000)],
    ["unix seconds", since],
  ];
  for (const [label, updatedSince] of forms) {
    env.mock.reset();
    const inbox = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", updatedSince });
    assertInbox(inbox.conversations, messenger.slice(0, 30), 20);
    assert.equal(inbox.complete, true, label);
    assert.equal(inbox.requests, 2, `${label}: the third page is never asked for`);
    assert.equal(env.mock.requests.length, 2, label);
  }
  env.mock.reset();
  const same = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", updatedSince: seconds(messenger[29]) });
  assert.equal(same.conversations.length, 30, "a conversation updated exactly at updatedSince is not older");
});

test("syncInbox: concurrency bounds the requests in flight", async () => {
  for (const concurrency of [1, 3]) {
    env.mock.reset();
    const graph = graphFetch({ capNested: 2, delayMs: 15 });
    const inbox = await env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", concurrency });
    assertInbox(inbox.conversations, messenger, 20);
    assert.ok(graph.maxInFlight <= concurrency, `concurrency ${concurrency}: ${graph.maxInFlight} requests were in flight at once`);
    if (concurrency > 1) assert.ok(graph.maxInFlight > 1, `concurrency ${concurrency}: follow-ups went one at a time`);
    assert.equal(inbox.requests, Math.ceil(messenger.length / PAGE_SIZE) + shortThreads(messenger, 2, 20).length);
  }
});

test("syncInbox: onProgress after each request, with growing counts that end at the result's", async () => {
  const events = [];
  const graph = graphFetch({ capNested: 10 });
  const inbox = await env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, {
    platform: "messenger",
    messagesPerConversation: 30,
    onProgress: (p) => events.push({ ...p }),
  });
  assert.equal(events.length, inbox.requests, "one report per request");
  assert.equal(events.length, env.mock.requests.length);
  assert.deepEqual(events.map((e) => e.requests), events.map((_, i) => i + 1));
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].conversations >= events[i - 1].conversations, `conversations grow (report ${i + 1})`);
    assert.ok(events[i].messages >= events[i - 1].messages, `messages grow (report ${i + 1})`);
  }
  assert.ok(events[0].conversations > 0 && events[0].messages > 0, "the first page is reported at once");
  assert.deepEqual(events.at(-1), {
    conversations: messenger.length,
    messages: messageCount(messenger, 30),
    requests: inbox.requests,
  });
});

// ---------------------------------------------------------------- interrupted syncs

/**
 * A sync that aborts itself once `requests` calls were answered, through a
 * `graphFetch(fetchOptions)`; resolves to its GraphError and that fetch.
 */
async function syncAbortedAfter(requests, options, fetchOptions = {}) {
  const graph = graphFetch(fetchOptions);
  const controller = new AbortController();
  const err = await rejectsWithGraphError(
    env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => { if (p.requests === requests) controller.abort(); },
    }),
    { kind: "aborted" },
  );
  return { err, graph };
}

test("syncInbox: aborted after the 2nd call rejects with the partial inbox and a cursor; the resume fetches only the rest", async () => {
  const options = { pageSize: PAGE_SIZE, platform: "messenger", concurrency: 1 };
  const full = graphFetch();
  await env.client({ fetch: full.fetch }).syncInbox(PAGE_ID, options);

  env.mock.reset();
  const { err, graph: first } = await syncAbortedAfter(2, options);
  assert.equal(typeof err.cursor, "string");
  assert.ok(err.cursor.length > 0);
  assert.equal(err.inbox.complete, false);
  assert.equal(err.inbox.cursor, err.cursor);
  assertInbox(err.inbox.conversations, messenger.slice(0, 2 * PAGE_SIZE), 20);
  assert.equal(first.answered.length, 2);

  env.mock.reset();
  const second = graphFetch();
  const resumed = await env.client({ fetch: second.fetch }).syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, ...options, cursor: err.cursor });
  assert.equal(resumed.complete, true);
  assertInbox(resumed.conversations, messenger.slice(2 * PAGE_SIZE), 20);
  assert.equal(resumed.requests, 1);
  assertInbox(mergeById(err.inbox, resumed), messenger, 20);
  assertNoDuplicates(allMessageIds(err.inbox, resumed), "message id");
  assertNoDuplicates([...first.answered, ...second.answered], "request");
  assert.equal(first.answered.length + second.answered.length, full.answered.length, "nothing fetched twice");
});

test("syncInbox: aborted while threads are cut short; the resume fetches the rest of their messages under the same ids", async () => {
  const options = { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30, concurrency: 1 };
  const full = graphFetch({ capNested: 10 });
  await env.client({ fetch: full.fetch }).syncInbox(PAGE_ID, options);

  env.mock.reset();
  const { err, graph: first } = await syncAbortedAfter(2, options, { capNested: 10 });
  assert.equal(err.inbox.complete, false);
  assert.equal(typeof err.cursor, "string");
  assert.equal(first.answered.length, 2, "two requests were answered before the abort");

  env.mock.reset();
  const second = graphFetch({ capNested: 10 });
  const resumed = await env.client({ fetch: second.fetch }).syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, ...options, cursor: err.cursor });
  assert.equal(resumed.complete, true);
  assertInbox(mergeById(err.inbox, resumed), messenger, 30);
  assertNoDuplicates(allMessageIds(err.inbox, resumed), "message id");
  assertNoDuplicates([...first.answered, ...second.answered], "request");
  assert.equal(first.answered.length + second.answered.length, full.answered.length, "nothing fetched twice");
});

test("syncInbox: aborted with several requests in flight, the resume still completes without a duplicate", async () => {
  const options = { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30, concurrency: 4 };
  const { err } = await syncAbortedAfter(6, options, { capNested: 10, delayMs: 5 });
  const resumed = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, ...options, cursor: err.cursor });
  assertInbox(mergeById(err.inbox, resumed), messenger, 30);
  assertNoDuplicates(allMessageIds(err.inbox, resumed), "message id");
});

test("syncInbox: a persistent error rejects with its kind, the partial inbox and a cursor to resume from", async () => {
  let conversationPages = 0;
  const failing = graphFetch({
    failWith: (u) => {
      if (!u.pathname.endsWith("/conversations") || ++conversationPages !== 2) return null;
      return { status: 403, body: { error: { message: "(#200) Requires pages_messaging permission to manage the object", type: "OAuthException", code: 200, fbtrace_id: "AbCdEfGhIjKlMnOpQrStUvW" } } };
    },
  });
  const err = await rejectsWithGraphError(
    env.client({ fetch: failing.fetch }).syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger" }),
    { kind: "graph", code: 200 },
  );
  assert.equal(err.attempts, 1, "a permission error is not retried");
  assert.equal(typeof err.cursor, "string");
  assertInbox(err.inbox.conversations, messenger.slice(0, PAGE_SIZE), 20);
  assert.equal(err.inbox.complete, false);

  env.mock.reset();
  const resumed = await env.client().syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", cursor: err.cursor });
  assertInbox(resumed.conversations, messenger.slice(PAGE_SIZE), 20);
  assert.equal(resumed.requests, Math.ceil(messenger.length / PAGE_SIZE) - 1);
});

test("syncInbox: a persistent error cancels the requests still in flight; they stay in the cursor", async () => {
  let followUps = 0;
  const graph = graphFetch({
    capNested: 10,
    delayMs: 40,
    failWith: (u) => (/\/messages$/.test(u.pathname) && ++followUps === 3
      ? { status: 400, body: { error: { message: "(#100) Invalid parameter", type: "OAuthException", code: 100 } } }
      : null),
  });
  const options = { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30, concurrency: 4 };
  const err = await rejectsWithGraphError(env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, options), { kind: "graph", code: 100 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(graph.inFlight, 0, "no request of the sync is left running");
  assert.ok(graph.maxInFlight > 1, "several were in flight");
  const resumed = await env.client().syncInbox(PAGE_ID, { ...options, cursor: err.cursor });
  assertInbox(mergeById(err.inbox, resumed), messenger, 30);
  assertNoDuplicates(allMessageIds(err.inbox, resumed), "message id");
});

test("syncInbox: maxRequests stops cleanly with complete:false and a cursor; the resume completes", async () => {
  const client = env.client();
  const part = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", maxRequests: 1 });
  assert.equal(part.complete, false);
  assert.equal(typeof part.cursor, "string");
  assert.equal(part.requests, 1);
  assert.equal(env.mock.requests.length, 1);
  assertInbox(part.conversations, messenger.slice(0, PAGE_SIZE), 20);

  env.mock.reset();
  const rest = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", cursor: part.cursor });
  assert.equal(rest.complete, true);
  assert.equal(rest.requests, Math.ceil(messenger.length / PAGE_SIZE) - 1);
  assertInbox(mergeById(part, rest), messenger, 20);
  assertNoDuplicates(allMessageIds(part, rest), "message id");
});

test("syncInbox: in slices of at most 4 requests (a free-plan Worker), with short threads, the same inbox and no request twice", async () => {
  const options = { pageSize: PAGE_SIZE, platform: "messenger", messagesPerConversation: 30 };
  const full = graphFetch({ capNested: 10 });
  await env.client({ fetch: full.fetch }).syncInbox(PAGE_ID, options);

  const results = [];
  const answered = [];
  let cursor;
  for (let slice = 0; slice < 40; slice++) {
    env.mock.reset();
    const graph = graphFetch({ capNested: 10 });
    const result = await env.client({ fetch: graph.fetch }).syncInbox(PAGE_ID, { ...options, maxRequests: 4, ...(cursor ? { cursor } : {}) });
    assert.ok(env.mock.requests.length <= 4, `slice ${slice}: ${env.mock.requests.length} requests`);
    assert.ok(env.mock.requests.length >= 1, `slice ${slice} made progress`);
    assert.equal(result.requests, env.mock.requests.length);
    results.push(result);
    answered.push(...graph.answered);
    if (result.complete) break;
    assert.equal(typeof result.cursor, "string", `slice ${slice}: complete:false comes with a cursor`);
    cursor = result.cursor;
  }
  assert.equal(results.at(-1).complete, true, "the slices end");
  assertInbox(mergeById(...results), messenger, 30);
  assertNoDuplicates(allMessageIds(...results), "message id");
  assertNoDuplicates(answered, "request");
  assert.equal(answered.length, full.answered.length, "the slices together cost what one sync costs");
});

// ---------------------------------------------------------------- refused before any request

test("syncInbox: a cursor from another page id or platform, or not a cursor at all, is refused", async () => {
  const client = env.client();
  const { cursor } = await client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", maxRequests: 1 });
  assert.equal(typeof cursor, "string");
  env.mock.reset();
  await rejectsWithGraphError(client.syncInbox(IG_ACCOUNT_ID, { pageSize: PAGE_SIZE, platform: "messenger", cursor }), { kind: "invalid_argument" });
  await rejectsWithGraphError(client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "instagram", cursor }), { kind: "invalid_argument" });
  await rejectsWithGraphError(client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", cursor: "not-a-sync-cursor" }), { kind: "invalid_argument" });
  assert.equal(env.mock.requests.length, 0, "nothing was sent");
});

test("syncInbox: bad options reject with invalid_argument and send nothing", async () => {
  const client = env.client();
  const bad = [
    { messagesPerConversation: 0 },
    { messagesPerConversation: 100_001 },
    { messagesPerConversation: "most" },
    { fields: ["messages"] },
    { messagesPerConversation: 2.5 },
    { concurrency: 0 },
    { concurrency: 17 },
    { pageSize: 0 },
    { pageSize: 101 },
    { platform: "whatsapp" },
    { folder: "archive" },
    { updatedSince: "last tuesday" },
    { messagesPerConvo: 5 }, // an unknown option: a typo must not be ignored
  ];
  for (const options of bad) {
    const err = await rejectsWithGraphError(client.syncInbox(PAGE_ID, { pageSize: PAGE_SIZE, platform: "messenger", ...options }), { kind: "invalid_argument" });
    assert.ok(err.message.length > 0, JSON.stringify(options));
  }
  await rejectsWithGraphError(client.syncInbox("", { pageSize: PAGE_SIZE, platform: "messenger" }), { kind: "invalid_argument" });
  await rejectsWithGraphError(client.syncInbox("1046/20945", { pageSize: PAGE_SIZE, platform: "messenger" }), { kind: "invalid_argument" });
  assert.equal(env.mock.requests.length, 0, "nothing was sent");
});

test("syncInbox by default asks for 100 conversations per call: the floor of calls", async () => {
  const inbox = await env.client().syncInbox(PAGE_ID, { platform: "messenger" });
  assert.equal(inbox.requests, Math.ceil(messenger.length / 100));
  assert.ok(env.mock.requests.every((r) => r.query.limit === "100"), "every page asked with limit=100");
  assertInbox(inbox.conversations, messenger, 20);
});

const pageLimits = () => env.mock.requests.filter((r) => /\/conversations$/.test(r.path)).map((r) => Number(r.query.limit));

test("syncInbox on a Graph that says \"reduce the amount of data\" over 25 conversations: halves, grows back, and the client remembers", async () => {
  env.mock.fault({ kind: "too-much-data", maxLimit: 25, times: Infinity });
  const client = env.client();
  const inbox = await client.syncInbox(PAGE_ID, { platform: "messenger" });
  // 100 and 50 refused, two good pages of 25, 50 tried again after them
  // and refused, the last 10 threads at 25.
  assert.deepEqual(pageLimits(), [100, 50, 25, 25, 50, 25]);
  assert.equal(inbox.complete, true);
  assert.equal(inbox.requests, 6);
  assertInbox(inbox.conversations, messenger, 20);
  assert.ok(env.mock.requests.every((r) => r.status === 200 || r.code === 1), "nothing failed but the pages refused for their size");

  // The same client's next sync of this Page starts at the size that worked.
  const before = env.mock.requests.length;
  const again = await client.syncInbox(PAGE_ID, { platform: "messenger" });
  assert.deepEqual(pageLimits().slice(before), [25, 25, 50, 25]);
  assertInbox(again.conversations, messenger, 20);

  // A new client knows nothing yet: it starts at 100 again.
  const fresh = env.client();
  const count = env.mock.requests.length;
  await fresh.syncInbox(PAGE_ID, { platform: "messenger", maxRequests: 1 });
  assert.deepEqual(pageLimits().slice(count), [100]);
});

test("syncInbox halves a page of 100 at once on a 5xx or a timeout, instead of retrying it as it was", async () => {
  for (const [name, fault, options] of [
    ["a 500", { kind: "http-500", match: "/conversations" }, {}],
    ["a timeout", { kind: "slow", ms: 2_000, match: "/conversations" }, { timeoutMs: 300 }],
  ]) {
    env.mock.reset();
    env.mock.fault(fault);
    const inbox = await env.client(options).syncInbox(PAGE_ID, { platform: "messenger" });
    assert.deepEqual(pageLimits(), [100, 50, 50], `${name}: then the 60 threads in pages of 50`);
    assertInbox(inbox.conversations, messenger, 20);
  }
});

test("syncInbox with its own pageSize: halved only when the Graph asks for less, never grown past it", async () => {
  env.mock.fault({ kind: "too-much-data", maxLimit: 20, times: Infinity });
  const inbox = await env.client().syncInbox(PAGE_ID, { platform: "messenger", pageSize: 40 });
  // 40 refused, then 20 for the rest: a pageSize given does not grow back.
  assert.deepEqual(pageLimits(), [40, 20, 20, 20]);
  assertInbox(inbox.conversations, messenger, 20);
});

test("syncInbox on a Graph that refuses even one conversation: the sync stops with that error, its inbox and a cursor", async () => {
  env.mock.fault({ kind: "too-much-data", maxLimit: 0, times: Infinity });
  const error = await rejectsWithGraphError(env.client().syncInbox(PAGE_ID, { platform: "messenger" }), { kind: "graph", code: 1, transient: false });
  // Halved down to 1, each size asked once; then the error is the sync's.
  assert.deepEqual(pageLimits(), [100, 50, 25, 12, 6, 3, 1]);
  assert.equal(typeof error.cursor, "string");
  assert.deepEqual(error.inbox.conversations, []);
});
