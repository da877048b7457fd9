// Runs examples/edge-inbox as it will run: bundled the way wrangler bundles it
// (esbuild, conditions workerd/worker/browser, the package's .wasm imported as
// a compiled module), in Miniflare with its Durable Objects on SQLite storage
// (persisted to a directory, so that a restart keeps them), its Queue, the
// Queue's consumer and dead-letter queue, and alarms.
//
// Against many accounts at once: one mock Graph (startMock) per account, and
// a router in front of them. Each account has its own access token; the router
// sends a call to that account's mock with the mock's own token, writes the
// mock's Page id as the account's id both ways, and answers the Send API
// (POST /{account}/messages) with the mock's businessReplies, whose echo
// webhook then comes like Meta's. Each mock's webhooks go to a relay that
// keeps the raw bodies; the test rewrites the Page id to the account's and
// signs them again with the Worker's app secret, as Meta signs its bytes.
import { createServer } from "node:http";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { IG_ACCOUNT_ID, PAGE_ID, TOKEN, signWebhook, startMock } from "../../mock/server.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
export const EXAMPLE = join(ROOT, "examples/edge-inbox");
const PKG = join(ROOT, "pkg");
const WASM = "graph_conversations_bg.wasm";

export const SECRETS = Object.freeze({
  APP_SECRET: "edge-test-app-secret-0123456789",
  VERIFY_TOKEN: "edge-test-verify-token",
  ADMIN_TOKEN: "edge-test-admin-token-0123456789",
  // base64 of 32 bytes
  TOKEN_KEY: Buffer.alloc(32, 7).toString("base64"),
});

/** wrangler.jsonc without its comments. */
export function readWranglerConfig() {
  const text = readFileSync(join(EXAMPLE, "wrangler.jsonc"), "utf8");
  const stripped = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (m, str) => str ?? "");
  return JSON.parse(stripped.replace(/,(\s*[}\]])/g, "$1"));
}

/** Bundles the Worker into a new directory: worker.js and the .wasm beside it. */
export async function bundle() {
  const dir = mkdtempSync(join(tmpdir(), "gc-edge-"));
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  symlinkSync(PKG, join(modules, "graph-conversations"), "dir");
  await build({
    entryPoints: [join(EXAMPLE, "src/index.js")],
    outfile: join(dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    nodePaths: [modules],
    external: ["*.wasm", "cloudflare:workers"],
    logLevel: "silent",
  });
  copyFileSync(join(PKG, WASM), join(dir, WASM));
  return dir;
}

/**
 * Starts the Worker in Miniflare from the bundle in `dir`; its Durable
 * Objects persist in `dir/do`. `port` 0 picks one; give the same port to a
 * restart. Resolves to `{ url, mf, dispose() }`.
 */
export async function startEdge(dir, { port = 0, vars = {}, inspectorPort } = {}) {
  const config = readWranglerConfig();
  const consumer = config.queues.consumers[0];
  const mf = new Miniflare({
    host: "127.0.0.1",
    port,
    modules: true,
    scriptPath: join(dir, "worker.js"),
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: config.compatibility_date,
    bindings: { ...config.vars, ...SECRETS, ...vars },
    durableObjects: { ACCOUNTS: { className: "AccountInbox", useSQLite: true } },
    durableObjectsPersist: join(dir, "do"),
    queueProducers: { EVENTS: { queueName: config.queues.producers[0].queue } },
    queueConsumers: {
      [consumer.queue]: {
        maxBatchSize: consumer.max_batch_size,
        maxBatchTimeout: consumer.max_batch_timeout,
        maxRetries: consumer.max_retries,
        deadLetterQueue: consumer.dead_letter_queue,
      },
    },
    verbose: false,
    ...(inspectorPort ? { inspectorPort } : {}),
    // The runtime's own output (console.error of the Worker and its objects), kept for a failure's report.
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (chunk) => { output += chunk; });
      stderr.on("data", (chunk) => { output += chunk; });
    },
  });
  let output = "";
  const url = (await mf.ready).toString().replace(/\/$/, "");
  return { url, mf, output: () => output, dispose: () => mf.dispose() };
}

/** Starts an HTTP server on 127.0.0.1; `handler(req, body)` returns { status, headers?, body }. */
async function serve(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      const answer = await handler(req, Buffer.concat(chunks).toString("utf8"));
      res.writeHead(answer.status, answer.headers ?? { "Content-Type": "application/json" });
      res.end(answer.body);
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(err?.stack ?? err));
    }
  });
  // Longer than the runtime keeps an idle connection: a server that closes a
  // kept-alive connection first races the runtime's next request on it
  // ("Network connection lost"), which a real Graph does not do to us.
  server.keepAliveTimeout = 120_000;
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done(undefined)); }),
  };
}

/** A send to this recipient is refused (outside the 24-hour window); to this one it ends without an answer that says. */
export const REFUSED_RECIPIENT = "7000000000000002";
export const UNKNOWN_RECIPIENT = "7000000000000003";

export const accountId = (i) => `9${String(i).padStart(14, "0")}`;
export const tokenOf = (i) => `EAAG-edge-account-${i}-token`;

/**
 * `count` accounts, each a mock Graph with `threads` threads and a budget of
 * 2 calls per second for its token; `platformOf(i)` is "messenger" (the
 * default: a Page) or "instagram" (an Instagram professional account, read
 * through the Page's Graph: its mock has Instagram threads only). Resolves
 * to `{ url (the router, the Worker's GRAPH_URL), accounts: [{ id, platform,
 * mockId, token, mock, bodies, sends }], close() }`. `bodies`: every webhook
 * body the account's mock sent, raw, with the mock's account id (`mockId`:
 * its Page or its Instagram account). `perPost`: the mock's webhook batching
 * (events per POST: maxEntries × maxItemsPerEntry at most).
 */
export async function startGraphs(count, { threads, perPost = { maxEntries: 1, maxItemsPerEntry: 3 }, platformOf = (_i) => "messenger" }) {
  const accounts = [];
  const relay = await serve((req, body) => {
    const account = accounts[Number(req.url?.slice(1))];
    if (req.method === "POST" && account) account.bodies.push(body);
    return { status: 200, body: "EVENT_RECEIVED", headers: { "Content-Type": "text/plain" } };
  });
  for (let i = 0; i < count; i++) {
    const platform = platformOf(i) === "instagram" ? "instagram" : "messenger";
    const sizes = platform === "instagram" ? { messenger: 0, instagram: threads } : { messenger: threads, instagram: 0 };
    const mock = await startMock({ threads: sizes, callsPerSecond: 2, webhooks: { batchWindowMs: 5, ...perPost } });
    const mockId = platform === "instagram" ? IG_ACCOUNT_ID : PAGE_ID;
    const account = { index: i, id: accountId(i), platform, mockId, token: tokenOf(i), mock, bodies: /** @type {string[]} */ ([]), sends: 0 };
    accounts.push(account);
    await mock.webhooks.subscribe({ url: `${relay.url}/${i}`, appSecret: "mock-app-secret" });
  }
  const byToken = new Map(accounts.map((a) => [a.token, a]));
  const router = await serve(async (req, body) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const account = byToken.get(bearer ?? new URLSearchParams(body).get("access_token") ?? "");
    if (!account) return { status: 400, body: JSON.stringify({ error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190 } }) };
    const path = (req.url ?? "/").split(account.id).join(account.mockId);
    if (req.method === "POST" && /^\/v[\d.]+\/\d+\/messages$/.test(path.split("?")[0] ?? "")) {
      const form = new URLSearchParams(body);
      const recipient = JSON.parse(form.get("recipient") ?? "{}");
      const message = JSON.parse(form.get("message") ?? "{}");
      // Two recipients answer as the Graph does when a send fails (tests/edge/routes.test.mjs).
      if (recipient.id === REFUSED_RECIPIENT) {
        return { status: 400, body: JSON.stringify({ error: { message: "(#10) This message is sent outside of allowed window.", type: "OAuthException", code: 10, error_subcode: 2018278, fbtrace_id: "AEdgeTrace" } }) };
      }
      if (recipient.id === UNKNOWN_RECIPIENT) return { status: 502, headers: { "Content-Type": "text/html" }, body: "<html><body>Bad gateway</body></html>" };
      const mid = account.mock.businessReplies(recipient.id, { text: message.text });
      account.sends++;
      return { status: 200, body: JSON.stringify({ recipient_id: recipient.id, message_id: mid }) };
    }
    const answer = await fetch(account.mock.url + path, {
      method: req.method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(req.headers["content-type"] ? { "Content-Type": req.headers["content-type"] } : {}) },
      body: req.method === "GET" ? undefined : body.split(account.token).join(TOKEN).split(account.id).join(account.mockId),
    });
    const text = (await answer.text()).split(account.mockId).join(account.id);
    const headers = { "Content-Type": answer.headers.get("content-type") ?? "application/json" };
    for (const name of ["x-app-usage", "x-page-usage", "x-business-use-case-usage", "retry-after"]) {
      const value = answer.headers.get(name);
      if (value) headers[name] = value.split(account.mockId).join(account.id);
    }
    return { status: answer.status, headers, body: text };
  });
  return {
    url: router.url,
    accounts,
    close: async () => {
      await Promise.all(accounts.map((a) => a.mock.close()));
      await router.close();
      await relay.close();
    },
  };
}

/** A mock's webhook body as Meta would send it for `account`: its id, signed with the Worker's secret. */
export function forWorker(account, raw) {
  const body = raw.split(account.mockId ?? PAGE_ID).join(account.id);
  return { body, signature: signWebhook(body, SECRETS.APP_SECRET).sha256 };
}

/** Writes a .dev.vars for `wrangler dev` (README). */
export function devVars(path, graphUrl) {
  writeFileSync(path, Object.entries({ ...SECRETS, GRAPH_URL: graphUrl }).map(([k, v]) => `${k}=${v}`).join("\n"));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}
