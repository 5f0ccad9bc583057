// The command line against a database the bot wrote: list, report (Markdown and JSON with the
// full record), and export/import for moving from the embedded database to PostgreSQL.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

function cli(args: string[], database: TestDatabase) {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TIMEZONE: "Europe/London",
    ...(database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir }),
  };
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { cwd: projectRoot, env, encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

let source: TestDatabase;
let target: TestDatabase;
let scratch: string;

beforeAll(async () => {
  source = await createTestDatabase({ onDisk: true });
  target = await createTestDatabase({ onDisk: true });
  scratch = await mkdtemp(path.join(tmpdir(), "incident-bot-cli-"));
  const bot = await TestBot.start({ database: source });
  await bot.command("declare Disk full on the build runners sev3", { user_id: "UALICE" });
  const incident = (await bot.bot.deps.store.listIncidents())[0]!;
  const channel = incident.channelId;
  const base = Math.floor(Date.now() / 1000) - 120;
  await bot.event({ type: "message", channel, user: "UBOB", text: "runners at 100% disk", ts: `${base}.000100` });
  await bot.event({ type: "message", channel, user: "UBOB", text: "pruning docker images", ts: `${base + 1}.000100` });
  await bot.event({ type: "message", subtype: "message_changed", channel, ts: `${base + 2}.000100`, message: { type: "message", user: "UBOB", text: "pruning old docker images", ts: `${base + 1}.000100`, edited: { user: "UBOB", ts: `${base + 2}.000000` } }, previous_message: { type: "message", user: "UBOB", text: "pruning docker images", ts: `${base + 1}.000100` } });
  await bot.event({ type: "message", subtype: "message_deleted", channel, ts: `${base + 3}.000100`, deleted_ts: `${base}.000100`, previous_message: { type: "message", user: "UBOB", text: "runners at 100% disk", ts: `${base}.000100` } });
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
  it("lists incidents", () => {
    const { code, stdout } = cli(["list"], source);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^#1\tresolved\tSEV3\t\d{4}-\d{2}-\d{2} \d{2}:\d{2}\t#inc-\d{8}-disk-full-on-the-build-runners\tDisk full on the build runners$/m);
  });

  it("prints the report as Markdown", () => {
    const { code, stdout } = cli(["report", "1"], source);
    expect(code).toBe(0);
    expect(stdout).toContain("# Incident #1: Disk full on the build runners");
    expect(stdout).toContain("Pruned images and grew the volumes");
    expect(stdout).toContain("Alert at 80% disk on runners");
  });

  it("prints JSON with the report and the full record: every entry, edit history and deleted flag", () => {
    const { code, stdout } = cli(["report", "1", "--format", "json"], source);
    expect(code).toBe(0);
    const { report, record } = JSON.parse(stdout) as {
      report: { markdown: string; metrics: Record<string, unknown> };
      record: { entries: { text: string; kind: string; highlight: boolean; deleted: boolean; revisions: { text: string }[] }[] };
    };
    expect(report.markdown).toContain("# Incident #1");
    const messages = record.entries.filter((e) => e.kind === "message");
    expect(messages).toEqual([
      expect.objectContaining({ text: "runners at 100% disk", deleted: true, highlight: false }),
      expect.objectContaining({ text: "pruning old docker images", deleted: false, revisions: [expect.objectContaining({ text: "pruning docker images" })] }),
    ]);
    expect(record.entries.map((e) => e.kind)).toEqual(expect.arrayContaining(["declared", "action", "resolved"]));
  });

  it("says so for an incident that does not exist, and for bad arguments", () => {
    const missing = cli(["report", "42"], source);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("There is no incident #42");
    const bad = cli(["report", "1", "--format", "pdf"], source);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: incident-bot report <number>");
  });
});

describe("incident-bot export and import", () => {
  it("moves every incident to another database, and numbering continues there", async () => {
    const file = path.join(scratch, "export.json");
    expect(cli(["export", file], source).code).toBe(0);
    const exported = JSON.parse(await readFile(file, "utf8")) as { tables: Record<string, unknown[]> };
    expect(exported.tables.incidents).toHaveLength(1);

    const imported = cli(["import", file], target);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("1 incidents");
    expect(cli(["import", file], target).stdout).toContain("0 incidents"); // again: nothing doubles

    expect(cli(["report", "1", "--format", "json"], target).stdout).toBe(cli(["report", "1", "--format", "json"], source).stdout.replace(/"now":"[^"]*"/, ""));
  }, 120_000);

  it("declares the next incident after the imported ones", async () => {
    const bot = await TestBot.start({ database: target });
    await bot.command("declare First incident after the move");
    expect((await bot.bot.deps.store.listIncidents()).map((i) => i.number)).toEqual([1, 2]);
    await bot.bot.stop();
    await bot.slack.close();
    await bot.github.close();
  });
});
