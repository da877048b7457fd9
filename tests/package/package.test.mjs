// The npm package as a user gets it: `npm pack` of pkg/ (with its licenses),
// installed into a fresh consumer project, imported by name, and the README's
// Node example run as written against the mock Graph.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startMockGraph, TOKEN, PAGE_ID, threads } from "../../mock/server.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
let consumer;
let mock;

before(async () => {
  consumer = mkdtempSync(join(tmpdir(), "graph-conversations-consumer-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", consumer], { cwd: join(root, "pkg") });
  const tarball = readdirSync(consumer).find((f) => f.endsWith(".tgz"));
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", `./${tarball}`], { cwd: consumer });
  mock = await startMockGraph();
});

after(async () => {
  await mock?.close();
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

test("the packed package holds only what it should", () => {
  const files = readdirSync(join(consumer, "node_modules/graph-conversations")).sort();
  for (const needed of ["graph_conversations_bg.wasm", "index.d.ts", "node.js", "web.js", "workerd.js", "graph_error.js", "calls.js", "package.json", "LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(files.includes(needed), `${needed} missing from ${files}`);
  }
  assert.ok(!files.some((f) => f.endsWith(".rs") || f === "node_modules"));
});

test("the tarball carries both licenses its package.json names", () => {
  const tarball = readdirSync(consumer).find((f) => f.endsWith(".tgz"));
  const entries = execFileSync("tar", ["-tzf", join(consumer, tarball)], { encoding: "utf8" }).split("\n");
  for (const name of ["LICENSE-MIT", "LICENSE-APACHE"]) assert.ok(entries.includes(`package/${name}`), `${name} in ${entries}`);
  const installed = join(consumer, "node_modules/graph-conversations");
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  const mit = readFileSync(join(installed, "LICENSE-MIT"), "utf8");
  assert.match(mit, /^MIT License\n\nCopyright \(c\) the graph-conversations authors\n/);
  assert.match(mit, /Permission is hereby granted, free of charge/);
  const apache = readFileSync(join(installed, "LICENSE-APACHE"), "utf8");
  assert.match(apache, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(apache, /END OF TERMS AND CONDITIONS/);
  assert.match(apache, /Copyright the graph-conversations authors/);
  // The same texts as the repository's, which the crate is licensed under.
  assert.equal(mit, readFileSync(join(root, "LICENSE-MIT"), "utf8"));
  assert.equal(apache, readFileSync(join(root, "LICENSE-APACHE"), "utf8"));
});

test("imports by name in Node with no init call", async () => {
  const script = `import { GraphClient, GraphError } from "graph-conversations";
    const c = new GraphClient({ accessToken: "EAAG-consumer-token" });
    console.log(typeof GraphClient, new GraphError("x") instanceof Error, typeof c.listConversations);`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer });
  assert.equal(stdout.trim(), "function true function");
});

test("exports give each runtime its entry", async () => {
  const resolve = async (specifier, conditions = []) => {
    const args = [...conditions.map((c) => `--conditions=${c}`), "--input-type=module", "-e", `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`];
    return (await run(process.execPath, args, { cwd: consumer })).stdout.trim();
  };
  assert.match(await resolve("graph-conversations"), /graph-conversations\/node\.js$/);
  assert.match(await resolve("graph-conversations", ["workerd"]), /graph-conversations\/workerd\.js$/);
  assert.match(await resolve("graph-conversations/web"), /graph-conversations\/web\.js$/);
  const pkg = JSON.parse(readFileSync(join(consumer, "node_modules/graph-conversations/package.json"), "utf8"));
  assert.equal(pkg.exports["."].types, "./index.d.ts");
  assert.equal(pkg.exports["."].browser, "./web.js");
});

test("the README's Node example runs as written against the mock", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.match(/<!-- readme-example:start -->\s*```js\n([\s\S]*?)```/);
  assert.ok(block, "README has the marked example");
  writeFileSync(join(consumer, "example.mjs"), block[1]);
  const env = { ...process.env, GRAPH_URL: mock.url, PAGE_TOKEN: TOKEN, PAGE_ID };
  const { stdout, stderr } = await run(process.execPath, ["example.mjs"], { cwd: consumer, env });
  assert.equal(stderr, "");
  const lines = stdout.trim().split("\n");
  const instagram = threads("instagram");
  const messenger = threads("messenger");
  assert.equal(lines.length, instagram.length + Math.min(5, messenger[0].messages.length));
  assert.ok(lines[0].startsWith(`${instagram[0].id} ${instagram[0].updated_time}`), lines[0]);
  assert.ok(lines.at(-1 - Math.min(5, messenger[0].messages.length) + 1).startsWith(messenger[0].messages[0].from.name));
});
