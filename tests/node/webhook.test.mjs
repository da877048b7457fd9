// Webhook against the built package: the whole exchange through handle()
// with real Fetch-API Requests (the handshake, signed POSTs, every refusal
// and its status), verify() over the raw bytes in every form a framework
// hands them over, and Webhook.parse() on bodies in the shapes Meta sends:
// several entries and items in order, every event kind of Messenger and
// Instagram, and bodies too large or too deep refused quickly.
//
// Bodies are built here and signed as Meta signs them (meta-webhooks.mjs):
// escaped unicode, escaped slashes, HMAC-SHA256 with the app secret.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { describe, test } from "node:test";
import { GraphError, Webhook } from "../../pkg/node.js";
import {
  echo, edit, entry, envelope, incoming, item, metaJson, reaction, readMid, readWatermark, sign, signSha1, signed, unsend,
} from "./meta-webhooks.mjs";

const SECRET = "9f3c1e2d4b5a69788796a5b4c3d2e1f0"; // an app secret's shape: 32 hex digits
const OLD_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const VERIFY_TOKEN = "harbor-lane-verify-7Qx";
const PAGE = "104620945892041";
const IG = "17841400000000001";
const PSID = "5120094478812093";
const IGSID = "6234110987654321";
const T = Date.UTC(2026, 10, 21, 9, 30, 0); // ms
const URL_BASE = "https://hooks.example.com/meta/webhook";

const webhook = new Webhook({ appSecret: SECRET, verifyToken: VERIFY_TOKEN });
const mid = (n) => `m_gIKmXqQ7r9${n}Tq2Vb0YfZ1uW3aHc8JdLsEoNpRtUy4xK6vBnM5lG_${n}`;
const igMid = (n) => Buffer.from(`ig_message_item:1:IGMessageThread:${IG}:340282366841710301244259${n}`).toString("base64url");

function post(body, headers = {}) {
  return new Request(URL_BASE, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

function handshake(token, challenge = "1158201444") {
  const query = new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge });
  return new Request(`${URL_BASE}?${query}`);
}

/** handle(request) → { status, type, text, events }. */
async function exchange(request, hook = webhook) {
  const { response, events } = await hook.handle(request);
  assert.ok(response instanceof Response, "handle resolves to a Fetch-API Response");
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text(), events };
}

function assertGraphError(fn, kind, pattern) {
  let error;
  assert.throws(fn, (err) => {
    error = err;
    return true;
  });
  assert.ok(error instanceof GraphError, `a GraphError, got ${error?.constructor?.name}: ${error}`);
  assert.ok(error instanceof Error);
  assert.equal(error.kind, kind, error.message);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

const textMessage = (customer = PSID, n = 1, text = "Is the blue one in stock?") =>
  envelope("messenger", [entry(PAGE, [incoming(PAGE, customer, T + n, { mid: mid(n), text })], { time: T + n + 50 })]);

// ---------------------------------------------------------------- handle()

describe("handle(request)", () => {
  test("the handshake: the right verify token answers 200 with the challenge as text/plain", async () => {
    const r = await exchange(handshake(VERIFY_TOKEN, "1158201444"));
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/plain/);
    assert.equal(r.text, "1158201444");
    assert.deepEqual(r.events, []);
  });

  test("the handshake: a wrong or missing token, or no verifyToken configured, answers 403", async () => {
    for (const request of [
      handshake("wrong-token"),
      handshake(""),
      new Request(`${URL_BASE}?hub.mode=subscribe&hub.challenge=1158201444`),
      new Request(`${URL_BASE}?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`),
      new Request(URL_BASE),
    ]) {
      const r = await exchange(request);
      assert.equal(r.status, 403, request.url);
      assert.ok(!r.text.includes("1158201444"), "the challenge is not echoed to a wrong token");
      assert.deepEqual(r.events, []);
    }
    const noToken = new Webhook({ appSecret: SECRET });
    assert.equal((await exchange(handshake(VERIFY_TOKEN), noToken)).status, 403, "no verifyToken: no handshake");
  });

  test("a signed POST answers 200 and resolves to its events", async () => {
    const { body, signature } = signed(textMessage(), SECRET);
    const r = await exchange(post(body, { "x-hub-signature-256": signature }));
    assert.equal(r.status, 200);
    assert.equal(r.events.length, 1);
    const [event] = r.events;
    assert.equal(event.kind, "message");
    assert.equal(event.mid, mid(1));
    assert.equal(event.message.message, "Is the blue one in stock?");
    // Header names are case-insensitive; Meta sends the legacy SHA-1 one beside it.
    const again = await exchange(post(body, { "X-Hub-Signature-256": signature, "X-Hub-Signature": signSha1(body, SECRET) }));
    assert.equal(again.status, 200);
    assert.equal(again.events.length, 1);
  });

  test("a missing, malformed or wrong signature answers 401 and gives no events", async () => {
    const { body, signature } = signed(textMessage(), SECRET);
    const hex = signature.slice("sha256=".length);
    const cases = {
      "no header": {},
      "signed with another secret": { "x-hub-signature-256": sign(body, "another-app-secret-000000000000") },
      "a signature of other bytes": { "x-hub-signature-256": sign(body.replace("blue", "red!"), SECRET) },
      "sha1= alone (the legacy header's value)": { "x-hub-signature-256": signSha1(body, SECRET) },
      "only the legacy X-Hub-Signature header": { "x-hub-signature": signSha1(body, SECRET) },
      "sha256= with nothing": { "x-hub-signature-256": "sha256=" },
      "63 hex digits": { "x-hub-signature-256": `sha256=${hex.slice(1)}` },
      "65 hex digits": { "x-hub-signature-256": `sha256=${hex}0` },
      "128 hex digits": { "x-hub-signature-256": `sha256=${hex}${hex}` },
      "non-hex characters": { "x-hub-signature-256": `sha256=${hex.slice(0, 62)}zz` },
      "the hex without sha256=": { "x-hub-signature-256": hex },
      "an empty header": { "x-hub-signature-256": "" },
    };
    for (const [why, headers] of Object.entries(cases)) {
      const r = await exchange(post(body, headers));
      assert.equal(r.status, 401, why);
      assert.deepEqual(r.events, [], why);
      assert.match(r.text, /X-Hub-Signature-256/, `${why}: the answer says what is wrong`);
    }
  });

  test("a signed body that is not JSON, or not a Messenger or Instagram webhook, answers 400", async () => {
    for (const body of [
      "not json at all",
      '{"object":"page","entry":[',
      "[]",
      "{}",
      '{"object":"whatsapp_business_account","entry":[]}',
      '{"object":"page"}',
      '{"object":"page","entry":{}}',
      "",
    ]) {
      const r = await exchange(post(body, { "x-hub-signature-256": sign(body, SECRET) }));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.events, []);
      assert.match(r.text, /^Bad Request: /, "the answer says why");
    }
  });

  test("other methods answer 405", async () => {
    const { body, signature } = signed(textMessage(), SECRET);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const r = await exchange(new Request(URL_BASE, { method, body, headers: { "x-hub-signature-256": signature } }));
      assert.equal(r.status, 405, method);
      assert.deepEqual(r.events, []);
    }
    assert.equal((await exchange(new Request(URL_BASE, { method: "OPTIONS" }))).status, 405);
  });

  test("neither the app secret nor the verify token ever appears in an answer", async () => {
    const { body, signature } = signed(textMessage(), SECRET);
    const requests = [
      handshake(VERIFY_TOKEN, "42"),
      handshake(`${VERIFY_TOKEN}x`),
      post(body, { "x-hub-signature-256": signature }),
      post(body, {}),
      post(body, { "x-hub-signature-256": sign(body, OLD_SECRET) }),
      post("nope", { "x-hub-signature-256": sign("nope", SECRET) }),
      new Request(URL_BASE, { method: "PUT", body }),
    ];
    const statuses = [];
    for (const request of requests) {
      const r = await exchange(request);
      statuses.push(r.status);
      for (const secret of [SECRET, VERIFY_TOKEN, SECRET.toUpperCase()]) {
        assert.ok(!r.text.includes(secret), `a ${r.status} answer carries no secret: ${r.text}`);
      }
    }
    assert.deepEqual(statuses, [200, 403, 200, 401, 401, 400, 405]);
  });
});

// ---------------------------------------------------------------- the signature

describe("the signature is over the bytes as received", () => {
  const unicode = envelope("instagram", [
    entry(IG, [incoming(IG, IGSID, T, {
      mid: igMid(1),
      text: "Grüße aus Zürich 😀👍🏽 — ça coûte combien ? 你好 https://harborlane.example/menu",
    })]),
  ]);

  test("Meta's escaped-unicode bytes verify; the same JSON re-serialised does not", async () => {
    const { body, signature } = signed(unicode, SECRET);
    assert.match(body, /\\u00fc/, "the body has Meta's \\u escapes");
    assert.match(body, /\\ud83d\\ude00/, "an emoji as an escaped surrogate pair");
    assert.match(body, /https:\\\/\\\//, "slashes escaped");
    assert.equal(webhook.verify(body, signature), true);

    const reserialised = JSON.stringify(JSON.parse(body));
    assert.notEqual(reserialised, body);
    assert.equal(webhook.verify(reserialised, signature), false);
    assert.equal(webhook.verify(Buffer.from(reserialised), signature), false);

    const ok = await exchange(post(body, { "x-hub-signature-256": signature }));
    assert.equal(ok.status, 200);
    assert.equal(ok.events[0].message.message, unicode.entry[0].messaging[0].message.text, "the escapes read back as the text");
    const refused = await exchange(post(reserialised, { "x-hub-signature-256": signature }));
    assert.equal(refused.status, 401);
  });

  test("verify() takes a string, a Buffer, a Uint8Array (also a view into a larger buffer), an ArrayBuffer, a DataView", () => {
    const { body, signature } = signed(unicode, SECRET);
    const bytes = new TextEncoder().encode(body);
    const padded = new Uint8Array(bytes.length + 37);
    padded.set(bytes, 17);
    const forms = {
      string: body,
      Buffer: Buffer.from(body),
      "Buffer from the pool (non-zero byteOffset)": Buffer.from(body, "utf8"),
      Uint8Array: bytes,
      "Uint8Array at an offset": padded.subarray(17, 17 + bytes.length),
      ArrayBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      DataView: new DataView(padded.buffer, 17, bytes.length),
    };
    for (const [form, raw] of Object.entries(forms)) {
      assert.equal(webhook.verify(raw, signature), true, form);
      assert.equal(webhook.verify(raw, sign(body, OLD_SECRET)), false, `${form}, other secret`);
    }
    // The whole padded buffer is other bytes.
    assert.equal(webhook.verify(padded, signature), false);
    assert.equal(webhook.verify(body, null), false);
    assert.equal(webhook.verify(body, undefined), false);
    assert.equal(webhook.verify(body, `  ${signature}  `), true, "surrounding whitespace is tolerated");
    assert.equal(webhook.verify(body, `sha256=${signature.slice(7).toUpperCase()}`), true, "upper-case hex");
  });

  test("verify() given parsed JSON throws a GraphError that says to pass the raw body", () => {
    const { body, signature } = signed(unicode, SECRET);
    for (const parsed of [JSON.parse(body), [], 42, null, undefined]) {
      const error = assertGraphError(() => webhook.verify(parsed, signature), "invalid_argument", /raw body/);
      assert.ok(!error.message.includes(SECRET));
    }
  });

  test("two secrets (rotation): a body signed with either verifies, with neither not", async () => {
    const rotating = new Webhook({ appSecret: [OLD_SECRET, SECRET] });
    const body = metaJson(textMessage());
    assert.equal(rotating.verify(body, sign(body, OLD_SECRET)), true);
    assert.equal(rotating.verify(body, sign(body, SECRET)), true);
    assert.equal(rotating.verify(body, sign(body, "a-third-secret-aaaaaaaaaaaaaaaa")), false);
    for (const secret of [OLD_SECRET, SECRET]) {
      const r = await exchange(post(body, { "x-hub-signature-256": sign(body, secret) }), rotating);
      assert.equal(r.status, 200);
      assert.equal(r.events.length, 1);
    }
    assert.equal(new Webhook({ appSecret: SECRET }).verify(body, sign(body, OLD_SECRET)), false, "one secret: only it");
  });
});

// ---------------------------------------------------------------- challenge()

describe("challenge(url)", () => {
  const query = `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`;

  test("a query string or a URL string: the challenge, or null-ish for a wrong token", () => {
    assert.equal(webhook.challenge(query), "1158201444");
    assert.equal(webhook.challenge(`?${query}`), "1158201444");
    assert.equal(webhook.challenge(`${URL_BASE}?${query}`), "1158201444");
    assert.equal(webhook.challenge(`${URL_BASE}?hub.mode=subscribe&hub.verify_token=my%20token&hub.challenge=7`) ?? null, null);
    assert.equal(webhook.challenge(query.replace(VERIFY_TOKEN, "nope")) ?? null, null);
  });

  test("a URL or URLSearchParams object, as the types and API.md allow", () => {
    assert.equal(webhook.challenge(new URL(`${URL_BASE}?${query}`)), "1158201444");
    assert.equal(webhook.challenge(new URLSearchParams(query)), "1158201444");
  });

  test("a refusal is null, as API.md and the doc comment say, and the .d.ts admits it", () => {
    assert.equal(webhook.challenge(query.replace(VERIFY_TOKEN, "nope")), null);
    const dts = readFileSync(new URL("../../pkg/graph_conversations.d.ts", import.meta.url), "utf8");
    assert.match(dts, /challenge\(url: string \| URL \| URLSearchParams\): string \| null;/);
  });
});

// ---------------------------------------------------------------- parse()

describe("Webhook.parse", () => {
  test("several entries with several items: one event per item, in the order sent", () => {
    const other = "109876543210987";
    const body = envelope("messenger", [
      entry(PAGE, [
        incoming(PAGE, PSID, T + 1, { mid: mid(1), text: "first" }),
        readWatermark(PAGE, PSID, T + 2, T),
        incoming(PAGE, "5120094478812094", T + 3, { mid: mid(3), text: "third" }),
      ]),
      entry(other, [
        echo(other, PSID, T + 4, { mid: mid(4), text: "fourth" }),
        incoming(other, "5120094478812095", T + 5, { mid: mid(5), text: "fifth" }),
      ]),
      entry(PAGE, [reaction(PAGE, PSID, T + 6, mid(1), "react", "❤️")]),
    ]);
    const events = Webhook.parse(metaJson(body));
    assert.deepEqual(
      events.map((e) => [e.kind, e.accountId, e.customerId, e.timestamp]),
      [
        ["message", PAGE, PSID, T + 1],
        ["read", PAGE, PSID, T + 2],
        ["message", PAGE, "5120094478812094", T + 3],
        ["echo", other, PSID, T + 4],
        ["message", other, "5120094478812095", T + 5],
        ["reaction", PAGE, PSID, T + 6],
      ],
    );
    // A string, bytes or the parsed object: the same events.
    assert.deepEqual(Webhook.parse(Buffer.from(metaJson(body))), events);
    assert.deepEqual(Webhook.parse(new TextEncoder().encode(metaJson(body)).buffer), events);
    assert.deepEqual(Webhook.parse(JSON.parse(metaJson(body))), events);
  });

  test("a message with attachments, quick reply and reply_to reads as a Graph Message node", () => {
    const message = {
      mid: mid(7),
      text: "Here are the photos ä 😀",
      quick_reply: { payload: "STOCK_BLUE" },
      reply_to: { mid: mid(6) },
      attachments: [
        { type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg?_nc_cat=1&oh=03_x" } },
        { type: "video", payload: { url: "https://video.xx.fbcdn.net/v/t42.3356-2/clip.mp4" } },
        { type: "audio", payload: { url: "https://cdn.fbsbx.com/v/t59.3654-21/voice.mp4" } },
        { type: "file", payload: { url: "https://cdn.fbsbx.com/v/t59.2708-21/invoice.pdf" } },
        { type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t39.1997-6/thumbsup.png", sticker_id: 369239263222822 } },
        { type: "fallback", payload: { url: "https://harborlane.example/menu", title: "Autumn menu" } },
      ],
    };
    const [event] = Webhook.parse(metaJson(envelope("messenger", [entry(PAGE, [incoming(PAGE, PSID, T, message)])])));
    assert.equal(event.kind, "message");
    assert.equal(event.platform, "messenger");
    assert.equal(event.accountId, PAGE);
    assert.equal(event.customerId, PSID);
    assert.equal(event.mid, mid(7));
    assert.equal(event.timestamp, T);
    assert.equal(event.standby, false);
    const m = event.message;
    assert.equal(m.id, mid(7));
    assert.equal(m.created_time, "2026-11-21T09:30:00+0000");
    assert.deepEqual(m.from, { id: PSID });
    assert.deepEqual(m.to, { data: [{ id: PAGE }] });
    assert.equal(m.message, "Here are the photos ä 😀");
    assert.deepEqual(m.reply_to, { mid: mid(6) });
    assert.deepEqual(m.quick_reply, { payload: "STOCK_BLUE" });
    const data = m.attachments.data;
    assert.equal(data.length, 6);
    assert.equal(data[0].image_data.url, message.attachments[0].payload.url, "escaped slashes read back");
    assert.equal(data[1].video_data.url, message.attachments[1].payload.url);
    assert.equal(data[2].file_url, message.attachments[2].payload.url);
    assert.equal(data[3].file_url, message.attachments[3].payload.url);
    assert.equal(data[4].type, "sticker");
    assert.equal(data[4].sticker_id, "369239263222822", "a numeric sticker id as text");
    assert.equal(data[5].title, "Autumn menu", "another type keeps its payload's fields");
    assert.equal(m.name, undefined, "what a webhook does not carry is absent");
    assert.deepEqual(event.raw, JSON.parse(metaJson(envelope("messenger", [entry(PAGE, [incoming(PAGE, PSID, T, message)])]))).entry[0].messaging[0]);
  });

  test("Messenger: echo, edit, reaction and unreaction, read watermark, delivery, postback, referral", () => {
    const body = envelope("messenger", [entry(PAGE, [
      echo(PAGE, PSID, T + 1, { mid: mid(10), text: "Yes, in stock!", metadata: "ticket-42" }),
      edit(PAGE, PSID, T + 2, mid(9), "Is the red one in stock?", 1),
      reaction(PAGE, PSID, T + 3, mid(10), "react", "❤️"),
      reaction(PAGE, PSID, T + 4, mid(10), "unreact"),
      readWatermark(PAGE, PSID, T + 5, T + 1),
      item(PSID, PAGE, T + 6, { delivery: { mids: [mid(10)], watermark: T + 1, seq: 37 } }),
      item(PSID, PAGE, T + 7, { postback: { mid: mid(11), title: "Get started", payload: "GET_STARTED" } }),
      item(PSID, PAGE, T + 8, { referral: { ref: "autumn-ad", source: "ADS", type: "OPEN_THREAD", ad_id: "6045246247433" } }),
    ])]);
    const events = Webhook.parse(metaJson(body));
    assert.deepEqual(events.map((e) => e.kind), ["echo", "edit", "reaction", "reaction", "read", "delivery", "postback", "referral"]);
    assert.ok(events.every((e) => e.customerId === PSID && e.accountId === PAGE && e.platform === "messenger"));
    const [ech, ed, react, unreact, read, delivery, postback, referral] = events;
    assert.equal(ech.mid, mid(10));
    assert.deepEqual(ech.message.from, { id: PAGE }, "an echo is from the Page");
    assert.deepEqual(ech.message.to, { data: [{ id: PSID }] });
    assert.equal(ech.message.metadata, "ticket-42");
    assert.deepEqual([ed.mid, ed.text, ed.editCount], [mid(9), "Is the red one in stock?", 1]);
    assert.deepEqual(react.reaction, { action: "react", reaction: "love", emoji: "❤️" });
    assert.equal(react.mid, mid(10));
    assert.deepEqual(unreact.reaction, { action: "unreact" });
    assert.equal(read.watermark, T + 1);
    assert.deepEqual([delivery.mid, delivery.watermark], [mid(10), T + 1]);
    assert.equal(postback.mid, mid(11));
    assert.equal(postback.raw.postback.payload, "GET_STARTED");
    assert.equal(referral.raw.referral.ref, "autumn-ad");
    assert.deepEqual(events.map((e) => e.timestamp), [1, 2, 3, 4, 5, 6, 7, 8].map((n) => T + n));
  });

  test("Instagram: share, story reply and mention, reel, unsupported, unsend, read by mid, echo, edit in seconds", () => {
    const story = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18074819347285670&signature=AbC";
    const body = envelope("instagram", [entry(IG, [
      incoming(IG, IGSID, T + 1, { mid: igMid(1), attachments: [{ type: "share", payload: { url: story } }] }),
      incoming(IG, IGSID, T + 2, { mid: igMid(2), text: "😍", reply_to: { story: { url: story, id: "18074819347285670" } } }),
      incoming(IG, IGSID, T + 3, { mid: igMid(3), attachments: [{ type: "story_mention", payload: { url: story } }] }),
      incoming(IG, IGSID, T + 4, { mid: igMid(4), attachments: [{ type: "ig_reel", payload: { reel_video_id: "18090345520838968", title: "VIP 👑", url: story } }] }),
      incoming(IG, IGSID, T + 5, { mid: igMid(5), is_unsupported: true }),
      unsend(IG, IGSID, T + 6, igMid(2)),
      readMid(IG, IGSID, T + 7, igMid(8)),
      echo(IG, IGSID, T + 8, { mid: igMid(8), text: "Thanks! 🙏" }),
      edit(IG, IGSID, Math.floor((T + 9000) / 1000), igMid(1), "edited", "2"),
    ])]);
    const events = Webhook.parse(metaJson(body));
    assert.deepEqual(events.map((e) => e.kind), ["message", "message", "message", "message", "message", "delete", "read", "echo", "edit"]);
    assert.ok(events.every((e) => e.platform === "instagram" && e.accountId === IG && e.customerId === IGSID));
    assert.equal(events[0].message.attachments.data[0].url, story);
    assert.deepEqual(events[1].message.story, { reply_to: { link: story, id: "18074819347285670" } });
    assert.equal(events[2].message.story.mention.link, story);
    assert.equal(events[3].message.attachments.data[0].type, "ig_reel");
    assert.equal(events[3].message.attachments.data[0].title, "VIP 👑");
    assert.equal(events[4].message.is_unsupported, true);
    assert.equal(events[5].mid, igMid(2), "is_deleted: a delete of that mid");
    assert.equal(events[5].message, undefined, "a delete carries no message");
    assert.equal(events[6].mid, igMid(8), "an Instagram read names a message");
    assert.equal(events[6].watermark, undefined);
    assert.deepEqual(events[7].message.from, { id: IG });
    assert.equal(events[8].timestamp, T + 9000, "a timestamp in seconds becomes milliseconds");
    assert.equal(events[8].editCount, 2, "num_edit as a string");
  });

  test("standby items, changes[] items, numeric ids, and an unknown kind kept with its raw item", () => {
    const optin = item(PSID, PAGE, T + 3, { optin: { type: "notification_messages", payload: "DEALS", notification_messages_token: "x" } });
    const body = {
      object: "page",
      entry: [
        { id: Number(PAGE), time: T, messaging: [{ ...incoming(PAGE, PSID, T + 1, { mid: mid(1), text: "numeric ids" }), sender: { id: Number(PSID) }, recipient: { id: Number(PAGE) } }] },
        { id: PAGE, time: T, standby: [incoming(PAGE, PSID, T + 2, { mid: mid(2), text: "while the bot owns the thread" })] },
        { id: PAGE, time: T, messaging: [optin] },
        { id: PAGE, time: T, changes: [
          { field: "messages", value: { sender: { id: PSID }, recipient: { id: PAGE }, timestamp: "1764922300", message: { mid: mid(4), text: "random_text" } } },
          { field: "feed", value: { item: "status", verb: "add", post_id: "1_2" } },
        ] },
      ],
    };
    const events = Webhook.parse(metaJson(body));
    assert.deepEqual(events.map((e) => [e.kind, e.standby]), [
      ["message", false], ["message", true], ["unknown", false], ["message", false], ["unknown", false],
    ]);
    assert.deepEqual([events[0].accountId, events[0].customerId], [PAGE, PSID], "numeric ids as text");
    assert.deepEqual(events[2].raw, optin, "the unknown item exactly as received");
    assert.equal(events[3].timestamp, 1_764_922_300_000);
    assert.equal(events[3].message.message, "random_text");
    assert.equal(events[4].raw.field, "feed");
  });

  test("a body that is not a webhook is a GraphError of kind decode", () => {
    for (const body of ["nope", "[]", '{"entry":[]}', '{"object":"page"}', '{"object":"whatsapp_business_account","entry":[]}', { object: "page" }, 42, null]) {
      assertGraphError(() => Webhook.parse(body), "decode", /not JSON|not a Messenger or Instagram webhook/);
    }
  });

  test("a 10 MB body and a body nested 10,000 deep are refused quickly: decode from parse, 400 from handle", async () => {
    const text = "x".repeat(10 * 1024 * 1024);
    const huge = metaJson(envelope("messenger", [entry(PAGE, [incoming(PAGE, PSID, T, { mid: mid(1), text })])]));
    const deep = `{"object":"page","entry":[{"id":"${PAGE}","messaging":[{"sender":{"id":"${PSID}"},"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}]}`;
    assert.doesNotThrow(() => JSON.parse(deep), "the deep body is valid JSON");
    for (const [name, body, pattern] of [["10 MB", huge, /larger than any Meta sends/], ["10,000 deep", deep, /nested deeper/]]) {
      let started = performance.now();
      const error = assertGraphError(() => Webhook.parse(body), "decode", pattern);
      const parseMs = performance.now() - started;
      assert.ok(parseMs < 500, `${name}: parse refused in ${parseMs.toFixed(0)} ms`);
      assert.ok(error.message.length < 300, "a sentence, not the body");
      assertGraphError(() => Webhook.parse(Buffer.from(body)), "decode", pattern);

      started = performance.now();
      const r = await exchange(post(body, { "x-hub-signature-256": sign(body, SECRET) }));
      const handleMs = performance.now() - started;
      assert.equal(r.status, 400, name);
      assert.match(r.text, pattern);
      assert.deepEqual(r.events, []);
      assert.ok(handleMs < 800, `${name}: handle answered 400 in ${handleMs.toFixed(0)} ms`);
    }
  });

  test("an already parsed object nested 10,000 deep does not break the instance", () => {
    let deep = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = deep.x = {};
    const body = envelope("messenger", [entry(PAGE, [{ ...incoming(PAGE, PSID, T, { mid: mid(1), text: "hi" }), extra: root }])]);
    let events;
    try {
      events = Webhook.parse(body);
    } catch (err) {
      assert.ok(err instanceof GraphError && err.kind === "decode", `refused as a decode error, not ${err}`);
    }
    if (events) assert.equal(events[0].mid, mid(1));
    // The instance still works.
    assert.equal(Webhook.parse(metaJson(textMessage())).length, 1);
  });
});

// ---------------------------------------------------------------- options

test("bad options throw a GraphError of kind invalid_argument that never repeats the secret", () => {
  for (const options of [
    undefined,
    null,
    "secret",
    {},
    { appSecret: "" },
    { appSecret: "   " },
    { appSecret: [] },
    { appSecret: [SECRET, ""] },
    { appSecret: [SECRET, 42] },
    { appSecret: 42 },
    { appSecret: SECRET, verifyToken: 42 },
    { appSecret: SECRET, verify_token: VERIFY_TOKEN },
    { appSecret: SECRET, appsecret: SECRET },
  ]) {
    const error = assertGraphError(() => new Webhook(options), "invalid_argument");
    assert.ok(!error.message.includes(SECRET) && !error.message.includes(VERIFY_TOKEN), error.message);
  }
  assert.ok(new Webhook({ appSecret: SECRET, verifyToken: undefined }));
});
