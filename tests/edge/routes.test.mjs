// The edge inbox's routes one by one, in Miniflare against one mock account.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { threads } from "../../mock/server.mjs";
import { REFUSED_RECIPIENT, SECRETS, UNKNOWN_RECIPIENT, bundle, forWorker, removeDir, startEdge, startGraphs } from "./harness.mjs";

/** @type {Awaited<ReturnType<typeof startGraphs>>} */
let graphs;
/** @type {Awaited<ReturnType<typeof startEdge>>} */
let edge;
let dir = "";
const admin = { Authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` };
const customers = threads("messenger", { count: 12 }).map((t) => t.participants.data[0].id);
const api = (path, init = {}) => fetch(`${edge.url}${path}`, { ...init, headers: { ...admin, ...(init.headers ?? {}) } });
const account = () => graphs.accounts[0];

async function postWebhooks(a) {
  await a.mock.webhooks.settled();
  const statuses = [];
  for (const raw of a.bodies.splice(0)) {
    const { body, signature } = forWorker(a, raw);
    const r = await fetch(`${edge.url}/webhook`, { method: "POST", headers: { "X-Hub-Signature-256": signature }, body });
    await r.arrayBuffer();
    statuses.push(r.status);
  }
  return statuses;
}

async function until(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

before(async () => {
  graphs = await startGraphs(2, { threads: 12 });
  dir = await bundle();
  // COMPACT_AFTER 3: the shards are compacted as the tests go; TEST_HOOKS: the eviction route.
  edge = await startEdge(dir, { vars: { GRAPH_URL: graphs.url, SYNC_PAGE_SIZE: "5", SYNC_SLICE_REQUESTS: "2", COMPACT_AFTER: "3", TEST_HOOKS: "1" } });
});

after(async () => {
  await edge?.dispose();
  await graphs?.close();
  if (dir) removeDir(dir);
});

test("GET /webhook: the handshake with VERIFY_TOKEN answers the challenge, another token 403", async () => {
  const ok = await fetch(`${edge.url}/webhook?hub.mode=subscribe&hub.verify_token=${SECRETS.VERIFY_TOKEN}&hub.challenge=1158201444`);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "1158201444");
  const bad = await fetch(`${edge.url}/webhook?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
  assert.equal(bad.status, 403);
});

test("POST /webhook: 401 for a bad signature, 400 for a signed body that is not a webhook", async () => {
  const unsigned = await fetch(`${edge.url}/webhook`, { method: "POST", body: "{}" });
  assert.equal(unsigned.status, 401);
  const { signature } = forWorker(account(), '{"hello":1}');
  const wrong = await fetch(`${edge.url}/webhook`, { method: "POST", headers: { "X-Hub-Signature-256": signature }, body: '{"hello":2}' });
  assert.equal(wrong.status, 401);
  const notWebhook = forWorker(account(), '{"hello":1}');
  const r = await fetch(`${edge.url}/webhook`, { method: "POST", headers: { "X-Hub-Signature-256": notWebhook.signature }, body: notWebhook.body });
  assert.equal(r.status, 400);
});

test("the account routes need Authorization: Bearer ADMIN_TOKEN; an unknown account is 404", async () => {
  const a = account();
  assert.equal((await fetch(`${edge.url}/accounts/${a.id}`)).status, 401);
  assert.equal((await fetch(`${edge.url}/accounts/${a.id}`, { headers: { Authorization: "Bearer wrong" } })).status, 401);
  assert.equal((await api(`/accounts/${a.id}`)).status, 404);
  assert.equal((await api(`/accounts/${a.id}/conversations`)).status, 404);
  assert.equal((await api(`/nothing`)).status, 404);
});

test("events of an account not connected yet are kept and applied when it is; PUT validates; GET counts", async () => {
  const a = account();
  const mid = a.mock.customerWrites(customers[0], { text: "before you connected" });
  assert.deepEqual(await postWebhooks(a), [200]);
  await sleep(1500); // the Queue's batch timeout is 1 s
  assert.equal((await api(`/accounts/${a.id}`, { method: "PUT", body: JSON.stringify({}) })).status, 400);
  assert.equal((await api(`/accounts/${a.id}`, { method: "PUT", body: JSON.stringify({ accessToken: a.token, platform: "sms" }) })).status, 400);
  const put = await api(`/accounts/${a.id}`, { method: "PUT", body: JSON.stringify({ accessToken: a.token }) });
  assert.equal(put.status, 202);
  const status = await put.json();
  assert.equal(status.platform, "messenger");
  assert.equal(status.live.events, 1);
  const one = await (await api(`/accounts/${a.id}/conversations/${customers[0]}`)).json();
  assert.ok(one.messages.some((m) => m.id === mid && m.message === "before you connected"));
  const done = await until("the sync", async () => {
    const s = await (await api(`/accounts/${a.id}`)).json();
    return s.sync.complete && s;
  });
  assert.equal(done.sync.conversations, 12 + 3 + 2 + 2); // the inbox and the other folders
  assert.ok(done.sync.requests >= 4);
  assert.equal(a.mock.stats.rateLimited, 0);
});

test("the access token is stored sealed: it is nowhere in the Durable Objects' files", () => {
  const files = [];
  const walk = (d) => { for (const name of readdirSync(d)) { const p = join(d, name); statSync(p).isDirectory() ? walk(p) : files.push(p); } };
  walk(join(dir, "do"));
  assert.ok(files.length > 0);
  for (const file of files) assert.ok(!readFileSync(file).includes(account().token), `${file} holds the token`);
});

test("GET conversations: newest first, paged by limit and after; one conversation by its id or its customer's; limit checked", async () => {
  const a = account();
  assert.equal((await api(`/accounts/${a.id}/conversations?limit=0`)).status, 400);
  assert.equal((await api(`/accounts/${a.id}/conversations?limit=101`)).status, 400);
  assert.equal((await api(`/accounts/${a.id}/conversations?after=nonsense`)).status, 400);
  const seen = [];
  let path = `/accounts/${a.id}/conversations?limit=5`;
  for (;;) {
    const page = await (await api(path)).json();
    assert.ok(page.data.length <= 5);
    seen.push(...page.data);
    if (!page.paging.next) break;
    path = page.paging.next;
  }
  assert.equal(seen.length, 19);
  assert.equal(new Set(seen.map((c) => c.id)).size, 19);
  const times = seen.map((c) => c.updated_time);
  assert.deepEqual(times, [...times].sort().reverse());
  const first = seen[0];
  assert.equal((await (await api(`/accounts/${a.id}/conversations/${first.id}`)).json()).id, first.id);
  assert.equal((await (await api(`/accounts/${a.id}/conversations/${first.customer_id}`)).json()).id, first.id);
  assert.equal((await api(`/accounts/${a.id}/conversations/t_nothing`)).status, 404);
});

test("POST messages: 201 and in the inbox at once; a keyed repeat answers the same and sends nothing; 400, 422, 504", async () => {
  const a = account();
  const path = `/accounts/${a.id}/conversations/${customers[1]}/messages`;
  const sendsBefore = a.sends;
  const first = await api(path, { method: "POST", headers: { "Idempotency-Key": "k-1" }, body: JSON.stringify({ text: "Thanks, see you Sunday" }) });
  assert.equal(first.status, 201);
  const sent = await first.json();
  assert.ok(sent.messageId);
  const again = await api(path, { method: "POST", headers: { "Idempotency-Key": "k-1" }, body: JSON.stringify({ text: "Thanks, see you Sunday" }) });
  assert.equal(again.status, 201);
  assert.deepEqual(await again.json(), sent);
  assert.equal(a.sends, sendsBefore + 1);
  const conversation = await (await api(`/accounts/${a.id}/conversations/${customers[1]}`)).json();
  assert.equal(conversation.messages.filter((m) => m.id === sent.messageId).length, 1);
  // Its echo is the same message.
  assert.ok((await postWebhooks(a)).every((s) => s === 200));
  await sleep(1500);
  const later = await (await api(`/accounts/${a.id}/conversations/${customers[1]}`)).json();
  assert.equal(later.messages.filter((m) => m.id === sent.messageId).length, 1);

  const bad = await api(path, { method: "POST", body: JSON.stringify({ text: "" , nonsense: 1 }) });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.kind, "invalid_argument");
  assert.equal((await api(path, { method: "POST", body: "[]" })).status, 400);
  const refused = await api(`/accounts/${a.id}/conversations/${REFUSED_RECIPIENT}/messages`, { method: "POST", body: JSON.stringify({ text: "late" }) });
  assert.equal(refused.status, 422);
  const refusal = (await refused.json()).error;
  assert.equal(refusal.code, 10);
  assert.equal(refusal.delivery, "not_sent");
  const unknown = await api(`/accounts/${a.id}/conversations/${UNKNOWN_RECIPIENT}/messages`, { method: "POST", headers: { "Idempotency-Key": "k-2" }, body: JSON.stringify({ text: "maybe" }) });
  assert.equal(unknown.status, 504);
  assert.equal((await unknown.json()).error.delivery, "unknown");
  const unknownAgain = await api(`/accounts/${a.id}/conversations/${UNKNOWN_RECIPIENT}/messages`, { method: "POST", headers: { "Idempotency-Key": "k-2" }, body: JSON.stringify({ text: "maybe" }) });
  assert.equal(unknownAgain.status, 504, "a keyed repeat answers what the first did");
});

test("the live WebSocket: a single-use ticket, then one frame per apply that changed something", async () => {
  const a = account();
  const ticket = await (await api(`/accounts/${a.id}/live-ticket`, { method: "POST" })).json();
  assert.match(ticket.ticket, /^[0-9a-f]{48}$/);
  const res = await edge.mf.dispatchFetch(`${edge.url}/accounts/${a.id}/live?ticket=${ticket.ticket}`, { headers: { Upgrade: "websocket" } });
  assert.equal(res.status, 101);
  const socket = res.webSocket;
  assert.ok(socket);
  socket.accept();
  const frames = [];
  socket.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data))));
  const reused = await edge.mf.dispatchFetch(`${edge.url}/accounts/${a.id}/live?ticket=${ticket.ticket}`, { headers: { Upgrade: "websocket" } });
  assert.equal(reused.status, 401);
  const mid = a.mock.customerWrites(customers[2], { text: "are you open?" });
  await postWebhooks(a);
  await until("a frame", () => frames.find((f) => f.messages.added.includes(mid)));
  socket.close(1000);
});

test("a second account's events go to its own object only", async () => {
  const b = graphs.accounts[1];
  assert.equal((await api(`/accounts/${b.id}`, { method: "PUT", body: JSON.stringify({ accessToken: b.token }) })).status, 202);
  const mid = b.mock.customerWrites(customers[3], { text: "for b" });
  await postWebhooks(b);
  await until("b's event", async () => (await (await api(`/accounts/${b.id}`)).json()).live.events === 1);
  const inA = await (await api(`/accounts/${account().id}/conversations/${customers[3]}`)).json();
  assert.ok(!inA.messages.some((m) => m.id === mid));
});

test("an evicted object answers the same inbox: its compacted shards restored, their logs applied, nothing counted twice", async () => {
  const a = account();
  const read = async () => {
    const list = [];
    for (let path = `/accounts/${a.id}/conversations?limit=7`; path;) {
      const page = await (await api(path)).json();
      list.push(...page.data);
      path = page.paging.next;
    }
    return list;
  };
  // More events, some of them repeated, then everything as it stands.
  const mids = [0, 1, 2, 3].map((k) => a.mock.customerWrites(customers[4 + k], { text: `before the eviction ${k}` }));
  a.mock.customerEdits(mids[0], "edited before the eviction");
  await a.mock.webhooks.settled();
  const bodies = [...a.bodies];
  assert.ok((await postWebhooks(a)).every((s) => s === 200));
  const expected = (await (await api(`/accounts/${a.id}`)).json()).live.events + bodies.length;
  const status = await until("the events", async () => {
    const s = await (await api(`/accounts/${a.id}`)).json();
    return s.live.events === expected && s;
  });
  assert.ok(status.storage.snapshots > 0, "some shards were compacted");
  const before = await read();

  assert.equal((await api(`/accounts/${a.id}/test-evict`, { method: "POST" })).status, 202);
  await sleep(200);
  // The same events again, as Meta would after an error: found, not counted.
  for (const raw of bodies) a.bodies.push(raw);
  assert.ok((await postWebhooks(a)).every((s) => s === 200));
  await sleep(1500);
  const after = await (await api(`/accounts/${a.id}`)).json();
  assert.equal(after.live.events, status.live.events);
  assert.ok(after.storage.snapshots >= status.storage.snapshots, "compaction only goes on");
  assert.deepEqual(await read(), before);
  const one = await (await api(`/accounts/${a.id}/conversations/${customers[4]}`)).json();
  assert.equal(one.messages.find((m) => m.id === mids[0])?.message, "edited before the eviction");
});

test("the eviction route exists only with TEST_HOOKS=1", async () => {
  const other = await startEdge(dir, { vars: { GRAPH_URL: graphs.url } });
  try {
    const r = await fetch(`${other.url}/accounts/${account().id}/test-evict`, { method: "POST", headers: admin });
    assert.equal(r.status, 404);
  } finally {
    await other.dispose();
  }
});
