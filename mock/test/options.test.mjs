// The mock's inbox-shape options: fixed thread lengths (benchmarks) and a
// cap on nested message pages (so a sync must follow their paging).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PAGE_ID, TOKEN, buildInbox, startMockGraph, threads } from "../server.mjs";

let mock;
before(async () => {
  mock = await startMockGraph({ threads: { messenger: 12 }, messagesPerThread: 30, nestedMessagesCap: 10 });
});
after(() => mock?.close());

const get = async (path) => {
  const res = await fetch(`${mock.url}/v24.0/${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return res.json();
};

test("messagesPerThread gives every thread that many messages", () => {
  const list = threads("messenger", { count: 12, messagesPerThread: 30 });
  assert.equal(list.length, 12);
  assert.deepEqual([...new Set(list.map((t) => t.messages.length))], [30]);
  assert.notDeepEqual(threads("messenger", { count: 12 }).map((t) => t.messages.length), list.map((t) => t.messages.length));
});

test("nestedMessagesCap cuts nested pages short, with a cursor to the rest", async () => {
  const page = await get(`${PAGE_ID}/conversations?fields=id,messages.limit(25){id}&limit=2`);
  for (const thread of page.data) {
    assert.equal(thread.messages.data.length, 10);
    assert.ok(thread.messages.paging.cursors.after);
  }
  const edge = await get(`${page.data[0].id}/messages?fields=id&limit=25&after=${encodeURIComponent(page.data[0].messages.paging.cursors.after)}`);
  assert.equal(edge.data.length, 20, "the messages edge itself is not capped");
});

test("10,000 threads (the benchmark's largest inbox) build, every id unique, the head unchanged", () => {
  // Per-thread seeded streams overlap at this size; overlapping message ids get fresh ones (data.mjs).
  const big = buildInbox({ messenger: 10_000 }, { messagesPerThread: 10 });
  const list = big.messenger.inbox;
  assert.equal(list.length, 10_000);
  const ids = list.flatMap((t) => [t.id, ...t.messages.map((m) => m.id)]);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(threads("messenger", { count: 60, messagesPerThread: 10 }).map((t) => t.messages.map((m) => m.id)),
    list.slice(0, 60).map((t) => t.messages.map((m) => m.id)));
});
