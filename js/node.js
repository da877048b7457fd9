// Node entry: loads the wasm module from the package folder; no init() call
// is needed by users.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initSync } from "./graph_conversations.js";

initSync({ module: wasmBytes() });

// Beside this file in the package. A bundler (esbuild --platform=node) moves
// this code into the app's bundle but leaves the .wasm behind: then the
// installed package is looked up from the bundle's folder, as require would.
function wasmBytes() {
  const beside = new URL("./graph_conversations_bg.wasm", import.meta.url);
  try {
    return readFileSync(beside);
  } catch (err) {
    if (/** @type {{ code?: unknown } | undefined} */ (err)?.code !== "ENOENT") throw err;
  }
  try {
    return readFileSync(createRequire(import.meta.url).resolve("graph-conversations/graph_conversations_bg.wasm"));
  } catch (cause) {
    throw new Error(
      `graph-conversations: its WebAssembly module is neither at ${beside} nor in an installed ` +
        "graph-conversations package; copy graph_conversations_bg.wasm next to your bundle.",
      { cause },
    );
  }
}

// The public API, listed once (written by scripts/write-types.mjs from the glue).
export * from "./api.js";
