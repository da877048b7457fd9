// The option keys each method's facade accepts are exactly the keys its
// TypeScript interface declares, and the defaults and bounds a client reports
// are the ones it enforces: one declaration of each option (core::options),
// read the same way from Rust and from JS.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { GraphClient, GraphError, clientDefaults, nextCursor } from "../../pkg/node.js";

const dts = readFileSync(new URL("../../pkg/graph_conversations.d.ts", import.meta.url), "utf8");

/** The member names of `export interface name`, with those of what it extends. */
function members(name) {
  const start = dts.search(new RegExp(`export interface ${name}\\b`));
  assert.ok(start >= 0, `interface ${name} in the .d.ts`);
  const header = dts.slice(start, dts.indexOf("{", start));
  const body = [];
  let depth = 0;
  for (let i = dts.indexOf("{", start); i < dts.length; i++) {
    const c = dts[i];
    if (c === "{") depth++;
    if (c === "}" && --depth === 0) break;
    body.push(c);
  }
  // Only top-level members: drop comments, then nested braces.
  const text = body.join("").slice(1).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\{[^{}]*\}/g, "");
  const own = [...text.matchAll(/^\s*(\w+)\??\s*:/gm)].map((m) => m[1]);
  const parents = header.match(/extends\s+([\w\s,]+)/)?.[1].split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  return [...own, ...parents.flatMap(members)];
}

/** The keys the facade accepts, from the message it gives for an unknown one. */
async function accepted(call) {
  let error;
  try {
    await call({ notAnOption: 1 });
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof GraphError && error.kind === "invalid_argument", String(error));
  const list = error.message.match(/the options are (.*)$/)?.[1];
  assert.ok(list, error.message);
  return list.split(", ");
}

const token = "EAAG-options-test-token";
const client = new GraphClient({ accessToken: token, baseUrl: "http://127.0.0.1:9", callsPerSecond: 0 });

const CASES = [
  ["new GraphClient", ["ClientOptions"], (o) => new GraphClient({ accessToken: token, ...o })],
  ["listConversations", ["ConversationQuery", "RequestOptions"], (o) => client.listConversations("1", o)],
  ["conversations", ["ConversationQuery", "RequestOptions"], (o) => client.conversations("1", o).next()],
  ["listMessages", ["MessageQuery", "RequestOptions"], (o) => client.listMessages("t_1", o)],
  ["messages", ["MessageQuery", "RequestOptions"], (o) => client.messages("t_1", o).next()],
  ["getConversation", ["NodeOptions"], (o) => client.getConversation("t_1", o)],
  ["getMessage", ["NodeOptions"], (o) => client.getMessage("m_1", o)],
  ["getMessages", ["NodeOptions"], (o) => client.getMessages(["m_1"], o)],
  ["findConversation", ["FindConversationOptions"], (o) => client.findConversation("1", "2", o)],
  ["syncInbox", ["SyncInboxOptions"], (o) => client.syncInbox("1", o)],
];

for (const [method, interfaces, call] of CASES) {
  test(`${method}: the keys it accepts are the keys of ${interfaces.join(" & ")}`, async () => {
    const declared = [...new Set(interfaces.flatMap(members))].sort();
    assert.deepEqual((await accepted(call)).sort(), declared);
  });
}

test("clientDefaults() are what a client uses, and a current Graph version", () => {
  const defaults = clientDefaults();
  assert.deepEqual(Object.keys(defaults).sort(), members("ClientDefaults").sort());
  assert.match(defaults.apiVersion, /^v2[7-9]\.0$|^v[3-9]\d\.0$/);
  assert.equal(defaults.baseUrl, "https://graph.facebook.com");
  assert.deepEqual(
    [defaults.timeoutMs, defaults.maxRetries, defaults.retryDelayMs, defaults.maxRetryDelayMs, defaults.callsPerSecond],
    [30000, 3, 1000, 30000, 2],
  );
});

test("the bounds a JS caller meets are the core's: one number past each end is refused, the ends are taken", async () => {
  const bounds = [
    ["timeoutMs", 1, 600000],
    ["maxRetries", 0, 10],
    ["retryDelayMs", 0, 600000],
    ["maxRetryDelayMs", 0, 3600000],
  ];
  for (const [key, min, max] of bounds) {
    for (const ok of [min, max]) new GraphClient({ accessToken: token, [key]: ok });
    for (const bad of [min - 1, max + 1, min + 0.5]) {
      assert.throws(() => new GraphClient({ accessToken: token, [key]: bad }), (e) => e.kind === "invalid_argument" && e.message.includes(key));
    }
  }
  for (const [key, min, max] of [["pageSize", 1, 100], ["messagesPerConversation", 1, 100000], ["concurrency", 1, 16], ["maxRequests", 1, 100000]]) {
    for (const bad of [min - 1, max + 1, 1.5]) {
      await assert.rejects(client.syncInbox("1", { [key]: bad }), (e) => e.kind === "invalid_argument" && e.message.includes(key));
    }
  }
  for (const bad of [0, 501, 2.5]) {
    await assert.rejects(client.listMessages("t_1", { limit: bad }), (e) => e.kind === "invalid_argument" && e.message.includes("limit"));
  }
});

test("nextCursor(page): the after cursor when the Graph says there is a next page, else null", () => {
  const page = (paging) => ({ data: [{ id: "t_1" }], paging });
  assert.equal(nextCursor(page({ cursors: { after: "QVFI" }, next: "https://graph.facebook.com/...&access_token=[redacted]" })), "QVFI");
  assert.equal(nextCursor(page({ cursors: { after: "QVFI" } })), null, "no next: the last page");
  assert.equal(nextCursor({ data: [] }), null, "no paging at all (a real Instagram list)");
  assert.throws(() => nextCursor(page({ next: "https://graph.facebook.com/x" })), (e) => e instanceof GraphError && e.kind === "decode");
});
