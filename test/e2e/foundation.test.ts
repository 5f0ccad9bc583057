// The bot starts, migrates, answers /health, refuses unsigned requests and routes signed ones.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { RETIRED_BUTTON } from "../../src/slack/listeners/routes.js";
import { openDatabase } from "../../src/database/database.js";
import { queryCompilerLoads } from "../../src/database/queryCompiler.js";
import { diffHistoryToSchema } from "../../src/database/migrate.js";
import { spawnCli } from "../support/cliProcess.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { slashCommandBody, sendSigned, signature } from "../support/slackRequests.js";
import { createTestDatabase, usingPostgres } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";

describe("configuration", () => {
  it("refuses to start with a message naming every bad variable, and a non-zero exit code", async () => {
    const run = spawnCli(["start"], {
      SLACK_BOT_TOKEN: "not-a-token",
      PORT: "eighty",
      TIMEZONE: "Mars/Olympus",
      GITHUB_REPOSITORY: "just-a-name",
    });
    const code = await run.exited;
    const { stderr } = run.output();
    expect(code).toBe(78);
    expect(stderr).toContain("SLACK_BOT_TOKEN should start with xoxb-");
    // No SLACK_APP_TOKEN, no SLACK_SIGNING_SECRET: the message names both modes (it used to ask for HTTP mode's secret alone).
    expect(stderr).toContain(
      "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is required: Socket Mode (what manifest.json and .env.example set up) needs SLACK_APP_TOKEN",
    );
    expect(stderr).toContain("PORT should be a port number");
    expect(stderr).toContain("TIMEZONE should be an IANA time zone");
    expect(stderr).toContain("GITHUB_REPOSITORY should be owner/name");
    expect(stderr).toContain("GITHUB_TOKEN is required");
    expect(stderr).not.toContain("not-a-token");
  });
});

describe("database start-up", () => {
  it("applies the migrations once; a second start-up applies none", async () => {
    const db = usingPostgres() ? await createTestDatabase() : undefined;
    const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-"));
    const config = db?.config ?? { kind: "pglite" as const, dataDir };
    try {
      const applied: string[][] = [];
      for (let i = 0; i < 2; i++) {
        const database = await openDatabase(config, { onMigrated: (names) => applied.push(names) });
        expect(await database.ping()).toBe(true);
        await database.close();
      }
      expect(applied[0]!.length).toBeGreaterThan(0);
      expect(applied[1]).toEqual([]);
      // Prisma compiled its query compiler through our loader, which keeps no copy of its text (issue 22).
      expect(queryCompilerLoads()).toBeGreaterThanOrEqual(1);
    } finally {
      await db?.dispose();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("has a migration history that matches prisma/schema.prisma", async () => {
    const scratch = new PGlite();
    try {
      const sql = await diffHistoryToSchema(new PrismaPGlite(scratch));
      expect(sql.replace(/^--.*$/gm, "").trim()).toBe("");
    } finally {
      await scratch.close();
    }
  });
});

describe("the running bot", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it("answers /health with 200 and JSON while the database answers", async () => {
    const response = await fetch(`${bot.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "up" });
  });

  it("answers a signed slash command through the listener, with an ephemeral reply sent to Slack", async () => {
    const response = await bot.command("help");
    expect(response.status).toBe(200);
    const reply = bot.slack.responses().at(-1);
    expect(reply?.response_type).toBe("ephemeral");
    expect(String(reply?.text)).toContain("/incident declare <title>");
  });

  it("acknowledges a button it no longer has (from an older message) and tells the presser, at once", async () => {
    const started = Date.now();
    const { response, responseUrl } = await bot.press({ action_id: "action_item_drop", value: "anything" }, "UBOB", "C0OLDMSG");
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_000); // Slack shows an error after 3 s without an ack
    expect(bot.answersTo(responseUrl)).toEqual([
      expect.objectContaining({ response_type: "ephemeral", replace_original: false, text: RETIRED_BUTTON }),
    ]);
  });

  it.each([
    ["a wrong signature", { forgedSignature: `v0=${"0".repeat(64)}` }],
    ["a signature made with another secret", { secret: "someone-elses-secret" }],
    ["a timestamp older than five minutes", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])("rejects %s with 401 and changes nothing", async (_what, options) => {
    const before = bot.slack.calls.length;
    const body = slashCommandBody({ text: "declare Forged incident", response_url: bot.slack.responseUrl() });
    const response = await sendSigned(bot.eventsUrl, body, "application/x-www-form-urlencoded", options);
    await bot.bot.idle();
    expect(response.status).toBe(401);
    expect(bot.slack.calls.length).toBe(before);
    expect(await bot.bot.deps.incidents.listIncidents()).toEqual([]);
  });
});

/** Resolves once the spawned bot logs that it listens; rejects with its exit code and output if it stops or hangs. */
async function waitForListening(run: ReturnType<typeof spawnCli>, boundMs: number) {
  const deadline = Date.now() + boundMs;
  while (!run.output().stdout.includes('"msg":"incident-bot listening')) {
    const { stdout, stderr } = run.output();
    if (run.child.exitCode !== null)
      throw new Error(`the bot exited with code ${run.child.exitCode} before listening:\n${stderr}\n${stdout}`);
    if (Date.now() > deadline) throw new Error(`the bot did not start listening within ${boundMs / 1000} s:\n${stderr}\n${stdout}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("incident-bot start", () => {
  it("starts on a fresh embedded database, serves /health, and stops cleanly on SIGTERM", async () => {
    const slack = await FakeSlack.start();
    const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const run = spawnCli(["start"], {
      SLACK_BOT_TOKEN: "xoxb-secret-token-value",
      SLACK_SIGNING_SECRET: "s3cret",
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
    });
    try {
      // Waits for the event itself (the line that says it listens), not for a guess at how long a
      // fresh data directory takes: 2 s idle, 18-26 s seen on a loaded 2-core machine. The bound
      // only ends a start that hangs; a bot that exits or hangs is reported with what it printed.
      await waitForListening(run, 180_000);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
      // A second SIGTERM (timeout(1) and some supervisors send one) does not cut the shutdown short.
      run.child.kill("SIGTERM");
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      const { stdout } = run.output();
      expect(stdout).toContain("incident-bot stopped");
      const started = stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.mode);
      expect(started).toMatchObject({ mode: "http", port, database: `embedded PGlite in ${dataDir}` });
      expect(stdout).not.toContain("xoxb-secret-token-value");
      expect(stdout).not.toContain("s3cret");
    } finally {
      run.child.kill("SIGKILL");
      await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000); // the bound above, and the shutdown after it
});

describe("incident-bot start with a token Slack refuses", () => {
  it("fails at start-up with Slack's reason and exits, instead of serving requests it cannot answer", async () => {
    const slack = await FakeSlack.start();
    const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-"));
    const run = spawnCli(["start"], {
      SLACK_BOT_TOKEN: "xoxb-revoked",
      SLACK_SIGNING_SECRET: "s3cret",
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
    });
    try {
      expect(await run.exited).toBe(1);
      expect(run.output().stderr).toContain("token_revoked");
      expect(slack.callsTo("auth.test")).toHaveLength(1);
    } finally {
      run.child.kill("SIGKILL");
      await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("signature helper", () => {
  it("signs like Slack's documented example", () => {
    // From Slack's "Verifying requests from Slack" guide.
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar" +
      "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
      "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
      "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signature(body, 1531420618, "8f742231b10e8888abcd99yyyzzz85a5")).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });
});
