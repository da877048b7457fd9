// The servers of `make demo`, also started by the www tests: the local mock
// Graph, and the page's server on 127.0.0.1 with
//   /                    the page (www/)
//   /pkg/                the built package (pkg/)
//   /demo/config.json    the demo's settings: the mock's URL, its demo token, the error ids
//   /demo/webhook        the webhook receiver the mock posts to (examples/demo-live.mjs)
//   /demo/live           the page's stream of inbox changes (Server-Sent Events)
//   /demo/live/<action>  the mock's customer writes, edits, reacts, unsends (POST JSON)
//   /demo/edge/…         with `edge: true` (make demo-edge): the edge inbox under
//                        wrangler dev, its routes with the admin token added (demo-edge.mjs)
//
//   const demo = await startDemo({ mockPort: 0, wwwPort: 0 });
//   demo.pageUrl   // "http://127.0.0.1:40123/"
//   await demo.close();

import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { INBOX_NOW, PAGE_ID, TOKEN, startMockGraph } from "../mock/server.mjs";
import { startEdgeDemo } from "./demo-edge.mjs";
import { startLive } from "./demo-live.mjs";
import { send, staticFiles } from "./static-files.mjs";

const root = (/** @type {string} */ path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The page's "Demo aids": conversation ids that make the mock answer an error. */
const DEMO_ERRORS = [
  { id: "error-190", label: "190 session expired" },
  { id: "error-200", label: "200 permission" },
  { id: "error-613", label: "613 rate limit" },
  { id: "error-80006", label: "80006 Messenger limit" },
  { id: "error-100", label: "100 bad parameter" },
  { id: "http-502", label: "a proxy's 502 page" },
];

/**
 * Starts the mock Graph and the page's server (port 0 = any free port).
 * The page reads demo/config.json once, to fill in the mock's URL and its
 * demo token (the token travels in that answer, never in a URL) and to find
 * the live stream. Resolves to `{ pageUrl, mock, site, live, close() }` once
 * the mock's webhooks are subscribed; the inbox's first sync may still run
 * (`live.ready`). With `edge: true`, the edge inbox (examples/edge-inbox)
 * runs under `wrangler dev` too, the mock's Page connected to it and its
 * webhooks going to it as well, and the page shows it (`edgeInbox`).
 */
/** @param {{ mockPort?: number, wwwPort?: number, edge?: boolean }} [ports] */
export async function startDemo({ mockPort = 8787, wwwPort = 8080, edge = false } = {}) {
  const mock = await startMockGraph({ port: mockPort });
  // The mock's clock starts at INBOX_NOW as it starts: the page measures reply windows on it.
  const mockClock = { startsAt: Date.parse(INBOX_NOW.replace(/\+0000$/, "Z")), startedAt: Date.now() };
  /** @type {ReturnType<typeof startLive> | null} */
  let live = null;
  /** @type {import("node:http").Server | null} */
  let server = null;
  /** @type {Awaited<ReturnType<typeof startEdgeDemo>> | null} */
  let edgeInbox = null;
  try {
    if (edge) edgeInbox = await startEdgeDemo({ mock, accountId: PAGE_ID, accessToken: TOKEN });
    server = createServer();
    const port = await listen(server, wwwPort);
    const origin = `http://127.0.0.1:${port}`;
    const started = startLive({ mock, origin });
    live = started;
    const config = JSON.stringify({
      settings: { accessToken: TOKEN, pageId: PAGE_ID, platform: "messenger", folder: "inbox", apiVersion: "", baseUrl: mock.url },
      errors: DEMO_ERRORS,
      live: started.config,
      mockClock,
      ...(edgeInbox ? { edge: edgeInbox.config } : {}),
    }, null, 2);
    const files = staticFiles({ "/": root("www"), "/pkg/": root("pkg") });
    server.on("request", (req, res) => {
      if (started.handle(req, res) || edgeInbox?.handle(req, res)) return;
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/demo/config.json") return send(res, 200, "application/json; charset=utf-8", config, req.method);
      files(req, res);
    });
    await started.subscribe();
    const site = { url: origin, port, close: () => closeServer(/** @type {import("node:http").Server} */ (server)) };
    return {
      pageUrl: `${origin}/`,
      mock,
      site,
      live: started,
      edgeInbox,
      close: async () => {
        await started.close();
        await edgeInbox?.close();
        await Promise.all([site.close(), mock.close()]);
      },
    };
  } catch (err) {
    await live?.close().catch(() => {});
    await edgeInbox?.close().catch(() => {});
    if (server?.listening) await closeServer(server);
    await mock.close();
    throw err;
  }
}

/**
 * @param {import("node:http").Server} server
 * @param {number} port
 * @returns {Promise<number>}
 */
function listen(server, port) {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", fail);
      ok(/** @type {import("node:net").AddressInfo} */ (server.address()).port);
    });
  });
}

/** @param {import("node:http").Server} server @returns {Promise<void>} */
function closeServer(server) {
  return new Promise((ok) => {
    server.close(() => ok());
    server.closeAllConnections();
  });
}

