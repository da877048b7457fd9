#!/usr/bin/env node
// Where the bytes of the .wasm go, by module: the release build run through
// wasm-bindgen but not wasm-opt (which drops the names), read with twiggy
// (`cargo install twiggy`), every function and data segment summed under its
// crate and module path (`graph_conversations::core::inbox`,
// `alloc::vec`, `js_sys::futures`, `data`, …). The "function names"
// section is left out: wasm-opt strips it from the shipped module.
//
//   node scripts/wasm-size.mjs [path/to/bindgen_output_bg.wasm] [rows=40]
//
// Without a path it builds one into a temporary folder:
//   cargo build --release --target wasm32-unknown-unknown --lib
//   wasm-bindgen --target web --weak-refs … (as scripts/build.sh does)
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [given, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg ?? 40);
const wasm = given || build();
const csv = execFileSync("twiggy", ["top", "-n", "1000000", "--format", "csv", wasm], { encoding: "utf8", maxBuffer: 1 << 28 });

const sizes = new Map();
let total = 0;
for (const line of csv.split("\n").slice(1)) {
  const match = line.match(/^("(?:[^"]|"")*"|[^,]*),(\d+),/);
  if (!match) continue;
  const name = match[1].replace(/^"|"$/g, "").replace(/""/g, '"');
  if (name.includes('"function names" subsection')) continue;
  const bytes = Number(match[2]);
  const key = moduleOf(name);
  sizes.set(key, (sizes.get(key) ?? 0) + bytes);
  total += bytes;
}
console.log(`${wasm}: ${total} bytes of code and data before wasm-opt, by module`);
console.log("| bytes | module |\n|---:|---|");
for (const [key, bytes] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`| ${bytes} | ${key} |`);

/** The crate and module an item belongs to. */
function moduleOf(name) {
  if (name.startsWith("data segment") || name.startsWith("data[")) return "data";
  const plain = name.replace(/\[[0-9a-f]+\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
  // `<Type as Trait>::method` belongs to the type's module.
  const head = plain.match(/^<+([^ >]+)/)?.[1] ?? plain;
  const parts = head.split("::").filter(Boolean);
  if (parts[0] === "graph_conversations") return parts.slice(0, 3).join("::");
  if (["core", "alloc", "std"].includes(parts[0])) return parts.slice(0, 2).join("::");
  if (parts[0] === "js_sys" && parts[1] === "futures") return "js_sys::futures";
  return parts[0] ?? name;
}

function build() {
  const out = mkdtempSync(join(tmpdir(), "wasm-size-"));
  execFileSync("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib"], { stdio: "inherit" });
  const target = process.env.CARGO_TARGET_DIR ?? "target";
  execFileSync("wasm-bindgen", ["--target", "web", "--weak-refs", "--out-dir", out, "--out-name", "g", `${target}/wasm32-unknown-unknown/release/graph_conversations.wasm`], { stdio: "inherit" });
  return join(out, "g_bg.wasm");
}
