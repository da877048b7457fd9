#!/usr/bin/env node
// Shortens the names that only the file itself sees, in place: the local
// names (parameters and variables inside functions: `arg0`, `deferred1_0`,
// `ptr0` become one letter) and the names of its private top-level helpers
// (the glue's `passStringToWasm0`, `takeFromExternrefTable0`, …). Class
// names and the names of exported functions stay, so `GraphClient.name`,
// `clientDefaults.name`, stack traces through the API and what
// `console.log` prints of an object are as written; no export and no
// public property is renamed (private `#fields` and import bindings are
// local names too). Nothing else changes (terser's compress is off: esbuild
// has already minified the syntax). A first line that is a comment (the
// glue's `@ts-self-types`) stays the first line.
//
//   node scripts/mangle-locals.mjs pkg/graph_conversations.js pkg/calls.js …
import { readFileSync, writeFileSync } from "node:fs";
import { minify } from "terser";

for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, "utf8");
  const head = /^(\/\/|\/\*)/.test(source) ? source.slice(0, source.indexOf("\n") + 1) : "";
  const { code } = await minify(source.slice(head.length), {
    module: true,
    compress: false,
    mangle: { toplevel: true, keep_classnames: true, keep_fnames: exported(source) },
    format: { comments: false },
  });
  if (code === undefined) throw new Error(`terser gave nothing for ${file}`);
  writeFileSync(file, head + code + "\n");
}

/**
 * The names the file exports a function under, as a pattern that keeps
 * those functions' own names (`export function f`, and `f` or `f as g` in
 * an `export { … }` list), or `false` when there are none.
 *
 * @param {string} source
 * @returns {RegExp | false}
 */
function exported(source) {
  const names = new Set();
  for (const [, name] of source.matchAll(/export\s+(?:async\s+)?function\s*\*?\s*([\w$]+)/g)) names.add(name);
  for (const [, list] of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const item of list.split(",")) {
      const local = item.trim().split(/\s+as\s+/)[0];
      if (local) names.add(local);
    }
  }
  return names.size > 0 ? new RegExp(`^(?:${[...names].map((n) => n.replace(/\$/g, "\\$")).join("|")})$`) : false;
}
