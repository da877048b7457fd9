// The same list, sync and send tests for every way a client reaches an
// inbox of the mock Graph: a Page token on graph.facebook.com (Messenger, and
// Instagram through the Instagram account), and an Instagram User token on
// graph.instagram.com (the Instagram API with Instagram Login, the mock's
// `/instagram` base path, with `me` for the account). Each suite registers
// its tests for one target; send.test.mjs and instagram-login.test.mjs pick
// the targets.
//
//   const env = useMockGraph();
//   sendSuite(env, TARGETS.messengerPage);

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  IG_ACCOUNT_ID, IG_USER_TOKEN, PAGE_ID, RESTRICTED_RECIPIENT, TOKEN, UNAVAILABLE_RECIPIENT, replyWindows, threads,
} from "../../mock/server.mjs";
import { GraphClient, rejectsWithGraphError } from "./helpers.mjs";

/**
 * Each target: the client's baseUrl (from the running mock), token and
 * account id; the platform; the id the account has in a thread (`ownId`);
 * the subcode of an outside-window refusal; the path prefix every request
 * must carry; the mock's name for the host (`flavour` in mock.sends).
 */
export const TARGETS = {
  messengerPage: {
    label: "Messenger: a Page token on graph.facebook.com", platform: "messenger", account: PAGE_ID, ownId: PAGE_ID,
    token: TOKEN, baseUrl: (mock) => mock.url, prefix: "/v", outsideSubcode: 2018278, flavour: "facebook",
  },
  instagramPage: {
    label: "Instagram: a Page token on graph.facebook.com", platform: "instagram", account: IG_ACCOUNT_ID, ownId: IG_ACCOUNT_ID,
    token: TOKEN, baseUrl: (mock) => mock.url, prefix: "/v", outsideSubcode: 2534022, flavour: "facebook",
  },
  instagramLogin: {
    label: "Instagram Login: an Instagram User token on graph.instagram.com", platform: "instagram", account: "me", ownId: IG_ACCOUNT_ID,
    token: IG_USER_TOKEN, baseUrl: (mock) => mock.instagramUrl, prefix: "/instagram/v", outsideSubcode: 2534022, flavour: "instagram",
  },
};

/** A client of `target` against the running mock (no pacing, quick retries). */
export function clientFor(env, target, extra = {}) {
  return new GraphClient({ baseUrl: target.baseUrl(env.mock), accessToken: target.token, callsPerSecond: 0, retryDelayMs: 10, ...extra });
}

/**
 * A seeded inbox customer of `platform` in `window` ("open", "human_agent",
 * "closed") who can be written to and who wrote at least once: the middle one
 * of the class (far from its edges), the oldest for "closed".
 */
export function customerIn(platform, window) {
  const rows = replyWindows(platform).filter((r) => r.folder === "inbox" && r.window === window && r.canReply && r.lastWrote);
  assert.ok(rows.length > 0, `a ${platform} customer in window ${window}`);
  return window === "closed" ? rows.at(-1) : rows[Math.floor(rows.length / 2)];
}

/** The customer's newest message in their seeded thread. */
function customerMessage(platform, row) {
  const thread = threads(platform).find((t) => t.id === row.threadId);
  return thread.messages.find((m) => m.from.id === row.customerId);
}

async function collect(iterator) {
  const out = [];
  for await (const item of iterator) out.push(item);
  return out;
}

const sendPosts = (mock) => mock.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages"));

function assertUnderPrefix(env, target) {
  for (const r of env.mock.requests) assert.ok(r.path.startsWith(target.prefix), `${r.method} ${r.path} goes to ${target.prefix}…`);
}

// ---------------------------------------------------------------- reading

/** Listing: every thread in order, cursors, one thread by its customer, its messages. */
export function listSuite(env, target) {
  const list = threads(target.platform);
  const { account, platform } = target;

  describe(`list (${target.label})`, () => {
    test("conversations() goes through every thread, newest first, with its participants", async () => {
      const all = await collect(clientFor(env, target).conversations(account, { platform, fields: ["id", "updated_time", "participants"] }));
      assert.deepEqual(all.map((c) => c.id), list.map((t) => t.id));
      assert.deepEqual(all.map((c) => c.participants), list.map((t) => t.participants));
      assert.ok(all.every((c) => c.participants.data.some((p) => p.id === target.ownId)), "the account takes part in every thread");
      assertUnderPrefix(env, target);
    });

    test("listConversations pages by cursor", async () => {
      const client = clientFor(env, target);
      const first = await client.listConversations(account, { platform, limit: 10 });
      const second = await client.listConversations(account, { platform, limit: 10, after: first.paging.cursors.after });
      assert.deepEqual([...first.data, ...second.data].map((c) => c.id), list.slice(0, 20).map((t) => t.id));
      assertUnderPrefix(env, target);
    });

    test("findConversation, getConversation, messages() and getMessage serve one customer's thread", async () => {
      const client = clientFor(env, target);
      const thread = list[3]; // 45 messages
      const customerId = thread.participants.data[0].id;
      const found = await client.findConversation(account, customerId, { platform, fields: ["id", "updated_time"] });
      assert.equal(found.id, thread.id);
      const node = await client.getConversation(thread.id, { fields: ["id", "message_count"] });
      assert.equal(node.message_count, thread.messages.length);
      const messages = await collect(client.messages(thread.id, { limit: 25, fields: ["id", "created_time"] }));
      assert.deepEqual(messages.map((m) => m.id), thread.messages.map((m) => m.id));
      const newest = await client.getMessage(thread.messages[0].id, { fields: ["id", "message", "from"] });
      assert.deepEqual(newest, { id: thread.messages[0].id, message: thread.messages[0].message, from: thread.messages[0].from });
      await rejectsWithGraphError(client.getMessage(thread.messages[25].id), { code: 9000001 });
      assert.equal(await client.findConversation(account, "999999999999999", { platform }), null);
      assertUnderPrefix(env, target);
    });
  });
}

/** syncInbox: the whole inbox, and a sync stopped and resumed from its cursor. */
export function syncSuite(env, target) {
  const list = threads(target.platform);
  const { account, platform } = target;

  describe(`sync (${target.label})`, () => {
    test("syncInbox reads every thread with its 20 newest messages", async () => {
      const sync = await clientFor(env, target).syncInbox(account, { platform });
      assert.equal(sync.complete, true);
      assert.deepEqual(sync.conversations.map((c) => c.id), list.map((t) => t.id));
      for (const [i, c] of sync.conversations.entries()) {
        assert.deepEqual(c.messages.map((m) => m.id), list[i].messages.slice(0, 20).map((m) => m.id), c.id);
      }
      assert.ok(sync.accountIds.includes(target.ownId) || sync.accountIds.includes(account), `accountIds ${sync.accountIds}`);
      assertUnderPrefix(env, target);
    });

    test("a sync cut short by maxRequests goes on from its cursor, every message once", async () => {
      const client = clientFor(env, target);
      const first = await client.syncInbox(account, { platform, pageSize: 10, maxRequests: 2, messagesPerConversation: 30 });
      assert.equal(first.complete, false);
      const rest = await client.syncInbox(account, { platform, pageSize: 10, messagesPerConversation: 30, cursor: first.cursor });
      assert.equal(rest.complete, true);
      const byId = new Map();
      for (const c of [...first.conversations, ...rest.conversations]) byId.set(c.id, [...(byId.get(c.id) ?? []), ...c.messages.map((m) => m.id)]);
      assert.deepEqual([...byId.keys()], list.map((t) => t.id));
      for (const t of list) assert.deepEqual(byId.get(t.id), t.messages.slice(0, 30).map((m) => m.id), t.id);
      assertUnderPrefix(env, target);
    });
  });
}

// ---------------------------------------------------------------- sending

/**
 * The Send API: the reply windows, each refusal and what the client makes of
 * it, a message never sent twice when its answer is lost, throttling waited
 * out, sender actions and reactions, bad input refused before sending.
 */
export function sendSuite(env, target) {
  const { account, platform } = target;
  const open = customerIn(platform, "open");
  const humanAgent = customerIn(platform, "human_agent");
  const closed = customerIn(platform, "closed");

  describe(`send (${target.label})`, () => {
    test("a reply within 24 h is taken once: a new mid, the thread's newest message, from the account, on top of the inbox", async () => {
      const client = clientFor(env, target);
      const sent = await client.sendMessage(account, open.customerId, { text: "Your order shipped 📦", metadata: "ticket-42", platform });
      assert.equal(sent.recipientId, open.customerId);
      assert.equal(env.mock.sends.length, 1);
      assert.deepEqual(
        { ...env.mock.sends[0], at: 0 },
        {
          kind: "message", flavour: target.flavour, accountId: target.ownId,
          platform, recipientId: open.customerId, threadId: open.threadId, mid: sent.messageId, messagingType: "RESPONSE",
          text: "Your order shipped 📦", metadata: "ticket-42", at: 0,
        },
      );
      const [newest] = (await client.listMessages(open.threadId, { limit: 1, fields: ["id", "message", "from"] })).data;
      assert.equal(newest.id, sent.messageId);
      assert.equal(newest.message, "Your order shipped 📦");
      assert.equal(newest.from.id, target.ownId);
      const top = await client.listConversations(account, { platform, limit: 1 });
      assert.equal(top.data[0].id, open.threadId, "the conversation moved to the top");
      const echo = env.mock.webhooks.events.filter((e) => e.kind === "echo");
      assert.deepEqual(echo.map((e) => [e.mid, e.item.message.metadata]), [[sent.messageId, "ticket-42"]], "its echo carries the mid and metadata");
      assertUnderPrefix(env, target);
    });

    test("24 h to 7 days after the customer wrote: refused outside_window with the advice, then taken with HUMAN_AGENT", async () => {
      const client = clientFor(env, target);
      const err = await rejectsWithGraphError(client.sendMessage(account, humanAgent.customerId, { text: "Still there?", platform }), {
        code: 10, subcode: target.outsideSubcode, refusal: "outside_window", delivery: "not_sent",
      });
      assert.match(err.message, /outside of allowed window/);
      assert.match(err.message, /24-hour window.*HUMAN_AGENT/s);
      assert.equal(env.mock.sends.length, 0);
      const sent = await client.sendMessage(account, humanAgent.customerId, { text: "A person here: still there?", tag: "HUMAN_AGENT", platform });
      assert.deepEqual(env.mock.sends.map((s) => [s.mid, s.messagingType, s.tag]), [[sent.messageId, "MESSAGE_TAG", "HUMAN_AGENT"]]);
    });

    test("more than 7 days after: refused even with HUMAN_AGENT; a customer who writes again opens the window", async () => {
      const client = clientFor(env, target);
      for (const tag of [undefined, "HUMAN_AGENT"]) {
        await rejectsWithGraphError(client.sendMessage(account, closed.customerId, { text: "Hello again", tag, platform }), {
          code: 10, subcode: target.outsideSubcode, refusal: "outside_window", delivery: "not_sent",
        });
      }
      env.mock.customerWrites(closed.customerId, { text: "Are you open today?", platform });
      const sent = await client.sendMessage(account, closed.customerId, { text: "Yes, until 16:00", platform });
      assert.deepEqual(env.mock.sends.map((s) => s.mid), [sent.messageId]);
    });

    test("refusals name what happened and what to do: no such person, unavailable, the Page restricted", async () => {
      const client = clientFor(env, target);
      const send = (to) => client.sendMessage(account, to, { text: "Hi", platform });
      const none = await rejectsWithGraphError(send("31337000000000001"), { code: 100, subcode: 2018001, refusal: "no_such_recipient", delivery: "not_sent" });
      assert.match(none.message, /check the recipient id/);
      const gone = await rejectsWithGraphError(send(UNAVAILABLE_RECIPIENT), { code: 551, refusal: "recipient_unavailable", delivery: "not_sent" });
      assert.match(gone.message, /isn't available right now.*do not retry/s);
      assert.equal(gone.attempts, 1, "not tried again");
      const cannot = replyWindows(platform).find((r) => !r.canReply);
      await rejectsWithGraphError(send(cannot.customerId), { code: 551, refusal: "recipient_unavailable" });
      const restricted = await rejectsWithGraphError(send(RESTRICTED_RECIPIENT), { code: 10, subcode: 1893063, refusal: "page_restricted", delivery: "not_sent" });
      assert.match(restricted.message, /may not send messages for now/);
      assert.equal(env.mock.sends.length, 0);
      assert.equal(sendPosts(env.mock).length, 4, "one request each");
    });

    test("the answer is lost (send-then-drop): delivery unknown, never sent again, and the message did go out", async () => {
      env.mock.fault({ kind: "send-then-drop" });
      const client = clientFor(env, target, { maxRetries: 3 });
      const err = await rejectsWithGraphError(client.sendMessage(account, open.customerId, { text: "Did this arrive?", platform }), { delivery: "unknown" });
      assert.match(err.message, /delivery unknown: the message may have gone out; it was not sent again/);
      await sleep(200);
      assert.equal(sendPosts(env.mock).length, 1, "one POST, no retry");
      assert.equal(env.mock.sends.length, 1, "the Graph took it once");
      const [newest] = (await client.listMessages(open.threadId, { limit: 1, fields: ["id", "message"] })).data;
      assert.deepEqual(newest, { id: env.mock.sends[0].mid, message: "Did this arrive?" });
      assert.deepEqual(env.mock.webhooks.events.filter((e) => e.kind === "echo").map((e) => e.mid), [env.mock.sends[0].mid], "its echo went");
    });

    test("the answer comes after the client's timeout (send-then-late): delivery unknown, never sent again", async () => {
      env.mock.fault({ kind: "send-then-late", ms: 1500 });
      const client = clientFor(env, target, { timeoutMs: 300, maxRetries: 3 });
      const err = await rejectsWithGraphError(client.sendMessage(account, open.customerId, { text: "Slow one", platform }), { kind: "timeout", delivery: "unknown" });
      assert.match(err.message, /delivery unknown/);
      await sleep(200);
      assert.equal(sendPosts(env.mock).length, 1, "one POST, no retry");
      assert.equal(env.mock.sends.length, 1);
      assert.equal(env.mock.sends[0].text, "Slow one");
    });

    test("a 613 with Retry-After is waited out, then the message is sent once", async () => {
      env.mock.fault({ kind: "rate-limit-613", match: "/messages", regainMinutes: 0, retryAfter: 1 });
      const client = clientFor(env, target);
      const started = performance.now();
      const sent = await client.sendMessage(account, open.customerId, { text: "After the wait", platform });
      assert.ok(performance.now() - started >= 950, "waited the second the Graph asked for");
      const posts = sendPosts(env.mock);
      assert.deepEqual(posts.map((p) => p.code ?? p.status), [613, 200]);
      assert.ok(posts[1].at - posts[0].at >= 950);
      assert.deepEqual(env.mock.sends.map((s) => s.mid), [sent.messageId], "taken once");
    });

    test("sendAction and react are recorded; mark_seen reads the thread, reactions change the message", async () => {
      const client = clientFor(env, target);
      env.mock.customerWrites(open.customerId, { text: "One more question", platform });
      const before = await client.getConversation(open.threadId, { fields: ["unread_count"] });
      assert.ok(before.unread_count > 0);
      await client.sendAction(account, open.customerId, "typing_on");
      await client.sendAction(account, open.customerId, "typing_off");
      await client.sendAction(account, open.customerId, "mark_seen");
      assert.equal((await client.getConversation(open.threadId, { fields: ["unread_count"] })).unread_count, 0);
      const mid = customerMessage(platform, open).id;
      await client.react(account, open.customerId, mid, "❤️");
      const reacted = await client.getMessage(mid, { fields: ["id", "reactions"] });
      assert.deepEqual(reacted.reactions.data.find((r) => r.users.some((u) => u.id === target.ownId))?.reaction, "❤️");
      await client.react(account, open.customerId, mid, null);
      const unreacted = await client.getMessage(mid, { fields: ["id", "reactions"] });
      assert.ok(!(unreacted.reactions?.data ?? []).some((r) => r.users.some((u) => u.id === target.ownId)), "taken back");
      assert.deepEqual(env.mock.sends.map((s) => [s.kind, s.action, s.mid, s.reaction]), [
        ["action", "typing_on", undefined, undefined], ["action", "typing_off", undefined, undefined], ["action", "mark_seen", undefined, undefined],
        ["action", "react", mid, "❤️"], ["action", "unreact", mid, undefined],
      ]);
      assert.equal(env.mock.webhooks.events.filter((e) => e.kind === "echo").length, 0, "no message went out");
    });

    test("bad input is refused before anything is sent", async () => {
      const client = clientFor(env, target);
      const tooLong = platform === "instagram" ? "é".repeat(501) : "x".repeat(2000);
      const cases = [
        [{}, /needs text or an attachment/],
        [{ text: tooLong, platform }, platform === "instagram" ? /Instagram takes at most 1000/ : /Messenger takes fewer than 2000/],
        [{ text: "hi", tag: "ACCOUNT_UPDATE", platform }, /retired on 27 April 2026/],
        [{ text: "hi", tag: "CUSTOMER_FEEDBACK", platform }, /only tag still accepted/],
        [{ attachment: { type: "image", url: "http://example.com/a.png" }, platform }, /https:\/\//],
        [{ text: "hi", metadata: "m".repeat(1000), platform }, /metadata/],
      ];
      for (const [message, why] of cases) {
        const err = await rejectsWithGraphError(client.sendMessage(account, open.customerId, message), { kind: "invalid_argument" });
        assert.match(err.message, why);
      }
      await rejectsWithGraphError(client.sendMessage(account, "a/b", { text: "hi" }), { kind: "invalid_argument" });
      await rejectsWithGraphError(client.sendAction(account, open.customerId, "typing"), { kind: "invalid_argument" });
      await rejectsWithGraphError(client.react(account, open.customerId, customerMessage(platform, open).id, " "), { kind: "invalid_argument" });
      assert.equal(env.mock.requests.length, 0, "nothing reached the Graph");
      assert.equal(env.mock.sends.length, 0);
    });
  });
}
