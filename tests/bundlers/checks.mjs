// What a bundled app must do to count as working, in Chromium or in Node:
// read the mock Graph, get a GraphError that `instanceof` recognises (the
// bundle must not hold two copies of the class), and refuse bad arguments
// without sending anything.
//
//   await checkApp((name, ...args) => app.run(name, ...args), env.config(), env.mock);

import assert from "node:assert/strict";
import { threads } from "../../mock/server.mjs";
import { MESSAGE } from "../browser/targets.mjs";

export async function checkApp(run, config, mock) {
  const page = await run("listConversations", config);
  assert.deepEqual(page.ids, threads("instagram").slice(0, 5).map((t) => t.id));

  const message = await run("getMessage", config);
  assert.equal(message.id, MESSAGE.id);
  assert.deepEqual(message.attachments, MESSAGE.attachments);

  const error = await run("graphError", config);
  assert.equal(error.isGraphError, true, error.message);
  assert.equal(error.kind, "graph");
  assert.equal(error.code, 190);

  mock.reset();
  const bad = await run("invalidArguments", config);
  assert.deepEqual(bad.map((e) => [e.isGraphError, e.kind]), bad.map(() => [true, "invalid_argument"]));
  assert.deepEqual(mock.requests, [], "no request for bad arguments");
}
