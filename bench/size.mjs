// What the package weighs on the wire: the release .wasm and the JS each
// entry loads with it, gzipped (level 9), against the hand-written plain-JS
// client (bench/plain-client.mjs); and the .wasm's sections, the biggest
// contributors that can be named in a stripped release build.
//
//   node bench/size.mjs      prints the numbers
//
// bench/run.mjs imports measureSize() for its table.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const PKG = new URL("../pkg/", import.meta.url);
const WASM = "graph_conversations_bg.wasm";
/** The JS the node entry loads beside itself: the public API list, the wasm-bindgen glue, GraphError, calls.js. */
const SHARED_JS = ["api.js", "graph_conversations.js", "graph_error.js", "calls.js"];
/** The files each entry loads: the web and workerd entries are one file each, with the rest inside (scripts/build.sh). */
const ENTRIES = { web: ["web.js"], node: ["node.js", ...SHARED_JS], workerd: ["workerd.js"] };
const PLAIN_CLIENT = new URL("./plain-client.mjs", import.meta.url);

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * `{ wasm: { raw, gz }, js: { <file>: { raw, gz } }, entries: { web|node|workerd: { files, gz, total } },
 *    plain: { raw, gz, lines }, sections: [{ name, raw, gz }] }`, all in bytes.
 * An entry's `gz` sums its JS files gzipped one by one (as a server sends
 * them); `total` adds the .wasm's.
 */
export function measureSize() {
  const wasmBytes = readFileSync(new URL(WASM, PKG));
  const wasm = { raw: wasmBytes.length, gz: gz(wasmBytes) };
  const js = {};
  for (const file of new Set(Object.values(ENTRIES).flat())) {
    const bytes = readFileSync(new URL(file, PKG));
    js[file] = { raw: bytes.length, gz: gz(bytes) };
  }
  const entries = {};
  for (const [name, files] of Object.entries(ENTRIES)) {
    const jsGz = files.reduce((sum, f) => sum + js[f].gz, 0);
    entries[name] = { files, gz: jsGz, total: jsGz + wasm.gz };
  }
  const plainText = readFileSync(PLAIN_CLIENT);
  const plain = { raw: plainText.length, gz: gz(plainText), lines: plainText.toString().split("\n").length };
  return { wasm, js, entries, plain, sections: wasmSections(wasmBytes) };
}

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start",
  "element", "code", "data", "data count", "tag"];

/** The .wasm's sections, biggest first, each with its bytes raw and gzipped alone. */
function wasmSections(bytes) {
  const sections = [];
  let pos = 8; // magic + version
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const [size, after] = leb128(bytes, pos);
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) {
      const [length, at] = leb128(bytes, after);
      name = `custom "${bytes.subarray(at, at + length).toString()}"`;
    }
    const body = bytes.subarray(after, after + size);
    sections.push({ name, raw: after + size - pos + 1, gz: gz(body) });
    pos = after + size;
  }
  return sections.sort((a, b) => b.raw - a.raw);
}

function leb128(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
    shift += 7;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const size = measureSize();
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  console.log(`.wasm ${kb(size.wasm.raw)} raw, ${kb(size.wasm.gz)} gz`);
  for (const [name, e] of Object.entries(size.entries)) console.log(`${name} entry: JS ${kb(e.gz)} gz (${e.files.join(" + ")}), with the .wasm ${kb(e.total)} gz`);
  for (const [file, s] of Object.entries(size.js)) console.log(`  ${file}: ${kb(s.raw)} raw, ${kb(s.gz)} gz`);
  for (const s of size.sections) console.log(`  wasm ${s.name}: ${kb(s.raw)} raw, ${kb(s.gz)} gz alone`);
  console.log(`plain client: ${size.plain.lines} lines, ${kb(size.plain.raw)} raw, ${kb(size.plain.gz)} gz`);
}
