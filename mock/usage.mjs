// Usage headers like the Graph's rate-limiting guide describes: whole
// percentages that rise with each call (capped at 100), and the estimated time
// to regain access in minutes. Each batch item counts as one call.

import { IG_ACCOUNT_ID, PAGE_ID } from "./data.mjs";

const percent = (n) => Math.min(100, Math.max(0, Math.floor(n)));

export class UsageMeter {
  constructor() {
    this.reset();
  }

  reset() {
    this.calls = 0;
    this.byPlatform = { messenger: 0, instagram: 0 };
  }

  count(platform = "messenger") {
    this.calls += 1;
    this.byPlatform[platform] = (this.byPlatform[platform] ?? 0) + 1;
  }

  // {call_count, total_cputime, total_time} for a number of calls.
  static shape(calls, callCount = calls) {
    return { call_count: percent(callCount), total_cputime: percent(calls / 3), total_time: percent(calls / 2) };
  }

  /**
   * Header values for an answer. `throttle` comes from a fault (faults.mjs):
   * `{ app?: 100, page?: 100, buc?: 100, regain?: minutes, type? }`.
   */
  headers(platform = "messenger", throttle = null, flavour = "facebook") {
    const t = throttle ?? {};
    const type = t.type ?? platform;
    const own = this.byPlatform[type] ?? 0;
    const entry = { type, ...UsageMeter.shape(own, t.buc ?? own), estimated_time_to_regain_access: t.regain ?? 0 };
    // Instagram reads are reported under the Page and the IG account; on
    // graph.instagram.com (no Page) under the IG account only.
    const buc = flavour === "instagram"
      ? { [IG_ACCOUNT_ID]: [entry] }
      : type === "instagram" ? { [PAGE_ID]: [entry], [IG_ACCOUNT_ID]: [{ ...entry }] } : { [PAGE_ID]: [entry] };
    return {
      "X-App-Usage": JSON.stringify(UsageMeter.shape(this.calls, t.app ?? this.calls)),
      "X-Page-Usage": JSON.stringify(UsageMeter.shape(this.calls, t.page ?? this.calls)),
      "X-Business-Use-Case-Usage": JSON.stringify(buc),
    };
  }
}
