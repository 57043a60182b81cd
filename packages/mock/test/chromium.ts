// One way to start headless Chromium for the mock's browser tests: the npm-shipped build
// (@sparticuz/chromium), else Debian's /usr/bin/chromium. The flags keep Chromium off the network.
import { existsSync } from "node:fs";
import chromium from "@sparticuz/chromium";
import { type Browser, chromium as playwright } from "playwright-core";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(): Promise<Browser> {
  try {
    return await playwright.launch({
      executablePath: await chromium.executablePath(),
      args: [...chromium.args, ...ARGS],
    });
  } catch (error) {
    if (!existsSync("/usr/bin/chromium")) throw error;
    return playwright.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  }
}
