#!/usr/bin/env node
// A local mock of Meta's Graph API (the Conversations API): for the
// graph-conversations tests, demo and benchmarks, and shipped in the npm
// package as `graph-conversations/mock` (with the `graph-conversations-mock`
// command). Node 20, no npm dependencies, listens on 127.0.0.1 only. This
// file is the entry point: it serves the Graph's rules (handler.mjs) on
// node:http (node-http.mjs) and re-exports what tests need; run as a script
// it is the CLI (cli.mjs). Its types: server.d.mts, beside it.
//
//   import { startMock, TOKEN, PAGE_ID } from "graph-conversations/mock"; // in the repo: "./mock/server.mjs"
//   const mock = await startMock({ latencyMs: 0, threads: { messenger: 200 } });
//   ... fetch(`${mock.url}/v21.0/${PAGE_ID}/conversations?access_token=${TOKEN}`) ...
//   await mock.close();
//
//   npx graph-conversations-mock --help      (in the repo: node mock/server.mjs --help)
//   npx graph-conversations-mock --webhook-url http://127.0.0.1:9000/webhook --verify-token T
//
// startMock(opts) options (options.mjs: START_OPTIONS, checked before anything
// listens: an unknown name or a bad value throws a TypeError): `port`,
// `latencyMs`, `threads`, `messagesPerThread`, `nestedMessagesCap`,
// `faults` (switched on at start), `webhooks` (delivery options:
// webhooks.mjs, WEBHOOK_DEFAULTS) and `callsPerSecond` (default 0 = off):
// enforce the Conversations API budget per access token — a token bucket of
// `callsPerSecond` calls refilled at `callsPerSecond`/s, 50 ms of slack for
// timer jitter, a batch costs one call per item (pacing.mjs). A call over
// budget gets HTTP 400 with the Graph's 613 body ("(#613) Calls to this api
// have exceeded the rate limit.", OAuthException) and usage headers at 100%
// (regain 0 minutes), and counts in stats.rateLimited.
//
// The object it resolves to:
//   url, port, close()
//   instagramUrl   `${url}/instagram`: graph.instagram.com, the Instagram API with
//                  Instagram Login (IG_USER_TOKEN, `me`, Instagram only); `url` is
//                  graph.facebook.com (TOKEN). graph.mjs: the two flavours.
//   sends          what the Send API (POST /{account-id}/messages: send.mjs) took, in
//                  order: { kind: "message" | "action", flavour, accountId, platform,
//                  recipientId, threadId, mid?, messagingType?, tag?, text?,
//                  attachment?, metadata?, replyTo?, action?, reaction?, at }. A
//                  message sent becomes its thread's newest and its echo webhook goes
//                  (live.mjs: businessReplies). Reply windows are measured on the
//                  mock's clock, which starts at INBOX_NOW (and again on reset).
//   requests       every Graph request seen, in order: { method, url, path, query,
//                  headers, body, at (epoch ms, fractional, on arrival), status
//                  (HTTP status answered; null if none: dropped or abandoned),
//                  code (Graph error code of an error answer), fault (its kind,
//                  when a fault answered), rateLimited (true when over budget),
//                  dropped (true when the connection was dropped) }
//   stats          { rateLimited, faulted, inFlight, maxInFlight }
//   fault(spec)    switches a fault on; returns it. spec = { kind, times = 1
//                  (Infinity = always), match = "" (substring of the path),
//                  skip = 0 (let that many matching requests through first),
//                  echoToken (put the token and APP_SECRET in the body), …options }.
//                  The kinds, their options and the magic ids that turn them
//                  on from a path are one table: FAULTS in faults.mjs
//                  (describeFaultKinds() gives it as plain data).
//   faults         the faults switched on (with hits and remaining)
//   clearFaults()
//   setCallsPerSecond(n)  changes the budget at run time (0 = off)
//   reset()        empties requests, sends, usage, id-fault counters, faults, budgets,
//                  stats; restarts the clock; restores the seeded inbox; empties the
//                  webhook queue, logs and faults (webhook subscriptions and options stay)
//
// Webhooks (webhooks.mjs, webhook-faults.mjs) and what happens between syncs
// (live.mjs). Each live action changes the inbox the Graph serves, then sends
// the webhook Meta would send to every subscriber:
//   webhooks       { subscribe({ url, appSecret?, verifyToken?, fields?, objects?,
//                  timeoutMs?, retries?, retryBaseMs?, retryMaxMs? }) (a promise; with
//                  verifyToken it does the hub.challenge handshake first and rejects
//                  when refused), unsubscribe(url?), subscriptions, deliveries (every
//                  POST attempt: { delivery, attempt, subscription, url, object,
//                  entries, items, sentAt, ms, status, outcome: "ok" | "http-error" |
//                  "timeout" | "network-error" | "cancelled", answer?, error?,
//                  faults?, heldMs?, redelivery?, headers, body }), events (every
//                  event told), fault(spec), faults, clearFaults(), configure(options),
//                  options, flush(), settled({ timeoutMs }?) }
//   customerWrites(threadOrCustomerId, { text?, attachments?, replyTo?, platform?,
//                  name?, username? }) -> mid   (a new customer id starts a thread)
//   businessReplies(threadOrCustomerId, { text?, attachments?, replyTo?, metadata?,
//                  mid?, appId? }) -> mid       (the echo; the Send API's hook)
//   customerEdits(mid, text), customerUnsends(mid, { webhook? }),
//   businessUnsends(mid, { webhook? }), customerReacts(mid, emoji | null),
//   businessReacts(mid, emoji | null), customerReads(thread, { watermark?, mid? }),
//   customerReceives(thread, { mids? }), businessReads(thread), readState(thread)
//
// Control endpoints for other processes: control.mjs (/__mock/…, including
// /__mock/webhooks/… and /__mock/live/<action>).
//
// The other files: call.mjs (request -> Graph call), graph.mjs (what the
// Graph answers a call), batch.mjs (batch requests), fields.mjs (field
// expansion), paging.mjs (cursors), data.mjs, data-2026.mjs and seed.mjs
// (the inbox), errors.mjs (error bodies), faults.mjs, fault-specs.mjs and
// fault-answers.mjs (faults), usage.mjs and pacing.mjs (usage headers, the
// call budget), send.mjs (the Send API, its rules and the mock's clock),
// respond.mjs and json.mjs (answers on the wire), live.mjs
// (what happens between syncs), webhooks.mjs and webhook-faults.mjs (webhook
// delivery and its faults), options.mjs (startMock's options), cli.mjs and
// bin.mjs (the command and its --help, made from the tables).

import { INSTAGRAM_LOGIN_PATH, LIVE_ACTIONS, createGraphHandler } from "./handler.mjs";
import { serveOnNodeHttp } from "./node-http.mjs";
import { checkStartOptions } from "./options.mjs";

export {
  TOKEN, SECOND_TOKEN, EXPIRED_TOKEN, APP_SECRET, PAGE_ID, PAGE_NAME, IG_ACCOUNT_ID, IG_USERNAME, IG_USER_TOKEN,
  DEFAULT_VERSION, PLATFORMS, FOLDERS, DEFAULT_THREAD_COUNTS, EXTRA_FOLDER_COUNTS, DETAIL_WINDOW,
  ODD_MESSAGE_ID, OLD_ODD_MESSAGE_ID, INBOX_NOW, threads, buildInbox, findThreadByUser, graphTime,
} from "./data.mjs";
export {
  REPLY_WINDOW_MS, HUMAN_AGENT_WINDOW_MS, RETIRED_TAGS, UNAVAILABLE_RECIPIENT, RESTRICTED_RECIPIENT,
  MESSENGER_TEXT_CHARS, INSTAGRAM_TEXT_BYTES, METADATA_CHARS, SEND_REFUSALS, replyWindows,
} from "./send.mjs";
export { VALID_TOKENS, appsecretProof } from "./graph.mjs";
export { MAX_BATCH } from "./batch.mjs";
export { encodeCursor } from "./paging.mjs";
export { COMMON_OPTIONS, FAULTS, FAULT_KINDS, TRIGGER_IDS, describeFaultKinds } from "./faults.mjs";
export { faultOfId, parseFault, parseWebhookFault } from "./fault-specs.mjs";
export { WEBHOOK_COMMON_OPTIONS, WEBHOOK_FAULTS, WEBHOOK_FAULT_KINDS } from "./webhook-faults.mjs";
export { WEBHOOK_DEFAULTS, WEBHOOK_FIELDS, signWebhook, webhookBody } from "./webhooks.mjs";
export { APP_ID, LIVE_ATTACHMENT_TYPES, MAX_EDITS, reactionName } from "./live.mjs";
export { hugePage } from "./fault-answers.mjs";
export { graphView } from "./fields.mjs";
export { INSTAGRAM_LOGIN_PATH, LIVE_ACTIONS, createGraphHandler } from "./handler.mjs";
export { START_OPTIONS } from "./options.mjs";

/**
 * Starts the mock on 127.0.0.1.
 * opts: `port` (0 = random), `latencyMs` (delay before each answer),
 * `threads: { messenger, instagram }` (inbox sizes; default 60 and 45),
 * `messagesPerThread` (every thread that long; default: 1 to 45, edge cases pinned),
 * `nestedMessagesCap` (most messages a nested `messages.limit(n)` returns; default 100),
 * `callsPerSecond` (per-token budget; default 0 = off), `faults` (fault specs
 * switched on at start, in order), `webhooks` (delivery options:
 * `batchWindowMs`, `maxEntries`, `maxItemsPerEntry`, `timeoutMs`, `retries`,
 * `retryBaseMs`, `retryMaxMs`; WEBHOOK_DEFAULTS). Rejects with a TypeError on
 * an unknown option, a bad value or a bad fault spec, before it listens.
 * Resolves to `{ url, instagramUrl, port, requests, sends, stats, faults, fault(), clearFaults(),
 * setCallsPerSecond(), reset(), close(), webhooks, customerWrites(), businessReplies(),
 * customerEdits(), customerUnsends(), businessUnsends(), customerReacts(), businessReacts(),
 * customerReads(), customerReceives(), businessReads(), readState() }` (see the header comment).
 */
export async function startMock(opts = {}) {
  checkStartOptions(opts);
  const graph = createGraphHandler(opts);
  try {
    for (const spec of opts.faults ?? []) graph.fault(spec);
  } catch (err) {
    graph.close();
    throw err;
  }
  const http = await serveOnNodeHttp(graph.handle, { port: opts.port ?? 0 });
  return {
    url: http.url,
    instagramUrl: `${http.url}${INSTAGRAM_LOGIN_PATH}`,
    port: http.port,
    requests: graph.requests,
    sends: graph.sends,
    stats: graph.stats,
    faults: graph.faults,
    fault: graph.fault,
    clearFaults: graph.clearFaults,
    setCallsPerSecond: graph.setCallsPerSecond,
    reset: graph.reset,
    webhooks: graph.webhooks,
    ...Object.fromEntries(LIVE_ACTIONS.map((name) => [name, graph[name]])),
    close: () => {
      graph.close();
      return http.close();
    },
  };
}

/** The in-repo name of startMock (the tests, the demo and the benchmarks use it). */
export const startMockGraph = startMock;

const isMain = process.argv[1] && decodeURIComponent(new URL(import.meta.url).pathname) === process.argv[1];
if (isMain) {
  import("./cli.mjs").then(({ runCli }) => runCli(process.argv.slice(2))).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
