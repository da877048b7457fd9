// Faults: for each fault the mock can switch on, the client either
// retries and succeeds, or rejects with the right kind — never a hang, never
// a panic, never an unbounded loop. Retries use `retryDelayMs: 1` so that
// backoff costs nothing here; tests/node/retries.test.mjs covers the waits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ODD_MESSAGE_ID, PAGE_ID, threads } from "../../mock/server.mjs";
import { GraphError, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const MAX_RETRIES = 2;
/** A client that retries transient failures twice with (almost) no wait. */
const client = (extra = {}) => env.client({ maxRetries: MAX_RETRIES, retryDelayMs: 1, ...extra });
const messenger = threads("messenger");
const thread = messenger[3]; // 45 messages
const BOUND = { timeout: 20_000 }; // a hang fails the test instead of the run

const statuses = () => env.mock.requests.map((r) => r.status);

/** Asserts that a call whose every answer is faulty was tried 1 + maxRetries times. */
function assertGaveUp(err, attempts = MAX_RETRIES + 1) {
  assert.equal(err.attempts, attempts, `err.attempts (${err.message})`);
  assert.equal(env.mock.requests.length, attempts, "HTTP requests the mock saw");
  assert.equal(err.transient, true);
}

// ---------------------------------------------------------------- HTTP 500

test("500 once → retried and succeeded (the mock saw 2 requests)", BOUND, async () => {
  env.mock.fault({ kind: "http-500" });
  const message = await client().getMessage(ODD_MESSAGE_ID);
  assert.equal(message.id, ODD_MESSAGE_ID);
  assert.deepEqual(statuses(), [500, 200]);
});

test("500 always → kind http, status 500, after maxRetries + 1 attempts", BOUND, async () => {
  env.mock.fault({ kind: "http-500", times: Infinity });
  const err = await rejectsWithGraphError(client().getMessage(ODD_MESSAGE_ID), { kind: "http", status: 500, code: undefined });
  assertGaveUp(err);
  assert.deepEqual(statuses(), [500, 500, 500]);
});

test("a Graph 500 (code 1, is_transient true) always → kind graph, status 500, attempts counted", BOUND, async () => {
  env.mock.fault({ kind: "code-1", times: Infinity });
  const err = await rejectsWithGraphError(client().getConversation(thread.id), { kind: "graph", status: 500, code: 1 });
  assertGaveUp(err);
});

// ---------------------------------------------------------------- a proxy's 502 page

test("HTML 502 from a proxy once → retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "html-502", match: "/conversations" });
  const page = await client().listConversations(PAGE_ID, { limit: 5 });
  assert.equal(page.data.length, 5);
  assert.deepEqual(statuses(), [502, 200]);
});

test("HTML 502 always → kind http, status 502; the message quotes a readable snippet, not the page", BOUND, async () => {
  env.mock.fault({ kind: "html-502", times: Infinity });
  const err = await rejectsWithGraphError(client().listMessages(thread.id), { kind: "http", status: 502 });
  assertGaveUp(err);
  assert.match(err.message, /502 Bad Gateway/);
  assert.doesNotMatch(err.message, /<[a-z!/]/i, "no tags");
  assert.doesNotMatch(err.message, /font-family|\{ *[a-z-]+:/i, "no style sheet: what a person can read of the page");
  assert.doesNotMatch(err.message, /Diagnostic line 60/, "not the whole page");
  assert.ok(err.message.length <= 400, `a ${err.message.length}-character message for a 9 KB page: ${err.message}`);
});

// ---------------------------------------------------------------- a body cut short

test("a truncated JSON body once → retried (a transient decode failure) and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "truncated-json" });
  const page = await client().listConversations(PAGE_ID, { limit: 7 });
  assert.deepEqual(page.data.map((c) => c.id), messenger.slice(0, 7).map((c) => c.id));
  assert.deepEqual(statuses(), [200, 200]);
  assert.equal(env.mock.requests[0].fault, "truncated-json");
});

test("a truncated JSON body always → kind decode, status 200, transient, attempts counted", BOUND, async () => {
  env.mock.fault({ kind: "truncated-json", times: Infinity });
  const err = await rejectsWithGraphError(client().getConversation(thread.id), { kind: "decode", status: 200 });
  assertGaveUp(err);
});

test("a transfer cut off half way (Content-Length not reached) once → retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "truncated-json", mode: "transfer" });
  const page = await client().listMessages(thread.id, { limit: 10 });
  assert.deepEqual(page.data.map((m) => m.id), thread.messages.slice(0, 10).map((m) => m.id));
  assert.equal(env.mock.requests.length, 2);
});

test("a transfer cut off half way always → a transient error (network or decode) after every attempt", BOUND, async () => {
  env.mock.fault({ kind: "truncated-json", mode: "transfer", times: Infinity });
  const err = await rejectsWithGraphError(client().listMessages(thread.id));
  assert.ok(["network", "decode"].includes(err.kind), `kind ${err.kind}: ${err.message}`);
  assertGaveUp(err);
});

// ---------------------------------------------------------------- connection reset

test("a connection reset once → retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "reset" });
  const conversation = await client().getConversation(thread.id);
  assert.equal(conversation.id, thread.id);
  assert.deepEqual(env.mock.requests.map((r) => r.dropped ?? false), [true, false]);
});

test("a connection reset always → kind network, no status, attempts counted", BOUND, async () => {
  env.mock.fault({ kind: "reset", times: Infinity });
  const err = await rejectsWithGraphError(client().getMessage(ODD_MESSAGE_ID), { kind: "network", status: undefined });
  assertGaveUp(err);
});

// ---------------------------------------------------------------- slower than timeoutMs

test("an answer slower than timeoutMs once → timed out, retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "slow", ms: 5_000 });
  const message = await client({ timeoutMs: 200 }).getMessage(ODD_MESSAGE_ID);
  assert.equal(message.id, ODD_MESSAGE_ID);
  assert.deepEqual(statuses(), [null, 200], "the first request was abandoned, the second answered");
});

test("answers always slower than timeoutMs → kind timeout after maxRetries + 1 attempts; total time bounded by the test timeout", BOUND, async () => {
  env.mock.fault({ kind: "slow", ms: 30_000, times: Infinity });
  const err = await rejectsWithGraphError(client({ timeoutMs: 150 }).getMessage(ODD_MESSAGE_ID), { kind: "timeout", status: undefined });
  assertGaveUp(err);
  assert.deepEqual(statuses(), [null, null, null]);
});

// ---------------------------------------------------------------- rate limits

test("613 with usage headers asking for 3 minutes → retryAfterMs 180000, rejected at once (longer than maxRetryDelayMs)", BOUND, async () => {
  env.mock.fault({ kind: "rate-limit-613", regainMinutes: 3, times: Infinity });
  const err = await rejectsWithGraphError(client().listConversations(PAGE_ID), {
    kind: "graph", code: 613, status: 400, transient: true, retryAfterMs: 180_000, attempts: 1,
  });
  assert.equal(env.mock.requests.length, 1, "not retried: the wait is longer than the longest allowed");
  assert.equal(err.code, 613);
});

test("613 with Retry-After: 1 → waits at least 1 s, then succeeds", BOUND, async () => {
  env.mock.fault({ kind: "rate-limit-613", regainMinutes: 0, retryAfter: 1 });
  const message = await client({ maxRetryDelayMs: 10_000 }).getMessage(ODD_MESSAGE_ID);
  assert.equal(message.id, ODD_MESSAGE_ID);
  const [first, second] = env.mock.requests;
  assert.deepEqual([first.code, second.status], [613, 200]);
  // Lower bound from the mock's own arrival times; 2 ms of timer rounding.
  assert.ok(second.at - first.at >= 1000 - 2, `the retry came ${Math.round(second.at - first.at)} ms after the 613`);
});

test("80006 with no wait asked → retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "80006", regainMinutes: 0 });
  const conversation = await client().getConversation(thread.id);
  assert.equal(conversation.id, thread.id);
  assert.deepEqual(env.mock.requests.map((r) => r.code), [80006, undefined]);
});

test("80006 asking for 1 minute with maxRetryDelayMs 10 s → rejected at once with retryAfterMs 60000", BOUND, async () => {
  env.mock.fault({ kind: "80006", times: Infinity });
  await rejectsWithGraphError(client({ maxRetryDelayMs: 10_000 }).getConversation(thread.id), {
    kind: "graph", code: 80006, transient: true, retryAfterMs: 60_000, attempts: 1,
  });
  assert.equal(env.mock.requests.length, 1);
});

// ---------------------------------------------------------------- Graph errors

test("code 2 once → retried and succeeded", BOUND, async () => {
  env.mock.fault({ kind: "code-2" });
  assert.equal((await client().getMessage(ODD_MESSAGE_ID)).id, ODD_MESSAGE_ID);
  assert.deepEqual(statuses(), [503, 200]);
});

test("code 1 with is_transient false (\"reduce the amount of data\") → not retried", BOUND, async () => {
  env.mock.fault({ kind: "code-1", isTransient: false, times: Infinity });
  await rejectsWithGraphError(client().listConversations(PAGE_ID), { kind: "graph", code: 1, transient: false, attempts: 1 });
  assert.equal(env.mock.requests.length, 1);
});

for (const [code, status] of [[190, 400], [100, 400], [200, 403]]) {
  test(`code ${code} → not retried (attempts 1)`, BOUND, async () => {
    env.mock.fault({ kind: "graph-error", code, status, times: Infinity });
    await rejectsWithGraphError(client().getMessage(ODD_MESSAGE_ID), { kind: "graph", code, status, transient: false, attempts: 1 });
    assert.equal(env.mock.requests.length, 1);
  });
}

// ---------------------------------------------------------------- paging

test("a paging cursor that repeats forever: conversations() stops with kind decode, no loop, no item twice", BOUND, async () => {
  env.mock.fault({ kind: "repeat-cursor", times: Infinity });
  const iterator = client().conversations(PAGE_ID, { limit: 5 });
  const ids = [];
  let error;
  // Bounded: 8 pages' worth of items is far more than a correct client yields.
  for (let i = 0; i < 40 && !error; i++) {
    try {
      const { value, done } = await iterator.next();
      if (done) break;
      ids.push(value.id);
    } catch (err) {
      error = err;
    }
  }
  assert.ok(error, `the iterator did not stop: ${ids.length} items from ${env.mock.requests.length} requests`);
  assert.ok(error instanceof GraphError, String(error));
  assert.equal(error.kind, "decode", error.message);
  assert.ok(env.mock.requests.length <= 3, `${env.mock.requests.length} requests`);
  assert.equal(new Set(ids).size, ids.length, "no conversation yielded twice");
  assert.deepEqual(ids.slice(0, 5), messenger.slice(0, 5).map((c) => c.id), "the first page was yielded");
});

test("a 20 MB page of conversations → listConversations resolves with every item; the client keeps working", { timeout: 60_000 }, async () => {
  env.mock.fault({ kind: "huge-page" });
  const c = client();
  const page = await c.listConversations(PAGE_ID, { fields: "id,updated_time,participants,snippet,messages.limit(25){id,created_time,from,to,message}" });
  assert.equal(page.data.length, 200);
  assert.equal(new Set(page.data.map((t) => t.id)).size, 200);
  for (const conversation of page.data) assert.equal(conversation.messages.data.length, 25);
  const size = page.data.reduce((n, t) => n + t.messages.data.reduce((m, x) => m + x.message.length, 0), 0);
  assert.ok(size > 15_000_000, `${size} characters of message text`);
  assert.match(page.data[0].messages.data[0].message, /☕🥐/, "escaped emoji decoded");
  assert.equal(page.paging?.next, undefined);
  assert.equal((await c.getMessage(ODD_MESSAGE_ID)).id, ODD_MESSAGE_ID, "the wasm instance is alive");
});
