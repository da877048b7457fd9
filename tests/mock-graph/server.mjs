#!/usr/bin/env node
// A local mock of Meta's Graph API (the Conversations API) for the
// graph-conversations tests and benchmarks. Node 20, no npm dependencies,
// listens on 127.0.0.1 only.
//
//   import { startMockGraph, TOKEN, PAGE_ID } from "./tests/mock-graph/server.mjs";
//   const mock = await startMockGraph({ latencyMs: 0, threads: { messenger: 200 } });
//   ... fetch(`${mock.url}/v21.0/${PAGE_ID}/conversations?access_token=${TOKEN}`) ...
//   await mock.close();
//
//   node tests/mock-graph/server.mjs [--port 8787] [--latency-ms 0]
//        [--messenger-threads 60] [--instagram-threads 45]
//
// This file is HTTP only: reading requests, tokens, CORS, usage headers and
// the /__mock control endpoints. What the Graph answers lives in graph.mjs
// (and batch.mjs); the data in data.mjs; field expansion in fields.mjs.

import { createServer } from "node:http";
import { DEFAULT_VERSION, buildInbox } from "./data.mjs";
import { GraphFailure, nextTraceId } from "./errors.mjs";
import { answerCall, authenticate, failureAnswer } from "./graph.mjs";
import { answerBatch } from "./batch.mjs";
import { graphJson } from "./json.mjs";
import { UsageMeter } from "./usage.mjs";

export {
  TOKEN, SECOND_TOKEN, EXPIRED_TOKEN, APP_SECRET, PAGE_ID, PAGE_NAME, IG_ACCOUNT_ID, IG_USERNAME,
  DEFAULT_VERSION, PLATFORMS, FOLDERS, DEFAULT_THREAD_COUNTS, EXTRA_FOLDER_COUNTS, DETAIL_WINDOW,
  ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, threads, buildInbox, findThreadByUser, graphTime,
} from "./data.mjs";
export { TRIGGER_IDS } from "./errors.mjs";
export { VALID_TOKENS, appsecretProof } from "./graph.mjs";
export { MAX_BATCH } from "./batch.mjs";
export { encodeCursor } from "./paging.mjs";

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
 * `threads: { messenger, instagram }` (inbox sizes; default 60 and 45).
 * Resolves to `{ url, port, requests, reset(), close() }`.
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
    reset: () => env.reset(),
    close: () => close(server, env),
  };
}

function createEnv(opts) {
  const timers = new Set();
  const env = {
    inbox: buildInbox(opts.threads ?? {}),
    usage: new UsageMeter(),
    flakyCalls: new Map(),
    requests: [],
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
  if (url.pathname.startsWith("/__mock/")) return control(req, res, url, env);
  env.requests.push(recordOf(req, url, body));
  if (env.latencyMs > 0) await env.sleep(env.latencyMs);
  if (req.method === "OPTIONS") return preflight(res);
  const call = callOf(req, url, body);
  const answer = call.batch ? await batchAnswer(call, env) : await answerCall(call, env);
  if (answer.drop) return req.socket.destroy();
  send(res, answer, env);
}

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
  const version = /^\/(v\d+\.\d+)/.exec(call.path)?.[1] ?? DEFAULT_VERSION;
  try {
    authenticate(call);
    return { status: 200, json: await answerBatch(call, env), headers: {}, platform: "messenger", version };
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    return { ...failureAnswer(err), platform: "messenger", version };
  }
}

// ---------------------------------------------------------------- writing answers

function send(res, answer, env) {
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
  res.writeHead(answer.status, headers);
  res.end(text);
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

function control(req, res, url, env) {
  if (req.method === "OPTIONS") return preflight(res);
  if (req.method === "GET" && url.pathname === "/__mock/requests") return sendPlainJson(res, 200, env.requests);
  if (req.method === "POST" && url.pathname === "/__mock/reset") {
    env.reset();
    return sendPlainJson(res, 200, { ok: true });
  }
  return sendPlainJson(res, 404, { error: `unknown mock control path ${url.pathname}` });
}

// ---------------------------------------------------------------- CLI

const USAGE = "usage: node server.mjs [--port 8787] [--latency-ms 0] [--messenger-threads 60] [--instagram-threads 45]";

// Each flag takes a non-negative integer, as `--flag N` or `--flag=N`.
const FLAGS = {
  "--port": (o, n) => { o.port = n; },
  "--latency-ms": (o, n) => { o.latencyMs = n; },
  "--messenger-threads": (o, n) => { o.threads.messenger = n; },
  "--instagram-threads": (o, n) => { o.threads.instagram = n; },
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
