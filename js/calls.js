// Hand-written, copied into pkg/ by the build: the JS half of every call.
// The wasm side decides (what to send, whether to try again, what an answer
// is); these functions send, wait and hand back what came, with no Rust
// future on the way:
//
// - `exchange`: one HTTP exchange under a timeout and the caller's signal;
// - `drive`: a call of one request (a page, a node, a send, a batch call, a
//   sync's call) from its pace to its end;
// - `ItemIterator`: the async iterators of `conversations()` and
//   `messages()`;
// - `readBody`, `readBatch`, `runSync`: `Webhook.handle`'s POST body,
//   `getMessages` and `syncInbox`.
//
// The wasm glue imports them (raw_module "./calls.js"); none is in the
// package's exports, only `ItemIterator`'s type (calls.d.ts).

import { GraphError } from "./graph_error.js";

/** @returns {void} */
function ignore() {}

/**
 * @typedef {object} Walk a list read page by page (the wasm side's `Walk`)
 * @property {() => Promise<unknown> | undefined} page the next page (a driven call); undefined after the last; throws a bad argument's GraphError, or the one a page left
 * @property {(page: unknown) => unknown[]} items moves on past `page` and gives its items
 * @property {() => string | undefined} after the cursor a new iterator goes on from
 */

/**
 * What `conversations()` and `messages()` return: an async iterator over
 * the items of a Graph list, page after page. Use it with `for await … of`;
 * `return()` (a `break`) stops it. Each `next()` waits for the one before,
 * so pages are fetched once and in order.
 *
 * @template [T=unknown]
 * @implements {AsyncIterableIterator<T>}
 */
export class ItemIterator {
  /** @type {Walk} */
  #walk;
  /** @type {unknown[] | undefined} the page being handed out */
  #items = undefined;
  #index = 0;
  #done = false;
  /** @type {Promise<unknown>} the latest `next()`, which the next one waits for */
  #tail = Promise.resolve();

  /** @param {Walk} walk */
  constructor(walk) {
    this.#walk = walk;
  }

  /** @returns {Promise<IteratorResult<T, undefined>>} */
  next() {
    const step = this.#tail.then(() => this.#step());
    this.#tail = step.then(ignore, ignore);
    return step;
  }

  /** @returns {Promise<IteratorResult<T, undefined>>} */
  return() {
    this.#done = true;
    this.#items = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** @returns {Promise<IteratorResult<T, undefined>>} */
  async #step() {
    for (;;) {
      if (this.#done) return { value: undefined, done: true };
      const items = this.#items;
      if (items && this.#index < items.length) return { value: /** @type {T} */ (items[this.#index++]), done: false };
      this.#items = undefined;
      let page;
      try {
        page = this.#walk.page();
        if (page === undefined) {
          this.#done = true;
          continue;
        }
        page = await page;
      } catch (error) {
        // Kept as it was: a transient failure can be tried again with
        // another `next()`; an abort ends the iteration. The error says
        // where a new iterator can start without reading the pages
        // already read again.
        if (error instanceof GraphError) {
          if (error.kind === "aborted") this.#done = true;
          const after = this.#walk.after();
          if (after !== undefined) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (error)).cursor = after;
        }
        throw error;
      }
      // `return()` may have run meanwhile.
      if (this.#done) return { value: undefined, done: true };
      this.#items = this.#walk.items(page);
      this.#index = 0;
    }
  }
}

/**
 * The iterator over `walk` (the wasm side calls it).
 *
 * @param {Walk} walk
 * @returns {ItemIterator}
 */
export function iterate(walk) {
  return new ItemIterator(walk);
}

/**
 * Whether this runs in a browser page or a browser worker (the wasm side
 * asks, for where the token goes by default): it has `document`, or
 * `importScripts` (web workers). Node, Deno and Cloudflare Workers have
 * neither.
 *
 * @returns {boolean}
 */
export function inBrowser() {
  const global = /** @type {Record<string, unknown>} */ (globalThis);
  return global.document != null || global.importScripts != null;
}

/**
 * `target[name]`, for the wasm side's reads of JSON and of options (and
 * `exchange`'s of the answer): one
 * crossing where a check that `target` is an object, the read and a check
 * of the result were three. Undefined when `target` is not an object (or
 * is null), when the member is missing or null, and when reading it
 * throws (a getter of the caller's).
 *
 * @param {unknown} target
 * @param {string} name
 * @returns {unknown}
 */
export function member(target, name) {
  if (typeof target === "object" && target !== null) {
    try {
      const value = /** @type {Record<string, unknown>} */ (target)[name];
      if (value !== null) return value;
    } catch {}
  }
  return undefined;
}

/**
 * `target[index]` when `target` is an array; undefined otherwise, and for
 * a null element.
 *
 * @param {unknown} target
 * @param {number} index
 * @returns {unknown}
 */
export function element(target, index) {
  if (Array.isArray(target)) {
    const value = target[index];
    if (value !== null) return value;
  }
  return undefined;
}

/** The headers the client reads, in the order `exchange` gives them: the usage headers first, then the two a failure needs. */
const HEADERS = ["x-app-usage", "x-page-usage", "x-business-use-case-usage", "retry-after", "content-type"];

/** Where `client.usage` keeps each usage header, in the same order. */
const USAGE = ["app", "page", "business_use_case"];

/**
 * One HTTP exchange of the client (the wasm side calls it): `fetch` (the
 * global one when `fetch` is undefined) under a timeout and the caller's
 * signal, then the answer's status, its text and the headers the client
 * reads (a string, or undefined), in one promise, instead of a promise, a
 * callback pair and a wasm call per step. The request goes out before this
 * returns; the timer and the listener on the caller's signal are gone once
 * the promise settles. A runtime without `AbortController` sends without a
 * timeout. A `fetch` whose answer has no `headers.get` simply has no
 * headers.
 *
 * @param {Function | undefined} fetch
 * @param {string} url
 * @param {string} method
 * @param {string} headers names and values, each pair as `name\nvalue\n`
 *   (neither holds a line break: the client checks its token and secrets)
 * @param {string | undefined} body
 * @param {number} timeoutMs
 * @param {AbortSignal | undefined} signal the caller's
 * @param {Record<string, unknown>} [usage] the client's `usage`, which
 *   gets the answer's usage headers
 * @returns {Promise<unknown[]>} resolves to `[status, text, ...headers]`,
 *   the usage headers parsed (undefined where one is missing or not JSON);
 *   rejects with `[error, timedOut]`
 */
export async function exchange(fetch, url, method, headers, body, timeoutMs, signal, usage) {
  /** @type {Record<string, string>} */
  const names = {};
  const lines = headers.split("\n");
  for (let i = 0; i + 1 < lines.length; i += 2) names[lines[i]] = lines[i + 1];
  /** @type {{ method: string, headers: Record<string, string>, body?: string, signal?: AbortSignal }} */
  const init = { method, headers: names };
  if (body !== undefined) init.body = body;
  let timedOut = false;
  /** @type {(() => void) | undefined} */
  let abort;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  try {
    const controller = new AbortController();
    const stop = () => controller.abort();
    init.signal = controller.signal;
    timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    if (signal) {
      signal.addEventListener("abort", stop);
      abort = stop;
    }
  } catch {}
  try {
    let response;
    if (fetch) {
      response = await fetch(url, init);
    } else {
      const global = globalThis.fetch;
      if (typeof global !== "function") throw "this runtime has no global fetch; pass options.fetch";
      response = await global.call(globalThis, url, init);
    }
    const status = member(response, "status");
    const answer = [status, undefined];
    const headers = member(response, "headers");
    const get = member(headers, "get");
    // A good answer is read for its usage headers only: how long to wait
    // and what came instead of JSON matter to a failure alone.
    const count = typeof status === "number" && status >= 200 && status < 300 ? 3 : HEADERS.length;
    for (let i = 0; i < count; i++) {
      const name = HEADERS[i];
      /** @type {unknown} */
      let value;
      if (typeof get === "function") {
        try {
          value = get.call(headers, name);
        } catch {}
      }
      if (typeof value !== "string") value = undefined;
      // The usage headers (the first three) as the objects they hold:
      // parsed here, by the engine, not copied into wasm as text first;
      // each one that is an object is the client's latest (`client.usage`).
      else if (answer.length < 5) {
        try {
          value = JSON.parse(value);
        } catch {
          value = undefined;
        }
        if (usage && typeof value === "object" && value !== null && !Array.isArray(value)) usage[USAGE[answer.length - 2]] = value;
      }
      answer.push(value);
    }
    const text = member(response, "text");
    if (typeof text !== "function") throw "the fetch answer is not a Response";
    answer[1] = await text.call(response);
    return answer;
  } catch (error) {
    throw [error, timedOut];
  } finally {
    // No timer or listener outlives the exchange, even when a given
    // `fetch` ignores the abort.
    clearTimeout(timer);
    if (abort) signal?.removeEventListener("abort", abort);
  }
}

/**
 * Waits `ms` milliseconds, or less when `signal` fires first (not at all
 * when it has); no timer or listener outlives it.
 *
 * @param {number} ms
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<void>}
 */
function sleep(ms, signal) {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/**
 * @typedef {object} Call one Graph call under way (the wasm side's `Call`)
 * @property {(aborted: boolean) => number | Promise<unknown[]>} send the next attempt: ms to wait first for the token's pace (then send again), or `exchange`'s promise; throws the call's GraphError when `aborted`
 * @property {(settled: unknown, ok: boolean) => unknown} read the result, or (a number) ms to wait before the next attempt, from what `exchange` settled with; throws the GraphError the call ends with
 * @property {() => void} free releases the call's wasm memory
 */

/**
 * Runs a call of one request to its end (the wasm side calls it): waits for
 * the token's pace, sends, reads the answer, and waits and sends again for
 * as long as the call's attempts say so. The loop of every call, with no
 * Rust future on the way.
 *
 * @param {Call} call
 * @param {AbortSignal | undefined} signal the caller's
 * @returns {Promise<unknown>} the call's result; rejects with its GraphError
 */
export async function drive(call, signal) {
  try {
    for (;;) {
      const next = call.send(signal?.aborted === true);
      if (typeof next === "number") {
        await sleep(next, signal);
        continue;
      }
      /** @type {unknown} */
      let settled;
      let ok = true;
      try {
        settled = await next;
      } catch (rejection) {
        settled = rejection;
        ok = false;
      }
      const read = call.read(settled, ok);
      if (typeof read !== "number") return read;
      await sleep(read, signal);
    }
  } finally {
    call.free();
  }
}

/**
 * @typedef {object} SignedPost a webhook POST waiting for its body (the wasm side's)
 * @property {(bytes: Uint8Array) => unknown} answer `{ response, events }` for the body
 * @property {() => void} free releases its wasm memory
 */

/**
 * Reads a webhook POST's raw bytes and hands them to `post` (the wasm side
 * calls it from `Webhook.handle`).
 *
 * @param {{ arrayBuffer(): Promise<ArrayBuffer> }} request
 * @param {SignedPost} post
 * @returns {Promise<unknown>} `{ response, events }`
 */
export async function readBody(request, post) {
  try {
    return post.answer(new Uint8Array(await request.arrayBuffer()));
  } finally {
    post.free();
  }
}

/**
 * @typedef {object} Batch a getMessages under way (the wasm side's `Batch`)
 * @property {(aborted: boolean) => Promise<unknown> | number | undefined} next a batch call (driven), ms to wait before items are sent again, or undefined when done; throws when every first call failed, or the abort's GraphError when `aborted`
 * @property {() => unknown[]} results every item's message or GraphError, in order
 * @property {() => void} free releases its wasm memory
 */

/**
 * Runs a `getMessages` to its end (the wasm side calls it): its batch
 * calls one after the other, each driven as a call, and the waits before
 * items that failed on their own are sent again.
 *
 * @param {Batch} batch
 * @param {AbortSignal | undefined} signal the caller's
 * @returns {Promise<unknown[]>} every item's message or GraphError, in order
 */
export async function readBatch(batch, signal) {
  try {
    for (;;) {
      const next = batch.next(signal?.aborted === true);
      if (next === undefined) return batch.results();
      if (typeof next === "number") {
        await sleep(next, signal);
        continue;
      }
      try {
        await next;
      } catch (error) {
        // The call's items keep its error; an abort ends the read.
        if (error instanceof GraphError && error.kind === "aborted") throw error;
      }
    }
  } finally {
    batch.free();
  }
}

/**
 * @typedef {object} Sync a syncInbox under way (the wasm side's `Sync`)
 * @property {(signal: AbortSignal | undefined) => Promise<unknown> | undefined} next the next call to start (driven; it settles once its outcome is in the sync), or undefined when none may start now
 * @property {() => boolean} stopped whether the sync stopped on an error
 * @property {() => unknown} finish the InboxSync; throws the GraphError that stopped the sync, with `cursor` and `inbox`
 * @property {() => void} free releases its wasm memory
 */

/**
 * Runs a `syncInbox` to its end (the wasm side calls it): starts the calls
 * the sync hands out, as many as its concurrency allows, and starts more
 * as each one's outcome comes in. When the sync stops early, the calls
 * still under way are cancelled (they stay in its cursor).
 *
 * @param {Sync} sync
 * @param {AbortSignal | undefined} signal the caller's
 * @returns {Promise<unknown>} the InboxSync
 */
export async function runSync(sync, signal) {
  // The sync's own signal: the caller's abort, or the sync's end.
  const own = new AbortController();
  const stop = () => own.abort();
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop);
  /** @type {Set<Promise<void>>} */
  const under = new Set();
  try {
    for (;;) {
      for (let call; (call = sync.next(own.signal)) !== undefined; ) {
        /** @type {Promise<void>} */
        const settled = call.then(ignore, ignore).then(() => {
          under.delete(settled);
        });
        under.add(settled);
      }
      if (under.size === 0 || sync.stopped()) break;
      await Promise.race(under);
    }
    return sync.finish();
  } finally {
    stop();
    signal?.removeEventListener("abort", stop);
    sync.free();
  }
}
