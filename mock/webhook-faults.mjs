// The ways the mock's webhook deliveries can go wrong, in one table with the
// same shape as the Graph's fault table (faults.mjs: FAULTS): what a webhook
// receiver meets because Meta delivers at least once, retries failures and,
// after a failure, delivers out of order (GRAPH-FACTS.md, "Webhooks").
//
// A kind is switched on with `mock.webhooks.fault({ kind, times, skip, match,
// …options })` or `POST /__mock/webhooks/fault`. It is consulted when a POST
// is put together (after batching), in the order the faults were added; each
// matching fault whose kind is not yet taken applies to that POST, so one POST
// can be both held back and redelivered. `times` and `skip` count POSTs.
//
// Retrying is not a fault: every POST whose answer is not 2xx within
// `timeoutMs`, or that fails to connect, is retried with backoff, up to
// `retries` times (webhooks.mjs: WEBHOOK_DEFAULTS). The kinds below only make
// the mock see a failure where the receiver answered well.
//
// Each kind: `family` ("webhook"), `summary`, `options` ({ name: { type,
// default?, doc } }, types as in fault-specs.mjs), `matches` ({ doc }).

/** Options every switched-on webhook fault takes, besides its kind's own. */
export const WEBHOOK_COMMON_OPTIONS = deepFreeze({
  times: { type: "times", default: 1, doc: "how many POSTs get the fault: 1 = once; Infinity, null or \"always\" = every one" },
  skip: { type: "count", default: 0, doc: "let that many matching POSTs through first" },
  match: { type: "string", default: "", doc: "a substring of the raw POST body the fault applies to (a mid, \"message_edit\", \"instagram\"); \"\" = every POST" },
});

const EVERY_POST = { doc: "every POST (its first attempt)" };

/** The webhook fault kinds, by name. Frozen: read it to document or list them. */
export const WEBHOOK_FAULTS = deepFreeze({
  "webhook-redeliver": {
    family: "webhook",
    summary: "the POST is sent again, the same bytes and signature, `delayMs` after it was answered 2xx: the receiver gets a duplicate (delivery is at least once)",
    options: { delayMs: { type: "number", default: 50, doc: "wait after the 2xx answer before the duplicate, in milliseconds" } },
    matches: { doc: "every POST; the duplicate goes only when the original was answered 2xx" },
  },
  "webhook-out-of-order": {
    family: "webhook",
    summary: "the POST is held back until `after` later POSTs to the same subscriber were answered (or `maxHoldMs` passed): later events arrive first",
    options: {
      after: { type: "count", default: 1, doc: "how many later POSTs to the same subscriber go first" },
      maxHoldMs: { type: "number", default: 2000, doc: "send it anyway after this long, in milliseconds" },
    },
    matches: EVERY_POST,
  },
  "webhook-timeout": {
    family: "webhook",
    summary: "the receiver gets the POST but its answer counts as too late (past `timeoutMs`): Meta retries, so the same bytes arrive twice",
    options: {},
    matches: EVERY_POST,
  },
  "webhook-lost": {
    family: "webhook",
    summary: "the first attempt never reaches the receiver (recorded as a network error) and is retried with backoff: the event arrives late",
    options: {},
    matches: EVERY_POST,
  },
  "webhook-bad-signature": {
    family: "webhook",
    summary: "the POST's signature headers are wrong, for testing refusals; a non-2xx answer is retried like any other, with the same headers",
    options: {
      mode: {
        type: "enum",
        values: ["wrong-secret", "missing", "malformed", "sha1-only"],
        default: "wrong-secret",
        doc: "\"wrong-secret\": both headers signed with another secret; \"missing\": no signature header; \"malformed\": X-Hub-Signature-256 without the sha256= prefix; \"sha1-only\": only the legacy X-Hub-Signature (correct)",
      },
    },
    matches: EVERY_POST,
  },
});

/** The webhook kinds a test can switch on, with the names of their own options. */
export const WEBHOOK_FAULT_KINDS = Object.freeze(Object.fromEntries(Object.entries(WEBHOOK_FAULTS)
  .map(([name, kind]) => [name, Object.freeze(Object.keys(kind.options))])));

function deepFreeze(value) {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
