// Cloudflare Workers entry: workerd forbids compiling wasm from bytes at
// request time, so the module is imported as a compiled WebAssembly.Module.
import module from "./graph_conversations_bg.wasm";
import { initSync } from "./graph_conversations.js";

initSync({ module });

// The public API, listed once (written by scripts/write-types.mjs from the glue).
export * from "./api.js";
