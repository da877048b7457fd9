// Deterministic inbox data for the mock Graph.
//
// Every value is derived from a seed string (platform, folder, thread ordinal;
// seed.mjs), never from Math.random, so two runs and two servers produce
// identical bytes, and asking for 200 threads keeps the first 60 exactly as
// they are by default. The shapes the Graph added in 2025–2026 are laid over
// it by data-2026.mjs.

import { base64url, digits, fbcdnUrl, hex, igCdnUrl, int, pick, rngFor } from "./seed.mjs";
import { withRecentShapes } from "./data-2026.mjs";

// ---------------------------------------------------------------- constants

export const TOKEN = "EAAG-mock-page-token";
/** A second valid token, so per-token pacing can be tested with two clients. */
export const SECOND_TOKEN = "EAAG-mock-second-page-token";
/** Answers 190 / subcode 463 (session expired). */
export const EXPIRED_TOKEN = "EAAG-expired-token";
export const APP_SECRET = "mock-app-secret";
/**
 * The Instagram User token of the Instagram API with Instagram Login flavour
 * (graph.instagram.com: the mock's `/instagram` base path). It starts with
 * IGAA, as real ones do; graph.facebook.com (the mock's root) answers it 190.
 */
export const IG_USER_TOKEN = "IGAA-mock-instagram-user-token";
export const PAGE_ID = "104620945892041";
export const PAGE_NAME = "Harbor Lane Coffee";
export const IG_ACCOUNT_ID = "17841400000000001";
export const IG_USERNAME = "harborlane.coffee";
export const DEFAULT_VERSION = "v21.0";

export const PLATFORMS = Object.freeze(["messenger", "instagram"]);
export const FOLDERS = Object.freeze(["inbox", "other", "page_done", "spam"]);
/** Inbox sizes when startMockGraph() gets no `threads` option. */
export const DEFAULT_THREAD_COUNTS = Object.freeze({ messenger: 60, instagram: 45 });
/** Threads outside the inbox; fixed so tests of `folder` know what to expect. */
export const EXTRA_FOLDER_COUNTS = Object.freeze({
  messenger: Object.freeze({ other: 3, page_done: 2, spam: 2 }),
  instagram: Object.freeze({ other: 2, page_done: 1, spam: 1 }),
});
/** The Graph gives details only for a thread's 20 newest messages. */
export const DETAIL_WINDOW = 20;
/** A real-world id shape with dots and a colon; it sits in the detail window. */
export const ODD_MESSAGE_ID = "m_mid.46348462:357234723feb";
/** Same legacy shape, but old: outside the detail window. */
export const OLD_ODD_MESSAGE_ID = "m_mid.1463484620123:8cd7aa4e6ee9cdae01";

/** Newest activity in the whole mock: 2026-11-20T14:03:11+0000. */
const NEWEST_SECONDS = Date.UTC(2026, 10, 20, 14, 3, 11) / 1000;

/** Graph time format: ISO 8601, seconds, `+0000` without a colon. */
export function graphTime(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 19) + "+0000";
}

/**
 * The time the seeded inbox is as of, five minutes after its newest message:
 * 2026-11-20T14:08:11+0000. The mock's clock starts here when the mock starts
 * (and again on reset) and runs at real speed; the Send API's reply windows
 * of seeded customers are measured on it (send.mjs), so which customers may
 * be answered is the same on every run, whatever the date.
 */
export const INBOX_NOW = graphTime(NEWEST_SECONDS + 300);

// ---------------------------------------------------------------- people

// [display name, Instagram username]; mixed scripts on purpose.
const PEOPLE = [
  ["Amélie Laurent", "amelie.laurent_"], ["Jonas Schäfer", "jonas_schaefer92"],
  ["Sofía Ramírez", "sofi.ramirez"], ["Wei Chen", "weichen.eats"],
  ["Aiko Tanaka", "aiko_tnk"], ["Олена Коваленко", "olena.kovalenko"],
  ["محمد العلي", "m.alali"], ["Priya Natarajan", "priya.n.designs"],
  ["Kwame Mensah", "kwame.mensah"], ["Ngozi Okafor", "ngozi_okafor"],
  ["Liam O'Brien", "liam.obrien"], ["Mateus Silva", "mateus.silva.rj"],
  ["Björk Guðmundsdóttir", "bjork.gud"], ["Nguyễn Văn An", "an.nguyen.van"],
  ["Dmitri Volkov", "d.volkov"], ["Chloé Dubois", "chloe_dbs"],
  ["山田 太郎", "taro.yamada"], ["Ιωάννα Παππά", "ioanna.pappa"],
  ["Yusuf Demir", "yusufdemir34"], ["Emma Johansson", "emma.j.sthlm"],
  ["김민준", "minjun.kim"], ["Zoë van der Berg", "zoe.vdberg"],
  ["Rahul Mehta", "rahulmehta.cafe"], ["Fatima Zahra", "fz.bakes"],
];

/** The Page (Messenger) or the Instagram account as a thread participant. */
export function pageParticipant(platform) {
  return platform === "instagram"
    ? { username: IG_USERNAME, id: IG_ACCOUNT_ID }
    : { name: PAGE_NAME, email: `${PAGE_ID}@facebook.com`, id: PAGE_ID };
}

function makePerson(platform, rng) {
  const [name, username] = pick(rng, PEOPLE);
  if (platform === "instagram") return { username, id: digits(rng, 17) };
  const psid = digits(rng, 16);
  return { name, email: `${psid}@facebook.com`, id: psid };
}

// ---------------------------------------------------------------- texts

const CUSTOMER_LINES = [
  "Hi! Do you still have the oat milk flat white on the autumn menu?",
  "Is the shop on Harbor Lane open on Sunday mornings? ☀️",
  "I ordered two bags of the Ethiopian beans last week and only one arrived.",
  "Can I book the back room for a birthday on the 14th, around 15 people? 🎂",
  "Your cinnamon buns are unreal 😍 do you ship them?",
  "Do you have gluten-free options that are also vegan?",
  "I think I left my umbrella there yesterday, a green one with a wooden handle.",
  "What time does the kitchen stop serving breakfast?",
  "Is there parking nearby or should I take the tram?",
  "Can I pay with a gift card online?",
  "The wifi password on the receipt doesn't seem to work anymore.",
  "Do you sell the ceramic mugs you serve in? They're beautiful.",
  "Hey, any chance you are hiring baristas for the winter season?",
  "We'd love to cater coffee for our office event next Friday (40 people).",
  "Is the decaf Swiss water processed?",
  "Just wanted to say thanks, the team was lovely today ❤️",
  "Can I bring my dog inside? 🐕",
  "Do you have a loyalty card or an app?",
  "The order number is #A-20931, it says delivered but I can't find it.",
  "He said \"it's fine\" but the lid was broken \\ leaking everywhere.",
];

const PAGE_LINES = [
  "Thanks for reaching out! 😊",
  "Yes, we open at 8:00 on Sundays and close at 16:00.",
  "I'm sorry about that, I've asked the team to send the missing bag today.",
  "The back room is free on the 14th; I've pencilled you in until tomorrow.",
  "We ship the buns within the city only, on Tuesdays and Fridays.",
  "All our pastries are listed with allergens on harborlane.example/menu.",
  "We found a green umbrella! It's behind the counter with your name on it.",
  "Breakfast is served until 11:30 every day.",
  "There's a public garage two streets away, and the 4 tram stops outside.",
  "Gift cards work online: enter the code at checkout.",
  "The password changes weekly; today it's on the board by the door.",
  "The mugs are made by a local potter, we have a few for sale in the shop.",
  "We are! Please send your CV to jobs@harborlane.example.",
  "We'd be happy to cater, could you share the address and the time?",
  "Yes, our decaf is Swiss water processed, no chemicals involved.",
  "Dogs are very welcome, we even have treats 🐶",
  "Our loyalty card is stamped at the till, the 10th coffee is on us.",
  "I'll check with the courier and come back to you within the hour.",
];

const NON_LATIN_LINES = [
  "こんにちは！明日の予約はまだ可能ですか？",
  "Здравствуйте! Можно заказать торт на субботу?",
  "مرحبا، هل لديكم خيارات نباتية؟ 🌱",
  "你好，请问周末几点开门？",
  "Γεια σας! Έχετε χυμό πορτοκάλι;",
  "안녕하세요! 주차 가능한가요?",
  "नमस्ते! क्या आप होम डिलीवरी करते हैं?",
  "Xin chào! Quán có wifi không?",
  "שלום! האם יש לכם חלב סויה?",
];

const EMOJI_LINES = [
  "🎉🎉🎉", "👍", "❤️☕️🥐", "😂😂 that's amazing",
  "👨‍👩‍👧‍👦 family table for 4 please?", "🇫🇷🇩🇪🇯🇵 we're tourists, any English menu?",
  "Merci 🙏🏽 ça marche 👍🏼",
];

function lines(rng, pool, count) {
  return Array.from({ length: count }, () => pick(rng, pool)).join(" ");
}

// A few paragraphs of 1000+ characters: real inboxes have them.
function longText(rng, pool) {
  const paragraphs = Array.from({ length: int(rng, 3, 5) }, () => lines(rng, pool, int(rng, 3, 5)));
  return paragraphs.join("\n\n");
}

// ---------------------------------------------------------------- media

const mediaUrl = (platform, rng, ext) => (platform === "instagram" ? igCdnUrl(rng) : fbcdnUrl(rng, ext));

function imageData(platform, rng, { sticker = false, gif = false } = {}) {
  const width = sticker ? 240 : pick(rng, [720, 960, 1080, 1440]);
  const height = sticker ? 240 : pick(rng, [720, 1280, 1350, 1920]);
  const data = {
    url: mediaUrl(platform, rng, gif ? "gif" : "jpg"),
    preview_url: mediaUrl(platform, rng, "jpg"),
    width, height, max_width: width, max_height: height,
    image_type: 1, render_as_sticker: sticker,
  };
  if (gif) {
    data.animated_gif_url = mediaUrl(platform, rng, "gif");
    data.animated_gif_preview_url = mediaUrl(platform, rng, "gif");
  }
  return data;
}

// Instagram attachments carry only the media object (no id/name/size).
function imageAttachment(platform, rng, options = {}) {
  const image_data = imageData(platform, rng, options);
  if (platform === "instagram") return { image_data };
  const id = digits(rng, 16);
  const ext = options.gif ? "gif" : options.sticker ? "png" : "jpg";
  const mime_type = { gif: "image/gif", png: "image/png", jpg: "image/jpeg" }[ext];
  return { id, mime_type, name: `image-${id}.${ext}`, size: int(rng, 20_000, 2_400_000), image_data };
}

function videoAttachment(platform, rng) {
  const video_data = {
    url: platform === "instagram" ? igCdnUrl(rng)
      : `https://video.xx.fbcdn.net/v/t42.3356-2/${digits(rng, 8)}_${digits(rng, 16)}_${digits(rng, 19)}_n.mp4?_nc_cat=10${int(rng, 1, 9)}&ccb=1-7&_nc_sid=060d78&oh=03_${base64url(rng, 30)}&oe=${hex(rng, 8).toUpperCase()}`,
    preview_url: mediaUrl(platform, rng, "jpg"),
    width: 720, height: 1280, length: int(rng, 3, 95), video_type: 0, rotation: 0,
  };
  if (platform === "instagram") return { video_data };
  const id = digits(rng, 16);
  return { id, mime_type: "video/mp4", name: `video-${id}.mp4`, size: int(rng, 400_000, 25_000_000), video_data };
}

function fileAttachment(rng) {
  const id = digits(rng, 16);
  const name = pick(rng, ["menu-autumn-2026.pdf", "invoice_A-20931.pdf", "event-brief.docx", "allergens.xlsx"]);
  return {
    id, mime_type: name.endsWith(".pdf") ? "application/pdf" : "application/octet-stream", name,
    size: int(rng, 30_000, 900_000),
    file_url: `https://cdn.fbsbx.com/v/t59.2708-21/${digits(rng, 9)}_${digits(rng, 16)}_${digits(rng, 19)}_n.pdf/${name}?_nc_cat=10${int(rng, 1, 9)}&ccb=1-7&_nc_sid=0cab14&oh=03_${base64url(rng, 30)}&oe=${hex(rng, 8).toUpperCase()}`,
  };
}

// EU privacy rules strip everything but the id and name.
function euPrivacyAttachment(rng) {
  const id = digits(rng, 16);
  return { id, name: `image-${id}.jpg` };
}

function templateAttachment(rng) {
  const item = pick(rng, ["Autumn blend 250 g", "Cinnamon bun box (6)", "Ceramic mug, sea green", "Gift card €25"]);
  const slug = item.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    id: digits(rng, 16),
    generic_template: {
      title: item,
      subtitle: pick(rng, ["Roasted this week", "Fresh every morning", "Handmade locally", "Valid for one year"]),
      url: `https://harborlane.example/shop/${slug}`,
      media_url: `https://harborlane.example/img/${slug}.jpg`,
      cta: { title: "View", type: "web_url", url: `https://harborlane.example/shop/${slug}?ref=messenger` },
    },
  };
}

// Attachments lists can carry their own paging, with cursors that lead nowhere.
function attachmentList(items, rng) {
  const list = { data: items };
  if (items.length > 1) list.paging = { cursors: { before: base64url(rng, 24), after: base64url(rng, 24) } };
  return list;
}

function shareList(platform, rng, withNulls) {
  if (withNulls) return { data: [{ link: null, name: null, description: null, id: null, template: null }] };
  if (platform === "instagram") return { data: [{ link: igCdnUrl(rng) }] };
  return {
    data: [{
      link: `https://www.facebook.com/harborlanecoffee/posts/pfbid0${base64url(rng, 30)}`,
      name: pick(rng, ["Autumn menu is here 🍂", "We're hiring!", "New roast: Huila, Colombia"]),
      description: null, id: digits(rng, 16), template: null,
    }],
  };
}

function storyOf(rng, kind) {
  return { [kind]: { link: igCdnUrl(rng), id: digits(rng, 17) } };
}

function reactionList(platform, rng, reactor) {
  const reaction = platform === "instagram" ? pick(rng, ["love", "❤"]) : pick(rng, ["❤", "😆", "👍", "😮", "😢"]);
  return { data: [{ reaction, users: [reactor] }] };
}

// ---------------------------------------------------------------- messages

// Kinds a message can be; the first thread of each platform shows every one.
const FORCED_KINDS = {
  messenger: ["emoji", "image-empty", "sticker", "eu-privacy", "share-nulls", "long", "unsupported",
    "video", "file", "gif", "template", "multi-attachment", "non-latin", "share"],
  instagram: ["story-reply", "story-mention", "image-empty", "share-nulls", "unsupported", "long",
    "video", "share", "non-latin", "emoji", "gif", "multi-attachment"],
};

function randomKind(rng) {
  const r = rng();
  const table = [[0.56, "text"], [0.64, "long"], [0.71, "image"], [0.74, "sticker"], [0.77, "video"],
    [0.79, "file"], [0.82, "share"], [0.84, "gif"], [0.86, "unsupported"], [0.88, "eu-privacy"],
    [0.91, "template"], [0.93, "story-reply"], [0.96, "non-latin"], [1, "emoji"]];
  return table.find(([limit]) => r < limit)[1];
}

// Keep every kind plausible for the platform and the sender.
function settleKind(kind, platform, fromPage) {
  if (platform === "messenger" && kind.startsWith("story")) return "text";
  if (platform === "instagram" && ["file", "template", "eu-privacy", "sticker"].includes(kind)) return "image";
  if (fromPage && (kind.startsWith("story") || kind === "sticker")) return "text";
  if (!fromPage && kind === "template") return "image";
  return kind;
}

function tagsFor(platform, fromPage) {
  if (platform === "instagram") return { data: [{ name: "inbox" }] };
  return { data: [{ name: "inbox" }, { name: fromPage ? "sent" : "read" }, { name: "source:chat" }] };
}

// What each kind of message carries besides its text. `c` holds the platform,
// the rng, the sender side and a `text()` maker in the sender's voice.
const attach = (message, c, items) => { message.attachments = attachmentList(items, c.rng); };
const KINDS = {
  text: (m, c) => { m.message = c.text(); },
  long: (m, c) => { m.message = longText(c.rng, c.pool); },
  "non-latin": (m, c) => { m.message = lines(c.rng, NON_LATIN_LINES, int(c.rng, 1, 2)); },
  emoji: (m, c) => { m.message = pick(c.rng, EMOJI_LINES); },
  image: (m, c) => { m.message = c.maybeText(); attach(m, c, [imageAttachment(c.platform, c.rng)]); },
  "image-empty": (m, c) => attach(m, c, [imageAttachment(c.platform, c.rng)]),
  "multi-attachment": (m, c) => {
    m.message = c.text();
    attach(m, c, [imageAttachment(c.platform, c.rng), imageAttachment(c.platform, c.rng), videoAttachment(c.platform, c.rng)]);
  },
  gif: (m, c) => attach(m, c, [imageAttachment(c.platform, c.rng, { gif: true })]),
  sticker: (m, c) => {
    m.sticker = `https://scontent.xx.fbcdn.net/v/t39.1997-6/${digits(c.rng, 9)}_${digits(c.rng, 15)}_${digits(c.rng, 19)}_n.png` +
      `?_nc_cat=1&ccb=1-7&_nc_sid=ac3552&_nc_ht=scontent.xx&oh=00_${base64url(c.rng, 30)}&oe=${hex(c.rng, 8).toUpperCase()}`;
    attach(m, c, [imageAttachment(c.platform, c.rng, { sticker: true })]);
  },
  video: (m, c) => { m.message = c.maybeText(); attach(m, c, [videoAttachment(c.platform, c.rng)]); },
  file: (m, c) => { m.message = c.text(); attach(m, c, [fileAttachment(c.rng)]); },
  "eu-privacy": (m, c) => attach(m, c, [euPrivacyAttachment(c.rng)]),
  template: (m, c) => { m.message = c.text(); attach(m, c, [templateAttachment(c.rng)]); },
  share: (m, c) => { m.message = c.maybeText(); m.shares = shareList(c.platform, c.rng, false); },
  "share-nulls": (m, c) => { m.shares = shareList(c.platform, c.rng, true); },
  "story-reply": (m, c) => { m.message = c.text(); m.story = storyOf(c.rng, "reply_to"); },
  "story-mention": (m, c) => { m.story = storyOf(c.rng, "mention"); },
  unsupported: (m) => { m.is_unsupported = true; },
};

// Fills text and extras for one message kind (message stays "" unless set).
function applyKind(message, kind, { platform, rng, fromPage, page }) {
  const pool = fromPage ? PAGE_LINES : CUSTOMER_LINES;
  const text = () => lines(rng, pool, int(rng, 2, 4));
  const maybeText = () => (rng() < 0.5 ? text() : "");
  KINDS[kind](message, { platform, rng, pool, text, maybeText });
  if (rng() < 0.15 || kind === "emoji") message.reactions = reactionList(platform, rng, fromPage ? message.to.data[0] : page);
}

function messageId(platform, rng, threadKey) {
  if (platform === "instagram") {
    const raw = `ig_message_item:1:IGMessageThread:${IG_ACCOUNT_ID}:${threadKey}:${digits(rng, 38)}`;
    return Buffer.from(raw).toString("base64url");
  }
  return `m_${base64url(rng, 66)}`;
}

// Pins the odd legacy ids to the Messenger thread that has 45 messages.
function pinnedMessageId(thread, index) {
  if (thread.platform !== "messenger" || thread.folder !== "inbox" || thread.ordinal !== 3) return null;
  return { 2: ODD_MESSAGE_ID, 30: OLD_ODD_MESSAGE_ID }[index] ?? null;
}

function buildMessage(thread, index, createdSeconds, rng) {
  const { platform, person, page } = thread;
  const forced = thread.folder === "inbox" && thread.ordinal === 0 ? FORCED_KINDS[platform][index] : undefined;
  const fromPage = forced ? ["template", "share"].includes(forced) : rng() < 0.4;
  const kind = settleKind(forced ?? randomKind(rng), platform, fromPage);
  const message = {
    id: pinnedMessageId(thread, index) ?? messageId(platform, rng, thread.key),
    created_time: graphTime(createdSeconds),
    from: fromPage ? page : person,
    to: { data: [fromPage ? person : page] },
    message: "",
  };
  applyKind(message, kind, { platform, rng, fromPage, page });
  message.tags = tagsFor(platform, fromPage);
  message.is_unsupported = message.is_unsupported ?? false;
  return message;
}

// Newest first; created times strictly decrease.
function buildMessages(thread, count, rng) {
  const messages = [];
  let t = thread.updatedSeconds;
  for (let i = 0; i < count; i++) {
    messages.push(buildMessage(thread, i, t, rng));
    t -= int(rng, 20, 5 * 3600);
  }
  return messages;
}

// ---------------------------------------------------------------- threads

// Pinned counts make the edge cases certain: exactly one thread each with
// 20 and 21 messages, several above 20 and 25, and a one-message thread.
const PINNED_COUNTS = { 0: 24, 1: 3, 2: 20, 3: 45, 4: 1, 5: 21, 6: 33, 7: 26, 8: 40, 9: 12 };

function messageCount(folder, ordinal, rng, fixed) {
  if (fixed !== undefined) return fixed;
  if (folder === "inbox" && ordinal in PINNED_COUNTS) return PINNED_COUNTS[ordinal];
  const n = int(rng, 1, 45);
  return n === 20 ? 19 : n === 21 ? 22 : n; // keep 20 and 21 unique
}

function threadIdentity(platform, rng) {
  if (platform === "instagram") {
    const key = digits(rng, 39);
    const id = Buffer.from(`ig_thread:1:IGMessageThread:${IG_ACCOUNT_ID}:${key}`).toString("base64url");
    return { id, key };
  }
  const key = digits(rng, 15);
  return { id: `t_${key}`, key };
}

/** A conversation's `snippet` for its newest message ("" for none). */
export function snippetOf(message) {
  if (!message) return "";
  if (message.message) return [...message.message].slice(0, 100).join("");
  const who = message.from.name ?? message.from.username;
  if (message.sticker) return `${who} sent a sticker.`;
  if (message.attachments) return `${who} sent an attachment.`;
  if (message.shares) return `${who} shared a link.`;
  return "";
}

function uniqueSenders(messages) {
  const seen = new Map();
  for (const m of messages) if (!seen.has(m.from.id)) seen.set(m.from.id, m.from);
  return [...seen.values()];
}

// Graph-facing conversation fields; `messages` stays a plain array here and
// becomes a paged edge only when the server answers.
function conversationFields(thread, rng) {
  const newest = thread.messages[0];
  const fields = {
    id: thread.id,
    updated_time: graphTime(thread.updatedSeconds),
    message_count: thread.messages.length,
    unread_count: newest.from.id === thread.page.id ? 0 : int(rng, 0, 3),
    snippet: snippetOf(newest),
    participants: { data: [thread.person, thread.page] },
    senders: { data: uniqueSenders(thread.messages) },
    former_participants: { data: thread.ordinal % 11 === 4 ? [makePerson(thread.platform, rng)] : [] },
    can_reply: thread.ordinal % 17 !== 9,
    is_subscribed: true,
    link: `/${PAGE_ID}/inbox/${digits(rng, 15)}/?section=messages`,
    name: "",
    scoped_thread_key: `t_${thread.person.id}`,
  };
  if (thread.ordinal % 13 === 7) fields.subject = "Re: your order";
  if (thread.ordinal % 9 === 5) fields.wallpaper = fbcdnUrl(rng, "jpg");
  return fields;
}

function buildThread(platform, folder, ordinal, updatedSeconds, messagesPerThread) {
  const rng = rngFor(`${platform}|${folder}|${ordinal}`);
  const { id, key } = threadIdentity(platform, rng);
  const thread = { platform, folder, ordinal, id, key, updatedSeconds, person: makePerson(platform, rng), page: pageParticipant(platform) };
  thread.messages = buildMessages(thread, messageCount(folder, ordinal, rng, messagesPerThread), rng);
  return withRecentShapes({ platform, folder, ...conversationFields(thread, rng), messages: thread.messages }, ordinal);
}

// Each folder has its own timeline; gaps come from per-index seeds so a
// longer inbox extends the list without changing its head.
function buildFolder(platform, folder, count, messagesPerThread) {
  const start = NEWEST_SECONDS - FOLDERS.indexOf(folder) * 7919;
  const list = [];
  let t = start;
  for (let i = 0; i < count; i++) {
    list.push(buildThread(platform, folder, i, t, messagesPerThread));
    t -= int(rngFor(`${platform}|${folder}|gap|${i}`), 240, 9 * 3600);
  }
  return list;
}

function folderCounts(platform, inboxCount) {
  return { inbox: inboxCount, ...EXTRA_FOLDER_COUNTS[platform] };
}

// ---------------------------------------------------------------- the inbox

/**
 * Index from every id to what it names; throws on a duplicate conversation id.
 * Each thread draws from its own 32-bit seeded stream, and with thousands of
 * threads two streams overlap now and then: a later thread then repeats an
 * earlier one's message ids. Such a message gets a fresh id from a seed of its
 * own (thread id and index), so large inboxes (10,000 threads for the
 * benchmark) build; an inbox without overlap keeps every byte it had.
 */
function indexInbox(inbox) {
  const byId = new Map();
  const add = (id, entry) => {
    if (byId.has(id)) throw new Error(`mock data: duplicate id ${id}`);
    byId.set(id, entry);
  };
  for (const platform of PLATFORMS) {
    for (const folder of FOLDERS) {
      for (const thread of inbox[platform][folder]) {
        add(thread.id, { kind: "conversation", thread });
        thread.messages.forEach((message, index) => {
          for (let attempt = 1; byId.has(message.id); attempt++) message.id = freshMessageId(thread, index, attempt);
          add(message.id, { kind: "message", thread, message, index });
        });
      }
    }
  }
  return byId;
}

/** A message id of the thread's platform from its own seed: thread id, index and attempt. */
function freshMessageId(thread, index, attempt) {
  const rng = rngFor(`${thread.id}|${index}|unique|${attempt}`);
  if (thread.platform !== "instagram") return messageId(thread.platform, rng, "");
  const key = Buffer.from(thread.id, "base64url").toString().split(":").pop();
  return messageId(thread.platform, rng, key);
}

const inboxCache = new Map();

/**
 * The whole mock inbox for the given inbox sizes (cached; treat as read-only).
 * `messagesPerThread` gives every thread that many messages (benchmarks);
 * by default lengths vary from 1 to 45, with the edge cases pinned.
 * Returns `{ messenger: {inbox, other, page_done, spam}, instagram: {…}, byId }`.
 */
export function buildInbox(counts = {}, { messagesPerThread } = {}) {
  // An undefined size is the default one, as in startMock({ threads }).
  const given = Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== undefined));
  const sizes = { ...DEFAULT_THREAD_COUNTS, ...given };
  const cacheKey = `${sizes.messenger}/${sizes.instagram}/${messagesPerThread ?? "varied"}`;
  if (!inboxCache.has(cacheKey)) {
    const inbox = {};
    for (const platform of PLATFORMS) {
      const perFolder = folderCounts(platform, sizes[platform]);
      inbox[platform] = Object.fromEntries(FOLDERS.map((f) => [f, buildFolder(platform, f, perFolder[f], messagesPerThread)]));
    }
    inbox.byId = indexInbox(inbox);
    inboxCache.set(cacheKey, inbox);
  }
  return inboxCache.get(cacheKey);
}

/**
 * The full deterministic list of threads the mock serves for a platform and
 * folder, newest first: `{ id, updated_time, participants, …, messages: [newest first] }`
 * plus `platform` and `folder`. A deep copy: tests may mutate it freely.
 * `count` is the inbox size (as in `startMockGraph({ threads })`).
 */
export function threads(platform = "messenger", { folder = "inbox", count, messagesPerThread } = {}) {
  const inbox = buildInbox(count === undefined ? {} : { [platform]: count }, { messagesPerThread });
  return structuredClone(inbox[platform][folder]);
}

/** The thread (any folder) whose non-page participant has this id, or null. */
export function findThreadByUser(inbox, platform, userId) {
  for (const folder of FOLDERS) {
    const hit = inbox[platform][folder].find((t) => t.participants.data[0].id === userId);
    if (hit) return hit;
  }
  return null;
}
