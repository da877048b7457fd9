#!/usr/bin/env node
// Shortens the local names (parameters and variables inside functions) of
// the JS a browser or a Worker loads, in place: `arg0`, `deferred1_0`,
// `ptr0` become one letter. Top-level names, class and function names stay,
// so `GraphClient.name`, stack traces and what `console.log` prints of an
// object are as written; no public property is renamed (private `#fields`
// and import bindings are local names too). Nothing else changes (terser's
// compress is off: esbuild has already minified the syntax). A first line
// that is a comment (the glue's `@ts-self-types`) stays the first line.
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
    mangle: { toplevel: false, keep_classnames: true, keep_fnames: true },
    format: { comments: false },
  });
  if (code === undefined) throw new Error(`terser gave nothing for ${file}`);
  writeFileSync(file, head + code + "\n");
}
