// Static files for `make demo` and the browser tests: folders served under
// URL prefixes (GET and HEAD), on 127.0.0.1 only. Node 20, no npm packages.
//
//   const handle = staticFiles({ "/": "www", "/pkg/": "pkg" });  // (req, res) => Promise<void>
//   const site = await serveStatic({ "/": "www" }, { port: 0 });  // { url, port, close() }

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
 * A request handler that serves `mounts` (URL prefix → folder). A folder
 * serves its index.html; a path that climbs out of its folder is not found.
 * @param {Record<string, string>} mounts
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>}
 */
export function staticFiles(mounts) {
  const roots = Object.entries(mounts)
    .map(([prefix, dir]) => /** @type {[string, string]} */ ([prefix.endsWith("/") ? prefix : `${prefix}/`, resolve(dir)]))
    .sort((a, b) => b[0].length - a[0].length);
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
 * Answers with `body`, or only the headers for HEAD; never cached.
 * @param {import("node:http").ServerResponse} res
 * @param {number} status
 * @param {string} type
 * @param {string | Buffer} body
 * @param {string | undefined} method
 */
export function send(res, status, type, body, method) {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(method === "HEAD" ? undefined : body);
}

/**
 * Serves `mounts` on 127.0.0.1 (`port` 0 = any free port).
 * @param {Record<string, string>} mounts
 * @param {{ port?: number }} [opts]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function serveStatic(mounts, opts = {}) {
  const handle = staticFiles(mounts);
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "text/plain", "internal error", req.method);
    });
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
      /** @type {Promise<void>} */ (
        new Promise((ok) => {
          server.close(() => ok());
          server.closeAllConnections();
        })
      ),
  };
}
