// examples/worker under `wrangler dev` (the wrangler this repository pins, on
// the Node that runs the tests), the way its README says to run it locally:
// wrangler bundles it and resolves graph-conversations to the built pkg/,
// the secrets come from the command line and .dev.vars, its routes answer
// the mock Graph's data on 127.0.0.1, and a webhook signed as Meta signs it
// reaches its inbox. Local mode only: no login, no telemetry,
// no download.
//
// The Worker runs from a copy of examples/worker in a temporary folder whose
// node_modules/graph-conversations is a symlink to pkg/: what `npm install`
// makes of the example's "graph-conversations": "file:../../pkg" dependency,
// without the network and without writing into the source tree.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../support/mock-graph.mjs";
import { envelope, messageItem, metaJson, signedHeaders } from "./meta-webhook.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const EXAMPLE = join(ROOT, "examples/worker");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const ACCESS_KEY = "wrangler-test-access-key";
const APP_SECRET = "wrangler-test-app-secret";
const VERIFY_TOKEN = "wrangler-test-verify-token";
const START_TIMEOUT_MS = 90_000; // a cold start on a busy 2-core machine takes a few seconds
const instagram = threads("instagram");

let mock;
let dev;

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  mock = await startMockGraph();
  dev = await startWranglerDev({
    // The secret and the mock's URL on the command line (values wrangler never prints)...
    vars: { PAGE_ACCESS_TOKEN: TOKEN, GRAPH_BASE_URL: mock.url },
    // ...and the other secrets in .dev.vars, as the example's README does it.
    devVars: { ACCESS_KEY, APP_SECRET, VERIFY_TOKEN },
  });
}, { timeout: START_TIMEOUT_MS + 30_000 });
beforeEach(() => mock.reset());
after(async () => {
  await dev?.stop();
  await mock?.close();
});

/** Calls the Worker; resolves to `{ status, body }`. */
async function call(path, { key = ACCESS_KEY } = {}) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(`${dev.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/, `${path}: ${text}`);
  return { status: response.status, body: JSON.parse(text) };
}

test(`wrangler dev starts the example Worker on Node ${process.versions.node} without an error or warning`, () => {
  console.log(`wrangler ${dev.version}, Node ${process.versions.node}`);
  assert.match(dev.output(), new RegExp(`Ready on ${dev.url.replace(/\./g, "\\.")}`));
  // A compatibility date newer than wrangler's runtime stops it with an ERROR;
  // a failed download (the Request.cf data, an update check) is a WARNING.
  assert.doesNotMatch(dev.output(), /\[(ERROR|WARNING)\]/, dev.output());
});

test("GET /conversations?platform=instagram answers the mock's Instagram inbox, the token sent in a header", async () => {
  const { status, body } = await call("/conversations?platform=instagram");
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.data.map((c) => c.id), instagram.slice(0, 25).map((t) => t.id));
  assert.equal(typeof body.paging.cursors.after, "string");
  assert.equal(mock.requests.length, 1);
  const [request] = mock.requests;
  assert.equal(request.path.split("/").slice(2).join("/"), `${PAGE_ID}/conversations`);
  assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
  assert.ok(!request.url.includes(TOKEN), "no token in the URL");
});

test("a Graph error answers JSON with its kind and code", async () => {
  const expired = await call("/threads/error-190");
  assert.equal(expired.status, 502);
  assert.equal(expired.body.error.kind, "graph");
  assert.equal(expired.body.error.code, 190);
  assert.equal(expired.body.error.type, "OAuthException");
  const missing = await call("/messages/nothing-here");
  assert.equal(missing.status, 404);
  assert.deepEqual([missing.body.error.kind, missing.body.error.code, missing.body.error.subcode], ["graph", 100, 33]);
});

test("the ACCESS_KEY from .dev.vars is enforced: without it, 401 and no Graph call", async () => {
  const { status, body } = await call("/conversations", { key: null });
  assert.equal(status, 401);
  assert.equal(body.error.kind, "unauthorized");
  assert.deepEqual(mock.requests, []);
});

test("a webhook POST signed as Meta signs it answers 200, and its message is in GET /inbox", async () => {
  const customerId = "5120094478812201";
  const text = "From wrangler dev \u00e4 \u{1F600}";
  const body = metaJson(envelope("page", PAGE_ID, [messageItem({ accountId: PAGE_ID, customerId, mid: "m_wrangler_0001", text, timestamp: Date.now() })]));
  const response = await fetch(`${dev.url}/webhook`, { method: "POST", headers: signedHeaders(body, APP_SECRET), body, signal: AbortSignal.timeout(15_000) });
  assert.equal(response.status, 200, await response.text());
  const { status, body: conversation } = await call(`/inbox/${customerId}`);
  assert.equal(status, 200, JSON.stringify(conversation));
  assert.deepEqual(conversation.messages.map((m) => [m.id, m.message]), [["m_wrangler_0001", text]]);
  assert.deepEqual(mock.requests, [], "no Graph call");
});

/**
 * Copies examples/worker into a temporary project, links pkg/ as its
 * graph-conversations, writes `.dev.vars`, and starts `wrangler dev` there in
 * its own process group. Resolves once the Worker answers, to
 * `{ url, version, output(), stop() }`; `stop()` ends the whole process tree.
 */
async function startWranglerDev({ vars = {}, devVars = {} }) {
  const dir = mkdtempSync(join(tmpdir(), "gc-wrangler-"));
  const project = join(dir, "worker");
  const skipped = new Set(["node_modules", ".wrangler", ".dev.vars", "package-lock.json"]);
  cpSync(EXAMPLE, project, { recursive: true, filter: (path) => !skipped.has(basename(path)) });
  mkdirSync(join(project, "node_modules"));
  symlinkSync(join(ROOT, "pkg"), join(project, "node_modules/graph-conversations"), "dir");
  writeFileSync(join(project, ".dev.vars"), Object.entries(devVars).map(([k, v]) => `${k}=${v}\n`).join(""));

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const args = [
    WRANGLER, "dev", "--local",
    "--ip", "127.0.0.1", "--port", String(port),
    "--inspector-ip", "127.0.0.1", "--inspector-port", String(inspectorPort),
    "--persist-to", join(dir, "state"),
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const env = { ...process.env, ...OFFLINE_ENV, XDG_CONFIG_HOME: join(dir, "config") };
  for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_ACCOUNT_ID", "CF_API_TOKEN"]) delete env[name];

  // detached: a process group of its own (wrangler, workerd and their
  // helpers), so that stop() can end all of it by the group's id.
  const child = spawn(process.execPath, args, { cwd: project, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once("exit", done));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
      return true;
    } catch {
      return false; // ESRCH: nothing left in the group
    }
  };
  // If this test process dies before after() runs, the group goes with it.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  const stop = async () => {
    killGroup("SIGTERM");
    const graceful = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    // wrangler gone (or stuck): whatever else is in the group (workerd) is killed too.
    if (killGroup(0) || !graceful) killGroup("SIGKILL");
    await exited;
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child, () => output.includes(`Ready on ${url}`));
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\nwrangler dev output:\n${output}`);
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/wrangler/package.json"), "utf8"));
  return { url, version, output: () => output, stop };
}

// What keeps `wrangler dev` off the internet and out of the user's account.
const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false", // no telemetry
  WRANGLER_SEND_ERROR_REPORTS: "false", // no crash reports (nor the question whether to send one)
  CI: "true", // non-interactive: never a login prompt or browser
  WRANGLER_HIDE_BANNER: "true", // the banner is where wrangler asks npm for a newer version
  CLOUDFLARE_CF_FETCH_ENABLED: "false", // miniflare's Request.cf data: a built-in placeholder, no download
  // Should wrangler still look for a newer version of itself (it does after a
  // warning), the registry it asks is a closed port on this machine.
  npm_config_registry: "http://127.0.0.1:9/",
};

// Until `Ready on <url>` is printed and the Worker answers (its 404 on "/" will do).
async function waitUntilAnswering(url, child, ready) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode})`);
    if (ready()) {
      try {
        await fetch(url, { signal: AbortSignal.timeout(5_000) });
        return;
      } catch {
        // not answering yet
      }
    }
    await sleep(200);
  }
  throw new Error(`wrangler dev did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

// Picked by the OS, then released for wrangler; another process taking it in
// between makes wrangler fail to start, which the test reports.
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms).unref());
}
