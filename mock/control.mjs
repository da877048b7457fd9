// The /__mock control endpoints: what a test in another process (a browser, a
// Worker) uses instead of the in-process API of startMockGraph. JSON in, JSON
// out; never recorded as Graph requests.
//
//   GET  /__mock/requests         every Graph request seen, in order
//   POST /__mock/reset            empties requests, usage, faults, budgets, stats
//   POST /__mock/fault            switches a fault on ({kind, …}; "times": null = always)
//   GET  /__mock/faults           the faults switched on, with hits and remaining
//   POST /__mock/clear-faults     switches every fault off
//   GET  /__mock/fault-kinds      the fault table (faults.mjs) as plain data
//   GET  /__mock/stats            { rateLimited, faulted, inFlight, maxInFlight }
//   POST /__mock/calls-per-second {"callsPerSecond": n} changes the budget (0 = off)
//
// Webhooks (webhooks.mjs) and what happens between syncs (live.mjs):
//   POST /__mock/webhooks/subscribe     {url, appSecret?, verifyToken?, fields?, objects?, retries?, …}
//                                       (with verifyToken: 400 when the handshake is refused)
//   POST /__mock/webhooks/unsubscribe   {url?} (none: every subscription)
//   GET  /__mock/webhooks/subscriptions the subscriptions (no secrets)
//   GET  /__mock/webhooks/deliveries    every POST attempt: status, ms, outcome, body, headers
//   GET  /__mock/webhooks/events        every event the mock told, delivered or not
//   POST /__mock/webhooks/fault         switches a webhook fault on ({kind, …}; "times": null = always)
//   GET  /__mock/webhooks/faults        the webhook faults switched on
//   POST /__mock/webhooks/clear-faults  switches every webhook fault off
//   POST /__mock/webhooks/configure     {batchWindowMs?, maxEntries?, maxItemsPerEntry?, timeoutMs?, retries?, …}
//   POST /__mock/webhooks/flush         sends what is queued now
//   POST /__mock/webhooks/settled       {timeoutMs?}: answers once every delivery is done
//   POST /__mock/live/<action>          a live action: customerWrites, businessReplies,
//                                       customerEdits, customerUnsends, businessUnsends,
//                                       customerReacts, businessReacts, customerReads,
//                                       customerReceives, businessReads, readState; the body
//                                       names its target (`thread`: a thread or customer id,
//                                       or `mid`) and its options, e.g.
//                                       {"thread": "<psid>", "text": "Hi"} or {"mid": "m_…", "emoji": "❤️"}

import { describeFaultKinds } from "./faults.mjs";
import { describeFault } from "./fault-specs.mjs";
import { plainJsonResponse, preflightResponse } from "./respond.mjs";

const CONTROLS = {
  "GET /__mock/requests": (state) => state.requests,
  "POST /__mock/reset": (state) => { state.reset(); return { ok: true }; },
  "POST /__mock/fault": (state, body) => describeFault(state.faults.add(JSON.parse(body || "null"))),
  "GET /__mock/faults": (state) => state.faults,
  "POST /__mock/clear-faults": (state) => { state.faults.clear(); return { ok: true }; },
  "GET /__mock/fault-kinds": () => describeFaultKinds(),
  "GET /__mock/stats": (state) => state.stats,
  "POST /__mock/calls-per-second": (state, body) => {
    state.budget.set(JSON.parse(body || "{}").callsPerSecond);
    return { callsPerSecond: state.budget.callsPerSecond };
  },
  "POST /__mock/webhooks/subscribe": (state, body) => state.webhooks.subscribe(JSON.parse(body || "{}")),
  "POST /__mock/webhooks/unsubscribe": (state, body) => ({ removed: state.webhooks.unsubscribe(JSON.parse(body || "{}").url) }),
  "GET /__mock/webhooks/subscriptions": (state) => state.webhooks.api().subscriptions,
  "GET /__mock/webhooks/deliveries": (state) => state.webhooks.deliveries,
  "GET /__mock/webhooks/events": (state) => state.webhooks.events,
  "POST /__mock/webhooks/fault": (state, body) => describeFault(state.webhooks.addFault(JSON.parse(body || "null"))),
  "GET /__mock/webhooks/faults": (state) => state.webhooks.faults.map(describeFault),
  "POST /__mock/webhooks/clear-faults": (state) => { state.webhooks.faults.length = 0; return { ok: true }; },
  "POST /__mock/webhooks/configure": (state, body) => state.webhooks.configure(JSON.parse(body || "{}")),
  "POST /__mock/webhooks/flush": (state) => ({ posts: state.webhooks.flush() }),
  "POST /__mock/webhooks/settled": async (state, body) => {
    await state.webhooks.settled(JSON.parse(body || "{}"));
    return { ok: true };
  },
};

// Each live action from a JSON body: its target and its options.
const byThread = (name) => (live, { thread, ...options }) => live[name](thread, options);
const LIVE = {
  customerWrites: byThread("customerWrites"),
  businessReplies: byThread("businessReplies"),
  customerReads: byThread("customerReads"),
  customerReceives: byThread("customerReceives"),
  businessReads: byThread("businessReads"),
  readState: byThread("readState"),
  customerEdits: (live, { mid, text }) => live.customerEdits(mid, text),
  customerUnsends: (live, { mid, ...options }) => live.customerUnsends(mid, options),
  businessUnsends: (live, { mid, ...options }) => live.businessUnsends(mid, options),
  customerReacts: (live, { mid, emoji = null }) => live.customerReacts(mid, emoji),
  businessReacts: (live, { mid, emoji = null }) => live.businessReacts(mid, emoji),
};

function liveAction(method, path) {
  const name = path.slice("/__mock/live/".length);
  if (method !== "POST" || !Object.hasOwn(LIVE, name)) return null;
  return (state, body) => {
    const result = LIVE[name](state.live, JSON.parse(body || "{}"));
    return typeof result === "string" ? { mid: result } : result;
  };
}

/**
 * Answers a request to a /__mock path: resolves to `{ status, headers, body }`.
 * A bad fault spec, budget, subscription or live action gets 400
 * `{ mock_error }` saying what is wrong (it is not a Graph answer); an unknown
 * path 404.
 */
export async function controlResponse(method, path, body, state) {
  if (method === "OPTIONS") return preflightResponse();
  const action = CONTROLS[`${method} ${path}`] ?? (path.startsWith("/__mock/live/") ? liveAction(method, path) : null);
  if (!action) return plainJsonResponse(404, { error: `unknown mock control path ${path}` });
  let result;
  try {
    result = await action(state, body);
  } catch (err) {
    return plainJsonResponse(400, { mock_error: err.message });
  }
  return plainJsonResponse(200, result);
}
