# graph-conversations — every step a fresh machine needs lives here.
#   make demo   build, serve the www page and the mock Graph, print the page's URL
#   make test   native tests, the wasm build, Node, browser, Worker, bundler and www tests, types, package
#   make bench  sync calls vs the documented flow, per-call overhead, wasm size (ratios)

WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = .*version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: setup setup-chromium build test test-native test-fuzz test-node test-types test-package test-browser test-worker test-bundlers test-www demo bench clean

## Tools: the wasm target, the wasm-bindgen CLI of the crate's exact version,
## npm packages (binaryen's wasm-opt, TypeScript).
setup:
	rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@# npm ci refuses this lock file (npm 11 leaves out rollup's other-platform builds);
	@# npm install keeps the pinned versions of package.json and the lock.
	npm install --no-audit --no-fund

## Debian's Chromium for the browser tests (playwright-core drives it; it
## never downloads a browser of its own).
setup-chromium:
	@if ! command -v chromium >/dev/null; then \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@chromium --version

## The npm package in pkg/.
build: setup
	./scripts/build.sh

## Host tests of the core and the client (the fuzzer only briefly: see test-fuzz).
test-native:
	FUZZ_SECONDS=5 cargo test

## The response decoders, the sync planner and the client fuzzed for a bounded
## time (FUZZ_SECONDS, default 60 here); prints the executions reached.
test-fuzz:
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} cargo test --profile fuzz --test fuzz -- --nocapture

test-node: build
	node --test --test-reporter=spec tests/mock-graph/ tests/node/

test-types: build
	tsc -p tests/types/tsconfig.json

test-package: build
	node --test --test-reporter=spec tests/package/

## Headless Debian Chromium: a plain ES-module page importing graph-conversations/web.
test-browser: build setup-chromium
	node --test --test-reporter=spec tests/browser/

## The example Worker in the real Workers runtime (npm workerd), against the mock.
test-worker: build
	node --test --test-reporter=spec tests/worker/

## The www page end to end in Chromium, from make demo's own servers.
test-www: build setup-chromium
	node --test --test-reporter=spec tests/www/

## Consumer apps bundled with esbuild and Vite 7, run in Node and Chromium.
test-bundlers: build setup-chromium
	node --test --test-reporter=spec tests/bundlers/

test: setup test-native test-fuzz build test-node test-types test-package test-browser test-worker test-bundlers test-www
	@echo "make test: all passed"

demo: build
	node examples/demo.mjs

## Sync calls and time against the documented flow, per-call overhead against
## raw fetch + JSON.parse, .wasm size and instantiation: ratios measured in one run.
bench: build
	node bench/run.mjs

clean:
	rm -rf pkg target node_modules
