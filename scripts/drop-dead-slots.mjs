#!/usr/bin/env node
// Empties the slots of the .wasm's function table that only wasm-bindgen's
// describe functions ever filled: the invoke shims of closure types
// (`wasm_bindgen::convert::closures::_::invoke`, one per `&dyn Fn…`
// signature among js-sys's imports) and js-sys's JSPI task waker. Every
// import of js-sys is described by an exported function that the
// wasm-bindgen CLI runs and then deletes, but the table slots those
// functions took stay filled, and a filled slot keeps its function and all
// it calls in the module: wasm-opt cannot tell which slots a `call_indirect`
// may reach. Each such slot now holds one function that traps; the table's
// size and every other slot stay as they were.
//
//   node scripts/drop-dead-slots.mjs <module_bg.wasm>
//
// Run by scripts/build.sh on wasm-bindgen's output (which still has its
// function names), before wasm-opt. The file is rewritten in place.
//
// Why no live call can reach an emptied slot: the crate creates no
// `Closure` and passes no Rust closure to JS, so no code but a describe
// function takes the index of an invoke shim; and no code of the crate
// reaches js-sys's futures, whose waker is the only user of those four
// slots. A closure passed to JS would need the table exported to the glue,
// so a module that exports its function table stops the build here.
import { readFileSync, writeFileSync } from "node:fs";
import binaryen from "binaryen";
import { FEATURES } from "./wasm-binary.mjs";

const DEAD = [/^wasm_bindgen::convert::closures::_::invoke::h[0-9a-f]+$/, /^js_sys::futures::jspi::task_waker::raw_\w+::h[0-9a-f]+$/];
const TRAP = "dead_table_slot";

const [path] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/drop-dead-slots.mjs <module_bg.wasm>");
  process.exit(2);
}

const module = binaryen.readBinary(readFileSync(path));
module.setFeatures(FEATURES);
try {
  const segments = [];
  for (let i = 0; i < module.getNumElementSegments(); i++) {
    segments.push(binaryen.getElementSegmentInfo(module.getElementSegmentByIndex(i)));
  }
  const tables = new Set(segments.map((s) => s.table));
  for (let i = 0; i < module.getNumExports(); i++) {
    const info = binaryen.getExportInfo(module.getExportByIndex(i));
    if (info.kind === binaryen.ExternalTable && tables.has(info.value)) {
      throw new Error(`the function table is exported (as "${info.name}"): JS may call any slot, so none is emptied`);
    }
  }
  let emptied = 0;
  module.addFunction(TRAP, binaryen.none, binaryen.none, [], module.unreachable());
  for (const segment of segments) {
    const data = segment.data.map((name) => (DEAD.some((dead) => dead.test(name)) ? (emptied++, TRAP) : name));
    if (data.every((name, i) => name === segment.data[i])) continue;
    const offset = binaryen.getExpressionInfo(segment.offset);
    if (offset.id !== binaryen.ConstId || segment.table === "") throw new Error(`element segment ${segment.name} is not at a constant offset`);
    module.removeElementSegment(segment.name);
    module.addActiveElementSegment(segment.table, segment.name, data, module.i32.const(offset.value));
  }
  if (!module.validate()) throw new Error("the module does not validate after the slots were emptied");
  // With the function names, for the tools that read them before wasm-opt strips them.
  binaryen.setDebugInfo(true);
  writeFileSync(path, module.emitBinary());
  console.log(`${path}: ${emptied} table slots emptied`);
} catch (error) {
  console.error(`drop-dead-slots: ${error.message}`);
  process.exit(1);
} finally {
  module.dispose();
}
