// A Cloudflare Worker that reads a Page's Messenger or Instagram inbox
// through graph-conversations and answers JSON. See README.md.
//
//   GET /conversations?platform=instagram[&after=…][&limit=…]  a page of conversations
//   GET /threads/:id[?after=…][&limit=…]                         a page of a thread's messages
//   GET /messages/:id                                            one message with its details
//   GET /sync?platform=instagram[&messages=20][&cursor=…]        the inbox with each thread's newest
//                                                                messages and their details, in at
//                                                                most SYNC_MAX_REQUESTS calls
//
// "graph-conversations" resolves to the package's `workerd` entry, which
// imports the .wasm as a compiled module (wrangler's default rule for .wasm).
import { GraphClient, GraphError } from "graph-conversations";

/**
 * @typedef {import("../env.js").Env} Env
 * @typedef {import("graph-conversations").Platform} Platform
 * @typedef {import("graph-conversations").SyncInboxOptions} SyncInboxOptions
 * @typedef {{ after?: string, before?: string, limit?: number }} Paging
 * A route's Graph call; `id` is the route's decoded path segment ("" for a route without one).
 * @typedef {(client: GraphClient, env: Env, id: string, query: URLSearchParams) => Promise<unknown>} Handler
 */

// Each route is exactly one Graph call, so one subrequest per invocation
// (the free plan allows 50). Transient failures are not retried here: they
// reach the caller with `transient: true` (and Retry-After on a rate limit),
// who can retry without holding a Worker invocation open. The timeout keeps
// a stuck Graph call from doing so either.
const CLIENT_LIMITS = { maxRetries: 0, timeoutMs: 10_000 };

// A sync stops after this many Graph calls, below the free plan's 50
// subrequests per invocation; it then answers `complete: false` and a
// `cursor` that the next invocation passes back to go on.
const SYNC_MAX_REQUESTS = 40;

/** @type {[RegExp, Handler][]} */
const ROUTES = [
  [/^\/conversations$/, (client, env, _id, q) => client.listConversations(pageId(env), { platform: platform(q), ...paging(q) })],
  [/^\/threads\/([^/]+)$/, (client, _env, id, q) => client.listMessages(id, paging(q))],
  [/^\/messages\/([^/]+)$/, (client, _env, id) => client.getMessage(id)],
  [/^\/sync$/, (client, env, _id, q) => client.syncInbox(pageId(env), syncOptions(q))],
];

export default {
  /**
   * @param {Request} request
   * @param {Env} env
   * @returns {Promise<Response>}
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    const match = route(url.pathname);
    if (!match) return json(404, { error: { kind: "not_found", message: `no route for ${url.pathname}` } });
    if (request.method !== "GET") return json(405, { error: { kind: "method_not_allowed", message: "GET only" } }, { Allow: "GET" });
    if (!(await authorized(request, env))) return json(401, { error: { kind: "unauthorized", message: "a valid Authorization: Bearer <ACCESS_KEY> is required" } });
    const missing = /** @type {const} */ (["PAGE_ACCESS_TOKEN", "PAGE_ID"]).filter((name) => !env[name]);
    if (missing.length) return json(500, { error: { kind: "config", message: `not configured: ${missing.join(", ")} (see README.md)` } });

    const { rawId, handler } = match;
    const id = rawId === undefined ? "" : decodeSegment(rawId);
    const client = new GraphClient({
      accessToken: /** @type {string} checked above */ (env.PAGE_ACCESS_TOKEN),
      baseUrl: env.GRAPH_BASE_URL || undefined,
      apiVersion: env.GRAPH_API_VERSION || undefined,
      ...CLIENT_LIMITS,
    });
    try {
      return json(200, await handler(client, env, id, url.searchParams));
    } catch (err) {
      return errorAnswer(err);
    }
  },
};

/**
 * The first route whose pattern matches the path, with the segment it captured.
 * @param {string} pathname
 * @returns {{ handler: Handler, rawId: string | undefined } | undefined}
 */
function route(pathname) {
  for (const [pattern, handler] of ROUTES) {
    const match = pattern.exec(pathname);
    if (match) return { handler, rawId: match[1] };
  }
  return undefined;
}

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
  const { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, retryAfterMs } = err;
  // From /sync: where the next invocation goes on (what was read so far is dropped with this answer).
  const cursor = err.cursor;
  const body = { error: { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, retryAfterMs, graphStatus: err.status, cursor } };
  /** @type {Record<string, string>} */
  const headers = status === 429 && retryAfterMs !== undefined ? { "Retry-After": String(Math.ceil(retryAfterMs / 1000)) } : {};
  return json(status, body, headers);
}

/** @param {GraphError} err */
function statusOf(err) {
  if (err.kind === "invalid_argument") return 400;
  if (err.kind === "timeout") return 504;
  // The Graph's throttling codes come back as HTTP 400; to this Worker's callers they mean "too many requests".
  if (err.rateLimited) return 429;
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
