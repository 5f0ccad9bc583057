// Names in reports: people's display names instead of Slack ids, cached in the database so a second
// report (or another replica, or the CLI, which cannot ask Slack) needs no lookup; refreshed by
// Slack's user_change event and after a day. Through the signed receiver with fake Slack.
import { loadReport } from "../../src/incidents/report/review.js";
import { runCli } from "../support/cliProcess.js";
import { postPinned } from "../support/slackMessages.js";
import { createTestDatabase, type TestDatabase } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const secondsAgo = (seconds: number, seq: number) => `${Math.floor(Date.now() / 1000) - seconds}.${String(seq).padStart(6, "0")}`;
const lookups = (user: string) => bot!.slack.callsTo("users.info").filter((c) => c.params.user === user).length;

/** A user_change event as Slack sends it (https://docs.slack.dev/reference/events/user_change/). */
function userChange(id: string, name: string, realName: string, displayName: string) {
  return {
    type: "user_change",
    user: {
      id,
      team_id: "T0ACME",
      name,
      deleted: false,
      color: "4bbe2e",
      real_name: realName,
      tz: "Europe/London",
      tz_label: "British Summer Time",
      tz_offset: 3600,
      profile: {
        title: "",
        phone: "",
        skype: "",
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        fields: {},
        status_text: "",
        status_emoji: "",
        first_name: realName.split(" ")[0],
        last_name: realName.split(" ")[1] ?? "",
      },
      is_admin: false,
      is_owner: false,
      is_bot: false,
      updated: Math.floor(Date.now() / 1000),
    },
    cache_ts: Math.floor(Date.now() / 1000),
    event_ts: `${Date.now() / 1000}`,
  };
}

async function incidentWithMentions() {
  const b = bot!;
  b.slack.users.set("W0GRID", { id: "W0GRID", name: "erin", real_name: "Erin Enterprise", display_name: "" });
  b.slack.users.set("UFRANK", { id: "UFRANK", name: "frank", real_name: "Frank Fisher", display_name: "Frankie" });
  await b.command("declare Queue backlog on the payments workers sev2", { user_id: "UALICE" });
  await b.command("declare Unrelated DNS blip sev4", { user_id: "UDAVE" });
  const [incident, other] = await b.bot.deps.incidents.listIncidents();
  const channel = incident!.channelId;
  await b.command("role tech-lead @bob", { channel_id: channel });
  const ts = secondsAgo(60, 1);
  // Frank and Erin (an Enterprise Grid W… id) are only mentioned; the other incident's channel is linked without a label.
  await postPinned(b, channel, { user: "UCAROL", text: `<@UFRANK> and <@W0GRID> rolled back the deploy; see <#${other!.channelId}|>`, ts });
  return { incident: incident!, other: other! };
}

describe("names in the report", () => {
  it("shows display names of authors and of people only mentioned, and incident channels by name", async () => {
    bot = await TestBot.start();
    const { incident, other } = await incidentWithMentions();
    const { compiled, userNames } = await loadReport(bot.bot.deps, incident.id);
    expect(userNames).toMatchObject({ UALICE: "alice", UBOB: "bob", UCAROL: "carol", UFRANK: "Frankie", W0GRID: "Erin Enterprise" });
    expect(compiled.sections.timeline.markdown).toContain(
      `@carol: @Frankie and @Erin Enterprise rolled back the deploy; see #${other.channelName}`,
    );
    expect(compiled.markdown).toContain("| Tech lead | @bob |");
    expect(compiled.markdown).not.toMatch(/\b[UW]0?[A-Z]{3,}\b(?<!UTC)/);
  });

  it("asks Slack once per person: later reports, another process and the CLI read the names from the database", async () => {
    const database: TestDatabase = await createTestDatabase({ onDisk: true, migrated: true });
    bot = await TestBot.start({ database });
    const { incident } = await incidentWithMentions();
    await loadReport(bot.bot.deps, incident.id);
    await loadReport(bot.bot.deps, incident.id);
    expect(lookups("UFRANK")).toBe(1);
    expect(lookups("W0GRID")).toBe(1);

    // A new process (a deploy, another replica) has no names in memory: the database has them.
    bot = await bot.restart();
    await loadReport(bot.bot.deps, incident.id);
    expect(lookups("UFRANK")).toBe(1);

    // The CLI, which never talks to Slack, shows them too.
    await bot.bot.stop();
    const { code, stdout } = await runCli(["report", String(incident.number)], {
      TIMEZONE: "Europe/London",
      LOG_LEVEL: "silent",
      ...(database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir }),
    });
    expect(code).toBe(0);
    expect(stdout).toContain("@carol: @Frankie and @Erin Enterprise rolled back the deploy");
    expect(stdout).toContain("| Tech lead | @bob |");
    expect(stdout).not.toContain("UFRANK");
    await Promise.all([bot.slack.close(), bot.github.close()]);
    await database.dispose();
    bot = undefined;
  }, 60_000);

  it("follows a profile change from Slack's user_change event without asking Slack, and only for people it has seen", async () => {
    bot = await TestBot.start();
    const { incident } = await incidentWithMentions();
    await loadReport(bot.bot.deps, incident.id);
    const before = bot.slack.callsTo("users.info").length;

    const response = await bot.event(userChange("UFRANK", "frank", "Frank Fisher", "Frank F."));
    expect(response.status).toBe(200);
    await bot.event(userChange("UZED", "zed", "Zed Zimmer", "zed"));
    const { userNames } = await loadReport(bot.bot.deps, incident.id);
    expect(userNames.UFRANK).toBe("Frank F.");
    expect(bot.slack.callsTo("users.info").length).toBe(before);
    expect(await bot.bot.deps.people.knownNames(["UZED"])).toEqual({});

    // An emptied display name falls back to the real name.
    await bot.event(userChange("UFRANK", "frank", "Frank Fisher", ""));
    expect((await loadReport(bot.bot.deps, incident.id)).userNames.UFRANK).toBe("Frank Fisher");
  });

  it("reads names again from Slack after a day", async () => {
    bot = await TestBot.start();
    const { incident } = await incidentWithMentions();
    await loadReport(bot.bot.deps, incident.id);
    bot.slack.users.set("UFRANK", { id: "UFRANK", name: "frank", real_name: "Frank Fisher", display_name: "Franklin" });
    bot = await bot.restart({ now: () => new Date(Date.now() + 25 * 3_600_000) });
    const { userNames } = await loadReport(bot.bot.deps, incident.id);
    expect(userNames.UFRANK).toBe("Franklin");
    expect(lookups("UFRANK")).toBe(2);
  });
});
