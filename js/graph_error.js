// Hand-written, copied into pkg/ by the build. The wasm glue imports
// GraphError from here (raw_module "./graph_error.js"), so the class that
// the Rust side throws is the one users import and test with instanceof.

/** What an `Error` has of its own, which the fields never replace. */
const OWN = new Set(["name", "message", "stack", "cause"]);

/**
 * Every failure of graph-conversations: `err instanceof GraphError` and
 * `err instanceof Error` both hold. See index.d.ts for the fields.
 */
export class GraphError extends Error {
  /**
   * @param {string} message
   * @param {{ kind?: string, transient?: boolean, [field: string]: unknown }} [fields]
   */
  constructor(message, fields = {}) {
    super(message);
    this.name = "GraphError";
    this.kind = "http";
    this.transient = false;
    this.rateLimited = false;
    // The library passes the properties of the Rust error's one field list
    // (Error::fields); a caller may pass any subset.
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !OWN.has(key)) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (this))[key] = value;
    }
  }
}

/** @this {AsyncIterator<unknown>} */
function returnThis() {
  return this;
}

// wasm-bindgen classes cannot declare [Symbol.asyncIterator]; the Rust
// iterator calls this on each instance it hands out.
/** @param {Partial<AsyncIterable<unknown>>} iterator */
export function asyncIterable(iterator) {
  iterator[Symbol.asyncIterator] = returnThis;
}

/**
 * @param {unknown} target
 * @param {string} name
 * @returns {unknown} `target[name]`, or `undefined` where reading it throws.
 */
function read(target, name) {
  try {
    return /** @type {Record<string, unknown>} */ (target)[name];
  } catch {
    return undefined;
  }
}

/** The headers the client reads, in the order `exchange` gives them. */
const HEADERS = ["x-app-usage", "x-page-usage", "x-business-use-case-usage", "retry-after", "content-type"];

/**
 * One HTTP exchange of the client (the wasm side calls it): `fetch` (the
 * global one when `fetch` is undefined) under a timeout and the caller's
 * signal, then the answer's status, its text and the headers the client
 * reads (a string, or undefined), in one promise, instead of a promise, a
 * callback pair and a wasm call per step. The timer and the listener on the
 * caller's signal are gone once the promise settles; `cancel()` on the
 * promise aborts the request before then (the wasm side calls it when the
 * call that waits for it is dropped). A runtime without `AbortController`
 * sends without a timeout. A `fetch` whose answer has no `headers.get`
 * simply has no headers.
 *
 * @param {Function | undefined} fetch
 * @param {string} url
 * @param {string} method
 * @param {string} headers names and values, each pair as `name\nvalue\n`
 *   (neither holds a line break: the client checks its token and secrets)
 * @param {string | undefined} body
 * @param {number} timeoutMs
 * @param {AbortSignal | undefined} signal the caller's
 * @returns {Promise<unknown[]> & { cancel(): void }} resolves to `[status,
 *   text, ...headers]`; rejects with `[error, timedOut]`
 */
export function exchange(fetch, url, method, headers, body, timeoutMs, signal) {
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
  /** @type {AbortSignal | undefined} the caller's signal, while `abort` listens to it */
  let listened;
  try {
    const controller = new AbortController();
    const stop = () => controller.abort();
    init.signal = controller.signal;
    abort = stop;
    timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    if (signal) {
      signal.addEventListener("abort", stop);
      listened = signal;
    }
  } catch {}
  // No timer or listener outlives the exchange, even when a given `fetch`
  // ignores the abort.
  const settle = () => {
    clearTimeout(timer);
    if (listened && abort) listened.removeEventListener("abort", abort);
    listened = undefined;
  };
  const answer = /** @type {Promise<unknown[]> & { cancel(): void }} */ (
    send(fetch, url, init).then(
      (answer) => {
        settle();
        return answer;
      },
      (error) => {
        settle();
        throw [error, timedOut];
      },
    )
  );
  answer.cancel = () => {
    settle();
    abort?.();
  };
  return answer;
}

/**
 * `fetch`, then the answer's status, text and the headers the client reads.
 *
 * @param {Function | undefined} fetch
 * @param {string} url
 * @param {object} init
 * @returns {Promise<unknown[]>} `[status, text, ...headers]`
 */
async function send(fetch, url, init) {
  let response;
  if (fetch) {
    response = await fetch(url, init);
  } else {
    const global = globalThis.fetch;
    if (typeof global !== "function") throw "this runtime has no global fetch; pass options.fetch";
    response = await global.call(globalThis, url, init);
  }
  const answer = [read(response, "status"), undefined];
  const headers = read(response, "headers");
  const get = read(headers, "get");
  for (const name of HEADERS) {
    let value;
    if (typeof get === "function") {
      try {
        value = get.call(headers, name);
      } catch {}
    }
    answer.push(typeof value === "string" ? value : undefined);
  }
  const text = read(response, "text");
  if (typeof text !== "function") throw "the fetch answer is not a Response";
  answer[1] = await text.call(response);
  return answer;
}
