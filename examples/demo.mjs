// `make demo`: starts the local mock Graph, runs examples/inbox.mjs against
// it for Messenger and Instagram, then keeps the mock serving so you can
// try the API yourself (Ctrl-C stops it).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { PAGE_ID, TOKEN, startMockGraph } from "../tests/mock-graph/server.mjs";

const port = Number(process.env.MOCK_PORT ?? 8787);
const mock = await startMockGraph({ port });
const example = fileURLToPath(new URL("./inbox.mjs", import.meta.url));

for (const platform of ["messenger", "instagram"]) {
  const env = { ...process.env, GRAPH_URL: mock.url, PAGE_TOKEN: TOKEN, PAGE_ID, PLATFORM: platform };
  // Not spawnSync: the mock answers from this process's event loop.
  const child = spawn(process.execPath, [example], { env, stdio: "inherit" });
  const [code] = await once(child, "exit");
  if (code !== 0) process.exitCode = code ?? 1;
  console.log("");
}

console.log(`mock Graph serving at ${mock.url}  (token ${TOKEN}, page ${PAGE_ID})`);
console.log(`try:  GRAPH_URL=${mock.url} PAGE_TOKEN=${TOKEN} PAGE_ID=${PAGE_ID} PLATFORM=instagram node examples/inbox.mjs`);
console.log("Ctrl-C to stop.");
const stop = () => mock.close().then(() => process.exit());
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
