// The mock Graph from a shell: `node mock/server.mjs [flags]` (or `node
// mock/cli.mjs`). Prints one line with its URL, stops cleanly on SIGINT and
// SIGTERM.

import { startMockGraph } from "./server.mjs";

const USAGE = "usage: node mock/server.mjs [--port 8787] [--latency-ms 0] [--messenger-threads 60] [--instagram-threads 45] [--calls-per-second 0]";

// Each flag takes a non-negative integer, as `--flag N` or `--flag=N`.
const FLAGS = {
  "--port": (o, n) => { o.port = n; },
  "--latency-ms": (o, n) => { o.latencyMs = n; },
  "--messenger-threads": (o, n) => { o.threads.messenger = n; },
  "--instagram-threads": (o, n) => { o.threads.instagram = n; },
  "--calls-per-second": (o, n) => { o.callsPerSecond = n; },
};

/** startMockGraph options from command-line flags; throws the usage line on a bad one. */
export function parseArgs(argv) {
  const options = { port: 8787, latencyMs: 0, threads: {} };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = Number(inline ?? argv[++i]);
    if (!FLAGS[flag] || !Number.isInteger(value) || value < 0) throw new Error(`${USAGE}\n(bad argument: ${flag})`);
    FLAGS[flag](options, value);
  }
  return options;
}

/** Starts the mock from command-line flags and keeps it running until a signal. */
export async function runCli(argv) {
  const mock = await startMockGraph(parseArgs(argv));
  console.log(`mock Graph listening on ${mock.url}`);
  const stop = () => mock.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

const isMain = process.argv[1] && decodeURIComponent(new URL(import.meta.url).pathname) === process.argv[1];
if (isMain) {
  runCli(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
