// A throwaway consumer project for the bundler tests, laid out as a user's
// app is after `npm install graph-conversations`:
//
//   <tmp>/package.json, <tmp>/index.html
//   <tmp>/src/browser.js, server.js, scenarios.mjs
//   <tmp>/node_modules/graph-conversations -> pkg/   (a link, as `npm install <folder>` makes)
//
//   const project = makeProject();  project.dir;  project.path("dist");  project.remove();

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const APP = join(import.meta.dirname, "app");

export function makeProject() {
  const dir = mkdtempSync(join(tmpdir(), "gc-consumer-"));
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  copyFileSync(join(APP, "index.html"), join(dir, "index.html"));
  for (const file of ["browser.js", "server.js"]) copyFileSync(join(APP, file), join(dir, "src", file));
  // The same scenarios as the plain-page test, so both run the same checks.
  copyFileSync(join(ROOT, "tests/browser/page/scenarios.mjs"), join(dir, "src/scenarios.mjs"));
  symlinkSync(join(ROOT, "pkg"), join(dir, "node_modules/graph-conversations"), "dir");
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
