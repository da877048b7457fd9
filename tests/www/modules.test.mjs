// The page's pure modules in Node: the code shown beside each view, and
// what an error is said to mean. No browser needed; the built package
// (pkg/) gives the client's defaults, as it does to the page.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clientDefaults } from "../../pkg/node.js";
import { callSnippet, clientSnippet, literal } from "../../www/js/snippet.js";
import { explain } from "../../www/js/errors.js";
import { safeUrl } from "../../www/js/dom.js";
import { parseGraphTime } from "../../www/js/format.js";
import { HUMAN_AGENT_WINDOW_MS, REPLY_WINDOW_MS, forMore, replyWindow } from "../../www/js/reply.js";

describe("the code beside each view", () => {
  it("prints a call as JS that runs as printed", () => {
    const call = { method: "listConversations", args: ["104620945892041", { platform: "instagram", limit: 10, after: "QQ+/x==", before: undefined }] };
    const code = callSnippet(call);
    assert.equal(code, 'const page = await client.listConversations("104620945892041", {\n  platform: "instagram",\n  limit: 10,\n  after: "QQ+/x==",\n});');
    // The printed arguments are the arguments: evaluate them back.
    const printed = code.slice(code.indexOf("(") + 1, code.lastIndexOf(")"));
    assert.deepEqual(new Function(`return [${printed}]`)(), [call.args[0], { platform: "instagram", limit: 10, after: "QQ+/x==" }]);
  });

  it("keeps a short call, and a long id with one option, on one line", () => {
    assert.equal(callSnippet({ method: "getMessage", args: ["m_1"], result: "message" }), 'const message = await client.getMessage("m_1");');
    const id = "aWdf".repeat(30);
    assert.equal(callSnippet({ method: "listMessages", args: [id, { limit: 25 }] }), `const page = await client.listMessages("${id}", { limit: 25 });`);
  });

  it("quotes keys and strings safely", () => {
    assert.equal(literal({ "a-b": 'say "hi"\n', ok: true }), '{ "a-b": "say \\"hi\\"\\n", ok: true }');
  });

  it("shows the client with PAGE_TOKEN, never the token", () => {
    const defaults = clientDefaults();
    const code = clientSnippet({ accessToken: "EAAG-secret", baseUrl: "http://127.0.0.1:8787", apiVersion: "v21.0" }, defaults);
    assert.ok(!code.includes("EAAG-secret"));
    assert.match(code, /accessToken: PAGE_TOKEN/);
    assert.match(code, /baseUrl: "http:\/\/127.0.0.1:8787"/);
    assert.match(code, /apiVersion: "v21.0"/);
    assert.equal(defaults.baseUrl, "https://graph.facebook.com");
    assert.ok(!clientSnippet({ accessToken: "t", baseUrl: defaults.baseUrl }, defaults).includes("baseUrl"), "the client's default base URL is left out");
  });
});

describe("what an error means", () => {
  // Plain objects with a GraphError's fields: explain() reads nothing else.
  const graph = (fields) => ({ kind: "graph", message: "m", ...fields });

  it("says when to try again after a rate limit, in minutes", () => {
    assert.match(explain(graph({ code: 613, transient: true, rateLimited: true, retryAfterMs: 180000 })).action, /Try again in 3 minutes/);
    assert.match(explain(graph({ code: 80006, transient: true, rateLimited: true, retryAfterMs: 60000 })).action, /Try again in 1 minute\b/);
    assert.match(explain(graph({ code: 4, transient: true, rateLimited: true })).action, /little while/);
  });

  it("takes a rate limit from err.rateLimited: any throttling code, and an HTTP 429", () => {
    const unnamed = explain(graph({ code: 80004, transient: true, rateLimited: true, retryAfterMs: 120000 }));
    assert.equal(unnamed.title, "Rate limit reached");
    assert.match(unnamed.action, /Try again in 2 minutes/);
    const proxy = explain({ kind: "http", status: 429, transient: true, rateLimited: true });
    assert.equal(proxy.title, "Rate limit reached", "not \"Not a Graph answer\"");
    assert.match(proxy.action, /little while/);
    assert.equal(explain(graph({ code: 613, transient: true, rateLimited: true })).title, "Rate limit reached");
    assert.equal(explain(graph({ code: 80006, transient: true, rateLimited: true })).title, "Messenger rate limit reached");
  });

  it("names a bad token, a missing permission and the 20-newest rule", () => {
    const token = explain(graph({ code: 190, subcode: 463 }));
    assert.equal(token.title, "The access token is not valid");
    assert.match(token.meaning, /expired/);
    assert.match(explain(graph({ code: 200 })).meaning, /pages_messaging/);
    assert.match(explain(graph({ code: 10 })).title, /Permission/);
    assert.match(explain(graph({ code: 9000001 })).meaning, /20 newest/);
    assert.match(explain(graph({ code: 368 })).title, /Blocked/);
  });

  it("explains failures that are not Graph errors, and unknown codes", () => {
    assert.match(explain({ kind: "network", transient: true }).title, /did not reach/);
    assert.match(explain({ kind: "http", transient: true, attempts: 4 }).action, /already tried 4 times/);
    assert.match(explain({ kind: "invalid_argument" }).meaning, /nothing went out/);
    assert.equal(explain(graph({ code: 123456 })).title, "Something went wrong");
  });
});

describe("data into the page", () => {
  it("lets only http(s) URLs become links and media", () => {
    assert.equal(safeUrl("https://scontent.xx.fbcdn.net/a.jpg?x=1"), "https://scontent.xx.fbcdn.net/a.jpg?x=1");
    for (const bad of ["javascript:alert(1)", "data:text/html,<b>", " ", null, 5, "/relative"]) assert.equal(safeUrl(bad), null, String(bad));
  });

  it("reads the Graph's times, with +0000 and as Unix seconds", () => {
    assert.equal(parseGraphTime("2026-11-20T14:03:11+0000").toISOString(), "2026-11-20T14:03:11.000Z");
    assert.equal(parseGraphTime(1795183391).toISOString(), "2026-11-20T14:03:11.000Z");
    assert.equal(parseGraphTime("not a time"), null);
  });
});

describe("the reply window", () => {
  const HOUR = 3600_000;
  const now = Date.parse("2026-11-20T14:08:11Z");

  it("is open for 24 hours after the customer wrote, and says for how long", () => {
    assert.deepEqual(replyWindow(now - 21 * HOUR - 1, now), { state: "open", text: "You can reply for 2 more hours." });
    assert.equal(replyWindow(now - 20.5 * HOUR, now).text, "You can reply for 3 more hours.");
    assert.equal(replyWindow(now - 23.5 * HOUR, now).text, "You can reply for 30 more minutes.");
    assert.equal(replyWindow(now - REPLY_WINDOW_MS, now).state, "open", "24 hours to the millisecond is still inside");
    assert.equal(replyWindow(now + 5 * 60_000, now).text, "You can reply for 24 more hours.", "a message stamped after now counts as just written");
  });

  it("takes only HUMAN_AGENT from 24 hours to 7 days, then closes", () => {
    const late = replyWindow(now - 2 * 24 * HOUR, now);
    assert.equal(late.state, "human_agent");
    assert.equal(late.text, "Only with HUMAN_AGENT, for 5 more days: the customer last wrote 2 days ago, past the 24-hour window.");
    assert.equal(replyWindow(now - HUMAN_AGENT_WINDOW_MS, now).state, "human_agent");
    const closed = replyWindow(now - HUMAN_AGENT_WINDOW_MS - 1, now);
    assert.equal(closed.state, "closed");
    assert.match(closed.text, /^Closed: the customer last wrote 7 days ago, past the 7 days HUMAN_AGENT allows/);
    assert.equal(replyWindow(null, now).state, "closed", "no message of the customer's shown");
  });

  it("words what is left", () => {
    assert.deepEqual([forMore(90 * 60_000), forMore(3 * 24 * HOUR), forMore(36 * HOUR), forMore(10_000)],
      ["1 more hour", "3 more days", "36 more hours", "1 more minute"]);
  });
});
