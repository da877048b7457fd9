// examples/worker in the real Workers runtime (workerd), against the mock
// Graph on 127.0.0.1: its routes answer JSON, each makes exactly one Graph
// call with the token in the Authorization header, and errors map to HTTP
// statuses a caller can act on.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { basename } from "node:path";
import { gzipSync } from "node:zlib";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../../mock/server.mjs";
import { startWorker, workerdVersion } from "./workerd.mjs";

const ACCESS_KEY = "worker-test-access-key";
const instagram = threads("instagram");
const thread = instagram[0];
const message = thread.messages[0];

let mock;
let worker;
const answers = []; // every body the Worker sent, to check that none holds the token

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  console.log(await workerdVersion());
  mock = await startMockGraph();
  worker = await startWorker({
    bindings: { PAGE_ACCESS_TOKEN: TOKEN, PAGE_ID, GRAPH_BASE_URL: mock.url, ACCESS_KEY },
  });
});
beforeEach(() => mock.reset());
after(async () => {
  await worker?.stop();
  await mock?.close();
});

/** Calls the Worker (with the access key unless told otherwise); resolves to `{ status, headers, body }`. */
async function call(path, { method = "GET", key = ACCESS_KEY } = {}) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(`${worker.url}${path}`, { method, headers, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  answers.push(text);
  assert.match(response.headers.get("content-type"), /^application\/json/, `${path}: ${text}`);
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

/** The mock saw exactly one Graph call, a GET with the token in the Authorization header only. */
function assertOneGraphCall() {
  assert.equal(mock.requests.length, 1, `Graph calls: ${mock.requests.map((r) => r.url).join(", ")}`);
  const [request] = mock.requests;
  assert.equal(request.method, "GET");
  assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!request.url.includes(TOKEN), "no token in the URL");
  assert.ok(!request.url.includes(ACCESS_KEY), "the Worker's own key is not forwarded");
  return request;
}

test("the bundle takes the package's workerd entry, and fits the Workers size limit", () => {
  const inputs = Object.keys(worker.metafile.inputs);
  const entries = inputs.filter((path) => /(^|\/)pkg\/(workerd|web|node)\.js$/.test(path)).map((path) => basename(path));
  assert.deepEqual(entries, ["workerd.js"], inputs.join(", "));
  const js = gzipSync(worker.bundleBytes).length;
  const wasm = gzipSync(worker.wasmBytes).length;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `worker.js ${kib(worker.bundleBytes.length)} (gzip ${kib(js)}), ` +
      `wasm ${kib(worker.wasmBytes.length)} (gzip ${kib(wasm)}), upload gzip ${kib(js + wasm)}`,
  );
  assert.ok(js + wasm < 3 * 1024 * 1024, "under the free plan's 3 MB (gzip) Worker size");
});

test("GET /conversations?platform=instagram answers the first page of the Instagram inbox", async () => {
  const { status, body } = await call("/conversations?platform=instagram");
  assert.equal(status, 200);
  assert.deepEqual(body.data.map((c) => c.id), instagram.slice(0, 25).map((t) => t.id));
  assert.equal(body.data[0].updated_time, thread.updated_time);
  assert.equal(typeof body.paging.cursors.after, "string");
  const request = assertOneGraphCall();
  assert.equal(request.path, `/${request.path.split("/")[1]}/${PAGE_ID}/conversations`);
  assert.equal(request.query.platform, "instagram");
});

test("GET /conversations with after and limit answers the next page", async () => {
  const first = await call("/conversations?platform=instagram&limit=10");
  mock.reset();
  const after = encodeURIComponent(first.body.paging.cursors.after);
  const { status, body } = await call(`/conversations?platform=instagram&limit=10&after=${after}`);
  assert.equal(status, 200);
  assert.deepEqual(body.data.map((c) => c.id), instagram.slice(10, 20).map((t) => t.id));
  assertOneGraphCall();
});

test("GET /threads/:id answers the thread's newest messages", async () => {
  const { status, body } = await call(`/threads/${encodeURIComponent(thread.id)}?limit=5`);
  assert.equal(status, 200);
  assert.deepEqual(body.data.map((m) => m.id), thread.messages.slice(0, 5).map((m) => m.id));
  assert.deepEqual(body.data[0].from, message.from);
  assert.equal(body.data[0].message, message.message);
  assertOneGraphCall();
});

test("GET /messages/:id answers one message with its details", async () => {
  const { status, body } = await call(`/messages/${encodeURIComponent(message.id)}`);
  assert.equal(status, 200);
  assert.equal(body.id, message.id);
  assert.deepEqual(body.from, message.from);
  assert.deepEqual(body.to, message.to);
  assertOneGraphCall();
});

test("a Graph error answers JSON with its kind and code, and a status for the caller", async () => {
  const cases = [
    ["/threads/error-190", 502, { kind: "graph", code: 190, subcode: 460, type: "OAuthException", transient: false, graphStatus: 400 }],
    ["/threads/error-613", 429, { kind: "graph", code: 613, transient: true }],
    ["/messages/nothing-here", 404, { kind: "graph", code: 100, subcode: 33 }],
    ["/threads/http-502", 502, { kind: "http", graphStatus: 502, transient: true }],
  ];
  for (const [path, status, expected] of cases) {
    mock.reset();
    const answer = await call(path);
    assert.equal(answer.status, status, `${path}: ${JSON.stringify(answer.body)}`);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(answer.body.error[key], value, `${path}: error.${key}`);
    assert.equal(typeof answer.body.error.message, "string");
    assertOneGraphCall(); // no retries: one subrequest, whatever the answer
  }
});

test("a rate limit answers 429 with Retry-After when the Graph said how long to wait", async () => {
  const { status, headers, body } = await call("/threads/error-613");
  assert.equal(status, 429);
  assert.equal(typeof body.error.retryAfterMs, "number");
  assert.equal(headers.get("retry-after"), String(Math.ceil(body.error.retryAfterMs / 1000)));
});

test("bad arguments answer 400 invalid_argument and make no Graph call", async () => {
  for (const path of ["/threads/a%20b", "/conversations?platform=whatsapp", "/threads/t_1?limit=0", "/messages/%E0%A4%A"]) {
    const { status, body } = await call(path);
    assert.equal(status, 400, path);
    assert.equal(body.error.kind, "invalid_argument", path);
  }
  assert.deepEqual(mock.requests, []);
});

test("unknown routes answer 404, other methods 405, a missing or wrong key 401: no Graph call", async () => {
  assert.equal((await call("/")).status, 404);
  assert.equal((await call("/threads")).status, 404);
  const post = await call(`/threads/${thread.id}`, { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET");
  assert.equal((await call("/conversations", { key: null })).status, 401);
  assert.equal((await call("/conversations", { key: "wrong-key-of-same-size!" })).status, 401);
  assert.deepEqual(mock.requests, []);
});

test("/sync reads the inbox with each thread's messages in one call per page, and goes on from a cursor", async () => {
  const whole = await call("/sync?platform=instagram&messages=5");
  assert.equal(whole.status, 200);
  assert.equal(whole.body.complete, true);
  assert.deepEqual(whole.body.conversations.map((c) => c.id), instagram.map((t) => t.id));
  whole.body.conversations.forEach((c, i) => {
    assert.deepEqual(c.messages.map((m) => m.id), instagram[i].messages.slice(0, 5).map((m) => m.id));
  });
  assert.equal(mock.requests.length, Math.ceil(instagram.length / 100), "one Graph call per page of up to 100 threads");
  assert.equal(whole.body.requests, mock.requests.length);

  // A budget of one call per invocation (pages of 25): the cursor carries the rest over.
  mock.reset();
  const first = await call("/sync?platform=instagram&messages=5&pageSize=25&maxRequests=1");
  assert.equal(first.body.complete, false);
  assert.equal(mock.requests.length, 1);
  const rest = await call(`/sync?platform=instagram&messages=5&pageSize=25&cursor=${encodeURIComponent(first.body.cursor)}`);
  assert.equal(rest.body.complete, true);
  const ids = [...first.body.conversations, ...rest.body.conversations].map((c) => c.id);
  assert.deepEqual(ids, instagram.map((t) => t.id), "every thread once");
  assert.equal(mock.requests.length, Math.ceil(instagram.length / 25), "nothing read twice");
});

test("no answer of the Worker contains the access token, and answers are not cacheable", async () => {
  const { headers } = await call("/conversations");
  assert.equal(headers.get("cache-control"), "private, no-store");
  assert.ok(answers.length > 10);
  for (const text of answers) assert.ok(!text.includes(TOKEN), text);
});
