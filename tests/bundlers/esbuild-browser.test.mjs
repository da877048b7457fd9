// A consumer app bundled by esbuild for the browser (format esm), run in
// headless Chromium against the mock Graph.
//
// esbuild does not follow `new URL("./graph_conversations_bg.wasm",
// import.meta.url)` (evanw/esbuild#795, open), so it neither copies the
// .wasm nor rewrites the URL: the bundle looks for the file beside itself.
// No package-side change gives esbuild zero configuration short of embedding
// the wasm in JS (+33% size, no streaming compile). What it takes is one
// more entry point, the package's .wasm, with the `copy` loader:
//
//   esbuild src/browser.js graph_conversations_bg=graph-conversations/graph_conversations_bg.wasm \
//     --bundle --format=esm --outdir=dist --loader:.wasm=copy
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { after, test } from "node:test";
import { build } from "esbuild";
import { firstPageError, useBrowserApp } from "../browser/harness.mjs";
import { checkApp } from "./checks.mjs";
import { makeProject } from "./project.mjs";

const project = makeProject();
after(() => project.remove());

const PAGE = '<!doctype html><meta charset="utf-8"><script type="module" src="./browser.js"></script>\n';

/** Bundles src/browser.js into dist/<name>/ with `options` added, plus a page that loads it. */
async function bundle(name, options = {}) {
  const outdir = project.path("dist", name);
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: project.dir,
    entryPoints: [{ in: "src/browser.js", out: "browser" }, ...(options.entryPoints ?? [])],
    loader: options.loader,
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  writeFileSync(`${outdir}/index.html`, PAGE);
  return outdir;
}

let bare;
let recipe;
const env = useBrowserApp(async () => {
  bare = await bundle("bare");
  recipe = await bundle("recipe", {
    entryPoints: [{ in: "graph-conversations/graph_conversations_bg.wasm", out: "graph_conversations_bg" }],
    loader: { ".wasm": "copy" },
  });
  return { "/": project.path("dist") };
});

test("with no configuration esbuild leaves the .wasm behind, and the page says what to do", async () => {
  assert.equal(existsSync(`${bare}/graph_conversations_bg.wasm`), false);
  const message = await firstPageError(env, "/bare/");
  assert.match(message, /graph-conversations: its WebAssembly module is not at .*\/bare\/graph_conversations_bg\.wasm \(HTTP 404\)/);
  assert.match(message, /with esbuild add it as an entry point with the copy loader/);
});

test("with the .wasm as a second entry point and the copy loader, the app runs", async () => {
  assert.equal(existsSync(`${recipe}/graph_conversations_bg.wasm`), true);
  const app = await env.open("/recipe/");
  try {
    await checkApp(app.run, env.config(), env.mock);
    assert.deepEqual(app.errors, []);
    assert.deepEqual(app.warnings, []);
  } finally {
    await app.close();
  }
});
