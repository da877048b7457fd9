// A consumer app built by Vite 7 (`vite build`, no config file, no plugin)
// and run in headless Chromium against the mock Graph. Vite follows the
// package's `new URL("./graph_conversations_bg.wasm", import.meta.url)`,
// emits the .wasm as a hashed asset and rewrites the URL: nothing to
// configure.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, test } from "node:test";
import { build } from "vite";
import { useBrowserApp } from "../browser/harness.mjs";
import { checkApp } from "./checks.mjs";
import { makeProject } from "./project.mjs";

const project = makeProject();
after(() => project.remove());

const env = useBrowserApp(async () => {
  await build({
    root: project.dir,
    configFile: false, // what a user with no vite.config gets
    logLevel: "silent",
    build: { outDir: project.path("dist"), emptyOutDir: true },
  });
  return { "/": project.path("dist") };
}, { open: "/" });

test("vite build emits the .wasm as an asset of the app", () => {
  const assets = readdirSync(project.path("dist/assets"));
  console.log(`vite assets: ${assets.join(", ")}`);
  assert.equal(assets.filter((name) => /^graph_conversations_bg-[\w-]+\.wasm$/.test(name)).length, 1, assets.join(", "));
});

test("the built app runs in Chromium", async () => {
  await checkApp(env.app.run, env.config(), env.mock);
  assert.deepEqual(env.app.errors, []);
  assert.deepEqual(env.app.warnings, []);
});
