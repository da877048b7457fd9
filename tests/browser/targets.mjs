// What the scenarios (page/scenarios.mjs) read from the mock Graph, and the
// config they take: shared by the browser, bundler and bundled-Node tests.
import { PAGE_ID, TOKEN, threads } from "../../mock/server.mjs";

/** The newest Instagram thread, and its newest message with an attachment (the newest ones have details). */
export const THREAD = threads("instagram")[0];
export const MESSAGE = THREAD.messages.find((m) => m.attachments) ?? THREAD.messages[0];

/** The `cfg` every scenario takes, for a mock at `baseUrl`. */
export function scenarioConfig(baseUrl) {
  return { baseUrl, token: TOKEN, pageId: PAGE_ID, threadId: THREAD.id, messageId: MESSAGE.id };
}
