// The docs' browser tests start Chromium the way the mock's do: one launcher, the mock's
// (test/chromium.ts there: @sparticuz/chromium's build, else Debian's, kept off the network).
export { launchChromium } from "../../mock/test/chromium.js";

/** True for URLs that stay on this machine (loopback) or inside the page (data:, blob:, about:). */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}
