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
  { key: "small", name: "small page (limit 5, id + updated_time)", query: { limit: 5, fields: "id,updated_time" } },
];

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Times listConversations against raw fetch + JSON.parse of the same URL,
 * interleaved, on its own mock (no latency). Resolves to one row per page:
 * `{ key, name, bytes, rawMs, clientMs, ratio, jsMs, jsRatio }` (medians
 * over `rounds`; `js` is the client's work written in plain JS).
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
    for (const { key, name, query } of CASES) {
      const url = urlOf(query);
      const bytes = Buffer.byteLength(await (await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text());
      for (let i = 0; i < 3; i++) {
        await raw(url);
        await client.listConversations(PAGE_ID, query);
        await sameWorkInJs(url);
      }
      const base = [];
      const ours = [];
      const js = [];
      for (let i = 0; i < rounds; i++) {
        let t = performance.now();
        await raw(url);
        base.push(performance.now() - t);
        t = performance.now();
        await client.listConversations(PAGE_ID, query);
        ours.push(performance.now() - t);
        t = performance.now();
        await sameWorkInJs(url);
        js.push(performance.now() - t);
      }
      rows.push({
        key, name, bytes, rawMs: median(base), clientMs: median(ours), ratio: median(ours) / median(base),
        jsMs: median(js), jsRatio: median(js) / median(base),
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

const USAGE_HEADERS = ["x-app-usage", "x-page-usage", "x-business-use-case-usage"];

/**
 * What listConversations does around its HTTP call, in plain JS: the
 * request under a timeout, the usage headers parsed, the token redacted
 * from the body, the page's shape checked.
 */
async function sameWorkInJs(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await fetch(url, { method: "GET", headers: { Authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
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

async function main() {
  const rows = await measureDecode({ rounds: Number(process.argv[2] ?? 30) });
  console.log(`| page | bytes | raw fetch+JSON.parse (ms) | listConversations (ms) | ratio | its work in plain JS (ms) | ratio |`);
  console.log(`|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.bytes} | ${r.rawMs.toFixed(2)} | ${r.clientMs.toFixed(2)} | ${r.ratio.toFixed(2)}× | ${r.jsMs.toFixed(2)} | ${r.jsRatio.toFixed(2)}× |`);
  }
  console.log(`\nratios vs raw fetch + JSON.parse: 1 MB page ${rows[0].ratio.toFixed(2)}×, small page ${rows[1].ratio.toFixed(2)}× (target ≤ 1.2× on the 1 MB page)`);
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) await main();
