// Turns what a test asks for into faults of the table in faults.mjs: a spec
// given to `mock.fault(spec)` (or POSTed to /__mock/fault), or a magic id in a
// path (`error-613`, `slow-2000-<id>`, `flaky-2-<id>`, `net-reset`,
// `batch-null`). Both go through the same option checks, so an id means
// exactly the fault its table entry says. FaultList keeps the faults switched
// on for one mock and picks the one that answers a request. Webhook faults
// (webhook-faults.mjs) are parsed here too, with the same option types.

import { COMMON_OPTIONS, FAULTS, FAULT_KINDS } from "./faults.mjs";
import { WEBHOOK_COMMON_OPTIONS, WEBHOOK_FAULTS, WEBHOOK_FAULT_KINDS } from "./webhook-faults.mjs";

// ---------------------------------------------------------------- option types

const nonNegative = (value) => typeof value === "number" && Number.isFinite(value) && value >= 0;

/**
 * The types an option of the table may have: each checks a value (throwing
 * a TypeError that says what is wrong) and returns what the fault keeps.
 */
const OPTION_TYPES = {
  string: (value) => String(value),
  boolean: (value) => Boolean(value),
  count: (value, name) => {
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`fault ${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    return value;
  },
  number: (value, name, kind) => {
    if (!nonNegative(value)) throw new TypeError(`fault ${kind}: ${name} must be a non-negative number`);
    return value;
  },
  seconds: (value, name, kind) => OPTION_TYPES.number(value, name, kind),
  minutes: (value, name, kind) => {
    OPTION_TYPES.number(value, name, kind);
    if (!Number.isInteger(value)) throw new TypeError(`${name} is whole minutes, as in the usage headers`);
    return value;
  },
  integer: (value, name, kind) => {
    if (!Number.isInteger(value)) throw new TypeError(`fault ${kind} needs a numeric ${name}`);
    return value;
  },
  percent: (value, name, kind) => {
    if (!Number.isInteger(value) || value < 0 || value > 100) throw new TypeError(`fault ${kind}: ${name} is a whole percentage, 0 to 100`);
    return value;
  },
  status: (value) => {
    if (!(Number.isInteger(value) && value >= 100 && value <= 599)) throw new TypeError("fault status must be an HTTP status");
    return value;
  },
  enum: (value, name, kind, option) => {
    if (!option.values.includes(value)) throw new TypeError(`fault ${kind}: ${name} is ${option.values.map((v) => JSON.stringify(v)).join(" or ")}`);
    return value;
  },
  transient: (value) => {
    if (value !== null && typeof value !== "boolean") throw new TypeError("isTransient is true, false, or null (no is_transient in the body)");
    return value;
  },
  // JSON has no Infinity: JSON.stringify turns it into null, so null means
  // always, as do "always" and "Infinity".
  times: (value) => {
    if (value === null || value === Infinity || value === "always" || value === "Infinity") return Infinity;
    const n = OPTION_TYPES.count(value, "times");
    if (n < 1) throw new TypeError("fault times must be at least 1 (or Infinity / null / \"always\")");
    return n;
  },
};

function readOption(spec, name, option, kind) {
  const value = spec[name];
  if (value === undefined) {
    if (option.required) throw new TypeError(`fault ${kind} needs a numeric ${name}`);
    return option.default;
  }
  return OPTION_TYPES[option.type](value, name, kind, option);
}

// ---------------------------------------------------------------- specs

/**
 * Checks a fault spec (a plain object, e.g. parsed from JSON) against the
 * table and returns the fault: `{ kind, times, remaining, match, skip,
 * skipped, hits, echoToken, …the kind's options (defaults filled in) }`.
 * Throws a TypeError naming what is wrong.
 */
export function parseFault(spec) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError("a fault is an object: { kind, times?, match?, … }");
  const kind = String(spec.kind);
  if (!Object.hasOwn(FAULT_KINDS, kind)) {
    throw new TypeError(`unknown fault kind ${JSON.stringify(spec.kind)}; known: ${Object.keys(FAULT_KINDS).join(", ")}`);
  }
  const entry = FAULTS[kind];
  const allowed = new Set(["kind", ...Object.keys(COMMON_OPTIONS), ...Object.keys(entry.options)]);
  for (const key of Object.keys(spec)) {
    if (!allowed.has(key)) throw new TypeError(`fault ${kind} takes no option ${key}; it takes ${[...allowed].join(", ")}`);
  }
  const times = readOption(spec, "times", COMMON_OPTIONS.times, kind);
  const fault = {
    kind,
    times,
    remaining: times,
    match: spec.match === undefined ? entry.matches?.path ?? "" : readOption(spec, "match", COMMON_OPTIONS.match, kind),
    skip: readOption(spec, "skip", COMMON_OPTIONS.skip, kind),
    skipped: 0,
    hits: 0,
    echoToken: readOption(spec, "echoToken", COMMON_OPTIONS.echoToken, kind),
  };
  return Object.assign(fault, kindOptions(spec, kind));
}

function kindOptions(spec, kind, table = FAULTS) {
  const out = {};
  for (const [name, option] of Object.entries(table[kind].options)) {
    const value = readOption(spec, name, option, kind);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * Checks a webhook fault spec against webhook-faults.mjs and returns the
 * fault: `{ kind, times, remaining, match, skip, skipped, hits, …the kind's
 * options }`. Throws a TypeError naming what is wrong.
 */
export function parseWebhookFault(spec) {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new TypeError("a webhook fault is an object: { kind, times?, match?, … }");
  const kind = String(spec.kind);
  if (!Object.hasOwn(WEBHOOK_FAULT_KINDS, kind)) {
    throw new TypeError(`unknown webhook fault kind ${JSON.stringify(spec.kind)}; known: ${Object.keys(WEBHOOK_FAULT_KINDS).join(", ")}`);
  }
  const allowed = new Set(["kind", ...Object.keys(WEBHOOK_COMMON_OPTIONS), ...Object.keys(WEBHOOK_FAULTS[kind].options)]);
  for (const key of Object.keys(spec)) {
    if (!allowed.has(key)) throw new TypeError(`webhook fault ${kind} takes no option ${key}; it takes ${[...allowed].join(", ")}`);
  }
  const times = readOption(spec, "times", WEBHOOK_COMMON_OPTIONS.times, kind);
  const fault = {
    kind,
    times,
    remaining: times,
    match: readOption(spec, "match", WEBHOOK_COMMON_OPTIONS.match, kind),
    skip: readOption(spec, "skip", WEBHOOK_COMMON_OPTIONS.skip, kind),
    skipped: 0,
    hits: 0,
  };
  return Object.assign(fault, kindOptions(spec, kind, WEBHOOK_FAULTS));
}

/** JSON-friendly view of a fault: `times`/`remaining` of an always-on fault are null. */
export function describeFault(fault) {
  const finite = (n) => (Number.isFinite(n) ? n : null);
  return { ...fault, times: finite(fault.times), remaining: finite(fault.remaining) };
}

// ---------------------------------------------------------------- ids

// An id answers its fault on every call unless its form says `times`; then
// the `inner` id is answered.
function idFault(kind, options, id) {
  const { times = Infinity, inner, ...rest } = options;
  for (const key of Object.keys(rest)) {
    if (!Object.hasOwn(FAULTS[kind].options, key)) throw new TypeError(`id ${id}: fault ${kind} takes no option ${key}`);
  }
  if (!(times === Infinity || (Number.isInteger(times) && times >= 0))) throw new TypeError(`id ${id}: times must be a count`);
  return Object.freeze({ kind, times, inner, echoToken: false, ...kindOptions(rest, kind) });
}

let fixedIds = null;

// Built on first use, so a wrong option in the table fails the first request loudly.
function fixedIdFaults() {
  if (!fixedIds) {
    fixedIds = new Map();
    for (const [kind, entry] of Object.entries(FAULTS)) {
      for (const form of entry.ids ?? []) if (form.id !== undefined) fixedIds.set(form.id, idFault(kind, form.options ?? {}, form.id));
    }
  }
  return fixedIds;
}

/**
 * The fault a magic id stands for, or null for an ordinary id:
 * `{ kind, times, inner?, …options }`, where `times` is how many calls of
 * this id (since reset) get the fault and `inner` the id answered after them
 * (or, for kinds that let the real answer through, the id it is about).
 */
export function faultOfId(id) {
  const fixed = fixedIdFaults().get(id);
  if (fixed) return fixed;
  for (const [kind, entry] of Object.entries(FAULTS)) {
    for (const form of entry.ids ?? []) {
      const match = form.pattern?.exec(id);
      if (match) return idFault(kind, form.parse(match), id);
    }
  }
  return null;
}

// ---------------------------------------------------------------- switched on

/** The faults switched on for one mock server, in the order they were added. */
export class FaultList {
  constructor() {
    this.list = [];
    this.nextId = 1;
  }

  /** Validates a fault spec and switches it on; returns the fault (with an `id` counted from 1). */
  add(spec) {
    const fault = { id: this.nextId, ...parseFault(spec) };
    this.nextId += 1;
    this.list.push(fault);
    return fault;
  }

  /** Switches every fault off. */
  clear() {
    this.list.length = 0;
  }

  /**
   * The fault that answers this request, or null; counts it as used.
   * `path` is the HTTP path; `call` the Graph call (the kind's `matches.when`
   * reads its method and params, and the fault's own options).
   */
  take(path, call) {
    for (const fault of this.list) {
      const when = FAULTS[fault.kind].matches?.when;
      if (fault.remaining <= 0 || !path.includes(fault.match) || (when && !when(call, fault))) continue;
      if (fault.skipped < fault.skip) {
        fault.skipped += 1;
        continue;
      }
      fault.remaining -= 1;
      fault.hits += 1;
      return fault;
    }
    return null;
  }

  /** JSON-friendly view (GET /__mock/faults). */
  toJSON() {
    return this.list.map(describeFault);
  }
}
