// The README's TypeScript block compiles under today's `tsc --init`
// defaults: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

const root = resolve(import.meta.dirname, "../..");

test("the README's TypeScript example compiles with exactOptionalPropertyTypes and noUncheckedIndexedAccess", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.match(/<!-- readme-typescript:start -->\n```ts\n([\s\S]*?)```\n<!-- readme-typescript:end -->/)?.[1];
  assert.ok(block, "the README has the marked TypeScript block");
  const dir = mkdtempSync(join(tmpdir(), "gc-readme-ts-"));
  try {
    writeFileSync(join(dir, "example.ts"), `declare const process: { env: Record<string, string | undefined> };\n${block}`);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        lib: ["ES2022", "DOM"],
        types: [],
        paths: { "graph-conversations": [join(root, "pkg/index.d.ts")] },
      },
      files: ["example.ts"],
    }));
    execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
  } catch (err) {
    assert.fail(`tsc refused the README's TypeScript example:\n${err.stdout ?? err.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
