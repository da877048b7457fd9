// The edge inbox (examples/edge-inbox) under `wrangler dev`, the way its
// README runs it locally: the pinned wrangler, local mode (Queues, Durable
// Objects on SQLite and alarms all in the local runtime), offline, on
// 127.0.0.1. Used by `make demo-edge` (examples/demo.mjs) and by
// tests/edge/wrangler-dev.test.mjs.
//
// The Worker runs from a copy of examples/edge-inbox in a new temporary
// folder whose node_modules/graph-conversations is a symlink to pkg/ (what
// `npm install` makes of the template's "file:../../pkg" dependency, without
// the network and without writing into the source tree); its secrets go in
// that copy's .dev.vars, never on a command line; its state (--persist-to)
// is in the same folder, removed by stop().
//
//   const edge = await startEdgeDev({ graphUrl: mock.url });
//   edge.url                    // "http://127.0.0.1:41234"
//   edge.secrets.ADMIN_TOKEN    // random per run
//   await edge.stop();

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TEMPLATE = join(ROOT, "examples/edge-inbox");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
/** A cold start on a busy 2-core machine takes several seconds. */
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

/**
 * What keeps `wrangler dev` off the internet and out of anyone's Cloudflare
 * account (the same as tests/worker/wrangler.test.mjs).
 */
const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false", // no telemetry
  WRANGLER_SEND_ERROR_REPORTS: "false", // no crash reports (nor the question whether to send one)
  CI: "true", // non-interactive: never a login prompt or browser
  WRANGLER_HIDE_BANNER: "true", // the banner is where wrangler asks npm for a newer version
  CLOUDFLARE_CF_FETCH_ENABLED: "false", // Request.cf: a built-in placeholder, no download
  npm_config_registry: "http://127.0.0.1:9/", // should it still look for a newer wrangler: a closed port
};

/**
 * @typedef {{ APP_SECRET: string, VERIFY_TOKEN: string, ADMIN_TOKEN: string, TOKEN_KEY: string }} EdgeSecrets
 * @typedef {{ url: string, port: number, version: string, secrets: EdgeSecrets, output: () => string, stop: () => Promise<void> }} EdgeDev
 */

/**
 * Starts `wrangler dev` on the edge inbox; resolves once the Worker answers.
 * `graphUrl` (and `instagramUrl`) point it at a mock Graph; `port` 0 picks a
 * free one; `secrets` default to random ones; `vars` are more plain vars
 * (e.g. SYNC_PAGE_SIZE). `stop()` ends wrangler and its workerd (one process
 * group) and removes the temporary folder.
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
  const dir = mkdtempSync(join(tmpdir(), "gc-edge-dev-"));
  const project = join(dir, "edge-inbox");
  const skipped = new Set(["node_modules", ".wrangler", ".dev.vars", "package-lock.json"]);
  cpSync(TEMPLATE, project, { recursive: true, filter: (path) => !skipped.has(basename(path)) });
  mkdirSync(join(project, "node_modules"));
  symlinkSync(join(ROOT, "pkg"), join(project, "node_modules/graph-conversations"), "dir");
  const devVars = { ...all, GRAPH_URL: graphUrl, ...(instagramUrl ? { GRAPH_URL_INSTAGRAM: instagramUrl } : {}), ...vars };
  writeFileSync(join(project, ".dev.vars"), Object.entries(devVars).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });

  const [httpPort, inspectorPort] = [port || (await freePort()), await freePort()];
  const args = [
    WRANGLER, "dev", "--local",
    "--ip", "127.0.0.1", "--port", String(httpPort),
    "--inspector-ip", "127.0.0.1", "--inspector-port", String(inspectorPort),
    "--persist-to", join(dir, "state"),
    "--show-interactive-dev-session=false",
  ];
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...OFFLINE_ENV, XDG_CONFIG_HOME: join(dir, "config") };
  for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_ACCOUNT_ID", "CF_API_TOKEN"]) delete env[name];

  // detached: a process group of its own (wrangler, workerd), so that stop()
  // ends all of it by the group's id and nothing else.
  const child = spawn(process.execPath, args, { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once("exit", done));
  /** @param {NodeJS.Signals | 0} signal */
  const killGroup = (signal) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
      return true;
    } catch {
      return false; // nothing left in the group
    }
  };
  // Should this process die first, the group goes with it.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup("SIGTERM");
    const graceful = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (killGroup(0) || !graceful) killGroup("SIGKILL");
    await exited;
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await waitUntilAnswering(url, child, () => output.includes(`Ready on ${url}`));
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nwrangler dev output:\n${output}`);
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/wrangler/package.json"), "utf8"));
  return { url, port: httpPort, version, secrets: all, output: () => output, stop };
}

/**
 * Until `Ready on <url>` is printed and the Worker answers (its 404 on "/").
 * @param {string} url
 * @param {import("node:child_process").ChildProcess} child
 * @param {() => boolean} ready
 */
async function waitUntilAnswering(url, child, ready) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode})`);
    if (ready()) {
      try {
        await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).arrayBuffer();
        return;
      } catch {
        // not answering yet
      }
    }
    await sleep(200);
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

/**
 * A port picked by the OS, then released for wrangler (another process taking
 * it in between makes wrangler fail to start, which is reported).
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => done(address.port));
    });
  });
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms).unref());
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
