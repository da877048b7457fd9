// One Durable Object per account (idFromName(accountId)), with SQLite storage.
//
// Durability: the inbox is kept as shards, each a compacted snapshot plus a
// short tail log, and storage is the truth: the Inbox objects in memory are
// a cache, loaded on use and dropped at any time.
//
// A conversation lives in one of SHARDS shards, chosen by its customer's id
// (a synced thread by the participant who is not the account), so a
// customer's live events, their synced threads and the replies to them all
// meet in one small Inbox. Per shard:
//
//   snapshots  the shard's `inbox.snapshot()`, in parts of at most 500,000
//              characters (a row holds at most 2 MB)
//   log        the inputs given since: one row per distinct webhook event,
//              synced thread and sent message
//
// Every input is stored once, under its identity (`seen`: the SHA-256 of
// platform, account and the messaging item exactly as Meta sent it, or the
// sent message's mid), in the same synchronous step that applies it to the
// shard if that shard is in memory. A repeat (Meta delivers at least once,
// the Queue too) is found and neither stored nor counted again. Once a
// shard's tail has COMPACT_AFTER rows, one step writes the shard's snapshot
// and deletes the rows it holds, in one transaction: a few hundred kilobytes
// for a 200-thread inbox, never the whole inbox. Loading a shard restores its
// snapshot and applies its tail (the Inbox is order-independent and
// idempotent). A crash at any point either committed an input (its row, or a
// snapshot that holds it) or did not (the Queue or the alarm gives it again):
// nothing is lost, nothing counts twice. After a restart nothing is rebuilt
// up front: a shard is loaded by the first route that reads it.
//
// The sync runs in slices under alarms: SYNC_SLICE_REQUESTS calls per alarm
// (far below the 50 subrequests of an invocation on the free plan), over
// every folder in turn, each call a syncInbox of one request whose threads,
// cursor and counts are committed as it comes (one page of threads in memory
// at a time; an eviction loses at most the call under way). Pace: the object is the only caller of the Graph
// for its account's reads; `nextCallAt` is stored before a slice starts
// (reserving the slice's calls at 2 per second) and after it ends, so that a
// slice after an eviction never comes sooner than 500 ms after the last call,
// and the client paces the calls of a slice at 2 per second. Retries are the
// alarm's, not the client's.
import { DurableObject } from "cloudflare:workers";
import { GraphClient, GraphError, Inbox } from "graph-conversations";
import { decrypt, encrypt, json, sha256, tokenKey } from "./http.js";

/**
 * @typedef {{
 *   ACCOUNTS: DurableObjectNamespace<AccountInbox>,
 *   EVENTS: Queue<import("graph-conversations").WebhookEvent>,
 *   APP_SECRET?: string, VERIFY_TOKEN?: string, ADMIN_TOKEN?: string, TOKEN_KEY?: string,
 *   GRAPH_URL?: string, GRAPH_URL_INSTAGRAM?: string,
 *   SYNC_SLICE_REQUESTS?: string, SYNC_PAGE_SIZE?: string, COMPACT_AFTER?: string,
 *   TEST_HOOKS?: string,
 * }} Env
 * @typedef {import("graph-conversations").Platform} Platform
 * @typedef {import("graph-conversations").WebhookEvent} WebhookEvent
 * @typedef {import("graph-conversations").InboxChanges} InboxChanges
 * @typedef {{ id: string, platform: Platform, host: "facebook" | "instagram", token: string }} Account
 * @typedef {{ folder: number, cursor: string | null, complete: boolean, requests: number, failures: number, error?: { kind: string, message: string } }} SyncState
 * @typedef {{ shard: number, kind: "sync" | "event" | "sent", body: string, input: any }} Row
 */

const FOLDERS = /** @type {const} */ (["inbox", "other", "page_done", "spam"]);
// The message fields a sync reads (docs/API.md, "Default message fields").
const MESSAGE_FIELDS = "id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template,sticker_id},reactions,shares,story,tags,is_unsupported,reply_to";
const PACE_MS = 500; // 2 calls per second per account
const IDEMPOTENCY_MS = 24 * 3600 * 1000;
const TICKET_MS = 60_000;
// An event's identity is kept this long (longer than a Queue keeps a
// message); a repeat after that would be applied again, which the Inbox
// shows the same, and counted again.
const SEEN_MS = 14 * 24 * 3600 * 1000;
// Shards per account: an apply of a synced thread redraws its whole shard,
// so a shard of a 200-thread inbox (about 13 threads) keeps each step short.
const SHARDS = 16;
const PART_CHARS = 500_000;
// Inboxes in memory per isolate (the objects of one isolate share its
// memory): the least recently used are dropped, and loaded again on use.
const MAX_LOADED = 64;

/** @type {Map<string, { owner: AccountInbox, shard: number }>} least recently used first */
const LOADED = new Map();

export class AccountInbox extends DurableObject {
  /**
   * @param {DurableObjectState} ctx
   * @param {Env} env
   */
  constructor(ctx, env) {
    super(ctx, env);
    this.state = ctx;
    this.vars = env;
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, shard INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS log_shard ON log (shard, seq);
      CREATE TABLE IF NOT EXISTS snapshots (shard INTEGER NOT NULL, part INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (shard, part));
      CREATE TABLE IF NOT EXISTS threads (thread TEXT PRIMARY KEY, customer TEXT, shard INTEGER NOT NULL, messages INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS threads_customer ON threads (customer);
      CREATE TABLE IF NOT EXISTS sends (key TEXT PRIMARY KEY, status INTEGER, body TEXT, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS tickets (ticket TEXT PRIMARY KEY, expires INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS strangers (customer TEXT PRIMARY KEY, done INTEGER NOT NULL DEFAULT 0);
    `);
    /** @type {Map<number, Inbox>} the shards in memory */
    this.shards = new Map();
    /** @type {number[]} per shard, bumped when its content changes (for the listing's order) */
    this.versions = Array.from({ length: SHARDS }, () => 0);
    /** @type {Map<number, { version: number, items: { id: string, time: number }[] }>} */
    this.orders = new Map();
    this.instance = crypto.randomUUID();
    /** @type {Map<string, string | null>} */
    this.metaTexts = new Map();
    // Whether this instance has seen to the alarm (keepSyncGoing).
    this.alarmChecked = false;
  }

  // ---------------------------------------------------------------- storage

  /**
   * A value of the `meta` table. Only this object writes its storage, so
   * the texts are kept in memory once read (written through by setMeta,
   * forgotten if a transaction fails).
   * @param {string} key
   * @returns {any}
   */
  meta(key) {
    let text = this.metaTexts.get(key);
    if (text === undefined) {
      const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
      text = row ? String(row.value) : null;
      this.metaTexts.set(key, text);
    }
    return text === null ? undefined : JSON.parse(text);
  }

  /**
   * @param {string} key
   * @param {unknown} value
   */
  setMeta(key, value) {
    const text = JSON.stringify(value);
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, text);
    this.metaTexts.set(key, text);
  }

  /**
   * `fn` in one transaction; if it throws, what it wrote is rolled back and
   * the meta texts kept in memory are forgotten.
   * @param {() => void} fn
   */
  transaction(fn) {
    try {
      this.state.storage.transactionSync(fn);
    } catch (err) {
      this.metaTexts.clear();
      throw err;
    }
  }

  /** @returns {Account | undefined} */
  account() {
    return this.meta("account");
  }

  /** @returns {SyncState} */
  syncState() {
    return this.meta("sync") ?? { folder: 0, cursor: null, complete: false, requests: 0, failures: 0 };
  }

  /** The account's own ids: its id and every id a sync found to be the account's. */
  ownIds() {
    const account = this.account();
    return new Set([...(account ? [account.id] : []), ...(this.meta("accountIds") ?? [])]);
  }

  /**
   * The shard of a customer (or of a thread without one), by FNV-1a.
   * @param {string} id
   */
  static shardOf(id) {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
    return h % SHARDS;
  }

  /**
   * A synced thread's customer: its participant who is not the account.
   * @param {any} thread
   * @param {Set<string>} own
   * @returns {string | undefined}
   */
  static customerOf(thread, own) {
    const ids = (thread?.participants?.data ?? []).map((/** @type {any} */ p) => p?.id).filter((/** @type {unknown} */ id) => typeof id === "string" && id && !own.has(id));
    return ids[0];
  }

  /**
   * Where a conversation is: a synced thread's shard, or its customer's.
   * @param {string} id a conversation id or a customer id
   */
  shardOfConversation(id) {
    const row = this.sql.exec("SELECT shard FROM threads WHERE thread = ?", id).toArray()[0];
    return row ? Number(row.shard) : AccountInbox.shardOf(id);
  }

  /**
   * Shard `k`'s Inbox: in memory, or loaded (its snapshot restored, its tail
   * applied). Undefined while the account is not connected.
   * @param {number} k
   * @returns {Inbox | undefined}
   */
  shard(k) {
    const key = `${this.instance}:${k}`;
    const loaded = this.shards.get(k);
    if (loaded) {
      LOADED.delete(key);
      LOADED.set(key, { owner: this, shard: k });
      return loaded;
    }
    const account = this.account();
    if (!account) return undefined;
    const parts = this.sql.exec("SELECT text FROM snapshots WHERE shard = ? ORDER BY part", k).toArray().map((r) => String(r.text));
    const inbox = parts.length ? Inbox.restore(parts.join("")) : new Inbox({ accountId: account.id, platform: account.platform });
    const rows = this.sql.exec("SELECT kind, body FROM log WHERE shard = ? ORDER BY seq", k).toArray().map((r) => ({ kind: String(r.kind), input: JSON.parse(String(r.body)) }));
    this.applyRows(inbox, rows);
    this.shards.set(k, inbox);
    LOADED.set(key, { owner: this, shard: k });
    for (const [old, { owner, shard }] of LOADED) {
      if (LOADED.size <= MAX_LOADED) break;
      LOADED.delete(old);
      owner.shards.delete(shard); // its memory goes with the object (FinalizationRegistry)
    }
    return inbox;
  }

  /** @param {number} k */
  unload(k) {
    this.shards.delete(k);
    LOADED.delete(`${this.instance}:${k}`);
  }

  /**
   * Applies log rows to a shard: the synced threads as one sync result, the
   * events and sent messages as one list.
   * @param {Inbox} inbox
   * @param {{ kind: string, input: any }[]} rows
   */
  applyRows(inbox, rows) {
    const threads = rows.filter((r) => r.kind === "sync").map((r) => r.input);
    const rest = rows.filter((r) => r.kind !== "sync").map((r) => r.input);
    /** @type {unknown[]} */
    const inputs = [...(threads.length ? [{ conversations: threads, accountIds: [...this.ownIds()] }] : []), ...rest];
    return inputs.length ? applySafely(inbox, inputs, (m) => this.notApplied(m)) : undefined;
  }

  /**
   * Stores inputs, with `also` (more writes) in the same transaction, and
   * applies them to their shards that are in memory; with a WebSocket open,
   * the shards are loaded first so that every change is pushed.
   * @param {Row[]} rows
   * @param {() => void} [also]
   */
  record(rows, also = () => {}) {
    const watching = this.state.getWebSockets().length > 0;
    const byShard = new Map(/** @type {[number, Row[]][]} */ ([]));
    for (const row of rows) byShard.set(row.shard, [...(byShard.get(row.shard) ?? []), row]);
    // Loaded before the rows are written: a load applies the log as it is.
    const targets = [...byShard.keys()].map((k) => /** @type {const} */ ([k, watching ? this.shard(k) : this.shards.get(k)]));
    this.transaction(() => {
      for (const row of rows) this.sql.exec("INSERT INTO log (shard, kind, body) VALUES (?, ?, ?)", row.shard, row.kind, row.body);
      also();
    });
    for (const [k, inbox] of targets) {
      this.versions[k] = (this.versions[k] ?? 0) + 1;
      if (inbox) this.broadcast(this.applyRows(inbox, byShard.get(k) ?? []));
    }
  }

  /**
   * Compacts up to `max` shards whose tail has COMPACT_AFTER rows or more:
   * the shard's snapshot replaces its snapshot and tail in one transaction.
   * @param {number} [max]
   */
  compactSome(max = 2) {
    if (!this.account()) return;
    const after = Math.max(1, Number(this.vars.COMPACT_AFTER ?? 64) || 64);
    const full = this.sql.exec("SELECT shard, COUNT(*) AS n, MAX(seq) AS last FROM log GROUP BY shard HAVING n >= ? ORDER BY n DESC LIMIT ?", after, max).toArray();
    for (const row of full) {
      const k = Number(row.shard);
      const wasLoaded = this.shards.has(k);
      const inbox = this.shard(k);
      if (!inbox) return;
      const text = inbox.snapshot();
      // Loaded for this only: not kept (memory is shared by every object of the isolate).
      if (!wasLoaded) this.unload(k);
      this.transaction(() => {
        this.sql.exec("DELETE FROM snapshots WHERE shard = ?", k);
        for (let i = 0; i * PART_CHARS < text.length; i++) this.sql.exec("INSERT INTO snapshots (shard, part, text) VALUES (?, ?, ?)", k, i, text.slice(i * PART_CHARS, (i + 1) * PART_CHARS));
        // Every row of this shard is in the Inbox in memory (record applies to it or it was loaded after).
        this.sql.exec("DELETE FROM log WHERE shard = ? AND seq <= ?", k, Number(row.last));
      });
    }
  }

  // ---------------------------------------------------------------- live events (from the Queue consumer)

  /**
   * Stores and applies one account's events; resolves once they are durable.
   * A throw makes the consumer retry the batch.
   * @param {string} accountId
   * @param {WebhookEvent[]} events
   */
  async receive(accountId, events) {
    this.rememberId(accountId);
    await this.keepSyncGoing();
    const keyed = await Promise.all(events.map(async (event) => ({ key: await sha256(`${event.platform}|${event.accountId}|${JSON.stringify(event.raw)}`), event })));
    // One synchronous step: stored and applied together.
    /** @type {Row[]} */
    const fresh = [];
    const keys = new Set();
    for (const { key, event } of keyed) {
      if (keys.has(key) || this.sql.exec("SELECT 1 FROM seen WHERE key = ?", key).toArray().length) continue;
      keys.add(key);
      fresh.push({ shard: AccountInbox.shardOf(event.customerId ?? ""), kind: "event", body: JSON.stringify(event), input: event });
    }
    const now = Date.now();
    let strangers = false;
    this.record(fresh, () => {
      for (const key of keys) this.sql.exec("INSERT INTO seen (key, at) VALUES (?, ?)", key, now);
      if (fresh.length) this.setMeta("events", (this.meta("events") ?? 0) + fresh.length);
      strangers = this.noteStrangers(fresh.map((row) => row.input.customerId));
    });
    // Old identities go now and then (at most once an hour).
    if ((this.meta("seenPrunedAt") ?? 0) < now - 3600_000) {
      this.sql.exec("DELETE FROM seen WHERE at < ?", now - SEEN_MS);
      this.setMeta("seenPrunedAt", now);
    }
    this.compactSome();
    if (strangers) await this.keepSyncGoing(true);
    return { stored: fresh.length };
  }

  /**
   * Customers with no synced thread (a live thread no sync has brought):
   * the alarm looks their thread up once the sync is done, so that their
   * conversation gets the thread's id and history. True when one was added.
   * @param {(string | undefined)[]} customerIds
   */
  noteStrangers(customerIds) {
    let added = false;
    for (const id of new Set(customerIds)) {
      if (!id || this.sql.exec("SELECT 1 FROM threads WHERE customer = ? UNION ALL SELECT 1 FROM strangers WHERE customer = ?", id, id).toArray().length) continue;
      this.sql.exec("INSERT INTO strangers (customer) VALUES (?)", id);
      added = true;
    }
    return added;
  }

  /**
   * An input the Inbox refused (there should be none): counted in the status.
   * @param {string} message
   */
  notApplied(message) {
    const errors = this.meta("notApplied") ?? { count: 0, last: "" };
    this.setMeta("notApplied", { count: errors.count + 1, last: message.slice(0, 300) });
  }

  /** @param {string} id */
  rememberId(id) {
    if (this.meta("id") === undefined) this.setMeta("id", id);
  }

  // ---------------------------------------------------------------- routes

  /** @param {Request} request */
  async fetch(request) {
    const url = new URL(request.url);
    const accountId = request.headers.get("X-Account-Id") ?? "";
    const rest = url.pathname.slice(`/accounts/${accountId}`.length);
    if (accountId) this.rememberId(accountId);
    await this.keepSyncGoing();
    try {
      if (rest === "") {
        if (request.method === "PUT") return await this.connect(accountId, request);
        if (request.method === "GET") return this.status();
        return json(405, { error: { kind: "method_not_allowed", message: "GET, PUT only" } }, { Allow: "GET, PUT" });
      }
      if (rest === "/conversations" && request.method === "GET") return await this.list(url);
      const one = /^\/conversations\/([^/]+)$/.exec(rest);
      if (one && request.method === "GET") return this.one(decodeURIComponent(one[1] ?? ""));
      const send = /^\/conversations\/([^/]+)\/messages$/.exec(rest);
      if (send && request.method === "POST") return await this.send(decodeURIComponent(send[1] ?? ""), request);
      if (rest === "/live-ticket" && request.method === "POST") return this.ticket();
      if (rest === "/live" && request.method === "GET") return this.live(url, request);
      if (rest === "/test-evict" && request.method === "POST" && this.vars.TEST_HOOKS === "1") return this.evict();
      return json(404, { error: { kind: "not_found", message: `no route for ${url.pathname}` } });
    } catch (err) {
      console.error("account route failed", err instanceof Error ? err.message : String(err));
      return json(500, { error: { kind: "internal", message: "internal error" } });
    }
  }

  /**
   * Tests only (TEST_HOOKS=1): the object is reset as an eviction or a crash
   * would, just after this answer; whatever it was doing then fails (the
   * Queue retries its batch, the alarm runs again).
   */
  evict() {
    setTimeout(() => this.state.abort("evicted by the test hook"), 1);
    return json(202, { evicting: true });
  }

  /**
   * PUT /accounts/{id}: { accessToken, platform?, host? } → 202.
   * @param {string} accountId
   * @param {Request} request
   */
  async connect(accountId, request) {
    const body = await request.json().catch(() => undefined);
    const { accessToken, platform = "messenger", host = "facebook" } = /** @type {any} */ (body ?? {});
    if (typeof accessToken !== "string" || !/^[\x21-\x7e]{16,}$/.test(accessToken)) {
      return json(400, { error: { kind: "invalid_argument", message: "accessToken: a token of at least 16 printable characters is required" } });
    }
    if (platform !== "messenger" && platform !== "instagram") return json(400, { error: { kind: "invalid_argument", message: 'platform: "messenger" or "instagram"' } });
    if (host !== "facebook" && host !== "instagram") return json(400, { error: { kind: "invalid_argument", message: 'host: "facebook" or "instagram"' } });
    const before = this.account();
    if (before && before.platform !== platform) return json(409, { error: { kind: "conflict", message: `this account is connected as ${before.platform}` } });
    const key = await tokenKey(this.vars.TOKEN_KEY);
    const token = await encrypt(key, accessToken, accountId);
    this.setMeta("account", { id: accountId, platform, host, token });
    const sync = this.syncState();
    // A new token clears a stopped sync's error: it goes on from its cursor.
    delete sync.error;
    sync.failures = 0;
    this.setMeta("sync", sync);
    // Kept events are in the log: the shards apply them when they load.
    if (!sync.complete) await this.state.storage.setAlarm(Math.max(Date.now(), this.meta("nextCallAt") ?? 0));
    return json(202, this.statusBody());
  }

  status() {
    if (!this.account()) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
    return json(200, this.statusBody());
  }

  statusBody() {
    const account = /** @type {Account} */ (this.account());
    const sync = this.syncState();
    const counts = this.sql.exec("SELECT COUNT(*) AS conversations, COALESCE(SUM(messages), 0) AS messages FROM threads").toArray()[0] ?? {};
    return {
      platform: account.platform,
      sync: {
        complete: sync.complete,
        requests: sync.requests,
        conversations: Number(counts.conversations ?? 0),
        messages: Number(counts.messages ?? 0),
        ...(sync.error ? { error: sync.error } : {}),
      },
      ...(this.meta("notApplied") ? { notApplied: this.meta("notApplied") } : {}),
      // strangers: live conversations whose thread is still to be looked up
      live: { events: Number(this.meta("events") ?? 0), strangers: Number(this.sql.exec("SELECT COUNT(*) AS n FROM strangers WHERE done = 0").toArray()[0]?.n ?? 0) },
      // the shards' storage: how many have a snapshot, and the rows logged since
      storage: {
        shards: SHARDS,
        snapshots: Number(this.sql.exec("SELECT COUNT(DISTINCT shard) AS n FROM snapshots").toArray()[0]?.n ?? 0),
        logRows: Number(this.sql.exec("SELECT COUNT(*) AS n FROM log").toArray()[0]?.n ?? 0),
      },
    };
  }

  /**
   * GET …/conversations: newest activity first across the shards (each
   * shard's order kept until it changes), then each conversation of the
   * page from its shard. Yields between shards so that a large inbox does
   * not hold the isolate in one step.
   * @param {URL} url
   */
  async list(url) {
    if (!this.account()) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
    const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return json(400, { error: { kind: "invalid_argument", message: "limit: a whole number from 1 to 100" } });
    let start = 0;
    const after = url.searchParams.get("after");
    if (after !== null) {
      start = Number(/^o(\d+)$/.exec(atobSafe(after))?.[1] ?? NaN);
      if (!Number.isInteger(start)) return json(400, { error: { kind: "invalid_argument", message: "after: not a cursor of this route" } });
    }
    /** @type {{ id: string, time: number, shard: number }[]} */
    const all = [];
    for (let k = 0; k < SHARDS; k++) {
      let order = this.orders.get(k);
      if (!order || order.version !== this.versions[k]) {
        const version = this.versions[k] ?? 0;
        const inbox = this.shard(k);
        order = { version, items: (inbox?.conversations() ?? []).map((c) => ({ id: c.id, time: unixSeconds(c.updated_time) })) };
        this.orders.set(k, order);
        await new Promise((done) => setTimeout(done, 0));
      }
      for (const item of order.items) all.push({ ...item, shard: k });
    }
    // The Inbox's own order: newest activity (whole seconds) first, then by id.
    all.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const data = all.slice(start, start + limit).flatMap((item) => this.shard(item.shard)?.conversation(item.id) ?? []);
    const end = start + Math.min(limit, Math.max(0, all.length - start));
    const cursor = btoa(`o${end}`);
    /** @type {{ cursors: { after: string }, next?: string }} */
    const paging = { cursors: { after: cursor } };
    if (end < all.length) paging.next = `${url.pathname}?limit=${limit}&after=${encodeURIComponent(cursor)}`;
    return json(200, { data, paging });
  }

  /** @param {string} id */
  one(id) {
    const conversation = this.shard(this.shardOfConversation(id))?.conversation(id);
    if (!conversation) return json(404, { error: { kind: "not_found", message: "no such conversation in this inbox" } });
    return json(200, conversation);
  }

  // ---------------------------------------------------------------- replies

  /**
   * POST …/conversations/{conversation}/messages: sendMessage, never twice.
   * @param {string} conversationId
   * @param {Request} request
   */
  async send(conversationId, request) {
    const account = this.account();
    if (!account) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
    const key = request.headers.get("Idempotency-Key");
    // Read first, whatever the answer: a body left unread closes the connection.
    const body = await request.json().catch(() => undefined);
    const now = Date.now();
    if (key !== null) {
      const row = this.sql.exec("SELECT status, body, at FROM sends WHERE key = ?", key).toArray()[0];
      if (row && Number(row.at) > now - IDEMPOTENCY_MS) {
        if (row.status === null) return json(409, { error: { kind: "in_progress", message: "a send with this Idempotency-Key is under way" } });
        return new Response(String(row.body), { status: Number(row.status), headers: { "Content-Type": "application/json", "Cache-Control": "private, no-store", "Idempotent-Replayed": "true" } });
      }
      // Reserved before sending: a repeat arriving meanwhile sends nothing.
      this.sql.exec("INSERT OR REPLACE INTO sends (key, status, body, at) VALUES (?, NULL, NULL, ?)", key, now);
      this.sql.exec("DELETE FROM sends WHERE at < ?", now - IDEMPOTENCY_MS);
    }
    let status;
    /** @type {unknown} */
    let answer;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      status = 400;
      answer = { error: { kind: "invalid_argument", message: "the body must be a JSON object: { text?, attachment?, replyTo?, tag? }" } };
    } else {
      const thread = this.sql.exec("SELECT customer FROM threads WHERE thread = ?", conversationId).toArray()[0];
      const customerId = thread?.customer ? String(thread.customer) : conversationId;
      try {
        const client = await this.client(account, { maxRetries: 0, callsPerSecond: 0 });
        const sent = await client.sendMessage(account.id, customerId, /** @type {any} */ ({ ...body, platform: account.platform }));
        const mid = `sent|${sent.messageId}`;
        if (!this.sql.exec("SELECT 1 FROM seen WHERE key = ?", mid).toArray().length) {
          this.record([{ shard: AccountInbox.shardOf(sent.recipientId || customerId), kind: "sent", body: JSON.stringify(sent), input: sent }], () => {
            this.sql.exec("INSERT INTO seen (key, at) VALUES (?, ?)", mid, Date.now());
          });
        }
        status = 201;
        answer = sent;
      } catch (err) {
        ({ status, answer } = errorAnswer(err));
      }
    }
    const text = JSON.stringify(answer);
    if (key !== null) this.sql.exec("UPDATE sends SET status = ?, body = ? WHERE key = ?", status, text, key);
    this.compactSome();
    return new Response(text, { status, headers: { "Content-Type": "application/json", "Cache-Control": "private, no-store" } });
  }

  /**
   * A client for this account's token (decrypted per use, never stored in clear).
   * @param {Account} account
   * @param {{ maxRetries: number, callsPerSecond: number }} limits
   */
  async client(account, limits) {
    const key = await tokenKey(this.vars.TOKEN_KEY);
    const accessToken = await decrypt(key, account.token, account.id);
    const baseUrl = account.host === "instagram" ? this.vars.GRAPH_URL_INSTAGRAM || "https://graph.instagram.com" : this.vars.GRAPH_URL || undefined;
    return new GraphClient({ accessToken, baseUrl, timeoutMs: 15_000, ...limits });
  }

  // ---------------------------------------------------------------- the history sync

  /** An unfinished sync, or a stranger to look up. */
  hasWork() {
    const sync = this.syncState();
    if (!this.account() || sync.error) return false;
    return !sync.complete || this.sql.exec("SELECT 1 FROM strangers WHERE done = 0 LIMIT 1").toArray().length > 0;
  }

  /**
   * Pending work always has its alarm (set again if a restart lost it):
   * checked once per instance, and again when `force`d (new work).
   * @param {boolean} [force]
   */
  async keepSyncGoing(force = false) {
    if ((this.alarmChecked && !force) || !this.hasWork()) return;
    this.alarmChecked = true;
    if ((await this.state.storage.getAlarm()) === null) await this.state.storage.setAlarm(Math.max(Date.now(), this.meta("nextCallAt") ?? 0));
  }

  /**
   * Synced threads as log rows, each in its customer's shard, with their
   * `threads` rows (written by `also` in the same transaction).
   * @param {any[]} threads
   */
  syncedRows(threads) {
    const own = this.ownIds();
    const rows = threads.map((thread) => {
      const customer = AccountInbox.customerOf(thread, own);
      return { shard: AccountInbox.shardOf(customer ?? String(thread.id)), kind: /** @type {const} */ ("sync"), body: JSON.stringify(thread), input: thread, customer };
    });
    const also = () => {
      for (const row of rows) {
        this.sql.exec("INSERT OR REPLACE INTO threads (thread, customer, shard, messages) VALUES (?, ?, ?, ?)", String(row.input.id), row.customer ?? null, row.shard, row.input.messages?.length ?? 0);
        if (row.customer) this.sql.exec("UPDATE strangers SET done = 1 WHERE customer = ?", row.customer);
      }
    };
    return { rows, also };
  }

  async alarm() {
    const account = this.account();
    if (!account || !this.hasWork()) return;
    const now = Date.now();
    const nextCallAt = this.meta("nextCallAt") ?? 0;
    if (nextCallAt > now) {
      await this.state.storage.setAlarm(nextCallAt);
      return;
    }
    const slice = Math.max(1, Math.min(40, Number(this.vars.SYNC_SLICE_REQUESTS ?? 8) || 8));
    const pageSize = Math.max(1, Math.min(100, Number(this.vars.SYNC_PAGE_SIZE ?? 25) || 25));
    // The slice's calls reserved before any leaves (an eviction mid-slice keeps the pace).
    this.setMeta("nextCallAt", now + slice * PACE_MS);
    const client = await this.client(account, { maxRetries: 0, callsPerSecond: 2 });
    if (this.syncState().complete) {
      await this.lookUpStrangers(account, client, slice);
      return;
    }
    // A slice is `slice` calls, each committed as it comes (its threads,
    // cursor and counts in one transaction): an eviction loses at most the
    // call under way, and only one page of threads is in memory at a time.
    /** @type {GraphError | Error | undefined} */
    let failure;
    for (let call = 0; call < slice && !failure; call++) {
      const sync = this.syncState();
      if (sync.complete || sync.error) break;
      /** @type {import("graph-conversations").InboxSync | undefined} */
      let result;
      try {
        result = await client.syncInbox(account.id, { platform: account.platform, folder: FOLDERS[sync.folder] ?? "inbox", cursor: sync.cursor ?? undefined, maxRequests: 1, pageSize });
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        result = err instanceof GraphError ? err.inbox : undefined;
        if (err instanceof GraphError && err.cursor) sync.cursor = err.cursor;
      }
      this.setMeta("accountIds", [...new Set([...this.ownIds(), ...(result?.accountIds ?? [])])]);
      const { rows, also } = this.syncedRows(result?.conversations ?? []);
      this.record(rows, () => {
        also();
        sync.requests += result?.requests ?? 0;
        if (!failure && result) {
          sync.failures = 0;
          if (result.complete) {
            sync.folder += 1;
            sync.cursor = null;
            sync.complete = sync.folder >= FOLDERS.length;
          } else {
            sync.cursor = result.cursor ?? null;
          }
        }
        this.setMeta("sync", sync);
      });
      this.compactSome();
    }

    let next = Date.now() + PACE_MS;
    if (failure) {
      const sync = this.syncState();
      const err = failure instanceof GraphError ? failure : undefined;
      if (err && !err.transient && !err.rateLimited) {
        // A bad token or the like: stop until the next PUT.
        sync.error = { kind: err.kind, message: err.message };
        this.setMeta("sync", sync);
        this.setMeta("nextCallAt", next);
        return;
      }
      sync.failures += 1;
      this.setMeta("sync", sync);
      next += Math.max(err?.retryAfterMs ?? 0, Math.min(300_000, 1000 * 2 ** sync.failures));
    }
    this.setMeta("nextCallAt", next);
    if (this.hasWork()) await this.state.storage.setAlarm(next);
  }

  /**
   * Up to `max` strangers' threads (findConversation, paced like the sync),
   * each with its 20 newest messages, kept as a synced thread: applied, it
   * gives the person's conversation its thread's id and its history. Needed:
   * the sync pages through threads newest first, so a thread that gets a
   * message while the sync runs jumps to the top, behind the sync's cursor,
   * and the sync never reads it; its webhook made its customer a stranger.
   * @param {Account} account
   * @param {GraphClient} client
   * @param {number} max
   */
  async lookUpStrangers(account, client, max) {
    const rows = this.sql.exec("SELECT customer FROM strangers WHERE done = 0 LIMIT ?", max).toArray();
    // The conversation fields of the sync, and its 20 newest messages with the sync's message fields.
    const conversationFields = account.platform === "instagram" ? "id,updated_time,participants" : "id,updated_time,link,snippet,message_count,unread_count,participants,can_reply";
    const fields = `${conversationFields},messages.limit(20){${MESSAGE_FIELDS}}`;
    let failures = 0;
    for (const row of rows) {
      const customer = String(row.customer);
      if (this.sql.exec("SELECT 1 FROM threads WHERE customer = ?", customer).toArray().length) {
        this.sql.exec("UPDATE strangers SET done = 1 WHERE customer = ?", customer);
        continue;
      }
      try {
        const found = await client.findConversation(account.id, customer, { platform: account.platform, fields });
        const thread = found ? { ...found, messages: /** @type {any} */ (found.messages)?.data ?? [] } : undefined;
        const synced = this.syncedRows(thread ? [thread] : []);
        this.record(synced.rows, () => {
          synced.also();
          this.sql.exec("UPDATE strangers SET done = 1 WHERE customer = ?", customer);
        });
      } catch (err) {
        failures++;
        console.error("stranger lookup failed", err instanceof Error ? err.message : String(err));
        break;
      }
    }
    this.compactSome();
    const next = Date.now() + PACE_MS + (failures ? 5000 : 0);
    this.setMeta("nextCallAt", next);
    if (this.hasWork()) await this.state.storage.setAlarm(next);
  }

// ---------------------------------------------------------------- the live WebSocket

  ticket() {
    if (!this.account()) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const ticket = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    const expires = Date.now() + TICKET_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires < ?", Date.now());
    this.sql.exec("INSERT INTO tickets (ticket, expires) VALUES (?, ?)", ticket, expires);
    return json(201, { ticket, expiresAt: new Date(expires).toISOString() });
  }

  /**
   * @param {URL} url
   * @param {Request} request
   */
  live(url, request) {
    const ticket = url.searchParams.get("ticket") ?? "";
    const row = this.sql.exec("SELECT expires FROM tickets WHERE ticket = ?", ticket).toArray()[0];
    this.sql.exec("DELETE FROM tickets WHERE ticket = ?", ticket);
    if (!row || Number(row.expires) < Date.now()) return json(401, { error: { kind: "unauthorized", message: "a valid ticket from POST /accounts/{id}/live-ticket is required" } });
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return json(426, { error: { kind: "upgrade_required", message: "a WebSocket" } });
    const pair = new WebSocketPair();
    const [client, server] = Object.values(pair);
    this.state.acceptWebSocket(/** @type {WebSocket} */ (server));
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * What one apply changed, to every open WebSocket (hibernating ones too).
   * @param {InboxChanges | undefined} changes
   */
  broadcast(changes) {
    if (!changes) return;
    const { conversations: c, messages: m } = changes;
    if (!c.added.length && !c.updated.length && !c.removed.length && !m.added.length && !m.updated.length && !m.removed.length) return;
    const frame = JSON.stringify(changes);
    for (const socket of this.state.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        // closed meanwhile
      }
    }
  }

  /** @param {WebSocket} socket */
  webSocketMessage(socket) {
    socket.send(JSON.stringify({ error: "this socket only pushes" }));
  }

  /**
   * @param {WebSocket} socket
   * @param {number} code
   */
  webSocketClose(socket, code) {
    try {
      socket.close(code === 1005 ? 1000 : code);
    } catch {
      // already closed
    }
  }
}

/**
 * Applies inputs; one bad input (there should be none) is skipped and
 * reported to `refused`, not fatal.
 * @param {Inbox} inbox
 * @param {unknown[]} inputs
 * @param {(message: string) => void} refused
 * @returns {InboxChanges | undefined}
 */
function applySafely(inbox, inputs, refused) {
  try {
    return inbox.apply(/** @type {any} */ (inputs));
  } catch {
    /** @type {InboxChanges | undefined} */
    let last;
    for (const input of inputs) {
      try {
        last = inbox.apply(/** @type {any} */ (input));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        console.error("inbox: an input not applied", message);
        refused(message);
      }
    }
    return last;
  }
}

/** @param {string} text */
function atobSafe(text) {
  try {
    return atob(text);
  } catch {
    return "";
  }
}

/**
 * A send's failure as status and body.
 * @param {unknown} err
 * @returns {{ status: number, answer: unknown }}
 */
function errorAnswer(err) {
  if (!(err instanceof GraphError)) {
    console.error("send failed", err instanceof Error ? err.message : String(err));
    return { status: 500, answer: { error: { kind: "internal", message: "internal error" } } };
  }
  const { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, rateLimited, retryAfterMs, attempts, delivery, refusal } = err;
  const status = kind === "invalid_argument" ? 400 : delivery === "unknown" || kind === "timeout" ? 504 : delivery === "not_sent" || kind === "graph" ? 422 : 502;
  return { status, answer: { error: { kind, message, code, subcode, type, fbtraceId, userTitle, userMessage, transient, rateLimited, retryAfterMs, attempts, graphStatus: err.status, delivery, refusal } } };
}

/**
 * A Graph time (`2026-12-05T07:00:00+0000`) in whole seconds; 0 if none.
 * @param {unknown} time
 */
function unixSeconds(time) {
  const ms = typeof time === "string" ? Date.parse(time.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}
