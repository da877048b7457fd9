#!/usr/bin/env node
// A local mock of Meta's Graph API (the Conversations API) for the
// graph-conversations tests and benchmarks. Node 20, no npm dependencies,
// listens on 127.0.0.1 only.
//
//   import { startMockGraph, TOKEN, PAGE_ID } from "./mock/server.mjs";
//   const mock = await startMockGraph({ latencyMs: 0, threads: { messenger: 200 } });
//   ... fetch(`${mock.url}/v21.0/${PAGE_ID}/conversations?access_token=${TOKEN}`) ...
//   await mock.close();
//
//   node mock/server.mjs [--port 8787] [--latency-ms 0]
//        [--messenger-threads 60] [--instagram-threads 45] [--calls-per-second 0]
//
// startMockGraph(opts) options: `port`, `latencyMs`, `threads`, and
// `callsPerSecond` (default 0 = off): enforce the Conversations API budget
// per access token — a token bucket of `callsPerSecond` calls refilled at
// `callsPerSecond`/s, 50 ms of slack for timer jitter, a batch costs one call
// per item (pacing.mjs). A call over budget gets HTTP 400 with the Graph's 613
// body ("(#613) Calls to this api have exceeded the rate limit.", OAuthException)
// and usage headers at 100% (regain 0 minutes), and counts in stats.rateLimited.
//
// The object it resolves to:
//   url, port, close()
//   requests       every Graph request seen, in order: { method, url, path, query,
//                  headers, body, at (epoch ms, fractional, on arrival), status
//                  (HTTP status answered; null if none: dropped or abandoned),
//                  code (Graph error code of an error answer), fault (its kind,
//                  when a fault answered), rateLimited (true when over budget) }
//   stats          { rateLimited, faulted, inFlight, maxInFlight }
//   fault(spec)    switches a fault on; returns it. spec = { kind, times = 1
//                  (Infinity = always), match = "" (substring of the path),
//                  skip = 0 (let that many matching requests through first),
//                  echoToken (put the token and APP_SECRET in the body), …options }.
//                  kinds (faults.mjs): "http-500"; "html-502" (a ~9 KB proxy page);
//                  "http" {status, contentType, body}; "truncated-json" {mode:
//                  "body" = a short complete body | "transfer" = the connection
//                  drops half way}; "reset"; "slow" {ms = 10000}; "rate-limit-613"
//                  {regainMinutes = 3, retryAfter (s) = none}; "80006" {regainMinutes = 1,
//                  retryAfter}; "code-1" / "code-2" {isTransient = true | false | null};
//                  "graph-error" {code, status = 400, subcode, message, type,
//                  isTransient, regainMinutes, retryAfter}; "repeat-cursor" (match
//                  "/conversations": the page after X says its after cursor is X);
//                  "huge-page" {bytes = 20 MiB} (match "/conversations": one valid
//                  last page of 200 conversations × 25 messages).
//   faults         the faults switched on (with hits and remaining)
//   clearFaults()
//   setCallsPerSecond(n)  changes the budget at run time (0 = off)
//   reset()        empties requests, usage, flaky counters, faults, budgets, stats
//
// Control endpoints (JSON): GET /__mock/requests, POST /__mock/reset,
// POST /__mock/fault (a spec; "times": null means always, since JSON has no
// Infinity), GET /__mock/faults, POST /__mock/clear-faults, GET /__mock/stats,
// POST /__mock/calls-per-second {"callsPerSecond": n}.
//
// This file is HTTP only: reading requests, tokens, CORS, usage headers and
// the /__mock control endpoints. What the Graph answers lives in graph.mjs
// (and batch.mjs); the data in data.mjs; field expansion in fields.mjs.

import { createServer } from "node:http";
import { DEFAULT_VERSION, buildInbox } from "./data.mjs";
import { GraphFailure, failures, nextTraceId } from "./errors.mjs";
import { FaultList, describeFault, faultAnswer } from "./faults.mjs";
import { answerCall, authenticate, failureAnswer } from "./graph.mjs";
import { answerBatch } from "./batch.mjs";
import { graphJson } from "./json.mjs";
import { UsageMeter } from "./usage.mjs";
import { CallBudget, callCost } from "./pacing.mjs";

export {
  TOKEN, SECOND_TOKEN, EXPIRED_TOKEN, APP_SECRET, PAGE_ID, PAGE_NAME, IG_ACCOUNT_ID, IG_USERNAME,
  DEFAULT_VERSION, PLATFORMS, FOLDERS, DEFAULT_THREAD_COUNTS, EXTRA_FOLDER_COUNTS, DETAIL_WINDOW,
  ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, threads, buildInbox, findThreadByUser, graphTime,
} from "./data.mjs";
export { TRIGGER_IDS } from "./errors.mjs";
export { VALID_TOKENS, appsecretProof } from "./graph.mjs";
export { MAX_BATCH } from "./batch.mjs";
export { encodeCursor } from "./paging.mjs";
export { FAULT_KINDS, hugePage } from "./faults.mjs";

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage",
};

const PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Max-Age": "600",
};

// What graph.facebook.com sends on every answer besides the body.
const GRAPH_HEADERS = {
  "Cache-Control": "private, no-cache, no-store, must-revalidate",
  Pragma: "no-cache",
  Expires: "Sat, 01 Jan 2000 00:00:00 GMT",
  "Strict-Transport-Security": "max-age=15552000; preload",
};

// ---------------------------------------------------------------- start / stop

/**
 * Starts the mock on 127.0.0.1.
 * opts: `port` (0 = random), `latencyMs` (delay before each answer),
 * `threads: { messenger, instagram }` (inbox sizes; default 60 and 45),
 * `messagesPerThread` (every thread that long; default: 1 to 45, edge cases pinned),
 * `nestedMessagesCap` (most messages a nested `messages.limit(n)` returns; default 100),
 * `callsPerSecond` (per-token budget; default 0 = off).
 * Resolves to `{ url, port, requests, stats, faults, fault(), clearFaults(),
 * setCallsPerSecond(), reset(), close() }` (see the header comment).
 */
export async function startMockGraph(opts = {}) {
  const env = createEnv(opts);
  const server = createServer((req, res) => {
    handle(req, res, env).catch((err) => internalError(res, err));
  });
  await listen(server, opts.port ?? 0);
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: env.requests,
    stats: env.stats,
    faults: env.faults.list,
    fault: (spec) => env.faults.add(spec),
    clearFaults: () => env.faults.clear(),
    setCallsPerSecond: (n) => env.budget.set(n),
    reset: () => env.reset(),
    close: () => close(server, env),
  };
}

function createEnv(opts) {
  const timers = new Set();
  const env = {
    inbox: buildInbox(opts.threads ?? {}, { messagesPerThread: opts.messagesPerThread }),
    nestedMessagesCap: Number(opts.nestedMessagesCap ?? 100),
    usage: new UsageMeter(),
    flakyCalls: new Map(),
    requests: [],
    faults: new FaultList(),
    budget: new CallBudget(opts.callsPerSecond ?? 0),
    stats: { rateLimited: 0, faulted: 0, inFlight: 0, maxInFlight: 0 },
    latencyMs: Number(opts.latencyMs ?? 0),
    timers,
    // Timers are tracked so close() does not wait for slow answers.
    sleep: (ms) => new Promise((resolve) => {
      const timer = setTimeout(() => { timers.delete(timer); resolve(); }, ms);
      timers.add(timer);
    }),
  };
  env.reset = () => {
    env.requests.length = 0; // in place: callers hold this array
    env.usage.reset();
    env.flakyCalls.clear();
    env.faults.clear();
    env.budget.reset();
    // in place: callers hold this object; requests under way stay counted
    Object.assign(env.stats, { rateLimited: 0, faulted: 0, maxInFlight: env.stats.inFlight });
  };
  return env;
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function close(server, env) {
  for (const timer of env.timers) clearTimeout(timer);
  env.timers.clear();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// ---------------------------------------------------------------- one request

async function handle(req, res, env) {
  const body = await readBody(req);
  // Concatenated, not resolved: a path such as "//v21.0/x" must stay a path.
  const url = new URL(`http://127.0.0.1${req.url.startsWith("/") ? "" : "/"}${req.url}`);
  if (url.pathname.startsWith("/__mock/")) return control(req, res, url, body, env);
  const record = recordOf(req, url, body);
  env.requests.push(record);
  trackInFlight(res, env.stats);
  if (req.method === "OPTIONS") {
    if (env.latencyMs > 0) await env.sleep(env.latencyMs);
    return preflight(res);
  }
  const call = callOf(req, url, body);
  // The budget is spent on arrival, as the Graph counts calls.
  const overBudget = env.budget.spend(call.token, callCost(call)) > 0;
  if (env.latencyMs > 0) await env.sleep(env.latencyMs);
  const answer = await answerFor(call, url, record, overBudget, env);
  if (answer.drop) {
    record.dropped = true;
    return req.socket.destroy();
  }
  send(res, answer, env, record);
}

async function answerFor(call, url, record, overBudget, env) {
  const normal = () => (call.batch ? batchAnswer(call, env) : answerCall(call, env));
  if (overBudget) {
    env.stats.rateLimited += 1;
    record.rateLimited = true;
    return { ...failureAnswer(failures.rateLimited()), platform: "messenger", version: versionOf(call.path) };
  }
  const fault = env.faults.take(url.pathname, call);
  if (!fault) return normal();
  env.stats.faulted += 1;
  record.fault = fault.kind;
  return faultAnswer(fault, call, env, normal);
}

function trackInFlight(res, stats) {
  stats.inFlight += 1;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  res.once("close", () => { stats.inFlight -= 1; });
}

const versionOf = (path) => /^\/(v\d+\.\d+)/.exec(path)?.[1] ?? DEFAULT_VERSION;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function recordOf(req, url, body) {
  return {
    method: req.method,
    url: req.url,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...req.headers },
    body,
    at: performance.timeOrigin + performance.now(),
    status: null,
  };
}

/**
 * Turns an HTTP request into a Graph call. A form-encoded POST with
 * `method=GET` is a read (what Meta's own web code sends); a POST to the
 * root, or with a `batch` parameter, is a batch.
 */
function callOf(req, url, body) {
  const params = { ...Object.fromEntries(url.searchParams), ...bodyParams(req, body) };
  const isPost = req.method === "POST";
  const isRoot = url.pathname.split("/").filter(Boolean).every((s) => /^v\d+\.\d+$/.test(s));
  const readViaPost = isPost && !isRoot && String(params.method ?? "").toUpperCase() === "GET";
  return {
    method: readViaPost ? "GET" : req.method,
    path: url.pathname,
    params,
    token: tokenOf(req, params),
    origin: `http://${req.headers.host ?? "127.0.0.1"}`,
    batch: isPost && (isRoot || params.batch !== undefined),
  };
}

function bodyParams(req, body) {
  if (!body) return {};
  if (String(req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const parsed = JSON.parse(body);
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

// `Authorization: Bearer <t>` or `OAuth <t>`, else `access_token` (query or body).
function tokenOf(req, params) {
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match ? match[1] : params.access_token;
}

async function batchAnswer(call, env) {
  const version = versionOf(call.path);
  try {
    authenticate(call);
    return { status: 200, json: await answerBatch(call, env), headers: {}, platform: "messenger", version };
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    return { ...failureAnswer(err), platform: "messenger", version };
  }
}

// ---------------------------------------------------------------- writing answers

function send(res, answer, env, record = {}) {
  if (res.destroyed || res.writableEnded) return; // the client gave up (abort, timeout)
  const isJson = !answer.raw || answer.raw.contentType.startsWith("application/json");
  const text = answer.raw ? answer.raw.text : graphJson(answer.json);
  const headers = {
    ...CORS_HEADERS,
    // A proxy's 502 page carries none of the Graph's own headers.
    ...(isJson ? graphHeaders(answer, env) : {}),
    "Content-Type": answer.raw ? answer.raw.contentType : "application/json; charset=UTF-8",
    "Content-Length": Buffer.byteLength(text),
  };
  record.status = answer.status;
  const code = answer.json?.error?.code;
  if (code !== undefined) record.code = code;
  res.writeHead(answer.status, headers);
  if (answer.cutAt === undefined) return res.end(text);
  // A transfer that stops half way: the promised Content-Length never arrives.
  res.write(Buffer.from(text).subarray(0, answer.cutAt), () => res.destroy());
}

function graphHeaders(answer, env) {
  return {
    ...GRAPH_HEADERS,
    "Facebook-API-Version": answer.version,
    "x-fb-trace-id": nextTraceId(),
    ...env.usage.headers(answer.platform, answer.throttle),
    ...answer.headers,
  };
}

function preflight(res) {
  res.writeHead(204, { ...CORS_HEADERS, ...PREFLIGHT_HEADERS });
  res.end();
}

function sendPlainJson(res, status, value) {
  const text = JSON.stringify(value);
  res.writeHead(status, { ...CORS_HEADERS, "Content-Type": "application/json; charset=UTF-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

// A bug in the mock must not look like a Graph answer a client should retry.
function internalError(res, err) {
  console.error("mock Graph internal error:", err);
  if (res.headersSent || res.destroyed) return res.destroy();
  sendPlainJson(res, 500, { mock_internal_error: String(err?.stack ?? err) });
}

// ---------------------------------------------------------------- /__mock control

const CONTROLS = {
  "GET /__mock/requests": (env) => env.requests,
  "POST /__mock/reset": (env) => { env.reset(); return { ok: true }; },
  "POST /__mock/fault": (env, body) => describeFault(env.faults.add(JSON.parse(body || "null"))),
  "GET /__mock/faults": (env) => env.faults,
  "POST /__mock/clear-faults": (env) => { env.faults.clear(); return { ok: true }; },
  "GET /__mock/stats": (env) => env.stats,
  "POST /__mock/calls-per-second": (env, body) => {
    env.budget.set(JSON.parse(body || "{}").callsPerSecond);
    return { callsPerSecond: env.budget.callsPerSecond };
  },
};

function control(req, res, url, body, env) {
  if (req.method === "OPTIONS") return preflight(res);
  const action = CONTROLS[`${req.method} ${url.pathname}`];
  if (!action) return sendPlainJson(res, 404, { error: `unknown mock control path ${url.pathname}` });
  let result;
  try {
    result = action(env, body);
  } catch (err) {
    // A bad fault spec or budget: say what is wrong; it is not a Graph answer.
    return sendPlainJson(res, 400, { mock_error: err.message });
  }
  return sendPlainJson(res, 200, result);
}

// ---------------------------------------------------------------- CLI

const USAGE = "usage: node server.mjs [--port 8787] [--latency-ms 0] [--messenger-threads 60] [--instagram-threads 45] [--calls-per-second 0]";

// Each flag takes a non-negative integer, as `--flag N` or `--flag=N`.
const FLAGS = {
  "--port": (o, n) => { o.port = n; },
  "--latency-ms": (o, n) => { o.latencyMs = n; },
  "--messenger-threads": (o, n) => { o.threads.messenger = n; },
  "--instagram-threads": (o, n) => { o.threads.instagram = n; },
  "--calls-per-second": (o, n) => { o.callsPerSecond = n; },
};

function parseArgs(argv) {
  const options = { port: 8787, latencyMs: 0, threads: {} };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = Number(inline ?? argv[++i]);
    if (!FLAGS[flag] || !Number.isInteger(value) || value < 0) throw new Error(`${USAGE}\n(bad argument: ${flag})`);
    FLAGS[flag](options, value);
  }
  return options;
}

async function main() {
  const mock = await startMockGraph(parseArgs(process.argv.slice(2)));
  console.log(`mock Graph listening on ${mock.url}`);
  const stop = () => mock.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

const isMain = process.argv[1] && decodeURIComponent(new URL(import.meta.url).pathname) === process.argv[1];
if (isMain) {
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
