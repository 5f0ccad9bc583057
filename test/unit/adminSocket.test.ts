// The CLI's channel into the running bot: it must never wait forever on a bot that hung, never
// exit silently when the bot stops half way, and never give up on a long command that is still
// running (the bot's heartbeat keeps it alive).
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
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
    await expect(runThroughBot(socketPath, command, io, { silenceMs: 100 })).rejects.toThrow(/sent nothing for .* s; it may be overloaded or stuck/);
    expect(output.out).toBe("partial\n");
  });

  it("gives up on a bot that never answers at all", async () => {
    const socketPath = await rawBot(() => {});
    await expect(runThroughBot(socketPath, command, collect().io, { silenceMs: 100 })).rejects.toThrow(/sent nothing/);
  });

  it("reports a bot that stops before the command's end instead of exiting as if it had failed quietly", async () => {
    const socketPath = await rawBot((_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(`${JSON.stringify({ out: "half\n" })}\n`);
    });
    await expect(runThroughBot(socketPath, command, collect().io, { silenceMs: 5_000 })).rejects.toThrow(/stopped before the command finished/);
  });
});
