// Retries: what is retried (transient failures only), how often
// (maxRetries), how long the client waits (at least what the answer asks,
// never longer than maxRetryDelayMs), what the last error says, and how an
// iterator that meets a persistent error lets the caller go on without
// fetching anything twice. Faults come from the mock (mock/faults.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, PAGE_ID, threads } from "../../mock/server.mjs";
import { GraphError, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const client = (extra = {}) => env.client({ maxRetries: 2, retryDelayMs: 1, ...extra });
const messenger = threads("messenger");
const thread = messenger[3]; // 45 messages
const BOUND = { timeout: 20_000 };

// ---------------------------------------------------------------- what is retried

// [label, fault spec, expected error fields]; each answered every time.
const TRANSIENT = [
  ["Graph code 1 (HTTP 500)", { kind: "code-1" }, { kind: "graph", code: 1, status: 500 }],
  ["Graph code 2 (HTTP 503)", { kind: "code-2" }, { kind: "graph", code: 2, status: 503 }],
  ...[4, 17, 32, 613, 80000, 80001, 80002, 80006, 80014].map((code) => [
    `Graph code ${code} (rate limit, no wait asked)`, { kind: "graph-error", code, regainMinutes: 0 }, { kind: "graph", code, status: 400 },
  ]),
  ["Graph code 1 without is_transient", { kind: "graph-error", code: 1, status: 500 }, { kind: "graph", code: 1 }],
  ...[500, 502, 503, 504].map((status) => [`HTTP ${status}, not JSON`, { kind: "http", status }, { kind: "http", status }]),
  ["HTTP 429, not JSON", { kind: "http", status: 429, body: "Too Many Requests" }, { kind: "http", status: 429 }],
  ["a reset connection", { kind: "reset" }, { kind: "network" }],
  ["no answer within timeoutMs", { kind: "slow", ms: 30_000 }, { kind: "timeout" }],
  ["a 200 body that is not JSON (cut short)", { kind: "truncated-json" }, { kind: "decode", status: 200 }],
];

const NOT_TRANSIENT = [
  ...[[100, 400], [190, 400], [200, 403], [230, 403], [368, 400], [2500, 400], [9000001, 400], [10, 400], [803, 400]].map(([code, status]) => [
    `Graph code ${code}`, { kind: "graph-error", code, status }, { kind: "graph", code, status },
  ]),
  ["Graph code 1 with is_transient false", { kind: "code-1", isTransient: false }, { kind: "graph", code: 1 }],
  ["Graph code 2 with is_transient false", { kind: "code-2", isTransient: false }, { kind: "graph", code: 2 }],
  ["Graph code 613 with is_transient false", { kind: "graph-error", code: 613, isTransient: false }, { kind: "graph", code: 613 }],
  ...[400, 401, 403, 404].map((status) => [`HTTP ${status}, not JSON`, { kind: "http", status }, { kind: "http", status }]),
  ["a well-formed 200 body of the wrong shape", { kind: "http", status: 200, contentType: "application/json; charset=UTF-8", body: '{"data":5}' }, { kind: "decode", status: 200 }],
];

for (const [label, fault, expected] of TRANSIENT) {
  test(`retried: ${label} → ${expected.kind}, transient, attempts = maxRetries + 1`, BOUND, async () => {
    env.mock.fault({ ...fault, times: Infinity });
    // A short timeout only where the fault is no answer: elsewhere a slow
    // moment of a loaded machine would end an attempt before it reached the mock.
    const timeoutMs = fault.kind === "slow" ? 150 : 10_000;
    await rejectsWithGraphError(client({ timeoutMs }).getMessage(ODD_MESSAGE_ID), { ...expected, transient: true, attempts: 3 });
    assert.equal(env.mock.requests.length, 3);
  });
}

for (const [label, fault, expected] of NOT_TRANSIENT) {
  test(`not retried: ${label} → ${expected.kind}, not transient, attempts 1`, BOUND, async () => {
    env.mock.fault({ ...fault, times: Infinity });
    await rejectsWithGraphError(client().getMessage(ODD_MESSAGE_ID), { ...expected, transient: false, attempts: 1 });
    assert.equal(env.mock.requests.length, 1);
  });
}

test("not retried: an abort; invalid arguments send nothing and carry no attempts", BOUND, async () => {
  env.mock.fault({ kind: "slow", ms: 30_000, times: Infinity });
  const controller = new AbortController();
  const pending = client().getMessage(ODD_MESSAGE_ID, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await rejectsWithGraphError(pending, { kind: "aborted", transient: false });
  assert.equal(env.mock.requests.length, 1);
  const bad = await rejectsWithGraphError(client().getMessage("has space"), { kind: "invalid_argument", attempts: undefined });
  assert.equal("attempts" in bad, false);
  assert.equal(env.mock.requests.length, 1);
});

test("the message of a failure nobody retried does not talk of attempts", BOUND, async () => {
  const err = await rejectsWithGraphError(client().getMessage(OLD_ODD_MESSAGE_ID), { code: 9000001, attempts: 1 });
  assert.doesNotMatch(err.message, /attempt/);
});

// ---------------------------------------------------------------- how often

test("after the last attempt, the error says how many attempts were made", BOUND, async () => {
  env.mock.fault({ kind: "code-2", times: Infinity });
  const err = await rejectsWithGraphError(client({ maxRetries: 3 }).getMessage(ODD_MESSAGE_ID), { code: 2, attempts: 4 });
  assert.match(err.message, /\b4 attempts\b/, err.message);
  assert.match(String(err), /\b4 attempts\b/);
});

test("maxRetries defaults to 3; maxRetries 0 sends once", BOUND, async () => {
  env.mock.fault({ kind: "http-500", times: Infinity });
  await rejectsWithGraphError(env.client({ retryDelayMs: 1 }).getMessage(ODD_MESSAGE_ID), { status: 500, attempts: 4 });
  assert.equal(env.mock.requests.length, 4);
  env.mock.reset();
  env.mock.fault({ kind: "http-500", times: Infinity });
  await rejectsWithGraphError(client({ maxRetries: 0 }).getMessage(ODD_MESSAGE_ID), { status: 500, attempts: 1 });
  assert.equal(env.mock.requests.length, 1);
});

test("a failure that clears before the last attempt resolves with the real answer", BOUND, async () => {
  env.mock.fault({ kind: "code-1", times: 2 });
  const message = await client({ maxRetries: 2 }).getMessage(ODD_MESSAGE_ID);
  assert.equal(message.id, ODD_MESSAGE_ID);
  assert.deepEqual(env.mock.requests.map((r) => r.status), [500, 500, 200]);
});

test("every method retries: list, get, find, batch", BOUND, async () => {
  const c = client();
  const userId = thread.participants.data[0].id;
  const calls = [
    () => c.listConversations(PAGE_ID, { limit: 3 }).then((p) => p.data.length),
    () => c.findConversation(PAGE_ID, userId).then((t) => t.id),
    () => c.getConversation(thread.id).then((t) => t.id),
    () => c.listMessages(thread.id, { limit: 4 }).then((p) => p.data.length),
    () => c.getMessage(ODD_MESSAGE_ID).then((m) => m.id),
    () => c.getMessages([ODD_MESSAGE_ID, thread.messages[0].id]).then((list) => list.map((m) => m.id).join()),
  ];
  const expected = [3, thread.id, thread.id, 4, ODD_MESSAGE_ID, `${ODD_MESSAGE_ID},${thread.messages[0].id}`];
  for (const [i, call] of calls.entries()) {
    env.mock.reset();
    env.mock.fault({ kind: "http-500" });
    assert.deepEqual(await call(), expected[i], `call ${i}`);
    assert.deepEqual(env.mock.requests.map((r) => r.status), [500, 200], `call ${i}`);
  }
});

// ---------------------------------------------------------------- how long

test("Retry-After is a lower bound on the wait: 2 retries after 1 s each", BOUND, async () => {
  env.mock.fault({ kind: "rate-limit-613", regainMinutes: 0, retryAfter: 1, times: 2 });
  const message = await client({ maxRetryDelayMs: 10_000 }).getMessage(ODD_MESSAGE_ID);
  assert.equal(message.id, ODD_MESSAGE_ID);
  const at = env.mock.requests.map((r) => r.at);
  assert.equal(at.length, 3);
  for (let i = 1; i < at.length; i++) {
    // The mock's own arrival times; 2 ms of timer rounding.
    assert.ok(at[i] - at[i - 1] >= 1000 - 2, `retry ${i} came ${Math.round(at[i] - at[i - 1])} ms after the 613`);
  }
});

test("a wait longer than maxRetryDelayMs is not made: rejected at once with retryAfterMs", BOUND, async () => {
  env.mock.fault({ kind: "rate-limit-613", regainMinutes: 0, retryAfter: 5, times: Infinity });
  await rejectsWithGraphError(client({ maxRetryDelayMs: 2_000 }).getMessage(ODD_MESSAGE_ID), {
    code: 613, transient: true, retryAfterMs: 5_000, attempts: 1,
  });
  assert.equal(env.mock.requests.length, 1);
  env.mock.reset();
  env.mock.fault({ kind: "graph-error", code: 4, regainMinutes: 2, times: Infinity });
  await rejectsWithGraphError(client().getMessage(ODD_MESSAGE_ID), { code: 4, retryAfterMs: 120_000, attempts: 1 });
  assert.equal(env.mock.requests.length, 1, "the default maxRetryDelayMs (30 s) is shorter than 2 minutes");
});

test("aborting while waiting to retry rejects with kind aborted and sends nothing more", BOUND, async () => {
  env.mock.fault({ kind: "rate-limit-613", regainMinutes: 0, retryAfter: 30, times: Infinity });
  const controller = new AbortController();
  const pending = client({ maxRetryDelayMs: 60_000 }).getMessage(ODD_MESSAGE_ID, { signal: controller.signal });
  const timer = setInterval(() => {
    if (env.mock.requests.length > 0) {
      clearInterval(timer);
      setTimeout(() => controller.abort(), 100);
    }
  }, 10);
  try {
    await rejectsWithGraphError(pending, { kind: "aborted" });
  } finally {
    clearInterval(timer);
  }
  assert.equal(env.mock.requests.length, 1);
});

// ---------------------------------------------------------------- iterators

/** Pulls at most `max` items; returns { items, error }. */
async function drain(iterator, max = 500) {
  const items = [];
  for (let i = 0; i < max; i++) {
    let step;
    try {
      step = await iterator.next();
    } catch (error) {
      return { items, error };
    }
    if (step.done) return { items, error: null };
    items.push(step.value);
  }
  assert.fail(`more than ${max} items`);
}

test("a transient failure mid-walk is retried inside the iterator: every conversation once", BOUND, async () => {
  env.mock.fault({ kind: "code-2", match: "/conversations", skip: 2, times: 2 });
  const { items, error } = await drain(client().conversations(PAGE_ID, { limit: 10 }));
  assert.equal(error, null);
  assert.deepEqual(items.map((c) => c.id), messenger.map((c) => c.id));
  assert.equal(env.mock.requests.length, 6 + 2);
});

test("conversations(): a persistent error after 2 pages rejects with err.cursor; after: err.cursor goes on without refetching", BOUND, async () => {
  env.mock.fault({ kind: "code-2", match: "/conversations", skip: 2, times: Infinity });
  const first = await drain(client().conversations(PAGE_ID, { limit: 10 }));
  assert.deepEqual(first.items.map((c) => c.id), messenger.slice(0, 20).map((c) => c.id));
  assert.ok(first.error instanceof GraphError, String(first.error));
  assert.deepEqual([first.error.kind, first.error.code, first.error.attempts], ["graph", 2, 3]);
  assert.equal(typeof first.error.cursor, "string", "err.cursor says where to go on");
  assert.equal(env.mock.requests.length, 2 + 3);
  assert.equal(env.mock.requests.at(-1).query.after, first.error.cursor, "the cursor of the page that failed");

  env.mock.reset();
  const rest = await drain(client().conversations(PAGE_ID, { limit: 10, after: first.error.cursor }));
  assert.equal(rest.error, null);
  const ids = [...first.items, ...rest.items].map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, "no conversation twice");
  assert.deepEqual(ids, messenger.map((c) => c.id), "and none missing");
  assert.equal(env.mock.requests.length, 4, "pages 3..6 only");
  assert.ok(env.mock.requests.every((r) => r.query.after), "page 1 was not fetched again");
});

test("messages(): a persistent error after a page rejects with err.cursor; after: err.cursor goes on without refetching", BOUND, async () => {
  env.mock.fault({ kind: "reset", match: "/messages", skip: 1, times: Infinity });
  const first = await drain(client().messages(thread.id, { limit: 15 }));
  assert.equal(first.items.length, 15);
  assert.deepEqual([first.error?.kind, first.error?.attempts], ["network", 3]);
  assert.equal(typeof first.error.cursor, "string");

  env.mock.reset();
  const rest = await drain(client().messages(thread.id, { limit: 15, after: first.error.cursor }));
  assert.equal(rest.error, null);
  const ids = [...first.items, ...rest.items].map((m) => m.id);
  assert.deepEqual(ids, thread.messages.map((m) => m.id), "every message once, in order");
  assert.equal(env.mock.requests.length, 2);
});

test("an error on the first page carries no cursor to skip it: starting again starts at the top", BOUND, async () => {
  env.mock.fault({ kind: "http-500", match: "/conversations", times: Infinity });
  const { items, error } = await drain(client().conversations(PAGE_ID, { limit: 10 }));
  assert.equal(items.length, 0);
  assert.equal(error?.status, 500);
  assert.equal(error.cursor, undefined);
});
