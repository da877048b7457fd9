// A hand-written Graph inbox client in plain JS (fetch + JSON.parse, no
// wasm): the baseline that syncInbox is measured against in bench/run.mjs,
// for wall time at the call floor and for size. Written the way a competent
// person would write it for their own app, not as a strawman:
//
//   - one GET per page of conversations with their newest messages and the
//     messages' details through field expansion (`messages.limit(m){…}`),
//     100 conversations a page, paging by the `after` cursor (never by the
//     `paging.next` URL, which carries the token);
//   - a thread whose nested page came back shorter than asked and has more
//     is completed from its own messages edge;
//   - the token in an Authorization header; a timeout per request; retries
//     with exponential backoff and jitter for what can succeed later (rate
//     limits, 5xx, the Graph's is_transient, network errors, timeouts);
//     code 1 "reduce the amount of data" halves the page instead;
//   - `updatedSince` stops at the first older thread; an AbortSignal; errors
//     as one PlainGraphError with the Graph's code and a message without the
//     token.
//
// What it does not do, and the package does: id and argument checks, pacing
// to the call budget, usage headers, resumable cursors, batching, types.
//
//   import { PlainGraphClient } from "./plain-client.mjs";
//   const client = new PlainGraphClient({ accessToken, baseUrl });
//   const inbox = await client.syncInbox(pageId, { platform: "messenger", messagesPerConversation: 20 });

const DEFAULT_BASE = "https://graph.facebook.com";
const DEFAULT_VERSION = "v24.0";

/** The documented message fields, with the sub-fields attachments need. */
export const MESSAGE_FIELDS =
  "id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template,sticker_id}," +
  "reactions,shares,story,tags,is_unsupported,reply_to";
/** What an inbox list shows about a conversation. */
export const CONVERSATION_FIELDS = "id,updated_time,link,snippet,message_count,unread_count,participants,can_reply";

// Throttling and temporary failures (Graph error codes).
const THROTTLED = new Set([4, 17, 32, 613, 80001, 80002, 80006]);
const TEMPORARY = new Set([1, 2]);

export class PlainGraphError extends Error {
  /**
   * @param {string} message
   * @param {{ kind: string, status?: number, code?: number, subcode?: number, fbtraceId?: string, transient?: boolean, cause?: unknown }} details
   */
  constructor(message, details) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "PlainGraphError";
    this.kind = details.kind;
    this.status = details.status;
    this.code = details.code;
    this.subcode = details.subcode;
    this.fbtraceId = details.fbtraceId;
    this.transient = details.transient ?? false;
  }

  /** The Graph asks for less data: retrying the same call will not help. */
  get asksForLess() {
    return this.code === 1 && /reduce the amount of data/i.test(this.message);
  }
}

export class PlainGraphClient {
  /**
   * @param {{ accessToken: string, baseUrl?: string, apiVersion?: string, timeoutMs?: number,
   *   maxRetries?: number, fetch?: typeof fetch }} options
   */
  constructor({ accessToken, baseUrl = DEFAULT_BASE, apiVersion = DEFAULT_VERSION, timeoutMs = 30_000, maxRetries = 3, fetch: fetchFn }) {
    if (!accessToken) throw new TypeError("accessToken is required");
    this.accessToken = accessToken;
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.apiVersion = apiVersion;
    this.timeoutMs = timeoutMs;
    this.maxRetries = maxRetries;
    this.fetch = fetchFn ?? globalThis.fetch.bind(globalThis);
    /** HTTP requests sent, retries included. */
    this.requests = 0;
  }

  // ------------------------------------------------------------ one call

  /**
   * GET /{version}/{path}?{params}, parsed; retried when the failure is
   * transient. Rejects with a PlainGraphError.
   * @param {string} path
   * @param {Record<string, string | number | undefined>} [params]
   * @param {{ signal?: AbortSignal }} [options]
   */
  async get(path, params = {}, { signal } = {}) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
    const url = `${this.baseUrl}/${this.apiVersion}/${path}?${query}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.getOnce(url, signal);
      } catch (err) {
        if (!(err instanceof PlainGraphError) || !err.transient || err.asksForLess || attempt >= this.maxRetries) throw err;
        await sleep(backoffMs(attempt), signal);
      }
    }
  }

  /** @param {string} url @param {AbortSignal | undefined} signal */
  async getOnce(url, signal) {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    this.requests += 1;
    let response;
    let text;
    try {
      response = await this.fetch(url, { headers: { Authorization: `Bearer ${this.accessToken}` }, signal: combined });
      text = await response.text();
    } catch (cause) {
      if (signal?.aborted) throw new PlainGraphError("aborted", { kind: "aborted", cause });
      if (timeout.aborted) throw new PlainGraphError(`no answer within ${this.timeoutMs} ms`, { kind: "timeout", transient: true });
      throw new PlainGraphError(`network error: ${/** @type {Error} */ (cause).message}`, { kind: "network", transient: true, cause });
    }
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PlainGraphError(`HTTP ${response.status}: not JSON (${text.slice(0, 80)})`, {
        kind: "http", status: response.status, transient: response.status >= 500 || response.status === 429,
      });
    }
    if (body?.error) throw graphError(body.error, response.status);
    if (!response.ok) throw new PlainGraphError(`HTTP ${response.status}`, { kind: "http", status: response.status, transient: response.status >= 500 });
    return body;
  }

  // ------------------------------------------------------------ lists

  /**
   * One page of a Page's conversations.
   * @param {string} pageId
   * @param {{ platform?: string, folder?: string, fields?: string, limit?: number, after?: string, signal?: AbortSignal }} [query]
   */
  listConversations(pageId, { platform, folder, fields, limit, after, signal } = {}) {
    return this.get(`${encodeURIComponent(pageId)}/conversations`, { platform, folder, fields, limit, after }, { signal });
  }

  /**
   * One page of a conversation's messages.
   * @param {string} conversationId
   * @param {{ fields?: string, limit?: number, after?: string, signal?: AbortSignal }} [query]
   */
  listMessages(conversationId, { fields = MESSAGE_FIELDS, limit, after, signal } = {}) {
    return this.get(`${encodeURIComponent(conversationId)}/messages`, { fields, limit, after }, { signal });
  }

  /**
   * Every conversation of a Page, following the cursors.
   * @param {string} pageId
   * @param {{ platform?: string, folder?: string, fields?: string, limit?: number, signal?: AbortSignal }} [query]
   */
  async *conversations(pageId, query = {}) {
    let after;
    do {
      const page = await this.listConversations(pageId, { ...query, after });
      yield* page.data;
      after = nextCursor(page);
    } while (after);
  }

  // ------------------------------------------------------------ the sync

  /**
   * Every conversation with its newest `messagesPerConversation` messages and
   * their details, one call per page of `pageSize` conversations.
   * @param {string} pageId
   * @param {{ platform?: string, folder?: string, messagesPerConversation?: number, pageSize?: number,
   *   updatedSince?: string | Date, signal?: AbortSignal,
   *   onProgress?: (p: { conversations: number, messages: number, requests: number }) => void }} [options]
   */
  async syncInbox(pageId, { platform, folder, messagesPerConversation = 20, pageSize = 100, updatedSince, signal, onProgress } = {}) {
    const wanted = messagesPerConversation;
    const since = updatedSince === undefined ? -Infinity : new Date(updatedSince).getTime();
    const fields = `${CONVERSATION_FIELDS},messages.limit(${wanted}){${MESSAGE_FIELDS}}`;
    const startRequests = this.requests;
    const conversations = [];
    let messages = 0;
    let limit = pageSize;
    let after;
    for (;;) {
      let page;
      try {
        page = await this.listConversations(pageId, { platform, folder, fields, limit, after, signal });
      } catch (err) {
        // The Graph struggles with heavy expansions: ask for fewer threads.
        if (err instanceof PlainGraphError && (err.asksForLess || err.kind === "timeout") && limit > 1) {
          limit = Math.ceil(limit / 2);
          continue;
        }
        throw err;
      }
      let older = false;
      for (const conversation of page.data) {
        if (graphMillis(conversation.updated_time) < since) {
          older = true;
          break;
        }
        conversation.messages = await this.threadMessages(conversation, wanted, signal);
        messages += conversation.messages.length;
        conversations.push(conversation);
      }
      onProgress?.({ conversations: conversations.length, messages, requests: this.requests - startRequests });
      after = nextCursor(page);
      if (older || !after) break;
    }
    return { conversations, requests: this.requests - startRequests, complete: true };
  }

  /** A conversation's nested messages, completed from its edge when the nested page was cut short. */
  async threadMessages(conversation, wanted, signal) {
    const nested = conversation.messages ?? { data: [] };
    const list = nested.data;
    let after = list.length < wanted ? nextCursor(nested) : undefined;
    while (after && list.length < wanted) {
      const page = await this.listMessages(conversation.id, { limit: wanted - list.length, after, signal });
      list.push(...page.data);
      after = nextCursor(page);
    }
    return list.slice(0, wanted);
  }
}

// ---------------------------------------------------------------- helpers

/** The `after` cursor of a page that has a next one. */
function nextCursor(page) {
  return page?.paging?.next ? page.paging.cursors?.after : undefined;
}

/** Graph times are ISO 8601 with `+0000` (no colon), or Unix seconds with date_format=U. */
function graphMillis(time) {
  if (typeof time === "number") return time * 1000;
  return Date.parse(String(time).replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
}

/** A PlainGraphError from the Graph's error object; the Graph's is_transient wins when present. */
function graphError(error, status) {
  const code = Number(error.code);
  const transient = typeof error.is_transient === "boolean" ? error.is_transient : THROTTLED.has(code) || TEMPORARY.has(code) || status >= 500;
  const message = String(error.message ?? `Graph error ${code}`).replace(/access_token=[^&\s]+/g, "access_token=…");
  return new PlainGraphError(message, {
    kind: "graph", status, code, subcode: error.error_subcode, fbtraceId: error.fbtrace_id, transient,
  });
}

/** Full jitter: up to 500 ms · 2^attempt, at most 30 s. */
function backoffMs(attempt) {
  return Math.random() * Math.min(30_000, 500 * 2 ** attempt);
}

/** @param {number} ms @param {AbortSignal | undefined} signal */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PlainGraphError("aborted", { kind: "aborted" }));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(new PlainGraphError("aborted", { kind: "aborted" }));
    }, { once: true });
  });
}
