// Types of the mock Graph: `graph-conversations/mock` in the npm package,
// ./mock/server.mjs in the repo. Hand-written; mock/test/types.test.mjs checks
// that every option, fault kind, fault option, magic id and constant of the
// JavaScript is here, so the two cannot drift apart.
//
// Self-contained on purpose: no Node or DOM types are needed to use it.

// ---------------------------------------------------------------- what it accepts

/** The Page access token the mock accepts (in an `Authorization: Bearer` header, or `access_token`). */
export declare const TOKEN: "EAAG-mock-page-token";
/** A second valid token, with its own `callsPerSecond` budget (pacing tests with two clients). */
export declare const SECOND_TOKEN: "EAAG-mock-second-page-token";
/** A token that answers 190 / subcode 463 ("Session has expired"). */
export declare const EXPIRED_TOKEN: "EAAG-expired-token";
/** The app secret: a call with `appsecret_proof` must send HMAC-SHA256(token) keyed by it. */
export declare const APP_SECRET: "mock-app-secret";
/** The Page id: `/{PAGE_ID}/conversations`. */
export declare const PAGE_ID: "104620945892041";
/** The Page's name, as it appears among a Messenger thread's participants. */
export declare const PAGE_NAME: "Harbor Lane Coffee";
/** The Instagram professional account id: `/{IG_ACCOUNT_ID}/conversations` lists Instagram threads. */
export declare const IG_ACCOUNT_ID: "17841400000000001";
/** The Instagram account's username. */
export declare const IG_USERNAME: "harborlane.coffee";
/** The Graph version assumed for a path without `/vNN.N/` (any version is accepted). */
export declare const DEFAULT_VERSION: "v21.0";
/**
 * The Instagram User token of the Instagram API with Instagram Login flavour
 * (graph.instagram.com: `instagramUrl`, the `/instagram` base path). The
 * Facebook flavour (`url`) answers it 190, as graph.facebook.com does.
 */
export declare const IG_USER_TOKEN: "IGAA-mock-instagram-user-token";
/** The base path of the Instagram Login flavour: `${url}/instagram` is graph.instagram.com. */
export declare const INSTAGRAM_LOGIN_PATH: "/instagram";
/**
 * The time the seeded inbox is as of (five minutes after its newest
 * message). The mock's clock starts here when it starts and on reset(), and
 * runs at real speed: the reply windows of seeded customers are measured on it.
 */
export declare const INBOX_NOW: "2026-11-20T14:08:11+0000";
/** The tokens the Facebook flavour accepts: TOKEN and SECOND_TOKEN. */
export declare const VALID_TOKENS: readonly ["EAAG-mock-page-token", "EAAG-mock-second-page-token"];
/** The most items a batch request may have. */
export declare const MAX_BATCH: 50;

export type Platform = "messenger" | "instagram";
export type Folder = "inbox" | "other" | "page_done" | "spam";
export declare const PLATFORMS: readonly ["messenger", "instagram"];
export declare const FOLDERS: readonly ["inbox", "other", "page_done", "spam"];
/** Inbox sizes when startMock() gets no `threads` option. */
export declare const DEFAULT_THREAD_COUNTS: Readonly<{ messenger: 60; instagram: 45 }>;
/** Threads outside the inbox; fixed, whatever `threads` says. */
export declare const EXTRA_FOLDER_COUNTS: Readonly<{
  messenger: Readonly<{ other: 3; page_done: 2; spam: 2 }>;
  instagram: Readonly<{ other: 2; page_done: 1; spam: 1 }>;
}>;
/** The Graph gives details only for a thread's 20 newest messages. */
export declare const DETAIL_WINDOW: 20;
/** A real-world legacy message id with dots and a colon, inside the detail window. */
export declare const ODD_MESSAGE_ID: "m_mid.46348462:357234723feb";
/** The same legacy shape outside the detail window: asking for it answers code 9000001. */
export declare const OLD_ODD_MESSAGE_ID: "m_mid.1463484620123:8cd7aa4e6ee9cdae01";

// ---------------------------------------------------------------- starting it

/** What startMock takes. Every option may be left out; `undefined` means its default. */
export interface MockOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks any free port: read it from `url` or `port`. */
  port?: number | undefined;
  /** Delay in milliseconds before every answer, CORS preflights included. Default 0. */
  latencyMs?: number | undefined;
  /**
   * Inbox sizes per platform; default 60 Messenger and 45 Instagram threads.
   * The other folders have a few fixed threads (EXTRA_FOLDER_COUNTS). The
   * first threads are the same whatever the size.
   */
  threads?: { messenger?: number | undefined; instagram?: number | undefined } | undefined;
  /** Give every thread exactly this many messages (at least 1). Default: 1 to 45 by thread, edge cases pinned. */
  messagesPerThread?: number | undefined;
  /**
   * The most messages a nested `messages.limit(n){…}` returns inside a
   * conversation (at least 1); default 100. Lower it to make a client follow
   * the nested paging.
   */
  nestedMessagesCap?: number | undefined;
  /**
   * The Conversations API budget per access token, in calls per second (the
   * Graph's is 2); default 0 = no budget. A token bucket refilled at this
   * rate, 50 ms of slack, a batch costs one call per item. A call over it
   * gets HTTP 400, code 613, usage headers at 100% with regain 0 minutes
   * (the short rate limit), and counts in `stats.rateLimited`. Sends
   * (POST /{account-id}/messages) are not counted: the Send API has its own,
   * far larger budget.
   */
  callsPerSecond?: number | undefined;
  /** Faults switched on at start, in this order, as by `fault(spec)`. */
  faults?: readonly FaultSpec[] | undefined;
  /**
   * How webhooks are delivered to the receivers subscribed with
   * `webhooks.subscribe()` (WEBHOOK_DEFAULTS for the rest). Checked at
   * start: an unknown name or a bad value is a TypeError.
   */
  webhooks?: WebhookDeliveryOptions | undefined;
}

/**
 * Starts the mock Graph on 127.0.0.1. Rejects with a TypeError, before it
 * listens, on an unknown option, a bad value or a bad fault spec.
 *
 * ```js
 * import { startMock, TOKEN, PAGE_ID } from "graph-conversations/mock";
 * const mock = await startMock({ latencyMs: 20 });
 * const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN });
 * await client.listConversations(PAGE_ID);
 * await mock.close();
 * ```
 */
export declare function startMock(options?: MockOptions): Promise<MockGraph>;
/** startMock under the name the repository's own tests use. */
export declare const startMockGraph: typeof startMock;

/** A running mock. */
export interface MockGraph extends LiveActions {
  /** `http://127.0.0.1:<port>`: graph.facebook.com, the `baseUrl` for a GraphClient with a Page token. */
  readonly url: string;
  /**
   * `http://127.0.0.1:<port>/instagram`: graph.instagram.com (Instagram API
   * with Instagram Login), the `baseUrl` for a GraphClient with IG_USER_TOKEN.
   */
  readonly instagramUrl: string;
  /** What the Send API took, in order (refused sends are not here; `requests` has them). Emptied in place by reset(). */
  readonly sends: MockSend[];
  /** The port it listens on. */
  readonly port: number;
  /** Every Graph request seen, in order (not /__mock/ ones). The same array all along: reset() empties it in place. */
  readonly requests: MockRequest[];
  /** Counters; the same object all along. */
  readonly stats: MockStats;
  /** The faults switched on, in the order they were added, with their counters. */
  readonly faults: readonly ActiveFault[];
  /**
   * Switches a fault on and returns it. It answers the next matching Graph
   * request (after the call budget, before the token check); `times` says
   * how many. Throws a TypeError for an unknown kind or option, or a bad value.
   */
  fault(spec: FaultSpec): ActiveFault;
  /** Switches every fault off. */
  clearFaults(): void;
  /** Changes the per-token budget at run time (0 = off); forgets what was spent. */
  setCallsPerSecond(callsPerSecond: number): void;
  /**
   * Empties requests, usage, the magic ids' call counts, faults, budgets and
   * stats; restores the seeded inbox; empties the webhook queue, logs and
   * faults (subscriptions and delivery options stay).
   */
  reset(): void;
  /** Stops listening and ends open connections (and slow answers still waiting, and webhook deliveries). */
  close(): Promise<void>;
  /** The webhook side: subscriptions, deliveries, webhook faults. */
  readonly webhooks: MockWebhooks;
}

/**
 * What happens in the inbox between two syncs. Each action changes the inbox
 * the Graph serves first, then sends the webhook Meta would send to every
 * subscriber (`webhooks.subscribe`). A thread is named by its id or by the
 * customer's id (PSID / IGSID); a message by its mid. An action on something
 * the mock does not have throws.
 */
export interface LiveActions {
  /**
   * A customer sends a message (a `message` webhook); an id with no thread
   * yet starts a new one, at the top of the inbox. Returns the new mid.
   */
  customerWrites(threadOrCustomerId: string, options?: CustomerWritesOptions): string;
  /**
   * The business sends a message (the Send API, the Page inbox): it becomes
   * the thread's newest, the thread counts as read, and the echo webhook goes
   * (`is_echo`; Messenger adds `app_id`; `metadata` when given). The thread
   * must exist. Returns the mid.
   */
  businessReplies(threadOrCustomerId: string, options?: BusinessRepliesOptions): string;
  /** The customer edits one of their messages (`message_edit`, `num_edit` from 1); a sixth edit throws. */
  customerEdits(mid: string, text: string): WebhookEventRecord;
  /** The customer unsends one of their messages (`is_deleted`); `{ webhook: false }` sends nothing. */
  customerUnsends(mid: string, options?: { webhook?: boolean | undefined }): WebhookEventRecord | null;
  /** The business unsends one of its messages (an echo with `is_deleted`); `{ webhook: false }` sends nothing. */
  businessUnsends(mid: string, options?: { webhook?: boolean | undefined }): WebhookEventRecord | null;
  /** The customer reacts to a message, or takes it back (null): `reaction` webhook; the message's `reactions` change. */
  customerReacts(mid: string, emoji: string | null): WebhookEventRecord;
  /** The business reacts, or takes it back (null): the message's `reactions` change; no webhook. Returns null. */
  businessReacts(mid: string, emoji: string | null): null;
  /** The customer reads the thread: Messenger `read: { watermark }`, Instagram `read: { mid }` (messaging_seen). */
  customerReads(threadOrCustomerId: string, options?: { watermark?: number | undefined; mid?: string | undefined; platform?: Platform | undefined }): WebhookEventRecord;
  /** The customer's device got the business's messages (Messenger only): `delivery: { mids, watermark }`. */
  customerReceives(threadOrCustomerId: string, options?: { mids?: string[] | undefined; platform?: Platform | undefined }): WebhookEventRecord;
  /** The business reads the thread: its `unread_count` becomes 0; no webhook. Returns null. */
  businessReads(threadOrCustomerId: string, options?: { platform?: Platform | undefined }): null;
  /** How far the customer has read: `{ watermark }` (Messenger), `{ mid }` (Instagram), or null. */
  readState(threadOrCustomerId: string, options?: { platform?: Platform | undefined }): { watermark: number } | { mid: string } | null;
}


/** An attachment of a live message; the URL is made up when left out. */
export interface LiveAttachment {
  type: "image" | "video" | "audio" | "file";
  url?: string | undefined;
  name?: string | undefined;
}

/** Options of `customerWrites`. */
export interface CustomerWritesOptions {
  text?: string | undefined;
  attachments?: LiveAttachment[] | undefined;
  /** The mid of a message of the thread to quote. */
  replyTo?: string | undefined;
  /** For a new customer: which inbox (default "messenger"); for a known one, where to look. */
  platform?: Platform | undefined;
  /** A new Messenger customer's name. */
  name?: string | undefined;
  /** A new Instagram customer's username. */
  username?: string | undefined;
}

/** Options of `businessReplies`. */
export interface BusinessRepliesOptions {
  text?: string | undefined;
  attachments?: LiveAttachment[] | undefined;
  replyTo?: string | undefined;
  /** Comes back on the echo. */
  metadata?: string | undefined;
  /** The mid to give the message (default: a new one). */
  mid?: string | undefined;
  /** The echo's `app_id` (Messenger); default APP_ID. */
  appId?: number | undefined;
  platform?: Platform | undefined;
}

// ---------------------------------------------------------------- the Send API

/**
 * One send the mock took: a message (`kind: "message"`, with its new `mid`;
 * the thread's newest message from then on, and its echo webhook went) or a
 * sender action (`kind: "action"`).
 */
export interface MockSend {
  kind: "message" | "action";
  /** "facebook" (graph.facebook.com, `url`) or "instagram" (graph.instagram.com, `instagramUrl`). */
  flavour: "facebook" | "instagram";
  /** The account that sent: PAGE_ID or IG_ACCOUNT_ID (`me` resolved). */
  accountId: string;
  platform: Platform;
  recipientId: string;
  threadId: string;
  /** A message's new mid; a reaction's message. */
  mid?: string;
  messagingType?: "RESPONSE" | "UPDATE" | "MESSAGE_TAG";
  tag?: "HUMAN_AGENT";
  text?: string;
  attachment?: { type: "image" | "video" | "audio" | "file"; url: string };
  metadata?: string;
  replyTo?: string;
  action?: "typing_on" | "typing_off" | "mark_seen" | "react" | "unreact";
  /** The emoji of a `react`. */
  reaction?: string;
  /** Wall clock, epoch ms. */
  at: number;
}

/** A reply is allowed this long after the customer's last message: 24 hours. */
export declare const REPLY_WINDOW_MS: 86400000;
/** With tag HUMAN_AGENT: 7 days. */
export declare const HUMAN_AGENT_WINDOW_MS: 604800000;
/** The tags retired on 27 April 2026: a send with one answers code 100. */
export declare const RETIRED_TAGS: readonly ["CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE"];
/** A recipient id that answers 551 "This person isn't available right now." */
export declare const UNAVAILABLE_RECIPIENT: "recipient-unavailable-551";
/** A recipient id that answers 10 / 1893063: the Page may not send messages for now. */
export declare const RESTRICTED_RECIPIENT: "recipient-restricted-1893063";
/** Messenger: a text must have fewer than this many characters (code points). */
export declare const MESSENGER_TEXT_CHARS: 2000;
/** Instagram: a text may have at most this many bytes of UTF-8. */
export declare const INSTAGRAM_TEXT_BYTES: 1000;
/** `metadata` must have fewer than this many characters. */
export declare const METADATA_CHARS: 1000;
/** Every way the mock refuses a send (what the README lists). */
export declare const SEND_REFUSALS: ReadonlyArray<{ name: string; code: number; subcode?: number | string; message: string; when: string }>;

/** A seeded customer and the reply window it is in when the mock starts. */
export interface ReplyWindowRow {
  customerId: string;
  threadId: string;
  folder: Folder;
  /** When the customer last wrote; null when they never did. */
  lastWrote: string | null;
  /** "open": within 24 h, any reply; "human_agent": 24 h to 7 days, tag HUMAN_AGENT only; "closed": older, or never wrote. */
  window: "open" | "human_agent" | "closed";
  /** False: the thread has can_reply false and a send answers 551. */
  canReply: boolean;
}

/**
 * The seeded customers of a platform with their reply window at INBOX_NOW,
 * newest thread first, folder by folder (`count`: the inbox size, as in
 * startMock's `threads`). The same on both flavours for Instagram.
 */
export declare function replyWindows(platform?: Platform, options?: { count?: number | undefined }): ReplyWindowRow[];

// ---------------------------------------------------------------- webhooks

/** How webhooks are delivered (startMock's `webhooks`, `webhooks.configure()`); whole numbers. */
export interface WebhookDeliveryOptions {
  /** How long events queue before a POST goes, ms (the first event starts the window); default 20. */
  batchWindowMs?: number | undefined;
  /** Most entries per POST; default 10. */
  maxEntries?: number | undefined;
  /** Most messaging items per entry; default 5. */
  maxItemsPerEntry?: number | undefined;
  /** How long an answer may take, ms (Meta asks for one within 5 s); default 5000. */
  timeoutMs?: number | undefined;
  /** How often a failed POST is sent again; default 3. */
  retries?: number | undefined;
  /** The first retry's delay, ms (then doubling); default 100. */
  retryBaseMs?: number | undefined;
  /** The longest delay between retries, ms; default 2000. */
  retryMaxMs?: number | undefined;
}

export type WebhookField = "messages" | "message_echoes" | "message_edits" | "message_reactions" | "message_reads" | "messaging_seen" | "message_deliveries" | "standby";

/** What `webhooks.subscribe` takes. */
export interface WebhookSubscribeOptions {
  /** http(s) on 127.0.0.1, localhost or [::1] only. Subscribing a URL again replaces it. */
  url: string;
  /** Signs the POSTs; default APP_SECRET. */
  appSecret?: string | undefined;
  /** Do Meta's `hub.challenge` handshake first; subscribe rejects when the receiver refuses it. */
  verifyToken?: string | undefined;
  /** The webhook fields wanted; default all (WEBHOOK_FIELDS). */
  fields?: readonly WebhookField[] | undefined;
  /** "page" (Messenger) and/or "instagram"; default both. */
  objects?: ReadonlyArray<"page" | "instagram"> | undefined;
  /** Delivery options for this receiver only. */
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  retryBaseMs?: number | undefined;
  retryMaxMs?: number | undefined;
}

/** A subscription as `webhooks.subscribe` and `webhooks.subscriptions` describe it (no secret). */
export interface WebhookSubscription {
  id: number;
  url: string;
  fields: WebhookField[];
  objects: Array<"page" | "instagram">;
  options: Record<string, number>;
  /** The handshake was done and answered. */
  verified: boolean;
  handshake: { status: number; ms: number } | null;
  subscribedAt: number;
}

/** Every event the mock told (delivered or not): `webhooks.events`. */
export interface WebhookEventRecord {
  kind: "message" | "echo" | "edit" | "delete" | "reaction" | "read" | "delivery";
  platform: Platform;
  object: "page" | "instagram";
  /** The entry's id: the Page or the Instagram account. */
  accountId: string;
  customerId: string;
  mid?: string;
  /** Milliseconds. */
  timestamp: number;
  /** Delivered under `standby` (another app owns the thread). */
  standby: boolean;
  /** The webhook field it belongs to. */
  field: WebhookField;
  /** The messaging item as sent. */
  item: Record<string, unknown>;
}

/** One POST attempt: `webhooks.deliveries`. */
export interface WebhookDelivery {
  /** The delivery's id; a retry or a duplicate keeps it. */
  delivery: number;
  attempt: number;
  redelivery?: true;
  subscription: number;
  url: string;
  object: "page" | "instagram";
  entries: number;
  items: number;
  /** Epoch ms. */
  sentAt: number;
  /** Until the answer. */
  ms: number | null;
  status: number | null;
  outcome: "ok" | "http-error" | "timeout" | "network-error" | "cancelled" | null;
  /** The answer's first 500 characters. */
  answer?: string;
  error?: string;
  /** The webhook fault kinds applied. */
  faults?: WebhookFaultKind[];
  heldMs?: number;
  headers: Record<string, string>;
  /** The exact bytes sent, as text. */
  body: string;
}

/** The webhook side of a mock (`mock.webhooks`). Its arrays are the same all along: reset() empties them in place. */
export interface MockWebhooks {
  /** Subscribes a receiver (the handshake first with `verifyToken`); rejects when it is refused or the URL is not local. */
  subscribe(options: WebhookSubscribeOptions): Promise<WebhookSubscription>;
  /** Removes the subscription of `url`, or every one; returns how many went. */
  unsubscribe(url?: string): number;
  readonly subscriptions: WebhookSubscription[];
  readonly deliveries: WebhookDelivery[];
  readonly events: WebhookEventRecord[];
  readonly faults: readonly ActiveWebhookFault[];
  /** Switches a webhook fault on; throws a TypeError for a bad spec. */
  fault(spec: WebhookFaultSpec): ActiveWebhookFault;
  clearFaults(): void;
  /** Changes delivery options; returns them all. */
  configure(options: WebhookDeliveryOptions): Required<WebhookDeliveryOptions>;
  readonly options: Required<WebhookDeliveryOptions>;
  /** Sends what is queued now; returns the number of POSTs started. */
  flush(): number;
  /** Resolves once nothing is queued, in flight, waiting for a retry or held back; rejects after `timeoutMs` (default 10 000). */
  settled(options?: { timeoutMs?: number | undefined }): Promise<void>;
}

/** Options every webhook fault takes, besides its kind's own. */
export interface CommonWebhookFaultOptions {
  /** How many POSTs get the fault: 1 (default) = once; Infinity, null or "always" = every one. */
  times?: number | null | "always" | "Infinity" | undefined;
  /** Let that many matching POSTs through first. Default 0. */
  skip?: number | undefined;
  /** A substring of the raw POST body the fault applies to (a mid, "message_edit", "instagram"); "" = every POST. */
  match?: string | undefined;
}

/** The POST is sent again, same bytes and signature, after it was answered 2xx: a duplicate. */
export interface WebhookRedeliverFault extends CommonWebhookFaultOptions {
  kind: "webhook-redeliver";
  /** Wait after the 2xx answer before the duplicate, ms; default 50. */
  delayMs?: number | undefined;
}

/** The POST is held back until later POSTs to the same subscriber were answered: later events arrive first. */
export interface WebhookOutOfOrderFault extends CommonWebhookFaultOptions {
  kind: "webhook-out-of-order";
  /** How many later POSTs go first; default 1. */
  after?: number | undefined;
  /** Send it anyway after this long, ms; default 2000. */
  maxHoldMs?: number | undefined;
}

/** The receiver gets the POST but its answer counts as too late: it is retried, the same bytes arrive twice. */
export interface WebhookTimeoutFault extends CommonWebhookFaultOptions {
  kind: "webhook-timeout";
}

/** The first attempt never reaches the receiver and is retried with backoff: the event arrives late. */
export interface WebhookLostFault extends CommonWebhookFaultOptions {
  kind: "webhook-lost";
}

/** The POST's signature headers are wrong (refusals); a non-2xx answer is retried with the same headers. */
export interface WebhookBadSignatureFault extends CommonWebhookFaultOptions {
  kind: "webhook-bad-signature";
  /** "wrong-secret" (default): signed with another secret; "missing"; "malformed" (no sha256= prefix); "sha1-only". */
  mode?: "wrong-secret" | "missing" | "malformed" | "sha1-only" | undefined;
}

/** A webhook fault to switch on: `webhooks.fault(spec)` or `POST /__mock/webhooks/fault`. */
export type WebhookFaultSpec =
  | WebhookRedeliverFault
  | WebhookOutOfOrderFault
  | WebhookTimeoutFault
  | WebhookLostFault
  | WebhookBadSignatureFault;

export type WebhookFaultKind = "webhook-redeliver" | "webhook-out-of-order" | "webhook-timeout" | "webhook-lost" | "webhook-bad-signature";

/** A webhook fault switched on, with its counters. */
export interface ActiveWebhookFault {
  id: number;
  kind: WebhookFaultKind;
  times: number;
  remaining: number;
  match: string;
  skip: number;
  skipped: number;
  hits: number;
  [option: string]: unknown;
}

/** The webhook fault table, by kind (same shape as FAULTS, family "webhook"). Frozen. */
export declare const WEBHOOK_FAULTS: Readonly<Record<WebhookFaultKind, FaultTableEntryBase>>;
/** Every webhook fault kind, with the names of its own options. */
export declare const WEBHOOK_FAULT_KINDS: Readonly<Record<WebhookFaultKind, readonly string[]>>;
/** The options every webhook fault takes. */
export declare const WEBHOOK_COMMON_OPTIONS: Readonly<Record<keyof CommonWebhookFaultOptions, FaultOptionEntry>>;
/** Checks a webhook fault spec and returns the fault with its defaults (no `id`); throws a TypeError. */
export declare function parseWebhookFault(spec: WebhookFaultSpec): Omit<ActiveWebhookFault, "id">;
/** The delivery options' defaults. */
export declare const WEBHOOK_DEFAULTS: Readonly<Required<WebhookDeliveryOptions>>;
/** The webhook fields a subscription can ask for. */
export declare const WEBHOOK_FIELDS: readonly ["messages", "message_echoes", "message_edits", "message_reactions", "message_reads", "messaging_seen", "message_deliveries", "standby"];
/**
 * The signature headers' values for a raw body: `{ sha256: "sha256=<hex>",
 * sha1: "sha1=<hex>" }` (X-Hub-Signature-256 and the legacy X-Hub-Signature).
 */
export declare function signWebhook(rawBody: string | Uint8Array, appSecret: string): { sha256: string; sha1: string };
/**
 * A webhook body as Meta writes it: `{ object, entry }`, non-ASCII as
 * `\uXXXX` and `/` as `\/`. `entries`: `{ accountId, messaging?, standby? }`;
 * `time` in ms.
 */
export declare function webhookBody(
  object: "page" | "instagram",
  entries: ReadonlyArray<{ accountId: string; messaging?: ReadonlyArray<Record<string, unknown>>; standby?: ReadonlyArray<Record<string, unknown>> }>,
  time: number,
): string;
/** The live actions a mock has, by name. */
export declare const LIVE_ACTIONS: readonly ["customerWrites", "businessReplies", "customerEdits", "customerUnsends", "businessUnsends", "customerReacts", "businessReacts", "customerReads", "customerReceives", "businessReads", "readState"];
/** The app id Messenger echoes of the mock's own sends carry. */
export declare const APP_ID: 1029384756102938;
/** Meta allows a message to be edited at most this many times. */
export declare const MAX_EDITS: 5;
/** The attachment types a live message may carry. */
export declare const LIVE_ATTACHMENT_TYPES: readonly ["image", "video", "audio", "file"];
/** Meta's `reaction` name for an emoji: smile, angry, sad, wow, love, like, dislike, or "other". */
export declare function reactionName(emoji: string): "smile" | "angry" | "sad" | "wow" | "love" | "like" | "dislike" | "other";

/** One Graph request as the mock saw it. */
export interface MockRequest {
  method: string;
  /** The request target as received: path and query. */
  url: string;
  path: string;
  query: Record<string, string>;
  /** Lowercase names. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text ("" for none). */
  body: string;
  /** Arrival time, epoch milliseconds (fractional). */
  at: number;
  /** The HTTP status answered; null when there was none (dropped, or the client gave up). */
  status: number | null;
  /** The Graph error code of an error answer. */
  code?: number;
  /** The kind of the fault that answered it, if one did. */
  fault?: FaultKind;
  /** True when it was over the `callsPerSecond` budget. */
  rateLimited?: true;
  /** True when the connection was dropped without an answer. */
  dropped?: true;
}

export interface MockStats {
  /** Calls refused for the `callsPerSecond` budget. */
  rateLimited: number;
  /** Calls answered by a fault switched on with fault() (not by a magic id). */
  faulted: number;
  /** Requests being answered now. */
  inFlight: number;
  /** The most requests in flight at once since the last reset. */
  maxInFlight: number;
}

// ---------------------------------------------------------------- faults

/** Options every fault switched on with fault() takes, besides its kind's own. */
export interface CommonFaultOptions {
  /** How many answers get the fault: 1 (default) = once; Infinity, null or "always" = every one. */
  times?: number | null | "always" | "Infinity" | undefined;
  /** A substring of the request path the fault applies to ("" = every path, unless the kind has its own default). */
  match?: string | undefined;
  /** Let that many matching requests through first. Default 0. */
  skip?: number | undefined;
  /** Put the request's token and APP_SECRET into the body (tests that secrets never reach a message or a log). */
  echoToken?: boolean | undefined;
}

/** HTTP 500, text/plain "Internal Server Error": not a Graph body, none of the Graph's headers. */
export interface Http500Fault extends CommonFaultOptions {
  kind: "http-500";
}

/** HTTP 502 with a proxy's HTML page of about 9 KB, none of the Graph's headers. */
export interface Html502Fault extends CommonFaultOptions {
  kind: "html-502";
}

/** Any answer that is not the Graph's: a status, a content type and a body (a JSON content type keeps the Graph's headers). */
export interface HttpFault extends CommonFaultOptions {
  kind: "http";
  /** HTTP status; default 500. */
  status?: number | undefined;
  /** Content-Type; default "text/plain; charset=utf-8". */
  contentType?: string | undefined;
  /** The body, as is; default "Mock HTTP failure". */
  body?: string | undefined;
}

/** The real answer cut in half: a short complete body, or a transfer that stops half way. */
export interface TruncatedJsonFault extends CommonFaultOptions {
  kind: "truncated-json";
  /** "body" (default): a short body with a matching Content-Length; "transfer": the connection drops half way through the promised body. */
  mode?: "body" | "transfer" | undefined;
}

/** The connection is closed without an answer (in a batch: that item is null). */
export interface ResetFault extends CommonFaultOptions {
  kind: "reset";
}

/** The real answer, `ms` later (timeouts, aborts). */
export interface SlowFault extends CommonFaultOptions {
  kind: "slow";
  /** Delay in milliseconds; default 10000. */
  ms?: number | undefined;
}

/**
 * A send (POST /{account-id}/messages) is taken as usual — recorded in
 * `sends`, the message added, its echo webhook sent (or refused, if it breaks
 * a rule) — then the connection is dropped without an answer.
 */
export interface SendThenDropFault extends CommonFaultOptions {
  kind: "send-then-drop";
}

/** A send is taken as usual, and its answer held back `ms`: longer than the client waits. */
export interface SendThenLateFault extends CommonFaultOptions {
  kind: "send-then-late";
  /** How long the answer is held back after the send was taken, ms; default 35000 (the client's default timeout is 30000). */
  ms?: number | undefined;
}

/** HTTP 400, code 613 "Calls to this api have exceeded the rate limit.", usage headers at 100% (a long rate limit). */
export interface RateLimit613Fault extends CommonFaultOptions {
  kind: "rate-limit-613";
  /** estimated_time_to_regain_access in the usage headers, whole minutes; default 3. */
  regainMinutes?: number | undefined;
  /** A Retry-After header in seconds; none by default, as the Graph sends none. */
  retryAfter?: number | undefined;
}

/** HTTP 400, code 80006 "too many messenger api calls to this Page account" (no subcode), usage headers at 100%. */
export interface Throttle80006Fault extends CommonFaultOptions {
  kind: "80006" | 80006;
  /** estimated_time_to_regain_access in the usage headers, whole minutes; default 1. */
  regainMinutes?: number | undefined;
  /** A Retry-After header in seconds; none by default, as the Graph sends none. */
  retryAfter?: number | undefined;
}

/** HTTP 500, code 1 "An unknown error occurred", subcode 99. */
export interface Code1Fault extends CommonFaultOptions {
  kind: "code-1";
  /** is_transient in the body: true (default), false, or null for none. */
  isTransient?: boolean | null | undefined;
}

/** HTTP 503, code 2 "An unexpected error has occurred. Please retry your request later." */
export interface Code2Fault extends CommonFaultOptions {
  kind: "code-2";
  /** is_transient in the body: true (default), false, or null for none. */
  isTransient?: boolean | null | undefined;
}

/** Any Graph error body: code, subcode, message, type, is_transient, user title and message, usage headers. */
export interface GraphErrorFault extends CommonFaultOptions {
  kind: "graph-error";
  /** error.code (required). */
  code: number;
  /** HTTP status; default 400. */
  status?: number | undefined;
  /** error.error_subcode; none by default. */
  subcode?: number | undefined;
  /** error.message; default "(#<code>) Mock Graph error <code>". */
  message?: string | undefined;
  /** error.type; default "OAuthException". */
  type?: string | undefined;
  /** is_transient in the body: true, false, or null (default) for none. */
  isTransient?: boolean | null | undefined;
  /** error.error_user_title. */
  userTitle?: string | undefined;
  /** error.error_user_msg. */
  userMsg?: string | undefined;
  /** Put X-Business-Use-Case-Usage at 100% with this regain time (whole minutes). */
  regainMinutes?: number | undefined;
  /** A Retry-After header in seconds. */
  retryAfter?: number | undefined;
  /** X-App-Usage call_count, a whole percentage. */
  appUsage?: number | undefined;
  /** X-Page-Usage call_count, a whole percentage. */
  pageUsage?: number | undefined;
  /** The business use case type reported (instagram: under the Page and the IG account). */
  usageType?: "messenger" | "instagram" | undefined;
}

/** The page after X names X as its after cursor again (and in its next link): a client that trusts it loops. Default `match`: "/conversations"; GET requests with an `after` cursor only. */
export interface RepeatCursorFault extends CommonFaultOptions {
  kind: "repeat-cursor";
}

/** HTTP 500, code 1 "Please reduce the amount of data you're asking for, then retry your request", is_transient false, to a list read whose `limit` is over `maxLimit` (what the Graph answers a heavy field expansion). Default `match`: "/conversations"; GET requests only. */
export interface TooMuchDataFault extends CommonFaultOptions {
  kind: "too-much-data";
  /** The largest `limit` answered as usual (a read without `limit` asks for 25); default 50. */
  maxLimit?: number | undefined;
}

/** One valid last page of 200 conversations × 25 messages, about `bytes` long. Default `match`: "/conversations"; GET requests only. */
export interface HugePageFault extends CommonFaultOptions {
  kind: "huge-page";
  /** Body size in bytes; default 20 MiB. */
  bytes?: number | undefined;
}

/** A fault to switch on: `fault(spec)`, the `faults` option, `--fault` or `POST /__mock/fault`. */
export type FaultSpec =
  | Http500Fault
  | Html502Fault
  | HttpFault
  | TruncatedJsonFault
  | ResetFault
  | SlowFault
  | SendThenDropFault
  | SendThenLateFault
  | RateLimit613Fault
  | Throttle80006Fault
  | Code1Fault
  | Code2Fault
  | GraphErrorFault
  | RepeatCursorFault
  | TooMuchDataFault
  | HugePageFault;

/** The kinds fault() takes. */
export type SwitchableFaultKind =
  | "http-500" | "html-502" | "http" | "truncated-json" | "reset" | "slow" | "send-then-drop" | "send-then-late" | "rate-limit-613"
  | "80006" | "code-1" | "code-2" | "graph-error" | "repeat-cursor" | "too-much-data" | "huge-page";
/** Every kind of the table; "null-item" only by its id (`batch-null`). */
export type FaultKind = SwitchableFaultKind | "null-item";

/** A fault switched on: its spec with the defaults filled in, and its counters. */
export interface ActiveFault {
  /** Counted from 1 per mock. */
  id: number;
  kind: SwitchableFaultKind;
  /** How many answers it gets in all (Infinity = every one). */
  times: number;
  /** How many it still gets. */
  remaining: number;
  match: string;
  skip: number;
  /** How many matching requests it has let through so far (up to `skip`). */
  skipped: number;
  /** How many answers it gave. */
  hits: number;
  echoToken: boolean;
  /** The kind's own options, defaults filled in. */
  [option: string]: unknown;
}

/**
 * Ids that turn a fault on with no switch: put one where a page, conversation
 * or message id goes (`/v24.0/error-613/conversations`), in a batch item too.
 * They answer after the token check and count as calls.
 *
 * - `error-1`, `error-1-big`, `error-1-big-user-msg`, `error-2`, `error-4`,
 *   `error-17`, `error-32`, `error-100`, `error-190`, `error-200`,
 *   `error-230`, `error-368`, `error-613`, `error-2500`, `error-80001`,
 *   `error-80002`, `error-80006`, `error-9000001`: that Graph error;
 * - `http-502`, `http-404-text`, `bad-json`, `not-graph-shape`: an answer that
 *   is not the Graph's;
 * - `net-reset`: the connection is dropped; `batch-null`: as a batch item's
 *   id, that item is null;
 * - `slow-<ms>-<id>`: `<id>` answered `<ms>` milliseconds late;
 * - `flaky-<n>-<id>`: code 1 to the first `<n>` calls of this id since reset, then `<id>`.
 */
export type MagicId =
  | TriggerId
  | "net-reset"
  | "batch-null"
  | `slow-${number}-${string}`
  | `flaky-${number}-${string}`;

/** The fixed magic ids that answer an error (a Graph error body, or a body that is not the Graph's). */
export type TriggerId =
  | "http-502" | "http-404-text" | "bad-json" | "not-graph-shape"
  | "error-613" | "error-80006" | "error-1" | "error-2"
  | "error-1-big" | "error-1-big-user-msg" | "error-4" | "error-17" | "error-32" | "error-100"
  | "error-190" | "error-200" | "error-230" | "error-368" | "error-2500" | "error-80001"
  | "error-80002" | "error-9000001";
export declare const TRIGGER_IDS: readonly TriggerId[];

/** How the table describes one option of a kind. */
export interface FaultOptionDescription {
  name: string;
  type: "string" | "boolean" | "count" | "number" | "seconds" | "minutes" | "integer" | "percent" | "status" | "enum" | "transient" | "times";
  /** The choices of an "enum" option. */
  values?: readonly string[];
  default?: unknown;
  required?: true;
  doc: string;
}

/** One kind of the fault table as plain data. */
export interface FaultKindDescription {
  kind: FaultKind;
  family: "graph" | "http" | "transport" | "paging";
  /** What a client sees, in one line. */
  summary: string;
  /** False for a kind only an id turns on. */
  switchable: boolean;
  /** Which requests it applies to when switched on. */
  matches: string;
  options: FaultOptionDescription[];
  /** The ids that turn it on: one exact `id` (with the options it stands for), or an `example` of a pattern. */
  ids: Array<{ id: string; options?: Record<string, unknown>; doc: string } | { example: string; doc: string }>;
}

/** A webhook fault kind as plain data. */
export interface WebhookFaultKindDescription {
  kind: WebhookFaultKind;
  family: "webhook";
  summary: string;
  switchable: true;
  matches: string;
  options: FaultOptionDescription[];
  ids: [];
}

/**
 * The fault tables as plain data (what `--help`, the README and `GET
 * /__mock/fault-kinds` show): the Graph's kinds and their common options,
 * and the webhook delivery faults under `webhooks`.
 */
export declare function describeFaultKinds(): {
  kinds: FaultKindDescription[];
  common: FaultOptionDescription[];
  webhooks: { kinds: WebhookFaultKindDescription[]; common: FaultOptionDescription[] };
};

/** One option of a kind in the fault table. */
export interface FaultOptionEntry {
  readonly type: FaultOptionDescription["type"];
  readonly values?: readonly string[];
  readonly default?: unknown;
  readonly required?: boolean;
  readonly doc: string;
}

/** What every fault table entry has (the Graph's and the webhooks'). */
export interface FaultTableEntryBase {
  readonly family: FaultKindDescription["family"] | "webhook";
  readonly summary: string;
  readonly options: Readonly<Record<string, FaultOptionEntry>>;
  readonly matches?: { readonly doc: string };
}

/** One entry of the fault table (faults.mjs). */
export interface FaultTableEntry extends FaultTableEntryBase {
  readonly family: FaultKindDescription["family"];
  readonly matches?: { readonly path: string; readonly doc: string; when?(call: unknown): boolean };
  readonly switchable?: false;
  readonly ids?: ReadonlyArray<
    | { readonly id: string; readonly options: Readonly<Record<string, unknown>>; readonly doc: string }
    | { readonly pattern: RegExp; readonly example: string; parse(match: RegExpExecArray): Record<string, unknown>; readonly doc: string }
  >;
  answer(fault: unknown, tools: unknown): unknown;
}

/** The fault table, by kind. Frozen. */
export declare const FAULTS: Readonly<Record<FaultKind, FaultTableEntry>>;
/** Every kind fault() takes, with the names of its own options. */
export declare const FAULT_KINDS: Readonly<Record<SwitchableFaultKind, readonly string[]>>;
/** The options every switched-on fault takes. */
export declare const COMMON_OPTIONS: Readonly<Record<keyof CommonFaultOptions, FaultOptionEntry>>;
/** Every option startMock takes, with its doc and default (what --help and the README show). */
export declare const START_OPTIONS: Readonly<Record<keyof MockOptions, { readonly default: string; readonly doc: string; check(value: unknown): void }>>;

/** Checks a fault spec against the table and returns the fault with its defaults (no `id`); throws a TypeError. */
export declare function parseFault(spec: FaultSpec): Omit<ActiveFault, "id">;
/** The fault a magic id stands for, or null for an ordinary id. */
export declare function faultOfId(id: string): { kind: FaultKind; times: number; inner?: string; echoToken: false; [option: string]: unknown } | null;

// ---------------------------------------------------------------- the inbox

/** A participant: Messenger ones have `name` and `email`, Instagram ones `username`. */
export interface MockParticipant {
  id: string;
  name?: string;
  email?: string;
  username?: string;
}

/** A message as the mock holds it (every field the Graph could send; which ones a message has varies). */
export interface MockMessage {
  id: string;
  created_time: string;
  from: MockParticipant;
  to: { data: MockParticipant[] };
  message: string;
  tags: { data: Array<{ name: string }> };
  is_unsupported: boolean;
  attachments?: { data: Array<Record<string, unknown>>; paging?: { cursors: { before: string; after: string } } };
  reactions?: { data: Array<{ reaction: string; users: MockParticipant[] }> };
  shares?: { data: Array<Record<string, unknown>> };
  sticker?: string;
  story?: Record<string, { link: string; id: string }>;
  reply_to?: { mid: string; is_self_reply: boolean };
  [field: string]: unknown;
}

/** A conversation as the mock holds it, with all its messages newest first. */
export interface MockThread {
  id: string;
  platform: Platform;
  folder: Folder;
  updated_time: string;
  message_count: number;
  unread_count: number;
  snippet: string;
  participants: { data: MockParticipant[] };
  senders: { data: MockParticipant[] };
  former_participants: { data: MockParticipant[] };
  can_reply: boolean;
  is_subscribed: boolean;
  is_owner: boolean;
  link: string;
  name: string;
  scoped_thread_key: string;
  subject?: string;
  wallpaper?: string;
  messages: MockMessage[];
  [field: string]: unknown;
}

/** The whole inbox: threads by platform and folder, and every id. */
export interface MockInbox {
  messenger: Record<Folder, MockThread[]>;
  instagram: Record<Folder, MockThread[]>;
  byId: ReadonlyMap<string,
    | { kind: "conversation"; thread: MockThread }
    | { kind: "message"; thread: MockThread; message: MockMessage; index: number }>;
}

/**
 * The threads the mock serves for a platform and folder, newest first, each
 * with all its messages newest first: what a client should get back. A deep
 * copy. `count` is the inbox size, as in startMock's `threads`.
 */
export declare function threads(
  platform?: Platform,
  options?: { folder?: Folder | undefined; count?: number | undefined; messagesPerThread?: number | undefined },
): MockThread[];
/** The inbox for these sizes (shared and cached: read only). */
export declare function buildInbox(
  counts?: { messenger?: number | undefined; instagram?: number | undefined },
  options?: { messagesPerThread?: number | undefined },
): MockInbox;
/** The thread (any folder) whose other participant has this id, or null. */
export declare function findThreadByUser(inbox: MockInbox, platform: Platform, userId: string): MockThread | null;
/** A time as the Graph writes it: `2026-11-20T14:03:11+0000`. */
export declare function graphTime(seconds: number): string;
/** What the Graph answers for `value` (a whole mock object of `type`) asked for `fields`; paged edges left out. */
export declare function graphView(type: "Page" | "IGUser" | "Conversation" | "Message", value: object, fields: string): Record<string, unknown>;
/** Hex HMAC-SHA256 of the token keyed by the app secret (default APP_SECRET), as the Graph checks `appsecret_proof`. */
export declare function appsecretProof(token: string, secret?: string): string;
/** The mock's cursor for item `index` of the list called `scope`. */
export declare function encodeCursor(scope: string, index: number): string;
/** The body of the `huge-page` fault: one valid page about `bytes` long. */
export declare function hugePage(bytes: number): string;

// ---------------------------------------------------------------- without a server

/** A request for createGraphHandler's `handle`. */
export interface HandlerRequest {
  method?: string | undefined;
  /** Absolute, or a path with its query. */
  url: string;
  /** A plain object, or a Headers. */
  headers?: Record<string, string | string[] | undefined> | { entries(): IterableIterator<[string, string]>; get(name: string): string | null } | undefined;
  /** The body as text. */
  body?: string | undefined;
  /** Aborts when the client goes away. */
  signal?: { readonly aborted: boolean; addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void; removeEventListener(type: "abort", listener: () => void): void } | undefined;
}

/** An answer of `handle`: bytes to send (maybe only the first `cutAt`, then drop the connection), or none. */
export type HandlerAnswer =
  | { status: number; headers: Record<string, string>; body: Uint8Array; cutAt?: number; drop?: undefined }
  | { drop: true };

/** The mock Graph with no HTTP server: for another runtime's own few lines of HTTP in and out. */
export interface GraphHandler extends LiveActions {
  /** Never rejects: a bug in the mock answers 500 `{ mock_internal_error }`. */
  handle(request: HandlerRequest): Promise<HandlerAnswer>;
  readonly requests: MockRequest[];
  readonly sends: MockSend[];
  readonly stats: MockStats;
  readonly faults: readonly ActiveFault[];
  fault(spec: FaultSpec): ActiveFault;
  clearFaults(): void;
  setCallsPerSecond(callsPerSecond: number): void;
  /** As MockGraph's reset(): the inbox and the webhook logs too. */
  reset(): void;
  /** Cancels pending delays and webhook deliveries. */
  close(): void;
  readonly webhooks: MockWebhooks;
}

/** The mock Graph as a handler (startMock's options but `port`; not checked). */
export declare function createGraphHandler(options?: Omit<MockOptions, "port" | "faults">): GraphHandler;
