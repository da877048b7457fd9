// Shared setup for the Node tests of the built package (pkg/) against the
// local mock Graph (mock/). Every request goes to 127.0.0.1.
//
//   const env = useMockGraph();        // starts the mock once for the file
//   const client = env.client();       // { baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 0 }
//   env.mock.requests                  // what the mock saw; emptied before each test

import assert from "node:assert/strict";
import { after, before, beforeEach } from "node:test";
import { GraphClient, GraphError } from "../../pkg/node.js";
import { TOKEN, startMockGraph } from "../../mock/server.mjs";

export { GraphClient, GraphError };

export function useMockGraph(options = {}) {
  const env = {
    mock: null,
    client: (extra = {}) =>
      new GraphClient({ baseUrl: env.mock.url, accessToken: TOKEN, callsPerSecond: 0, ...extra }),
  };
  before(async () => {
    env.mock = await startMockGraph(options);
  });
  beforeEach(() => env.mock.reset());
  after(() => env.mock?.close());
  return env;
}

/**
 * The message fields the client sends when the caller names none, read from
 * one listMessages call answered by a local fetch (nothing reaches a server).
 * Tests compare what the client returns with what the Graph answers to these
 * fields (the mock's graphView): the Graph sends only the fields asked for,
 * so a sub-field the client does not ask for (an attachment's `type`) is not
 * in its answer.
 */
export async function defaultMessageFields() {
  let fields;
  const fetch = async (url) => {
    fields = new URL(url).searchParams.get("fields");
    return new Response('{"data":[]}', { status: 200, headers: { "Content-Type": "application/json; charset=UTF-8" } });
  };
  await new GraphClient({ baseUrl: "http://127.0.0.1:9", accessToken: TOKEN, callsPerSecond: 0, maxRetries: 0, fetch })
    .listMessages("t_1", { limit: 1 });
  return fields;
}

/**
 * Awaits `promise`, asserts it rejects with a GraphError whose properties
 * include `expected`, and returns the error for further checks.
 */
export async function rejectsWithGraphError(promise, expected = {}) {
  let error;
  await assert.rejects(Promise.resolve(promise), (err) => {
    error = err;
    return true;
  });
  assert.ok(error instanceof GraphError, `expected a GraphError, got ${error?.constructor?.name}: ${error}`);
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(error[key], value, `err.${key} (${error.message})`);
  }
  return error;
}

/** The first item of an async iterator, as a promise (rejects with its error). */
export function firstItem(iterator) {
  return iterator.next();
}
