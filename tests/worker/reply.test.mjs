// examples/worker's reply route in the real Workers runtime (workerd):
// POST /threads/:customerId/messages sends once through the Send API,
// answers 201 with the sent message, which is in GET /inbox at once and
// stays one message when its echo webhook comes; a refused send answers 422
// (429 when throttled), one whose fate is unknown 504, bad input 400 with
// nothing sent.
//
// THE GRAPH HERE IS A STAND-IN (send-stand-in.mjs) for the Send API's POST
// alone, until the mock Graph answers sends (branch h-mocksend): then this
// file should start the mock instead.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { PAGE_ID, TOKEN } from "../../mock/server.mjs";
import { echoItem, envelope, messageItem, metaJson, signedHeaders } from "./meta-webhook.mjs";
import { RECIPIENTS, startSendStandIn } from "./send-stand-in.mjs";
import { startWorker } from "./workerd.mjs";

const APP_SECRET = "reply-test-app-secret";
const VERIFY_TOKEN = "reply-test-verify-token";
const ACCESS_KEY = "reply-test-access-key";
const SECRETS = [APP_SECRET, VERIFY_TOKEN, ACCESS_KEY, TOKEN];

let graph;
let worker;
const answers = []; // every body the Worker sent, to check that none holds a secret

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  graph = await startSendStandIn();
  worker = await startWorker({
    bindings: { PAGE_ACCESS_TOKEN: TOKEN, PAGE_ID, GRAPH_BASE_URL: graph.url, ACCESS_KEY, APP_SECRET, VERIFY_TOKEN },
  });
});
beforeEach(() => graph.reset());
after(async () => {
  await worker?.stop();
  await graph?.close();
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

/** POSTs a Messenger webhook body with these items to /webhook, signed as Meta signs it. */
async function postWebhook(...items) {
  const raw = metaJson(envelope("page", PAGE_ID, items));
  const response = await fetch(`${worker.url}/webhook`, { method: "POST", headers: signedHeaders(raw, APP_SECRET), body: raw, signal: AbortSignal.timeout(15_000) });
  answers.push(await response.text());
  return response.status;
}

test("a reply is sent once, answers 201 with the sent message, and is in GET /inbox at once; its echo does not repeat it", async () => {
  const customerId = "7000000000000001";
  // The person wrote first (a webhook); the reply quotes that message.
  assert.equal(await postWebhook(messageItem({ accountId: PAGE_ID, customerId, mid: "m_question_7001", text: "Where is my order?", timestamp: Date.now() - 60_000 })), 200);

  const text = "On its way \u{1F69A} (1/2)";
  const { status, body } = await replyTo(customerId, { text, metadata: "ticket-42", replyTo: "m_question_7001" });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.recipientId, customerId);
  assert.match(body.messageId, /^m_stand_in_\d+$/);
  assert.equal(body.message.id, body.messageId);
  assert.equal(body.message.message, text);

  // One Send API call: the Page's messages edge, the token in the header only.
  assert.equal(graph.requests.length, 1);
  const [sent] = graph.requests;
  assert.equal(sent.method, "POST");
  assert.match(sent.path, new RegExp(`^/v\\d+\\.\\d+/${PAGE_ID}/messages$`));
  assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!sent.path.includes(TOKEN) && !JSON.stringify(sent.form).includes(TOKEN), "the token only in the header");
  assert.deepEqual(sent.recipient, { id: customerId });
  assert.deepEqual([sent.message.text, sent.message.metadata], [text, "ticket-42"]);
  assert.deepEqual(JSON.parse(sent.form.reply_to), { mid: "m_question_7001" });

  const after = await call(`/inbox/${customerId}`);
  assert.equal(after.status, 200);
  assert.deepEqual(after.body.messages.map((m) => [m.id, m.message]), [[body.messageId, text], ["m_question_7001", "Where is my order?"]]);

  // Meta's echo of the same message, and its redelivery: still the one message.
  const echo = echoItem({ accountId: PAGE_ID, customerId, mid: body.messageId, text, metadata: "ticket-42", timestamp: Date.now() });
  assert.equal(await postWebhook(echo), 200);
  assert.equal(await postWebhook(echo), 200);
  const withEcho = await call(`/inbox/${customerId}`);
  assert.deepEqual(withEcho.body.messages.map((m) => m.id), [body.messageId, "m_question_7001"]);
  assert.equal(withEcho.body.messages[0].message, text);
});

test("a reply the client refuses answers 400 invalid_argument, and nothing is sent", async () => {
  const customerId = "7000000000000004";
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
  assert.deepEqual(graph.requests, []);
  assert.equal((await call(`/inbox/${customerId}`)).status, 404);
});

test("a send the Graph refuses answers 422 with the GraphError's fields, delivery not_sent and the refusal", async () => {
  const { status, body } = await replyTo(RECIPIENTS.outsideWindow, { text: "Are you still there?" });
  assert.equal(status, 422, JSON.stringify(body));
  const { error } = body;
  assert.equal(error.kind, "graph");
  assert.equal(error.delivery, "not_sent");
  assert.equal(error.refusal, "outside_window");
  assert.deepEqual([error.code, error.subcode, error.type, error.graphStatus, error.fbtraceId], [10, 2018278, "OAuthException", 400, "AStandInTraceId"]);
  assert.equal(error.transient, false);
  assert.match(error.message, /HUMAN_AGENT/, "says what a person can do");
  assert.equal(graph.requests.length, 1, "sent once");
  assert.equal((await call(`/inbox/${RECIPIENTS.outsideWindow}`)).status, 404, "nothing in the inbox");
});

test("a throttled send answers 429: not sent, so the caller may send it again later", async () => {
  const { status, body } = await replyTo(RECIPIENTS.throttled, { text: "Hello" });
  assert.equal(status, 429, JSON.stringify(body));
  assert.deepEqual([body.error.delivery, body.error.code, body.error.transient], ["not_sent", 613, true]);
  assert.equal(graph.requests.length, 1, "no retry inside the Worker (maxRetries: 0)");
});

test("a send whose fate is unknown answers 504 with delivery unknown, and is not sent again", async () => {
  const { status, body } = await replyTo(RECIPIENTS.proxyPage, { text: "Hello?" });
  assert.equal(status, 504, JSON.stringify(body));
  assert.equal(body.error.delivery, "unknown");
  assert.equal(body.error.graphStatus, 502);
  assert.equal(body.error.refusal, undefined);
  assert.equal(graph.requests.length, 1, "never sent twice");
  assert.equal((await call(`/inbox/${RECIPIENTS.proxyPage}`)).status, 404, "not in the inbox unless its echo comes");
});

test("the reply route needs the ACCESS_KEY and takes POST only", async () => {
  const noKey = await replyTo("7000000000000005", { text: "hi" }, { key: null });
  assert.equal(noKey.status, 401);
  const wrongKey = await replyTo("7000000000000005", { text: "hi" }, { key: "reply-test-access-kez" });
  assert.equal(wrongKey.status, 401);
  const get = await call("/threads/7000000000000005/messages");
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.deepEqual(graph.requests, []);
});

test("no answer of the Worker and no line it logged holds a secret", () => {
  assert.ok(answers.length > 15);
  for (const text of [...answers, worker.output()]) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret in: ${text}`);
  }
});
