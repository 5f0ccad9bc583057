// Load: thousands of message events in concurrent bursts, some redelivered as Slack redelivers
// them, against one bot and against two replicas sharing one database. Nothing may be lost and
// nothing stored twice; with two replicas, every action item gets one GitHub issue and a late
// report one reminder. Correctness only: speed belongs in `npm run bench`.
import { retryPendingIssues, issueMarker } from "../../src/incidents/actionItems.js";
import { sendReportReminders } from "../../src/incidents/report/review.js";
import type { Incident, TimelineEntry } from "../../src/incidents/model.js";
import { ActionIds } from "../../src/slack/ids.js";
import { FakeGitHub } from "../support/fakeGitHub.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { messageStream, seededRandom, sendInBursts, withRedeliveries, type LoadMessage } from "../support/loadStream.js";
import { Replicas, served } from "../support/loadReplicas.js";
import { TestBot } from "../support/testBot.js";
import { createTestDatabase, type TestDatabase } from "../support/testDatabase.js";

const BURST = 50;
const HOUR = 3_600_000;

/** What is wrong with the stored messages, compared with what was sent (empty when all is well). */
function compare(sent: LoadMessage[], entries: TimelineEntry[]): string[] {
  const problems: string[] = [];
  const messages = entries.filter((e) => e.kind === "message");
  const byTs = new Map<string, TimelineEntry[]>();
  for (const e of messages) byTs.set(e.ts ?? "", [...(byTs.get(e.ts ?? "") ?? []), e]);
  for (const m of sent) {
    const stored = byTs.get(m.ts) ?? [];
    if (stored.length !== 1) problems.push(`${m.ts}: stored ${stored.length} times`);
    else if (stored[0]!.text !== m.text || stored[0]!.authorId !== m.user || stored[0]!.threadTs !== (m.threadTs ?? null))
      problems.push(`${m.ts}: stored as ${JSON.stringify(stored[0])}`);
    byTs.delete(m.ts);
  }
  for (const ts of byTs.keys()) problems.push(`${ts}: stored but never sent`);
  return problems.slice(0, 20);
}

describe("one bot under a burst of 5,000 message events", () => {
  let bot: TestBot;
  afterAll(() => bot?.stop());

  it("stores each of 5,000 messages exactly once when 10% are redelivered, some while the original is in flight", async () => {
    bot = await TestBot.start();
    await bot.command("declare Load test sev2", { user_id: "UALICE" });
    const [incident] = await bot.bot.deps.incidents.listIncidents();
    const random = seededRandom(5000);
    const { messages, requests } = messageStream(incident!.channelId, 5000, { startSeconds: Math.floor(Date.now() / 1000) - 3600, random });
    const stream = withRedeliveries(requests, { redeliverShare: 0.1, burst: BURST, random });
    expect(stream).toHaveLength(5500);
    expect(stream.filter((r) => r.retryNum === 1)).toHaveLength(500);

    const results = await sendInBursts(stream, BURST, () => bot.eventsUrl);

    expect(
      results.filter((r) => r.status !== 200).map((r) => `${r.request.eventId} retry=${r.request.retryNum ?? 0}: ${r.status}`),
    ).toEqual([]);
    const entries = await bot.bot.deps.incidents.listEntries(incident!.id);
    expect(entries.filter((e) => e.kind === "message")).toHaveLength(5000);
    expect(compare(messages, entries)).toEqual([]);
    expect(entries.filter((e) => e.kind !== "message").map((e) => e.kind)).toEqual(["declared"]);
  });
});

describe("two replicas on one database behind one request stream", () => {
  let slack: FakeSlack;
  let github: FakeGitHub;
  let replicas: Replicas;
  let a: TestBot;
  let b: TestBot;
  let incident: Incident;
  /** Shared by both replicas, so the test can move time forward for both at once. */
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);

  beforeAll(async () => {
    let database: TestDatabase;
    [database, slack, github] = await Promise.all([createTestDatabase(), FakeSlack.start(), FakeGitHub.start()]);
    replicas = new Replicas(database, { slack, github });
    a = await replicas.start({ now });
    b = await replicas.start({ now });
  });
  afterAll(async () => {
    await replicas?.dispose();
    await Promise.all([slack?.close(), github?.close()]);
  });

  const idle = (...bots: TestBot[]) => Promise.all(bots.map((r) => r.bot.idle()));
  const issuesWith = (marker: string) => github.issues.filter((i) => i.body.includes(marker));
  const reminders = () => slack.callsTo("chat.postMessage").filter((c) => String(c.params.text).includes("is not published yet"));

  it("stores each message once when every event goes to one replica and its redelivery to the other", async () => {
    // Declared on A; B sees the channel for the first time in the middle of the stream.
    await a.command("declare Replicated checkout outage sev1", { user_id: "UALICE" });
    incident = (await a.bot.deps.incidents.listIncidents()).at(-1)!;
    const random = seededRandom(2);
    const { messages, requests } = messageStream(incident.channelId, 1000, {
      startSeconds: Math.floor(Date.now() / 1000) - 600,
      random,
      prefix: "repl",
    });
    const stream = withRedeliveries(requests, { redeliverShare: 0.1, burst: BURST, random });
    const firstTo = new Map(requests.map((r) => [r.eventId, random() < 0.5 ? a : b]));
    const results = await sendInBursts(stream, BURST, (r) => {
      const first = firstTo.get(r.eventId)!;
      return (r.retryNum ? (first === a ? b : a) : first).eventsUrl;
    });
    expect(results.filter((r) => r.status !== 200).map((r) => `${r.request.eventId}: ${r.status}`)).toEqual([]);
    expect(new Set(results.map((r) => firstTo.get(r.request.eventId)))).toEqual(new Set([a, b]));
    expect(compare(messages, await b.bot.deps.incidents.listEntries(incident.id))).toEqual([]);
  });

  it("opens one issue per action item when A resolves while B's Retry button and both sweepers run", async () => {
    await a.command("action Add a queue depth alert", { channel_id: incident.channelId });
    await b.command("action Load-test the checkout service", { channel_id: incident.channelId });
    await a.command("action Document the failover runbook", { channel_id: incident.channelId });
    expect((await a.bot.deps.actionItems.listActionItems(incident.id)).map((i) => i.number)).toEqual([1, 2, 3]);

    // GitHub creates the first issue but the answer is lost: whoever retries must find it, not
    // open a second one.
    github.failNext(/^POST \/repos\/acme\/incidents\/issues$/, { status: 502, afterApplying: true });

    // `/incident resolve` on A, the Retry button on B, and both replicas' sweepers, all at once.
    let resolving = true;
    const sweepWhileResolving = async (replica: TestBot) => {
      do {
        await retryPendingIssues(replica.bot.deps);
        await new Promise((r) => setTimeout(r, 25));
      } while (resolving);
    };
    await Promise.all([
      a.command("resolve Failed over to the standby region", { channel_id: incident.channelId }).finally(() => (resolving = false)),
      b.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UBOB", incident.channelId),
      sweepWhileResolving(a),
      sweepWhileResolving(b),
    ]);
    await idle(a, b);

    // The item whose answer was lost waits out its backoff; then both sweepers race for it.
    offsetMs = 2 * HOUR;
    await Promise.all([retryPendingIssues(a.bot.deps), retryPendingIssues(b.bot.deps)]);
    await idle(a, b);

    const items = await a.bot.deps.actionItems.listActionItems(incident.id);
    for (const item of items) {
      const issues = issuesWith(issueMarker(item));
      expect({ item: item.text, issues: issues.length }).toEqual({ item: item.text, issues: 1 });
      expect(item.issueUrl).toBe(issues[0]!.html_url);
    }
    expect(github.issues).toHaveLength(3);
    expect((await a.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "resolved")).toHaveLength(1);
  });

  it("reminds the liaison once when both replicas start 49 h after the incident was resolved", async () => {
    const resolvedAt = (await a.bot.deps.incidents.getIncident(incident.id)).resolvedAt!;
    await Promise.all([a.bot.stop(), b.bot.stop()]);
    expect(reminders()).toHaveLength(0);
    // Each runs the reminder sweep at start-up.
    let clock = resolvedAt.getTime() + 49 * HOUR;
    const later = () => new Date(clock);
    const c = await replicas.start({ now: later });
    const d = await replicas.start({ now: later });
    await idle(c, d);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.params.channel).toBe(incident.channelId);
    // Both sweep again the same day, at once: nothing more. The next day: one more, not two.
    expect(await Promise.all([sendReportReminders(c.bot.deps, 48), sendReportReminders(d.bot.deps, 48)])).toEqual([0, 0]);
    clock += 25 * HOUR;
    expect((await Promise.all([sendReportReminders(c.bot.deps, 48), sendReportReminders(d.bot.deps, 48)])).sort()).toEqual([0, 1]);
    expect(reminders()).toHaveLength(2);
    expect(github.issues).toHaveLength(3);
  });

  it("starts two replicas at the same moment on one database", async () => {
    // As a deployment of two replicas does. Both migrate at start-up (nothing to apply here).
    const started = await Promise.allSettled([0, 1].map(() => TestBot.start({ database: replicas.database, slack, github })));
    const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    replicas.all.push(...up);
    expect(await Promise.all(up.map(served))).toEqual(up.map(() => 200));
    expect(started.map((s) => (s.status === "fulfilled" ? "started" : String(s.reason).split("\n")[0]))).toEqual(["started", "started"]);
  });
});
