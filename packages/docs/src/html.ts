import { createHash } from "node:crypto";

/**
 * Hosts the Redoc bundle loads from on its own: the sidebar logo of the "API docs by" badge
 * (cdn.redoc.ly), icon sets (cdn.redocly.com) and telemetry (otel.cloud.redocly.com, off by
 * configuration). Readers are often offline or behind a proxy, so none of them may be contacted.
 */
export const REDOCLY_HOSTS = ["cdn.redoc.ly", "cdn.redocly.com", "otel.cloud.redocly.com"] as const;

/**
 * What replaces `https://<host>` in the bundle: a data URL never leaves the page, and the logo
 * component removes its <img> when the image fails to decode.
 */
const NEUTRAL = "data:,";

/** The page may load only from itself; a request to any other host is refused by the browser too. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** The inline scripts of a page (`<script>` without `src`), as CSP hash sources. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script\b(?![^>]*\ssrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi)) {
    hashes.push(
      `'sha256-${createHash("sha256")
        .update(m[1] ?? "", "utf8")
        .digest("base64")}'`,
    );
  }
  return [...new Set(hashes)];
}

/**
 * The policy the docs server sends with the page: CONTENT_SECURITY_POLICY with the page's own inline
 * scripts allowed by hash instead of 'unsafe-inline', so an injected script would not run. (The meta
 * tag keeps 'unsafe-inline': opened from disk there is no header, and a hash in the meta tag would have
 * to be computed over the page that contains it.) Styles stay 'unsafe-inline': Redoc injects them.
 */
export function pagePolicy(html: string): string {
  const hashes = inlineScriptHashes(html);
  return CONTENT_SECURITY_POLICY.replace(
    "script-src 'self' 'unsafe-inline'",
    ["script-src 'self'", ...hashes].join(" "),
  );
}

/** Rewrites every reference to the Redocly hosts; fails if the bundle no longer has them where expected. */
export function neutralizeRemoteUrls(html: string): string {
  if (!html.includes(`https://${REDOCLY_HOSTS[0]}/`)) {
    // The badge logo moved: look at the new bundle before trusting the rewrite.
    throw new Error(`The Redoc bundle no longer references ${REDOCLY_HOSTS[0]}: review neutralizeRemoteUrls`);
  }
  let out = html;
  for (const host of REDOCLY_HOSTS) out = out.split(`https://${host}`).join(NEUTRAL);
  return out;
}

/**
 * Redoc 3 renders a page-actions menu on every heading ("Copy for LLM", "Open in Claude", "Open in
 * ChatGPT"): outbound links that send the page to other hosts. It has no option to turn it off; every
 * heading node is built with `showPageActions:!0`, so the build turns that flag off.
 */
const PAGE_ACTIONS_ON = "showPageActions:!0";

export function removePageActions(html: string): string {
  if (!html.includes(PAGE_ACTIONS_ON)) {
    throw new Error(`The Redoc bundle no longer has ${PAGE_ACTIONS_ON}: review removePageActions`);
  }
  return html.split(PAGE_ACTIONS_ON).join("showPageActions:!1");
}

export interface RemoteReference {
  kind: string;
  url: string;
}

const REMOTE = String.raw`(?:https?:)?//[^\s"'<>)\\]+`;

/**
 * References a browser would fetch by itself: element attributes (script/img/iframe src, link href,
 * srcset, poster, object data), CSS `url()` and `@import`, JavaScript `src` literals, `fetch`/`import`
 * of a literal, and any mention of a Redocly host. Links (`<a href>`) are followed on click only: allowed.
 */
export function findRemoteReferences(html: string): RemoteReference[] {
  const found: RemoteReference[] = [];
  const scan = (kind: string, pattern: RegExp) => {
    for (const m of html.matchAll(pattern)) found.push({ kind, url: m[1] ?? m[0] });
  };
  scan(
    "element attribute",
    new RegExp(
      String.raw`<(?:script|img|iframe|frame|embed|source|video|audio|track|input|image|use)\b[^>]*?\s(?:src|href|xlink:href|poster|data)\s*=\s*["']?(${REMOTE})`,
      "gi",
    ),
  );
  scan("link href", new RegExp(String.raw`<link\b[^>]*?\shref\s*=\s*["']?(${REMOTE})`, "gi"));
  scan("object data", new RegExp(String.raw`<object\b[^>]*?\sdata\s*=\s*["']?(${REMOTE})`, "gi"));
  scan("srcset", new RegExp(String.raw`\ssrcset\s*=\s*["'][^"']*?(${REMOTE})`, "gi"));
  scan("css url()", new RegExp(String.raw`url\(\s*["']?(${REMOTE})`, "gi"));
  scan("css @import", new RegExp(String.raw`@import\s+["'](${REMOTE})`, "gi"));
  // In the bundle, `href:` literals are anchors (followed on click only); `src:` ones are fetched.
  scan("script src literal", new RegExp(String.raw`\bsrc\s*[:=]\s*[\`"'](${REMOTE})`, "g"));
  scan(
    "script fetch literal",
    new RegExp(String.raw`\b(?:fetch|sendBeacon|importScripts)\(\s*[\`"'](${REMOTE})`, "g"),
  );
  scan("import", new RegExp(String.raw`\bimport\s*(?:\(\s*)?[\`"'](${REMOTE})`, "g"));
  for (const host of REDOCLY_HOSTS) {
    scan("Redocly host", new RegExp(String.raw`(?:https?:)?//${host.replace(/\./g, "\\.")}[^\s"'\`]*`, "g"));
  }
  return found;
}
