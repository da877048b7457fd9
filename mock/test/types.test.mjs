// server.d.mts is hand-written: this keeps it honest. Every export of
// server.mjs is declared (and nothing more), every constant has its real
// value, and every startMock option, fault kind, fault option and magic id of
// the tables is in the types. (tests/package/mock.test.mjs compiles a strict
// TypeScript consumer against the packed package.)
//
//   node --test mock/test/types.test.mjs

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as server from "../server.mjs";

const { COMMON_OPTIONS, FAULTS, FAULT_KINDS, START_OPTIONS, TRIGGER_IDS } = server;
const dts = readFileSync(new URL("../server.d.mts", import.meta.url), "utf8");

/** The text of `export interface NAME … {…}` or `export type NAME = …;` (up to the next blank line or declaration). */
function block(name) {
  const start = dts.search(new RegExp(`export (interface|type) ${name}\\b`));
  assert.ok(start >= 0, `server.d.mts declares ${name}`);
  const rest = dts.slice(start);
  const end = rest.search(/\n(\n|\/\*\*|export )/);
  return end < 0 ? rest : rest.slice(0, end);
}

test("every export of server.mjs is declared, and nothing else", () => {
  const declared = [...dts.matchAll(/^export declare (?:const|function) (\w+)/gm)].map((m) => m[1]).sort();
  assert.deepEqual(declared, Object.keys(server).sort());
});

test("every declared constant has the value it has at run time", () => {
  for (const [, name, type] of dts.matchAll(/^export declare const (\w+): ("[^"]*"|\d+);/gm)) {
    assert.equal(server[name], JSON.parse(type), name);
  }
  for (const name of ["PLATFORMS", "FOLDERS", "VALID_TOKENS"]) {
    assert.ok(dts.includes(`export declare const ${name}: readonly ${JSON.stringify(server[name]).replaceAll(",", ", ")};`), name);
  }
  const counts = (o) => Object.entries(o).map(([k, v]) => `${k}: ${v}`).join("; ");
  assert.ok(dts.includes(`DEFAULT_THREAD_COUNTS: Readonly<{ ${counts(server.DEFAULT_THREAD_COUNTS)} }>`));
  for (const [platform, folders] of Object.entries(server.EXTRA_FOLDER_COUNTS)) {
    assert.ok(dts.includes(`${platform}: Readonly<{ ${counts(folders)} }>`), platform);
  }
});

test("MockOptions has every startMock option, with a doc comment", () => {
  const options = block("MockOptions");
  for (const name of Object.keys(START_OPTIONS)) assert.match(options, new RegExp(`\\*/\\n  ${name}\\?: `), name);
  assert.equal([...options.matchAll(/^ {2}(\w+)\?: /gm)].length, Object.keys(START_OPTIONS).length);
});

test("every fault kind is a FaultSpec with its own options, documented", () => {
  const union = block("FaultSpec");
  const switchable = block("SwitchableFaultKind");
  for (const [kind, options] of Object.entries(FAULT_KINDS)) {
    assert.ok(switchable.includes(`"${kind}"`), `SwitchableFaultKind has ${kind}`);
    const spec = dts.match(new RegExp(`export interface (\\w+) extends CommonFaultOptions \\{\\n  kind: "${kind}"[^\\n]*((?:\\n(?!\\}).*)*)\\n\\}`));
    assert.ok(spec, `a spec interface for ${kind}`);
    assert.ok(union.includes(`| ${spec[1]}`), `FaultSpec has ${spec[1]}`);
    const declared = [...spec[2].matchAll(/^ {2}(\w+)(\??): /gm)];
    assert.deepEqual(declared.map((m) => m[1]).sort(), [...options].sort(), `${kind}: its options`);
    for (const [, name, optional] of declared) {
      assert.equal(optional === "", Boolean(FAULTS[kind].options[name].required), `${kind}.${name}: required or not`);
      assert.match(spec[2], new RegExp(`\\*/\\n  ${name}\\??: `), `${kind}.${name}: doc comment`);
    }
  }
  for (const kind of Object.keys(FAULTS)) assert.ok(block("FaultKind").includes(`"${kind}"`) || switchable.includes(`"${kind}"`), kind);
  const common = block("CommonFaultOptions");
  for (const name of Object.keys(COMMON_OPTIONS)) assert.match(common, new RegExp(`\\*/\\n  ${name}\\?: `), name);
});

test("every magic id is typed and documented", () => {
  const trigger = block("TriggerId");
  for (const id of TRIGGER_IDS) assert.ok(trigger.includes(`"${id}"`), `TriggerId has ${id}`);
  assert.equal([...trigger.matchAll(/"([^"]+)"/g)].length, TRIGGER_IDS.length);
  const magicDoc = dts.slice(dts.lastIndexOf("/**", dts.indexOf("export type MagicId")), dts.indexOf("export type MagicId"));
  const magic = block("MagicId");
  for (const kind of Object.values(FAULTS)) {
    for (const form of kind.ids ?? []) {
      const name = form.id ?? form.example;
      assert.ok(magicDoc.includes(`\`${name}\``), `the MagicId doc names ${name}`);
      if (form.id && !TRIGGER_IDS.includes(form.id)) assert.ok(magic.includes(`"${form.id}"`), `MagicId has ${form.id}`);
      if (form.example) assert.ok(magic.includes(`\`${form.example.replace(/<(ms|n)>/, "${number}").replace("<id>", "${string}")}\``), form.example);
    }
  }
});

test("every webhook fault kind is a WebhookFaultSpec with its own options, documented", () => {
  const { WEBHOOK_COMMON_OPTIONS, WEBHOOK_FAULTS, WEBHOOK_FAULT_KINDS } = server;
  const union = block("WebhookFaultSpec");
  const kinds = block("WebhookFaultKind");
  for (const [kind, options] of Object.entries(WEBHOOK_FAULT_KINDS)) {
    assert.ok(kinds.includes(`"${kind}"`), `WebhookFaultKind has ${kind}`);
    const spec = dts.match(new RegExp(`export interface (\\w+) extends CommonWebhookFaultOptions \\{\\n  kind: "${kind}"[^\\n]*((?:\\n(?!\\}).*)*)\\n\\}`));
    assert.ok(spec, `a spec interface for ${kind}`);
    assert.ok(union.includes(`| ${spec[1]}`), `WebhookFaultSpec has ${spec[1]}`);
    const declared = [...spec[2].matchAll(/^ {2}(\w+)\?: /gm)].map((m) => m[1]);
    assert.deepEqual(declared.sort(), [...options].sort(), `${kind}: its options`);
    for (const name of declared) assert.match(spec[2], new RegExp(`\\*/\\n  ${name}\\?: `), `${kind}.${name}: doc comment`);
    for (const [name, option] of Object.entries(WEBHOOK_FAULTS[kind].options)) {
      if (option.values) for (const v of option.values) assert.ok(spec[2].includes(`"${v}"`), `${kind}.${name}: ${v}`);
    }
  }
  assert.equal([...kinds.matchAll(/"([^"]+)"/g)].length, Object.keys(WEBHOOK_FAULT_KINDS).length);
  const common = block("CommonWebhookFaultOptions");
  for (const name of Object.keys(WEBHOOK_COMMON_OPTIONS)) assert.match(common, new RegExp(`\\*/\\n  ${name}\\?: `), name);
});

test("webhook delivery options, fields and live actions are typed as they are", () => {
  const { LIVE_ACTIONS, LIVE_ATTACHMENT_TYPES, WEBHOOK_DEFAULTS, WEBHOOK_FIELDS } = server;
  for (const name of ["WEBHOOK_FIELDS", "LIVE_ACTIONS", "LIVE_ATTACHMENT_TYPES"]) {
    assert.ok(dts.includes(`export declare const ${name}: readonly ${JSON.stringify(server[name]).replaceAll(",", ", ")};`), name);
  }
  const delivery = block("WebhookDeliveryOptions");
  for (const [name, value] of Object.entries(WEBHOOK_DEFAULTS)) assert.match(delivery, new RegExp(`default ${value}\\. \\*/\\n  ${name}\\?: `), name);
  assert.equal([...delivery.matchAll(/^ {2}(\w+)\?: /gm)].length, Object.keys(WEBHOOK_DEFAULTS).length);
  assert.equal(block("WebhookField"), `export type WebhookField = ${WEBHOOK_FIELDS.map((f) => `"${f}"`).join(" | ")};`);
  const live = block("LiveActions");
  for (const name of LIVE_ACTIONS) assert.match(live, new RegExp(`\\*/\\n  ${name}\\(`), name);
  assert.equal([...live.matchAll(/^ {2}(\w+)\(/gm)].length, LIVE_ACTIONS.length);
  assert.ok(block("LiveAttachment").includes(LIVE_ATTACHMENT_TYPES.map((t) => `"${t}"`).join(" | ")));
  assert.match(dts, /export interface MockGraph extends LiveActions \{/);
  assert.match(dts, /export interface GraphHandler extends LiveActions \{/);
});
