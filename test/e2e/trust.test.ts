// Only the right people, only the right words, and nothing twice: the role policy (who may assign
// roles, resolve, reopen), the break-glass admins, `/incident help` generated from the policy,
// typed broadcast mentions never re-posted live, and replayed commands handled once.
import { TestBot } from "../support/testBot.js";

let bot: TestBot;

beforeAll(async () => {
  bot = await TestBot.start({ env: { INCIDENT_ADMINS: "UCAROL,SSREADMINS" } });
  bot.slack.usergroups.set("SSREADMINS", ["UERIN"]);
  bot.slack.users.set("UERIN", { id: "UERIN", name: "erin", real_name: "Erin Evans" });
});
afterAll(() => bot?.stop());

const declare = (title: string) => bot.declare(title);

/** Everything the bot sent to Slack since `from`: posted messages, updates, ephemeral answers. */
const sentSince = (from: number) =>
  bot.slack.calls.slice(from).filter((c) => ["chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"].includes(c.method));

describe("the role policy", () => {
  it("refuses a role grab by someone who is not the commander: said privately, nothing written or announced", async () => {
    const incident = await declare("Role grab attempt sev3");
    const [entriesBefore, callsBefore] = [(await bot.bot.deps.incidents.listEntries(incident.id)).length, bot.slack.calls.length];
    await bot.command("role tech-lead @dave", { channel_id: incident.channelId, user_id: "UDAVE" });
    expect(bot.lastReply()).toBe(
      "Only the incident commander or an incident admin (now <@UALICE> as incident commander) can assign roles. Nothing was changed.",
    );
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).roles).toEqual({ commander: "UALICE" });
    expect(await bot.bot.deps.incidents.listEntries(incident.id)).toHaveLength(entriesBefore);
    expect(sentSince(callsBefore).map((c) => c.method)).toEqual(["response_url"]);
    // Without the role, the approval that follows from it is not theirs either.
    await bot.command("role commander @dave", { channel_id: incident.channelId, user_id: "UDAVE" });
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).roles.commander).toBe("UALICE");
  });

  it("lets the commander hand over the command, after which they assign nothing", async () => {
    const incident = await declare("Commander hand-over sev3");
    await bot.command("role commander @bob", { channel_id: incident.channelId, user_id: "UALICE" });
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).roles.commander).toBe("UBOB");
    await bot.command("role scribe @alice", { channel_id: incident.channelId, user_id: "UALICE" });
    expect(bot.lastReply()).toContain("Only the incident commander or an incident admin (now <@UBOB> as incident commander)");
    await bot.command("role scribe @alice", { channel_id: incident.channelId, user_id: "UBOB" });
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).roles).toEqual({ commander: "UBOB", scribe: "UALICE" });
  });

  it("lets incident admins assign roles: a listed user, and a member of a listed user group", async () => {
    const incident = await declare("Break-glass role change sev2");
    await bot.command("role tech-lead @carol", { channel_id: incident.channelId, user_id: "UCAROL" });
    await bot.command("role commander @erin", { channel_id: incident.channelId, user_id: "UERIN" });
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).roles).toEqual({ commander: "UERIN", tech_lead: "UCAROL" });
    expect(bot.slack.callsTo("usergroups.users.list").map((c) => c.params.usergroup)).toContain("SSREADMINS");
  });

  it("leaves resolving and reopening to the commander or the tech lead, and everything else to anyone", async () => {
    const incident = await declare("Who resolves sev3");
    await bot.command("severity sev2", { channel_id: incident.channelId, user_id: "UDAVE" });
    await bot.command("status identified", { channel_id: incident.channelId, user_id: "UDAVE" });
    await bot.command("log restarted the workers", { channel_id: incident.channelId, user_id: "UDAVE" });
    expect(await bot.bot.deps.incidents.getIncident(incident.id)).toMatchObject({ severity: "sev2", status: "identified" });

    for (const [text, command] of [
      ["resolve", "/incident"],
      ["", "/resolve"],
      ["status resolved", "/incident"],
    ] as const) {
      await bot.command(text, { channel_id: incident.channelId, user_id: "UDAVE", command });
      expect(bot.lastReply()).toBe(
        "Only the incident commander or the tech lead (now <@UALICE> as incident commander) can resolve the incident. Nothing was changed.".replace(
          "resolve the incident",
          text.startsWith("status") ? "resolve or reopen the incident" : "resolve the incident",
        ),
      );
    }
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).status).toBe("identified");
    await bot.command("resolve", { channel_id: incident.channelId, user_id: "UALICE" });
    await bot.command("status monitoring", { channel_id: incident.channelId, user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("can resolve or reopen the incident");
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).status).toBe("resolved");
  });

  it("states the policy in /incident help, generated from the same table", async () => {
    await bot.command("help");
    const help = bot.lastReply();
    expect(help).toContain(
      "• `/incident role commander|tech-lead|liaison|scribe @user`, e.g. `/incident role tech-lead @alice` (the incident commander or an incident admin)",
    );
    expect(help).toContain("• `/incident resolve [how it was resolved]` (or `/resolve`) (the incident commander or the tech lead)");
    const status = "• `/incident status investigating|identified|monitoring|resolved`";
    expect(help).toContain(`${status} (resolving or reopening: the incident commander or the tech lead)\n`);
    expect(help).toContain("• `/incident update <text>` (an update for stakeholders), `/incident update public <text>`");
    expect(help).toContain("(for customers: you see it before it is published) (the communication liaison or the incident commander)");
    expect(help).toContain("• `/incident log [at <time>] <text>`, e.g. `/incident log at 17:40 rolled back to v1.2.3`\n");
  });
});

describe("text people typed is not re-posted as a broadcast", () => {
  it("shows @channel, @here, @everyone and user groups as plain words in every message the bot sends, and stores them as typed", async () => {
    const from = bot.slack.calls.length;
    const incident = await declare("Checkout down <!everyone> sev2");
    const channel = { channel_id: incident.channelId };
    await bot.command("summary Checkout is failing <!channel> please look", channel);
    await bot.command("action Page <!subteam^S0SRE|@sre-oncall> on every 5xx spike <!here>", channel);
    await bot.command("actions", channel);
    await bot.command("resolve Rolled back <!channel>", channel);
    await bot.command("log paged <!here>", channel);

    const sent = JSON.stringify(sentSince(from).map((c) => c.params));
    expect(sent).toContain("Checkout is failing @channel please look");
    expect(sent).toContain("Page @sre-oncall on every 5xx spike @here");
    expect(sent).not.toMatch(/<!(channel|here|everyone|subteam)/);
    const stored = await bot.bot.deps.incidents.getIncident(incident.id);
    expect(stored.summary).toBe("Checkout is failing <!channel> please look");
  });
});

describe("secrets in a declared title", () => {
  it("are redacted before the title is stored or becomes a channel name", async () => {
    const token = `ghp_${"Ab3".repeat(12)}`;
    await bot.command(`declare Deploy broke after rotating ${token} sev2`);
    const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    expect(incident.title).toBe("Deploy broke after rotating [REDACTED]");
    expect(incident.channelName).not.toContain(token.toLowerCase());
    expect(JSON.stringify(bot.slack.calls)).not.toContain(token);
  });
});

describe("a replayed request (same trigger id) is handled once", () => {
  it("declares one channel and one incident", async () => {
    const before = (await bot.bot.deps.incidents.listIncidents()).length;
    const creates = bot.slack.callsTo("conversations.create").length;
    await bot.command("declare Replayed declaration sev3", { trigger_id: "trigger-declare-replayed" });
    await bot.command("declare Replayed declaration sev3", { trigger_id: "trigger-declare-replayed" });
    await bot.command("declare Replayed declaration sev3", { trigger_id: "trigger-declare-replayed" }, { retryNum: 1 });
    expect(await bot.bot.deps.incidents.listIncidents()).toHaveLength(before + 1);
    expect(bot.slack.callsTo("conversations.create")).toHaveLength(creates + 1);
  });

  it("stores and announces a summary and an action item once", async () => {
    const incident = await declare("Replayed changes sev3");
    const channel = { channel_id: incident.channelId };
    const announcements = () =>
      bot.slack
        .callsTo("chat.postMessage")
        .filter((c) => c.params.channel === incident.channelId && !c.params.blocks)
        .map((c) => String(c.params.text));
    const before = announcements().length;
    for (let i = 0; i < 2; i++) {
      await bot.command("summary Replayed summary text", { ...channel, trigger_id: "trigger-summary-replayed" });
      await bot.command("action Replayed action item", { ...channel, trigger_id: "trigger-action-replayed" });
    }
    expect(announcements().slice(before)).toEqual([
      "<@UALICE> set the summary: Replayed summary text",
      "<@UALICE> added action item 1: Replayed action item",
    ]);
    expect(await bot.bot.deps.actionItems.listActionItems(incident.id)).toHaveLength(1);
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "summary")).toHaveLength(1);
  });
});
