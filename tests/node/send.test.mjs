// The Send API of the built package against the mock Graph: sendMessage,
// sendAction and react on a Page's Messenger and Instagram inboxes (the
// shared suite of flavours.mjs), the Graph's rules the client never lets
// reach the wire (shown on the wire itself), and a sent message and its
// signed echo webhook becoming one message in an Inbox.
//
//   node --test tests/node/send.test.mjs        (after make build)

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import {
  APP_SECRET, IG_ACCOUNT_ID, PAGE_ID, RETIRED_TAGS, TOKEN, replyWindows,
} from "../../mock/server.mjs";
import { Inbox, Webhook } from "../../pkg/node.js";
import { TARGETS, clientFor, customerIn, sendSuite } from "./flavours.mjs";
import { rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph({ webhooks: { batchWindowMs: 5, retryBaseMs: 20 } });

sendSuite(env, TARGETS.messengerPage);
sendSuite(env, TARGETS.instagramPage);

const open = customerIn("messenger", "open");
const igOpen = customerIn("instagram", "open");

/** A raw Send API call, as another tool (or an older client) might make it. */
async function rawSend(fields, { json = false, path = `/v24.0/${PAGE_ID}/messages` } = {}) {
  const body = json
    ? JSON.stringify(fields)
    : new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString();
  const res = await fetch(`${env.mock.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded" },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe("the Graph's rules on the wire (what the client refuses before sending)", () => {
  const reply = (to, message, extra = {}) => ({ recipient: { id: to }, messaging_type: "RESPONSE", message, ...extra });

  test("retired tags answer code 100, naming the tag; HUMAN_AGENT needs MESSAGE_TAG", async () => {
    for (const tag of RETIRED_TAGS) {
      const { status, json } = await rawSend(reply(open.customerId, { text: "hi" }, { messaging_type: "MESSAGE_TAG", tag }));
      assert.equal(status, 400);
      assert.equal(json.error.code, 100);
      assert.match(json.error.message, new RegExp(`Tag ${tag} was retired`));
    }
    assert.equal((await rawSend(reply(open.customerId, { text: "hi" }, { tag: "HUMAN_AGENT" }))).json.error.code, 100);
    assert.equal(env.mock.sends.length, 0);
  });

  test("a retired tag that does reach the Graph comes back as refusal retired_tag, with the advice", async () => {
    // An older tool slips the tag into the client's form: the Graph's answer is what the client explains.
    const fetchWithTag = (url, init) => fetch(url, { ...init, body: `${init.body}&tag=ACCOUNT_UPDATE`.replace("messaging_type=RESPONSE", "messaging_type=MESSAGE_TAG") });
    const client = clientFor(env, TARGETS.messengerPage, { fetch: fetchWithTag });
    const err = await rejectsWithGraphError(client.sendMessage(PAGE_ID, open.customerId, { text: "Your account changed" }), {
      code: 100, refusal: "retired_tag", delivery: "not_sent",
    });
    assert.match(err.message, /retired on 27 April 2026\): use HUMAN_AGENT or send within the 24-hour window/);
    assert.equal(env.mock.sends.length, 0);
  });

  test("text limits: Messenger fewer than 2000 characters, Instagram at most 1000 bytes", async () => {
    const at = (n) => "ü".repeat(n);
    assert.equal((await rawSend(reply(open.customerId, { text: at(1999) }))).status, 200, "1999 characters");
    const messenger = await rawSend(reply(open.customerId, { text: at(2000) }));
    assert.deepEqual([messenger.status, messenger.json.error.code], [400, 100]);
    assert.match(messenger.json.error.message, /less than 2000 characters/);
    assert.equal((await rawSend(reply(igOpen.customerId, { text: at(500) }))).status, 200, "1000 bytes on Instagram");
    const instagram = await rawSend(reply(igOpen.customerId, { text: `${at(500)}!` }));
    assert.deepEqual([instagram.status, instagram.json.error.code], [400, 100]);
    assert.match(instagram.json.error.message, /at most 1000 bytes on Instagram, got 1001/);
    assert.equal(env.mock.sends.length, 2);
  });

  test("malformed sends answer code 100 and take nothing", async () => {
    const mid = env.mock.customerWrites(open.customerId, { text: "Quote me" });
    const cases = [
      [{ messaging_type: "RESPONSE", message: { text: "hi" } }, /recipient is required/],
      [{ recipient: "not json", messaging_type: "RESPONSE", message: { text: "hi" } }, /recipient must be a JSON object/],
      [reply(open.customerId, { text: "hi" }, { messaging_type: "PROMOTION" }), /messaging_type must be one of/],
      [{ recipient: { id: open.customerId }, message: { text: "hi" } }, /messaging_type is required/],
      [reply(open.customerId, {}), /message must be non-empty/],
      [reply(open.customerId, { attachment: { type: "sticker", payload: { url: "https://example.com/a" } } }), /attachment\]\[type\] must be one of/],
      [reply(open.customerId, { text: "hi" }, { reply_to: { mid: "m_not_here" } }), /not in this conversation/],
      [reply(open.customerId, { text: "hi" }, { sender_action: "typing_on" }), /sender_action goes alone/],
      [{ recipient: { id: open.customerId }, sender_action: "react", payload: { message_id: mid } }, /payload\[reaction\] must be an emoji/],
      [{ recipient: { id: open.customerId }, sender_action: "wave" }, /sender_action must be one of/],
    ];
    for (const [fields, why] of cases) {
      const { status, json } = await rawSend(fields);
      assert.deepEqual([status, json.error.code], [400, 100], String(why));
      assert.match(json.error.message, why);
    }
    assert.equal(env.mock.sends.length, 0);
    const quoted = await rawSend(reply(open.customerId, { text: "Quoted" }, { reply_to: { mid } }), { json: true });
    assert.equal(quoted.status, 200, "a JSON body works too, and a reply may quote the thread's message");
    const served = await clientFor(env, TARGETS.messengerPage).getMessage(quoted.json.message_id, { fields: ["id", "reply_to"] });
    assert.deepEqual(served.reply_to, { mid, is_self_reply: false });
  });

  test("sends are not held to the Conversations API's budget", async () => {
    env.mock.setCallsPerSecond(1);
    try {
      const client = clientFor(env, TARGETS.messengerPage);
      for (let i = 0; i < 4; i++) await client.sendMessage(PAGE_ID, open.customerId, { text: `quick ${i}` });
      assert.equal(env.mock.stats.rateLimited, 0);
      assert.equal(env.mock.sends.length, 4);
    } finally {
      env.mock.setCallsPerSecond(0);
    }
  });

  test("the Page reaches Instagram customers too; the Instagram account only them", async () => {
    const client = clientFor(env, TARGETS.messengerPage);
    const sent = await client.sendMessage(PAGE_ID, igOpen.customerId, { text: "Via the Page", platform: "instagram" });
    assert.deepEqual(env.mock.sends.map((s) => [s.mid, s.accountId, s.platform]), [[sent.messageId, PAGE_ID, "instagram"]]);
    const [newest] = (await client.listMessages(igOpen.threadId, { limit: 1, fields: ["id", "from"] })).data;
    assert.deepEqual(newest.from.id, IG_ACCOUNT_ID, "from the Instagram account");
    await rejectsWithGraphError(client.sendMessage(IG_ACCOUNT_ID, open.customerId, { text: "hi" }), { refusal: "no_such_recipient" });
  });
});

// ---------------------------------------------------------------- echo + Inbox

const VERIFY_TOKEN = "mock-verify-token";

/** A webhook receiver on 127.0.0.1: answers the handshake, keeps every POST's raw bytes and signature. */
async function startReceiver(webhook) {
  const posts = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method === "GET") {
        // The request target as a string: challenge() of this build reads a
        // URL or URLSearchParams object as nothing (and answers undefined).
        const answer = webhook.challenge(req.url);
        res.writeHead(answer == null ? 403 : 200).end(answer ?? "Forbidden");
        return;
      }
      const raw = Buffer.concat(chunks);
      posts.push({ raw, signature: req.headers["x-hub-signature-256"] });
      res.writeHead(200).end("EVENT_RECEIVED");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhook`,
    posts,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

describe("a sent message and its echo webhook", () => {
  const webhook = new Webhook({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
  let receiver;
  before(async () => { receiver = await startReceiver(webhook); });
  after(() => receiver?.close());

  test("become one message in an Inbox, whichever comes first", async () => {
    const sub = await env.mock.webhooks.subscribe({ url: receiver.url, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });
    assert.equal(sub.verified, true, "the handshake was answered");
    try {
      receiver.posts.length = 0;
      const client = clientFor(env, TARGETS.messengerPage);
      const synced = await client.syncInbox(PAGE_ID, { pageSize: 10, maxRequests: 1 });
      const sent = await client.sendMessage(PAGE_ID, open.customerId, { text: "See you at 8 ☕", metadata: "ticket-7" });
      await env.mock.webhooks.settled({ timeoutMs: 5000 });

      assert.equal(receiver.posts.length, 1);
      const [post] = receiver.posts;
      assert.equal(webhook.verify(post.raw, post.signature), true, "signed with the app secret over the bytes sent");
      const events = Webhook.parse(post.raw);
      assert.deepEqual(events.map((e) => [e.kind, e.mid, e.accountId, e.customerId]), [["echo", sent.messageId, PAGE_ID, open.customerId]]);
      assert.equal(events[0].raw.message.metadata, "ticket-7");

      const inboxes = [[synced, sent, events], [synced, events, sent], [events, synced, sent]].map((inputs) => {
        const inbox = new Inbox({ accountId: PAGE_ID });
        for (const input of inputs) inbox.apply(input);
        return inbox;
      });
      const conversation = inboxes[0].conversation(open.customerId);
      const copies = conversation.messages.filter((m) => m.id === sent.messageId);
      assert.equal(copies.length, 1, "one message, not two");
      assert.equal(copies[0].message, "See you at 8 ☕");
      assert.equal(conversation.messages[0].id, sent.messageId, "the newest");
      assert.equal(new Set(inboxes.map((i) => i.snapshot())).size, 1, "the same inbox whatever the order");
    } finally {
      env.mock.webhooks.unsubscribe(receiver.url);
    }
  });
});

test("replyWindows lists the seeded customers by window, the same on every run", () => {
  for (const platform of ["messenger", "instagram"]) {
    const inbox = replyWindows(platform).filter((r) => r.folder === "inbox");
    assert.deepEqual(inbox.slice(0, 6).map((r) => r.window), Array(6).fill("open"), platform);
    assert.ok(inbox.slice(6, 39).every((r) => r.window === "human_agent"), platform);
    assert.ok(inbox.filter((r) => r.window === "closed").length >= 4, platform);
    assert.deepEqual(inbox.filter((r) => !r.canReply).map((r) => inbox.indexOf(r)), platform === "messenger" ? [9, 26, 43] : [9, 26, 43]);
  }
});

describe("a send's end, when no message went out or the answer does not say", () => {
  const target = TARGETS.messengerPage;
  const posts = () => env.mock.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"));

  test("an already aborted signal sends nothing: kind aborted, delivery not_sent", async () => {
    const err = await rejectsWithGraphError(
      clientFor(env, target).sendMessage(PAGE_ID, open.customerId, { text: "never", signal: AbortSignal.abort() }),
      { kind: "aborted", delivery: "not_sent" },
    );
    assert.equal(err.attempts, undefined, "nothing was sent");
    assert.equal(posts().length, 0);
    assert.equal(env.mock.sends.length, 0);
  });

  test("aborted while it waits out a 613: delivery not_sent, one refused POST", async () => {
    env.mock.fault({ kind: "rate-limit-613", match: "/messages", regainMinutes: 0, retryAfter: 5 });
    const controller = new AbortController();
    const pending = clientFor(env, target).sendAction(PAGE_ID, open.customerId, "typing_on", { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const err = await rejectsWithGraphError(pending, { kind: "aborted", delivery: "not_sent" });
    assert.equal(err.attempts, 1);
    assert.equal(posts().length, 1, "the refused one only");
    assert.equal(env.mock.sends.length, 0);
  });

  test("a success without a message_id: delivery unknown, not sent again", async () => {
    let calls = 0;
    const fetch = async () => {
      calls += 1;
      return new Response(JSON.stringify({ recipient_id: open.customerId }), { headers: { "content-type": "application/json" } });
    };
    const client = clientFor(env, target, { fetch, maxRetries: 3 });
    const err = await rejectsWithGraphError(client.sendMessage(PAGE_ID, open.customerId, { text: "hello" }), {
      kind: "decode", delivery: "unknown",
    });
    assert.match(err.message, /without a message_id/);
    assert.equal(err.attempts, 1);
    assert.equal(calls, 1, "one request, no retry");
  });
});
