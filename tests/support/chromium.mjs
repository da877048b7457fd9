// Headless Debian Chromium for the browser tests, driven by playwright-core
// (which never downloads a browser of its own). `make setup-chromium`
// installs /usr/bin/chromium.
//
//   const browser = await launchChromium();
//   const page = await browser.newPage();
//   ...
//   await browser.close();

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches headless Chromium with a fresh profile. The profile folder is
 * removed when the browser closes. Resolves to a playwright-core Browser
 * (a persistent context's browser: use `newPage()` on the returned object).
 */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), "gc-chromium-"));
  // The flags keep Chromium from calling home: this machine has no internet,
  // and refused background connections slow every start.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** Chromium's own version string, e.g. "156.0.8078.79". */
export async function chromiumVersion(context) {
  return context.browser()?.version() ?? "unknown";
}
