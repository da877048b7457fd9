// examples/worker under `wrangler dev` (the wrangler this repository pins, on
// the Node that runs the tests), the way its README says to run it locally:
// wrangler bundles it and resolves graph-conversations to the built pkg/,
// the secrets come from the command line and .dev.vars, its routes answer
// the mock Graph's data on 127.0.0.1, and a webhook signed as Meta signs it
// reaches its inbox. Local mode only: no login, no telemetry,
// no download.
//
// examples/wrangler-dev.mjs runs it from a temporary copy of examples/worker
// whose node_modules/graph-conversations is a symlink to pkg/.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { startWranglerDev } from "../../examples/wrangler-dev.mjs";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../support/mock-graph.mjs";
import { envelope, messageItem, metaJson, signedHeaders } from "./meta-webhook.mjs";

const ACCESS_KEY = "wrangler-test-access-key";
const APP_SECRET = "wrangler-test-app-secret";
const VERIFY_TOKEN = "wrangler-test-verify-token";
const START_TIMEOUT_MS = 90_000; // a cold start on a busy 2-core machine takes a few seconds
const instagram = threads("instagram");

let mock;
let dev;

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  mock = await startMockGraph();
  dev = await startWranglerDev({
    project: "examples/worker",
    // The secret and the mock's URL on the command line (values wrangler never prints)...
    vars: { PAGE_ACCESS_TOKEN: TOKEN, GRAPH_BASE_URL: mock.url },
    // ...and the other secrets in .dev.vars, as the example's README does it.
    devVars: { ACCESS_KEY, APP_SECRET, VERIFY_TOKEN },
  });
}, { timeout: START_TIMEOUT_MS + 30_000 });
beforeEach(() => mock.reset());
after(async () => {
  await dev?.stop();
  await mock?.close();
});

/** Calls the Worker; resolves to `{ status, body }`. */
async function call(path, { key = ACCESS_KEY } = {}) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(`${dev.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/, `${path}: ${text}`);
  return { status: response.status, body: JSON.parse(text) };
}

test(`wrangler dev starts the example Worker on Node ${process.versions.node} without an error or warning`, () => {
  console.log(`wrangler ${dev.version}, Node ${process.versions.node}`);
  assert.match(dev.output(), new RegExp(`Ready on ${dev.url.replace(/\./g, "\\.")}`));
  // A compatibility date newer than wrangler's runtime stops it with an ERROR;
  // a failed download (the Request.cf data, an update check) is a WARNING.
  assert.doesNotMatch(dev.output(), /\[(ERROR|WARNING)\]/, dev.output());
});

test("GET /conversations?platform=instagram answers the mock's Instagram inbox, the token sent in a header", async () => {
  const { status, body } = await call("/conversations?platform=instagram");
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.data.map((c) => c.id), instagram.slice(0, 25).map((t) => t.id));
  assert.equal(typeof body.paging.cursors.after, "string");
  assert.equal(mock.requests.length, 1);
  const [request] = mock.requests;
  assert.equal(request.path.split("/").slice(2).join("/"), `${PAGE_ID}/conversations`);
  assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!request.url.includes(TOKEN), "no token in the URL");
});

test("a Graph error answers JSON with its kind and code", async () => {
  const expired = await call("/threads/error-190");
  assert.equal(expired.status, 502);
  assert.equal(expired.body.error.kind, "graph");
  assert.equal(expired.body.error.code, 190);
  assert.equal(expired.body.error.type, "OAuthException");
  const missing = await call("/messages/nothing-here");
  assert.equal(missing.status, 404);
  assert.deepEqual([missing.body.error.kind, missing.body.error.code, missing.body.error.subcode], ["graph", 100, 33]);
});

test("the ACCESS_KEY from .dev.vars is enforced: without it, 401 and no Graph call", async () => {
  const { status, body } = await call("/conversations", { key: null });
  assert.equal(status, 401);
  assert.equal(body.error.kind, "unauthorized");
  assert.deepEqual(mock.requests, []);
});

test("a webhook POST signed as Meta signs it answers 200, and its message is in GET /inbox", async () => {
  const customerId = "5120094478812201";
  const text = "From wrangler dev \u00e4 \u{1F600}";
  const body = metaJson(envelope("page", PAGE_ID, [messageItem({ accountId: PAGE_ID, customerId, mid: "m_wrangler_0001", text, timestamp: Date.now() })]));
  const response = await fetch(`${dev.url}/webhook`, { method: "POST", headers: signedHeaders(body, APP_SECRET), body, signal: AbortSignal.timeout(15_000) });
  assert.equal(response.status, 200, await response.text());
  const { status, body: conversation } = await call(`/inbox/${customerId}`);
  assert.equal(status, 200, JSON.stringify(conversation));
  assert.deepEqual(conversation.messages.map((m) => [m.id, m.message]), [["m_wrangler_0001", text]]);
  assert.deepEqual(mock.requests, [], "no Graph call");
});
