// Pacing: against a mock that enforces the Conversations API budget
// (2 calls per second per access token; HTTP 400 code 613 beyond it), a
// client at the default callsPerSecond never gets a 613 — walking pages,
// syncing, batching, or with two clients sharing one token. The control at the
// end shows that the mock really refuses an unpaced client.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ODD_MESSAGE_ID, PAGE_ID, SECOND_TOKEN, TOKEN, threads } from "../../mock/server.mjs";
import { GraphClient, GraphError, useMockGraph } from "./helpers.mjs";

const THREADS = 32;
const env = useMockGraph({ callsPerSecond: 2, threads: { messenger: THREADS } });
const messenger = threads("messenger", { count: THREADS });
const BOUND = { timeout: 30_000 };

/** A client with the defaults a user gets (callsPerSecond 2, maxRetries 3). */
const defaultClient = (extra = {}) => new GraphClient({ baseUrl: env.mock.url, accessToken: TOKEN, ...extra });

async function collect(iterator) {
  const out = [];
  for await (const item of iterator) {
    out.push(item);
    assert.ok(out.length <= 10 * THREADS, "bounded");
  }
  return out;
}

function assertNo613(label) {
  const throttled = env.mock.requests.filter((r) => r.code === 613);
  assert.equal(env.mock.stats.rateLimited, 0, `${label}: the mock refused ${env.mock.stats.rateLimited} calls as over budget`);
  assert.equal(throttled.length, 0, `${label}: 613 answers`);
}

/** Gaps between the arrivals of the requests, in ms. */
const gaps = () => env.mock.requests.slice(1).map((r, i) => Math.round(r.at - env.mock.requests[i].at));

test("the default client walks 8 pages of conversations with zero 613 answers", BOUND, async () => {
  // The process's first fetch loads undici and would arrive late: not the client's doing.
  await fetch(`${env.mock.url}/__mock/stats`);
  const items = await collect(defaultClient().conversations(PAGE_ID, { limit: 4 }));
  assert.deepEqual(items.map((c) => c.id), messenger.map((c) => c.id));
  assert.equal(env.mock.requests.length, 8);
  assertNo613("8 pages");
  console.log(`pacing: gaps between the 8 page requests (ms): ${gaps().join(", ")}`);
  // Lower bound from the mock's arrival times, with the mock's own 50 ms of slack.
  for (const gap of gaps()) assert.ok(gap >= 500 - 50, `calls ${gap} ms apart at 2 per second`);
});

test("two clients with the same token share the budget: both walking at once, zero 613 answers", BOUND, async () => {
  const [a, b] = await Promise.all([
    collect(defaultClient().conversations(PAGE_ID, { limit: 16 })),
    collect(defaultClient().conversations(PAGE_ID, { limit: 16 })),
  ]);
  assert.equal(a.length, THREADS);
  assert.equal(b.length, THREADS);
  assert.equal(env.mock.requests.length, 4);
  assertNo613("two clients");
});

test("a sync of many pages, 4 requests in flight allowed, finishes with zero 613 answers", BOUND, async () => {
  const inbox = await defaultClient().syncInbox(PAGE_ID, { pageSize: 8, messagesPerConversation: 5, concurrency: 4 });
  assert.equal(inbox.complete, true);
  assert.deepEqual(inbox.conversations.map((c) => c.id), messenger.map((c) => c.id));
  for (const conversation of inbox.conversations) assert.ok(conversation.messages.length >= 1);
  assert.ok(env.mock.requests.length >= 4, `${env.mock.requests.length} requests`);
  assert.equal(inbox.requests, env.mock.requests.length);
  assertNo613("sync");
});

test("a batch of k items counts as k calls: a batch then a call, zero 613 answers", BOUND, async () => {
  const client = defaultClient();
  const ids = messenger[0].messages.slice(0, 3).map((m) => m.id);
  const batch = await client.getMessages(ids);
  assert.deepEqual(batch.map((m) => m.id), ids);
  assert.equal((await client.getMessage(ODD_MESSAGE_ID)).id, ODD_MESSAGE_ID);
  assert.equal(env.mock.requests.length, 2);
  assertNo613("batch");
});

test("control: an unpaced client (callsPerSecond 0) does get 613s from the same mock; retried, they clear", BOUND, async () => {
  const unpaced = (extra) => new GraphClient({ baseUrl: env.mock.url, accessToken: SECOND_TOKEN, callsPerSecond: 0, ...extra });
  // No retries: the calls over budget reject with the Graph's 613.
  const outcomes = [];
  for (let i = 0; i < 6; i++) {
    outcomes.push(await unpaced({ maxRetries: 0 }).getMessage(ODD_MESSAGE_ID).then(() => "ok", (err) => err));
  }
  assert.ok(env.mock.stats.rateLimited >= 1, "the mock refused some calls");
  const refused = outcomes.filter((o) => o !== "ok");
  assert.ok(refused.length >= 1, JSON.stringify(outcomes));
  for (const err of refused) {
    assert.ok(err instanceof GraphError, String(err));
    assert.deepEqual([err.kind, err.code, err.status, err.transient, err.attempts], ["graph", 613, 400, true, 1]);
  }
  // With retries: every call ends well, though the mock refused some on the way.
  env.mock.reset();
  const client = unpaced({ maxRetries: 8, retryDelayMs: 100, maxRetryDelayMs: 2_000 });
  const results = await Promise.all(Array.from({ length: 4 }, () => client.getMessage(ODD_MESSAGE_ID)));
  assert.deepEqual(results.map((m) => m.id), Array(4).fill(ODD_MESSAGE_ID));
  assert.ok(env.mock.stats.rateLimited >= 1, "4 calls at once against a budget of 2 were refused at first");
  console.log(`pacing control: ${refused.length} of 6 unpaced calls refused; with retries ${env.mock.stats.rateLimited} refusals, all 4 calls succeeded`);
});
