#!/usr/bin/env node
// Gives the .wasm's imports, exports and import modules short names (`a`,
// `b`, … as binaryen's --minify-imports-and-exports-and-modules chooses, the
// way Emscripten ships its modules) and rewrites the wasm-bindgen glue to
// match. wasm-bindgen names each import `__wbg_<name>_<16 hex digits>`: a
// hundred or more such names, each written in the .wasm and again in the
// glue, whose hex digits do not compress.
//
//   node scripts/minify-names.mjs <module_bg.wasm> <glue.js>
//
// Run by scripts/build.sh after wasm-opt -Oz and before esbuild. Both files
// are rewritten in place. The rewrite is checked: every import of the map is
// found exactly once in the glue's import object, every `wasm.<export>` the
// glue reads is in the map, and each import module is found; anything else
// stops the build, so a change of wasm-bindgen's glue cannot pass unnoticed.
import { execFileSync } from "node:child_process";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { Reader, section } from "./wasm-binary.mjs";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error("usage: node scripts/minify-names.mjs <module_bg.wasm> <glue.js>");
  process.exit(2);
}

const features = ["bulk-memory", "mutable-globals", "sign-ext", "nontrapping-float-to-int", "reference-types", "multivalue"];
const out = `${wasmPath}.min`;
const printed = execFileSync(
  "node_modules/.bin/wasm-opt",
  [wasmPath, "--minify-imports-and-exports-and-modules", ...features.map((f) => `--enable-${f}`), "-o", out],
  { encoding: "utf8", maxBuffer: 1 << 24 },
);
// The pass prints its map as JSON (with a trailing comma after the last
// import, which JSON.parse refuses).
const map = JSON.parse(printed.slice(printed.indexOf("{")).replace(/,(\s*[\]}])/g, "$1"));

/** Fails the build with `message`. */
function fail(message) {
  console.error(`minify-names: ${message}`);
  process.exit(1);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
let glue = readFileSync(gluePath, "utf8");

// The modules: `"./x.js": importN` in the object __wbg_get_imports returns.
const modules = new Map(); // old module name -> [ [old import, new import], … ]
const moduleNames = new Map(); // old module name -> new module name
for (const [module, name, short] of map.imports) {
  if (!modules.has(module)) modules.set(module, []);
  modules.get(module).push([name, short]);
}
// binaryen names the modules in the order it meets them; its map does not
// say which is which, so read it from the .wasm's import section.
for (const [module, short] of importModules(readFileSync(out), readFileSync(wasmPath))) moduleNames.set(module, short);

// Per short module: the object the glue builds for it, and the members
// taken from module namespaces (binaryen may give several modules the same
// short name, so they become one object).
const targets = new Map(); // short module -> { object, members: [] }
for (const [module, names] of modules) {
  const entry = new RegExp(`\\n\\s+"${escape(module)}": (import\\d+),`);
  const found = glue.match(entry);
  if (!found) fail(`the glue has no import object for ${module}`);
  const object = found[1];
  const shortModule = moduleNames.get(module);
  if (!shortModule) fail(`no short name for module ${module}`);
  if (!targets.has(shortModule)) targets.set(shortModule, { object: null, members: [] });
  const target = targets.get(shortModule);
  glue = glue.replace(entry, "");
  if (new RegExp(`const ${object} = \\{`).test(glue)) {
    // An object the glue builds (`const import0 = { … }`): rename its keys.
    if (target.object) fail(`two built import objects for module ${shortModule}`);
    target.object = object;
    for (const [name, short] of names) {
      const key = new RegExp(`(\\n\\s+)${escape(name)}(: function)`, "g");
      const count = (glue.match(key) ?? []).length;
      if (count !== 1) fail(`import ${name} of ${module} is found ${count} times in the glue, not once`);
      glue = glue.replace(key, (_, before, after) => `${before}${short}${after}`);
    }
  } else {
    // A module namespace (`import * as import1 from "./x.js"`): each short
    // name maps to its export.
    for (const [name, short] of names) target.members.push(`${JSON.stringify(short)}: ${object}.${name}`);
  }
}
const entries = [...targets].map(([short, { object, members }]) => {
  const extra = `{ ${members.join(", ")} }`;
  const value = object ? (members.length ? `Object.assign(${object}, ${extra})` : object) : extra;
  return `\n        ${JSON.stringify(short)}: ${value},`;
});
const returned = /(return \{\n\s+__proto__: null,)/;
if (!returned.test(glue)) fail("the glue's import object is not where it was");
glue = glue.replace(returned, (head) => `${head}${entries.join("")}`);

// `memory` keeps its name: what init()/initSync() hand back is the
// module's exports, and callers read `.memory` from it (the load test and
// the memory bench do).
const KEPT_EXPORTS = ["memory"];
const exportsMap = new Map(map.exports);
const renamedBack = new Map(KEPT_EXPORTS.filter((name) => exportsMap.has(name)).map((name) => [exportsMap.get(name), name]));
for (const name of KEPT_EXPORTS) exportsMap.set(name, name);
const unknown = new Set();
glue = glue.replace(/\bwasm\.([A-Za-z_$][\w$]*)/g, (whole, name) => {
  const short = exportsMap.get(name);
  if (short === undefined) unknown.add(name);
  return `wasm.${short}`;
});
if (unknown.size) fail(`the glue reads exports the map does not have: ${[...unknown].join(", ")}`);
if (/instance\.exports\.|wasm\[/.test(glue)) fail("the glue reads an export in a way this script does not rewrite");

writeFileSync(gluePath, glue);
writeFileSync(out, renameExports(readFileSync(out), renamedBack));
renameSync(out, wasmPath);

/** `n` as an unsigned LEB128. */
function leb128(n) {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Uint8Array.from(out);
}

/** The module `bytes` with the exports named in `names` (short -> long) renamed. */
function renameExports(bytes, names) {
  const parts = [bytes.subarray(0, 8)];
  const r = new Reader(bytes);
  const utf8 = new TextEncoder();
  let renamed = 0;
  while (r.at < bytes.length) {
    const start = r.at;
    const id = r.byte();
    const end = r.leb() + r.at;
    if (id !== 7) {
      parts.push(bytes.subarray(start, end));
      r.at = end;
      continue;
    }
    const count = r.leb();
    const body = [leb128(count)];
    for (let i = 0; i < count; i++) {
      const name = r.name();
      const kindStart = r.at;
      r.byte();
      r.leb();
      const kept = names.get(name);
      if (kept !== undefined) renamed++;
      const text = utf8.encode(kept ?? name);
      body.push(leb128(text.length), text, bytes.subarray(kindStart, r.at));
    }
    if (r.at !== end) fail("the export section did not parse to its end");
    const content = Buffer.concat(body);
    parts.push(Uint8Array.of(7), leb128(content.length), content);
  }
  if (renamed !== names.size) fail(`renamed ${renamed} of ${names.size} kept exports back`);
  return Buffer.concat(parts);
}

/**
 * `[old module, new module]` pairs, read from the import sections of the
 * two modules (binaryen keeps the imports' order).
 */
function importModules(after, before) {
  const a = importList(after);
  const b = importList(before);
  if (a.length !== b.length) fail("the minified module has another number of imports");
  const pairs = new Map();
  for (let i = 0; i < a.length; i++) {
    const known = pairs.get(b[i]);
    if (known !== undefined && known !== a[i]) fail(`module ${b[i]} became two modules`);
    pairs.set(b[i], a[i]);
  }
  return pairs;
}

/** The module name of each import, in order, from a .wasm's bytes. */
function importList(bytes) {
  const r = section(bytes, 2);
  if (!r) return [];
  const limits = () => {
    const flags = r.byte();
    r.leb();
    if (flags & 1) r.leb();
  };
  const list = [];
  for (let n = r.leb(); n > 0; n--) {
    list.push(r.name());
    r.name();
    const kind = r.byte();
    if (kind === 0) r.leb(); // a function: its type index
    else if (kind === 1) { r.byte(); limits(); } // a table: element type, limits
    else if (kind === 2) limits(); // a memory
    else if (kind === 3) r.at += 2; // a global: value type, mutability
    else fail(`an import of kind ${kind}`);
  }
  return list;
}
