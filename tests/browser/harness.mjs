// Shared setup for the tests that run the package in headless Chromium
// (tests/browser, tests/bundlers): the mock Graph on one port, the app's
// files on another (so every Graph call is cross-origin, as in real life),
// and one Chromium for the test file.
//
//   const env = useBrowserApp(() => PLAIN_PAGE, { open: "/" });
//   await env.app.run("getMessage", env.config());   // the page opened at "/"
//   const other = await env.open("/");               // another fresh page
//   await env.open("/", { setup: (page) => page.route(…) });  // routed before it loads
//   env.mock.requests                                // what the mock saw; emptied before each test

import { join } from "node:path";
import { after, before, beforeEach } from "node:test";
import { TOKEN, startMockGraph } from "../../mock/server.mjs";
import { chromiumVersion, launchChromium } from "../support/chromium.mjs";
import { serveStatic } from "../../examples/static-files.mjs";
import { MESSAGE, THREAD, scenarioConfig } from "./targets.mjs";

export { MESSAGE, THREAD, TOKEN };

/** The plain page (tests/browser/page) and the package beside it, as served to Chromium. */
export const PLAIN_PAGE = {
  "/": join(import.meta.dirname, "page"),
  "/pkg/": join(import.meta.dirname, "../../pkg"),
};

// Generous: Chromium shares two cores with other jobs. Bounds, not expectations.
const LOAD_TIMEOUT_MS = 20_000;

/**
 * Starts the mock, serves `mounts()` (URL prefix → folder; async, so that a
 * test file can build its app there) and launches Chromium; with `open`,
 * also opens that path as `env.app`. All in one `before`: Node 20 runs a
 * file's top-level `before` hooks concurrently, so a second one could not
 * rely on this one.
 */
export function useBrowserApp(mounts, { open } = {}) {
  const env = {
    mock: null,
    site: null,
    browser: null,
    app: null,
    config: () => scenarioConfig(env.mock.url),
    open: (path = "/", options) => openApp(env, path, options),
  };
  before(async () => {
    env.mock = await startMockGraph();
    env.site = await serveStatic(await mounts());
    env.browser = await launchChromium();
    console.log(`Chromium ${await chromiumVersion(env.browser)}`);
    if (open) env.app = await env.open(open);
  });
  beforeEach(() => env.mock.reset());
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
    await env.mock?.close();
  });
  return env;
}

/**
 * Opens the app in a new page (a new document: a fresh wasm instance) and
 * waits until it has set `window.scenarios`. Resolves to
 * `{ page, run(name, ...args), warnings, errors, close() }`; `warnings` and
 * `errors` collect the page's console warnings and uncaught errors.
 * `setup(page)` runs before the page loads (e.g. to route its requests).
 */
async function openApp(env, path, { setup } = {}) {
  const page = await env.browser.newPage();
  await setup?.(page);
  const warnings = [];
  const errors = [];
  page.on("console", (message) => {
    if (message.type() === "warning") warnings.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${env.site.url}${path}`, { timeout: LOAD_TIMEOUT_MS });
  await page
    .waitForFunction(() => window.scenarios, null, { timeout: LOAD_TIMEOUT_MS })
    .catch((err) => {
      throw new Error(`the app did not start: ${errors.join("; ") || err.message}`);
    });
  return {
    page,
    warnings,
    errors,
    run: (name, ...args) => page.evaluate(([n, a]) => window.scenarios[n](...a), [name, args]),
    close: () => page.close(),
  };
}

/**
 * Opens `path` and resolves to the first uncaught error of the page (for an
 * app that is expected not to start), or rejects when none comes in time.
 */
export async function firstPageError(env, path) {
  const page = await env.browser.newPage();
  try {
    const error = page.waitForEvent("pageerror", { timeout: LOAD_TIMEOUT_MS });
    await page.goto(`${env.site.url}${path}`, { timeout: LOAD_TIMEOUT_MS });
    return (await error).message;
  } finally {
    await page.close();
  }
}

/** Resolves once the mock has seen a request matching `test` (bounded polling). */
export async function mockRequest(mock, test, { tries = 200, everyMs = 25 } = {}) {
  for (let i = 0; i < tries; i++) {
    const hit = mock.requests.find(test);
    if (hit) return hit;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error("the mock never saw the expected request");
}
