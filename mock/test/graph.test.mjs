// Self-test of the mock Graph: it must behave like the documented Graph,
// or the client tests that run against it prove nothing.
//
//   node --test mock/test/              (every self-test)
//   node --test mock/test/graph.test.mjs

import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  DETAIL_WINDOW, EXPIRED_TOKEN, EXTRA_FOLDER_COUNTS, IG_ACCOUNT_ID, MAX_BATCH, ODD_MESSAGE_ID,
  OLD_ODD_MESSAGE_ID, PAGE_ID, SECOND_TOKEN, TOKEN, TRIGGER_IDS, appsecretProof, startMockGraph, threads,
} from "../server.mjs";

let mock;
before(async () => { mock = await startMockGraph(); });
after(() => mock.close());
beforeEach(() => mock.reset());

// ---------------------------------------------------------------- helpers

/** GET (or POST) against the mock; the token goes where `via` says. */
async function graph(path, { params = {}, token = TOKEN, via = "bearer", method = "GET", body, headers = {}, signal } = {}) {
  const url = new URL(mock.url + path);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  if (token && via === "query") url.searchParams.set("access_token", token);
  const h = { ...headers };
  if (token && via === "bearer") h.Authorization = `Bearer ${token}`;
  if (token && via === "oauth") h.Authorization = `OAuth ${token}`;
  const res = await fetch(url, { method, headers: h, body, signal });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

const conversations = (platform, params = {}, opts = {}) =>
  graph(`/v21.0/${PAGE_ID}/conversations`, { ...opts, params: { platform, ...params } });

function assertGraphError(res, status, code, extra = {}) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type"), /^application\/json/);
  assert.equal(res.json.error.code, code, res.text);
  for (const [k, v] of Object.entries(extra)) assert.deepEqual(res.json.error[k], v, `error.${k}`);
}

function postForm(path, fields, headers = {}) {
  return graph(path, { method: "POST", token: null, headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() });
}

const usageOf = (res, name) => JSON.parse(res.headers.get(name));
const m45 = () => threads("messenger")[3]; // the 45-message thread (holds ODD_MESSAGE_ID)

// Walks a list by `after` cursors until there is no `next`.
async function walk(platform, limit, opts = {}) {
  const pages = [];
  let after;
  for (;;) {
    const res = await conversations(platform, { limit, ...(after ? { after } : {}) }, opts);
    assert.equal(res.status, 200, res.text);
    pages.push(res.json);
    if (!res.json.paging?.next) return pages;
    after = res.json.paging.cursors.after;
  }
}

// ---------------------------------------------------------------- data

describe("data", () => {
  test("is deterministic and a bigger inbox keeps the same head", () => {
    assert.deepEqual(threads("messenger"), threads("messenger"));
    assert.deepEqual(threads("instagram", { count: 200 }).slice(0, 45), threads("instagram"));
  });

  test("sizes, counts and id shapes", () => {
    const m = threads("messenger");
    const ig = threads("instagram");
    assert.equal(m.length, 60);
    assert.equal(ig.length, 45);
    for (const list of [m, ig]) {
      const counts = list.map((t) => t.messages.length);
      assert.ok(Math.min(...counts) >= 1 && Math.max(...counts) <= 45);
      assert.equal(counts.filter((n) => n === 20).length, 1);
      assert.equal(counts.filter((n) => n === 21).length, 1);
      assert.ok(counts.filter((n) => n > 25).length >= 5);
    }
    for (const t of m) {
      assert.match(t.id, /^t_\d+$/);
      for (const msg of t.messages) assert.match(msg.id, /^m_[A-Za-z0-9_.:-]+$/);
    }
    for (const t of ig) {
      assert.match(t.id, /^aWdf[A-Za-z0-9_-]+$/);
      for (const msg of t.messages) assert.match(msg.id, /^aWdf[A-Za-z0-9_-]+$/);
    }
    assert.equal(m45().messages[2].id, ODD_MESSAGE_ID);
    assert.equal(m45().messages[30].id, OLD_ODD_MESSAGE_ID);
  });

  test("times are Graph-formatted and strictly decreasing", () => {
    for (const platform of ["messenger", "instagram"]) {
      const list = threads(platform);
      const times = list.map((t) => t.updated_time);
      for (const t of list) {
        assert.equal(t.messages[0].created_time, t.updated_time);
        const msgTimes = t.messages.map((x) => x.created_time);
        for (const x of msgTimes) assert.match(x, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
        for (let i = 1; i < msgTimes.length; i++) assert.ok(msgTimes[i] < msgTimes[i - 1]);
      }
      for (let i = 1; i < times.length; i++) assert.ok(times[i] < times[i - 1]);
    }
  });

  test("participants: Messenger {name,email,id}, Instagram {username,id}, page included", () => {
    const [m] = threads("messenger");
    assert.deepEqual(Object.keys(m.participants.data[0]), ["name", "email", "id"]);
    assert.equal(m.participants.data[0].email, `${m.participants.data[0].id}@facebook.com`);
    assert.equal(m.participants.data[1].id, PAGE_ID);
    const [ig] = threads("instagram");
    assert.deepEqual(Object.keys(ig.participants.data[0]), ["username", "id"]);
    assert.equal(ig.participants.data[1].id, IG_ACCOUNT_ID);
  });

  test("the odd cases real inboxes contain are all present", () => {
    const all = [...threads("messenger"), ...threads("instagram")].flatMap((t) => t.messages);
    const some = (f) => assert.ok(all.some(f), f.toString());
    some((x) => x.message === "" && x.attachments);
    some((x) => x.attachments?.data.some((a) => Object.keys(a).join() === "id,name"));
    some((x) => typeof x.sticker === "string");
    some((x) => x.message.length > 1000);
    some((x) => /[\u0400-\u04ff\u3040-\u30ff\u0600-\u06ff]/.test(x.message));
    some((x) => /\p{Extended_Pictographic}/u.test(x.message));
    some((x) => x.is_unsupported === true);
    some((x) => x.shares?.data.some((s) => s.link === null && s.name === null));
    some((x) => x.story?.reply_to);
    some((x) => x.story?.mention);
    some((x) => x.attachments?.paging);
    some((x) => x.attachments?.data.some((a) => a.video_data));
    some((x) => x.attachments?.data.some((a) => a.generic_template?.cta));
    some((x) => x.attachments?.data.some((a) => a.image_data?.animated_gif_url));
    some((x) => x.reactions?.data[0].users.length);
  });
});

// ---------------------------------------------------------------- paging

describe("conversation paging", () => {
  test("following after cursors returns every Messenger thread once, in order", async () => {
    const pages = await walk("messenger", 7);
    const ids = pages.flatMap((p) => p.data.map((t) => t.id));
    assert.deepEqual(ids, threads("messenger").map((t) => t.id));
    assert.equal(pages.length, 9);
    assert.deepEqual(Object.keys(pages[0].data[0]), ["id", "updated_time"]);
    const last = pages.at(-1);
    assert.ok(last.paging.cursors && !last.paging.next && last.paging.previous);
  });

  test("next carries access_token (sent by header) and the cursors; they are URL-safe", async () => {
    const res = await conversations("messenger", { limit: 5, fields: "id,messages.limit(2){id}" });
    const next = new URL(res.json.paging.next);
    assert.equal(next.searchParams.get("access_token"), TOKEN);
    assert.equal(next.searchParams.get("after"), res.json.paging.cursors.after);
    assert.equal(next.searchParams.get("limit"), "5");
    assert.equal(next.searchParams.get("fields"), "id,messages.limit(2){id}");
    assert.equal(next.pathname, `/v21.0/${PAGE_ID}/conversations`);
    assert.match(res.json.paging.cursors.after, /^QQ\+\/.*==$/);
    const nested = new URL(res.json.data[0].messages.paging.next);
    assert.equal(nested.searchParams.get("access_token"), TOKEN);
    // The next link itself answers the following page.
    const followed = await fetch(res.json.paging.next).then((r) => r.json());
    assert.deepEqual(followed.data.map((t) => t.id), threads("messenger").slice(5, 10).map((t) => t.id));
  });

  test("a cursor whose + was not URL-encoded is rejected", async () => {
    const res = await conversations("messenger", { limit: 5 });
    const broken = await graph(`/${PAGE_ID}/conversations?limit=5&after=${res.json.paging.cursors.after}`);
    assertGraphError(broken, 400, 100, { message: "Invalid cursor" });
  });

  test("Instagram: the last page comes without any paging key", async () => {
    const pages = await walk("instagram", 20);
    assert.deepEqual(pages.map((p) => p.data.length), [20, 20, 5]);
    assert.ok(pages[0].paging.next);
    assert.equal("paging" in pages.at(-1), false);
    assert.deepEqual(pages.flatMap((p) => p.data.map((t) => t.id)), threads("instagram").map((t) => t.id));
  });

  test("before pages backwards", async () => {
    const first = await conversations("messenger", { limit: 4 });
    const second = await conversations("messenger", { limit: 4, after: first.json.paging.cursors.after });
    assert.ok(second.json.paging.previous);
    const back = await conversations("messenger", { limit: 4, before: second.json.paging.cursors.before });
    assert.deepEqual(back.json.data, first.json.data);
  });

  test("limit: default 25, capped silently at 200 with links that keep the cap", async () => {
    assert.equal((await conversations("messenger")).json.data.length, 25);
    const big = await startMockGraph({ threads: { messenger: 250 } });
    try {
      const res = await fetch(`${big.url}/${PAGE_ID}/conversations?limit=1000&access_token=${TOKEN}`).then((r) => r.json());
      assert.equal(res.data.length, 200);
      assert.equal(new URL(res.paging.next).searchParams.get("limit"), "200");
    } finally {
      await big.close();
    }
  });

  test("the benchmark query is roughly a megabyte", async () => {
    const fields = "id,updated_time,participants,snippet,messages.limit(20){id,created_time,from,to,message,attachments,reactions,shares,story,tags,is_unsupported}";
    const res = await conversations("messenger", { limit: 100, fields });
    assert.equal(res.json.data.length, 60);
    assert.ok(res.text.length > 700_000 && res.text.length < 2_000_000, `${res.text.length} bytes`);
  });

  test("folders", async () => {
    for (const [folder, count] of Object.entries(EXTRA_FOLDER_COUNTS.messenger)) {
      const res = await conversations("messenger", { folder });
      assert.equal(res.json.data.length, count);
      assert.deepEqual(res.json.data.map((t) => t.id), threads("messenger", { folder }).map((t) => t.id));
    }
    assertGraphError(await conversations("messenger", { folder: "archive" }), 400, 100);
  });

  test("parameter errors", async () => {
    const platform = await conversations("whatsapp");
    assertGraphError(platform, 400, 100, { message: '(#100) param platform must be one of {MESSENGER, INSTAGRAM} - got "whatsapp"' });
    assert.equal((await conversations("INSTAGRAM")).json.data[0].id, threads("instagram")[0].id);
    for (const limit of ["0", "-3", "abc", "2.5"]) assertGraphError(await conversations("messenger", { limit }), 400, 100);
    assertGraphError(await conversations("messenger", { after: "not a cursor" }), 400, 100, { message: "Invalid cursor" });
    // A cursor from another list is not a cursor for this one.
    const ig = await conversations("instagram", { limit: 2 });
    assertGraphError(await conversations("messenger", { after: ig.json.paging.cursors.after }), 400, 100);
  });

  test("user_id finds the thread or answers an empty list", async () => {
    const [, second] = threads("messenger");
    const hit = await conversations("messenger", { user_id: second.participants.data[0].id, fields: "id,participants" });
    assert.deepEqual(hit.json, { data: [{ id: second.id, participants: second.participants }] });
    const miss = await conversations("messenger", { user_id: "123" });
    assert.deepEqual(miss.json, { data: [] });
    const ig = threads("instagram")[7];
    const igHit = await conversations("instagram", { user_id: ig.participants.data[0].id });
    assert.deepEqual(igHit.json.data.map((t) => t.id), [ig.id]);
  });
});

// ---------------------------------------------------------------- messages

describe("messages and the 20-newest rule", () => {
  test("the messages edge pages through every message, newest first", async () => {
    const thread = m45();
    const ids = [];
    let after;
    do {
      const res = await graph(`/${thread.id}/messages`, { params: { limit: 10, ...(after ? { after } : {}) } });
      ids.push(...res.json.data.map((m) => m.id));
      assert.deepEqual(Object.keys(res.json.data[0]), ["id", "created_time"]);
      after = res.json.paging.next ? res.json.paging.cursors.after : null;
    } while (after);
    assert.deepEqual(ids, thread.messages.map((m) => m.id));
  });

  test("in lists, messages beyond the 20 newest carry only id and created_time", async () => {
    const thread = m45();
    const res = await graph(`/${thread.id}/messages`, { params: { limit: 100, fields: "id,message,from" } });
    assert.equal(res.json.data.length, 45);
    res.json.data.forEach((m, i) => {
      assert.deepEqual(Object.keys(m), i < DETAIL_WINDOW ? ["id", "message", "from"] : ["id", "created_time"]);
    });
    const nested = await graph(`/${thread.id}`, { params: { fields: "messages.limit(30){message}" } });
    assert.equal(nested.json.messages.data.length, 30);
    assert.deepEqual(Object.keys(nested.json.messages.data[19]), ["message", "id"]);
    assert.deepEqual(Object.keys(nested.json.messages.data[20]), ["id", "created_time"]);
    assert.equal(nested.json.id, thread.id);
  });

  test("message node: details for the 20 newest, 'deleted' error for older ones", async () => {
    const thread = m45();
    const ok = await graph(`/${thread.messages[19].id}`, { params: { fields: "id,from,to,message" } });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.from.id, thread.messages[19].from.id);
    const old = await graph(`/${thread.messages[20].id}`, { params: { fields: "id" } });
    assertGraphError(old, 400, 9000001, { type: "OAuthException", message: "This Message has been deleted by the user or the business." });
    assert.equal("error_subcode" in old.json.error, false);
    assert.ok(old.json.error.fbtrace_id);
  });

  test("ids with dots and colons work raw and percent-encoded", async () => {
    for (const path of [`/${ODD_MESSAGE_ID}`, `/${encodeURIComponent(ODD_MESSAGE_ID)}`]) {
      const res = await graph(path);
      assert.deepEqual(res.json, { id: ODD_MESSAGE_ID, created_time: m45().messages[2].created_time });
    }
    assertGraphError(await graph(`/${OLD_ODD_MESSAGE_ID}`), 400, 9000001);
  });

  test("message limit is capped at 100", async () => {
    const big = await startMockGraph({ threads: { messenger: 60 } });
    try {
      const thread = m45();
      const res = await fetch(`${big.url}/${thread.id}/messages?limit=500&access_token=${TOKEN}`).then((r) => r.json());
      assert.equal(res.data.length, 45);
      assert.equal("next" in res.paging, false);
    } finally {
      await big.close();
    }
  });
});

// ---------------------------------------------------------------- fields

describe("field expansion", () => {
  test("nesting and projection", async () => {
    const thread = threads("instagram")[0];
    const fields = "id,participants{username},messages.limit(3){id,from{username},attachments{image_data{url}},story}";
    const res = await graph(`/${thread.id}`, { params: { fields } });
    assert.deepEqual(Object.keys(res.json), ["id", "participants", "messages"]);
    // Nodes (participants too) keep their id even when it was not asked for.
    assert.deepEqual(res.json.participants.data, thread.participants.data.map((p) => ({ username: p.username, id: p.id })));
    const msgs = res.json.messages.data;
    assert.equal(msgs.length, 3);
    const { from } = thread.messages[0];
    assert.deepEqual(msgs[0], { id: thread.messages[0].id, from: { username: from.username, id: from.id }, story: thread.messages[0].story });
    assert.deepEqual(msgs[2].attachments.data, [{ image_data: { url: thread.messages[2].attachments.data[0].image_data.url } }]);
    const next = new URL(res.json.messages.paging.next);
    assert.equal(next.pathname, `/v21.0/${thread.id}/messages`);
    assert.equal(next.searchParams.get("fields"), "id,from{username},attachments{image_data{url}},story");
  });

  test("modifiers after the braces, and nested after cursors", async () => {
    const thread = m45();
    const first = await graph(`/${thread.id}`, { params: { fields: "messages{id}.limit(2)" } });
    assert.equal(first.json.messages.data.length, 2);
    const cursor = first.json.messages.paging.cursors.after;
    const second = await graph(`/${thread.id}`, { params: { fields: `messages.limit(2).after(${cursor}){id}` } });
    assert.deepEqual(second.json.messages.data.map((m) => m.id), thread.messages.slice(2, 4).map((m) => m.id));
  });

  test("defaults: id,updated_time for conversations, id,created_time for messages", async () => {
    const thread = m45();
    assert.deepEqual(Object.keys((await graph(`/${thread.id}`)).json), ["id", "updated_time"]);
    assert.deepEqual(Object.keys((await graph(`/${thread.messages[0].id}`)).json), ["id", "created_time"]);
    const nested = await graph(`/${thread.id}`, { params: { fields: "messages" } });
    assert.deepEqual(Object.keys(nested.json.messages.data[0]), ["id", "created_time"]);
  });

  test("unknown fields name the node type", async () => {
    const thread = m45();
    assertGraphError(await graph(`/${thread.id}`, { params: { fields: "id,xyz" } }), 400, 100,
      { message: "(#100) Tried accessing nonexisting field (xyz) on node type (Conversation)" });
    assertGraphError(await graph(`/${thread.id}`, { params: { fields: "messages{id,bogus}" } }), 400, 100,
      { message: "(#100) Tried accessing nonexisting field (bogus) on node type (Message)" });
    assertGraphError(await graph(`/${thread.messages[0].id}`, { params: { fields: "snippet" } }), 400, 100);
  });

  test("syntax errors are code 2500 with the character position", async () => {
    const cases = {
      "id,messages{id}}": 'Syntax error "Expected end of string instead of "}"." at character 15: id,messages{id}}',
      "id,messages{id": 'Syntax error "Expected "}" instead of end of string." at character 14: id,messages{id',
      "id,": 'Syntax error "Expected name instead of end of string." at character 3: id,',
      "messages.limit(5{id}": 'Syntax error "Expected ")" instead of "{"." at character 16: messages.limit(5{id}',
      "id,,updated_time": 'Syntax error "Expected name instead of ","." at character 3: id,,updated_time',
    };
    for (const [fields, message] of Object.entries(cases)) {
      assertGraphError(await conversations("messenger", { fields }), 400, 2500, { message, type: "OAuthException" });
    }
    assertGraphError(await conversations("messenger", { fields: "id,id" }), 400, 2500);
  });

  test("date_format=U gives Unix seconds", async () => {
    const thread = m45();
    const res = await graph(`/${thread.id}`, { params: { date_format: "U", fields: "updated_time,messages.limit(1){created_time}" } });
    assert.equal(res.json.updated_time, Date.parse(thread.updated_time.replace("+0000", "Z")) / 1000);
    assert.equal(typeof res.json.messages.data[0].created_time, "number");
  });
});

// ---------------------------------------------------------------- errors

describe("errors", () => {
  // [id, status, code, extra fields of error]
  const GRAPH_TRIGGERS = [
    ["error-1", 500, 1, { is_transient: true }],
    ["error-1-big", 500, 1, { is_transient: false, message: "Please reduce the amount of data you're asking for, then retry your request" }],
    ["error-1-big-user-msg", 500, 1, { error_user_title: "Please reduce the amount of data" }],
    ["error-2", 503, 2, { is_transient: true, message: "An unexpected error has occurred. Please retry your request later." }],
    ["error-4", 400, 4, {}],
    ["error-17", 400, 17, {}],
    ["error-32", 400, 32, {}],
    ["error-100", 400, 100, { error_subcode: 33 }],
    ["error-190", 400, 190, { error_subcode: 460 }],
    ["error-200", 403, 200, { message: "(#200) Requires pages_messaging permission to manage the object" }],
    ["error-230", 403, 230, {}],
    ["error-368", 400, 368, { message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed" }],
    ["error-613", 400, 613, { message: "(#613) Calls to this api have exceeded the rate limit." }],
    ["error-2500", 400, 2500, {}],
    ["error-80001", 400, 80001, {}],
    ["error-80002", 400, 80002, {}],
    ["error-80006", 400, 80006, { type: "OAuthException" }],
    ["error-9000001", 400, 9000001, {}],
  ];

  test("every Graph error trigger, as page, conversation and message id", async () => {
    for (const [id, status, code, extra] of GRAPH_TRIGGERS) {
      for (const path of [`/${id}/conversations`, `/v21.0/${id}`, `/${id}/messages`]) {
        const res = await graph(path);
        assertGraphError(res, status, code, extra);
        assert.ok(res.json.error.fbtrace_id, `${id} fbtrace_id`);
        assert.ok(res.headers.get("x-app-usage"));
      }
    }
    const all = GRAPH_TRIGGERS.map(([id]) => id).concat(["http-502", "http-404-text", "bad-json", "not-graph-shape"]);
    assert.deepEqual([...all].sort(), [...TRIGGER_IDS].sort());
    assert.equal("error_subcode" in (await graph("/error-80006")).json.error, false);
  });

  test("throttling triggers set the usage headers", async () => {
    const buc613 = usageOf(await graph("/error-613"), "x-business-use-case-usage")[PAGE_ID][0];
    assert.deepEqual([buc613.call_count, buc613.estimated_time_to_regain_access], [100, 3]);
    const buc80006 = usageOf(await graph("/error-80006"), "x-business-use-case-usage")[PAGE_ID][0];
    assert.deepEqual([buc80006.type, buc80006.estimated_time_to_regain_access], ["messenger", 1]);
    assert.equal(usageOf(await graph("/error-4"), "x-app-usage").call_count, 100);
    assert.equal(usageOf(await graph("/error-32"), "x-page-usage").call_count, 100);
  });

  test("non-Graph answers", async () => {
    const proxy = await graph("/http-502");
    assert.equal(proxy.status, 502);
    assert.match(proxy.headers.get("content-type"), /^text\/html/);
    assert.match(proxy.text, /502 Bad Gateway/);
    const notFound = await graph("/http-404-text");
    assert.deepEqual([notFound.status, notFound.headers.get("content-type").split(";")[0], notFound.text], [404, "text/plain", "Not Found"]);
    const bad = await graph("/bad-json");
    assert.deepEqual([bad.status, bad.text, bad.json], [200, '{"data":[{"id":"1"', undefined]);
    assert.deepEqual((await graph("/not-graph-shape")).json, { data: 5 });
  });

  test("unknown ids and paths", async () => {
    const unknown = await graph("/t_999");
    assertGraphError(unknown, 400, 100, { type: "GraphMethodException", error_subcode: 33 });
    assert.match(unknown.json.error.message, /^Unsupported get request\. Object with ID 't_999' does not exist/);
    assertGraphError(await graph(`/${PAGE_ID}/feed`), 400, 2500, { message: "Unknown path components: /feed" });
    assertGraphError(await graph(`/${PAGE_ID}/conversations/x/y`), 400, 2500, { message: "Unknown path components: /x/y" });
    // Any vNN.N prefix is accepted, and no prefix at all.
    for (const prefix of ["/v19.0", "/v25.0", ""]) assert.equal((await graph(`${prefix}/${m45().id}/messages`)).status, 200);
  });

  test("transport wrappers: flaky, slow, net-reset", async () => {
    const id = m45().id;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph(`/flaky-2-${id}`)).status);
    assert.deepEqual(statuses, [500, 500, 200]);
    await assert.rejects(graph(`/slow-2000-${id}`, { signal: AbortSignal.timeout(100) }), { name: "TimeoutError" });
    const slow = await graph(`/slow-50-${id}`);
    assert.equal(slow.json.id, id);
    await assert.rejects(graph("/net-reset"), TypeError);
  });
});

// ---------------------------------------------------------------- auth

describe("tokens and appsecret_proof", () => {
  test("missing, unknown and expired tokens", async () => {
    const missing = await graph(`/${PAGE_ID}/conversations`, { token: null });
    assertGraphError(missing, 400, 104, { type: "OAuthException", message: "An access token is required to request this resource." });
    assert.ok(missing.json.error.fbtrace_id);
    const unknown = await graph(`/${PAGE_ID}/conversations`, { token: "EAAG-nope" });
    assert.deepEqual(unknown.json, { error: { message: "Invalid OAuth access token - Cannot parse access token", type: "OAuthException", code: 190 } });
    assertGraphError(await graph(`/${PAGE_ID}/conversations`, { token: EXPIRED_TOKEN }), 400, 190, { error_subcode: 463 });
  });

  test("the token may come by Bearer, OAuth, query or form body", async () => {
    for (const via of ["bearer", "oauth", "query"]) {
      assert.equal((await graph(`/${PAGE_ID}/conversations`, { via })).status, 200, via);
    }
    assert.equal((await graph(`/${PAGE_ID}`, { token: SECOND_TOKEN })).json.id, PAGE_ID);
    const viaPost = await postForm(`/v21.0/${PAGE_ID}/conversations`, { method: "GET", access_token: TOKEN, limit: "2", platform: "instagram" });
    assert.equal(viaPost.json.data.length, 2);
    assert.equal(viaPost.json.data[0].id, threads("instagram")[0].id);
    const write = await postForm(`/${PAGE_ID}/conversations`, { access_token: TOKEN });
    assertGraphError(write, 400, 100, { error_subcode: 33 });
  });

  test("appsecret_proof must match the token", async () => {
    const good = await graph(`/${PAGE_ID}/conversations`, { params: { appsecret_proof: appsecretProof(TOKEN), limit: 2 } });
    assert.equal(good.status, 200);
    assert.equal(new URL(good.json.paging.next).searchParams.get("appsecret_proof"), appsecretProof(TOKEN));
    const bad = await graph(`/${PAGE_ID}/conversations`, { params: { appsecret_proof: "00ff" } });
    assertGraphError(bad, 400, 100, { type: "GraphMethodException", message: "Invalid appsecret_proof provided in the API argument" });
  });
});

// ---------------------------------------------------------------- batch

describe("batch", () => {
  test("answers in order, body as a string, null for unprocessed items", async () => {
    const thread = m45();
    const batch = [
      { method: "GET", relative_url: `v21.0/${thread.messages[0].id}?fields=id,message` },
      { method: "GET", relative_url: "batch-null" },
      { method: "GET", relative_url: `/${thread.messages[25].id}` },
      { method: "GET", relative_url: `${thread.messages[1].id}` },
    ];
    const res = await postForm("/v21.0/", { access_token: TOKEN, batch: JSON.stringify(batch) });
    assert.equal(res.status, 200);
    const [first, nothing, old, last] = res.json;
    assert.equal(first.code, 200);
    assert.deepEqual(first.headers[0], { name: "Content-Type", value: "text/javascript; charset=UTF-8" });
    assert.equal(typeof first.body, "string");
    assert.deepEqual(JSON.parse(first.body), { id: thread.messages[0].id, message: thread.messages[0].message });
    assert.equal(nothing, null);
    assert.equal(old.code, 400);
    assert.equal(JSON.parse(old.body).error.code, 9000001);
    assert.equal(JSON.parse(last.body).id, thread.messages[1].id);
    // Three processed items, three calls.
    assert.equal(usageOf(res, "x-app-usage").call_count, 3);
  });

  test("include_headers=false, token in a header, POST to /", async () => {
    const batch = [{ method: "GET", relative_url: PAGE_ID }];
    const res = await postForm("/", { include_headers: "false", batch: JSON.stringify(batch) }, { Authorization: `Bearer ${TOKEN}` });
    assert.deepEqual(Object.keys(res.json[0]), ["code", "body"]);
  });

  test("more than 50 items, or no token, is refused", async () => {
    const items = Array.from({ length: MAX_BATCH + 1 }, () => ({ method: "GET", relative_url: PAGE_ID }));
    assertGraphError(await postForm("/", { access_token: TOKEN, batch: JSON.stringify(items) }), 400, 100,
      { message: "Too many requests in batch message. Maximum batch size is 50" });
    assert.equal((await postForm("/", { access_token: TOKEN, batch: JSON.stringify(items.slice(1)) })).json.length, 50);
    assertGraphError(await postForm("/", { batch: JSON.stringify(items.slice(1)) }), 400, 104);
  });
});

// ---------------------------------------------------------------- transport

describe("transport", () => {
  test("usage headers rise with calls; Instagram reads report two ids", async () => {
    const one = await conversations("messenger");
    const two = await conversations("messenger");
    assert.deepEqual(Object.keys(usageOf(one, "x-app-usage")), ["call_count", "total_cputime", "total_time"]);
    assert.ok(usageOf(two, "x-app-usage").call_count > usageOf(one, "x-app-usage").call_count);
    assert.ok(usageOf(two, "x-page-usage"));
    const buc = usageOf(two, "x-business-use-case-usage");
    assert.deepEqual(Object.keys(buc[PAGE_ID][0]), ["type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"]);
    const ig = usageOf(await conversations("instagram"), "x-business-use-case-usage");
    assert.deepEqual(Object.keys(ig).sort(), [IG_ACCOUNT_ID, PAGE_ID].sort());
    assert.equal(ig[IG_ACCOUNT_ID][0].type, "instagram");
  });

  test("CORS: preflight and exposed headers", async () => {
    const pre = await fetch(`${mock.url}/v21.0/${PAGE_ID}/conversations`, {
      method: "OPTIONS", headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    assert.equal(pre.headers.get("access-control-allow-headers"), "Authorization, Content-Type");
    assert.equal(pre.headers.get("access-control-allow-methods"), "GET, POST, OPTIONS");
    assert.equal(pre.headers.get("access-control-max-age"), "600");
    for (const res of [await conversations("messenger"), await graph("/error-1"), await graph("/http-502")]) {
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      assert.equal(res.headers.get("access-control-expose-headers"), "X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage");
    }
  });

  test("bodies are escaped like graph.facebook.com's", async () => {
    const res = await conversations("messenger", { limit: 1, fields: "snippet,participants,link" });
    assert.match(res.text, /\\u[0-9a-f]{4}/);
    assert.ok(res.text.includes("\\/inbox\\/"));
    assert.equal(/[^\x00-\x7f]/.test(res.text), false);
    assert.equal(res.json.data[0].snippet, threads("messenger")[0].snippet);
  });

  test("requests are recorded (not /__mock ones) and reset clears them", async () => {
    await graph(`/v21.0/${PAGE_ID}/conversations?limit=2&fields=id`, { via: "bearer" });
    await postForm("/", { access_token: TOKEN, batch: "[]" });
    await fetch(`${mock.url}/__mock/requests`);
    assert.equal(mock.requests.length, 2);
    const [get, post] = mock.requests;
    assert.deepEqual([get.method, get.url, get.path], ["GET", `/v21.0/${PAGE_ID}/conversations?limit=2&fields=id`, `/v21.0/${PAGE_ID}/conversations`]);
    assert.deepEqual(get.query, { limit: "2", fields: "id" });
    assert.equal(get.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(post.body, `access_token=${TOKEN}&batch=%5B%5D`);
    const over = await fetch(`${mock.url}/__mock/requests`).then((r) => r.json());
    assert.deepEqual(over, JSON.parse(JSON.stringify(mock.requests)));
    const requests = mock.requests;
    assert.equal((await fetch(`${mock.url}/__mock/reset`, { method: "POST" })).status, 200);
    assert.equal(requests.length, 0);
    assert.equal(usageOf(await conversations("messenger"), "x-app-usage").call_count, 1);
  });

  test("latencyMs delays each answer", async () => {
    const slow = await startMockGraph({ latencyMs: 150 });
    try {
      const t0 = performance.now();
      await fetch(`${slow.url}/${PAGE_ID}?access_token=${TOKEN}`);
      assert.ok(performance.now() - t0 >= 140);
    } finally {
      await slow.close();
    }
  });

  test("CLI prints one line and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [new URL("../server.mjs", import.meta.url).pathname, "--port", "0", "--latency-ms", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const line = await new Promise((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(String(d)));
      child.once("error", reject);
    });
    assert.match(line, /^mock Graph listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(" ").at(-1);
    assert.equal((await fetch(`${url}/${PAGE_ID}?access_token=${TOKEN}`).then((r) => r.json())).id, PAGE_ID);
    const code = await new Promise((resolve) => { child.once("exit", resolve); child.kill("SIGTERM"); });
    assert.equal(code, 0);
  });
});
