// Graph error bodies for the mock: one class to throw, the catalogue of the
// errors the Graph gives to a request it cannot answer (no token, a bad
// cursor, an unknown field…), and how a failure becomes an answer. The errors
// a test switches on (the `error-<code>` ids and mock.fault()) are fault kinds:
// see faults.mjs.
//
// Shapes follow Meta's "Handling Errors" guide and the bodies quoted in
// GRAPH-FACTS.md and tests/fixtures/.

/** A Graph answer other than success; `body` is sent as JSON unless `raw` is set. */
export class GraphFailure extends Error {
  /**
   * @param {number} status HTTP status
   * @param {object|null} error the Graph's `error` object (null for a raw body)
   * @param {{headers?: object, trace?: boolean, raw?: {contentType: string, text: string}|null, usage?: object|null}} [options]
   */
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
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** fbtrace_id-like: 23 characters of base64url, different on each answer (no node:crypto, any runtime). */
export function nextTraceId() {
  traceCounter += 1;
  let state = Math.imul(traceCounter, 0x9e3779b1) >>> 0;
  let id = "";
  while (id.length < 23) {
    // mulberry32 steps: well spread, deterministic per answer number.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    id += BASE64URL[((t ^ (t >>> 14)) >>> 0) % 64];
  }
  return id;
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

/** Constructors for the errors the Graph answers to a request it cannot serve. */
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
};

/**
 * The answer for a failure: its status, its JSON error body (or raw body),
 * and the headers the Graph sends with it (`WWW-Authenticate` for
 * OAuthException). `throttle` overrides the usage headers (usage.mjs).
 */
export function failureAnswer(failure) {
  if (failure.raw) return { status: failure.status, raw: failure.raw, headers: {}, throttle: null };
  const headers = { ...failure.headers };
  if (failure.error.type === "OAuthException" && !headers["WWW-Authenticate"]) {
    headers["WWW-Authenticate"] = `OAuth "Facebook Platform" "invalid_request" "${headerSafe(failure.error.message)}"`;
  }
  return { status: failure.status, json: errorBody(failure), headers, throttle: failure.usage };
}

// Header values must be printable ASCII; error messages may echo user input.
function headerSafe(text) {
  return text.replace(/[^\x20-\x7e]|"/g, "?");
}

