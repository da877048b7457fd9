// What a program written with today's `tsc --init` defaults (strict,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess) meets: options built
// from environment variables, objects with fields the types do not name,
// typed iterators, the sync's newer options and result, the exported helpers.
import {
  GraphClient,
  GraphError,
  clientDefaults,
  nextCursor,
  type ClientDefaults,
  type Conversation,
  type InboxSync,
  type ItemIterator,
  type Message,
} from "graph-conversations";

declare const env: Record<string, string | undefined>;

// An optional option accepts undefined: `baseUrl: process.env.GRAPH_URL`.
const client = new GraphClient({
  accessToken: env["PAGE_TOKEN"] ?? "",
  baseUrl: env["GRAPH_URL"],
  apiVersion: env["GRAPH_VERSION"],
  appSecret: undefined,
  timeoutMs: undefined,
});

export async function today(pageId: string): Promise<void> {
  const defaults: ClientDefaults = clientDefaults();
  const version: string = defaults.apiVersion;
  const page = await client.listConversations(pageId, { platform: "instagram", after: env["AFTER"], limit: undefined });
  const after: string | null = nextCursor(page);
  const first: Conversation | undefined = page.data[0];
  // A field the types do not name passes through, typed unknown.
  const extra: unknown = first?.["a_field_from_2027"];
  const owner: boolean | undefined = first?.is_owner;
  const iterator = client.messages("t_1");
  const step = await iterator.next();
  if (!step.done) {
    const message: Message = step.value;
    const quoted: string | undefined = message.reply_to?.mid;
    const sticker = message.attachments?.data[0]?.sticker_id;
    console.log(quoted, sticker);
  }
  const typed: ItemIterator<Message> | undefined = undefined;
  const inbox: InboxSync = await client.syncInbox(pageId, {
    messagesPerConversation: "all",
    fields: ["snippet", "unread_count", "participants"],
    maxRequests: 40,
    cursor: env["CURSOR"],
  });
  const cutShort: string[] = inbox.cutShort;
  const synced = inbox.conversations[0];
  const messages: Message[] | undefined = synced?.messages;
  const snippet: unknown = synced?.["snippet"];
  try {
    await client.getMessage("m_1");
  } catch (err) {
    if (err instanceof GraphError && err.rateLimited) console.log(err.retryAfterMs);
  }
  console.log(version, after, extra, owner, typed, cutShort, messages, snippet);
}

// Function-typed options accept undefined as well.
export const quiet = new GraphClient({ accessToken: "EAAG-today-token-0001", fetch: undefined });
export async function noProgress(client: GraphClient): Promise<void> {
  await client.syncInbox("1", { onProgress: undefined });
}
