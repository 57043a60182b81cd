// Markdown text helpers for the generated guides: facts read from the model go into table cells and
// inline code through these, so a pipe, a line break or a backtick in the spec cannot break a table.

/** Escapes text for one cell of a Markdown table. */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** Inline code that survives backticks in the text. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Marks inline Markdown as one unit the page never breaks across lines, even at a hyphen (a UUID, a
 * scenario name); the template gives `.unbroken` `white-space: nowrap`. Redoc keeps inline HTML.
 */
export function unbroken(markdown: string): string {
  return `<span class="unbroken">${markdown}</span>`;
}

/** The first sentence of a description, for table cells. */
export function firstSentence(text: string | undefined): string {
  if (!text) return "";
  const flat = text.replace(/\s*\n\s*/g, " ").trim();
  const match = /^(.+?[.!?])(\s|$)/.exec(flat);
  return match?.[1] ?? flat;
}

/**
 * Inline Markdown as the text a reader sees: code spans, emphasis and links lose their markup. Redoc
 * shows server descriptions as plain text, so "Local mock (`pnpm mock`)" would keep its backticks.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(`+)\s?(.*?)\s?\1/g, "$2")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_](\S(?:.*?\S)?)[*_](?=\W|$)/g, "$1$2");
}

/** A fenced code block whose fence is longer than any backtick run inside (a sample may hold ```). */
export function fenced(language: string, source: string): string {
  const longest = Math.max(2, ...[...source.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${source}\n${fence}`;
}

/** Moves every ATX heading of a Markdown text down by `levels` (outside fenced code blocks). */
export function demoteHeadings(markdown: string, levels: number): string {
  let fence: string | undefined;
  return markdown
    .split("\n")
    .map((line) => {
      const opening = /^(`{3,}|~{3,})/.exec(line)?.[1];
      if (opening && (fence === undefined || opening.startsWith(fence))) {
        fence = fence === undefined ? opening : undefined;
        return line;
      }
      if (fence !== undefined) return line;
      return /^#{1,6} /.test(line) ? `${"#".repeat(levels)}${line}` : line;
    })
    .join("\n");
}
