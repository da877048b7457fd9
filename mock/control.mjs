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
};

/**
 * Answers a request to a /__mock path: `{ status, headers, body }`. A bad
 * fault spec or budget gets 400 `{ mock_error }` saying what is wrong (it is
 * not a Graph answer); an unknown path 404.
 */
export function controlResponse(method, path, body, state) {
  if (method === "OPTIONS") return preflightResponse();
  const action = CONTROLS[`${method} ${path}`];
  if (!action) return plainJsonResponse(404, { error: `unknown mock control path ${path}` });
  let result;
  try {
    result = action(state, body);
  } catch (err) {
    return plainJsonResponse(400, { mock_error: err.message });
  }
  return plainJsonResponse(200, result);
}
