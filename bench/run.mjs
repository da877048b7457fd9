// The benchmark, in one process against the local mock Graph:
//
//   - Graph calls and HTTP requests to sync N threads with their newest M
//     messages and details: syncInbox, the documented flow
//     (bench/documented-flow.mjs), and the floor ceil(N / page size);
//   - the wall time of both syncs at a fixed mock latency;
//   - per-call time of listConversations against raw fetch + JSON.parse
//     (bench/decode.mjs);
//   - the release .wasm size and its compile + instantiate time (bench/wasm.mjs);
//   - webhook.verify + Webhook.parse per body against crypto.subtle HMAC verify
//     + JSON.parse, inbox.apply events per second against a Map keyed by mid,
//     and an inbox's memory per 10,000 messages against the same messages as
//     JS objects (bench/webhook-inbox.mjs).
//
// Prints a table and a last `summary:` line of ratios. A benchmark, not a
// test: every ratio compares two things measured in the same run.
//
//   node bench/run.mjs [--threads 200] [--messages 30] [--latency-ms 50]
//                      [--rounds 30] [--sync-runs 3] [--in-flight 8]

import { performance } from "node:perf_hooks";
import { GraphClient } from "../pkg/node.js";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../mock/server.mjs";
import { measureDecode, median } from "./decode.mjs";
import { documentedFlow } from "./documented-flow.mjs";
import { measureWasm } from "./wasm.mjs";
import { measureInbox, measureInboxMemory, measureWebhook } from "./webhook-inbox.mjs";

const DETAIL_WINDOW = 20;
const TARGETS = { ratio1MB: 1.2, gzipKB: 150, instantiateMs: 10, webhookRatio: 1.2 };

const options = parseArgs(process.argv.slice(2), {
  threads: 200, messages: 30, "latency-ms": 50, rounds: 30, "sync-runs": 3, "in-flight": 8,
});

const wasm = measureWasm({ runs: 10 });
const decode = await measureDecode({ rounds: options.rounds });
const inbox = await measureSyncs(options);
const webhook = await measureWebhook({ rounds: options.rounds });
const live = measureInbox();
const memory = measureInboxMemory();
printTable({ wasm, decode, inbox, webhook, live, memory, options });

// ---------------------------------------------------------------- the syncs

/**
 * syncInbox (median of `sync-runs`) and the documented flow (one run) on one
 * mock with `threads` Messenger threads and `latency-ms` per answer.
 */
async function measureSyncs(opts) {
  const n = opts.threads;
  const m = opts.messages;
  // Every thread exactly `messages` long: N threads × M messages.
  const expected = threads("messenger", { count: n, messagesPerThread: opts.messages });
  const mock = await startMockGraph({ latencyMs: opts["latency-ms"], threads: { messenger: n }, messagesPerThread: opts.messages });
  try {
    const sync = await measureSyncInbox(mock, n, m, opts["sync-runs"]);
    mock.reset();
    const documented = await documentedFlow({
      baseUrl: mock.url, accessToken: TOKEN, pageId: PAGE_ID, platform: "messenger",
      messagesPerConversation: m, inFlight: opts["in-flight"],
    });
    documented.httpRequests = mock.requests.length;
    documented.calls = graphCalls(mock.requests);
    return {
      n, m, sync, documented,
      messages: expected.reduce((sum, t) => sum + Math.min(m, t.messages.length), 0),
      detailed: expected.reduce((sum, t) => sum + Math.min(m, DETAIL_WINDOW, t.messages.length), 0),
      lengths: [Math.min(...expected.map((t) => t.messages.length)), Math.max(...expected.map((t) => t.messages.length))],
    };
  } finally {
    await mock.close();
  }
}

async function measureSyncInbox(mock, n, m, runs) {
  const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0", callsPerSecond: 0 });
  if (typeof client.syncInbox !== "function") return { error: "syncInbox is not in pkg/ yet" };
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      mock.reset();
      const started = performance.now();
      const result = await client.syncInbox(PAGE_ID, { platform: "messenger", messagesPerConversation: m });
      const ms = performance.now() - started;
      const messages = result.conversations.flatMap((c) => c.messages);
      samples.push({
        ms,
        httpRequests: mock.requests.length,
        calls: graphCalls(mock.requests),
        reported: result.requests,
        complete: result.complete,
        conversations: result.conversations.length,
        messages: messages.length,
        detailed: messages.filter((msg) => msg.from !== undefined).length,
        pageSize: Number(mock.requests.find((r) => r.path.endsWith("/conversations"))?.query.limit ?? 25),
      });
    }
  } catch (err) {
    return { error: `syncInbox failed: ${err.kind ?? ""} ${err.message}` };
  }
  return { ...samples[0], ms: median(samples.map((s) => s.ms)), runs };
}

/** Graph calls behind the HTTP requests the mock saw: a batch of k items is k calls. */
function graphCalls(requests) {
  let calls = 0;
  for (const r of requests) {
    const batch = r.method === "POST" ? new URLSearchParams(r.body).get("batch") ?? r.query.batch : undefined;
    calls += batch ? JSON.parse(batch).length : 1;
  }
  return calls;
}

// ---------------------------------------------------------------- the table

function printTable({ wasm, decode, inbox, webhook, live, memory, options: opts }) {
  const { n, m, sync, documented } = inbox;
  const pageSize = sync.pageSize ?? 25;
  const floor = Math.ceil(n / pageSize);
  const [big, small] = decode;
  const kb = (bytes) => (bytes / 1024).toFixed(1);
  const x = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;
  const met = (ok) => (ok ? "yes" : "NO");
  const na = sync.error ? `n/a: ${sync.error}` : null;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const what = `${n} threads, newest ≤ ${m} messages each (mock lengths ${inbox.lengths.join("–")})`;

  const rows = [
    ["measure", "graph-conversations", "baseline", "ratio", "target", "met"],
    [`Graph calls: sync ${what}`, na ?? String(sync.calls), `${documented.calls} (documented flow)`,
      na ? "" : `${x(documented.calls, sync.calls)} fewer`, `≤ ${floor + 1} (floor + 1)`, na ? "" : met(sync.calls <= floor + 1)],
    ["HTTP requests for that sync", na ?? `${sync.httpRequests} (result.requests ${sync.reported})`, `${documented.httpRequests}`,
      na ? "" : `${x(documented.httpRequests, sync.httpRequests)} fewer`, "", ""],
    [`floor: ceil(${n} / page size ${pageSize})`, String(floor), "", "", "", ""],
    ["messages synced (with details); mock has", na ? "" : `${sync.messages} (${sync.detailed}), complete: ${sync.complete}`,
      `${documented.messages} (${documented.detailed}); ${documented.deleted} answered 9000001`, `${inbox.messages} (${inbox.detailed})`, "", ""],
    [`sync wall time, ${opts["latency-ms"]} ms mock latency`, na ? "" : `${(sync.ms / 1000).toFixed(2)} s (median of ${sync.runs})`,
      `${(documented.ms / 1000).toFixed(1)} s (${opts["in-flight"]} in flight)`, na ? "" : `${x(documented.ms, sync.ms)} faster`, "", ""],
    [`per call: ${big.name}, ${big.bytes} B`, `${big.clientMs.toFixed(2)} ms listConversations`,
      `${big.rawMs.toFixed(2)} ms fetch + JSON.parse`, `${big.ratio.toFixed(2)}×`, `≤ ${TARGETS.ratio1MB}×`, met(big.ratio <= TARGETS.ratio1MB)],
    [`per call: ${small.name}, ${small.bytes} B`, `${small.clientMs.toFixed(2)} ms listConversations`,
      `${small.rawMs.toFixed(2)} ms fetch + JSON.parse`, `${small.ratio.toFixed(2)}×`, "", ""],
    ["release .wasm size (KB = 1024 B)", `${kb(wasm.rawBytes)} KB raw, ${kb(wasm.gzipBytes)} KB gzip -9`, "", "",
      `≤ ${TARGETS.gzipKB} KB gz`, met(wasm.gzipBytes / 1024 <= TARGETS.gzipKB)],
    [`compile + instantiate in a fresh node (median of ${wasm.runs})`,
      `${wasm.totalMs.toFixed(1)} ms (compile ${wasm.compileMs.toFixed(1)}, instantiate ${wasm.instantiateMs.toFixed(1)})`, "", "",
      `≤ ${TARGETS.instantiateMs} ms`, met(wasm.totalMs <= TARGETS.instantiateMs)],
    ...webhook.map((r) => [`per body: webhook.verify + Webhook.parse, ${r.events} event${r.events > 1 ? "s" : ""}, ${r.bytes} B`,
      `${r.oursUs.toFixed(1)} µs`, `${r.subtleUs.toFixed(1)} µs crypto.subtle verify + JSON.parse (node:crypto: ${r.nodeUs.toFixed(1)} µs)`,
      `${r.ratio.toFixed(2)}×`, `≤ ${TARGETS.webhookRatio}×`, met(r.ratio <= TARGETS.webhookRatio)]),
    ...[["one event per call", live.single], ["batches of 10", live.batch10], ["batches of 100", live.batch100]].map(([how, rate]) => [
      `inbox.apply, ${how} (${live.conversations} synced conversations)`, `${rate.toFixed(0)} events/s`,
      `${live.map.toFixed(0)} events/s (a Map keyed by mid)`, `${x(live.map, rate)} slower`, "", ""]),
    ["inbox memory per 10,000 messages held (mock messages, all fields)",
      `${mb(memory.highWater)} wasm high-water, ≈ ${mb(memory.retained)} retained; JS heap ${mb(memory.heap)}`,
      `${mb(memory.jsObjects)} as JS objects, ${mb(memory.json)} as JSON`, `${x(memory.highWater, memory.jsObjects)} (≈ ${x(memory.retained, memory.jsObjects)} retained)`, "", ""],
  ];
  console.log(formatTable(rows));
  console.log(`(${opts.rounds} interleaved rounds per page; sync options: platform messenger, messagesPerConversation ${m}, ` +
    `defaults otherwise, callsPerSecond 0; the documented flow: bench/documented-flow.mjs)`);
  console.log(`(webhook bodies as Meta sends them, a mix of texts, images, echoes, reactions and reads, ${opts.rounds} rounds of 400; ` +
    `inbox.apply: ${live.events} live events over 200 synced conversations of 20 messages, 5% redelivered; memory: in a fresh ` +
    "node --expose-gc, wasm linear memory growth for one inbox (high-water) and for a second identical one (≈ retained): bench/webhook-inbox.mjs)");

  const syncPart = na
    ? `sync calls n/a (${sync.error}) vs documented ${documented.calls} (floor ${floor}); sync time n/a vs ${(documented.ms / 1000).toFixed(0)} s`
    : `sync calls ${sync.calls} vs documented ${documented.calls} (${(documented.calls / sync.calls).toFixed(0)}x fewer, floor ${floor}); ` +
      `sync time ${(sync.ms / 1000).toFixed(2)} s vs ${(documented.ms / 1000).toFixed(0)} s (${(documented.ms / sync.ms).toFixed(0)}x faster)`;
  const [one, ten] = webhook;
  console.log(`summary: ${syncPart}; 1 MB page ${big.ratio.toFixed(2)}x raw; small page ${small.ratio.toFixed(2)}x raw; ` +
    `wasm ${kb(wasm.gzipBytes)} KB gz; instantiate ${wasm.totalMs.toFixed(1)} ms; ` +
    `webhook verify+parse ${one.ratio.toFixed(2)}x / ${ten.ratio.toFixed(2)}x crypto.subtle+JSON.parse (1 / 10 events; ≤ ${TARGETS.webhookRatio}x ` +
    `${one.ratio <= TARGETS.webhookRatio && ten.ratio <= TARGETS.webhookRatio ? "met" : "NOT met"}); ` +
    `inbox.apply ${live.single.toFixed(0)} / ${live.batch100.toFixed(0)} events/s (one / 100 a call); ` +
    `inbox ${mb(memory.highWater)} wasm high-water (≈ ${mb(memory.retained)} retained) per 10k messages vs ${mb(memory.jsObjects)} as JS objects`);
}

function formatTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  const line = (r) => `| ${r.map((cell, i) => cell + " ".repeat(widths[i] - [...cell].length)).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const key = flag.replace(/^--/, "");
    const value = Number(inline ?? argv[++i]);
    if (!(key in defaults) || !Number.isInteger(value) || value < 0) {
      throw new Error(`usage: node bench/run.mjs ${Object.keys(defaults).map((k) => `[--${k} N]`).join(" ")} (bad: ${argv[i]})`);
    }
    out[key] = value;
  }
  return out;
}
