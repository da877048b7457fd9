// The Graph's rules without any HTTP server: createGraphHandler answers a
// Fetch-like request description with status, headers and body, so the same
// mock could be served from another runtime than node:http.
//
//   node --test mock/test/handler.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { PAGE_ID, TOKEN, createGraphHandler, threads } from "../server.mjs";

const auth = { authorization: `Bearer ${TOKEN}` };
const json = (answer) => JSON.parse(new TextDecoder().decode(answer.body));

test("a request description in, status, headers and body bytes out", async () => {
  const graph = createGraphHandler();
  const answer = await graph.handle({ method: "GET", url: `/v24.0/${PAGE_ID}/conversations?limit=2`, headers: { ...auth, host: "mock.test:8080" }, body: "" });
  assert.equal(answer.status, 200);
  assert.ok(answer.body instanceof Uint8Array);
  assert.equal(answer.headers["Content-Length"], String(answer.body.length));
  assert.equal(answer.headers["Access-Control-Allow-Origin"], "*");
  assert.ok(JSON.parse(answer.headers["X-App-Usage"]));
  const page = json(answer);
  assert.deepEqual(page.data.map((t) => t.id), threads("messenger").slice(0, 2).map((t) => t.id));
  assert.match(page.paging.next, /^http:\/\/mock\.test:8080\/v24\.0\//, "paging links name the host the client used");
  assert.deepEqual([graph.requests.length, graph.requests[0].status, graph.requests[0].headers.host], [1, 200, "mock.test:8080"]);
});

test("an absolute URL and a Headers object, as a Fetch Request has them", async () => {
  const graph = createGraphHandler();
  const answer = await graph.handle({
    method: "POST", url: `https://graph.example/v24.0/${PAGE_ID}/conversations`,
    headers: new Headers({ "Content-Type": "application/x-www-form-urlencoded" }),
    body: new URLSearchParams({ method: "GET", access_token: TOKEN, limit: "1", platform: "instagram" }).toString(),
  });
  const page = json(answer);
  assert.equal(page.data[0].id, threads("instagram")[0].id);
  assert.match(page.paging.next, /^https:\/\/graph\.example\/v24\.0\//);
  assert.equal(graph.requests[0].url, `/v24.0/${PAGE_ID}/conversations`);
});

test("what only the HTTP layer can do is asked for: drop, or cut the body", async () => {
  const graph = createGraphHandler();
  assert.deepEqual(await graph.handle({ method: "GET", url: "/net-reset", headers: auth }), { drop: true });
  assert.equal(graph.requests[0].dropped, true);
  graph.fault({ kind: "truncated-json", mode: "transfer" });
  const cut = await graph.handle({ method: "GET", url: `/${PAGE_ID}`, headers: auth });
  assert.equal(cut.status, 200);
  assert.ok(cut.cutAt > 0 && cut.cutAt < cut.body.length);
  assert.equal(cut.headers["Content-Length"], String(cut.body.length), "the promised length is the whole body");
});

test("a client that leaves: nothing is sent, the request stays unanswered and leaves the in-flight count", async () => {
  const graph = createGraphHandler();
  const gone = new AbortController();
  graph.fault({ kind: "slow", ms: 100 });
  const pending = graph.handle({ method: "GET", url: `/${PAGE_ID}`, headers: auth, signal: gone.signal });
  assert.equal(graph.stats.inFlight, 1);
  gone.abort();
  assert.equal(graph.stats.inFlight, 0);
  assert.deepEqual(await pending, { drop: true });
  assert.equal(graph.requests[0].status, null);
  graph.close();
});

test("control paths and preflights answer too", async () => {
  const graph = createGraphHandler();
  const added = await graph.handle({ method: "POST", url: "/__mock/fault", headers: {}, body: JSON.stringify({ kind: "code-2", times: null }) });
  assert.deepEqual([added.status, json(added).kind, json(added).times], [200, "code-2", null]);
  assert.equal((await graph.handle({ method: "GET", url: `/${PAGE_ID}`, headers: auth })).status, 503);
  const preflight = await graph.handle({ method: "OPTIONS", url: `/${PAGE_ID}`, headers: {} });
  assert.deepEqual([preflight.status, preflight.headers["Access-Control-Allow-Methods"]], [204, "GET, POST, OPTIONS"]);
  const bad = await graph.handle({ method: "POST", url: "/__mock/fault", headers: {}, body: "{\"kind\":\"nope\"}" });
  assert.equal(bad.status, 400);
});
