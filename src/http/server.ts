// The bot's one HTTP server, in both Slack modes: Slack's requests (HTTP mode), /health, and
// whatever else the bot serves. Bolt handles Slack's payloads; this owns the socket, the routing,
// and the checks that must run before any handler (see src/slack/requestChecks.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Route {
  method: "GET" | "POST" | "HEAD";
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface RunningServer {
  port: number;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** A request body over the route's limit (answer 413). */
export class BodyTooLarge extends Error {}

/**
 * The request's body, refused with BodyTooLarge once it is over `limit` bytes (by its declared
 * length at once, or while it arrives). The rest is drained, so the connection can still answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Listeners rather than `for await`: leaving that loop early destroys the request, and its
    // socket with it, before the 413 could be sent.
    const tooLarge = () => {
      req.removeAllListeners("data");
      req.resume();
      reject(new BodyTooLarge());
    };
    const declared = req.headers["content-length"] === undefined ? null : Number(req.headers["content-length"]);
    if (declared !== null && declared > limit) return tooLarge();
    // With its length declared (Node's parser holds the body to it), the body is read into one
    // buffer of that size: no list of chunks, and no second copy to join them.
    const whole = declared !== null && Number.isSafeInteger(declared) ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      if (size + chunk.length > limit) return tooLarge();
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    });
    req.on("end", () => resolve(whole ? whole.subarray(0, size) : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** How many bytes of bodies not yet authenticated may be held at once, and how many of those by large ones. */
export interface UnverifiedBodyLimits {
  /** A body up to this size is small. */
  smallBodyBytes: number;
  totalBytes: number;
  /** For bodies over smallBodyBytes: the rest of totalBytes is always there for small ones. */
  largeBytes: number;
}

/**
 * The bytes reserved for bodies being read before their sender is known (a signature not checked
 * yet), by their declared length: what an unauthenticated client can make the bot hold is capped.
 */
export class UnverifiedBodies {
  private total = 0;
  private large = 0;

  constructor(private readonly limits: UnverifiedBodyLimits) {}

  /** Reserves `bytes` for one body; returns its release, or null when the cap is reached. */
  reserve(bytes: number): (() => void) | null {
    const isLarge = bytes > this.limits.smallBodyBytes;
    if (this.total + bytes > this.limits.totalBytes || (isLarge && this.large + bytes > this.limits.largeBytes)) return null;
    this.total += bytes;
    if (isLarge) this.large += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= bytes;
      if (isLarge) this.large -= bytes;
    };
  }
}

/** How long a client may take to send a whole request (Node's default is 5 minutes). */
const REQUEST_TIMEOUT_MS = 30_000;

/** How long requests in flight may take to finish when the server stops. */
const CLOSE_GRACE_MS = 10_000;

export function startHttpServer(
  routes: Route[],
  port: number,
  onError: (error: unknown, req: IncomingMessage) => void,
): Promise<RunningServer> {
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  let closing = false;
  // Slack sends a request at once; one still arriving after REQUEST_TIMEOUT_MS is cut (Node answers
  // 408), so a client trickling a body cannot hold what reading it reserves (requestChecks.ts).
  const server: Server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    // While stopping, no connection is kept alive after its answer: shutdown need not wait it out.
    if (closing) res.setHeader("connection", "close");
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = byKey.get(`${req.method} ${path}`);
    if (!route) {
      const known = routes.some((r) => r.path === path);
      res.writeHead(known ? 405 : 404, { "content-type": "text/plain; charset=utf-8" });
      res.end(known ? "Method not allowed\n" : "Not found\n");
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((error: unknown) => {
        onError(error, req);
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.end();
      });
  });
  // Slack closes idle connections itself; keep-alive longer than a load balancer's idle timeout
  // avoids resets on reused connections.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            server.close(() => done());
            server.closeIdleConnections();
            // A keep-alive connection still answering when we began is closed by its answer
            // (connection: close); one that never finishes is cut after a grace period.
            setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
          }),
      });
    });
  });
}
