// Stakeholder and customer updates, end to end through the receiver and fake Slack: internal
// updates in the incident channel and UPDATES_CHANNEL (once, even when Slack replays the command),
// refusals, the public preview with Publish (once) and Cancel, the public title, the report's
// timeline, and update reminders with two replicas.
import type { Incident } from "../../src/incidents/model.js";
import { loadReport } from "../../src/incidents/report/review.js";
import { ActionIds } from "../../src/slack/ids.js";
import { TestBot } from "../support/testBot.js";

const UPDATES_CHANNEL = "CUPDATES01";
let bot: TestBot;
afterEach(() => bot?.stop());

const postsIn = (channel: string) =>
  bot.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.params.channel === channel)
    .map((c) => String(c.params.text));

interface Button {
  action_id: string;
  value: string;
}

/** The Publish and Cancel buttons of the last preview the bot sent privately. */
function previewButtons(): Record<string, Button> {
  const preview = bot.slack
    .responses()
    .filter((r) => Array.isArray(r.blocks))
    .at(-1)!;
  const actions = (preview.blocks as { type: string; elements?: Button[] }[]).find((b) => b.type === "actions")!;
  return Object.fromEntries(actions.elements!.map((e) => [e.action_id, e]));
}

/** A SEV2 incident declared by Alice (commander) with Carol as liaison; Dave has spoken in it. */
async function incidentWithLiaison(): Promise<Incident> {
  const incident = await bot.declare("Checkout errors for EU customers sev2", "UALICE");
  await bot.command("role liaison @carol", { channel_id: incident.channelId, user_id: "UALICE" });
  await bot.event({
    type: "message",
    channel: incident.channelId,
    user: "UDAVE",
    text: "restarting checkout now",
    ts: `${Math.floor(Date.now() / 1000) - 30}.000200`,
    channel_type: "channel",
  });
  return incident;
}

describe("stakeholder updates", () => {
  const postsAndRefuses =
    "posts an update in the incident channel and UPDATES_CHANNEL, records it once even when replayed, and refuses anyone but " +
    "the liaison or commander";
  it(postsAndRefuses, async () => {
    bot = await TestBot.start({ env: { UPDATES_CHANNEL } });
    bot.slack.addChannel(UPDATES_CHANNEL);
    const incident = await incidentWithLiaison();
    const channel = incident.channelId;
    const before = postsIn(channel).length;

    const trigger = "13001.update.trigger";
    const text = "Checkout is failing for about 20% of EU customers; the fix is rolling out. password=hunter2hunter2";
    await bot.command(`update ${text}`, { channel_id: channel, user_id: "UCAROL", trigger_id: trigger });
    await bot.command(`update ${text}`, { channel_id: channel, user_id: "UCAROL", trigger_id: trigger }); // Slack's replay

    const inChannel = postsIn(channel).slice(before);
    expect(inChannel).toHaveLength(1);
    expect(inChannel[0]).toContain("<@UCAROL> posted an update for stakeholders");
    expect(inChannel[0]).toContain("Checkout is failing for about 20% of EU customers");
    expect(inChannel[0]).not.toContain("hunter2");
    const elsewhere = postsIn(UPDATES_CHANNEL);
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]).toContain(`<#${channel}>`);
    expect(elsewhere[0]).toContain("*Incident #1: Checkout errors for EU customers* (SEV2 · investigating)");
    expect(elsewhere[0]).toContain("the fix is rolling out");
    expect(elsewhere[0]).not.toContain("hunter2");
    expect(bot.slack.refused()).toEqual([]);

    const updates = await bot.bot.deps.updates.listUpdates(incident.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ public: false, postedBy: "UCAROL", status: "investigating" });
    expect(updates[0]!.publishedAt).toBeInstanceOf(Date);
    const entries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "update");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ authorId: "UCAROL", highlight: true, data: { field: "update", to: "internal" } });

    // The commander may too; a responder may not, and nothing is written or posted.
    await bot.command("update Still rolling out.", { channel_id: channel, user_id: "UALICE" });
    expect(await bot.bot.deps.updates.listUpdates(incident.id)).toHaveLength(2);
    const posted = bot.slack.callsTo("chat.postMessage").length;
    await bot.command("update We are fine.", { channel_id: channel, user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("Only the communication liaison or the incident commander");
    expect(bot.lastReply()).toContain("Nothing was changed");
    expect(bot.slack.callsTo("chat.postMessage")).toHaveLength(posted);
    expect(await bot.bot.deps.updates.listUpdates(incident.id)).toHaveLength(2);

    // Bad input gets the usage, not an empty update.
    await bot.command("update", { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain("What should the update say?");
    expect(bot.lastReply()).toContain("/incident update <text>");
    await bot.command("update public", { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain("after `public`");
    expect(await bot.bot.deps.updates.listUpdates(incident.id)).toHaveLength(2);

    // Help lists both commands and who may run them.
    await bot.command("help", { channel_id: channel, user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("`/incident update <text>` (an update for stakeholders), `/incident update public <text>`");
    expect(bot.lastReply()).toMatch(/`\/incident public-title <text>`.*\(the communication liaison or the incident commander\)/);

    // Communication is part of the report's timeline.
    const report = await loadReport(bot.bot.deps, incident.id);
    const timeline = report.compiled.sections.timeline.markdown;
    expect(timeline).toContain("Update to stakeholders: Checkout is failing for about 20% of EU customers");
    expect(timeline).toContain("Update to stakeholders: Still rolling out.");
  });

  it("tells the liaison privately when Slack refuses the update in UPDATES_CHANNEL (the bot is not a member), and keeps the update", async () => {
    bot = await TestBot.start({ env: { UPDATES_CHANNEL } });
    bot.slack.addChannel(UPDATES_CHANNEL);
    bot.slack.channelsWithoutBot.add(UPDATES_CHANNEL);
    const incident = await incidentWithLiaison();
    await bot.command("update Checkout recovered for most customers.", { channel_id: incident.channelId, user_id: "UCAROL" });

    expect(postsIn(incident.channelId).some((text) => text.includes("Checkout recovered for most customers."))).toBe(true);
    expect(bot.lastReply()).toBe(
      `Your update is in this channel and in the timeline, but Slack refused it in <#${UPDATES_CHANNEL}>. ` +
        `Invite the bot there (\`/invite @incident-bot\`) so later updates reach it; ` +
        `paste this one there yourself (posting it again would record it twice).`,
    );
    expect(await bot.bot.deps.updates.listUpdates(incident.id)).toHaveLength(1);
  });

  it("shows the liaison a sanitised preview of a public update, publishes it once, and cancels a draft", async () => {
    bot = await TestBot.start();
    const published: string[] = [];
    bot.bot.deps.onPublicUpdatePublished = (id) => void published.push(id);
    const incident = await incidentWithLiaison();
    const channel = incident.channelId;

    await bot.command("public-title", { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain("The public title can't be empty");
    await bot.command("public-title Checkout errors for <@UDAVE>'s customers", { channel_id: channel, user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("Only the communication liaison or the incident commander");
    await bot.command(`public-title ${"Payments ".repeat(20)}`, { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain("A public title is at most 120 characters");
    await bot.command("public-title Payment failures at checkout", { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toBe("Customers will see this incident as “Payment failures at checkout”.");
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).publicTitle).toBe("Payment failures at checkout");

    const draft = [
      "Dave Diaz restarted the payment service. See <https://acme.slack.com/archives/C1/p1700000000000100|the thread>.",
      "$ kubectl rollout restart deploy/checkout",
      "Payments are recovering. api key ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    ].join("\n");
    await bot.command(`update public ${draft}`, { channel_id: channel, user_id: "UCAROL" });
    const preview = bot.slack.responses().at(-1)!;
    expect(preview.response_type).toBe("ephemeral");
    const shown = JSON.stringify(preview.blocks);
    expect(shown).toContain("Payment failures at checkout");
    expect(shown).toContain("investigating");
    expect(shown).toContain("The team restarted the payment service.\\nPayments are recovering.");
    expect(shown).toContain("Payments are recovering.");
    for (const leak of ["Dave", "slack.com", "kubectl", "ghp_", "UDAVE"]) expect(shown).not.toContain(leak);
    const [draftUpdate] = await bot.bot.deps.updates.listUpdates(incident.id);
    expect(draftUpdate).toMatchObject({ public: true, publishedAt: null });
    expect(shown).toContain(JSON.stringify(draftUpdate!.text).slice(1, -1)); // exactly what is stored is what was shown

    // Someone else cannot publish it; the liaison can, once, however often it is pressed.
    const buttons = previewButtons();
    const refused = await bot.press(buttons[ActionIds.publishUpdate]!, "UDAVE", channel);
    expect(String(bot.answersTo(refused.responseUrl).at(-1)!.text)).toContain("Only the communication liaison or the incident commander");
    expect((await bot.bot.deps.updates.listUpdates(incident.id))[0]!.publishedAt).toBeNull();

    const before = postsIn(channel).length;
    const first = await bot.press(buttons[ActionIds.publishUpdate]!, "UCAROL", channel);
    expect(bot.answersTo(first.responseUrl).at(-1)).toMatchObject({ replace_original: true });
    const second = await bot.press(buttons[ActionIds.publishUpdate]!, "UCAROL", channel);
    expect(String(bot.answersTo(second.responseUrl).at(-1)!.text)).toContain("already published");
    const notes = postsIn(channel).slice(before);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("<@UCAROL> published an update for customers, under “Payment failures at checkout”");
    const [publishedUpdate] = await bot.bot.deps.updates.listUpdates(incident.id);
    expect(publishedUpdate!.publishedAt).toBeInstanceOf(Date);
    expect(published).toEqual([publishedUpdate!.id]);
    const entries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "update");
    expect(entries).toHaveLength(1);
    // The entry holds the words as facts; the report words them (below).
    expect(entries[0]).toMatchObject({ authorId: "UCAROL", data: { to: "public", text: publishedUpdate!.text }, text: "" });
    const timeline = (await loadReport(bot.bot.deps, incident.id)).compiled.sections.timeline.markdown;
    expect(timeline).toContain("Public update: The team restarted the payment service");

    // A second draft, cancelled: it is gone, and Publish on it afterwards publishes nothing.
    await bot.command("update public We expect full recovery within the hour.", { channel_id: channel, user_id: "UCAROL" });
    const next = previewButtons();
    const cancel = await bot.press(next[ActionIds.cancelUpdate]!, "UCAROL", channel);
    expect(bot.answersTo(cancel.responseUrl).at(-1)).toMatchObject({
      replace_original: true,
      text: expect.stringContaining("not published"),
    });
    expect(await bot.bot.deps.updates.listUpdates(incident.id)).toHaveLength(1);
    const late = await bot.press(next[ActionIds.publishUpdate]!, "UCAROL", channel);
    expect(String(bot.answersTo(late.responseUrl).at(-1)!.text)).toContain("cancelled");
    expect(published).toHaveLength(1);
  });

  it("reminds the liaison once per lapse while a SEV2 incident goes without updates, with two replicas", async () => {
    const start = Date.now();
    const minutesLater = (m: number) => () => new Date(start + m * 60_000);
    bot = await TestBot.start({ now: minutesLater(0) });
    const incident = await incidentWithLiaison();
    const quiet = await bot.declare("Slow search sev3", "UBOB");
    const reminders = (channel = incident.channelId) => postsIn(channel).filter((t) => t.includes("no update has been posted on incident"));
    expect(reminders()).toHaveLength(0);

    /** Restarts the bot with its clock at `m` minutes; the sweep runs at start. */
    const restartAt = async (m: number) => {
      bot = await bot.restart({ now: minutesLater(m) });
      await bot.bot.idle();
    };

    // 29 minutes: not yet. 31 minutes: one reminder, for the liaison, even with a second replica sweeping too.
    await restartAt(29);
    expect(reminders()).toHaveLength(0);
    // Two replicas start (and sweep) at the same moment on one database.
    const [restarted, replica] = await Promise.all([
      bot.restart({ now: minutesLater(31) }),
      TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, now: minutesLater(31) }),
    ]);
    bot = restarted;
    await Promise.all([bot.bot.idle(), replica.bot.idle()]);
    await replica.bot.stop();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]).toMatch(/^<@UCAROL>, no update has been posted on incident #1 \(SEV2\) for 30 minutes/);
    expect(reminders(quiet.channelId)).toHaveLength(0);

    // Another 30 quiet minutes: a second reminder. An update then restarts the clock.
    await restartAt(45);
    expect(reminders()).toHaveLength(1);
    // The SEV3 incident is escalated now: its clock starts at the escalation, not the declaration.
    await bot.command("severity sev2", { channel_id: quiet.channelId, user_id: "UBOB" });
    await restartAt(62);
    expect(reminders()).toHaveLength(2);
    expect(reminders(quiet.channelId)).toHaveLength(0);
    await restartAt(70);
    await bot.command("update Fix deployed, watching error rates.", { channel_id: incident.channelId, user_id: "UCAROL" });
    await restartAt(99);
    expect(reminders()).toHaveLength(2);
    // No liaison there: the commander is reminded.
    expect(reminders(quiet.channelId)).toEqual([expect.stringMatching(/^<@UBOB>, no update has been posted on incident #2 \(SEV2\)/)]);
    await restartAt(101);
    expect(reminders()).toHaveLength(3);
    expect(reminders(quiet.channelId)).toHaveLength(1);

    // Resolved: no more reminders.
    await bot.command("resolve", { channel_id: incident.channelId, user_id: "UALICE" });
    await restartAt(200);
    expect(reminders()).toHaveLength(3);
  });
});
