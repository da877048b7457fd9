// The dead-letter queue of the edge inbox, in Miniflare with every binding
// and Queue consumer of wrangler.jsonc (the events queue, its dead-letter
// queue and that queue's consumer; AccountInbox and DeadLetters on SQLite,
// persisted to disk).
//
// The fault: one account's object cannot be reached. The Worker runs with
// its own code and one addition, made here and nowhere else: an
// AccountInbox whose receive() throws for the accounts named in the
// UNREACHABLE_ACCOUNTS binding (what an object that keeps failing, an
// overloaded or broken one, looks like to the consumer). Its events are
// retried by the Queue max_retries times, land in the dead-letter queue, and
// are stored by its consumer; the fix is a restart without the fault (a
// deploy), after which POST /dead-letters/replay delivers them. Another
// account's events, in the same batches, are not held up.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Miniflare } from "miniflare";
import { threads } from "../../mock/server.mjs";
import { SECRETS, bundle, forWorker, readWranglerConfig, removeDir, startGraphs } from "./harness.mjs";

const config = readWranglerConfig();
const events = config.queues.consumers.find((c) => c.dead_letter_queue);
const deadLetterQueue = config.queues.consumers.find((c) => c.queue === events.dead_letter_queue);
const customers = threads("messenger", { count: 6 }).map((t) => t.participants.data[0].id);
const admin = { Authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` };

/** @type {Awaited<ReturnType<typeof startGraphs>>} */
let graphs;
/** @type {Miniflare} */
let mf;
let url = "";
let dir = "";
let output = "";
let broken;
let healthy;
const api = (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { ...admin, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(15_000) });

// The Worker as bundled, and the one addition: an object that cannot be reached.
const ENTRY = `
import worker, { AccountInbox as Inbox, DeadLetters } from "./worker.js";
export default worker;
export { DeadLetters };
export class AccountInbox extends Inbox {
  async receive(accountId, events) {
    if ((this.env.UNREACHABLE_ACCOUNTS ?? "").split(",").includes(accountId)) {
      console.log("unreachable: " + events.map((e) => e.mid).join(" "));
      throw new Error("test fault: this account's object cannot be reached");
    }
    return super.receive(accountId, events);
  }
}
`;

/** Miniflare options from wrangler.jsonc: every Durable Object, producer and consumer. */
function options(vars, port) {
  return {
    host: "127.0.0.1",
    port,
    modules: true,
    scriptPath: join(dir, "entry.js"),
    modulesRoot: dir,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }, { type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: config.compatibility_date,
    bindings: { ...config.vars, ...SECRETS, GRAPH_URL: graphs.url, SYNC_PAGE_SIZE: "5", ...vars },
    durableObjects: Object.fromEntries(config.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: true }])),
    durableObjectsPersist: join(dir, "do"),
    queueProducers: Object.fromEntries(config.queues.producers.map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: Object.fromEntries(config.queues.consumers.map((c) => [c.queue, {
      maxBatchSize: c.max_batch_size, maxBatchTimeout: c.max_batch_timeout, maxRetries: c.max_retries, deadLetterQueue: c.dead_letter_queue,
    }])),
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (chunk) => { output += chunk; });
      stderr.on("data", (chunk) => { output += chunk; });
    },
  };
}

/** A promise that rejects after `ms` (a runtime that never starts must not hang the run). */
function within(promise, ms, what) {
  let timer;
  const late = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error(`${what}: no answer within ${ms / 1000} s\n${output.slice(-3000)}`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nruntime output:\n${output.slice(-3000)}`);
    await sleep(250);
  }
}

/** The account's webhooks, as Meta sends them, to the Worker; resolves to the statuses. */
async function postWebhooks(a) {
  await a.mock.webhooks.settled();
  const statuses = [];
  for (const raw of a.bodies.splice(0)) {
    const { body, signature } = forWorker(a, raw);
    const r = await fetch(`${url}/webhook`, { method: "POST", headers: { "X-Hub-Signature-256": signature }, body });
    await r.arrayBuffer();
    statuses.push(r.status);
  }
  return statuses;
}

const mids = async (a, customer) => {
  const r = await api(`/accounts/${a.id}/conversations/${customer}`);
  return r.status === 200 ? (await r.json()).messages.map((m) => m.id) : [];
};
const failures = (a) => output.split(`queue: delivery to ${a.id} failed`).length - 1;
/** How often the object was handed this event and failed. */
const attempts = (mid) => output.split("\n").filter((line) => line.startsWith("unreachable: ") && line.split(" ").includes(mid)).length;

before(async () => {
  graphs = await startGraphs(2, { threads: 6 });
  [broken, healthy] = graphs.accounts;
  dir = await bundle();
  writeFileSync(join(dir, "entry.js"), ENTRY);
  mf = new Miniflare(options({ UNREACHABLE_ACCOUNTS: broken.id }, 0));
  url = (await within(mf.ready, 60_000, "Miniflare")).toString().replace(/\/$/, "");
  for (const a of graphs.accounts) {
    const put = await api(`/accounts/${a.id}`, { method: "PUT", body: JSON.stringify({ accessToken: a.token }) });
    assert.equal(put.status, 202);
  }
  // Both histories synced before the tests write: a sync still paging would
  // read the new messages from the Graph itself, and the unreachable
  // account's inbox would have them without any event delivered.
  await until("both accounts' syncs", async () => {
    const states = await Promise.all(graphs.accounts.map(async (a) => (await (await api(`/accounts/${a.id}`)).json()).sync));
    return states.every((sync) => sync?.complete === true);
  }, 60_000);
}, { timeout: 120_000 });

after(async () => {
  await within(mf?.dispose() ?? Promise.resolve(), 30_000, "Miniflare's dispose").catch((err) => console.error(err.message));
  await graphs?.close();
  if (dir) removeDir(dir);
});

test("wrangler.jsonc gives the dead-letter queue a consumer, with retries of its own", () => {
  assert.equal(events.dead_letter_queue, "edge-inbox-events-dlq");
  assert.ok(deadLetterQueue, "a consumer of the dead-letter queue");
  assert.equal(deadLetterQueue.dead_letter_queue, undefined);
  assert.ok(deadLetterQueue.max_retries >= events.max_retries);
  assert.ok(config.durable_objects.bindings.some((b) => b.name === "DEAD_LETTERS" && b.class_name === "DeadLetters"));
  assert.ok(config.migrations.some((m) => m.new_sqlite_classes?.includes("DeadLetters")));
});

test("an account that cannot be reached: its events are retried max_retries times, then kept as dead letters; the other account's are not held up", async () => {
  // The two accounts' events interleaved, so that they share Queue batches.
  const poisoned = [];
  const good = [];
  for (let i = 0; i < 3; i++) {
    poisoned.push(broken.mock.customerWrites(customers[i], { text: `lost? ${i}` }));
    good.push(healthy.mock.customerWrites(customers[i], { text: `fine ${i}` }));
  }
  const statuses = [...(await postWebhooks(broken)), ...(await postWebhooks(healthy))];
  assert.ok(statuses.length > 0 && statuses.every((s) => s === 200), `every webhook POST answered 200 (the events are on the Queue): ${statuses}`);

  // The healthy account has its events long before the retries run out.
  await until("the healthy account's events", async () => (await Promise.all(customers.slice(0, 3).map((c) => mids(healthy, c)))).every((list, i) => list.includes(good[i])), 15_000);
  assert.equal((await (await api(`/dead-letters`)).json()).total, 0, "nothing dead yet");

  // 1 + max_retries deliveries (one a second), then the dead-letter queue's consumer.
  const letters = await until("the dead letters", async () => {
    const page = await (await api(`/dead-letters`)).json();
    return page.total === poisoned.length && page;
  }, (events.max_retries + 1) * 3_000 + 10_000);
  for (const mid of poisoned) assert.equal(attempts(mid), events.max_retries + 1, "delivered 1 + max_retries times, no more");
  assert.equal(failures(healthy), 0);
  assert.deepEqual(letters.data.map((l) => l.event.mid).sort(), [...poisoned].sort());
  for (const letter of letters.data) {
    assert.equal(letter.accountId, broken.id);
    assert.match(letter.reason, /retries ran out/);
    assert.ok(Date.parse(letter.deadAt) >= Date.parse(letter.queuedAt));
    assert.equal(letter.event.kind, "message");
  }
  for (const c of customers.slice(0, 3)) assert.deepEqual(await mids(broken, c).then((list) => list.filter((m) => poisoned.includes(m))), []);
  // The read route pages, and filters by account.
  const first = await (await api(`/dead-letters?limit=2`)).json();
  assert.equal(first.data.length, 2);
  const rest = await (await api(first.paging.next)).json();
  assert.deepEqual([...first.data, ...rest.data].map((l) => l.id), letters.data.map((l) => l.id));
  assert.equal((await (await api(`/dead-letters?account=${healthy.id}`)).json()).total, 0);
  assert.equal((await fetch(`${url}/dead-letters`)).status, 401, "the dead letters need the ADMIN_TOKEN");
  assert.equal((await api(`/dead-letters?limit=0`)).status, 400);
});

test("after a restart without the fault, the dead letters are still there, and a replay delivers each once", async () => {
  const before = await (await api(`/dead-letters`)).json();
  assert.equal(before.total, 3);
  // The fix, deployed: the same storage, the object reachable again.
  await within(mf.setOptions(options({}, Number(new URL(url).port))), 60_000, "Miniflare's restart");
  const kept = await (await api(`/dead-letters`)).json();
  assert.deepEqual(kept.data.map((l) => l.messageId), before.data.map((l) => l.messageId), "kept across the restart");

  assert.equal((await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify({ ids: "all" }) })).status, 400);
  // One first, by id; then the rest of the account's.
  const one = await (await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify({ ids: [before.data[0].id] }) })).json();
  assert.deepEqual(one, { replayed: [before.data[0].id], left: 2 });
  const others = await (await api(`/dead-letters/replay`, { method: "POST", body: JSON.stringify({ accountId: broken.id }) })).json();
  assert.deepEqual(others.replayed, before.data.slice(1).map((l) => l.id));
  assert.equal(others.left, 0);

  const poisoned = before.data.map((l) => l.event.mid);
  await until("the replayed events in the inbox", async () => {
    const all = (await Promise.all(customers.slice(0, 3).map((c) => mids(broken, c)))).flat();
    return poisoned.every((mid) => all.includes(mid));
  }, 15_000);
  const status = await (await api(`/accounts/${broken.id}`)).json();
  assert.equal(status.live.events, 3, "each event applied once");
  for (const [i, c] of customers.slice(0, 3).entries()) {
    const conversation = await (await api(`/accounts/${broken.id}/conversations/${c}`)).json();
    assert.equal(conversation.messages.filter((m) => m.id === poisoned[i] || m.message === `lost? ${i}`).length, 1);
  }
  assert.equal((await (await api(`/dead-letters`)).json()).total, 0);
  // A second replay has nothing to do.
  assert.deepEqual(await (await api(`/dead-letters/replay`, { method: "POST" })).json(), { replayed: [], left: 0 });
});

test("a Queue message that names no account is a dead letter at once, not retried", async () => {
  const before = failures(broken) + failures(healthy);
  const queue = await mf.getQueueProducer("EVENTS");
  await queue.send({ kind: "message", note: "no accountId" }, { contentType: "json" });
  const letters = await until("the dead letter", async () => {
    const page = await (await api(`/dead-letters`)).json();
    return page.total === 1 && page;
  }, 15_000);
  assert.match(letters.data[0].reason, /no accountId/);
  assert.equal(letters.data[0].accountId, "");
  assert.deepEqual(letters.data[0].event, { kind: "message", note: "no accountId" });
  assert.equal(failures(broken) + failures(healthy), before);
});
