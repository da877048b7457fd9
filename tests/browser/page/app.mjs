// The page's only module: imports the package the way a page without a
// bundler does and hands the scenarios to the test (window.scenarios).
import { GraphClient, GraphError } from "graph-conversations/web";
import { scenarios } from "./scenarios.mjs";

window.scenarios = scenarios({ GraphClient, GraphError });
