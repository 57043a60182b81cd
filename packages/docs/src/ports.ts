// Ports for `pnpm start` (the usual one, or the next free one with a line saying so: a predictable
// URL on a shared machine) and for the docs server alone (the port it is given).

export function isAddressInUse(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(String(error));
}

/** How many ports after the usual one are tried before giving up with the way out. */
export const PORT_TRIES = 10;

export interface Listening<T> {
  value: T;
  /** The ports that were taken before this one was free. */
  skipped: number[];
}

/**
 * Starts on `port`, or on the next free port after it (up to PORT_TRIES in all), so the URL stays
 * predictable on a shared machine; the caller prints a line saying which port was taken. When all are
 * taken it fails and says how to choose one. Port 0 means any free port: nothing to skip.
 */
export async function withFallback<T>(
  port: number,
  start: (port: number) => Promise<T>,
  variable = "DOCS_PORT",
): Promise<Listening<T>> {
  const skipped: number[] = [];
  for (let candidate = port; ; candidate++) {
    try {
      return { value: await start(candidate), skipped };
    } catch (error) {
      if (!isAddressInUse(error) || port === 0) throw error;
      skipped.push(candidate);
      if (skipped.length >= PORT_TRIES || candidate >= 65535) {
        throw new Error(
          `Ports ${port}-${candidate} are all taken. Set ${variable} to a free port, or to 0 for any free port.`,
        );
      }
    }
  }
}

/** The line `start` prints when the usual port was taken. */
export function takenLine(name: string, listening: Listening<{ url: string }>): string | undefined {
  const [first] = listening.skipped;
  if (first === undefined) return undefined;
  const taken =
    listening.skipped.length === 1 ? `port ${first} is` : `ports ${first}-${listening.skipped.at(-1)} are`;
  return `${name}: ${taken} taken, using ${new URL(listening.value.url).port} instead`;
}

/** A port from an environment variable or argument; `fallback` when unset. */
export function portFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Not a port: ${value}`);
  return port;
}
