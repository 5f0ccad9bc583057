// Action items tracked to closure: the GitHub issue's state flows back (a signed webhook, or
// reconciliation with conditional requests), overdue and incomplete items are chased once, and
// `/incident followups` / `incident-bot followups` list what is still open.
import { compileReport } from "../../src/incidents/report/compile.js";
import { formatInZone } from "../../src/incidents/time/format.js";
import { ActionIds } from "../../src/slack/ids.js";
import { runCli } from "../support/cliProcess.js";
import { TestBot } from "../support/testBot.js";
import { createTestDatabase } from "../support/testDatabase.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let bot: TestBot;
let extra: TestBot | undefined;
afterEach(async () => {
  const [running, second] = [bot as TestBot | undefined, extra];
  bot = undefined as unknown as TestBot; // a test that failed to start one must not stop the last test's again
  extra = undefined;
  await second?.bot.stop();
  await running?.stop();
});

/** The bot's (and fake GitHub's) clock: real time moved on by `offset`. */
let offset = 0;
const now = () => new Date(Date.now() + offset);
beforeEach(() => (offset = 0));

/** Up to `ms`, but never past the end of the bot's current day in the team's zone (Europe/London). */
function laterTheSameDay(ms: number): number {
  const [hours = 0, minutes = 0, seconds = 0] = formatInZone(now(), "Europe/London", "HH:mm:ss").split(":").map(Number);
  const leftToday = DAY - ((hours * 60 + minutes) * 60 + seconds) * 1000;
  return Math.max(0, Math.min(ms, leftToday - MINUTE));
}

const channelTexts = (channel: string) =>
  bot.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.params.channel === channel)
    .map((c) => String(c.params.text));

/** A resolved incident with action items: 1 owned by Bob (due `due`), 2 with nobody and no date. */
async function resolvedIncident(options: { due?: string } = {}) {
  bot.github.now = now;
  const incident = await bot.declare("Search cluster red sev2");
  const channel = incident.channelId;
  await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command(`action Alert on unassigned shards @bob${options.due ? ` due ${options.due}` : ""}`, { channel_id: channel });
  await bot.command("action Write the shard recovery runbook", { channel_id: channel });
  await bot.command("resolve Restarted the stuck node", { channel_id: channel, user_id: "UALICE" });
  const items = await bot.bot.deps.actionItems.listActionItems(incident.id);
  expect(items.map((i) => i.issueNumber)).toEqual([expect.any(Number), expect.any(Number)]);
  return { incident: await bot.bot.deps.incidents.getIncident(incident.id), channel, items };
}

async function itemStatus(incidentId: string, number: number) {
  return (await bot.bot.deps.actionItems.listActionItems(incidentId)).find((i) => i.number === number)!.status;
}

async function actionsListed(channel: string) {
  await bot.command("actions", { channel_id: channel });
  return JSON.stringify(bot.slack.responses().at(-1)!.blocks);
}

async function reportActionItems(incidentId: string) {
  const report = compileReport(await bot.bot.deps.incidents.loadRecord(incidentId), { timeZone: "Europe/London", now: now() });
  return report.markdown.split("\n").filter((line) => line.startsWith("- ["));
}

describe("the issue's state flows back by webhook", () => {
  it("closing the issue marks the item done (in /incident actions and the report); reopening opens it again", async () => {
    bot = await TestBot.start({ now });
    const { incident, channel, items } = await resolvedIncident();
    const issue = items[0]!.issueNumber!;

    offset += MINUTE;
    bot.github.setIssueState(issue, "closed");
    const closed = await bot.githubWebhook({ action: "closed", number: issue });
    expect(closed.status).toBe(200);
    expect(await itemStatus(incident.id, 1)).toBe("done");
    expect(await actionsListed(channel)).toContain(":white_check_mark: *1.* Alert on unassigned shards");
    expect(await reportActionItems(incident.id)).toEqual([
      expect.stringMatching(/^- \[x\] Alert on unassigned shards/),
      expect.stringMatching(/^- \[ \] Write the shard recovery runbook/),
    ]);
    expect(channelTexts(channel).filter((t) => t.includes(`Action item 1 is done: its issue`))).toHaveLength(1);
    const entries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter(
      (e) => e.kind === "action" && e.data?.field === "action_item_status",
    );
    const seen = { issue, number: 1, text: "Alert on unassigned shards" };
    expect(entries.map((e) => e.data)).toEqual([{ field: "action_item_status", from: "open", to: "done", ...seen }]);
    expect((await bot.bot.deps.actionItems.listActionItems(incident.id))[0]!.doneAt).toEqual(
      new Date(bot.github.issues.find((i) => i.number === issue)!.closed_at!),
    );

    // A redelivery (same delivery, same body) changes nothing and says nothing.
    const again = await bot.githubWebhook({ action: "closed", number: issue, delivery: closed.delivery, body: closed.payload });
    expect(again.status).toBe(200);
    expect(channelTexts(channel).filter((t) => t.includes(`Action item 1 is done`))).toHaveLength(1);

    offset += MINUTE;
    bot.github.setIssueState(issue, "open");
    expect((await bot.githubWebhook({ action: "reopened", number: issue })).status).toBe(200);
    expect(await itemStatus(incident.id, 1)).toBe("open");
    expect(channelTexts(channel).filter((t) => t.includes("Action item 1 is open again"))).toHaveLength(1);
    expect(await reportActionItems(incident.id)).toEqual([expect.stringMatching(/^- \[ \] Alert on unassigned shards/), expect.anything()]);

    // The old `closed` delivered late (GitHub's "Redeliver"): older than what we know, ignored.
    await bot.githubWebhook({ action: "closed", number: issue, body: closed.payload });
    expect(await itemStatus(incident.id, 1)).toBe("open");
    const statusEntries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.data?.field === "action_item_status");
    expect(statusEntries.map((e) => e.data?.to)).toEqual(["done", "open"]);

    // An item dropped in Slack stays dropped when its issue is closed.
    await bot.press({ action_id: ActionIds.markActionDone, selected_option: { value: `dropped:${items[1]!.id}` } }, "UALICE", channel);
    offset += MINUTE;
    bot.github.setIssueState(items[1]!.issueNumber!, "closed");
    expect((await bot.githubWebhook({ action: "closed", number: items[1]!.issueNumber! })).status).toBe(200);
    expect(await itemStatus(incident.id, 2)).toBe("dropped");
    expect(channelTexts(channel).filter((t) => t.includes("Action item 2 is done"))).toHaveLength(0);
  });

  it("closes the issue when the item is marked done or dropped in Slack, and the webhook that follows changes nothing", async () => {
    bot = await TestBot.start({ now });
    const { incident, channel, items } = await resolvedIncident();
    const issue = (n: number) => bot.github.issues.find((i) => i.number === items[n]!.issueNumber)!;

    offset += MINUTE;
    await bot.press({ action_id: ActionIds.markActionDone, selected_option: { value: `done:${items[0]!.id}` } }, "UALICE", channel);
    await bot.press({ action_id: ActionIds.markActionDone, selected_option: { value: `dropped:${items[1]!.id}` } }, "UALICE", channel);
    expect([issue(0).state, issue(0).state_reason]).toEqual(["closed", "completed"]);
    expect([issue(1).state, issue(1).state_reason]).toEqual(["closed", "not_planned"]);

    // GitHub then tells the bot what it did: the record has it already.
    const notes = channelTexts(channel).length;
    for (const n of [0, 1]) expect((await bot.githubWebhook({ action: "closed", number: items[n]!.issueNumber! })).status).toBe(200);
    expect([await itemStatus(incident.id, 1), await itemStatus(incident.id, 2)]).toEqual(["done", "dropped"]);
    expect(channelTexts(channel)).toHaveLength(notes);
  });

  it("refuses unsigned and wrongly signed deliveries and changes nothing", async () => {
    bot = await TestBot.start({ now });
    const { incident, channel, items } = await resolvedIncident();
    const issue = items[0]!.issueNumber!;
    bot.github.setIssueState(issue, "closed");
    const before = channelTexts(channel).length;
    expect((await bot.githubWebhook({ action: "closed", number: issue, signature: null })).status).toBe(401);
    expect((await bot.githubWebhook({ action: "closed", number: issue, secret: "not-the-secret" })).status).toBe(401);
    expect((await bot.githubWebhook({ action: "closed", number: issue, signature: "sha256=" + "0".repeat(64) })).status).toBe(401);
    expect((await bot.githubWebhook({ action: "closed", number: issue, signature: "sha1=abc" })).status).toBe(401);
    expect(await itemStatus(incident.id, 1)).toBe("open");
    expect(channelTexts(channel)).toHaveLength(before);

    // Other events and actions, other repositories, pings: acknowledged, nothing done.
    expect((await bot.githubWebhook({ event: "ping", action: "", number: issue })).status).toBe(200);
    expect((await bot.githubWebhook({ action: "labeled", number: issue })).status).toBe(204);
    const elsewhere = JSON.stringify({
      action: "closed",
      issue: { number: issue, updated_at: now().toISOString(), state: "closed" },
      repository: { full_name: "mallory/other" },
    });
    expect((await bot.githubWebhook({ action: "closed", number: issue, body: elsewhere })).status).toBe(204);
    expect(await itemStatus(incident.id, 1)).toBe("open");

    // A signed delivery without the fields a followed event needs, or with them in another shape:
    // 400 naming the field, and nothing done.
    const repository = { full_name: "acme/incidents" };
    const malformed: [Record<string, unknown>, string][] = [
      [{ action: "closed", issue: { number: String(issue), updated_at: now().toISOString() }, repository }, "issue.number"],
      [{ action: "closed", issue: { number: issue, updated_at: "yesterday" }, repository }, "issue.updated_at"],
      [{ action: "closed", issue: { number: issue }, repository }, "issue.updated_at"],
      [{ action: "closed", issue: { number: issue, updated_at: now().toISOString() } }, "repository"],
      [{ action: 7, issue: { number: issue }, repository }, "action"],
    ];
    for (const [payload, field] of malformed) {
      const answer = await bot.githubWebhook({ action: "closed", number: issue, body: JSON.stringify(payload) });
      expect([answer.status, (JSON.parse(answer.body) as { error: string }).error]).toEqual([400, expect.stringContaining(`: ${field}: `)]);
    }
    expect(await itemStatus(incident.id, 1)).toBe("open");
    expect(channelTexts(channel)).toHaveLength(before);

    // Too large: refused before anything is read.
    const huge = JSON.stringify({ action: "closed", padding: "x".repeat(1024 * 1024) });
    expect((await bot.githubWebhook({ action: "closed", number: issue, body: huge })).status).toBe(413);
  });

  it("is not served without GITHUB_WEBHOOK_SECRET", async () => {
    bot = await TestBot.start({ env: { GITHUB_WEBHOOK_SECRET: "" } });
    expect((await fetch(`${bot.url}/github/webhook`, { method: "POST", body: "{}" })).status).toBe(404);
  });
});

describe("reconciliation", () => {
  it("finds a closed issue with a conditional read, then gets 304 while nothing changes, and sees a reopen", async () => {
    bot = await TestBot.start({ now });
    const { incident, items } = await resolvedIncident();
    const issue = items[0]!.issueNumber!;
    offset += MINUTE;
    bot.github.setIssueState(issue, "closed");

    offset += 16 * MINUTE; // GITHUB_SYNC_MINUTES is 15 by default
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(await itemStatus(incident.id, 1)).toBe("done");
    const first = bot.github.issueReads(issue);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: 200 });
    expect(first[0]!.ifNoneMatch).toBeUndefined();

    offset += 16 * MINUTE;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    const second = bot.github.issueReads(issue).slice(1);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ status: 304, ifNoneMatch: expect.stringMatching(/^W\/"/) });
    expect(await itemStatus(incident.id, 1)).toBe("done");

    // Before the interval is up, nobody asks again (a second replica included).
    extra = await TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, now });
    await extra.bot.idle();
    expect(bot.github.issueReads(issue)).toHaveLength(2);

    offset += MINUTE;
    bot.github.setIssueState(issue, "open");
    offset += 16 * MINUTE;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(bot.github.issueReads(issue).at(-1)).toMatchObject({ status: 200 });
    expect(await itemStatus(incident.id, 1)).toBe("open");
  });
});

describe("reminders", () => {
  const dmsTo = (user: string) =>
    bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === user)
      .map((c) => String(c.params.text));

  it("reminds the owner of an overdue item once a day, with two replicas", async () => {
    bot = await TestBot.start({ now });
    const tomorrow = formatInZone(new Date(Date.now() + DAY), "Europe/London", "yyyy-MM-dd");
    const { incident } = await resolvedIncident({ due: tomorrow });
    expect(dmsTo("UBOB")).toHaveLength(0);

    offset = 3 * DAY;
    bot = await bot.restart({ now });
    extra = await TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, now });
    await Promise.all([bot.bot.idle(), extra.bot.idle()]);
    const reminders = dmsTo("UBOB").filter((t) => t.includes("Your action item 1 from incident"));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toContain(`was due ${tomorrow}`);
    expect(reminders[0]).toContain(`#${incident.number}`);
    expect(reminders[0]).toContain("https://github.com/acme/incidents/issues/");

    // Later the same day in the team's zone (an hour later, unless midnight comes first).
    offset = 3 * DAY + laterTheSameDay(60 * MINUTE);
    await extra.bot.stop();
    extra = undefined;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(dmsTo("UBOB").filter((t) => t.includes("Your action item 1"))).toHaveLength(1);

    offset = 4 * DAY;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(dmsTo("UBOB").filter((t) => t.includes("Your action item 1"))).toHaveLength(2);
  });

  it("brings items without owner or due date to the tech lead a week after resolve, once", async () => {
    bot = await TestBot.start({ now });
    const { channel } = await resolvedIncident({ due: "2099-01-31" });
    const nudges = () => channelTexts(channel).filter((t) => t.startsWith("<@UBOB>, incident #1 was resolved a week ago"));
    offset = 6 * DAY;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(nudges()).toHaveLength(0);
    offset = 7 * DAY + MINUTE;
    bot = await bot.restart({ now });
    extra = await TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, now });
    await Promise.all([bot.bot.idle(), extra.bot.idle()]);
    expect(nudges()).toHaveLength(1);
    expect(nudges()[0]).toContain("*2.* Write the shard recovery runbook (no owner, no due date)");
    expect(nudges()[0]).not.toContain("Alert on unassigned shards");
    offset = 9 * DAY;
    await extra.bot.stop();
    extra = undefined;
    bot = await bot.restart({ now });
    await bot.bot.idle();
    expect(nudges()).toHaveLength(1);
  });
});

describe("follow-up lists", () => {
  it("/incident followups, mine and overdue work outside incident channels", async () => {
    bot = await TestBot.start({ now });
    const tomorrow = formatInZone(new Date(Date.now() + DAY), "Europe/London", "yyyy-MM-dd");
    const { incident, channel, items } = await resolvedIncident({ due: tomorrow });
    const other = await bot.declare("Login page slow sev3");
    await bot.command("action Cache the session lookup @carol due 2099-06-30", { channel_id: other.channelId });
    await bot.command("action Not worth it", { channel_id: other.channelId });
    const notWorth = (await bot.bot.deps.actionItems.listActionItems(other.id))[1]!;
    await bot.press(
      { action_id: ActionIds.markActionDone, selected_option: { value: `dropped:${notWorth.id}` } },
      "UALICE",
      other.channelId,
    );

    offset = 3 * DAY;
    await bot.command("followups", { channel_id: "CGENERAL", user_id: "UDAVE" });
    const all = JSON.stringify(bot.slack.responses().at(-1));
    expect(all).toContain("Open action items* (3, oldest first)");
    expect(all).toContain(`*#${incident.number}* Search cluster red`);
    expect(all).toContain("Alert on unassigned shards");
    expect(all).toContain(`due ${tomorrow} :warning: *overdue*`);
    expect(all).toContain("3 days old");
    expect(all).toContain(items[0]!.issueUrl!);
    expect(all).toContain("_no owner_");
    expect(all).toContain("Cache the session lookup");
    expect(all).not.toContain("Not worth it");

    await bot.command("followups mine", { channel_id: "CGENERAL", user_id: "UCAROL" });
    const mine = JSON.stringify(bot.slack.responses().at(-1));
    expect(mine).toContain("Your open action items* (1");
    expect(mine).toContain("Cache the session lookup");
    expect(mine).not.toContain("Alert on unassigned shards");

    await bot.command("followups overdue", { channel_id: channel, user_id: "UDAVE" });
    const overdue = JSON.stringify(bot.slack.responses().at(-1));
    expect(overdue).toContain("Overdue action items* (1");
    expect(overdue).toContain("Alert on unassigned shards");
    expect(overdue).not.toContain("Cache the session lookup");

    await bot.command("followups someday", { channel_id: "CGENERAL", user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("“someday” is not a kind of follow-up list.");
    expect(bot.lastReply()).toContain("/incident followups [mine|overdue]");
  });

  it("keeps a long list within Slack's limits and says how many more", async () => {
    bot = await TestBot.start({ now });
    const incident = await bot.declare("Many loose ends sev4");
    for (let i = 1; i <= 30; i++)
      await bot.command(`action Loose end number ${i} ${"word ".repeat(200)}`, { channel_id: incident.channelId });
    await bot.command("followups", { channel_id: "CGENERAL", user_id: "UDAVE" });
    const reply = bot.slack.responses().at(-1)!;
    const blocks = reply.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) expect((block.text?.text ?? "").length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(blocks.at(-1))).toContain("…and 5 more.");
  });
});

describe("incident-bot followups", () => {
  it("prints the open items, --mine and --overdue; usage errors exit 2", async () => {
    // On disk, the embedded database belongs to the running bot: the CLI goes through it (PostgreSQL: in-process).
    const database = await createTestDatabase({ onDisk: true, migrated: true });
    bot = await TestBot.start({ database, now });
    await resolvedIncident({ due: "2099-01-31" });
    const env = {
      LOG_LEVEL: "silent",
      ...(database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir }),
    };
    const all = await runCli(["followups"], env);
    expect(all).toMatchObject({ code: 0 });
    expect(all.stdout).toContain("Alert on unassigned shards");
    expect(all.stdout).toContain("Write the shard recovery runbook");
    expect(all.stdout).toContain("(UBOB)\t2099-01-31\t0d\thttps://github.com/acme/incidents/issues/");
    const mine = await runCli(["followups", "--mine", "UCAROL"], env);
    expect(mine).toMatchObject({ code: 0, stdout: "No open action items.\n" });
    const overdue = await runCli(["followups", "--overdue"], env);
    expect(overdue).toMatchObject({ code: 0, stdout: "No action item is overdue.\n" });
    expect((await runCli(["followups", "--mine", "bob"], env)).code).toBe(2);
    expect((await runCli(["followups", "extra"], env)).code).toBe(2);
    expect((await runCli(["followups", "--help"], env)).stdout).toContain("incident-bot followups [--mine <slack user id>] [--overdue]");
  });
});
