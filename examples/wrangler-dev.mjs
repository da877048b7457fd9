// `wrangler dev` on one of the example Workers, the way their READMEs run it
// locally: the wrangler this repository pins, local mode, offline, on
// 127.0.0.1. Used by examples/demo-edge.mjs (the edge inbox, for
// `make demo-edge` and tests/edge/wrangler-dev.test.mjs) and by
// tests/worker/wrangler.test.mjs (examples/worker).
//
// The Worker runs from a copy of its folder in a new temporary folder whose
// node_modules/graph-conversations is a symlink to pkg/ (what `npm install`
// makes of the "file:../../pkg" dependency, without the network and without
// writing into the source tree); secrets go in that copy's .dev.vars (mode
// 600), never on a command line; its state (--persist-to) is in the same
// folder, removed by stop().
//
//   const dev = await startWranglerDev({ project: "examples/worker", devVars: { ACCESS_KEY } });
//   dev.url                     // "http://127.0.0.1:41234"
//   await dev.stop();
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** A cold start on a busy 2-core machine takes several seconds. */
const START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;

/** What keeps `wrangler dev` off the internet and out of anyone's Cloudflare account. */
const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false", // no telemetry
  WRANGLER_SEND_ERROR_REPORTS: "false", // no crash reports (nor the question whether to send one)
  CI: "true", // non-interactive: never a login prompt or browser
  WRANGLER_HIDE_BANNER: "true", // the banner is where wrangler asks npm for a newer version
  CLOUDFLARE_CF_FETCH_ENABLED: "false", // Request.cf: a built-in placeholder, no download
  // Should wrangler still look for a newer version of itself (it does after a
  // warning), the registry it asks is a closed port on this machine.
  npm_config_registry: "http://127.0.0.1:9/",
};

/**
 * @typedef {{ url: string, port: number, version: string, output: () => string, stop: () => Promise<void> }} WranglerDev
 */

/**
 * Starts `wrangler dev` on a copy of `project` (a folder under the
 * repository, e.g. "examples/worker"); resolves once the Worker answers.
 * `devVars` go in its .dev.vars, `vars` on the command line (`--var`, plain
 * values only); `port` 0 picks a free one. `stop()` ends wrangler and its
 * workerd (one process group) and removes the temporary folder.
 * @param {{ project: string, devVars?: Record<string, string>, vars?: Record<string, string>, port?: number }} options
 * @returns {Promise<WranglerDev>}
 */
export async function startWranglerDev({ project, devVars = {}, vars = {}, port = 0 }) {
  const dir = mkdtempSync(join(tmpdir(), "gc-wrangler-"));
  const copy = join(dir, basename(project));
  const skipped = new Set(["node_modules", ".wrangler", ".dev.vars", "package-lock.json"]);
  cpSync(join(ROOT, project), copy, { recursive: true, filter: (path) => !skipped.has(basename(path)) });
  mkdirSync(join(copy, "node_modules"));
  symlinkSync(join(ROOT, "pkg"), join(copy, "node_modules/graph-conversations"), "dir");
  writeFileSync(join(copy, ".dev.vars"), Object.entries(devVars).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });

  const [httpPort, inspectorPort] = [port || (await freePort()), await freePort()];
  const args = [
    WRANGLER, "dev", "--local",
    "--ip", "127.0.0.1", "--port", String(httpPort),
    "--inspector-ip", "127.0.0.1", "--inspector-port", String(inspectorPort),
    "--persist-to", join(dir, "state"),
    "--show-interactive-dev-session=false",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...OFFLINE_ENV, XDG_CONFIG_HOME: join(dir, "config") };
  for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_ACCOUNT_ID", "CF_API_TOKEN"]) delete env[name];

  // detached: a process group of its own (wrangler, workerd), so that stop()
  // ends all of it by the group's id and nothing else.
  const child = spawn(process.execPath, args, { cwd: copy, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
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
    // wrangler gone (or stuck): whatever else is in the group (workerd) is killed too.
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
  return { url, port: httpPort, version, output: () => output, stop };
}

/**
 * Until `Ready on <url>` is printed and the Worker answers (its 404 on "/" will do).
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
