// A static file server for the browser tests and `make demo`: serves folders
// under URL prefixes, on 127.0.0.1 only. Node 20, no npm dependencies.
//
//   const site = await serveStatic({ "/": "www", "/pkg/": "pkg" }, { port: 0 });
//   site.url  // "http://127.0.0.1:40123"
//   await site.close();

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";

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
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * Serves `mounts` (URL prefix → folder). A request for a folder serves its
 * index.html. Paths that climb out of a folder are refused.
 * opts: `port` (0 = random). Resolves to `{ url, port, close() }`.
 *
 * @param {Record<string, string>} mounts
 * @param {{ port?: number }} [opts]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveStatic(mounts, opts = {}) {
  /** @type {[string, string][]} */
  const roots = Object.entries(mounts)
    .map(([prefix, dir]) => /** @type {[string, string]} */ ([prefix.endsWith("/") ? prefix : `${prefix}/`, resolve(dir)]))
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    answer(req, roots).then(
      ({ status, type, body }) => {
        res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      () => {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("internal error");
      },
    );
  });
  await /** @type {Promise<void>} */ (
    new Promise((ok, fail) => {
      server.once("error", fail);
      server.listen(opts.port ?? 0, "127.0.0.1", () => ok());
    })
  );
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      /** @type {Promise<void>} */ (new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      })),
  };
}

/**
 * @param {import("node:http").IncomingMessage} req
 * @param {[string, string][]} roots
 * @returns {Promise<{ status: number, type: string, body: string | Buffer }>}
 */
async function answer(req, roots) {
  const notFound = { status: 404, type: "text/plain", body: "not found" };
  if (req.method !== "GET" && req.method !== "HEAD") return { status: 405, type: "text/plain", body: "GET only" };
  const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  const mount = roots.find(([prefix]) => `${path}/`.startsWith(prefix) || path.startsWith(prefix));
  if (!mount) return notFound;
  const [prefix, root] = mount;
  let file = resolve(join(root, path.slice(prefix.length - 1)));
  if (file !== root && !file.startsWith(root + sep)) return notFound;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) file = join(file, "index.html");
  const body = await readFile(file).catch(() => null);
  if (!body) return notFound;
  return { status: 200, type: TYPES[extname(file)] ?? "application/octet-stream", body };
}
