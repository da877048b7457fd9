#!/usr/bin/env node
// Orders the .wasm's functions so that gzip finds more of each one in the
// ones before it. Starting from the smallest, each next function is the one
// that the last 32 KB (gzip's window) resemble most: the largest share of
// its 8-byte strings occurs there. Functions that begin alike, call alike
// or load alike end up side by side. The code itself is untouched: binaryen
// reads the module, each function moves to its place with its body, and
// binaryen writes the module again.
//
//   node scripts/order-functions.mjs <module_bg.wasm>
//
// Run by scripts/build.sh after wasm-opt, whose own order (the most called
// first, for short call indices) gzips about 1.6 KB larger. The file is
// rewritten in place, the same for the same input (about 4 s).
import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";
import { FEATURES, codeBodies } from "./wasm-binary.mjs";

const [path] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/order-functions.mjs <module_bg.wasm>");
  process.exit(2);
}

/** Byte strings this long are what two bodies are compared by. */
const GRAM = 8;
/** gzip's window: what it can still refer back to. */
const WINDOW = 32 * 1024;

/**
 * The order of `code` (function bodies): starting from the smallest, each
 * next function is the one whose byte strings of length GRAM the last
 * WINDOW bytes before it hold the largest share of (ties: the shorter
 * body, then the first).
 */
function similarFirst(code) {
  const grams = code.map((body) => {
    const set = new Set();
    for (let i = 0; i + GRAM <= body.length; i++) set.add(body.toString("latin1", i, i + GRAM));
    return [...set];
  });
  /** How many functions in the window hold each byte string. */
  const window = new Map();
  const inWindow = [];
  let windowBytes = 0;
  const enter = (i) => {
    for (const gram of grams[i]) window.set(gram, (window.get(gram) ?? 0) + 1);
    inWindow.push(i);
    windowBytes += code[i].length;
    while (windowBytes > WINDOW) {
      const out = inWindow.shift();
      windowBytes -= code[out].length;
      for (const gram of grams[out]) {
        const count = window.get(gram) - 1;
        if (count > 0) window.set(gram, count);
        else window.delete(gram);
      }
    }
  };
  const left = new Set(code.keys());
  const order = [];
  let next = 0;
  for (const i of left) if (code[i].length < code[next].length) next = i;
  while (left.size > 0) {
    left.delete(next);
    order.push(next);
    enter(next);
    let best = -1;
    let bestShare = -1;
    for (const i of left) {
      let held = 0;
      for (const gram of grams[i]) if (window.has(gram)) held++;
      const share = (held + 1) / (grams[i].length + 4);
      if (share > bestShare || (share === bestShare && code[i].length < code[best].length)) {
        best = i;
        bestShare = share;
      }
    }
    next = best;
  }
  return order;
}

const bytes = readFileSync(path);
const code = codeBodies(bytes);
const module = binaryen.readBinary(bytes);
try {
  module.setFeatures(FEATURES);
  const defined = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) defined.push(info);
  }
  if (defined.length !== code.length) throw new Error(`${defined.length} functions, but ${code.length} bodies`);
  const order = similarFirst(code);
  // Removed and added again in that order: the body, its locals' types and
  // the function's name (which its exports, table slots and calls use) stay.
  for (const i of order) {
    const { name, params, results, vars, body } = defined[i];
    module.removeFunction(name);
    module.addFunction(name, params, results, vars, body);
  }
  if (!module.validate()) throw new Error("the module does not validate after the functions were ordered");
  writeFileSync(path, module.emitBinary());
} catch (error) {
  console.error(`order-functions: ${error.message}`);
  process.exit(1);
} finally {
  module.dispose();
}
