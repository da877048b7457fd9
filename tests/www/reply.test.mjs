// The www page's reply box in headless Chromium, with `make demo`'s own
// servers: the page sends with `client.sendMessage` (the token in the form
// body, to the mock's Send API), puts the reply in the thread at once, and
// matches it with its echo webhook (pushed by the demo's server) so it stays
// one message. The reply window is computed from the customer's newest
// message in the thread, on the mock's clock (the seeded inbox is as of
// INBOX_NOW; the mock's `replyWindows()` says which customer is in which).
//
// Every request outside 127.0.0.1 is aborted. Screenshots go to
// tests/artifacts/www/ (gitignored).

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { TOKEN, replyWindows } from "../../mock/server.mjs";
import { SEND_WAIT_MS } from "../../www/js/reply.js";
import { LIVE_WAIT, openThread, shot, startHarness, unique, waitForText, withText } from "./harness.mjs";

let harness;
let demo;
let openPage;
let requests;

before(async () => {
  harness = await startHarness();
  ({ demo, openPage, requests } = harness);
});

after(() => harness?.close());

afterEach(async () => {
  await harness.closePages();
  demo.mock.clearFaults();
  demo.mock.webhooks.clearFaults();
  await demo.mock.webhooks.settled({ timeoutMs: 10_000 });
});

/**
 * A seeded inbox customer of `platform` in `window` whose thread can be
 * answered, skipping the first `skip` (tests use different ones).
 */
function customerIn(platform, window, skip = 0) {
  const rows = replyWindows(platform).filter((r) => r.folder === "inbox" && r.window === window && r.canReply);
  assert.ok(rows.length > skip, `the mock has ${rows.length} ${platform} customers in the ${window} window`);
  return rows[skip];
}

/** Types `text` in the reply box, key by key as a person does, and sends it. */
async function reply(page, text) {
  await page.locator("#reply-text").pressSequentially(text, { delay: 5 });
  await page.click("#reply-send");
}

/** Resolves once `check()` holds; fails after `ms`. */
async function until(check, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`not within ${ms} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The sends the mock took for this customer since `from`. */
const sendsTo = (customerId, from = 0) => demo.mock.sends.slice(from).filter((s) => s.recipientId === customerId);

describe("the reply box", () => {
  it("says how long a reply may be sent: open for hours, HUMAN_AGENT only, closed", async () => {
    const { page, problems } = await openPage();
    const open = customerIn("messenger", "open");
    await openThread(page, "messenger", open.threadId);
    assert.equal(await page.getAttribute("#reply-window", "data-window"), "open");
    assert.match(await page.innerText("#reply-window"), /^You can reply for \d+ more hours?\.$/);
    assert.ok(await page.isHidden("#reply-human-agent"), "no HUMAN_AGENT box while any reply is allowed");

    const late = customerIn("messenger", "human_agent");
    await openThread(page, "messenger", late.threadId);
    assert.equal(await page.getAttribute("#reply-window", "data-window"), "human_agent");
    assert.match(await page.innerText("#reply-window"), /^Only with HUMAN_AGENT, for \d+ more (days|hours?): the customer last wrote .* ago, past the 24-hour window\.$/);
    assert.ok(await page.isVisible("#reply-human-agent"), "the HUMAN_AGENT box is offered");
    await page.locator("#reply-form").scrollIntoViewIfNeeded();
    await shot(page, "reply-human-agent");

    const closed = customerIn("instagram", "closed");
    await openThread(page, "instagram", closed.threadId);
    assert.equal(await page.getAttribute("#reply-window", "data-window"), "closed");
    assert.match(await page.innerText("#reply-window"), /^Closed: /);
    assert.ok(await page.isHidden("#reply-human-agent"));
    assert.deepEqual(problems, []);
  });

  it("puts a reply in the thread at once and keeps it one message when its echo comes back, even twice", async () => {
    const { page, problems } = await openPage();
    const customer = customerIn("messenger", "open", 1);
    await openThread(page, "messenger", customer.threadId);
    const before = await page.locator("#messages > li").count();
    const sendsBefore = demo.mock.sends.length;
    demo.mock.webhooks.fault({ kind: "webhook-redeliver", times: null, delayMs: 30 });
    // The echo is held back a moment, so the reply is seen waiting for it first.
    demo.mock.webhooks.fault({ kind: "webhook-out-of-order", times: 1, maxHoldMs: 1_000 });

    const text = unique("Yes, we open at 8 on Sundays!");
    await reply(page, text);
    const item = withText(page, text);
    await item.waitFor({ timeout: 2_000 });
    assert.equal(await page.locator("#messages > li").first().locator(".text").innerText(), text, "at the top of the thread at once");
    assert.ok(await item.evaluate((li) => li.classList.contains("mine")), "drawn as the Page's");
    await waitForText(page, "#messages > li:first-child .reply-state", /waiting for its echo/);

    await page.locator("#messages > li[data-reply-state='delivered']").waitFor({ timeout: LIVE_WAIT });
    await demo.mock.webhooks.settled({ timeoutMs: 10_000 });
    await page.waitForTimeout(200); // a duplicate's push, if any, is drawn by now
    assert.equal(await withText(page, text).count(), 1, "one message, not two");
    assert.equal(await page.locator("#messages > li").count(), before + 1);
    assert.match(await item.locator(".reply-state").innerText(), /Delivered: its echo came back by webhook/);
    assert.match(await item.locator(".sender").innerText(), /Harbor Lane Coffee/);
    assert.match(await page.innerText("#reply-status"), /Delivered: its echo came back by webhook \d+ ms after you pressed Send/);
    assert.match(await page.innerText("#live-log"), /echo → messages 1 added/);

    const [sent] = sendsTo(customer.customerId, sendsBefore).filter((s) => s.kind === "message");
    assert.equal(sent.text, text, "the mock took it");
    assert.equal(await item.getAttribute("data-message-id"), sent.mid, "the message is the sent one, by its mid");
    assert.match(await page.innerText("#reply-code"), new RegExp(`await client\\.sendMessage\\("${demo.mock.url ? "\\d+" : ""}", "${customer.customerId}", \\{`));
    assert.equal(await page.inputValue("#reply-text"), "", "the box is empty again");
    assert.equal(await page.locator("#conversations li").first().locator("button").getAttribute("data-conversation-id"), customer.threadId,
      "the conversation moved to the top of the list");
    await item.scrollIntoViewIfNeeded();
    await shot(page, "reply-delivered");
    assert.deepEqual(problems, []);
  });

  it("tells the customer the Page is typing while the person types", async () => {
    const { page, problems } = await openPage();
    const customer = customerIn("instagram", "open");
    await openThread(page, "instagram", customer.threadId);
    const from = demo.mock.sends.length;
    await page.locator("#reply-text").pressSequentially("Let me check the opening hours for you", { delay: 10 });
    await until(() => sendsTo(customer.customerId, from).some((s) => s.action === "typing_on"));
    await page.waitForTimeout(300); // a second one, were it not throttled, would be in by now
    const typing = sendsTo(customer.customerId, from).filter((s) => s.action === "typing_on");
    assert.equal(typing.length, 1, "typing_on reached the mock once: throttled, not one per key");
    assert.equal(typing[0].kind, "action");
    assert.equal(sendsTo(customer.customerId, from).filter((s) => s.kind === "message").length, 0, "nothing sent yet");
    assert.deepEqual(problems, []);
  });

  it("shows the Graph's refusal when the window is closed, and sends nothing", async () => {
    const { page, problems } = await openPage();
    const customer = customerIn("messenger", "closed");
    await openThread(page, "messenger", customer.threadId);
    assert.equal(await page.getAttribute("#reply-window", "data-window"), "closed");
    const before = await page.locator("#messages > li").count();
    const sendsBefore = demo.mock.sends.length;
    const text = unique("Sorry for the late answer!");
    await reply(page, text);
    await waitForText(page, "#reply-status", /^Not sent: /);
    const status = await page.innerText("#reply-status");
    assert.match(status, /This message is sent outside of allowed window/, "the Graph's words, as err.message has them");
    assert.match(status, /HUMAN_AGENT/, "and the client's advice");
    assert.equal(await page.getAttribute("#reply-status", "data-refusal"), "outside_window");
    assert.equal(await withText(page, text).count(), 0, "the reply left the thread");
    assert.equal(await page.locator("#messages > li").count(), before);
    assert.equal(await page.inputValue("#reply-text"), text, "its text is back in the box");
    assert.deepEqual(sendsTo(customer.customerId, sendsBefore), [], "the mock took nothing");
    assert.ok(await page.isHidden("#error"), "a refusal is said in the box, not as a failure");
    await page.locator("#reply-form").scrollIntoViewIfNeeded();
    await shot(page, "reply-refused");
    assert.deepEqual(problems, []);
  });

  it("sends with HUMAN_AGENT between 24 hours and 7 days, and is refused without it", async () => {
    const { page, problems } = await openPage();
    const customer = customerIn("messenger", "human_agent", 1);
    await openThread(page, "messenger", customer.threadId);
    const sendsBefore = demo.mock.sends.length;
    const text = unique("A person here: your order is ready.");
    await reply(page, text);
    await waitForText(page, "#reply-status", /^Not sent: .*outside of allowed window/);
    await page.check("#reply-human-agent");
    await page.click("#reply-send");
    await page.locator("#messages > li[data-reply-state='delivered']").waitFor({ timeout: LIVE_WAIT });
    assert.equal(await withText(page, text).count(), 1);
    const sent = sendsTo(customer.customerId, sendsBefore).filter((s) => s.kind === "message");
    assert.deepEqual(sent.map((s) => s.tag), ["HUMAN_AGENT"]);
    assert.match(await page.innerText("#reply-code"), /tag: "HUMAN_AGENT"/);
    assert.deepEqual(problems, []);
  });

  it("says so when no answer comes, sends nothing twice, and takes the echo as the answer", async () => {
    const { page, problems } = await openPage();
    const customer = customerIn("messenger", "open", 2);
    await openThread(page, "messenger", customer.threadId);
    const sendsBefore = demo.mock.sends.length;
    const text = unique("We can hold a table for you.");
    await page.locator("#reply-text").pressSequentially(text, { delay: 5 });
    await until(() => sendsTo(customer.customerId, sendsBefore).some((s) => s.action === "typing_on"));
    // The send is taken and its answer held back past the page's wait: the page cannot know it went out.
    // (Not send-then-drop: Chromium itself sends a POST again when a kept-alive connection closes
    // before any answer, so the mock would take it twice.)
    demo.mock.fault({ kind: "send-then-late", times: 1, ms: SEND_WAIT_MS + 4_000 });
    // Its echo goes as the mock takes it; held back here until the page has given up waiting.
    demo.mock.webhooks.fault({ kind: "webhook-out-of-order", times: 1, maxHoldMs: SEND_WAIT_MS + 2_000 });
    await page.click("#reply-send");
    await until(() => sendsTo(customer.customerId, sendsBefore).some((s) => s.kind === "message"));
    assert.match(await withText(page, text).locator(".reply-state").innerText(), /Sending/, "in the thread while the answer is awaited");
    await waitForText(page, "#reply-status", /No answer came: the message may have gone out, and it was not sent again/, SEND_WAIT_MS + 2_000);
    assert.match(await withText(page, text).locator(".reply-state").innerText(), /Not known whether it went out/);
    await page.locator("#messages > li[data-reply-state='delivered']").waitFor({ timeout: LIVE_WAIT });
    assert.equal(await withText(page, text).count(), 1, "the echo is the same message");
    assert.equal(sendsTo(customer.customerId, sendsBefore).filter((s) => s.kind === "message").length, 1, "sent once, never again");
    assert.match(await page.innerText("#reply-status"), /Delivered/);
    await shot(page, "reply-unknown-then-echo");
    assert.deepEqual(problems, []);
  });

  it("says so when the same reply went out twice (a second echo with its metadata)", async () => {
    // What happens when a send is taken twice, e.g. Chromium sending a POST again after a
    // kept-alive connection closed before any answer: two messages, one metadata.
    const { page, problems } = await openPage();
    const customer = customerIn("instagram", "open", 1);
    await openThread(page, "instagram", customer.threadId);
    const sendsBefore = demo.mock.sends.length;
    const text = unique("Your order is on its way!");
    await reply(page, text);
    await page.locator("#messages > li[data-reply-state='delivered']").waitFor({ timeout: LIVE_WAIT });
    const [sent] = sendsTo(customer.customerId, sendsBefore).filter((s) => s.kind === "message");
    assert.match(sent.metadata, /^www:/, "the page sends its reply with a metadata key");
    demo.mock.businessReplies(customer.threadId, { text, metadata: sent.metadata, platform: "instagram" });
    await page.locator("#messages > li[data-reply-state='twice']").waitFor({ timeout: LIVE_WAIT });
    assert.equal(await withText(page, text).count(), 2, "two messages: the customer got two");
    assert.match(await page.innerText("#messages > li[data-reply-state='twice'] .reply-state"), /went out again/);
    assert.match(await page.innerText("#reply-status"), /went out twice/);
    assert.deepEqual(problems, []);
  });

  it("sends the token only to the Graph, in a POST body, never in a URL", async () => {
    // Runs last: `requests` holds every request of every test above.
    const sends = requests.filter((r) => r.method === "POST" && /\/messages$/.test(new URL(r.url).pathname));
    assert.ok(sends.length > 0, "the page sent through the Send API");
    for (const r of sends) assert.ok(r.body.includes(`access_token=${TOKEN}`), "the token is in the form body");
    for (const r of requests) {
      assert.ok(!r.url.includes(TOKEN), `token in a URL: ${r.method} ${r.url}`);
      if (r.body.includes(TOKEN)) assert.ok(r.url.startsWith(`${demo.mock.url}/`), `token sent to ${r.url}`);
    }
  });
});
