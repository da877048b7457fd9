// Browser entry (plain ES modules and bundlers): fetches and instantiates
// the wasm module beside this file before the module's exports are used.
import init from "./graph_conversations.js";

await init({ module_or_path: new URL("./graph_conversations_bg.wasm", import.meta.url) });

export { GraphClient } from "./graph_conversations.js";
export { GraphError } from "./graph_error.js";
