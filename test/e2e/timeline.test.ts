// Declaring and running an incident, and faithful capture of the channel, through the signed
// receiver with fake Slack and GitHub.
import { dateToSlackTs, slackTsToDate } from "../../src/incidents/slackTime.js";
import { formatInZone } from "../../src/incidents/time/format.js";
import { readLeapOutageTimeline } from "../support/fixture.js";
import { sendSigned, slashCommandBody } from "../support/slackRequests.js";
import type { TimelineEntry } from "../../src/incidents/model.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
let channel: string;
let incidentId: string;
let tsSeq = 0;

/** A Slack ts `secondsAgo` seconds in the past (unique). */
function tsAgo(secondsAgo: number) {
  const ms = Date.now() - secondsAgo * 1000;
  return `${Math.floor(ms / 1000)}.${String(++tsSeq).padStart(6, "0")}`;
}

function message(text: string, extra: Record<string, unknown> = {}) {
  return { type: "message", channel, user: "UBOB", text, ts: tsAgo(60), event_ts: tsAgo(60), channel_type: "channel", ...extra };
}

const entries = () => bot.bot.deps.incidents.listEntries(incidentId);
const messages = async () => (await entries()).filter((e) => e.kind === "message");
const byTs = async (ts: string) => (await entries()).find((e) => e.ts === ts) as TimelineEntry;

beforeAll(async () => {
  bot = await TestBot.start();
  await bot.command("declare Hub pods crash-looping on leap sev2", { user_id: "UALICE" });
  const [incident] = await bot.bot.deps.incidents.listIncidents();
  channel = incident!.channelId;
  incidentId = incident!.id;
});
afterAll(() => bot.stop());

describe("declaring", () => {
  it("creates the channel, invites the declarer, pins a header and answers with a link", async () => {
    const create = bot.slack.callsTo("conversations.create")[0]!;
    expect(create.params.name).toMatch(/^inc-\d{8}-hub-pods-crash-looping-on-leap$/);
    expect(bot.slack.callsTo("conversations.invite")[0]!.params).toMatchObject({ channel, users: "UALICE" });
    const header = bot.slack.callsTo("chat.postMessage").find((c) => c.params.channel === channel)!;
    expect(JSON.stringify(header.params.blocks)).toContain("Incident #1: Hub pods crash-looping on leap");
    expect(bot.slack.callsTo("pins.add")[0]!.params.channel).toBe(channel);
    expect(bot.slack.responses()[0]!.text).toContain(`<#${channel}>`);
    const incident = await bot.bot.deps.incidents.getIncident(incidentId);
    expect(incident).toMatchObject({ number: 1, severity: "sev2", status: "investigating", roles: { commander: "UALICE" } });
  });

  it("numbers incidents and suffixes a channel name that is taken", async () => {
    await bot.command("declare Hub pods crash-looping on leap", { user_id: "UCAROL" });
    const names = bot.slack.callsTo("conversations.create").map((c) => c.params.name);
    expect(names.at(-1)).toMatch(/-2$/);
    expect((await bot.bot.deps.incidents.findIncidentByNumber(2))?.declaredBy).toBe("UCAROL");
  });

  it("archives the new channel when the declaration fails before the incident is stored, and says so", async () => {
    const before = (await bot.bot.deps.incidents.listIncidents()).length;
    bot.slack.failNext("conversations.invite", { error: "user_is_restricted" });
    await bot.command("declare Webhooks delayed sev3", { user_id: "UDAVE" });
    const created = bot.slack.callsTo("conversations.create").at(-1)!;
    expect(created.params.name).toMatch(/-webhooks-delayed$/);
    const channelId = bot.slack.callsTo("conversations.invite").at(-1)!.params.channel;
    expect(bot.slack.callsTo("conversations.archive").map((c) => c.params.channel)).toEqual([channelId]);
    expect(await bot.bot.deps.incidents.listIncidents()).toHaveLength(before);
    expect(bot.lastReply()).toMatch(/^Sorry, that failed/);
    // The retry declares it, in a channel of its own (Slack keeps an archived channel's name).
    await bot.command("declare Webhooks delayed sev3", { user_id: "UDAVE" });
    expect(bot.lastReply()).toContain("Declared incident");
    expect(bot.slack.callsTo("conversations.create").at(-1)!.params.name).toMatch(/-webhooks-delayed-2$/);
  });

  it("declares the incident when Slack refuses the header, and posts the header with the next change", async () => {
    bot.slack.failNext("chat.postMessage", { error: "internal_error" });
    await bot.command("declare Billing exports stalled sev3", { user_id: "UDAVE" });
    // The declaration is answered for everyone in the channel; the note is the declarer's alone.
    const [declared, note] = bot.slack.responses().slice(-2);
    expect(declared).toMatchObject({ response_type: "in_channel" });
    expect(String(declared!.text)).toMatch(/^Declared incident #\d+: <#C\w+>\. /);
    expect(note).toMatchObject({ response_type: "ephemeral" });
    expect(String(note!.text)).toMatch(/pinned summary.*next change/);
    const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    expect(incident).toMatchObject({ title: "Billing exports stalled", headerTs: null });
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).map((e) => e.kind)).toEqual(["declared"]);

    const pinsBefore = bot.slack.callsTo("pins.add").length;
    await bot.command("severity sev2", { user_id: "UDAVE", channel_id: incident.channelId });
    const shown = await bot.bot.deps.incidents.getIncident(incident.id);
    expect(shown.headerTs).not.toBeNull();
    expect(
      bot.slack
        .callsTo("pins.add")
        .slice(pinsBefore)
        .map((c) => c.params),
    ).toEqual([{ channel: incident.channelId, timestamp: shown.headerTs }]);
    const header = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === incident.channelId && c.params.blocks)
      .at(-1)!;
    expect(JSON.stringify(header.params.blocks)).toContain("*Severity:* SEV2");
  });
});

describe("running the incident", () => {
  it("changes status, severity and roles, each a typed entry, with the header updated in place", async () => {
    const updatesBefore = bot.slack.callsTo("chat.update").length;
    await bot.command("status identified", { channel_id: channel, user_id: "UALICE" });
    await bot.command("severity sev1", { channel_id: channel, user_id: "UALICE" });
    await bot.command("role tech-lead <@UBOB|bob>", { channel_id: channel, user_id: "UALICE" });
    await bot.command("role liaison @carol", { channel_id: channel, user_id: "UALICE" });
    const incident = await bot.bot.deps.incidents.getIncident(incidentId);
    expect(incident).toMatchObject({
      status: "identified",
      severity: "sev1",
      roles: { commander: "UALICE", tech_lead: "UBOB", liaison: "UCAROL" },
    });
    const typed = (await entries()).filter((e) => ["status", "severity", "role"].includes(e.kind));
    expect(typed.map((e) => e.data)).toEqual([
      { field: "status", from: "investigating", to: "identified" },
      { field: "severity", from: "sev2", to: "sev1" },
      { field: "tech_lead", from: null, to: "UBOB" },
      { field: "liaison", from: null, to: "UCAROL" },
    ]);
    expect(typed.every((e) => e.authorId === "UALICE")).toBe(true);
    const updates = bot.slack.callsTo("chat.update").slice(updatesBefore);
    expect(updates).toHaveLength(4);
    expect(JSON.stringify(updates.at(-1)!.params.blocks)).toContain("<@UCAROL>");
    expect(
      bot.slack.callsTo("chat.postMessage").some((c) => String(c.params.text).includes("changed status from investigating to identified")),
    ).toBe(true);
  });

  it("sets impact and detection times read in the team's zone, and logs backdated entries", async () => {
    await bot.command("impact start 2h ago", { channel_id: channel });
    await bot.command("detected 90m ago", { channel_id: channel });
    await bot.command("log at 1h ago restarted the hub pods", { channel_id: channel, user_id: "UBOB" });
    const incident = await bot.bot.deps.incidents.getIncident(incidentId);
    expect(Date.now() - incident.impactStartedAt!.getTime()).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(Date.now() - incident.detectedAt!.getTime()).toBeLessThan(90 * 60_000 + 60_000);
    const log = (await entries()).find((e) => e.kind === "log")!;
    expect(log).toMatchObject({ text: "restarted the hub pods", authorId: "UBOB", highlight: true });
    expect(Math.abs(Date.now() - 3600_000 - log.occurredAt.getTime())).toBeLessThan(60_000);
  });

  it("keeps the lines of a multi-line log entry, backdated or not", async () => {
    await bot.command("log at yesterday 23:10 paged the on-call\nthen rolled back:\n$ kubectl rollout undo deploy/hub", {
      channel_id: channel,
      user_id: "UBOB",
    });
    await bot.command("log first line\nsecond line", { channel_id: channel, user_id: "UBOB" });
    const logs = (await entries()).filter((e) => e.kind === "log").map((e) => e.text);
    expect(logs).toEqual(
      expect.arrayContaining(["paged the on-call\nthen rolled back:\n$ kubectl rollout undo deploy/hub", "first line\nsecond line"]),
    );
  });

  it.each([
    ["status on-fire", "is not a status"],
    ["severity sev9", "is not a severity"],
    ["role janitor @bob", "is not a role"],
    ["role tech-lead <@UNOBODY1|ghost>", "is not a user"],
    ["impact start tomorrow-ish", "Couldn't read"],
    ["impact start 23:59 tomorrow", "Couldn't read"],
    ["frobnicate", "is not an /incident command"],
    ["log", "What should the entry say?"],
  ])("refuses `/incident %s` with an ephemeral explanation and writes nothing", async (text, expected) => {
    const before = (await entries()).length;
    const incidentBefore = await bot.bot.deps.incidents.getIncident(incidentId);
    await bot.command(text, { channel_id: channel });
    const reply = bot.slack.responses().at(-1)!;
    expect(reply.response_type).toBe("ephemeral");
    expect(String(reply.text)).toContain(expected);
    expect((await entries()).length).toBe(before);
    expect(await bot.bot.deps.incidents.getIncident(incidentId)).toEqual(incidentBefore);
  });

  it("refuses a time in the future with an example", async () => {
    await bot.command("log at 10m ago deploy", { channel_id: channel }); // fine
    const future = new Date(Date.now() + 3 * 3600_000);
    const hhmm = future.toLocaleTimeString("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" });
    if (
      future.toLocaleDateString("en-GB", { timeZone: "Europe/London" }) ===
      new Date().toLocaleDateString("en-GB", { timeZone: "Europe/London" })
    ) {
      await bot.command(`impact end ${hhmm}`, { channel_id: channel });
      expect(bot.lastReply()).toMatch(/future/i);
    }
  });

  it("says where subcommands work when used outside an incident channel", async () => {
    await bot.command("status monitoring", { channel_id: "CGENERAL" });
    expect(bot.lastReply()).toContain("works inside an incident channel");
  });
});

describe("capture", () => {
  it("stores messages and thread replies with Slack's own time, text verbatim, files and parent", async () => {
    const parent = message("```\n$ kubectl -n leap get pods\nhub-7d9 0/1 CrashLoopBackOff\n```", { ts: tsAgo(300) });
    const reply = message("looks like OOM, see <https://grafana.example.com/d/x|dashboard>", {
      ts: tsAgo(240),
      thread_ts: parent.ts,
      user: "UCAROL",
      files: [{ name: "oom.png", permalink: "https://files.slack.com/oom.png" }],
    });
    expect((await bot.event(parent)).status).toBe(200);
    expect((await bot.event(reply)).status).toBe(200);
    const stored = await byTs(parent.ts);
    expect(stored).toMatchObject({ kind: "message", authorId: "UBOB", text: parent.text, threadTs: null, highlight: false });
    expect(stored.occurredAt).toEqual(slackTsToDate(parent.ts));
    const storedReply = await byTs(reply.ts);
    expect(storedReply).toMatchObject({
      threadTs: parent.ts,
      authorId: "UCAROL",
      text: reply.text,
      files: [{ name: "oom.png", url: "https://files.slack.com/oom.png" }],
    });
  });

  it("ignores bot messages, joins and channels that are not incidents", async () => {
    const before = (await entries()).length;
    await bot.event(message("I am a bot", { bot_id: "B1", subtype: "bot_message" }));
    await bot.event(message("<@UDAVE> has joined the channel", { subtype: "channel_join", user: "UDAVE" }));
    await bot.event({ ...message("chatter elsewhere"), channel: "CRANDOM" });
    expect((await entries()).length).toBe(before);
  });

  it("a redelivered event changes nothing", async () => {
    const m = message("rolling back to 2024.08.1");
    await bot.event(m, { eventId: "EvSAME" });
    const before = await entries();
    const retry = await bot.event(m, { eventId: "EvSAME", retryNum: 1, retryReason: "http_timeout" });
    expect(retry.status).toBe(200);
    expect(await entries()).toEqual(before);
  });

  it("marks a :pushpin: message as a highlight until the last pushpin is removed", async () => {
    const m = message("memory limit raised to 2Gi, pods healthy");
    await bot.event(m);
    const reaction = (type: string, user: string) => ({
      type,
      user,
      reaction: "pushpin",
      item: { type: "message", channel, ts: m.ts },
      event_ts: tsAgo(1),
    });
    await bot.event(reaction("reaction_added", "UALICE"));
    await bot.event(reaction("reaction_added", "UBOB"));
    await bot.event(reaction("reaction_added", "UBOB")); // redelivered
    expect((await byTs(m.ts)).highlight).toBe(true);
    await bot.event(reaction("reaction_removed", "UALICE"));
    expect((await byTs(m.ts)).highlight).toBe(true);
    await bot.event(reaction("reaction_removed", "UBOB"));
    expect((await byTs(m.ts)).highlight).toBe(false);
    await bot.event({ ...reaction("reaction_added", "UALICE"), reaction: "eyes" });
    expect((await byTs(m.ts)).highlight).toBe(false);
  });

  it("keeps every earlier version of an edited message, and a deleted one as deleted", async () => {
    const m = message("the cause is the node pool");
    await bot.event(m);
    const edit = (text: string, previous: string, editTs: string) => ({
      type: "message",
      subtype: "message_changed",
      channel,
      ts: tsAgo(1),
      event_ts: tsAgo(1),
      message: { type: "message", user: "UBOB", text, ts: m.ts, edited: { user: "UBOB", ts: editTs } },
      previous_message: { type: "message", user: "UBOB", text: previous, ts: m.ts },
    });
    const firstEdit = edit("the cause is the memory limit", m.text, tsAgo(30));
    await bot.event(firstEdit);
    await bot.event(firstEdit, { retryNum: 1 });
    await bot.event(edit("the cause is the memory limit of the hub", "the cause is the memory limit", tsAgo(20)));
    const edited = await byTs(m.ts);
    expect(edited.text).toBe("the cause is the memory limit of the hub");
    expect(edited.revisions.map((r) => r.text)).toEqual(["the cause is the node pool", "the cause is the memory limit"]);

    await bot.event({
      type: "message",
      subtype: "message_deleted",
      channel,
      ts: tsAgo(1),
      deleted_ts: m.ts,
      event_ts: tsAgo(1),
      previous_message: { type: "message", user: "UBOB", text: edited.text, ts: m.ts },
    });
    expect(await byTs(m.ts)).toMatchObject({ deleted: true, text: "the cause is the memory limit of the hub" });
  });

  it("redacts secrets before storing them", async () => {
    const m = message(
      "try: curl -H 'Authorization: Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyz' https://api.github.com && psql postgresql://hub:hunter2@db:5432/hub",
    );
    await bot.event(m);
    const stored = await byTs(m.ts);
    expect(stored.text).not.toContain("ghp_0123456789");
    expect(stored.text).not.toContain("hunter2");
    expect(stored.text).toContain("[REDACTED]");
  });

  it("stores a burst of 500 messages as exactly 500 entries", async () => {
    const before = (await messages()).length;
    const burst = Array.from({ length: 500 }, (_, i) => message(`burst ${i}`, { ts: tsAgo(10) }));
    const responses = await Promise.all(burst.map((m) => bot.event(m)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect((await messages()).length).toBe(before + 500);
  }, 120_000);
});

describe("after a restart", () => {
  it("backfills what was said while the bot was down, without duplicates", async () => {
    const said = message("said before the restart");
    await bot.event(said);
    // While the bot is away, people keep talking (conversations.history has it all).
    const parentTs = tsAgo(2); // newer than anything recorded before the restart
    const before = (await messages()).length;
    await bot.bot.stop(); // the bot is down
    bot.slack.history.set(channel, [
      { type: "message", user: "UBOB", text: said.text, ts: said.ts },
      { type: "message", user: "UCAROL", text: "while you were away: node pool scaled", ts: parentTs, thread_ts: parentTs, reply_count: 1 },
      { type: "message", user: "UALICE", text: "reply in the thread", ts: tsAgo(1), thread_ts: parentTs },
      { type: "message", subtype: "bot_message", bot_id: "BBOT", text: "bot noise", ts: tsAgo(1) },
    ]);
    bot.slack.failNext("conversations.history", { status: 429, retryAfter: 1 });
    bot = await bot.restart();
    await bot.bot.idle();
    const after = await messages();
    expect(after.length).toBe(before + 2);
    expect(after.find((e) => e.ts === parentTs)?.text).toBe("while you were away: node pool scaled");
    expect(after.find((e) => e.text === "reply in the thread")?.threadTs).toBe(parentTs);
    expect(bot.slack.callsTo("conversations.history").length).toBeGreaterThanOrEqual(2); // the 429 was retried
  }, 60_000);
});

describe("replaying a real incident", () => {
  it("records the 2i2c LEAP outage timeline in order with its BST times", async () => {
    const timeline = await readLeapOutageTimeline();
    expect(timeline).toHaveLength(12);
    await bot.command("declare LEAP hub outage replay sev2");
    const replay = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    // Delivered in a shuffled order: the record is ordered by Slack's time, not arrival.
    for (const [i, row] of [...timeline.entries()].sort((a, b) => ((a[0] * 7) % 13) - ((b[0] * 7) % 13))) {
      await bot.event({
        type: "message",
        channel: replay.channelId,
        user: i % 2 ? "UBOB" : "UALICE",
        text: row.text,
        ts: dateToSlackTs(row.at),
        channel_type: "channel",
      });
    }
    const recorded = (await bot.bot.deps.incidents.listEntries(replay.id)).filter((e) => e.kind === "message");
    expect(recorded.map((e) => e.text)).toEqual(timeline.map((r) => r.text));
    expect(recorded.map((e) => formatInZone(e.occurredAt, "Europe/London", "HH:mm"))).toEqual(timeline.map((r) => r.clock));
    expect(recorded.map((e) => e.occurredAt.toISOString())).toEqual(timeline.map((r) => r.at.toISOString()));
  });
});

describe("answering commands", () => {
  const replyPath = (responseUrl: string) => new URL(responseUrl).pathname;

  it("answers /incident log in the command's ack once the entry is stored, posting nothing to the response_url", async () => {
    const responseUrl = bot.slack.responseUrl();
    const response = await bot.command("log drained hub-3 from the load balancer", { channel_id: channel, response_url: responseUrl });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_type: "ephemeral", text: expect.stringMatching(/^Logged: /) as unknown });
    const posted = bot.slack.calls.filter((c) => c.method === "response_url" && c.params.__path === replyPath(responseUrl));
    expect(posted.map((c) => c.params.__inAck)).toEqual([true]);
    expect((await entries()).some((e) => e.kind === "log" && e.text === "drained hub-3 from the load balancer")).toBe(true);
  });

  it("acks work that takes longer than a second empty, without waiting for it, and replies through the response_url", async () => {
    // Slack rate limits the owner's lookup for 2 s: the reply cannot be ready within the ack's budget.
    bot.slack.failNext("users.info", { status: 429, retryAfter: 2 });
    const responseUrl = bot.slack.responseUrl();
    const response = await sendCommandOnly(`action Rotate the leaked deploy key <@UBOB>`, responseUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(bot.answersTo(responseUrl)).toEqual([]); // acked while the work still waits out Slack's limit
    await bot.bot.idle();
    expect(bot.answersTo(responseUrl)).toEqual([expect.objectContaining({ text: expect.stringMatching(/^Added: /) as unknown })]);
  });

  /** The command's HTTP answer alone, without waiting for the work behind it (TestBot.command waits). */
  function sendCommandOnly(text: string, responseUrl: string) {
    const body = slashCommandBody({ text, channel_id: channel, user_id: "UALICE", response_url: responseUrl });
    return sendSigned(bot.eventsUrl, body, "application/x-www-form-urlencoded");
  }
});
