// Graph error bodies for the mock: one class to throw, one catalogue of the
// errors the Graph gives, and the `error-<code>` trigger ids that produce them.
//
// Shapes follow Meta's "Handling Errors" guide and the bodies quoted in
// /work/shared/GRAPH-FACTS.md and tests/fixtures/.

import { createHash } from "node:crypto";

/** A Graph answer other than success; `body` is sent as JSON unless `raw` is set. */
export class GraphFailure extends Error {
  constructor(status, error, { headers = {}, trace = true, raw = null, usage = null } = {}) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.error = error;
    this.headers = headers;
    this.trace = trace; // a real 190 came without fbtrace_id
    this.raw = raw; // { contentType, text } for non-Graph bodies
    this.usage = usage; // overrides for the usage headers (throttling)
  }
}

let traceCounter = 0;

/** fbtrace_id-like: 23 characters of base64url, different on each answer. */
export function nextTraceId() {
  traceCounter += 1;
  return createHash("sha1").update(`mock-trace-${traceCounter}`).digest("base64url").slice(0, 23);
}

/** The JSON body of a failure, with a fresh fbtrace_id where the Graph sends one. */
export function errorBody(failure) {
  const error = { ...failure.error };
  if (failure.trace) error.fbtrace_id = nextTraceId();
  return { error };
}

const oauth = (code, message, extra = {}) => ({ message, type: "OAuthException", code, ...extra });

const UNSUPPORTED = (verb, id) =>
  `Unsupported ${verb} request. Object with ID '${id}' does not exist, cannot be loaded due to missing ` +
  "permissions, or does not support this operation. Please read the Graph API documentation at " +
  "https://developers.facebook.com/docs/graph-api";

const RATE_LIMIT_DOC = "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.";

/** Constructors for every error the mock answers outside the trigger ids. */
export const failures = {
  missingToken: () => new GraphFailure(400, oauth(104, "An access token is required to request this resource.")),
  badToken: () => new GraphFailure(400, oauth(190, "Invalid OAuth access token - Cannot parse access token"),
    { trace: false, headers: { "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse access token"' } }),
  expiredToken: () => new GraphFailure(400, oauth(190,
    "Error validating access token: Session has expired on Thursday, 19-Nov-26 23:00:00 PST. The current time is Friday, 20-Nov-26 06:03:11 PST.",
    { error_subcode: 463 }),
  { headers: { "WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Error validating access token: Session has expired"' } }),
  badProof: () => new GraphFailure(400,
    { message: "Invalid appsecret_proof provided in the API argument", type: "GraphMethodException", code: 100 }),
  param: (message) => new GraphFailure(400, oauth(100, message)),
  invalidCursor: () => new GraphFailure(400, oauth(100, "Invalid cursor")),
  nonexistingField: (field, type) =>
    new GraphFailure(400, oauth(100, `(#100) Tried accessing nonexisting field (${field}) on node type (${type})`)),
  unknownNode: (id, verb = "get") => new GraphFailure(400,
    { message: UNSUPPORTED(verb, id), type: "GraphMethodException", code: 100, error_subcode: 33 }),
  unknownPath: (rest) => new GraphFailure(400, oauth(2500, `Unknown path components: ${rest}`)),
  syntax: (what, position, text) =>
    new GraphFailure(400, oauth(2500, `Syntax error "${what}" at character ${position}: ${text}`)),
  deletedMessage: () => new GraphFailure(400, oauth(9000001, "This Message has been deleted by the user or the business.")),
  batchTooLarge: () => new GraphFailure(400, oauth(100, "Too many requests in batch message. Maximum batch size is 50")),
  // Over the per-token budget (startMockGraph({ callsPerSecond })): access
  // comes back within a second, so the regain estimate rounds down to 0 minutes.
  rateLimited: () => new GraphFailure(400, oauth(613, "(#613) Calls to this api have exceeded the rate limit."),
    { usage: { buc: 100, regain: 0 } }),
};

// ---------------------------------------------------------------- trigger ids

const throttled = (usage) => ({ usage });

/**
 * `error-<…>` ids: used as a page, conversation or message id they answer this
 * error. `usage` overrides the usage headers of that answer.
 */
const ERROR_TRIGGERS = {
  "error-1": [500, oauth(1, "An unknown error occurred", { error_subcode: 99, is_transient: true })],
  "error-1-big": [500, oauth(1, "Please reduce the amount of data you're asking for, then retry your request", { is_transient: false })],
  "error-1-big-user-msg": [500, oauth(1, "An unknown error occurred", {
    error_subcode: 99, error_user_title: "Please reduce the amount of data",
    error_user_msg: "Please reduce the amount of data you're asking for, then retry your request",
  })],
  "error-2": [503, oauth(2, "An unexpected error has occurred. Please retry your request later.", { is_transient: true })],
  "error-4": [400, oauth(4, "(#4) Application request limit reached", { is_transient: true }), throttled({ app: 100 })],
  "error-17": [400, oauth(17, "(#17) User request limit reached", { error_subcode: 2446079, is_transient: true })],
  "error-32": [400, oauth(32, "(#32) Page request limit reached"), throttled({ page: 100 })],
  "error-100": [400, oauth(100, "(#100) Invalid parameter", {
    error_subcode: 33, error_user_title: "Invalid parameter",
    error_user_msg: "One of the parameters in this request is not valid for this conversation.",
  })],
  "error-190": [400, oauth(190,
    "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
    { error_subcode: 460, error_user_title: "Session expired", error_user_msg: "Your session has expired. Please log in again to reconnect your Page." })],
  "error-200": [403, oauth(200, "(#200) Requires pages_messaging permission to manage the object")],
  "error-230": [403, oauth(230, "(#230) Requires pages_messaging_subscriptions permission to manage the object")],
  "error-368": [400, oauth(368, "(#368) The action attempted has been deemed abusive or is otherwise disallowed")],
  "error-613": [400, oauth(613, "(#613) Calls to this api have exceeded the rate limit."), throttled({ buc: 100, regain: 3 })],
  "error-2500": [400, oauth(2500, 'Syntax error "Expected end of string instead of "}"." at character 20: messages{id,message}}')],
  "error-80001": [400, oauth(80001, `(#80001) There have been too many calls to this Page account. Wait a bit and try again. ${RATE_LIMIT_DOC}`), throttled({ buc: 100, regain: 2 })],
  "error-80002": [400, oauth(80002, `(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. ${RATE_LIMIT_DOC}`), throttled({ buc: 100, regain: 2, type: "instagram" })],
  "error-80006": [400, oauth(80006, `(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. ${RATE_LIMIT_DOC}`), throttled({ buc: 100, regain: 1 })],
  "error-9000001": [400, oauth(9000001, "This Message has been deleted by the user or the business.")],
};

/** Ids that answer something that is not a Graph error body. */
const RAW_TRIGGERS = {
  "http-502": [502, "text/html; charset=utf-8",
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"],
  "http-404-text": [404, "text/plain; charset=utf-8", "Not Found"],
  "bad-json": [200, "application/json; charset=UTF-8", '{"data":[{"id":"1"'],
  "not-graph-shape": [200, "application/json; charset=UTF-8", '{"data":5}'],
};

export const TRIGGER_IDS = Object.freeze([...Object.keys(ERROR_TRIGGERS), ...Object.keys(RAW_TRIGGERS)]);

/** The failure a trigger id answers, or null when the id is not a trigger. */
export function triggerFailure(id) {
  if (ERROR_TRIGGERS[id]) {
    const [status, error, options = {}] = ERROR_TRIGGERS[id];
    return new GraphFailure(status, error, options);
  }
  if (RAW_TRIGGERS[id]) {
    const [status, contentType, text] = RAW_TRIGGERS[id];
    return new GraphFailure(status, null, { raw: { contentType, text } });
  }
  return null;
}
