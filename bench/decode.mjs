// Per-call overhead of the client against raw `fetch` + `JSON.parse` of the
// same URL, on a ~1 MB conversations page (limit 100, nested messages with
// details) and on a small page. Interleaved rounds, medians, one ratio per
// page: a benchmark, not a test (the machines are shared and noisy).
//
//   node bench/decode.mjs [rounds=30]
import { performance } from "node:perf_hooks";
import { GraphClient } from "../pkg/node.js";
import { startMockGraph, TOKEN, PAGE_ID } from "../tests/mock-graph/server.mjs";

const rounds = Number(process.argv[2] ?? 30);
const mock = await startMockGraph({ threads: { messenger: 200, instagram: 45 } });
const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, apiVersion: "v21.0", callsPerSecond: 0 });

const bigFields =
  "id,updated_time,participants,snippet,messages.limit(20){id,created_time,from,to,message,attachments,reactions,shares,story,tags,is_unsupported}";
const cases = [
  { name: "1 MB page (limit 100, nested messages)", query: { limit: 100, fields: bigFields } },
  { name: "small page (limit 5, id + updated_time)", query: { limit: 5, fields: "id,updated_time" } },
];

function urlOf(query) {
  const params = new URLSearchParams({ fields: query.fields, limit: String(query.limit) });
  return `${mock.url}/v21.0/${PAGE_ID}/conversations?${params}`;
}

async function raw(url) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return JSON.parse(await response.text());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`| page | bytes | raw fetch+JSON.parse (ms) | listConversations (ms) | ratio |`);
console.log(`|---|---|---|---|---|`);
const ratios = [];
for (const { name, query } of cases) {
  const url = urlOf(query);
  const bytes = (await (await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text()).length;
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
  const ratio = median(ours) / median(base);
  ratios.push(ratio);
  console.log(`| ${name} | ${bytes} | ${median(base).toFixed(2)} | ${median(ours).toFixed(2)} | ${ratio.toFixed(2)}× |`);
}
console.log(`\nratios vs raw fetch + JSON.parse: 1 MB page ${ratios[0].toFixed(2)}×, small page ${ratios[1].toFixed(2)}× (target ≤ 1.2× on the 1 MB page)`);
await mock.close();
