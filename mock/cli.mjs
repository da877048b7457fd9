// The mock Graph from a shell: `node mock/server.mjs [flags]` (or `node
// mock/cli.mjs`). Prints one line with its URL (and one per webhook
// subscription), stops cleanly on SIGINT and SIGTERM. `--help` lists the
// flags and every fault kind, the webhook ones included.

import { APP_SECRET, describeFaultKinds, startMockGraph } from "./server.mjs";

const USAGE = "usage: node mock/server.mjs [--port 8787] [--latency-ms 0] [--messenger-threads 60] [--instagram-threads 45] [--calls-per-second 0]\n" +
  "       [--webhook-url http://127.0.0.1:PORT/PATH]... [--app-secret SECRET] [--verify-token TOKEN] [--webhook-batch-ms 20] [--help]";

const HELP = `${USAGE}

  --port N               listen on 127.0.0.1:N (0 = any free port; default 8787)
  --latency-ms N         delay before each answer
  --messenger-threads N  Messenger inbox size (default 60)
  --instagram-threads N  Instagram inbox size (default 45)
  --calls-per-second N   per-token call budget (default 0 = off)
  --webhook-url URL      subscribe a webhook receiver on 127.0.0.1 / localhost (repeatable)
  --app-secret SECRET    the app secret that signs webhook POSTs (default ${APP_SECRET})
  --verify-token TOKEN   do Meta's hub.challenge handshake with each receiver first; exit if refused
  --webhook-batch-ms N   how long webhook events queue before a POST goes (default 20)

Events are sent with POST /__mock/live/<action> (control.mjs), e.g.
  curl -X POST localhost:8787/__mock/live/customerWrites -d '{"thread":"<customer id>","text":"Hi"}'
`;

// Flags that take a non-negative integer, as `--flag N` or `--flag=N`.
const NUMBER_FLAGS = {
  "--port": (o, n) => { o.port = n; },
  "--latency-ms": (o, n) => { o.latencyMs = n; },
  "--messenger-threads": (o, n) => { o.threads.messenger = n; },
  "--instagram-threads": (o, n) => { o.threads.instagram = n; },
  "--calls-per-second": (o, n) => { o.callsPerSecond = n; },
  "--webhook-batch-ms": (o, n) => { o.webhooks.batchWindowMs = n; },
};

// Flags that take a string.
const STRING_FLAGS = {
  "--webhook-url": (o, s) => { o.webhookUrls.push(s); },
  "--app-secret": (o, s) => { o.appSecret = s; },
  "--verify-token": (o, s) => { o.verifyToken = s; },
};

/**
 * Options from command-line flags: startMockGraph's (`port`, `latencyMs`,
 * `threads`, `callsPerSecond`, `webhooks`) and the webhook subscriptions to
 * make (`webhookUrls`, `appSecret`, `verifyToken`); `help: true` for
 * `--help`. Throws the usage line on a bad flag.
 */
export function parseArgs(argv) {
  const options = { port: 8787, latencyMs: 0, threads: {}, webhooks: {}, webhookUrls: [], appSecret: APP_SECRET, verifyToken: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    if (flag === "--help" || flag === "-h") {
      options.help = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (STRING_FLAGS[flag] && raw !== undefined && raw !== "") {
      STRING_FLAGS[flag](options, raw);
      continue;
    }
    const value = Number(raw);
    if (!NUMBER_FLAGS[flag] || raw === undefined || !Number.isInteger(value) || value < 0) throw new Error(`${USAGE}\n(bad argument: ${flag})`);
    NUMBER_FLAGS[flag](options, value);
  }
  return options;
}

// `--flag=value` (the value may itself hold "=") or `--flag`.
function splitFlag(arg) {
  const at = arg.indexOf("=");
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** The --help text: flags, then every fault kind (Graph and webhook) in one line each. */
export function helpText() {
  const { kinds, webhooks } = describeFaultKinds();
  const line = (k) => `  ${k.kind.padEnd(22)} ${k.summary}`;
  return `${HELP}
Graph faults (mock.fault(spec), POST /__mock/fault):
${kinds.filter((k) => k.switchable).map(line).join("\n")}

Webhook faults (mock.webhooks.fault(spec), POST /__mock/webhooks/fault):
${webhooks.kinds.map(line).join("\n")}
`;
}

/** Starts the mock from command-line flags, subscribes the webhook receivers, and keeps running until a signal. */
export async function runCli(argv) {
  const { webhookUrls, appSecret, verifyToken, help, ...options } = parseArgs(argv);
  if (help) {
    console.log(helpText());
    return;
  }
  const mock = await startMockGraph(options);
  console.log(`mock Graph listening on ${mock.url}`);
  try {
    for (const url of webhookUrls) {
      const sub = await mock.webhooks.subscribe({ url, appSecret, verifyToken });
      console.log(`mock Graph webhooks to ${sub.url}${sub.verified ? " (handshake answered)" : ""}`);
    }
  } catch (err) {
    await mock.close();
    throw err;
  }
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
