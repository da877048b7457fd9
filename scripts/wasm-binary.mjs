// What the build's scripts read of a .wasm themselves: its bytes (a LEB128,
// a name), its code section's function bodies, and the features binaryen
// reads and writes it with (those wasm-opt is given in scripts/build.sh).
import binaryen from "binaryen";

/** The features the .wasm uses, as binaryen.js takes them. */
export const FEATURES =
  binaryen.Features.BulkMemory |
  binaryen.Features.BulkMemoryOpt |
  binaryen.Features.MutableGlobals |
  binaryen.Features.SignExt |
  binaryen.Features.NontrappingFPToInt |
  binaryen.Features.ReferenceTypes |
  binaryen.Features.Multivalue;

/**
 * Reads a .wasm's bytes from just past its header: `byte()`, `leb()` (an
 * unsigned LEB128), `name()` (a length and UTF-8), and `at`, the offset.
 */
export class Reader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 8;
  }
  byte() {
    return this.bytes[this.at++];
  }
  leb() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return result;
    }
  }
  name() {
    const length = this.leb();
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
}

/**
 * A reader at the start of the content of the section `id` (10: code,
 * 2: import, …), or `undefined` when the module has none.
 *
 * @param {Uint8Array} bytes
 * @param {number} id
 * @returns {Reader | undefined}
 */
export function section(bytes, id) {
  const r = new Reader(bytes);
  while (r.at < bytes.length) {
    const found = r.byte() === id;
    const end = r.leb() + r.at;
    if (found) return r;
    r.at = end;
  }
  return undefined;
}

/**
 * Each function body of the code section, in order: its instructions,
 * without its size and its locals.
 *
 * @param {Uint8Array} bytes
 * @returns {Uint8Array[]}
 */
export function codeBodies(bytes) {
  const r = section(bytes, 10);
  const list = [];
  for (let count = r ? r.leb() : 0; count > 0; count--) {
    const next = r.leb() + r.at;
    for (let groups = r.leb(); groups > 0; groups--) {
      r.leb();
      r.byte();
    }
    list.push(bytes.subarray(r.at, next));
    r.at = next;
  }
  return list;
}
