// A consumer app's Node code: imports the package by name, as from npm.
// The test bundles it for Node and imports the bundle.
import { GraphClient, GraphError } from "graph-conversations";
import { scenarios } from "./scenarios.mjs";

export const app = scenarios({ GraphClient, GraphError });
