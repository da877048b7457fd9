// The mock Graph as a handler that assumes no platform: a Fetch-like request
// description in, an HTTP answer out. It keeps the mock's state (the inbox,
// the requests seen, usage, faults, the call budget) and applies the Graph's
// rules in order: /__mock control paths, recording, CORS preflight, the call
// budget, latency, switched-on faults, then the Graph itself (graph.mjs,
// batch.mjs). node-http.mjs serves it on node:http; another runtime needs only
// its own few lines of HTTP in and out. It also holds what happens between
// syncs (live.mjs: a customer writes, the business replies, …), which changes
// the inbox it serves and is told to webhook subscribers (webhooks.mjs), the
// sends it took (send.mjs) and the clock their reply windows are measured on.
//
// Paths under INSTAGRAM_LOGIN_PATH (`/instagram`) are graph.instagram.com,
// the Instagram API with Instagram Login (graph.mjs: the "instagram"
// flavour); every other path is graph.facebook.com.
//
//   const graph = createGraphHandler({ threads: { messenger: 60 } });
//   const answer = await graph.handle({ method: "GET", url: "/v24.0/me?access_token=…", headers: {}, body: "" });
//   // → { status, headers, body: Uint8Array, cutAt? } or { drop: true }

import { answerBatchCall } from "./batch.mjs";
import { callOf, platformOf, versionOf } from "./call.mjs";
import { controlResponse } from "./control.mjs";
import { buildInbox } from "./data.mjs";
import { answerFault } from "./faults.mjs";
import { FaultList, parseFault } from "./fault-specs.mjs";
import { answerCall } from "./graph.mjs";
import { createLive } from "./live.mjs";
import { CallBudget, callCost } from "./pacing.mjs";
import { createInboxClock, isSendCall } from "./send.mjs";
import { graphResponse, plainJsonResponse, preflightResponse } from "./respond.mjs";
import { UsageMeter } from "./usage.mjs";
import { WebhookSender } from "./webhooks.mjs";

// Over the per-token budget: the Graph's 613, and access comes back within a
// second, so the regain estimate rounds down to 0 minutes.
const OVER_BUDGET = Object.freeze(parseFault({ kind: "rate-limit-613", regainMinutes: 0 }));

/**
 * The base path of graph.instagram.com in the mock: a client of the
 * Instagram API with Instagram Login takes `${mock.url}/instagram` as its
 * baseUrl, so `/instagram/v24.0/me/conversations` is
 * graph.instagram.com's `/v24.0/me/conversations`.
 */
export const INSTAGRAM_LOGIN_PATH = "/instagram";

/**
 * Creates a mock Graph that answers request descriptions.
 *
 * Paths under `/instagram` are answered as graph.instagram.com (Instagram
 * API with Instagram Login: IG_USER_TOKEN, `me`, Instagram only); the rest as
 * graph.facebook.com. `POST /{account-id}/messages` is the Send API
 * (send.mjs): what it takes is in `sends`.
 *
 * `options`: `threads: { messenger, instagram }` (inbox sizes; default 60 and 45),
 * `messagesPerThread` (every thread that long; default: 1 to 45, edge cases pinned),
 * `nestedMessagesCap` (most messages a nested `messages.limit(n)` returns; default 100),
 * `latencyMs` (delay before each answer; default 0),
 * `callsPerSecond` (per-token budget; default 0 = off),
 * `webhooks` (delivery options: webhooks.mjs, WEBHOOK_DEFAULTS).
 *
 * Returns `{ handle(request), requests, stats, faults, fault(spec), clearFaults(),
 * setCallsPerSecond(n), reset(), close(), webhooks, …the live actions }`:
 * `webhooks` is the webhook side (subscribe, deliveries, faults: webhooks.mjs),
 * the live actions (customerWrites, businessReplies, customerEdits,
 * customerUnsends, businessUnsends, customerReacts, businessReacts,
 * customerReads, customerReceives, businessReads, readState: live.mjs) change
 * the inbox served and send the webhooks. `reset()` also restores the seeded
 * inbox and empties the webhook logs, queue and faults (subscriptions stay).
 *
 * `handle` takes `{ method, url, headers, body, signal? }`: `url` absolute or a path with its query,
 * `headers` a plain object or a Headers, `body` text, `signal` an AbortSignal
 * that aborts when the client goes away. It resolves to `{ status, headers,
 * body: Uint8Array }`, possibly with `cutAt` (send that many bytes of the body,
 * then drop the connection), or to `{ drop: true }` (drop the connection, or
 * the client is gone: send nothing). It never rejects: a bug in the mock
 * answers 500 `{ mock_internal_error }`, which is no Graph answer.
 * `close()` cancels pending delays and webhook deliveries.
 */
export function createGraphHandler(options = {}) {
  const state = createState(options);
  return {
    handle: (request) => handle(request, state).catch(internalError),
    requests: state.requests,
    sends: state.sends,
    stats: state.stats,
    faults: state.faults.list,
    fault: (spec) => state.faults.add(spec),
    clearFaults: () => state.faults.clear(),
    setCallsPerSecond: (n) => state.budget.set(n),
    reset: () => state.reset(),
    close: () => state.close(),
    webhooks: state.webhooks.api(),
    ...liveActions(state.live),
  };
}

/** The live actions (live.mjs) a mock exposes, by name. */
export const LIVE_ACTIONS = Object.freeze([
  "customerWrites", "businessReplies", "customerEdits", "customerUnsends", "businessUnsends",
  "customerReacts", "businessReacts", "customerReads", "customerReceives", "businessReads", "readState",
]);

function liveActions(live) {
  return Object.fromEntries(LIVE_ACTIONS.map((name) => [name, live[name]]));
}

function createState(options) {
  const timers = new Set();
  const seeded = buildInbox(options.threads ?? {}, { messagesPerThread: options.messagesPerThread });
  const webhooks = new WebhookSender(options.webhooks ?? {});
  const state = {
    // The shared seeded inbox until a live action gives this mock its own copy (live.mjs).
    inbox: seeded,
    pristineInbox: seeded,
    webhooks,
    live: null,
    nestedMessagesCap: Number(options.nestedMessagesCap ?? 100),
    usage: new UsageMeter(),
    idCalls: new Map(), // calls per magic id since reset (fault-specs.mjs: faultOfId)
    requests: [],
    sends: [], // what the Send API took (send.mjs)
    clock: createInboxClock(), // reply windows are measured on it
    faults: new FaultList(),
    budget: new CallBudget(options.callsPerSecond ?? 0),
    stats: { rateLimited: 0, faulted: 0, inFlight: 0, maxInFlight: 0 },
    latencyMs: Number(options.latencyMs ?? 0),
    // Timers are tracked so close() does not wait for slow answers.
    sleep: (ms) => new Promise((resolve) => {
      const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
      timers.add(timer);
    }),
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      webhooks.close();
    },
  };
  state.live = createLive(state, (event) => webhooks.enqueue(event));
  state.reset = () => {
    state.requests.length = 0; // in place: callers hold these arrays
    state.sends.length = 0;
    state.clock.reset();
    state.usage.reset();
    state.idCalls.clear();
    state.faults.clear();
    state.budget.reset();
    // in place: callers hold this object; requests under way stay counted
    Object.assign(state.stats, { rateLimited: 0, faulted: 0, maxInFlight: state.stats.inFlight });
    state.live.reset();
    state.webhooks.reset();
  };
  return state;
}

// ---------------------------------------------------------------- one request

async function handle(request, state) {
  const method = String(request.method ?? "GET").toUpperCase();
  const headers = plainHeaders(request.headers);
  const body = request.body ?? "";
  const { target, url, origin } = targetOf(String(request.url ?? "/"), headers);
  if (url.pathname.startsWith("/__mock/")) return controlResponse(method, url.pathname, body, state);
  const record = recordOf(method, target, url, headers, body);
  const flavour = flavourOf(url);
  state.requests.push(record);
  const done = trackInFlight(state.stats, request.signal);
  try {
    if (method === "OPTIONS") {
      if (state.latencyMs > 0) await state.sleep(state.latencyMs);
      return preflightResponse();
    }
    const call = flavour.call(callOf({ method, headers }, flavour.url, body, origin));
    // The budget is spent on arrival, as the Graph counts calls. It is the
    // Conversations API's: sends have their own, far larger one.
    const overBudget = !isSendCall(call) && state.budget.spend(call.token, callCost(call)) > 0;
    if (state.latencyMs > 0) await state.sleep(state.latencyMs);
    const answer = await answerFor(call, record, overBudget, state);
    if (answer.drop) {
      record.dropped = true;
      return { drop: true };
    }
    if (request.signal?.aborted) return { drop: true }; // the client gave up (abort, timeout): status stays null
    record.status = answer.status;
    const code = answer.json?.error?.code;
    if (code !== undefined) record.code = code;
    return graphResponse(answer, state.usage);
  } finally {
    done();
  }
}

// Over budget, then the first switched-on fault that matches, then the Graph.
async function answerFor(call, record, overBudget, state) {
  const normal = () => (call.batch ? answerBatchCall(call, state) : answerCall(call, state));
  let fault = OVER_BUDGET;
  if (overBudget) {
    state.stats.rateLimited += 1;
    record.rateLimited = true;
  } else {
    // Matched against the path as sent (`/instagram/…` included).
    fault = state.faults.take(record.path, call);
    if (!fault) return normal();
    state.stats.faulted += 1;
    record.fault = fault.kind;
  }
  const answer = await answerFault(fault, { call, normal, sleep: state.sleep });
  const platform = call.flavour === "instagram" ? "instagram" : platformOf(call.params);
  return { platform, version: versionOf(call.path), flavour: call.flavour, ...answer };
}

// graph.instagram.com under `/instagram`: the path without it, and paging
// links that keep it.
function flavourOf(url) {
  const path = url.pathname;
  const under = path === INSTAGRAM_LOGIN_PATH || path.startsWith(`${INSTAGRAM_LOGIN_PATH}/`);
  if (!under) return { url, call: (call) => ({ ...call, flavour: "facebook" }) };
  const inner = new URL(url);
  inner.pathname = path.slice(INSTAGRAM_LOGIN_PATH.length) || "/";
  return { url: inner, call: (call) => ({ ...call, flavour: "instagram", origin: `${call.origin}${INSTAGRAM_LOGIN_PATH}` }) };
}

// Counts a request from arrival until it is answered or its client leaves.
function trackInFlight(stats, signal) {
  stats.inFlight += 1;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  let open = true;
  const done = () => {
    if (!open) return;
    open = false;
    stats.inFlight -= 1;
    signal?.removeEventListener("abort", done);
  };
  signal?.addEventListener("abort", done, { once: true });
  return done;
}

// ---------------------------------------------------------------- request descriptions

// Lowercase names, as node:http and Headers give them.
function plainHeaders(headers) {
  if (!headers) return {};
  if (typeof headers.entries === "function" && typeof headers.get === "function") return Object.fromEntries(headers.entries());
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

// An absolute URL, or a request target as received: concatenated, not
// resolved, so a path such as "//v21.0/x" stays a path.
function targetOf(text, headers) {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
    const url = new URL(text);
    return { target: url.pathname + url.search, url, origin: url.origin };
  }
  const url = new URL(`http://127.0.0.1${text.startsWith("/") ? "" : "/"}${text}`);
  return { target: text, url, origin: `http://${headers.host ?? "127.0.0.1"}` };
}

function recordOf(method, target, url, headers, body) {
  return {
    method,
    url: target,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    at: performance.timeOrigin + performance.now(),
    status: null,
  };
}

// A bug in the mock must not look like a Graph answer a client should retry.
function internalError(err) {
  console.error("mock Graph internal error:", err);
  return plainJsonResponse(500, { mock_internal_error: String(err?.stack ?? err) });
}
