// The options of startMock (server.mjs), in one table: the CLI's flags
// (cli.mjs), its --help and the README's list are read from it, and
// checkStartOptions() rejects an unknown name or a bad value before anything
// listens, so a typo (`latencyMS`) fails loudly instead of being ignored.
//
// Each option: `doc` (one line), `default` (as text, for docs), `check(value)`
// that throws a TypeError saying what is wrong (startMock and the CLI each
// say where it came from).

import { DEFAULT_THREAD_COUNTS, PLATFORMS } from "./data.mjs";
import { WEBHOOK_DEFAULTS, checkWebhookOptions } from "./webhooks.mjs";

const show = (value) => (typeof value === "string" ? JSON.stringify(value) : String(value));

function wholeNumber(name, value, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}, got ${show(value)}`);
  }
}

function nonNegative(name, value) {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number, got ${show(value)}`);
  }
}

/** Every option startMock takes. Frozen: read it to document or list them. */
export const START_OPTIONS = Object.freeze({
  port: {
    default: "0",
    doc: "TCP port on 127.0.0.1; 0 = any free port (read the one chosen from `port` or `url`)",
    check: (value) => wholeNumber("port", value, { max: 65535 }),
  },
  latencyMs: {
    default: "0",
    doc: "delay in milliseconds before every answer, CORS preflights included",
    check: (value) => nonNegative("latencyMs", value),
  },
  threads: {
    default: `{ messenger: ${DEFAULT_THREAD_COUNTS.messenger}, instagram: ${DEFAULT_THREAD_COUNTS.instagram} }`,
    doc: "inbox sizes per platform (the other folders have a few fixed threads); the first threads stay the same whatever the size",
    check: (value) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new TypeError(`threads is { messenger?, instagram? }, got ${show(value)}`);
      }
      for (const [platform, count] of Object.entries(value)) {
        if (!PLATFORMS.includes(platform)) throw new TypeError(`threads has no platform ${show(platform)}; it takes ${PLATFORMS.join(", ")}`);
        if (count !== undefined) wholeNumber(`threads.${platform}`, count);
      }
    },
  },
  messagesPerThread: {
    default: "1 to 45 by thread, edge cases pinned",
    doc: "give every thread exactly this many messages (benchmarks)",
    check: (value) => wholeNumber("messagesPerThread", value, { min: 1 }),
  },
  nestedMessagesCap: {
    default: "100",
    doc: "most messages a nested `messages.limit(n)` returns inside a conversation (lower it to make a client follow nested paging)",
    check: (value) => wholeNumber("nestedMessagesCap", value, { min: 1 }),
  },
  callsPerSecond: {
    default: "0 = off",
    doc: "the Conversations API budget per access token (the Graph's is 2): a token bucket refilled at this rate; a call over it gets HTTP 400 code 613 with usage headers at 100% and regain 0 minutes. Sends are not counted (the Send API has its own, far larger budget)",
    check: (value) => nonNegative("callsPerSecond", value),
  },
  webhooks: {
    default: `{ ${Object.entries(WEBHOOK_DEFAULTS).map(([k, v]) => `${k}: ${v}`).join(", ")} }`,
    doc: "how webhooks are delivered to the receivers subscribed with mock.webhooks.subscribe(): batchWindowMs (how long events queue before a POST goes), maxEntries (per POST), maxItemsPerEntry, timeoutMs (an answer later than this is a failure), retries, retryBaseMs and retryMaxMs (the backoff); whole numbers, each optional",
    check: (value) => checkWebhookOptions(value),
  },
  faults: {
    default: "[]",
    doc: "faults switched on at start, as by fault(spec) in this order (see the fault kinds)",
    check: (value) => {
      if (!Array.isArray(value)) throw new TypeError(`faults is an array of fault specs, got ${show(value)}`);
    },
  },
});

/** Throws a TypeError for an unknown option or a bad value; undefined means the default. */
export function checkStartOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`startMock: options is an object, got ${show(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    const option = Object.hasOwn(START_OPTIONS, name) ? START_OPTIONS[name] : undefined;
    if (!option) throw new TypeError(`startMock takes no option ${show(name)}; it takes ${Object.keys(START_OPTIONS).join(", ")}`);
    if (value === undefined) continue;
    try {
      option.check(value);
    } catch (err) {
      throw new TypeError(`startMock: ${err.message}`);
    }
  }
}
