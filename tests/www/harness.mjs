// What the live and reply tests share: `make demo`'s servers on free ports,
// headless Chromium with every request outside 127.0.0.1 aborted, pages that
// are closed after each test (an open page keeps its live stream), and the
// few steps every test takes. Screenshots go to tests/artifacts/www/.

import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startDemo } from "../../examples/demo-servers.mjs";
import { launchChromium } from "../support/chromium.mjs";

export const ARTIFACTS = fileURLToPath(new URL("../artifacts/www/", import.meta.url));
export const DESKTOP = { width: 1280, height: 900 };
/** The longest a webhook may take to show on the page (a held one waits up to 1.5 s). */
export const LIVE_WAIT = 8_000;

/**
 * Starts the demo and a browser. `requests` collects every request any page
 * made (`{ url, method, body }`); `openPage()` gives a fresh tab with the live
 * stream open and `problems` (script errors); `closePages()` closes them all.
 */
export async function startHarness() {
  mkdirSync(ARTIFACTS, { recursive: true });
  const demo = await startDemo({ mockPort: 0, wwwPort: 0 });
  await demo.live.ready;
  const browser = await launchChromium();
  await browser.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
  const requests = [];
  browser.on("request", (request) => requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? "" }));
  const pages = new Set();

  async function openPage(viewport = DESKTOP) {
    const page = await browser.newPage();
    pages.add(page);
    page.on("close", () => pages.delete(page));
    page.setDefaultTimeout(10_000);
    await page.setViewportSize(viewport);
    const problems = [];
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("console", (msg) => {
      // Failed loads are expected: aborted CDN images, the Graph's 4xx answers.
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) problems.push(msg.text());
    });
    await page.goto(demo.pageUrl);
    await page.waitForSelector("html[data-ready='true']");
    await page.waitForSelector("#live-state[data-state='open']");
    return { page, problems };
  }

  return {
    demo,
    browser,
    requests,
    openPage,
    closePages: () => Promise.all([...pages].map((page) => page.close())),
    close: async () => {
      await browser.close();
      await demo.close();
    },
  };
}

/** Clicks and waits until the view's call is over. */
export async function clickAndWait(page, selector, view) {
  await page.click(selector);
  await page.waitForSelector(`#${view}[aria-busy="false"]`);
}

/** Lists `platform`, clicking "Load more" until `conversationId` is listed, and opens it. */
export async function openThread(page, platform, conversationId) {
  await page.selectOption("#platform", platform);
  await clickAndWait(page, "#list-button", "conversations-view");
  const button = `button.conversation[data-conversation-id="${conversationId}"]`;
  for (let more = 0; (await page.locator(button).count()) === 0; more++) {
    if (more > 10 || !(await page.isVisible("#more-conversations"))) throw new Error(`${conversationId} is not in the ${platform} list`);
    await clickAndWait(page, "#more-conversations", "conversations-view");
  }
  await clickAndWait(page, button, "thread-view");
}

/** The thread's messages with this text. */
export const withText = (page, text) => page.locator("#messages > li.message", { has: page.locator(".text", { hasText: text }) });

/** Waits until `selector`'s text matches `pattern`. */
export function waitForText(page, selector, pattern, timeout = LIVE_WAIT) {
  return page.waitForFunction(([s, source, flags]) => new RegExp(source, flags).test(document.querySelector(s)?.textContent ?? ""),
    [selector, pattern.source, pattern.flags], { timeout });
}

export const unique = (what) => `${what} ${Math.random().toString(36).slice(2, 8)}`;
export const shot = (page, name, fullPage = false) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
