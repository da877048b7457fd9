// The edge inbox under `wrangler dev`, as its README runs it locally: the
// pinned wrangler on this Node, local mode, offline, on 127.0.0.1, against
// the mock Graph (examples/demo-edge.mjs starts it from a temporary copy of
// the template, secrets in its .dev.vars). The mock subscribes the Worker's
// /webhook with Meta's hub.challenge handshake and fires its signed webhooks
// at it; everything then goes through the local Queue, its consumer and the
// account's Durable Object. Asserted through the template's own routes: the
// inbox equals what the mock serves, a keyed reply goes out once, and the
// WebSocket pushes a change.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fetch as upgradeFetch } from "miniflare";
import { startEdgeDev } from "../../examples/demo-edge.mjs";
import { PAGE_ID, TOKEN, startMock, threads } from "../../mock/server.mjs";
import { GraphClient, Inbox } from "../../pkg/node.js";

const FOLDERS = ["inbox", "other", "page_done", "spam"];
const THREADS = 20;
// Threads with fewer than 20 messages, so that a fresh sync reads all of
// them: an unsend cannot bring an older message back among the 20 newest.
const small = threads("messenger", { count: THREADS }).filter((t) => t.messages.length < 19);
const customerOf = (t) => t.participants.data[0].id;
const NEW_CUSTOMER = "7100000000000042";

/** @type {Awaited<ReturnType<typeof startMock>>} */
let mock;
/** @type {Awaited<ReturnType<typeof startEdgeDev>>} */
let edge;
let admin = {};
const api = (path, init = {}) => fetch(`${edge.url}${path}`, { ...init, headers: { ...admin, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(15_000) });
const status = async () => (await api(`/accounts/${PAGE_ID}`)).json();

async function until(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nwrangler dev output:\n${edge.output().slice(-3000)}`);
    await sleep(200);
  }
}

/** Until the Queue has handed every event the mock told to the account's object, and no live thread is left to look up. */
async function drained() {
  await mock.webhooks.settled();
  return until("the Queue to drain", async () => {
    const s = await status();
    return s.sync.complete && s.live.events === mock.webhooks.events.length && s.live.strangers === 0 && s;
  });
}

/** Every conversation the routes answer, page by page. */
async function ours() {
  const all = [];
  for (let path = `/accounts/${PAGE_ID}/conversations?limit=7`, pages = 0; pages < 20; pages++) {
    const page = await (await api(path)).json();
    all.push(...page.data);
    if (!page.paging.next) return all;
    path = page.paging.next;
  }
  throw new Error("more than 20 pages");
}

/** The mock's inbox now, read by a fresh sync of every folder. */
async function truth() {
  const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url });
  const inbox = new Inbox({ accountId: PAGE_ID, platform: "messenger" });
  for (const folder of FOLDERS) inbox.apply(await client.syncInbox(PAGE_ID, { folder }));
  return inbox.conversations();
}

const reactionsOf = (m) => (m.reactions?.data ?? []).flatMap((r) => (r.users ?? []).map((u) => `${r.reaction}:${u.id}`)).sort();
/** A conversation as compared: its id, customer, and its newest `n` messages (id, text, reactions). */
const view = (c, n) => ({
  id: c.id,
  customer: c.customer_id,
  messages: c.messages.slice(0, n).map((m) => ({ id: m.id, text: m.message ?? "", reactions: reactionsOf(m) })),
});

before(async () => {
  mock = await startMock({ threads: { messenger: THREADS, instagram: 0 }, callsPerSecond: 2 });
  // Small pages and slices: the sync runs over several alarms while the live events come.
  edge = await startEdgeDev({ graphUrl: mock.url, vars: { SYNC_PAGE_SIZE: "5", SYNC_SLICE_REQUESTS: "2" } });
  admin = { Authorization: `Bearer ${edge.secrets.ADMIN_TOKEN}` };
}, { timeout: 120_000 });

after(async () => {
  await edge?.stop();
  await mock?.close();
});

test(`wrangler dev serves the edge inbox on Node ${process.versions.node}: its Queues and Durable Objects local, no error or warning`, async () => {
  console.log(`wrangler ${edge.version}, Node ${process.versions.node}`);
  const output = edge.output();
  assert.match(output, /env\.ACCOUNTS \(AccountInbox\)\s+Durable Object\s+local/);
  assert.match(output, /env\.EVENTS \(edge-inbox-events\)\s+Queue\s+local/);
  assert.match(output, /env\.DEAD_LETTERS \(DeadLetters\)\s+Durable Object\s+local/);
  assert.doesNotMatch(output, /\[(ERROR|WARNING)\]/, output);
  for (const secret of Object.values(edge.secrets)) assert.ok(!output.includes(secret), "wrangler printed a secret");
  // The mock's subscription: Meta's GET with the verify token, answered with the challenge.
  const sub = await mock.webhooks.subscribe({ url: `${edge.url}/webhook`, appSecret: edge.secrets.APP_SECRET, verifyToken: edge.secrets.VERIFY_TOKEN });
  assert.equal(sub.verified, true);
  assert.equal((await fetch(`${edge.url}/accounts/${PAGE_ID}`)).status, 401, "the admin routes need the ADMIN_TOKEN");
  assert.deepEqual((await (await api("/dead-letters")).json()).total, 0, "the dead letters' route answers");
});

test("the mock's signed webhooks, sent while the sync runs, end in an inbox equal to what the mock serves", async () => {
  const put = await api(`/accounts/${PAGE_ID}`, { method: "PUT", body: JSON.stringify({ accessToken: TOKEN }) });
  assert.equal(put.status, 202, await put.clone().text());
  // While the sync pages through the inbox: writes to known threads (they
  // jump to the top, behind the sync's cursor) and from a new customer, an
  // edit, a reaction.
  const [a, b, c] = small;
  const first = mock.customerWrites(customerOf(a), { text: "Are you open on Sunday? ☕" });
  mock.customerWrites(customerOf(b), { text: "Table for two at 8?" });
  mock.customerWrites(NEW_CUSTOMER, { text: "Hi, first time writing" });
  await sleep(300);
  mock.customerEdits(first, "Are you open on Sunday morning? ☕");
  mock.customerReacts(b.messages[0].id, "❤️");
  // A message and its unsend while the sync may be paging past that thread:
  // the customer's events cancel out, and the thread must still be there.
  const gone = mock.customerWrites(customerOf(c), { text: "oops, wrong chat" });
  await sleep(300);
  mock.customerUnsends(gone);

  const done = await drained();
  assert.equal(done.sync.error, undefined);
  const deliveries = mock.webhooks.deliveries;
  assert.ok(deliveries.length > 0);
  for (const d of deliveries) {
    assert.equal(d.status, 200, `a webhook POST answered ${d.status}: ${d.answer}`);
    assert.ok(d.ms < 5000, `a webhook POST took ${d.ms} ms (Meta waits 5 s)`);
  }
  assert.equal(mock.stats.rateLimited, 0, "the object kept to 2 calls per second");

  const mine = await ours();
  const theirs = await truth();
  assert.deepEqual(mine.map((x) => x.id).sort(), theirs.map((x) => x.id).sort(), "the same conversations");
  const byId = new Map(mine.map((x) => [x.id, x]));
  for (const t of theirs) {
    const o = /** @type {any} */ (byId.get(t.id));
    assert.deepEqual(view(o, t.messages.length), view(t, t.messages.length), `conversation ${t.id}`);
  }
  // The new customer's conversation took its thread's id (found once the sync was done).
  const newcomer = mine.find((x) => x.customer_id === NEW_CUSTOMER);
  assert.ok(newcomer && newcomer.id.startsWith("t_"), JSON.stringify(newcomer?.id));
  assert.ok(!JSON.stringify(mine).includes(gone), "the unsent message is gone");
});

test("a reply goes out once when its Idempotency-Key is replayed, and is in the inbox once, its echo included", async () => {
  const [a] = small;
  const path = `/accounts/${PAGE_ID}/conversations/${a.id}/messages`;
  const sendsBefore = mock.sends.length;
  const init = { method: "POST", headers: { "Idempotency-Key": "reply-sunday-1" }, body: JSON.stringify({ text: "Yes, from 9 to 14 on Sundays" }) };
  const first = await api(path, init);
  assert.equal(first.status, 201, await first.clone().text());
  const sent = await first.json();
  const again = await api(path, init);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get("Idempotent-Replayed"), "true");
  assert.deepEqual(await again.json(), sent);
  assert.equal(mock.sends.length, sendsBefore + 1, "the Send API was called once");
  assert.equal(mock.sends.at(-1).mid, sent.messageId);
  assert.equal(mock.sends.at(-1).recipientId, customerOf(a));

  await drained(); // the echo webhook, through the Queue
  const one = await (await api(`/accounts/${PAGE_ID}/conversations/${a.id}`)).json();
  assert.equal(one.messages.filter((m) => m.id === sent.messageId).length, 1);
  assert.equal(one.messages[0].id, sent.messageId);
  const t = (await truth()).find((x) => x.id === a.id);
  assert.ok(t);
  assert.deepEqual(view(one, t.messages.length), view(t, t.messages.length));
});

test("the live WebSocket (a single-use ticket) pushes what a customer's new message changed", async () => {
  const [, b] = small;
  const { ticket } = await (await api(`/accounts/${PAGE_ID}/live-ticket`, { method: "POST" })).json();
  const res = await upgradeFetch(`${edge.url}/accounts/${PAGE_ID}/live?ticket=${ticket}`, { headers: { Upgrade: "websocket" } });
  assert.equal(res.status, 101);
  const socket = res.webSocket;
  assert.ok(socket);
  socket.accept();
  /** @type {any[]} */
  const frames = [];
  socket.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data))));
  try {
    const reused = await upgradeFetch(`${edge.url}/accounts/${PAGE_ID}/live?ticket=${ticket}`, { headers: { Upgrade: "websocket" } });
    assert.equal(reused.status, 401, "a ticket is good once");
    const mid = mock.customerWrites(customerOf(b), { text: "Running 10 minutes late" });
    const frame = await until("a frame naming the new message", () => frames.find((f) => f.messages.added.includes(mid)));
    assert.ok(frame.conversations.updated.includes(b.id) || frame.conversations.added.includes(b.id), JSON.stringify(frame));
  } finally {
    socket.close(1000);
  }
});
