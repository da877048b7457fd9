// The form: what the person filled in, where it first comes from, and the
// one place it may be kept.
//
// The token lives in the page's memory (the form field). It is written to
// sessionStorage only while "Remember in this tab" is ticked, and it is never
// put in a URL. `make demo` serves demo/config.json with the mock's URL and
// its demo token; on any other server that file is missing and the form
// starts with the client's own base URL.

import { clientDefaults } from "graph-conversations/web";

const STORAGE_KEY = "graph-conversations/www/settings";
/** @type {ReadonlyArray<keyof Settings>} */
const FIELDS = ["accessToken", "pageId", "platform", "folder", "apiVersion", "baseUrl"];
/** The client's own base URL (graph.facebook.com), as the package says. */
export const DEFAULT_BASE_URL = clientDefaults().baseUrl;

/**
 * What the form holds; every value a string, `""` when left empty.
 * @typedef {{ accessToken: string, pageId: string, platform: string, folder: string, apiVersion: string, baseUrl: string }} Settings
 */

/**
 * The settings in the form, trimmed.
 * @param {HTMLFormElement} form
 * @returns {Settings}
 */
export function readForm(form) {
  const data = new FormData(form);
  /** @param {string} name */
  const value = (name) => String(data.get(name) ?? "").trim();
  return /** @type {Settings} */ (Object.fromEntries(FIELDS.map((name) => [name, value(name)])));
}

/**
 * Fills in the fields `settings` has.
 * @param {HTMLFormElement} form
 * @param {Partial<Settings>} settings
 */
export function writeForm(form, settings) {
  for (const name of FIELDS) {
    const value = settings[name];
    if (value === undefined) continue;
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) field.value = value;
  }
}

/**
 * A person at the page would rather see a rate limit and when it ends than
 * wait a minute for a retry: a longer wait than this rejects at once, with
 * `retryAfterMs`. Shorter transient failures are still retried.
 */
export const MAX_RETRY_DELAY_MS = 5000;

/**
 * The options of `new GraphClient(…)` for these settings.
 * @param {Settings} settings
 * @returns {import("graph-conversations/web").ClientOptions}
 */
export function clientOptions(settings) {
  return {
    accessToken: settings.accessToken,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl.replace(/\/+$/, "") } : {}),
    ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
    maxRetryDelayMs: MAX_RETRY_DELAY_MS,
  };
}

/**
 * What `make demo` serves in demo/config.json: the mock's settings, the
 * conversation ids that make it answer an error, and where its live stream
 * and actions are (js/live.js); with `make demo-edge`, where the edge inbox's
 * routes are (js/edge.js).
 * `mockClock`: the mock's inbox is as of `startsAt` (ms), and its clock ran
 * from there when the demo started, at `startedAt` (this computer's ms).
 * @typedef {{ settings?: Partial<Settings>, errors?: Array<{ id: string, label?: string }>,
 *   live?: import("./live.js").LiveConfig, mockClock?: { startsAt: number, startedAt: number },
 *   edge?: import("./edge.js").EdgeConfig }} DemoConfig
 */

/**
 * Where the form starts: what this tab remembered, else the demo's config,
 * else the client's base URL and nothing else.
 * @returns {Promise<{ settings: Partial<Settings>, remembered: boolean, demo: DemoConfig | null }>}
 */
export async function initialSettings() {
  const remembered = loadRemembered();
  const demo = await loadDemoConfig();
  if (remembered) return { settings: remembered, remembered: true, demo };
  return { settings: demo?.settings ?? { baseUrl: DEFAULT_BASE_URL }, remembered: false, demo };
}

/** @returns {Promise<DemoConfig | null>} */
async function loadDemoConfig() {
  try {
    const answer = await fetch(new URL("demo/config.json", document.baseURI), { cache: "no-store" });
    if (!answer.ok) return null;
    const config = await answer.json();
    return config && typeof config === "object" ? config : null;
  } catch {
    return null; // not served by `make demo`: nothing to prefill
  }
}

/** @returns {Partial<Settings> | null} */
function loadRemembered() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    return saved && typeof saved === "object" ? saved : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the settings for this tab when `keep`, and forgets them otherwise.
 * @param {Settings} settings
 * @param {boolean} keep
 */
export function remember(settings, keep) {
  try {
    if (keep) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the page works without it.
  }
}
