// The command line against a database the bot wrote: list, report (Markdown and JSON with the
// full record), export/import for moving from the embedded database to PostgreSQL, and the
// command line's own manners (help, version, one-line errors). In-process through main(argv).
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../support/cliProcess.js";
import { createTestDatabase, usingPostgres, type TestDatabase } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";

const databaseEnv = (database: TestDatabase): Record<string, string> =>
  database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir };
const cli = (args: string[], database: TestDatabase) =>
  runCli(args, { TIMEZONE: "Europe/London", LOG_LEVEL: "silent", ...databaseEnv(database) });

let source: TestDatabase;
let target: TestDatabase;
let scratch: string;

beforeAll(async () => {
  source = await createTestDatabase({ onDisk: true, migrated: true });
  target = await createTestDatabase({ onDisk: true });
  scratch = await mkdtemp(path.join(tmpdir(), "incident-bot-cli-"));
  const bot = await TestBot.start({ database: source });
  await bot.command("declare Disk full on the build runners sev3", { user_id: "UALICE" });
  const incident = (await bot.bot.deps.incidents.listIncidents())[0]!;
  const channel = incident.channelId;
  const base = Math.floor(Date.now() / 1000) - 120;
  await bot.event({ type: "message", channel, user: "UBOB", text: "runners at 100% disk", ts: `${base}.000100` });
  await bot.event({ type: "message", channel, user: "UBOB", text: "pruning docker images", ts: `${base + 1}.000100` });
  await bot.event({
    type: "message",
    subtype: "message_changed",
    channel,
    ts: `${base + 2}.000100`,
    message: {
      type: "message",
      user: "UBOB",
      text: "pruning old docker images",
      ts: `${base + 1}.000100`,
      edited: { user: "UBOB", ts: `${base + 2}.000000` },
    },
    previous_message: { type: "message", user: "UBOB", text: "pruning docker images", ts: `${base + 1}.000100` },
  });
  await bot.event({
    type: "message",
    subtype: "message_deleted",
    channel,
    ts: `${base + 3}.000100`,
    deleted_ts: `${base}.000100`,
    previous_message: { type: "message", user: "UBOB", text: "runners at 100% disk", ts: `${base}.000100` },
  });
  await bot.command("action Alert at 80% disk on runners", { channel_id: channel });
  await bot.command("resolve Pruned images and grew the volumes", { channel_id: channel });
  await bot.bot.stop(); // the CLI opens the same embedded database, which one process holds at a time
  await bot.slack.close();
  await bot.github.close();
}, 120_000);

afterAll(async () => {
  await source.dispose();
  await target.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe("incident-bot list and report", () => {
  it("lists incidents", async () => {
    const { code, stdout } = await cli(["list"], source);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^#1\tresolved\tSEV3\t\d{4}-\d{2}-\d{2} \d{2}:\d{2}\t#inc-\d{8}-disk-full-on-the-build-runners\tDisk full on the build runners$/m,
    );
  });

  it("prints the report as Markdown", async () => {
    const { code, stdout } = await cli(["report", "1"], source);
    expect(code).toBe(0);
    expect(stdout).toContain("# Incident #1: Disk full on the build runners");
    expect(stdout).toContain("Pruned images and grew the volumes");
    expect(stdout).toContain("Alert at 80% disk on runners");
  });

  it("prints JSON with the report and the full record: every entry, edit history and deleted flag", async () => {
    const { code, stdout } = await cli(["report", "1", "--format", "json"], source);
    expect(code).toBe(0);
    const { report, record } = JSON.parse(stdout) as {
      report: { markdown: string; metrics: Record<string, unknown> };
      record: { entries: { text: string; kind: string; highlight: boolean; deleted: boolean; revisions: { text: string }[] }[] };
    };
    expect(report.markdown).toContain("# Incident #1");
    const messages = record.entries.filter((e) => e.kind === "message");
    expect(messages).toEqual([
      expect.objectContaining({ text: "runners at 100% disk", deleted: true, highlight: false }),
      expect.objectContaining({
        text: "pruning old docker images",
        deleted: false,
        revisions: [expect.objectContaining({ text: "pruning docker images" })],
      }),
    ]);
    expect(record.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(["declared", "action", "resolved"]));
  });

  it("says so for an incident that does not exist, and for bad arguments", async () => {
    const missing = await cli(["report", "42"], source);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("There is no incident #42");
    const bad = await cli(["report", "1", "--format", "pdf"], source);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: incident-bot report <number>");
  });
});

describe("incident-bot export and import", () => {
  it("moves every incident to another database, and numbering continues there", async () => {
    const file = path.join(scratch, "export.json");
    expect((await cli(["export", file], source)).code).toBe(0);
    const exported = JSON.parse(await readFile(file, "utf8")) as { tables: Record<string, unknown[]> };
    expect(exported.tables.incidents).toHaveLength(1);

    const imported = await cli(["import", file], target);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("1 incidents");
    expect((await cli(["import", file], target)).stdout).toContain("0 incidents"); // again: nothing doubles

    expect((await cli(["report", "1", "--format", "json"], target)).stdout).toBe(
      (await cli(["report", "1", "--format", "json"], source)).stdout.replace(/"now":"[^"]*"/, ""),
    );
  }, 120_000);

  it("declares the next incident after the imported ones", async () => {
    const bot = await TestBot.start({ database: target });
    await bot.command("declare First incident after the move");
    expect((await bot.bot.deps.incidents.listIncidents()).map((i) => i.number)).toEqual([1, 2]);
    await bot.bot.stop();
    await bot.slack.close();
    await bot.github.close();
  });
});

describe("the command line's manners", () => {
  const env = () => ({ TIMEZONE: "Europe/London", LOG_LEVEL: "silent", ...databaseEnv(source) });

  it("has --help, -h, help after a command, and --version", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const { code, stdout } = await runCli(args, env());
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: incident-bot <command>/);
      expect(stdout).toMatch(/^ {2}report <number> \[--format markdown\|json\] +print an incident's current report/m);
    }
    const version = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
    expect(await runCli(["--version"], env())).toEqual({ code: 0, stdout: `incident-bot ${version.version}\n`, stderr: "" });
    const start = await runCli(["start", "--help"], env());
    expect(start).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: incident-bot start\n/) });
  });

  it("answers `export --help` with help and writes no file", async () => {
    const cwd = process.cwd();
    const here = await mkdtemp(path.join(tmpdir(), "incident-bot-cwd-"));
    process.chdir(here);
    try {
      const { code, stdout } = await runCli(["export", "--help"], env());
      expect(code).toBe(0);
      expect(stdout).toMatch(/^Usage: incident-bot export \[file\]/);
      await expect(stat(path.join(here, "--help"))).rejects.toThrow();
    } finally {
      process.chdir(cwd);
      await rm(here, { recursive: true, force: true });
    }
  });

  it.each([
    [["launch"], /^incident-bot: “launch” is not an incident-bot command\. Usage: incident-bot <command> \(see --help\)\.\n$/],
    [["list", "--verbose"], /^incident-bot: Unknown option '--verbose'\. Usage: incident-bot list \(see --help\)\.\n$/],
    [
      ["report"],
      /^incident-bot: incident-bot report needs <number>\. Usage: incident-bot report <number> \[--format markdown\|json\] \(see --help\)\.\n$/,
    ],
    [["report", "one"], /^incident-bot: “one” is not an incident number\./],
    [["import"], /^incident-bot: incident-bot import needs <file>\./],
    [["start", "now"], /^incident-bot: incident-bot start takes no arguments; got “now”\./],
    [[], /^Usage: incident-bot <command>/],
  ])("%j is a usage error: exit 2, one line", async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, env());
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(message);
    if (args.length) expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("says in one line, without a stack trace, that an import file is missing or is not JSON", async () => {
    const missing = await runCli(["import", path.join(scratch, "nope.json")], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`incident-bot import failed: cannot read ${path.join(scratch, "nope.json")}: no such file\n`);
    const garbage = path.join(scratch, "garbage.json");
    await writeFile(garbage, "{ not json");
    const bad = await runCli(["import", garbage], env());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^That file is not JSON \(.+\); give a file written by `incident-bot export`\.\n$/);
    const wrongFormat = path.join(scratch, "other.json");
    await writeFile(wrongFormat, JSON.stringify({ format: "something-else" }));
    const other = await runCli(["import", wrongFormat], env());
    expect(other).toMatchObject({
      code: 1,
      stderr: "incident-bot import failed: Not an incident-bot export (format something-else); expected incident-bot-export/1.\n",
    });
  });

  (usingPostgres() ? it.skip : it)("says in one line that a data directory cannot be created, instead of hanging", async () => {
    const { code, stderr } = await runCli(["list"], { DATA_DIR: "/proc/incident-bot-cannot-be-here", LOG_LEVEL: "silent" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^incident-bot list failed: .*\/proc\/incident-bot-cannot-be-here/);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("incident-bot import is honest about what it cannot load", () => {
  /** An export of `source` with `change` applied, written to a file; the path. */
  async function exportFile(
    name: string,
    change: (file: { format: string; tables: Record<string, Record<string, unknown>[]> }) => unknown,
  ) {
    const exported = JSON.parse((await cli(["export"], source)).stdout) as {
      format: string;
      tables: Record<string, Record<string, unknown>[]>;
    };
    const file = path.join(scratch, name);
    await writeFile(file, JSON.stringify(change(exported) ?? exported));
    return file;
  }
  /** An incident that is in no database yet: refused files carry it, so finding it would mean something was written. */
  const newIncident = (file: { tables: Record<string, Record<string, unknown>[]> }) => {
    const incident: Record<string, unknown> = {
      ...file.tables.incidents![0]!,
      id: "inc-from-the-future",
      number: 99,
      channelId: "CFUTURE99",
      channelName: "inc-from-the-future",
    };
    file.tables.incidents!.push(incident);
    return incident;
  };

  it.each([
    [
      "a newer format",
      "newer.json",
      (f: { format: string }) => void (f.format = "incident-bot-export/2"),
      /^incident-bot import failed: This export was written by a newer incident-bot \(format 2; this one reads format 1\): upgrade first, then import\.\n$/,
    ],
    [
      "an unknown table",
      "table.json",
      (f: { tables: Record<string, unknown[]> }) => void (f.tables.auditLog = [{ id: 1 }]),
      /^incident-bot import failed: This export has tables this incident-bot does not know \(auditLog\): .*upgrade first\. Nothing was imported\.\n$/,
    ],
    [
      "unknown columns",
      "column.json",
      (f: { tables: Record<string, Record<string, unknown>[]> }) => {
        newIncident(f).priority = "P1";
        f.tables.actionItems![0]!.labels = ["x"];
      },
      /^incident-bot import failed: This export has columns this incident-bot does not know \(incidents\.priority, actionItems\.labels\): .*upgrade first\. Nothing was imported\.\n$/,
    ],
  ])("refuses %s in one line and writes nothing", async (_what, name, change, message) => {
    const file = await exportFile(name, (f) => {
      newIncident(f);
      (change as (f: unknown) => void)(f);
    });
    const before = (await cli(["list"], target)).stdout;
    const result = await cli(["import", file], target);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(message);
    expect((await cli(["list"], target)).stdout).toBe(before);
  });

  it.each([
    [
      "null",
      "null",
      /^incident-bot import failed: Not an incident-bot export \(the file holds null\); give a file written by `incident-bot export`\.\n$/,
    ],
    ["a list", "[]", /^incident-bot import failed: Not an incident-bot export \(the file holds a list\)/],
    [
      "a truncated file",
      '{"format":"incident-bot-export/1","tables":{"incidents":[{"id":',
      /^That file is not JSON \(it ends part way: was it copied in full\?\); give a file written by `incident-bot export`\.\n$/,
    ],
    ["an empty file", "", /^That file is not JSON \(it is empty\)/],
    [
      "a table that is not a list",
      '{"format":"incident-bot-export/1","tables":{"incidents":{}}}',
      /^incident-bot import failed: Table incidents in this export is an object, not a list of rows/,
    ],
  ])("answers %s with one line", async (_what, content, message) => {
    const file = path.join(scratch, `malformed-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, content);
    const result = await cli(["import", file], target);
    expect(result).toMatchObject({ code: 1, stdout: "" });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
