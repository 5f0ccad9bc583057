// `npm start` right after Ctrl-C: npm gives the prompt back at once, but the bot holds the embedded
// database for a moment longer while it finishes what it is doing and closes. A bot started in that
// moment waits for the one that is shutting down (its claim says so) and then starts, instead of
// being refused "in use by the running bot". Real processes, started as `incident-bot start`.
// (A bot that is not shutting down is still refused at once: test/e2e/dataOwner.test.ts.)
import { readFile } from "node:fs/promises";
import { createConnection, type Socket } from "node:net";
import path from "node:path";
import { spawnCli } from "../support/cliProcess.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { SIGNING_SECRET } from "../support/slackRequests.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/testDatabase.js";

const onPglite = usingPostgres() ? describe.skip : describe;

/** Polls `check` until it returns something, or fails after `ms` saying what it waited for. */
async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 120_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 50))) {
    const value = await check();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

onPglite("starting again right after a stop (PGlite only: the embedded database has one owner)", () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let dataDir: string;
  const children: ReturnType<typeof spawnCli>[] = [];
  beforeAll(async () => {
    slack = await FakeSlack.start();
    // A data directory a bot has started on before, as after any Ctrl-C but the first.
    database = await createTestDatabase({ onDisk: true, migrated: true });
    if (database.config.kind !== "pglite") throw new Error("an embedded data directory was expected");
    dataDir = database.config.dataDir;
  });
  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
    await slack.close();
    await database.dispose();
  });

  const start = () => {
    const slackEnv = { SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl };
    const env = { ...slackEnv, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info" };
    const bot = spawnCli(["start"], env);
    children.push(bot);
    return bot;
  };
  const listening = (bot: ReturnType<typeof spawnCli>) =>
    until("the bot to listen", () => {
      if (bot.child.exitCode !== null) throw new Error(`the bot exited ${bot.child.exitCode}: ${bot.output().stderr}`);
      const line = bot
        .output()
        .stdout.split("\n")
        .find((l) => l.includes('"mode"'));
      return line ? (JSON.parse(line) as { port: number }).port : undefined;
    });

  it("waits for the bot that is shutting down, then starts", async () => {
    const first = start();
    await listening(first);

    // Something the first bot must finish before it can let go: a CLI command in flight through its
    // admin socket (here, one whose request has not fully arrived yet).
    const owner = JSON.parse(await readFile(path.join(dataDir, ".owner", "owner.json"), "utf8")) as { socket: string };
    const command = JSON.stringify({ command: "list", positionals: [], values: {} });
    const admin: Socket = createConnection(owner.socket);
    await new Promise((resolve) => admin.once("connect", resolve));
    let answer = "";
    admin.on("data", (chunk: Buffer) => (answer += chunk.toString()));
    const head = `POST /run HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${command.length}\r\n\r\n`;
    admin.write(head + command.slice(0, 10));

    // Ctrl-C: the bot begins to shut down and marks its claim; `npm start` again at once.
    first.child.kill("SIGINT");
    await until(
      "the claim to say it is stopping",
      async () =>
        (await readFile(path.join(dataDir, ".owner", "owner.json"), "utf8").catch(() => "")).includes("stoppingSince") || undefined,
    );
    const second = start();
    await until("the second bot to wait for the first", () => {
      const code = second.child.exitCode;
      if (code !== null) throw new Error(`the second bot gave up (exit ${code}): ${second.output().stderr}`);
      return second.output().stdout.includes("waiting for the bot that is shutting down") || undefined;
    });
    expect(first.child.exitCode).toBeNull(); // the first is still finishing

    // The command completes; the first bot lets go and exits cleanly; the second starts.
    admin.write(command.slice(10));
    await until("the command's answer", () => (answer.includes('"exit":0') ? true : undefined));
    admin.end();
    expect(await first.exited).toBe(0);
    const port = await listening(second);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(second.output().stderr).not.toContain("in use by");

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    // Two real bots start and stop here: on a loaded 2-core machine (another suite running beside
    // this one), with the first on a new data directory, that alone took over 60 s.
  }, 300_000);
});
