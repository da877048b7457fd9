# graph-conversations — every step a fresh machine needs lives here.
#   make demo   build, serve the www page and the mock Graph, print the page's URL
#   make demo-edge   the same, with the edge inbox under `wrangler dev` fed by the mock
#   make test   checks (fmt, clippy, JS types), native tests with the fuzzer, the mock's
#               self-tests, Node, browser, Worker, bundler and www tests, types, package
#   make check  cargo fmt --check, clippy (host and wasm32) with -D warnings, tsc on the JS
#   make bench  every issue-15 figure with its target: sync calls and time, growth, per call, size
#
# Work is done once: pkg/ is a file target rebuilt only when what it is built
# from changed, the npm tools install once per package-lock.json (npm ci, which
# never rewrites the lock), and the Rust tools are cheap checks that install
# only what is missing. Each test target depends only on what it needs.

# The first `wasm-bindgen = ` line: the wasm build's dependency (the host's dev-dependency is the same version).
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = .*version = "=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(CURDIR)/node_modules/.bin:$(PATH)

# What the npm package in pkg/ is built from (README.md is copied into it).
PKG_SOURCES := $(shell find src js scripts -type f) $(wildcard mock/*.mjs) mock/server.d.mts Cargo.toml Cargo.lock README.md LICENSE-MIT LICENSE-APACHE
PKG := pkg/.stamp
NPM := node_modules/.stamp


.PHONY: setup rust-tools setup-chromium build check check-rust check-js \
  test test-native test-fuzz test-mock test-node test-types test-package test-browser \
  test-worker test-bundlers test-www demo bench clean

## ---- Tools -----------------------------------------------------------------

## The wasm target, clippy and rustfmt, and the wasm-bindgen CLI of the
## crate's exact version: checked in well under a second, installed only when
## missing.
rust-tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

## The npm tools (binaryen's wasm-opt, TypeScript, esbuild, Vite, workerd,
## playwright-core), exactly as package-lock.json pins them, for every
## platform it lists. npm ci never writes the lock; it runs again only when
## package.json or the lock changed.
$(NPM): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup: rust-tools $(NPM)

## Debian's Chromium for the browser tests (playwright-core drives it; it
## never downloads a browser of its own).
setup-chromium:
	@if ! command -v chromium >/dev/null; then \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

## ---- The package -----------------------------------------------------------

## The npm package in pkg/, rebuilt only when its sources changed (the tools
## are order-only: a new lock file or tool check does not rebuild it).
$(PKG): $(PKG_SOURCES) | rust-tools $(NPM)
	./scripts/build.sh
	@touch $@

build: $(PKG)

## ---- Checks ----------------------------------------------------------------

check: check-rust check-js

## Formatting, and clippy with warnings as errors on the host (every target:
## lib, tests) and on wasm32 (the lib, the only target built for it).
check-rust: | rust-tools
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

## The hand-written JS (js/, examples/, www/) type-checked in strict checkJs
## mode against the package's real types (tsconfig.check.json).
check-js: $(PKG) $(NPM)
	tsc -p tsconfig.check.json

## ---- Tests -----------------------------------------------------------------

## Every host test, the fuzzer among them (the response decoders, the sync
## planner and the client, for FUZZ_SECONDS, default 60): one optimised build.
## The fuzzer's seed is the commit's (FUZZ_SEED overrides it): each commit
## fuzzes new inputs, and a run of the same commit on any machine makes the
## same inputs in the same order, so a failure is found and replayed where
## the commit was made, not first on CI.
FUZZ_SEED_OF_COMMIT = $$(printf '%d' 0x$$(git rev-parse HEAD 2>/dev/null | cut -c1-14)1)
test-native:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} FUZZ_SEED=$${FUZZ_SEED:-$(FUZZ_SEED_OF_COMMIT)} cargo test --profile fuzz -- --nocapture

## The fuzzer alone, e.g. for a longer run: FUZZ_SECONDS=600 make test-fuzz.
test-fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} cargo test --profile fuzz --lib fuzz:: -- --nocapture

## The mock Graph's self-tests (no package needed).
test-mock:
	node --test --test-reporter=spec mock/test/

test-node: $(PKG)
	node --test --test-reporter=spec tests/node/

test-types: $(PKG) $(NPM)
	tsc -p tests/types/tsconfig.json
	node --test --test-reporter=spec tests/types/

test-package: $(PKG) $(NPM)
	node --test --test-reporter=spec tests/package/

## Headless Debian Chromium: a plain ES-module page importing graph-conversations/web.
test-browser: $(PKG) $(NPM) setup-chromium
	node --test --test-reporter=spec tests/browser/

## The example Worker against the mock: in the real Workers runtime (npm
## workerd), and under `wrangler dev` (the pinned wrangler, local mode, offline).
test-worker: $(PKG) $(NPM)
	node --test --test-reporter=spec tests/worker/

## The www page end to end in Chromium, from make demo's own servers.
test-www: $(PKG) $(NPM) setup-chromium
	node --test --test-reporter=spec tests/www/

## Consumer apps bundled with esbuild and Vite 7, run in Node and Chromium.
test-bundlers: $(PKG) $(NPM) setup-chromium
	node --test --test-reporter=spec tests/bundlers/

## The checks first: a failing one stops the run before any test.
test: check test-native test-mock test-node test-types test-package test-browser test-worker test-bundlers test-www test-edge
	@echo "make test: all passed"

## ---- Demo and bench --------------------------------------------------------

demo: $(PKG)
	node examples/demo.mjs

## Sync calls and time against a plain-JS client and the documented flow, for
## 200 threads and for 100 / 1,000 / 10,000; per-call overhead against raw
## fetch + JSON.parse; size and instantiation; webhooks and the inbox: ratios
## measured in one run, each with its target and met / not (README: Benchmarks).
bench: $(PKG)
	node bench/run.mjs

clean:
	rm -rf pkg target node_modules

## The edge inbox (examples/edge-inbox) as it will run, in Miniflare: Durable
## Objects on SQLite, the Queue with its dead-letter queue, alarms; a storm of
## signed webhooks against 5 accounts × 40 threads of mock Graphs (one on
## Instagram), every object evicted mid-storm, a restart of the runtime,
## every inbox compared with its mock (about 30 s); dead letters kept and
## replayed (about 30 s); and under `wrangler dev` against the mock Graph,
## which fires its webhooks at it (about 15 s).
.PHONY: test-edge
test-edge: $(PKG) $(NPM)
	node --test --test-reporter=spec tests/edge/

## The full-size storm of the edge inbox (100 accounts × 200 threads, 20,000
## events, 20% repeats, shuffled, every object evicted mid-storm); prints its
## figures (examples/edge-inbox/README.md has them). Not part of make test
## (about 5 minutes).
.PHONY: test-edge-full
test-edge-full: $(PKG) $(NPM)
	node tests/edge/full.mjs

## make demo with the edge inbox (examples/edge-inbox) under `wrangler dev`
## (the pinned wrangler, local mode, offline) fed by the same mock; the page
## shows it in its "Edge inbox" panel.
.PHONY: demo-edge
demo-edge: $(PKG) $(NPM)
	node examples/demo.mjs --edge
