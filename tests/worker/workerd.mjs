// Runs examples/worker in the real Workers runtime (npm `workerd`) without
// wrangler: what `wrangler dev` does, reduced to the three steps that
// matter here.
//
//   1. bundle the Worker with esbuild, resolving "graph-conversations" the
//      way wrangler does (conditions workerd, worker, browser) and keeping
//      the package's .wasm import external, as wrangler's CompiledWasm rule does;
//   2. write a workerd config: the bundle and the .wasm as modules, the
//      wrangler.toml [vars] and the secret as text bindings, outbound fetches
//      allowed to loopback only (the mock on 127.0.0.1, never the internet);
//   3. start `workerd serve` and wait until it answers.
//
//   const worker = await startWorker({ bindings: { PAGE_ACCESS_TOKEN, GRAPH_BASE_URL } });
//   await fetch(`${worker.url}/conversations`);
//   worker.output();  worker.bundleBytes;  worker.wasmBytes;  await worker.stop();

import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";

const ROOT = resolve(import.meta.dirname, "../..");
export const EXAMPLE = join(ROOT, "examples/worker");
const PKG = join(ROOT, "pkg");
const WORKERD = join(ROOT, "node_modules/.bin/workerd");
const WASM = "graph_conversations_bg.wasm";

/** `main`, `compatibility_date` and the [vars] strings of wrangler.toml (the subset this example uses). */
export function readWranglerToml(text = readFileSync(join(EXAMPLE, "wrangler.toml"), "utf8")) {
  const value = (key) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, "m").exec(text)?.[1];
  const varsSection = /^\[vars\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1] ?? "";
  const vars = Object.fromEntries([...varsSection.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1], m[2]]));
  return { main: value("main"), compatibilityDate: value("compatibility_date"), vars };
}

/**
 * Bundles the Worker into `dir` (worker.js + the package's .wasm beside it).
 * Resolves to esbuild's metafile, to check which package entry was used.
 */
export async function bundleWorker(dir, main) {
  // A node_modules holding only the package, as `npm install` would leave it.
  const modules = join(dir, "node_modules");
  mkdirSync(modules);
  symlinkSync(PKG, join(modules, "graph-conversations"), "dir");
  const result = await build({
    entryPoints: [join(EXAMPLE, main)],
    outfile: join(dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    nodePaths: [modules],
    external: ["*.wasm"],
    metafile: true,
    logLevel: "silent",
  });
  copyFileSync(join(PKG, WASM), join(dir, WASM));
  return result.metafile;
}

/** The workerd config: one Worker, one loopback-only network, one socket. */
export function workerdConfig({ port, compatibilityDate, bindings }) {
  const text = (name, value) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "inbox", worker = .inbox),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "inbox")],
);

const inbox :Workerd.Worker = (
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "${WASM}", wasm = embed "${WASM}"),
  ],
  bindings = [
    ${Object.entries(bindings).map(([name, value]) => text(name, value)).join(",\n    ")}
  ],
  globalOutbound = "loopback",
);
`;
}

/**
 * Bundles, configures and starts the example Worker. `bindings` are added to
 * (and override) the wrangler.toml [vars]; give the secret there.
 * Resolves to `{ url, output(), bundleBytes, wasmBytes, metafile, stop() }`.
 */
export async function startWorker({ bindings = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "gc-worker-"));
  const toml = readWranglerToml();
  const metafile = await bundleWorker(dir, toml.main);
  const port = await freePort();
  const configPath = join(dir, "config.capnp");
  writeFileSync(configPath, workerdConfig({ port, compatibilityDate: toml.compatibilityDate, bindings: { ...toml.vars, ...bindings } }));

  const child = spawn(WORKERD, ["serve", basename(configPath)], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((done) => child.once("exit", done));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(url, child);
  } catch (err) {
    await stop();
    throw new Error(`${err.message}\nworkerd output:\n${output}`);
  }
  return {
    url,
    output: () => output,
    bundleBytes: readFileSync(join(dir, "worker.js")),
    wasmBytes: readFileSync(join(dir, WASM)),
    metafile,
    stop,
  };
}

// Any answer means the runtime is up (the Worker answers 404 on "/").
async function waitUntilAnswering(url, child, { tries = 100, everyMs = 100 } = {}) {
  for (let i = 0; i < tries; i++) {
    if (child.exitCode !== null) throw new Error(`workerd exited with code ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, everyMs));
    }
  }
  throw new Error(`workerd did not answer on ${url}`);
}

// Picked by the OS, then released for workerd; another process taking it in
// between makes workerd fail to start, which the test reports.
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

/** `workerd --version`, e.g. "workerd 2026-11-17". */
export async function workerdVersion() {
  const child = spawn(WORKERD, ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (chunk) => (out += chunk));
  await new Promise((done) => child.once("exit", done));
  return out.trim();
}
