// The edge inbox (examples/edge-inbox) under `wrangler dev`, the way its
// README runs it locally: the pinned wrangler, local mode (Queues, Durable
// Objects on SQLite and alarms all in the local runtime), offline, on
// 127.0.0.1. Used by `make demo-edge` (examples/demo.mjs) and by
// tests/edge/wrangler-dev.test.mjs.
//
// examples/wrangler-dev.mjs runs it from a temporary copy of the template
// with pkg/ linked as its graph-conversations; its secrets go in that copy's
// .dev.vars, never on a command line.
//
//   const edge = await startEdgeDev({ graphUrl: mock.url });
//   edge.url                    // "http://127.0.0.1:41234"
//   edge.secrets.ADMIN_TOKEN    // random per run
//   await edge.stop();

import { randomBytes } from "node:crypto";
import { startWranglerDev } from "./wrangler-dev.mjs";

/**
 * @typedef {{ APP_SECRET: string, VERIFY_TOKEN: string, ADMIN_TOKEN: string, TOKEN_KEY: string }} EdgeSecrets
 * @typedef {import("./wrangler-dev.mjs").WranglerDev & { secrets: EdgeSecrets }} EdgeDev
 */

/**
 * Starts `wrangler dev` on the edge inbox (examples/wrangler-dev.mjs);
 * resolves once the Worker answers. `graphUrl` (and `instagramUrl`) point it
 * at a mock Graph; `port` 0 picks a free one; `secrets` default to random
 * ones; `vars` are more plain vars (e.g. SYNC_PAGE_SIZE), all in its
 * .dev.vars. `stop()` ends wrangler and its workerd and removes the
 * temporary folder.
 * @param {{ graphUrl: string, instagramUrl?: string, port?: number, secrets?: Partial<EdgeSecrets>, vars?: Record<string, string> }} options
 * @returns {Promise<EdgeDev>}
 */
export async function startEdgeDev({ graphUrl, instagramUrl, port = 0, secrets = {}, vars = {} }) {
  /** @type {EdgeSecrets} */
  const all = {
    APP_SECRET: randomBytes(24).toString("base64url"),
    VERIFY_TOKEN: randomBytes(12).toString("base64url"),
    ADMIN_TOKEN: randomBytes(24).toString("base64url"),
    TOKEN_KEY: randomBytes(32).toString("base64"),
    ...secrets,
  };
  const devVars = { ...all, GRAPH_URL: graphUrl, ...(instagramUrl ? { GRAPH_URL_INSTAGRAM: instagramUrl } : {}), ...vars };
  const dev = await startWranglerDev({ project: "examples/edge-inbox", devVars, port });
  return { ...dev, secrets: all };
}

// ---------------------------------------------------------------- make demo-edge

/** Where the page finds the edge inbox (demo/config.json's `edge`). */
export const EDGE_PREFIX = "/demo/edge/";

/**
 * The edge inbox for `make demo-edge`: `wrangler dev` on the template against
 * the demo's mock, the mock's Page connected (`PUT /accounts/{id}`), and the
 * mock's Messenger webhooks subscribed to the Worker's `/webhook` (Meta's
 * handshake first). The page reads it through the demo's server, which adds
 * the ADMIN_TOKEN (the page never sees it):
 *
 *   GET  /demo/edge/status          GET  /accounts/{id}
 *   GET  /demo/edge/conversations   GET  /accounts/{id}/conversations (limit, after)
 *   POST /demo/edge/live-ticket     POST /accounts/{id}/live-ticket, plus the WebSocket's
 *                                   ws:// URL: the page connects to the Worker itself
 *
 * @param {{ mock: import("../mock/server.mjs").MockGraph, accountId: string, accessToken: string }} options
 */
export async function startEdgeDemo({ mock, accountId, accessToken }) {
  const edge = await startEdgeDev({ graphUrl: mock.url });
  const admin = { Authorization: `Bearer ${edge.secrets.ADMIN_TOKEN}` };
  const account = `${edge.url}/accounts/${encodeURIComponent(accountId)}`;
  try {
    const put = await fetch(account, { method: "PUT", headers: admin, body: JSON.stringify({ accessToken }), signal: AbortSignal.timeout(15_000) });
    if (put.status !== 202) throw new Error(`the edge inbox refused the account: ${put.status} ${await put.text()}`);
    await mock.webhooks.subscribe({ url: `${edge.url}/webhook`, appSecret: edge.secrets.APP_SECRET, verifyToken: edge.secrets.VERIFY_TOKEN, objects: ["page"] });
  } catch (err) {
    await edge.stop();
    throw err;
  }

  /**
   * The Worker's answer, passed on as it is.
   * @param {import("node:http").ServerResponse} res
   * @param {string} url
   * @param {RequestInit} [init]
   */
  async function relay(res, url, init = {}) {
    const answer = await fetch(url, { ...init, headers: admin, signal: AbortSignal.timeout(15_000) });
    const text = await answer.text();
    res.writeHead(answer.status, { "Content-Type": answer.headers.get("content-type") ?? "application/json", "Cache-Control": "no-store" });
    return text;
  }

  return {
    edge,
    /** demo/config.json's `edge`: where the page reads it, and which account. */
    config: { api: EDGE_PREFIX.slice(1), accountId, worker: edge.url },
    /**
     * Answers /demo/edge/…; false for any other request.
     * @param {import("node:http").IncomingMessage} req
     * @param {import("node:http").ServerResponse} res
     */
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (!url.pathname.startsWith(EDGE_PREFIX)) return false;
      const route = `${req.method} ${url.pathname.slice(EDGE_PREFIX.length)}`;
      /** @type {Promise<string> | null} */
      let work = null;
      if (route === "GET status") work = relay(res, account);
      else if (route === "GET conversations") {
        const query = new URLSearchParams();
        for (const name of ["limit", "after"]) {
          const value = url.searchParams.get(name);
          if (value !== null) query.set(name, value);
        }
        work = relay(res, `${account}/conversations?${query}`);
      } else if (route === "POST live-ticket") {
        work = (async () => {
          req.resume(); // no body wanted
          const answer = await fetch(`${account}/live-ticket`, { method: "POST", headers: admin, signal: AbortSignal.timeout(15_000) });
          const body = await answer.json();
          res.writeHead(answer.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
          if (answer.status !== 201) return JSON.stringify(body);
          const socket = `${account.replace(/^http/, "ws")}/live?ticket=${encodeURIComponent(body.ticket)}`;
          return JSON.stringify({ ...body, url: socket });
        })();
      } else {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end(`no route ${route}`);
        return true;
      }
      work.then((text) => res.end(text), (err) => {
        console.error("demo: the edge inbox did not answer:", err instanceof Error ? err.message : String(err));
        if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { kind: "unavailable", message: "the edge inbox (wrangler dev) did not answer" } }));
      });
      return true;
    },
    async close() {
      mock.webhooks.unsubscribe(`${edge.url}/webhook`);
      await edge.stop();
    },
  };
}
