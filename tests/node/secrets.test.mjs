// The access token and the app secret never show in a URL, a body, an error or a log.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { APP_SECRET, ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, PAGE_ID, TOKEN, appsecretProof, threads } from "../../mock/server.mjs";
import { GraphClient, GraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const SECRETS = [TOKEN, APP_SECRET];
const messenger = threads("messenger");
const instagram = threads("instagram");

/** Every way a GraphError reaches a person or a log. */
function renderings(err) {
  return {
    message: err.message,
    string: String(err),
    json: JSON.stringify(err),
    ownValues: JSON.stringify(Object.values(err)),
    stack: String(err.stack),
    inspect: inspect(err, { depth: 5 }),
  };
}

function assertNoSecret(err, label) {
  assert.ok(err instanceof GraphError, `${label}: ${err}`);
  for (const [how, text] of Object.entries(renderings(err))) {
    for (const secret of SECRETS) {
      assert.ok(!text.includes(secret), `${label}: ${how} contains ${secret === TOKEN ? "the token" : "the app secret"}: ${text}`);
    }
  }
}

const failure = (promise) => promise.then(
  (value) => assert.fail(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`),
  (err) => err,
);

async function collect(iterator) {
  const out = [];
  for await (const item of iterator) out.push(item);
  return out;
}

test("with an app secret: every method and several failures; the mock saw no secret outside the Authorization header", async () => {
  const client = env.client({ appSecret: APP_SECRET, maxRetries: 0 });
  const thread = messenger[3];
  const userId = thread.participants.data[0].id;

  // every method, successfully: the mock accepted the proof
  assert.equal((await client.listConversations(PAGE_ID, { limit: 5 })).data.length, 5);
  assert.equal((await collect(client.conversations(PAGE_ID, { platform: "instagram", limit: 20 }))).length, instagram.length);
  assert.equal((await client.findConversation(PAGE_ID, userId)).id, thread.id);
  assert.equal((await client.getConversation(thread.id)).id, thread.id);
  assert.equal((await client.listMessages(thread.id, { limit: 5 })).data.length, 5);
  assert.equal((await collect(client.messages(thread.id))).length, thread.messages.length);
  assert.equal((await client.getMessage(ODD_MESSAGE_ID)).id, ODD_MESSAGE_ID);
  const batch = await client.getMessages([ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, thread.messages[0].id]);
  assert.equal(batch[0].id, ODD_MESSAGE_ID);
  assert.ok(batch[1] instanceof GraphError);
  assert.equal(batch[2].id, thread.messages[0].id);

  // failures of several kinds
  const errors = [
    batch[1],
    await failure(client.getMessage("error-190")),
    await failure(client.getMessage(OLD_ODD_MESSAGE_ID)),
    await failure(client.listConversations("error-613")),
    await failure(client.getConversation("http-502")),
    await failure(client.listMessages("bad-json")),
    await failure(client.getMessage("net-reset")),
    await failure(env.client({ appSecret: APP_SECRET, timeoutMs: 100, maxRetries: 0 }).getMessage(`slow-2000-${ODD_MESSAGE_ID}`)),
    await failure(client.getMessage(ODD_MESSAGE_ID, { signal: AbortSignal.abort() })),
  ];
  assert.deepEqual(errors.map((e) => e.kind), ["graph", "graph", "graph", "graph", "http", "decode", "network", "timeout", "aborted"]);
  errors.forEach((err, i) => assertNoSecret(err, `error ${i} (${err.kind})`));

  const proof = appsecretProof(TOKEN);
  assert.ok(env.mock.requests.length >= 12);
  for (const request of env.mock.requests) {
    const label = `${request.method} ${request.url}`;
    for (const secret of SECRETS) {
      assert.ok(!request.url.includes(secret) && !request.url.includes(encodeURIComponent(secret)), `${label}: secret in the URL`);
      assert.ok(!request.body.includes(secret), `${label}: secret in the body`);
      for (const [name, value] of Object.entries(request.headers)) {
        if (name !== "authorization") assert.ok(!String(value).includes(secret), `${label}: secret in header ${name}`);
      }
    }
    assert.equal(request.headers.authorization, `Bearer ${TOKEN}`, label);
    assert.equal("access_token" in request.query, false, label);
    const sentProof = request.method === "POST"
      ? new URLSearchParams(request.body).get("appsecret_proof")
      : request.query.appsecret_proof;
    assert.equal(sentProof, proof, `${label}: appsecret_proof`);
  }
  assert.ok(env.mock.requests.some((r) => r.method === "POST"), "the batch was among them");
});

test("the proof is really checked: a wrong app secret is refused by the Graph (code 100)", async () => {
  const err = await failure(env.client({ appSecret: "not-the-app-secret", maxRetries: 0 }).getMessage(ODD_MESSAGE_ID));
  assert.equal(err.kind, "graph");
  assert.equal(err.code, 100);
  assert.match(err.message, /appsecret_proof/);
  assert.ok(!err.message.includes("not-the-app-secret"));
});

test("a precomputed appSecretProof is sent as it is and accepted", async () => {
  const client = env.client({ appSecretProof: appsecretProof(TOKEN) });
  assert.equal((await client.getMessage(ODD_MESSAGE_ID)).id, ODD_MESSAGE_ID);
  assert.equal(env.mock.requests[0].query.appsecret_proof, appsecretProof(TOKEN));
});

test("without an app secret no appsecret_proof is sent", async () => {
  await env.client().getMessage(ODD_MESSAGE_ID);
  assert.equal(env.mock.requests[0].query.appsecret_proof, undefined);
  assert.equal(env.mock.requests[0].headers.authorization, `Bearer ${TOKEN}`);
});

// ---------------------------------------------------------------- echoes

/** A client whose fetch answers `respond(url, init)` and never touches the network. */
function echoClient(respond) {
  return new GraphClient({ accessToken: TOKEN, appSecret: APP_SECRET, callsPerSecond: 0, maxRetries: 0, fetch: async (url, init) => respond(url, init) });
}

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8" } });
const ECHO = `Invalid OAuth access token: ${TOKEN} (signed with ${APP_SECRET})`;

test("a Graph error that echoes the token and the secret is redacted everywhere", async () => {
  const client = echoClient(() => json(400, {
    error: {
      message: ECHO,
      type: `OAuthException ${TOKEN}`,
      code: 190,
      error_subcode: 460,
      error_user_title: `Token ${TOKEN}`,
      error_user_msg: `Please reconnect; secret ${APP_SECRET}`,
      fbtrace_id: `trace-${TOKEN}`,
    },
  }));
  const err = await failure(client.getMessage(ODD_MESSAGE_ID));
  assert.equal(err.kind, "graph");
  assert.equal(err.code, 190);
  assert.match(err.message, /Invalid OAuth access token/, "the rest of the message is kept");
  assertNoSecret(err, "graph echo");
  for (const key of ["userTitle", "userMessage", "type", "fbtraceId"]) {
    for (const secret of SECRETS) assert.ok(!String(err[key]).includes(secret), key);
  }
});

test("a proxy page or a non-JSON body that echoes the token is redacted", async () => {
  const page = `<html><body><h1>502 Bad Gateway</h1><p>upstream: /v24.0/me?access_token=${TOKEN}&secret=${APP_SECRET}</p></body></html>`;
  const http = await failure(echoClient(() => new Response(page, { status: 502, headers: { "content-type": "text/html" } })).getMessage(ODD_MESSAGE_ID));
  assert.equal(http.kind, "http");
  assertNoSecret(http, "http echo");

  const decode = await failure(echoClient(() => new Response(`token=${TOKEN} secret=${APP_SECRET}`, { status: 200 })).listConversations(PAGE_ID));
  assert.equal(decode.kind, "decode");
  assertNoSecret(decode, "decode echo");
});

test("a network failure whose message holds the token is redacted", async () => {
  const client = echoClient(() => {
    throw new TypeError(`fetch failed for https://graph.facebook.com/?access_token=${TOKEN}`, { cause: new Error(`secret ${APP_SECRET}`) });
  });
  const err = await failure(client.getConversation(messenger[0].id));
  assert.equal(err.kind, "network");
  assertNoSecret(err, "network echo");
});

test("a batch item that echoes the token is redacted", async () => {
  const client = echoClient(() => json(200, [
    { code: 400, body: JSON.stringify({ error: { message: ECHO, type: "OAuthException", code: 190 } }) },
    { code: 200, body: JSON.stringify({ id: "m_ok", message: "fine" }) },
  ]));
  const [bad, good] = await client.getMessages(["m_bad", "m_ok"]);
  assert.equal(good.id, "m_ok");
  assert.equal(bad.code, 190);
  assertNoSecret(bad, "batch echo");
});

test("a token pasted where an id or an option belongs is not repeated in the error", async () => {
  const client = env.client();
  const errors = [
    await failure(client.getMessage(`${TOKEN} `)),
    await failure(client.getConversation(`${TOKEN}/x`)),
    await failure(client.listConversations(PAGE_ID, { platform: TOKEN })),
    await failure(client.listConversations(PAGE_ID, { folder: TOKEN })),
    await failure(client.listMessages(messenger[0].id, { fields: `${TOKEN}}` })),
  ];
  errors.forEach((err, i) => {
    assert.equal(err.kind, "invalid_argument");
    assertNoSecret(err, `argument ${i}`);
  });
  assert.equal(env.mock.requests.length, 0);
  let thrown;
  try {
    new GraphClient({ accessToken: TOKEN, appSecret: APP_SECRET, baseUrl: `http://127.0.0.1/?${TOKEN}` });
  } catch (err) {
    thrown = err;
  }
  assertNoSecret(thrown, "constructor");
});

test("the client object itself does not show the token or the secret", () => {
  const client = new GraphClient({ accessToken: TOKEN, appSecret: APP_SECRET });
  const shown = `${inspect(client, { depth: 5, showHidden: true })} ${JSON.stringify(client) ?? ""} ${String(client)}`;
  for (const secret of SECRETS) assert.ok(!shown.includes(secret), shown);
});

test("objects handed back hold no token: the Graph's paging.next links come redacted", async () => {
  const client = env.client();
  const fields = "id,messages.limit(2){id,attachments}";
  const page = await client.listConversations(PAGE_ID, { limit: 3, fields });
  const text = JSON.stringify(page);
  assert.ok(!text.includes(TOKEN), "no token anywhere in the page");
  assert.match(page.paging.next, /access_token=\[redacted\]/, "the link says where the token was");
  assert.match(page.data[0].messages.paging.next, /access_token=\[redacted\]/, "nested links too");
  const raw = await fetch(`${env.mock.url}/v21.0/${PAGE_ID}/conversations?limit=3&fields=${encodeURIComponent(fields)}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  assert.ok((await raw.text()).includes(`access_token=${TOKEN}`), "the mock really sends the token in its links");
  const messages = await client.listMessages(messenger[0].id, { limit: 2 });
  assert.ok(!JSON.stringify(messages).includes(TOKEN));
});

// ---------------------------------------------------------------- every kind, after retries

/** Every URL and body the mock saw holds no secret in its URL; the token only where tokenIn puts it. */
function assertNoSecretInUrls(tokenIn) {
  assert.ok(env.mock.requests.length > 0);
  for (const request of env.mock.requests) {
    for (const secret of SECRETS) {
      assert.ok(!request.url.includes(secret) && !request.url.includes(encodeURIComponent(secret)), `${request.method} ${request.url}: secret in the URL`);
      assert.ok(!request.body.includes(APP_SECRET), `${request.method} ${request.url}: app secret in the body`);
    }
    if (tokenIn === "header") assert.ok(!request.body.includes(TOKEN), "token in a body with tokenIn header");
  }
}

for (const tokenIn of ["header", "body"]) {
  test(`tokenIn ${tokenIn}: every error kind, retried, from a mock that echoes the token and the secret, shows neither`, { timeout: 30_000 }, async () => {
    const client = (extra = {}) => env.client({ appSecret: APP_SECRET, tokenIn, maxRetries: 1, retryDelayMs: 1, timeoutMs: 150, ...extra });
    const always = (spec) => env.mock.fault({ ...spec, times: Infinity, echoToken: true });
    const errors = [];
    const expectFailure = async (label, setup, call, expected) => {
      env.mock.clearFaults();
      setup();
      const err = await failure(call());
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(err[key], value, `${label}: err.${key} (${err.message})`);
      errors.push([label, err]);
    };

    await expectFailure("graph, transient", () => always({ kind: "code-1" }), () => client().getMessage(ODD_MESSAGE_ID), { kind: "graph", code: 1, attempts: 2 });
    await expectFailure("graph, 190", () => always({ kind: "graph-error", code: 190, message: "Error validating access token" }),
      () => client().getConversation(messenger[0].id), { kind: "graph", code: 190, attempts: 1 });
    await expectFailure("graph, 613", () => always({ kind: "rate-limit-613", regainMinutes: 3 }), () => client().listConversations(PAGE_ID), { kind: "graph", code: 613, retryAfterMs: 180_000 });
    await expectFailure("http, proxy page", () => always({ kind: "html-502" }), () => client().listMessages(messenger[0].id), { kind: "http", status: 502, attempts: 2 });
    await expectFailure("http, text", () => always({ kind: "http-500" }), () => client().getMessages([ODD_MESSAGE_ID]), { kind: "http", status: 500 });
    await expectFailure("network", () => always({ kind: "reset" }), () => client().getMessage(ODD_MESSAGE_ID), { kind: "network", attempts: 2 });
    await expectFailure("timeout", () => always({ kind: "slow", ms: 30_000 }), () => client().getMessage(ODD_MESSAGE_ID), { kind: "timeout", attempts: 2 });
    await expectFailure("aborted", () => always({ kind: "slow", ms: 30_000 }), () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      return client({ timeoutMs: 10_000 }).getMessage(ODD_MESSAGE_ID, { signal: controller.signal });
    }, { kind: "aborted" });
    await expectFailure("decode, not JSON", () => always({ kind: "http", status: 200, contentType: "application/json; charset=UTF-8", body: "token echo:" }),
      () => client().listConversations(PAGE_ID), { kind: "decode", status: 200 });
    await expectFailure("decode, cut-off page with paging links", () => env.mock.fault({ kind: "truncated-json", times: Infinity }),
      () => client().listConversations(PAGE_ID, { limit: 2, fields: "id,messages.limit(1){id}" }), { kind: "decode" });
    await expectFailure("iterator, with a cursor", () => always({ kind: "code-2", match: "/conversations", skip: 1 }), async () => {
      const iterator = client().conversations(PAGE_ID, { limit: 5 });
      for (let i = 0; i < 10; i++) await iterator.next(); // page 1 gives 5, page 2 fails
    }, { kind: "graph", code: 2, attempts: 2 });
    assert.equal(typeof errors.at(-1)[1].cursor, "string", "the iterator's error carries a cursor");
    await expectFailure("invalid_argument", () => {}, () => client().getMessage(`${TOKEN}?${APP_SECRET}`), { kind: "invalid_argument" });

    assert.deepEqual(new Set(errors.map(([, err]) => err.kind)), new Set(["graph", "http", "network", "timeout", "aborted", "decode", "invalid_argument"]));
    for (const [label, err] of errors) assertNoSecret(err, `${tokenIn}: ${label}`);
    // Not vacuous: the echoed secrets did reach these messages, redacted.
    for (const [label, err] of errors.filter(([l]) => /^(graph|http|decode, not JSON|iterator)/.test(l))) {
      assert.match(err.message, /access_token=\[redacted\] appsecret=\[redacted\]/, `${tokenIn}: ${label}: ${err.message}`);
    }
    assertNoSecretInUrls(tokenIn);
  });
}

test("an interrupted syncInbox: the error, its cursor and its partial inbox show no secret", { timeout: 30_000 }, async () => {
  const client = env.client({ appSecret: APP_SECRET, maxRetries: 1, retryDelayMs: 1 });
  env.mock.fault({ kind: "html-502", match: "/conversations", skip: 1, times: Infinity, echoToken: true });
  const err = await failure(client.syncInbox(PAGE_ID, { pageSize: 10, messagesPerConversation: 3 }));
  assert.equal(err.kind, "http");
  assert.equal(typeof err.cursor, "string");
  assert.equal(err.inbox?.conversations.length, 10, "the first page is in the partial inbox");
  assertNoSecret(err, "sync");
  for (const secret of SECRETS) {
    assert.ok(!JSON.stringify(err.inbox).includes(secret), "partial inbox");
    assert.ok(!err.cursor.includes(secret) && !Buffer.from(err.cursor, "base64").toString("latin1").includes(secret), "sync cursor");
  }
  assertNoSecretInUrls("header");
});
