// Hand-written, copied into pkg/ by the build. The wasm glue imports
// GraphError from here (raw_module "./graph_error.js"), so the class that
// the Rust side throws is the one users import and test with instanceof.

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
    this.kind = fields.kind ?? "http";
    this.transient = fields.transient ?? false;
    for (const key of ["status", "code", "subcode", "type", "fbtraceId", "userTitle", "userMessage", "retryAfterMs", "attempts"]) {
      if (fields[key] !== undefined) /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (this))[key] = fields[key];
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
