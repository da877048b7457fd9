// The mock Graph for the tests that import it through this file: mock/server.mjs
// once the mock has moved to mock/, tests/mock-graph/server.mjs until then (the
// same fallback as the Makefile's MOCK_TESTS; drop it after the move).
//
//   import { startMockGraph, TOKEN, PAGE_ID, threads } from "../support/mock-graph.mjs";
import { existsSync } from "node:fs";

const moved = new URL("../../mock/server.mjs", import.meta.url);
const mock = await import(existsSync(moved) ? moved.href : new URL("../mock-graph/server.mjs", import.meta.url).href);

/** @type {(opts?: object) => Promise<any>} */
export const startMockGraph = mock.startMockGraph;
/** @type {string} */
export const TOKEN = mock.TOKEN;
/** @type {string} */
export const PAGE_ID = mock.PAGE_ID;
/** @type {(platform?: string, opts?: object) => any[]} */
export const threads = mock.threads;
