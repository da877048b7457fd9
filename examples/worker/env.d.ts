// Types for the type check of src/index.js (`make check`): the Worker's
// bindings, and the one Workers API it uses beyond the fetch API that
// TypeScript's DOM lib already declares. (@cloudflare/workers-types has all
// of the runtime, but its globals clash with the DOM lib that the rest of the
// checked code needs.)

/** The Worker's bindings: wrangler.toml's [vars] and its secrets. */
export interface Env {
  /** The Page whose inbox is read. */
  PAGE_ID?: string;
  /** Secret: the Page access token. */
  PAGE_ACCESS_TOKEN?: string;
  /** Secret: when set, callers must send `Authorization: Bearer <ACCESS_KEY>`. */
  ACCESS_KEY?: string;
  /** Secret: the Meta app secret that signs webhooks, or several separated by commas (rotation). */
  APP_SECRET?: string;
  /** Secret: what Meta's subscription handshake must carry as `hub.verify_token`. */
  VERIFY_TOKEN?: string;
  /** The Instagram professional account whose webhook events are applied; unset: any. */
  IG_ACCOUNT_ID?: string;
  /** A proxy or a local mock instead of https://graph.facebook.com. */
  GRAPH_BASE_URL?: string;
  /** A Graph API version such as "v24.0". */
  GRAPH_API_VERSION?: string;
}

declare global {
  interface SubtleCrypto {
    /** Workers only: compares two buffers of the same length in constant time. */
    timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
  }
}
