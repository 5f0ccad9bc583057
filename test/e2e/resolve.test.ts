// Resolving: the draft report, and one GitHub issue per action item, exactly once, whatever
// Slack, GitHub or the process do.
import { loadReport } from "../../src/incidents/report/review.js";
import { dateToSlackTs } from "../../src/incidents/slackTime.js";
import { ActionIds } from "../../src/slack/ids.js";
import { messageEvent, replayLeapOutage } from "../support/slackMessages.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
afterEach(() => bot?.stop());

const declare = (title: string, user = "UALICE") => bot.declare(title, user);

const issuesFor = (incidentNumber: number) => bot.github.issues.filter((i) => i.labels.includes(`incident-${incidentNumber}`));

describe("resolving", () => {
  it("marks it resolved, opens one issue per action item with context, and posts the summary", async () => {
    bot = await TestBot.start();
    const incident = await declare("Checkout API returning 500s sev1");
    const channel = incident.channelId;
    await bot.command("github-login bob-gh", { user_id: "UBOB" });
    await bot.command("action Alert on certificate expiry @bob due 2099-01-31", { channel_id: channel });
    await bot.command("action Write a runbook for rotating certificates", { channel_id: channel });
    await bot.command("action Typo fix we will not do", { channel_id: channel });
    await bot.command("summary Certificate expired on the checkout load balancer", { channel_id: channel });
    const items = await bot.bot.deps.actionItems.listActionItems(incident.id);
    await bot.press({ action_id: ActionIds.markActionDone, selected_option: { value: `dropped:${items[2]!.id}` } }, "UALICE", channel);

    const resolveResponse = await bot.command("resolve Renewed the certificate and reloaded the load balancer", {
      channel_id: channel,
      user_id: "UALICE",
    });
    expect(resolveResponse.status).toBe(200);

    const resolved = await bot.bot.deps.incidents.getIncident(incident.id);
    expect(resolved).toMatchObject({ status: "resolved", resolution: "Renewed the certificate and reloaded the load balancer" });
    expect(resolved.impactEndedAt).toEqual(resolved.resolvedAt);

    const issues = issuesFor(resolved.number);
    expect(issues).toHaveLength(2); // the dropped item gets none
    const alert = issues.find((i) => i.title === "Alert on certificate expiry")!;
    expect(alert.labels).toEqual(expect.arrayContaining([`incident-${resolved.number}`, "severity:sev1"]));
    expect(alert.assignees).toEqual(["bob-gh"]);
    // "#1" would link an unrelated issue on GitHub: written with an invisible break (safeMarkdown.ts).
    expect(alert.body).toContain(`incident #&#8203;${resolved.number}: Checkout API returning 500s`);
    expect(alert.body).toContain(`#${resolved.channelName}`);
    expect(alert.body).toContain("Due: 2099-01-31");
    expect(alert.body).toContain("Certificate expired on the checkout load balancer");
    expect(issues.find((i) => i.title.startsWith("Write a runbook"))!.assignees).toEqual([]);

    const summary = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === channel)
      .at(-1)!;
    const text = JSON.stringify(summary.params.blocks);
    expect(text).toContain(`Incident #${resolved.number} resolved`);
    expect(text).toContain(alert.html_url);
    expect(text).toContain("/incident report");
    expect(text).not.toContain(ActionIds.retryActionItemIssue);
    const header = bot.slack.callsTo("chat.update").at(-1)!;
    expect(JSON.stringify(header.params.blocks)).toContain("resolved");
  });

  it("never opens a second issue: resolving twice, /resolve, a retried command, the Retry button", async () => {
    bot = await TestBot.start();
    const incident = await declare("Queue backlog");
    await bot.command("action Add a queue depth alert", { channel_id: incident.channelId });
    await bot.command("resolve", { channel_id: incident.channelId, trigger_id: "trigger-resolve-1" });
    await bot.command("resolve", { channel_id: incident.channelId, trigger_id: "trigger-resolve-1" }, { retryNum: 1 });
    await bot.command("", { command: "/resolve", channel_id: incident.channelId });
    expect(bot.lastReply()).toContain("already resolved");
    await bot.command("status resolved", { channel_id: incident.channelId });
    expect(bot.lastReply()).toContain("already resolved");
    await bot.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UALICE", incident.channelId);
    expect(issuesFor(incident.number)).toHaveLength(1);
    const resolvedEntries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "resolved");
    expect(resolvedEntries).toHaveLength(1);
  });

  it("keeps an item pending while GitHub fails, then opens its one issue when GitHub recovers", async () => {
    bot = await TestBot.start();
    const incident = await declare("Search index stale");
    await bot.command("action Reindex nightly", { channel_id: incident.channelId });
    bot.github.failNext(/POST \/repos\/acme\/incidents\/issues$/, { status: 500 }, 2);
    await bot.command("resolve", { channel_id: incident.channelId });
    expect(issuesFor(incident.number)).toHaveLength(0);
    const [pending] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    expect(pending!.issueUrl).toBeNull();
    expect(pending!.lastError).toMatch(/Server Error|500/);
    const summary = bot.slack.callsTo("chat.postMessage").at(-1)!;
    expect(JSON.stringify(summary.params.blocks)).toContain("issue pending");
    expect(JSON.stringify(summary.params.blocks)).toContain(ActionIds.retryActionItemIssue);

    // Still down on the first retry, then up (and rate limited once on the way: waited out).
    await bot.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UBOB", incident.channelId);
    expect(issuesFor(incident.number)).toHaveLength(0);
    bot.github.failNext(/POST \/repos\/acme\/incidents\/issues$/, { status: 403, rateLimitResetInSeconds: 1 });
    const { responseUrl } = await bot.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UBOB", incident.channelId);
    expect(issuesFor(incident.number)).toHaveLength(1);
    const replaced = bot.answersTo(responseUrl).at(-1)!;
    expect(replaced.replace_original).toBe(true);
    expect(JSON.stringify(replaced.blocks)).toContain(issuesFor(incident.number)[0]!.html_url);
  });

  it("does not duplicate an issue GitHub created when the answer was lost", async () => {
    bot = await TestBot.start();
    const incident = await declare("Payments webhook timeouts");
    await bot.command("action Make webhook handler idempotent", { channel_id: incident.channelId });
    bot.github.failNext(/POST \/repos\/acme\/incidents\/issues$/, { status: 502, afterApplying: true });
    await bot.command("resolve", { channel_id: incident.channelId });
    expect(issuesFor(incident.number)).toHaveLength(1); // created, but we never heard
    expect((await bot.bot.deps.actionItems.listActionItems(incident.id))[0]!.issueUrl).toBeNull();
    await bot.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UALICE", incident.channelId);
    expect(issuesFor(incident.number)).toHaveLength(1);
    expect((await bot.bot.deps.actionItems.listActionItems(incident.id))[0]!.issueUrl).toBe(issuesFor(incident.number)[0]!.html_url);
  });

  it("after a restart mid-resolve, the sweeper opens the missing issues, each once", async () => {
    bot = await TestBot.start();
    const incident = await declare("Cache stampede");
    await bot.command("action Add request coalescing", { channel_id: incident.channelId });
    await bot.command("action Add jitter to TTLs", { channel_id: incident.channelId });
    // GitHub is down while resolving; then the process is stopped.
    bot.github.failNext(/POST \/repos\/acme\/incidents\/issues$/, { status: 500 }, 100);
    await bot.command("resolve", { channel_id: incident.channelId });
    expect(issuesFor(incident.number)).toHaveLength(0);
    bot.github.clearFailures(); // GitHub is back
    // Back after the backoff: the sweeper at start-up does the rest.
    bot = await bot.restart({ now: () => new Date(Date.now() + 2 * 3600_000) });
    await bot.bot.idle();
    expect(
      issuesFor(incident.number)
        .map((i) => i.title)
        .sort(),
    ).toEqual(["Add jitter to TTLs", "Add request coalescing"]);
    bot = await bot.restart();
    await bot.bot.idle();
    expect(issuesFor(incident.number)).toHaveLength(2);
  });

  it("re-opens a resolved incident on request, and records it", async () => {
    bot = await TestBot.start();
    const incident = await declare("Flaky DNS");
    await bot.command("resolve", { channel_id: incident.channelId });
    await bot.command("status investigating", { channel_id: incident.channelId });
    const reopened = await bot.bot.deps.incidents.getIncident(incident.id);
    expect(reopened).toMatchObject({ status: "investigating", resolvedAt: null });
    // Recorded as its facts, and read as a reopening where people see it: the channel and the report.
    const entry = (await bot.bot.deps.incidents.listEntries(incident.id)).at(-1)!;
    expect(entry).toMatchObject({ kind: "status", text: "", data: { field: "status", from: "resolved", to: "investigating" } });
    const notice = bot.slack.callsTo("chat.postMessage").at(-1)!.params.text;
    expect(notice).toBe("<@UALICE> re-opened the incident: status resolved → investigating");
    const timeline = (await loadReport(bot.bot.deps, incident.id)).compiled.sections.timeline.markdown;
    expect(timeline).toContain("Re-opened (status → investigating)");
  });

  it("refuses bad action items with the right form, and writes nothing", async () => {
    bot = await TestBot.start();
    const incident = await declare("Bad input");
    await bot.command("action", { channel_id: incident.channelId });
    expect(bot.lastReply()).toContain("/incident action <text>");
    await bot.command("action Do the thing due someday", { channel_id: incident.channelId });
    expect(bot.lastReply()).toMatch(/due|date/i);
    await bot.command("action Do the thing @nobody-here", { channel_id: incident.channelId });
    expect(bot.lastReply()).toContain("is not a user");
    expect(await bot.bot.deps.actionItems.listActionItems(incident.id)).toEqual([]);
  });
});

describe("the draft report of a replayed real incident", () => {
  it("reproduces the LEAP outage timeline with its BST times", async () => {
    bot = await TestBot.start();
    const incident = await declare("LEAP hub outage");
    const timeline = await replayLeapOutage(bot, incident.channelId);
    await bot.event(
      messageEvent(incident.channelId, "chatter that is not a highlight", {
        user: "UCAROL",
        ts: dateToSlackTs(new Date(Date.UTC(2025, 7, 12, 16, 40))),
      }),
    );
    await bot.command("action Write a small document for incident response", { channel_id: incident.channelId });
    await bot.command("resolve Re-deployed prod after removing the last user pod", { channel_id: incident.channelId });

    const { loadReport } = await import("../../src/incidents/report/review.js");
    const { compiled } = await loadReport(bot.bot.deps, incident.id);
    const timelineSection = compiled.sections.timeline.markdown;
    // Declared today, replayed in August: the report names both of London's zones, each time its own.
    expect(compiled.timeZoneLabel).toContain("BST");
    // Every time and its text, in the original order.
    let position = -1;
    for (const row of timeline) {
      const at = timelineSection.indexOf(`**${row.clock} BST**`, position + 1);
      expect(at).toBeGreaterThan(position);
      position = at;
      expect(timelineSection.slice(at)).toContain(row.text.split("\n")[0]);
    }
    expect(timelineSection).not.toContain("chatter that is not a highlight");
    expect(compiled.sections.action_items.markdown).toContain(issuesFor(incident.number)[0]!.html_url);
    expect(compiled.markdown).toContain("Re-deployed prod after removing the last user pod");
  });
});
