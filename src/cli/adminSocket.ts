// The running bot's door for its own command line. While the bot owns the embedded database,
// `incident-bot list|report|export|import|migrate` must not open the data directory a second
// time (see src/database/dataDirOwner.ts), so the CLI sends the command here and the bot runs it
// against the database it already has. HTTP over a Unix socket inside the claim directory, which
// is 0700: only the bot's own user can connect, and nothing listens on the network.
//
// Request: POST /run with `{ command, positionals, values, input? }`. Answer: one JSON object per
// line, `{ "out": text }` and `{ "err": text }` as the command writes, `{}` every few seconds while
// it runs (so the CLI can tell a long export from a bot that hung), then `{ "exit": code }`.
// Both sides read what the other sent with zod: a request or a frame of another shape (a CLI and
// a bot of different versions, say) is answered with one line saying so, not cast and run.
import { createHash } from "node:crypto";
import { lstat, mkdir, rm } from "node:fs/promises";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseJson } from "../parseJson.js";
import type { CliIO } from "./io.js";

const remoteCommand = z.object({
  command: z.string().min(1),
  positionals: z.array(z.string()),
  values: z.record(z.string(), z.union([z.string(), z.boolean()]).optional()),
  /** The content of a file the CLI read for the command (import). */
  input: z.string().optional(),
});
export type RemoteCommand = z.infer<typeof remoteCommand>;

const SAME_VERSION = "are the command line and the bot the same version?";

/** One line of the answer. */
const answerFrame = z.object({ out: z.string().optional(), err: z.string().optional(), exit: z.number().int().optional() });

export type RemoteRunner = (request: RemoteCommand, io: CliIO) => Promise<number>;

/** Unix socket paths are limited to about 100 bytes; a deep DATA_DIR gets one in a private temp folder. */
async function socketPathFor(claimDir: string): Promise<string> {
  const inside = path.resolve(claimDir, "admin.sock");
  if (Buffer.byteLength(inside) <= 100) return inside;
  const folder = path.join(tmpdir(), `incident-bot-${process.getuid?.() ?? "user"}`);
  await mkdir(folder, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  // A shared /tmp: the folder must be ours and closed to others, or someone could stand in for the bot.
  const stats = await lstat(folder);
  if (!stats.isDirectory() || (process.getuid && stats.uid !== process.getuid()) || (stats.mode & 0o077) !== 0) {
    throw new Error(
      `${folder} is not a private folder of this user; remove it, or use a shorter DATA_DIR so the admin socket fits inside it`,
    );
  }
  return path.join(folder, `${createHash("sha256").update(inside).digest("hex").slice(0, 16)}.sock`);
}

const CHUNK = 1 << 20;

export interface AdminSocketTimings {
  /** How often the bot says it is still working on a command that writes nothing. */
  heartbeatMs: number;
  /** How long the CLI waits without a word from the bot before it gives up. */
  silenceMs: number;
}

const TIMINGS: AdminSocketTimings = { heartbeatMs: 5_000, silenceMs: 60_000 };

export async function serveAdminSocket(
  claimDir: string,
  run: RemoteRunner,
  onError: (error: unknown) => void,
  timings: Pick<AdminSocketTimings, "heartbeatMs"> = TIMINGS,
): Promise<{ path: string; close(): Promise<void> }> {
  const socketPath = await socketPathFor(claimDir);
  await rm(socketPath, { force: true }); // a socket file left by a process that died
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/run") {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      const frame = (value: object) => res.write(`${JSON.stringify(value)}\n`);
      const writer = (key: "out" | "err") => (text: string) => {
        for (let at = 0; at < text.length; at += CHUNK) frame({ [key]: text.slice(at, at + CHUNK) });
      };
      const heartbeat = setInterval(() => frame({}), timings.heartbeatMs);
      let code: number;
      const request = parseJson(remoteCommand, Buffer.concat(chunks).toString("utf8"));
      try {
        if (!request.ok) {
          // A usage mistake of the caller's (like one typed on the command line), not a failure of the bot's.
          frame({ err: `The running bot could not read that command (${request.reason}); ${SAME_VERSION}\n` });
          code = 2;
        } else {
          code = await run(request.value, { out: writer("out"), err: writer("err") });
        }
      } catch (error) {
        onError(error);
        frame({ err: `The running bot could not do that: ${error instanceof Error ? error.message : String(error)}\n` });
        code = 1;
      } finally {
        clearInterval(heartbeat);
      }
      frame({ exit: code });
      res.end();
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    path: socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/**
 * Runs a command in the bot listening on `socketPath`; its output goes to `io`. Resolves with its
 * exit code. A bot that says nothing (not even its heartbeat) for `silenceMs` is given up on, and a
 * bot that stops before the command's end is reported: the CLI never waits forever or exits silently.
 */
export function runThroughBot(
  socketPath: string,
  command: RemoteCommand,
  io: CliIO,
  timings: Pick<AdminSocketTimings, "silenceMs"> = TIMINGS,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: "/run", method: "POST", headers: { "content-type": "application/json" }, timeout: timings.silenceMs },
      (res) => {
        let pending = "";
        let code: number | undefined;
        res.setEncoding("utf8");
        res.on("data", (data: string) => {
          pending += data;
          let newline: number;
          while ((newline = pending.indexOf("\n")) >= 0) {
            const read = parseJson(answerFrame, pending.slice(0, newline));
            if (!read.ok) {
              const reason = `the running bot answered with something other than a command's output (${read.reason})`;
              res.destroy(new Error(`${reason}; ${SAME_VERSION}`));
              return;
            }
            const frame = read.value;
            pending = pending.slice(newline + 1);
            if (frame.out !== undefined) io.out(frame.out);
            if (frame.err !== undefined) io.err(frame.err);
            if (frame.exit !== undefined) code = frame.exit;
          }
        });
        res.on("end", () =>
          code === undefined
            ? reject(
                new Error(
                  "the running bot stopped before the command finished (it may have been shut down); check its log, then try again",
                ),
              )
            : resolve(code),
        );
        res.on("error", reject);
      },
    );
    // Inactivity on the socket, heartbeats included: the bot is alive but not answering.
    req.on("timeout", () =>
      req.destroy(
        new Error(
          `the running bot sent nothing for ${Math.round(timings.silenceMs / 1000)} s; ` +
            "it may be overloaded or stuck: check its log and /health, then try again",
        ),
      ),
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      // The owner was there a moment ago: it is stopping (or died) between our look and our call.
      reject(
        ["ENOENT", "ECONNREFUSED"].includes(error.code ?? "")
          ? new Error("the running bot stopped answering on its admin socket (it may be shutting down); try again in a moment")
          : error,
      ),
    );
    req.end(JSON.stringify(command));
  });
}
