// Inbox against the built package and the mock Graph: a synced inbox with
// live events applied on top (each built as Webhook.parse gives it, from a
// body signed as Meta signs it), one message per mid whatever brought it, a
// brand-new person's thread joining its conversation after a later sync,
// what each apply says changed, the same inputs in 200 seeded random orders
// with repeats giving byte-identical snapshots, restore, the message cap,
// and bad input refused with nothing applied.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { GraphClient, GraphError, Inbox, Webhook } from "../../pkg/node.js";
import { IG_ACCOUNT_ID, PAGE_ID, TOKEN, startMockGraph, threads } from "../../mock/server.mjs";
import { echo, edit, entry, envelope, incoming, reaction, readMid, readWatermark, signed, unsend } from "./meta-webhooks.mjs";

const SECRET = "9f3c1e2d4b5a69788796a5b4c3d2e1f0";
const webhook = new Webhook({ appSecret: SECRET });
// The mock's inbox: 6 Messenger and 4 Instagram threads. A first sync with
// updatedSince sees the 5 newest Messenger threads only: the person of the
// 6th is brand new to the inbox until the full sync.
const MESSENGER = threads("messenger", { count: 6 });
const INSTAGRAM = threads("instagram", { count: 4 });
const SINCE = MESSENGER[4].updated_time;
const MAX_ORDERS = 200;

const customerOf = (thread) => thread.participants.data.find((p) => p.id !== PAGE_ID && p.id !== IG_ACCOUNT_ID).id;
const P0 = customerOf(MESSENGER[0]); // an existing thread's person
const P5 = customerOf(MESSENGER[5]); // new until the full sync
const Q0 = customerOf(INSTAGRAM[0]);
const T = Date.UTC(2026, 10, 21, 9, 0, 0); // after everything in the mock
const S = 1000; // a second in ms

let mock;
const synced = {}; // sync results, read once
before(async () => {
  mock = await startMockGraph({ threads: { messenger: 6, instagram: 4 } });
  const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, callsPerSecond: 0 });
  synced.first = await client.syncInbox(PAGE_ID, { updatedSince: SINCE });
  synced.full = await client.syncInbox(PAGE_ID);
  synced.instagram = await client.syncInbox(IG_ACCOUNT_ID, { platform: "instagram" });
});
after(() => mock?.close());

/** The events of a webhook body signed as Meta signs it, checked as a server would. */
function live(platform, account, items) {
  const { body, signature } = signed(envelope(platform, [entry(account, items, { time: T + 10 * 60 * S })]), SECRET);
  assert.ok(webhook.verify(body, signature));
  return Webhook.parse(body);
}

// ---------------------------------------------------------------- the live events

const L = {
  // P0 writes in an existing thread; the Page answers (the echo, and what sendMessage resolved to).
  message: live("messenger", PAGE_ID, [incoming(PAGE_ID, P0, T, { mid: "m_live_p0_1", text: "Is the oat milk flat white back? ☕" })]),
  echo: live("messenger", PAGE_ID, [echo(PAGE_ID, P0, T + 60 * S, { mid: "m_live_p0_2", text: "Yes, since Monday! 😊", metadata: "ticket-42" })]),
  sent: {
    recipientId: P0,
    messageId: "m_live_p0_2",
    message: { id: "m_live_p0_2", created_time: "2026-11-21T09:01:00+0000", from: { id: PAGE_ID }, to: { data: [{ id: P0 }] }, message: "Yes, since Monday! 😊" },
  },
  // Edits, out of order and repeated: the highest count wins.
  edit2: live("messenger", PAGE_ID, [edit(PAGE_ID, P0, T + 150 * S, "m_live_p0_1", "Is the oat milk flat white back? And the chai? ☕", 2)]),
  edit1: live("messenger", PAGE_ID, [edit(PAGE_ID, P0, T + 120 * S, "m_live_p0_1", "Is the oat milk flat white back?? ☕", 1)]),
  // Reactions on the Page's reply: the latest per person wins (👍).
  reactions: live("messenger", PAGE_ID, [
    reaction(PAGE_ID, P0, T + 180 * S, "m_live_p0_2", "react", "❤️"),
    reaction(PAGE_ID, P0, T + 200 * S, "m_live_p0_2", "unreact"),
    reaction(PAGE_ID, P0, T + 240 * S, "m_live_p0_2", "react", "👍"),
  ]),
  read: live("messenger", PAGE_ID, [readWatermark(PAGE_ID, P0, T + 300 * S, T + 60 * S)]),
  // The newest synced message of P0's thread, again by webhook (what a webhook carries of it).
  syncedAgain: live("messenger", PAGE_ID, [incoming(PAGE_ID, P0, Date.parse(MESSENGER[0].messages[0].created_time.replace("+0000", "Z")), {
    mid: MESSENGER[0].messages[0].id, text: MESSENGER[0].messages[0].message,
  })]),
  reactOnSynced: live("messenger", PAGE_ID, [reaction(PAGE_ID, P0, T + 400 * S, MESSENGER[0].messages[1].id, "react", "❤️")]),
  // A person the inbox has not seen: their thread joins its conversation once a sync brings it.
  newPerson: live("messenger", PAGE_ID, [incoming(PAGE_ID, P5, T + 30 * S, { mid: "m_live_p5_1", text: "Hallo! Habt ihr heute offen? 🇩🇪" })]),
  newPersonReply: live("messenger", PAGE_ID, [echo(PAGE_ID, P5, T + 90 * S, { mid: "m_live_p5_2", text: "Ja, bis 18 Uhr!" })]),
  // A message of P0's, then taken back (the Instagram-style unsend Meta also sends for an echo).
  doomed: live("messenger", PAGE_ID, [incoming(PAGE_ID, P0, T + 500 * S, { mid: "m_live_p0_3", text: "oops, wrong chat" })]),
  unsend: live("messenger", PAGE_ID, [unsend(PAGE_ID, P0, T + 510 * S, "m_live_p0_3")]),
};

/** Every Messenger input, each as apply takes it: sync results, single events, a batch, a sent message. */
function messengerInputs() {
  const one = (events) => events[0];
  return [
    synced.first, synced.full,
    one(L.message), one(L.echo), L.sent, one(L.edit2), one(L.edit1), L.reactions, one(L.read),
    one(L.syncedAgain), one(L.reactOnSynced), one(L.newPerson), L.newPersonReply, one(L.doomed), one(L.unsend),
    ...L.reactions, // also one by one
  ];
}

const IL = {
  message: live("instagram", IG_ACCOUNT_ID, [incoming(IG_ACCOUNT_ID, Q0, T, { mid: "aWdfbGl2ZV8x", text: "Oi! Vocês entregam? 🛵" })]),
  echo: live("instagram", IG_ACCOUNT_ID, [echo(IG_ACCOUNT_ID, Q0, T + 30 * S, { mid: "aWdfbGl2ZV8y", text: "Sim! 🙌" })]),
  seen: live("instagram", IG_ACCOUNT_ID, [readMid(IG_ACCOUNT_ID, Q0, T + 40 * S, "aWdfbGl2ZV8y")]),
  like: live("instagram", IG_ACCOUNT_ID, [reaction(IG_ACCOUNT_ID, Q0, T + 50 * S, "aWdfbGl2ZV8y", "react", "❤️")]),
  unsend: live("instagram", IG_ACCOUNT_ID, [unsend(IG_ACCOUNT_ID, Q0, T + 60 * S, "aWdfbGl2ZV8x")]),
  edit: live("instagram", IG_ACCOUNT_ID, [edit(IG_ACCOUNT_ID, Q0, T + 20 * S, "aWdfbGl2ZV8x", "Oi! Vocês entregam hoje?", 1)]),
};

function instagramInputs() {
  return [synced.instagram, ...Object.values(IL).flat(), [...IL.message, ...IL.unsend]];
}

function fed(options, inputs) {
  const inbox = new Inbox(options);
  for (const input of inputs) inbox.apply(input);
  return inbox;
}

const allMids = (inbox) => inbox.conversations().flatMap((c) => c.messages.map((m) => m.id));
const messageOf = (inbox, id, mid) => inbox.conversation(id)?.messages.find((m) => m.id === mid);
const EMPTY = { conversations: { added: [], updated: [], removed: [] }, messages: { added: [], updated: [], removed: [] } };

// ---------------------------------------------------------------- history and live in one view

describe("a synced Messenger inbox with live events on top", () => {
  test("one message per mid, whatever brought it; the new person's thread joins its conversation", () => {
    const inbox = fed({ accountId: PAGE_ID, platform: "messenger" }, messengerInputs());
    const conversations = inbox.conversations();
    assert.deepEqual(
      conversations.map((c) => c.id).sort(),
      MESSENGER.map((t) => t.id).sort(),
      "the 6 synced threads, the new person's live thread joined to its own",
    );
    const mids = allMids(inbox);
    assert.equal(new Set(mids).size, mids.length, "no mid twice");

    // P0's thread: the synced messages, the live message edited, the reply once (echo + sent).
    const p0 = inbox.conversation(P0);
    assert.equal(p0.id, MESSENGER[0].id, "found by the person's id");
    assert.equal(p0.customer_id, P0);
    assert.deepEqual(p0.messages.slice(0, 2).map((m) => m.id), ["m_live_p0_2", "m_live_p0_1"], "newest first");
    assert.equal(p0.messages.length, 20 + 2, "20 synced, 2 live; the unsent one is gone");
    assert.equal(p0.updated_time, "2026-11-21T09:01:00+0000", "activity: the newest message shown");
    const reply = p0.messages[0];
    assert.equal(reply.message, "Yes, since Monday! 😊");
    assert.deepEqual(reply.from, { id: PAGE_ID });
    assert.deepEqual(reply.reactions, { data: [{ reaction: "👍", users: [{ id: P0 }] }] }, "the latest reaction of the person");
    const edited = p0.messages[1];
    assert.equal(edited.message, "Is the oat milk flat white back? And the chai? ☕", "the highest edit count");
    assert.equal(edited.edit_count, 2);
    assert.equal(p0.read_watermark, T + 60 * S);
    assert.equal(messageOf(inbox, P0, "m_live_p0_3"), undefined, "unsent stays unsent");

    // The synced message that also came by webhook: one message, the sync's richer fields kept.
    const newestSynced = MESSENGER[0].messages[0];
    const merged = messageOf(inbox, P0, newestSynced.id);
    assert.equal(mids.filter((m) => m === newestSynced.id).length, 1);
    assert.equal(merged.from.name, newestSynced.from.name, "the sync's name is kept beside the webhook's copy");
    assert.deepEqual(merged.tags, newestSynced.tags);
    assert.equal(merged.message, newestSynced.message);
    const reacted = messageOf(inbox, P0, MESSENGER[0].messages[1].id);
    assert.ok(reacted.reactions.data.some((r) => r.reaction === "❤️" && r.users.some((u) => u.id === P0)), "a live reaction on a synced message");

    // The new person's thread: live messages and the synced ones, under the thread's id.
    const p5 = inbox.conversation(P5);
    assert.equal(p5.id, MESSENGER[5].id);
    assert.equal(inbox.conversation(MESSENGER[5].id).id, MESSENGER[5].id);
    assert.deepEqual(p5.messages.slice(0, 2).map((m) => m.id), ["m_live_p5_2", "m_live_p5_1"]);
    assert.equal(p5.messages.length, Math.min(20, MESSENGER[5].messages.length) + 2);
    assert.deepEqual(
      conversations.slice(0, 3).map((c) => c.id),
      [MESSENGER[5].id, MESSENGER[0].id, MESSENGER[1].id],
      "newest activity first: the new person's reply (09:01:30), P0's (09:01:00), then the mock's order",
    );
  });

  test("apply says what changed, step by step", () => {
    const inbox = new Inbox({ accountId: PAGE_ID });
    let changes = inbox.apply(synced.first);
    assert.deepEqual(changes.conversations.added.sort(), MESSENGER.slice(0, 5).map((t) => t.id).sort());
    assert.equal(changes.messages.added.length, synced.first.conversations.reduce((n, c) => n + c.messages.length, 0));
    assert.deepEqual(inbox.apply(synced.first), EMPTY, "the same sync again changes nothing");

    changes = inbox.apply(L.newPerson);
    assert.deepEqual(changes.conversations, { added: [P5], updated: [], removed: [] }, "keyed by the person until a sync");
    assert.deepEqual(changes.messages, { added: ["m_live_p5_1"], updated: [], removed: [] });
    assert.deepEqual(inbox.apply(L.newPerson), EMPTY, "a redelivered event changes nothing");
    changes = inbox.apply(L.newPersonReply);
    assert.deepEqual(changes.conversations, { added: [], updated: [P5], removed: [] });
    assert.deepEqual(changes.messages.added, ["m_live_p5_2"]);

    // P0's synced thread: its first live event updates it with one message.
    changes = inbox.apply(L.message);
    assert.deepEqual(changes.conversations, { added: [], updated: [MESSENGER[0].id], removed: [] });
    assert.deepEqual(changes.messages, { added: ["m_live_p0_1"], updated: [], removed: [] });
    assert.deepEqual(inbox.apply(L.message), EMPTY, "a redelivered event changes nothing");
    changes = inbox.apply(L.echo);
    assert.deepEqual(changes.conversations, { added: [], updated: [MESSENGER[0].id], removed: [] });
    assert.deepEqual(changes.messages, { added: ["m_live_p0_2"], updated: [], removed: [] });
    changes = inbox.apply(L.sent);
    assert.deepEqual(changes.messages.added, [], "the echo and what sendMessage returned are one message");
    assert.deepEqual(changes.messages.removed, []);

    assert.deepEqual(inbox.apply(L.edit1).messages, { added: [], updated: ["m_live_p0_1"], removed: [] });
    assert.deepEqual(inbox.apply(L.edit2).messages.updated, ["m_live_p0_1"]);
    assert.deepEqual(inbox.apply(L.edit1), EMPTY, "an older edit arriving late changes nothing");
    assert.deepEqual(inbox.apply(L.reactions).messages.updated, ["m_live_p0_2"]);
    changes = inbox.apply(L.read);
    assert.deepEqual(changes.conversations.updated, [MESSENGER[0].id]);
    assert.deepEqual(changes.messages, EMPTY.messages);

    changes = inbox.apply(synced.full);
    assert.deepEqual(changes.conversations.removed, [P5]);
    assert.deepEqual(changes.conversations.added, [MESSENGER[5].id]);
    assert.deepEqual(
      changes.messages.added.sort(),
      synced.full.conversations.find((c) => c.id === MESSENGER[5].id).messages.map((m) => m.id).sort(),
      "the thread's synced messages are new; the live ones moved, they are not",
    );
    assert.deepEqual(changes.messages.removed, []);

    assert.deepEqual(inbox.apply(L.doomed).messages.added, ["m_live_p0_3"]);
    assert.deepEqual(inbox.apply(L.unsend).messages, { added: [], updated: [], removed: ["m_live_p0_3"] });
    assert.deepEqual(inbox.apply(L.doomed), EMPTY, "the message redelivered after its unsend stays unsent");
  });

  test("the first live event in a synced conversation updates it", () => {
    const inbox = new Inbox({ accountId: PAGE_ID });
    inbox.apply(synced.first);
    const changes = inbox.apply(L.message);
    assert.deepEqual(changes.conversations, { added: [], updated: [MESSENGER[0].id], removed: [] });
    assert.deepEqual(changes.messages, { added: ["m_live_p0_1"], updated: [], removed: [] });
  });
});

describe("a synced Instagram inbox with live events on top", () => {
  test("unsend, seen by mid, echo, reaction, edit", () => {
    const inbox = fed({ accountId: IG_ACCOUNT_ID, platform: "instagram" }, instagramInputs());
    const q0 = inbox.conversation(Q0);
    assert.equal(q0.id, INSTAGRAM[0].id);
    assert.deepEqual(q0.messages[0].id, "aWdfbGl2ZV8y");
    assert.deepEqual(q0.messages[0].reactions, { data: [{ reaction: "❤️", users: [{ id: Q0 }] }] });
    assert.equal(messageOf(inbox, Q0, "aWdfbGl2ZV8x"), undefined, "the unsent message is gone, edit or not");
    assert.equal(q0.read_watermark, Date.parse("2026-11-21T09:00:30Z"), "seen up to the echo: its time");
    assert.equal(inbox.conversations().length, INSTAGRAM.length);
    const mids = allMids(inbox);
    assert.equal(new Set(mids).size, mids.length);
  });
});

// ---------------------------------------------------------------- order and repetition

/** A small seeded PRNG (mulberry32): the same orders every run. */
function prng(seed) {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** `inputs` shuffled, with up to `inputs.length` of them repeated at random places. */
function shuffledWithRepeats(inputs, next) {
  const order = [...inputs];
  for (let k = next(inputs.length + 1); k > 0; k--) order.splice(next(order.length + 1), 0, inputs[next(inputs.length)]);
  for (let i = order.length - 1; i > 0; i--) {
    const j = next(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function assertOrderFree(options, inputs, runs, seed) {
  const reference = fed(options, inputs);
  const snapshot = reference.snapshot();
  const conversations = reference.conversations();
  const next = prng(seed);
  for (let run = 0; run < runs; run++) {
    const order = shuffledWithRepeats(inputs, next);
    const inbox = fed(options, order);
    const got = inbox.snapshot();
    if (got !== snapshot) {
      assert.fail(`order ${run} (seed ${seed}) gave another snapshot: ${order.length} inputs, ` +
        `first difference at ${[...got].findIndex((c, i) => c !== snapshot[i])}`);
    }
    assert.deepEqual(inbox.conversations(), conversations, `order ${run}: the same conversations`);
  }
  return reference;
}

describe("order and repetition do not matter", () => {
  test(`Messenger: ${MAX_ORDERS} random orders with repeats give byte-identical snapshots`, () => {
    const inbox = assertOrderFree({ accountId: PAGE_ID }, messengerInputs(), MAX_ORDERS, 20261121);
    assert.equal(inbox.conversations().length, 6);
  });

  test("Messenger with a cap of 3 messages: 50 random orders, still byte-identical", () => {
    const inbox = assertOrderFree({ accountId: PAGE_ID, maxMessagesPerConversation: 3 }, messengerInputs(), 50, 7);
    assert.ok(inbox.conversations().every((c) => c.messages.length <= 3));
  });

  test("Instagram: 50 random orders with repeats give byte-identical snapshots", () => {
    assertOrderFree({ accountId: IG_ACCOUNT_ID, platform: "instagram" }, instagramInputs(), 50, 42);
  });

  test("the cap decides the same way when two copies of a message disagree on its second", () => {
    const at = Date.UTC(2026, 10, 21, 10, 0, 0);
    // sendMessage resolved with 10:00:02; the echo of the same message says 10:00:01.950; the person wrote at 10:00:01.200.
    const sent = {
      recipientId: P0, messageId: "m_reply",
      message: { id: "m_reply", created_time: "2026-11-21T10:00:02+0000", from: { id: PAGE_ID }, to: { data: [{ id: P0 }] }, message: "On our way" },
    };
    const [echoed] = live("messenger", PAGE_ID, [echo(PAGE_ID, P0, at + 1950, { mid: "m_reply", text: "On our way" })]);
    const [message] = live("messenger", PAGE_ID, [incoming(PAGE_ID, P0, at + 1200, { mid: "m_zzz", text: "Where is my order?" })]);
    const options = { accountId: PAGE_ID, maxMessagesPerConversation: 1 };
    assert.equal(fed(options, [sent, message, echoed]).snapshot(), fed(options, [sent, echoed, message]).snapshot());
  });
});

// ---------------------------------------------------------------- restore, cap, bad input

test("Inbox.restore(snapshot) gives the same inbox, which goes on like the original", () => {
  const inputs = messengerInputs();
  const original = fed({ accountId: PAGE_ID }, inputs.slice(0, 8));
  const snapshot = original.snapshot();
  assert.equal(typeof snapshot, "string");
  const restored = Inbox.restore(snapshot);
  assert.equal(restored.snapshot(), snapshot);
  assert.deepEqual(restored.conversations(), original.conversations());
  for (const input of inputs.slice(8)) assert.deepEqual(restored.apply(input), original.apply(input));
  assert.equal(restored.snapshot(), original.snapshot());
  assert.equal(Inbox.restore(restored.snapshot()).snapshot(), fed({ accountId: PAGE_ID }, inputs).snapshot());

  const capped = fed({ accountId: IG_ACCOUNT_ID, platform: "instagram", maxMessagesPerConversation: 2 }, instagramInputs());
  const back = Inbox.restore(capped.snapshot());
  assert.deepEqual(back.conversations(), capped.conversations(), "the platform and the cap come back too");
  assert.deepEqual(back.apply(synced.instagram), EMPTY);
});

test("maxMessagesPerConversation keeps the newest messages of each conversation", () => {
  const inbox = new Inbox({ accountId: PAGE_ID, maxMessagesPerConversation: 3 });
  inbox.apply(synced.full);
  for (const thread of MESSENGER) {
    assert.deepEqual(inbox.conversation(thread.id).messages.map((m) => m.id), thread.messages.slice(0, 3).map((m) => m.id), thread.id);
  }
  const [newest, second, third, dropped] = MESSENGER[0].messages.map((m) => m.id);
  inbox.apply(L.message);
  assert.deepEqual(inbox.conversation(P0).messages.map((m) => m.id), ["m_live_p0_1", newest, second], "a newer message makes room");
  let changes = inbox.apply(L.doomed);
  assert.deepEqual(changes.messages, { added: ["m_live_p0_3"], updated: [], removed: [second] });
  assert.ok(!allMids(inbox).includes(third));
  // An event about a message outside the window changes nothing shown.
  const late = live("messenger", PAGE_ID, [edit(PAGE_ID, P0, T + 600 * S, dropped, "edited long after", 1)]);
  assert.deepEqual(inbox.apply(late), EMPTY);
  assert.equal(inbox.conversation(P0).messages.length, 3);

  const one = new Inbox({ accountId: PAGE_ID, maxMessagesPerConversation: 1 });
  one.apply(synced.full);
  assert.ok(one.conversations().every((c) => c.messages.length === 1));
  const many = new Inbox({ accountId: PAGE_ID, maxMessagesPerConversation: 10_000 });
  many.apply(synced.full);
  assert.equal(allMids(many).length, synced.full.conversations.reduce((n, c) => n + c.messages.length, 0));
});

test("bad input throws a GraphError of kind invalid_argument, having applied nothing", () => {
  const inbox = fed({ accountId: PAGE_ID }, [synced.first, L.message]);
  const before = inbox.snapshot();
  for (const input of [
    undefined, null, 42, "m_live_p0_1", true, {}, { hello: "world" },
    { kind: "nonsense", platform: "messenger", accountId: PAGE_ID, customerId: P0, timestamp: T, standby: false, raw: {} },
    { ...L.echo[0], platform: "whatsapp" },
    [L.echo[0], { hello: "world" }],
    [L.echo[0], null],
    { conversations: "t_1" },
  ]) {
    let error;
    assert.throws(() => inbox.apply(input), (err) => (error = err, true));
    assert.ok(error instanceof GraphError, `${JSON.stringify(input)?.slice(0, 60)}: ${error}`);
    assert.equal(error.kind, "invalid_argument", error.message);
    assert.equal(inbox.snapshot(), before, "nothing applied, not even the good part of a list");
  }
  assert.deepEqual(inbox.apply([]), EMPTY, "an empty list is nothing to apply");

  for (const snapshot of ["", "not json", "{}", "[]", "null", '{"graphConversationsInbox":2}', JSON.stringify(synced.first)]) {
    let error;
    assert.throws(() => Inbox.restore(snapshot), (err) => (error = err, true));
    assert.ok(error instanceof GraphError && error.kind === "invalid_argument", `restore(${snapshot.slice(0, 30)}): ${error}`);
  }
});

test("bad constructor options throw a GraphError of kind invalid_argument", () => {
  for (const options of [
    undefined, null, "104620945892041", {},
    { accountId: "" }, { accountId: 104620945892041 }, { accountId: null },
    { accountId: PAGE_ID, platform: "whatsapp" }, { accountId: PAGE_ID, platform: 1 },
    { accountId: PAGE_ID, maxMessagesPerConversation: 0 },
    { accountId: PAGE_ID, maxMessagesPerConversation: -5 },
    { accountId: PAGE_ID, maxMessagesPerConversation: 10_001 },
    { accountId: PAGE_ID, maxMessagesPerConversation: 2.5 },
    { accountId: PAGE_ID, maxMessagesPerConversation: Number.NaN },
    { accountId: PAGE_ID, maxMessagesPerConversation: "20" },
    { accountId: PAGE_ID, maxMessages: 20 },
    { pageId: PAGE_ID },
  ]) {
    let error;
    assert.throws(() => new Inbox(options), (err) => (error = err, true), JSON.stringify(options));
    assert.ok(error instanceof GraphError, `${JSON.stringify(options)}: ${error}`);
    assert.equal(error.kind, "invalid_argument", `${JSON.stringify(options)}: ${error.message}`);
  }
  for (const options of [
    { accountId: "me" },
    { accountId: PAGE_ID, platform: undefined, maxMessagesPerConversation: undefined },
    { accountId: IG_ACCOUNT_ID, platform: "instagram", maxMessagesPerConversation: 10_000 },
  ]) {
    assert.deepEqual(new Inbox(options).conversations(), []);
  }
});
