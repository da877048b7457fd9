// One Durable Object per account (idFromName(accountId)), with SQLite storage.
//
// Durability: an input log, not a snapshot. Every input the inbox was given
// is stored once, under its identity, in the same synchronous step that
// applies it to the in-memory Inbox:
//
//   events  one row per distinct webhook event: key = SHA-256 of platform,
//           account and the messaging item exactly as Meta sent it, so a
//           repeat (Meta delivers at least once; the Queue too) is found and
//           not applied or counted again
//   synced  one row per thread of each sync slice (a slice commits its rows,
//           its cursor and its counts in one transaction)
//   sent    one row per message sent through the routes (by mid)
//
// The Inbox is order-independent and idempotent, so it is rebuilt after an
// eviction or a restart by applying the log: the synced rows as one sync
// result, then the events and sent messages in chunks. A crash at any point
// either committed an input (it is in the log, and the rebuild applies it) or
// did not (the Queue or the alarm gives it again); nothing is applied twice in
// a way that shows, and nothing is lost. Each step stays short: a Queue batch
// applies its new events only, a slice its own threads only; no whole
// snapshot is written per step.
//
// The sync runs in slices under alarms: syncInbox with maxRequests
// (SYNC_SLICE_REQUESTS, far below the 50 subrequests of an invocation on the
// free plan), over every folder in turn, its cursor stored after each slice.
// Pace: the object is the only caller of the Graph for its account's reads;
// `nextCallAt` is stored before a slice starts (reserving the slice's calls at
// 2 per second) and after it ends, so that a slice after an eviction never
// comes sooner than 500 ms after the last call, and the client paces the
// calls of a slice at 2 per second. Retries are the alarm's, not the client's.
import { DurableObject } from "cloudflare:workers";
import { GraphClient, GraphError, Inbox } from "graph-conversations";
import { decrypt, encrypt, json, sha256, tokenKey } from "./http.js";

/**
 * @typedef {{
 *   ACCOUNTS: DurableObjectNamespace<AccountInbox>,
 *   EVENTS: Queue<import("graph-conversations").WebhookEvent>,
 *   APP_SECRET?: string, VERIFY_TOKEN?: string, ADMIN_TOKEN?: string, TOKEN_KEY?: string,
 *   GRAPH_URL?: string, GRAPH_URL_INSTAGRAM?: string,
 *   SYNC_SLICE_REQUESTS?: string, SYNC_PAGE_SIZE?: string,
 * }} Env
 * @typedef {import("graph-conversations").Platform} Platform
 * @typedef {import("graph-conversations").WebhookEvent} WebhookEvent
 * @typedef {import("graph-conversations").InboxChanges} InboxChanges
 * @typedef {{ id: string, platform: Platform, host: "facebook" | "instagram", token: string }} Account
 * @typedef {{ folder: number, cursor: string | null, complete: boolean, requests: number, failures: number, error?: { kind: string, message: string } }} SyncState
 */

const FOLDERS = /** @type {const} */ (["inbox", "other", "page_done", "spam"]);
// The message fields a sync reads (docs/API.md, "Default message fields").
const MESSAGE_FIELDS = "id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template,sticker_id},reactions,shares,story,tags,is_unsupported,reply_to";
const PACE_MS = 500; // 2 calls per second per account
const APPLY_CHUNK = 500;
const IDEMPOTENCY_MS = 24 * 3600 * 1000;
const TICKET_MS = 60_000;

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
      CREATE TABLE IF NOT EXISTS events (key TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS synced (seq INTEGER PRIMARY KEY AUTOINCREMENT, thread TEXT NOT NULL, messages INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sent (mid TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS sends (key TEXT PRIMARY KEY, status INTEGER, body TEXT, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS tickets (ticket TEXT PRIMARY KEY, expires INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS strangers (customer TEXT PRIMARY KEY, done INTEGER NOT NULL DEFAULT 0);
    `);
    /** @type {Inbox | null} the in-memory inbox, rebuilt from the log on first use */
    this.inbox = null;
  }

  // ---------------------------------------------------------------- storage

  /**
   * @param {string} key
   * @returns {any}
   */
  meta(key) {
    const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? JSON.parse(String(row.value)) : undefined;
  }

  /**
   * @param {string} key
   * @param {unknown} value
   */
  setMeta(key, value) {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }

  /** @returns {Account | undefined} */
  account() {
    return this.meta("account");
  }

  /** @returns {SyncState} */
  syncState() {
    return this.meta("sync") ?? { folder: 0, cursor: null, complete: false, requests: 0, failures: 0 };
  }

  /**
   * The Inbox, rebuilt from the log when this object has just started.
   * Undefined while the account is not connected (its events are kept).
   */
  liveInbox() {
    if (this.inbox) return this.inbox;
    const account = this.account();
    if (!account) return undefined;
    const inbox = new Inbox({ accountId: account.id, platform: account.platform });
    /** @param {string} query */
    const bodies = (query) => this.sql.exec(query).toArray().map((r) => JSON.parse(String(r.body)));
    const threads = bodies("SELECT body FROM synced ORDER BY seq");
    /** @param {unknown[]} inputs */
    const apply = (inputs) => applySafely(inbox, inputs, (message) => this.notApplied(message));
    if (threads.length) apply([{ conversations: threads, accountIds: this.meta("accountIds") ?? [account.id] }]);
    const rest = [...bodies("SELECT body FROM events"), ...bodies("SELECT body FROM sent")];
    for (let i = 0; i < rest.length; i += APPLY_CHUNK) apply(rest.slice(i, i + APPLY_CHUNK));
    this.inbox = inbox;
    return inbox;
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
    /** @type {WebhookEvent[]} */
    const fresh = [];
    const seen = new Set();
    for (const { key, event } of keyed) {
      if (seen.has(key)) continue;
      seen.add(key);
      if (this.sql.exec("SELECT 1 FROM events WHERE key = ?", key).toArray().length) continue;
      this.sql.exec("INSERT INTO events (key, body) VALUES (?, ?)", key, JSON.stringify(event));
      fresh.push(event);
    }
    // A rebuild (the object just started) applies the log, these rows with it;
    // an inbox in memory gets what is new.
    if (this.inbox) {
      if (fresh.length) this.broadcast(applySafely(this.inbox, fresh, (m) => this.notApplied(m)));
    } else if (this.account()) {
      this.liveInbox();
    }
    if (this.noteStrangers(fresh.map((e) => e.customerId))) await this.keepSyncGoing();
    return { stored: fresh.length };
  }

  /**
   * Customers whose conversation is still their own (a live thread no sync has
   * brought): the alarm looks their thread up once the sync is done, so that
   * they get the thread's id. True when one was added.
   * @param {string[]} customerIds
   */
  noteStrangers(customerIds) {
    const inbox = this.inbox;
    if (!inbox) return false;
    let added = false;
    for (const id of new Set(customerIds)) {
      if (!id || inbox.conversation(id)?.id !== id) continue;
      const before = this.sql.exec("SELECT 1 FROM strangers WHERE customer = ?", id).toArray().length;
      if (!before) {
        this.sql.exec("INSERT INTO strangers (customer) VALUES (?)", id);
        added = true;
      }
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
      if (rest === "/conversations" && request.method === "GET") return this.list(url);
      const one = /^\/conversations\/([^/]+)$/.exec(rest);
      if (one && request.method === "GET") return this.one(decodeURIComponent(one[1] ?? ""));
      const send = /^\/conversations\/([^/]+)\/messages$/.exec(rest);
      if (send && request.method === "POST") return await this.send(decodeURIComponent(send[1] ?? ""), request);
      if (rest === "/live-ticket" && request.method === "POST") return this.ticket();
      if (rest === "/live" && request.method === "GET") return this.live(url, request);
      return json(404, { error: { kind: "not_found", message: `no route for ${url.pathname}` } });
    } catch (err) {
      console.error("account route failed", err instanceof Error ? err.message : String(err));
      return json(500, { error: { kind: "internal", message: "internal error" } });
    }
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
    // Kept events (and anything logged before) are applied now.
    this.inbox = null;
    const inbox = this.liveInbox();
    if (inbox) this.noteStrangers(inbox.conversations().filter((c) => c.id === c.customer_id).map((c) => c.id));
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
    const counts = this.sql.exec("SELECT COUNT(DISTINCT thread) AS conversations, COALESCE(SUM(messages), 0) AS messages FROM synced").toArray()[0] ?? {};
    const events = Number(this.sql.exec("SELECT COUNT(*) AS n FROM events").toArray()[0]?.n ?? 0);
    return {
      platform: account.platform,
      sync: {
        complete: sync.complete,
        requests: sync.requests,
        conversations: Number(counts.conversations ?? 0),
        messages: Number(counts.messages ?? 0),
        ...(sync.error ? { error: sync.error } : {}),
      },
      // strangers: live conversations whose thread is still to be looked up
      ...(this.meta("notApplied") ? { notApplied: this.meta("notApplied") } : {}),
      live: { events, strangers: Number(this.sql.exec("SELECT COUNT(*) AS n FROM strangers WHERE done = 0").toArray()[0]?.n ?? 0) },
    };
  }

  /** @param {URL} url */
  list(url) {
    const inbox = this.liveInbox();
    if (!inbox) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
    const limit = url.searchParams.has("limit") ? Number(url.searchParams.get("limit")) : 25;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return json(400, { error: { kind: "invalid_argument", message: "limit: a whole number from 1 to 100" } });
    let start = 0;
    const after = url.searchParams.get("after");
    if (after !== null) {
      start = Number(/^o(\d+)$/.exec(atobSafe(after))?.[1] ?? NaN);
      if (!Number.isInteger(start)) return json(400, { error: { kind: "invalid_argument", message: "after: not a cursor of this route" } });
    }
    const all = inbox.conversations();
    const data = all.slice(start, start + limit);
    const end = start + data.length;
    const cursor = btoa(`o${end}`);
    /** @type {{ cursors: { after: string }, next?: string }} */
    const paging = { cursors: { after: cursor } };
    if (end < all.length) paging.next = `${url.pathname}?limit=${limit}&after=${encodeURIComponent(cursor)}`;
    return json(200, { data, paging });
  }

  /** @param {string} id */
  one(id) {
    const inbox = this.liveInbox();
    const conversation = inbox?.conversation(id);
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
    const inbox = this.liveInbox();
    if (!account || !inbox) return json(404, { error: { kind: "not_found", message: "this account was never connected" } });
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
      const customerId = inbox.conversation(conversationId)?.customer_id ?? conversationId;
      try {
        const client = await this.client(account, { maxRetries: 0, callsPerSecond: 0 });
        const sent = await client.sendMessage(account.id, customerId, /** @type {any} */ ({ ...body, platform: account.platform }));
        this.sql.exec("INSERT OR IGNORE INTO sent (mid, body) VALUES (?, ?)", sent.messageId, JSON.stringify(sent));
        this.broadcast(applySafely(inbox, [sent], (m) => this.notApplied(m)));
        status = 201;
        answer = sent;
      } catch (err) {
        ({ status, answer } = errorAnswer(err));
      }
    }
    const text = JSON.stringify(answer);
    if (key !== null) this.sql.exec("UPDATE sends SET status = ?, body = ? WHERE key = ?", status, text, key);
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

  /** Pending work always has its alarm (set again if a restart lost it). */
  async keepSyncGoing() {
    if (!this.hasWork()) return;
    if ((await this.state.storage.getAlarm()) === null) await this.state.storage.setAlarm(Math.max(Date.now(), this.meta("nextCallAt") ?? 0));
  }

  async alarm() {
    const account = this.account();
    const sync = this.syncState();
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
    if (sync.complete) {
      await this.lookUpStrangers(account, client, slice);
      return;
    }
    const folder = FOLDERS[sync.folder] ?? "inbox";
    /** @type {import("graph-conversations").InboxSync | undefined} */
    let result;
    /** @type {unknown} */
    let failure;
    try {
      result = await client.syncInbox(account.id, { platform: account.platform, folder, cursor: sync.cursor ?? undefined, maxRequests: slice, pageSize });
    } catch (err) {
      failure = err;
      result = err instanceof GraphError ? err.inbox : undefined;
      if (err instanceof GraphError && err.cursor) sync.cursor = err.cursor;
    }
    // Commit the slice: its threads, cursor and counts together.
    const threads = result?.conversations ?? [];
    this.state.storage.transactionSync(() => {
      for (const thread of threads) {
        this.sql.exec("INSERT INTO synced (thread, messages, body) VALUES (?, ?, ?)", thread.id, thread.messages?.length ?? 0, JSON.stringify(thread));
      }
      const own = new Set([...(this.meta("accountIds") ?? [account.id]), ...(result?.accountIds ?? [])]);
      this.setMeta("accountIds", [...own]);
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
    const inbox = this.inbox;
    if (inbox && threads.length) this.broadcast(applySafely(inbox, [{ conversations: threads, accountIds: this.meta("accountIds") }], (m) => this.notApplied(m)));
    else if (threads.length) this.liveInbox();

    let next = Date.now() + PACE_MS;
    if (failure) {
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
   * each with its 20 newest messages, kept as a synced row: applied, it gives
   * the person's conversation its thread's id and its history. Needed: the
   * sync pages through threads newest first, so a thread that gets a message
   * while the sync runs jumps to the top, behind the sync's cursor, and the
   * sync never reads it; its webhook made its customer a stranger.
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
      if (this.liveInbox()?.conversation(customer)?.id !== customer) {
        this.sql.exec("UPDATE strangers SET done = 1 WHERE customer = ?", customer);
        continue;
      }
      try {
        const found = await client.findConversation(account.id, customer, { platform: account.platform, fields });
        const thread = found ? { ...found, messages: /** @type {any} */ (found.messages)?.data ?? [] } : undefined;
        this.state.storage.transactionSync(() => {
          if (thread) this.sql.exec("INSERT INTO synced (thread, messages, body) VALUES (?, ?, ?)", thread.id, thread.messages.length, JSON.stringify(thread));
          this.sql.exec("UPDATE strangers SET done = 1 WHERE customer = ?", customer);
        });
        if (thread && this.inbox) this.broadcast(applySafely(this.inbox, [{ conversations: [thread], accountIds: this.meta("accountIds") }], (m) => this.notApplied(m)));
      } catch (err) {
        failures++;
        console.error("stranger lookup failed", err instanceof Error ? err.message : String(err));
        break;
      }
    }
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
