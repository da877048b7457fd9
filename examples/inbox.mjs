// Prints a Page's conversations and its newest thread. Point it at the
// local mock (what `make demo` does) or at the real Graph:
//
//   GRAPH_URL=https://graph.facebook.com PAGE_TOKEN=… PAGE_ID=… node examples/inbox.mjs
import { GraphClient, GraphError, ownAccountIds } from "../pkg/node.js";

// Unset variables go to the client as they are: it says which one is missing.
const { GRAPH_URL } = process.env;
const PAGE_TOKEN = /** @type {string} */ (process.env.PAGE_TOKEN);
const PAGE_ID = /** @type {string} */ (process.env.PAGE_ID);
const PLATFORM = /** @type {import("../pkg/index.js").Platform} */ (process.env.PLATFORM ?? "messenger");
const client = new GraphClient({ accessToken: PAGE_TOKEN, baseUrl: GRAPH_URL });

try {
  const page = await client.listConversations(PAGE_ID, {
    platform: PLATFORM,
    fields: ["id", "updated_time", "unread_count", "snippet", "participants"],
    limit: 10,
  });
  console.log(`${PLATFORM} conversations of Page ${PAGE_ID} (first page):`);
  // The Page, and on Instagram the business's own account: not customers.
  const own = new Set(ownAccountIds(PAGE_ID, page.data));
  for (const c of page.data) {
    const people = (c.participants?.data ?? []).filter((p) => !own.has(p.id));
    const who = people.map((p) => p.name ?? `@${p.username}`).join(", ");
    console.log(`  ${c.updated_time}  ${who.padEnd(28)} unread ${c.unread_count ?? 0}  ${c.snippet ?? ""}`);
  }

  const thread = page.data[0];
  console.log(`\nThread ${thread.id}, newest messages:`);
  for (const m of (await client.listMessages(thread.id, { limit: 8 })).data) {
    const from = m.from?.name ?? (m.from?.username ? `@${m.from.username}` : "?");
    const extras = [
      ...(m.attachments?.data ?? []).map((a) => `[${a.mime_type ?? "attachment"}]`),
      ...(m.reactions?.data ?? []).map((r) => r.reaction),
      m.story ? "[story]" : "",
      m.is_unsupported ? "[unsupported message]" : "",
    ].filter(Boolean);
    console.log(`  ${m.created_time}  ${from}: ${m.message ?? "(no details: older than the 20 newest)"} ${extras.join(" ")}`);
  }
  console.log(`\nusage: ${JSON.stringify(client.usage)}`);
} catch (err) {
  if (!(err instanceof GraphError)) throw err;
  console.error(`GraphError (${err.kind}${err.code ? `, code ${err.code}` : ""}): ${err.message}`);
  process.exitCode = 1;
}
