import { existsSync } from "node:fs";
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";

/** Flags for a headless Chromium on a shared machine with no network but loopback. */
const EXTRA_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Launches the Chromium that comes with `@sparticuz/chromium` (unpacked into the temp folder on
 * first use), so `pnpm install` alone brings the browser. Debian's /usr/bin/chromium is only a
 * fallback for a machine where that package cannot unpack.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    const executablePath = await chromium.executablePath();
    return await playwright.launch({ executablePath, args: [...chromium.args, ...EXTRA_ARGS] });
  } catch (error) {
    if (!existsSync("/usr/bin/chromium")) throw error;
    return playwright.launch({ executablePath: "/usr/bin/chromium", args: [...EXTRA_ARGS] });
  }
}

/** True for URLs that stay on this machine (loopback) or inside the page (data:, blob:, about:). */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}
