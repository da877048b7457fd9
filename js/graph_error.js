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
