// Bad arguments reject with kind "invalid_argument" and send nothing.
// Methods reject (a Promise, or the iterator's first next()); the constructor throws.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAGE_ID, TOKEN, threads } from "../../mock/server.mjs";
import { GraphClient, GraphError, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();
const thread = threads("messenger")[0];
const goodMessage = thread.messages[0].id;

const BAD_IDS = {
  empty: "",
  slash: "t_1/messages",
  "parent path": "..",
  "dot-dot inside": "m_1..2",
  question: "m_1?fields=id",
  hash: "m_1#x",
  ampersand: "m_1&access_token=x",
  space: "m_1 2",
  "leading space": " m_1",
  tab: "m_1\t",
  newline: "m_1\n",
  percent: "m_1%2Fx",
  backslash: "m_1\\x",
  "non-ASCII": "m_é",
  number: 104620945892041,
  null: null,
  object: { id: "m_1" },
};

// Every method, taking one id in the place under test.
const ID_SLOTS = {
  "listConversations(pageId)": (c, id) => c.listConversations(id),
  "conversations(pageId)": (c, id) => c.conversations(id).next(),
  "findConversation(pageId)": (c, id) => c.findConversation(id, "1234567890"),
  "findConversation(userId)": (c, id) => c.findConversation(PAGE_ID, id),
  "listConversations({userId})": (c, id) => c.listConversations(PAGE_ID, { userId: id }),
  "getConversation(id)": (c, id) => c.getConversation(id),
  "listMessages(id)": (c, id) => c.listMessages(id),
  "messages(id)": (c, id) => c.messages(id).next(),
  "getMessage(id)": (c, id) => c.getMessage(id),
  "getMessages([…, id])": (c, id) => c.getMessages([goodMessage, id]),
};

async function sendsNothing(promise, label) {
  const before = env.mock.requests.length;
  const err = await rejectsWithGraphError(promise, { kind: "invalid_argument", transient: false });
  assert.ok(err instanceof Error, label);
  assert.equal(env.mock.requests.length, before, `${label}: nothing sent`);
  return err;
}

for (const [slot, call] of Object.entries(ID_SLOTS)) {
  test(`bad ids in ${slot} are refused before sending`, async () => {
    const client = env.client();
    for (const [label, id] of Object.entries(BAD_IDS)) {
      // undefined/null in an optional query field means "not given"
      if (slot === "listConversations({userId})" && id === null) continue;
      await sendsNothing(call(client, id), `${slot} with ${label} ${JSON.stringify(id)}`);
    }
    assert.equal(env.mock.requests.length, 0);
  });
}

test("the same methods send a request for a good id (the slots above are live)", async () => {
  const client = env.client();
  const good = {
    "listConversations(pageId)": PAGE_ID,
    "conversations(pageId)": PAGE_ID,
    "findConversation(pageId)": PAGE_ID,
    "findConversation(userId)": thread.participants.data[0].id,
    "listConversations({userId})": thread.participants.data[0].id,
    "getConversation(id)": thread.id,
    "listMessages(id)": thread.id,
    "messages(id)": thread.id,
    "getMessage(id)": goodMessage,
    "getMessages([…, id])": thread.messages[1].id,
  };
  for (const [slot, call] of Object.entries(ID_SLOTS)) await call(client, good[slot]);
  assert.equal(env.mock.requests.length, Object.keys(ID_SLOTS).length);
});

const BAD_CONVERSATION_QUERIES = {
  "unknown platform": { platform: "whatsapp" },
  "platform not a string": { platform: 1 },
  "unknown folder": { folder: "archive" },
  "folder with a trailing space": { folder: "inbox " },
  "limit 0": { limit: 0 },
  "limit -1": { limit: -1 },
  "limit 1.5": { limit: 1.5 },
  "limit as a string": { limit: "10" },
  "limit NaN": { limit: Number.NaN },
  "limit above 500": { limit: 501 },
  "after and before": { after: "QQ+/abc=", before: "QQ+/def=" },
  "empty after cursor": { after: "" },
  "cursor with a space": { after: "QQ+/ abc" },
  "misspelled option": { limits: 10 },
  "camel-case slip": { user_id: "123" },
  "fields with an unclosed brace": { fields: "id,messages{id,message" },
  "fields with an extra brace": { fields: "id,messages{id}}" },
  "fields with an unclosed paren": { fields: "messages.limit(5{id}" },
  "fields smuggling a parameter": { fields: "id&access_token=x" },
  "empty fields list": { fields: [] },
  "fields list with an empty name": { fields: ["id", ""] },
  "fields list with a number": { fields: ["id", 5] },
  "fields as an object": { fields: { id: true } },
  "signal that is not an AbortSignal": { signal: { aborted: "no" } },
  "query that is not an object": "limit=5",
  "query as an array": [],
};

test("bad queries of listConversations / conversations send nothing", async () => {
  const client = env.client();
  for (const [label, query] of Object.entries(BAD_CONVERSATION_QUERIES)) {
    await sendsNothing(client.listConversations(PAGE_ID, query), `listConversations: ${label}`);
    await sendsNothing(client.conversations(PAGE_ID, query).next(), `conversations: ${label}`);
  }
});

test("bad queries of listMessages / messages send nothing", async () => {
  const client = env.client();
  const messageQueries = {
    ...Object.fromEntries(Object.entries(BAD_CONVERSATION_QUERIES).filter(([, q]) => !(q && (q.platform || q.folder || q.user_id)))),
    "platform is not a messages option": { platform: "messenger" },
  };
  for (const [label, query] of Object.entries(messageQueries)) {
    await sendsNothing(client.listMessages(thread.id, query), `listMessages: ${label}`);
    await sendsNothing(client.messages(thread.id, query).next(), `messages: ${label}`);
  }
});

test("bad options of getConversation / getMessage / getMessages / findConversation send nothing", async () => {
  const client = env.client();
  const bad = [
    { fields: "id,from{name" },
    { fields: [] },
    { fileds: ["id"] },
    { limit: 5 },
    { signal: "abort" },
  ];
  for (const options of bad) {
    const label = JSON.stringify(options);
    await sendsNothing(client.getConversation(thread.id, options), `getConversation ${label}`);
    await sendsNothing(client.getMessage(goodMessage, options), `getMessage ${label}`);
    await sendsNothing(client.getMessages([goodMessage], options), `getMessages ${label}`);
  }
  await sendsNothing(client.findConversation(PAGE_ID, "123", { platform: "telegram" }), "findConversation platform");
  await sendsNothing(client.findConversation(PAGE_ID, "123", { folder: "inbox" }), "findConversation unknown option");
  await sendsNothing(client.findConversation(PAGE_ID, "123", { fields: "id}" }), "findConversation fields");
});

test("getMessages refuses what is not an array of strings", async () => {
  const client = env.client();
  await sendsNothing(client.getMessages(goodMessage), "a string");
  await sendsNothing(client.getMessages(undefined), "undefined");
  const inside = await sendsNothing(client.getMessages([goodMessage, 42]), "a number inside");
  assert.equal(inside.message, "messageIds[1] must be a string");
  const field = await sendsNothing(client.listConversations(PAGE_ID, { fields: ["id", 5] }), "a field that is a number");
  assert.equal(field.message, "query.fields must be an array of strings");
  await sendsNothing(client.getMessages(new Set([goodMessage])), "a Set");
});

test("a good query is sent (the options above differ from good ones only where they are bad)", async () => {
  const client = env.client();
  await client.listConversations(PAGE_ID, { platform: "instagram", folder: "inbox", limit: 500, fields: ["id", "messages.limit(2){id}"] });
  await client.listMessages(thread.id, { limit: 1, fields: "id , message" });
  await client.getMessages([goodMessage], { fields: ["id"], signal: new AbortController().signal });
  assert.equal(env.mock.requests.length, 3);
  assert.equal(env.mock.requests[1].query.fields, "id,message");
});

test("a method's bad argument rejects its promise instead of throwing", () => {
  const client = env.client();
  let promise;
  assert.doesNotThrow(() => { promise = client.getMessage(""); });
  assert.ok(promise instanceof Promise);
  return promise.then(() => assert.fail("resolved"), (err) => assert.equal(err.kind, "invalid_argument"));
});

const BAD_OPTIONS = {
  "no options": undefined,
  "no accessToken": { baseUrl: "http://127.0.0.1:9" },
  "empty accessToken": { accessToken: "" },
  "accessToken with a newline": { accessToken: "EAAG\r\nX-Evil: 1" },
  "accessToken not a string": { accessToken: 12345 },
  "baseUrl without a scheme": { accessToken: TOKEN, baseUrl: "127.0.0.1:8787" },
  "baseUrl ftp": { accessToken: TOKEN, baseUrl: "ftp://127.0.0.1" },
  "baseUrl not a URL": { accessToken: TOKEN, baseUrl: "not a url" },
  "baseUrl with a query": { accessToken: TOKEN, baseUrl: "http://127.0.0.1/?a=b" },
  "baseUrl with credentials": { accessToken: TOKEN, baseUrl: "https://user:pw@graph.facebook.com" },
  "apiVersion without v": { accessToken: TOKEN, apiVersion: "21.0" },
  "apiVersion without minor": { accessToken: TOKEN, apiVersion: "v21" },
  "apiVersion with a path": { accessToken: TOKEN, apiVersion: "v21.0/../x" },
  "unknown option": { accessToken: TOKEN, timeout: 1000 },
  "misspelled option": { accessToken: TOKEN, baseURL: "http://127.0.0.1:9" },
  "timeoutMs 0": { accessToken: TOKEN, timeoutMs: 0 },
  "timeoutMs as a string": { accessToken: TOKEN, timeoutMs: "1000" },
  "maxRetries -1": { accessToken: TOKEN, maxRetries: -1 },
  "callsPerSecond -1": { accessToken: TOKEN, callsPerSecond: -1 },
  "fetch not a function": { accessToken: TOKEN, fetch: "fetch" },
  "appSecretProof not hex": { accessToken: TOKEN, appSecretProof: "abc" },
  "appSecret and appSecretProof": { accessToken: TOKEN, appSecret: "s", appSecretProof: "a".repeat(64) },
  "options not an object": TOKEN,
};

for (const [label, options] of Object.entries(BAD_OPTIONS)) {
  test(`new GraphClient throws synchronously: ${label}`, () => {
    let error;
    assert.throws(() => new GraphClient(options), (err) => {
      error = err;
      return true;
    });
    assert.ok(error instanceof GraphError && error instanceof Error, String(error));
    assert.equal(error.kind, "invalid_argument");
    assert.ok(error.message.length > 0);
  });
}

test("new GraphClient accepts the documented options", () => {
  const client = new GraphClient({
    accessToken: TOKEN,
    apiVersion: "v21.0",
    baseUrl: "http://127.0.0.1:9/",
    appSecret: "secret-of-the-app",
    timeoutMs: 30000,
    maxRetries: 3,
    callsPerSecond: 2,
    fetch: globalThis.fetch,
  });
  assert.ok(client instanceof GraphClient);
  assert.ok(new GraphClient({ accessToken: TOKEN, appSecretProof: "ab".repeat(32) }));
  assert.equal(env.mock.requests.length, 0);
});
