// Webhook delivery the way Meta does it (GRAPH-FACTS.md, "Webhooks"): the
// subscription handshake, POSTs of `{ object, entry: [...] }` signed with the
// app secret over the exact bytes sent, Meta's escaped-unicode serialisation
// (`ä` as `\u00e4`, emoji as surrogate pairs, `/` as `\/`: json.mjs), events
// batched into entries and entries into POSTs, failed POSTs retried with
// backoff, and the faults of webhook-faults.mjs (duplicates, out of order,
// timeouts, lost attempts, wrong signatures). Every POST attempt is recorded.
//
// Only 127.0.0.1 / localhost / [::1] URLs can be subscribed: the mock never
// reaches the internet. Everything is bounded: retries are capped, every
// attempt has a timeout, holds have a maximum, logs keep the newest 10,000
// records, and close() / reset() cancel every timer and abort every POST.
//
//   const mock = await startMockGraph();
//   await mock.webhooks.subscribe({ url: "http://127.0.0.1:9000/webhook", appSecret, verifyToken });
//   const mid = mock.customerWrites(customerId, { text: "Hej ☕" });
//   await mock.webhooks.settled();
//   mock.webhooks.deliveries.every((d) => d.status === 200 && d.ms < 1000);

import { createHmac, randomInt } from "node:crypto";
import { APP_SECRET } from "./data.mjs";
import { parseWebhookFault } from "./fault-specs.mjs";
import { graphJson } from "./json.mjs";

/**
 * Delivery options (startMockGraph({ webhooks }), mock.webhooks.configure()):
 * `batchWindowMs` how long events queue before a POST goes (the first event
 * starts the window); `maxEntries` most entries per POST; `maxItemsPerEntry`
 * most messaging items per entry (items of one account and one customer that
 * follow each other share an entry); `timeoutMs` how long an answer may take
 * (Meta asks for one within 5 s); `retries` how often a failed POST is sent
 * again; `retryBaseMs` / `retryMaxMs` the backoff (doubling from the base, at
 * most the max). Meta's own retries go on for much longer; these are scaled
 * down for tests.
 */
export const WEBHOOK_DEFAULTS = Object.freeze({
  batchWindowMs: 20,
  maxEntries: 10,
  maxItemsPerEntry: 5,
  timeoutMs: 5000,
  retries: 3,
  retryBaseMs: 100,
  retryMaxMs: 2000,
});

// Upper bounds, so a typo cannot make the mock hang or hammer a receiver.
const LIMITS = { batchWindowMs: 60_000, maxEntries: 1000, maxItemsPerEntry: 1000, timeoutMs: 60_000, retries: 20, retryBaseMs: 60_000, retryMaxMs: 600_000 };
const AT_LEAST_ONE = new Set(["maxEntries", "maxItemsPerEntry", "timeoutMs"]);
const PER_SUBSCRIPTION = ["timeoutMs", "retries", "retryBaseMs", "retryMaxMs"];
const LOG_CAP = 10_000;
const HANDSHAKE_TIMEOUT_MS = 5000;
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The webhook fields a subscription can ask for (default: all). Messenger:
 * messages, message_echoes, message_edits, message_reactions, message_reads,
 * message_deliveries; Instagram: messages (echoes and unsends too),
 * message_edits, message_reactions, messaging_seen; `standby` for the items
 * of threads another app owns.
 */
export const WEBHOOK_FIELDS = Object.freeze([
  "messages", "message_echoes", "message_edits", "message_reactions", "message_reads", "messaging_seen",
  "message_deliveries", "standby",
]);
const OBJECTS = Object.freeze(["page", "instagram"]);

/**
 * The signature headers' values for a raw body: `{ sha256: "sha256=<hex>",
 * sha1: "sha1=<hex>" }`, lowercase hex HMACs of the exact bytes with the app
 * secret (X-Hub-Signature-256 and the legacy X-Hub-Signature).
 */
export function signWebhook(rawBody, appSecret) {
  const mac = (algorithm) => createHmac(algorithm, appSecret).update(rawBody).digest("hex");
  return { sha256: `sha256=${mac("sha256")}`, sha1: `sha1=${mac("sha1")}` };
}

/**
 * A webhook body as Meta serialises it: `{ object, entry }` with every
 * non-ASCII character as `\uXXXX` and `/` as `\/` (so a verifier that
 * re-serialises the parsed JSON gets other bytes and a wrong signature).
 * `entries` are `{ accountId, messaging?: [item], standby?: [item] }`; an
 * entry's `time` is `time` (ms). Messenger entries list `id` first, Instagram
 * ones `time` first, as captured bodies do.
 */
export function webhookBody(object, entries, time) {
  const entry = entries.map((e) => {
    const head = object === "instagram" ? { time, id: e.accountId } : { id: e.accountId, time };
    if (e.messaging?.length) head.messaging = e.messaging;
    if (e.standby?.length) head.standby = e.standby;
    return head;
  });
  return graphJson({ object, entry });
}

/**
 * The webhook side of one mock: subscriptions, the queue, deliveries.
 * handler.mjs makes one per mock and hands `enqueue` to live.mjs; `api()` is
 * what `mock.webhooks` is.
 */
export class WebhookSender {
  constructor(options = {}) {
    this.options = { ...WEBHOOK_DEFAULTS };
    this.configure(options);
    this.subs = [];
    this.deliveries = [];
    this.events = [];
    this.faults = [];
    this.queue = [];
    this.batchTimer = null;
    this.jobs = new Set();
    this.timers = new Map(); // timer -> its callback, so close() can fire it early
    this.controllers = new Set();
    this.waiters = new Set();
    this.answered = new Map(); // subscription id -> POSTs answered (for out-of-order holds)
    this.generation = 0; // bumped by reset(): jobs of an older generation stop
    this.closed = false;
    this.nextSub = 1;
    this.nextDelivery = 1;
    this.nextFault = 1;
  }

  /**
   * What `mock.webhooks` is: `{ subscribe(options), unsubscribe(url?),
   * subscriptions, deliveries, events, fault(spec), faults, clearFaults(),
   * configure(options), options, flush(), settled({ timeoutMs }?) }`.
   * `deliveries` holds every POST attempt: `{ delivery (its id; a retry or a
   * duplicate keeps it), attempt (1, 2, …), redelivery?, subscription, url,
   * object, entries, items, sentAt (epoch ms), ms (until the answer), status
   * (null: none), outcome ("ok" | "http-error" | "timeout" | "network-error" |
   * "cancelled"), answer? (its first 500 characters), error?, faults? (the
   * kinds applied), heldMs?, headers, body }`. `events` holds every event
   * told, delivered or not: `{ kind, platform, object, accountId, customerId,
   * mid?, timestamp, standby, field, item }`. Arrays are kept in place across
   * reset().
   */
  api() {
    const self = this;
    return {
      subscribe: (options) => self.subscribe(options),
      unsubscribe: (url) => self.unsubscribe(url),
      get subscriptions() { return self.subs.map(describeSubscription); },
      deliveries: self.deliveries,
      events: self.events,
      faults: self.faults,
      fault: (spec) => self.addFault(spec),
      clearFaults: () => { self.faults.length = 0; },
      configure: (options) => self.configure(options),
      get options() { return { ...self.options }; },
      flush: () => self.flush(),
      settled: (options) => self.settled(options),
    };
  }

  // ------------------------------------------------------------ configuration

  /** Changes delivery options (WEBHOOK_DEFAULTS); returns them all. Throws a TypeError for a bad one. */
  configure(options = {}) {
    this.options = { ...this.options, ...checkOptions(options, Object.keys(WEBHOOK_DEFAULTS)) };
    return { ...this.options };
  }

  /**
   * Subscribes a receiver, as an app's webhook subscription does. `url` must
   * be on 127.0.0.1, localhost or [::1]; `appSecret` signs the POSTs (default
   * APP_SECRET); with `verifyToken`, the mock first sends `GET
   * url?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` and refuses
   * (rejects, subscribing nothing) unless the answer is 200 with exactly the
   * challenge. `fields` (WEBHOOK_FIELDS) and `objects` (["page",
   * "instagram"]) narrow what it gets; `timeoutMs`, `retries`, `retryBaseMs`,
   * `retryMaxMs` override the delivery options for it. Subscribing a URL
   * again replaces its subscription. Resolves to the subscription's view
   * `{ id, url, fields, objects, options, verified, handshake }` (no secret).
   */
  async subscribe({ url, appSecret = APP_SECRET, verifyToken, fields = WEBHOOK_FIELDS, objects = OBJECTS, ...rest } = {}) {
    if (this.closed) throw new Error("the mock is closed");
    const target = localUrl(url);
    if (typeof appSecret !== "string" || appSecret === "") throw new TypeError("appSecret is a non-empty string");
    const wanted = checkList("fields", fields, WEBHOOK_FIELDS);
    const wantedObjects = checkList("objects", objects, OBJECTS);
    const overrides = checkOptions(rest, PER_SUBSCRIPTION);
    const handshake = verifyToken === undefined ? null : await this.handshake(target, String(verifyToken));
    const sub = {
      id: this.nextSub++, url: target.href, appSecret, fields: wanted, objects: wantedObjects, overrides,
      verified: handshake !== null, handshake, subscribedAt: Date.now(),
    };
    this.subs = this.subs.filter((s) => s.url !== sub.url);
    this.subs.push(sub);
    return describeSubscription(sub);
  }

  /** Removes the subscription of `url`, or every one without a url; returns how many went. */
  unsubscribe(url) {
    const before = this.subs.length;
    const href = url === undefined ? undefined : localUrl(url).href;
    this.subs = href === undefined ? [] : this.subs.filter((s) => s.url !== href);
    return before - this.subs.length;
  }

  /** Switches a webhook fault on (webhook-faults.mjs); returns it, with an `id`. */
  addFault(spec) {
    const fault = { id: this.nextFault++, ...parseWebhookFault(spec) };
    this.faults.push(fault);
    return fault;
  }

  // The GET Meta sends before it subscribes a URL.
  async handshake(target, verifyToken) {
    const challenge = String(randomInt(100_000_000, 2_000_000_000));
    const url = new URL(target);
    url.searchParams.set("hub.mode", "subscribe");
    url.searchParams.set("hub.verify_token", verifyToken);
    url.searchParams.set("hub.challenge", challenge);
    const where = `${target.origin}${target.pathname}`;
    const started = performance.now();
    let status;
    let body;
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS) });
      status = res.status;
      body = await res.text();
    } catch (err) {
      throw new Error(`webhook subscription refused: GET ${where} failed (${err?.cause?.code ?? err?.name ?? err})`);
    }
    if (status !== 200 || body !== challenge) {
      const err = new Error(`webhook subscription refused: GET ${where} answered ${status} ${JSON.stringify(body.slice(0, 80))}, not 200 with the challenge`);
      err.handshake = { status, body: body.slice(0, 200) };
      throw err;
    }
    return { status, ms: performance.now() - started };
  }

  // ------------------------------------------------------------ queue and batches

  /**
   * Takes one event from live.mjs: logs it (`events`) and queues it for every
   * subscription that wants it. Nothing is queued without a subscription
   * (Meta does not deliver what happened before one).
   */
  enqueue(event) {
    if (this.closed) return;
    pushCapped(this.events, event);
    const subs = this.subs.filter((s) => wants(s, event));
    if (subs.length === 0) return;
    this.queue.push({ event, subs });
    if (this.batchTimer === null) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = null;
        this.flush();
      }, this.options.batchWindowMs);
    }
  }

  /** Sends what is queued now, without waiting for the batch window; returns the number of POSTs started. */
  flush() {
    clearTimeout(this.batchTimer ?? undefined);
    this.batchTimer = null;
    const queued = this.queue.splice(0);
    // One entry time for the whole flush: subscribers that get the same
    // events get the same bytes (each signed with its own secret).
    const time = Math.max(Date.now(), ...queued.map((q) => q.event.timestamp));
    let posts = 0;
    for (const sub of this.subs) {
      const events = queued.filter((q) => q.subs.includes(sub)).map((q) => q.event);
      for (const batch of batches(events, this.options)) {
        this.start(sub, batch, time);
        posts += 1;
      }
    }
    return posts;
  }

  /**
   * Resolves once nothing is queued, in flight, waiting for a retry, held back
   * or waiting to be redelivered; rejects after `timeoutMs` (default 10 s).
   */
  async settled({ timeoutMs = 10_000 } = {}) {
    const deadline = performance.now() + timeoutMs;
    while (this.batchTimer !== null || this.queue.length > 0 || this.jobs.size > 0) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`webhook deliveries did not settle within ${timeoutMs} ms`);
      // A real timer every round: racing only settled promises would spin
      // on microtasks and starve the batch timer.
      let timer;
      const tick = new Promise((resolve) => { timer = setTimeout(resolve, Math.min(left, 25)); });
      await (this.jobs.size > 0 ? Promise.race([Promise.allSettled([...this.jobs]), tick]) : tick);
      clearTimeout(timer);
    }
  }

  // ------------------------------------------------------------ one POST

  start(sub, batch, time) {
    const job = this.deliver(sub, batch, time, this.generation)
      .catch((err) => console.error("mock webhook delivery error:", err))
      .finally(() => this.jobs.delete(job));
    this.jobs.add(job);
  }

  async deliver(sub, batch, time, generation) {
    const stale = () => this.closed || generation !== this.generation;
    const id = this.nextDelivery++;
    const body = webhookBody(batch.object, batch.entries, time);
    const faults = this.takeFaults(body);
    const headers = signatureHeaders(body, sub.appSecret, faults["webhook-bad-signature"]?.mode);
    const options = { ...this.options, ...sub.overrides };
    const meta = {
      delivery: id, subscription: sub.id, url: sub.url, object: batch.object,
      entries: batch.entries.length, items: batch.entries.reduce((n, e) => n + e.messaging.length + e.standby.length, 0),
    };
    const faultKinds = Object.keys(faults);
    let heldMs = 0;
    const hold = faults["webhook-out-of-order"];
    if (hold) {
      const started = performance.now();
      await this.hold(sub, hold.after, hold.maxHoldMs);
      heldMs = performance.now() - started;
      if (stale()) return;
    }
    let ok = false;
    for (let attempt = 1; attempt <= 1 + options.retries && !ok; attempt++) {
      if (attempt > 1) {
        await this.sleep(Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (attempt - 2)));
        if (stale()) return;
      }
      const first = attempt === 1;
      const failAs = !first ? null : faults["webhook-lost"] ? "lost" : faults["webhook-timeout"] ? "late" : null;
      const extra = first ? { ...(faultKinds.length ? { faults: faultKinds } : {}), ...(hold ? { heldMs } : {}) } : {};
      ok = await this.post(sub, body, headers, { ...meta, attempt, ...extra }, failAs, options.timeoutMs, stale);
      if (stale()) return;
    }
    const again = faults["webhook-redeliver"];
    if (ok && again) {
      await this.sleep(again.delayMs);
      if (stale()) return;
      await this.post(sub, body, headers, { ...meta, attempt: 1, redelivery: true }, null, options.timeoutMs, stale);
    }
  }

  // One attempt; records it in `deliveries`; true when answered 2xx in time.
  async post(sub, body, headers, meta, failAs, timeoutMs, stale) {
    const record = {
      ...meta, sentAt: performance.timeOrigin + performance.now(), status: null, ms: null, outcome: null,
      headers, body,
    };
    pushCapped(this.deliveries, record);
    if (failAs === "lost") {
      Object.assign(record, { ms: 0, outcome: "network-error", error: "webhook-lost: the attempt never reached the receiver" });
      return false;
    }
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const started = performance.now();
    try {
      const res = await fetch(sub.url, { method: "POST", headers, body, redirect: "manual", signal: controller.signal });
      record.status = res.status;
      record.answer = (await res.text()).slice(0, 500);
      record.outcome = res.status >= 200 && res.status < 300 ? "ok" : "http-error";
    } catch (err) {
      record.outcome = stale() ? "cancelled" : controller.signal.aborted ? "timeout" : "network-error";
      record.error = String(err?.cause?.code ?? err?.message ?? err);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    record.ms = performance.now() - started;
    if (failAs === "late" && record.outcome === "ok") {
      Object.assign(record, { outcome: "timeout", error: "webhook-timeout: the answer counted as too late" });
    }
    if (!stale()) {
      this.answered.set(sub.id, (this.answered.get(sub.id) ?? 0) + 1);
      for (const waiter of [...this.waiters]) if (waiter.ready()) waiter.release();
    }
    return record.outcome === "ok";
  }

  // At most one fault of each kind per POST, in the order they were added.
  takeFaults(body) {
    const taken = {};
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || taken[fault.kind] || !body.includes(fault.match)) continue;
      if (fault.skipped < fault.skip) {
        fault.skipped += 1;
        continue;
      }
      fault.remaining -= 1;
      fault.hits += 1;
      taken[fault.kind] = fault;
    }
    return taken;
  }

  // Until `after` more POSTs to this subscriber were answered, at most `maxHoldMs`.
  hold(sub, after, maxHoldMs) {
    const target = (this.answered.get(sub.id) ?? 0) + after;
    return new Promise((resolve) => {
      const waiter = {
        ready: () => (this.answered.get(sub.id) ?? 0) >= target,
        release: () => {
          this.waiters.delete(waiter);
          this.cancelTimer(timer);
          resolve(undefined);
        },
      };
      const timer = this.timer(maxHoldMs, waiter.release);
      this.waiters.add(waiter);
      if (waiter.ready()) waiter.release();
    });
  }

  sleep(ms) {
    return new Promise((resolve) => { this.timer(ms, () => resolve(undefined)); });
  }

  // A timer close() and reset() can fire early.
  timer(ms, callback) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.set(timer, callback);
    return timer;
  }

  cancelTimer(timer) {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  // ------------------------------------------------------------ lifecycle

  // Stops everything under way: queued events, batch timer, POSTs, waits.
  stop() {
    this.generation += 1;
    clearTimeout(this.batchTimer ?? undefined);
    this.batchTimer = null;
    this.queue.length = 0;
    for (const controller of this.controllers) controller.abort();
    for (const [timer, callback] of [...this.timers]) {
      this.cancelTimer(timer);
      callback();
    }
    this.answered.clear();
  }

  /**
   * Drops queued and running deliveries, the delivery and event logs and the
   * faults (delivery and fault ids count from 1 again); keeps the
   * subscriptions and options.
   */
  reset() {
    this.stop();
    this.deliveries.length = 0;
    this.events.length = 0;
    this.faults.length = 0;
    this.nextDelivery = 1;
    this.nextFault = 1;
  }

  /** Cancels every timer and aborts every POST; nothing is sent afterwards. */
  close() {
    this.closed = true;
    this.stop();
  }
}

/**
 * Throws a TypeError for an unknown or bad delivery option (startMock's
 * `webhooks` option checks this before anything listens).
 */
export function checkWebhookOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`webhooks is { ${Object.keys(WEBHOOK_DEFAULTS).join(", ")} } (all optional), got ${JSON.stringify(options)}`);
  }
  checkOptions(options, Object.keys(WEBHOOK_DEFAULTS));
}

/** Throws a TypeError unless `url` is an http(s) URL on 127.0.0.1, localhost or [::1]; returns it parsed. */
export function checkWebhookUrl(url) {
  return localUrl(url);
}

// ---------------------------------------------------------------- helpers

function wants(sub, event) {
  if (!sub.objects.includes(event.object)) return false;
  return sub.fields.includes(event.standby ? "standby" : event.field);
}

/**
 * Events into POST bodies: per object, consecutive items of one account and
 * one customer share an entry (at most `maxItemsPerEntry`), standby items in
 * its `standby` list; at most `maxEntries` entries per POST.
 */
function batches(events, { maxEntries, maxItemsPerEntry }) {
  const out = [];
  for (const object of OBJECTS) {
    const entries = [];
    let current = null;
    for (const event of events) {
      if (event.object !== object) continue;
      if (!current || current.accountId !== event.accountId || current.customerId !== event.customerId || current.size >= maxItemsPerEntry) {
        current = { accountId: event.accountId, customerId: event.customerId, messaging: [], standby: [], size: 0 };
        entries.push(current);
      }
      (event.standby ? current.standby : current.messaging).push(event.item);
      current.size += 1;
    }
    for (let i = 0; i < entries.length; i += maxEntries) out.push({ object, entries: entries.slice(i, i + maxEntries) });
  }
  return out;
}

function signatureHeaders(body, appSecret, badMode) {
  const headers = { "Content-Type": "application/json" };
  const good = signWebhook(body, appSecret);
  switch (badMode) {
    case undefined:
      return { ...headers, "X-Hub-Signature-256": good.sha256, "X-Hub-Signature": good.sha1 };
    case "wrong-secret": {
      const wrong = signWebhook(body, `${appSecret}-not-this-one`);
      return { ...headers, "X-Hub-Signature-256": wrong.sha256, "X-Hub-Signature": wrong.sha1 };
    }
    case "missing":
      return headers;
    case "malformed":
      return { ...headers, "X-Hub-Signature-256": good.sha256.slice("sha256=".length) };
    case "sha1-only":
      return { ...headers, "X-Hub-Signature": good.sha1 };
    default:
      throw new Error(`mock: unknown signature mode ${badMode}`);
  }
}

function localUrl(url) {
  let parsed;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new TypeError(`a webhook url is an absolute http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError("a webhook url is http: or https:");
  if (!LOCAL_HOSTS.has(parsed.hostname)) throw new TypeError(`the mock delivers webhooks to 127.0.0.1, localhost or [::1] only, not ${parsed.hostname}`);
  return parsed;
}

function checkList(name, value, allowed) {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError(`${name} is a non-empty array of ${allowed.join(", ")}`);
  for (const item of value) if (!allowed.includes(item)) throw new TypeError(`unknown ${name} entry ${JSON.stringify(item)}; known: ${allowed.join(", ")}`);
  return [...value];
}

function checkOptions(options, allowed) {
  if (options === null || typeof options !== "object") throw new TypeError("webhook options are an object");
  const out = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!allowed.includes(name)) throw new TypeError(`unknown webhook option ${name}; known: ${allowed.join(", ")}`);
    const min = AT_LEAST_ONE.has(name) ? 1 : 0;
    if (!Number.isInteger(value) || value < min || value > LIMITS[name]) {
      throw new TypeError(`webhook option ${name} is a whole number from ${min} to ${LIMITS[name]}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}

function describeSubscription(sub) {
  return {
    id: sub.id, url: sub.url, fields: [...sub.fields], objects: [...sub.objects], options: { ...sub.overrides },
    verified: sub.verified, handshake: sub.handshake, subscribedAt: sub.subscribedAt,
  };
}

function pushCapped(list, item) {
  list.push(item);
  if (list.length > LOG_CAP) list.splice(0, list.length - LOG_CAP);
}
