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
 * global one when `fetch` is undefined), then the answer's status, the
 * headers the client reads (a string, or undefined) and its text, in one
 * promise, instead of a promise, a callback pair and a wasm call per step.
 * A `fetch` whose answer has no `headers.get` simply has no headers.
 *
 * @param {Function | undefined} fetch
 * @param {string} url
 * @param {object} init
 * @returns {Promise<unknown[]>} `[status, text, ...headers]`
 */
export async function exchange(fetch, url, init) {
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
