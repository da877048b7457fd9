// Self-test of the mock's switchable faults (faults.mjs) and of the per-token
// call budget (pacing.mjs): each fault answers what it claims, for as many
// answers as it was asked to, and the budget refuses exactly what exceeds it.
//
//   node --test mock/test/faults.test.mjs

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { CallBudget } from "../pacing.mjs";
import { APP_SECRET, FAULT_KINDS, PAGE_ID, SECOND_TOKEN, TOKEN, startMockGraph, threads } from "../server.mjs";

let mock;
before(async () => { mock = await startMockGraph(); });
after(() => mock.close());
beforeEach(() => mock.reset());

async function graph(path, { token = TOKEN, method = "GET", body, headers = {}, base = mock.url } = {}) {
  const res = await fetch(base + path, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

const control = (path, body) => fetch(`${mock.url}${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) })
  .then(async (r) => ({ status: r.status, json: await r.json() }));
const usageOf = (res) => JSON.parse(res.headers.get("x-business-use-case-usage"))[PAGE_ID][0];
const m45 = threads("messenger")[3];
const conversationsPath = (query = "") => `/v21.0/${PAGE_ID}/conversations${query}`;

// ---------------------------------------------------------------- switching

describe("switching faults", () => {
  test("times: once, N times, always; then the real answer", async () => {
    mock.fault({ kind: "http-500" });
    assert.deepEqual([(await graph(`/${m45.id}`)).status, (await graph(`/${m45.id}`)).status], [500, 200]);
    mock.fault({ kind: "http-500", times: 2 });
    const three = [];
    for (let i = 0; i < 3; i++) three.push((await graph(`/${m45.id}`)).status);
    assert.deepEqual(three, [500, 500, 200]);
    mock.fault({ kind: "http-500", times: Infinity });
    for (let i = 0; i < 5; i++) assert.equal((await graph(`/${m45.id}`)).status, 500);
    mock.clearFaults();
    assert.equal((await graph(`/${m45.id}`)).status, 200);
  });

  test("match is a path substring; skip lets the first matching requests through", async () => {
    mock.fault({ kind: "code-2", times: Infinity, match: "/messages", skip: 2 });
    assert.equal((await graph(`/${m45.id}`)).status, 200, "does not match");
    assert.equal((await graph(`/${m45.id}/messages`)).status, 200, "skipped 1");
    assert.equal((await graph(`/${m45.id}/messages`)).status, 200, "skipped 2");
    assert.equal((await graph(`/${m45.id}/messages`)).status, 503);
    assert.equal((await graph(`/${m45.id}`)).status, 200);
    const [fault] = mock.faults;
    assert.deepEqual([fault.hits, fault.skipped, fault.remaining], [1, 2, Infinity]);
  });

  test("the first matching fault answers; reset() clears faults", async () => {
    mock.fault({ kind: "http-500", match: "/nothing-matches-this" });
    mock.fault({ kind: "code-1" });
    mock.fault({ kind: "code-2" });
    assert.equal((await graph(`/${m45.id}`)).json.error.code, 1);
    assert.equal((await graph(`/${m45.id}`)).json.error.code, 2);
    mock.reset();
    assert.equal(mock.faults.length, 0);
    assert.equal((await graph(`/${m45.id}`)).status, 200);
  });

  test("requests record status, Graph error code, fault kind and arrival time", async () => {
    mock.fault({ kind: "rate-limit-613", regainMinutes: 0 });
    mock.fault({ kind: "reset" });
    const t0 = Date.now();
    await graph(`/${m45.id}`);
    await assert.rejects(graph(`/${m45.id}`), TypeError);
    await graph(`/${m45.id}`);
    const [throttled, dropped, fine] = mock.requests;
    assert.deepEqual([throttled.status, throttled.code, throttled.fault], [400, 613, "rate-limit-613"]);
    assert.deepEqual([dropped.status, dropped.dropped, dropped.fault], [null, true, "reset"]);
    assert.deepEqual([fine.status, fine.code, fine.fault], [200, undefined, undefined]);
    assert.ok(throttled.at >= t0 - 1 && throttled.at <= dropped.at && dropped.at <= fine.at);
    assert.equal(mock.stats.faulted, 2);
  });

  test("over HTTP: POST /__mock/fault (times null = always), GET /__mock/faults, clear-faults, stats", async () => {
    const added = await control("/__mock/fault", { kind: "code-1", times: null, match: m45.id });
    assert.equal(added.status, 200);
    assert.deepEqual([added.json.kind, added.json.times], ["code-1", null]);
    for (let i = 0; i < 3; i++) assert.equal((await graph(`/${m45.id}`)).status, 500);
    const listed = await control("/__mock/faults");
    assert.deepEqual([listed.json.length, listed.json[0].hits, listed.json[0].remaining], [1, 3, null]);
    assert.equal((await control("/__mock/stats")).json.faulted, 3);
    assert.equal((await control("/__mock/clear-faults", {})).status, 200);
    assert.equal((await graph(`/${m45.id}`)).status, 200);
    const bad = await control("/__mock/fault", { kind: "meteor-strike" });
    assert.equal(bad.status, 400);
    assert.match(bad.json.mock_error, /unknown fault kind "meteor-strike"/);
  });

  test("bad specs are refused in process too", () => {
    assert.throws(() => mock.fault({ kind: "nope" }), /unknown fault kind/);
    assert.throws(() => mock.fault({ kind: "slow", ms: -1 }), /ms must be/);
    assert.throws(() => mock.fault({ kind: "code-1", times: 0 }), /at least 1/);
    assert.throws(() => mock.fault({ kind: "code-1", msg: "x" }), /takes no option msg/);
    assert.throws(() => mock.fault({ kind: "graph-error" }), /needs a numeric code/);
    assert.throws(() => mock.fault({ kind: "rate-limit-613", regainMinutes: 0.5 }), /whole minutes/);
    assert.equal(mock.faults.length, 0);
    assert.ok(Object.keys(FAULT_KINDS).length >= 13);
  });
});

// ---------------------------------------------------------------- each kind

describe("fault kinds", () => {
  test("http-500 and http: non-Graph answers without the Graph's headers", async () => {
    mock.fault({ kind: "http-500" });
    const res = await graph(`/${m45.id}`);
    assert.deepEqual([res.status, res.headers.get("content-type"), res.text], [500, "text/plain; charset=utf-8", "Internal Server Error"]);
    assert.equal(res.headers.get("x-app-usage"), null);
    mock.fault({ kind: "http", status: 429, body: "Too Many Requests" });
    const other = await graph(`/${m45.id}`);
    assert.deepEqual([other.status, other.text], [429, "Too Many Requests"]);
  });

  test("html-502: a proxy's HTML page of a few KB, title first", async () => {
    mock.fault({ kind: "html-502" });
    const res = await graph(`/${PAGE_ID}/conversations`);
    assert.equal(res.status, 502);
    assert.match(res.headers.get("content-type"), /^text\/html/);
    assert.ok(res.text.length > 4000 && res.text.length < 20000, `${res.text.length} bytes`);
    assert.ok(res.text.indexOf("<title>502 Bad Gateway</title>") < 200);
    assert.equal(res.headers.get("x-app-usage"), null);
  });

  test("truncated-json: the real answer cut in half, as a short body or a broken transfer", async () => {
    const full = await graph(conversationsPath("?limit=5"));
    mock.fault({ kind: "truncated-json" });
    const cut = await graph(conversationsPath("?limit=5"));
    assert.equal(cut.status, 200);
    assert.match(cut.headers.get("content-type"), /^application\/json/);
    assert.equal(cut.json, undefined, "not JSON");
    assert.ok(cut.text.length > 10 && full.text.startsWith(cut.text));
    assert.ok(Math.abs(cut.text.length - full.text.length / 2) <= 2);
    mock.fault({ kind: "truncated-json", mode: "transfer" });
    const res = await fetch(`${mock.url}${conversationsPath("?limit=5")}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    await assert.rejects(res.text(), TypeError, "the body never completes");
    assert.equal((await graph(conversationsPath("?limit=5"))).text, full.text, "once only");
  });

  test("reset drops the connection; slow answers the real answer ms later", async () => {
    mock.fault({ kind: "reset" });
    await assert.rejects(graph(`/${m45.id}`), TypeError);
    mock.fault({ kind: "slow", ms: 200 });
    const started = performance.now();
    const res = await graph(`/${m45.id}`);
    assert.ok(performance.now() - started >= 195);
    assert.equal(res.json.id, m45.id);
  });

  test("rate-limit-613 and 80006: usage headers at 100% with the regain time; Retry-After on request", async () => {
    mock.fault({ kind: "rate-limit-613" });
    const a = await graph(`/${m45.id}`);
    assert.deepEqual([a.status, a.json.error.code, a.json.error.type], [400, 613, "OAuthException"]);
    assert.equal(a.json.error.message, "(#613) Calls to this api have exceeded the rate limit.");
    assert.deepEqual([usageOf(a).call_count, usageOf(a).estimated_time_to_regain_access], [100, 3]);
    assert.equal(a.headers.get("retry-after"), null);
    mock.fault({ kind: "rate-limit-613", regainMinutes: 0, retryAfter: 1 });
    const b = await graph(`/${m45.id}`);
    assert.deepEqual([usageOf(b).estimated_time_to_regain_access, b.headers.get("retry-after")], [0, "1"]);
    mock.fault({ kind: "80006" });
    const c = await graph(`/${m45.id}`);
    assert.deepEqual([c.json.error.code, usageOf(c).estimated_time_to_regain_access, "error_subcode" in c.json.error], [80006, 1, false]);
    assert.match(c.json.error.message, /too many messenger api calls/);
  });

  test("code-1, code-2 and graph-error, with is_transient as asked", async () => {
    mock.fault({ kind: "code-1" });
    mock.fault({ kind: "code-1", isTransient: false });
    mock.fault({ kind: "code-1", isTransient: null });
    mock.fault({ kind: "code-2" });
    mock.fault({ kind: "graph-error", code: 190, subcode: 460, message: "Error validating access token" });
    mock.fault({ kind: "graph-error", code: 4, status: 400, regainMinutes: 0, isTransient: true });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await graph(`/${m45.id}`));
    const [one, oneNot, oneSilent, two, token, app] = answers;
    assert.deepEqual([one.status, one.json.error.code, one.json.error.is_transient], [500, 1, true]);
    assert.equal(oneNot.json.error.is_transient, false);
    assert.equal("is_transient" in oneSilent.json.error, false);
    assert.deepEqual([two.status, two.json.error.code, two.json.error.is_transient], [503, 2, true]);
    assert.deepEqual([token.status, token.json.error.code, token.json.error.error_subcode, token.json.error.message], [400, 190, 460, "Error validating access token"]);
    assert.equal("is_transient" in token.json.error, false);
    assert.deepEqual([app.json.error.code, app.json.error.is_transient, usageOf(app).call_count], [4, true, 100]);
    assert.ok(one.json.error.fbtrace_id);
  });

  test("repeat-cursor: the page after X says its after cursor is X, forever; the first page is untouched", async () => {
    mock.fault({ kind: "repeat-cursor", times: Infinity });
    const first = await graph(conversationsPath("?limit=5"));
    const a = first.json.paging.cursors.after;
    const seen = [];
    for (let i = 0; i < 3; i++) {
      const page = await graph(conversationsPath(`?limit=5&after=${encodeURIComponent(a)}`));
      assert.equal(page.json.paging.cursors.after, a);
      assert.equal(new URL(page.json.paging.next).searchParams.get("after"), a);
      seen.push(page.json.data.map((t) => t.id).join());
    }
    assert.equal(new Set(seen).size, 1, "the same page again and again");
    assert.equal(seen[0], threads("messenger").slice(5, 10).map((t) => t.id).join());
    assert.equal(mock.faults[0].hits, 3, "the first page did not use the fault");
    assert.equal((await graph(`/${m45.id}/messages?after=${encodeURIComponent(a)}`)).status, 400, "only /conversations by default (that cursor is not a messages cursor)");
  });

  test("huge-page: one valid last page of 200 conversations, about 20 MiB", async () => {
    mock.fault({ kind: "huge-page" });
    const res = await graph(conversationsPath());
    assert.equal(res.status, 200);
    const size = Buffer.byteLength(res.text);
    assert.ok(Math.abs(size - 20 * 1024 * 1024) < 0.02 * 20 * 1024 * 1024, `${size} bytes`);
    assert.equal(res.json.data.length, 200);
    assert.equal(new Set(res.json.data.map((t) => t.id)).size, 200);
    assert.equal(res.json.data[0].messages.data.length, 25);
    assert.equal(res.json.paging.next, undefined);
    assert.ok(res.headers.get("x-app-usage"), "a Graph answer, with the Graph's headers");
    mock.fault({ kind: "huge-page", bytes: 3_000_000 });
    const smaller = await graph(conversationsPath());
    assert.ok(Math.abs(Buffer.byteLength(smaller.text) - 3_000_000) < 60_000, `${smaller.text.length} bytes`);
  });

  test("too-much-data: code 1 \"reduce the amount of data\" to a conversations page over maxLimit, the real page at or under it", async () => {
    mock.fault({ kind: "too-much-data", maxLimit: 25, times: Infinity });
    const big = await graph(conversationsPath("?limit=26"));
    assert.equal(big.status, 500);
    assert.equal(big.json.error.code, 1);
    assert.equal(big.json.error.is_transient, false);
    assert.match(big.json.error.message, /^Please reduce the amount of data you're asking for/);
    const fits = await graph(conversationsPath("?limit=25"));
    assert.equal(fits.status, 200);
    assert.equal(fits.json.data.length, 25);
    assert.equal((await graph(conversationsPath())).status, 200, "no limit asks for 25");
    assert.equal((await graph(`/${m45.id}/messages?limit=100`)).status, 200, "only /conversations by default");
    assert.equal(mock.faults[0].hits, 1);
    mock.reset();
    mock.fault({ kind: "too-much-data", maxLimit: 10 });
    assert.deepEqual([(await graph(conversationsPath())).status, (await graph(conversationsPath())).status], [500, 200], "times 1 by default; no limit is over 10");
  });

  test("echoToken puts the token and the app secret in the body", async () => {
    mock.fault({ kind: "html-502", echoToken: true });
    mock.fault({ kind: "code-1", echoToken: true });
    mock.fault({ kind: "http-500", echoToken: true });
    const answers = [await graph(`/${m45.id}`), await graph(`/${m45.id}`), await graph(`/${m45.id}`, { token: SECOND_TOKEN })];
    for (const [res, token] of answers.map((res, i) => [res, i < 2 ? TOKEN : SECOND_TOKEN])) {
      assert.ok(res.text.includes(`access_token=${token}`), res.text.slice(0, 200));
      assert.ok(res.text.includes(APP_SECRET));
    }
  });
});

// ---------------------------------------------------------------- call budget

describe("call budget (callsPerSecond)", () => {
  test("token bucket: a burst of capacity, then one call per 1/rate, with slack", () => {
    let now = 0;
    const budget = new CallBudget(2, { now: () => now });
    assert.equal(budget.spend("a"), 0);
    assert.equal(budget.spend("a"), 0);
    assert.equal(budget.spend("a"), 500, "empty: a call in 500 ms");
    assert.equal(budget.spend("b"), 0, "another token has its own budget");
    now = 460;
    assert.equal(budget.spend("a"), 0, "460 ms later: within the 50 ms slack");
    now = 700;
    assert.ok(budget.spend("a") > 0, "700 ms: the next call is due at 960");
    now = 960;
    assert.equal(budget.spend("a"), 0);
    for (let i = 1; i <= 20; i++) {
      now += 500;
      assert.equal(budget.spend("a"), 0, "steady pacing at 2/s is never refused");
    }
  });

  test("a batch of k costs k calls: the budget goes into debt", () => {
    let now = 0;
    const budget = new CallBudget(2, { now: () => now });
    assert.equal(budget.spend("a", 5), 0, "a batch may start when one call is available");
    now = 1000;
    assert.ok(budget.spend("a") > 0, "2 of the 5 paid back after 1 s");
    now = 2000;
    assert.equal(budget.spend("a"), 0, "paid back after 2 s (5 calls at 2/s from a full bucket of 2)");
  });

  test("over budget: HTTP 400 with the Graph's 613 body and usage headers; counted; per token", async () => {
    const paced = await startMockGraph({ callsPerSecond: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await graph(`/${m45.id}`, { base: paced.url })).status);
      assert.deepEqual(statuses, [200, 200, 400, 400]);
      const refused = await graph(`/${m45.id}`, { base: paced.url });
      assert.deepEqual(refused.json.error.code, 613);
      assert.equal(refused.json.error.type, "OAuthException");
      assert.equal(refused.json.error.message, "(#613) Calls to this api have exceeded the rate limit.");
      assert.deepEqual([usageOf(refused).call_count, usageOf(refused).estimated_time_to_regain_access], [100, 0]);
      assert.equal(paced.stats.rateLimited, 3);
      assert.deepEqual(paced.requests.map((r) => r.rateLimited ?? false), [false, false, true, true, true]);
      assert.equal((await graph(`/${m45.id}`, { base: paced.url, token: SECOND_TOKEN })).status, 200, "its own budget");
      // A batch of 3 costs 3 calls.
      paced.reset();
      const batch = (n) => graph("/", {
        base: paced.url, method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ batch: JSON.stringify(Array.from({ length: n }, () => ({ method: "GET", relative_url: m45.id }))) }).toString(),
      });
      assert.equal((await batch(3)).status, 200);
      assert.equal((await graph(`/${m45.id}`, { base: paced.url })).status, 400, "the batch spent the budget");
    } finally {
      await paced.close();
    }
  });

  test("calls spaced 500 ms apart at 2/s are never refused; setCallsPerSecond(0) and the control endpoint switch it", async () => {
    const paced = await startMockGraph({ callsPerSecond: 2 });
    try {
      for (let i = 0; i < 4; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 500));
        assert.equal((await graph(`/${m45.id}`, { base: paced.url })).status, 200, `call ${i}`);
      }
      paced.setCallsPerSecond(0);
      for (let i = 0; i < 5; i++) assert.equal((await graph(`/${m45.id}`, { base: paced.url })).status, 200);
      const set = await fetch(`${paced.url}/__mock/calls-per-second`, { method: "POST", body: JSON.stringify({ callsPerSecond: 1 }) }).then((r) => r.json());
      assert.deepEqual(set, { callsPerSecond: 1 });
      assert.deepEqual([(await graph(`/${m45.id}`, { base: paced.url })).status, (await graph(`/${m45.id}`, { base: paced.url })).status], [200, 400]);
      assert.equal(paced.stats.rateLimited, 1);
    } finally {
      await paced.close();
    }
  });

  test("the CLI takes --calls-per-second", async () => {
    const child = spawn(process.execPath, [new URL("../server.mjs", import.meta.url).pathname, "--port", "0", "--calls-per-second", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await new Promise((resolve, reject) => {
        child.stdout.once("data", (d) => resolve(String(d)));
        child.once("error", reject);
      });
      const base = line.trim().split(" ").at(-1);
      assert.deepEqual([(await graph(`/${m45.id}`, { base })).status, (await graph(`/${m45.id}`, { base })).status], [200, 400]);
    } finally {
      await new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); });
    }
  });

  test("off by default", async () => {
    for (let i = 0; i < 10; i++) assert.equal((await graph(`/${m45.id}`)).status, 200);
    assert.equal(mock.stats.rateLimited, 0);
  });
});

test("stats.maxInFlight counts requests answered at once", async () => {
  mock.fault({ kind: "slow", ms: 150, times: 5 });
  await Promise.all(Array.from({ length: 5 }, () => graph(`/${m45.id}`)));
  assert.equal(mock.stats.maxInFlight, 5);
  assert.equal(mock.stats.inFlight, 0);
});
