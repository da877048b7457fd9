// `make demo-edge` in headless Chromium: the demo's servers with the edge
// inbox (examples/edge-inbox) under `wrangler dev`, the mock's Page connected
// to it and the mock's webhooks going to it too. The page's "Edge inbox"
// panel reads the Worker's routes through the demo's server (which adds the
// admin token) and opens the Worker's WebSocket with a ticket. What is
// asserted is what a person sees: the edge inbox's conversations, and a
// customer's new message arriving there by itself.
//
// Every request outside 127.0.0.1 is aborted. A screenshot of the panel goes
// to tests/artifacts/www/edge-inbox.png (gitignored).

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { threads } from "../../mock/server.mjs";
import { startDemo } from "../../examples/demo-servers.mjs";
import { launchChromium } from "../support/chromium.mjs";

const ARTIFACTS = fileURLToPath(new URL("../artifacts/www/", import.meta.url));
let demo;
let browser;
/** @type {Array<{ url: string, headers: Record<string, string> }>} */
const requests = [];

before(async () => {
  demo = await startDemo({ mockPort: 0, wwwPort: 0, edge: true });
  await demo.live.ready;
  browser = await launchChromium();
  await browser.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
  browser.on("request", (request) => requests.push({ url: request.url(), headers: request.headers() }));
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await demo?.close();
});

test("the Edge inbox panel lists the Worker's conversations and shows a customer's message as it arrives over the WebSocket", async () => {
  const page = await browser.newPage();
  page.setDefaultTimeout(20_000);
  const problems = [];
  /** @type {string[]} */
  const sockets = [];
  page.on("websocket", (socket) => sockets.push(socket.url()));
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) problems.push(msg.text());
  });
  try {
    await page.goto(demo.pageUrl);
    await page.waitForSelector("html[data-ready='true']");
    await page.waitForSelector("#edge:not([hidden])");
    await page.waitForSelector("#edge-state[data-state='open']");
    // The history sync runs in the Page's Durable Object; the panel shows it as it goes.
    await page.waitForFunction(() => document.querySelectorAll("#edge-conversations li").length >= 5);

    const thread = threads("messenger")[3];
    const customer = thread.participants.data[0].id;
    const text = `Edge ${Date.now()}: is the terrace open?`;
    const mid = demo.mock.customerWrites(customer, { text });
    // The frame from the WebSocket names the message; the list then has it on top.
    await page.waitForSelector(`#edge-log li[data-added~="${mid}"]`);
    await page.waitForFunction((words) => document.querySelector("#edge-conversations li .conversation-snippet")?.textContent === words, text);
    const top = await page.locator("#edge-conversations li").first().getAttribute("data-customer-id");
    assert.ok(top === customer, `the top conversation is the customer's (${top})`);
    assert.match(await page.locator("#edge-status").textContent() ?? "", /live events? applied/);
    assert.deepEqual(problems, []);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator("#edge").screenshot({ path: `${ARTIFACTS}edge-inbox.png` });
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\npage problems: ${problems.join("\n")}`);
  } finally {
    await page.close();
  }

  // The page never had the admin token: not in its config, not in any request it made.
  const admin = demo.edgeInbox.edge.secrets.ADMIN_TOKEN;
  const config = await (await fetch(`${demo.site.url}/demo/config.json`)).text();
  assert.ok(!config.includes(admin));
  assert.ok(requests.length > 0);
  for (const r of requests) assert.ok(!r.url.includes(admin) && !Object.values(r.headers).some((v) => v.includes(admin)), r.url);
  assert.ok(sockets.length > 0 && sockets.every((url) => url.startsWith(`${demo.edgeInbox.edge.url.replace(/^http/, "ws")}/accounts/`) && !url.includes(admin)), `the page opened the Worker's WebSocket: ${sockets}`);
});
