// Wrong usages that must not compile: each line below is an error, which
// `@ts-expect-error` turns into a compile failure if it ever stops being one.
import { GraphClient, type Conversation } from "graph-conversations";

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
