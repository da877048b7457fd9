// Per-call overhead of the client against raw `fetch` + `JSON.parse` of the
// same URL, on a ~1 MB conversations page (limit 100, nested messages with
// details) and on a small page. Interleaved rounds, medians, one ratio per
// page: a benchmark, not a test (the machines are shared and noisy).
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
 * `{ key, name, bytes, rawMs, clientMs, ratio }` (medians over `rounds`).
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
      }
      const base = [];
      const ours = [];
      for (let i = 0; i < rounds; i++) {
        let t = performance.now();
        await raw(url);
        base.push(performance.now() - t);
        t = performance.now();
        await client.listConversations(PAGE_ID, query);
        ours.push(performance.now() - t);
      }
      rows.push({ key, name, bytes, rawMs: median(base), clientMs: median(ours), ratio: median(ours) / median(base) });
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

async function main() {
  const rows = await measureDecode({ rounds: Number(process.argv[2] ?? 30) });
  console.log(`| page | bytes | raw fetch+JSON.parse (ms) | listConversations (ms) | ratio |`);
  console.log(`|---|---|---|---|---|`);
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.bytes} | ${r.rawMs.toFixed(2)} | ${r.clientMs.toFixed(2)} | ${r.ratio.toFixed(2)}× |`);
  }
  console.log(`\nratios vs raw fetch + JSON.parse: 1 MB page ${rows[0].ratio.toFixed(2)}×, small page ${rows[1].ratio.toFixed(2)}× (target ≤ 1.2× on the 1 MB page)`);
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) await main();
