// What a program can count on after an abort, a free and a long thread: the
// numbers it is given are the calls that were sent, nothing is sent twice,
// and a sync says which threads are not final yet.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAGE_ID, SECOND_TOKEN, TOKEN, startMockGraph, threads } from "../../mock/server.mjs";
import { GraphClient, GraphError, rejectsWithGraphError } from "./helpers.mjs";

const BOUND = { timeout: 60_000 };

async function withMock(options, body) {
  const mock = await startMockGraph(options);
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}

test("an abort while a call waits for its turn: nothing was sent, so no attempts", BOUND, () =>
  withMock({}, async (mock) => {
    const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 1 });
    await client.listConversations(PAGE_ID, { limit: 1 });
    const controller = new AbortController();
    const waiting = client.listConversations(PAGE_ID, { limit: 1, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await rejectsWithGraphError(waiting, { kind: "aborted" });
    assert.equal("attempts" in err, false, "attempts is absent when nothing was sent");
    assert.equal(mock.requests.length, 1, "the second call never left");
  }));

test("an abort mid-sync: requests counts only the calls the mock saw", BOUND, () =>
  withMock({}, async (mock) => {
    // Its own token: the pace of TOKEN is shared with the test above.
    const client = new GraphClient({ baseUrl: mock.url, accessToken: SECOND_TOKEN, callsPerSecond: 2 });
    const controller = new AbortController();
    const pending = client.syncInbox(PAGE_ID, { pageSize: 5, concurrency: 4, signal: controller.signal });
    setTimeout(() => controller.abort(), 1200);
    const err = await rejectsWithGraphError(pending, { kind: "aborted" });
    assert.ok(err.inbox, "what was read comes with the error");
    assert.ok(err.inbox.requests >= 1, `requests ${err.inbox.requests}, mock saw ${mock.requests.length}`);
    assert.equal(err.inbox.requests, mock.requests.length, "requests = calls sent, not calls planned");
  }));

test("free is not public: no free() to call, so no call can meet a freed client", () => {
  const client = new GraphClient({ accessToken: TOKEN });
  assert.equal("free" in client, false);
  assert.equal(typeof client.listConversations, "function");
  const iterator = client.conversations(PAGE_ID);
  assert.equal("free" in iterator, false);
});

test("messagesPerConversation above 100 and \"all\": whole threads within one resumable sync, cutShort names the unfinished", BOUND, () =>
  withMock({ threads: { messenger: 3 }, messagesPerThread: 230 }, async (mock) => {
    const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 0 });
    const whole = await client.syncInbox(PAGE_ID, { messagesPerConversation: "all" });
    assert.equal(whole.complete, true);
    assert.deepEqual(whole.cutShort, []);
    for (const conversation of whole.conversations) assert.equal(conversation.messages.length, 230, conversation.id);
    const ids = whole.conversations.flatMap((c) => c.messages.map((m) => m.id));
    assert.equal(new Set(ids).size, ids.length, "no message twice");
    // One call for the page, then two more per thread (100 + 30 after the 100 nested).
    assert.equal(whole.requests, 1 + 3 * 2);

    const some = await client.syncInbox(PAGE_ID, { messagesPerConversation: 150 });
    assert.deepEqual(some.conversations.map((c) => c.messages.length), [150, 150, 150]);

    // In slices of one call: each result says which of its threads are not final.
    const slices = [];
    let cursor;
    do {
      const slice = await client.syncInbox(PAGE_ID, { messagesPerConversation: "all", maxRequests: 1, cursor });
      slices.push(slice);
      const here = new Set(slice.conversations.map((c) => c.id));
      for (const id of slice.cutShort) assert.ok(here.has(id) || slices.length > 1, `${id} is in this slice or an earlier one`);
      cursor = slice.cursor;
    } while (cursor && slices.length < 20);
    assert.equal(slices.at(-1).complete, true);
    assert.deepEqual(slices.at(-1).cutShort, []);
    const merged = new Map();
    for (const slice of slices) for (const c of slice.conversations) merged.set(c.id, [...(merged.get(c.id) ?? []), ...c.messages.map((m) => m.id)]);
    assert.deepEqual([...merged.values()].map((list) => list.length), [230, 230, 230]);
    assert.deepEqual([...merged.values()].flat().sort(), ids.slice().sort(), "the slices hold exactly the whole sync's messages");
  }));

test("syncInbox fields: the conversation fields asked for come back, messages still come", BOUND, () =>
  withMock({}, async (mock) => {
    const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 0 });
    const inbox = await client.syncInbox(PAGE_ID, { fields: ["snippet", "unread_count"], pageSize: 5, maxRequests: 1 });
    const first = inbox.conversations[0];
    const thread = threads("messenger")[0];
    assert.equal(first.id, thread.id);
    assert.equal(first.snippet, thread.snippet);
    assert.equal(first.unread_count, thread.unread_count);
    assert.equal(first.participants, undefined, "only what was asked for");
    assert.ok(first.messages.length > 0);
    await assert.rejects(client.syncInbox(PAGE_ID, { fields: ["messages"] }), (e) => e instanceof GraphError && e.kind === "invalid_argument");
  }));

test("the business is not a customer: the Instagram account's own id comes with the sync and from ownAccountIds", BOUND, () =>
  withMock({}, async (mock) => {
    const { IG_ACCOUNT_ID } = await import("../../mock/server.mjs");
    const { ownAccountIds } = await import("../../pkg/node.js");
    const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 0 });
    const inbox = await client.syncInbox(PAGE_ID, { platform: "instagram", pageSize: 10, maxRequests: 1 });
    assert.deepEqual(inbox.accountIds, [PAGE_ID, IG_ACCOUNT_ID]);
    const page = await client.listConversations(PAGE_ID, { platform: "instagram", fields: ["id", "participants"], limit: 5 });
    const own = new Set(ownAccountIds(PAGE_ID, page.data));
    for (const conversation of page.data) {
      const customers = conversation.participants.data.filter((p) => !own.has(p.id));
      assert.equal(customers.length, 1, `one customer in ${conversation.id}`);
      assert.notEqual(customers[0].id, IG_ACCOUNT_ID);
    }
    const messenger = await client.syncInbox(PAGE_ID, { pageSize: 10, maxRequests: 1 });
    assert.deepEqual(messenger.accountIds, [PAGE_ID], "on Messenger the Page is the account");
    assert.deepEqual(ownAccountIds(PAGE_ID, page.data.slice(0, 1)), [PAGE_ID], "one thread alone cannot tell");
  }));
