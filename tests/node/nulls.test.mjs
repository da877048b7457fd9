// The Graph's `null` and a caller's `null` read as absent, wherever the
// client looks: in an answer (a null `paging`, a null nested `messages`), in
// an options object (a null option, or one whose getter throws). A null
// item of a page is no object, and the call says where it is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAGE_ID, TOKEN } from "../../mock/server.mjs";
import { GraphClient, rejectsWithGraphError } from "./helpers.mjs";

/** A client whose every call is answered with `body` (200), and the URLs it asked for. */
function answering(body) {
  const urls = [];
  const fetch = async (url) => {
    urls.push(new URL(url));
    return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
  };
  const client = new GraphClient({ baseUrl: "http://127.0.0.1:9", accessToken: TOKEN, callsPerSecond: 0, maxRetries: 0, fetch });
  return { client, urls };
}

test("a page whose paging and nested messages are null is a page, and the last one", async () => {
  const body = { data: [{ id: "t_1", messages: null }], paging: null };
  const { client } = answering(body);
  assert.deepEqual(await client.listConversations(PAGE_ID), body, "handed back as the Graph sent it");
  const seen = [];
  for await (const conversation of client.conversations(PAGE_ID)) seen.push(conversation.id);
  assert.deepEqual(seen, ["t_1"], "no next page is read from a null paging");
});

test("a null item of a page is no object, and the error says which", async () => {
  const { client } = answering({ data: [{ id: "t_1" }, null] });
  const error = await rejectsWithGraphError(client.listConversations(PAGE_ID), { kind: "decode" });
  assert.match(error.message, /data\[1\] is not an object/);
});

test("a null data is missing", async () => {
  const { client } = answering({ data: null });
  const error = await rejectsWithGraphError(client.listConversations(PAGE_ID), { kind: "decode" });
  assert.match(error.message, /data is missing/);
});

test("an option that is null, or whose getter throws, is left out of the request", async () => {
  const { client, urls } = answering({ data: [] });
  await client.listConversations(PAGE_ID, { limit: null, fields: null, after: null, platform: null });
  const options = {
    limit: 7,
    get fields() {
      throw new Error("a getter of the caller's");
    },
  };
  await client.listConversations(PAGE_ID, options);
  assert.equal(urls.length, 2);
  assert.deepEqual([...urls[0].searchParams.keys()], [], "every null option left out");
  assert.deepEqual(Object.fromEntries(urls[1].searchParams), { limit: "7" }, "the throwing getter left out, the rest sent");
});
