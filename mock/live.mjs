// What happens in the inbox between two syncs: a customer writes, edits,
// unsends, reacts, reads; the business replies. Each action changes the
// mock's truth first (the inbox the Graph API serves: graph.mjs reads
// `state.inbox`) and then tells it as the messaging item Meta's webhook would
// carry (handed to `emit`, which queues it for delivery: webhooks.mjs). So a
// sync after the events sees the same messages the events announced.
//
// The seeded inbox is cached and shared (data.mjs: buildInbox); the first
// action gives this mock its own deep copy (structuredClone keeps `byId`
// pointing into the copy), and reset() goes back to the shared one.
//
// Shapes (GRAPH-FACTS.md "Webhooks"; fixtures in /work/shared/fixtures/webhooks):
//   message   { sender: customer, recipient: account, timestamp (ms), message: { mid, text?, attachments?: [{ type, payload: { url } }], reply_to?: { mid } } }
//   echo      sender and recipient swapped, message.is_echo: true; Messenger adds app_id (and metadata when given)
//   edit      message_edit: { mid, text, num_edit } (num_edit counts from 1; at most 5 edits)
//   unsend    message: { mid, is_deleted: true } (see customerUnsends for Messenger)
//   reaction  reaction: { mid, action: "react", reaction, emoji } | { mid, action: "unreact" }
//   read      Messenger read: { watermark (ms) }; Instagram read: { mid } (the messaging_seen field)
//   delivery  Messenger only: delivery: { mids, watermark }
// where "account" is the Page id (Messenger) or the Instagram professional
// account id, which is also the entry's id. A thread another app owns
// (is_owner: false) has its items delivered under `standby`.

import { IG_ACCOUNT_ID, PAGE_ID, PLATFORMS, findThreadByUser, graphTime, pageParticipant, snippetOf } from "./data.mjs";
import { base64url, digits, fbcdnUrl, igCdnUrl, int, rngFor } from "./seed.mjs";

/** The app id Messenger echoes of the mock's own sends carry (a number, as in Meta's payloads). */
export const APP_ID = 1029384756102938;
/** Meta allows a message to be edited at most this many times. */
export const MAX_EDITS = 5;

/** The attachment types a live message may carry. */
export const LIVE_ATTACHMENT_TYPES = Object.freeze(["image", "video", "audio", "file"]);

// Meta's reaction names (Messenger reference: smile, angry, sad, wow, love,
// like, dislike, other) for the emoji a person picks.
const REACTION_NAMES = new Map([
  ...["😆", "😄", "😂", "😀", "😁"].map((e) => [e, "smile"]),
  ...["😠", "😡"].map((e) => [e, "angry"]),
  ...["😢", "😭"].map((e) => [e, "sad"]),
  ...["😮", "😲"].map((e) => [e, "wow"]),
  ...["❤", "❤️", "😍"].map((e) => [e, "love"]),
  ["👍", "like"],
  ["👎", "dislike"],
]);

/** Meta's `reaction` name for an emoji ("other" for one it has no name for). */
export function reactionName(emoji) {
  return REACTION_NAMES.get(emoji) ?? "other";
}

const objectOf = (platform) => (platform === "instagram" ? "instagram" : "page");
const accountIdOf = (platform) => (platform === "instagram" ? IG_ACCOUNT_ID : PAGE_ID);
const customerOf = (thread) => thread.participants.data[0];
const accountOf = (thread) => thread.participants.data[1];
const graphSeconds = (time) => Date.parse(time.replace("+0000", "Z")) / 1000;

/**
 * The actions on one mock's state. `state` is the handler's (handler.mjs):
 * `state.inbox` is replaced by this mock's own copy on the first action,
 * `state.pristineInbox` is the shared seeded one. `emit(event)` gets every
 * webhook event: `{ kind, platform, object, accountId, customerId, mid?,
 * timestamp, standby, field, item }` where `item` is the messaging item and
 * `field` the webhook field it belongs to.
 */
export function createLive(state, emit) {
  let owned = false;
  let counter = 0;
  let last = 0; // the newest timestamp handed out (ms): event times only grow
  const times = new Map(); // mid -> ms, for live messages (the Graph keeps seconds)
  const edits = new Map(); // mid -> number of edits
  const deleted = new Set(); // unsent mids
  const reads = new Map(); // thread id -> { watermark } | { mid }: how far the person has read
  const delivered = new Map(); // thread id -> watermark of the Page's messages reported delivered

  function inbox() {
    if (!owned) {
      state.inbox = structuredClone(state.inbox);
      owned = true;
    }
    return state.inbox;
  }

  // Strictly increasing, never behind the wall clock nor the seeded inbox.
  function now() {
    if (last === 0) last = newestSeeded(state.pristineInbox);
    last = Math.max(Date.now(), last + 1);
    return last;
  }

  function messageTime(message) {
    return times.get(message.id) ?? graphSeconds(message.created_time) * 1000;
  }

  // ------------------------------------------------------------ finding things

  function resolveThread(target, { platform, create } = {}) {
    if (typeof target !== "string" || target === "") throw new TypeError("name the thread by its id or by the customer's id (a string)");
    if (platform !== undefined && !PLATFORMS.includes(platform)) throw new TypeError(`platform is "messenger" or "instagram", got ${JSON.stringify(platform)}`);
    const box = inbox();
    const node = box.byId.get(target);
    if (node?.kind === "conversation") {
      if (platform !== undefined && node.thread.platform !== platform) throw new Error(`thread ${target} is on ${node.thread.platform}, not ${platform}`);
      return node.thread;
    }
    if (node) throw new TypeError(`${target} is a message id, not a thread or a customer`);
    if (target === PAGE_ID || target === IG_ACCOUNT_ID) throw new TypeError(`${target} is the business's own account, not a customer`);
    for (const p of platform ? [platform] : PLATFORMS) {
      const thread = findThreadByUser(box, p, target);
      if (thread) return thread;
    }
    if (!create) throw new Error(`the mock has no thread ${target} and no customer with that id`);
    return createThread(box, platform ?? "messenger", target, create);
  }

  function findMessage(mid) {
    if (typeof mid !== "string" || mid === "") throw new TypeError("name the message by its mid (a string)");
    const entry = inbox().byId.get(mid);
    if (!entry || entry.kind !== "message") throw new Error(`the mock has no message ${mid}`);
    if (deleted.has(mid)) throw new Error(`message ${mid} was unsent`);
    return entry;
  }

  // ------------------------------------------------------------ changing the truth

  // A customer who has no thread yet starts one, at the top of the inbox.
  function createThread(box, platform, customerId, { name, username } = {}) {
    const rng = rngFor(`live|thread|${platform}|${customerId}`);
    const person = platform === "instagram"
      ? { username: username ?? `customer_${customerId.slice(-6)}`, id: customerId }
      : { name: name ?? `Customer ${customerId.slice(-4)}`, email: `${customerId}@facebook.com`, id: customerId };
    const id = platform === "instagram"
      ? Buffer.from(`ig_thread:1:IGMessageThread:${IG_ACCOUNT_ID}:${digits(rng, 39)}`).toString("base64url")
      : `t_${digits(rng, 15)}`;
    if (box.byId.has(id)) throw new Error(`mock: thread id ${id} already exists`);
    const thread = {
      platform, folder: "inbox", id, updated_time: graphTime(Math.floor(now() / 1000)),
      message_count: 0, unread_count: 0, snippet: "",
      participants: { data: [person, pageParticipant(platform)] }, senders: { data: [] }, former_participants: { data: [] },
      can_reply: true, is_subscribed: true, link: `/${PAGE_ID}/inbox/${digits(rng, 15)}/?section=messages`,
      name: "", scoped_thread_key: `t_${customerId}`, is_owner: true, messages: [],
    };
    box[platform].inbox.unshift(thread);
    box.byId.set(id, { kind: "conversation", thread });
    return thread;
  }

  function newMid(thread) {
    const rng = rngFor(`live|mid|${counter++}|${thread.id}`);
    if (thread.platform !== "instagram") return `m_${base64url(rng, 66)}`;
    const key = Buffer.from(thread.id, "base64url").toString("utf8").split(":").at(-1);
    return Buffer.from(`ig_message_item:1:IGMessageThread:${IG_ACCOUNT_ID}:${key}:${digits(rng, 38)}`).toString("base64url");
  }

  // The message as the Graph serves it and as the webhook tells it.
  function addMessage(thread, fromAccount, { text, attachments = [], replyTo, mid }, timestamp) {
    if (text !== undefined && typeof text !== "string") throw new TypeError("text is a string");
    if (!Array.isArray(attachments)) throw new TypeError("attachments is an array of { type, url? }");
    if (!text && attachments.length === 0) throw new TypeError("a message needs a text or an attachment");
    const box = inbox();
    let quoted = null;
    if (replyTo !== undefined) quoted = findMessage(replyTo).message;
    const id = mid ?? newMid(thread);
    if (typeof id !== "string" || id === "") throw new TypeError("mid is a string");
    if (box.byId.has(id)) throw new Error(`the mock already has a message ${id}`);
    const rng = rngFor(`live|attachments|${id}`);
    const parts = attachments.map((spec) => attachmentOf(thread.platform, spec, rng));
    const [from, to] = fromAccount ? [accountOf(thread), customerOf(thread)] : [customerOf(thread), accountOf(thread)];
    const message = { id, created_time: graphTime(Math.floor(timestamp / 1000)), from, to: { data: [to] }, message: text ?? "" };
    if (parts.length > 0) message.attachments = { data: parts.map((p) => p.graph) };
    if (quoted) message.reply_to = { mid: quoted.id, is_self_reply: quoted.from.id === from.id };
    message.tags = tagsOf(thread.platform, fromAccount);
    message.is_unsupported = false;

    thread.messages.unshift(message);
    reindex(box, thread);
    box.byId.set(id, { kind: "message", thread, message, index: 0 });
    times.set(id, timestamp);
    thread.updated_time = message.created_time;
    thread.message_count = thread.messages.length;
    thread.snippet = snippetOf(message);
    thread.unread_count = fromAccount ? 0 : thread.unread_count + 1;
    if (!thread.senders.data.some((s) => s.id === from.id)) thread.senders.data.push(from);
    const list = box[thread.platform][thread.folder];
    list.splice(list.indexOf(thread), 1);
    list.unshift(thread);

    const told = { mid: id };
    if (text) told.text = text;
    if (parts.length > 0) told.attachments = parts.map((p) => p.webhook);
    if (quoted) told.reply_to = { mid: quoted.id };
    return told;
  }

  function removeMessage(entry) {
    const box = inbox();
    const { thread, message } = entry;
    thread.messages.splice(thread.messages.indexOf(message), 1);
    reindex(box, thread);
    // Still known by id: the Graph answers it with "This Message has been
    // deleted by the user or the business." (graph.mjs, outside the window).
    entry.index = Infinity;
    deleted.add(message.id);
    thread.message_count = thread.messages.length;
    thread.snippet = snippetOf(thread.messages[0]);
  }

  // ------------------------------------------------------------ telling it

  function itemOf(thread, fromAccount, timestamp, body) {
    const customer = { id: customerOf(thread).id };
    const account = { id: accountIdOf(thread.platform) };
    return { sender: fromAccount ? account : customer, recipient: fromAccount ? customer : account, timestamp, ...body };
  }

  function tell(thread, kind, field, item, mid) {
    const event = {
      kind, platform: thread.platform, object: objectOf(thread.platform), accountId: accountIdOf(thread.platform),
      customerId: customerOf(thread).id, ...(mid === undefined ? {} : { mid }), timestamp: item.timestamp,
      standby: thread.is_owner === false, field, item,
    };
    emit(event);
    return event;
  }

  // ------------------------------------------------------------ the actions

  /**
   * A customer sends a message. `target` is a thread id or the customer's id
   * (PSID / IGSID); an id with no thread yet starts a new thread (on
   * `platform`, default "messenger"; `name` / `username` name the person).
   * The message becomes the thread's newest (updated_time, snippet,
   * unread_count follow) and a `message` webhook is sent. Options: `text`,
   * `attachments: [{ type: "image"|"video"|"audio"|"file", url? }]`,
   * `replyTo` (a mid), `platform`, `name`, `username`. Returns the new mid.
   */
  function customerWrites(target, options = {}) {
    const thread = resolveThread(target, { platform: options.platform, create: options });
    const timestamp = now();
    const told = addMessage(thread, false, options, timestamp);
    tell(thread, "message", "messages", itemOf(thread, false, timestamp, { message: told }), told.mid);
    return told.mid;
  }

  /**
   * The business sends a message (the Send API, the Page inbox, the
   * Instagram app): it becomes the thread's newest message, the thread counts
   * as read, and an echo webhook is sent (`is_echo: true`; on Messenger with
   * `app_id` and, when given, `metadata`; on Instagram real echoes carry
   * neither `app_id` nor `metadata`, so `metadata` is added only when given,
   * which is [unverified]). The Send API (send.mjs) calls this for every
   * message it takes and answers with the mid it returns. Options: `text`, `attachments`,
   * `replyTo`, `metadata`, `mid` (default: a new one), `appId` (default
   * APP_ID), `platform`. The thread must exist. Returns the mid.
   */
  function businessReplies(target, options = {}) {
    const thread = resolveThread(target, { platform: options.platform });
    const timestamp = now();
    const told = addMessage(thread, true, options, timestamp);
    let message;
    if (thread.platform === "instagram") {
      message = { ...told, is_echo: true };
      if (options.metadata !== undefined) message.metadata = String(options.metadata);
    } else {
      message = { is_echo: true, app_id: options.appId ?? APP_ID, ...told };
      if (options.metadata !== undefined) message.metadata = String(options.metadata);
    }
    const field = thread.platform === "instagram" ? "messages" : "message_echoes";
    tell(thread, "echo", field, itemOf(thread, true, timestamp, { message }), told.mid);
    return told.mid;
  }

  /**
   * The customer edits one of their messages: its text changes in the Graph
   * and a `message_edit: { mid, text, num_edit }` webhook is sent, num_edit
   * counting this message's edits from 1. A sixth edit throws (Meta allows 5).
   * Returns the event.
   */
  function customerEdits(mid, text) {
    const entry = findMessage(mid);
    const { thread, message } = entry;
    if (message.from.id !== customerOf(thread).id) throw new Error(`message ${mid} is the business's; the customer can edit only their own`);
    if (typeof text !== "string" || text === "") throw new TypeError("the edited text is a non-empty string");
    const numEdit = (edits.get(mid) ?? 0) + 1;
    if (numEdit > MAX_EDITS) throw new RangeError(`message ${mid} was edited ${MAX_EDITS} times already; Meta allows no more`);
    edits.set(mid, numEdit);
    message.message = text;
    if (thread.messages[0] === message) thread.snippet = snippetOf(message);
    return tell(thread, "edit", "message_edits", itemOf(thread, false, now(), { message_edit: { mid, text, num_edit: numEdit } }), mid);
  }

  /**
   * The customer unsends one of their messages: it leaves the thread (the
   * Graph answers its id with "This Message has been deleted by the user or
   * the business.") and `message: { mid, is_deleted: true }` is sent.
   * Instagram documents this webhook. For Messenger, Meta's documentation as
   * we have it (GRAPH-FACTS.md) describes none; the only Messenger example
   * we have, restfb's template messaging-message-isdeleted.json, has the same
   * shape under `object: "page"`, so the mock sends that. `{ webhook: false }`
   * sends nothing (unsending from Instagram on the web reportedly sends
   * nothing). Returns the event, or null.
   */
  function customerUnsends(mid, { webhook = true } = {}) {
    return unsend(mid, false, webhook);
  }

  /**
   * The business unsends one of its messages: as customerUnsends, with an
   * echo `message: { mid, is_deleted: true, is_echo: true }` from the
   * account ([unverified]: no captured example). Returns the event, or null.
   */
  function businessUnsends(mid, { webhook = true } = {}) {
    return unsend(mid, true, webhook);
  }

  function unsend(mid, byAccount, webhook) {
    const entry = findMessage(mid);
    const { thread, message } = entry;
    const fromAccount = message.from.id === accountOf(thread).id;
    if (fromAccount !== byAccount) throw new Error(`message ${mid} is the ${fromAccount ? "business's" : "customer's"}; only its sender can unsend it`);
    removeMessage(entry);
    if (!webhook) return null;
    const told = fromAccount ? { mid, is_deleted: true, is_echo: true } : { mid, is_deleted: true };
    const field = fromAccount && thread.platform === "messenger" ? "message_echoes" : "messages";
    return tell(thread, "delete", field, itemOf(thread, fromAccount, now(), { message: told }), mid);
  }

  /**
   * The customer reacts to a message with an emoji, or takes their reaction
   * back (`emoji` null): the message's `reactions` in the Graph keep one
   * reaction per person (`{ data: [{ reaction: emoji, users: [person] }] }`)
   * and `reaction: { mid, action: "react", reaction: <Meta's name>, emoji }`
   * or `{ mid, action: "unreact" }` is sent. Returns the event.
   */
  function customerReacts(mid, emoji) {
    const { thread, message } = findMessage(mid);
    setReaction(message, customerOf(thread), emoji);
    const reaction = emoji ? { mid, action: "react", reaction: reactionName(emoji), emoji } : { mid, action: "unreact" };
    return tell(thread, "reaction", "message_reactions", itemOf(thread, false, now(), { reaction }), mid);
  }

  /**
   * The business reacts (the Send API's `react` / `unreact` sender action):
   * the Graph's `reactions` change; no webhook, as Meta documents no echo of
   * the business's own reactions. Returns null.
   */
  function businessReacts(mid, emoji) {
    const { thread, message } = findMessage(mid);
    setReaction(message, accountOf(thread), emoji);
    return null;
  }

  /**
   * The customer reads the thread. Messenger: `read: { watermark }`, every
   * message up to that time (ms; default the newest message's) is read.
   * Instagram (the messaging_seen field): `read: { mid }` (default the
   * newest message). The Graph has no field for it; the mock keeps it
   * (readState). Options: `watermark`, `mid`, `platform`. Returns the event.
   */
  function customerReads(target, options = {}) {
    const thread = resolveThread(target, { platform: options.platform });
    const timestamp = now();
    if (thread.platform === "instagram") {
      const mid = options.mid ?? thread.messages[0]?.id;
      if (mid === undefined) throw new Error(`thread ${thread.id} has no message to read`);
      reads.set(thread.id, { mid });
      return tell(thread, "read", "messaging_seen", itemOf(thread, false, timestamp, { read: { mid } }), mid);
    }
    const watermark = options.watermark ?? (thread.messages[0] ? messageTime(thread.messages[0]) : timestamp);
    reads.set(thread.id, { watermark });
    return tell(thread, "read", "message_reads", itemOf(thread, false, timestamp, { read: { watermark } }));
  }

  /**
   * The customer's device got the business's messages (Messenger only):
   * `delivery: { mids, watermark }` with the business's live messages not yet
   * reported (the seeded ones count as delivered long ago; or `mids` as
   * given) and the newest one's time. Returns the event.
   */
  function customerReceives(target, options = {}) {
    const thread = resolveThread(target, { platform: options.platform });
    if (thread.platform !== "messenger") throw new Error("Instagram sends no delivery webhooks; only Messenger does");
    const since = delivered.get(thread.id) ?? 0;
    const fresh = thread.messages.filter((m) => m.from.id === accountOf(thread).id && times.has(m.id) && messageTime(m) > since);
    const mids = options.mids ?? fresh.map((m) => m.id);
    const newestOwn = thread.messages.find((m) => m.from.id === accountOf(thread).id);
    const watermark = fresh.length > 0 ? Math.max(...fresh.map(messageTime)) : since || (newestOwn ? messageTime(newestOwn) : now());
    delivered.set(thread.id, watermark);
    return tell(thread, "delivery", "message_deliveries", itemOf(thread, false, now(), { delivery: { mids, watermark } }));
  }

  /**
   * The business reads the thread (the Send API's `mark_seen`, or a person in
   * the Page inbox): its `unread_count` becomes 0. No webhook. Returns null.
   */
  function businessReads(target, options = {}) {
    resolveThread(target, { platform: options.platform }).unread_count = 0;
    return null;
  }

  /** How far the customer has read a thread: `{ watermark }` (Messenger), `{ mid }` (Instagram), or null. */
  function readState(target, options = {}) {
    return reads.get(resolveThread(target, { platform: options.platform }).id) ?? null;
  }

  return {
    customerWrites, businessReplies, customerEdits, customerUnsends, businessUnsends,
    customerReacts, businessReacts, customerReads, customerReceives, businessReads, readState,
    /** When a live message was written (ms, the clock its webhook carries), or undefined for a seeded one. */
    writtenAt: (mid) => times.get(mid),
    /** Back to the shared seeded inbox; forgets edits, reads, deliveries. The clock keeps going forward. */
    reset() {
      state.inbox = state.pristineInbox;
      owned = false;
      counter = 0;
      for (const map of [times, edits, deleted, reads, delivered]) map.clear();
    },
  };
}

// ---------------------------------------------------------------- helpers

function newestSeeded(box) {
  let newest = 0;
  for (const platform of PLATFORMS) {
    for (const list of Object.values(box[platform])) {
      if (list[0]) newest = Math.max(newest, graphSeconds(list[0].updated_time) * 1000);
    }
  }
  return newest;
}

// byId entries carry the message's place in its thread (the 20-newest rule).
function reindex(box, thread) {
  thread.messages.forEach((message, index) => {
    const entry = box.byId.get(message.id);
    if (entry) entry.index = index;
  });
}

function tagsOf(platform, fromAccount) {
  if (platform === "instagram") return { data: [{ name: "inbox" }] };
  return { data: [{ name: "inbox" }, ...(fromAccount ? [{ name: "sent" }] : []), { name: "source:chat" }] };
}

function setReaction(message, person, emoji) {
  if (emoji !== null && emoji !== undefined && (typeof emoji !== "string" || emoji === "")) throw new TypeError("a reaction is an emoji (a string), or null to take it back");
  const user = structuredClone(person);
  const list = (message.reactions?.data ?? [])
    .map((r) => ({ reaction: r.reaction, users: r.users.filter((u) => u.id !== user.id) }))
    .filter((r) => r.users.length > 0);
  if (emoji) {
    const same = list.find((r) => r.reaction === emoji);
    if (same) same.users.push(user);
    else list.push({ reaction: emoji, users: [user] });
  }
  if (list.length > 0) message.reactions = { data: list };
  else delete message.reactions;
}

// One attachment as the Graph's Message node has it and as the webhook has it.
// Instagram attachments carry only the media object, as in data.mjs.
function attachmentOf(platform, spec, rng) {
  if (spec === null || typeof spec !== "object" || !LIVE_ATTACHMENT_TYPES.includes(spec.type)) {
    throw new TypeError(`an attachment is { type: ${LIVE_ATTACHMENT_TYPES.map((t) => `"${t}"`).join(" | ")}, url? }`);
  }
  const { type } = spec;
  const ext = { image: "jpg", video: "mp4", audio: "mp4", file: "pdf" }[type];
  const url = spec.url === undefined ? (platform === "instagram" ? igCdnUrl(rng) : fbcdnUrl(rng, ext)) : String(spec.url);
  const id = digits(rng, 16);
  const size = int(rng, 20_000, 2_000_000);
  const media = {
    image: () => ({ image_data: { url, preview_url: url, width: 1080, height: 1080, max_width: 1080, max_height: 1080, image_type: 1, render_as_sticker: false } }),
    video: () => ({ video_data: { url, preview_url: url, width: 720, height: 1280, length: int(rng, 3, 60), video_type: 0, rotation: 0 } }),
    audio: () => ({ file_url: url }),
    file: () => ({ file_url: url }),
  }[type]();
  const mime = { image: "image/jpeg", video: "video/mp4", audio: "audio/mpeg", file: "application/pdf" }[type];
  const name = spec.name ?? `${type === "audio" ? "audioclip" : type}-${id}.${ext}`;
  const graph = platform === "instagram" ? media : { id, mime_type: mime, name, size, ...media };
  return { graph, webhook: { type, payload: { url } } };
}
