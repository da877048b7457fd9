// The www page's Live panel in headless Chromium, with `make demo`'s own
// servers: the mock's customer writes, the mock posts a signed webhook to the
// demo's server (Webhook.handle over the raw bytes, Inbox.apply), and the
// page gets the changes as Server-Sent Events. What is asserted is what a
// person at the page sees: the message in the open thread, once, in order;
// "new" and "edited"; the reaction; the unsend; the list.
//
// Every request outside 127.0.0.1 is aborted. Screenshots go to
// tests/artifacts/www/ (gitignored).

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { TOKEN, threads } from "../../mock/server.mjs";
import { LIVE_WAIT, clickAndWait, openThread as openById, shot, startHarness, unique, withText } from "./harness.mjs";

let harness;
let demo;
let openPage;
let requests;

before(async () => {
  harness = await startHarness();
  ({ demo, openPage, requests } = harness);
});

after(() => harness?.close());

// Each test leaves no page open (an open page keeps its stream) and the mock delivering normally.
afterEach(async () => {
  await harness.closePages();
  demo.mock.webhooks.clearFaults();
  await demo.mock.webhooks.settled({ timeoutMs: 10_000 });
});

// ---------------------------------------------------------------- helpers

/** Lists `platform` and opens `thread`. */
const openThread = (page, platform, thread) => openById(page, platform, thread.id);

/** The customer writes `text` in the conversation the panel points at; resolves once the demo said the mock did. */
async function customerWrites(page, text, attachment = "") {
  await page.fill("#live-text", text);
  await page.selectOption("#live-attachment", attachment);
  await page.click("#live-write");
  await page.waitForFunction(() => /waiting for the webhook|Arrived by webhook/.test(document.querySelector("#live-status")?.textContent ?? ""));
}

/** The thread's message texts, top to bottom. */
const texts = (page) => page.locator("#messages > li.message .text").allInnerTexts();

// ---------------------------------------------------------------- tests

describe("the Live panel", () => {
  it("shows a customer's message in the open thread as it is written, once, marked new, and moves the conversation up", async () => {
    const thread = threads("messenger")[2];
    const customer = thread.participants.data[0].name;
    const { page, problems } = await openPage();
    await openThread(page, "messenger", thread);
    const before = await page.locator("#messages > li").count();
    assert.notEqual(await page.locator("#conversations li").first().locator("button").getAttribute("data-conversation-id"), thread.id,
      "the thread is not at the top of the list yet");

    const text = unique("Hi! Do you have oat milk?");
    await customerWrites(page, text);
    await withText(page, text).waitFor({ timeout: LIVE_WAIT });
    const item = withText(page, text);
    assert.equal(await item.count(), 1, "shown once");
    assert.equal(await page.locator("#messages > li").first().getAttribute("data-message-id"), await item.getAttribute("data-message-id"), "newest first: at the top");
    assert.equal(await item.locator(".badge.new").innerText(), "new");
    assert.match(await item.locator(".sender").innerText(), new RegExp(customer), "named as the customer, though a webhook carries only ids");
    assert.equal(await page.locator("#messages > li").count(), before + 1);
    assert.match(await page.innerText("#live-status"), /Arrived by webhook \d+ ms after the customer wrote; shown in the open thread/);
    assert.match(await page.innerText("#live-log"), /message → messages 1 added/);

    const top = page.locator("#conversations li").first();
    assert.equal(await top.locator("button").getAttribute("data-conversation-id"), thread.id, "the conversation moved to the top");
    assert.ok((await top.innerText()).includes(text), "the list shows the new message's text");
    assert.equal(await page.locator(`button.conversation[data-conversation-id="${thread.id}"]`).count(), 1, "listed once");
    await item.scrollIntoViewIfNeeded();
    await shot(page, "live-message");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows each message exactly once, newest first, when the mock redelivers every webhook and delivers out of order", async () => {
    const thread = threads("messenger")[3];
    const { page, problems } = await openPage();
    await openThread(page, "messenger", thread);
    const subscriber = `${demo.site.url}/demo/webhook`;
    const deliveriesBefore = demo.mock.webhooks.deliveries.length;
    // Every POST twice; the first POST held back until the next one was answered.
    demo.mock.webhooks.fault({ kind: "webhook-redeliver", times: null, delayMs: 30 });
    demo.mock.webhooks.fault({ kind: "webhook-out-of-order", times: 1, maxHoldMs: 6_000 });

    const first = unique("First: a table for two?");
    const second = unique("Second: at 7 pm");
    await customerWrites(page, first);
    await page.waitForTimeout(300);
    assert.equal(await withText(page, first).count(), 0, "the first webhook is held back");
    await customerWrites(page, second);
    await withText(page, second).waitFor({ timeout: LIVE_WAIT });
    await withText(page, first).waitFor({ timeout: LIVE_WAIT });
    await demo.mock.webhooks.settled({ timeoutMs: 10_000 });
    await page.waitForTimeout(200); // the duplicates' pushes, if any got through, would be drawn by now

    const mine = demo.mock.webhooks.deliveries.slice(deliveriesBefore).filter((d) => d.url === subscriber && d.outcome === "ok");
    assert.ok(mine.some((d) => d.redelivery), "the mock did redeliver");
    assert.ok(mine.some((d) => (d.heldMs ?? 0) > 0), "the mock did hold one back");
    assert.ok(mine.findIndex((d) => d.body.includes(second.split(" ").pop())) < mine.findIndex((d) => d.body.includes(first.split(" ").pop())),
      "the second message's webhook arrived before the first's");

    assert.equal(await withText(page, first).count(), 1, "the first message once");
    assert.equal(await withText(page, second).count(), 1, "the second message once");
    const shown = await texts(page);
    assert.deepEqual(shown.slice(0, 2), [second, first], "newest first, whatever order the webhooks came in");
    assert.match(await page.innerText("#live-log"), /nothing new: already applied/, "the log says a duplicate changed nothing");
    await shot(page, "live-redelivered");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("switches the mock's delivery faults from the panel, and a message still shows once", async () => {
    const thread = threads("instagram")[2];
    const { page, problems } = await openPage();
    await openThread(page, "instagram", thread);
    await page.check("#live-redeliver");
    await page.waitForFunction(() => /every webhook twice/.test(document.querySelector("#live-status")?.textContent ?? ""));
    await page.check("#live-out-of-order");
    await page.waitForFunction(() => /out of order/.test(document.querySelector("#live-status")?.textContent ?? ""));
    assert.deepEqual(demo.mock.webhooks.faults.map((f) => f.kind).sort(), ["webhook-out-of-order", "webhook-redeliver"]);

    const text = unique("Do you ship to Lisbon?");
    await customerWrites(page, text);
    await withText(page, text).waitFor({ timeout: LIVE_WAIT });
    await demo.mock.webhooks.settled({ timeoutMs: 10_000 });
    await page.waitForTimeout(200);
    assert.equal(await withText(page, text).count(), 1);

    await page.uncheck("#live-redeliver");
    await page.uncheck("#live-out-of-order");
    await page.waitForFunction(() => /delivers each webhook once, in order/.test(document.querySelector("#live-status")?.textContent ?? ""));
    assert.deepEqual(demo.mock.webhooks.faults, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows an edit as the new text marked edited, then a reaction, then the unsend", async () => {
    const thread = threads("messenger")[4];
    const customer = thread.participants.data[0].name;
    const { page, problems } = await openPage();
    await openThread(page, "messenger", thread);
    const text = unique("Can I order a cake for Saturday?");
    await customerWrites(page, text);
    await withText(page, text).waitFor({ timeout: LIVE_WAIT });
    const mid = await withText(page, text).getAttribute("data-message-id");
    const item = page.locator(`#messages > li[data-message-id="${mid}"]`);

    const edited = unique("Can I order a cake for Sunday?");
    await page.fill("#live-text", edited);
    await page.click("button[data-live='customer-edits']");
    await item.locator(".badge.edited").waitFor({ timeout: LIVE_WAIT });
    assert.equal(await item.locator(".text").innerText(), edited, "the new text");
    assert.equal(await withText(page, text).count(), 0, "the old text is gone");
    assert.equal(await page.locator(`#messages > li[data-message-id="${mid}"]`).count(), 1, "still one message");
    assert.equal(await item.locator(".badge.new").count(), 1, "still marked new");
    assert.match(await page.innerText("#live-log"), /edit → messages 1 changed/);

    await page.click("button[data-live='customer-reacts']");
    await item.locator(".reaction").waitFor({ timeout: LIVE_WAIT });
    assert.match(await item.locator(".reaction").innerText(), new RegExp(`❤️ ${customer}`), "the reaction, with who gave it");
    await item.scrollIntoViewIfNeeded();
    await shot(page, "live-edited");

    await page.click("button[data-live='customer-unsends']");
    await page.locator(`#messages > li.unsent[data-message-id="${mid}"]`).waitFor({ timeout: LIVE_WAIT });
    assert.match(await item.innerText(), /Unsent: the sender took this message back/);
    assert.ok(!(await item.innerText()).includes(edited), "the text is gone");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows a shared Instagram post and a sticker arriving by webhook", async () => {
    const { page, problems } = await openPage();
    const igThread = threads("instagram")[3];
    await openThread(page, "instagram", igThread);
    const receivedBefore = demo.mock.webhooks.deliveries.length;
    await customerWrites(page, "", "ig_post");
    const post = page.locator("#messages > li.live-new .ig-post");
    await post.waitFor({ timeout: LIVE_WAIT });
    assert.match(await post.innerText(), /Instagram post/i);
    const seeded = threads("instagram").flatMap((t) => t.messages).flatMap((m) => m.attachments?.data ?? []).find((a) => a.type === "ig_post");
    assert.equal(await post.locator(".card-title").innerText(), seeded.title);
    assert.equal(await post.locator("a").getAttribute("href"), seeded.url);
    assert.equal(demo.mock.webhooks.deliveries.length, receivedBefore, "the demo signed this one itself, not the mock");
    await post.scrollIntoViewIfNeeded();
    await shot(page, "live-ig-post");

    const messengerThread = threads("messenger")[5];
    await openThread(page, "messenger", messengerThread);
    await customerWrites(page, "", "sticker");
    const sticker = page.locator("#messages > li.live-new .media.sticker img");
    await sticker.waitFor({ timeout: LIVE_WAIT });
    assert.equal(await sticker.getAttribute("alt"), "Sticker");
    assert.match(await sticker.getAttribute("src"), /^https:\/\/scontent\./);
    assert.match(await page.innerText("#conversations li:first-child"), /Sent a sticker/);

    // An image the mock's own live message carries.
    await customerWrites(page, unique("Here is the receipt"), "image");
    await page.locator("#messages > li.live-new:first-child img[alt='Image attachment']").waitFor({ timeout: LIVE_WAIT });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("lists a new customer's conversation at the top, and opens it once the Graph lists their thread", async () => {
    const { page, problems } = await openPage();
    await page.selectOption("#platform", "messenger");
    await clickAndWait(page, "#list-button", "conversations-view");
    await page.selectOption("#live-conversation", "new");
    const text = unique("Hello, first time here!");
    await customerWrites(page, text);
    const top = page.locator("#conversations li").first();
    await page.waitForFunction((t) => document.querySelector("#conversations li")?.textContent?.includes(t), text, { timeout: LIVE_WAIT });
    // The demo's inbox joins the person's conversation to the thread a sync brings: one entry, a thread id.
    await page.waitForFunction(() => document.querySelector("#conversations li button")?.getAttribute("data-conversation-id")?.startsWith("t_"), null, { timeout: LIVE_WAIT });
    assert.equal(await page.locator("#conversations li", { hasText: text }).count(), 1, "one entry");
    assert.ok(await top.locator("button").isEnabled());
    await clickAndWait(page, "#conversations li:first-child button.conversation", "thread-view");
    assert.equal(await withText(page, text).count(), 1, "the Graph's thread holds the message");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("closes its stream when the page goes away", async () => {
    const { page } = await openPage();
    assert.ok(demo.live.openStreams >= 1);
    await page.close();
    const deadline = Date.now() + 5_000;
    while (demo.live.openStreams > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(demo.live.openStreams, 0, "no stream left open");
  });

  it("never sends the token to the demo's server, nor in a URL", async () => {
    // Runs last: `requests` holds every request of every test above.
    const demoCalls = requests.filter((r) => r.url.startsWith(`${demo.site.url}/demo/live`));
    assert.ok(demoCalls.some((r) => r.method === "POST"), "the panel called the demo");
    for (const r of requests) {
      assert.ok(!r.url.includes(TOKEN), `token in a URL: ${r.method} ${r.url}`);
      if (r.body.includes(TOKEN)) assert.ok(r.url.startsWith(`${demo.mock.url}/`), `token sent to ${r.url}`);
    }
  });
});
