// The benchmark (make bench), in one process against the local mock Graph.
// Every figure is printed with its target and whether it was met; a last
// `summary:` line lists them all. A benchmark, not a test: every ratio
// compares two things measured in the same run, medians of interleaved runs
// (the machines are shared and noisy).
//
//   - a sync at the floor: Graph calls and wall time of syncInbox for N
//     threads × M messages with details, against the floor ceil(N / 100) + 1,
//     the hand-written plain-JS client (bench/plain-client.mjs: one
//     nested-fields call per page of 100 threads, the same floor) and the
//     documented flow (bench/documented-flow.mjs: a call per thread and per
//     message);
//   - how it grows: the same for 100, 1,000 and 10,000 threads, the slope of
//     calls against N (least squares) against 1 / page size, calls and wall
//     time from 1,000 to 10,000 threads against 10×, and what the mock itself
//     takes to serve those pages with no latency;
//   - per call: listConversations against raw fetch + JSON.parse of the same
//     URL, a small page and a 1 MB page, and the client's side of a small
//     call alone, with warm and with cold caches (bench/decode.mjs);
//   - compile + instantiate in a fresh process (bench/wasm.mjs);
//   - size: the .wasm and the JS an entry loads, gzipped, against 64 KB and
//     against the plain client; the .wasm's sections (bench/size.mjs);
//   - webhook.verify + Webhook.parse against crypto.subtle HMAC + JSON.parse,
//     inbox.apply events per second and an inbox's memory per 10,000
//     messages (bench/webhook-inbox.mjs).
//
//   node bench/run.mjs [--threads 200] [--messages 30] [--latency-ms 50] [--rounds 30]
//                      [--sync-runs 7] [--in-flight 8]
//                      [--scale-messages 10] [--scale-latency-ms 50] [--scale-runs 5] [--scale-max 10000]

import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { GraphClient } from "../pkg/node.js";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../mock/server.mjs";
import { measureClientWork, measureDecode, median } from "./decode.mjs";
import { documentedFlow } from "./documented-flow.mjs";
import { CONVERSATION_FIELDS, MESSAGE_FIELDS, PlainGraphClient } from "./plain-client.mjs";
import { measureSize } from "./size.mjs";
import { measureWasm } from "./wasm.mjs";
import { measureInbox, measureInboxMemory, measureWebhook } from "./webhook-inbox.mjs";

const DETAIL_WINDOW = 20;
const PAGE = 100; // the largest page of conversations the sync asks for
/**
 * Issue 15's targets, and the project's own for the 1 MB page (the issue
 * sets none there) and for growth: "linear" is read as 10× the threads in at
 * most 10× the calls, and in a wall time that grows at most 1.2× as much as
 * the plain client's (linear by construction: the same work per page),
 * measured in the same interleaved runs so the machine's load cancels out;
 * anything quadratic would grow about 10× more.
 */
const TARGETS = {
  wallVsPlain: 1.1, smallCall: 1.1, bigCall: 1.2, instantiateMs: 5, sizeKB: 64, webhook: 1.2,
  slopeTolerance: 0.05, growthTolerance: 0.2,
};

const options = parseArgs(process.argv.slice(2), {
  threads: 200, messages: 30, "latency-ms": 50, rounds: 30, "sync-runs": 7, "in-flight": 8,
  "scale-messages": 10, "scale-latency-ms": 50, "scale-runs": 5, "scale-max": 10_000,
});
const SCALE = [100, 1_000, 10_000].filter((n) => n <= options["scale-max"]);

const started = performance.now();
const loadAtStart = loadavg()[0];
const wasm = measureWasm({ runs: 21 }); // a fresh process each: 21 for a steadier median
const size = measureSize();
const decode = await measureDecode({ rounds: options.rounds });
const work = await measureClientWork();
const floor = await measureFloor(options);
const scale = [];
for (const n of SCALE) scale.push(await measureScale(n, options));
const webhook = await measureWebhook({ rounds: options.rounds });
const live = measureInbox();
const memory = measureInboxMemory();
report({ wasm, size, decode, work, floor, scale, webhook, live, memory, options, seconds: (performance.now() - started) / 1000 });

// ---------------------------------------------------------------- the syncs

/**
 * The sync at the floor: `threads` Messenger threads of exactly `messages`
 * messages, `latency-ms` per answer; syncInbox and the plain client
 * interleaved (medians of `sync-runs`), then the documented flow once.
 */
async function measureFloor(opts) {
  const n = opts.threads;
  const m = opts.messages;
  const expected = threads("messenger", { count: n, messagesPerThread: m });
  const mock = await startMockGraph({ latencyMs: opts["latency-ms"], threads: { messenger: n }, messagesPerThread: m });
  try {
    const pair = await measurePair(mock, n, m, opts["sync-runs"]);
    mock.reset();
    const documented = await documentedFlow({
      baseUrl: mock.url, accessToken: TOKEN, pageId: PAGE_ID, platform: "messenger",
      messagesPerConversation: m, inFlight: opts["in-flight"],
    });
    documented.httpRequests = mock.requests.length;
    documented.calls = graphCalls(mock.requests);
    return {
      n, m, latencyMs: opts["latency-ms"], ...pair, documented,
      messages: expected.reduce((sum, t) => sum + Math.min(m, t.messages.length), 0),
      detailed: expected.reduce((sum, t) => sum + Math.min(m, DETAIL_WINDOW, t.messages.length), 0),
    };
  } finally {
    await mock.close();
  }
}

/**
 * One size of the growth rows: `n` threads of `scale-messages` messages at
 * `scale-latency-ms`; syncInbox and the plain client interleaved, and the
 * mock's own serving time for the same pages with no latency.
 */
async function measureScale(n, opts) {
  const m = opts["scale-messages"];
  const mock = await startMockGraph({ latencyMs: opts["scale-latency-ms"], threads: { messenger: n }, messagesPerThread: m });
  try {
    // 10,000 threads take seconds a run: at most 3 runs there.
    // Runs cost seconds at 10,000 threads, a tenth of a second at 100.
    const runs = n >= 10_000 ? Math.min(3, opts["scale-runs"]) : n <= 100 ? 3 * opts["scale-runs"] : opts["scale-runs"];
    const pair = await measurePair(mock, n, m, runs);
    return { n, m, latencyMs: opts["scale-latency-ms"], ...pair, serve: await measureServe(n, m) };
  } finally {
    await mock.close();
  }
}

/** syncInbox and the plain client on the same mock, alternately first; medians. */
async function measurePair(mock, n, m, runs) {
  const samples = { ours: [], plain: [] };
  let error;
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ["plain", "ours"] : ["ours", "plain"];
    for (const who of order) {
      if (who === "ours" && error) continue;
      mock.reset();
      try {
        samples[who].push(await (who === "ours" ? syncOnce : plainOnce)(mock, m));
      } catch (err) {
        if (who === "plain") throw err;
        error = `syncInbox failed: ${err.kind ?? ""} ${err.message}`;
      }
    }
  }
  const summarise = (list) => ({ ...list[0], ms: median(list.map((s) => s.ms)), runs: list.length });
  const plain = summarise(samples.plain);
  checkComplete("plain client", plain, n, m);
  if (error) return { ours: { error }, plain };
  const ours = summarise(samples.ours);
  checkComplete("syncInbox", ours, n, m);
  return { ours, plain };
}

async function syncOnce(mock, m) {
  if (typeof GraphClient.prototype.syncInbox !== "function") throw new Error("syncInbox is not in pkg/ yet");
  // A fresh client each run: it remembers per account what page size worked.
  const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0", callsPerSecond: 0 });
  const t = performance.now();
  const result = await client.syncInbox(PAGE_ID, { platform: "messenger", messagesPerConversation: m });
  const ms = performance.now() - t;
  return { ms, reported: result.requests, complete: result.complete, ...counts(result, mock) };
}

async function plainOnce(mock, m) {
  const client = new PlainGraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0" });
  const t = performance.now();
  const result = await client.syncInbox(PAGE_ID, { platform: "messenger", messagesPerConversation: m });
  const ms = performance.now() - t;
  return { ms, reported: result.requests, complete: result.complete, ...counts(result, mock) };
}

function counts(result, mock) {
  const messages = result.conversations.flatMap((c) => c.messages);
  return {
    httpRequests: mock.requests.length,
    calls: graphCalls(mock.requests),
    conversations: result.conversations.length,
    messages: messages.length,
    detailed: messages.filter((msg) => msg.from !== undefined).length,
    pageSize: Number(mock.requests.find((r) => r.path.endsWith("/conversations"))?.query.limit ?? 25),
  };
}

function checkComplete(who, s, n, m) {
  if (!s.complete || s.conversations !== n || s.messages !== n * m) {
    throw new Error(`${who} read ${s.conversations} threads and ${s.messages} messages of ${n} × ${m} (complete: ${s.complete})`);
  }
}

/**
 * What the mock itself takes to serve the plain client's pages for `n`
 * threads with no latency: raw fetch of each page's text, the cursor taken
 * from it. Shows that the mock is not what the growth rows measure.
 */
async function measureServe(n, m) {
  const mock = await startMockGraph({ threads: { messenger: n }, messagesPerThread: m });
  try {
    const fields = `${CONVERSATION_FIELDS},messages.limit(${m}){${MESSAGE_FIELDS}}`;
    const t = performance.now();
    let bytes = 0;
    let pages = 0;
    let after;
    do {
      const params = new URLSearchParams({ platform: "messenger", fields, limit: String(PAGE), ...(after ? { after } : {}) });
      const res = await fetch(`${mock.url}/v21.0/${PAGE_ID}/conversations?${params}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const text = await res.text();
      bytes += text.length;
      pages += 1;
      // The page's own paging is its last key: read only that much JSON.
      const at = text.lastIndexOf('"paging":');
      const paging = at < 0 ? undefined : JSON.parse(text.slice(at + 9, -1));
      after = paging?.next ? paging.cursors.after : undefined;
    } while (after);
    return { ms: performance.now() - t, bytes, pages };
  } finally {
    await mock.close();
  }
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

/** Least-squares slope and intercept of y against x. */
function fit(xs, ys) {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

// ---------------------------------------------------------------- the report

function report({ wasm, size, decode, work, floor, scale, webhook, live, memory, options: opts, seconds }) {
  const rows = [["measure", "graph-conversations", "baseline", "ratio", "target", "met"]];
  const summary = [];
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  // Two decimals, three when they matter: 1.104 against ≤ 1.1 does not read "1.10×, NO".
  const x = (r) => `${r.toFixed(2).endsWith("0") && !r.toFixed(3).endsWith("0") ? r.toFixed(3) : r.toFixed(2)}×`;
  const signed = (v) => `${v < 0 ? "−" : "+"} ${Math.abs(v).toFixed(0)}`;
  const times = (r) => `${r.toFixed(r >= 10 ? 0 : 1)}×`;
  const met = (ok) => (ok === null ? "—" : ok ? "yes" : "NO");
  const none = "none set";
  /** A row, and its figure in the summary line when `short` is given. */
  const row = (measure, ours, baseline, ratio, target, ok, short) => {
    rows.push([measure, ours, baseline, ratio, target, met(ok)]);
    if (short) summary.push(`${short} (${target}: ${ok === null ? "n/a" : ok ? "met" : "NOT met"})`);
  };
  const floorOf = (n) => Math.ceil(n / PAGE) + 1;

  // A sync at the floor.
  const f = floor;
  const fo = f.ours;
  const what = `${f.n} threads × ${f.m} messages, ${f.latencyMs} ms latency`;
  if (fo.error) {
    row(`sync ${what}: Graph calls`, `n/a: ${fo.error}`, `${f.plain.calls} plain client`, "", `≤ ${floorOf(f.n)}`, false, "sync calls n/a");
  } else {
    row(`sync ${what}: Graph calls`, `${fo.calls} (HTTP ${fo.httpRequests}, result.requests ${fo.reported})`,
      `${f.plain.calls} plain client; ${f.documented.calls} documented flow`, `${times(f.documented.calls / fo.calls)} fewer than documented`,
      `≤ ${floorOf(f.n)} = ceil(${f.n}/${PAGE}) + 1`, fo.calls <= floorOf(f.n), `sync ${f.n} calls ${fo.calls}`);
    row(`sync ${what}: wall time (median of ${fo.runs})`, s(fo.ms), `${s(f.plain.ms)} plain client; ${(f.documented.ms / 1000).toFixed(1)} s documented flow (${opts["in-flight"]} in flight)`,
      x(fo.ms / f.plain.ms), `≤ ${TARGETS.wallVsPlain}× plain`, fo.ms / f.plain.ms <= TARGETS.wallVsPlain, `sync ${f.n} wall ${x(fo.ms / f.plain.ms)} plain`);
    row(`sync ${what}: messages (with details)`, `${fo.messages} (${fo.detailed}), complete: ${fo.complete}`,
      `${f.plain.messages} (${f.plain.detailed}) plain; ${f.documented.messages} (${f.documented.detailed}) documented, ${f.documented.deleted} answered 9000001`,
      `mock has ${f.messages} (${f.detailed})`, none, null);
  }

  // How it grows.
  for (const g of scale) {
    const w = `sync ${g.n.toLocaleString("en")} threads × ${g.m}, ${g.latencyMs} ms`;
    const o = g.ours;
    if (o.error) {
      row(`${w}: calls`, `n/a: ${o.error}`, `${g.plain.calls} plain client`, "", `≤ ${floorOf(g.n)}`, false, `sync ${g.n} n/a`);
      continue;
    }
    row(`${w}: calls`, String(o.calls), `${g.plain.calls} plain client`, x(o.calls / g.plain.calls), `≤ ${floorOf(g.n)}`,
      o.calls <= floorOf(g.n), `calls@${g.n} ${o.calls}`);
    row(`${w}: wall (median of ${o.runs})`, `${s(o.ms)}, ${(o.ms / (g.n / 1000)).toFixed(0)} ms per 1,000 threads`,
      `${s(g.plain.ms)} plain client`, x(o.ms / g.plain.ms), `≤ ${TARGETS.wallVsPlain}× plain`,
      o.ms / g.plain.ms <= TARGETS.wallVsPlain, `wall@${g.n} ${x(o.ms / g.plain.ms)} plain`);
    row(`${w}: the mock alone, no latency`, "", `${s(g.serve.ms)} for ${g.serve.pages} page${g.serve.pages > 1 ? "s" : ""}, ${mb(g.serve.bytes)}`,
      `${(100 * g.serve.ms / g.plain.ms).toFixed(0)}% of the plain wall`, none, null);
  }
  const grown = scale.filter((g) => !g.ours.error);
  if (grown.length >= 2) {
    const ns = grown.map((g) => g.n);
    const line = fit(ns, grown.map((g) => g.ours.calls));
    const plainLine = fit(ns, grown.map((g) => g.plain.calls));
    const slopeOk = Math.abs(line.slope * PAGE - 1) <= TARGETS.slopeTolerance;
    row(`calls against N (least squares over ${ns.join(", ")})`, `slope ${line.slope.toFixed(5)}, intercept ${line.intercept.toFixed(2)}`,
      `${plainLine.slope.toFixed(5)} plain client; 1/${PAGE} = ${(1 / PAGE).toFixed(5)}`, x(line.slope * PAGE),
      `1/${PAGE} ± ${TARGETS.slopeTolerance * 100}%`, slopeOk, `calls slope ${line.slope.toFixed(5)}`);
    const [a, b] = grown.slice(-2);
    const k = b.n / a.n;
    const callsGrowth = b.ours.calls / a.ours.calls;
    const wallGrowth = b.ours.ms / a.ours.ms;
    row(`${a.n.toLocaleString("en")} → ${b.n.toLocaleString("en")} threads (${k}×): calls grow`, times(callsGrowth),
      `${times(b.plain.calls / a.plain.calls)} plain client`, "", `≤ ${k}× (linear)`, callsGrowth <= k, `calls ×${callsGrowth.toFixed(1)} for ${k}× N`);
    const plainGrowth = b.plain.ms / a.plain.ms;
    const relative = wallGrowth / plainGrowth;
    row(`${a.n.toLocaleString("en")} → ${b.n.toLocaleString("en")} threads (${k}×): wall grows`, times(wallGrowth),
      `${times(plainGrowth)} plain client`, `${x(relative)} the plain client's growth`,
      `≤ ${1 + TARGETS.growthTolerance}× plain's (linear)`, relative <= 1 + TARGETS.growthTolerance,
      `wall ×${wallGrowth.toFixed(1)} for ${k}× N, ${x(relative)} plain's growth`);
    const wallLine = fit(ns, grown.map((g) => g.ours.ms));
    const plainWallLine = fit(ns, grown.map((g) => g.plain.ms));
    row(`wall against N (least squares over ${ns.join(", ")})`,
      `${(wallLine.slope * 1000).toFixed(0)} ms per 1,000 threads ${signed(wallLine.intercept)} ms`,
      `${(plainWallLine.slope * 1000).toFixed(0)} ms per 1,000 ${signed(plainWallLine.intercept)} ms plain client`,
      x(wallLine.slope / plainWallLine.slope), none, null);
  }

  // Per call.
  const [big, small] = decode;
  row(`per call: ${small.name}, ${small.bytes} B`, `${small.clientMs.toFixed(2)} ms listConversations`, `${small.rawMs.toFixed(2)} ms fetch + JSON.parse`,
    x(small.ratio), `≤ ${TARGETS.smallCall}×`, small.ratio <= TARGETS.smallCall, `small call ${x(small.ratio)} raw`);
  row(`per call: ${small.name}: the client's work in plain JS`, `${small.jsMs.toFixed(2)} ms (timeout, usage headers, redaction, page check)`,
    `${small.rawMs.toFixed(2)} ms fetch + JSON.parse`, x(small.jsRatio), none, null);
  row(`per call: ${small.name}: raw under a timeout alone`, `${small.timeoutMs.toFixed(2)} ms (AbortController, timer, its signal to fetch)`,
    `${small.rawMs.toFixed(2)} ms fetch + JSON.parse`, x(small.timeoutRatio), none, null);
  for (const [caches, w] of Object.entries(work)) {
    row(`per call: ${small.name}: the client's side alone, ${caches} caches (its fetch answered at once)`,
      `${w.clientUs.toFixed(0)} µs listConversations`, `${w.rawUs.toFixed(0)} µs JSON.parse, ${w.jsUs.toFixed(0)} µs its work in plain JS`,
      `+${(w.clientUs - w.jsUs).toFixed(0)} µs on plain JS`, none, null);
  }
  row(`per call: ${big.name}, ${big.bytes} B`, `${big.clientMs.toFixed(2)} ms listConversations`, `${big.rawMs.toFixed(2)} ms fetch + JSON.parse`,
    x(big.ratio), `≤ ${TARGETS.bigCall}× (project's)`, big.ratio <= TARGETS.bigCall, `1 MB page ${x(big.ratio)} raw`);
  row(`compile + instantiate, fresh node (median of ${wasm.runs})`,
    `${wasm.totalMs.toFixed(1)} ms (compile ${wasm.compileMs.toFixed(1)}, instantiate ${wasm.instantiateMs.toFixed(1)})`, "", "",
    `≤ ${TARGETS.instantiateMs} ms`, wasm.totalMs <= TARGETS.instantiateMs, `instantiate ${wasm.totalMs.toFixed(1)} ms`);

  // Size.
  const web = size.entries.web;
  row(".wasm (release), gzip -9 (KB = 1024 B)", `${kb(size.wasm.gz)} (${kb(size.wasm.raw)} raw)`, "", "", none, null);
  row("JS the web entry loads, gzip -9 per file", `${kb(web.gz)} (${web.files.join(", ")})`,
    `node entry ${kb(size.entries.node.gz)}, workerd ${kb(size.entries.workerd.gz)}`, "", none, null);
  row(".wasm + JS glue, gzipped", kb(web.total), `${kb(size.plain.gz)} plain client (${size.plain.lines} lines)`,
    `${times(web.total / size.plain.gz)} the plain client`, `≤ ${TARGETS.sizeKB} KB`, web.total / 1024 <= TARGETS.sizeKB,
    `wasm+glue ${kb(web.total)} gz`);

  // Webhooks and the inbox.
  for (const r of webhook) {
    row(`per body: webhook.verify + Webhook.parse, ${r.events} event${r.events > 1 ? "s" : ""}, ${r.bytes} B`, `${r.oursUs.toFixed(1)} µs`,
      `${r.subtleUs.toFixed(1)} µs crypto.subtle + JSON.parse (node:crypto ${r.nodeUs.toFixed(1)} µs)`, x(r.ratio),
      `≤ ${TARGETS.webhook}×`, r.ratio <= TARGETS.webhook, `webhook ${r.events} ${x(r.ratio)} subtle`);
  }
  for (const [how, rate] of [["one event per call", live.single], ["batches of 10", live.batch10], ["batches of 100", live.batch100]]) {
    row(`inbox.apply, ${how} (${live.conversations} synced conversations)`, `${rate.toFixed(0)} events/s`,
      `${live.map.toFixed(0)} events/s (a Map keyed by mid)`, `${times(live.map / rate)} slower`, none, null);
  }
  summary.push(`inbox.apply ${live.single.toFixed(0)} / ${live.batch100.toFixed(0)} events/s one / 100 a call (no target)`);
  row("inbox memory per 10,000 messages held (mock messages, all fields)",
    `${mb(memory.highWater)} wasm high-water, ≈ ${mb(memory.retained)} retained; JS heap ${mb(memory.heap)}`,
    `${mb(memory.jsObjects)} as JS objects, ${mb(memory.json)} as JSON`,
    `${times(memory.highWater / memory.jsObjects)} (≈ ${times(memory.retained / memory.jsObjects)} retained)`, none, null);
  summary.push(`inbox ${mb(memory.highWater)} high-water / ${mb(memory.retained)} retained per 10k messages (no target)`);

  console.log(formatTable(rows));
  const wasmSections = size.sections.slice(0, 4).map((sec) => `${sec.name} ${kb(sec.gz)}`).join(", ");
  const glueFiles = [...web.files].sort((p, q) => size.js[q].gz - size.js[p].gz).map((file) => `${file} ${kb(size.js[file].gz)}`).join(", ");
  console.log([
    `(sync options: platform messenger, messagesPerConversation = M, defaults otherwise, callsPerSecond 0, a fresh client per run; ` +
      `the plain client: bench/plain-client.mjs, the documented flow: bench/documented-flow.mjs; the mock's threads are exactly M messages long)`,
    `(growth rows: ${opts["scale-messages"]} messages a thread, ${opts["scale-latency-ms"]} ms latency, interleaved runs as shown (${3 * opts["scale-runs"]} / ${opts["scale-runs"]} / at most 3); ` +
      `"the mock alone": the same pages fetched raw (text, no JSON.parse) from a latency-free mock, what serving them costs both clients)`,
    `(biggest contributors, gzipped alone: .wasm sections ${wasmSections}; JS ${glueFiles})`,
    `(per call: ${decode.map((page) => `${page.rounds} interleaved rounds for the ${page.key === "small" ? "small page" : "1 MB page"}`).join(", ")}; the client's side alone: 400 interleaved rounds, "cold" with a real fetch to the mock before each call; webhook bodies as Meta sends them, ${opts.rounds} rounds of 400; inbox.apply: ` +
      `${live.events} live events, 5% redelivered; memory: a fresh node --expose-gc, bench/webhook-inbox.mjs)`,
    `(2 shared cores, load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end; medians; the whole run took ${seconds.toFixed(0)} s)`,
  ].join("\n"));
  const judged = summary.filter((item) => / \((?!no target).*: (met|NOT met)\)$/.test(item));
  const metCount = judged.filter((item) => item.endsWith(": met)")).length;
  console.log(`summary: ${summary.join("; ")}; ${metCount} of ${judged.length} targets met`);
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
