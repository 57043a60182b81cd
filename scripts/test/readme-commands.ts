// The shell commands every README.md of the repository shows, as a reader sees them: the lines of
// ```sh / ```bash / ```shell / ```console blocks (console: only the `$ ` lines), and the inline
// code spans in the prose that start with a command name.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export interface ReadmeCommand {
  /** The command as printed, continuation lines joined, a trailing `# comment` removed. */
  text: string;
  /** The README, relative to the repository root, and the 1-based line the command starts on. */
  file: string;
  line: number;
  /** The fenced block it stands in (file:line of the fence), undefined for inline code. */
  block?: string;
}

const SHELL_FENCES = new Set(["sh", "bash", "shell", "zsh", "console"]);
/** Folders that hold no README of the repository's own. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".turbo", "dist", "lib", "test-output"]);
/** An inline code span is a command when it starts with one of these and has an argument. */
const COMMAND_WORDS = new Set([
  "bash",
  "corepack",
  "curl",
  "ecs-mock",
  "export",
  "git",
  "go",
  "node",
  "nova",
  "npm",
  "npx",
  "openstack",
  "pnpm",
  "python",
  "python3",
  "sh",
  "tsx",
]);

export function readmeFiles(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      if (entry.isDirectory())
        return SKIPPED_DIRS.has(entry.name) ? [] : readmeFiles(root, join(dir, entry.name));
      return /^readme\.md$/i.test(entry.name) ? [relative(root, join(dir, entry.name))] : [];
    });
}

/** The line without a trailing shell comment (a `#` after whitespace, outside quotes). */
export function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "\\") i++;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Every command of one README's text. */
export function commandsOf(markdown: string, file: string): ReadmeCommand[] {
  const lines = markdown.split("\n");
  const commands: ReadmeCommand[] = [];
  let fence: { marker: string; shell: boolean; console: boolean; block: string } | undefined;
  let pending: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const opening = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(raw);
    if (!fence && opening) {
      const lang = (opening[2] ?? "").toLowerCase();
      fence = {
        marker: opening[1] ?? "```",
        shell: SHELL_FENCES.has(lang),
        console: lang === "console",
        block: `${file}:${i + 1}`,
      };
      continue;
    }
    if (fence) {
      if (raw.trim().startsWith(fence.marker) && raw.trim().replace(/[`~]/g, "") === "") {
        fence = undefined;
        continue;
      }
      if (!fence.shell) continue;
      let text = raw;
      if (fence.console && !pending) {
        if (!/^\s*\$ /.test(text)) continue; // output, not a command
        text = text.replace(/^\s*\$ /, "");
      }
      const joined = pending ? `${pending.text} ${text.trim()}` : text.trim();
      const start = pending?.line ?? i + 1;
      if (joined.endsWith("\\")) {
        pending = { text: joined.slice(0, -1).trimEnd(), line: start };
        continue;
      }
      pending = undefined;
      const command = withoutComment(joined);
      if (command) commands.push({ text: command, file, line: start, block: fence.block });
      continue;
    }
    for (const span of raw.matchAll(/`([^`]+)`/g)) {
      const text = (span[1] ?? "").trim();
      const [word, ...rest] = text.split(/\s+/);
      if (word && COMMAND_WORDS.has(word) && rest.length > 0) commands.push({ text, file, line: i + 1 });
    }
  }
  return commands;
}

export function readmeCommands(root: string): ReadmeCommand[] {
  return readmeFiles(root).flatMap((file) => commandsOf(readFileSync(join(root, file), "utf8"), file));
}
