// The Instagram API with Instagram Login: the built package with an
// Instagram User token (IGAA…) against the mock's graph.instagram.com (its
// `/instagram` base path), `me` where a Page id would go. The same list,
// sync and send tests as through a Page (flavours.mjs), the two ways giving
// the same inbox, and what each host says to the other's token.
//
//   node --test tests/node/instagram-login.test.mjs        (after make build)

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { IG_ACCOUNT_ID, IG_USER_TOKEN, PAGE_ID, TOKEN, threads } from "../../mock/server.mjs";
import { TARGETS, clientFor, customerIn, listSuite, sendSuite, syncSuite } from "./flavours.mjs";
import { GraphClient, rejectsWithGraphError, useMockGraph } from "./helpers.mjs";

const env = useMockGraph();

// Through the Page first, then through Instagram Login: the same tests.
listSuite(env, TARGETS.instagramPage);
syncSuite(env, TARGETS.instagramPage);
listSuite(env, TARGETS.instagramLogin);
syncSuite(env, TARGETS.instagramLogin);
sendSuite(env, TARGETS.instagramLogin);

/** A client whose baseUrl is the real host's; its fetch goes to the mock's flavour of that host instead. */
function clientOnHost(host, token, extra = {}) {
  const target = host === "https://graph.instagram.com" ? env.mock.instagramUrl : env.mock.url;
  const fetch = (url, init) => globalThis.fetch(String(url).replace(host, target), init);
  return new GraphClient({ baseUrl: host, accessToken: token, callsPerSecond: 0, retryDelayMs: 10, fetch });
}

describe("Instagram Login and the Page: one inbox", () => {
  test("syncInbox through the Page and through Instagram Login gives the same conversations and messages", async () => {
    const viaPage = await clientFor(env, TARGETS.instagramPage).syncInbox(IG_ACCOUNT_ID, { platform: "instagram", messagesPerConversation: 25 });
    const viaLogin = await clientFor(env, TARGETS.instagramLogin).syncInbox("me", { platform: "instagram", messagesPerConversation: 25 });
    assert.deepEqual(viaLogin.conversations, viaPage.conversations);
  });

  test("a client set up as the docs say (baseUrl https://graph.instagram.com, me) reads and sends", async () => {
    const ig = clientOnHost("https://graph.instagram.com", IG_USER_TOKEN);
    const page = await ig.listConversations("me", { platform: "instagram", limit: 5 });
    assert.deepEqual(page.data.map((c) => c.id), threads("instagram").slice(0, 5).map((t) => t.id));
    const open = customerIn("instagram", "open");
    const sent = await ig.sendMessage("me", open.customerId, { text: "Thanks!", platform: "instagram" });
    assert.deepEqual(env.mock.sends.map((s) => [s.flavour, s.accountId, s.mid]), [["instagram", IG_ACCOUNT_ID, sent.messageId]]);
    assert.ok(env.mock.requests.every((r) => r.path.startsWith("/instagram/")));
  });

  test("graph.instagram.com has no Page and no Messenger thread", async () => {
    const ig = clientFor(env, TARGETS.instagramLogin);
    await rejectsWithGraphError(ig.listConversations("me", { platform: "messenger" }), { code: 100 });
    await rejectsWithGraphError(ig.listConversations(PAGE_ID), { code: 100, subcode: 33 });
    const messengerThread = threads("messenger")[0];
    await rejectsWithGraphError(ig.getConversation(messengerThread.id), { code: 100, subcode: 33 });
    await rejectsWithGraphError(ig.getMessage(messengerThread.messages[0].id), { code: 100, subcode: 33 });
    const psid = customerIn("messenger", "open").customerId;
    await rejectsWithGraphError(ig.sendMessage("me", psid, { text: "hi" }), { refusal: "no_such_recipient" });
    assert.equal(env.mock.sends.length, 0);
  });
});

describe("a token on the wrong host: 190", () => {
  test("an Instagram User token sent to graph.facebook.com: 190, and the message says to use graph.instagram.com", async () => {
    const fb = clientOnHost("https://graph.facebook.com", IG_USER_TOKEN);
    const read = await rejectsWithGraphError(fb.listConversations("me"), { code: 190 });
    assert.match(read.message, /Instagram User token .*baseUrl "https:\/\/graph\.instagram\.com", with "me"/);
    const send = await rejectsWithGraphError(fb.sendMessage("me", customerIn("instagram", "open").customerId, { text: "hi" }), { code: 190, delivery: "not_sent" });
    assert.match(send.message, /graph\.instagram\.com/);
    assert.ok(!read.message.includes(IG_USER_TOKEN) && !send.message.includes(IG_USER_TOKEN), "the token itself is never quoted");
    assert.equal(env.mock.sends.length, 0);
    assert.ok(env.mock.requests.every((r) => r.path.startsWith("/v")), "they went to the Facebook flavour");
  });

  test("a Page token sent to graph.instagram.com: 190 (no advice about Instagram tokens)", async () => {
    const ig = clientOnHost("https://graph.instagram.com", TOKEN);
    const err = await rejectsWithGraphError(ig.listConversations("me", { platform: "instagram" }), { code: 190 });
    assert.doesNotMatch(err.message, /Instagram User token/);
    await rejectsWithGraphError(ig.sendMessage("me", customerIn("instagram", "open").customerId, { text: "hi" }), { code: 190, delivery: "not_sent" });
    assert.equal(env.mock.sends.length, 0);
  });
});
