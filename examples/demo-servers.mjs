// The servers of `make demo`, also started by the www tests: the local mock
// Graph, and a static server with the page (www/) at /, the built package
// (pkg/) at /pkg/ and the demo's settings at /demo/config.json.
//
//   const demo = await startDemo({ mockPort: 0, wwwPort: 0 });
//   demo.pageUrl   // "http://127.0.0.1:40123/"
//   await demo.close();

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_ID, TOKEN, startMockGraph } from "../mock/server.mjs";
import { serveStatic } from "../tests/support/static-server.mjs";

const root = (/** @type {string} */ path) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The page's "Demo aids": conversation ids that make the mock answer an error. */
const DEMO_ERRORS = [
  { id: "error-190", label: "190 session expired" },
  { id: "error-200", label: "200 permission" },
  { id: "error-613", label: "613 rate limit" },
  { id: "error-80006", label: "80006 Messenger limit" },
  { id: "error-100", label: "100 bad parameter" },
  { id: "http-502", label: "a proxy's 502 page" },
];

/**
 * Starts the mock Graph and the page's server (port 0 = any free port).
 * The page reads demo/config.json once, to fill in the mock's URL and its
 * demo token: the token travels in that file, never in a URL.
 * Resolves to `{ pageUrl, mock, site, close() }`.
 */
/** @param {{ mockPort?: number, wwwPort?: number }} [ports] */
export async function startDemo({ mockPort = 8787, wwwPort = 8080 } = {}) {
  const mock = await startMockGraph({ port: mockPort });
  const configDir = mkdtempSync(join(tmpdir(), "gc-demo-"));
  let site;
  try {
    writeFileSync(join(configDir, "config.json"), JSON.stringify({
      settings: { accessToken: TOKEN, pageId: PAGE_ID, platform: "messenger", folder: "inbox", apiVersion: "", baseUrl: mock.url },
      errors: DEMO_ERRORS,
    }, null, 2));
    site = await serveStatic({ "/": root("www"), "/pkg/": root("pkg"), "/demo/": configDir }, { port: wwwPort });
  } catch (err) {
    await mock.close();
    rmSync(configDir, { recursive: true, force: true });
    throw err;
  }
  return {
    pageUrl: `${site.url}/`,
    mock,
    site,
    close: async () => {
      await Promise.all([site.close(), mock.close()]);
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
