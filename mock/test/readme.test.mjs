// The README's section "The mock Graph" lists every startMock option (with its
// flag) and every command-line flag, every fault kind (with its options and
// magic ids), every webhook fault kind and every way a send is refused. The
// lists are made here from the tables (options.mjs, cli.mjs, faults.mjs:
// describeFaultKinds, which holds webhook-faults.mjs too, send.mjs:
// SEND_REFUSALS) and must be in the README exactly as made: a kind,
// an option or an id added to a table fails this test until the README has
// it. docs/API.md's section names every option and every member of the object.
//
//   node --test mock/test/readme.test.mjs
//   UPDATE_README=1 node --test mock/test/readme.test.mjs   # rewrites the lists in README.md

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { CLI_FLAGS } from "../cli.mjs";
import {
  IG_USER_TOKEN, INBOX_NOW, LIVE_ACTIONS, RESTRICTED_RECIPIENT, SEND_REFUSALS, START_OPTIONS, UNAVAILABLE_RECIPIENT, describeFaultKinds,
} from "../server.mjs";

const readmePath = new URL("../../README.md", import.meta.url);
const apiPath = new URL("../../docs/API.md", import.meta.url);

// `<id>` in a doc would be an HTML tag in Markdown: code it.
const md = (text) => text.replace(/<(\w+)>/g, "`<$1>`").replaceAll("|", "\\|");
const code = (value) => `\`${typeof value === "string" ? JSON.stringify(value) : String(value)}\``;

/** The options table: option, flag(s), default, what. */
function optionsMarkdown() {
  const rows = Object.entries(START_OPTIONS).map(([name, option]) => {
    const flags = CLI_FLAGS.filter((f) => f.option === name).map((f) => `\`${f.flag} ${f.value}\``).join(", ");
    return `| \`${name}\` | ${flags} | ${md(option.default)} | ${md(option.doc)} |`;
  });
  // The flags that are no startMock option: what the command subscribes.
  const subscribe = CLI_FLAGS.filter((f) => f.subscribe).map((f) => `| (command only: \`mock.webhooks.subscribe\` \`${f.subscribe}\`) | \`${f.flag} ${f.value}\` | ${md(f.default)} | ${md(f.doc)} |`);
  return ["| `startMock` option | flag | default | what |", "|---|---|---|---|", ...rows, ...subscribe].join("\n");
}

/** One option of a fault kind, as a list item's text. */
function optionItem(o) {
  const type = o.values ? o.values.map((v) => code(v)).join(" or ") : o.type;
  const extra = [o.required ? "required" : "", o.default === undefined ? "" : `default ${code(o.default)}`].filter(Boolean).join(", ");
  return `\`${o.name}\` (${type}${extra ? `, ${extra}` : ""}): ${md(o.doc)}`;
}

/** Every fault kind: what it does, what it applies to, its options and its magic ids; then the common options. */
function faultKindsMarkdown() {
  const { kinds, common } = describeFaultKinds();
  const lines = [];
  for (const k of kinds) {
    const how = k.switchable ? `Applies to ${md(k.matches)}.` : "Only by its id.";
    lines.push(`- **\`${k.kind}\`** (${k.family}): ${md(k.summary)}. ${how}`);
    for (const o of k.options) lines.push(`  - ${optionItem(o)}`);
    for (const form of k.ids) lines.push(`  - id \`${form.id ?? form.example}\`: ${md(form.doc)}`);
  }
  lines.push("", "Every fault switched on (not an id) also takes:", "");
  for (const o of common) lines.push(`- ${optionItem(o)}`);
  return lines.join("\n");
}

/** Every webhook fault kind (webhook-faults.mjs): what it does, what it applies to, its options; then the common ones. */
function webhookFaultsMarkdown() {
  const { webhooks } = describeFaultKinds();
  const lines = [];
  for (const k of webhooks.kinds) {
    lines.push(`- **\`${k.kind}\`**: ${md(k.summary)}. Applies to ${md(k.matches)}.`);
    for (const o of k.options) lines.push(`  - ${optionItem(o)}`);
  }
  lines.push("", "Every webhook fault also takes:", "");
  for (const o of webhooks.common) lines.push(`- ${optionItem(o)}`);
  return lines.join("\n");
}

/** Every refusal of a send: its name (the client's err.refusal where it has one), code, subcode, message and when. */
function sendRefusalsMarkdown() {
  return SEND_REFUSALS.map((r) => {
    const code = r.subcode === undefined ? `${r.code}` : `${r.code} / ${r.subcode}`;
    const when = md(r.when).replace(UNAVAILABLE_RECIPIENT, `\`${UNAVAILABLE_RECIPIENT}\``).replace(RESTRICTED_RECIPIENT, `\`${RESTRICTED_RECIPIENT}\``);
    return `- **${r.name}**: code ${code}, ${md(`"${r.message}"`)}: ${when}.`;
  }).join("\n");
}

const BLOCKS = {
  "mock-options": optionsMarkdown,
  "mock-faults": faultKindsMarkdown,
  "mock-webhook-faults": webhookFaultsMarkdown,
  "mock-send-rules": sendRefusalsMarkdown,
};
// The block between its markers, its last newline included.
const blockRe = (name) => new RegExp(`(<!-- ${name}:start -->\\n)([\\s\\S]*?)(<!-- ${name}:end -->)`);

if (process.env.UPDATE_README) {
  let text = readFileSync(readmePath, "utf8");
  for (const [name, make] of Object.entries(BLOCKS)) {
    assert.match(text, blockRe(name), `README.md has <!-- ${name}:start --> … <!-- ${name}:end -->`);
    text = text.replace(blockRe(name), (_, open, _old, close) => `${open}${make()}\n${close}`);
  }
  writeFileSync(readmePath, text);
}

const readme = readFileSync(readmePath, "utf8");
const section = (text, heading) => {
  const start = text.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `a section ${heading}`);
  const end = text.indexOf("\n## ", start + heading.length + 2);
  return text.slice(start, end < 0 ? undefined : end);
};
const mockSection = section(readme, "## The mock Graph");

test("the README names every fault kind, webhook fault kind and magic id", () => {
  const { kinds, webhooks } = describeFaultKinds();
  const missing = [...kinds, ...webhooks.kinds].filter((k) => !mockSection.includes(`**\`${k.kind}\`**`)).map((k) => k.kind);
  assert.deepEqual(missing, [], `fault kinds missing from the README's "The mock Graph" (UPDATE_README=1 node --test ${"mock/test/readme.test.mjs"})`);
  for (const k of kinds) for (const form of k.ids) assert.ok(mockSection.includes(`\`${form.id ?? form.example}\``), form.id ?? form.example);
});

test("the README's lists of options and fault kinds are the tables' own", () => {
  for (const [name, make] of Object.entries(BLOCKS)) {
    const found = mockSection.match(blockRe(name));
    assert.ok(found, `README.md has <!-- ${name}:start --> … <!-- ${name}:end --> in "The mock Graph"`);
    assert.equal(found[2], `${make()}\n`, `${name} is out of date: UPDATE_README=1 node --test mock/test/readme.test.mjs`);
  }
});

test("the README shows how to start it, and every flag", () => {
  for (const text of ["npx graph-conversations-mock", "--help", 'from "graph-conversations/mock"', "startMock(", "EAAG-mock-page-token", "104620945892041", "17841400000000001"]) {
    assert.ok(mockSection.includes(text), text);
  }
  for (const f of CLI_FLAGS) assert.ok(mockSection.includes(f.flag), f.flag);
});

test("the README shows the Send API's rules and magic recipients, and the Instagram Login flavour", () => {
  for (const text of [
    "POST /{page-id}/messages", "mock.sends", "replyWindows(", INBOX_NOW.slice(0, 19), UNAVAILABLE_RECIPIENT, RESTRICTED_RECIPIENT,
    "HUMAN_AGENT", "send-then-drop", "send-then-late", "mock.instagramUrl", IG_USER_TOKEN, "/me/conversations", "POST /me/messages",
  ]) assert.ok(mockSection.includes(text), text);
});

test("the README shows webhooks: subscribing, the live actions and their control endpoint", () => {
  for (const text of ["mock.webhooks.subscribe(", "/__mock/live/", "/__mock/webhooks/", "X-Hub-Signature-256"]) assert.ok(mockSection.includes(text), text);
  for (const name of LIVE_ACTIONS) assert.ok(mockSection.includes(`\`${name}`), name);
});

test("docs/API.md has the mock: its import, every option and every member of what startMock returns", () => {
  const api = section(readFileSync(apiPath, "utf8"), "## The mock Graph: `graph-conversations/mock`");
  for (const text of ["startMock", "graph-conversations-mock", "../README.md#the-mock-graph", "server.d.mts"]) assert.ok(api.includes(text), text);
  for (const name of Object.keys(START_OPTIONS)) assert.ok(api.includes(`\`${name}\``), name);
  for (const member of ["url", "instagramUrl", "port", "requests", "sends", "stats", "faults", "fault(spec)", "clearFaults()", "setCallsPerSecond(n)", "reset()", "close()", "webhooks"]) {
    assert.ok(api.includes(`\`${member}\``), member);
  }
  for (const name of LIVE_ACTIONS) assert.ok(api.includes(`\`${name}(`), name);
});
