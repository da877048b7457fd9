// The Send API: `POST /{account-id}/messages` (GRAPH-FACTS.md "Sending"),
// form-encoded or JSON, with `recipient` ({"id"}), `messaging_type`,
// `message` ({text?, attachment?: {type, payload: {url}}, metadata?}),
// optional `tag` and `reply_to` ({"mid"}), or a `sender_action` (typing_on,
// typing_off, mark_seen, react, unreact with `payload` {message_id,
// reaction}) alone.
//
// The Graph's rules, in the order it applies them here: the parameters, the
// recipient (magic ids, unknown people, a thread that cannot be replied to),
// the platform's text limit, the quoted message, the reply window. A send
// that passes is taken: the message becomes the thread's newest, from the
// account, in the inbox the Graph API serves (live.mjs: businessReplies,
// which also sends its echo webhook with the same mid and metadata), it is
// recorded in `sends`, and the answer is `{recipient_id, message_id}`.
// Sender actions are recorded too; mark_seen reads the thread, react and
// unreact change the message's reactions.
//
// Reply windows are measured on the mock's clock (handler.mjs: `clock`): it
// starts at INBOX_NOW (data.mjs) when the mock starts and on reset, so the
// seeded customers fall in the same windows on every run; see replyWindows().
// A customer's message written live (customerWrites) is as old as the wall
// clock says: just written.

import { INBOX_NOW, PLATFORMS, buildInbox, findThreadByUser } from "./data.mjs";
import { GraphFailure } from "./errors.mjs";

/** A reply is allowed this long after the customer's last message (24 hours). */
export const REPLY_WINDOW_MS = 24 * 3600 * 1000;
/** With tag HUMAN_AGENT, this long (7 days). */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600 * 1000;
/** The message tags retired on 27 April 2026: the Graph answers code 100. */
export const RETIRED_TAGS = Object.freeze(["CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE"]);
/** A recipient id that answers 551 "This person isn't available right now." (on any account). */
export const UNAVAILABLE_RECIPIENT = "recipient-unavailable-551";
/** A recipient id that answers 10 / 1893063: the Page may not send messages for now. */
export const RESTRICTED_RECIPIENT = "recipient-restricted-1893063";
/** Messenger: a text must have fewer than 2000 characters (code points). */
export const MESSENGER_TEXT_CHARS = 2000;
/** Instagram: a text may have at most 1000 bytes of UTF-8. */
export const INSTAGRAM_TEXT_BYTES = 1000;
/** `metadata` must have fewer than 1000 characters. */
export const METADATA_CHARS = 1000;

const SENDER_ACTIONS = ["typing_on", "typing_off", "mark_seen", "react", "unreact"];
const MESSAGING_TYPES = ["RESPONSE", "UPDATE", "MESSAGE_TAG"];
const ATTACHMENT_TYPES = ["image", "video", "audio", "file"];
const OUTSIDE_WINDOW = "(#10) This message is sent outside of allowed window.";
const SUBCODE_OUTSIDE = { messenger: 2018278, instagram: 2534022 };

const oauth = (code, message, extra = {}) => ({ message, type: "OAuthException", code, ...extra });
const refuse = (code, message, extra) => new GraphFailure(400, oauth(code, message, extra));
const param = (message) => refuse(100, `(#100) ${message}`);

/**
 * Every way the mock refuses a send, as plain data for docs: `{ name, code,
 * subcode?, message, when }`. The client's `err.refusal` names are used where
 * the client has one.
 */
export const SEND_REFUSALS = Object.freeze([
  { name: "outside_window", code: 10, subcode: "2018278 (Messenger), 2534022 (Instagram)", message: OUTSIDE_WINDOW, when: "the customer's last message is more than 24 hours old (RESPONSE, UPDATE), or more than 7 days old with tag HUMAN_AGENT; or the customer never wrote" },
  { name: "recipient_unavailable", code: 551, subcode: 1545041, message: "(#551) This person isn't available right now.", when: `recipient ${UNAVAILABLE_RECIPIENT}, or a customer whose thread has can_reply false` },
  { name: "page_restricted", code: 10, subcode: 1893063, message: "(#10) This Page can't send messages for now.", when: `recipient ${RESTRICTED_RECIPIENT}` },
  { name: "no_such_recipient", code: 100, subcode: 2018001, message: "(#100) No matching user found", when: "a recipient with no thread on this account (a Messenger PSID sent to the Instagram account too)" },
  { name: "retired_tag", code: 100, message: "(#100) Tag <TAG> was retired on April 27, 2026; the only tag still accepted is HUMAN_AGENT", when: `tag ${RETIRED_TAGS.join(", ")}` },
  { name: "bad_parameter", code: 100, message: "(#100) <reason>", when: "a missing or malformed recipient, messaging_type, message, attachment, reply_to, payload; another tag; MESSAGE_TAG without a tag or a tag without it; a message and a sender_action together; a text at or over 2000 characters (Messenger) or over 1000 bytes (Instagram); metadata of 1000 characters or more; reply_to or a reaction to a message not in the thread" },
]);

/** Whether a Graph call is a send: a POST to `/{account-id}/messages`. */
export function isSendCall(call) {
  if (call.method !== "POST" || call.batch) return false;
  const segments = call.path.split("/").filter(Boolean);
  if (/^v\d+\.\d+$/.test(segments[0] ?? "")) segments.shift();
  return segments.length === 2 && segments[1] === "messages";
}

/**
 * The Graph's answer to a send on an account (`platforms` it can reach:
 * the Page both, an Instagram account Instagram only). Resolves to the JSON
 * body; throws a GraphFailure for a refusal. `ctx`: the call (params) and
 * `env` (the handler's state: inbox, live, clock, sends).
 */
export function answerSend(accountId, platforms, ctx) {
  const { params, env } = ctx;
  const recipient = jsonParam(params, "recipient", true);
  if (typeof recipient.id !== "string" || recipient.id === "") {
    throw param("param recipient must be {\"id\": \"<PSID or IGSID>\"}: the mock takes no other recipient (user_ref, comment_id, post_id, notification_messages_token)");
  }
  const action = params.sender_action;
  if (action !== undefined) {
    if (params.message !== undefined) throw param("param sender_action goes alone: it cannot be sent with a message");
    if (!SENDER_ACTIONS.includes(action)) throw param(`param sender_action must be one of {${SENDER_ACTIONS.join(", ")}} - got "${action}"`);
    return senderAction(accountId, platforms, recipient.id, action, ctx);
  }
  const message = readMessage(params);
  const thread = findRecipient(recipient.id, platforms, env);
  const { platform } = thread;
  checkText(message.text, platform);
  const customer = thread.participants.data[0];
  if (message.replyTo !== undefined) messageInThread(message.replyTo, thread, env, "reply_to");
  const limit = message.tag === "HUMAN_AGENT" ? HUMAN_AGENT_WINDOW_MS : REPLY_WINDOW_MS;
  if (customerAge(thread, env) > limit) throw refuse(10, OUTSIDE_WINDOW, { error_subcode: SUBCODE_OUTSIDE[platform] });

  const attachments = message.attachment ? [{ type: message.attachment.type, url: message.attachment.url }] : [];
  const mid = env.live.businessReplies(thread.id, {
    text: message.text, attachments, replyTo: message.replyTo, metadata: message.metadata, platform,
  });
  env.sends.push({
    kind: "message", flavour: ctx.flavour ?? "facebook", accountId, platform, recipientId: customer.id, threadId: thread.id,
    mid, messagingType: message.messagingType, ...optional({ tag: message.tag, text: message.text, attachment: message.attachment, metadata: message.metadata, replyTo: message.replyTo }),
    at: Date.now(),
  });
  ctx.platform = platform;
  return { recipient_id: customer.id, message_id: mid };
}

function senderAction(accountId, platforms, recipientId, action, ctx) {
  const { env, params } = ctx;
  const thread = findRecipient(recipientId, platforms, env);
  const record = { kind: "action", flavour: ctx.flavour ?? "facebook", accountId, platform: thread.platform, recipientId, threadId: thread.id, action };
  if (action === "react" || action === "unreact") {
    const payload = jsonParam(params, "payload", true);
    if (typeof payload.message_id !== "string" || payload.message_id === "") throw param("param payload must carry the message_id reacted to");
    const mid = messageInThread(payload.message_id, thread, env, "payload[message_id]");
    let reaction = null;
    if (action === "react") {
      if (typeof payload.reaction !== "string" || payload.reaction.trim() === "") throw param("param payload[reaction] must be an emoji for sender_action react");
      reaction = payload.reaction;
    }
    env.live.businessReacts(mid, reaction);
    Object.assign(record, { mid, ...(reaction === null ? {} : { reaction }) });
  } else if (action === "mark_seen") {
    env.live.businessReads(thread.id);
  }
  env.sends.push({ ...record, at: Date.now() });
  ctx.platform = thread.platform;
  return { recipient_id: recipientId };
}

// ---------------------------------------------------------------- the parameters

function jsonParam(params, name, required) {
  const text = params[name];
  if (text === undefined || text === "") {
    if (required) throw param(`The parameter ${name} is required`);
    return undefined;
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw param(`param ${name} must be a JSON object`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw param(`param ${name} must be a JSON object`);
  return value;
}

// messaging_type, tag and message, checked; text and attachment as sent.
function readMessage(params) {
  const messagingType = params.messaging_type;
  if (messagingType === undefined || messagingType === "") throw param(`The parameter messaging_type is required: one of {${MESSAGING_TYPES.join(", ")}}`);
  if (!MESSAGING_TYPES.includes(messagingType)) throw param(`param messaging_type must be one of {${MESSAGING_TYPES.join(", ")}} - got "${messagingType}"`);
  const tag = params.tag === "" ? undefined : params.tag;
  if (tag !== undefined) {
    if (RETIRED_TAGS.includes(tag)) throw param(`Tag ${tag} was retired on April 27, 2026; the only tag still accepted is HUMAN_AGENT`);
    if (tag !== "HUMAN_AGENT") throw param(`param tag must be one of {HUMAN_AGENT} - got "${tag}"`);
    if (messagingType !== "MESSAGE_TAG") throw param(`a tag needs messaging_type MESSAGE_TAG, not ${messagingType}`);
  } else if (messagingType === "MESSAGE_TAG") {
    throw param("messaging_type MESSAGE_TAG needs a tag");
  }
  const message = jsonParam(params, "message", true);
  const text = message.text === undefined || message.text === "" ? undefined : message.text;
  if (text !== undefined && typeof text !== "string") throw param("param message[text] must be a string");
  const attachment = message.attachment === undefined ? undefined : readAttachment(message.attachment);
  if (text === undefined && attachment === undefined) throw param("param message must be non-empty: a text or an attachment");
  if (message.metadata !== undefined) {
    if (typeof message.metadata !== "string") throw param("param message[metadata] must be a string");
    if ([...message.metadata].length >= METADATA_CHARS) throw param(`Length of param message[metadata] must be less than ${METADATA_CHARS} characters`);
  }
  let replyTo;
  if (params.reply_to !== undefined) {
    const quoted = jsonParam(params, "reply_to", true);
    if (typeof quoted.mid !== "string" || quoted.mid === "") throw param("param reply_to must be {\"mid\": \"<message id>\"}");
    replyTo = quoted.mid;
  }
  return { messagingType, tag, text, attachment, metadata: message.metadata, replyTo };
}

function readAttachment(attachment) {
  if (attachment === null || typeof attachment !== "object") throw param("param message[attachment] must be an object {type, payload}");
  if (attachment.type === "template") throw param("param message[attachment][type] template: the mock Graph takes image, video, audio and file attachments by URL only");
  if (!ATTACHMENT_TYPES.includes(attachment.type)) {
    throw param(`param message[attachment][type] must be one of {${ATTACHMENT_TYPES.join(", ")}, template} - got ${JSON.stringify(attachment.type)}`);
  }
  const url = attachment.payload?.url;
  if (attachment.payload?.attachment_id !== undefined) throw param("param message[attachment][payload][attachment_id]: the mock Graph takes attachments by url only");
  if (typeof url !== "string" || !/^https?:\/\/[^\s/?#]+/.test(url)) throw param("param message[attachment][payload][url] must be a URL the Graph can download");
  return { type: attachment.type, url };
}

// ---------------------------------------------------------------- the rules

// The customer's thread on one of the account's platforms, or the refusal.
function findRecipient(id, platforms, env) {
  if (id === UNAVAILABLE_RECIPIENT) throw unavailable();
  if (id === RESTRICTED_RECIPIENT) throw refuse(10, "(#10) This Page can't send messages for now.", { error_subcode: 1893063 });
  for (const platform of platforms) {
    const thread = findThreadByUser(env.inbox, platform, id);
    if (!thread) continue;
    if (thread.can_reply === false) throw unavailable();
    return thread;
  }
  throw refuse(100, "(#100) No matching user found", { error_subcode: 2018001 });
}

const unavailable = () => refuse(551, "(#551) This person isn't available right now.", { error_subcode: 1545041 });

function checkText(text, platform) {
  if (text === undefined) return;
  if (platform === "instagram") {
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > INSTAGRAM_TEXT_BYTES) throw param(`Length of param message[text] must be at most ${INSTAGRAM_TEXT_BYTES} bytes on Instagram, got ${bytes}`);
  } else {
    const chars = [...text].length;
    if (chars >= MESSENGER_TEXT_CHARS) throw param(`Length of param message[text] must be less than ${MESSENGER_TEXT_CHARS} characters, got ${chars}`);
  }
}

function messageInThread(mid, thread, env, name) {
  const entry = env.inbox.byId.get(mid);
  if (!entry || entry.kind !== "message" || entry.thread !== thread || !thread.messages.includes(entry.message)) {
    throw param(`param ${name}: message ${mid} is not in this conversation`);
  }
  return mid;
}

/** How long ago (ms) the customer last wrote in the thread, on the mock's clock; Infinity if never. */
export function customerAge(thread, env) {
  const customerId = thread.participants.data[0].id;
  const last = thread.messages.find((m) => m.from.id === customerId);
  if (!last) return Infinity;
  const live = env.live?.writtenAt(last.id);
  if (live !== undefined) return Math.max(0, Date.now() - live);
  return Math.max(0, env.clock.now() - Date.parse(last.created_time.replace("+0000", "Z")));
}

/**
 * The mock's clock: INBOX_NOW plus the real time since it started (or was
 * reset). `now()` in ms.
 */
export function createInboxClock() {
  const start = Date.parse(INBOX_NOW.replace("+0000", "Z"));
  let started = performance.now();
  return {
    now: () => start + (performance.now() - started),
    reset: () => { started = performance.now(); },
  };
}

/**
 * The seeded customers of a platform with their reply window as the mock
 * starts (at INBOX_NOW): `[{ customerId, threadId, folder, lastWrote (Graph
 * time, or null when the customer never wrote), window: "open" (within 24 h:
 * any reply), "human_agent" (24 h to 7 days: tag HUMAN_AGENT only) or
 * "closed" (older, or never), canReply (false: the send answers 551) }]`,
 * newest thread first, folder by folder. `count` is the inbox size, as in
 * startMock's `threads`. Instagram customers are the same on both flavours.
 */
export function replyWindows(platform = "messenger", { count } = {}) {
  if (!PLATFORMS.includes(platform)) throw new TypeError(`platform is "messenger" or "instagram", got ${JSON.stringify(platform)}`);
  const inbox = buildInbox(count === undefined ? {} : { [platform]: count });
  const env = { clock: { now: () => Date.parse(INBOX_NOW.replace("+0000", "Z")) } };
  const rows = [];
  for (const [folder, list] of Object.entries(inbox[platform])) {
    for (const thread of list) {
      const customer = thread.participants.data[0];
      const last = thread.messages.find((m) => m.from.id === customer.id);
      const age = customerAge(thread, env);
      const window = age <= REPLY_WINDOW_MS ? "open" : age <= HUMAN_AGENT_WINDOW_MS ? "human_agent" : "closed";
      rows.push({ customerId: customer.id, threadId: thread.id, folder, lastWrote: last?.created_time ?? null, window, canReply: thread.can_reply !== false });
    }
  }
  return rows;
}

function optional(values) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
