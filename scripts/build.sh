#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm, wasm-bindgen glue
# (--target web, loaded by the hand-written entries in js/), wasm-opt -Oz,
# the hand-written files, and the type entry.
set -euo pipefail
cd "$(dirname "$0")/.."

# The panic locations that stay in the .wasm name their crate's file
# without this machine's cargo home: `sha2-0.10.9/src/core_api.rs`, not
# `/root/.cargo/registry/src/index.crates.io-…/sha2-0.10.9/…` (smaller, and
# the same on every machine).
remaps=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && remaps="$remaps --remap-path-prefix=$dir="
done
RUSTFLAGS="${RUSTFLAGS:-}$remaps" cargo build --release --target wasm32-unknown-unknown --lib
rm -rf pkg && mkdir -p pkg
wasm-bindgen --target web --weak-refs --out-dir pkg --out-name graph_conversations \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/graph_conversations.wasm"

# The models' TypeScript types, which tsify writes on the host (the wasm
# build has no `std`, which tsify needs there; src/core/tests/ts_types.rs
# keeps the file true to the Rust types).
{ echo; sed 1,2d js/models.d.ts; } >>pkg/graph_conversations.d.ts

wasm="pkg/graph_conversations_bg.wasm"
raw=$(wc -c <"$wasm")
# The table slots only wasm-bindgen's describe functions filled (closure
# invoke shims of js-sys's imports, js-sys's JSPI waker) emptied, so that
# wasm-opt drops what they kept: about 1 KB, 0.3 KB gzipped.
node scripts/drop-dead-slots.mjs "$wasm"
# --low-memory-unused: rustc links the stack first (data from 1 MiB up, the
# stack growing down from there), so the low 1 KiB is touched only by a 1 MiB
# deep stack overflow; wasm-opt then folds constant offsets into loads and
# stores (about 1.8 KB, 0.7 KB gzipped). Then the control flow of every
# function flattened and rebuilt by binaryen's relooper (--flatten
# --rereloop) and optimised again: 2.3 KB less, 0.7 KB gzipped. A second
# -Oz finds a little more.
node_modules/.bin/wasm-opt -Oz --low-memory-unused --flatten --rereloop -Oz -Oz --strip-debug --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
# The functions ordered so that alike ones sit side by side for gzip (1.6
# KB gzipped less than wasm-opt's order).
node scripts/order-functions.mjs "$wasm"
# Short import, export and module names in the .wasm and its glue (about
# 1.9 KB gzipped of the .wasm, and the glue's own copies of the names); the
# .wasm's own .d.ts, which lists the long names, goes (the package does not
# ship it).
node scripts/minify-names.mjs "$wasm" pkg/graph_conversations.js
rm -f pkg/graph_conversations_bg.wasm.d.ts

cp js/graph_error.js js/graph_error.d.ts js/calls.js js/calls.d.ts js/node.js js/web.js js/workerd.js js/package.json README.md LICENSE-MIT LICENSE-APACHE pkg/
node scripts/write-types.mjs
# The JS a browser or a Worker loads without its comments and layout (their
# docs are in the .d.ts files beside them; the readable sources are js/ in
# the repository): the generated glue 9.4 KB gzipped down to 4.2 KB with the
# short names above, the hand-written files the web entry loads 3.2 KB down
# to 1.7 KB. The glue's first line (`@ts-self-types`)
# stays. node.js stays as written: its JSDoc types are checked where the
# examples import it. web.js and workerd.js are minified below, bundled.
minify() {
  node_modules/.bin/esbuild "$1" --format=esm --minify-whitespace --minify-syntax --legal-comments=none --log-level=warning
}
glue="pkg/graph_conversations.js"
{ head -n1 "$glue"; minify "$glue"; } >"$glue.min"
mv "$glue.min" "$glue"
for file in api.js graph_error.js calls.js; do
  minify "pkg/$file" >"pkg/$file.min"
  mv "pkg/$file.min" "pkg/$file"
done
# Then the names only a file itself sees shortened (parameters, variables,
# private fields, private top-level helpers); class names, exports and the
# names of exported functions kept: the glue 4.2 KB gzipped down to 3.5 KB
# (its `arg0`, `ptr0`, `deferred1_0`, `passStringToWasm0`), calls.js 1.7
# down to 1.5 KB.
node scripts/mangle-locals.mjs "$glue" pkg/api.js pkg/graph_error.js pkg/calls.js
# The browser's and the Worker's entries each one file, with the glue,
# calls.js, GraphError and the API list inside (rollup: the modules side by
# side in one scope, their classes declared as written, so `Inbox.name` stays
# "Inbox"): a page or a Worker loads one file, gzipped as one, and the names
# the modules shared (`drive`, `member`, `exchange`, …) are local names now,
# shortened too. 5.8 KB gzipped down to 4.8 KB for the web entry. node.js
# stays beside the separate files, which it imports.
for entry in web workerd; do
  node_modules/.bin/rollup "pkg/$entry.js" --format es --external ./graph_conversations_bg.wasm --silent --file "pkg/$entry.bundle.js"
  minify "pkg/$entry.bundle.js" >"pkg/$entry.js"
  rm "pkg/$entry.bundle.js"
done
node scripts/mangle-locals.mjs pkg/web.js pkg/workerd.js
mkdir -p pkg/mock && cp mock/*.mjs mock/server.d.mts pkg/mock/ # the mock Graph (graph-conversations/mock and its bin), not its tests
echo "pkg/$(basename "$wasm"): $raw bytes before wasm-opt, $(wc -c <"$wasm") after, $(gzip -9c "$wasm" | wc -c) gzipped"
