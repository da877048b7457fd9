// The www page in headless Chromium, served exactly as `make demo` serves
// it (examples/demo-servers.mjs), against the local mock Graph. Every
// request outside 127.0.0.1 is aborted: the mock's attachment URLs point at
// Meta's CDNs, and a test must not reach the internet.
//
// Screenshots go to tests/artifacts/www/ (gitignored).

import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startDemo } from "../../examples/demo-servers.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { PAGE_ID, TOKEN, threads } from "../../mock/server.mjs";

const ARTIFACTS = fileURLToPath(new URL("../artifacts/www/", import.meta.url));
const OLDER_TEXT = "Older message: details not available (the Graph gives details only for a thread's 20 newest messages)";
const DESKTOP = { width: 1280, height: 900 };
const NARROW = { width: 375, height: 760 };

let demo;
let browser;
const requests = []; // every request any page made: { url, method, body }

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  demo = await startDemo({ mockPort: 0, wwwPort: 0 });
  browser = await launchChromium();
  await browser.route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
  browser.on("request", (request) => requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? "" }));
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

// ---------------------------------------------------------------- helpers

/** A fresh tab on the page, ready; `problems` collects script errors and CSP refusals. */
async function openPage(viewport = DESKTOP) {
  const page = await browser.newPage();
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
  return { page, problems };
}

/** Clicks and waits until the view's call is over. */
async function clickAndWait(page, selector, view) {
  await page.click(selector);
  await page.waitForSelector(`#${view}[aria-busy="false"]`);
}

async function listConversations(page, platform = "messenger") {
  await page.selectOption("#platform", platform);
  await clickAndWait(page, "#list-button", "conversations-view");
}

async function openThread(page, conversationId) {
  await clickAndWait(page, `button.conversation[data-conversation-id="${conversationId}"]`, "thread-view");
}

/** Lists `platform` and clicks "Load more" until `conversationId` is listed. */
async function listUntil(page, platform, conversationId) {
  await listConversations(page, platform);
  const button = `button.conversation[data-conversation-id="${conversationId}"]`;
  while (await count(page, button) === 0) {
    assert.ok(await page.isVisible("#more-conversations"), `${conversationId} is not in the ${platform} list`);
    await clickAndWait(page, "#more-conversations", "conversations-view");
  }
  return page.locator(button);
}

/**
 * The first message among an inbox thread's 20 newest (the ones with
 * details, all on the thread's first page) that `accepts`, on either
 * platform: `{ platform, thread, message }`.
 */
function findMessage(what, accepts) {
  for (const platform of ["messenger", "instagram"]) {
    for (const thread of threads(platform)) {
      const message = thread.messages.slice(0, 20).find((m) => accepts(m, thread));
      if (message) return { platform, thread, message };
    }
  }
  assert.fail(`the mock's inbox holds no ${what}`);
}

const text = (page, selector) => page.locator(selector).innerText();
const count = (page, selector) => page.locator(selector).count();

async function noHorizontalScroll(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

const shot = (page, name, fullPage = false) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });

// ---------------------------------------------------------------- tests

describe("the www page", () => {
  it("opens with the mock's URL and the demo token filled in, and the token in no URL or storage", async () => {
    const { page, problems } = await openPage();
    assert.equal(await page.inputValue("#accessToken"), TOKEN);
    assert.equal(await page.getAttribute("#accessToken", "type"), "password", "the token is masked");
    assert.equal(await page.inputValue("#baseUrl"), demo.mock.url);
    assert.equal(await page.inputValue("#pageId"), PAGE_ID);
    assert.equal(await page.inputValue("#platform"), "messenger");
    assert.ok(!page.url().includes(TOKEN), "the address bar has no token");
    const stored = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
    assert.ok(!stored.includes(TOKEN), "nothing is stored before the box is ticked");
    const client = await text(page, "#client-code");
    assert.match(client, /import \{ GraphClient, GraphError \} from "graph-conversations\/web";/);
    assert.match(client, new RegExp(`baseUrl: "${demo.mock.url}"`));
    assert.ok(!client.includes(TOKEN), "the code shows PAGE_TOKEN, not the token");
    assert.ok(await page.isVisible("#demo-aids"), "demo aids are shown for the mock");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("lists Messenger conversations, loads more through the cursor, and shows the call beside the list", async () => {
    const expected = threads("messenger");
    const { page, problems } = await openPage();
    await listConversations(page, "messenger");
    assert.equal(await count(page, "button.conversation"), 10);
    const first = page.locator("button.conversation").first();
    assert.equal(await first.getAttribute("data-conversation-id"), expected[0].id);
    const firstText = await first.innerText();
    assert.ok(firstText.includes(expected[0].participants.data[0].name), firstText);
    assert.ok(!firstText.includes("Harbor Lane Coffee"), "the Page itself is not listed as a participant");
    const withUnread = expected.slice(0, 10).findIndex((c) => c.unread_count > 0);
    const unreadItem = page.locator("button.conversation").nth(withUnread);
    assert.equal(await unreadItem.locator(".unread").innerText(), `${expected[withUnread].unread_count} unread`);
    assert.ok((await unreadItem.innerText()).includes(expected[withUnread].snippet.slice(0, 30)));
    assert.ok(await first.locator("time").getAttribute("datetime"), "the updated time is a <time>");

    const code = await text(page, "#conversations-code");
    assert.ok(code.startsWith(`const page = await client.listConversations("${PAGE_ID}", {`), code);
    assert.match(code, /platform: "messenger"/);
    assert.match(code, /limit: 10/);
    await shot(page, "desktop-list", true);

    await clickAndWait(page, "#more-conversations", "conversations-view");
    assert.equal(await count(page, "button.conversation"), 20);
    assert.equal(await page.locator("button.conversation").nth(10).getAttribute("data-conversation-id"), expected[10].id);
    assert.match(await text(page, "#conversations-code"), /after: "QQ\+\/[A-Za-z0-9+/=]+"/, "the snippet passes the cursor");

    // The meter: usage headers of the latest answer, in percent.
    const usage = await text(page, "#usage");
    assert.match(usage, /App\s+\d+%/);
    assert.match(usage, /messenger/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("lists Instagram conversations with usernames", async () => {
    const expected = threads("instagram");
    const { page, problems } = await openPage();
    await listConversations(page, "instagram");
    assert.equal(await count(page, "button.conversation"), 10);
    const first = await page.locator("button.conversation").first().innerText();
    assert.ok(first.includes(`@${expected[0].participants.data[0].username}`), first);
    assert.ok(!first.includes("harborlane.coffee"), "the Instagram account itself is not listed");
    assert.match(await text(page, "#conversations-code"), /platform: "instagram"/);
    assert.match(await text(page, "#conversations-view .view-head"), /instagram · inbox/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("opens a thread with images, video, reactions, shares, a story reply and the two markers", async () => {
    const [thread] = threads("instagram");
    const detailed = thread.messages.slice(0, 20);
    const { page, problems } = await openPage();
    await listConversations(page, "instagram");
    await openThread(page, thread.id);

    assert.equal(await count(page, "#messages > li"), thread.messages.length, "all 24 messages, newest first");
    const firstId = await page.locator("#messages > li").first().getAttribute("data-message-id");
    assert.equal(firstId, thread.messages[0].id);
    const code = await text(page, "#thread-code");
    assert.ok(code.startsWith(`const page = await client.listMessages("${thread.id}", {`), code);
    assert.match(code, /limit: 25/);

    const image = detailed.find((m) => m.attachments?.data.some((a) => a.image_data && !a.image_data.animated_gif_url));
    const imageUrl = image.attachments.data.find((a) => a.image_data).image_data.url;
    const img = page.locator(`li[data-message-id="${image.id}"] img`).first();
    assert.equal(await img.getAttribute("src"), imageUrl, "the image is an <img> of the attachment URL");
    assert.match(await img.getAttribute("alt"), /Image attachment/);

    const video = detailed.find((m) => m.attachments?.data.some((a) => a.video_data));
    const videoUrl = video.attachments.data.find((a) => a.video_data).video_data.url;
    assert.equal(await page.locator(`li[data-message-id="${video.id}"] video`).first().getAttribute("src"), videoUrl);

    const reacted = detailed.filter((m) => m.reactions);
    assert.ok(reacted.length > 0);
    for (const m of reacted) assert.ok(await count(page, `li[data-message-id="${m.id}"] .reaction`) >= 1, "a reaction chip");

    const share = detailed.find((m) => m.shares?.data[0]?.link);
    const shareLink = page.locator(`li[data-message-id="${share.id}"] .share a`);
    assert.equal(await shareLink.getAttribute("href"), new URL(share.shares.data[0].link).href);
    const emptyShare = detailed.find((m) => m.shares && !m.shares.data[0].link);
    assert.match(await text(page, `li[data-message-id="${emptyShare.id}"] .share`), /no details/);

    const reply = detailed.find((m) => m.story?.reply_to);
    const replyNode = page.locator(`li[data-message-id="${reply.id}"] .story.reply`);
    assert.match(await replyNode.innerText(), /Replied to your story/);
    assert.equal(await replyNode.locator("a").getAttribute("href"), new URL(reply.story.reply_to.link).href);
    const mention = detailed.find((m) => m.story?.mention);
    assert.match(await text(page, `li[data-message-id="${mention.id}"] .story.mention`), /Mentioned you/);

    const unsupported = detailed.filter((m) => m.is_unsupported);
    assert.equal(await count(page, ".marker.unsupported"), unsupported.length);
    assert.match(await text(page, `li[data-message-id="${unsupported[0].id}"]`), /Unsupported message/);

    const older = page.locator("#messages > li.older");
    assert.equal(await older.count(), thread.messages.length - 20, "messages past the 20 newest are marked, not errors");
    assert.equal(await older.first().locator(".marker").innerText(), OLDER_TEXT);
    assert.ok(await page.isHidden("#error"), "no error panel");

    await page.locator("#thread-view").scrollIntoViewIfNeeded();
    await shot(page, "thread");

    // getMessage on an older message: the Graph's 9000001, explained.
    await older.first().locator("button[data-action='get-message']").click();
    await page.waitForSelector("#error:not([hidden])");
    assert.equal(await text(page, "#error dd[data-field='code']"), "9000001");
    assert.match(await text(page, "#error .error-explain"), /20 newest messages/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows a Messenger thread's files, cards, stickers and withheld attachments, and older pages", async () => {
    const [thread] = threads("messenger");
    const detailed = thread.messages.slice(0, 20);
    const { page, problems } = await openPage();
    await listConversations(page, "messenger");
    await openThread(page, thread.id);
    assert.match(await text(page, "#thread-title"), new RegExp(thread.participants.data[0].name));

    const file = detailed.find((m) => m.attachments?.data.some((a) => a.file_url));
    const attachment = file.attachments.data.find((a) => a.file_url);
    const fileLink = page.locator(`li[data-message-id="${file.id}"] .file a`);
    assert.equal(await fileLink.innerText(), attachment.name);
    assert.equal(await fileLink.getAttribute("href"), new URL(attachment.file_url).href);

    const card = detailed.find((m) => m.attachments?.data.some((a) => a.generic_template));
    const title = card.attachments.data.find((a) => a.generic_template).generic_template.title;
    assert.match(await text(page, `li[data-message-id="${card.id}"] .card`), new RegExp(title.replace(/[()]/g, "\\$&")));

    const withheld = detailed.find((m) => m.attachments?.data.some((a) => !a.image_data && !a.video_data && !a.file_url && !a.generic_template));
    assert.match(await text(page, `li[data-message-id="${withheld.id}"]`), /no media in the answer/);

    // A sticker: the legacy `sticker` URL, or an attachment of type "sticker".
    const sticker = detailed.find((m) => m.sticker || m.attachments?.data.some((a) => a.type === "sticker" || a.sticker_id != null || a.image_data?.render_as_sticker));
    assert.match(await page.locator(`li[data-message-id="${sticker.id}"] img`).first().getAttribute("alt"), /Sticker/);

    // A thread of 45: the first 25, then the rest through the cursor.
    const long = threads("messenger").find((t) => t.messages.length === 45);
    await openThread(page, long.id);
    assert.equal(await count(page, "#messages > li"), 25);
    await clickAndWait(page, "#more-messages", "thread-view");
    assert.equal(await count(page, "#messages > li"), 45);
    assert.match(await text(page, "#thread-code"), /after: "QQ\+\//);
    assert.ok(await page.isHidden("#more-messages"));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows who owns each conversation (is_owner) when the Graph says", async () => {
    const owned = ["messenger", "instagram"].flatMap((platform) => threads(platform).map((thread) => ({ platform, thread })))
      .filter(({ thread }) => typeof thread.is_owner === "boolean");
    assert.ok(owned.some(({ thread }) => thread.is_owner) && owned.some(({ thread }) => !thread.is_owner),
      "the mock's inbox has conversations this app owns and one another app owns");
    const { page, problems } = await openPage();
    for (const { platform, thread } of [owned.find((o) => o.thread.is_owner), owned.find((o) => !o.thread.is_owner)]) {
      const entry = await listUntil(page, platform, thread.id);
      assert.equal(await entry.locator(thread.is_owner ? ".badge.owner" : ".badge.not-owner").innerText(),
        thread.is_owner ? "this app owns it" : "another app owns it");
    }
    assert.match(await text(page, "#conversations-code"), /"is_owner"/, "the list asks for it");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("links a reply to the message it quotes, once that message is in the list", async () => {
    const position = (mid, thread) => thread.messages.findIndex((m) => m.id === mid);
    const { page, problems } = await openPage();

    // A quoted message on the thread's first page: a link that quotes its text and leads to it.
    const { platform, thread, message: reply } = findMessage("reply (reply_to) to a message on its thread's first page",
      (m, t) => m.reply_to?.mid && position(m.reply_to.mid, t) >= 0 && position(m.reply_to.mid, t) < 25);
    await listUntil(page, platform, thread.id);
    await openThread(page, thread.id);
    const replyNode = page.locator(`li[data-message-id="${reply.id}"] .reply-to`);
    assert.match(await replyNode.innerText(), /^↩ replying to /);
    const replyLink = replyNode.locator("a.reply-link");
    assert.equal(await replyLink.getAttribute("href"), `#message-${reply.reply_to.mid}`);
    const quoted = thread.messages[position(reply.reply_to.mid, thread)];
    if (quoted.message) assert.ok((await replyLink.innerText()).includes([...quoted.message].slice(0, 20).join("")), "the link quotes the text");
    await replyLink.click();
    assert.equal(await page.evaluate(() => document.querySelector(".message:target")?.getAttribute("data-message-id")), reply.reply_to.mid,
      "the link leads to the quoted message");

    // A quoted message on a later page: named as not loaded, linked once "Load older messages" brings it.
    const old = findMessage("reply (reply_to) to a message past its thread's first page",
      (m, t) => m.reply_to?.mid && position(m.reply_to.mid, t) >= 25);
    await listUntil(page, old.platform, old.thread.id);
    await openThread(page, old.thread.id);
    const oldReply = page.locator(`li[data-message-id="${old.message.id}"] .reply-to`);
    assert.match(await oldReply.innerText(), /not loaded/);
    while (await count(page, `li[data-message-id="${old.message.reply_to.mid}"]`) === 0) {
      await clickAndWait(page, "#more-messages", "thread-view");
    }
    assert.equal(await oldReply.locator("a.reply-link").getAttribute("href"), `#message-${old.message.reply_to.mid}`);
    await shot(page, "thread-replies");
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("shows a sticker attachment (sticker_id) as the sticker's image", async () => {
    const sticker = findMessage("sticker attachment", (m) => m.attachments?.data.some((a) => a.type === "sticker" || a.sticker_id != null));
    const { page, problems } = await openPage();
    await listUntil(page, sticker.platform, sticker.thread.id);
    await openThread(page, sticker.thread.id);
    const image = page.locator(`li[data-message-id="${sticker.message.id}"] .media.sticker img`);
    assert.equal(await image.getAttribute("alt"), "Sticker");
    const data = sticker.message.attachments.data.find((a) => a.type === "sticker" || a.sticker_id != null).image_data;
    if (data?.url) assert.equal(await image.getAttribute("src"), new URL(data.url).href);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("explains a Graph error: message, code, fbtrace id, what it means and when to try again", async () => {
    const { page, problems } = await openPage();
    await listConversations(page, "messenger");
    const answer = page.waitForResponse((r) => r.url().includes("/error-613"));
    await page.click("button[data-id='error-613']");
    const body = await (await answer).json();
    await page.waitForSelector("#error:not([hidden])");
    assert.equal(await text(page, "#error .error-title"), "Rate limit reached");
    assert.match(await text(page, "#error .error-message"), /exceeded the rate limit/);
    assert.match(await text(page, "#error dd[data-field='rate-limited']"), /^yes/, "err.rateLimited, from the package");
    assert.equal(await text(page, "#error dd[data-field='code']"), "613");
    assert.equal(await text(page, "#error dd[data-field='fbtrace-id']"), body.error.fbtrace_id);
    assert.equal(await text(page, "#error dd[data-field='HTTP-status']"), "400");
    assert.match(await text(page, "#error .error-explain"), /Try again in 3 minutes/);
    assert.match(await text(page, "#error .error-call"), /await client\.getConversation\("error-613"\)/);
    // The meter shows the throttled use case and when access comes back.
    assert.match(await text(page, "#usage"), /100%/);
    assert.match(await text(page, "#usage"), /wait 3 min/);
    await shot(page, "error");

    // A Messenger limit that asks for a minute: shown at once, not waited out.
    await page.click("button[data-id='error-80006']");
    await page.waitForFunction(() => document.querySelector("#error dd[data-field='code']")?.textContent === "80006");
    assert.equal(await text(page, "#error .error-title"), "Messenger rate limit reached");
    assert.match(await text(page, "#error .error-explain"), /Try again in 1 minute\b/);

    // A mistyped token: the Graph's 190, in plain words.
    await page.fill("#accessToken", "EAAG-not-a-real-token");
    await clickAndWait(page, "#list-button", "conversations-view");
    assert.equal(await text(page, "#error .error-title"), "The access token is not valid");
    assert.equal(await text(page, "#error dd[data-field='code']"), "190");
    assert.match(await text(page, "#error .error-explain"), /new Page access token/);
    assert.match(await text(page, "#conversations-status"), /failed/);
    assert.ok(!(await text(page, "#error")).includes("EAAG-not-a-real-token"), "the panel never shows the token");

    await page.click("#error [data-action='dismiss-error']");
    assert.ok(await page.isHidden("#error"));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("keeps the settings across a reload only while the box is ticked", async () => {
    const { page } = await openPage();
    await page.selectOption("#platform", "instagram");
    await page.check("#remember");
    await page.reload();
    await page.waitForSelector("html[data-ready='true']");
    assert.equal(await page.inputValue("#platform"), "instagram", "remembered");
    assert.equal(await page.inputValue("#accessToken"), TOKEN);
    assert.ok(await page.isChecked("#remember"));
    await page.uncheck("#remember");
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "unticking forgets");
    await page.reload();
    await page.waitForSelector("html[data-ready='true']");
    assert.equal(await page.inputValue("#platform"), "messenger", "back to the demo's settings");
    await page.close();
  });

  it("fits a 375px-wide screen without horizontal scrolling", async () => {
    const { page, problems } = await openPage(NARROW);
    await noHorizontalScroll(page);
    await shot(page, "narrow");
    await listConversations(page, "instagram");
    await noHorizontalScroll(page);
    const [thread] = threads("instagram");
    await openThread(page, thread.id);
    await noHorizontalScroll(page);
    await shot(page, "narrow-thread");
    await page.click("button[data-id='error-190']");
    await page.waitForSelector("#error:not([hidden])");
    await noHorizontalScroll(page);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("sends the token nowhere but the Graph, and never in a URL", async () => {
    // Runs last: `requests` holds every request of every test above.
    assert.ok(requests.some((r) => r.url.startsWith(demo.mock.url)), "the page called the mock");
    for (const r of requests) {
      assert.ok(!r.url.includes(TOKEN) && !r.url.includes("EAAG-not-a-real-token"), `token in a URL: ${r.method} ${r.url}`);
      if (r.body.includes(TOKEN)) assert.ok(r.url.startsWith(`${demo.mock.url}/`), `token sent to ${r.url}`);
    }
    const external = requests.filter((r) => !new URL(r.url).hostname.startsWith("127.0.0.1"));
    assert.ok(external.every((r) => r.method === "GET" && !r.body), "only media loads leave for other hosts (and are aborted here)");
  });
});
