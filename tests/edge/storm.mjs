// The storm: N accounts × M threads connected at once (Messenger Pages and an
// Instagram account), signed webhook events (about 20% sent twice, shuffled)
// while the syncs run, every Durable Object evicted in the middle of each
// phase (ctx.abort through the test-only hook: whatever it was doing fails,
// the Queue retries, the alarm runs again), the whole runtime restarted
// between the phases (once the Queue has drained: Miniflare keeps queued
// messages in memory), replies through the send route, one account
// connected only after its events came; then every account's inbox is
// compared with its mock's truth. Used by storm.test.mjs (bounded, `make
// test-edge`) and full.mjs (`make test-edge-full`).
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { GraphClient, Inbox, Webhook } from "../../pkg/node.js";
import { threads as seededThreads } from "../../mock/server.mjs";
import { SECRETS, bundle, forWorker, removeDir, startEdge, startGraphs } from "./harness.mjs";

const FOLDERS = ["inbox", "other", "page_done", "spam"];
const EMOJI = ["❤️", "😂", "👍", null];

/** A small seeded random generator, so that a failure can be run again. */
function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Runs `fn` over `list`, at most `limit` at a time. */
async function mapLimit(list, limit, fn) {
  const out = new Array(list.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await fn(list[i], i);
    }
  }));
  return out;
}

/**
 * The most calls in any one second (a window of 1,000 ms) among these times
 * (ms). The times are when the calls reached the mock, in this busy test
 * process: the edge starts them 500 ms apart, and the way here can bring two
 * closer (the mock's own check, a bucket of 2 refilled at 2 per second, is
 * what counts a call as too fast: `rateLimited`).
 */
function maxPerSecond(times) {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * @param {{ accounts: number, threads: number, events: number, pageSize?: number, slice?: number, seed?: number,
 *   perPost?: { maxEntries: number, maxItemsPerEntry: number }, instagram?: number[], compactAfter?: number,
 *   postConcurrency?: number, log?: (line: string) => void }} options
 * `instagram`: the indexes of the Instagram accounts (the others are Pages).
 */
export async function runStorm({ accounts: count, threads, events, pageSize = 10, slice = 3, perPost = { maxEntries: 1, maxItemsPerEntry: 3 }, instagram = [1], compactAfter = 64, postConcurrency = 16, seed = 20261205, log = () => {} }) {
  const rand = random(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const started = Date.now();
  const figures = {
    accounts: count, instagramAccounts: 0, threads, events: 0, bodies: 0, posts: 0, repeats: 0,
    medianPostMs: 0, p99PostMs: 0, maxPostMs: 0, non200: 0, socketErrors: 0, getRetries: 0,
    evictions: 0, restarts: 0, snapshots: 0, graphCalls: 0, maxCallsInOneSecondSeen: 0, rateLimited: 0, sends: 0,
    syncMs: 0, totalMs: 0, mismatches: /** @type {string[]} */ ([]),
  };
  const graphs = await startGraphs(count, { threads, perPost, platformOf: (i) => (instagram.includes(i) ? "instagram" : "messenger") });
  figures.instagramAccounts = graphs.accounts.filter((a) => a.platform === "instagram").length;
  const dir = await bundle();
  const vars = { GRAPH_URL: graphs.url, SYNC_PAGE_SIZE: String(pageSize), SYNC_SLICE_REQUESTS: String(slice), COMPACT_AFTER: String(compactAfter), TEST_HOOKS: "1" };
  // EDGE_INSPECTOR=<port>: the runtime's V8 inspector there (DevTools'
  // Performance and Memory panels on the Worker and its objects).
  let edge = await startEdge(dir, { vars, inspectorPort: Number(process.env.EDGE_INSPECTOR) || undefined });
  const admin = { Authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` };
  // A GET that finds its kept-alive connection closed by the runtime (idle
  // while this process was busy) is sent again, as HTTP clients do for
  // idempotent requests; counted (getRetries).
  const api = async (path, init = {}) => {
    const send = () => fetch(`${edge.url}${path}`, { ...init, headers: { ...admin, ...(init.headers ?? {}) } });
    try {
      return await send();
    } catch (err) {
      if ((init.method ?? "GET") !== "GET" || !["UND_ERR_SOCKET", "ECONNRESET"].includes(err?.cause?.code)) throw err;
      figures.getRetries++;
      return send();
    }
  };

  // Per account: the customers, the live customer messages (for edits,
  // unsends, reactions), what was unsent, the distinct events expected.
  const customersOf = { messenger: seededThreads("messenger", { count: threads }).map((t) => t.participants.data[0].id), instagram: seededThreads("instagram", { count: threads }).map((t) => t.participants.data[0].id) };
  const state = graphs.accounts.map(() => ({ log: /** @type {string[]} */ ([]), unsentBy: new Map(), live: /** @type {{ mid: string, edits: number }[]} */ ([]), unsent: new Set(), expected: new Set(), taken: 0 }));
  const late = graphs.accounts[count - 1];
  const latencies = [];
  const slow = [];
  const poster = new Worker(new URL("./poster.mjs", import.meta.url));
  const outputs = [];

  try {
    // Connected at once (all but the last, which is connected at the end).
    await Promise.all(graphs.accounts.slice(0, -1).map(async (a) => {
      const r = await api(`/accounts/${a.id}`, { method: "PUT", body: JSON.stringify({ accessToken: a.token, platform: a.platform }) });
      if (r.status !== 202) throw new Error(`PUT ${a.id}: ${r.status} ${await r.text()}`);
    }));
    log(`connected ${count - 1} accounts in ${Date.now() - started} ms`);

    const act = (i, n) => {
      const a = graphs.accounts[i];
      const s = state[i];
      const customers = customersOf[a.platform];
      for (let k = 0; k < n; k++) {
        const roll = rand();
        const open = s.live.filter((m) => !s.unsent.has(m.mid));
        if (roll < 0.5 || open.length < 3) {
          const customer = rand() < 0.05 ? `8${String(i).padStart(4, "0")}${String(k).padStart(6, "0")}${Math.floor(rand() * 1e4)}` : pick(customers);
          s.live.push({ mid: a.mock.customerWrites(customer, { text: `hello ${i}.${k}`, platform: a.platform }), edits: 0, customer });
          s.log.push(`writes ${customer} at ${Date.now()}`);
        } else if (roll < 0.65) {
          const m = pick(open.filter((x) => x.edits < 5));
          if (m) a.mock.customerEdits(m.mid, `edited ${++m.edits} ${i}.${k}`);
        } else if (roll < 0.75) {
          const m = pick(open);
          a.mock.customerUnsends(m.mid);
          s.unsent.add(m.mid);
          s.unsentBy.set(m.customer, (s.unsentBy.get(m.customer) ?? 0) + 1);
        } else if (roll < 0.9) {
          a.mock.customerReacts(pick(open).mid, pick(EMOJI));
        } else {
          const customer = pick(customers);
          a.mock.businessReplies(customer, { text: `from the Page inbox ${i}.${k}` });
          s.log.push(`replies ${customer} at ${Date.now()}`);
        }
      }
    };

    // Every connected account's object reset at once (the test-only hook).
    const evictAll = async () => {
      const which = graphs.accounts.slice(0, -1);
      const statuses = await mapLimit(which, 8, async (a) => {
        const r = await api(`/accounts/${a.id}/test-evict`, { method: "POST" });
        await r.arrayBuffer();
        return r.status;
      });
      figures.evictions += statuses.filter((s) => s === 202).length;
      log(`evicted ${statuses.filter((s) => s === 202).length} objects at ${Date.now() - started} ms (statuses ${[...new Set(statuses)]})`);
    };

    // Sends the bodies the mocks have written since last time: rewritten
    // for the account and signed, ~20% twice, shuffled, `postConcurrency`
    // at a time; halfway through, every object is evicted.
    const storm = async () => {
      const posts = [];
      for (const a of graphs.accounts) {
        const s = state[a.index];
        for (const raw of a.bodies.slice(s.taken)) {
          const signed = forWorker(a, raw);
          for (const event of Webhook.parse(signed.body)) s.expected.add(JSON.stringify(event.raw));
          posts.push(signed);
          figures.bodies++;
          if (rand() < 0.2) {
            posts.push(signed);
            figures.repeats++;
          }
        }
        s.taken = a.bodies.length;
      }
      for (let i = posts.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [posts[i], posts[j]] = [posts[j], posts[i]];
      }
      // Sent by the poster thread; halfway through, every object is evicted.
      /** @type {Promise<void> | undefined} */
      let eviction;
      const round = await new Promise((done, fail) => {
        const onMessage = (message) => {
          if (message.half) eviction = evictAll();
          if (message.done) {
            poster.off("message", onMessage);
            done(message);
          }
        };
        poster.on("message", onMessage);
        poster.once("error", fail);
        poster.postMessage({ url: edge.url, posts, concurrency: postConcurrency, started });
      });
      latencies.push(...round.latencies);
      slow.push(...round.slow);
      figures.non200 += round.non200;
      figures.socketErrors += round.socketErrors;
      figures.posts += round.latencies.length;
      await eviction;
    };

    const settle = async () => Promise.all(graphs.accounts.map((a) => a.mock.webhooks.settled({ timeoutMs: 60_000 })));

    // Live events until every connected account has applied what it was sent.
    const drained = async (which, timeoutMs = 300_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await mapLimit(which, 8, async (a) => (await (await api(`/accounts/${a.id}`)).json()).live?.events ?? -1);
        if (counts.every((n, k) => n === state[which[k].index].expected.size)) return;
        if (Date.now() > deadline) throw new Error(`queue not drained: ${JSON.stringify(counts)} vs ${JSON.stringify(which.map((a) => state[a.index].expected.size))}`);
        await sleep(which.length > 20 ? 1000 : 250);
      }
    };

    const half = Math.ceil(events / count / 2);
    // Phase 1: half the events, while the syncs run.
    // One mock's deliveries at a time, so that thousands of POSTs to the relay do not all start at once.
    for (let i = 0; i < count; i++) {
      act(i, half);
      await graphs.accounts[i].mock.webhooks.settled({ timeoutMs: 60_000 });
    }
    await storm();
    log(`phase 1: ${figures.posts} posts in ${Date.now() - started} ms`);
    await drained(graphs.accounts.slice(0, -1));
    await sleep(1500); // the late account's events, in the same batches
    const progress = await mapLimit(graphs.accounts.slice(0, -1), 8, async (a) => (await (await api(`/accounts/${a.id}`)).json()).sync.complete);
    log(`restarting the Durable Objects; syncs complete: ${progress.filter(Boolean).length}/${progress.length}`);
    outputs.push(edge.output().slice(-4000));
    await edge.dispose();
    // On another port: fetch's kept-alive connections to the old one are dead.
    edge = await startEdge(dir, { vars, inspectorPort: Number(process.env.EDGE_INSPECTOR) || undefined });
    figures.restarts++;

    // Phase 2: the other half, and replies through the route (one repeated with its key).
    for (let i = 0; i < count; i++) {
      act(i, events / count - half);
      await graphs.accounts[i].mock.webhooks.settled({ timeoutMs: 60_000 });
    }
    await mapLimit(graphs.accounts.slice(0, -1), 8, async (a) => {
      for (let k = 0; k < 2; k++) {
        const customer = customersOf[a.platform][k];
        const key = `${a.id}-reply-${k}`;
        const send = () => api(`/accounts/${a.id}/conversations/${customer}/messages`, { method: "POST", headers: { "Idempotency-Key": key }, body: JSON.stringify({ text: `reply ${k}` }) });
        const first = await send();
        const firstBody = await first.text();
        if (first.status !== 201) throw new Error(`send ${a.id}: ${first.status} ${firstBody}`);
        const again = await send();
        const againBody = await again.text();
        if (again.status !== 201 || againBody !== firstBody) throw new Error(`repeat of ${key} answered ${again.status} ${againBody}`);
        // (its echo comes as an event below)
      }
    });
    await settle();
    await storm();
    log(`phase 2: ${figures.posts} posts in ${Date.now() - started} ms`);

    const lateR = await api(`/accounts/${late.id}`, { method: "PUT", body: JSON.stringify({ accessToken: late.token, platform: late.platform }) });
    if (lateR.status !== 202) throw new Error(`PUT late: ${lateR.status}`);
    await drained(graphs.accounts);

    // Every sync complete.
    const deadline = Date.now() + 600_000;
    for (;;) {
      const all = await mapLimit(graphs.accounts, 8, async (a) => (await api(`/accounts/${a.id}`)).json());
      const statuses = all.map((s) => s.sync);
      const refused = all.find((s) => s.notApplied);
      if (refused) throw new Error(`an input was not applied: ${JSON.stringify(refused.notApplied)}`);
      if (statuses.every((s) => s.complete) && all.every((s) => s.live.strangers === 0)) break;
      const stopped = statuses.find((s) => s.error);
      if (stopped) throw new Error(`a sync stopped: ${JSON.stringify(stopped)}`);
      if (Date.now() > deadline) throw new Error(`syncs not complete: ${statuses.filter((s) => !s.complete).length}`);
      await sleep(graphs.accounts.length > 20 ? 2000 : 500);
    }
    figures.syncMs = Date.now() - started;
    figures.snapshots = (await mapLimit(graphs.accounts, 8, async (a) => (await (await api(`/accounts/${a.id}`)).json()).storage?.snapshots ?? 0)).reduce((n, k) => n + k, 0);
    // The edge's own Graph calls (the truth's come after): per token, the most in any second.
    figures.rateLimited = graphs.accounts.reduce((n, a) => n + a.mock.stats.rateLimited, 0);
    figures.graphCalls = graphs.accounts.reduce((n, a) => n + a.mock.requests.length, 0);
    figures.maxCallsInOneSecondSeen = Math.max(...graphs.accounts.map((a) => maxPerSecond(a.mock.requests.map((r) => r.at))));
    if (process.env.EDGE_DEBUG) {
      for (const a of graphs.accounts) log(`${a.id}: ms between calls as they arrived: ${a.mock.requests.slice(1).map((r, i) => Math.round(r.at - a.mock.requests[i].at)).join(" ")}`);
    }
    figures.sends = graphs.accounts.reduce((n, a) => n + a.sends, 0);
    figures.events = state.reduce((n, s) => n + s.expected.size, 0);

    // The truth: each mock's inbox now, read by a fresh sync of every folder.
    // A few accounts at a time, pages of 50: as a dashboard would read.
    await mapLimit(graphs.accounts, 4, async (a) => {
      // The edge's calls are counted: the truth is read without the budget.
      a.mock.setCallsPerSecond(0);
      const client = new GraphClient({ accessToken: a.token, baseUrl: graphs.url, callsPerSecond: 0 });
      const truth = new Inbox({ accountId: a.id, platform: a.platform });
      for (const folder of FOLDERS) truth.apply(await client.syncInbox(a.id, { folder, platform: a.platform }));
      const ours = [];
      for (let after = null; ;) {
        const page = await (await api(`/accounts/${a.id}/conversations?limit=50${after ? `&after=${encodeURIComponent(after)}` : ""}`)).json();
        ours.push(...page.data);
        if (!page.paging?.next) break;
        after = page.paging.cursors.after;
      }
      const before = figures.mismatches.length;
      compare(a, truth.conversations(), ours, state[a.index], figures.mismatches);
      if (process.env.EDGE_DEBUG && figures.mismatches.length > before) {
        const cursor = (c) => (c ? Buffer.from(c, "base64").toString("latin1").replace(/[^\x20-\x7e]/g, "") : "");
        for (const r of a.mock.requests) log(`${a.id} ${r.method} ${r.path} folder=${r.query?.folder ?? ""} user=${r.query?.user_id ?? ""} limit=${r.query?.limit ?? ""} after=${cursor(r.query?.after)} ${r.status} at=${r.at}`);
        for (const m of figures.mismatches.slice(before)) {
          const customer = /conversation of (\d+) missing/.exec(m)?.[1];
          if (!customer) continue;
          const thread = truth.conversation(customer);
          log(`truth ${JSON.stringify({ id: thread?.id, updated: thread?.updated_time, n: thread?.messages.length })}`);
          for (const id of [customer, thread?.id]) log(`ours ${id}: ${(await api(`/accounts/${a.id}/conversations/${id}`)).status}`);
          log(`live actions on it: ${JSON.stringify(state[a.index].log.filter((x) => x.includes(customer)))}`);
        }
        log(`ours: ${JSON.stringify(ours.map((c) => [c.id, c.customer_id, c.messages.length]))}`);
        log(`truth: ${JSON.stringify(truth.conversations().map((c) => [c.id, c.customer_id, c.messages.length]))}`);
        log(`status: ${JSON.stringify(await (await api(`/accounts/${a.id}`)).json())}`);
      }
    });
    if (figures.mismatches.length) log(`runtime output:\n${outputs.join("\n--- restart ---\n")}${edge.output().slice(-4000)}`);
  } catch (err) {
    log(`runtime output:\n${outputs.join("\n--- restart ---\n")}${edge.output().slice(-4000)}`);
    throw err;
  } finally {
    latencies.sort((x, y) => x - y);
    figures.medianPostMs = Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0);
    figures.maxPostMs = Math.round(latencies.at(-1) ?? 0);
    figures.p99PostMs = Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0);
    figures.totalMs = Date.now() - started;
    if (slow.length) log(`POSTs over 500 ms: ${slow.length}: ${slow.slice(0, 40).join(", ")}`);
    log(`figures: ${JSON.stringify({ ...figures, rateLimited: graphs.accounts.reduce((n, a) => n + a.mock.stats.rateLimited, 0) })}`);
    await edge.dispose().catch(() => {});
    await poster.terminate();
    await graphs.close();
    removeDir(dir);
  }
  return figures;
}

/** The account's inbox against the truth: by customer, the truth's messages (≤ 20 newest) all there, once, with their text. */
function compare(account, truth, ours, { unsent, unsentBy }, mismatches) {
  const say = (text) => mismatches.length < 30 && mismatches.push(`${account.id}: ${text}`);
  const byCustomer = (list) => new Map(list.map((c) => [c.customer_id ?? c.id, c]));
  const t = byCustomer(truth);
  const o = byCustomer(ours);
  if (ours.length !== o.size) say(`${ours.length - o.size} customers with two conversations`);
  for (const id of t.keys()) if (!o.has(id)) say(`conversation of ${id} missing`);
  for (const id of o.keys()) if (!t.has(id)) say(`conversation of ${id} not in the truth`);
  for (const [id, theirs] of t) {
    const mine = o.get(id);
    if (!mine) continue;
    if (theirs.id !== mine.id) say(`${id}: conversation id ${mine.id}, truth ${theirs.id}`);
    const mids = mine.messages.map((m) => m.id);
    if (new Set(mids).size !== mids.length) say(`${id}: a message twice`);
    for (const mid of mids) if (unsent.has(mid)) say(`${id}: unsent ${mid} shown`);
    const mineById = new Map(mine.messages.map((m) => [m.id, m]));
    // An unsend lets an older message back among a thread's 20 newest, which
    // only a new sync reads: at most as many truth messages as the customer
    // unsent may be missing, each older than our oldest.
    const oldest = mine.messages.at(-1)?.created_time ?? "";
    const expected = theirs.messages.filter((m) => m.created_time >= oldest);
    const older = theirs.messages.filter((m) => m.created_time < oldest && !mineById.has(m.id)).length;
    if (older > (unsentBy.get(id) ?? 0)) say(`${id}: ${older} older messages missing (${unsentBy.get(id) ?? 0} unsent; ours ${mine.messages.length}, truth ${theirs.messages.length})`);
    for (const m of expected) {
      const have = mineById.get(m.id);
      if (!have) say(`${id}: ${m.id} missing (${m.created_time} ${JSON.stringify(m.from?.id)} ${JSON.stringify(m.message)}; ours: ${mine.messages.length} messages, newest ${mine.messages[0]?.created_time})`);
      else if ((have.message ?? "") !== (m.message ?? "")) say(`${id}: ${m.id} says ${JSON.stringify(have.message)}, truth ${JSON.stringify(m.message)}`);
      else if (JSON.stringify(reactions(have)) !== JSON.stringify(reactions(m))) say(`${id}: ${m.id} reactions ${JSON.stringify(reactions(have))}, truth ${JSON.stringify(reactions(m))}`);
    }
    const newest = new Set(mids.slice(0, expected.length));
    for (const m of expected) if (!newest.has(m.id)) { say(`${id}: ${m.id} not among the newest`); break; }
  }
}

/** A message's reactions as sorted "emoji:user" pairs. */
function reactions(message) {
  return (message.reactions?.data ?? []).flatMap((r) => (r.users ?? []).map((u) => `${r.reaction}:${u.id}`)).sort();
}
