// listConversations, conversations(), findConversation, getConversation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { EXTRA_FOLDER_COUNTS, IG_ACCOUNT_ID, IG_USERNAME, PAGE_ID, threads } from "../../mock/server.mjs";
import { useMockGraph } from "./helpers.mjs";

const env = useMockGraph();

const messenger = threads("messenger");
const instagram = threads("instagram");
const ids = (list) => list.map((c) => c.id);

async function collect(iterator) {
  const out = [];
  for await (const item of iterator) out.push(item);
  return out;
}

test("listConversations: first Messenger page, newest first, with the Graph's default fields", async () => {
  const page = await env.client().listConversations(PAGE_ID);
  assert.deepEqual(ids(page.data), ids(messenger.slice(0, 25)));
  assert.deepEqual(page.data[0], { id: messenger[0].id, updated_time: messenger[0].updated_time });
  assert.equal(typeof page.paging.cursors.after, "string");
  assert.equal(env.mock.requests.length, 1);
  assert.equal(env.mock.requests[0].method, "GET");
  assert.equal(env.mock.requests[0].path.endsWith(`/${PAGE_ID}/conversations`), true);
});

test("listConversations: instagram platform lists the Instagram inbox with {username, id} participants", async () => {
  const page = await env.client().listConversations(PAGE_ID, { platform: "instagram", fields: ["id", "participants"] });
  assert.deepEqual(ids(page.data), ids(instagram.slice(0, 25)));
  assert.deepEqual(page.data[0].participants, instagram[0].participants);
  assert.deepEqual(page.data[0].participants.data[1], { username: IG_USERNAME, id: IG_ACCOUNT_ID });
  assert.equal(env.mock.requests[0].query.platform, "instagram");
});

test("listConversations: folder picks the folder's threads", async () => {
  const client = env.client();
  for (const folder of ["other", "page_done", "spam"]) {
    const page = await client.listConversations(PAGE_ID, { folder });
    assert.equal(page.data.length, EXTRA_FOLDER_COUNTS.messenger[folder], folder);
    assert.deepEqual(ids(page.data), ids(threads("messenger", { folder })), folder);
  }
  const ig = await client.listConversations(PAGE_ID, { platform: "instagram", folder: "spam" });
  assert.deepEqual(ids(ig.data), ids(threads("instagram", { folder: "spam" })));
  assert.deepEqual(env.mock.requests.map((r) => r.query.folder), ["other", "page_done", "spam", "spam"]);
});

test("listConversations: fields as an array, with a nested messages.limit(n){…} expansion", async () => {
  const page = await env.client().listConversations(PAGE_ID, {
    limit: 3,
    fields: ["id", "message_count", "participants", "messages.limit(4){id,message,from}"],
  });
  assert.equal(page.data.length, 3);
  page.data.forEach((conversation, i) => {
    const thread = messenger[i];
    assert.equal(conversation.id, thread.id);
    assert.equal(conversation.message_count, thread.messages.length);
    assert.deepEqual(conversation.participants, thread.participants);
    const expected = thread.messages.slice(0, 4).map((m) => ({ id: m.id, message: m.message, from: m.from }));
    assert.deepEqual(conversation.messages.data, expected);
  });
  // thread 1 has 3 messages: its nested edge has no next link, thread 0's has
  assert.equal(typeof page.data[0].messages.paging.next, "string");
  assert.equal(page.data[1].messages.paging.next, undefined);
});

test("listConversations: fields as one field-expansion string", async () => {
  const page = await env.client().listConversations(PAGE_ID, {
    platform: "instagram",
    limit: 2,
    fields: "id,updated_time,messages.limit(2){id,created_time,message,story}",
  });
  assert.deepEqual(ids(page.data), ids(instagram.slice(0, 2)));
  const [first] = page.data;
  assert.equal(first.updated_time, instagram[0].updated_time);
  assert.deepEqual(first.messages.data, instagram[0].messages.slice(0, 2).map((m) => {
    const out = { id: m.id, created_time: m.created_time, message: m.message };
    if (m.story) out.story = m.story;
    return out;
  }));
  // the first Instagram thread starts with a story reply
  assert.ok(first.messages.data[0].story.reply_to.link);
});

test("listConversations: limit, then after and before cursors page through the list", async () => {
  const client = env.client();
  const first = await client.listConversations(PAGE_ID, { limit: 7 });
  assert.deepEqual(ids(first.data), ids(messenger.slice(0, 7)));
  const second = await client.listConversations(PAGE_ID, { limit: 7, after: first.paging.cursors.after });
  assert.deepEqual(ids(second.data), ids(messenger.slice(7, 14)));
  const back = await client.listConversations(PAGE_ID, { limit: 7, before: second.paging.cursors.before });
  assert.deepEqual(ids(back.data), ids(messenger.slice(0, 7)));
  assert.deepEqual(env.mock.requests.map((r) => r.query.limit), ["7", "7", "7"]);
  assert.equal(env.mock.requests[1].query.after, first.paging.cursors.after);
});

test("listConversations: an Instagram last page without paging is returned as it is", async () => {
  const client = env.client();
  const first = await client.listConversations(PAGE_ID, { platform: "instagram", limit: 40 });
  const last = await client.listConversations(PAGE_ID, { platform: "instagram", limit: 40, after: first.paging.cursors.after });
  assert.deepEqual(ids(last.data), ids(instagram.slice(40)));
  assert.equal(last.paging, undefined);
});

test("listConversations: userId finds the thread with that person", async () => {
  const thread = messenger[12];
  const page = await env.client().listConversations(PAGE_ID, { userId: thread.participants.data[0].id });
  assert.deepEqual(ids(page.data), [thread.id]);
  assert.equal(env.mock.requests[0].query.user_id, thread.participants.data[0].id);
});

for (const [platform, list, limit] of [["messenger", messenger, 7], ["messenger", messenger, 20], ["instagram", instagram, 10], ["instagram", instagram, 8]]) {
  test(`conversations(): every ${platform} thread once, in order, in ceil(${list.length}/${limit}) requests`, async () => {
    const seen = await collect(env.client().conversations(PAGE_ID, { platform, limit }));
    assert.deepEqual(ids(seen), ids(list));
    assert.equal(env.mock.requests.length, Math.ceil(list.length / limit));
    assert.ok(env.mock.requests.every((r) => r.query.limit === String(limit) && r.query.platform === platform));
  });
}

test("conversations(): default page size walks the whole inbox", async () => {
  const seen = await collect(env.client().conversations(PAGE_ID));
  assert.deepEqual(ids(seen), ids(messenger));
  assert.equal(env.mock.requests.length, Math.ceil(messenger.length / 25));
});

test("conversations(): a folder with fewer threads than a page ends after one request", async () => {
  const seen = await collect(env.client().conversations(PAGE_ID, { folder: "other", limit: 10 }));
  assert.deepEqual(ids(seen), ids(threads("messenger", { folder: "other" })));
  assert.equal(env.mock.requests.length, 1);
});

test("conversations(): starts behind an `after` cursor", async () => {
  const client = env.client();
  const first = await client.listConversations(PAGE_ID, { limit: 25 });
  const rest = await collect(client.conversations(PAGE_ID, { limit: 25, after: first.paging.cursors.after }));
  assert.deepEqual(ids(rest), ids(messenger.slice(25)));
});

test("conversations(): fetches lazily, and breaking out of for await stops fetching", async () => {
  const iterator = env.client().conversations(PAGE_ID, { limit: 5 });
  assert.equal(typeof iterator[Symbol.asyncIterator], "function");
  assert.equal(env.mock.requests.length, 0, "nothing is fetched before next()");
  const seen = [];
  for await (const conversation of iterator) {
    seen.push(conversation.id);
    if (seen.length === 7) break;
  }
  assert.deepEqual(seen, ids(messenger.slice(0, 7)));
  assert.equal(env.mock.requests.length, 2);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(env.mock.requests.length, 2, "no request after break");
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal(env.mock.requests.length, 2);
});

test("conversations(): nested messages come with each thread", async () => {
  const seen = await collect(env.client().conversations(PAGE_ID, {
    platform: "instagram", limit: 20, fields: "id,messages.limit(1){id}",
  }));
  assert.equal(seen.length, instagram.length);
  seen.forEach((c, i) => assert.deepEqual(c.messages.data, [{ id: instagram[i].messages[0].id }]));
});

test("findConversation: hit returns the thread whose participant is that user", async () => {
  const client = env.client();
  const thread = messenger[17];
  const userId = thread.participants.data[0].id;
  const found = await client.findConversation(PAGE_ID, userId, { fields: ["id", "participants"] });
  assert.equal(found.id, thread.id);
  assert.ok(found.participants.data.some((p) => p.id === userId));
  assert.equal(env.mock.requests[0].query.user_id, userId);

  const igThread = instagram[9];
  const igUser = igThread.participants.data[0].id;
  const igFound = await client.findConversation(PAGE_ID, igUser, { platform: "instagram" });
  assert.equal(igFound.id, igThread.id);
  assert.equal(env.mock.requests[1].query.platform, "instagram");
});

test("findConversation: a person without a thread gives null", async () => {
  const client = env.client();
  assert.equal(await client.findConversation(PAGE_ID, "1234567890123456"), null);
  // a Messenger person has no Instagram thread
  assert.equal(await client.findConversation(PAGE_ID, messenger[0].participants.data[0].id, { platform: "instagram" }), null);
  assert.equal(env.mock.requests.length, 2);
});

test("getConversation: default fields, and the fields asked for", async () => {
  const client = env.client();
  const thread = messenger[3];
  assert.deepEqual(await client.getConversation(thread.id), { id: thread.id, updated_time: thread.updated_time });
  const full = await client.getConversation(thread.id, { fields: ["id", "message_count", "snippet", "participants", "can_reply"] });
  assert.equal(full.id, thread.id);
  assert.equal(full.message_count, 45);
  assert.equal(full.snippet, thread.snippet);
  assert.equal(full.can_reply, thread.can_reply);
  assert.deepEqual(full.participants, thread.participants);
  assert.equal(env.mock.requests[1].path.endsWith(`/${thread.id}`), true);
});

test("getConversation: an Instagram thread with a nested messages expansion", async () => {
  const thread = instagram[0];
  const got = await env.client().getConversation(thread.id, { fields: "id,messages.limit(3){id,created_time}" });
  assert.deepEqual(got.messages.data, thread.messages.slice(0, 3).map((m) => ({ id: m.id, created_time: m.created_time })));
});

test("conversations(): next() called several times at once yields distinct items, in order", async () => {
  const iterator = env.client().conversations(PAGE_ID, { limit: 3 });
  const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
  assert.deepEqual(results.map((r) => r.value.id), ids(messenger.slice(0, 5)));
  assert.equal(env.mock.requests.length, 2);
  assert.deepEqual(Object.keys(iterator), [], "its state is its own: no `done` or `items` to mistake for a result's");
  assert.equal(iterator[Symbol.asyncIterator](), iterator);
});

test("conversations(): a Graph that repeats its cursor ends the walk with an error, not an endless loop", async () => {
  let calls = 0;
  const client = env.client({
    fetch: async () => {
      calls += 1;
      return new Response(JSON.stringify({
        data: [{ id: `t_${calls}` }],
        paging: { cursors: { before: "QQ+/AA==", after: "QQ+/BB==" }, next: "https://graph.facebook.com/next" },
      }), { status: 200, headers: { "content-type": "application/json" } });
    },
  });
  const seen = [];
  let error;
  try {
    for await (const c of client.conversations(PAGE_ID)) {
      seen.push(c.id);
      if (seen.length > 10) break;
    }
  } catch (err) {
    error = err;
  }
  assert.ok(error, `the walk ended without an error after ${seen.length} items`);
  assert.equal(error.name, "GraphError");
  assert.ok(calls <= 3, `${calls} calls`);
  assert.deepEqual(seen, ["t_1", "t_2"], "the pages read are not lost");
});

test("listConversations: fields and keys the types do not know pass through untouched", async () => {
  const body = {
    data: [{ id: "t_1", brand_new_field: { nested: [1, null, "x"] }, participants: { data: [{ id: "1", name: "A", pronouns: "they" }] } }],
    paging: { cursors: { before: "QQ+/AA==", after: "QQ+/AA==" } },
    summary: { total_count: 1 },
  };
  const client = env.client({ fetch: async () => new Response(JSON.stringify(body), { status: 200 }) });
  assert.deepEqual(await client.listConversations(PAGE_ID), body);
});

test("syncInbox: one call per page of conversations, each with its newest messages (API.md, Inbox sync)", async () => {
  const client = env.client();
  assert.equal(typeof client.syncInbox, "function", "client.syncInbox is not a function");
  const inbox = await client.syncInbox(PAGE_ID, { platform: "instagram", messagesPerConversation: 5 });
  assert.equal(inbox.complete, true);
  assert.deepEqual(ids(inbox.conversations), ids(instagram));
  inbox.conversations.forEach((c, i) => {
    assert.deepEqual(c.messages.map((m) => m.id), instagram[i].messages.slice(0, 5).map((m) => m.id));
  });
  assert.equal(inbox.requests, env.mock.requests.length);
  assert.ok(env.mock.requests.length < instagram.length, "not one call per thread");
});

test("conversations() and messages() walk forward only: a `before` cursor is refused before sending", async () => {
  const client = env.client();
  for (const iterator of [
    client.conversations(PAGE_ID, { before: "QQ+/x==" }),
    client.messages(messenger[0].id, { before: "QQ+/x==" }),
  ]) {
    await assert.rejects(iterator.next(), (err) => err.kind === "invalid_argument" && /before/.test(err.message));
  }
  assert.equal(env.mock.requests.length, 0);
});
