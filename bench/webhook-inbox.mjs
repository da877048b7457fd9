// Webhook and Inbox, each against a plain-JS baseline measured in the same run:
//
//   - webhook.verify + Webhook.parse per body, on bodies as Meta sends them
//     (escaped unicode, 1 and 10 events, signed), against crypto.subtle
//     HMAC-SHA256 verify + JSON.parse (the key imported once, as a server
//     keeps it); node:crypto createHmac + timingSafeEqual + JSON.parse is
//     shown beside it;
//   - inbox.apply on live events (messages, echoes, edits, reactions, reads,
//     redeliveries) over a synced inbox of 200 conversations, one event per
//     call and in batches of 10 and 100, in events per second, against a
//     Map keyed by mid (what a hand-written inbox does at the least: no order
//     rules, no cap, no snapshot);
//   - the memory an inbox takes per 10,000 messages held, in a fresh
//     `node --expose-gc` (the inbox lives in the wasm linear memory, so its
//     growth is read there, next to the JS heap after a full gc), against the
//     same messages held as JS objects.
//
// Interleaved rounds, medians. A benchmark, not a test.
//
//   node bench/webhook-inbox.mjs [rounds=15]
//   node bench/webhook-inbox.mjs --memory-child            (internal) the inbox's memory, as JSON
//   node bench/webhook-inbox.mjs --memory-baseline-child   (internal) the JS objects' memory, as JSON
//
// bench/run.mjs imports measureWebhook, measureInbox and measureInboxMemory for its table.
import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Inbox, Webhook } from "../pkg/node.js";
import { PAGE_ID, threads } from "../mock/server.mjs";

const SECRET = "9f3c1e2d4b5a69788796a5b4c3d2e1f0";
const T = Date.UTC(2026, 10, 21, 9, 0, 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------------------------------------------------------------- bodies as Meta sends them

/** Meta's serialisation: compact, non-ASCII as \uXXXX, `/` as `\/`. */
function metaJson(value) {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\//g, "\\/");
}

const sign = (body) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

/** The i-th messaging item of a realistic mix: texts (unicode), attachments, echoes, reactions, reads. */
function messagingItem(i, customer) {
  const at = T + i * 1000;
  const base = (from, to) => ({ sender: { id: from }, recipient: { id: to }, timestamp: at });
  switch (i % 5) {
    case 0:
      return { ...base(customer, PAGE_ID), message: { mid: `m_bench_${i}_gIKmXqQ7r9Tq2Vb0YfZ1uW3aHc8JdLsEoNpRtUy4xK6vBnM5lG`, text: "Hi! Is the shop on Harbor Lane open on Sunday mornings? ☀️ Grüße 😀" } };
    case 1:
      return { ...base(customer, PAGE_ID), message: { mid: `m_bench_${i}`, attachments: [{ type: "image", payload: { url: `https://scontent.xx.fbcdn.net/v/t1.15752-9/${i}_n.jpg?_nc_cat=1&ccb=1-7&oh=03_AdQ&oe=6789ABCD` } }] } };
    case 2:
      return { ...base(PAGE_ID, customer), message: { mid: `m_bench_${i}`, is_echo: true, app_id: 1517776481860111, text: "Yes, we open at 8:00 on Sundays 😊", metadata: "ticket-42" } };
    case 3:
      return { ...base(customer, PAGE_ID), reaction: { mid: `m_bench_${i - 1}`, action: "react", reaction: "love", emoji: "❤️" } };
    default:
      return { ...base(customer, PAGE_ID), read: { watermark: at - 500, seq: 0 } };
  }
}

function body(events) {
  const messaging = Array.from({ length: events }, (_, i) => messagingItem(i, `51200944788120${String(i % 7).padStart(2, "0")}`));
  return metaJson({ object: "page", entry: [{ id: PAGE_ID, time: T + events * 1000, messaging }] });
}

// ---------------------------------------------------------------- verify + parse

/**
 * Per body: `webhook.verify(body, header)` + `Webhook.parse(body)` against
 * `crypto.subtle.verify` (HMAC-SHA256, key imported once) + `JSON.parse`,
 * and against node:crypto's createHmac + timingSafeEqual + JSON.parse.
 * Resolves to one row per body size: `{ events, bytes, oursUs, subtleUs, nodeUs, ratio }`.
 */
export async function measureWebhook({ rounds = 15, perRound = 400 } = {}) {
  const webhook = new Webhook({ appSecret: SECRET });
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const secretBytes = Buffer.from(SECRET);
  const rows = [];
  for (const events of [1, 10]) {
    const text = body(events);
    const header = sign(text);
    const ours = () => {
      if (!webhook.verify(text, header)) throw new Error("bench body did not verify");
      return Webhook.parse(text);
    };
    const subtle = async () => {
      const signature = Buffer.from(header.slice(7), "hex");
      if (!(await crypto.subtle.verify("HMAC", key, signature, new TextEncoder().encode(text)))) throw new Error("subtle: no");
      return JSON.parse(text);
    };
    const node = () => {
      const expected = createHmac("sha256", secretBytes).update(text).digest();
      const given = Buffer.from(header.slice(7), "hex");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("node: no");
      return JSON.parse(text);
    };
    if (ours().length !== events || (await subtle()).entry[0].messaging.length !== events) throw new Error("bench bodies are wrong");
    const samples = { ours: [], subtle: [], node: [] };
    for (let round = 0; round < rounds + 2; round++) {
      let t = performance.now();
      for (let i = 0; i < perRound; i++) await subtle();
      const s = (performance.now() - t) / perRound;
      t = performance.now();
      for (let i = 0; i < perRound; i++) ours();
      const o = (performance.now() - t) / perRound;
      t = performance.now();
      for (let i = 0; i < perRound; i++) node();
      const n = (performance.now() - t) / perRound;
      if (round >= 2) { // two warm-up rounds
        samples.subtle.push(s);
        samples.ours.push(o);
        samples.node.push(n);
      }
    }
    const oursUs = median(samples.ours) * 1000;
    const subtleUs = median(samples.subtle) * 1000;
    rows.push({ events, bytes: Buffer.byteLength(text), oursUs, subtleUs, nodeUs: median(samples.node) * 1000, ratio: oursUs / subtleUs });
  }
  return rows;
}

// ---------------------------------------------------------------- inbox.apply

/** A sync result of `count` mock Messenger threads with their 20 newest messages. */
function syncOf(count, perThread = 20) {
  const list = threads("messenger", { count });
  return {
    accountIds: [PAGE_ID],
    conversations: list.map(({ platform, folder, messages, ...conversation }) => ({ ...conversation, messages: messages.slice(0, perThread) })),
  };
}

/** `count` live events for the persons of `list`, as Webhook.parse gives them: 10-item bodies of a realistic mix, 5% redelivered. */
function liveEvents(list, count) {
  const people = list.map((t) => t.participants.data.find((p) => p.id !== PAGE_ID).id);
  const events = [];
  for (let b = 0; events.length < count; b++) {
    const messaging = [];
    for (let i = 0; i < 10; i++) {
      const n = b * 10 + i;
      const customer = people[(n * 7919) % people.length];
      const at = T + n * 1000;
      const mid = `m_live_${n}`;
      const item = [
        { message: { mid, text: `Live message ${n} ☕ — any table free at ${n % 12 + 8}:00?` } },
        { message: { mid, text: "Let me check for you 😊", is_echo: true, app_id: 1 } },
        { message: { mid, attachments: [{ type: "image", payload: { url: `https://scontent.xx.fbcdn.net/v/${n}_n.jpg` } }] } },
        { message_edit: { mid: `m_live_${n - 3}`, text: `Live message ${n - 3}, edited`, num_edit: 1 } },
        { reaction: { mid: `m_live_${n - 1}`, action: "react", reaction: "love", emoji: "❤️" } },
        { read: { watermark: at - 1 } },
      ][n % 6];
      const echo = n % 6 === 1;
      messaging.push({ sender: { id: echo ? PAGE_ID : customer }, recipient: { id: echo ? customer : PAGE_ID }, timestamp: at, ...item });
    }
    events.push(...Webhook.parse(metaJson({ object: "page", entry: [{ id: PAGE_ID, time: T, messaging }] })));
  }
  events.length = count;
  for (let i = 0; i < count; i += 20) events.splice(i, 0, events[(i * 31) % events.length]); // redeliveries
  return events;
}

/** What a hand-written inbox does at the least: a Map per person, keyed by mid. */
function mapBaseline(events) {
  const byPerson = new Map();
  for (const event of events) {
    let thread = byPerson.get(event.customerId);
    if (!thread) byPerson.set(event.customerId, (thread = { messages: new Map(), read: 0 }));
    if (event.message) thread.messages.set(event.mid, { ...thread.messages.get(event.mid), ...event.message });
    else if (event.kind === "edit") {
      const m = thread.messages.get(event.mid);
      if (m) thread.messages.set(event.mid, { ...m, message: event.text, edit_count: event.editCount });
    } else if (event.kind === "reaction") {
      const m = thread.messages.get(event.mid);
      if (m) thread.messages.set(event.mid, { ...m, reactions: { data: [{ reaction: event.reaction?.emoji, users: [{ id: event.customerId }] }] } });
    } else if (event.kind === "read") thread.read = Math.max(thread.read, event.watermark ?? 0);
  }
  return byPerson;
}

/**
 * Events per second of `inbox.apply` over a synced inbox of `conversations`
 * threads (20 messages each): one event per call, and batches of 10 and 100;
 * against the Map baseline on the same events. Medians over `rounds`.
 */
export function measureInbox({ conversations = 200, events = 500, rounds = 3 } = {}) {
  const sync = syncOf(conversations);
  const seed = new Inbox({ accountId: PAGE_ID });
  seed.apply(sync);
  const snapshot = seed.snapshot();
  const live = liveEvents(threads("messenger", { count: conversations }), events);
  const modes = { single: 1, batch10: 10, batch100: 100 };
  const samples = { single: [], batch10: [], batch100: [], map: [] };
  for (let round = 0; round < rounds + 1; round++) {
    for (const [mode, size] of Object.entries(modes)) {
      const inbox = Inbox.restore(snapshot);
      const t = performance.now();
      if (size === 1) for (const event of live) inbox.apply(event);
      else for (let i = 0; i < live.length; i += size) inbox.apply(live.slice(i, i + size));
      if (round > 0) samples[mode].push(performance.now() - t);
    }
    const t = performance.now();
    mapBaseline(live);
    if (round > 0) samples.map.push(performance.now() - t);
  }
  const perSecond = (ms) => live.length / (ms / 1000);
  return {
    conversations, events: live.length,
    single: perSecond(median(samples.single)),
    batch10: perSecond(median(samples.batch10)),
    batch100: perSecond(median(samples.batch100)),
    map: perSecond(median(samples.map)),
    snapshotBytes: snapshot.length,
  };
}

// ---------------------------------------------------------------- memory

/**
 * Bytes per 10,000 messages held, from a fresh `node --expose-gc`, with an
 * inbox holding 50 conversations × 200 of the mock's messages (every field
 * the Graph gives), applied as one sync result, then read back with
 * conversations() and snapshot(). The inbox lives in the wasm linear memory,
 * which grows in 64 KiB pages and never shrinks, so its growth is the
 * high-water mark the process keeps (what counts against a Worker's memory
 * limit). A second identical inbox built after the first grows it by about
 * what one inbox retains (the first one's transient peak is free again by
 * then). The JS heap is read after a full gc. Baselines: the same messages as
 * JS objects (heap growth, kept alive) and as JSON text.
 */
export function measureInboxMemory() {
  const child = (flag) =>
    JSON.parse(execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), flag], { encoding: "utf8" }));
  return { ...child("--memory-child"), ...child("--memory-baseline-child") };
}

/** @type {unknown[][]} */
let keptForTheBaseline = [];

async function memoryChild() {
  const { initSync } = await import("../pkg/graph_conversations.js");
  const wasmMemory = initSync().memory; // pkg/node.js initialised it: initSync() hands back its exports
  const list = threads("messenger", { count: 50, messagesPerThread: 200 });
  const jsonBytes = Buffer.byteLength(JSON.stringify(list.flatMap((t) => t.messages)));
  const settle = () => {
    for (let i = 0; i < 4; i++) globalThis.gc();
    return { heap: process.memoryUsage().heapUsed, wasm: wasmMemory.buffer.byteLength };
  };
  const build = () => {
    const inbox = new Inbox({ accountId: PAGE_ID, maxMessagesPerConversation: 200 });
    inbox.apply({ accountIds: [PAGE_ID], conversations: list.map(({ platform, folder, ...c }) => c) });
    const held = inbox.conversations().reduce((n, c) => n + c.messages.length, 0);
    return { inbox, held, snapshotBytes: inbox.snapshot().length };
  };

  const start = settle();
  const first = build();
  const afterFirst = settle();
  const second = build();
  const afterSecond = settle();
  const per10k = (bytes) => (bytes / first.held) * 10_000;
  process.stdout.write(JSON.stringify({
    held: first.held,
    heldSecond: second.held,
    snapshotBytes: per10k(first.snapshotBytes),
    highWater: per10k(afterFirst.wasm - start.wasm),
    retained: per10k(afterSecond.wasm - afterFirst.wasm),
    heap: per10k(afterFirst.heap - start.heap),
    json: per10k(jsonBytes),
  }));
}

/** The baseline, in its own fresh process: the same messages held as JS objects. */
async function memoryBaselineChild() {
  const list = threads("messenger", { count: 50, messagesPerThread: 200 });
  const settle = () => {
    for (let i = 0; i < 4; i++) globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
  const before = settle();
  keptForTheBaseline = structuredClone(list.map((t) => t.messages));
  const after = settle();
  const held = keptForTheBaseline.reduce((n, messages) => n + messages.length, 0);
  process.stdout.write(JSON.stringify({ jsObjects: ((after - before) / held) * 10_000 }));
}

async function main() {
  const rounds = Number(process.argv[2] ?? 15);
  const hook = await measureWebhook({ rounds });
  console.log("| body | bytes | verify+parse (µs) | subtle verify + JSON.parse (µs) | node:crypto + JSON.parse (µs) | ratio vs subtle |");
  console.log("|---|---|---|---|---|---|");
  for (const r of hook) {
    console.log(`| ${r.events} event(s) | ${r.bytes} | ${r.oursUs.toFixed(1)} | ${r.subtleUs.toFixed(1)} | ${r.nodeUs.toFixed(1)} | ${r.ratio.toFixed(2)}× |`);
  }
  const inbox = measureInbox();
  console.log(`\ninbox.apply over ${inbox.conversations} synced conversations, ${inbox.events} events: ` +
    `${inbox.single.toFixed(0)}/s one by one, ${inbox.batch10.toFixed(0)}/s in 10s, ${inbox.batch100.toFixed(0)}/s in 100s; Map baseline ${inbox.map.toFixed(0)}/s`);
  const memory = measureInboxMemory();
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`memory per 10,000 messages held: wasm high-water ${mb(memory.highWater)}, retained ≈ ${mb(memory.retained)}, ` +
    `JS heap ${mb(memory.heap)}; the same messages as JS objects ${mb(memory.jsObjects)}, as JSON ${mb(memory.json)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--memory-child")) await memoryChild();
  else if (process.argv.includes("--memory-baseline-child")) await memoryBaselineChild();
  else await main();
}
