// examples/worker's reply route in the real Workers runtime (workerd), against
// the mock Graph's Send API: POST /threads/:customerId/messages sends once,
// answers 201 with the sent message, which is in GET /inbox at once and stays
// one message when its echo webhook comes (twice); a refused send answers 422
// (429 when throttled), one whose fate is unknown 504, bad input 400 with
// nothing sent.
//
// The mock's webhooks go to the Worker's /webhook, signed with its
// APP_SECRET, but only when a test flushes them (`deliver()`): what the
// Worker's inbox holds before an echo comes is then known.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PAGE_ID, TOKEN, replyWindows, startMock } from "../../mock/server.mjs";
import { startWorker } from "./workerd.mjs";

const APP_SECRET = "reply-test-app-secret";
const VERIFY_TOKEN = "reply-test-verify-token";
const ACCESS_KEY = "reply-test-access-key";
const SECRETS = [APP_SECRET, VERIFY_TOKEN, ACCESS_KEY, TOKEN];

// Seeded Messenger customers, as the mock's clock has them after reset():
// some who wrote within 24 hours (any reply goes), one whose last message is
// older than 7 days (none does).
const WINDOWS = replyWindows("messenger").filter((row) => row.folder === "inbox" && row.canReply);
const OPEN = WINDOWS.filter((row) => row.window === "open").map((row) => row.customerId);
const CLOSED = WINDOWS.find((row) => row.window === "closed")?.customerId;
assert.ok(OPEN.length >= 4 && CLOSED, "the seeded inbox has customers in and out of the reply window");

let mock;
let worker;
const answers = []; // every body the Worker sent, to check that none holds a secret

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  // Webhooks wait for a test's deliver() (the longest batch window the mock takes).
  mock = await startMock({ webhooks: { batchWindowMs: 60_000 } });
  worker = await startWorker({
    bindings: { PAGE_ACCESS_TOKEN: TOKEN, PAGE_ID, GRAPH_BASE_URL: mock.url, ACCESS_KEY, APP_SECRET, VERIFY_TOKEN },
  });
  // Meta's handshake first: subscribe rejects if the Worker refuses it.
  await mock.webhooks.subscribe({ url: `${worker.url}/webhook`, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, objects: ["page"] });
});
beforeEach(() => {
  answers.push(...mock.webhooks.deliveries.map((d) => d.answer ?? ""));
  mock.reset();
});
after(async () => {
  await worker?.stop();
  await mock?.close();
});

/** Calls the Worker (with the access key unless told otherwise); resolves to `{ status, headers, body }`. */
async function call(path, { method = "GET", body, key = ACCESS_KEY } = {}) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const text = typeof body === "string" || body === undefined ? body : JSON.stringify(body);
  const response = await fetch(`${worker.url}${path}`, { method, headers, body: text, signal: AbortSignal.timeout(15_000) });
  const answer = await response.text();
  answers.push(answer);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/, `${path}: ${answer}`);
  return { status: response.status, headers: response.headers, body: JSON.parse(answer) };
}

const replyTo = (customerId, body, options = {}) => call(`/threads/${customerId}/messages`, { method: "POST", body, ...options });

/** The Send API calls the mock saw (refused ones too; `mock.sends` has only those it took). */
const sendCalls = () => mock.requests.filter((r) => r.method === "POST" && /\/messages$/.test(r.path));

/** Delivers the queued webhooks to the Worker now and waits for its answers: each POST answered 200. */
async function deliver() {
  const from = mock.webhooks.deliveries.length;
  mock.webhooks.flush();
  await mock.webhooks.settled();
  const posts = mock.webhooks.deliveries.slice(from);
  assert.ok(posts.length > 0, "a webhook went");
  for (const post of posts) assert.equal(post.status, 200, `webhook answered: ${post.answer}`);
  return posts;
}

test("a reply is sent once, answers 201 with the sent message, and is in GET /inbox at once; its echo does not repeat it", async () => {
  const customerId = OPEN[0];
  // The person wrote first (its webhook reaches the Worker); the reply quotes that message.
  const question = mock.customerWrites(customerId, { text: "Where is my order?" });
  await deliver();
  // The inbox orders by created_time, whole seconds (ties by mid): the reply a second later is the newest.
  const asked = mock.webhooks.events.find((e) => e.mid === question).timestamp;
  await new Promise((done) => setTimeout(done, 1000 - (asked % 1000) + 10));

  const text = "On its way \u{1F69A} (1/2)";
  const { status, body } = await replyTo(customerId, { text, metadata: "ticket-42", replyTo: question });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.recipientId, customerId);
  assert.equal(body.message.id, body.messageId);
  assert.equal(body.message.message, text);

  // One Send API call: the Page's messages edge, the token in the header only; the mock took it.
  const calls = sendCalls();
  assert.equal(calls.length, 1);
  const [sent] = calls;
  assert.match(sent.path, new RegExp(`^/v\\d+\\.\\d+/${PAGE_ID}/messages$`));
  assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!sent.url.includes(TOKEN) && !sent.body.includes(TOKEN), "the token only in the header");
  assert.equal(mock.sends.length, 1);
  const [taken] = mock.sends;
  assert.deepEqual(
    [taken.kind, taken.accountId, taken.recipientId, taken.mid, taken.text, taken.metadata, taken.replyTo],
    ["message", PAGE_ID, customerId, body.messageId, text, "ticket-42", question],
  );

  // In the inbox at once: the echo has not been delivered yet.
  const echoes = mock.webhooks.events.filter((e) => e.kind === "echo");
  assert.deepEqual(echoes.map((e) => e.mid), [body.messageId], "the mock told the echo");
  const atOnce = await call(`/inbox/${customerId}`);
  assert.equal(atOnce.status, 200);
  assert.deepEqual(atOnce.body.messages.map((m) => [m.id, m.message]), [[body.messageId, text], [question, "Where is my order?"]]);

  // Meta's echo of the same message, and its redelivery: still the one message.
  mock.webhooks.fault({ kind: "webhook-redeliver", match: body.messageId });
  const posts = await deliver();
  assert.equal(posts.length, 2, "the echo arrived twice");
  assert.ok(posts.every((p) => p.body.includes(body.messageId) && p.body.includes('"is_echo":true')));
  const withEcho = await call(`/inbox/${customerId}`);
  assert.deepEqual(withEcho.body.messages.map((m) => m.id), [body.messageId, question]);
  assert.equal(withEcho.body.messages[0].message, text);
});

test("a reply the client refuses answers 400 invalid_argument, and nothing is sent", async () => {
  const customerId = OPEN[3];
  const cases = [
    ["no text, no attachment", {}],
    ["a text over Messenger's 2000 characters", { text: "x".repeat(2001) }],
    ["a retired tag", { text: "hi", tag: "ACCOUNT_UPDATE" }],
    ["an attachment not on https", { attachment: { type: "image", url: "http://example.com/a.png" } }],
    ["an unknown field", { text: "hi", subject: "x" }],
    ["a body that is not JSON", "text=hi"],
    ["a JSON array", [{ text: "hi" }]],
  ];
  for (const [what, body] of cases) {
    const answer = await replyTo(customerId, body);
    assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error.kind, "invalid_argument", what);
    assert.equal(typeof answer.body.error.message, "string", what);
  }
  const badId = await replyTo("a%20b", { text: "hi" });
  assert.equal(badId.status, 400);
  assert.equal(badId.body.error.kind, "invalid_argument");
  assert.deepEqual(mock.requests, []);
  assert.deepEqual(mock.sends, []);
  assert.equal((await call(`/inbox/${customerId}`)).status, 404);
});

test("a send the Graph refuses answers 422 with the GraphError's fields, delivery not_sent and the refusal", async () => {
  // A customer whose last message is more than 7 days old on the mock's clock.
  const { status, body } = await replyTo(CLOSED, { text: "Are you still there?" });
  assert.equal(status, 422, JSON.stringify(body));
  const { error } = body;
  assert.equal(error.kind, "graph");
  assert.equal(error.delivery, "not_sent");
  assert.equal(error.refusal, "outside_window");
  assert.deepEqual([error.code, error.subcode, error.type, error.graphStatus], [10, 2018278, "OAuthException", 400]);
  assert.equal(typeof error.fbtraceId, "string");
  assert.ok(error.fbtraceId.length > 0, "the Graph's trace id");
  assert.equal(error.transient, false);
  assert.match(error.message, /HUMAN_AGENT/, "says what a person can do");
  assert.equal(sendCalls().length, 1, "sent once");
  assert.deepEqual(mock.sends, [], "the Graph took nothing");
  assert.equal((await call(`/inbox/${CLOSED}`)).status, 404, "nothing in the inbox");
});

test("a throttled send answers 429: not sent, so the caller may send it again later", async () => {
  mock.fault({ kind: "rate-limit-613", match: "/messages" });
  const { status, body } = await replyTo(OPEN[1], { text: "Hello" });
  assert.equal(status, 429, JSON.stringify(body));
  assert.deepEqual([body.error.delivery, body.error.code, body.error.transient], ["not_sent", 613, true]);
  assert.equal(sendCalls().length, 1, "no retry inside the Worker (maxRetries: 0)");
  assert.deepEqual(mock.sends, [], "the Graph took nothing");
});

test("a send whose fate is unknown answers 504 with delivery unknown, and is not sent again", async () => {
  const customerId = OPEN[2];
  // The Graph takes the send, then the connection drops before its answer.
  // (The Worker's client timeout is fixed at 10 s, so not send-then-late.)
  mock.fault({ kind: "send-then-drop" });
  const { status, body } = await replyTo(customerId, { text: "Hello?" });
  assert.equal(status, 504, JSON.stringify(body));
  assert.equal(body.error.delivery, "unknown");
  assert.equal(body.error.graphStatus, undefined, "no answer came");
  assert.equal(body.error.refusal, undefined);
  assert.equal(sendCalls().length, 1, "never sent twice");
  assert.equal(mock.sends.length, 1, "it did go out");
  const [taken] = mock.sends;
  assert.equal((await call(`/inbox/${customerId}`)).status, 404, "not in the inbox unless its echo comes");

  // Its echo comes: now it is, once.
  await deliver();
  const withEcho = await call(`/inbox/${customerId}`);
  assert.equal(withEcho.status, 200);
  assert.deepEqual(withEcho.body.messages.map((m) => [m.id, m.message]), [[taken.mid, "Hello?"]]);
});

test("the reply route needs the ACCESS_KEY and takes POST only", async () => {
  const noKey = await replyTo(OPEN[3], { text: "hi" }, { key: null });
  assert.equal(noKey.status, 401);
  const wrongKey = await replyTo(OPEN[3], { text: "hi" }, { key: "reply-test-access-kez" });
  assert.equal(wrongKey.status, 401);
  const get = await call(`/threads/${OPEN[3]}/messages`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.deepEqual(mock.requests, []);
});

test("no answer of the Worker and no line it logged holds a secret", () => {
  answers.push(...mock.webhooks.deliveries.map((d) => d.answer ?? ""));
  assert.ok(answers.length > 15);
  for (const text of [...answers, worker.output()]) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret in: ${text}`);
  }
});
