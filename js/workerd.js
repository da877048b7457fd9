// Cloudflare Workers entry: workerd forbids compiling wasm from bytes at
// request time, so the module is imported as a compiled WebAssembly.Module.
import module from "./graph_conversations_bg.wasm";
import { initSync } from "./graph_conversations.js";

initSync({ module });

export { GraphClient, clientDefaults, nextCursor } from "./graph_conversations.js";
export { GraphError } from "./graph_error.js";
