// The CLI's channel into the running bot: it must never wait forever on a bot that hung, never
// exit silently when the bot stops half way, and never give up on a long command that is still
// running (the bot's heartbeat keeps it alive).
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { runThroughBot, serveAdminSocket } from "../../src/cli/adminSocket.js";

const command = { command: "list", positionals: [], values: {} };

function collect() {
  const output = { out: "", err: "" };
  return { output, io: { out: (text: string) => void (output.out += text), err: (text: string) => void (output.err += text) } };
}

describe("the admin socket", () => {
  let dir: string;
  const servers: Server[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "admin-socket-"));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in bot on the socket that handles requests however the test says. */
  async function rawBot(handle: Parameters<typeof createServer>[1]) {
    const socketPath = path.join(dir, "raw.sock");
    const server = createServer(handle);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  it("runs a command that outlasts the silence limit, because the bot's heartbeat says it is alive", async () => {
    const admin = await serveAdminSocket(
      dir,
      async (_request, io) => {
        // Silent for three silence limits, then the answer.
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        io.out("done\n");
        return 0;
      },
      () => {},
      { heartbeatMs: 20 },
    );
    try {
      const { output, io } = collect();
      await expect(runThroughBot(admin.path, command, io, { silenceMs: 1_000 })).resolves.toBe(0);
      expect(output.out).toBe("done\n");
    } finally {
      await admin.close();
    }
  });

  it("gives up, saying why, on a bot that accepts the command and then says nothing", async () => {
    const socketPath = await rawBot((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.write(`${JSON.stringify({ out: "partial\n" })}\n`);
      // ...and never another byte.
    });
    const { output, io } = collect();
    await expect(runThroughBot(socketPath, command, io, { silenceMs: 100 })).rejects.toThrow(
      /sent nothing for .* s; it may be overloaded or stuck/,
    );
    expect(output.out).toBe("partial\n");
  });

  it("gives up on a bot that never answers at all", async () => {
    const socketPath = await rawBot(() => {});
    await expect(runThroughBot(socketPath, command, collect().io, { silenceMs: 100 })).rejects.toThrow(/sent nothing/);
  });

  it("answers a request it cannot read with one line and exit code 2, without running anything", async () => {
    let ran = false;
    const failures: unknown[] = [];
    const admin = await serveAdminSocket(
      dir,
      async () => ((ran = true), 0),
      (error) => failures.push(error),
    );
    try {
      for (const [body, reason] of [
        ["list everything", "not JSON"],
        [JSON.stringify({ command: "list", positionals: "all", values: {} }), "positionals: "],
        [JSON.stringify({ positionals: [], values: {} }), "command: "],
      ] as const) {
        const answer = await new Promise<string>((resolve, reject) => {
          const req = request({ socketPath: admin.path, path: "/run", method: "POST" }, (res) => {
            let text = "";
            res
              .setEncoding("utf8")
              .on("data", (chunk: string) => (text += chunk))
              .on("end", () => resolve(text));
          });
          req.on("error", reject).end(body);
        });
        const frames = answer
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as { err?: string; exit?: number });
        expect(frames).toEqual([{ err: expect.stringContaining(reason) }, { exit: 2 }]);
        expect(frames[0]!.err).toMatch(/^The running bot could not read that command \([^\n]*\); are [^\n]* same version\?\n$/);
      }
      expect(ran).toBe(false);
      expect(failures).toEqual([]);
    } finally {
      await admin.close();
    }
  });

  it("gives up, saying why in one line, on an answer that is not a command's output", async () => {
    for (const line of ["<html>Bad Gateway</html>", JSON.stringify({ exit: "0" })]) {
      const socketPath = await rawBot((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        res.end(`${line}\n`);
      });
      const error = await runThroughBot(socketPath, command, collect().io, { silenceMs: 5_000 }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/^the running bot answered with something other than a command's output \((not JSON|exit: [^\n]*)\)/);
      expect(error?.message).toMatch(/; are the command line and the bot the same version\?$/);
      for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reports a bot that stops before the command's end instead of exiting as if it had failed quietly", async () => {
    const socketPath = await rawBot((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(`${JSON.stringify({ out: "half\n" })}\n`);
    });
    await expect(runThroughBot(socketPath, command, collect().io, { silenceMs: 5_000 })).rejects.toThrow(
      /stopped before the command finished/,
    );
  });
});
