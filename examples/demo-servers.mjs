// The servers of `make demo`, also started by the www tests: the local mock
// Graph, and the page's server on 127.0.0.1 with
//   /                    the page (www/)
//   /pkg/                the built package (pkg/)
//   /demo/config.json    the demo's settings: the mock's URL, its demo token, the error ids
//   /demo/webhook        the webhook receiver the mock posts to (examples/demo-live.mjs)
//   /demo/live           the page's stream of inbox changes (Server-Sent Events)
//   /demo/live/<action>  the mock's customer writes, edits, reacts, unsends (POST JSON)
//
//   const demo = await startDemo({ mockPort: 0, wwwPort: 0 });
//   demo.pageUrl   // "http://127.0.0.1:40123/"
//   await demo.close();

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { INBOX_NOW, PAGE_ID, TOKEN, startMockGraph } from "../mock/server.mjs";
import { startLive } from "./demo-live.mjs";

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
 * (`live.ready`).
 */
/** @param {{ mockPort?: number, wwwPort?: number }} [ports] */
export async function startDemo({ mockPort = 8787, wwwPort = 8080 } = {}) {
  const mock = await startMockGraph({ port: mockPort });
  // The mock's clock starts at INBOX_NOW as it starts: the page measures reply windows on it.
  const mockClock = { startsAt: Date.parse(INBOX_NOW.replace(/\+0000$/, "Z")), startedAt: Date.now() };
  /** @type {ReturnType<typeof startLive> | null} */
  let live = null;
  /** @type {import("node:http").Server | null} */
  let server = null;
  try {
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
    }, null, 2);
    const files = staticFiles({ "/": root("www"), "/pkg/": root("pkg") });
    server.on("request", (req, res) => {
      if (started.handle(req, res)) return;
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
      close: async () => {
        await started.close();
        await Promise.all([site.close(), mock.close()]);
      },
    };
  } catch (err) {
    await live?.close().catch(() => {});
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

// ---------------------------------------------------------------- static files

/** @type {Record<string, string>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * Serves folders under URL prefixes (GET and HEAD); a folder serves its
 * index.html; a path that climbs out of its folder is not found.
 * @param {Record<string, string>} mounts
 */
function staticFiles(mounts) {
  const roots = Object.entries(mounts)
    .map(([prefix, dir]) => /** @type {[string, string]} */ ([prefix, resolve(dir)]))
    .sort((a, b) => b[0].length - a[0].length);
  /** @param {import("node:http").IncomingMessage} req @param {import("node:http").ServerResponse} res */
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "GET only", req.method);
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    } catch {
      return send(res, 400, "text/plain", "bad path", req.method);
    }
    const mount = roots.find(([prefix]) => path.startsWith(prefix) || `${path}/` === prefix);
    if (!mount) return send(res, 404, "text/plain", "not found", req.method);
    const [prefix, dir] = mount;
    let file = resolve(join(dir, path.slice(prefix.length - 1)));
    if (file !== dir && !file.startsWith(dir + sep)) return send(res, 404, "text/plain", "not found", req.method);
    if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, "index.html");
    const body = await readFile(file).catch(() => null);
    if (!body) return send(res, 404, "text/plain", "not found", req.method);
    send(res, 200, TYPES[extname(file)] ?? "application/octet-stream", body, req.method);
  };
}

/**
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string | Buffer} body
 * @param {string | undefined} method
 */
function send(res, status, type, body, method) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(method === "HEAD" ? undefined : body);
}
