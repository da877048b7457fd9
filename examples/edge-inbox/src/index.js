// The edge inbox: a Cloudflare Worker for many Messenger / Instagram accounts.
//
//   /webhook                 Meta's handshake and events: verified, put on the
//                            EVENTS Queue, answered 200 once they are on it
//   queue consumer           groups each batch by account and hands each group
//                            to that account's Durable Object (AccountInbox)
//   /accounts/{id}[/…]       the admin routes (Authorization: Bearer ADMIN_TOKEN),
//                            answered by the account's Durable Object
//   /accounts/{id}/live      the WebSocket (a ticket instead of the header)
//   /dead-letters[/replay]   what the Queue could not deliver, and sending it
//                            again (admin), kept by the DeadLetters object
//   dead-letter consumer     stores each message of the dead-letter queue in
//                            the DeadLetters object (dead-letters.js)
//
// See README.md, account.js and dead-letters.js.
import { GraphError, Webhook } from "graph-conversations";
import { AccountInbox } from "./account.js";
import { DeadLetters, MAX_LETTERS } from "./dead-letters.js";
import { json, timingSafeEqualText } from "./http.js";

export { AccountInbox, DeadLetters };

/**
 * @typedef {import("./account.js").Env & { DEAD_LETTERS: DurableObjectNamespace<DeadLetters> }} Env
 * @typedef {import("graph-conversations").WebhookEvent} WebhookEvent
 */

// Queues: at most 100 messages and 256 KB per sendBatch (Cloudflare's limits).
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200_000;

// The dead-letter queue of the events queue (wrangler.jsonc): its batches are
// dead letters to store, not events to deliver.
const DEAD_LETTER_QUEUE = "edge-inbox-events-dlq";

const ACCOUNT_ROUTE = /^\/accounts\/([A-Za-z0-9_.:=+@!~*'(),;-]{1,128})(\/.*)?$/;

export default {
  /**
   * @param {Request} request
   * @param {Env} env
   * @returns {Promise<Response>}
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/webhook") return webhook(request, env);
    if (url.pathname === "/dead-letters" || url.pathname === "/dead-letters/replay") {
      if (!authorized(request, env)) return json(401, { error: { kind: "unauthorized", message: "Authorization: Bearer <ADMIN_TOKEN> is required" } });
      return url.pathname === "/dead-letters" ? listDeadLetters(request, url, env) : replayDeadLetters(request, env);
    }
    const match = ACCOUNT_ROUTE.exec(url.pathname);
    if (!match) return json(404, { error: { kind: "not_found", message: `no route for ${url.pathname}` } });
    const accountId = /** @type {string} */ (match[1]);
    const rest = match[2] ?? "";
    // The WebSocket carries a single-use ticket instead (a browser cannot set the header).
    if (rest !== "/live" && !authorized(request, env)) {
      return json(401, { error: { kind: "unauthorized", message: "Authorization: Bearer <ADMIN_TOKEN> is required" } });
    }
    const stub = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(accountId));
    // The object learns its account id from this header (idFromName is one-way).
    const headers = new Headers(request.headers);
    headers.set("X-Account-Id", accountId);
    return stub.fetch(new Request(request, { headers }));
  },

  /**
   * The Queue consumer: one call per account and batch. A failed hand-over is
   * retried by the Queue (message.retry()), and after max_retries the
   * messages go to the dead-letter queue, whose batches come here too and are
   * stored in the DeadLetters object: never dropped.
   * @param {MessageBatch<WebhookEvent>} batch
   * @param {Env} env
   */
  async queue(batch, env) {
    if (batch.queue === DEAD_LETTER_QUEUE) return storeDeadLetters(batch, env);
    /** @type {Map<string, Message<WebhookEvent>[]>} */
    const groups = new Map();
    /** @type {Message<WebhookEvent>[]} */
    const unusable = [];
    for (const message of batch.messages) {
      const accountId = message.body?.accountId;
      if (typeof accountId !== "string" || !accountId) {
        unusable.push(message);
        continue;
      }
      const group = groups.get(accountId) ?? [];
      group.push(message);
      groups.set(accountId, group);
    }
    await Promise.all(
      [...groups].map(async ([accountId, messages]) => {
        try {
          const stub = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(accountId));
          await stub.receive(accountId, messages.map((m) => m.body));
          for (const m of messages) m.ack();
        } catch (err) {
          console.error(`queue: delivery to ${accountId} failed, retried`, String(err));
          for (const m of messages) m.retry({ delaySeconds: 1 });
        }
      }),
    );
    // No account to deliver to, ever: a dead letter at once, not after retries.
    if (unusable.length) await storeDeadLetters({ messages: unusable }, env, "not an event of an account (no accountId)");
  },
};

/**
 * The dead-letter queue's consumer: its messages are stored in the
 * DeadLetters object, then acknowledged. If the object cannot store them,
 * the queue retries them (max_retries of its own consumer in wrangler.jsonc).
 * @param {{ messages: readonly Message<WebhookEvent>[] }} batch
 * @param {Env} env
 * @param {string} [reason]
 */
async function storeDeadLetters(batch, env, reason = "the Queue's retries ran out: its account's object did not take it") {
  try {
    await deadLetters(env).record(batch.messages.map((m) => ({
      messageId: m.id,
      accountId: typeof m.body?.accountId === "string" ? m.body.accountId : "",
      reason,
      queuedAt: m.timestamp.getTime(),
      event: m.body,
    })));
    for (const m of batch.messages) m.ack();
    console.error(`queue: ${batch.messages.length} dead letter(s) stored: ${reason}`);
  } catch (err) {
    console.error("queue: dead letters not stored, retried", String(err));
    for (const m of batch.messages) m.retry({ delaySeconds: 5 });
  }
}

/** @param {Env} env */
function deadLetters(env) {
  return env.DEAD_LETTERS.get(env.DEAD_LETTERS.idFromName("dead-letters"));
}

/**
 * GET /dead-letters?limit&after&account: oldest first.
 * @param {Request} request
 * @param {URL} url
 * @param {Env} env
 */
async function listDeadLetters(request, url, env) {
  if (request.method !== "GET") return json(405, { error: { kind: "method_not_allowed", message: "GET only" } }, { Allow: "GET" });
  const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LETTERS) return json(400, { error: { kind: "invalid_argument", message: `limit: a whole number from 1 to ${MAX_LETTERS}` } });
  const after = url.searchParams.has("after") ? Number(url.searchParams.get("after")) : 0;
  if (!Number.isInteger(after) || after < 0) return json(400, { error: { kind: "invalid_argument", message: "after: an id from this route" } });
  const accountId = url.searchParams.get("account") || undefined;
  const { data, total, more } = await deadLetters(env).list({ limit, after, accountId });
  const last = data.at(-1)?.id ?? String(after);
  /** @type {{ cursors: { after: string }, next?: string }} */
  const paging = { cursors: { after: last } };
  if (more) paging.next = `/dead-letters?limit=${limit}&after=${last}${accountId ? `&account=${encodeURIComponent(accountId)}` : ""}`;
  return json(200, { data, total, paging });
}

/**
 * POST /dead-letters/replay `{ ids?, accountId? }`: puts the letters (these,
 * or else the oldest 100, of one account or all) back on the Queue, then
 * removes them. A crash in between leaves them in both places, which is
 * harmless: the account's object stores an event once.
 * @param {Request} request
 * @param {Env} env
 */
async function replayDeadLetters(request, env) {
  if (request.method !== "POST") return json(405, { error: { kind: "method_not_allowed", message: "POST only" } }, { Allow: "POST" });
  const text = await request.text();
  /** @type {any} */
  let body = {};
  try {
    body = text.trim() ? JSON.parse(text) : {};
  } catch {
    body = null;
  }
  const ids = body?.ids;
  const accountId = body?.accountId;
  const badIds = ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_LETTERS || !ids.every((id) => typeof id === "string" && /^\d{1,15}$/.test(id)));
  if (!body || typeof body !== "object" || badIds || (accountId !== undefined && typeof accountId !== "string")) {
    return json(400, { error: { kind: "invalid_argument", message: `the body is { ids?: string[] (at most ${MAX_LETTERS}), accountId?: string }` } });
  }
  const store = deadLetters(env);
  const letters = await store.pick({ ids, accountId, limit: MAX_LETTERS });
  const events = /** @type {WebhookEvent[]} */ (letters.map((l) => l.event));
  try {
    for (const chunk of chunks(events)) await env.EVENTS.sendBatch(chunk.map((body) => ({ body, contentType: "json" })));
  } catch (err) {
    console.error("dead letters: not queued again", String(err));
    return json(503, { error: { kind: "unavailable", message: "the Queue refused them; they are still dead letters" } });
  }
  const { left } = await store.remove(letters.map((l) => l.id));
  return json(200, { replayed: letters.map((l) => l.id), left });
}

/**
 * GET /webhook (handshake) and POST /webhook (events): the events are on the
 * Queue before the 200; a failed send answers 503 so that Meta sends again.
 * @param {Request} request
 * @param {Env} env
 */
async function webhook(request, env) {
  const appSecret = (env.APP_SECRET ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (!appSecret.length) return json(500, { error: { kind: "config", message: "not configured: APP_SECRET" } });
  let verifier;
  try {
    verifier = new Webhook({ appSecret, verifyToken: env.VERIFY_TOKEN || undefined });
  } catch (err) {
    return json(500, { error: { kind: "config", message: `APP_SECRET or VERIFY_TOKEN is not usable: ${err instanceof GraphError ? err.message : "internal error"}` } });
  }
  const { response, events } = await verifier.handle(request);
  if (!events.length) return response;
  try {
    for (const chunk of chunks(events)) await env.EVENTS.sendBatch(chunk.map((body) => ({ body, contentType: "json" })));
  } catch (err) {
    console.error("webhook: events not queued", String(err));
    return json(503, { error: { kind: "unavailable", message: "events not queued; send again" } });
  }
  return response;
}

/**
 * Splits events into sendBatch-sized lists.
 * @param {WebhookEvent[]} events
 */
function chunks(events) {
  /** @type {WebhookEvent[][]} */
  const out = [];
  let current = /** @type {WebhookEvent[]} */ ([]);
  let bytes = 0;
  for (const event of events) {
    const size = JSON.stringify(event).length + 100;
    if (current.length && (current.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * @param {Request} request
 * @param {Env} env
 */
function authorized(request, env) {
  if (!env.ADMIN_TOKEN) return false;
  return timingSafeEqualText(request.headers.get("Authorization") ?? "", `Bearer ${env.ADMIN_TOKEN}`);
}
