// Compiles under `tsc --strict --noEmit` against pkg/index.d.ts: every
// method, its options and what it resolves to, as a TypeScript user writes
// them. Nothing here runs.
import {
  GraphClient,
  GraphError,
  type ClientOptions,
  type Conversation,
  type GraphErrorKind,
  type InboxSync,
  type SyncInboxOptions,
  type SyncProgress,
  type SyncedConversation,
  type Message,
  type MessageResult,
  type Page,
  type Participant,
  type Usage,
} from "graph-conversations";

const client = new GraphClient({
  accessToken: "PAGE-ACCESS-TOKEN",
  apiVersion: "v24.0",
  baseUrl: "http://127.0.0.1:8787",
  appSecretProof: "0".repeat(64),
  timeoutMs: 10_000,
  maxRetries: 2,
  retryDelayMs: 250,
  maxRetryDelayMs: 30_000,
  callsPerSecond: 0,
  tokenIn: "header",
  fetch: (input, init) => fetch(input, init),
});

// A browser page's choice (and its default there): a form POST with method=GET, no CORS preflight.
const pageClient = new GraphClient({ accessToken: "PAGE-ACCESS-TOKEN", tokenIn: "body" });
const where: "header" | "body" | undefined = ({} as ClientOptions).tokenIn;

export async function everyMethod(signal: AbortSignal): Promise<void> {
  const page: Page<Conversation> = await client.listConversations("104620945892041", {
    platform: "instagram",
    folder: "page_done",
    fields: ["id", "updated_time", "participants"],
    limit: 25,
    after: "QVFI",
    signal,
  });
  const after: string | undefined = page.paging?.cursors?.after;
  const first: Conversation | undefined = page.data[0];
  const people: Participant[] = first?.participants?.data ?? [];
  const handle: string | undefined = people[0]?.username ?? people[0]?.name;

  for await (const conversation of client.conversations("104620945892041", { platform: "messenger" })) {
    const unread: number | undefined = conversation.unread_count;
    const newest: Message | undefined = conversation.messages?.data[0];
  }

  const found: Conversation | null = await client.findConversation("104620945892041", "24000000000000001", {
    platform: "instagram",
    fields: "id,updated_time",
  });
  const thread: Conversation = await client.getConversation("t_1", { fields: "messages.limit(5){id,message}" });
  const messages: Page<Message> = await client.listMessages("t_1", { limit: 10, before: "QVFI" });
  for await (const message of client.messages("t_1")) {
    const text: string | undefined = message.message;
    const image: string | undefined = message.attachments?.data[0]?.image_data?.url;
    const story: string | undefined = message.story?.reply_to?.link ?? message.story?.mention?.link;
    const reaction: string | undefined = message.reactions?.data[0]?.reaction;
    const unsupported: boolean | undefined = message.is_unsupported;
  }
  const one: Message = await client.getMessage("m_1", { fields: ["id", "from", "to"] });
  const from: string | undefined = one.from?.id;

  const many: MessageResult[] = await client.getMessages(["m_1", "m_2"], { signal });
  for (const result of many) {
    if (result instanceof GraphError) {
      const code: number | undefined = result.code;
    } else {
      const id: string = result.id;
    }
  }

  const usage: Usage = client.usage;
  const calls: number | undefined = usage.app?.call_count;
  const regain: number | undefined = usage.business_use_case?.["104620945892041"]?.[0]?.estimated_time_to_regain_access;
}

export async function sync(signal: AbortSignal, cursor?: string): Promise<string | undefined> {
  const options: SyncInboxOptions = {
    platform: "instagram",
    folder: "inbox",
    messagesPerConversation: 20,
    updatedSince: new Date("2026-01-01T00:00:00Z"),
    pageSize: 25,
    concurrency: 4,
    maxRequests: 45,
    signal,
    onProgress: (p: SyncProgress) => console.log(p.conversations, p.messages, p.requests),
    cursor,
  };
  const since: SyncInboxOptions = { updatedSince: "2026-01-01T00:00:00Z" };
  const seconds: SyncInboxOptions = { updatedSince: 1_767_225_600 };
  try {
    const inbox: InboxSync = await client.syncInbox("104620945892041", options);
    await client.syncInbox("104620945892041", since);
    await client.syncInbox("104620945892041", seconds);
    for (const thread of inbox.conversations) {
      const t: SyncedConversation = thread;
      const updated: string | undefined = t.updated_time;
      const texts: (string | undefined)[] = t.messages.map((m: Message) => m.message);
    }
    const done: boolean = inbox.complete;
    const calls: number = inbox.requests;
    return inbox.cursor;
  } catch (error) {
    if (error instanceof GraphError) {
      const attempts: number | undefined = error.attempts;
      const partial: InboxSync | undefined = error.inbox;
      return error.cursor ?? partial?.cursor;
    }
    throw error;
  }
}

export function describe(error: unknown): string {
  if (error instanceof GraphError) {
    const kind: GraphErrorKind = error.kind;
    const base: Error = error;
    const fields = [error.status, error.code, error.subcode, error.retryAfterMs, error.attempts];
    const resumeAt: string | undefined = error.cursor;
    const texts = [error.type, error.fbtraceId, error.userTitle, error.userMessage];
    return `${kind} ${error.transient} ${base.message} ${fields.join()} ${texts.join()}`;
  }
  return String(error);
}
