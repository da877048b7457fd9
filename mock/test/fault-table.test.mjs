// The fault table (faults.mjs) is the one place fault kinds are defined: each
// kind documents itself, every magic id parses into an entry of it, and an id
// answers exactly what the same kind switched on with mock.fault() answers.
//
//   node --test mock/test/fault-table.test.mjs

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  COMMON_OPTIONS, FAULTS, FAULT_KINDS, TRIGGER_IDS, TOKEN, describeFaultKinds, faultOfId, parseFault, startMockGraph, threads,
} from "../server.mjs";

const FAMILIES = ["graph", "http", "transport", "paging"];
const TYPES = ["string", "boolean", "count", "number", "seconds", "minutes", "integer", "percent", "status", "enum", "transient", "times"];
const m45 = threads("messenger")[3];

let mock;
before(async () => { mock = await startMockGraph(); });
after(() => mock.close());
beforeEach(() => mock.reset());

async function get(path) {
  const res = await fetch(mock.url + path, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

// Trace ids differ on every answer; everything else must be the same.
const withoutTrace = (text) => text.replace(/"fbtrace_id":"[^"]*"/, '"fbtrace_id":"…"');

describe("the table", () => {
  test("every kind says what it is, what it takes and what it matches", () => {
    for (const [name, kind] of Object.entries(FAULTS)) {
      assert.ok(FAMILIES.includes(kind.family), `${name}: family`);
      assert.ok(kind.summary.length > 20, `${name}: summary`);
      assert.equal(typeof kind.answer, "function", `${name}: answer`);
      for (const [option, spec] of Object.entries({ ...kind.options, ...COMMON_OPTIONS })) {
        assert.ok(TYPES.includes(spec.type), `${name}.${option}: type ${spec.type}`);
        assert.ok(spec.doc, `${name}.${option}: doc`);
      }
      if (kind.switchable !== false) assert.ok(kind.matches.doc, `${name}: matches`);
      for (const form of kind.ids ?? []) assert.ok(form.doc && (form.id || (form.pattern && form.example)), `${name}: id form`);
    }
    assert.ok(Object.isFrozen(FAULTS) && Object.isFrozen(FAULTS["graph-error"].ids));
  });

  test("every id parses into its own kind of the table", () => {
    for (const [name, kind] of Object.entries(FAULTS)) {
      for (const form of kind.ids ?? []) {
        const id = form.id ?? form.example.replace("<ms>", "250").replace("<n>", "2").replace("<id>", m45.id);
        assert.equal(faultOfId(id)?.kind, name, id);
      }
    }
    assert.deepEqual(faultOfId(`slow-250-${m45.id}`), { kind: "slow", times: Infinity, inner: m45.id, echoToken: false, ms: 250 });
    assert.deepEqual(faultOfId(`flaky-2-slow-5-${m45.id}`), { kind: "code-1", times: 2, inner: `slow-5-${m45.id}`, echoToken: false, isTransient: true });
    assert.equal(faultOfId("error-613").regainMinutes, 3, "defaults of the kind are filled in");
    assert.equal(faultOfId(m45.id), null);
    assert.equal(faultOfId("error-12345"), null, "only the ids the table lists");
  });

  test("TRIGGER_IDS are the fixed ids of the graph and http families; FAULT_KINDS the switchable kinds", () => {
    const fixed = Object.values(FAULTS).filter((k) => ["graph", "http"].includes(k.family)).flatMap((k) => (k.ids ?? []).map((f) => f.id).filter(Boolean));
    assert.deepEqual([...TRIGGER_IDS].sort(), fixed.sort());
    assert.equal(TRIGGER_IDS.length, 22);
    assert.ok(!("null-item" in FAULT_KINDS), "batch-null is an id only");
    assert.throws(() => parseFault({ kind: "null-item" }), /unknown fault kind/);
    assert.deepEqual(FAULT_KINDS["graph-error"].slice(0, 3), ["code", "status", "subcode"]);
  });

  test("describeFaultKinds() is plain data for docs and --help, also at GET /__mock/fault-kinds", async () => {
    const described = describeFaultKinds();
    assert.deepEqual(described.kinds.map((k) => k.kind), Object.keys(FAULTS));
    assert.deepEqual(described.common.map((o) => o.name), ["times", "match", "skip", "echoToken"]);
    const slow = described.kinds.find((k) => k.kind === "slow");
    assert.deepEqual(slow.options, [{ name: "ms", type: "number", default: 10_000, doc: "delay in milliseconds" }]);
    assert.deepEqual(slow.ids, [{ example: "slow-<ms>-<id>", doc: "answers <id> after <ms> milliseconds" }]);
    const over = await fetch(`${mock.url}/__mock/fault-kinds`).then((r) => r.json());
    assert.deepEqual(over, JSON.parse(JSON.stringify(described)));
  });
});

describe("one kind, two switches", () => {
  test("an id answers what mock.fault() of the same kind answers", async () => {
    const pairs = [
      ["error-613", { kind: "rate-limit-613" }],
      ["error-80006", { kind: "80006" }],
      ["error-1", { kind: "code-1" }],
      ["error-2", { kind: "code-2" }],
      ["error-17", { kind: "graph-error", code: 17, message: "(#17) User request limit reached", subcode: 2446079, isTransient: true }],
      ["not-graph-shape", { kind: "http", status: 200, contentType: "application/json; charset=UTF-8", body: '{"data":5}' }],
    ];
    for (const [id, spec] of pairs) {
      const byId = await get(`/${id}`);
      mock.fault(spec);
      const switched = await get(`/${m45.id}`);
      assert.deepEqual([switched.status, withoutTrace(switched.text)], [byId.status, withoutTrace(byId.text)], id);
      assert.equal(switched.headers.get("www-authenticate"), byId.headers.get("www-authenticate"), id);
      assert.equal(switched.headers.get("content-type"), byId.headers.get("content-type"), id);
    }
  });

  test("ids work as page, conversation and message ids and inside batch items, after the token check", async () => {
    assert.equal((await get(`/v24.0/error-200/conversations`)).status, 403);
    const noToken = await fetch(`${mock.url}/error-200`).then((r) => r.json());
    assert.equal(noToken.error.code, 104, "the token is checked first");
    const batch = [{ method: "GET", relative_url: "error-613" }, { method: "GET", relative_url: "batch-null" }, { method: "GET", relative_url: "net-reset" }];
    const answer = await fetch(`${mock.url}/`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: TOKEN, batch: JSON.stringify(batch) }).toString(),
    }).then((r) => r.json());
    assert.equal(JSON.parse(answer[0].body).error.code, 613);
    assert.deepEqual(answer.slice(1), [null, null], "batch-null and net-reset items are null");
    const plain = await get("/batch-null");
    assert.equal(plain.status, 400, "outside a batch, batch-null is an unknown id");
  });

  test("flaky-<n>-<id> counts per id since reset", async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(`/flaky-1-${m45.id}`)).status);
    mock.reset();
    statuses.push((await get(`/flaky-1-${m45.id}`)).status);
    assert.deepEqual(statuses, [500, 200, 200, 500]);
  });
});
