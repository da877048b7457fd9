// From an HTTP request to a Graph call: where the token is, which parameters
// count (query and form or JSON body), whether it is a read, a read sent as
// POST, or a batch. Runtime-neutral: works on a plain request description.

import { DEFAULT_VERSION } from "./data.mjs";

/** The Graph version named by a path (`/v24.0/…`), or the mock's default. */
export const versionOf = (path) => /^\/(v\d+\.\d+)/.exec(path)?.[1] ?? DEFAULT_VERSION;

/** `instagram` when the call says `platform=instagram` (any case), else `messenger`. */
export const platformOf = (params) => (String(params.platform ?? "").toLowerCase() === "instagram" ? "instagram" : "messenger");

/**
 * Turns a request into a Graph call `{ method, path, params, token, origin, batch }`.
 * A form-encoded POST with `method=GET` is a read (what Meta's own web code
 * sends); a POST to the root, or with a `batch` parameter, is a batch.
 * `request`: `{ method, headers }` (lowercase header names); `url` a URL whose
 * path and query count; `body` text; `origin` the scheme and host the client
 * used (for paging links).
 */
export function callOf(request, url, body, origin) {
  const params = { ...Object.fromEntries(url.searchParams), ...bodyParams(request.headers, body) };
  const isPost = request.method === "POST";
  const isRoot = url.pathname.split("/").filter(Boolean).every((s) => /^v\d+\.\d+$/.test(s));
  const readViaPost = isPost && !isRoot && String(params.method ?? "").toUpperCase() === "GET";
  return {
    method: readViaPost ? "GET" : request.method,
    path: url.pathname,
    params,
    token: tokenOf(request.headers, params),
    origin,
    batch: isPost && (isRoot || params.batch !== undefined),
  };
}

function bodyParams(headers, body) {
  if (!body) return {};
  if (String(headers["content-type"] ?? "").includes("application/json")) {
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
function tokenOf(headers, params) {
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  return match ? match[1] : params.access_token;
}
