// Browser entry (plain ES modules and bundlers): fetches and instantiates
// the wasm module beside this file before the module's exports are used.
//
// Vite, webpack 5 and Rollup see `new URL("<literal>", import.meta.url)`
// and emit the .wasm with the bundle. esbuild does not: its bundle then
// looks for the file beside itself, so a missing file gets a message that
// says so rather than WebAssembly's "expected magic word".
import { initSync } from "./graph_conversations.js";

const url = new URL("./graph_conversations_bg.wasm", import.meta.url);
const response = await fetch(url);
// A dev server's single-page fallback answers a missing file with index.html.
if (!response.ok || /^text\/html/i.test(response.headers.get("content-type") ?? "")) {
  throw new Error(
    `graph-conversations: its WebAssembly module is not at ${url} (HTTP ${response.status}` +
      `${response.ok ? ", an HTML page" : ""}). Serve graph_conversations_bg.wasm from the package next to ` +
      "your bundle; with esbuild add it as an entry point with the copy loader (see the package README).",
  );
}
// Compiled as it downloads (the server sends it as application/wasm), else
// from its bytes; then instantiated by the glue's `initSync`, as in Node
// and workerd, so the glue's own fetching `init` is left out of the bundle.
let module;
try {
  module = await WebAssembly.compileStreaming(response.clone());
} catch {
  module = await WebAssembly.compile(await response.arrayBuffer());
}
initSync({ module });

// The public API, listed once (written by scripts/write-types.mjs from the glue).
export * from "./api.js";
