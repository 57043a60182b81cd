// A cap on open connections for a node:http server that answers instead of dropping: Node's own
// `server.maxConnections` closes a socket over the cap without a word, which a client reads as a
// network failure. Here one more connection gets a complete HTTP answer (the caller's, e.g. a 503
// with Retry-After) and is closed; its requests never reach the server's handler. Shared by the
// mock's server and the docs server (`@ecs-api/mock/connection-cap`); no dependency, no API rule.
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionCapOptions {
  /** Open connections at most; one more is answered with `answer` and closed. */
  max: number;
  /** The complete raw HTTP response a refused connection gets (status line, headers, body). */
  answer: () => string;
  /** How long a refused client may take to read the answer before its socket is cut (ms). Default 2000. */
  graceMs?: number;
}

export interface ConnectionCap {
  /** The connections counted against the cap. */
  readonly open: ReadonlySet<Socket>;
  /** True for a connection refused at the cap: its requests must not be answered again. */
  refused(socket: Socket): boolean;
}

/** Caps `server`'s open connections; install it before the server listens. */
export function capConnections(server: Server, options: ConnectionCapOptions): ConnectionCap {
  const open = new Set<Socket>();
  const refused = new WeakSet<Socket>();
  const grace = options.graceMs ?? 2_000;
  // Before Node's own listener, so a refused socket is marked before any request is parsed on it.
  server.prependListener("connection", (socket: Socket) => {
    if (open.size >= options.max) {
      refused.add(socket);
      socket.on("error", () => socket.destroy());
      socket.end(options.answer());
      // Let the client read the answer; a client that never closes is cut after a short grace.
      setTimeout(() => socket.destroy(), grace).unref();
      return;
    }
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return { open, refused: (socket) => refused.has(socket) };
}
