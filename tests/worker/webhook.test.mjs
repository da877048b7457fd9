// examples/worker's live half in the real Workers runtime (workerd): Meta's
// subscription handshake on GET /webhook, signed event POSTs built here the
// way Meta signs them, and GET /inbox showing what they brought — once per
// message, the latest edit winning, whatever the repeats and the order.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PAGE_ID, TOKEN, startMockGraph } from "../../mock/server.mjs";
import { editItem, envelope, messageItem, metaJson, signedHeaders } from "./meta-webhook.mjs";
import { startWorker } from "./workerd.mjs";

// APP_SECRET as a rotation would leave it for a while: the old secret and the new one.
const OLD_SECRET = "worker-test-old-app-secret";
const APP_SECRET = "worker-test-new-app-secret";
const VERIFY_TOKEN = "worker-test-verify-token";
const ACCESS_KEY = "worker-test-access-key";
const SECRETS = [OLD_SECRET, APP_SECRET, VERIFY_TOKEN, ACCESS_KEY, TOKEN];
const IG_ACCOUNT_ID = "17841400000000001";

let mock;
let worker;
const answers = []; // every body the Worker sent, to check that none holds a secret

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  mock = await startMockGraph();
  worker = await startWorker({
    bindings: {
      PAGE_ACCESS_TOKEN: TOKEN,
      PAGE_ID,
      GRAPH_BASE_URL: mock.url,
      ACCESS_KEY,
      APP_SECRET: `${OLD_SECRET}, ${APP_SECRET}`,
      VERIFY_TOKEN,
      IG_ACCOUNT_ID,
    },
  });
});
after(async () => {
  await worker?.stop();
  await mock?.close();
});

/** A request to the Worker, without the ACCESS_KEY (as Meta sends them); resolves to `{ status, type, text, ms }`. */
async function send(path, init = {}) {
  const started = Date.now();
  const response = await fetch(`${worker.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, type: response.headers.get("content-type") ?? "", text, ms: Date.now() - started };
}

/** POSTs `rawBody` to /webhook signed with `secret` (Meta's header). */
function postWebhook(rawBody, secret = APP_SECRET) {
  return send("/webhook", { method: "POST", headers: signedHeaders(rawBody, secret), body: rawBody });
}

/** GET /inbox… with the ACCESS_KEY; resolves to `{ status, body }`. */
async function inbox(path = "/inbox") {
  const { status, type, text } = await send(path, { headers: { Authorization: `Bearer ${ACCESS_KEY}` } });
  assert.match(type, /^application\/json/, `${path}: ${text}`);
  return { status, body: JSON.parse(text) };
}

/** A Messenger webhook body with one messaging item, as Meta serialises it. */
const page = (...items) => metaJson(envelope("page", PAGE_ID, items));

test("the subscription handshake answers the challenge for the right verify token, 403 otherwise", async () => {
  const query = (token) => `hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
  const right = await send(`/webhook?${query(VERIFY_TOKEN)}`);
  assert.equal(right.status, 200);
  assert.equal(right.text, "1158201444");
  assert.match(right.type, /^text\/plain/);

  const wrong = await send(`/webhook?${query("not-the-verify-token")}`);
  assert.equal(wrong.status, 403);
  assert.notEqual(wrong.text, "1158201444");
  assert.equal((await send("/webhook")).status, 403, "a GET that is no subscription");
});

test("a message signed by Meta (escaped unicode, an emoji) answers 200 at once and shows in GET /inbox", async () => {
  const customerId = "5120094478812101";
  const text = "Is the blue one in stock? \u00e4 \u{1F600} 1/2";
  const body = page(messageItem({ accountId: PAGE_ID, customerId, mid: "m_live_0101", text, timestamp: 1764921600000 }));
  // What Meta sends, and what a verifier that parses and re-serialises would get wrong.
  assert.ok(body.includes("\\u00e4 \\ud83d\\ude00 1\\/2"), body);

  const answer = await postWebhook(body);
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.text, "EVENT_RECEIVED");
  assert.ok(answer.ms < 5_000, `Meta waits 5 s; answered in ${answer.ms} ms`);

  const all = await inbox();
  assert.equal(all.status, 200);
  const conversation = all.body.find((c) => c.customer_id === customerId);
  assert.ok(conversation, JSON.stringify(all.body));
  assert.deepEqual(conversation.messages.map((m) => [m.id, m.message, m.from.id]), [["m_live_0101", text, customerId]]);

  const one = await inbox(`/inbox/${customerId}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body, conversation);
});

test("a body signed with the old secret of a rotation is accepted too", async () => {
  const customerId = "5120094478812102";
  const body = page(messageItem({ accountId: PAGE_ID, customerId, mid: "m_live_0102", text: "old secret", timestamp: 1764921600000 }));
  assert.equal((await postWebhook(body, OLD_SECRET)).status, 200);
  assert.equal((await inbox(`/inbox/${customerId}`)).body.messages[0].message, "old secret");
});

test("a bad, missing or re-serialised signature answers 401 and nothing is applied", async () => {
  const customerId = "5120094478812103";
  const text = "forged \u{1F600}";
  const body = page(messageItem({ accountId: PAGE_ID, customerId, mid: "m_forged_0103", text, timestamp: 1764921600000 }));
  const before = (await inbox()).body;

  const wrongSecret = await postWebhook(body, "not-the-app-secret");
  assert.equal(wrongSecret.status, 401, wrongSecret.text);
  const unsigned = await send("/webhook", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  assert.equal(unsigned.status, 401, unsigned.text);
  // Signed over Meta's bytes, sent as JSON.stringify writes the same object: other bytes.
  const reserialised = JSON.stringify(JSON.parse(body));
  assert.notEqual(reserialised, body);
  const moved = await send("/webhook", { method: "POST", headers: signedHeaders(body, APP_SECRET), body: reserialised });
  assert.equal(moved.status, 401, moved.text);

  assert.equal((await inbox(`/inbox/${customerId}`)).status, 404);
  assert.deepEqual((await inbox()).body, before, "the inbox did not change");
});

test("replayed and out-of-order events: every POST answers 200, the message is there once, the later edit wins", async () => {
  const customerId = "5120094478812104";
  const mid = "m_live_0104";
  const message = page(messageItem({ accountId: PAGE_ID, customerId, mid, text: "Is the blue one in stock?", timestamp: 1764921600000 }));
  const firstEdit = page(editItem({ accountId: PAGE_ID, customerId, mid, text: "Is the red one in stock?", numEdit: 1, timestamp: 1764921660000 }));
  const secondEdit = page(editItem({ accountId: PAGE_ID, customerId, mid, text: "Is the green one in stock?", numEdit: 2, timestamp: 1764921720000 }));

  // Meta redelivers what it thinks failed, and after a failure not in order:
  // the message twice, the second edit before the first, then the second again.
  for (const body of [message, message, secondEdit, firstEdit, secondEdit]) {
    const answer = await postWebhook(body);
    assert.equal(answer.status, 200, answer.text);
  }

  const { status, body } = await inbox(`/inbox/${customerId}`);
  assert.equal(status, 200);
  assert.equal(body.messages.length, 1, JSON.stringify(body.messages));
  assert.equal(body.messages[0].id, mid);
  assert.equal(body.messages[0].message, "Is the green one in stock?");
  assert.equal(body.messages[0].edit_count, 2);
  assert.equal((await inbox()).body.filter((c) => c.customer_id === customerId).length, 1, "one conversation");
});

test("a correctly signed body that is not a webhook answers 400 and changes nothing", async () => {
  const before = (await inbox()).body;
  for (const body of ['{"hello":"world"}', '{"object":"page","entry":"not a list"}', "not json"]) {
    const answer = await postWebhook(body);
    assert.equal(answer.status, 400, `${body}: ${answer.text}`);
  }
  assert.deepEqual((await inbox()).body, before);
});

test("Instagram events go to GET /inbox?platform=instagram; another Page's events are acknowledged, not applied", async () => {
  const customerId = "5120094478812105";
  const instagram = metaJson(
    envelope("instagram", IG_ACCOUNT_ID, [messageItem({ accountId: IG_ACCOUNT_ID, customerId, mid: "aWdfZAG1pZDoxNzg0MTQw", text: "ig hello", timestamp: 1764921600000 })]),
  );
  assert.equal((await postWebhook(instagram)).status, 200);
  const ig = await inbox(`/inbox/${customerId}?platform=instagram`);
  assert.equal(ig.status, 200);
  assert.equal(ig.body.messages[0].message, "ig hello");
  assert.equal((await inbox(`/inbox/${customerId}`)).status, 404, "not in the Messenger inbox");

  const otherPage = "999000111222333";
  const foreign = metaJson(envelope("page", otherPage, [messageItem({ accountId: otherPage, customerId: "5120094478812106", mid: "m_other_page", text: "not ours", timestamp: 1764921600000 })]));
  assert.equal((await postWebhook(foreign)).status, 200, "Meta must not send it again");
  assert.equal((await inbox("/inbox/5120094478812106")).status, 404);
});

test("/webhook needs no ACCESS_KEY; /inbox does, answers 404 for an unknown conversation and 400 for a bad platform", async () => {
  const noKey = await send("/inbox");
  assert.equal(noKey.status, 401);
  assert.equal(JSON.parse(noKey.text).error.kind, "unauthorized");
  assert.equal((await send("/inbox/5120094478812101")).status, 401);

  const unknown = await inbox("/inbox/5120094478899999");
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.kind, "not_found");
  const bad = await inbox("/inbox?platform=whatsapp");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.kind, "invalid_argument");
  assert.equal((await send("/inbox", { method: "POST", headers: { Authorization: `Bearer ${ACCESS_KEY}` } })).status, 405);
  assert.equal((await send("/webhook", { method: "PUT" })).status, 405);
});

test("the webhook and the inbox made no Graph call, and no answer or log line holds a secret", () => {
  assert.deepEqual(mock.requests, []);
  assert.ok(answers.length > 20);
  for (const text of [...answers, worker.output()]) {
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `a secret in: ${text}`);
  }
});
