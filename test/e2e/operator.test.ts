// The operator's first hour (issue 21): start-up's checks and their one-line messages, `incident-bot
// doctor` against local fakes of Slack and GitHub refusing in each of their real ways, the
// signature-mismatch warning, and the probes. Slack and GitHub are the fakes on 127.0.0.1.
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { runCli, spawnCli } from "../support/cliProcess.js";
import { FakeGitHub } from "../support/fakeGitHub.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { FakeSocketMode } from "../support/fakeSocketMode.js";
import { eventBody, sendSigned, SIGNING_SECRET } from "../support/slackRequests.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";
import { openDatabase } from "../../src/database/database.js";

/** A logger whose records the test can read. */
function capturedLogger() {
  const records: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void records.push(JSON.parse(line) as (typeof records)[number]) });
  return { logger, records, warnings: () => records.filter((r) => r.level === 40).map((r) => r.msg) };
}

/** A server holding a port, as another process would. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return { port: (server.address() as { port: number }).port, server };
}

let slack: FakeSlack;
let defaultScopes: string[];
let github: FakeGitHub;
let scratch: string;
beforeAll(async () => {
  slack = await FakeSlack.start();
  defaultScopes = [...slack.scopes];
  github = await FakeGitHub.start();
  scratch = await mkdtemp(path.join(tmpdir(), "incident-bot-operator-"));
});
afterAll(async () => {
  await slack.close();
  await github.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("start-up's first checks: one line naming the variable and the fix", () => {
  const baseEnv = () => ({
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
  });

  it("stops on a token Slack refuses before any database work, and says which variable and what to do", async () => {
    slack.refusedTokens.set("xoxb-wrong-token", "invalid_auth");
    const dataDir = path.join(scratch, "wrong-token");
    const startedAt = Date.now();
    const run = spawnCli(["start"], { ...baseEnv(), SLACK_BOT_TOKEN: "xoxb-wrong-token", DATA_DIR: dataDir });
    expect(await run.exited).toBe(1);
    const elapsedMs = Date.now() - startedAt;
    expect(run.output().stderr).toBe(
      "incident-bot cannot start: SLACK_BOT_TOKEN: was refused by Slack (invalid_auth). Fix: copy the Bot User OAuth Token " +
        "(xoxb-...) from OAuth & Permissions; " +
        "if it was revoked, reinstall the app first\n",
    );
    // No database work: the data directory holds no database (PostgreSQL's PG_VERSION), not even a claim on it.
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(false);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    expect(run.output().stdout).not.toContain("xoxb-wrong-token");
    // The figure for the record: process start (tsx compiles on the fly) to the error line.
    console.info(`wrong token: the error line came ${elapsedMs} ms after the process was started`);
  });

  it("refuses .env.example's placeholders by name", async () => {
    const run = spawnCli(["start"], { ...baseEnv(), SLACK_BOT_TOKEN: "xoxb-your-bot-token", SLACK_APP_TOKEN: "xapp-your-app-level-token" });
    expect(await run.exited).toBe(78);
    const { stderr } = run.output();
    expect(stderr).toContain(
      "SLACK_BOT_TOKEN is still the placeholder from .env.example: copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    );
    expect(stderr).toContain("SLACK_APP_TOKEN is still the placeholder from .env.example");
    expect(slack.callsTo("auth.test").filter((c) => c.params.token === "xoxb-your-bot-token")).toEqual([]);
  });

  it("names PORT when it is in use, before calling Slack", async () => {
    const held = await holdPort();
    const calls = slack.callsTo("auth.test").length;
    try {
      const run = spawnCli(["start"], {
        ...baseEnv(),
        SLACK_BOT_TOKEN: "xoxb-test-token",
        PORT: String(held.port),
        DATA_DIR: path.join(scratch, "port"),
      });
      expect(await run.exited).toBe(1);
      expect(run.output().stderr).toBe(
        `incident-bot cannot start: PORT ${held.port}: is in use by another process (perhaps another incident-bot). Fix: stop ` +
          `that process, or set PORT to a free port\n`,
      );
      expect(slack.callsTo("auth.test")).toHaveLength(calls);
    } finally {
      held.server.close();
    }
  });

  (usingPostgres() ? it.skip : it)("names DATA_DIR when it cannot be written", async () => {
    const file = path.join(scratch, "a-file");
    await writeFile(file, "");
    const run = spawnCli(["start"], { ...baseEnv(), SLACK_BOT_TOKEN: "xoxb-test-token", DATA_DIR: path.join(file, "data") });
    expect(await run.exited).toBe(1);
    expect(run.output().stderr).toMatch(
      new RegExp(
        `^incident-bot cannot start: DATA_DIR ${file}/data: cannot be created or written by this process \\(user id \\d+\\) ` +
          `\\(ENOTDIR\\)\\. Fix: make it writable .*leave DATA_DIR unset so the /data volume is used\\n$`,
      ),
    );
  });

  it("names DATABASE_URL when its password is not percent-encoded", async () => {
    const run = spawnCli(["start"], {
      ...baseEnv(),
      SLACK_BOT_TOKEN: "xoxb-test-token",
      DATABASE_URL: "postgresql://bot:pa/ss@db:5432/incident_bot",
    });
    expect(await run.exited).toBe(78);
    expect(run.output().stderr).toContain(
      "DATABASE_URL is not a valid postgresql://user:password@host:5432/database URL: percent-encode special characters in the password (/ as %2F",
    );
    expect(run.output().stderr).not.toContain("pa/ss");
  });

  it("says which mode was asked for when its token is missing", async () => {
    const run = spawnCli(["start"], { ...baseEnv(), SLACK_BOT_TOKEN: "xoxb-test-token", SLACK_MODE: "socket" });
    expect(await run.exited).toBe(78);
    expect(run.output().stderr).toContain(
      "SLACK_APP_TOKEN is required in Socket Mode (SLACK_MODE=socket): an app-level token (xapp-...) with connections:write",
    );
  });

  describe("warnings that do not stop the bot", () => {
    let database: TestDatabase;
    // The bot's stop() closes the database it was handed.
    beforeEach(async () => (database = await createTestDatabase()));

    it("names missing scopes and what will not work, GitHub's refusals, and an inferred HTTP mode", async () => {
      const fakeSlack = await FakeSlack.start();
      const fakeGitHub = await FakeGitHub.start();
      fakeSlack.scopes = fakeSlack.scopes.filter((s) => s !== "pins:write" && s !== "channels:manage");
      fakeGitHub.missingRepositories.add("acme/incident-reports");
      const { logger, warnings } = capturedLogger();
      const bot = await TestBot.start({ slack: fakeSlack, github: fakeGitHub, database, logger });
      try {
        expect(warnings()).toEqual(
          expect.arrayContaining([
            "the token lacks channels:manage (declaring incidents (creating, inviting to and archiving channels), Join and INVITE_ON_DECLARE), " +
              "pins:write (pinning the live header): that will not work. " +
              "Fix: add them to the app (update it from manifest.json, or OAuth & Permissions -> Scopes), then reinstall it to the workspace (Install App)",
            expect.stringMatching(
              /^REPORTS_REPOSITORY acme\/incident-reports: not found, or the token cannot see it \(404\); action items and publishing will not reach GitHub\. Fix: /,
            ),
            expect.stringMatching(
              /^HTTP mode, because SLACK_SIGNING_SECRET is set without SLACK_APP_TOKEN, and SLACK_MODE is not: .*set SLACK_APP_TOKEN for Socket Mode, or SLACK_MODE=http/,
            ),
          ]),
        );
        expect((await fetch(`${bot.url}/health/ready`)).status).toBe(200);
        // The identity came from start-up's auth.test: Bolt did not ask again.
        expect(fakeSlack.callsTo("auth.test")).toHaveLength(1);
      } finally {
        await bot.stop();
        await fakeSlack.close();
        await fakeGitHub.close();
      }
    });

    it("says nothing of the mode when SLACK_MODE states it, and warns of a GitHub token GitHub refuses", async () => {
      const { logger, warnings } = capturedLogger();
      const bot = await TestBot.start({ slack, github, database, logger, env: { SLACK_MODE: "http", GITHUB_TOKEN: "ghp_revoked" } });
      try {
        expect(warnings().filter((w) => w.includes("HTTP mode, because"))).toEqual([]);
        expect(warnings()).toContain(
          "GITHUB_TOKEN: was refused by GitHub (401 Bad credentials); action items and publishing will not reach GitHub. " +
            "Fix: create a token that can (fine-grained: Issues and Contents read and write on these repositories; classic: the repo " +
            "scope) and set GITHUB_TOKEN",
        );
      } finally {
        await bot.stop();
      }
    });
  });
});

describe("incident-bot doctor", () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase({ onDisk: true });
    // A PostgreSQL test database starts empty: migrated here, as the bot's start or `migrate` would
    // (an embedded one is checked as "not created yet" instead).
    if (usingPostgres()) await (await openDatabase(database.config)).close();
    dataDir = path.join(scratch, "doctor-new");
  });
  afterAll(() => database.dispose());

  const env = (extra: Record<string, string> = {}) => ({
    SLACK_BOT_TOKEN: "xoxb-doctor-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    GITHUB_TOKEN: "ghp_test",
    GITHUB_REPOSITORY: "acme/incidents",
    REPORTS_REPOSITORY: "acme/incident-reports",
    GITHUB_API_URL: github.url,
    UPDATES_CHANNEL: "CUPDATES1",
    TIMEZONE: "Europe/London",
    ...(database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir }),
    ...extra,
  });
  const doctor = (extra: Record<string, string> = {}) => runCli(["doctor"], env(extra));
  const line = (stdout: string, label: string) => stdout.split("\n").find((l) => l.slice(2).startsWith(label));

  beforeEach(() => {
    slack.scopes = [...defaultScopes];
    slack.addChannel("CUPDATES1", "incident-updates");
    slack.channelsWithoutBot.clear();
  });

  it("passes a good configuration: one ✓ line per check, exit 0, no secret printed", async () => {
    const startedAt = performance.now();
    const { code, stdout, stderr } = await doctor();
    const ms = Math.round(performance.now() - startedAt);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Slack: HTTP mode (SLACK_SIGNING_SECRET is set without SLACK_APP_TOKEN, and SLACK_MODE is not)");
    expect(lines.slice(1, -1).every((l) => l.startsWith("✓ "))).toBe(true);
    expect(line(stdout, "SLACK_BOT_TOKEN")).toBe("✓ SLACK_BOT_TOKEN: accepted: incident-bot in Acme");
    expect(line(stdout, "Slack scopes")).toMatch(/^✓ Slack scopes: all \d+ scopes manifest\.json asks for are granted$/);
    expect(line(stdout, "UPDATES_CHANNEL")).toBe("✓ UPDATES_CHANNEL (CUPDATES1): #incident-updates, the bot is a member");
    expect(line(stdout, "GITHUB_TOKEN")).toBe("✓ GITHUB_TOKEN: accepted (classic token)");
    expect(line(stdout, "GITHUB_REPOSITORY")).toBe("✓ GITHUB_REPOSITORY acme/incidents: exists; the token may create issues");
    expect(line(stdout, "REPORTS_REPOSITORY")).toBe("✓ REPORTS_REPOSITORY acme/incident-reports: exists; the token may write files");
    expect(stdout).toMatch(
      /^✓ (DATABASE_URL \(PostgreSQL at .*\): connects; migrations are current|embedded database in .*: not created yet: the bot creates and migrates it when it first starts)$/m,
    );
    expect(line(stdout, "PORT")).toBe("✓ PORT 0: any free port will be used");
    expect(line(stdout, "TIMEZONE")).toMatch(/^✓ TIMEZONE: Europe\/London: times are shown as .* (GMT|BST)/);
    expect(lines.at(-1)).toMatch(/^All essential checks passed: \d+ checks in \d+\.\d s\.$/);
    for (const secret of ["xoxb-doctor-token", SIGNING_SECRET, "ghp_test"]) expect(stdout).not.toContain(secret);
    // Nothing was written on GitHub: a classic token's scopes come in a header.
    expect(github.writes()).toEqual([]);
    console.info(`doctor: ${ms} ms for a configuration that passes (in process, local fakes)`);
  });

  it("fails on a token Slack refuses (invalid_auth), naming the fix", async () => {
    slack.refusedTokens.set("xoxb-doctor-refused", "invalid_auth");
    const { code, stdout } = await doctor({ SLACK_BOT_TOKEN: "xoxb-doctor-refused" });
    expect(code).toBe(1);
    expect(line(stdout, "SLACK_BOT_TOKEN")).toBe(
      "✗ SLACK_BOT_TOKEN: was refused by Slack (invalid_auth). Fix: copy the Bot User OAuth Token (xoxb-...) from OAuth & " +
        "Permissions; if it was revoked, reinstall the app first",
    );
    expect(stdout).toMatch(/^1 essential check\(s\) failed \(\d+ checks in \d+\.\d s\): fix the ✗ lines above, then run doctor again\.$/m);
  });

  it("names scopes the manifest asks for that x-oauth-scopes lacks, and says to reinstall", async () => {
    slack.scopes = slack.scopes.filter((s) => s !== "files:write");
    const { code, stdout } = await doctor();
    expect(code).toBe(1);
    expect(line(stdout, "Slack scopes")).toBe(
      "✗ Slack scopes: the token lacks files:write (the report as a Markdown file): that will not work. " +
        "Fix: add them to the app (update it from manifest.json, or OAuth & Permissions -> Scopes), then reinstall it to the workspace (Install App)",
    );
  });

  it("names the private-channel scopes by what they are for", async () => {
    slack.scopes = slack.scopes.filter((s) => s !== "groups:write" && s !== "groups:read");
    const { code, stdout } = await doctor();
    expect(code).toBe(1);
    expect(line(stdout, "Slack scopes")).toContain(
      "the token lacks groups:write (private incidents (creating private channels and inviting into them)), " +
        "groups:read (who may see private incidents in lists, and the read-in in private channels): that will not work.",
    );
  });

  it("checks the private incidents' repositories, and fails on one that is public", async () => {
    github.publicRepositories.add("acme/security-reports");
    try {
      const privateRepositories = { PRIVATE_GITHUB_REPOSITORY: "acme/security", PRIVATE_REPORTS_REPOSITORY: "acme/security-reports" };
      const { code, stdout } = await doctor(privateRepositories);
      expect(code).toBe(1);
      expect(line(stdout, "PRIVATE_GITHUB_REPOSITORY")).toBe(
        "✓ PRIVATE_GITHUB_REPOSITORY acme/security: exists, private; the token may create issues",
      );
      expect(line(stdout, "PRIVATE_REPORTS_REPOSITORY")).toBe(
        "✗ PRIVATE_REPORTS_REPOSITORY acme/security-reports: is public: private incidents' reports would be readable by anyone, " +
          "so the bot will not write there. Fix: make acme/security-reports private (Settings -> Danger Zone -> Change visibility), " +
          "or set PRIVATE_REPORTS_REPOSITORY to a private repository",
      );
      expect(github.writes()).toEqual([]);
    } finally {
      github.publicRepositories.clear();
    }
  });

  it("says a channel cannot be checked when Slack answers missing_scope, with the scope it needs", async () => {
    slack.scopes = slack.scopes.filter((s) => s !== "channels:read");
    const { code, stdout } = await doctor();
    expect(code).toBe(1);
    expect(line(stdout, "UPDATES_CHANNEL")).toMatch(
      /^✗ UPDATES_CHANNEL \(CUPDATES1\): cannot be checked: the token lacks channels:read,groups:read,mpim:read,im:read \(missing_scope\)\. Fix: add it to the app/,
    );
  });

  it("fails on a channel the bot is not in, or that does not exist", async () => {
    slack.channelsWithoutBot.add("CUPDATES1");
    const notMember = await doctor();
    expect(notMember.code).toBe(1);
    expect(line(notMember.stdout, "UPDATES_CHANNEL")).toBe(
      "✗ UPDATES_CHANNEL (CUPDATES1): the bot is not a member of #incident-updates. Fix: invite it: /invite @incident-bot in #incident-updates",
    );
    const missing = await doctor({ UPDATES_CHANNEL: "CNOSUCH1" });
    expect(line(missing.stdout, "UPDATES_CHANNEL")).toMatch(
      /^✗ UPDATES_CHANNEL \(CNOSUCH1\): no such channel the bot can see\. Fix: set UPDATES_CHANNEL to the id/,
    );
  });

  it("checks the app token in Socket Mode, and leaves no connection open", async () => {
    const socket = await FakeSocketMode.start();
    slack.socketMode = socket;
    try {
      const { stdout } = await doctor({ SLACK_APP_TOKEN: "xapp-1-A0BOT-doctor" });
      expect(stdout.split("\n")[0]).toBe("Slack: Socket Mode (SLACK_APP_TOKEN is set and SLACK_MODE is not)");
      expect(line(stdout, "SLACK_APP_TOKEN")).toBe("✓ SLACK_APP_TOKEN: may open Socket Mode connections");
      expect(socket.openConnections).toBe(0);
      slack.failNext("apps.connections.open", { error: "invalid_auth" });
      const refused = await doctor({ SLACK_APP_TOKEN: "xapp-1-A0BOT-doctor" });
      expect(refused.code).toBe(1);
      expect(line(refused.stdout, "SLACK_APP_TOKEN")).toMatch(
        /^✗ SLACK_APP_TOKEN: was refused by Slack \(invalid_auth\)\. Fix: generate an app-level token with the connections:write scope/,
      );
    } finally {
      slack.socketMode = undefined;
      await socket.close();
    }
  });

  it("fails on a GitHub token GitHub refuses (401)", async () => {
    const { code, stdout } = await doctor({ GITHUB_TOKEN: "ghp_unknown" });
    expect(code).toBe(1);
    expect(line(stdout, "GITHUB_TOKEN")).toMatch(
      /^✗ GITHUB_TOKEN: was refused by GitHub \(401 Bad credentials\)\. Fix: create a token that can/,
    );
    expect(line(stdout, "GITHUB_REPOSITORY")).toMatch(/^✗ GITHUB_REPOSITORY acme\/incidents: not checked: GITHUB_TOKEN was refused/);
  });

  it("fails on a repository that does not exist for the token (404)", async () => {
    github.missingRepositories.add("acme/no-such-repo");
    const { code, stdout } = await doctor({ GITHUB_REPOSITORY: "acme/no-such-repo" });
    expect(code).toBe(1);
    expect(line(stdout, "GITHUB_REPOSITORY")).toBe(
      "✗ GITHUB_REPOSITORY acme/no-such-repo: not found, or the token cannot see it (404). Fix: check the owner/name in GITHUB_REPOSITORY; " +
        "a fine-grained token must list the repository under Repository access",
    );
  });

  it("tells a read-only fine-grained token from one that may write, without writing anything", async () => {
    github.tokens.set("github_pat_readonly", { kind: "fine-grained", issues: "read", contents: "write" });
    github.tokens.set("github_pat_writer", { kind: "fine-grained", issues: "write", contents: "write" });
    const issuesBefore = github.issues.length;
    const readOnly = await doctor({ GITHUB_TOKEN: "github_pat_readonly" });
    expect(readOnly.code).toBe(1);
    expect(line(readOnly.stdout, "GITHUB_TOKEN")).toBe("✓ GITHUB_TOKEN: accepted (fine-grained token)");
    expect(line(readOnly.stdout, "GITHUB_REPOSITORY")).toBe(
      "✗ GITHUB_REPOSITORY acme/incidents: the token may read it but not create issues: GitHub refused (403; needs " +
        "issues=write). Fix: give the token Issues: Read and write on acme/incidents",
    );
    expect(line(readOnly.stdout, "REPORTS_REPOSITORY")).toBe(
      "✓ REPORTS_REPOSITORY acme/incident-reports: exists; the token may write files",
    );
    const writer = await doctor({ GITHUB_TOKEN: "github_pat_writer" });
    expect(writer.code).toBe(0);
    expect(github.issues).toHaveLength(issuesBefore);
    expect([...github.files.keys()].filter((k) => k.includes(".incident-bot-doctor"))).toEqual([]);
  });

  it("fails on a classic token without the repo scope", async () => {
    github.tokens.set("ghp_public_only", { kind: "classic", scopes: ["read:user"] });
    const { code, stdout } = await doctor({ GITHUB_TOKEN: "ghp_public_only" });
    expect(code).toBe(1);
    expect(line(stdout, "GITHUB_REPOSITORY")).toMatch(
      /^✗ GITHUB_REPOSITORY acme\/incidents: the classic token lacks the repo scope \(it has: read:user\), so it cannot create issues\./,
    );
  });

  it("fails on PORT in use by something that is not the bot", async () => {
    const held = await holdPort();
    try {
      const { code, stdout } = await doctor({ PORT: String(held.port) });
      expect(code).toBe(1);
      expect(line(stdout, "PORT")).toBe(
        `✗ PORT ${held.port}: is in use by another process (perhaps another incident-bot). Fix: stop that process, or set PORT to a free port`,
      );
    } finally {
      held.server.close();
    }
  });

  it("reports configuration problems alone, as ✗ lines", async () => {
    const { code, stdout } = await runCli(["doctor"], { SLACK_BOT_TOKEN: "xoxb-your-bot-token", TIMEZONE: "Mars/Olympus" });
    expect(code).toBe(1);
    expect(stdout).toContain("✗ SLACK_BOT_TOKEN is still the placeholder from .env.example");
    expect(stdout).toContain("✗ TIMEZONE should be an IANA time zone");
    expect(stdout).toMatch(/nothing else was checked/);
  });

  (usingPostgres() ? it.skip : it)("asks a running bot about the embedded database instead of opening it a second time", async () => {
    expect(line((await doctor({ DATA_DIR: dataDir })).stdout, "embedded database")).toBe(
      `✓ embedded database in ${dataDir}: not created yet: the bot creates and migrates it when it first starts`,
    );
    const onDisk = await createTestDatabase({ onDisk: true, migrated: true });
    const bot = await TestBot.start({ slack, github, database: onDisk });
    try {
      const { stdout } = await doctor({
        DATA_DIR: onDisk.config.kind === "pglite" ? onDisk.config.dataDir : "",
        PORT: String(bot.bot.port),
      });
      expect(line(stdout, "embedded database")).toMatch(
        /: held by the running bot \(incident-bot start\), process \d+ .*, which answers; migrations are current$/,
      );
      expect(line(stdout, "PORT")).toBe(`✓ PORT ${bot.bot.port}: in use by a running incident-bot (it answers /health/live)`);
    } finally {
      await bot.stop(); // and the database it was handed
    }
  });
});

describe("a wrong SLACK_SIGNING_SECRET", () => {
  it("is logged at warn, naming the variable, at most once a minute with a count", async () => {
    const { logger, records } = capturedLogger();
    const bot = await TestBot.start({ slack, github, logger, env: { SLACK_MODE: "http" } });
    try {
      const body = eventBody({ type: "message", channel: "C1", user: "UBOB", text: "hello", ts: "1.000100" });
      for (let i = 0; i < 3; i++)
        expect((await sendSigned(bot.eventsUrl, body, "application/json", { secret: "the-old-secret" })).status).toBe(401);
      // No Slack headers at all: not Slack with the wrong secret, so not this warning.
      expect((await fetch(bot.eventsUrl, { method: "POST", body, headers: { "content-type": "application/json" } })).status).toBe(401);
      const warnings = records.filter((r) => r.level === 40 && String(r.msg).includes("SLACK_SIGNING_SECRET"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        signatureMismatches: 1,
        msg:
          "1 request(s) with Slack's headers failed signature verification and were answered 401: SLACK_SIGNING_SECRET does not " +
          "match the app's Signing Secret " +
          "(Basic Information -> App Credentials); copy it again and restart",
      });
    } finally {
      await bot.stop();
    }
  });
});
