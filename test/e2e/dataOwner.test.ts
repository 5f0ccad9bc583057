// One owner for the embedded database, across real processes: a bot running as `incident-bot
// start`, the CLI beside it, a second `start` on the same data directory, and kill -9 in the middle
// of a burst. What must hold: the CLI goes through the running bot instead of opening the files a
// second time, the second bot is refused, and every event the bot acknowledged is there afterwards.
import { runCli, spawnCli } from "../support/cliProcess.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { eventBody, sendSigned, SIGNING_SECRET, slashCommandBody } from "../support/slackRequests.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/testDatabase.js";

const onPglite = usingPostgres() ? describe.skip : describe;

onPglite("the embedded database has one owner (PGlite only: PostgreSQL is a server with many clients)", () => {
  let slack: FakeSlack;
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    // A data directory a bot has started on before: this is about owning it, not about a first start.
    database = await createTestDatabase({ onDisk: true, migrated: true });
    if (database.config.kind !== "pglite") throw new Error("an embedded data directory was expected");
    dataDir = database.config.dataDir;
    env = {
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DATA_DIR: dataDir,
      TIMEZONE: "Europe/London",
      LOG_LEVEL: "info",
    };
  });
  afterAll(async () => {
    await slack.close();
    await database.dispose();
  });

  const cli = (args: string[]) => runCli(args, { DATA_DIR: dataDir, TIMEZONE: "Europe/London", LOG_LEVEL: "silent" });

  /** Starts `incident-bot start` and waits for the line that says it listens; returns it with its port. */
  async function startBot() {
    const bot = spawnCli(["start"], env);
    // Generous: the suite shares two cores with processes like this one.
    for (let waited = 0; waited < 150_000; waited += 100) {
      const line = bot
        .output()
        .stdout.split("\n")
        .find((l) => l.includes('"mode"'));
      if (line) return { ...bot, port: (JSON.parse(line) as { port: number }).port };
      if (bot.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the bot did not start (exit ${bot.child.exitCode}): ${bot.output().stderr} ${bot.output().stdout}`);
  }

  it("serves the CLI through the running bot, refuses a second bot, and loses nothing acknowledged to kill -9", async () => {
    const first = await startBot();
    const eventsUrl = `http://127.0.0.1:${first.port}/slack/events`;
    try {
      await sendSigned(
        eventsUrl,
        slashCommandBody({ text: "declare Queue backlog on the ingest workers sev2", response_url: slack.responseUrl() }),
        "application/x-www-form-urlencoded",
      );
      let listed = await cli(["list"]);
      for (let i = 0; i < 100 && !listed.stdout.includes("#1\t"); i++) {
        await new Promise((r) => setTimeout(r, 100));
        listed = await cli(["list"]);
      }
      expect(listed).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^#1\tinvestigating\tSEV2\t.*Queue backlog on the ingest workers$/m),
      });
      // `migrate` answers from inside the bot: proof the CLI went through it rather than opening the files.
      expect(await cli(["migrate"])).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("the running bot applied the migrations when it started"),
      });
      const channel = (
        JSON.parse((await cli(["report", "1", "--format", "json"])).stdout) as { record: { incident: { channelId: string } } }
      ).record.incident.channelId;

      // A second bot on the same data directory is refused at once, naming the first.
      const second = spawnCli(["start"], env);
      expect(await second.exited).toBe(1);
      expect(second.output().stderr).toContain(
        `incident-bot cannot start: the embedded database in ${dataDir} is in use by the running bot (incident-bot start), process ${first.child.pid}`,
      );

      // A burst of messages with the CLI reading beside it; kill -9 once half are acknowledged.
      const base = Math.floor(Date.now() / 1000) - 600;
      const tsOf = (i: number) => `${base + Math.floor(i / 1000)}.${String(i % 1000).padStart(6, "0")}`;
      const acknowledged: string[] = [];
      let next = 0;
      let killed = false;
      const sender = async () => {
        while (next < 600 && !killed) {
          const ts = tsOf(next++);
          const response = await sendSigned(
            eventsUrl,
            eventBody({ type: "message", channel, user: "UBOB", text: `backlog at ${ts}`, ts }),
            "application/json",
          ).catch(() => null);
          if (response?.status === 200) acknowledged.push(ts);
          if (acknowledged.length >= 300 && !killed) {
            killed = true;
            first.child.kill("SIGKILL");
          }
        }
      };
      const reader = async () => {
        let reads = 0;
        while (!killed) {
          const result = reads++ % 2 ? await cli(["report", "1"]) : await cli(["export"]);
          if (!killed) expect(result.code).toBe(0);
        }
        return reads;
      };
      const [reads] = await Promise.all([reader(), ...Array.from({ length: 8 }, sender)]);
      await first.exited;
      expect(reads).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);

      // The bot is gone: the CLI now opens the data directory itself (the dead claim is cleared).
      const exported = await cli(["export"]);
      expect(exported.code).toBe(0);
      const stored = new Set(
        (JSON.parse(exported.stdout) as { tables: { timelineEntries: { ts: string | null }[] } }).tables.timelineEntries.map((e) => e.ts),
      );
      const lost = acknowledged.filter((ts) => !stored.has(ts));
      expect(lost).toEqual([]);
    } finally {
      first.child.kill("SIGKILL");
    }
  }, 300_000);
});
