// A Cloudflare Worker that reads a Page's Messenger or Instagram inbox
// through graph-conversations, takes Meta's webhooks into a live inbox, and
// replies. Answers JSON. See README.md.
//
//   GET  /conversations?platform=instagram[&after=…][&limit=…]  a page of conversations
//   GET  /threads/:id[?after=…][&limit=…]                         a page of a thread's messages
//   POST /threads/:customerId/messages                           a reply: { text?, attachment?, replyTo?, tag?, metadata? }
//   GET  /messages/:id                                            one message with its details
//   GET  /sync?platform=instagram[&messages=20][&pageSize=100][&cursor=…]        the inbox with each thread's newest
//                                                                 messages and their details, in at
//                                                                 most SYNC_MAX_REQUESTS calls
//   GET  /inbox[?platform=instagram]                              the live inbox: what webhooks and replies brought
//   GET  /inbox/:idOrCustomerId[?platform=instagram]              one conversation of it
//   GET  /webhook, POST /webhook                                  Meta's subscription handshake and events
//                                                                 (public: Meta sends no ACCESS_KEY)
//
// "graph-conversations" resolves to the package's `workerd` entry, which
// imports the .wasm as a compiled module (wrangler's default rule for .wasm).
import { GraphClient, GraphError, Inbox, Webhook } from "graph-conversations";

/**
 * @typedef {import("../env.js").Env} Env
 * @typedef {import("graph-conversations").Platform} Platform
 * @typedef {import("graph-conversations").SyncInboxOptions} SyncInboxOptions
 * @typedef {import("graph-conversations").WebhookEvent} WebhookEvent
 * @typedef {{ after?: string, before?: string, limit?: number }} Paging
 * What a route's handler gets: `id` is the route's decoded path segment ("" for
 * a route without one); `client()` a GraphClient, for the routes that call the Graph.
 * @typedef {{ env: Env, id: string, query: URLSearchParams, request: Request, client: () => GraphClient }} Call
 * One route. `needs`: the bindings it cannot do without.
 * @typedef {{
 *   method: "GET" | "POST",
 *   pattern: RegExp,
 *   needs: ("PAGE_ID" | "PAGE_ACCESS_TOKEN")[],
 *   handler: (call: Call) => Promise<Response> | Response,
 * }} Route
 */

// Each Graph route is exactly one Graph call, so one subrequest per
// invocation (the free plan allows 50). Transient failures are not retried
// here: they reach the caller with `transient: true` (and Retry-After on a
// rate limit), who can retry without holding a Worker invocation open. The
// timeout keeps a stuck Graph call from doing so either. (A send is never
// retried by the client anyway unless the Graph proved it did not take it.)
const CLIENT_LIMITS = { maxRetries: 0, timeoutMs: 10_000 };

// A sync stops after this many Graph calls, below the free plan's 50
// subrequests per invocation; it then answers `complete: false` and a
// `cursor` that the next invocation passes back to go on.
const SYNC_MAX_REQUESTS = 40;

const GRAPH = /** @type {const} */ (["PAGE_ID", "PAGE_ACCESS_TOKEN"]);

/** @type {Route[]} */
const ROUTES = [
  {
    method: "GET",
    pattern: /^\/conversations$/,
    needs: [...GRAPH],
    handler: async ({ env, query, client }) =>
      json(200, await client().listConversations(pageId(env), { platform: platform(query), ...paging(query) })),
  },
  {
    method: "GET",
    pattern: /^\/threads\/([^/]+)$/,
    needs: [...GRAPH],
    handler: async ({ id, query, client }) => json(200, await client().listMessages(id, paging(query))),
  },
  { method: "POST", pattern: /^\/threads\/([^/]+)\/messages$/, needs: [...GRAPH], handler: reply },
  {
    method: "GET",
    pattern: /^\/messages\/([^/]+)$/,
    needs: [...GRAPH],
    handler: async ({ id, client }) => json(200, await client().getMessage(id)),
  },
  {
    method: "GET",
    pattern: /^\/sync$/,
    needs: [...GRAPH],
    handler: async ({ env, query, client }) => json(200, await client().syncInbox(pageId(env), syncOptions(query))),
  },
  {
    method: "GET",
    pattern: /^\/inbox$/,
    needs: ["PAGE_ID"],
    handler: ({ env, query }) => json(200, inboxOf(env, platform(query)).conversations()),
  },
  {
    method: "GET",
    pattern: /^\/inbox\/([^/]+)$/,
    needs: ["PAGE_ID"],
    handler: ({ env, id, query }) => {
      const conversation = inboxOf(env, platform(query)).conversation(id);
      if (conversation === undefined) return json(404, { error: { kind: "not_found", message: "no such conversation in this inbox" } });
      return json(200, conversation);
    },
  },
];

export default {
  /**
   * @param {Request} request
   * @param {Env} env
   * @returns {Promise<Response>}
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    // Meta calls this one: it carries Meta's signature, not the ACCESS_KEY.
    if (url.pathname === "/webhook") return webhook(request, env);

    const matches = ROUTES.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((m) => m.match);
    if (!matches.length) return json(404, { error: { kind: "not_found", message: `no route for ${url.pathname}` } });
    const found = matches.find((m) => m.route.method === request.method);
    if (!found) {
      const allow = matches.map((m) => m.route.method).join(", ");
      return json(405, { error: { kind: "method_not_allowed", message: `${allow} only` } }, { Allow: allow });
    }
    if (!(await authorized(request, env))) return json(401, { error: { kind: "unauthorized", message: "a valid Authorization: Bearer <ACCESS_KEY> is required" } });
    const { route, match } = found;
    const missing = route.needs.filter((name) => !env[name]);
    if (missing.length) return json(500, { error: { kind: "config", message: `not configured: ${missing.join(", ")} (see README.md)` } });

    const rawId = /** @type {RegExpExecArray} */ (match)[1];
    const id = rawId === undefined ? "" : decodeSegment(rawId);
    const call = { env, id, query: url.searchParams, request, client: () => graphClient(env) };
    try {
      return await route.handler(call);
    } catch (err) {
      return errorAnswer(err);
    }
  },
};

/**
 * A client for this request. Cheap: the wasm client holds no connection, and
 * its memory is released once it is unreachable.
 * @param {Env} env
 */
function graphClient(env) {
  return new GraphClient({
    accessToken: /** @type {string} checked by the routes that call the Graph */ (env.PAGE_ACCESS_TOKEN),
    baseUrl: env.GRAPH_BASE_URL || undefined,
    apiVersion: env.GRAPH_API_VERSION || undefined,
    ...CLIENT_LIMITS,
  });
}

// ---------------------------------------------------------------- the live inbox

// The inbox lives in this isolate's memory: one per platform, for this
// Worker's Page. It starts empty in every new isolate and is gone when the
// isolate is; Cloudflare may run several isolates at once, each with its own.
// A real deployment keeps it in storage (a Durable Object per account, its
// `inbox.snapshot()` saved after each change; see README.md).
/** @type {Map<Platform, Inbox>} */
const inboxes = new Map();

/**
 * The inbox of `platform` (default Messenger); a bad platform throws the
 * Inbox's own GraphError (invalid_argument, answered 400).
 * @param {Env} env
 * @param {Platform | undefined} which
 */
function inboxOf(env, which = "messenger") {
  let inbox = inboxes.get(which);
  if (!inbox) {
    inbox = new Inbox({ accountId: pageId(env), platform: which });
    inboxes.set(which, inbox);
  }
  return inbox;
}

/**
 * GET /webhook (the subscription handshake) and POST /webhook (events).
 * `Webhook.handle` checks the verify token or the signature over the raw
 * bytes and answers; its events are applied to the inbox after that, in
 * microseconds and in memory, so Meta has its answer well within its 5 s.
 * (An inbox kept in storage would be written after answering, with
 * `ctx.waitUntil`, or through a queue.)
 * @param {Request} request
 * @param {Env} env
 */
async function webhook(request, env) {
  const appSecret = (env.APP_SECRET ?? "").split(",").map((secret) => secret.trim()).filter(Boolean);
  if (!appSecret.length || !env.PAGE_ID) {
    const missing = [appSecret.length ? "" : "APP_SECRET", env.PAGE_ID ? "" : "PAGE_ID"].filter(Boolean);
    return json(500, { error: { kind: "config", message: `not configured: ${missing.join(", ")} (see README.md)` } });
  }
  let verifier;
  try {
    // Without VERIFY_TOKEN every handshake is refused (403); events still verify by signature.
    verifier = new Webhook({ appSecret, verifyToken: env.VERIFY_TOKEN || undefined });
  } catch (err) {
    // Its message names the option, never the value.
    return json(500, { error: { kind: "config", message: `APP_SECRET or VERIFY_TOKEN is not usable: ${err instanceof GraphError ? err.message : "internal error"}` } });
  }
  const { response, events } = await verifier.handle(request);
  if (events.length) applyEvents(env, events);
  return response;
}

/**
 * Applies this Page's events (and, when IG_ACCOUNT_ID is set, that Instagram
 * account's) to the inbox of their platform. An app subscribed for several
 * accounts sends them all to one callback URL: another account's events are
 * acknowledged, not applied.
 * @param {Env} env
 * @param {WebhookEvent[]} events
 */
function applyEvents(env, events) {
  /** @type {Map<Platform, WebhookEvent[]>} */
  const byPlatform = new Map();
  let skipped = 0;
  for (const event of events) {
    const ours = event.platform === "messenger" ? event.accountId === env.PAGE_ID : !env.IG_ACCOUNT_ID || event.accountId === env.IG_ACCOUNT_ID;
    if (!ours) {
      skipped++;
      continue;
    }
    byPlatform.set(event.platform, [...(byPlatform.get(event.platform) ?? []), event]);
  }
  if (skipped) console.log(`webhook: ${skipped} event(s) of another account not applied`);
  for (const [which, list] of byPlatform) {
    try {
      inboxOf(env, which).apply(list);
    } catch (err) {
      // Cannot happen for events handle() gave; Meta gets its 200 anyway,
      // since sending the same events again would fail the same way.
      console.error("webhook: events not applied", err instanceof GraphError ? err.kind : "internal");
    }
  }
}

// ---------------------------------------------------------------- replies

/**
 * POST /threads/:customerId/messages: sends `{ text?, attachment?, replyTo?,
 * tag?, metadata? }` (and `messagingType`, `platform`) through the Send API
 * and answers 201 with the SentMessage, which joins the inbox at once. Its
 * echo webhook, when it comes, is the same message there.
 * @param {Call} call
 */
async function reply({ env, id, request, client }) {
  const message = await jsonObject(request);
  if (message === undefined) {
    return json(400, { error: { kind: "invalid_argument", message: "the body must be a JSON object: { text?, attachment?, replyTo?, tag?, metadata? }" } });
  }
  // The client checks every field, and refuses unknown ones, before sending.
  const sent = await client().sendMessage(pageId(env), id, /** @type {import("graph-conversations").OutgoingMessage} */ (message));
  inboxOf(env, message.platform === "instagram" ? "instagram" : "messenger").apply(sent);
  return json(201, sent);
}

/**
 * The request's body as a JSON object, or undefined when it is not one.
 * @param {Request} request
 * @returns {Promise<Record<string, unknown> | undefined>}
 */
async function jsonObject(request) {
  try {
    const body = await request.json();
    return body !== null && typeof body === "object" && !Array.isArray(body) ? /** @type {Record<string, unknown>} */ (body) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- helpers

/** @param {Env} env */
function pageId(env) {
  return /** @type {string} checked in fetch */ (env.PAGE_ID);
}

/**
 * `platform` from the query string as given: the client refuses anything but
 * "messenger" and "instagram" (invalid_argument, answered 400).
 * @param {URLSearchParams} query
 */
function platform(query) {
  return /** @type {Platform | undefined} */ (query.get("platform") ?? undefined);
}

/**
 * `after`, `before` and `limit` from the query string; the client checks them.
 * @param {URLSearchParams} query
 * @returns {Paging}
 */
function paging(query) {
  /** @type {Paging} */
  const options = {};
  for (const key of /** @type {const} */ (["after", "before"])) if (query.has(key)) options[key] = query.get(key) ?? undefined;
  if (query.has("limit")) options.limit = Number(query.get("limit"));
  return options;
}

/**
 * `platform`, `messages` (per thread), `cursor` and `maxRequests` (≤ SYNC_MAX_REQUESTS).
 * @param {URLSearchParams} query
 * @returns {SyncInboxOptions}
 */
function syncOptions(query) {
  /** @type {SyncInboxOptions} */
  const options = { platform: platform(query), maxRequests: SYNC_MAX_REQUESTS };
  if (query.has("messages")) options.messagesPerConversation = Number(query.get("messages"));
  if (query.has("cursor")) options.cursor = query.get("cursor") ?? undefined;
  if (query.has("maxRequests")) options.maxRequests = Math.min(Number(query.get("maxRequests")), SYNC_MAX_REQUESTS);
  if (query.has("pageSize")) options.pageSize = Number(query.get("pageSize"));
  return options;
}

// A malformed %-escape is left as it is: the client then refuses the id
// with invalid_argument, which answers 400 like any other bad id.
/** @param {string} segment */
function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// The inbox is private: when an ACCESS_KEY secret is set, callers must send it.
/**
 * @param {Request} request
 * @param {Env} env
 */
async function authorized(request, env) {
  if (!env.ACCESS_KEY) return true;
  const given = new TextEncoder().encode(request.headers.get("Authorization") ?? "");
  const expected = new TextEncoder().encode(`Bearer ${env.ACCESS_KEY}`);
  return given.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(given, expected);
}

/**
 * A GraphError as JSON, with an HTTP status that says whose fault it was.
 * @param {unknown} err
 */
function errorAnswer(err) {
  if (!(err instanceof GraphError)) {
    console.error("unexpected error", err);
    return json(500, { error: { kind: "internal", message: "internal error" } });
  }
  const status = statusOf(err);
  // The client never puts the token in a message; these are its own fields.
  const { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, retryAfterMs, attempts } = err;
  // From /sync: where the next invocation goes on (what was read so far is dropped with this answer).
  const cursor = err.cursor;
  // From a send: whether the message went out ("not_sent", "unknown") and, for a refusal, why.
  const { delivery, refusal } = err;
  const body = {
    error: { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, retryAfterMs, attempts, graphStatus: err.status, cursor, delivery, refusal },
  };
  /** @type {Record<string, string>} */
  const headers = status === 429 && retryAfterMs !== undefined ? { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) } : {};
  return json(status, body, headers);
}

/** @param {GraphError} err */
function statusOf(err) {
  if (err.kind === "invalid_argument") return 400;
  // A send without an answer that says: it may have gone out. Not sent again;
  // its echo webhook brings it into the inbox if it did.
  if (err.delivery === "unknown") return 504;
  if (err.kind === "timeout") return 504;
  // The Graph's throttling codes come back as HTTP 400; to this Worker's callers they mean "too many requests".
  if (err.rateLimited) return 429;
  // The Graph refused a send (outside the window, unknown person, …): nothing went out.
  if (err.delivery === "not_sent") return 422;
  if (err.kind !== "graph") return 502; // http, network, decode: the upstream failed us
  if (err.code === 100 && err.subcode === 33) return 404; // no such object (or not visible to this token)
  return 502;
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function json(status, body, headers = {}) {
  // Inbox contents are private: no shared cache may keep them.
  return Response.json(body, { status, headers: { "Cache-Control": "private, no-store", ...headers } });
}
