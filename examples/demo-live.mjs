// The live side of `make demo`: what a real app's server does with Meta's
// webhooks, against the local mock Graph, so the www page can show a
// customer's message the moment it is written.
//
//   mock (a customer writes) ──signed POST──▶ /demo/webhook  Webhook.handle: signature over the raw bytes
//                                                 │          Inbox.apply: one message is one message, any order
//                                                 ▼
//   the page ◀── Server-Sent Events ── /demo/live          each apply's changes, with what they name
//   the page ──── POST JSON ─────────▶ /demo/live/<action> the mock's customer writes, edits, reacts, unsends
//
// The demo subscribes to the mock's webhooks with an app secret and a verify
// token of its own (random per run, never sent to the page), seeds one Inbox
// per platform with a syncInbox of the Page's inbox, and applies every
// verified webhook to them. The page gets ids and the messages they name:
// never the token, never the secret.
//
//   const live = await startLive({ mock, origin: "http://127.0.0.1:8080" });
//   server.on("request", (req, res) => live.handle(req, res) || serveFiles(req, res));
//   await live.subscribe();   // once the server listens: the mock's hub.challenge handshake
//   await live.close();

import { randomBytes, randomInt } from "node:crypto";
import { GraphClient, Inbox, Webhook } from "../pkg/node.js";
import { IG_ACCOUNT_ID, PAGE_ID, TOKEN, signWebhook, threads, webhookBody } from "../mock/server.mjs";

/** @typedef {import("../pkg/index.js").Platform} Platform */
/** @typedef {import("../pkg/index.js").Message} Message */
/** @typedef {import("../pkg/index.js").InboxChanges} InboxChanges */
/** @typedef {import("../pkg/index.js").InboxConversation} InboxConversation */
/** @typedef {import("../pkg/index.js").WebhookEvent} WebhookEvent */
/** @typedef {import("../mock/server.mjs").MockGraph} MockGraph */
/** @typedef {import("node:http").IncomingMessage} Request */
/** @typedef {import("node:http").ServerResponse} Response */

export const WEBHOOK_PATH = "/demo/webhook";
export const STREAM_PATH = "/demo/live";
const ACTION_PREFIX = "/demo/live/";
const PLATFORMS = /** @type {const} */ (["messenger", "instagram"]);
const ACCOUNT = { messenger: PAGE_ID, instagram: IG_ACCOUNT_ID };

// Bounds: how much a stream, a body, a log may hold.
const MAX_STREAMS = 16;
/** A stream is closed after this long; the page's EventSource reconnects and is replayed what it missed. */
const STREAM_LIFETIME_MS = 10 * 60_000;
const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 1_000;
const REPLAY = 200; // pushes kept for reconnecting pages (Last-Event-ID)
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024; // Webhook.handle refuses over 1 MiB itself, with a 400 that says so
const MAX_ACTION_BYTES = 16 * 1024;
const MAX_TIMES = 5_000;

/**
 * A thread's change as the page draws it.
 * @typedef {{ id: string, customerId: string | null, updatedTime: string | null, snippet: string,
 *   participants: import("../pkg/index.js").Participant[], unreadCount: number | null, added: boolean }} PushedConversation
 */
/**
 * A message added or changed: the Inbox's copy (the richest it has), the
 * conversation it is in, and when it was written in ms (the webhook's
 * timestamp; the Graph's `created_time` has whole seconds).
 * @typedef {{ conversationId: string, at: number, added: boolean, message: Message }} PushedMessage
 */
/**
 * What one `inbox.apply` changed, as the page gets it: `changes` is what
 * apply returned; the rest is what those ids name. `events` says what
 * arrived (a redelivery changes nothing, and says so).
 * @typedef {{ id: number, platform: Platform, source: "webhook" | "sync", changes: InboxChanges,
 *   conversations: PushedConversation[], messages: PushedMessage[],
 *   removed: Array<{ conversationId: string | null, mid: string }>,
 *   removedConversations: string[],
 *   events: Array<{ kind: string, mid?: string | undefined, customerId: string, text?: string | undefined }> }} Push
 */

/**
 * Starts the live relay: the webhook receiver, the inboxes (their sync runs
 * in the background; `ready` resolves when both are seeded) and the page's
 * stream. `origin` is where the demo's server listens.
 * @param {{ mock: MockGraph, origin: string }} options
 */
export function startLive({ mock, origin }) {
  const appSecret = randomBytes(24).toString("base64url");
  const verifyToken = randomBytes(12).toString("base64url");
  const webhook = new Webhook({ appSecret, verifyToken });
  // Pacing off: the mock is local and has no budget unless a test sets one.
  const client = new GraphClient({ accessToken: TOKEN, baseUrl: mock.url, callsPerSecond: 0 });
  const inboxes = {
    messenger: new Inbox({ accountId: PAGE_ID, platform: "messenger" }),
    instagram: new Inbox({ accountId: IG_ACCOUNT_ID, platform: "instagram" }),
  };
  /** When each live message was written (ms), from its webhook. @type {Map<string, number>} */
  const times = new Map();
  /** Messages the demo signed itself (stickers, Instagram posts): the mock does not know them. @type {Set<string>} */
  const ownMids = new Set();
  /** @type {Push[]} */
  const sent = [];
  /** @type {Set<{ res: Response, timers: NodeJS.Timeout[] }>} */
  const streams = new Set();
  /** Platforms with a catch-up sync scheduled (a new customer's thread). @type {Map<Platform, NodeJS.Timeout>} */
  const catchUps = new Map();
  let nextId = 1;
  let closed = false;

  const ready = Promise.all(PLATFORMS.map(async (platform) => {
    const sync = await client.syncInbox(PAGE_ID, { platform });
    inboxes[platform].apply(sync);
  }));
  ready.catch((err) => console.error("demo: the inbox sync failed:", err));

  // ------------------------------------------------------------ the webhook

  /** @param {Request} req @param {Response} res */
  async function receiveWebhook(req, res) {
    const body = await readBody(req, MAX_WEBHOOK_BYTES);
    if (body === null) return answer(res, 413, "text/plain", "too large");
    const request = new Request(`${origin}${req.url ?? WEBHOOK_PATH}`, {
      method: req.method,
      headers: headersOf(req),
      ...(req.method === "POST" || req.method === "PUT" ? { body: new Uint8Array(body) } : {}),
    });
    // The real path: GET is the hub.challenge handshake, POST is checked
    // against the signature over these exact bytes before anything is parsed.
    const { response, events } = await webhook.handle(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
    if (events.length > 0) await applyEvents(events);
  }

  /** @param {WebhookEvent[]} events */
  async function applyEvents(events) {
    await ready;
    for (const platform of PLATFORMS) {
      const mine = events.filter((e) => e.platform === platform);
      if (mine.length === 0) continue;
      for (const e of mine) {
        if ((e.kind === "message" || e.kind === "echo") && e.mid && !times.has(e.mid)) remember(e.mid, e.timestamp);
      }
      const changes = inboxes[platform].apply(mine);
      publish(describe(platform, "webhook", changes, mine));
      // A new person's first message starts a conversation under their id;
      // a sync that brings their thread joins the two (reported as the
      // person's id removed and the thread added).
      const newPeople = changes.conversations.added.filter((id) => inboxes[platform].conversation(id)?.customer_id === id);
      if (newPeople.length > 0) scheduleCatchUp(platform, Math.min(...mine.map((e) => e.timestamp)));
    }
  }

  /** @param {string} mid @param {number} at */
  function remember(mid, at) {
    times.set(mid, at);
    if (times.size > MAX_TIMES) times.delete(times.keys().next().value ?? "");
  }

  /** @param {Platform} platform @param {number} since ms */
  function scheduleCatchUp(platform, since) {
    if (catchUps.has(platform) || closed) return;
    catchUps.set(platform, setTimeout(async () => {
      catchUps.delete(platform);
      try {
        const sync = await client.syncInbox(PAGE_ID, { platform, updatedSince: Math.floor(since / 1000) - 60 });
        if (closed) return;
        publish(describe(platform, "sync", inboxes[platform].apply(sync), []));
      } catch (err) {
        console.error("demo: the catch-up sync failed:", err);
      }
    }, 300));
  }

  /**
   * The push for one apply: the conversations and messages its changes name.
   * @param {Platform} platform
   * @param {"webhook" | "sync"} source
   * @param {InboxChanges} changes
   * @param {WebhookEvent[]} events
   * @returns {Push}
   */
  function describe(platform, source, changes, events) {
    const inbox = inboxes[platform];
    /** @type {Map<string, InboxConversation>} */
    const touched = new Map();
    for (const id of [...changes.conversations.added, ...changes.conversations.updated]) {
      const conversation = inbox.conversation(id);
      if (conversation) touched.set(conversation.id, conversation);
    }
    for (const e of events) {
      const conversation = inbox.conversation(e.customerId);
      if (conversation) touched.set(conversation.id, conversation);
    }
    const added = new Set(changes.messages.added);
    const wanted = new Set([...added, ...changes.messages.updated]);
    /** @type {PushedMessage[]} */
    const messages = [];
    for (const conversation of touched.values()) {
      for (const message of conversation.messages) {
        if (!wanted.has(message.id)) continue;
        messages.push({ conversationId: conversation.id, at: times.get(message.id) ?? graphMs(message.created_time), added: added.has(message.id), message });
      }
    }
    const addedConversations = new Set(changes.conversations.added);
    const conversations = [...changes.conversations.added, ...changes.conversations.updated]
      .map((id) => touched.get(id))
      .filter((c) => c !== undefined)
      .map((c) => ({
        id: c.id,
        customerId: c.customer_id ?? null,
        updatedTime: c.updated_time ?? null,
        snippet: snippetOf(c.messages[0]),
        participants: c.participants?.data ?? [],
        unreadCount: typeof c.unread_count === "number" ? c.unread_count : null,
        added: addedConversations.has(c.id),
      }));
    const removed = changes.messages.removed.map((mid) => {
      const event = events.find((e) => e.mid === mid);
      return { conversationId: event ? inbox.conversation(event.customerId)?.id ?? null : null, mid };
    });
    return {
      id: 0, platform, source, changes, conversations, messages, removed,
      removedConversations: changes.conversations.removed,
      events: events.map((e) => ({ kind: e.kind, mid: e.mid, customerId: e.customerId, text: e.kind === "edit" ? e.text : e.message?.message })),
    };
  }

  // ------------------------------------------------------------ the page's stream

  /** @param {Push} push */
  function publish(push) {
    push.id = nextId++;
    sent.push(push);
    if (sent.length > REPLAY) sent.shift();
    for (const stream of streams) write(stream.res, push);
  }

  /** @param {Response} res @param {Push} push */
  function write(res, push) {
    res.write(`id: ${push.id}\nevent: inbox\ndata: ${JSON.stringify(push)}\n\n`);
  }

  /** @param {Request} req @param {Response} res */
  function openStream(req, res) {
    if (closed || streams.size >= MAX_STREAMS) return answer(res, 503, "text/plain", "too many live pages open; close one");
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${RECONNECT_MS}\n\n`);
    // A page that reconnects gets what it missed, from the pushes kept.
    const last = Number(req.headers["last-event-id"]);
    if (Number.isInteger(last) && last > 0) for (const push of sent) if (push.id > last) write(res, push);
    const stream = {
      res,
      timers: [
        setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS),
        setTimeout(() => res.end(), STREAM_LIFETIME_MS),
      ],
    };
    streams.add(stream);
    const drop = () => {
      stream.timers.forEach(clearTimeout);
      streams.delete(stream);
    };
    res.on("close", drop);
    // Say it is open (and whether the inbox is seeded yet) at once.
    ready.then(() => !res.writableEnded && res.write(`event: ready\ndata: {}\n\n`), () => {});
  }

  // ------------------------------------------------------------ the page's actions

  /** @type {Record<string, (body: Record<string, unknown>) => Promise<Record<string, unknown>>>} */
  const ACTIONS = {
    /** The mock's customer writes (or the demo signs a sticker or post webhook itself). */
    "customer-writes": async ({ conversation, platform, text, attachment }) => {
      const where = platformOf(platform);
      const words = optionalText(text);
      const kind = typeof attachment === "string" ? attachment : "";
      const target = conversation === "new" ? newCustomerId() : await conversationOf(conversation, where).then((c) => c.id);
      if (kind === "sticker" || kind === "ig_post") return { mid: await signedAttachment(target, where, kind) };
      if (!words && !kind) throw new Error("write a text, or pick an attachment");
      if (kind && kind !== "image" && kind !== "video") throw new Error(`unknown attachment ${JSON.stringify(kind)}`);
      const attachments = kind ? [{ type: /** @type {"image" | "video"} */ (kind) }] : undefined;
      return { mid: mock.customerWrites(target, { text: words, attachments, platform: where }) };
    },
    "customer-edits": async ({ conversation, platform, text }) => {
      const words = optionalText(text);
      if (!words) throw new Error("write the new text first");
      const mid = await newestOfCustomer(conversation, platformOf(platform));
      mock.customerEdits(mid, words);
      return { mid };
    },
    "customer-reacts": async ({ conversation, platform, emoji }) => {
      const mid = await newestOfCustomer(conversation, platformOf(platform));
      mock.customerReacts(mid, typeof emoji === "string" && emoji ? emoji : "❤️");
      return { mid };
    },
    "customer-unsends": async ({ conversation, platform }) => {
      const mid = await newestOfCustomer(conversation, platformOf(platform));
      mock.customerUnsends(mid);
      return { mid };
    },
    /** How the mock delivers from now on: like Meta on a bad day, or not. */
    delivery: async ({ redeliver, outOfOrder }) => {
      mock.webhooks.clearFaults();
      if (redeliver === true) mock.webhooks.fault({ kind: "webhook-redeliver", times: null });
      if (outOfOrder === true) mock.webhooks.fault({ kind: "webhook-out-of-order", times: null, maxHoldMs: 1500 });
      return { faults: mock.webhooks.faults.map((f) => f.kind) };
    },
  };

  /** @param {Request} req @param {Response} res @param {string} name */
  async function runAction(req, res, name) {
    const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (!action) return answer(res, 404, "application/json", JSON.stringify({ error: `no live action ${name}` }));
    // JSON only, from this page only: a form on another site cannot send it without a preflight this server refuses.
    if (req.method !== "POST" || !String(req.headers["content-type"]).startsWith("application/json")) {
      return answer(res, 405, "application/json", JSON.stringify({ error: "POST application/json" }));
    }
    if (req.headers.origin && req.headers.origin !== origin) return answer(res, 403, "application/json", JSON.stringify({ error: "not this page" }));
    const raw = await readBody(req, MAX_ACTION_BYTES);
    if (raw === null) return answer(res, 413, "application/json", JSON.stringify({ error: "too large" }));
    try {
      const body = JSON.parse(raw.toString("utf8") || "{}");
      if (!body || typeof body !== "object" || Array.isArray(body)) throw new Error("send a JSON object");
      await ready;
      return answer(res, 200, "application/json", JSON.stringify(await action(body)));
    } catch (err) {
      return answer(res, 400, "application/json", JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
    }
  }

  /**
   * A conversation of the inbox by its id or its customer's id.
   * @param {unknown} id
   * @param {Platform} platform
   * @returns {Promise<InboxConversation>}
   */
  async function conversationOf(id, platform) {
    if (typeof id !== "string" || id === "") throw new Error("pick a conversation (open a thread, or choose one)");
    const conversation = inboxes[platform].conversation(id);
    if (!conversation) throw new Error(`no ${platform} conversation ${id} in the inbox`);
    return conversation;
  }

  /**
   * The customer's newest message the mock knows, in a conversation.
   * @param {unknown} id
   * @param {Platform} platform
   */
  async function newestOfCustomer(id, platform) {
    const conversation = await conversationOf(id, platform);
    const customer = conversation.customer_id;
    const message = conversation.messages.find((m) => m.from?.id === customer && !ownMids.has(m.id));
    if (!message) throw new Error("the customer has no message here to change (the 20 newest only)");
    return message.id;
  }

  /**
   * A sticker or a shared Instagram post, which the mock's live messages do
   * not carry: the demo writes Meta's webhook for it, signs it with its app
   * secret, and POSTs it to its own receiver, which checks it like any other.
   * The attachment's data is the mock's own (its seeded sticker and post).
   * @param {string} conversationId
   * @param {Platform} platform
   * @param {"sticker" | "ig_post"} kind
   */
  async function signedAttachment(conversationId, platform, kind) {
    const conversation = await conversationOf(conversationId, platform);
    const customer = conversation.customer_id;
    if (!customer) throw new Error("the conversation names no customer");
    const mid = platform === "instagram"
      ? Buffer.from(`ig_message_item:demo:${randomBytes(16).toString("hex")}`).toString("base64url")
      : `m_demo_${randomBytes(24).toString("base64url")}`;
    const at = Date.now();
    const item = {
      sender: { id: customer }, recipient: { id: ACCOUNT[platform] }, timestamp: at,
      message: { mid, attachments: [kind === "sticker" ? SAMPLE.sticker : SAMPLE.igPost] },
    };
    const body = webhookBody(platform === "instagram" ? "instagram" : "page", [{ accountId: ACCOUNT[platform], messaging: [item] }], at);
    const { sha256, sha1 } = signWebhook(body, appSecret);
    ownMids.add(mid);
    const answered = await fetch(`${origin}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Hub-Signature-256": sha256, "X-Hub-Signature": sha1 },
      body,
    });
    if (!answered.ok) throw new Error(`the demo's own webhook was refused: ${answered.status} ${await answered.text()}`);
    return mid;
  }

  // ------------------------------------------------------------ the server's side

  return {
    ready,
    /** How many pages have the stream open now. */
    get openStreams() { return streams.size; },
    /** The config the page gets in demo/config.json. */
    config: { stream: STREAM_PATH.slice(1), actions: ACTION_PREFIX.slice(1) },
    /** Subscribes to the mock's webhooks (the hub.challenge handshake first); call once the server listens. */
    subscribe: () => mock.webhooks.subscribe({ url: `${origin}${WEBHOOK_PATH}`, appSecret, verifyToken }),
    /**
     * Answers the live paths; false for any other request.
     * @param {Request} req
     * @param {Response} res
     */
    handle(req, res) {
      const path = new URL(req.url ?? "/", origin).pathname;
      /** @type {Promise<void> | void} */
      let work;
      if (path === WEBHOOK_PATH) work = receiveWebhook(req, res);
      else if (path === STREAM_PATH && req.method === "GET") work = openStream(req, res);
      else if (path.startsWith(ACTION_PREFIX)) work = runAction(req, res, path.slice(ACTION_PREFIX.length));
      else return false;
      Promise.resolve(work).catch((err) => {
        console.error("demo:", err);
        if (!res.headersSent) answer(res, 500, "text/plain", "internal error");
        else res.end();
      });
      return true;
    },
    /** Ends the streams and the subscription. */
    async close() {
      closed = true;
      for (const timer of catchUps.values()) clearTimeout(timer);
      for (const stream of streams) {
        stream.timers.forEach(clearTimeout);
        stream.res.end();
      }
      streams.clear();
      mock.webhooks.unsubscribe(`${origin}${WEBHOOK_PATH}`);
      await ready.catch(() => {});
    },
  };
}

// ---------------------------------------------------------------- helpers

/** The mock's own sticker and post, as a webhook carries them (payload fields). */
const SAMPLE = (() => {
  /** @param {Platform} platform @returns {import("../pkg/index.js").Attachment[]} */
  const attachmentsOf = (platform) => threads(platform).flatMap((t) => t.messages.flatMap((m) => m.attachments?.data ?? []));
  const sticker = attachmentsOf("messenger").find((a) => a.type === "sticker");
  const post = attachmentsOf("instagram").find((a) => a.type === "ig_post");
  return {
    sticker: {
      type: "sticker",
      payload: { url: sticker?.image_data?.url ?? "https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker.png", sticker_id: sticker?.sticker_id ?? 369239263222822 },
    },
    igPost: {
      type: "ig_post",
      payload: {
        ig_post_media_id: post?.ig_post_media_id ?? "17900000000000001",
        title: post?.title ?? "Latte art Friday ☕",
        url: post?.url ?? "https://www.instagram.com/p/DEMO/",
      },
    },
  };
})();

/** @param {unknown} value @returns {Platform} */
function platformOf(value) {
  if (value === undefined || value === "messenger") return "messenger";
  if (value === "instagram") return "instagram";
  throw new Error(`platform is "messenger" or "instagram", got ${JSON.stringify(value)}`);
}

/** @param {unknown} value */
function optionalText(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new Error("text is a string");
  return value.trim() || undefined;
}

/** A new customer's id, like a PSID. */
const newCustomerId = () => `9${String(randomInt(1e9, 1e10 - 1))}${String(randomInt(1e5, 1e6 - 1))}`;

/** What a list shows of a conversation's newest message. @param {Message | undefined} message */
function snippetOf(message) {
  if (!message) return "";
  if (message.message) return message.message;
  const kinds = (message.attachments?.data ?? []).map((a) => (a.type === "ig_post" ? "an Instagram post" : a.type ? `a ${a.type}` : "an attachment"));
  return kinds.length ? `Sent ${kinds.join(", ")}` : "";
}

/** The Graph's `2026-11-20T14:03:11+0000` in ms. @param {unknown} value */
function graphMs(value) {
  if (typeof value !== "string") return 0;
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(ms) ? 0 : ms;
}

/** @param {Request} req */
function headersOf(req) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * The body's bytes, or null past `limit` (the rest is not read).
 * @param {Request} req
 * @param {number} limit
 * @returns {Promise<Buffer | null>}
 */
async function readBody(req, limit) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      req.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * @param {Response} res
 * @param {number} status
 * @param {string} type
 * @param {string} body
 */
function answer(res, status, type, body) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(body);
}
