import type { InboxSync } from "./graph_conversations.js";

/** What kind of failure a `GraphError` is. */
export type GraphErrorKind =
  | "graph"
  | "http"
  | "network"
  | "timeout"
  | "aborted"
  | "decode"
  | "invalid_argument";

/**
 * Every failure of graph-conversations. `err instanceof GraphError` and
 * `err instanceof Error` both hold. The message never contains the access
 * token or the app secret.
 */
export declare class GraphError extends Error {
  constructor(message: string, fields?: Partial<GraphError>);
  readonly name: "GraphError";
  /**
   * `"graph"`: the Graph answered with an error object; `"http"`: a non-JSON
   * or unexpected HTTP answer; `"network"`; `"timeout"`; `"aborted"`;
   * `"decode"`: a body not of the Graph's shape; `"invalid_argument"`: caught
   * before any request was sent.
   */
  readonly kind: GraphErrorKind;
  /** Whether trying again later can succeed (rate limits, 5xx, timeouts). */
  readonly transient: boolean;
  /**
   * Whether the answer said "too many calls": a Graph throttling code (4, 17, 32, 613,
   * 80000–80014) or HTTP 429. Wait `retryAfterMs` when given, else back off.
   */
  readonly rateLimited: boolean;
  /** The HTTP status, when there was an answer. */
  readonly status?: number;
  /** The Graph's error `code` (100, 190, 613, 80006, …). */
  readonly code?: number;
  /** The Graph's `error_subcode`. */
  readonly subcode?: number;
  /** The Graph's error `type` (`OAuthException`, …). */
  readonly type?: string;
  /** The Graph's `fbtrace_id`, for Meta's support. */
  readonly fbtraceId?: string;
  /** The Graph's `error_user_title`. */
  readonly userTitle?: string;
  /** The Graph's `error_user_msg`. */
  readonly userMessage?: string;
  /** How long the answer said to wait before trying again, in milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * How many times the failed call was sent: 1 when it was not retried,
   * `maxRetries + 1` after the last retry. Absent when nothing was sent
   * (a bad argument, an abort before the request left).
   */
  readonly attempts?: number;
  /**
   * For a failed send (`sendMessage`, `sendAction`, `react`): `"not_sent"` when the Graph refused it
   * (nothing was delivered), `"unknown"` when no answer came or the answer does not say (a timeout, a
   * reset, a proxy's page). An unknown delivery is never sent again by the client: the message's echo
   * webhook reaches the `Inbox`, where it becomes the same message. Absent for reads.
   */
  readonly delivery?: "unknown" | "not_sent";
  /**
   * For a refused send, why, typed: `"outside_window"` (more than 24 hours since the person wrote;
   * `HUMAN_AGENT` allows 7 days), `"recipient_unavailable"` (551), `"no_such_recipient"`,
   * `"page_restricted"`, `"retired_tag"`. The message says what to do.
   */
  readonly refusal?: "outside_window" | "recipient_unavailable" | "no_such_recipient" | "page_restricted" | "retired_tag";
  /**
   * Where to go on without fetching again what was read: from an iterator,
   * the `after` cursor of the page that failed; from `syncInbox`, the sync
   * cursor to pass back as its `cursor` option.
   */
  readonly cursor?: string;
  /** From `syncInbox`: what it had read before it stopped. */
  readonly inbox?: InboxSync;
}
