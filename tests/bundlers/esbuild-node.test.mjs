// A consumer app bundled by esbuild for Node (platform node, format esm)
// and run in Node against the mock Graph. The bundle holds the package's
// JS but not its .wasm; the package's node entry then finds the installed
// package from the bundle's folder, so no configuration is needed.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { startMockGraph } from "../../mock/server.mjs";
import { scenarioConfig } from "../browser/targets.mjs";
import { checkApp } from "./checks.mjs";
import { makeProject } from "./project.mjs";

const project = makeProject();
const elsewhere = mkdtempSync(join(tmpdir(), "gc-deploy-")); // no graph-conversations installed here
let mock;
let bundled;

// One hook: Node 20 runs a file's top-level `before` hooks concurrently.
before(async () => {
  mock = await startMockGraph();
  bundled = project.path("dist/server.mjs");
  const result = await build({
    absWorkingDir: project.dir,
    entryPoints: ["src/server.js"],
    outfile: bundled,
    bundle: true,
    platform: "node",
    format: "esm",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((path) => path.endsWith("pkg/node.js")), `the node entry: ${inputs.join(", ")}`);
});
beforeEach(() => mock?.reset());
after(async () => {
  await mock?.close();
  project.remove();
  rmSync(elsewhere, { recursive: true, force: true });
});

test("the bundle runs with the package installed beside it: no .wasm copied, no configuration", async () => {
  assert.equal(existsSync(project.path("dist/graph_conversations_bg.wasm")), false);
  const { app } = await import(pathToFileURL(bundled));
  await checkApp((name, ...args) => app[name](...args), scenarioConfig(mock.url), mock);
});

test("moved where the package is not installed, the bundle says which file it needs", async () => {
  const moved = join(elsewhere, "server.mjs");
  copyFileSync(bundled, moved);
  await assert.rejects(import(pathToFileURL(moved)), /copy graph_conversations_bg\.wasm next to your bundle/);

  // ...and with the file copied next to it, it runs (a new file name: a new module instance).
  copyFileSync(project.path("node_modules/graph-conversations/graph_conversations_bg.wasm"), join(elsewhere, "graph_conversations_bg.wasm"));
  copyFileSync(bundled, join(elsewhere, "server-with-wasm.mjs"));
  const { app } = await import(pathToFileURL(join(elsewhere, "server-with-wasm.mjs")));
  await checkApp((name, ...args) => app[name](...args), scenarioConfig(mock.url), mock);
});
