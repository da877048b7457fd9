// The edge inbox: a Cloudflare Worker for many Messenger / Instagram accounts.
//
//   /webhook                 Meta's handshake and events: verified, put on the
//                            EVENTS Queue, answered 200 once they are on it
//   queue consumer           groups each batch by account and hands each group
//                            to that account's Durable Object (AccountInbox)
//   /accounts/{id}[/…]       the admin routes (Authorization: Bearer ADMIN_TOKEN),
//                            answered by the account's Durable Object
//   /accounts/{id}/live      the WebSocket (a ticket instead of the header)
//
// See README.md and account.js.
import { GraphError, Webhook } from "graph-conversations";
import { AccountInbox } from "./account.js";
import { json, timingSafeEqualText } from "./http.js";

export { AccountInbox };

/**
 * @typedef {import("./account.js").Env} Env
 * @typedef {import("graph-conversations").WebhookEvent} WebhookEvent
 */

// Queues: at most 100 messages and 256 KB per sendBatch (Cloudflare's limits).
const BATCH_MESSAGES = 100;
const BATCH_BYTES = 200_000;

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
   * messages go to the dead-letter queue: never dropped.
   * @param {MessageBatch<WebhookEvent>} batch
   * @param {Env} env
   */
  async queue(batch, env) {
    /** @type {Map<string, Message<WebhookEvent>[]>} */
    const groups = new Map();
    for (const message of batch.messages) {
      const accountId = message.body?.accountId;
      if (typeof accountId !== "string" || !accountId) {
        console.error("queue: a message without accountId, acknowledged", message.id);
        message.ack();
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
  },
};

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
