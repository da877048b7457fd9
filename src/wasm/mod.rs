//! The `#[wasm_bindgen]` facade: `GraphClient` and its async iterators.
//! Options come in as JS objects, Graph objects go out as the JS objects the
//! engine parsed, and every failure leaves as a `GraphError`.

mod client;
mod error;
mod iterator;
mod json;
mod options;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &'static str = r#"
import type { GraphError } from "./graph_error.js";

/** Options of `new GraphClient(…)`. */
export interface ClientOptions {
    /** A Page (or Instagram) access token. Sent in the `Authorization` header or a form body (see `tokenIn`), never in a URL. */
    accessToken: string;
    /** Graph API version such as `"v24.0"`; default: a current version. */
    apiVersion?: string;
    /** `https://graph.facebook.com` (default), a proxy, or a local mock. */
    baseUrl?: string;
    /** Server or edge only: signs every call with `appsecret_proof`. Never put it in a browser page. */
    appSecret?: string;
    /** A precomputed `appsecret_proof` (64 hex digits) instead of `appSecret`. */
    appSecretProof?: string;
    /** Per HTTP request, in milliseconds (default 30000). */
    timeoutMs?: number;
    /** Retries of transient failures (default 3). */
    maxRetries?: number;
    /** Calls per second per access token (default 2); 0 turns pacing off. */
    callsPerSecond?: number;
    /**
     * Where the token travels: `"header"` (`Authorization: Bearer …` on a GET) or `"body"`
     * (a form-encoded POST with `method=GET`, which needs no CORS preflight).
     * Default: `"body"` in a browser page or web worker, `"header"` elsewhere.
     */
    tokenIn?: "header" | "body";
    /** A `fetch` to use instead of the global one (a service binding, a test). */
    fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

/** What every method's last argument also takes. */
export interface RequestOptions {
    /** Aborting rejects the call with `kind: "aborted"` and cancels the HTTP request under way. */
    signal?: AbortSignal;
}

/** Options of `findConversation`. */
export interface FindConversationOptions extends RequestOptions {
    /** `"messenger"` (default) or `"instagram"`. */
    platform?: Platform;
    /** The conversation fields to return. */
    fields?: Fields;
}

/** Options of `getConversation`, `getMessage` and `getMessages`. */
export interface NodeOptions extends RequestOptions {
    /** The fields to return. */
    fields?: Fields;
}

/** What `getMessages` resolves to: a message, or the error of that one item. */
export type MessageResult = Message | GraphError;
"#;
