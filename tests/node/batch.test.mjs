// getMessages: Graph batch requests, at most 50 items per HTTP call, in input order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DETAIL_WINDOW, MAX_BATCH, ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, threads } from "../../mock/server.mjs";
import { GraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();

const messenger = threads("messenger");
const instagram = threads("instagram");

/** The batch items of one recorded POST. */
function batchItems(request) {
  return JSON.parse(new URLSearchParams(request.body).get("batch"));
}

/** Message ids inside the detail window, across threads and platforms. */
function recentIds(count) {
  const ids = [];
  for (const thread of [...messenger, ...instagram]) {
    for (const message of thread.messages.slice(0, DETAIL_WINDOW)) {
      ids.push(message.id);
      if (ids.length === count) return ids;
    }
  }
  throw new Error("not enough messages");
}

test("getMessages: results in input order across 2 threads, an old message is a GraphError in its place", async () => {
  const a = messenger[3].messages; // holds ODD_MESSAGE_ID (index 2) and OLD_ODD_MESSAGE_ID (index 30)
  const b = messenger[0].messages;
  const ids = [b[4].id, a[10].id, OLD_ODD_MESSAGE_ID, b[0].id, ODD_MESSAGE_ID, a[0].id, b[19].id];
  const results = await env.client().getMessages(ids);
  assert.equal(results.length, ids.length);
  results.forEach((result, i) => {
    if (i === 2) return;
    assert.ok(!(result instanceof GraphError), `item ${i}: ${result?.message}`);
    assert.equal(result.id, ids[i], `item ${i}`);
    assert.ok(result.from && result.to, `item ${i} has the documented fields`);
  });
  const old = results[2];
  assert.ok(old instanceof GraphError && old instanceof Error);
  assert.equal(old.kind, "graph");
  assert.equal(old.code, 9000001);
  assert.equal(old.transient, false);
  assert.deepEqual(results[4].message, a[2].message);

  assert.equal(env.mock.requests.length, 1);
  const [request] = env.mock.requests;
  assert.equal(request.method, "POST");
  assert.deepEqual(batchItems(request).map((item) => item.method), Array(7).fill("GET"));
});

test("getMessages: 120 ids take exactly 3 batch POSTs of at most 50 items", async () => {
  const ids = recentIds(120);
  const results = await env.client().getMessages(ids);
  assert.deepEqual(results.map((r) => (r instanceof GraphError ? `error: ${r.message}` : r.id)), ids);
  assert.equal(env.mock.requests.length, 3);
  assert.ok(env.mock.requests.every((r) => r.method === "POST"));
  const sizes = env.mock.requests.map((r) => batchItems(r).length);
  assert.ok(sizes.every((n) => n <= MAX_BATCH), `${sizes}`);
  assert.equal(sizes.reduce((x, y) => x + y, 0), 120);
  // In the order given: the first 50 ids, the next 50, the last 20.
  const sent = env.mock.requests.flatMap((r) => batchItems(r).map((item) => decodeURIComponent(item.relative_url.split("?")[0])));
  assert.deepEqual(sent.map((url) => ids.findIndex((id) => url.endsWith(id))), ids.map((_, i) => i));
});

test("getMessages: a null batch item is sent again alone, and stays a transient GraphError in its place if it never comes", async () => {
  const good = messenger[1].messages[0];
  const results = await env.client({ maxRetries: 2, retryDelayMs: 1 }).getMessages([good.id, "batch-null", messenger[2].messages[1].id]);
  assert.equal(results[0].id, good.id);
  assert.ok(results[1] instanceof GraphError);
  assert.equal(results[1].transient, true);
  assert.equal(results[1].attempts, 3);
  assert.equal(results[2].id, messenger[2].messages[1].id);
  assert.deepEqual(env.mock.requests.map((r) => batchItems(r).length), [3, 1, 1], "only the null item goes again");
});

test("getMessages: aborted while it waits to send a null item again, it rejects at once with kind aborted", async () => {
  const controller = new AbortController();
  const started = performance.now();
  const pending = env.client({ maxRetries: 2, retryDelayMs: 20000, maxRetryDelayMs: 20000 })
    .getMessages([messenger[1].messages[0].id, "batch-null"], { signal: controller.signal });
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(pending, (err) => err instanceof GraphError && err.kind === "aborted");
  assert.ok(performance.now() - started < 5000, "did not wait out the backoff");
  // The backoff is jittered: almost always the abort comes during the wait
  // before the null item's second batch; in a rare run after it.
  assert.equal(batchItems(env.mock.requests[0]).length, 2, "the first batch went");
});

test("getMessages: error ids are GraphErrors with their own code; the others still resolve", async () => {
  const good = instagram[2].messages[3];
  const results = await env.client({ maxRetries: 0 }).getMessages(["error-613", good.id, "error-200", "http-502"]);
  assert.equal(results[0].code, 613);
  assert.equal(results[0].transient, true);
  assert.equal(results[1].id, good.id);
  assert.equal(results[2].code, 200);
  assert.equal(results[2].status, 403);
  assert.equal(results[2].transient, false);
  assert.ok(results[3] instanceof GraphError);
  assert.equal(results[3].status, 502);
  assert.equal(results[3].kind, "http");
});

test("getMessages: fields apply to every item", async () => {
  const picked = messenger[4].messages.concat(messenger[1].messages).slice(0, 3);
  const results = await env.client().getMessages(picked.map((m) => m.id), { fields: ["id", "message"] });
  assert.deepEqual(results, picked.map((m) => ({ id: m.id, message: m.message })));
});

test("getMessages: an empty array resolves to [] without a request", async () => {
  assert.deepEqual(await env.client().getMessages([]), []);
  assert.equal(env.mock.requests.length, 0);
});

test("getMessages: when no batch call is answered (an expired token) the call rejects with that error", async () => {
  const { EXPIRED_TOKEN } = await import("../../mock/server.mjs");
  const client = env.client({ accessToken: EXPIRED_TOKEN });
  const err = await client.getMessages(recentIds(3)).then(
    () => assert.fail("expected a rejection"),
    (e) => e,
  );
  assert.ok(err instanceof GraphError);
  assert.equal(err.code, 190);
  assert.equal(err.subcode, 463);
});
