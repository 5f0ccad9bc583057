// Assembling the response (issue 23), driven as Slack drives the bot: the announcement in
// INCIDENTS_CHANNEL kept current, Join, invitations by severity, the read-in for late joiners,
// Slack's own pins, and the shortcuts ("Add to incident timeline", "Declare incident").
import { announceIncident } from "../../src/incidents/assemble.js";
import { loadReport } from "../../src/incidents/report/review.js";
import { dateToSlackTs, slackTsToDate } from "../../src/incidents/slackTime.js";
import { formatMoment } from "../../src/incidents/time/format.js";
import { ActionIds, BlockIds, ShortcutIds } from "../../src/slack/ids.js";
import { BOT_USER_ID } from "../support/fakeSlackMembers.js";
import { replayLeapOutage } from "../support/slackMessages.js";
import { TestBot } from "../support/testBot.js";

const INCIDENTS = "C0INCIDENTS";
let bot: TestBot;
afterEach(() => bot?.stop());

const announcements = () =>
  bot.slack.calls.filter((c) => ["chat.postMessage", "chat.update"].includes(c.method) && c.params.channel === INCIDENTS);
const blocksOf = (params: Record<string, unknown>) => JSON.stringify(params.blocks);
const entries = async (incidentId: string) => bot.bot.deps.incidents.listEntries(incidentId);
const memberJoined = (channel: string, user: string) => ({
  type: "member_joined_channel",
  user,
  channel,
  channel_type: "C",
  team: "T0ACME",
  inviter: "UALICE",
  event_ts: `${Date.now() / 1000}`,
});

describe("the announcement in INCIDENTS_CHANNEL", () => {
  it("announces each incident once and keeps that message current through a severity change and resolve", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    const incident = await bot.declare("Checkout down for <!channel> sev2");
    const [posted, ...others] = announcements();
    expect(others).toEqual([]);
    expect(posted!.method).toBe("chat.postMessage");
    const first = blocksOf(posted!.params);
    expect(first).toContain(`Incident #${incident.number}: Checkout down for @channel`);
    expect(first).not.toContain("<!channel>"); // what people typed never pings
    expect(first).toContain("*Severity:* SEV2");
    expect(first).toContain("*Status:* investigating");
    expect(first).toContain("*Commander:* <@UALICE>");
    expect(first).toContain(`<#${incident.channelId}>`);
    expect(first).toContain(`"action_id":"${ActionIds.joinIncident}"`);
    expect(first).toContain(`"value":"${incident.id}"`);
    const stored = await bot.bot.deps.incidents.getIncident(incident.id);
    expect(stored.announcement).toEqual({ channelId: INCIDENTS, ts: expect.stringMatching(/^\d+\.\d{6}$/) });

    await bot.command("severity sev1", { channel_id: incident.channelId });
    await bot.command("log restarted the payment workers", { channel_id: incident.channelId }); // not announced
    await bot.command("role commander @bob", { channel_id: incident.channelId });
    await bot.command("resolve Rolled back the gateway release", { channel_id: incident.channelId, user_id: "UBOB" });

    const updates = announcements().slice(1);
    expect(updates.map((c) => c.method)).toEqual(["chat.update", "chat.update", "chat.update"]);
    for (const update of updates) expect(update.params).toMatchObject({ channel: INCIDENTS, ts: stored.announcement!.ts });
    expect(blocksOf(updates[0]!.params)).toContain("*Severity:* SEV1");
    expect(blocksOf(updates[1]!.params)).toContain("*Commander:* <@UBOB>");
    const resolved = blocksOf(updates[2]!.params);
    expect(resolved).toContain("Resolved: Incident #");
    expect(resolved).toContain("*Status:* resolved");
    expect(resolved).toContain("Rolled back the gateway release");
  });

  it("announces nothing without INCIDENTS_CHANNEL", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Search slow sev2");
    await bot.command("severity sev1", { channel_id: incident.channelId });
    const elsewhere = bot.slack.calls.filter(
      (c) => ["chat.postMessage", "chat.update"].includes(c.method) && c.params.channel !== incident.channelId,
    );
    expect(elsewhere).toEqual([]);
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).announcement).toBeNull();
  });

  it("tells the declarer once, privately, when the bot is not in the channel, and announces after it is invited", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    bot.slack.channelsWithoutBot.add(INCIDENTS);
    const incident = await bot.declare("Webhooks delayed sev3");
    const notes = () => bot.slack.responses().filter((r) => String(r.text).includes("/invite @incident-bot"));
    expect(notes()).toEqual([expect.objectContaining({ response_type: "ephemeral" })]);
    expect(String(notes()[0]!.text)).toContain(
      `Recorded, but Slack refused to post the incident's announcement: the bot is not a member of <#${INCIDENTS}>`,
    );
    expect(String(notes()[0]!.text)).toContain("The announcement follows with the incident's next change.");
    await bot.command("severity sev2", { channel_id: incident.channelId });
    expect(notes()).toHaveLength(1); // told once
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).announcement).toBeNull();

    bot.slack.channelsWithoutBot.delete(INCIDENTS); // someone invited the bot
    await bot.command("status identified", { channel_id: incident.channelId });
    const posted = announcements().filter((c) => c.method === "chat.postMessage");
    expect(posted).toHaveLength(3); // refused, refused, then posted
    expect(blocksOf(posted.at(-1)!.params)).toContain("*Status:* identified");
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).announcement?.channelId).toBe(INCIDENTS);
  });

  it("tells the declarer the truth when INCIDENTS_CHANNEL is archived or gone, and logs it without a stack trace", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    bot.slack.archiveChannel(INCIDENTS);
    await bot.declare("Queue backlog sev3");
    expect(bot.lastReply()).toContain(
      `Recorded, but Slack refused to post the incident's announcement: <#${INCIDENTS}> is archived. Unarchive it`,
    );
    bot.slack.deleteChannel(INCIDENTS);
    await bot.declare("Cache misses sev3");
    expect(bot.lastReply()).toContain(`refused to post the incident's announcement: Slack has no channel \`${INCIDENTS}\` any more`);
    const lines = bot.logs.filter((entry) => entry.showing === "announcement");
    expect(lines.map((entry) => entry.slackError)).toEqual(["is_archived", "channel_not_found"]);
    for (const line of lines) {
      expect(line.level).toBe(40);
      expect(line.err).toBeUndefined();
    }
  });

  it("posts the announcement again when its message was deleted", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    const incident = await bot.declare("Login errors sev3");
    const before = (await bot.bot.deps.incidents.getIncident(incident.id)).announcement!;
    bot.slack.members.deletedMessages.add(`${INCIDENTS} ${before.ts}`); // someone deleted it
    await bot.command("severity sev2", { channel_id: incident.channelId });
    const after = (await bot.bot.deps.incidents.getIncident(incident.id)).announcement!;
    expect(after.ts).not.toBe(before.ts);
    expect(blocksOf(announcements().at(-1)!.params)).toContain("*Severity:* SEV2");
  });

  it("keeps one announcement when two replicas announce the same incident at once", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    bot.slack.channelsWithoutBot.add(INCIDENTS);
    const incident = await bot.declare("Race sev3"); // not announced: the bot was not in the channel
    bot.slack.channelsWithoutBot.delete(INCIDENTS);
    const stale = await bot.bot.deps.incidents.getIncident(incident.id);
    const postedBefore = bot.slack.accepted("chat.postMessage").filter((c) => c.params.channel === INCIDENTS).length;
    await Promise.all([announceIncident(bot.bot.deps, stale), announceIncident(bot.bot.deps, stale)]);
    expect(bot.slack.accepted("chat.postMessage").filter((c) => c.params.channel === INCIDENTS)).toHaveLength(postedBefore + 2);
    const deleted = bot.slack.callsTo("chat.delete");
    expect(deleted).toHaveLength(1);
    const kept = (await bot.bot.deps.incidents.getIncident(incident.id)).announcement!;
    expect(deleted[0]!.params).toMatchObject({ channel: INCIDENTS });
    expect(deleted[0]!.params.ts).not.toBe(kept.ts);
  });
});

describe("Join", () => {
  it("invites the presser and tells them privately; pressing it twice is harmless", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    const incident = await bot.declare("Queue backlog sev2");
    const first = await bot.press({ action_id: ActionIds.joinIncident, value: incident.id }, "UDAVE", INCIDENTS);
    expect(bot.answersTo(first.responseUrl)).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringContaining(`You joined <#${incident.channelId}>`) }),
    ]);
    expect(bot.slack.members.members.get(incident.channelId)).toContain("UDAVE");

    const second = await bot.press({ action_id: ActionIds.joinIncident, value: incident.id }, "UDAVE", INCIDENTS);
    expect(bot.answersTo(second.responseUrl)).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringContaining("You are already in") }),
    ]);
    expect([...bot.slack.members.members.get(incident.channelId)!].filter((id) => id === "UDAVE")).toHaveLength(1);
    expect((await entries(incident.id)).map((e) => e.kind)).toEqual(["declared"]);
  });

  it("says why Slack would not add someone, and refuses a button it cannot read", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Guest access broken");
    bot.slack.users.set("UGUEST", { id: "UGUEST", name: "guest" });
    bot.slack.members.restrictedUsers.add("UGUEST");
    const refused = await bot.press({ action_id: ActionIds.joinIncident, value: incident.id }, "UGUEST", "CGENERAL");
    expect(bot.answersTo(refused.responseUrl)[0]!.text).toContain("a guest or external account");
    const broken = await bot.press({ action_id: ActionIds.joinIncident, value: "not-an-id" }, "UDAVE", "CGENERAL");
    expect(bot.answersTo(broken.responseUrl)[0]!.text).toContain("older version of the incident bot");
  });

  it("is on the declaration everyone in the channel sees", async () => {
    bot = await TestBot.start();
    await bot.command("declare Disk full on db-3 sev2", { channel_id: "CTEAM", user_id: "UCAROL" });
    const answer = bot.slack.responses().find((r) => r.response_type === "in_channel")!;
    expect(String(answer.text)).toMatch(/^Declared incident #1: <#C\w+>\. <@UCAROL> is the incident commander\./);
    expect(blocksOf(answer)).toContain(ActionIds.joinIncident);
    expect(blocksOf(answer)).toContain("Disk full on db-3 (SEV2)");
  });
});

describe("invitations by severity (INVITE_ON_DECLARE)", () => {
  const env = { INVITE_ON_DECLARE: "sev1=S0SRE,UDAVE;sev2=S0ONCALL" };
  const invitedEntries = async (incidentId: string) => (await entries(incidentId)).filter((e) => e.kind === "invited");

  it("invites a severity's people on declare and on escalation, each invitation in the timeline once", async () => {
    bot = await TestBot.start({ env });
    bot.slack.usergroups.set("S0SRE", ["UBOB", "UCAROL", "UGHOST"]);
    bot.slack.usergroups.set("S0ONCALL", ["UCAROL"]);
    const incident = await bot.declare("Payments failing sev2");
    expect(bot.slack.members.members.get(incident.channelId)).toEqual(new Set([BOT_USER_ID, "UALICE", "UCAROL"]));
    expect((await invitedEntries(incident.id)).map((e) => e.data)).toEqual([
      { field: "severity", from: null, to: "sev2", users: ["UCAROL"] },
    ]);

    await bot.command("severity sev1", { channel_id: incident.channelId, trigger_id: "trigger-escalate" });
    await bot.command("severity sev1", { channel_id: incident.channelId, trigger_id: "trigger-escalate" }, { retryNum: 1 });
    expect(bot.slack.members.members.get(incident.channelId)).toEqual(new Set([BOT_USER_ID, "UALICE", "UCAROL", "UBOB", "UDAVE"]));
    const invited = await invitedEntries(incident.id);
    expect(invited.map((e) => e.data?.users)).toEqual([["UCAROL"], ["UDAVE", "UBOB"]]);
    const notice = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === incident.channelId && String(c.params.text).includes("INVITE_ON_DECLARE"))
      .at(-1)!;
    expect(notice.params.text).toContain("Invited <@UDAVE>, <@UBOB> for SEV1");
    expect(notice.params.text).toContain("Slack would not invite <@UGHOST> (not a user in this workspace)");

    // Down and up again: everyone is in already, so nobody is invited and nothing is recorded.
    await bot.command("severity sev3", { channel_id: incident.channelId });
    await bot.command("severity sev1", { channel_id: incident.channelId });
    expect(await invitedEntries(incident.id)).toHaveLength(2);

    const { compiled } = await loadReport(bot.bot.deps, incident.id);
    expect(compiled.sections.timeline.markdown).toContain("Invited dave, bob (SEV1)");
  });

  it("says which user group it could not read, and still declares", async () => {
    bot = await TestBot.start({ env: { INVITE_ON_DECLARE: "sev1=S0MISSING" } });
    const incident = await bot.declare("Everything is down sev1");
    expect(incident.severity).toBe("sev1");
    const notice = bot.slack
      .callsTo("chat.postMessage")
      .find((c) => c.params.channel === incident.channelId && String(c.params.text).includes("S0MISSING"))!;
    expect(notice.params.text).toContain("could not read the members of the user group `S0MISSING`");
    expect(await invitedEntries(incident.id)).toEqual([]);
  });
});

describe("the read-in for late joiners", () => {
  it("sends someone who joins a direct message built from the record, once per join; /incident brief shows the same", async () => {
    // The second read-in and the brief are compared block for block, "Going for" included: the
    // bot's clock stops before them, so a second ticking over in between (a loaded machine) is not a difference.
    let stoppedAt: Date | null = null;
    bot = await TestBot.start({ now: () => stoppedAt ?? new Date() });
    const incident = await bot.declare("Checkout API returning 500s sev1");
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("impact start 10m ago", { channel_id: channel });
    await bot.command("detected 5m ago", { channel_id: channel });
    await bot.command("role liaison @carol", { channel_id: channel });
    await bot.command("update EU checkout failing; next update at 18:00", { channel_id: channel, user_id: "UCAROL" });
    const pinned = dateToSlackTs(new Date(Date.now() - 120_000));
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "Error rate 40% on checkout-api since the 17:20 deploy",
      ts: pinned,
      channel_type: "channel",
    });
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "just chatter",
      ts: dateToSlackTs(new Date(Date.now() - 100_000)),
      channel_type: "channel",
    });
    await bot.event({
      type: "reaction_added",
      user: "UALICE",
      reaction: "pushpin",
      item: { type: "message", channel, ts: pinned },
      event_ts: pinned,
    });
    await bot.command("log rolled back checkout-api to v41", { channel_id: channel, user_id: "UBOB" });
    await bot.command("action Alert on checkout error rate @bob", { channel_id: channel });

    const dms = () => bot.slack.callsTo("chat.postMessage").filter((c) => c.params.channel === "UDAVE");
    const join = memberJoined(channel, "UDAVE");
    await bot.event(join, { eventId: "EvJOIN1" });
    await bot.event(join, { eventId: "EvJOIN1", retryNum: 1, retryReason: "http_timeout" }); // redelivered
    expect(dms()).toHaveLength(1);
    const readIn = blocksOf(dms()[0]!.params);
    const stored = await bot.bot.deps.incidents.getIncident(incident.id);
    for (const expected of [
      `Incident #${incident.number}: Checkout API returning 500s`,
      `You joined <#${channel}>`,
      "*Severity:* SEV1",
      "*Status:* investigating",
      "*Going for:* ",
      "*Incident commander:* <@UALICE>",
      "*Tech lead:* <@UBOB>",
      "*Communication liaison:* <@UCAROL>",
      "*Scribe:* _unassigned_",
      `*Impact started:* ${formatMoment(stored.impactStartedAt!, "Europe/London", "short")}`,
      `*Detected:* ${formatMoment(stored.detectedAt!, "Europe/London", "short")}`,
      "*Latest update* (for stakeholders, by <@UCAROL>",
      "EU checkout failing; next update at 18:00",
      "Error rate 40% on checkout-api since the 17:20 deploy",
      "logged by <@UBOB>: rolled back checkout-api to v41",
      "*1.* Alert on checkout error rate · owner <@UBOB>",
      "/incident log <what you saw or did>",
      "/incident actions",
      "/incident brief",
    ])
      expect(readIn).toContain(expected);
    expect(readIn).not.toContain("just chatter");
    expect(readIn).toContain(`https://acme.slack.com/archives/${channel}/p${pinned.replace(".", "")}`);

    // Nothing for the bot's own join, the declarer's, or a join to another channel; a new join is a new read-in.
    await bot.event(memberJoined(channel, BOT_USER_ID));
    await bot.event(memberJoined(channel, "UALICE"));
    await bot.event(memberJoined("CGENERAL", "UDAVE"));
    expect(bot.slack.callsTo("chat.postMessage").filter((c) => ["UALICE", BOT_USER_ID].includes(String(c.params.channel)))).toEqual([]);
    expect(dms()).toHaveLength(1);
    stoppedAt = new Date();
    await bot.event(memberJoined(channel, "UDAVE"), { eventId: "EvJOIN2" });
    expect(dms()).toHaveLength(2);

    await bot.command("brief", { channel_id: channel, user_id: "UDAVE" });
    const brief = bot.slack.responses().at(-1)!;
    expect(brief.response_type).toBe("ephemeral");
    const briefBlocks = brief.blocks as { text?: { text?: string } }[];
    const dmBlocks = dms()[1]!.params.blocks as { text?: { text?: string } }[];
    expect(briefBlocks).toHaveLength(dmBlocks.length);
    expect(briefBlocks.filter((_, n) => n !== 1)).toEqual(dmBlocks.filter((_, n) => n !== 1)); // all but the greeting
    expect(briefBlocks[1]!.text!.text).toContain(`Where <#${channel}> stands`);
  });

  it("refuses /incident brief outside an incident channel", async () => {
    bot = await TestBot.start();
    await bot.command("brief", { channel_id: "CGENERAL" });
    expect(bot.lastReply()).toContain("works inside an incident channel");
  });
});

describe("Slack's own pins", () => {
  it("highlight and unhighlight a message as 📌 does, and a pin held both ways stays until both are gone", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Cache misses sev3");
    const channel = incident.channelId;
    const ts = dateToSlackTs(new Date(Date.now() - 60_000));
    const message = { type: "message", user: "UBOB", text: "hit ratio fell to 20% after the key change", ts };
    await bot.event({ ...message, channel, channel_type: "channel" });
    const highlighted = async () => (await entries(incident.id)).find((e) => e.ts === ts)!.highlight;
    const pin = (type: "pin_added" | "pin_removed", user = "UCAROL") =>
      bot.event({
        type,
        user,
        channel_id: channel,
        item: {
          type: "message",
          channel,
          created: Math.floor(Date.now() / 1000),
          created_by: user,
          message: { ...message, permalink: "https://acme.slack.com/x", pinned_to: [channel] },
        },
        item_user: "UBOB",
        pin_count: "1",
        pinned_info: { channel, pinned_by: user, pinned_ts: Math.floor(Date.now() / 1000) },
        ...(type === "pin_removed" ? { has_pins: false } : {}),
        event_ts: `${Date.now() / 1000}`,
      });
    const reaction = (type: "reaction_added" | "reaction_removed") =>
      bot.event({ type, user: "UALICE", reaction: "pushpin", item: { type: "message", channel, ts }, event_ts: ts });

    await reaction("reaction_added");
    await pin("pin_added");
    expect(await highlighted()).toBe(true);
    await pin("pin_removed", "UDAVE"); // anyone may unpin; the 📌 still holds it
    expect(await highlighted()).toBe(true);
    await reaction("reaction_removed");
    expect(await highlighted()).toBe(false);

    await pin("pin_added");
    await reaction("reaction_added");
    await reaction("reaction_removed"); // the pin still holds it
    expect(await highlighted()).toBe(true);
    await pin("pin_removed");
    expect(await highlighted()).toBe(false);
  });

  it("records a pinned message the bot had missed, and ignores the bot's own header pin", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("DNS flapping sev2");
    const channel = incident.channelId;
    const ts = dateToSlackTs(new Date(Date.now() - 30_000));
    await bot.event({
      type: "pin_added",
      user: "UCAROL",
      channel_id: channel,
      item: {
        type: "message",
        channel,
        created: 1,
        created_by: "UCAROL",
        message: {
          type: "message",
          user: "UBOB",
          text: "resolver on ns2 is returning SERVFAIL",
          ts,
          permalink: "https://acme.slack.com/y",
        },
      },
      event_ts: `${Date.now() / 1000}`,
    });
    const missed = (await entries(incident.id)).find((e) => e.ts === ts)!;
    expect(missed).toMatchObject({ kind: "message", authorId: "UBOB", text: "resolver on ns2 is returning SERVFAIL", highlight: true });

    const header = (await bot.bot.deps.incidents.getIncident(incident.id)).headerTs!;
    for (const user of [BOT_USER_ID, "UCAROL"]) {
      await bot.event({
        type: "pin_added",
        user,
        channel_id: channel,
        item: {
          type: "message",
          channel,
          created: 1,
          created_by: user,
          message: {
            type: "message",
            user: BOT_USER_ID,
            bot_id: "BBOT",
            text: "header",
            ts: header,
            permalink: "https://acme.slack.com/z",
          },
        },
        event_ts: `${Date.now() / 1000}`,
      });
    }
    expect((await entries(incident.id)).some((e) => e.ts === header)).toBe(false);
  });
});

const ALERTS = { id: "C0ALERTS", name: "alerts" };
/** An alert as an integration posts it: no user, a bot id, its words in an attachment. */
function alertMessage(ts: string) {
  return {
    type: "message",
    subtype: "bot_message",
    bot_id: "BGRAFANA",
    username: "Grafana",
    text: "",
    ts,
    attachments: [
      {
        title: "[FIRING:1] CheckoutErrorRate checkout-api (prod)",
        text: "error rate 41% > 5% for 5m; runbook https://runbooks.acme.dev/checkout; token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        fallback: "[FIRING:1] CheckoutErrorRate",
      },
    ],
  };
}

describe("Add to incident timeline (message shortcut)", () => {
  it("records a message from another channel once, with its own time, author, redacted text, link and origin", async () => {
    bot = await TestBot.start();
    const older = await bot.declare("Older incident sev3");
    const incident = await bot.declare("Checkout errors sev2");
    const ts = dateToSlackTs(new Date(Date.now() - 15 * 60_000));
    const alert = alertMessage(ts);
    bot.slack.history.set(ALERTS.id, [alert]);

    const { triggerId, responseUrl } = await bot.messageShortcut(ShortcutIds.addToTimeline, alert, ALERTS, "UCAROL");
    await bot.messageShortcut(ShortcutIds.addToTimeline, alert, ALERTS, "UCAROL", { triggerId, responseUrl, retryNum: 1 }); // replayed
    expect(bot.slack.members.openedViews).toHaveLength(1);
    const [opened] = bot.slack.members.openedViews;
    const modal = JSON.stringify(opened!.view);
    expect(modal).toContain(`#${incident.number} Checkout errors (SEV2)`);
    expect(modal).toContain(`#${older.number} Older incident (SEV3)`);
    expect(modal).not.toContain("initial_option"); // #alerts is no incident's channel
    expect(modal).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");

    const choose = (id: string) => ({
      [BlockIds.timelineIncident]: {
        [BlockIds.timelineIncident]: { type: "static_select", selected_option: { text: { type: "plain_text", text: "x" }, value: id } },
      },
    });
    await bot.submitOpenedView(opened!, choose(incident.id), "UCAROL");
    // Again, from a new run of the shortcut on the same message: still one entry.
    await bot.messageShortcut(ShortcutIds.addToTimeline, alert, ALERTS, "UDAVE");
    await bot.submitOpenedView(bot.slack.members.openedViews.at(-1)!, choose(incident.id), "UDAVE");

    const quoted = (await entries(incident.id)).filter((e) => e.kind === "quoted");
    expect(quoted).toHaveLength(1);
    const permalink = `https://acme.slack.com/archives/${ALERTS.id}/p${ts.replace(".", "")}`;
    expect(quoted[0]).toMatchObject({ occurredAt: slackTsToDate(ts), authorId: null, highlight: true, ts: null });
    expect(quoted[0]!.text).toContain("[FIRING:1] CheckoutErrorRate checkout-api (prod)");
    expect(quoted[0]!.text).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(quoted[0]!.data?.source).toEqual({
      channelId: ALERTS.id,
      channelName: "alerts",
      ts,
      permalink,
      authorId: null,
      authorName: "Grafana",
    });
    expect(bot.answersTo(responseUrl).at(-1)).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining(`Added to the timeline of incident #${incident.number}`),
    });
    expect(await entries(older.id)).toHaveLength(1);

    const { compiled } = await loadReport(bot.bot.deps, incident.id);
    expect(compiled.sections.timeline.markdown).toContain(
      `**[${formatMoment(slackTsToDate(ts), "Europe/London", "clock")}](${permalink})** — Grafana in #alerts: [FIRING:1]`,
    );
  });

  it("redacts secrets in the names and links of the picked message's files, as capture does in the channel", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Checkout errors sev2");
    const ts = dateToSlackTs(new Date(Date.now() - 5 * 60_000));
    const secret = `ghp_${"A1b2C3d4".repeat(4)}zz99`;
    const name = `deploy-${secret}.txt`;
    const message = { ...alertMessage(ts), files: [{ id: "F1", name, permalink: `https://acme.slack.com/files/U0/F1/${name}` }] };
    bot.slack.history.set(ALERTS.id, [message]);
    await bot.messageShortcut(ShortcutIds.addToTimeline, message, ALERTS, "UCAROL");
    const choice = { type: "static_select", selected_option: { text: { type: "plain_text", text: "x" }, value: incident.id } };
    await bot.submitOpenedView(
      bot.slack.members.openedViews.at(-1)!,
      { [BlockIds.timelineIncident]: { [BlockIds.timelineIncident]: choice } },
      "UCAROL",
    );
    const [quoted] = (await entries(incident.id)).filter((e) => e.kind === "quoted");
    expect(quoted!.files).toHaveLength(1);
    expect(JSON.stringify(quoted!.files)).not.toContain(secret);
    expect(JSON.stringify(await bot.bot.database.prisma.pickedMessage.findMany())).not.toContain(secret);
  });

  it("preselects the incident of the channel the message is in, and highlights that message", async () => {
    bot = await TestBot.start();
    await bot.declare("Other incident sev3");
    const incident = await bot.declare("Latency spike sev2");
    const ts = dateToSlackTs(new Date(Date.now() - 60_000));
    const message = { type: "message", user: "UBOB", text: "p99 at 4s on api-gw", ts };
    bot.slack.history.set(incident.channelId, [message]);
    await bot.event({ ...message, channel: incident.channelId, channel_type: "channel" });
    await bot.messageShortcut(ShortcutIds.addToTimeline, message, { id: incident.channelId, name: incident.channelName }, "UCAROL");
    const opened = bot.slack.members.openedViews.at(-1)!;
    const select = JSON.stringify(opened.view);
    expect(select).toContain(`"initial_option":{"text":{"type":"plain_text","text":"#${incident.number} Latency spike (SEV2)"`);
    await bot.submitOpenedView(
      opened,
      { [BlockIds.timelineIncident]: { [BlockIds.timelineIncident]: { type: "static_select", selected_option: { value: incident.id } } } },
      "UCAROL",
    );
    const all = await entries(incident.id);
    expect(all.filter((e) => e.kind === "quoted")).toEqual([]);
    expect(all.find((e) => e.ts === ts)).toMatchObject({ kind: "message", highlight: true });
  });

  it("answers privately, with nothing recorded, when there is no open incident or the bot cannot link the message", async () => {
    bot = await TestBot.start();
    const ts = dateToSlackTs(new Date(Date.now() - 60_000));
    bot.slack.history.set(ALERTS.id, [alertMessage(ts)]);
    const none = await bot.messageShortcut(ShortcutIds.addToTimeline, alertMessage(ts), ALERTS, "UCAROL");
    expect(bot.answersTo(none.responseUrl)).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringContaining("There is no open incident") }),
    ]);

    await bot.declare("Open one sev3");
    const secret = { id: "G0SECRET", name: "secret-plans" };
    bot.slack.members.hiddenChannels.add(secret.id);
    const hidden = await bot.messageShortcut(
      ShortcutIds.addToTimeline,
      { type: "message", user: "UBOB", text: "psst", ts },
      secret,
      "UCAROL",
    );
    expect(bot.answersTo(hidden.responseUrl)[0]!.text).toContain("The bot cannot see #secret-plans");
    const gone = await bot.messageShortcut(
      ShortcutIds.addToTimeline,
      { type: "message", user: "UBOB", text: "deleted", ts: "1.000002" },
      ALERTS,
      "UCAROL",
    );
    expect(bot.answersTo(gone.responseUrl)[0]!.text).toContain("Slack no longer has that message");
    // Slack opens a form only within 3 s of the click: a late one is told to run it again.
    const late = await bot.messageShortcut(ShortcutIds.addToTimeline, alertMessage(ts), ALERTS, "UCAROL", {
      triggerId: `${Date.now() - 5_000}.late`,
    });
    expect(bot.answersTo(late.responseUrl)[0]!.text).toContain("Slack did not open the form");
    expect(bot.slack.members.openedViews).toEqual([]);

    // A form submitted after its message was forgotten (a day later) records nothing and says why.
    const { responseUrl } = await bot.messageShortcut(ShortcutIds.addToTimeline, alertMessage(ts), ALERTS, "UCAROL");
    const [opened] = bot.slack.members.openedViews;
    await bot.bot.deps.picked.forgetPickedMessages(new Date(Date.now() + 60_000));
    const open = (await bot.bot.deps.incidents.listIncidents({ open: true }))[0]!;
    const choice = {
      [BlockIds.timelineIncident]: { [BlockIds.timelineIncident]: { type: "static_select", selected_option: { value: open.id } } },
    };
    await bot.submitOpenedView(opened!, choice, "UCAROL");
    expect(bot.answersTo(responseUrl).at(-1)!.text).toContain("That message is no longer held");
    expect((await entries(open.id)).filter((e) => e.kind === "quoted")).toEqual([]);
  });
});

describe("Declare incident (shortcuts)", () => {
  const fill = (values: { title: string; severity: string; summary?: string; detectedAt?: number }) => ({
    [BlockIds.declareTitle]: { [BlockIds.declareTitle]: { type: "plain_text_input", value: values.title } },
    [BlockIds.declareSeverity]: { [BlockIds.declareSeverity]: { type: "static_select", selected_option: { value: values.severity } } },
    [BlockIds.declareSummary]: { [BlockIds.declareSummary]: { type: "plain_text_input", value: values.summary ?? null } },
    ...(values.detectedAt
      ? {
          [BlockIds.declareDetectedAt]: { [BlockIds.declareDetectedAt]: { type: "datetimepicker", selected_date_time: values.detectedAt } },
        }
      : {}),
  });

  it("declares from an alert in another channel: the alert is the detection, at its own time, linked from the report", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    const ts = dateToSlackTs(new Date(Date.now() - 12 * 60_000 - 345));
    const alert = alertMessage(ts);
    bot.slack.history.set(ALERTS.id, [alert]);
    const { responseUrl } = await bot.messageShortcut(ShortcutIds.declareFromMessage, alert, ALERTS, "UCAROL");
    const opened = bot.slack.members.openedViews.at(-1)!;
    const blocks = opened.view.blocks as { block_id?: string; element?: { initial_value?: string; initial_date_time?: number } }[];
    const title = blocks.find((b) => b.block_id === BlockIds.declareTitle)!.element!.initial_value!;
    expect(title).toBe("[FIRING:1] CheckoutErrorRate checkout-api (prod)");
    const detectedDefault = blocks.find((b) => b.block_id === BlockIds.declareDetectedAt)!.element!.initial_date_time!;
    expect(detectedDefault).toBe(Math.floor(slackTsToDate(ts).getTime() / 1000));

    await bot.submitOpenedView(
      opened,
      fill({ title, severity: "sev2", summary: "Checkout failing for EU card payments", detectedAt: detectedDefault }),
      "UCAROL",
    );
    const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    expect(incident).toMatchObject({
      severity: "sev2",
      declaredBy: "UCAROL",
      summary: "Checkout failing for EU card payments",
      detectedAt: slackTsToDate(ts),
    });
    expect(bot.answersTo(responseUrl)).toContainEqual(
      expect.objectContaining({ response_type: "in_channel", text: expect.stringContaining(`Declared incident #${incident.number}`) }),
    );
    expect(announcements()).toHaveLength(1);

    const permalink = `https://acme.slack.com/archives/${ALERTS.id}/p${ts.replace(".", "")}`;
    const { compiled } = await loadReport(bot.bot.deps, incident.id);
    const detection = compiled.sections.detection.markdown;
    expect(detection).toContain(`Detected at ${formatMoment(slackTsToDate(ts), "Europe/London", "full")}`);
    expect(detection).toContain(`Source: [a message in #alerts](${permalink}) by Grafana:`);
    expect(detection).toContain("> [FIRING:1] CheckoutErrorRate checkout-api (prod)");
    expect(detection).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(compiled.header).toContain(`| Detected | ${formatMoment(slackTsToDate(ts), "Europe/London", "full")} |`);
    expect(compiled.sections.timeline.markdown).toContain(`Detected: [a message in #alerts](${permalink})`);
  });

  it("takes another detection time when the person changes it, and refuses one in the future on the form", async () => {
    bot = await TestBot.start();
    const ts = dateToSlackTs(new Date(Date.now() - 3_600_000));
    bot.slack.history.set(ALERTS.id, [alertMessage(ts)]);
    await bot.messageShortcut(ShortcutIds.declareFromMessage, alertMessage(ts), ALERTS, "UCAROL");
    const opened = bot.slack.members.openedViews.at(-1)!;
    const future = Math.floor(Date.now() / 1000) + 3600;
    const refused = await bot.submitOpenedView(opened, fill({ title: "  ", severity: "sev2", detectedAt: future }), "UCAROL");
    expect(await refused.json()).toEqual({
      response_action: "errors",
      errors: {
        [BlockIds.declareTitle]: expect.stringContaining("Give the incident a title"),
        [BlockIds.declareDetectedAt]: expect.stringContaining("in the future"),
      },
    });
    expect(await bot.bot.deps.incidents.listIncidents()).toEqual([]);
    const earlier = Math.floor(Date.now() / 1000) - 7200;
    await bot.submitOpenedView(opened, fill({ title: "Checkout errors", severity: "sev2", detectedAt: earlier }), "UCAROL");
    expect((await bot.bot.deps.incidents.listIncidents())[0]!.detectedAt).toEqual(new Date(earlier * 1000));
  });

  it("declares from the global shortcut with no source, answering in a direct message that carries the declarer's notes", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    bot.slack.channelsWithoutBot.add(INCIDENTS);
    await bot.globalShortcut(ShortcutIds.declare, "UDAVE");
    const opened = bot.slack.members.openedViews.at(-1)!;
    expect(JSON.stringify(opened.view)).not.toContain(BlockIds.declareDetectedAt);
    await bot.submitOpenedView(opened, fill({ title: "VPN down", severity: "sev1" }), "UDAVE");
    const [incident] = await bot.bot.deps.incidents.listIncidents();
    expect(incident).toMatchObject({ title: "VPN down", severity: "sev1", declaredBy: "UDAVE", detectedAt: null, summary: null });
    const dm = bot.slack.callsTo("chat.postMessage").find((c) => c.params.channel === "UDAVE")!;
    expect(dm.params.text).toContain(`Declared incident #${incident!.number}`);
    expect(blocksOf(dm.params)).toContain(ActionIds.joinIncident);
    // Shown, not only in the notification text.
    expect(blocksOf(dm.params)).toContain(`refused to post the incident's announcement: the bot is not a member of <#${INCIDENTS}>`);
    expect((await entries(incident!.id)).map((e) => e.kind)).toEqual(["declared"]);
  });
});

describe("what it costs", () => {
  /** Web API calls and response_url posts the bot makes while `work` runs. */
  async function callsDuring(work: () => Promise<unknown>) {
    const before = bot.slack.calls.length;
    await work();
    return bot.slack.calls.slice(before).map((c) => c.method);
  }

  it("makes a known number of Slack calls per declaration", async () => {
    bot = await TestBot.start();
    expect(await callsDuring(() => bot.command("declare Plain sev2"))).toEqual([
      "conversations.create",
      "conversations.invite",
      "chat.postMessage",
      "pins.add",
      "response_url",
    ]);
    await bot.stop();

    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS, INVITE_ON_DECLARE: "sev2=S0ONCALL,UDAVE" } });
    bot.slack.usergroups.set("S0ONCALL", ["UBOB", "UCAROL"]);
    expect(await callsDuring(() => bot.command("declare Assembled sev2"))).toEqual([
      "conversations.create",
      "conversations.invite", // the declarer
      "chat.postMessage", // the header
      "pins.add",
      "chat.postMessage", // the announcement
      "usergroups.users.list",
      "conversations.invite", // INVITE_ON_DECLARE's people, in one call
      "chat.postMessage", // who was invited, in the channel
      "response_url", // the declaration, for everyone where it was typed
    ]);
    // The group's members are cached: the next declaration does not ask for them again.
    expect(await callsDuring(() => bot.command("declare Again sev2"))).not.toContain("usergroups.users.list");
  });

  it("keeps the read-in of the replayed LEAP outage within a message's limits", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("LEAP hub outage");
    await replayLeapOutage(bot, incident.channelId);
    await bot.command("action Write a small document for incident response", { channel_id: incident.channelId });
    await bot.event(memberJoined(incident.channelId, "UDAVE"));
    const dm = bot.slack.callsTo("chat.postMessage").find((c) => c.params.channel === "UDAVE")!;
    const blocks = dm.params.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    const characters = blocks.reduce(
      (sum, b) => sum + (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0),
      0,
    );
    expect(blocks.length).toBeLessThanOrEqual(8);
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(characters).toBeLessThan(4000);
    expect(JSON.stringify(blocks)).toContain("(the last 5 of");
  });
});
