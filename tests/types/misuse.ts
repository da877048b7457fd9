// Wrong usages that must not compile: each line below is an error, which
// `@ts-expect-error` turns into a compile failure if it ever stops being one.
import { GraphClient, Inbox, Webhook, type Conversation, type WebhookEvent } from "graph-conversations";

// @ts-expect-error accessToken is required
new GraphClient({});
// @ts-expect-error misspelled option
new GraphClient({ accessToken: "t", timeout: 5 });
// @ts-expect-error tokenIn is "header" or "body", never the query string
new GraphClient({ accessToken: "t", tokenIn: "query" });
// @ts-expect-error tokenIn is a string literal, not a flag
new GraphClient({ accessToken: "t", tokenIn: true });
const client = new GraphClient({ accessToken: "t" });

export async function wrong(): Promise<void> {
  // @ts-expect-error unknown platform literal
  await client.listConversations("1", { platform: "whatsapp" });
  // @ts-expect-error unknown folder
  await client.listConversations("1", { folder: "archive" });
  // @ts-expect-error limit is a number
  await client.listMessages("t_1", { limit: "10" });
  const page = await client.listConversations("1");
  // @ts-expect-error a Page is not an array
  page.map((c: Conversation) => c.id);
  // @ts-expect-error ids are strings
  await client.getMessage(123);
  // @ts-expect-error syncInbox's option is messagesPerConversation, not messagesPerThread
  await client.syncInbox("1", { messagesPerThread: 20 });
  const inbox = await client.syncInbox("1");
  // @ts-expect-error a synced conversation's messages are an array, not a Page
  inbox.conversations[0].messages.data;
  // @ts-expect-error retryDelayMs is a number of milliseconds
  new GraphClient({ accessToken: "t", retryDelayMs: "1s" });
}

// @ts-expect-error appSecret is required
new Webhook({ verifyToken: "t" });
// @ts-expect-error appSecret is a string or strings
new Webhook({ appSecret: 42 });
// @ts-expect-error misspelled option
new Webhook({ appSecret: "s", verify_token: "t" });
// @ts-expect-error accountId is required
new Inbox({ platform: "instagram" });
// @ts-expect-error unknown platform literal
new Inbox({ accountId: "1", platform: "whatsapp" });
// @ts-expect-error maxMessagesPerConversation is a number
new Inbox({ accountId: "1", maxMessagesPerConversation: "200" });

export async function wrongWebhook(request: Request): Promise<void> {
  const webhook = new Webhook({ appSecret: "s" });
  // @ts-expect-error handle takes the Request, not its body
  await webhook.handle(await request.text());
  // @ts-expect-error verify takes the raw body, never parsed JSON (Meta signs its own bytes)
  webhook.verify({ object: "page", entry: [] }, request.headers.get("x-hub-signature-256"));
  // @ts-expect-error parse is static: Webhook.parse(body)
  webhook.parse("{}");
  // @ts-expect-error an event's kind is a closed list
  const kind: WebhookEvent["kind"] = "message_reactions";
  const { events } = await webhook.handle(request);
  // @ts-expect-error an event's timestamp is a number of milliseconds, not a string
  const at: string = events[0]!.timestamp;

  const inbox = new Inbox({ accountId: "1" });
  // @ts-expect-error apply takes parsed events, not the raw body
  inbox.apply(await request.text());
  // @ts-expect-error restore takes the string snapshot() wrote
  Inbox.restore({ threads: [] });
  // @ts-expect-error conversation() is undefined for an unknown id
  inbox.conversation("t_1").messages;
  // @ts-expect-error an inbox conversation's messages are an array, not a Page
  inbox.conversations()[0]?.messages.data;
  console.log(kind, at);
}
