#!/usr/bin/env node
// Orders the .wasm's functions so that gzip finds more of each one in the
// ones before it: by size class (the base-2 logarithm of the body's length),
// then by the body's instructions, compared byte by byte. Functions of a
// size class that begin alike (the same prologue, the same first calls and
// loads) sit side by side, within gzip's 32 KB window. The code itself is
// untouched: binaryen reads the module, each function moves to its place
// with its body, and binaryen writes the module again.
//
//   node scripts/order-functions.mjs <module_bg.wasm>
//
// Run by scripts/build.sh after wasm-opt, whose own order (the most called
// first, for short call indices) gzips about 1 KB larger. The file is
// rewritten in place.
import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";

const [path] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/order-functions.mjs <module_bg.wasm>");
  process.exit(2);
}

/** An unsigned LEB128 of `bytes` at `at.offset`, which moves past it. */
function leb(bytes, at) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.offset++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return result;
  }
}

/** Each function body of the code section: its instructions, without its size and locals. */
function bodies(bytes) {
  const at = { offset: 8 };
  while (at.offset < bytes.length) {
    const id = bytes[at.offset++];
    const length = leb(bytes, at);
    const end = at.offset + length;
    if (id === 10) {
      const list = [];
      for (let count = leb(bytes, at); count > 0; count--) {
        const size = leb(bytes, at);
        const next = at.offset + size;
        for (let groups = leb(bytes, at); groups > 0; groups--) {
          leb(bytes, at);
          at.offset++;
        }
        list.push(bytes.subarray(at.offset, next));
        at.offset = next;
      }
      return list;
    }
    at.offset = end;
  }
  return [];
}

const bytes = readFileSync(path);
const code = bodies(bytes);
const F = binaryen.Features;
const module = binaryen.readBinary(bytes);
try {
  module.setFeatures(F.BulkMemory | F.BulkMemoryOpt | F.MutableGlobals | F.SignExt | F.NontrappingFPToInt | F.ReferenceTypes | F.Multivalue);
  const defined = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const info = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
    if (!info.module) defined.push(info);
  }
  if (defined.length !== code.length) throw new Error(`${defined.length} functions, but ${code.length} bodies`);
  const sizeClass = (i) => Math.floor(Math.log2(code[i].length || 1));
  const order = [...defined.keys()].sort((a, b) => sizeClass(a) - sizeClass(b) || Buffer.compare(code[a], code[b]));
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
