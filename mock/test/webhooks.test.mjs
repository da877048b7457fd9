// Self-test of the mock's webhooks: a tiny receiver on 127.0.0.1 verifies
// every POST the way a careful receiver must (HMAC-SHA256 over the raw bytes,
// constant-time compare), and the tests check Meta's envelope per platform,
// the escaped-unicode bytes, batching, duplicates, out-of-order delivery,
// retries, wrong signatures, and that the Graph API agrees with the events
// afterwards.
//
//   node --test mock/test/webhooks.test.mjs

import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import {
  APP_ID, APP_SECRET, IG_ACCOUNT_ID, MAX_EDITS, PAGE_ID, TOKEN, WEBHOOK_DEFAULTS, WEBHOOK_FAULT_KINDS,
  createGraphHandler, describeFaultKinds, parseWebhookFault, signWebhook, startMockGraph, threads,
} from "../server.mjs";
import { parseArgs } from "../cli.mjs";

const SECRET = "receiver-test-secret";
const VERIFY_TOKEN = "verify-me";

// ---------------------------------------------------------------- the receiver

/**
 * A webhook receiver on 127.0.0.1. `answer(post, index)` gives the status for
 * each POST (default 200) or a promise of one; GET answers Meta's handshake.
 * Every POST is kept: raw bytes, headers, whether its signature holds.
 */
async function startReceiver({ appSecret = SECRET, verifyToken = VERIFY_TOKEN, answer = () => 200 } = {}) {
  const posts = [];
  const gets = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url, "http://127.0.0.1");
      if (req.method === "GET") {
        gets.push(Object.fromEntries(url.searchParams));
        const ok = url.searchParams.get("hub.mode") === "subscribe" && url.searchParams.get("hub.verify_token") === verifyToken;
        res.writeHead(ok ? 200 : 403, { "Content-Type": "text/plain" });
        res.end(ok ? url.searchParams.get("hub.challenge") : "forbidden");
        return;
      }
      const raw = Buffer.concat(chunks);
      const post = { raw, text: raw.toString("utf8"), headers: req.headers, valid: verify(raw, req.headers["x-hub-signature-256"], appSecret), at: performance.now() };
      posts.push(post);
      const status = await answer(post, posts.length - 1);
      if (res.destroyed) return;
      res.writeHead(status, { "Content-Type": "text/plain" });
      res.end(status === 200 ? "EVENT_RECEIVED" : "no");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}/webhook`;
  return {
    url, posts, gets,
    bodies: () => posts.map((p) => JSON.parse(p.text)),
    items: () => posts.flatMap((p) => JSON.parse(p.text).entry.flatMap((e) => [...(e.messaging ?? []), ...(e.standby ?? [])])),
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

// HMAC-SHA256 of the bytes as received, compared in constant time.
function verify(raw, header, secret) {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- the Graph, to sync after the events

async function graphGet(mock, path) {
  const res = await fetch(`${mock.url}/v24.0/${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: await res.json() };
}

const MESSAGE_FIELDS = "id,created_time,message,from{id},attachments,reactions,reply_to";

const M0 = threads("messenger")[0];
const M_CUSTOMER = M0.participants.data[0].id;
const I0 = threads("instagram")[0];
const I_CUSTOMER = I0.participants.data[0].id;
const M_STANDBY = threads("messenger")[7]; // owned by another app

let mock;
let receiver;

before(async () => { mock = await startMockGraph({ webhooks: { batchWindowMs: 10, retryBaseMs: 20, retryMaxMs: 100 } }); });
after(() => mock.close());
beforeEach(async () => {
  mock.reset();
  mock.webhooks.unsubscribe();
  mock.webhooks.configure({ batchWindowMs: 10, maxEntries: 10, maxItemsPerEntry: 5, retries: 3, timeoutMs: 5000 });
});
afterEach(async () => {
  await mock.webhooks.settled();
  await receiver?.close();
  receiver = undefined;
});

async function subscribed(options = {}, subscription = {}) {
  receiver = await startReceiver(options);
  await mock.webhooks.subscribe({ url: receiver.url, appSecret: SECRET, ...subscription });
  return receiver;
}

// ---------------------------------------------------------------- subscription

describe("subscription", () => {
  test("with a verify token the handshake comes first; the right challenge subscribes", async () => {
    receiver = await startReceiver();
    const sub = await mock.webhooks.subscribe({ url: receiver.url, appSecret: SECRET, verifyToken: VERIFY_TOKEN });
    assert.equal(receiver.gets.length, 1);
    const get = receiver.gets[0];
    assert.deepEqual([get["hub.mode"], get["hub.verify_token"]], ["subscribe", VERIFY_TOKEN]);
    assert.match(get["hub.challenge"], /^\d+$/);
    assert.equal(sub.verified, true);
    assert.equal(sub.handshake.status, 200);
    assert.equal("appSecret" in sub, false, "no secret in the subscription's view");
    assert.deepEqual(mock.webhooks.subscriptions.map((s) => s.url), [receiver.url]);
  });

  test("a wrong verify token is refused and nothing is subscribed", async () => {
    receiver = await startReceiver();
    await assert.rejects(mock.webhooks.subscribe({ url: receiver.url, appSecret: SECRET, verifyToken: "wrong" }), (err) => {
      assert.match(err.message, /refused.*403/);
      assert.doesNotMatch(err.message, /wrong/, "the token is not repeated in the message");
      return true;
    });
    assert.deepEqual(mock.webhooks.subscriptions, []);
    mock.customerWrites(M_CUSTOMER, { text: "nobody listens" });
    await mock.webhooks.settled();
    assert.equal(receiver.posts.length, 0);
  });

  test("a receiver that echoes something else than the challenge is refused", async () => {
    const server = createServer((req, res) => res.end("OK"));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await assert.rejects(mock.webhooks.subscribe({ url: `http://127.0.0.1:${server.address().port}/`, verifyToken: "t" }), /not 200 with the challenge/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("only local URLs, only known fields and options", async () => {
    await assert.rejects(mock.webhooks.subscribe({ url: "https://example.com/webhook" }), /127\.0\.0\.1, localhost or \[::1\] only/);
    await assert.rejects(mock.webhooks.subscribe({ url: "ftp://127.0.0.1/" }), /http/);
    await assert.rejects(mock.webhooks.subscribe({ url: "http://127.0.0.1:1/", fields: ["feed"] }), /unknown fields entry/);
    await assert.rejects(mock.webhooks.subscribe({ url: "http://127.0.0.1:1/", retries: 1000 }), /retries/);
    assert.throws(() => mock.webhooks.configure({ maxEntries: 0 }), /maxEntries/);
  });

  test("several subscribers each get every event, signed with their own secret", async () => {
    const first = await subscribed();
    const second = await startReceiver({ appSecret: "another-app" });
    try {
      await mock.webhooks.subscribe({ url: second.url, appSecret: "another-app" });
      mock.customerWrites(M_CUSTOMER, { text: "to both" });
      await mock.webhooks.settled();
      assert.equal(first.posts.length, 1);
      assert.equal(second.posts.length, 1);
      assert.ok(first.posts[0].valid && second.posts[0].valid);
      assert.equal(first.posts[0].text, second.posts[0].text);
      assert.notEqual(first.posts[0].headers["x-hub-signature-256"], second.posts[0].headers["x-hub-signature-256"]);
    } finally {
      await second.close();
    }
  });

  test("fields narrow what a subscriber gets", async () => {
    const r = await subscribed({}, { fields: ["message_reactions"] });
    const mid = mock.customerWrites(M_CUSTOMER, { text: "not for this one" });
    mock.customerReacts(mid, "👍");
    await mock.webhooks.settled();
    assert.deepEqual(r.items().map((i) => Object.keys(i).at(-1)), ["reaction"]);
  });
});

// ---------------------------------------------------------------- bytes and signatures

describe("POSTs like Meta's", () => {
  test("signed over the raw bytes (sha256 and the legacy sha1), JSON, escaped unicode", async () => {
    const r = await subscribed();
    const text = "Merci 🙏🏽 für den Kaffee/Tee, ça marche ☕";
    mock.customerWrites(M_CUSTOMER, { text });
    await mock.webhooks.settled();
    const [post] = r.posts;
    assert.equal(post.headers["content-type"], "application/json");
    assert.ok(post.valid, "X-Hub-Signature-256 holds over the bytes received");
    assert.match(post.headers["x-hub-signature-256"], /^sha256=[0-9a-f]{64}$/);
    const sha1 = `sha1=${createHmac("sha1", SECRET).update(post.raw).digest("hex")}`;
    assert.equal(post.headers["x-hub-signature"], sha1);
    assert.ok(/^[\x20-\x7e]*$/.test(post.text), "every byte is printable ASCII");
    assert.ok(post.text.includes("\\ud83d\\ude4f\\ud83c\\udffd"), "emoji as lowercase surrogate-pair escapes");
    assert.ok(post.text.includes("f\\u00fcr den Kaffee\\/Tee"), "ä-like letters escaped, / as \\/");
    assert.equal(JSON.parse(post.text).entry[0].messaging[0].message.text, text);
    const reserialised = JSON.stringify(JSON.parse(post.text));
    assert.notEqual(reserialised, post.text);
    assert.equal(verify(Buffer.from(reserialised), post.headers["x-hub-signature-256"], SECRET), false,
      "a verifier that re-serialises the JSON fails");
    assert.deepEqual(signWebhook(post.raw, SECRET), { sha256: post.headers["x-hub-signature-256"], sha1 });
  });

  test("every POST is recorded with its answer; a healthy receiver answers each 200 in under 1 s", async () => {
    const r = await subscribed();
    const mid = mock.customerWrites(M_CUSTOMER, { text: "one" });
    await sleep(30);
    mock.customerReacts(mid, "❤️");
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 2);
    const { deliveries } = mock.webhooks;
    assert.equal(deliveries.length, 2);
    assert.ok(deliveries.every((d) => d.status === 200 && d.outcome === "ok" && d.ms < 1000), JSON.stringify(deliveries.map((d) => [d.status, d.ms])));
    assert.deepEqual(deliveries.map((d) => d.body), r.posts.map((p) => p.text));
    assert.deepEqual(deliveries.map((d) => [d.object, d.entries, d.items, d.attempt]), [["page", 1, 1, 1], ["page", 1, 1, 1]]);
  });
});

// ---------------------------------------------------------------- envelopes per platform

describe("envelopes", () => {
  test("Messenger: object page, entry id the Page, sender the PSID, timestamps in ms", async () => {
    const r = await subscribed();
    const before = Date.now();
    const quoted = M0.messages[1].id;
    const mid = mock.customerWrites(M_CUSTOMER, { text: "Two flat whites please", replyTo: quoted, attachments: [{ type: "image", url: "https://example.test/a.jpg" }] });
    await mock.webhooks.settled();
    const [body] = r.bodies();
    assert.deepEqual(Object.keys(body), ["object", "entry"]);
    assert.equal(body.object, "page");
    const [entry] = body.entry;
    assert.deepEqual(Object.keys(entry), ["id", "time", "messaging"]);
    assert.equal(entry.id, PAGE_ID);
    const [item] = entry.messaging;
    assert.deepEqual(Object.keys(item), ["sender", "recipient", "timestamp", "message"]);
    assert.deepEqual([item.sender, item.recipient], [{ id: M_CUSTOMER }, { id: PAGE_ID }]);
    assert.ok(item.timestamp >= before && item.timestamp <= Date.now() + 5, "milliseconds");
    assert.ok(entry.time >= item.timestamp);
    assert.deepEqual(item.message, {
      mid, text: "Two flat whites please",
      attachments: [{ type: "image", payload: { url: "https://example.test/a.jpg" } }],
      reply_to: { mid: quoted },
    });
  });

  test("Instagram: object instagram, entry id the IG account (time first), sender the IGSID", async () => {
    const r = await subscribed();
    const mid = mock.customerWrites(I_CUSTOMER, { text: "Oi" });
    await mock.webhooks.settled();
    const [body] = r.bodies();
    assert.equal(body.object, "instagram");
    assert.deepEqual(Object.keys(body.entry[0]), ["time", "id", "messaging"]);
    assert.equal(body.entry[0].id, IG_ACCOUNT_ID);
    const [item] = body.entry[0].messaging;
    assert.deepEqual([item.sender.id, item.recipient.id, item.message], [I_CUSTOMER, IG_ACCOUNT_ID, { mid, text: "Oi" }]);
    assert.match(mid, /^[A-Za-z0-9_-]+$/);
    assert.match(Buffer.from(mid, "base64url").toString(), new RegExp(`^ig_message_item:1:IGMessageThread:${IG_ACCOUNT_ID}:`));
  });

  test("echoes: Messenger with is_echo, app_id and metadata; Instagram with is_echo only; sender the account", async () => {
    const r = await subscribed();
    const mMid = mock.businessReplies(M_CUSTOMER, { text: "On its way!", metadata: "ticket-42" });
    const iMid = mock.businessReplies(I0.id, { text: "Obrigado!" });
    await mock.webhooks.settled();
    const byObject = Object.fromEntries(r.bodies().map((b) => [b.object, b.entry[0]]));
    const m = byObject.page.messaging[0];
    assert.deepEqual([m.sender.id, m.recipient.id], [PAGE_ID, M_CUSTOMER]);
    assert.deepEqual(m.message, { is_echo: true, app_id: APP_ID, mid: mMid, text: "On its way!", metadata: "ticket-42" });
    const i = byObject.instagram.messaging[0];
    assert.deepEqual([byObject.instagram.id, i.sender.id, i.recipient.id], [IG_ACCOUNT_ID, IG_ACCOUNT_ID, I_CUSTOMER]);
    assert.deepEqual(i.message, { mid: iMid, text: "Obrigado!", is_echo: true });
  });

  test("a Send API handler's mid is kept on the echo", async () => {
    const r = await subscribed();
    const mid = mock.businessReplies(M_CUSTOMER, { text: "sent", mid: "m_from-the-send-api" });
    await mock.webhooks.settled();
    assert.equal(mid, "m_from-the-send-api");
    assert.equal(r.items()[0].message.mid, mid);
    assert.throws(() => mock.businessReplies(M_CUSTOMER, { text: "again", mid }), /already has a message/);
  });

  test("edits, unsends, reactions, reads and deliveries in Meta's shapes", async () => {
    const r = await subscribed({}, {});
    mock.webhooks.configure({ maxItemsPerEntry: 20 });
    const mid = mock.customerWrites(M_CUSTOMER, { text: "typo" });
    mock.customerEdits(mid, "no typo");
    const reply = mock.businessReplies(M_CUSTOMER, { text: "ok" });
    mock.customerReceives(M_CUSTOMER);
    mock.customerReads(M_CUSTOMER);
    mock.customerReacts(reply, "😢");
    mock.customerReacts(reply, null);
    mock.customerUnsends(mid);
    const iMid = mock.customerWrites(I_CUSTOMER, { text: "oops" });
    mock.customerUnsends(iMid);
    mock.customerReads(I_CUSTOMER);
    await mock.webhooks.settled();
    const items = r.items();
    const m = items.filter((i) => i.recipient.id === PAGE_ID || i.sender.id === PAGE_ID);
    const replyTime = m[2].timestamp;
    assert.deepEqual(m.map((i) => Object.keys(i).at(-1)), ["message", "message_edit", "message", "delivery", "read", "reaction", "reaction", "message"]);
    assert.deepEqual(m[1].message_edit, { mid, text: "no typo", num_edit: 1 });
    assert.deepEqual(m[3].delivery, { mids: [reply], watermark: replyTime });
    assert.deepEqual(m[4].read, { watermark: replyTime });
    assert.deepEqual(m[5].reaction, { mid: reply, action: "react", reaction: "sad", emoji: "😢" });
    assert.deepEqual(m[6].reaction, { mid: reply, action: "unreact" });
    assert.deepEqual(m[7].message, { mid, is_deleted: true });
    const i = items.filter((x) => x.recipient.id === IG_ACCOUNT_ID);
    assert.deepEqual(i.map((x) => x.message ?? x.read), [{ mid: iMid, text: "oops" }, { mid: iMid, is_deleted: true }, { mid: I0.messages[0].id }]);
    const times = m.map((x) => x.timestamp);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), "timestamps grow");
    assert.equal(new Set(times).size, times.length);
    assert.throws(() => mock.customerReceives(I_CUSTOMER), /Instagram sends no delivery/);
  });

  test("num_edit counts each edit; a sixth is refused; only the customer's own message", async () => {
    const mid = mock.customerWrites(M_CUSTOMER, { text: "v0" });
    const counts = [];
    for (let n = 1; n <= MAX_EDITS; n++) counts.push(mock.customerEdits(mid, `v${n}`).item.message_edit.num_edit);
    assert.deepEqual(counts, [1, 2, 3, 4, 5]);
    assert.throws(() => mock.customerEdits(mid, "v6"), RangeError);
    const reply = mock.businessReplies(M_CUSTOMER, { text: "ours" });
    assert.throws(() => mock.customerEdits(reply, "theirs"), /business's/);
    assert.throws(() => mock.customerUnsends(reply), /only its sender/);
  });

  test("a thread another app owns is told on the standby channel", async () => {
    const r = await subscribed();
    mock.customerWrites(M_STANDBY.participants.data[0].id, { text: "hello?" });
    await mock.webhooks.settled();
    const [entry] = r.bodies()[0].entry;
    assert.deepEqual(Object.keys(entry), ["id", "time", "standby"]);
    assert.equal(entry.standby[0].message.text, "hello?");
  });
});

// ---------------------------------------------------------------- the truth agrees

describe("the Graph API agrees with the events", () => {
  test("a written message is the thread's newest, and its thread the newest conversation", async () => {
    const r = await subscribed();
    const mid = mock.customerWrites(M0.participants.data[0].id, { text: "Sync me 🙂" });
    await mock.webhooks.settled();
    const [item] = r.items();
    const list = await graphGet(mock, `${PAGE_ID}/conversations?fields=id,updated_time,snippet,unread_count,message_count&limit=1`);
    assert.equal(list.json.data[0].id, M0.id);
    assert.equal(list.json.data[0].snippet, "Sync me 🙂");
    assert.equal(list.json.data[0].message_count, M0.messages.length + 1);
    assert.equal(list.json.data[0].updated_time, new Date(Math.floor(item.timestamp / 1000) * 1000).toISOString().slice(0, 19) + "+0000");
    const messages = await graphGet(mock, `${M0.id}/messages?fields=${MESSAGE_FIELDS}&limit=2`);
    assert.deepEqual(messages.json.data[0], {
      id: mid, created_time: list.json.data[0].updated_time, message: "Sync me 🙂", from: { id: M_CUSTOMER },
    });
    assert.equal(messages.json.data[1].id, M0.messages[0].id, "the old newest is second");
    const one = await graphGet(mock, `${mid}?fields=id,message,to`);
    assert.deepEqual(one.json.to.data.map((p) => p.id), [PAGE_ID]);
  });

  test("edits, unsends, reactions and replies show in a later sync; an unsent mid is 'deleted'", async () => {
    const mid = mock.customerWrites(I_CUSTOMER, { text: "first" });
    const gone = mock.customerWrites(I_CUSTOMER, { text: "never mind" });
    mock.customerEdits(mid, "first, edited");
    mock.customerReacts(mid, "❤️");
    const reply = mock.businessReplies(I_CUSTOMER, { text: "got it", replyTo: mid });
    mock.businessReacts(reply, "👍");
    mock.customerReacts(reply, "😮");
    mock.customerUnsends(gone);
    const messages = await graphGet(mock, `${I0.id}/messages?fields=${MESSAGE_FIELDS}&limit=3`);
    const [r, m, older] = messages.json.data;
    assert.equal(r.id, reply);
    assert.deepEqual(r.reply_to, { mid, is_self_reply: false });
    assert.deepEqual(r.reactions.data.map((x) => [x.reaction, x.users.map((u) => u.id)]), [["👍", [IG_ACCOUNT_ID]], ["😮", [I_CUSTOMER]]]);
    assert.equal(m.id, mid);
    assert.equal(m.message, "first, edited");
    assert.deepEqual(m.reactions.data.map((x) => [x.reaction, x.users.map((u) => u.id)]), [["❤️", [I_CUSTOMER]]]);
    assert.equal(older.id, I0.messages[0].id, "the unsent message is gone from the thread");
    const deleted = await graphGet(mock, `${gone}?fields=id,message`);
    assert.equal(deleted.json.error.code, 9000001);
    mock.customerReacts(mid, null);
    const after = await graphGet(mock, `${mid}?fields=id,reactions`);
    assert.equal(after.json.reactions, undefined, "no reactions left");
  });

  test("unread_count: a customer's message counts, a reply or businessReads clears; readState keeps how far the person read", async () => {
    const t = threads("messenger")[1];
    const customer = t.participants.data[0].id;
    const unread = async () => (await graphGet(mock, `${t.id}?fields=unread_count`)).json.unread_count;
    const start = await unread();
    mock.customerWrites(customer, { text: "a" });
    mock.customerWrites(customer, { text: "b" });
    assert.equal(await unread(), start + 2);
    mock.businessReads(customer);
    assert.equal(await unread(), 0);
    mock.customerWrites(customer, { text: "c" });
    mock.businessReplies(customer, { text: "d" });
    assert.equal(await unread(), 0);
    const read = mock.customerReads(t.id);
    assert.deepEqual(mock.readState(customer), { watermark: read.item.read.watermark });
  });

  test("a new customer starts a new thread, found by user_id too", async () => {
    const r = await subscribed();
    const psid = "7000000000000001";
    const mid = mock.customerWrites(psid, { platform: "messenger", name: "Nova Kim", text: "First time here" });
    const igsid = "17000000000000002";
    const igMid = mock.customerWrites(igsid, { platform: "instagram", username: "nova.k", text: "oi" });
    await mock.webhooks.settled();
    const m = await graphGet(mock, `${PAGE_ID}/conversations?fields=id,participants,messages{id,message}&limit=1`);
    assert.deepEqual(m.json.data[0].participants.data.map((p) => p.id), [psid, PAGE_ID]);
    assert.equal(m.json.data[0].participants.data[0].name, "Nova Kim");
    assert.deepEqual(m.json.data[0].messages.data, [{ id: mid, message: "First time here" }]);
    const i = await graphGet(mock, `${IG_ACCOUNT_ID}/conversations?platform=instagram&user_id=${igsid}&fields=id,participants,messages{id}`);
    assert.deepEqual(i.json.data[0].messages.data, [{ id: igMid }]);
    assert.equal(i.json.data[0].participants.data[0].username, "nova.k");
    assert.deepEqual(r.items().map((x) => x.sender.id), [psid, igsid]);
    mock.customerWrites(i.json.data[0].id, { text: "again" });
    assert.equal((await graphGet(mock, `${i.json.data[0].id}?fields=message_count`)).json.message_count, 2, "the same thread, by its id");
  });

  test("reset() gives back the seeded inbox", async () => {
    mock.customerWrites(M_CUSTOMER, { text: "temporary" });
    mock.reset();
    const list = await graphGet(mock, `${M0.id}/messages?fields=id&limit=1`);
    assert.equal(list.json.data[0].id, M0.messages[0].id);
    assert.deepEqual(mock.webhooks.events, []);
  });

  test("the handler alone: a whole sync after the events sees exactly what they told", async () => {
    const graph = createGraphHandler({ threads: { messenger: 6, instagram: 4 } });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const get = async (url) => JSON.parse(new TextDecoder().decode((await graph.handle({ method: "GET", url, headers: auth, body: "" })).body));
    const small = threads("messenger", { count: 6 });
    const told = [];
    for (const [n, thread] of small.slice(0, 3).entries()) {
      told.push(graph.customerWrites(thread.participants.data[0].id, { text: `live ${n}` }));
    }
    told.push(graph.businessReplies(small[4].id, { text: "live reply" }));
    graph.customerUnsends(told[1]);
    graph.customerEdits(told[0], "live 0, edited");
    // A sync: every conversation, every message of the 20 newest, by paging.
    const seen = new Map();
    let url = `/v24.0/${PAGE_ID}/conversations?fields=id,messages.limit(5){id,message}&limit=2`;
    for (let page = 0; url && page < 20; page++) {
      const body = await get(url);
      for (const c of body.data) for (const m of c.messages.data) seen.set(m.id, m.message);
      url = body.paging?.next ? body.paging.next.replace(/^https?:\/\/[^/]+/, "") : null;
    }
    const events = graph.webhooks.events;
    assert.deepEqual(events.map((e) => e.kind), ["message", "message", "message", "echo", "delete", "edit"]);
    for (const e of events.filter((x) => x.kind === "message" || x.kind === "echo")) {
      if (e.mid === told[1]) assert.equal(seen.has(e.mid), false, "unsent: not in the sync");
      else assert.ok(seen.has(e.mid), `the sync has ${e.mid}`);
    }
    assert.equal(seen.get(told[0]), "live 0, edited");
    assert.equal(seen.get(told[2]), "live 2");
    assert.equal(seen.get(told[3]), "live reply");
    graph.close();
  });
});

// ---------------------------------------------------------------- batching

describe("batching", () => {
  test("events within the window share a POST: an entry per customer, several items per entry", async () => {
    const r = await subscribed();
    mock.webhooks.configure({ batchWindowMs: 40 });
    const other = threads("messenger")[1].participants.data[0].id;
    const a = [mock.customerWrites(M_CUSTOMER, { text: "a1" }), mock.customerWrites(M_CUSTOMER, { text: "a2" }), mock.customerWrites(M_CUSTOMER, { text: "a3" })];
    const b = [mock.customerWrites(other, { text: "b1" }), mock.customerWrites(other, { text: "b2" })];
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 1);
    const { entry } = r.bodies()[0];
    assert.deepEqual(entry.map((e) => e.messaging.map((i) => i.message.mid)), [a, b]);
    assert.deepEqual(entry.map((e) => e.id), [PAGE_ID, PAGE_ID]);
    assert.deepEqual([mock.webhooks.deliveries[0].entries, mock.webhooks.deliveries[0].items], [2, 5]);
  });

  test("maxItemsPerEntry and maxEntries split entries and POSTs; Messenger and Instagram never share one", async () => {
    const r = await subscribed();
    mock.webhooks.configure({ batchWindowMs: 40, maxItemsPerEntry: 2, maxEntries: 2 });
    for (let n = 0; n < 5; n++) mock.customerWrites(M_CUSTOMER, { text: `m${n}` });
    mock.customerWrites(I_CUSTOMER, { text: "i0" });
    await mock.webhooks.settled();
    const shapes = r.bodies().map((b) => [b.object, b.entry.map((e) => e.messaging.length)]).sort();
    assert.deepEqual(shapes, [["instagram", [1]], ["page", [1]], ["page", [2, 2]]]);
    const texts = r.bodies().filter((b) => b.object === "page").flatMap((b) => b.entry.flatMap((e) => e.messaging.map((i) => i.message.text))).sort();
    assert.deepEqual(texts, ["m0", "m1", "m2", "m3", "m4"]);
  });

  test("flush() sends at once; events before any subscription are never sent", async () => {
    mock.customerWrites(M_CUSTOMER, { text: "too early" });
    const r = await subscribed();
    mock.webhooks.configure({ batchWindowMs: 60_000 });
    mock.customerWrites(M_CUSTOMER, { text: "now" });
    assert.equal(mock.webhooks.flush(), 1);
    await mock.webhooks.settled();
    assert.deepEqual(r.items().map((i) => i.message.text), ["now"]);
    assert.equal(mock.webhooks.events.length, 2, "both are in the event log");
  });
});

// ---------------------------------------------------------------- faults and retries

describe("delivery faults and retries", () => {
  test("redelivery: the same bytes and signature again, after a 200", async () => {
    const r = await subscribed();
    mock.webhooks.fault({ kind: "webhook-redeliver", delayMs: 20 });
    mock.customerWrites(M_CUSTOMER, { text: "once, twice" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 2);
    assert.equal(r.posts[0].text, r.posts[1].text);
    assert.equal(r.posts[0].headers["x-hub-signature-256"], r.posts[1].headers["x-hub-signature-256"]);
    assert.ok(r.posts.every((p) => p.valid));
    assert.deepEqual(mock.webhooks.deliveries.map((d) => [d.delivery, d.redelivery ?? false, d.status]), [[1, false, 200], [1, true, 200]]);
    assert.deepEqual(mock.webhooks.deliveries[0].faults, ["webhook-redeliver"]);
  });

  test("out of order: a held POST arrives after a later one", async () => {
    const r = await subscribed();
    const first = mock.customerWrites(M_CUSTOMER, { text: "first" });
    mock.webhooks.fault({ kind: "webhook-out-of-order", match: first, maxHoldMs: 3000 });
    mock.webhooks.flush();
    await sleep(20);
    const second = mock.customerWrites(M_CUSTOMER, { text: "second" });
    mock.webhooks.flush();
    await mock.webhooks.settled();
    assert.deepEqual(r.items().map((i) => i.message.mid), [second, first]);
    const held = mock.webhooks.deliveries.find((d) => d.faults?.includes("webhook-out-of-order"));
    assert.ok(held.heldMs > 0 && held.heldMs < 3000);
    assert.ok(r.items()[1].timestamp < r.items()[0].timestamp, "sorting by timestamp restores the order");
  });

  test("a held POST goes anyway after maxHoldMs", async () => {
    const r = await subscribed();
    mock.webhooks.fault({ kind: "webhook-out-of-order", maxHoldMs: 60 });
    mock.customerWrites(M_CUSTOMER, { text: "alone" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 1);
    assert.ok(mock.webhooks.deliveries[0].heldMs >= 55);
  });

  test("a 500 is retried with backoff until a 200, the same bytes each time", async () => {
    const r = await subscribed({ answer: (post, i) => (i < 2 ? 500 : 200) });
    mock.customerWrites(M_CUSTOMER, { text: "try again" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 3);
    assert.equal(new Set(r.posts.map((p) => p.text)).size, 1);
    const d = mock.webhooks.deliveries;
    assert.deepEqual(d.map((x) => [x.delivery, x.attempt, x.status, x.outcome]), [[1, 1, 500, "http-error"], [1, 2, 500, "http-error"], [1, 3, 200, "ok"]]);
    assert.ok(r.posts[1].at - r.posts[0].at >= 15, "backoff before the first retry");
    assert.ok(r.posts[2].at - r.posts[1].at >= 35, "the backoff doubles");
  });

  test("retries are capped: a receiver that always fails gets 1 + retries POSTs", async () => {
    const r = await subscribed({ answer: () => 503 }, { retries: 2 });
    mock.customerWrites(M_CUSTOMER, { text: "never accepted" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 3);
    assert.deepEqual(mock.webhooks.deliveries.map((x) => x.status), [503, 503, 503]);
  });

  test("a slow answer times out and is retried", async () => {
    const r = await subscribed({ answer: (post, i) => (i === 0 ? sleep(300).then(() => 200) : 200) }, { timeoutMs: 80 });
    mock.customerWrites(M_CUSTOMER, { text: "slowly" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 2);
    assert.deepEqual(mock.webhooks.deliveries.map((x) => [x.outcome, x.status]), [["timeout", null], ["ok", 200]]);
    assert.ok(mock.webhooks.deliveries[0].ms < 250);
  });

  test("webhook-timeout: the receiver got it, the answer counts as late: a duplicate follows", async () => {
    const r = await subscribed();
    mock.webhooks.fault({ kind: "webhook-timeout" });
    mock.customerWrites(M_CUSTOMER, { text: "late" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 2);
    assert.equal(r.posts[0].text, r.posts[1].text);
    assert.deepEqual(mock.webhooks.deliveries.map((x) => [x.attempt, x.status, x.outcome]), [[1, 200, "timeout"], [2, 200, "ok"]]);
  });

  test("webhook-lost: the first attempt never arrives; the retry does", async () => {
    const r = await subscribed();
    mock.webhooks.fault({ kind: "webhook-lost" });
    mock.customerWrites(M_CUSTOMER, { text: "lost once" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 1);
    assert.deepEqual(mock.webhooks.deliveries.map((x) => [x.attempt, x.outcome]), [[1, "network-error"], [2, "ok"]]);
  });

  test("a wrong signature is refused by the receiver (and retried like any failure)", async () => {
    const r = await subscribed({ answer: (post) => (post.valid ? 200 : 401) }, { retries: 1 });
    mock.webhooks.fault({ kind: "webhook-bad-signature", times: null });
    mock.customerWrites(M_CUSTOMER, { text: "forged?" });
    await mock.webhooks.settled();
    assert.equal(r.posts.length, 2);
    assert.ok(r.posts.every((p) => !p.valid));
    assert.deepEqual(mock.webhooks.deliveries.map((x) => x.status), [401, 401]);
  });

  test("signature modes: missing, malformed, sha1-only", async () => {
    const r = await subscribed({ answer: () => 200 });
    for (const mode of ["missing", "malformed", "sha1-only"]) {
      mock.webhooks.fault({ kind: "webhook-bad-signature", mode });
      mock.customerWrites(M_CUSTOMER, { text: mode });
      await mock.webhooks.settled();
    }
    const [missing, malformed, sha1Only] = r.posts.map((p) => p.headers);
    assert.equal(missing["x-hub-signature-256"], undefined);
    assert.equal(missing["x-hub-signature"], undefined);
    assert.match(malformed["x-hub-signature-256"], /^[0-9a-f]{64}$/);
    assert.equal(sha1Only["x-hub-signature-256"], undefined);
    assert.equal(sha1Only["x-hub-signature"], `sha1=${createHmac("sha1", SECRET).update(r.posts[2].raw).digest("hex")}`);
  });

  test("faults count POSTs: skip, times and match", async () => {
    const r = await subscribed();
    mock.webhooks.fault({ kind: "webhook-redeliver", delayMs: 0, skip: 1, times: 1, match: "message_edit" });
    const mid = mock.customerWrites(M_CUSTOMER, { text: "x" });
    await mock.webhooks.settled();
    mock.customerEdits(mid, "y");
    await mock.webhooks.settled();
    mock.customerEdits(mid, "z");
    await mock.webhooks.settled();
    mock.customerEdits(mid, "w");
    await mock.webhooks.settled();
    assert.deepEqual(r.items().map((i) => i.message?.text ?? i.message_edit.text), ["x", "y", "z", "z", "w"]);
    assert.deepEqual(mock.webhooks.faults.map((f) => [f.hits, f.remaining, f.skipped]), [[1, 0, 1]]);
  });

  test("bad fault specs are refused with a reason", () => {
    assert.throws(() => mock.webhooks.fault({ kind: "webhook-nope" }), /unknown webhook fault kind/);
    assert.throws(() => mock.webhooks.fault({ kind: "webhook-redeliver", ms: 1 }), /takes no option ms/);
    assert.throws(() => parseWebhookFault({ kind: "webhook-bad-signature", mode: "nope" }), /mode/);
  });

  test("close() cancels a POST under way and every timer", async () => {
    const hanging = await startReceiver({ answer: () => new Promise(() => {}) });
    const own = await startMockGraph({ webhooks: { batchWindowMs: 0 } });
    try {
      await own.webhooks.subscribe({ url: hanging.url, appSecret: SECRET });
      own.customerWrites(M_CUSTOMER, { text: "into the void" });
      for (let i = 0; i < 50 && hanging.posts.length === 0; i++) await sleep(10);
      assert.equal(hanging.posts.length, 1);
    } finally {
      await own.close();
      await hanging.close();
    }
    await own.webhooks.settled({ timeoutMs: 1000 });
    assert.equal(own.webhooks.deliveries[0].outcome, "cancelled");
  });
});

// ---------------------------------------------------------------- documented and reachable from other processes

describe("docs, control endpoints, CLI", () => {
  test("describeFaultKinds() lists the webhook faults beside the Graph's", () => {
    const { webhooks } = describeFaultKinds();
    assert.deepEqual(webhooks.kinds.map((k) => k.kind), Object.keys(WEBHOOK_FAULT_KINDS));
    assert.deepEqual(webhooks.common.map((o) => o.name), ["times", "skip", "match"]);
    assert.ok(webhooks.kinds.every((k) => k.family === "webhook" && k.summary && k.switchable));
    assert.deepEqual(Object.keys(WEBHOOK_DEFAULTS), ["batchWindowMs", "maxEntries", "maxItemsPerEntry", "timeoutMs", "retries", "retryBaseMs", "retryMaxMs"]);
  });

  test("/__mock/webhooks/* and /__mock/live/* drive it all over HTTP", async () => {
    receiver = await startReceiver();
    const control = async (path, body) => {
      const res = await fetch(`${mock.url}/__mock/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    };
    const sub = await control("webhooks/subscribe", { url: receiver.url, appSecret: SECRET, verifyToken: VERIFY_TOKEN });
    assert.equal(sub.json.verified, true);
    assert.equal((await control("webhooks/subscribe", { url: receiver.url, verifyToken: "nope" })).status, 400);
    assert.equal((await control("webhooks/fault", { kind: "webhook-redeliver", times: null })).json.times, null);
    assert.equal((await control("webhooks/faults")).json.length, 1);
    await control("webhooks/clear-faults", {});
    const { json: { mid } } = await control("live/customerWrites", { thread: M_CUSTOMER, text: "über HTTP" });
    const reacted = await control("live/customerReacts", { mid, emoji: "👍" });
    assert.equal(reacted.json.item.reaction.reaction, "like");
    assert.equal((await control("live/customerEdits", { mid: "m_nope", text: "x" })).status, 400);
    assert.equal((await control("live/nope", {})).status, 404);
    assert.deepEqual((await control("webhooks/settled", { timeoutMs: 5000 })).json, { ok: true });
    assert.equal(receiver.items()[0].message.text, "über HTTP");
    const deliveries = (await control("webhooks/deliveries")).json;
    assert.ok(deliveries.length >= 1 && deliveries.every((d) => d.status === 200));
    assert.equal((await control("webhooks/events")).json.length, 2);
    assert.equal((await control("webhooks/configure", { batchWindowMs: 5 })).json.batchWindowMs, 5);
    assert.deepEqual((await control("webhooks/unsubscribe", {})).json, { removed: 1 });
    assert.deepEqual((await control("webhooks/subscriptions")).json, []);
  });

  test("CLI flags: --webhook-url (repeatable), --app-secret, --verify-token, --webhook-batch-ms", () => {
    const o = parseArgs(["--port", "0", "--webhook-url", "http://127.0.0.1:9/a", "--webhook-url=http://127.0.0.1:9/b?x=1", "--app-secret", "s3", "--verify-token=t", "--webhook-batch-ms", "5"]);
    assert.deepEqual(o, {
      port: 0, latencyMs: 0, webhooks: { batchWindowMs: 5 },
      subscribe: { urls: ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b?x=1"], appSecret: "s3", verifyToken: "t" },
    });
    assert.equal(parseArgs([]).subscribe, undefined, "no receiver, nothing to subscribe (the app secret stays APP_SECRET)");
    assert.throws(() => parseArgs(["--webhook-url"]), /--webhook-url needs a value \(URL\)\nusage/);
    assert.throws(() => parseArgs(["--webhook-url", "http://example.com/hook"]), /127\.0\.0\.1, localhost or \[::1\] only, not example\.com\nusage/);
    assert.throws(() => parseArgs(["--app-secret", "s"]), /for the receivers of --webhook-url: give one\nusage/);
    assert.throws(() => parseArgs(["--webhook-batch-ms", "-1"]), /webhook option batchWindowMs is a whole number from 0 to 60000/);
    assert.equal(parseArgs(["--help"]).help, true);
  });

  test("the CLI subscribes with the handshake and delivers what /__mock/live says", async () => {
    receiver = await startReceiver({ appSecret: "cli-secret" });
    const child = spawn(process.execPath, [new URL("../server.mjs", import.meta.url).pathname, "--port", "0",
      "--webhook-url", receiver.url, "--app-secret", "cli-secret", "--verify-token", VERIFY_TOKEN], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      child.stdout.on("data", (d) => { out += d; });
      for (let i = 0; i < 200 && !/webhooks to/.test(out); i++) await sleep(10);
      assert.match(out, /^mock Graph listening on (http:\/\/127\.0\.0\.1:\d+)\nmock Graph webhooks to .* \(handshake answered\)\n$/);
      const url = /listening on (\S+)/.exec(out)[1];
      await fetch(`${url}/__mock/live/customerWrites`, { method: "POST", body: JSON.stringify({ thread: M_CUSTOMER, text: "from the CLI" }) });
      await fetch(`${url}/__mock/webhooks/settled`, { method: "POST", body: "{}" });
      assert.equal(receiver.posts.length, 1);
      assert.ok(receiver.posts[0].valid);
    } finally {
      await new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); });
    }
  });

  test("the CLI exits 1 when the handshake is refused", async () => {
    receiver = await startReceiver();
    const child = spawn(process.execPath, [new URL("../server.mjs", import.meta.url).pathname, "--port", "0",
      "--webhook-url", receiver.url, "--verify-token", "wrong"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { err += d; });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(code, 1);
    assert.match(err, /subscription refused/);
  });
});
