// Every way the mock Graph can fail, in one table: what a real inbox sync meets
// on a bad day (a 500, a proxy's HTML page, a body cut short, a reset
// connection, a slow answer, rate limits, Graph error bodies, a cursor that
// never moves, a 20 MB page, a batch item left out).
//
// Two kinds are about the Send API: the send is taken and its answer is lost
// (send-then-drop) or comes too late (send-then-late), the cases where a
// client cannot know whether its message went out and must not send it again.
//
// A fault kind is switched on in one of two ways, both read from this table:
//
// - by a test, at run time: `mock.fault({ kind, times, match, skip, …options })`
//   or `POST /__mock/fault`. It is consulted for every Graph request (not
//   /__mock ones, not CORS preflights) that passed the call budget
//   (pacing.mjs), before the token is checked, in the order the faults were
//   added; the first that matches answers (fault-specs.mjs: FaultList).
// - by an id: a magic id where a page, conversation or message id goes
//   (`/error-613/conversations`, `slow-2000-<id>`, a batch item `batch-null`)
//   is parsed into a fault of this table (fault-specs.mjs: faultOfId). It
//   answers after the token was checked, counts as a call, and works in batch
//   items too.
//
// Each kind:
//   family    "graph" (a Graph error body), "http" (a body that is not the
//             Graph's), "transport" (the connection or the timing), "paging"
//             (a valid answer with a trap in it)
//   summary   what a client sees, in one line
//   options   its own options: { name: { type, default?, required?, doc } }
//             (types: fault-specs.mjs); every switched fault also takes
//             COMMON_OPTIONS
//   matches   which requests it applies to when switched on: `path` is the
//             default `match` (a substring of the path), `when(call, fault)` a
//             further condition, `doc` both in words
//   switchable false when only an id turns it on
//   ids       ids that turn it on: { id, options, doc } for one exact id, or
//             { pattern, example, parse(match) -> options (+ `inner`: the id
//             answered once the fault has had its `times`), doc }
//   answer    (fault, tools) -> answer or promise of one (tools: answerFault)
//
// Webhook deliveries have their own faults (duplicates, out of order,
// timeouts, lost attempts, wrong signatures) in a sibling table of the same
// shape, webhook-faults.mjs; describeFaultKinds() documents both.

import { APP_SECRET } from "./data.mjs";
import { GraphFailure, failureAnswer } from "./errors.mjs";
import { JSON_TYPE, hugePage, proxyPage, repeatCursor, truncated } from "./fault-answers.mjs";
import { isSendCall } from "./send.mjs";
import { WEBHOOK_COMMON_OPTIONS, WEBHOOK_FAULTS } from "./webhook-faults.mjs";

const TEXT_TYPE = "text/plain; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";
const RATE_LIMIT_DOC = "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.";
const oauth = (code, message, extra = {}) => ({ message, type: "OAuthException", code, ...extra });

/** Options every switched-on fault takes, besides its kind's own. */
export const COMMON_OPTIONS = Object.freeze({
  times: { type: "times", default: 1, doc: "how many answers get the fault: 1 = once; Infinity, null or \"always\" = every one" },
  match: { type: "string", default: "", doc: "a substring of the request path the fault applies to (\"\" = every path, unless the kind has its own default)" },
  skip: { type: "count", default: 0, doc: "let that many matching requests through first" },
  echoToken: { type: "boolean", default: false, doc: "put the request's token and APP_SECRET into the body (for tests that secrets never reach a message or a log)" },
});

const regainOption = (minutes) => ({ type: "minutes", default: minutes, doc: "estimated_time_to_regain_access in the usage headers, whole minutes" });
const retryAfterOption = { type: "seconds", doc: "a Retry-After header (seconds); none by default, as the Graph sends none" };
const transientOption = (fallback) => ({ type: "transient", default: fallback, doc: "is_transient in the body: true, false, or null for none" });
const EVERY_REQUEST = { path: "", doc: "every Graph request" };
const SENDS = { path: "/messages", when: isSendCall, doc: "sends (POST /{account-id}/messages), on either flavour" };

/** The fault kinds, by name. Frozen: read it to document or list them. */
export const FAULTS = deepFreeze({
  "http-500": {
    family: "http",
    summary: "HTTP 500, text/plain \"Internal Server Error\": not a Graph body, none of the Graph's headers",
    options: {},
    matches: EVERY_REQUEST,
    answer: (f, t) => t.raw(500, TEXT_TYPE, `Internal Server Error${t.echo}`),
  },
  "html-502": {
    family: "http",
    summary: "HTTP 502 with a proxy's HTML page of about 9 KB, none of the Graph's headers",
    options: {},
    matches: EVERY_REQUEST,
    answer: (f, t) => t.raw(502, HTML_TYPE, proxyPage(t.echo)),
  },
  http: {
    family: "http",
    summary: "any answer that is not the Graph's: a status, a content type and a body (a JSON content type keeps the Graph's headers)",
    options: {
      status: { type: "status", default: 500, doc: "HTTP status" },
      contentType: { type: "string", default: TEXT_TYPE, doc: "Content-Type" },
      body: { type: "string", default: "Mock HTTP failure", doc: "the body, as is" },
    },
    matches: EVERY_REQUEST,
    ids: [
      {
        id: "http-502",
        options: {
          status: 502, contentType: HTML_TYPE,
          body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        },
        doc: "a short nginx 502 page",
      },
      { id: "http-404-text", options: { status: 404, contentType: TEXT_TYPE, body: "Not Found" }, doc: "a plain-text 404" },
      { id: "bad-json", options: { status: 200, contentType: JSON_TYPE, body: '{"data":[{"id":"1"' }, doc: "a 200 whose JSON stops short" },
      { id: "not-graph-shape", options: { status: 200, contentType: JSON_TYPE, body: '{"data":5}' }, doc: "a 200 with JSON that is no Graph list" },
    ],
    answer: (f, t) => t.raw(f.status, f.contentType, `${f.body}${t.echo}`),
  },
  "truncated-json": {
    family: "transport",
    summary: "the real answer cut in half: a short complete body, or a transfer that stops half way",
    options: {
      mode: { type: "enum", values: ["body", "transfer"], default: "body", doc: "\"body\": a short body with a matching Content-Length; \"transfer\": the connection drops half way through the promised body" },
    },
    matches: EVERY_REQUEST,
    answer: async (f, t) => truncated(await t.normal(), f.mode),
  },
  reset: {
    family: "transport",
    summary: "the connection is closed without an answer (in a batch: that item is null)",
    options: {},
    matches: EVERY_REQUEST,
    ids: [{ id: "net-reset", options: {}, doc: "drops the connection" }],
    answer: () => ({ drop: true }),
  },
  slow: {
    family: "transport",
    summary: "the real answer, `ms` later (timeouts, aborts)",
    options: { ms: { type: "number", default: 10_000, doc: "delay in milliseconds" } },
    matches: EVERY_REQUEST,
    ids: [{
      pattern: /^slow-(\d+)-(.+)$/, example: "slow-<ms>-<id>",
      parse: ([, ms, inner]) => ({ ms: Number(ms), inner }),
      doc: "answers <id> after <ms> milliseconds",
    }],
    answer: async (f, t) => {
      await t.sleep(f.ms);
      return t.normal();
    },
  },
  "send-then-drop": {
    family: "transport",
    summary: "the send is taken as usual (recorded in mock.sends, the message added, its echo webhook sent; refused if it breaks a rule), then the connection is dropped without an answer: the client cannot know the message went out",
    options: {},
    matches: SENDS,
    answer: async (f, t) => {
      await t.normal();
      return { drop: true };
    },
  },
  "send-then-late": {
    family: "transport",
    summary: "the send is taken as usual (recorded, added, echoed), and its answer is held back `ms`: longer than the client's timeout, the client gives up not knowing the message went out",
    options: { ms: { type: "number", default: 35_000, doc: "how long the answer is held back after the send was taken, in milliseconds (the client's default timeout is 30 000)" } },
    matches: SENDS,
    answer: async (f, t) => {
      const answer = await t.normal();
      await t.sleep(f.ms);
      return answer;
    },
  },
  "rate-limit-613": {
    family: "graph",
    summary: "HTTP 400, code 613 \"Calls to this api have exceeded the rate limit.\", usage headers at 100%",
    options: { regainMinutes: regainOption(3), retryAfter: retryAfterOption },
    matches: EVERY_REQUEST,
    ids: [{ id: "error-613", options: {}, doc: "613, regain in 3 minutes" }],
    answer: (f, t) => t.graphError(400, oauth(613, "(#613) Calls to this api have exceeded the rate limit."),
      { usage: { buc: 100, regain: f.regainMinutes }, retryAfter: f.retryAfter }),
  },
  80006: {
    family: "graph",
    summary: "HTTP 400, code 80006 \"too many messenger api calls to this Page account\" (no subcode), usage headers at 100%",
    options: { regainMinutes: regainOption(1), retryAfter: retryAfterOption },
    matches: EVERY_REQUEST,
    ids: [{ id: "error-80006", options: {}, doc: "80006, regain in 1 minute" }],
    answer: (f, t) => t.graphError(400,
      oauth(80006, `(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. ${RATE_LIMIT_DOC}`),
      { usage: { buc: 100, regain: f.regainMinutes }, retryAfter: f.retryAfter }),
  },
  "code-1": {
    family: "graph",
    summary: "HTTP 500, code 1 \"An unknown error occurred\", subcode 99",
    options: { isTransient: transientOption(true) },
    matches: EVERY_REQUEST,
    ids: [
      { id: "error-1", options: {}, doc: "code 1, is_transient true" },
      {
        pattern: /^flaky-(\d+)-(.+)$/, example: "flaky-<n>-<id>",
        parse: ([, n, inner]) => ({ times: Number(n), inner }),
        doc: "code 1 to the first <n> calls of this id since reset, then <id>",
      },
    ],
    answer: (f, t) => t.graphError(500, oauth(1, "An unknown error occurred", { error_subcode: 99, ...t.transient() })),
  },
  "code-2": {
    family: "graph",
    summary: "HTTP 503, code 2 \"An unexpected error has occurred. Please retry your request later.\"",
    options: { isTransient: transientOption(true) },
    matches: EVERY_REQUEST,
    ids: [{ id: "error-2", options: {}, doc: "code 2, is_transient true" }],
    answer: (f, t) => t.graphError(503, oauth(2, "An unexpected error has occurred. Please retry your request later.", t.transient())),
  },
  "graph-error": {
    family: "graph",
    summary: "any Graph error body: code, subcode, message, type, is_transient, user title and message, usage headers",
    options: {
      code: { type: "integer", required: true, doc: "error.code" },
      status: { type: "status", default: 400, doc: "HTTP status" },
      subcode: { type: "integer", doc: "error.error_subcode (none by default)" },
      message: { type: "string", doc: "error.message (default \"(#<code>) Mock Graph error <code>\")" },
      type: { type: "string", default: "OAuthException", doc: "error.type" },
      isTransient: transientOption(null),
      userTitle: { type: "string", doc: "error.error_user_title" },
      userMsg: { type: "string", doc: "error.error_user_msg" },
      regainMinutes: { type: "minutes", doc: "put X-Business-Use-Case-Usage at 100% with this regain time" },
      retryAfter: retryAfterOption,
      appUsage: { type: "percent", doc: "X-App-Usage call_count" },
      pageUsage: { type: "percent", doc: "X-Page-Usage call_count" },
      usageType: { type: "enum", values: ["messenger", "instagram"], doc: "the business use case type reported (instagram: under the Page and the IG account)" },
    },
    matches: EVERY_REQUEST,
    ids: [
      { id: "error-1-big", options: { code: 1, status: 500, message: "Please reduce the amount of data you're asking for, then retry your request", isTransient: false }, doc: "code 1 that must not be retried as is" },
      {
        id: "error-1-big-user-msg",
        options: {
          code: 1, status: 500, message: "An unknown error occurred", subcode: 99,
          userTitle: "Please reduce the amount of data", userMsg: "Please reduce the amount of data you're asking for, then retry your request",
        },
        doc: "code 1 that says so only in error_user_msg",
      },
      { id: "error-4", options: { code: 4, message: "(#4) Application request limit reached", isTransient: true, appUsage: 100 }, doc: "app throttled" },
      { id: "error-17", options: { code: 17, message: "(#17) User request limit reached", subcode: 2446079, isTransient: true }, doc: "user throttled" },
      { id: "error-32", options: { code: 32, message: "(#32) Page request limit reached", pageUsage: 100 }, doc: "Page throttled" },
      {
        id: "error-100",
        options: {
          code: 100, message: "(#100) Invalid parameter", subcode: 33,
          userTitle: "Invalid parameter", userMsg: "One of the parameters in this request is not valid for this conversation.",
        },
        doc: "invalid parameter",
      },
      {
        id: "error-190",
        options: {
          code: 190, subcode: 460, userTitle: "Session expired", userMsg: "Your session has expired. Please log in again to reconnect your Page.",
          message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
        },
        doc: "token invalidated",
      },
      { id: "error-200", options: { code: 200, status: 403, message: "(#200) Requires pages_messaging permission to manage the object" }, doc: "missing permission" },
      { id: "error-230", options: { code: 230, status: 403, message: "(#230) Requires pages_messaging_subscriptions permission to manage the object" }, doc: "messaging permission" },
      { id: "error-368", options: { code: 368, message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed" }, doc: "blocked" },
      { id: "error-2500", options: { code: 2500, message: 'Syntax error "Expected end of string instead of "}"." at character 20: messages{id,message}}' }, doc: "query parse error" },
      {
        id: "error-80001",
        options: { code: 80001, message: `(#80001) There have been too many calls to this Page account. Wait a bit and try again. ${RATE_LIMIT_DOC}`, regainMinutes: 2 },
        doc: "Page throttled (Messenger)",
      },
      {
        id: "error-80002",
        options: { code: 80002, message: `(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. ${RATE_LIMIT_DOC}`, regainMinutes: 2, usageType: "instagram" },
        doc: "Instagram account throttled",
      },
      { id: "error-9000001", options: { code: 9000001, message: "This Message has been deleted by the user or the business." }, doc: "message outside the 20 newest" },
    ],
    answer: (f, t) => t.graphError(f.status, graphErrorBody(f, t), { usage: graphErrorUsage(f), retryAfter: f.retryAfter }),
  },
  "repeat-cursor": {
    family: "paging",
    summary: "the page after X names X as its after cursor again (and in its next link): a client that trusts it loops",
    options: {},
    matches: {
      path: "/conversations",
      when: (call) => call.method === "GET" && typeof call.params.after === "string" && call.params.after !== "",
      doc: "GET requests with an `after` cursor, on /conversations unless `match` says otherwise",
    },
    answer: async (f, t) => repeatCursor(await t.normal(), t.call.params.after),
  },
  "too-much-data": {
    family: "graph",
    summary: "HTTP 500, code 1 \"Please reduce the amount of data you're asking for, then retry your request\", is_transient false, to a list read that asks for more than `maxLimit` items at once (what the Graph answers a heavy field expansion)",
    options: { maxLimit: { type: "count", default: 50, doc: "the largest `limit` answered as usual (a read without `limit` asks for 25)" } },
    matches: {
      path: "/conversations",
      when: (call, fault) => call.method === "GET" && Number(call.params.limit ?? 25) > fault.maxLimit,
      doc: "GET requests on /conversations whose `limit` is over `maxLimit`, unless `match` says otherwise",
    },
    answer: (f, t) => t.graphError(500, oauth(1, "Please reduce the amount of data you're asking for, then retry your request", { is_transient: false })),
  },
  "huge-page": {
    family: "paging",
    summary: "one valid last page of 200 conversations × 25 messages, about `bytes` long",
    options: { bytes: { type: "number", default: 20 * 1024 * 1024, doc: "body size in bytes" } },
    matches: { path: "/conversations", when: (call) => call.method === "GET", doc: "GET requests on /conversations unless `match` says otherwise" },
    answer: (f, t) => ({ ...t.raw(200, JSON_TYPE, hugePage(f.bytes)), platform: "messenger" }),
  },
  "null-item": {
    family: "transport",
    summary: "a batch item the Graph did not process: null in the batch answer (outside a batch the id is just unknown)",
    options: {},
    switchable: false,
    ids: [{ id: "batch-null", options: {}, doc: "as a batch item's id: that item is null" }],
    answer: (f, t) => (t.inBatch ? { drop: true } : t.normal()),
  },
});

function graphErrorBody(f, t) {
  const optional = { error_subcode: f.subcode, error_user_title: f.userTitle, error_user_msg: f.userMsg };
  return {
    message: f.message ?? `(#${f.code}) Mock Graph error ${f.code}`,
    type: f.type,
    code: f.code,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
    ...t.transient(),
  };
}

// Usage header overrides (usage.mjs: UsageMeter#headers), or null for none.
function graphErrorUsage(f) {
  const usage = {};
  if (f.regainMinutes !== undefined) Object.assign(usage, { buc: 100, regain: f.regainMinutes });
  if (f.appUsage !== undefined) usage.app = f.appUsage;
  if (f.pageUsage !== undefined) usage.page = f.pageUsage;
  if (f.usageType !== undefined) usage.type = f.usageType;
  return Object.keys(usage).length > 0 ? usage : null;
}

/**
 * The answer to `call` under `fault` (a parsed fault: fault-specs.mjs).
 * `normal()` computes the answer the mock would give without the fault (for
 * the kinds that bend a real answer or let it through late); `sleep(ms)`
 * waits; `inBatch` says the call is a batch item. The answer may carry `drop`
 * (no answer at all) or `cutAt` (send that many bytes, then drop); its
 * `platform` and `version` are the caller's to fill in.
 */
export function answerFault(fault, { call, normal, sleep, inBatch = false }) {
  const echo = fault.echoToken ? ` [request access_token=${call.token} appsecret=${APP_SECRET}]` : "";
  const tools = {
    call,
    normal,
    sleep,
    inBatch,
    echo,
    raw: (status, contentType, text) => ({ status, raw: { contentType, text }, headers: {}, throttle: null }),
    graphError: (status, error, { usage = null, retryAfter } = {}) => {
      const headers = retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) };
      return failureAnswer(new GraphFailure(status, { ...error, message: error.message + echo }, { usage, headers }));
    },
    // is_transient as asked: true / false, or nothing for null.
    transient: () => (fault.isTransient === null || fault.isTransient === undefined ? {} : { is_transient: fault.isTransient }),
  };
  return FAULTS[fault.kind].answer(fault, tools);
}

// ---------------------------------------------------------------- views for docs and tests

/** Every kind a test can switch on, with the names of its own options. */
export const FAULT_KINDS = Object.freeze(Object.fromEntries(Object.entries(FAULTS)
  .filter(([, kind]) => kind.switchable !== false)
  .map(([name, kind]) => [name, Object.freeze(Object.keys(kind.options))])));

/** The fixed ids that answer an error (a Graph error body or a body that is not the Graph's). */
export const TRIGGER_IDS = Object.freeze(Object.values(FAULTS)
  .filter((kind) => kind.family === "graph" || kind.family === "http")
  .flatMap((kind) => (kind.ids ?? []).filter((form) => form.id !== undefined).map((form) => form.id)));

/**
 * The table as plain data, for docs, a CLI's --help or `GET /__mock/fault-kinds`:
 * `{ kinds: [{ kind, family, summary, switchable, matches, options: [{ name, type, default, required, doc }],
 * ids: [{ id | example, options?, doc }] }], common, webhooks: { kinds, common } }`: `common` are the
 * options every switched-on fault takes; `webhooks` is the sibling table of webhook delivery faults
 * (webhook-faults.mjs, switched on with `mock.webhooks.fault(spec)`), in the same shape.
 */
export function describeFaultKinds() {
  return {
    kinds: describeKinds(FAULTS),
    common: describeOptions(COMMON_OPTIONS),
    webhooks: { kinds: describeKinds(WEBHOOK_FAULTS), common: describeOptions(WEBHOOK_COMMON_OPTIONS) },
  };
}

function describeOptions(table) {
  return Object.entries(table).map(([name, o]) => ({
    name, type: o.type, ...(o.values ? { values: o.values } : {}),
    ...(o.default === undefined ? {} : { default: o.default }), ...(o.required ? { required: true } : {}), doc: o.doc,
  }));
}

function describeKinds(table) {
  return Object.entries(table).map(([kind, k]) => ({
    kind,
    family: k.family,
    summary: k.summary,
    switchable: k.switchable !== false,
    matches: k.matches?.doc ?? "only through its ids",
    options: describeOptions(k.options),
    ids: (k.ids ?? []).map((form) => (form.id !== undefined
      ? { id: form.id, options: form.options, doc: form.doc }
      : { example: form.example, doc: form.doc })),
  }));
}

function deepFreeze(value) {
  if (value === null || typeof value !== "object" || Object.isFrozen(value) || value instanceof RegExp) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
