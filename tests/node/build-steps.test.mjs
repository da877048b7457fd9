// The build's two steps after the link that rewrite the .wasm
// (scripts/drop-dead-slots.mjs and scripts/order-functions.mjs), run on
// small modules made here: what each keeps working, what each removes, and
// when the first one refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
import { codeBodies } from "../../scripts/wasm-binary.mjs";

const SCRIPTS = new URL("../../scripts/", import.meta.url);
const SHIM = "wasm_bindgen::convert::closures::_::invoke::h0123456789abcdef";

/** Runs `script` on `bytes` in a scratch file: `{ status, bytes, stderr }`. */
function run(script, bytes) {
  const dir = mkdtempSync(join(tmpdir(), "gc-build-"));
  const file = join(dir, "m.wasm");
  writeFileSync(file, bytes);
  try {
    execFileSync(process.execPath, [new URL(script, SCRIPTS).pathname, file], { stdio: "pipe" });
    return { status: 0, bytes: readFileSync(file), stderr: "" };
  } catch (error) {
    return { status: error.status, bytes: readFileSync(file), stderr: String(error.stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The module's bytes, with its function names (as wasm-bindgen's output has them). */
function emit(module) {
  binaryen.setDebugInfo(true);
  try {
    assert.ok(module.validate());
    return module.emitBinary();
  } finally {
    binaryen.setDebugInfo(false);
    module.dispose();
  }
}

/**
 * A module whose table holds an invoke shim (slot 0) and a live function
 * (slot 1), and which exports `call(slot)`: the slot's function, called
 * through the table. With `exportTable`, the table is exported too.
 */
function tableModule({ exportTable = false } = {}) {
  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.MVP | binaryen.Features.ReferenceTypes);
  m.addFunction(SHIM, binaryen.none, binaryen.i32, [], m.i32.const(1));
  m.addFunction("live", binaryen.none, binaryen.i32, [], m.i32.const(2));
  m.addTable("t", 2, 2);
  m.addActiveElementSegment("t", "e", [SHIM, "live"], m.i32.const(0));
  const call = m.call_indirect("t", m.local.get(0, binaryen.i32), [], binaryen.none, binaryen.i32);
  m.addFunction("call", binaryen.i32, binaryen.i32, [], call);
  m.addFunctionExport("call", "call");
  if (exportTable) m.addTableExport("t", "table");
  return emit(m);
}

const instantiate = (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;

test("drop-dead-slots: a describe-only shim's slot traps, every other slot still calls its function", () => {
  const before = instantiate(tableModule());
  assert.equal(before.call(0), 1);
  const { status, bytes } = run("drop-dead-slots.mjs", tableModule());
  assert.equal(status, 0);
  const after = instantiate(bytes);
  assert.equal(after.call(1), 2);
  assert.throws(() => after.call(0), WebAssembly.RuntimeError);
});

test("drop-dead-slots: refuses a module whose function table is exported, and leaves it as it was", () => {
  const original = tableModule({ exportTable: true });
  const { status, bytes, stderr } = run("drop-dead-slots.mjs", original);
  assert.equal(status, 1);
  assert.match(stderr, /the function table is exported/);
  assert.deepEqual(new Uint8Array(bytes), new Uint8Array(original));
  assert.equal(instantiate(bytes).call(0), 1);
});

/**
 * Twelve functions `f0`…`f11` of different sizes, each adding its own
 * constant to what the one before it returns, and `entry(x)` calling the
 * last; the table holds `f3`, called by `viaTable()`.
 */
function chainModule() {
  const m = new binaryen.Module();
  m.setFeatures(binaryen.Features.MVP | binaryen.Features.ReferenceTypes);
  for (let i = 0; i < 12; i++) {
    let body = i === 0 ? m.local.get(0, binaryen.i32) : m.call(`f${i - 1}`, [m.local.get(0, binaryen.i32)], binaryen.i32);
    // Bodies of different lengths and contents, so the order changes.
    for (let k = 0; k <= (i * 7) % 5; k++) body = m.i32.add(body, m.i32.const(i * 1000 + k));
    m.addFunction(`f${i}`, binaryen.i32, binaryen.i32, [], body);
  }
  m.addFunction("entry", binaryen.i32, binaryen.i32, [], m.call("f11", [m.local.get(0, binaryen.i32)], binaryen.i32));
  m.addFunctionExport("entry", "entry");
  m.addTable("t", 1, 1);
  m.addActiveElementSegment("t", "e", ["f3"], m.i32.const(0));
  const viaTable = m.call_indirect("t", m.i32.const(0), [m.i32.const(7)], binaryen.i32, binaryen.i32);
  m.addFunction("viaTable", binaryen.none, binaryen.i32, [], viaTable);
  m.addFunctionExport("viaTable", "viaTable");
  return emit(m);
}

test("order-functions: every export gives what it gave, only the order of the functions changes", () => {
  const original = chainModule();
  const before = instantiate(original);
  const { status, bytes } = run("order-functions.mjs", original);
  assert.equal(status, 0);
  const after = instantiate(bytes);
  for (const x of [0, 1, -5, 123456]) assert.equal(after.entry(x), before.entry(x));
  assert.equal(after.viaTable(), before.viaTable());
  // The same functions (calls name them by their new indices, so only
  // their number and sizes compare), in another order.
  const lengths = (module) => codeBodies(module).map((body) => body.length);
  assert.deepEqual(lengths(bytes).sort(), lengths(original).sort());
  assert.notDeepEqual(lengths(bytes), lengths(original));
  // The same input gives the same output.
  assert.deepEqual(new Uint8Array(run("order-functions.mjs", original).bytes), new Uint8Array(bytes));
});
