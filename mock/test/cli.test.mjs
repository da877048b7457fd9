// startMock's options and the command line: unknown options and bad values
// fail before anything listens, faults can be switched on at start (option
// and --fault), and --help lists every flag, option, fault kind, fault option
// and magic id, because it is made from the same tables.
//
//   node --test mock/test/cli.test.mjs

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CLI_FLAGS, helpText, parseArgs, parseFaultFlag } from "../cli.mjs";
import {
  COMMON_OPTIONS, FAULTS, PAGE_ID, START_OPTIONS, TOKEN, describeFaultKinds, startMock, startMockGraph,
} from "../server.mjs";

const bin = fileURLToPath(new URL("../bin.mjs", import.meta.url));

test("startMock is startMockGraph under its documented name", () => {
  assert.equal(startMock, startMockGraph);
});

test("an unknown option or a bad value is refused before anything listens", async () => {
  await assert.rejects(startMock({ latencyMS: 5 }), /startMock takes no option "latencyMS"; it takes port, latencyMs/);
  await assert.rejects(startMock({ port: 70000 }), /startMock: port must be a whole number from 0 to 65535/);
  await assert.rejects(startMock({ latencyMs: -1 }), /latencyMs must be a non-negative number/);
  await assert.rejects(startMock({ threads: { facebook: 3 } }), /threads has no platform "facebook"/);
  await assert.rejects(startMock({ messagesPerThread: 0 }), /messagesPerThread must be a whole number from 1 up/);
  await assert.rejects(startMock({ faults: [{ kind: "slowly" }] }), /unknown fault kind "slowly"; known: /);
  await assert.rejects(startMock({ faults: [{ kind: "slow", status: 500 }] }), /fault slow takes no option status/);
});

test("undefined options mean their defaults", async () => {
  const mock = await startMock({ port: undefined, latencyMs: undefined, threads: { messenger: undefined }, faults: undefined });
  try {
    const page = await fetch(`${mock.url}/v24.0/${PAGE_ID}/conversations?limit=100&access_token=${TOKEN}`).then((r) => r.json());
    assert.equal(page.data.length, 60);
  } finally {
    await mock.close();
  }
});

test("faults given at start answer in order, then the Graph does", async () => {
  const mock = await startMock({ faults: [{ kind: "http-500" }, { kind: "rate-limit-613", regainMinutes: 7 }] });
  try {
    const get = () => fetch(`${mock.url}/v24.0/${PAGE_ID}?access_token=${TOKEN}`);
    assert.equal((await get()).status, 500);
    const limited = await get();
    assert.equal(limited.status, 400);
    assert.equal((await limited.json()).error.code, 613);
    assert.equal((await get()).status, 200);
    assert.deepEqual(mock.faults.map((f) => [f.kind, f.hits]), [["http-500", 1], ["rate-limit-613", 1]]);
  } finally {
    await mock.close();
  }
});

test("flags become startMock options", () => {
  assert.deepEqual(parseArgs([]), { port: 8787, latencyMs: 0 });
  assert.deepEqual(
    parseArgs(["--port", "0", "--latency-ms=12.5", "--messenger-threads", "3", "--instagram-threads=4", "--messages-per-thread", "30",
      "--nested-messages-cap", "10", "--calls-per-second", "2", "--fault", "slow:ms=250,times=always,match=/conversations",
      "--fault", '{"kind":"graph-error","code":368,"message":"a, b = c"}', "--fault", "80006"]),
    {
      port: 0, latencyMs: 12.5, threads: { messenger: 3, instagram: 4 }, messagesPerThread: 30, nestedMessagesCap: 10, callsPerSecond: 2,
      faults: [
        { kind: "slow", ms: 250, times: "always", match: "/conversations" },
        { kind: "graph-error", code: 368, message: "a, b = c" },
        { kind: "80006" },
      ],
    },
  );
  assert.deepEqual(parseArgs(["--help"]), { help: true });
  assert.deepEqual(parseArgs(["-h"]), { help: true });
  assert.deepEqual(parseFaultFlag("code-1:isTransient=null,times=2"), { kind: "code-1", isTransient: null, times: 2 });
});

test("a bad flag says what is wrong, with the usage line", () => {
  assert.throws(() => parseArgs(["--prot", "1"]), /unknown argument --prot\nusage: graph-conversations-mock /);
  assert.throws(() => parseArgs(["--port"]), /--port needs a value \(N\)/);
  assert.throws(() => parseArgs(["--port", "x"]), /--port x: not a number/);
  assert.throws(() => parseArgs(["--port", "70000"]), /--port 70000: port must be a whole number from 0 to 65535/);
  assert.throws(() => parseArgs(["--messages-per-thread", "0"]), /messagesPerThread must be a whole number from 1 up/);
  assert.throws(() => parseArgs(["--fault", "slow:ms"]), /--fault slow:ms: "ms" is not name=value/);
  assert.throws(() => parseArgs(["--fault", "graph-error"]), /fault graph-error needs a numeric code/);
  assert.throws(() => parseArgs(["--fault", "{nope"]), /--fault \{nope: not JSON/);
});

test("every startMock option has a flag", () => {
  assert.deepEqual([...new Set(CLI_FLAGS.map((f) => f.option).filter(Boolean))].sort(), Object.keys(START_OPTIONS).sort());
});

test("--help lists every flag, option, fault kind, fault option and magic id", () => {
  const help = helpText();
  for (const f of CLI_FLAGS) assert.ok(help.includes(`${f.flag}${f.value ? ` ${f.value}` : ""}`), f.flag);
  for (const name of Object.keys(START_OPTIONS)) assert.ok(help.includes(`startMock: ${name}]`), name);
  const { kinds, common } = describeFaultKinds();
  for (const k of kinds) {
    assert.ok(help.includes(`  ${k.kind}`) && help.includes(k.summary), k.kind);
    for (const o of k.options) assert.ok(help.includes(`${o.name} (`) && help.includes(o.doc), `${k.kind}.${o.name}`);
    for (const form of k.ids) assert.ok(help.includes(`id ${form.id ?? form.example}: ${form.doc}`), form.id ?? form.example);
  }
  for (const o of common) assert.ok(help.includes(`  ${o.name} (`), o.name);
  assert.equal(kinds.length, Object.keys(FAULTS).length);
  assert.equal(common.length, Object.keys(COMMON_OPTIONS).length);
  assert.ok(help.includes(TOKEN) && help.includes(PAGE_ID));
});

function runBin(args, { timeoutMs = 5000 } = {}) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => { out.stdout += d; });
  child.stderr.on("data", (d) => { out.stderr += d; });
  const exited = new Promise((resolve) => child.once("exit", (code) => { clearTimeout(timer); resolve(code); }));
  return { child, out, exited };
}

test("the command prints the help and exits 0", async () => {
  const { out, exited } = runBin(["--help"]);
  assert.equal(await exited, 0);
  assert.equal(out.stdout, helpText());
});

test("the command refuses a bad flag with exit 1 and the usage line", async () => {
  const { out, exited } = runBin(["--port", "-1"]);
  assert.equal(await exited, 1);
  assert.match(out.stderr, /--port -1: port must be a whole number from 0 to 65535, got -1\nusage: graph-conversations-mock/);
  assert.equal(out.stdout, "");
});

test("the command serves with the faults it was given, says what it accepts, and stops on SIGINT", async () => {
  const { child, out, exited } = runBin(["--port", "0", "--fault", "http-500:times=2"]);
  const line = await new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(String(d)));
    child.once("error", reject);
  });
  try {
    assert.match(line, /^mock Graph listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(" ").at(-1);
    const status = async () => (await fetch(`${url}/v24.0/${PAGE_ID}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status;
    assert.deepEqual([await status(), await status(), await status()], [500, 500, 200]);
    assert.match(out.stderr, new RegExp(`token ${TOKEN}, Page ${PAGE_ID}, .*faults on: http-500`));
  } finally {
    child.kill("SIGINT");
  }
  assert.equal(await exited, 0);
});
