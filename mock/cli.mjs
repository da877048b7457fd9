// The mock Graph from a shell: `npx graph-conversations-mock [flags]` from the
// npm package (bin.mjs), `node mock/server.mjs [flags]` or `node mock/cli.mjs
// [flags]` in the repo. Prints one line with its URL on stdout (and one per
// webhook subscription; what the token and ids are on stderr), stops cleanly
// on SIGINT and SIGTERM.
//
// The flags are one table, CLI_FLAGS: each sets an option of startMock
// (options.mjs: START_OPTIONS), whose doc it shows, or, for the webhook
// receivers (--webhook-url, --app-secret, --verify-token), what the command
// passes to mock.webhooks.subscribe() once the mock listens. `--help` is made
// from that table and the fault tables (faults.mjs: describeFaultKinds, the
// Graph's and the webhooks'), so it lists every option, fault kind and magic
// id there is.

import {
  APP_SECRET, DEFAULT_THREAD_COUNTS, EXPIRED_TOKEN, IG_ACCOUNT_ID, IG_USER_TOKEN, INBOX_NOW, PAGE_ID, SECOND_TOKEN, TOKEN,
} from "./data.mjs";
import { describeFaultKinds } from "./faults.mjs";
import { parseFault } from "./fault-specs.mjs";
import { INSTAGRAM_LOGIN_PATH, LIVE_ACTIONS } from "./handler.mjs";
import { START_OPTIONS } from "./options.mjs";
import { startMock } from "./server.mjs";
import { RESTRICTED_RECIPIENT, UNAVAILABLE_RECIPIENT } from "./send.mjs";
import { WEBHOOK_DEFAULTS, checkWebhookUrl } from "./webhooks.mjs";

const NAME = "graph-conversations-mock";
const USAGE = `usage: ${NAME} [--port 8787] [--latency-ms 0] [--messenger-threads 60] [--instagram-threads 45] `
  + "[--messages-per-thread N] [--nested-messages-cap 100] [--calls-per-second 0] [--fault SPEC]...\n"
  + `       [--webhook-url URL]... [--app-secret SECRET] [--verify-token TOKEN] [--webhook-batch-ms ${WEBHOOK_DEFAULTS.batchWindowMs}] [--help]`;

const number = (text) => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : NaN);

/**
 * Every flag: `flag`, `value` (its placeholder; none for a switch), `option`
 * (the startMock option it sets, whose doc and check apply) or `subscribe`
 * (the mock.webhooks.subscribe() option it gives every --webhook-url),
 * `text` (its value is text, not a number), `default` and `doc` when they
 * differ from the option's, `set(options, value)`.
 */
export const CLI_FLAGS = Object.freeze([
  { flag: "--port", value: "N", option: "port", default: "8787", doc: "TCP port on 127.0.0.1; 0 = any free port (the line printed says which)", set: (o, v) => { o.port = v; } },
  { flag: "--latency-ms", value: "MS", option: "latencyMs", set: (o, v) => { o.latencyMs = v; } },
  {
    flag: "--messenger-threads", value: "N", option: "threads", default: String(DEFAULT_THREAD_COUNTS.messenger),
    doc: "Messenger inbox size", set: (o, v) => { o.threads = { ...o.threads, messenger: v }; },
  },
  {
    flag: "--instagram-threads", value: "N", option: "threads", default: String(DEFAULT_THREAD_COUNTS.instagram),
    doc: "Instagram inbox size", set: (o, v) => { o.threads = { ...o.threads, instagram: v }; },
  },
  { flag: "--messages-per-thread", value: "N", option: "messagesPerThread", set: (o, v) => { o.messagesPerThread = v; } },
  { flag: "--nested-messages-cap", value: "N", option: "nestedMessagesCap", set: (o, v) => { o.nestedMessagesCap = v; } },
  { flag: "--calls-per-second", value: "N", option: "callsPerSecond", set: (o, v) => { o.callsPerSecond = v; } },
  {
    flag: "--fault", value: "SPEC", option: "faults", default: "none",
    doc: "switch a fault on at start; repeat for more. SPEC is KIND, KIND:name=value,name=value (e.g. slow:ms=2000,times=always) or a JSON spec",
    set: (o, v) => { o.faults = [...(o.faults ?? []), v]; },
  },
  {
    flag: "--webhook-batch-ms", value: "MS", option: "webhooks", default: String(WEBHOOK_DEFAULTS.batchWindowMs),
    doc: "how long webhook events queue before a POST goes (webhooks.batchWindowMs; the other delivery options only from code)",
    set: (o, v) => { o.webhooks = { ...o.webhooks, batchWindowMs: v }; },
  },
  {
    flag: "--webhook-url", value: "URL", subscribe: "url", text: true, default: "none",
    doc: "subscribe a webhook receiver on 127.0.0.1, localhost or [::1] (repeat for more): every live action is POSTed to it, signed",
    set: (o, v) => { o.subscribe = { ...o.subscribe, urls: [...(o.subscribe?.urls ?? []), checkWebhookUrl(v).href] }; },
  },
  {
    flag: "--app-secret", value: "SECRET", subscribe: "appSecret", text: true, default: APP_SECRET,
    doc: "the app secret that signs the webhook POSTs (X-Hub-Signature-256)",
    set: (o, v) => { o.subscribe = { ...o.subscribe, appSecret: v }; },
  },
  {
    flag: "--verify-token", value: "TOKEN", subscribe: "verifyToken", text: true, default: "no handshake",
    doc: "do Meta's hub.challenge handshake with each receiver first; exit 1 if one refuses",
    set: (o, v) => { o.subscribe = { ...o.subscribe, verifyToken: v }; },
  },
  { flag: "--help", short: "-h", doc: "print this help and exit" },
]);

/**
 * A fault spec from a --fault value: `{"kind":…}` as JSON, or
 * `KIND[:name=value,…]` where a value is a number, true, false, null, or text.
 * Checked against the fault table (throws a TypeError saying what is wrong).
 */
export function parseFaultFlag(text) {
  let spec;
  if (text.trimStart().startsWith("{")) {
    try {
      spec = JSON.parse(text);
    } catch (err) {
      throw new TypeError(`not JSON: ${err.message}`);
    }
  } else {
    const colon = text.indexOf(":");
    spec = { kind: colon < 0 ? text : text.slice(0, colon) };
    const rest = colon < 0 ? "" : text.slice(colon + 1);
    for (const pair of rest ? rest.split(",") : []) {
      const eq = pair.indexOf("=");
      if (eq < 1) throw new TypeError(`${JSON.stringify(pair)} is not name=value`);
      spec[pair.slice(0, eq)] = flagValue(pair.slice(eq + 1));
    }
  }
  parseFault(spec);
  return spec;
}

function flagValue(text) {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const literals = { true: true, false: false, null: null };
  return Object.hasOwn(literals, text) ? literals[text] : text;
}

/**
 * startMock options from command-line flags (`--flag value` or
 * `--flag=value`), or `{ help: true }` for --help / -h. The webhook receivers
 * come apart, under `subscribe: { urls, appSecret?, verifyToken? }` (only
 * when --webhook-url is given: runCli subscribes them once the mock
 * listens). Throws an Error with the usage line and what is wrong.
 */
export function parseArgs(argv) {
  const options = { port: 8787, latencyMs: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const entry = CLI_FLAGS.find((f) => f.flag === name || f.short === name);
    if (!entry) throw usageError(`unknown argument ${arg}`);
    if (!entry.value) {
      if (eq >= 0) throw usageError(`${name} takes no value`);
      return { help: true };
    }
    const text = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (text === undefined) throw usageError(`${name} needs a value (${entry.value})`);
    try {
      if (entry.option === "faults") {
        entry.set(options, parseFaultFlag(text));
      } else if (entry.text) {
        if (text === "") throw new TypeError("empty");
        entry.set(options, text);
      } else {
        const value = number(text);
        if (Number.isNaN(value)) throw new TypeError("not a number");
        entry.set(options, value);
        START_OPTIONS[entry.option].check(options[entry.option]);
      }
    } catch (err) {
      throw usageError(`${name} ${text}: ${err.message}`);
    }
  }
  if (options.subscribe && !options.subscribe.urls) {
    throw usageError("--app-secret and --verify-token are for the receivers of --webhook-url: give one");
  }
  return options;
}

function usageError(problem) {
  return new Error(`${problem}\n${USAGE}\n(${NAME} --help lists every option, fault kind and magic id)`);
}

/** The --help text: the flags, what the mock accepts, every fault kind and magic id. */
export function helpText() {
  const { kinds, common, webhooks } = describeFaultKinds();
  const lines = [
    USAGE,
    "",
    "A local mock of Meta's Graph API (the Conversations API) for graph-conversations,",
    "on 127.0.0.1 only. Prints its URL, then serves until Ctrl-C.",
    "",
    "Options:",
  ];
  for (const f of CLI_FLAGS) {
    const option = f.option ? START_OPTIONS[f.option] : undefined;
    const names = [f.short, f.value ? `${f.flag} ${f.value}` : f.flag].filter(Boolean).join(", ");
    const def = f.default ?? option?.default;
    const where = f.option ? `startMock: ${f.option}` : f.subscribe ? `mock.webhooks.subscribe: ${f.subscribe}` : "";
    const notes = [def ? `default ${def}` : "", where].filter(Boolean).join("; ");
    lines.push(`  ${names.padEnd(26)}${f.doc ?? option?.doc}${notes ? ` [${notes}]` : ""}`);
  }
  lines.push(
    "",
    "What it accepts:",
    `  access token ${TOKEN} (and ${SECOND_TOKEN}: a second budget for callsPerSecond);`,
    `  ${EXPIRED_TOKEN} answers 190 (session expired), any other token 190 too.`,
    "  The token goes in an Authorization: Bearer (or OAuth) header, or access_token in the query or a form body.",
    `  appsecret_proof, when sent, must be HMAC-SHA256(token, "${APP_SECRET}").`,
    `  Page ${PAGE_ID}; Instagram account ${IG_ACCOUNT_ID}; any Graph version /vNN.N/ or none.`,
    "  GET /{page-id}/conversations (platform, folder, user_id, fields, limit, after, before),",
    "  /{conversation-id}, /{conversation-id}/messages, /{message-id}, POST / with batch=[…] (at most 50).",
    "  `me` is the Page.",
    "",
    "The Send API: POST /{page-id}/messages (or /me/messages, /{ig-account-id}/messages) with recipient,",
    "  messaging_type, message (text, attachment, metadata), tag HUMAN_AGENT, reply_to, or a sender_action.",
    "  A reply goes within 24 h of the customer's last message (HUMAN_AGENT: 7 days), measured on the mock's",
    `  clock, which starts at ${INBOX_NOW} (the seeded inbox's now) and runs at real speed.`,
    `  Recipient ${UNAVAILABLE_RECIPIENT} answers 551, ${RESTRICTED_RECIPIENT} answers 10 / 1893063.`,
    "",
    `The Instagram API with Instagram Login (graph.instagram.com) is under ${INSTAGRAM_LOGIN_PATH}: token ${IG_USER_TOKEN},`,
    `  me (or ${IG_ACCOUNT_ID}) instead of a Page, Instagram threads only, POST /me/messages to send.`,
    "",
    "Fault kinds (--fault KIND:name=value,…; mock.fault({ kind, … }); POST /__mock/fault {\"kind\":…}):",
  );
  for (const k of kinds) {
    lines.push(`  ${k.kind}${k.switchable ? "" : " (by its id only)"}: ${k.summary}`);
    if (k.switchable) lines.push(`      applies to: ${k.matches}`);
    for (const o of k.options) lines.push(`      ${optionLine(o)}`);
    for (const form of k.ids) lines.push(`      id ${form.id ?? form.example}: ${form.doc}`);
  }
  lines.push("", "Every fault switched on also takes:");
  for (const o of common) lines.push(`  ${optionLine(o)}`);
  lines.push("", "Webhook fault kinds (mock.webhooks.fault({ kind, … }); POST /__mock/webhooks/fault {\"kind\":…}):");
  for (const k of webhooks.kinds) {
    lines.push(`  ${k.kind}: ${k.summary}`, `      applies to: ${k.matches}`);
    for (const o of k.options) lines.push(`      ${optionLine(o)}`);
  }
  lines.push("", "Every webhook fault also takes:");
  for (const o of webhooks.common) lines.push(`  ${optionLine(o)}`);
  lines.push(
    "",
    "Magic ids work without any switch: put one where a page, conversation or message id goes",
    `(e.g. /v24.0/error-613/conversations, /v24.0/slow-2000-<conversation-id>), in a batch item too.`,
    "",
    "Control endpoints (JSON): GET /__mock/requests, POST /__mock/reset, POST /__mock/fault,",
    "GET /__mock/faults, POST /__mock/clear-faults, GET /__mock/fault-kinds, GET /__mock/stats,",
    "POST /__mock/calls-per-second {\"callsPerSecond\": n}.",
    "Webhooks: POST /__mock/webhooks/subscribe {\"url\", \"appSecret\", \"verifyToken\"}, POST …/unsubscribe,",
    "GET …/subscriptions, …/deliveries, …/events, POST …/fault, GET …/faults, POST …/clear-faults,",
    "POST …/configure, …/flush, …/settled.",
    `Live actions (changes the inbox, then the webhook goes): POST /__mock/live/<action>, <action> one of`,
    `${LIVE_ACTIONS.join(", ")};`,
    "  e.g. curl -X POST 127.0.0.1:8787/__mock/live/customerWrites -d '{\"thread\":\"<customer id>\",\"text\":\"Hi\"}'",
  );
  return `${lines.join("\n")}\n`;
}

function optionLine(o) {
  const type = o.values ? o.values.map((v) => JSON.stringify(v)).join(" | ") : o.type;
  const extra = [o.required ? "required" : "", o.default === undefined ? "" : `default ${JSON.stringify(o.default)}`].filter(Boolean).join(", ");
  return `${o.name} (${type}${extra ? `; ${extra}` : ""}): ${o.doc}`;
}

/**
 * Runs the CLI: --help prints the help; otherwise starts the mock and keeps
 * it running until SIGINT or SIGTERM. Resolves to the mock (or null for --help).
 */
export async function runCli(argv, { out = process.stdout, err = process.stderr } = {}) {
  const options = parseArgs(argv);
  if (options.help) {
    out.write(helpText());
    return null;
  }
  const { subscribe, ...startOptions } = options;
  const mock = await startMock(startOptions);
  out.write(`mock Graph listening on ${mock.url}\n`);
  try {
    for (const url of subscribe?.urls ?? []) {
      const sub = await mock.webhooks.subscribe({ url, appSecret: subscribe.appSecret, verifyToken: subscribe.verifyToken });
      out.write(`mock Graph webhooks to ${sub.url}${sub.verified ? " (handshake answered)" : ""}\n`);
    }
  } catch (error) {
    await mock.close();
    throw error;
  }
  const faults = mock.faults.length ? `; faults on: ${mock.faults.map((f) => f.kind).join(", ")}` : "";
  err.write(`token ${TOKEN}, Page ${PAGE_ID}, Instagram account ${IG_ACCOUNT_ID}${faults}; `
    + `Instagram Login at ${mock.instagramUrl} with ${IG_USER_TOKEN} (--help for more)\n`);
  const stop = () => mock.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return mock;
}

const isMain = process.argv[1] && decodeURIComponent(new URL(import.meta.url).pathname) === process.argv[1];
if (isMain) {
  runCli(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
