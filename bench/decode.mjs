// Per-call overhead of the client against raw `fetch` + `JSON.parse` of the
// same URL, on a ~1 MB conversations page (limit 100, nested messages with
// details) and on a small page. Beside them, the same work as the client's
// written in plain JS (a timeout and an AbortController, the usage headers
// parsed, the token redacted, the page checked): what the client's work
// costs by itself, so the rest is what its wasm path adds. Interleaved
// rounds, medians, one ratio per page: a benchmark, not a test (the
// machines are shared and noisy).
//
//   node bench/decode.mjs [rounds=30]
//
// bench/run.mjs imports measureDecode() for its table.
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { GraphClient } from "../pkg/node.js";
import { startMockGraph, TOKEN, PAGE_ID } from "../mock/server.mjs";

const bigFields =
  "id,updated_time,participants,snippet,messages.limit(20){id,created_time,from,to,message,attachments,reactions,shares,story,tags,is_unsupported}";
const CASES = [
  { key: "big", name: "1 MB page (limit 100, nested messages)", query: { limit: 100, fields: bigFields } },
  // Four times the rounds: its ratio is the target's, and a call takes about 1 ms.
  { key: "small", name: "small page (limit 5, id + updated_time)", query: { limit: 5, fields: "id,updated_time" }, scale: 4 },
];

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Times listConversations against raw fetch + JSON.parse of the same URL,
 * interleaved, on its own mock (no latency). Resolves to one row per page:
 * `{ key, name, bytes, rounds, rawMs, clientMs, ratio, jsMs, jsRatio,
 * timeoutMs, timeoutRatio }` (medians over `rounds`, four times as many for
 * the small page; `js` is the client's work written in plain JS, `timeout`
 * raw fetch + JSON.parse under a timeout alone).
 */
export async function measureDecode({ rounds = 30 } = {}) {
  const mock = await startMockGraph({ threads: { messenger: 200, instagram: 45 } });
  try {
    const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0", callsPerSecond: 0 });
    const urlOf = (query) => {
      const params = new URLSearchParams({ fields: query.fields, limit: String(query.limit) });
      return `${mock.url}/v21.0/${PAGE_ID}/conversations?${params}`;
    };
    const rows = [];
    for (const { key, name, query, scale = 1 } of CASES) {
      const url = urlOf(query);
      const bytes = Buffer.byteLength(await (await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text());
      for (let i = 0; i < 3; i++) {
        await raw(url);
        await client.listConversations(PAGE_ID, query);
        await sameWorkInJs(url);
        await rawUnderTimeout(url);
      }
      const base = [];
      const ours = [];
      const js = [];
      const timed = [];
      for (let i = 0; i < rounds * scale; i++) {
        let t = performance.now();
        await raw(url);
        base.push(performance.now() - t);
        t = performance.now();
        await client.listConversations(PAGE_ID, query);
        ours.push(performance.now() - t);
        t = performance.now();
        await sameWorkInJs(url);
        js.push(performance.now() - t);
        t = performance.now();
        await rawUnderTimeout(url);
        timed.push(performance.now() - t);
      }
      rows.push({
        key, name, bytes, rounds: rounds * scale, rawMs: median(base), clientMs: median(ours), ratio: median(ours) / median(base),
        jsMs: median(js), jsRatio: median(js) / median(base),
        timeoutMs: median(timed), timeoutRatio: median(timed) / median(base),
      });
    }
    return rows;
  } finally {
    await mock.close();
  }
}

async function raw(url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return JSON.parse(await response.text());
}

/**
 * Raw fetch + JSON.parse under a timeout, and nothing else: an
 * AbortController, a timer and the controller's signal given to `fetch`
 * (which Node's fetch listens to), as any client with a timeout pays.
 */
async function rawUnderTimeout(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await fetch(url, { method: "GET", headers: { Authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    return JSON.parse(await response.text());
  } finally {
    clearTimeout(timer);
  }
}

const USAGE_HEADERS = ["x-app-usage", "x-page-usage", "x-business-use-case-usage"];

/**
 * What listConversations does around its HTTP call, in plain JS: the
 * request under a timeout, the usage headers parsed, the token redacted
 * from the body, the page's shape checked.
 */
async function sameWorkInJs(url, send = fetch) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await send(url, { method: "GET", headers: { Authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    const usage = USAGE_HEADERS.map((name) => {
      const value = response.headers.get(name);
      try {
        return value === null ? undefined : JSON.parse(value);
      } catch {
        return undefined;
      }
    });
    const text = await response.text();
    const page = JSON.parse(text.includes(TOKEN) ? text.replaceAll(TOKEN, "[redacted]") : text);
    if (!Array.isArray(page.data) || page.data.some((c) => typeof c?.id !== "string")) throw new Error("not a page");
    return { page, usage };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What a small call costs on the client's side alone: its `fetch` answers
 * at once with the mock's recorded answer (the time spent making that
 * `Response` is left out), so only the work around the HTTP exchange is
 * timed. Two ways, interleaved, medians over `rounds`:
 * - warm: the calls back to back, so the client's code stays in the CPU's
 *   caches;
 * - cold: a real `fetch` to the mock before each timed call, as in the
 *   per-call rows above, which leaves the client's code cold.
 * Beside the client: raw `JSON.parse` of the same `Response`, and the same
 * work as the client's in plain JS. Resolves to `{ warm, cold }`, each
 * `{ rawUs, jsUs, clientUs }`.
 */
export async function measureClientWork({ rounds = 400 } = {}) {
  const mock = await startMockGraph({ threads: { messenger: 200, instagram: 45 } });
  try {
    const { query } = CASES.find((c) => c.key === "small");
    const params = new URLSearchParams({ fields: query.fields, limit: String(query.limit) });
    const url = `${mock.url}/v21.0/${PAGE_ID}/conversations?${params}`;
    const recorded = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const body = await recorded.text();
    const headers = Object.fromEntries(recorded.headers);
    let made = 0;
    const answer = () => {
      const t = performance.now();
      const response = new Response(body, { status: 200, headers });
      made += performance.now() - t;
      return Promise.resolve(response);
    };
    const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0", callsPerSecond: 0, fetch: answer });
    const ways = {
      rawUs: async () => JSON.parse(await (await answer(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text()),
      jsUs: () => sameWorkInJs(url, answer),
      clientUs: () => client.listConversations(PAGE_ID, query),
    };
    const coldCache = async () => (await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
    const result = {};
    for (const [name, before] of [["warm", null], ["cold", coldCache]]) {
      const times = { rawUs: [], jsUs: [], clientUs: [] };
      for (let i = 0; i < rounds + 20; i++) {
        for (const [way, run] of Object.entries(ways)) {
          if (before) await before();
          made = 0;
          const t = performance.now();
          await run();
          const us = (performance.now() - t - made) * 1000;
          if (i >= 20) times[way].push(us);
        }
      }
      result[name] = Object.fromEntries(Object.entries(times).map(([way, us]) => [way, median(us)]));
    }
    return result;
  } finally {
    await mock.close();
  }
}

async function main() {
  const rows = await measureDecode({ rounds: Number(process.argv[2] ?? 30) });
  console.log(`| page | bytes | raw fetch+JSON.parse (ms) | listConversations (ms) | ratio | its work in plain JS (ms) | ratio | raw under a timeout (ms) | ratio |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.bytes} | ${r.rawMs.toFixed(2)} | ${r.clientMs.toFixed(2)} | ${r.ratio.toFixed(2)}× | ${r.jsMs.toFixed(2)} | ${r.jsRatio.toFixed(2)}× | ${r.timeoutMs.toFixed(2)} | ${r.timeoutRatio.toFixed(2)}× |`);
  }
  console.log(`\nratios vs raw fetch + JSON.parse: 1 MB page ${rows[0].ratio.toFixed(2)}×, small page ${rows[1].ratio.toFixed(2)}× (target ≤ 1.2× on the 1 MB page)`);
  const work = await measureClientWork();
  for (const [name, w] of Object.entries(work)) {
    console.log(`small call, the client's side alone, ${name} caches: raw ${w.rawUs.toFixed(1)} µs, its work in plain JS ${w.jsUs.toFixed(1)} µs, listConversations ${w.clientUs.toFixed(1)} µs`);
  }
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) await main();
