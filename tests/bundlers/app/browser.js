// A consumer app's browser code: imports the package by name, as from npm,
// with no init() call and no bundler configuration for its .wasm.
import { GraphClient, GraphError } from "graph-conversations";
import { scenarios } from "./scenarios.mjs";

window.scenarios = scenarios({ GraphClient, GraphError });
