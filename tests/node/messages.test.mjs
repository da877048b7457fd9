// listMessages, messages(), getMessage.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DETAIL_WINDOW, ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, graphView, threads } from "../../mock/server.mjs";
import { GraphError, defaultMessageFields, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const defaultFields = await defaultMessageFields();

const messenger = threads("messenger");
const instagram = threads("instagram");
const DOCUMENTED = ["id", "created_time", "from", "to", "message", "attachments", "reactions", "shares", "story", "tags", "is_unsupported"];

/**
 * What the Graph answers for a message to the client's default fields (at
 * least the documented ones, checked below): the mock's data seen through
 * those fields, so a legacy `sticker` or a sub-field not asked for is left out.
 */
function documented(message) {
  return graphView("Message", message, defaultFields);
}

async function collect(iterator) {
  const out = [];
  for await (const item of iterator) out.push(item);
  return out;
}

test("listMessages: default fields are the documented set, not the Graph's bare id,created_time", async () => {
  const thread = messenger[0];
  const page = await env.client().listMessages(thread.id);
  const asked = env.mock.requests[0].query.fields;
  for (const field of DOCUMENTED) assert.match(asked, new RegExp(`(^|,)${field}($|[,{])`), field);
  assert.match(asked, /attachments\{[^}]*image_data/);
  const [newest] = page.data;
  assert.ok(newest.from && newest.to && "message" in newest, "from, to and message are there");
  assert.deepEqual(newest, documented(thread.messages[0]));
});

test("listMessages: newest first; beyond the 20 newest only id and created_time", async () => {
  const thread = messenger[0]; // 24 messages
  const page = await env.client().listMessages(thread.id);
  assert.deepEqual(page.data.map((m) => m.id), thread.messages.map((m) => m.id));
  const times = page.data.map((m) => Date.parse(m.created_time.replace("+0000", "Z")));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  page.data.slice(0, DETAIL_WINDOW).forEach((m, i) => assert.deepEqual(m, documented(thread.messages[i])));
  page.data.slice(DETAIL_WINDOW).forEach((m, i) => {
    const original = thread.messages[DETAIL_WINDOW + i];
    assert.deepEqual(m, { id: original.id, created_time: original.created_time });
  });
});

test("listMessages: fields, limit and the after cursor", async () => {
  const client = env.client();
  const thread = messenger[3]; // 45 messages
  const first = await client.listMessages(thread.id, { fields: ["id", "message"], limit: 10 });
  assert.deepEqual(first.data, thread.messages.slice(0, 10).map((m) => ({ id: m.id, message: m.message })));
  assert.equal(env.mock.requests[0].query.fields, "id,message");
  assert.equal(env.mock.requests[0].query.limit, "10");
  const second = await client.listMessages(thread.id, { fields: "id,message", limit: 10, after: first.paging.cursors.after });
  assert.deepEqual(second.data.map((m) => m.id), thread.messages.slice(10, 20).map((m) => m.id));
});

test("listMessages: an Instagram thread, with story and shares", async () => {
  const thread = instagram[0];
  const page = await env.client().listMessages(thread.id, { limit: DETAIL_WINDOW });
  assert.deepEqual(page.data, thread.messages.slice(0, DETAIL_WINDOW).map(documented));
  assert.ok(page.data[1].story.mention.id, "story mention");
  assert.deepEqual(page.data[0].from, thread.participants.data[0]);
});

for (const [label, thread] of [["45", messenger[3]], ["26", messenger[7]], ["33 (Instagram)", instagram[6]]]) {
  test(`messages(): every message of a ${label}-message thread, newest first`, async () => {
    assert.ok(thread.messages.length > 25);
    const seen = await collect(env.client().messages(thread.id));
    assert.equal(seen.length, thread.messages.length);
    assert.deepEqual(seen.map((m) => m.id), thread.messages.map((m) => m.id));
    assert.equal(env.mock.requests.length, Math.ceil(thread.messages.length / 25));
    assert.deepEqual(seen[0], documented(thread.messages[0]));
    assert.deepEqual(Object.keys(seen.at(-1)).sort(), ["created_time", "id"]);
  });
}

test("messages(): limit and fields apply to every page", async () => {
  const thread = messenger[8]; // 40 messages
  const seen = await collect(env.client().messages(thread.id, { limit: 15, fields: ["id"] }));
  // beyond the 20 newest the Graph answers id and created_time whatever was asked
  assert.deepEqual(seen, thread.messages.map((m, i) => (i < DETAIL_WINDOW ? { id: m.id } : { id: m.id, created_time: m.created_time })));
  assert.equal(env.mock.requests.length, 3);
  assert.ok(env.mock.requests.every((r) => r.query.fields === "id" && r.query.limit === "15"));
});

test("messages(): break stops fetching", async () => {
  const thread = messenger[3];
  const iterator = env.client().messages(thread.id, { limit: 10 });
  let n = 0;
  for await (const _ of iterator) if (++n === 3) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(env.mock.requests.length, 1);
  assert.equal((await iterator.next()).done, true);
});

test("getMessage: every message of the first thread of each platform, with its details", async () => {
  const client = env.client();
  for (const thread of [messenger[0], instagram[0]]) {
    for (const message of thread.messages.slice(0, DETAIL_WINDOW)) {
      assert.deepEqual(await client.getMessage(message.id), documented(message), message.id);
    }
  }
});

test("getMessage: attachments with image_data, reactions, shares with nulls, tags, unsupported, emoji", async () => {
  const client = env.client();
  const byId = async (pred) => client.getMessage(messenger[0].messages.find(pred).id);

  const image = await byId((m) => m.attachments?.data[0].image_data && !m.sticker);
  const img = image.attachments.data[0].image_data;
  assert.match(img.url, /^https:\/\/scontent\.xx\.fbcdn\.net\//);
  assert.equal(typeof img.width, "number");
  assert.equal(typeof image.attachments.data[0].mime_type, "string");

  const emoji = await client.getMessage(messenger[0].messages[0].id);
  assert.equal(emoji.message, messenger[0].messages[0].message);
  assert.match(emoji.message, /\p{Extended_Pictographic}/u);
  assert.equal(emoji.reactions.data.length, 1);
  assert.equal(typeof emoji.reactions.data[0].reaction, "string");

  const shareNulls = await byId((m) => m.shares?.data[0].link === null);
  assert.deepEqual(shareNulls.shares.data[0], { link: null, name: null, description: null, id: null, template: null });

  const euPrivacy = await byId((m) => m.attachments?.data[0] && Object.keys(m.attachments.data[0]).length === 2);
  assert.deepEqual(Object.keys(euPrivacy.attachments.data[0]).sort(), ["id", "name"]);

  const unsupported = await byId((m) => m.is_unsupported === true);
  assert.equal(unsupported.is_unsupported, true);

  assert.deepEqual(emoji.tags, messenger[0].messages[0].tags);
  assert.equal(emoji.tags.data[0].name, "inbox");
});

test("getMessage: Instagram story reply and story mention", async () => {
  const client = env.client();
  const [replyMsg, mentionMsg] = instagram[0].messages;
  const reply = await client.getMessage(replyMsg.id);
  assert.deepEqual(reply.story, replyMsg.story);
  assert.ok(reply.story.reply_to.link.startsWith("https://lookaside.fbsbx.com/"));
  const mention = await client.getMessage(mentionMsg.id);
  assert.deepEqual(mention.story, mentionMsg.story);
  assert.equal(mention.message, "");
});

test("getMessage: the fields asked for", async () => {
  const message = messenger[0].messages[5];
  const got = await env.client().getMessage(message.id, { fields: ["id", "created_time", "from"] });
  assert.deepEqual(got, { id: message.id, created_time: message.created_time, from: message.from });
  assert.equal(env.mock.requests[0].query.fields, "id,created_time,from");
});

test("getMessage: ODD_MESSAGE_ID, with dots and a colon, is read as it is", async () => {
  const message = messenger[3].messages.find((m) => m.id === ODD_MESSAGE_ID);
  const got = await env.client().getMessage(ODD_MESSAGE_ID);
  assert.deepEqual(got, documented(message));
  assert.equal(decodeURIComponent(env.mock.requests[0].path).endsWith(`/${ODD_MESSAGE_ID}`), true);
});

test("getMessage: a message older than the 20 newest rejects with the Graph's 9000001", async () => {
  const err = await rejectsWithGraphError(env.client().getMessage(OLD_ODD_MESSAGE_ID), {
    kind: "graph", code: 9000001, transient: false, status: 400, type: "OAuthException",
  });
  assert.ok(err instanceof Error);
  assert.match(err.message, /This Message has been deleted by the user or the business\./);
  assert.equal(err.subcode, undefined);
});

test("getMessage: the 21st message of a 21-message thread is out of the window too", async () => {
  const thread = messenger[5];
  assert.equal(thread.messages.length, 21);
  const client = env.client();
  await client.getMessage(thread.messages[19].id);
  const err = await client.getMessage(thread.messages[20].id).catch((e) => e);
  assert.ok(err instanceof GraphError);
  assert.equal(err.code, 9000001);
});

test("getMessage: odd real-world values pass through untouched", async () => {
  const odd = {
    id: "m_odd",
    created_time: "2026-11-20T14:03:11+0000",
    message: "",
    sticker: "https://scontent.xx.fbcdn.net/v/t39.1997-6/1_2_3_n.png?_nc_cat=1",
    attachments: { data: [{ id: "1", name: "image-1.jpg" }, { image_data: { url: "https://x", image_type: "1" } }], paging: { cursors: { before: "QQ==", after: "QQ==" } } },
    shares: { data: [{ link: null, name: null, description: null, id: null, template: null }] },
    reactions: { data: [{ reaction: "❤", users: [{ username: "x", id: "1" }] }] },
    not_in_the_types: { a: [1, 2, { b: null }] },
  };
  const client = env.client({ fetch: async () => new Response(JSON.stringify(odd), { status: 200 }) });
  assert.deepEqual(await client.getMessage("m_odd"), odd);
});
