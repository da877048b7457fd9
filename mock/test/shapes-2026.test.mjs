// The Graph's 2025–2026 shapes in the mock (data-2026.mjs, fields.mjs):
// is_owner on conversations, reply_to on messages, stickers as attachments of
// type "sticker", Instagram post shares as "ig_post" attachments. Each is in
// the seeded data, served only when asked for, as the Graph does.
//
//   node --test mock/test/shapes-2026.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DETAIL_WINDOW, PAGE_ID, TOKEN, startMockGraph, threads } from "../server.mjs";

let mock;
before(async () => { mock = await startMockGraph(); });
after(() => mock.close());

async function graph(path, params = {}) {
  const url = new URL(mock.url + path);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: await res.json() };
}

const messenger = threads("messenger");
const instagram = threads("instagram");
const all = (list) => list.flatMap((t) => t.messages);
const withType = (list, type) => all(list).filter((m) => m.attachments?.data.some((a) => a.type === type));
const replies = (list) => all(list).filter((m) => m.reply_to);

// What the Rust client asks for by default (src/core/request.rs, Nov 2026), and the rest of the 2026 sub-fields.
const CLIENT_DEFAULTS = "id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template,sticker_id},"
  + "reactions,shares,story,tags,is_unsupported,reply_to";

describe("in the data", () => {
  test("every conversation says is_owner; a few are owned by another app", () => {
    for (const list of [messenger, instagram]) {
      assert.ok(list.every((t) => typeof t.is_owner === "boolean"));
      const notOwned = list.filter((t) => !t.is_owner);
      assert.ok(notOwned.length >= 3 && notOwned.length < list.length / 5, `${notOwned.length} not owned`);
      assert.equal(list[0].is_owner, true);
    }
  });

  test("a Messenger sticker attachment: type sticker, a numeric sticker_id, the image as image_data", () => {
    const [sticker, ...more] = withType(messenger, "sticker");
    assert.equal(more.length, 0);
    assert.ok(messenger[0].messages.slice(0, DETAIL_WINDOW).includes(sticker), "in the details window of the first thread");
    assert.equal(sticker.message, "");
    assert.equal(sticker.sticker, undefined, "the new shape alone, no legacy sticker URL");
    const [attachment] = sticker.attachments.data;
    assert.equal(typeof attachment.sticker_id, "number");
    assert.match(attachment.image_data.url, /^https:\/\/scontent\.xx\.fbcdn\.net\/.+\.png\?/);
    assert.equal(attachment.image_data.render_as_sticker, true);
    assert.ok(all(messenger).some((m) => typeof m.sticker === "string"), "older messages keep the legacy sticker URL");
  });

  test("an Instagram post share: type ig_post with ig_post_media_id, title and url", () => {
    const [share, ...more] = withType(instagram, "ig_post");
    assert.equal(more.length, 0);
    assert.ok(instagram[0].messages.slice(0, DETAIL_WINDOW).includes(share));
    const [attachment] = share.attachments.data;
    assert.deepEqual(Object.keys(attachment), ["type", "ig_post_media_id", "title", "url"]);
    assert.match(attachment.ig_post_media_id, /^[1-9]\d{16}$/);
    assert.match(attachment.url, /^https:\/\/www\.instagram\.com\/p\/[\w-]{11}\/$/);
    assert.equal(withType(messenger, "ig_post").length, 0);
  });

  test("replies quote an older message of the same thread; is_self_reply says whose", () => {
    for (const list of [messenger, instagram]) {
      const found = replies(list);
      assert.ok(found.length >= 3, `${found.length} replies`);
      for (const message of found) {
        const thread = list.find((t) => t.messages.includes(message));
        const quoted = thread.messages.findIndex((m) => m.id === message.reply_to.mid);
        assert.ok(quoted > thread.messages.indexOf(message), "the quoted message is older");
        assert.equal(message.reply_to.is_self_reply, thread.messages[quoted].from.id === message.from.id);
      }
      assert.deepEqual([...new Set(found.map((m) => m.reply_to.is_self_reply))].sort(), [false, true]);
      const old = found.find((m) => list[3].messages.findIndex((x) => x.id === m.reply_to.mid) >= DETAIL_WINDOW);
      assert.ok(old, "one quotes a message outside the 20 newest");
    }
  });
});

describe("served like the Graph", () => {
  test("is_owner only when asked for, on the node and in lists", async () => {
    const [thread] = messenger;
    assert.equal("is_owner" in (await graph(`/${thread.id}`)).json, false);
    assert.deepEqual((await graph(`/${thread.id}`, { fields: "id,is_owner" })).json, { id: thread.id, is_owner: true });
    const list = await graph(`/v24.0/${PAGE_ID}/conversations`, { fields: "is_owner", limit: 10 });
    assert.deepEqual(list.json.data.map((t) => t.is_owner), messenger.slice(0, 10).map((t) => t.is_owner));
    assert.equal(list.json.data[7].is_owner, false);
  });

  test("reply_to only when asked for; its sub-fields can be picked", async () => {
    const message = replies(messenger).find((m) => messenger[0].messages.includes(m));
    assert.equal("reply_to" in (await graph(`/${message.id}`, { fields: "id,message" })).json, false);
    assert.deepEqual((await graph(`/${message.id}`, { fields: "reply_to" })).json, { reply_to: message.reply_to, id: message.id });
    assert.deepEqual((await graph(`/${message.id}`, { fields: "reply_to{mid}" })).json.reply_to, { mid: message.reply_to.mid });
    const nested = await graph(`/${messenger[0].id}`, { fields: "messages.limit(20){reply_to}" });
    assert.deepEqual(nested.json.messages.data.filter((m) => m.reply_to).map((m) => m.id),
      messenger[0].messages.filter((m) => m.reply_to).map((m) => m.id));
  });

  test("the attachment sub-fields of stickers and post shares", async () => {
    const [sticker] = withType(messenger, "sticker");
    const asked = await graph(`/${sticker.id}`, { fields: "attachments{type,sticker_id,image_data{url,render_as_sticker}}" });
    const [attachment] = sticker.attachments.data;
    assert.deepEqual(asked.json.attachments.data, [{
      type: "sticker", sticker_id: attachment.sticker_id, image_data: { url: attachment.image_data.url, render_as_sticker: true },
    }]);
    const [share] = withType(instagram, "ig_post");
    const post = await graph(`/${share.id}`, { fields: "attachments{type,ig_post_media_id,title,url}" });
    assert.deepEqual(post.json.attachments.data, share.attachments.data);
    const bare = await graph(`/${share.id}`, { fields: "attachments{id,image_data}" });
    assert.deepEqual(bare.json.attachments.data, [{}], "an ig_post has none of the older sub-fields");
  });

  test("the client's default message fields are accepted, on the edge and nested; unknown sub-fields still are not", async () => {
    const edge = await graph(`/${messenger[0].id}/messages`, { fields: CLIENT_DEFAULTS });
    assert.equal(edge.status, 200, JSON.stringify(edge.json));
    const [sticker] = withType(messenger, "sticker");
    assert.deepEqual(edge.json.data.find((m) => m.id === sticker.id).attachments.data[0].sticker_id, sticker.attachments.data[0].sticker_id);
    const nested = await graph(`/v24.0/${PAGE_ID}/conversations`, { fields: `id,is_owner,messages.limit(20){${CLIENT_DEFAULTS}}`, platform: "instagram" });
    assert.equal(nested.status, 200);
    const bad = await graph(`/${messenger[0].id}/messages`, { fields: "attachments{sticker_size}" });
    assert.deepEqual([bad.status, bad.json.error.message], [400, "(#100) Tried accessing nonexisting field (sticker_size) on node type (Attachment)"]);
  });
});
