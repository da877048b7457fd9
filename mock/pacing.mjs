// The Conversations API budget (2 calls per second per Page), enforced per
// access token when the mock is started with `callsPerSecond`.
//
// A token bucket per access token: capacity `callsPerSecond` calls (at least
// one), refilled at `callsPerSecond` per second, full at the start. A call is
// let through when a whole call is available, give or take `slackMs` of
// refill (timer jitter); a batch of k items then spends k calls, so the budget
// may go into debt and the next call waits until it is paid back. A call that
// is refused spends nothing.

const DEFAULT_SLACK_MS = 50;

export class CallBudget {
  constructor(callsPerSecond = 0, { slackMs = DEFAULT_SLACK_MS, now = () => performance.now() } = {}) {
    this.slackMs = slackMs;
    this.now = now;
    this.buckets = new Map();
    this.set(callsPerSecond);
  }

  /** Changes the rate (0 = no budget) and forgets what was spent. */
  set(callsPerSecond) {
    const rate = Number(callsPerSecond ?? 0);
    if (!Number.isFinite(rate) || rate < 0) throw new TypeError(`callsPerSecond must be a non-negative number, got ${callsPerSecond}`);
    this.callsPerSecond = rate;
    this.reset();
  }

  get enabled() {
    return this.callsPerSecond > 0;
  }

  reset() {
    this.buckets.clear();
  }

  /**
   * Spends `cost` calls of `token`'s budget now. Returns 0 when the call may
   * go, otherwise how many ms until one call is available again.
   */
  spend(token, cost = 1) {
    if (!this.enabled) return 0;
    const rate = this.callsPerSecond / 1000; // calls per ms
    const capacity = Math.max(1, this.callsPerSecond);
    const now = this.now();
    const key = token ?? "";
    const bucket = this.buckets.get(key) ?? { calls: capacity, at: now };
    bucket.calls = Math.min(capacity, bucket.calls + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.calls + this.slackMs * rate < 1) return Math.ceil((1 - bucket.calls) / rate);
    bucket.calls = Math.max(bucket.calls, 1) - Math.max(1, cost);
    return 0;
  }
}

/** How many calls an HTTP request costs: one per batch item, else one. */
export function callCost(call) {
  if (!call.batch) return 1;
  try {
    const items = JSON.parse(call.params.batch);
    return Array.isArray(items) && items.length > 0 ? items.length : 1;
  } catch {
    return 1;
  }
}
