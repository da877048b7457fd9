// Every failure is a GraphError with the right kind, code, status and transient flag.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { test } from "node:test";
import { EXPIRED_TOKEN, ODD_MESSAGE_ID, PAGE_ID, TRIGGER_IDS, threads } from "../../mock/server.mjs";
import { GraphError, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
// No retries here: each test sees the one answer the trigger gives.
const client = () => env.client({ maxRetries: 0 });
const thread = threads("messenger")[3];

// What each trigger id must give. `subcode`, `retryAfterMs`, `userTitle`
// are compared even when undefined (absent in the answer => absent on the error).
const GRAPH = {
  "error-1": { status: 500, code: 1, subcode: 99, transient: true },
  "error-1-big": { status: 500, code: 1, subcode: undefined, transient: false },
  "error-1-big-user-msg": { status: 500, code: 1, subcode: 99, transient: false, userTitle: "Please reduce the amount of data" },
  "error-2": { status: 503, code: 2, subcode: undefined, transient: true },
  "error-4": { status: 400, code: 4, subcode: undefined, transient: true },
  "error-17": { status: 400, code: 17, subcode: 2446079, transient: true },
  "error-32": { status: 400, code: 32, subcode: undefined, transient: true },
  "error-100": { status: 400, code: 100, subcode: 33, transient: false, userTitle: "Invalid parameter" },
  "error-190": { status: 400, code: 190, subcode: 460, transient: false, userTitle: "Session expired" },
  "error-200": { status: 403, code: 200, subcode: undefined, transient: false },
  "error-230": { status: 403, code: 230, subcode: undefined, transient: false },
  "error-368": { status: 400, code: 368, subcode: undefined, transient: false },
  "error-613": { status: 400, code: 613, subcode: undefined, transient: true, retryAfterMs: 180000 },
  "error-2500": { status: 400, code: 2500, subcode: undefined, transient: false },
  "error-80001": { status: 400, code: 80001, subcode: undefined, transient: true, retryAfterMs: 120000 },
  "error-80002": { status: 400, code: 80002, subcode: undefined, transient: true, retryAfterMs: 120000 },
  "error-80006": { status: 400, code: 80006, subcode: undefined, transient: true, retryAfterMs: 60000 },
  "error-9000001": { status: 400, code: 9000001, subcode: undefined, transient: false },
};
const OTHER = {
  "http-502": { kind: "http", status: 502, transient: true },
  "http-404-text": { kind: "http", status: 404, transient: false },
  // A 200 whose body is not JSON was most likely cut off on the way: worth retrying.
  "bad-json": { kind: "decode", status: 200, transient: true },
  "not-graph-shape": { kind: "decode", status: 200, transient: false },
};

// One test per trigger id the mock knows; a new trigger without an expectation fails.
for (const id of TRIGGER_IDS) {
  if (GRAPH[id]) {
    const expected = GRAPH[id];
    test(`${id} → GraphError kind "graph", code ${expected.code}, status ${expected.status}, transient ${expected.transient}`, async () => {
      const err = await rejectsWithGraphError(client().getMessage(id), {
        kind: "graph", type: "OAuthException", retryAfterMs: undefined, ...expected,
      });
      assert.ok(err instanceof Error);
      assert.equal(err.name, "GraphError");
      assert.match(err.fbtraceId, /^[\w-]{10,}$/);
      assert.equal(env.mock.requests.length, 1);
    });
  } else if (OTHER[id]) {
    const expected = OTHER[id];
    test(`${id} → GraphError kind "${expected.kind}", status ${expected.status}, transient ${expected.transient}`, async () => {
      const err = await rejectsWithGraphError(client().getMessage(id), { code: undefined, ...expected });
      assert.ok(err.message.length > 0);
    });
  } else {
    test(`${id}: the mock has a trigger these tests do not know`, () => assert.fail(`add an expectation for ${id}`));
  }
}

test("the error's message carries the Graph's words and the user texts are kept", async () => {
  const err = await rejectsWithGraphError(client().getConversation("error-100"));
  assert.match(err.message, /\(#100\) Invalid parameter/);
  assert.equal(err.userMessage, "One of the parameters in this request is not valid for this conversation.");
  const big = await rejectsWithGraphError(client().getMessage("error-1-big"));
  assert.match(big.message, /reduce the amount of data/);
});

test("errors come the same way from every method", async () => {
  const c = client();
  await rejectsWithGraphError(c.listConversations("error-80006"), { kind: "graph", code: 80006, transient: true, retryAfterMs: 60000 });
  await rejectsWithGraphError(c.listConversations("error-80002", { platform: "instagram" }), { kind: "graph", code: 80002 });
  await rejectsWithGraphError(c.findConversation("error-200", "1234567890"), { kind: "graph", code: 200, status: 403 });
  await rejectsWithGraphError(c.getConversation("error-230"), { kind: "graph", code: 230, status: 403 });
  await rejectsWithGraphError(c.listMessages("error-4"), { kind: "graph", code: 4, transient: true });
  await rejectsWithGraphError(c.conversations("error-613").next(), { kind: "graph", code: 613, retryAfterMs: 180000 });
  await rejectsWithGraphError(c.messages("http-502").next(), { kind: "http", status: 502 });
  await rejectsWithGraphError(c.listConversations("not-graph-shape"), { kind: "decode" });
  await rejectsWithGraphError(c.listMessages("bad-json"), { kind: "decode" });
  assert.equal(env.mock.requests.length, 9);
});

test("a failed page of conversations() can be asked for again with another next()", async () => {
  const iterator = client().conversations("flaky-1-" + PAGE_ID, { limit: 30 });
  await rejectsWithGraphError(iterator.next(), { kind: "graph", code: 1, transient: true });
  const { value, done } = await iterator.next();
  assert.equal(done, false);
  assert.equal(value.id, threads("messenger")[0].id);
});

test("a connection dropped without an answer → kind network, transient", async () => {
  const err = await rejectsWithGraphError(client().getMessage("net-reset"), { kind: "network", transient: true, status: undefined });
  assert.ok(err.message.length > 0);
  await rejectsWithGraphError(client().listConversations("net-reset"), { kind: "network" });
});

test("no answer within timeoutMs → kind timeout, transient", async () => {
  const started = Date.now();
  const err = await rejectsWithGraphError(
    env.client({ timeoutMs: 150, maxRetries: 0 }).getMessage(`slow-3000-${ODD_MESSAGE_ID}`),
    { kind: "timeout", transient: true, status: undefined },
  );
  assert.ok(Date.now() - started < 2000, "rejected long before the answer would come");
  assert.match(err.message, /150/);
});

test("an answer within timeoutMs is not a timeout", async () => {
  const message = await env.client({ timeoutMs: 2000 }).getMessage(`slow-50-${ODD_MESSAGE_ID}`);
  assert.equal(message.id, ODD_MESSAGE_ID);
});

test("an already aborted signal rejects with kind aborted and sends nothing", async () => {
  const c = client();
  const signal = AbortSignal.abort();
  await rejectsWithGraphError(c.getMessage(ODD_MESSAGE_ID, { signal }), { kind: "aborted", transient: false });
  await rejectsWithGraphError(c.listConversations(PAGE_ID, { signal }), { kind: "aborted" });
  await rejectsWithGraphError(c.findConversation(PAGE_ID, "123", { signal }), { kind: "aborted" });
  await rejectsWithGraphError(c.getConversation(thread.id, { signal }), { kind: "aborted" });
  await rejectsWithGraphError(c.listMessages(thread.id, { signal }), { kind: "aborted" });
  await rejectsWithGraphError(c.getMessages([ODD_MESSAGE_ID], { signal }), { kind: "aborted" });
  await rejectsWithGraphError(c.conversations(PAGE_ID, { signal }).next(), { kind: "aborted" });
  await rejectsWithGraphError(c.messages(thread.id, { signal }).next(), { kind: "aborted" });
  assert.equal(env.mock.requests.length, 0);
});

test("aborting mid-flight rejects with kind aborted and cancels the request under way", async () => {
  const seenSignals = [];
  const c = env.client({
    maxRetries: 0,
    fetch: (url, init) => {
      seenSignals.push(init.signal);
      return fetch(url, init);
    },
  });
  const controller = new AbortController();
  const started = Date.now();
  const pending = c.getMessage(`slow-3000-${ODD_MESSAGE_ID}`, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await rejectsWithGraphError(pending, { kind: "aborted", transient: false });
  assert.ok(Date.now() - started < 2000, "rejected long before the answer would come");
  assert.equal(env.mock.requests.length, 1, "the request had been sent");
  assert.equal(seenSignals.length, 1);
  assert.equal(seenSignals[0]?.aborted, true, "the fetch under way was aborted");
});

test("a call leaves no timer and no listener on the caller's signal behind: answered, timed out or aborted", async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const before = timers();
  const controller = new AbortController();
  const { signal } = controller;
  await client().getMessage(ODD_MESSAGE_ID, { signal });
  assert.equal(getEventListeners(signal, "abort").length, 0, "answered: no listener left");
  assert.equal(timers(), before, "answered: no timer left");
  // A fetch that never answers (and so holds no timer of its own), but
  // stops when its request is aborted.
  const never = (url, init) =>
    new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
  const c = env.client({ maxRetries: 0, timeoutMs: 100, fetch: never });
  await rejectsWithGraphError(c.getMessage(ODD_MESSAGE_ID, { signal }), { kind: "timeout" });
  assert.equal(getEventListeners(signal, "abort").length, 0, "timed out: no listener left");
  assert.equal(timers(), before, "timed out: no timer left");
  // A call of one request sends it at once, as `fetch` would.
  const pending = c.getMessage(ODD_MESSAGE_ID, { signal });
  assert.equal(getEventListeners(signal, "abort").length, 1, "under way: the request listens");
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(getEventListeners(signal, "abort").length, 1, "still under way: one listener, not one per look");
  controller.abort();
  await rejectsWithGraphError(pending, { kind: "aborted" });
  assert.equal(getEventListeners(signal, "abort").length, 0, "aborted: no listener left");
  assert.equal(timers(), before, "aborted: no timer left");
});

test("a signal aborted as a rate limit answers ends the call at once, not after the wait it asked for", async () => {
  const controller = new AbortController();
  let calls = 0;
  // Answers 613 with Retry-After 20 s, and the caller aborts just as the
  // answer comes in (a fetch that ignores the abort, so the answer stands).
  const throttled = async () => {
    calls += 1;
    const answer = new Response(
      JSON.stringify({ error: { message: "Calls to this api have exceeded the rate limit.", type: "OAuthException", code: 613 } }),
      { status: 400, headers: { "content-type": "application/json", "retry-after": "20" } },
    );
    controller.abort();
    return answer;
  };
  const started = performance.now();
  await rejectsWithGraphError(
    env.client({ fetch: throttled, maxRetries: 3 }).getMessage(ODD_MESSAGE_ID, { signal: controller.signal }),
    { kind: "aborted", attempts: 1 },
  );
  assert.ok(performance.now() - started < 2000, "did not wait out the 20 s");
  assert.equal(calls, 1);
});

test("a request that failed or was answered is not aborted afterwards", async () => {
  const signals = [];
  const failing = (url, init) => {
    signals.push(init.signal);
    return Promise.reject(new TypeError("fetch failed"));
  };
  await rejectsWithGraphError(env.client({ maxRetries: 0, fetch: failing }).getMessage(ODD_MESSAGE_ID), { kind: "network" });
  const answering = (url, init) => {
    signals.push(init.signal);
    return fetch(url, init);
  };
  await env.client({ maxRetries: 0, fetch: answering }).getMessage(ODD_MESSAGE_ID);
  assert.equal(signals.length, 2);
  assert.deepEqual(signals.map((s) => s.aborted), [false, false]);
});

test("aborting mid-walk ends messages() with kind aborted", async () => {
  const controller = new AbortController();
  const iterator = client().messages(`slow-3000-${thread.id}`, { signal: controller.signal });
  const pending = iterator.next();
  setTimeout(() => controller.abort(), 50);
  await rejectsWithGraphError(pending, { kind: "aborted" });
  assert.equal((await iterator.next()).done, true);
});

test("an expired token → 190 subcode 463", async () => {
  const c = env.client({ accessToken: EXPIRED_TOKEN, maxRetries: 0 });
  const err = await rejectsWithGraphError(c.listConversations(PAGE_ID), {
    kind: "graph", code: 190, subcode: 463, status: 400, transient: false, type: "OAuthException",
  });
  assert.match(err.message, /Session has expired/);
  assert.equal(typeof err.fbtraceId, "string");
});

test("an unknown token → 190; the body had no fbtrace_id, so the error has none", async () => {
  const c = env.client({ accessToken: "EAAG-not-a-token-the-graph-knows", maxRetries: 0 });
  const err = await rejectsWithGraphError(c.getMessage(ODD_MESSAGE_ID), {
    kind: "graph", code: 190, status: 400, transient: false, type: "OAuthException",
  });
  assert.equal(err.fbtraceId, undefined);
  assert.equal("fbtraceId" in err, false);
});

test("GraphError is a real Error subclass with a stack, and JSON-serialisable fields", async () => {
  const err = await rejectsWithGraphError(client().getMessage("error-613"));
  assert.ok(err instanceof GraphError && err instanceof Error);
  assert.equal(err.name, "GraphError");
  assert.equal(Object.prototype.toString.call(err), "[object Error]");
  assert.match(String(err), /^GraphError: \(#613\)/);
  assert.match(err.stack, /GraphError/);
  const json = JSON.parse(JSON.stringify(err));
  assert.equal(json.kind, "graph");
  assert.equal(json.code, 613);
  assert.equal(json.retryAfterMs, 180000);
});

test("GraphError can be built by users (e.g. to mock the client)", () => {
  const err = new GraphError("nope", { kind: "graph", code: 100, transient: false });
  assert.ok(err instanceof Error);
  assert.equal(err.message, "nope");
  assert.equal(err.code, 100);
  assert.equal(err.kind, "graph");
});

test("a proxy's 429 with Retry-After → kind http, transient, retryAfterMs from the header", async () => {
  const c = env.client({
    maxRetries: 0,
    fetch: async () => new Response("Too Many Requests", { status: 429, headers: { "content-type": "text/plain", "retry-after": "7" } }),
  });
  await rejectsWithGraphError(c.getMessage(ODD_MESSAGE_ID), { kind: "http", status: 429, transient: true, retryAfterMs: 7000 });
});

test("a Graph error without is_transient is classified by code: 1 and 613 are transient, 100 is not", async () => {
  const answer = (error, status) => env.client({
    maxRetries: 0,
    fetch: async () => new Response(JSON.stringify({ error }), { status, headers: { "content-type": "application/json" } }),
  });
  await rejectsWithGraphError(answer({ message: "x", code: 1 }, 500).getMessage("m_1"), { kind: "graph", transient: true });
  await rejectsWithGraphError(answer({ message: "x", code: 613 }, 400).getMessage("m_1"), { kind: "graph", transient: true });
  await rejectsWithGraphError(answer({ message: "x", code: 100 }, 400).getMessage("m_1"), { kind: "graph", transient: false });
  // the Graph's own word wins: a real code 1 came with is_transient false
  await rejectsWithGraphError(answer({ message: "x", code: 1, is_transient: false }, 500).getMessage("m_1"), { transient: false });
  await rejectsWithGraphError(answer({ message: "x", code: 100, is_transient: true }, 400).getMessage("m_1"), { transient: true });
});
