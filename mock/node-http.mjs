// HTTP in and out on node:http, and nothing else: reads each request into a
// request description for a handler (handler.mjs), writes back what it
// answers, drops the connection when it says so. Listens on 127.0.0.1 only.

import { createServer } from "node:http";

/**
 * Serves `handle` on 127.0.0.1:`port` (0 = any free port). `handle(request)`
 * takes `{ method, url, headers, body, signal }` and resolves to `{ status,
 * headers, body, cutAt? }` or `{ drop: true }` (createGraphHandler's handle).
 * Resolves to `{ url, port, close() }`; `close()` ends open connections too.
 */
export async function serveOnNodeHttp(handle, { port = 0 } = {}) {
  const server = createServer((req, res) => {
    exchange(req, res, handle).catch((err) => {
      console.error("mock Graph HTTP error:", err);
      res.destroy();
    });
  });
  await listen(server, port);
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function exchange(req, res, handle) {
  // Aborted when the client goes away before the answer is complete.
  const gone = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) gone.abort();
  });
  const body = await readBody(req);
  const answer = await handle({ method: req.method, url: req.url, headers: req.headers, body, signal: gone.signal });
  if (answer.drop) return req.socket.destroy();
  if (res.destroyed || res.writableEnded) return; // the client gave up (abort, timeout)
  res.writeHead(answer.status, answer.headers);
  if (answer.cutAt === undefined) return res.end(answer.body);
  // A transfer that stops half way: the promised Content-Length never arrives.
  res.write(answer.body.subarray(0, answer.cutAt), () => res.destroy());
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
