// Node 20's `node --test <dir>` only discovers *.test.mjs-style names;
// this lets `node --test tests/mock-graph/` run the checks in selftest.mjs.
import "./selftest.mjs";
