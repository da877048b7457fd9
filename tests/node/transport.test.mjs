// fetch (custom or global), request shape, usage headers, retries and pacing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { IG_ACCOUNT_ID, ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, PAGE_ID, TOKEN, threads } from "../../mock/server.mjs";
import { GraphClient, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const messenger = threads("messenger");
const realFetch = globalThis.fetch;

/** Replaces globalThis.fetch with a counting wrapper while `body` runs. */
async function withCountedGlobalFetch(body) {
  const calls = [];
  globalThis.fetch = (url, init) => {
    calls.push(String(url));
    return realFetch(url, init);
  };
  try {
    await body(calls);
  } finally {
    globalThis.fetch = realFetch;
  }
}

test("a custom fetch option is used instead of the global one", async () => {
  await withCountedGlobalFetch(async (globalCalls) => {
    const calls = [];
    const client = env.client({
      fetch: (url, init) => {
        calls.push({ url, init });
        return realFetch(url, init);
      },
    });
    await client.getMessage(ODD_MESSAGE_ID);
    await client.listConversations(PAGE_ID, { limit: 2 });
    await client.getMessages([ODD_MESSAGE_ID]);
    assert.equal(globalCalls.length, 0, "the global fetch was not called");
    assert.equal(calls.length, 3);
    assert.equal(env.mock.requests.length, 3);
    for (const { url, init } of calls) {
      assert.equal(typeof url, "string");
      assert.ok(url.startsWith(`${env.mock.url}/`), url);
      assert.equal(init.headers.Authorization ?? init.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal("credentials" in init, false, "no credentials field (workerd rejects it)");
    }
    assert.deepEqual(calls.map((c) => c.init.method), ["GET", "GET", "POST"]);
    assert.match(calls[2].init.headers["Content-Type"], /application\/x-www-form-urlencoded/);
  });
});

test("a custom fetch that answers by itself: nothing reaches the network", async () => {
  const client = new GraphClient({
    accessToken: TOKEN,
    callsPerSecond: 0,
    fetch: async () => new Response(JSON.stringify({ id: "m_local", message: "from a service binding" }), {
      status: 200,
      headers: { "content-type": "application/json", "x-app-usage": '{"call_count":42,"total_cputime":1,"total_time":2}' },
    }),
  });
  await withCountedGlobalFetch(async (globalCalls) => {
    assert.deepEqual(await client.getMessage("m_local"), { id: "m_local", message: "from a service binding" });
    assert.equal(globalCalls.length, 0);
  });
  assert.equal(client.usage.app.call_count, 42);
});

test("the global fetch is used when no fetch option is given, looked up at call time", async () => {
  const client = env.client();
  await withCountedGlobalFetch(async (globalCalls) => {
    await client.getConversation(messenger[0].id);
    assert.equal(globalCalls.length, 1);
    assert.ok(globalCalls[0].startsWith(`${env.mock.url}/`));
  });
  assert.equal(env.mock.requests.length, 1);
});

test("requests go to baseUrl with the apiVersion; the default is a current v<major>.<minor>", async () => {
  await env.client({ apiVersion: "v21.0" }).getMessage(ODD_MESSAGE_ID);
  assert.ok(env.mock.requests[0].path.startsWith("/v21.0/"), env.mock.requests[0].path);
  await env.client({ baseUrl: `${env.mock.url}/` }).getMessage(ODD_MESSAGE_ID);
  assert.match(env.mock.requests[1].path, /^\/v\d+\.\d+\/m_mid/);
});

test("client.usage after a Messenger call: app, page and business use case usage", async () => {
  const client = env.client();
  assert.equal(client.usage.app, undefined, "nothing before the first call");
  await client.listConversations(PAGE_ID);
  await client.getMessage(ODD_MESSAGE_ID);
  await client.getConversation(messenger[0].id);
  const { usage } = client;
  assert.deepEqual(Object.keys(usage.app).sort(), ["call_count", "total_cputime", "total_time"]);
  assert.equal(usage.app.call_count, 3, "the latest answer's value (3 calls since reset)");
  assert.equal(usage.page.call_count, 3);
  const [entry] = usage.business_use_case[PAGE_ID];
  assert.equal(entry.type, "messenger");
  assert.equal(entry.call_count, 3);
  assert.equal(entry.estimated_time_to_regain_access, 0);
});

test("client.usage after an Instagram call reports type instagram, under the Page and the IG account", async () => {
  const client = env.client();
  await client.listConversations(PAGE_ID, { platform: "instagram" });
  const buc = client.usage.business_use_case;
  assert.equal(buc[PAGE_ID][0].type, "instagram");
  assert.equal(buc[IG_ACCOUNT_ID][0].type, "instagram");
});

test("client.usage is updated by an error answer too (a throttled call shows 100% and the wait)", async () => {
  const client = env.client({ maxRetries: 0 });
  await client.getMessage(ODD_MESSAGE_ID);
  await rejectsWithGraphError(client.getMessage("error-613"), { code: 613 });
  const [entry] = client.usage.business_use_case[PAGE_ID];
  assert.equal(entry.call_count, 100);
  assert.equal(entry.estimated_time_to_regain_access, 3);
});

test("maxRetries: 0 sends a transient failure once", async () => {
  await rejectsWithGraphError(env.client({ maxRetries: 0 }).getMessage(`flaky-1-${ODD_MESSAGE_ID}`), { code: 1, transient: true });
  assert.equal(env.mock.requests.length, 1);
});

test("a failure that is not transient is not retried", async () => {
  await rejectsWithGraphError(env.client({ maxRetries: 3 }).getMessage("error-100"), { code: 100, transient: false });
  await rejectsWithGraphError(env.client({ maxRetries: 3 }).getMessage(OLD_ODD_MESSAGE_ID), { code: 9000001 });
  assert.equal(env.mock.requests.length, 2);
});

test("a transient failure is retried up to maxRetries (API.md: `maxRetries: 3 // transient errors only`)", async () => {
  const message = await env.client({ maxRetries: 2, retryDelayMs: 1 }).getMessage(`flaky-1-${ODD_MESSAGE_ID}`);
  assert.equal(message.id, ODD_MESSAGE_ID);
  assert.equal(env.mock.requests.length, 2);
});

test("callsPerSecond paces calls (API.md: `callsPerSecond: 2 // pace calls per access token`)", async () => {
  const client = env.client({ callsPerSecond: 5 });
  const started = Date.now();
  for (let i = 0; i < 6; i++) await client.getMessage(ODD_MESSAGE_ID);
  // 6 calls at 5 per second: the last starts at least 5 × 200 ms after the first.
  assert.ok(Date.now() - started >= 950, `6 calls took ${Date.now() - started} ms`);
});

