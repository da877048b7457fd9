// examples/export.mjs, the README's resumable export, against the mock Graph:
// stopped after a few slices (killed, with a half-written line left behind)
// and started again, it writes the same file as a run straight through: every
// thread once, each with all of its messages once, and the conversation
// fields it asks for. The README shows the script's core as it is.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { PAGE_ID, TOKEN, startMockGraph, threads } from "../support/mock-graph.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, "examples/export.mjs");
const RUN_TIMEOUT_MS = 60_000;
// 8 threads of 1 to 45 messages; the Graph's nested messages page gives 10 at
// most here, so 6 of them are read on from their messages edge: 7 calls in all.
const COUNT = 8;
const MOCK_OPTIONS = { threads: { messenger: COUNT }, nestedMessagesCap: 10 };
const SLICE = 2; // calls per slice in the interrupted run: 4 slices

let mock;
let dir;

before(async () => {
  mock = await startMockGraph(MOCK_OPTIONS);
  dir = mkdtempSync(join(tmpdir(), "gc-export-"));
});
beforeEach(() => mock.reset());
after(async () => {
  await mock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the README's export recipe is the script's core, as it is", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = /<!-- export-example:start -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "README.md has the marked export example");
  const script = readFileSync(SCRIPT, "utf8");
  const core = /\/\/ export:start\n([\s\S]*?)\/\/ export:end\n/.exec(script)?.[1];
  assert.ok(core, "examples/export.mjs marks its core");
  assert.equal(block, `import { GraphClient } from "graph-conversations";\n${core}`);
});

test("an export stopped after a few slices and started again writes what one run straight through writes", async () => {
  const resumedFile = join(dir, "resumed.jsonl");
  const straightFile = join(dir, "straight.jsonl");

  // Killed (as a crash would) once it has saved its second checkpoint.
  const first = await runExport(resumedFile, { MAX_REQUESTS: String(SLICE) }, { killAfterSlices: 2 });
  assert.equal(first.signal, "SIGKILL", first.output);
  assert.doesNotMatch(first.output, /^done/m, "stopped before the end");
  assert.ok(existsSync(`${resumedFile}.state`), "a checkpoint was saved");
  const linesBefore = readFileSync(resumedFile, "utf8").split("\n").length - 1;
  assert.ok(linesBefore < COUNT, `${linesBefore} threads written before the stop`);
  // A kill in the middle of a write leaves half a line: the next run cuts it away.
  appendFileSync(resumedFile, '{"id":"t_half-writ');
  const callsBefore = mock.requests.length;

  const second = await runExport(resumedFile, { MAX_REQUESTS: String(SLICE) });
  assert.equal(second.code, 0, second.output);
  assert.match(second.output, /^done/m);
  assert.ok(!existsSync(`${resumedFile}.state`), "the checkpoint is gone once the export is complete");
  const slices = [...`${first.output}${second.output}`.matchAll(/(\d+) written, (\d+) read in part/g)];
  assert.ok(slices.some((m) => Number(m[2]) > 0), `some thread was cut short by a slice and finished by a later one:\n${first.output}${second.output}`);
  const resumedCalls = mock.requests.length;

  mock.reset();
  const straight = await runExport(straightFile, {});
  assert.equal(straight.code, 0, straight.output);
  const straightCalls = mock.requests.length;
  assert.ok(
    resumedCalls <= straightCalls + SLICE,
    `the second run went on from the checkpoint (${callsBefore} + ${resumedCalls - callsBefore} calls, ${straightCalls} straight through)`,
  );

  const truth = threads("messenger", { count: COUNT });
  for (const file of [resumedFile, straightFile]) {
    const exported = readLines(file);
    assert.deepEqual(exported.map((t) => t.id).sort(), truth.map((t) => t.id).sort(), `${file}: every thread on one line`);
    const messageIds = exported.flatMap((t) => t.messages.map((m) => m.id));
    assert.equal(new Set(messageIds).size, messageIds.length, `${file}: no message twice`);
    for (const thread of truth) {
      const line = exported.find((t) => t.id === thread.id);
      assert.deepEqual(line.messages.map((m) => m.id), thread.messages.map((m) => m.id), `${file}: all of ${thread.id}'s messages, newest first`);
      // fields: ["snippet", "unread_count", "participants"]; id and updated_time come anyway.
      assert.deepEqual(Object.keys(line).sort(), ["id", "messages", "participants", "snippet", "unread_count", "updated_time"]);
      assert.equal(line.snippet, thread.snippet);
      assert.equal(line.unread_count, thread.unread_count);
    }
  }
  assert.deepEqual(sortedById(readLines(resumedFile)), sortedById(readLines(straightFile)), "the same file, but for the order of its lines");
});

/** Runs the script against the mock; resolves to `{ code, signal, output }`. */
function runExport(file, extraEnv, { killAfterSlices = Infinity } = {}) {
  const env = { ...process.env, GRAPH_URL: mock.url, PAGE_TOKEN: TOKEN, PAGE_ID, ...extraEnv };
  const child = spawn(process.execPath, [SCRIPT, file], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let slices = 0;
  child.stdout.on("data", (chunk) => {
    output += chunk;
    slices = (output.match(/^threads: /gm) ?? []).length;
    if (slices >= killAfterSlices) child.kill("SIGKILL");
  });
  child.stderr.on("data", (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
  return new Promise((done) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, output });
    });
  });
}

/** The file's lines as objects; every line must be whole JSON. */
function readLines(file) {
  const text = readFileSync(file, "utf8");
  assert.ok(text === "" || text.endsWith("\n"), `${file} ends with a whole line`);
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

function sortedById(lines) {
  return [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
