// The Graph's answers, independent of HTTP: one call in, one answer out.
// The handler uses this for plain requests and for every batch item.
//
// A call is `{ method, path, params, token, origin, flavour?, inBatch? }`; an
// answer is `{ status, json | raw, headers, platform, throttle, version,
// flavour, drop?, cutAt? }`.
//
// Two flavours of the Graph (handler.mjs picks one by the path):
// - "facebook", graph.facebook.com: a Page token; `/{page-id}` (or `me`) and
//   `/{ig-account-id}` hold the conversations, Messenger and Instagram.
// - "instagram", graph.instagram.com (Instagram API with Instagram Login):
//   an Instagram User token (IG_USER_TOKEN); `me` or the Instagram account's
//   id where a Page id would go, no Page, Instagram threads only. Each
//   flavour refuses the other's token with 190.

import { createHmac } from "node:crypto";
import {
  APP_SECRET, DEFAULT_VERSION, DETAIL_WINDOW, EXPIRED_TOKEN, FOLDERS, IG_ACCOUNT_ID, IG_USERNAME,
  IG_USER_TOKEN, PAGE_ID, PAGE_NAME, SECOND_TOKEN, TOKEN, findThreadByUser,
} from "./data.mjs";
import { GraphFailure, failureAnswer, failures } from "./errors.mjs";
import { answerFault } from "./faults.mjs";
import { faultOfId } from "./fault-specs.mjs";
import { project, selectFields, stringifyFields } from "./fields.mjs";
import { pagingFor, parseLimit, slicePage } from "./paging.mjs";
import { answerSend, isSendCall } from "./send.mjs";

export const VALID_TOKENS = Object.freeze([TOKEN, SECOND_TOKEN]);

/** hex HMAC-SHA256 of the token keyed by the app secret, as the Graph checks it. */
export function appsecretProof(token, secret = APP_SECRET) {
  return createHmac("sha256", secret).update(token).digest("hex");
}

// ---------------------------------------------------------------- entry point

/**
 * Answers one Graph call; Graph failures become error answers, never
 * exceptions. A call that passed the token check counts in the usage
 * headers, unless it was dropped.
 */
export async function answerCall(call, env) {
  const { version, segments } = splitPath(call.path);
  const flavour = call.flavour ?? "facebook";
  const platform = flavour === "instagram" ? "instagram" : platformHint(call.params);
  const ctx = { ...call, env, version, flavour, verb: call.method.toLowerCase(), platform, send: isSendCall(call) };
  let counted = false;
  let answer;
  try {
    authenticate(call);
    counted = true;
    answer = await answerPath(segments, ctx);
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    answer = failureAnswer(err);
  }
  if (answer.drop) return { drop: true };
  if (counted) env.usage.count(ctx.platform);
  return { headers: {}, ...answer, platform: ctx.platform, version, flavour };
}

/**
 * A magic id in the first segment (faults.mjs) answers its fault for its
 * first `times` calls since reset; after that, or when the fault lets the
 * real answer through, the id it wraps is answered.
 */
async function answerPath(segments, ctx) {
  if (segments.length === 0) throw failures.unknownPath("/");
  const [id, ...rest] = segments;
  const fault = faultOfId(id);
  if (!fault) return routeAnswer(segments, ctx);
  const calls = ctx.env.idCalls.get(id) ?? 0;
  ctx.env.idCalls.set(id, calls + 1);
  const after = () => (fault.inner === undefined ? routeAnswer(segments, ctx) : answerPath([fault.inner, ...rest], ctx));
  if (calls >= fault.times) return after();
  return answerFault(fault, { call: ctx, normal: after, sleep: ctx.env.sleep, inBatch: Boolean(ctx.inBatch) });
}

async function routeAnswer(segments, ctx) {
  try {
    return { status: 200, json: withDateFormat(await route(segments, ctx), ctx.params.date_format) };
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    return failureAnswer(err);
  }
}

// `/v21.0/a/b` and `/a/b` both name [a, b]; any vNN.N is accepted.
function splitPath(path) {
  const segments = path.split("/").filter(Boolean).map(decodeSegment);
  const version = /^v\d+\.\d+$/.test(segments[0] ?? "") ? segments.shift() : DEFAULT_VERSION;
  return { version, segments };
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function platformHint(params) {
  return String(params.platform ?? "").toLowerCase() === "instagram" ? "instagram" : "messenger";
}

/**
 * Throws the Graph's error for a missing, unknown or expired token, a token
 * of the other flavour (a Page token on graph.instagram.com, an Instagram
 * User token on graph.facebook.com: 190), or a wrong appsecret_proof.
 */
export function authenticate({ token, params, flavour = "facebook" }) {
  if (!token) throw failures.missingToken();
  if (token === EXPIRED_TOKEN) throw failures.expiredToken();
  const valid = flavour === "instagram" ? token === IG_USER_TOKEN : VALID_TOKENS.includes(token);
  if (!valid) throw failures.badToken();
  const proof = params.appsecret_proof;
  if (proof !== undefined && proof !== appsecretProof(token)) throw failures.badProof();
}

// ---------------------------------------------------------------- routing

const HANDLERS = {
  page: { "": getPage, conversations: listConversations },
  iguser: { "": getIgUser, conversations: listConversations },
  conversation: { "": getConversation, messages: listMessages },
  message: { "": getMessage },
};

// The accounts that send (POST /{id}/messages), and the platforms each reaches:
// a Page sends to Messenger and to Instagram customers (Instagram Messaging
// through the Page), an Instagram account to Instagram customers only.
const SENDERS = { page: ["messenger", "instagram"], iguser: ["instagram"] };

async function route(segments, ctx) {
  const [id] = segments;
  const node = resolveNode(id, ctx);
  if (node && ctx.send && SENDERS[node.kind]) return answerSend(node.kind === "page" ? PAGE_ID : IG_ACCOUNT_ID, SENDERS[node.kind], ctx);
  if (!node || ctx.verb !== "get") throw failures.unknownNode(id, ctx.verb);
  if (node.thread) ctx.platform = node.thread.platform;
  if (segments.length > 2) throw failures.unknownPath(`/${segments.slice(2).join("/")}`);
  const handler = HANDLERS[node.kind][segments[1] ?? ""];
  if (!handler) throw failures.unknownPath(`/${segments.slice(1).join("/")}`);
  return handler({ ...node, id }, ctx);
}

// `me` is the token's own account: the Page for a Page token, the Instagram
// account for an Instagram User token. graph.instagram.com has no Page and
// no Messenger thread.
function resolveNode(id, { env, flavour }) {
  if (flavour === "instagram") {
    if (id === "me" || id === IG_ACCOUNT_ID) return { kind: "iguser" };
    const node = env.inbox.byId.get(id);
    return node?.thread.platform === "instagram" ? node : null;
  }
  if (id === PAGE_ID || id === "me") return { kind: "page" };
  if (id === IG_ACCOUNT_ID) return { kind: "iguser" };
  return env.inbox.byId.get(id) ?? null;
}

// ---------------------------------------------------------------- nodes

function getPage(_node, ctx) {
  const fields = selectFields("Page", ctx.params.fields, "id,name");
  return project({ id: PAGE_ID, name: PAGE_NAME }, "Page", fields);
}

function getIgUser(_node, ctx) {
  ctx.platform = "instagram";
  const fields = selectFields("IGUser", ctx.params.fields, "id,username");
  return project({ id: IG_ACCOUNT_ID, username: IG_USERNAME, name: PAGE_NAME }, "IGUser", fields);
}

function getConversation({ thread }, ctx) {
  const fields = selectFields("Conversation", ctx.params.fields, "id,updated_time");
  return projectConversation(thread, fields, ctx);
}

// Only a thread's 20 newest messages have details; older ones "were deleted".
function getMessage({ message, index }, ctx) {
  const fields = selectFields("Message", ctx.params.fields, "id,created_time");
  if (index >= DETAIL_WINDOW) throw failures.deletedMessage();
  return project(message, "Message", fields);
}

// ---------------------------------------------------------------- conversations edge

function parseChoice(name, value, choices, fallback) {
  if (value === undefined || value === "") return fallback;
  const lower = String(value).toLowerCase();
  if (choices.includes(lower)) return lower;
  const shown = choices.map((c) => c.toUpperCase()).join(", ");
  throw failures.param(`(#100) param ${name} must be one of {${shown}} - got "${value}"`);
}

function listConversations(node, ctx) {
  const { params } = ctx;
  // graph.instagram.com knows only Instagram conversations.
  const choices = ctx.flavour === "instagram" ? ["instagram"] : ["messenger", "instagram"];
  const platform = parseChoice("platform", params.platform, choices,
    node.kind === "iguser" ? "instagram" : "messenger");
  ctx.platform = platform;
  const folder = parseChoice("folder", params.folder, FOLDERS, "inbox");
  const limit = parseLimit(params.limit, 25, 200);
  const fields = selectFields("Conversation", params.fields, "id,updated_time");
  if (params.user_id !== undefined) return findConversation(platform, params.user_id, fields, ctx);

  const list = ctx.env.inbox[platform][folder];
  const scope = `c|${platform}|${folder}`;
  const page = slicePage(list, scope, { limit, after: params.after, before: params.before });
  const body = { data: page.items.map((thread) => projectConversation(thread, fields, ctx)) };
  const carried = { fields: params.fields, platform: params.platform, folder: params.folder, limit };
  const paging = pagingFor(page, list.length, scope, (cursor) => pagingLink(ctx, `${node.id}/conversations`, { ...carried, ...cursor }));
  // A real Instagram last page came without any `paging` key.
  if (paging && !(platform === "instagram" && !paging.next)) body.paging = paging;
  return body;
}

function findConversation(platform, userId, fields, ctx) {
  const thread = findThreadByUser(ctx.env.inbox, platform, userId);
  return { data: thread ? [projectConversation(thread, fields, ctx)] : [] };
}

function projectConversation(thread, fields, ctx) {
  return project(thread, "Conversation", fields, (item) => nestedMessages(thread, item, ctx));
}

// ---------------------------------------------------------------- messages edge

const MESSAGE_DEFAULTS = "id,created_time";

function listMessages({ thread }, ctx) {
  const fields = selectFields("Message", ctx.params.fields, MESSAGE_DEFAULTS);
  const { limit, after, before } = ctx.params;
  return messagesPage(thread, fields, { limit, after, before }, ctx);
}

// `messages.limit(5){…}` inside a conversation's fields.
// `nestedMessagesCap` (startMockGraph option) caps it lower than the edge's
// own 100, as the Graph may: the caller must then follow the nested paging.
function nestedMessages(thread, item, ctx) {
  const fields = item.children ?? selectFields("Message", undefined, MESSAGE_DEFAULTS);
  return messagesPage(thread, fields, item.modifiers, ctx, ctx.env.nestedMessagesCap ?? 100);
}

function messagesPage(thread, fields, modifiers, ctx, cap = 100) {
  const limit = parseLimit(modifiers.limit, 25, cap);
  const scope = `m|${thread.id}`;
  const page = slicePage(thread.messages, scope, { limit, after: modifiers.after, before: modifiers.before });
  const data = page.items.map((message, i) => projectListedMessage(message, page.start + i, fields));
  const carried = { fields: stringifyFields(fields), limit };
  const paging = pagingFor(page, thread.messages.length, scope, (cursor) => pagingLink(ctx, `${thread.id}/messages`, { ...carried, ...cursor }));
  return paging ? { data, paging } : { data };
}

// Beyond the 20 newest, a listed message carries only its id and time.
function projectListedMessage(message, index, fields) {
  if (index >= DETAIL_WINDOW) return { id: message.id, created_time: message.created_time };
  return project(message, "Message", fields);
}

// ---------------------------------------------------------------- paging links

/**
 * Absolute next/previous URL as the Graph writes it, token included: tests use
 * it to prove that the client never fetches these links.
 */
function pagingLink(ctx, path, params) {
  const query = new URLSearchParams({ access_token: ctx.token, pretty: "0" });
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
  if (ctx.params.appsecret_proof !== undefined) query.set("appsecret_proof", ctx.params.appsecret_proof);
  return `${ctx.origin}/${ctx.version}/${path}?${query}`;
}

// ---------------------------------------------------------------- date_format=U

const GRAPH_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;

// `date_format=U` asks for Unix seconds instead of ISO strings.
function withDateFormat(value, format) {
  if (format !== "U" || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => withDateFormat(v, format));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k,
    (k === "created_time" || k === "updated_time") && GRAPH_TIME.test(v)
      ? Date.parse(v.replace("+0000", "Z")) / 1000
      : withDateFormat(v, format)]));
}
