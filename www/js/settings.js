// The form: what the person filled in, where it first comes from, and the
// one place it may be kept.
//
// The token lives in the page's memory (the form field). It is written to
// sessionStorage only while "Remember in this tab" is ticked, and it is never
// put in a URL. `make demo` serves demo/config.json with the mock's URL and
// its demo token; on any other server that file is missing and the form
// starts empty.

const STORAGE_KEY = "graph-conversations/www/settings";
const FIELDS = ["accessToken", "pageId", "platform", "folder", "apiVersion", "baseUrl"];
export const DEFAULT_BASE_URL = "https://graph.facebook.com";

/** The settings in the form, trimmed. */
export function readForm(form) {
  const data = new FormData(form);
  const value = (name) => String(data.get(name) ?? "").trim();
  return Object.fromEntries(FIELDS.map((name) => [name, value(name)]));
}

export function writeForm(form, settings) {
  for (const name of FIELDS) {
    if (settings[name] === undefined) continue;
    const field = form.elements.namedItem(name);
    if (field) field.value = settings[name];
  }
}

/**
 * A person at the page would rather see a rate limit and when it ends than
 * wait a minute for a retry: a longer wait than this rejects at once, with
 * `retryAfterMs`. Shorter transient failures are still retried.
 */
export const MAX_RETRY_DELAY_MS = 5000;

/** The options of `new GraphClient(…)` for these settings. */
export function clientOptions(settings) {
  return {
    accessToken: settings.accessToken,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl.replace(/\/+$/, "") } : {}),
    ...(settings.apiVersion ? { apiVersion: settings.apiVersion } : {}),
    maxRetryDelayMs: MAX_RETRY_DELAY_MS,
  };
}

/**
 * Where the form starts: what this tab remembered, else the demo's config,
 * else empty. Resolves to `{ settings, remembered, demo }`.
 */
export async function initialSettings() {
  const remembered = loadRemembered();
  const demo = await loadDemoConfig();
  if (remembered) return { settings: remembered, remembered: true, demo };
  return { settings: demo?.settings ?? { baseUrl: DEFAULT_BASE_URL }, remembered: false, demo };
}

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

function loadRemembered() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null");
    return saved && typeof saved === "object" ? saved : null;
  } catch {
    return null;
  }
}

/** Keeps the settings for this tab when `keep`, and forgets them otherwise. */
export function remember(settings, keep) {
  try {
    if (keep) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the page works without it.
  }
}
