// The release .wasm: its size raw and gzipped (level 9), and how long a fresh
// Node process takes to compile and instantiate it. Each timing runs in its
// own child process (a module instantiates once per realm), medians over runs.
//
//   node bench/wasm.mjs            prints the numbers
//   node bench/wasm.mjs --child    (internal) one measurement, as JSON
//
// bench/run.mjs imports measureWasm() for its table.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const WASM = new URL("../pkg/graph_conversations_bg.wasm", import.meta.url);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Resolves to `{ rawBytes, gzipBytes, compileMs, instantiateMs, totalMs, runs }`:
 * compile = `new WebAssembly.Module(bytes)`, instantiate = the package's
 * `initSync({ module })` (instance and wasm-bindgen start), both timed in a
 * fresh process after the bytes are read and the JS glue is loaded; medians.
 */
export function measureWasm({ runs = 10 } = {}) {
  const bytes = readFileSync(WASM);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--child"], { encoding: "utf8" });
    samples.push(JSON.parse(out));
  }
  return {
    rawBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    compileMs: median(samples.map((s) => s.compileMs)),
    instantiateMs: median(samples.map((s) => s.instantiateMs)),
    totalMs: median(samples.map((s) => s.compileMs + s.instantiateMs)),
    runs,
  };
}

async function child() {
  const { initSync } = await import("../pkg/graph_conversations.js");
  const bytes = readFileSync(WASM);
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  initSync({ module });
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ compileMs: t1 - t0, instantiateMs: t2 - t1 }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--child")) await child();
  else console.log(measureWasm());
}
