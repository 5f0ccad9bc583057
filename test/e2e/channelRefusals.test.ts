// The truth when Slack refuses because of the channel, a permission or a workspace rule: the
// change is recorded, the steps after it still happen (resolve opens the GitHub issues), the person
// hears privately what Slack refused and what to do, and the operator's log says the same in one
// warn line without a stack trace. Slack's codes as its Web API sends them (the fake answers with
// them): not_in_channel, is_archived, channel_not_found, missing_scope (with `needed` and
// `provided`), restricted_action.
import type { Incident } from "../../src/incidents/model.js";
import { ActionIds, BlockIds } from "../../src/slack/ids.js";
import { TestBot, type LogEntry } from "../support/testBot.js";

let bot: TestBot;
afterEach(() => bot?.stop());

const declare = (title = "Payments API timing out sev2"): Promise<Incident> => bot.declare(title);

const WRONG = /problem on our side/;
const current = (incident: Incident) => bot.bot.deps.incidents.getIncident(incident.id);
/** The warn lines about Slack's refusals: one per thing not shown, none with a stack trace. */
const refusalLogs = (code: string) => bot.logs.filter((entry) => entry.slackError === code);
const expectWarnWithoutStack = (entries: LogEntry[]) => {
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    expect(entry.level).toBe(40);
    expect(entry.err).toBeUndefined();
  }
};

describe("the bot removed from the incident channel (not_in_channel)", () => {
  it("records the summary and tells the person, privately, to invite the bot back", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    bot.slack.removeBot(incident.channelId);

    await bot.command("summary Card payments time out for 30% of customers", { channel_id: incident.channelId });
    expect((await current(incident)).summary).toBe("Card payments time out for 30% of customers");
    const reply = bot.lastReply();
    expect(reply).not.toMatch(WRONG);
    expect(reply).toContain(`Recorded, but Slack refused to show the pinned summary: the bot is not a member of <#${incident.channelId}>`);
    expect(reply).toContain("Invite it with `/invite @incident-bot` in that channel.");
    expect(reply).toContain("The pinned summary catches up with the incident's next change.");
    expect(reply).toContain("Recorded, but Slack refused to post the note about it");
    expectWarnWithoutStack(refusalLogs("not_in_channel"));
    expect(refusalLogs("not_in_channel")[0]!.msg).toContain("`/invite @incident-bot`");

    // Invited back: the next change updates the header, which shows the summary recorded meanwhile.
    bot.slack.channelsWithoutBot.delete(incident.channelId);
    await bot.command("severity sev1", { channel_id: incident.channelId });
    const header = bot.slack.accepted("chat.update").at(-1)!;
    expect(JSON.stringify(header.params.blocks)).toContain("Card payments time out for 30% of customers");
  });

  it("resolves, opens every action item's issue, and gives the person the resolution summary privately", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    for (const text of ["Alert on payment timeouts", "Add a circuit breaker to the card gateway", "Load test the gateway"]) {
      await bot.command(`action ${text}`, { channel_id: incident.channelId });
    }
    bot.slack.removeBot(incident.channelId);

    await bot.command("resolve Failed over to the secondary gateway", { channel_id: incident.channelId });
    expect(await current(incident)).toMatchObject({ status: "resolved", resolution: "Failed over to the secondary gateway" });
    expect(bot.github.issues.map((issue) => issue.title).sort()).toEqual([
      "Add a circuit breaker to the card gateway",
      "Alert on payment timeouts",
      "Load test the gateway",
    ]);
    const answer = bot.slack.responses().at(-1)!;
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain("resolved after");
    expect(shown).toContain("Failed over to the secondary gateway");
    expect(shown).toContain("Alert on payment timeouts");
    expect(String(answer.text)).toContain("Slack refused to post the resolution summary: the bot is not a member");
    expect(
      bot.slack
        .accepted("chat.postMessage")
        .filter((call) => call.params.channel === incident.channelId && String(call.params.text).includes("resolved after")),
    ).toEqual([]);
    expectWarnWithoutStack(refusalLogs("not_in_channel"));
  });

  it("approves the report when Slack refuses the header and the note, and says so", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("resolve Failed over", { channel_id: channel });
    await bot.command("report", { channel_id: channel, user_id: "UALICE" });
    const report = bot.slack
      .accepted("chat.postMessage")
      .filter((c) => String(c.params.text).startsWith("Report of incident"))
      .at(-1)!;
    const buttons = Object.fromEntries(
      (report.params.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[])
        .find((b) => b.type === "actions")!
        .elements!.map((e) => [e.action_id, e]),
    );
    await bot.press(buttons[ActionIds.requestReview]!, "UALICE", channel);
    bot.slack.removeBot(channel);

    const { responseUrl } = await bot.press(buttons[ActionIds.approveReport]!, "UBOB", channel);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("approved");
    const answers = bot.answersTo(responseUrl).map((a) => String(a.text));
    expect(answers.join("\n")).not.toMatch(WRONG);
    expect(answers.at(-1)).toContain("Recorded, but Slack refused to show the pinned summary: the bot is not a member");
  });

  it("answers a modal in the person's direct messages when the channel refuses the private answer", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    await bot.command("resolve Failed over", { channel_id: incident.channelId });
    const { version } = await bot.bot.deps.reports.getReport(incident.id);
    bot.slack.removeBot(incident.channelId);
    await bot.submitView(
      {
        callback_id: "report_edit_section_modal",
        private_metadata: JSON.stringify({ incidentId: incident.id, key: "went_badly", version }),
        values: { [BlockIds.sectionText]: { text: { type: "plain_text_input", value: "Fail over sooner." } } },
      },
      "UCAROL",
    );
    expect((await bot.bot.deps.reports.getReport(incident.id)).sections).toMatchObject({ went_badly: "Fail over sooner." });
    const direct = bot.slack
      .accepted("chat.postMessage")
      .filter((call) => call.params.channel === "UCAROL")
      .at(-1)!;
    expect(String(direct.params.text)).toContain("Recorded, but Slack refused to post the note about it: the bot is not a member");
  });
});

describe("the incident channel archived (is_archived) or deleted (channel_not_found)", () => {
  it("records the severity and says to unarchive the channel", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    bot.slack.archiveChannel(incident.channelId);
    await bot.command("severity sev1", { channel_id: incident.channelId });
    expect((await current(incident)).severity).toBe("sev1");
    expect(bot.lastReply()).toContain(
      `Recorded, but Slack refused to show the pinned summary: <#${incident.channelId}> is archived. Unarchive it`,
    );
    expect(bot.lastReply()).not.toMatch(WRONG);
    expectWarnWithoutStack(refusalLogs("is_archived"));

    // Asking again is "already", which is the truth: the first request recorded it.
    await bot.command("severity sev1", { channel_id: incident.channelId });
    expect(bot.lastReply()).toBe("The severity is already *SEV1*.");
  });

  it("records the title and says the channel is gone and where the record is", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    bot.slack.deleteChannel(incident.channelId);
    await bot.command("title Card gateway outage", { channel_id: incident.channelId });
    expect((await current(incident)).title).toBe("Card gateway outage");
    expect(bot.lastReply()).toContain(`Slack has no channel \`${incident.channelId}\` any more`);
    expect(bot.lastReply()).toContain("`incident-bot report <number>` prints the whole record");
    expectWarnWithoutStack(refusalLogs("channel_not_found"));
  });
});

describe("a permission or a workspace rule missing at run time", () => {
  it("missing_scope on pinning: the incident is declared, the header posted once, and the person and the log name the scope", async () => {
    bot = await TestBot.start();
    bot.slack.failNext("pins.add", { error: "missing_scope", needed: "pins:write", provided: "commands,chat:write,channels:manage" });
    const incident = await declare();
    // The declaration is shown where it was typed; what Slack refused is said to the declarer alone.
    const [shown, note] = bot.slack.responses().slice(-2);
    expect(shown).toMatchObject({ response_type: "in_channel", text: expect.stringMatching(/^Declared incident #1: <#C\w+>\./) });
    expect(note).toMatchObject({ response_type: "ephemeral" });
    const reply = bot.lastReply();
    expect(reply).toContain(
      "Slack refused to pin the incident's summary: the Slack app lacks the `pins:write` permission (scope) that `pins.add` needs.",
    );
    expect(reply).toContain("A workspace admin must add it to the app (OAuth & Permissions, or `manifest.json`) and reinstall the app.");
    expect((await current(incident)).headerTs).not.toBeNull();
    const lines = refusalLogs("missing_scope");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, needed: ["pins:write"], provided: ["commands", "chat:write", "channels:manage"] });
    expect(lines[0]!.err).toBeUndefined();
    // The header was posted: the next change updates it rather than posting a second one.
    const headers = () =>
      bot.slack.accepted("chat.postMessage").filter((call) => call.params.channel === incident.channelId && call.params.blocks);
    await bot.command("status identified", { channel_id: incident.channelId });
    expect(headers()).toHaveLength(1);
  });

  it("missing_scope on creating the channel: nothing is declared, and the person hears which scope an admin must add", async () => {
    bot = await TestBot.start();
    bot.slack.failNext("conversations.create", { error: "missing_scope", needed: "channels:manage", provided: "commands,chat:write" });
    await bot.command("declare Search is slow sev3", { user_id: "UALICE" });
    expect(await bot.bot.deps.incidents.listIncidents()).toEqual([]);
    expect(bot.lastReply()).toBe(
      "Slack refused that, so nothing more was done: the Slack app lacks the `channels:manage` permission (scope) that " +
        "`conversations.create` needs. A workspace admin must add it to the app (OAuth & Permissions, or `manifest.json`) " +
        "and reinstall the app.",
    );
    expect(refusalLogs("missing_scope")).toEqual([expect.objectContaining({ level: 40, needed: ["channels:manage"] })]);
  });

  it("restricted_action on the note: the action item is added, and the reply says what a workspace admin can allow", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    bot.slack.failNext("chat.postMessage", { error: "restricted_action" });
    await bot.command("action Add a circuit breaker", { channel_id: incident.channelId });
    expect((await bot.bot.deps.actionItems.listActionItems(incident.id)).map((item) => item.text)).toEqual(["Add a circuit breaker"]);
    const reply = bot.lastReply();
    expect(reply).toMatch(/^Added: :white_medium_square: \*1\.\* Add a circuit breaker/);
    expect(reply).toContain(
      "Recorded, but Slack refused to post the note about it: a workspace setting does not let the app do that " +
        `in <#${incident.channelId}> (\`chat.postMessage\`: restricted_action).`,
    );
    expectWarnWithoutStack(refusalLogs("restricted_action"));
  });
});

describe("a person Slack will not add to the channel", () => {
  it("a guest made tech lead: the role is recorded, and the assigner hears that Slack would not add them", async () => {
    bot = await TestBot.start();
    const incident = await declare();
    bot.slack.members.restrictedUsers.add("UBOB");
    await bot.command("role tech-lead @bob", { channel_id: incident.channelId, user_id: "UALICE" });
    expect((await current(incident)).roles.tech_lead).toBe("UBOB");
    const reply = bot.lastReply();
    expect(reply).not.toMatch(WRONG);
    expect(reply).toContain(
      "Recorded, but Slack refused to add the new role holder to the channel: <@UBOB>: " +
        "a guest or external account Slack does not let the bot invite.",
    );
    const [line] = refusalLogs("invite_refused");
    expect(line).toMatchObject({ level: 40, showing: "invite" });
    expect(line!.err).toBeUndefined();
  });
});
