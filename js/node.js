// Node entry: loads the wasm module from the package folder; no init() call
// is needed by users.
import { readFileSync } from "node:fs";
import { initSync } from "./graph_conversations.js";

initSync({ module: readFileSync(new URL("./graph_conversations_bg.wasm", import.meta.url)) });

export { GraphClient } from "./graph_conversations.js";
export { GraphError } from "./graph_error.js";
