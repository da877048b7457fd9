// Graph batch requests: `POST /` with `batch=[{method, relative_url}]`.
// Each item is answered like a plain call and comes back in order as
// `{code, headers, body}` with `body` a JSON *string*; an item the Graph did
// not process is `null` (an item whose answer was dropped: the fault kinds
// "null-item", id `batch-null`, and "reset", id `net-reset`).

import { versionOf } from "./call.mjs";
import { GraphFailure, failureAnswer, failures } from "./errors.mjs";
import { answerCall, authenticate } from "./graph.mjs";
import { graphJson } from "./json.mjs";

export const MAX_BATCH = 50;

/**
 * The answer to a batch call: 200 with every item's answer, or the Graph's
 * error for a bad token or a bad `batch` parameter. Usage is reported for
 * Messenger (the batch itself names no platform; Instagram on the Instagram
 * Login flavour, whose items are answered by its rules).
 */
export async function answerBatchCall(call, env) {
  const version = versionOf(call.path);
  try {
    authenticate(call);
    return { status: 200, json: await answerBatch(call, env), headers: {}, platform: platformOfFlavour(call), version, flavour: call.flavour };
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    return { ...failureAnswer(err), platform: platformOfFlavour(call), version, flavour: call.flavour };
  }
}

// graph.instagram.com serves Instagram only.
function platformOfFlavour(call) {
  return call.flavour === "instagram" ? "instagram" : "messenger";
}

/**
 * The JSON answer to a batch call (an array, one entry per item, in order).
 * Throws the Graph's error for a missing, malformed or oversized `batch`.
 */
export async function answerBatch(call, env) {
  const items = parseBatch(call.params.batch);
  const includeHeaders = String(call.params.include_headers ?? "true") !== "false";
  const answers = await Promise.all(items.map((item) => answerItem(item, call, env)));
  return answers.map((answer) => answer && itemOf(answer, includeHeaders));
}

function parseBatch(text) {
  if (text === undefined) throw failures.param("(#100) The parameter batch is required");
  let items;
  try {
    items = JSON.parse(text);
  } catch {
    throw failures.param("(#100) param batch must be a JSON array");
  }
  if (!Array.isArray(items) || items.length === 0) throw failures.param("(#100) param batch must be a non-empty JSON array");
  if (items.length > MAX_BATCH) throw failures.batchTooLarge();
  return items;
}

// `relative_url` may start with "/" or "vNN.N/" and carry its own query.
async function answerItem(item, outer, env) {
  const url = String(item?.relative_url ?? "");
  const at = url.indexOf("?");
  const [path, query] = at < 0 ? [url, ""] : [url.slice(0, at), url.slice(at + 1)];
  const params = { ...Object.fromEntries(new URLSearchParams(query)) };
  if (outer.params.appsecret_proof !== undefined && params.appsecret_proof === undefined) {
    params.appsecret_proof = outer.params.appsecret_proof;
  }
  const call = {
    method: String(item?.method ?? "GET").toUpperCase(),
    path: `/${path.replace(/^\/+/, "")}`,
    params,
    token: params.access_token ?? outer.token,
    origin: outer.origin,
    flavour: outer.flavour,
    inBatch: true,
  };
  const answer = await answerCall(call, env);
  return answer.drop ? null : answer;
}

function itemOf(answer, includeHeaders) {
  const body = answer.raw ? answer.raw.text : graphJson(answer.json);
  const item = { code: answer.status };
  if (includeHeaders) item.headers = itemHeaders(answer);
  item.body = body;
  return item;
}

function itemHeaders(answer) {
  const headers = [
    { name: "Content-Type", value: answer.raw ? answer.raw.contentType : "text/javascript; charset=UTF-8" },
    { name: "Facebook-API-Version", value: answer.version },
    { name: "Cache-Control", value: "private, no-cache, no-store, must-revalidate" },
  ];
  for (const [name, value] of Object.entries(answer.headers)) headers.push({ name, value });
  return headers;
}
