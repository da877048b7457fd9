// The mock Graph as a user of the npm package gets it: `npm pack` of pkg/,
// installed into a fresh project, then used from there only — never from the
// checkout: `graph-conversations/mock` (startMock) serving a GraphClient of
// the same package, the `graph-conversations-mock` command, its types under
// a strict TypeScript, and the client entries staying free of it.
//
// Tools from the repo's node_modules (tsc, esbuild) are run on the fresh
// project; what they resolve, they resolve from its node_modules. Servers on
// 127.0.0.1 only.
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const tsc = join(root, "node_modules/typescript/bin/tsc");
const TIMEOUT = { timeout: 60_000 };
let consumer;
let installed;

before(() => {
  consumer = mkdtempSync(join(tmpdir(), "graph-conversations-mock-consumer-"));
  execFileSync("npm", ["pack", "--silent", "--pack-destination", consumer], { cwd: join(root, "pkg") });
  const tarball = readdirSync(consumer).find((f) => f.endsWith(".tgz"));
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--silent", `./${tarball}`], { cwd: consumer });
  installed = join(consumer, "node_modules/graph-conversations");
});

after(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

/** Runs an ES module script in the fresh project; resolves to its parsed JSON output. */
async function runScript(name, source) {
  writeFileSync(join(consumer, name), source);
  const { stdout, stderr } = await run(process.execPath, [name], { cwd: consumer, ...TIMEOUT });
  assert.equal(stderr, "");
  return JSON.parse(stdout);
}

test("the package carries the mock's runtime files, not its tests", () => {
  const shipped = readdirSync(join(installed, "mock")).sort();
  const runtime = readdirSync(join(root, "mock")).filter((f) => f.endsWith(".mjs")).concat("server.d.mts").sort();
  assert.deepEqual(shipped, runtime);
  const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
  assert.deepEqual(pkg.exports["./mock"], { types: "./mock/server.d.mts", default: "./mock/server.mjs" });
  assert.deepEqual(pkg.bin, { "graph-conversations-mock": "./mock/bin.mjs" });
});

test("startMock from graph-conversations/mock serves a GraphClient of the same package", async () => {
  const out = await runScript("list.mjs", `
    import { GraphClient, GraphError } from "graph-conversations";
    import { startMock, startMockGraph, TOKEN, PAGE_ID, threads } from "graph-conversations/mock";
    const mock = await startMock({ threads: { messenger: 7 }, latencyMs: 1 });
    try {
      const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN });
      const page = await client.listConversations(PAGE_ID, { limit: 5 });
      let denied;
      try { await client.listConversations("error-200"); } catch (err) { denied = err instanceof GraphError && err.code; }
      console.log(JSON.stringify({
        ids: page.data.map((c) => c.id),
        expected: threads("messenger", { count: 7 }).slice(0, 5).map((t) => t.id),
        next: page.paging?.cursors?.after !== undefined,
        requests: mock.requests.map((r) => r.path),
        denied,
        alias: startMock === startMockGraph,
        resolved: import.meta.resolve("graph-conversations/mock"),
      }));
    } finally {
      await mock.close();
    }
  `);
  assert.equal(out.ids.length, 5);
  assert.deepEqual(out.ids, out.expected);
  assert.ok(out.next, "a cursor to the next page");
  assert.equal(out.requests.length, 2);
  assert.match(out.requests[0], /^\/v\d+\.\d+\/104620945892041\/conversations$/);
  assert.match(out.requests[1], /^\/v\d+\.\d+\/error-200\/conversations$/);
  assert.equal(out.denied, 200, "a magic id answers its Graph error");
  assert.ok(out.alias);
  assert.equal(out.resolved, pathToFileURL(join(installed, "mock/server.mjs")).href);
});

test("startMock's faults option reaches the client as the Graph's errors", async () => {
  const out = await runScript("faults.mjs", `
    import { GraphClient, GraphError } from "graph-conversations";
    import { startMock, TOKEN, PAGE_ID } from "graph-conversations/mock";
    const mock = await startMock({ faults: [{ kind: "graph-error", code: 368, times: "always" }] });
    try {
      const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN, maxRetries: 0 });
      let seen;
      try { await client.listConversations(PAGE_ID); } catch (err) { seen = err instanceof GraphError && err.code; }
      console.log(JSON.stringify({ seen, faulted: mock.stats.faulted, kinds: mock.faults.map((f) => f.kind) }));
    } finally {
      await mock.close();
    }
  `);
  assert.deepEqual(out, { seen: 368, faulted: 1, kinds: ["graph-error"] });
});

test("the README's mock example runs as written from the installed package", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.match(/<!-- mock-example:start -->\s*```js\n([\s\S]*?)```/);
  assert.ok(block, "README has the marked mock example");
  writeFileSync(join(consumer, "mock-example.mjs"), block[1]);
  const { stdout, stderr } = await run(process.execPath, ["mock-example.mjs"], { cwd: consumer, ...TIMEOUT });
  assert.equal(stderr, "");
  assert.deepEqual(stdout.trim().split("\n"), ["25 conversations after 3 requests", "613 true 3600000"]);
});

test("graph-conversations-mock --help lists every option and fault kind", async () => {
  const bin = join(consumer, "node_modules/.bin/graph-conversations-mock");
  const { stdout } = await run(bin, ["--help"], { cwd: consumer, ...TIMEOUT });
  const { kinds } = await runScript("kinds.mjs", `
    import { describeFaultKinds, START_OPTIONS } from "graph-conversations/mock";
    console.log(JSON.stringify({ kinds: describeFaultKinds().kinds.map((k) => k.kind), options: Object.keys(START_OPTIONS) }));
  `);
  assert.match(stdout, /^usage: graph-conversations-mock /);
  for (const flag of ["--port", "--latency-ms", "--messenger-threads", "--instagram-threads", "--messages-per-thread",
    "--nested-messages-cap", "--calls-per-second", "--fault", "--help"]) {
    assert.ok(stdout.includes(flag), flag);
  }
  for (const kind of kinds) assert.match(stdout, new RegExp(`^ {2}${kind}( \\(by its id only\\))?: `, "m"), kind);
  assert.ok(stdout.includes("EAAG-mock-page-token") && stdout.includes("104620945892041"));
});

test("graph-conversations-mock --port 0 serves until SIGTERM", async () => {
  const bin = join(consumer, "node_modules/.bin/graph-conversations-mock");
  const child = spawn(bin, ["--port", "0", "--latency-ms", "0", "--fault", "http-500"], { cwd: consumer, stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    const line = await new Promise((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(String(d)));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`exited ${code} before listening`)));
    });
    assert.match(line, /^mock Graph listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const url = line.trim().split(" ").at(-1);
    const get = () => fetch(`${url}/v24.0/104620945892041`, { headers: { Authorization: "Bearer EAAG-mock-page-token" }, signal: AbortSignal.timeout(5000) });
    assert.equal((await get()).status, 500, "the --fault answers first");
    assert.deepEqual(await (await get()).json(), { id: "104620945892041", name: "Harbor Lane Coffee" });
  } finally {
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    clearTimeout(killer);
  }
});

// ---------------------------------------------------------------- types

const CONSUMER_TS = `
import { GraphClient } from "graph-conversations";
import {
  startMock, startMockGraph, TOKEN, SECOND_TOKEN, EXPIRED_TOKEN, PAGE_ID, IG_ACCOUNT_ID, TRIGGER_IDS,
  describeFaultKinds, threads,
  type ActiveFault, type FaultSpec, type MagicId, type MockGraph, type MockOptions, type MockRequest,
} from "graph-conversations/mock";

const faults: FaultSpec[] = [
  { kind: "http-500", times: 2 },
  { kind: "html-502", match: "/conversations" },
  { kind: "http", status: 404, contentType: "text/plain", body: "Not Found" },
  { kind: "truncated-json", mode: "transfer" },
  { kind: "reset", skip: 1 },
  { kind: "slow", ms: 2000, times: "always" },
  { kind: "rate-limit-613", regainMinutes: 60, retryAfter: 5 },
  { kind: "80006", regainMinutes: 1 },
  { kind: "code-1", isTransient: null },
  { kind: "code-2", isTransient: false, times: Infinity },
  { kind: "graph-error", code: 190, subcode: 460, status: 401, message: "m", type: "OAuthException", userTitle: "t", userMsg: "u",
    regainMinutes: 2, retryAfter: 1, appUsage: 100, pageUsage: 100, usageType: "instagram", echoToken: true },
  { kind: "repeat-cursor" },
  { kind: "huge-page", bytes: 1_000_000, times: null },
];

const options: MockOptions = {
  port: 0, latencyMs: 5, threads: { messenger: 200, instagram: 3 }, messagesPerThread: 30, nestedMessagesCap: 10,
  callsPerSecond: 2, faults,
};

export async function use(): Promise<string> {
  const mock: MockGraph = await startMock(options);
  const same: MockGraph = await startMockGraph();
  const client = new GraphClient({ baseUrl: mock.url, accessToken: TOKEN });
  const page = await client.listConversations(PAGE_ID, { platform: "instagram" });
  const fault: ActiveFault = mock.fault({ kind: "slow", ms: 10 });
  const remaining: number = fault.remaining + fault.hits + fault.id;
  const first: MockRequest | undefined = mock.requests[0];
  const status: number | null | undefined = first?.status;
  mock.setCallsPerSecond(0);
  mock.clearFaults();
  mock.reset();
  const ids: MagicId[] = ["error-613", "net-reset", "batch-null", \`slow-250-\${IG_ACCOUNT_ID}\`, "flaky-2-t_1", ...TRIGGER_IDS];
  const kinds: string[] = describeFaultKinds().kinds.map((k) => k.kind + k.summary);
  const thread = threads("messenger", { folder: "spam" })[0];
  await Promise.all([mock.close(), same.close()]);
  return [page.data.length, remaining, status, ids, kinds, thread?.messages[0]?.id, SECOND_TOKEN, EXPIRED_TOKEN, mock.port].join();
}

export async function misuse(): Promise<void> {
  // @ts-expect-error: a typo is no option
  await startMock({ latencyMS: 5 });
  // @ts-expect-error: not the kind's option
  await startMock({ faults: [{ kind: "slow", status: 500 }] });
  // @ts-expect-error: graph-error needs its code
  await startMock({ faults: [{ kind: "graph-error" }] });
  // @ts-expect-error: no such kind
  await startMock({ faults: [{ kind: "slowly" }] });
  // @ts-expect-error: mode is "body" or "transfer"
  await startMock({ faults: [{ kind: "truncated-json", mode: "half" }] });
  const mock = await startMock();
  // @ts-expect-error: a number
  mock.setCallsPerSecond("2");
  // @ts-expect-error: noUncheckedIndexedAccess: maybe no request
  const path: string = mock.requests[0].path;
  // @ts-expect-error: read only
  mock.url = "http://elsewhere";
  // @ts-expect-error: no such id
  const id: MagicId = "error-12345";
  // @ts-expect-error: a literal constant
  const token: "another" = TOKEN;
  void [path, id, token];
}
`;

// Only the mock, with no DOM and no Node types: the declaration stands alone.
const MOCK_ONLY_TS = `
import { startMock, PAGE_ID, TOKEN, type FaultSpec } from "graph-conversations/mock";
const spec: FaultSpec = { kind: "graph-error", code: 613 };
export const url: Promise<string> = startMock({ faults: [spec] }).then(async (mock) => {
  const answer = \`\${mock.url}/v24.0/\${PAGE_ID}?access_token=\${TOKEN}\`;
  await mock.close();
  return answer;
});
`;

const STRICT = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: false, target: "ES2022" };

async function compile(dir, files, compilerOptions) {
  const at = join(consumer, dir);
  mkdirSync(at, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(at, name), text);
  writeFileSync(join(at, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...STRICT, ...compilerOptions }, files: Object.keys(files) }));
  try {
    await run(process.execPath, [tsc, "-p", at], { cwd: at, ...TIMEOUT });
  } catch (err) {
    assert.fail(`tsc ${dir}:\n${err.stdout}${err.stderr}`);
  }
}

test("a strict TypeScript consumer compiles against graph-conversations/mock (NodeNext)", async () => {
  await compile("ts-nodenext", { "consumer.ts": CONSUMER_TS }, { module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: [] });
});

test("the README's TypeScript example compiles against the installed package (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess)", async () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = readme.match(/<!-- readme-typescript:start -->\n```ts\n([\s\S]*?)```\n<!-- readme-typescript:end -->/)?.[1];
  assert.ok(block, "the README has the marked TypeScript block");
  const env = "declare const process: { env: Record<string, string | undefined> };\n";
  await compile("ts-readme", { "readme.ts": env + block }, { module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: [] });
});

test("the mock's types need neither DOM nor Node types (Bundler resolution)", async () => {
  await compile("ts-bundler", { "mock-only.ts": MOCK_ONLY_TS }, { module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022"], types: [] });
});

// ---------------------------------------------------------------- size

test("the client entries and their bundles do not pull the mock in", async () => {
  for (const entry of ["node.js", "web.js", "workerd.js", "graph_conversations.js", "graph_error.js", "calls.js"]) {
    assert.doesNotMatch(readFileSync(join(installed, entry), "utf8"), /mock\//, `${entry} names no mock file`);
  }
  writeFileSync(join(consumer, "app.js"), `import { GraphClient } from "graph-conversations";\nexport const make = (token) => new GraphClient({ accessToken: token });\n`);
  const targets = [
    { platform: "node", conditions: [] },
    { platform: "browser", conditions: [] },
    { platform: "neutral", conditions: ["workerd", "worker", "browser"] },
  ];
  for (const { platform, conditions } of targets) {
    const result = await build({
      absWorkingDir: consumer,
      entryPoints: ["app.js"],
      bundle: true,
      write: false,
      outdir: join(consumer, "dist", platform),
      format: "esm",
      platform,
      conditions,
      loader: { ".wasm": "file" },
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((p) => p.startsWith("node_modules/graph-conversations/")), `${platform}: the package is bundled: ${inputs}`);
    assert.deepEqual(inputs.filter((p) => p.includes("/mock/")), [], `${platform}: no mock file`);
    for (const file of result.outputFiles.filter((f) => f.path.endsWith(".js"))) {
      assert.ok(!file.text.includes("EAAG-mock-page-token"), `${platform}: no mock data in ${file.path}`);
    }
  }
});
