// From a Graph answer to what goes on the wire: status, headers and body
// bytes, with the headers graph.facebook.com sends (CORS, cache, version,
// trace id, usage). Runtime-neutral: the result is a plain
// `{ status, headers, body: Uint8Array, cutAt? }` any HTTP layer can send.

import { nextTraceId } from "./errors.mjs";
import { graphJson } from "./json.mjs";

const encoder = new TextEncoder();

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

/**
 * The HTTP answer for a Graph answer. A JSON answer carries the Graph's own
 * headers and the usage headers of `usage` (a UsageMeter); a proxy's page or
 * another non-JSON body carries none of them. `cutAt` passes through: the
 * HTTP layer sends that many bytes of the body and then drops the connection.
 */
export function graphResponse(answer, usage) {
  const isJson = !answer.raw || answer.raw.contentType.startsWith("application/json");
  const body = encoder.encode(answer.raw ? answer.raw.text : graphJson(answer.json));
  const headers = {
    ...CORS_HEADERS,
    ...(isJson ? graphHeaders(answer, usage) : {}),
    "Content-Type": answer.raw ? answer.raw.contentType : "application/json; charset=UTF-8",
    "Content-Length": String(body.length),
  };
  return answer.cutAt === undefined ? { status: answer.status, headers, body } : { status: answer.status, headers, body, cutAt: answer.cutAt };
}

function graphHeaders(answer, usage) {
  return {
    ...GRAPH_HEADERS,
    "Facebook-API-Version": answer.version,
    "x-fb-trace-id": nextTraceId(),
    ...usage.headers(answer.platform, answer.throttle, answer.flavour),
    ...answer.headers,
  };
}

/** The answer to a CORS preflight: 204 with the methods and headers allowed. */
export function preflightResponse() {
  return { status: 204, headers: { ...CORS_HEADERS, ...PREFLIGHT_HEADERS }, body: new Uint8Array(0) };
}

/** A plain JSON answer of the mock itself (control endpoints, its own errors): no Graph headers. */
export function plainJsonResponse(status, value) {
  const body = encoder.encode(JSON.stringify(value));
  return { status, headers: { ...CORS_HEADERS, "Content-Type": "application/json; charset=UTF-8", "Content-Length": String(body.length) }, body };
}
