// The small meter of `client.usage`: the latest X-App-Usage, X-Page-Usage and
// X-Business-Use-Case-Usage headers, in percent of the budget. The Graph
// starts refusing calls at 100 on any of them.

import { h, replace } from "./dom.js";

/** @typedef {import("graph-conversations/web").Usage} Usage */
/** @typedef {import("graph-conversations/web").AppUsage} AppUsage */
/** @typedef {[label: string, entry: AppUsage & { type?: string }, id?: string]} Row */

/** @type {Array<["call_count" | "total_cputime" | "total_time", string]>} */
const MEASURES = [["call_count", "calls"], ["total_cputime", "CPU"], ["total_time", "time"]];

/**
 * Rows of the meter: `[label, { call_count, total_cputime, total_time, estimated_time_to_regain_access }, object id?]`.
 * @param {Usage | null} usage
 * @returns {Row[]}
 */
function rowsOf(usage) {
  /** @type {Row[]} */
  const rows = [];
  if (usage?.app) rows.push(["App", usage.app]);
  if (usage?.page) rows.push(["Page", usage.page]);
  for (const [id, entries] of Object.entries(usage?.business_use_case ?? {})) {
    for (const entry of entries ?? []) rows.push([entry.type ?? "use case", entry, id]);
  }
  return rows;
}

/** @param {number} percent */
function level(percent) {
  if (percent >= 90) return "high";
  if (percent >= 60) return "mid";
  return "low";
}

/** @param {number | undefined} value */
function cell(value) {
  if (typeof value !== "number") return h("td", { class: "usage-na" }, "–");
  const bar = h("span", { class: "bar-fill" });
  // CSSOM, not a style attribute: the page's CSP forbids inline styles.
  bar.style.width = `${Math.min(100, Math.max(0, value))}%`;
  return h("td", { class: `usage-cell ${level(value)}` },
    h("span", { class: "usage-number" }, `${value}%`),
    h("span", { class: "bar", "aria-hidden": "true" }, bar));
}

/**
 * Draws the meter from `client.usage` (an empty note before the first call).
 * @param {HTMLElement} container
 * @param {Usage | null} usage
 */
export function renderUsage(container, usage) {
  const rows = rowsOf(usage);
  if (rows.length === 0) {
    replace(container, h("p", { class: "hint" }, "No usage headers yet: they come with the first answer."));
    return;
  }
  const body = h("tbody");
  for (const [label, entry, id] of rows) {
    const regain = entry.estimated_time_to_regain_access;
    body.append(h("tr", {},
      h("th", { scope: "row" }, label,
        id ? h("span", { class: "usage-id", title: `business use case of ${id}` }, id) : null,
        regain !== undefined && regain > 0 ? h("span", { class: "usage-regain" }, `wait ${regain} min`) : null),
      MEASURES.map(([key]) => cell(entry[key]))));
  }
  replace(container, h("table", { class: "usage-table" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", class: "usage-label" }, ""),
      MEASURES.map(([, name]) => h("th", { scope: "col" }, name)))),
    body));
}
