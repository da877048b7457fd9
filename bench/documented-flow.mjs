// The documented way to read an inbox, in plain JS with fetch: the baseline
// that syncInbox is measured against (bench/run.mjs).
//
//   1. GET /{page-id}/conversations, page after page (the Graph's default
//      page size), for the conversation ids;
//   2. GET /{conversation-id}/messages for each conversation (the Graph's
//      default page size, following `after` until it has the newest
//      `messagesPerConversation` ids);
//   3. GET /{message-id}?fields=<details> for each of those messages. The
//      Graph answers error 9000001 for a message older than the 20 newest:
//      such an answer is still a call made, and the message keeps its id only.
//
// The token travels in an Authorization header; at most `inFlight` requests
// are in flight at once (the conversation pages one after another, since each
// needs the previous page's cursor). No batch requests, no pacing.

import { performance } from "node:perf_hooks";

/** The documented message fields, with the sub-fields attachments need (as the client asks). */
export const DETAIL_FIELDS =
  "id,created_time,from,to,message,attachments{id,mime_type,name,size,file_url,image_data,video_data,generic_template}," +
  "reactions,shares,story,tags,is_unsupported";

/**
 * Reads the newest `messagesPerConversation` messages of every conversation
 * of a page with their details, the documented way.
 * Resolves to `{ calls, httpRequests, ms, conversations, messages, detailed, deleted }`:
 * `detailed` messages came with their details, `deleted` answered 9000001.
 */
export async function documentedFlow({
  baseUrl, accessToken, pageId, apiVersion = "v21.0", platform = "messenger",
  messagesPerConversation = 20, inFlight = 8,
}) {
  const limit = limiter(inFlight);
  let httpRequests = 0;
  const get = (path, params = {}) => limit(async () => {
    httpRequests += 1;
    const url = `${baseUrl}/${apiVersion}/${path}?${new URLSearchParams(params)}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
    return { status: response.status, body: JSON.parse(await response.text()) };
  });

  const started = performance.now();
  const conversations = [];
  const work = [];
  let after;
  do {
    const params = { platform, ...(after ? { after } : {}) };
    const { status, body } = await get(`${pageId}/conversations`, params);
    if (status !== 200) throw new Error(`conversations page: HTTP ${status} ${JSON.stringify(body.error)}`);
    for (const { id } of body.data) {
      const conversation = { id, messages: [] };
      conversations.push(conversation);
      work.push(readConversation(conversation, get, messagesPerConversation));
    }
    after = body.paging?.next ? body.paging.cursors?.after : undefined;
  } while (after);
  await Promise.all(work);
  const ms = performance.now() - started;

  const messages = conversations.flatMap((c) => c.messages);
  return {
    calls: httpRequests, // one Graph call per HTTP request: no batches here
    httpRequests,
    ms,
    conversations: conversations.length,
    messages: messages.length,
    detailed: messages.filter((m) => m.from !== undefined).length,
    deleted: messages.filter((m) => m.deleted).length,
  };
}

async function readConversation(conversation, get, wanted) {
  const ids = [];
  let after;
  do {
    const { status, body } = await get(`${conversation.id}/messages`, after ? { after } : {});
    if (status !== 200) throw new Error(`messages of ${conversation.id}: HTTP ${status} ${JSON.stringify(body.error)}`);
    ids.push(...body.data.map((m) => m.id));
    after = body.paging?.next ? body.paging.cursors?.after : undefined;
  } while (after && ids.length < wanted);
  conversation.messages = await Promise.all(ids.slice(0, wanted).map((id) => readMessage(id, get)));
}

async function readMessage(id, get) {
  const { status, body } = await get(id, { fields: DETAIL_FIELDS });
  if (status === 200) return body;
  if (body.error?.code === 9000001) return { id, deleted: true };
  throw new Error(`message ${id}: HTTP ${status} ${JSON.stringify(body.error)}`);
}

/** Runs at most `n` of the given async functions at once, in call order. */
function limiter(n) {
  let running = 0;
  const waiting = [];
  const next = () => {
    if (running >= n || waiting.length === 0) return;
    running += 1;
    const { fn, resolve, reject } = waiting.shift();
    fn().then(resolve, reject).finally(() => {
      running -= 1;
      next();
    });
  };
  return (fn) => new Promise((resolve, reject) => {
    waiting.push({ fn, resolve, reject });
    next();
  });
}
