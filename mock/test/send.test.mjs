// The mock's Send API and its graph.instagram.com flavour over plain HTTP
// (no package needed): what a send changes, what the send faults match, the
// Instagram Login paths, tokens, paging links and usage headers, reset().
// The client's side of it is tests/node/send.test.mjs and
// tests/node/instagram-login.test.mjs.
//
//   node --test mock/test/send.test.mjs

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import {
  IG_ACCOUNT_ID, IG_USER_TOKEN, INBOX_NOW, PAGE_ID, TOKEN, UNAVAILABLE_RECIPIENT, createGraphHandler, replyWindows, startMock, threads,
} from "../server.mjs";

let mock;
before(async () => { mock = await startMock(); });
after(() => mock.close());
beforeEach(() => mock.reset());

const open = replyWindows("messenger").find((r) => r.window === "open" && r.canReply);
const igOpen = replyWindows("instagram").find((r) => r.window === "open" && r.canReply);

function form(fields) {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString();
}

async function call(path, { method = "GET", token = TOKEN, body, base = mock.url } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    body,
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

const reply = (to, text) => form({ recipient: { id: to }, messaging_type: "RESPONSE", message: { text } });

describe("the Send API", () => {
  test("a send through /me/messages is the Page's; the token may travel in the body", async () => {
    const res = await fetch(`${mock.url}/v24.0/me/messages`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `${reply(open.customerId, "hi")}&access_token=${TOKEN}`,
    });
    assert.equal(res.status, 200);
    const { message_id: mid } = await res.json();
    assert.deepEqual(mock.sends.map((s) => [s.accountId, s.mid]), [[PAGE_ID, mid]]);
    const page = await call(`/v24.0/${PAGE_ID}/conversations?limit=1&fields=id,snippet,messages.limit(1){id,from}`);
    assert.equal(page.json.data[0].id, open.threadId);
    assert.equal(page.json.data[0].snippet, "hi");
    assert.deepEqual(page.json.data[0].messages.data[0], { id: mid, from: { name: "Harbor Lane Coffee", email: `${PAGE_ID}@facebook.com`, id: PAGE_ID } });
  });

  test("the send faults match sends only: reading a thread's /messages is not one", async () => {
    mock.fault({ kind: "send-then-drop", times: "always" });
    assert.equal((await call(`/v24.0/${open.threadId}/messages?limit=1`)).status, 200);
    await assert.rejects(call(`/v24.0/${PAGE_ID}/messages`, { method: "POST", body: reply(open.customerId, "lost") }), /fetch failed/);
    assert.equal(mock.sends.length, 1, "taken before the connection dropped");
    assert.equal(mock.requests.at(-1).dropped, true);
    assert.equal(mock.faults[0].hits, 1);
  });

  test("a refused send is only in requests; a magic recipient answers its error", async () => {
    const res = await call(`/v24.0/${PAGE_ID}/messages`, { method: "POST", body: reply(UNAVAILABLE_RECIPIENT, "hi") });
    assert.deepEqual([res.status, res.json.error.code, res.json.error.error_subcode], [400, 551, 1545041]);
    assert.equal(mock.sends.length, 0);
    assert.equal(mock.requests[0].code, 551);
  });

  test("reset() empties sends, restores the thread and restarts the clock at INBOX_NOW", async () => {
    const sent = await call(`/v24.0/${PAGE_ID}/messages`, { method: "POST", body: reply(open.customerId, "gone after reset") });
    mock.reset();
    assert.equal(mock.sends.length, 0);
    const newest = await call(`/v24.0/${open.threadId}/messages?limit=1&fields=id`);
    assert.notEqual(newest.json.data[0].id, sent.json.message_id);
    assert.equal(INBOX_NOW, "2026-11-20T14:08:11+0000");
    assert.equal(threads("messenger")[0].updated_time, "2026-11-20T14:03:11+0000", "five minutes before the clock starts");
  });

  test("without a server: the handler has sends too", async () => {
    const graph = createGraphHandler();
    const answer = await graph.handle({ method: "POST", url: `/v24.0/${PAGE_ID}/messages`, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/x-www-form-urlencoded" }, body: reply(open.customerId, "no server") });
    assert.equal(answer.status, 200);
    assert.equal(graph.sends.length, 1);
    graph.close();
  });
});

describe("graph.instagram.com under /instagram", () => {
  const ig = (path, options = {}) => call(path, { base: mock.instagramUrl, token: IG_USER_TOKEN, ...options });

  test("me is the Instagram account; its paging links stay under /instagram; usage is the account's alone", async () => {
    assert.equal(mock.instagramUrl, `${mock.url}/instagram`);
    const me = await ig("/v24.0/me?fields=id,username");
    assert.deepEqual(me.json, { id: IG_ACCOUNT_ID, username: "harborlane.coffee" });
    const page = await ig("/v24.0/me/conversations?platform=instagram&limit=2");
    assert.ok(page.json.paging.next.startsWith(`${mock.url}/instagram/v24.0/me/conversations?`), page.json.paging.next);
    assert.deepEqual(Object.keys(JSON.parse(page.headers.get("x-business-use-case-usage"))), [IG_ACCOUNT_ID]);
    const viaPage = await call(`/v24.0/${IG_ACCOUNT_ID}/conversations?platform=instagram&limit=2`);
    assert.deepEqual(Object.keys(JSON.parse(viaPage.headers.get("x-business-use-case-usage"))).sort(), [PAGE_ID, IG_ACCOUNT_ID].sort());
    assert.deepEqual(page.json.data, viaPage.json.data);
  });

  test("each host refuses the other's token with 190", async () => {
    assert.equal((await ig("/v24.0/me/conversations", { token: TOKEN })).json.error.code, 190);
    assert.equal((await call(`/v24.0/${PAGE_ID}/conversations`, { token: IG_USER_TOKEN })).json.error.code, 190);
    assert.equal((await ig(`/v24.0/me/messages`, { method: "POST", token: TOKEN, body: reply(igOpen.customerId, "hi") })).json.error.code, 190);
    assert.equal(mock.sends.length, 0);
  });

  test("Instagram only: platform messenger, the Page, Messenger ids are refused; batches follow the same rules", async () => {
    const messenger = threads("messenger")[0];
    assert.match((await ig("/v24.0/me/conversations?platform=messenger")).json.error.message, /must be one of \{INSTAGRAM\}/);
    assert.equal((await ig(`/v24.0/${PAGE_ID}/conversations`)).json.error.error_subcode, 33);
    assert.equal((await ig(`/v24.0/${messenger.id}`)).json.error.error_subcode, 33);
    const batch = [{ method: "GET", relative_url: `${threads("instagram")[0].id}?fields=id` }, { method: "GET", relative_url: `${messenger.id}?fields=id` }];
    const res = await ig("/v24.0/", { method: "POST", body: form({ batch }) });
    assert.deepEqual(res.json.map((item) => item.code), [200, 400]);
  });

  test("POST /me/messages sends to Instagram customers as the account", async () => {
    const res = await ig("/v24.0/me/messages", { method: "POST", body: reply(igOpen.customerId, "from Instagram Login") });
    assert.equal(res.status, 200);
    assert.deepEqual(mock.sends.map((s) => [s.flavour, s.accountId, s.platform, s.mid]), [["instagram", IG_ACCOUNT_ID, "instagram", res.json.message_id]]);
    const refused = await ig("/v24.0/me/messages", { method: "POST", body: reply(open.customerId, "a PSID") });
    assert.deepEqual([refused.json.error.code, refused.json.error.error_subcode], [100, 2018001]);
    assert.equal(mock.requests.at(-1).path, "/instagram/v24.0/me/messages", "requests keep the path as sent");
  });
});
