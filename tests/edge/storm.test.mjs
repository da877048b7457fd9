// The edge inbox under a storm, bounded for `make test` (tests/edge/storm.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { runStorm } from "./storm.mjs";

test("5 accounts × 40 threads (one on Instagram): a storm of signed events during the syncs, every object evicted mid-storm, a restart, replies, a late account; every inbox equals its mock, no account over 2 calls/s, every webhook 200 within 1 s", { timeout: 300_000 }, async (t) => {
  // compactAfter 4: shards are compacted all through the storm, evictions among them.
  const figures = await runStorm({ accounts: 5, threads: 40, events: 600, pageSize: 3, compactAfter: 4, log: (line) => t.diagnostic(line) });
  t.diagnostic(JSON.stringify(figures));
  assert.deepEqual(figures.mismatches, []);
  assert.equal(figures.instagramAccounts, 1);
  // The mock's own check, per token: a bucket of 2 calls refilled at 2 per second.
  assert.equal(figures.rateLimited, 0, "613s from the mocks");
  assert.equal(figures.non200, 0, "webhook answers other than 200");
  assert.equal(figures.socketErrors, 0, "webhook POSTs without an answer");
  assert.ok(figures.maxPostMs < 1000, `slowest webhook answer ${figures.maxPostMs} ms`);
  assert.equal(figures.sends, 4 * 2, "each keyed reply sent once");
  assert.equal(figures.evictions, 2 * 4, "every connected object evicted in each phase");
  assert.ok(figures.repeats > 0 && figures.restarts === 1);
  assert.ok(figures.snapshots >= 5 * 8, `${figures.snapshots} shards compacted`);
});
