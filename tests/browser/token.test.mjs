// Where the access token travels from a browser page, and what the Graph
// (here the mock) sees of it. Graph answers carry Access-Control-Allow-Origin: *,
// but Meta documents nothing about answering the OPTIONS preflight that an
// Authorization header causes, so in a page the client sends a form-encoded
// POST with method=GET instead: a CORS "simple" request, no preflight, and
// the token in the body, never in a URL.
import assert from "node:assert/strict";
import { test } from "node:test";
import { APP_SECRET } from "../../mock/server.mjs";
import { PLAIN_PAGE, TOKEN, useBrowserApp } from "./harness.mjs";

const env = useBrowserApp(() => PLAIN_PAGE, { open: "/" });
const run = (...args) => env.app.run(...args);

function assertNoTokenInUrls(requests) {
  for (const request of requests) assert.ok(!request.url.includes(TOKEN), `token in the URL ${request.url}`);
}

test("by default a page sends a form POST with method=GET: no preflight, token in the body", async () => {
  await run("listConversations", env.config());
  await run("readThread", env.config());
  await run("getMessage", env.config());
  const { requests } = env.mock;
  assert.equal(requests.length, 3);
  assert.deepEqual(requests.filter((r) => r.method === "OPTIONS"), [], "no CORS preflight");
  for (const request of requests) {
    assert.equal(request.method, "POST");
    assert.match(request.headers["content-type"], /^application\/x-www-form-urlencoded/);
    assert.equal(request.headers.authorization, undefined, "no Authorization header");
    const body = new URLSearchParams(request.body);
    assert.equal(body.get("method"), "GET");
    assert.equal(body.get("access_token"), TOKEN);
  }
  assertNoTokenInUrls(requests);
});

test("a web worker sends the token the way a page does: a form POST, no preflight", async () => {
  const answer = await env.app.page.evaluate(
    (cfg) =>
      new Promise((resolve) => {
        const worker = new Worker("/worker.mjs", { type: "module" });
        worker.onmessage = ({ data }) => {
          worker.terminate();
          resolve(data);
        };
        worker.onerror = (event) => resolve({ error: event.message });
        worker.postMessage(cfg);
      }),
    env.config(),
  );
  assert.equal(answer.error, undefined, answer.error);
  assert.equal(answer.ids.length, 2);
  const { requests } = env.mock;
  assert.equal(requests.length, 1);
  assert.equal(requests[0].method, "POST");
  assert.equal(requests[0].headers.authorization, undefined, "no Authorization header");
  assert.equal(new URLSearchParams(requests[0].body).get("access_token"), TOKEN);
  assertNoTokenInUrls(requests);
});

test("tokenIn: 'header' sends a GET with Authorization, after the preflight it causes", async () => {
  const id = await run("headerCall", env.config());
  assert.equal(id, env.config().threadId);
  const [preflight, call, ...rest] = env.mock.requests;
  assert.deepEqual(rest, []);
  assert.equal(preflight.method, "OPTIONS");
  assert.match(preflight.headers["access-control-request-headers"], /authorization/i);
  assert.equal(preflight.headers.authorization, undefined, "a preflight carries no credentials");
  assert.equal(call.method, "GET");
  assert.equal(call.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(call.path, preflight.path);
  assertNoTokenInUrls(env.mock.requests);
});

test("appSecret in a page: one console warning however many clients, without the secret", async () => {
  const page = await env.open("/"); // a fresh page: the warning is once per page
  try {
    const id = await page.run("appSecretCall", env.config(), APP_SECRET);
    assert.equal(id, env.config().threadId, "the call is signed and answered");
    await page.page.evaluate(() => 0); // console events arrive before this answer
    assert.equal(page.warnings.length, 1, page.warnings.join("\n"));
    assert.match(page.warnings[0], /appSecret/);
    assert.ok(!page.warnings[0].includes(APP_SECRET), "the warning does not contain the secret");
    const proofs = env.mock.requests.map((r) => new URLSearchParams(r.body).get("appsecret_proof"));
    assert.equal(proofs.length, 1);
    assert.match(proofs[0], /^[0-9a-f]{64}$/);
  } finally {
    await page.close();
  }
});

test("the plain page itself logged no warning and no uncaught error", () => {
  assert.deepEqual(env.app.warnings, []);
  assert.deepEqual(env.app.errors, []);
});
