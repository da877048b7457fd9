// A plain ES-module page (no bundler) imports "graph-conversations/web"
// through an import map and reads the mock Graph from headless Chromium:
// lists, iterates, reads a thread and a message, and fails the ways a user
// meets (a Graph error, a bad argument, an abort).
import assert from "node:assert/strict";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { threads } from "../../mock/server.mjs";
import { MESSAGE, mockRequest, PLAIN_PAGE, THREAD, TOKEN, useBrowserApp } from "./harness.mjs";

const env = useBrowserApp(() => PLAIN_PAGE, { open: "/" });
const instagram = threads("instagram");
const run = (...args) => env.app.run(...args);

test("lists a page of Instagram conversations and iterates through all of them", async () => {
  const page = await run("listConversations", env.config());
  assert.deepEqual(page.ids, instagram.slice(0, 5).map((t) => t.id));
  assert.equal(page.first.updated_time, instagram[0].updated_time);
  assert.equal(typeof page.after, "string");

  env.mock.reset();
  const ids = await run("iterateConversations", env.config());
  assert.deepEqual(ids, instagram.map((t) => t.id));
  assert.equal(env.mock.requests.length, Math.ceil(instagram.length / 20), "one call per page of 20");
});

test("reads a thread's newest messages", async () => {
  const { messages, after } = await run("readThread", env.config());
  assert.deepEqual(messages.map((m) => m.id), THREAD.messages.slice(0, 5).map((m) => m.id));
  assert.deepEqual(messages[0].from, THREAD.messages[0].from);
  assert.equal(messages[0].message, THREAD.messages[0].message);
  assert.equal(typeof after, "string");
});

test("gets one message with its details", async () => {
  const message = await run("getMessage", env.config());
  assert.equal(message.id, MESSAGE.id);
  for (const field of ["created_time", "from", "to", "message", "attachments"]) {
    assert.deepEqual(message[field], MESSAGE[field], field);
  }
});

test("a Graph error rejects with a GraphError (instanceof holds in the page)", async () => {
  const error = await run("graphError", env.config());
  assert.equal(error.isGraphError, true);
  assert.equal(error.isError, true);
  assert.equal(error.name, "GraphError");
  assert.equal(error.kind, "graph");
  assert.equal(error.code, 190);
  assert.equal(error.subcode, 460);
  assert.equal(error.status, 400);
  assert.equal(error.type, "OAuthException");
  assert.equal(error.transient, false);
  assert.ok(!error.message.includes(TOKEN), "no token in the message");
});

test("invalid arguments reject with kind invalid_argument and send nothing", async () => {
  const errors = await run("invalidArguments", env.config());
  assert.equal(errors.length, 3);
  for (const error of errors) {
    assert.equal(error.isGraphError, true, error.message);
    assert.equal(error.kind, "invalid_argument", error.message);
  }
  assert.deepEqual(env.mock.requests, [], "no request reached the mock");
});

test("aborting a call under way rejects with kind aborted", async () => {
  await run("startSlowCall", env.config());
  await mockRequest(env.mock, (r) => r.path.includes("/slow-"));
  const error = await run("abortSlowCall");
  assert.equal(error.isGraphError, true, error.message);
  assert.equal(error.kind, "aborted");
  assert.equal(error.transient, false);
});

test("the page loads the package as one JS file and the .wasm, its classes named as written", async () => {
  const loaded = await env.app.page.evaluate(() =>
    performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname).filter((path) => path.startsWith("/pkg/")),
  );
  assert.deepEqual(loaded.sort(), ["/pkg/graph_conversations_bg.wasm", "/pkg/web.js"]);
  const names = await env.app.page.evaluate(async () => {
    const api = await import("graph-conversations/web");
    return ["GraphClient", "GraphError", "Inbox", "Webhook", "clientDefaults", "nextCursor", "ownAccountIds"].map((name) => api[name]?.name);
  });
  assert.deepEqual(names, ["GraphClient", "GraphError", "Inbox", "Webhook", "clientDefaults", "nextCursor", "ownAccountIds"]);
});

test("a server that sends the .wasm without its media type still serves a working page", async () => {
  const wasm = readFileSync(new URL("../../pkg/graph_conversations_bg.wasm", import.meta.url));
  const app = await env.open("/", {
    setup: (page) =>
      page.route("**/graph_conversations_bg.wasm", (route) =>
        route.fulfill({ status: 200, body: wasm, headers: { "content-type": "application/octet-stream" } }),
      ),
  });
  try {
    const page = await app.run("listConversations", env.config());
    assert.deepEqual(page.ids, instagram.slice(0, 5).map((t) => t.id));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});
