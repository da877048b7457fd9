// Compiles under `tsc --strict --noEmit` against pkg/index.d.ts: every
// method, its options and what it resolves to, as a TypeScript user writes
// them. Nothing here runs.
import {
  GraphClient,
  GraphError,
  Inbox,
  Webhook,
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
  type InboxChanges,
  type InboxConversation,
  type InboxOptions,
  type SentMessage,
  type WebhookEvent,
  type WebhookHandled,
  type WebhookOptions,
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

// ---------------------------------------------------------------- webhooks

/** A Fetch-API endpoint (a Worker, Node ≥ 20, Deno): the whole exchange in one call. */
export async function webhookEndpoint(
  request: Request,
  env: { APP_SECRET: string; OLD_APP_SECRET?: string; VERIFY_TOKEN?: string },
): Promise<Response> {
  const options: WebhookOptions = {
    appSecret: env.OLD_APP_SECRET ? [env.APP_SECRET, env.OLD_APP_SECRET] : env.APP_SECRET,
    verifyToken: env.VERIFY_TOKEN,
  };
  const webhook = new Webhook(options);
  const { response, events }: WebhookHandled = await webhook.handle(request);
  for (const event of events) {
    const kind: WebhookEvent["kind"] = event.kind;
    const where: "messenger" | "instagram" = event.platform;
    const who: string = event.customerId;
    const at: number = event.timestamp;
    const standby: boolean = event.standby;
    const mid: string | undefined = event.mid;
    switch (event.kind) {
      case "message":
      case "echo": {
        const text: string | undefined = event.message?.message;
        const image: string | undefined = event.message?.attachments?.data[0]?.image_data?.url;
        console.log(text, image);
        break;
      }
      case "edit":
        console.log(event.text, event.editCount);
        break;
      case "reaction": {
        const action: "react" | "unreact" | undefined = event.reaction?.action;
        const emoji: string | undefined = event.reaction?.emoji;
        console.log(action, emoji);
        break;
      }
      case "read":
      case "delivery": {
        const upTo: number | undefined = event.watermark;
        console.log(upTo);
        break;
      }
      default: {
        const raw: { [field: string]: unknown } = event.raw;
        console.log(raw["optin"]);
      }
    }
    console.log(kind, where, who, at, standby, mid);
  }
  return response;
}

/** A framework that hands over the raw body and the header itself. */
export function frameworkRoute(rawBody: string | Uint8Array | ArrayBuffer, signature: string | undefined, url: string): WebhookEvent[] {
  const webhook = new Webhook({ appSecret: ["new-app-secret", "old-app-secret"], verifyToken: "verify-me" });
  // API.md: string | null (null when it is not a subscription with this token).
  const answer: string | null = webhook.challenge(url);
  const fromUrl: string | null = webhook.challenge(new URL(url));
  const fromParams: string | null = webhook.challenge(new URL(url).searchParams);
  console.log(answer, fromUrl, fromParams);
  if (!webhook.verify(rawBody, signature)) return [];
  const events: WebhookEvent[] = Webhook.parse(rawBody);
  const again: WebhookEvent[] = Webhook.parse({ object: "page", entry: [] });
  return [...events, ...again];
}

// ---------------------------------------------------------------- the inbox

export async function inboxView(
  events: WebhookEvent[],
  sent: SentMessage,
  stored: string | undefined,
): Promise<{ redraw: string[]; snapshot: string }> {
  const options: InboxOptions = { accountId: "104620945892041", platform: "messenger", maxMessagesPerConversation: 200 };
  const inbox: Inbox = stored === undefined ? new Inbox(options) : Inbox.restore(stored);
  const fromSync: InboxChanges = inbox.apply(await client.syncInbox("104620945892041", { messagesPerConversation: 20 }));
  const fromEvents: InboxChanges = inbox.apply(events);
  const first = events[0];
  if (first) inbox.apply(first);
  const fromSent: InboxChanges = inbox.apply(sent);
  const mid: string = sent.messageId;
  const message: Message = sent.message;

  const list: InboxConversation[] = inbox.conversations();
  const top: InboxConversation | undefined = list[0];
  const newest: Message | undefined = top?.messages[0];
  const customer: string | undefined = top?.customer_id;
  const readUpTo: number | undefined = top?.read_watermark;
  const updated: string | undefined = top?.updated_time;
  const one: InboxConversation | undefined = inbox.conversation("2912141802956623");
  const count: number = one?.messages.length ?? 0;
  console.log(mid, message, newest, customer, readUpTo, updated, count, fromSync.messages.added);

  const redraw: string[] = [
    ...fromEvents.conversations.added,
    ...fromEvents.conversations.updated,
    ...fromSent.messages.updated,
    ...fromEvents.messages.removed,
  ];
  return { redraw, snapshot: inbox.snapshot() };
}
