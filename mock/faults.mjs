// Switchable faults for the mock Graph: what a real inbox sync meets on a bad
// day (a 500, a proxy's HTML page, a body cut short, a reset connection, a slow
// answer, rate limits, a cursor that never moves, a 20 MB page), turned on at
// run time by a test with `mock.fault({ kind, times, match, … })` or
// `POST /__mock/fault`.
//
// A fault is consulted for every Graph request (not /__mock ones, not CORS
// preflights) that passed the call budget (pacing.mjs), in the order the
// faults were added; the first one that matches answers. `times` answers get
// it (1 = once, Infinity = always), after `skip` matching requests went through
// untouched.

import { APP_SECRET, DEFAULT_VERSION, PAGE_ID, PAGE_NAME, graphTime } from "./data.mjs";
import { GraphFailure } from "./errors.mjs";
import { failureAnswer } from "./graph.mjs";
import { graphJson } from "./json.mjs";
import { encodeCursor } from "./paging.mjs";

const oauth = (code, message, extra = {}) => ({ message, type: "OAuthException", code, ...extra });
const RATE_LIMIT_DOC = "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.";
const JSON_TYPE = "application/json; charset=UTF-8";

/** Every fault kind and the options it reads (besides kind, times, match, skip, echoToken). */
export const FAULT_KINDS = Object.freeze({
  "http-500": [],                                  // 500, text/plain "Internal Server Error"
  "html-502": [],                                  // 502, a proxy's HTML page (~9 KB), no Graph headers
  http: ["status", "contentType", "body"],         // any non-Graph answer
  "truncated-json": ["mode"],                      // the real answer cut in half; mode "body" | "transfer"
  reset: [],                                       // the connection is dropped without an answer
  slow: ["ms"],                                    // the real answer, `ms` later (default 10000)
  "rate-limit-613": ["regainMinutes", "retryAfter"], // 400 code 613 + usage headers (regain default 3 min)
  80006: ["regainMinutes", "retryAfter"],          // 400 code 80006 + usage headers (regain default 1 min)
  "code-1": ["isTransient"],                       // 500 code 1 "An unknown error occurred"
  "code-2": ["isTransient"],                       // 503 code 2 "An unexpected error has occurred…"
  "graph-error": ["code", "status", "subcode", "message", "type", "isTransient", "regainMinutes", "retryAfter"],
  "repeat-cursor": [],                             // a list answer to `after=X` names X as its after cursor again
  "huge-page": ["bytes"],                          // a valid conversations page of ~`bytes` (default 20 MiB)
});

/** Where a kind applies when the fault gives no `match`. */
const DEFAULT_MATCH = { "repeat-cursor": "/conversations", "huge-page": "/conversations" };

/** The faults switched on for one mock server. */
export class FaultList {
  constructor() {
    this.list = [];
    this.nextId = 1;
  }

  /** Validates a fault spec (a plain object, e.g. parsed from JSON) and switches it on. */
  add(spec) {
    const fault = parseFault(spec, this.nextId);
    this.nextId += 1;
    this.list.push(fault);
    return fault;
  }

  clear() {
    this.list.length = 0;
  }

  /**
   * The fault that answers this request, or null; counts it as used.
   * `path` is the HTTP path; `call` the Graph call (its params say whether
   * a cursor fault applies).
   */
  take(path, call) {
    for (const fault of this.list) {
      if (fault.remaining <= 0 || !path.includes(fault.match) || !applies(fault, call)) continue;
      if (fault.skipped < fault.skip) {
        fault.skipped += 1;
        continue;
      }
      fault.remaining -= 1;
      fault.hits += 1;
      return fault;
    }
    return null;
  }

  /** JSON-friendly view: `times`/`remaining` of an always-on fault are null. */
  toJSON() {
    return this.list.map(describeFault);
  }
}

export function describeFault(fault) {
  const finite = (n) => (Number.isFinite(n) ? n : null);
  return { ...fault, times: finite(fault.times), remaining: finite(fault.remaining) };
}

// A cursor that repeats needs a cursor to repeat.
function applies(fault, call) {
  if (fault.kind === "repeat-cursor") return call.method === "GET" && typeof call.params.after === "string" && call.params.after !== "";
  if (fault.kind === "huge-page") return call.method === "GET";
  return true;
}

// ---------------------------------------------------------------- parsing a spec

function parseFault(spec, id) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError("a fault is an object: { kind, times?, match?, … }");
  const kind = String(spec.kind);
  if (!Object.hasOwn(FAULT_KINDS, kind)) {
    throw new TypeError(`unknown fault kind ${JSON.stringify(spec.kind)}; known: ${Object.keys(FAULT_KINDS).join(", ")}`);
  }
  const allowed = new Set(["kind", "times", "match", "skip", "echoToken", ...FAULT_KINDS[kind]]);
  for (const key of Object.keys(spec)) {
    if (!allowed.has(key)) throw new TypeError(`fault ${kind} takes no option ${key}; it takes ${[...allowed].join(", ")}`);
  }
  const times = parseTimes(spec.times);
  const fault = {
    id,
    kind,
    times,
    remaining: times,
    match: spec.match === undefined ? DEFAULT_MATCH[kind] ?? "" : String(spec.match),
    skip: count(spec.skip ?? 0, "skip"),
    skipped: 0,
    hits: 0,
    echoToken: Boolean(spec.echoToken),
  };
  for (const key of FAULT_KINDS[kind]) if (spec[key] !== undefined) fault[key] = spec[key];
  checkOptions(fault);
  return fault;
}

// JSON has no Infinity: JSON.stringify turns it into null, so null means
// always, as do "always" and "Infinity"; an absent `times` means once.
function parseTimes(times) {
  if (times === undefined) return 1;
  if (times === null || times === Infinity || times === "always" || times === "Infinity") return Infinity;
  const n = count(times, "times");
  if (n < 1) throw new TypeError("fault times must be at least 1 (or Infinity / null / \"always\")");
  return n;
}

function count(value, name) {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`fault ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value;
}

function checkOptions(fault) {
  const nonNegative = (key) => {
    if (fault[key] !== undefined && !(typeof fault[key] === "number" && fault[key] >= 0 && Number.isFinite(fault[key]))) {
      throw new TypeError(`fault ${fault.kind}: ${key} must be a non-negative number`);
    }
  };
  ["ms", "regainMinutes", "retryAfter", "bytes"].forEach(nonNegative);
  if (fault.regainMinutes !== undefined && !Number.isInteger(fault.regainMinutes)) {
    throw new TypeError("regainMinutes is whole minutes, as in the usage headers");
  }
  if (fault.kind === "graph-error" && !Number.isInteger(fault.code)) throw new TypeError("fault graph-error needs a numeric code");
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) {
    throw new TypeError("fault status must be an HTTP status");
  }
  if (fault.mode !== undefined && !["body", "transfer"].includes(fault.mode)) throw new TypeError('truncated-json mode is "body" or "transfer"');
  if (fault.isTransient !== undefined && fault.isTransient !== null && typeof fault.isTransient !== "boolean") {
    throw new TypeError("isTransient is true, false, or null (no is_transient in the body)");
  }
}

// ---------------------------------------------------------------- answering

/**
 * The answer to `call` under `fault`. `normal()` computes the answer the
 * mock would give without it (for the faults that bend a real answer).
 * An answer may carry `drop` (destroy the socket) or `cutAt` (write that
 * many bytes of the body, then destroy the socket).
 */
export async function faultAnswer(fault, call, env, normal) {
  const version = /^\/(v\d+\.\d+)/.exec(call.path)?.[1] ?? DEFAULT_VERSION;
  const platform = String(call.params.platform ?? "").toLowerCase() === "instagram" ? "instagram" : "messenger";
  const echo = fault.echoToken ? ` [request access_token=${call.token} appsecret=${APP_SECRET}]` : "";
  const graphFailure = (status, error, usage, retryAfter) => {
    const headers = retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) };
    const answer = failureAnswer(new GraphFailure(status, { ...error, message: error.message + echo }, { usage, headers }));
    return { ...answer, platform, version };
  };
  const raw = (status, contentType, text) => ({ status, raw: { contentType, text }, headers: {}, platform, version });
  // is_transient as asked: true / false, or null for a body without it.
  const transient = (fallback) => {
    const value = fault.isTransient === undefined ? fallback : fault.isTransient;
    return value === null ? {} : { is_transient: value };
  };

  switch (fault.kind) {
    case "http-500":
      return raw(500, "text/plain; charset=utf-8", `Internal Server Error${echo}`);
    case "html-502":
      return raw(502, "text/html; charset=utf-8", proxyPage(echo));
    case "http":
      return raw(fault.status ?? 500, fault.contentType ?? "text/plain; charset=utf-8", `${fault.body ?? "Mock HTTP failure"}${echo}`);
    case "reset":
      return { drop: true };
    case "slow":
      await env.sleep(fault.ms ?? 10_000);
      return normal();
    case "truncated-json":
      return truncated(await normal(), fault.mode ?? "body");
    case "rate-limit-613":
      return graphFailure(400, oauth(613, "(#613) Calls to this api have exceeded the rate limit."),
        { buc: 100, regain: fault.regainMinutes ?? 3 }, fault.retryAfter);
    case "80006":
      return graphFailure(400,
        oauth(80006, `(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. ${RATE_LIMIT_DOC}`),
        { buc: 100, regain: fault.regainMinutes ?? 1 }, fault.retryAfter);
    case "code-1":
      return graphFailure(500, oauth(1, "An unknown error occurred", { error_subcode: 99, ...transient(true) }));
    case "code-2":
      return graphFailure(503, oauth(2, "An unexpected error has occurred. Please retry your request later.", transient(true)));
    case "graph-error": {
      const error = {
        message: fault.message ?? `(#${fault.code}) Mock Graph error ${fault.code}`,
        type: fault.type ?? "OAuthException",
        code: fault.code,
        ...(fault.subcode === undefined ? {} : { error_subcode: fault.subcode }),
        ...transient(null),
      };
      const usage = fault.regainMinutes === undefined ? null : { buc: 100, regain: fault.regainMinutes };
      return graphFailure(fault.status ?? 400, error, usage, fault.retryAfter);
    }
    case "repeat-cursor":
      return repeatCursor(await normal(), call.params.after);
    case "huge-page":
      return { ...raw(200, JSON_TYPE, hugePage(fault.bytes ?? 20 * 1024 * 1024)), platform: "messenger" };
    default:
      throw new Error(`fault kind ${fault.kind} has no answer`);
  }
}

// The answer's body cut in half: as a complete short body ("body"), or as a
// transfer that stops half way through the promised Content-Length ("transfer").
function truncated(answer, mode) {
  if (answer.drop) return answer;
  const text = answer.raw ? answer.raw.text : graphJson(answer.json);
  const cut = Math.max(1, Math.floor(Buffer.byteLength(text) / 2));
  const contentType = answer.raw?.contentType ?? JSON_TYPE;
  if (mode === "transfer") return { ...answer, json: undefined, raw: { contentType, text }, cutAt: cut };
  return { ...answer, json: undefined, raw: { contentType, text: Buffer.from(text).subarray(0, cut).toString("utf8") } };
}

// The page after X answers "after: X" again, so a client that trusts the
// cursor asks for the same page forever.
function repeatCursor(answer, after) {
  const paging = answer.json?.paging;
  if (answer.status !== 200 || !paging?.cursors) return answer;
  const json = structuredClone(answer.json);
  json.paging.cursors.after = after;
  if (json.paging.next) {
    const next = new URL(json.paging.next);
    next.searchParams.set("after", after);
    json.paging.next = next.toString();
  }
  return { ...answer, json };
}

function proxyPage(echo) {
  const filler = Array.from({ length: 60 }, (_, i) =>
    `<p class="detail">Diagnostic line ${i + 1}: upstream connect error or disconnect/reset before headers. reset reason: connection termination</p>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>502 Bad Gateway${echo.replace(/[<>&]/g, "")}</title>
<style>
body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif; color: #1c1e21; background: #f0f2f5; }
.box { max-width: 640px; margin: 80px auto; padding: 24px; background: #fff; border-radius: 8px; }
.detail { font-size: 12px; color: #606770; }
</style>
</head>
<body>
<div class="box">
<h1>502 Bad Gateway</h1>
<p>The proxy server received an invalid response from an upstream server.</p>
${filler}
<hr><center>nginx</center>
</div>
</body>
</html>
`;
}

// ---------------------------------------------------------------- the 20 MB page

const HUGE_CONVERSATIONS = 200; // the Graph's reported cap per page
const HUGE_MESSAGES = 25;
const hugeCache = new Map();

/**
 * A valid, last page of 200 conversations, each with participants and its 25
 * newest messages (long texts), about `bytes` long once written the Graph's
 * way. Built once per size.
 */
export function hugePage(bytes) {
  if (!hugeCache.has(bytes)) {
    // Escaped emoji make a character of text cost more than a byte: measure.
    const empty = graphJson(hugeBody(0)).length;
    const perChar = (graphJson(hugeBody(1000)).length - empty) / 1000;
    const textLength = Math.max(0, Math.round((bytes - empty) / perChar));
    hugeCache.set(bytes, graphJson(hugeBody(textLength)));
  }
  return hugeCache.get(bytes);
}

const PROSE = "Hello again! Following up on the catering order for Friday: 40 oat flat whites, 12 decaf, "
  + "a tray of cinnamon buns and the gluten-free muffins ☕🥐. Could the delivery come to the side entrance? ";

function hugeBody(textLength) {
  const newest = Date.UTC(2026, 10, 20, 14, 3, 11) / 1000;
  const page = { name: PAGE_NAME, email: `${PAGE_ID}@facebook.com`, id: PAGE_ID };
  const text = PROSE.repeat(Math.ceil(textLength / PROSE.length) + 1).slice(0, textLength);
  const data = [];
  for (let i = 0; i < HUGE_CONVERSATIONS; i++) {
    const psid = String(7_100_000_000_000_000 + i * 7919);
    const person = { name: `Customer ${i + 1}`, email: `${psid}@facebook.com`, id: psid };
    const updated = newest - i * 3600;
    const messages = Array.from({ length: HUGE_MESSAGES }, (_, j) => ({
      id: `m_huge${String(i).padStart(3, "0")}x${String(j).padStart(2, "0")}`,
      created_time: graphTime(updated - j * 60),
      from: j % 2 ? page : person,
      to: { data: [j % 2 ? person : page] },
      message: `#${j} ${text}`,
    }));
    data.push({
      id: `t_${9_100_000_000_000 + i}`,
      updated_time: graphTime(updated),
      message_count: HUGE_MESSAGES,
      unread_count: i % 3,
      snippet: `#0 ${text}`.slice(0, 100),
      participants: { data: [person, page] },
      messages: { data: messages, paging: { cursors: { before: encodeCursor(`m|huge|${i}`, 0), after: encodeCursor(`m|huge|${i}`, HUGE_MESSAGES - 1) } } },
    });
  }
  return { data, paging: { cursors: { before: encodeCursor("c|huge", 0), after: encodeCursor("c|huge", HUGE_CONVERSATIONS - 1) } } };
}
