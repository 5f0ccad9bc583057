// Private incidents (issue 24), driven as Slack drives the bot: a private channel with only the
// declarer in it and a private answer; nothing announced, no Join, no invitations by severity but
// INVITE_ON_DECLARE_PRIVATE's; updates kept in the channel; no public update, public title, status
// page entry (every endpoint) or Statuspage push; follow-ups and the shortcut's picker shown only to
// members of the channel; issues and the report only in the private repositories, or nowhere;
// `/incident invite` by the policy; a declaration refused for missing scopes with nothing made.
import { exportAll, importAll, parseExport } from "../../src/store/transfer.js";
import { openDatabase } from "../../src/database/database.js";
import { statusPageRoutes } from "../../src/statusPage/routes.js";
import { SlackChannelMembers } from "../../src/slack/privateChannels.js";
import { ActionIds, BlockIds, CallbackIds, ShortcutIds } from "../../src/slack/ids.js";
import { loadReport } from "../../src/incidents/report/review.js";
import { retryPendingIssues } from "../../src/incidents/actionItems.js";
import type { Incident } from "../../src/incidents/model.js";
import { formatInZone } from "../../src/incidents/time/format.js";
import { BOT_USER_ID } from "../support/fakeSlackMembers.js";
import { FakeStatuspage } from "../support/fakeStatuspage.js";
import { runCli } from "../support/cliProcess.js";
import { TestBot } from "../support/testBot.js";
import { createTestDatabase } from "../support/testDatabase.js";

const INCIDENTS = "C0INCIDENTS";
const UPDATES = "C0UPDATES";
const GENERAL = "CGENERAL";
const PRIVATE_ISSUES = "acme/security-incidents";
const PRIVATE_REPORTS = "acme/security-reports";
const DAY = 86_400_000;

let bot: TestBot;
let statuspage: FakeStatuspage | undefined;
afterEach(async () => {
  await bot?.stop();
  await statuspage?.close();
  statuspage = undefined;
});

/** The membership cache's figures over this file's bots (reported once, at the end). */
const cacheTotals = { hits: 0, reads: 0 };
function countCache() {
  const { stats } = bot.bot.deps.members as SlackChannelMembers;
  cacheTotals.hits += stats.hits;
  cacheTotals.reads += stats.reads;
}
afterAll(() => {
  const lookups = cacheTotals.hits + cacheTotals.reads;
  if (lookups > 0) {
    const rate = ((100 * cacheTotals.hits) / lookups).toFixed(0);
    const { hits, reads } = cacheTotals;
    process.stdout.write(`conversations.members cache: ${hits} hits, ${reads} reads from Slack (${rate}% hit rate)\n`);
  }
});

/** The bot's clock: real time moved on by `offset` (the membership cache reads it). */
let offset = 0;
const now = () => new Date(Date.now() + offset);
beforeEach(() => (offset = 0));

const webApiCalls = () => bot.slack.calls.filter((c) => c.method !== "response_url" && c.method !== "file_upload");
const postedIn = (channel: string) => bot.slack.callsTo("chat.postMessage").filter((c) => c.params.channel === channel);
const textOf = (call: { params: Record<string, unknown> }) => `${String(call.params.text)} ${JSON.stringify(call.params.blocks ?? [])}`;

/** Declares a private incident by `/incident declare ... private` in #general, as `user`. */
async function declarePrivate(text: string, user = "UALICE"): Promise<Incident> {
  await bot.command(`declare ${text} private`, { user_id: user, channel_id: GENERAL });
  const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
  expect(incident.private).toBe(true);
  return incident;
}

describe("declaring a private incident", () => {
  it("makes a private channel with only the declarer in it, answers privately, announces nothing, invites by its own list", async () => {
    bot = await TestBot.start({
      env: { INCIDENTS_CHANNEL: INCIDENTS, INVITE_ON_DECLARE: "sev1=UBOB,UCAROL", INVITE_ON_DECLARE_PRIVATE: "sev1=UDAVE" },
    });
    const incident = await declarePrivate("Customer records exposed sev1");

    const created = bot.slack.callsTo("conversations.create");
    expect(created).toHaveLength(1);
    expect(created[0]!.params).toMatchObject({ name: expect.stringMatching(/^inc-\d{8}-customer-records-exposed$/), is_private: "true" });
    expect(bot.slack.members.privateChannels.has(incident.channelId)).toBe(true);
    // The declarer, the bot, and INVITE_ON_DECLARE_PRIVATE's person; not INVITE_ON_DECLARE's.
    expect([...bot.slack.members.members.get(incident.channelId)!].sort()).toEqual([BOT_USER_ID, "UALICE", "UDAVE"].sort());
    expect(postedIn(incident.channelId).map(textOf).join("\n")).toContain("`INVITE_ON_DECLARE_PRIVATE`");

    // No announcement, no Join, and the answer only to the declarer.
    expect(postedIn(INCIDENTS)).toEqual([]);
    const answers = bot.slack.responses();
    expect(answers.filter((a) => a.response_type === "in_channel")).toEqual([]);
    const answer = answers.find((a) => String(a.text).includes(`private incident #${incident.number}`))!;
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.stringify(answer.blocks)).toContain("/incident invite @user");
    expect(JSON.stringify(answers)).not.toContain(ActionIds.joinIncident);

    // Header, record and report say it is private.
    const header = postedIn(incident.channelId)[0]!;
    expect(String(header.params.text)).toContain("(investigating, SEV1, private)");
    expect(JSON.stringify(header.params.blocks)).toContain("🔒 Incident #");
    expect(JSON.stringify(header.params.blocks)).toContain("*Private incident:*");
    const [declared] = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(declared).toMatchObject({
      kind: "declared",
      text: "",
      data: expect.objectContaining({ title: "Customer records exposed", severity: "sev1", private: true }),
    });
    const report = await loadReport(bot.bot.deps, incident.id);
    expect(report.compiled.header).toContain("| Visibility | Private: its channel, issues and report are not public |");

    // Join on a forged button is refused: the incident takes no one that way.
    const join = await bot.press({ action_id: ActionIds.joinIncident, value: incident.id }, "UCAROL", INCIDENTS);
    expect(bot.answersTo(join.responseUrl).at(-1)!.text).toContain("is not open to join");
    expect(bot.slack.members.members.get(incident.channelId)!.has("UCAROL")).toBe(false);

    // Messages in the private channel (message.groups) are recorded like any other.
    const ts = bot.slack.nextTs();
    const message = { type: "message", channel: incident.channelId, channel_type: "group", user: "UALICE", text: "Rotating keys", ts };
    await bot.event(message);
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).some((e) => e.kind === "message" && e.ts === ts)).toBe(true);
  });

  it("costs one Slack call more than a public declaration: auth.test, for the scopes granted now", async () => {
    bot = await TestBot.start();
    const callsDuring = async (work: () => Promise<unknown>) => {
      const from = webApiCalls().length;
      await work();
      return webApiCalls()
        .slice(from)
        .map((c) => c.method);
    };
    const publicCalls = await callsDuring(() => bot.declare("Disk full on a build runner sev2"));
    const privateCalls = await callsDuring(() => declarePrivate("Laptop stolen sev2"));
    expect(publicCalls).not.toContain("auth.test");
    expect([...privateCalls].sort()).toEqual([...publicCalls, "auth.test"].sort());
  });

  it("makes the Declare modal's Private checkbox a private incident, answered in a direct message to the declarer", async () => {
    bot = await TestBot.start({ env: { INCIDENTS_CHANNEL: INCIDENTS } });
    await bot.globalShortcut(ShortcutIds.declare, "UCAROL");
    const opened = bot.slack.members.openedViews.at(-1)!;
    const checkbox = (opened.view.blocks as { block_id?: string; element?: { type: string; options?: { value: string }[] } }[]).find(
      (b) => b.block_id === BlockIds.declarePrivate,
    )!;
    expect(checkbox.element).toMatchObject({ type: "checkboxes", options: [expect.objectContaining({ value: "private" })] });
    await bot.submitOpenedView(
      opened,
      {
        [BlockIds.declareTitle]: { [BlockIds.declareTitle]: { type: "plain_text_input", value: "Harassment report" } },
        [BlockIds.declareSeverity]: { [BlockIds.declareSeverity]: { type: "static_select", selected_option: { value: "sev2" } } },
        [BlockIds.declarePrivate]: { [BlockIds.declarePrivate]: { type: "checkboxes", selected_options: [{ value: "private" }] } },
      },
      "UCAROL",
    );
    const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    expect(incident).toMatchObject({ private: true, declaredBy: "UCAROL", title: "Harassment report" });
    expect(bot.slack.members.privateChannels.has(incident.channelId)).toBe(true);
    expect(postedIn(INCIDENTS)).toEqual([]);
    const dm = postedIn("UCAROL").at(-1)!;
    expect(String(dm.params.text)).toContain(`Declared private incident #${incident.number}`);
    expect(JSON.stringify(dm.params.blocks)).not.toContain(ActionIds.joinIncident);
  });

  it("is refused, with nothing made, when the workspace has not granted the private-channel scopes; public ones still work", async () => {
    bot = await TestBot.start();
    bot.slack.scopes = bot.slack.scopes.filter((scope) => scope !== "groups:write" && scope !== "groups:history");
    await bot.command("declare Payroll data leaked sev1 private", { user_id: "UALICE", channel_id: GENERAL });
    const refusal = bot.slack.responses().at(-1)!;
    expect(refusal).toMatchObject({ response_type: "ephemeral" });
    expect(String(refusal.text)).toContain("the workspace has not granted it `groups:write`, `groups:history`. Nothing was created.");
    expect(bot.slack.callsTo("conversations.create")).toEqual([]);
    expect(bot.slack.callsTo("conversations.archive")).toEqual([]);
    expect(await bot.bot.deps.incidents.listIncidents()).toEqual([]);
    expect(bot.slack.members.privateChannels.size).toBe(0);

    const open = await bot.declare("Build queue stuck sev3");
    expect(open.private).toBe(false);
  });
});

describe("nothing leaves the channel", () => {
  /** A published public update and a public summary written straight into the store, as no command can for a private incident. */
  async function forcePublic(incident: Incident, text: string) {
    const at = new Date();
    const { prisma } = bot.bot.database;
    await prisma.stakeholderUpdate.create({
      data: {
        incidentId: incident.id,
        sourceKey: `command:forced-${text}`,
        public: true,
        text,
        status: "investigating",
        postedBy: "UALICE",
        createdAt: at,
        publishedAt: at,
      },
    });
    const publicSummary = `## Summary\n\n${text} (summary)`;
    await prisma.report.update({ where: { incidentId: incident.id }, data: { publicSummary, publishedAt: at } });
  }

  it("refuses a public update and title, keeps updates out of UPDATES_CHANNEL; no status page endpoint or Statuspage has it", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({
      env: {
        UPDATES_CHANNEL: UPDATES,
        STATUS_PAGE: "true",
        STATUSPAGE_API_KEY: statuspage.apiKey,
        STATUSPAGE_PAGE_ID: statuspage.pageId,
        STATUSPAGE_API_URL: statuspage.apiUrl,
      },
    });
    const secret = await declarePrivate("Credentials of tenant Globex leaked sev1");
    const channel = secret.channelId;

    await bot.command("update public We are investigating an issue", { channel_id: channel, user_id: "UALICE" });
    expect(bot.lastReply()).toContain("This incident is private: customers never hear of it, so it has no public updates");
    await bot.command("public-title Degraded logins", { channel_id: channel, user_id: "UALICE" });
    expect(bot.lastReply()).toContain("so it has no public title");
    expect(await bot.bot.database.prisma.stakeholderUpdate.count()).toBe(0);
    expect((await bot.bot.deps.incidents.getIncident(secret.id)).publicTitle).toBeNull();

    await bot.command("update Keys rotated; auditing access logs", { channel_id: channel, user_id: "UALICE" });
    expect(postedIn(channel).map(textOf).join("\n")).toContain("Keys rotated; auditing access logs");
    expect(postedIn(UPDATES)).toEqual([]);
    expect(bot.lastReply()).toContain(`only here: the incident is private, so it does not go to <#${UPDATES}>`);

    // A public incident beside it, which customers do see: the control that the page works.
    const open = await bot.declare("Checkout errors sev2");
    await bot.command("update public Some card payments fail; we are on it", { channel_id: open.channelId, user_id: "UALICE" });
    const preview = bot.slack.responses().at(-1)!.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
    const publish = preview.flatMap((block) => block.elements ?? []).find((element) => element.action_id === ActionIds.publishUpdate)!;
    await bot.press(publish, "UALICE", open.channelId);
    await bot.command("update Internal: gateway pods restarted", { channel_id: open.channelId, user_id: "UALICE" });
    expect(postedIn(UPDATES).map(textOf).join("\n")).toContain("gateway pods restarted");

    // Even were a public update and summary stored for the private incident, no endpoint shows it.
    await forcePublic(secret, "Tenant Globex credentials rotated");
    bot.bot.statusPage!.invalidate();
    // Every path the status page serves, so an endpoint added later is covered too.
    const routes = statusPageRoutes({ readModel: bot.bot.statusPage!, title: "t", timeZone: "UTC" });
    const paths = [...new Set(routes.map((route) => route.path))];
    expect(paths.length).toBeGreaterThanOrEqual(4);
    for (const path of paths) {
      const response = await fetch(`${bot.url}${path}`);
      const body = await response.text();
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      // Every route that lists incidents shows the public one (status, components and maintenances list none).
      if (!/status\.json|components|maintenances/.test(path))
        expect({ path, shown: body.includes("Some card payments fail") }).toEqual({ path, shown: true });
      const leaks = ["Globex", secret.id, `Incident #${secret.number}<`, `incident-${secret.number}-`, `"Incident #${secret.number}"`];
      for (const leak of leaks) {
        expect({ path, leak, found: body.includes(leak) }).toEqual({ path, leak, found: false });
      }
    }

    // Statuspage takes the public incident's update, and nothing of the private one.
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 0, failed: 0 }); // the public one went when published
    expect(JSON.stringify(statuspage.incidents)).toContain("Some card payments fail");
    expect(JSON.stringify(statuspage.calls)).not.toContain("Globex");
    expect(await bot.bot.database.prisma.stakeholderUpdate.count({ where: { incidentId: secret.id, pushedAt: { not: null } } })).toBe(0);
  });

  it("reminds the owner of an overdue item in the private channel, not in a direct message", async () => {
    bot = await TestBot.start({ now });
    const secret = await declarePrivate("Insider access review sev3");
    const tomorrow = formatInZone(new Date(Date.now() + DAY), "Europe/London", "yyyy-MM-dd");
    const action = `action Revoke the contractor's VPN access @bob due ${tomorrow}`;
    await bot.command(action, { channel_id: secret.channelId, user_id: "UALICE" });
    offset = 3 * DAY;
    bot = await bot.restart({ now }); // the sweep at start-up sends what is due
    await bot.bot.idle();
    expect(postedIn("UBOB")).toEqual([]);
    expect(postedIn(secret.channelId).map(textOf).join("\n")).toContain(`<@UBOB>, action item 1 was due ${tomorrow} and is still open`);
  });
});

describe("lists typed outside the channel", () => {
  const followUps = async (user: string, filter = "") => {
    await bot.command(`followups ${filter}`.trim(), { channel_id: GENERAL, user_id: user });
    return JSON.stringify(bot.slack.responses().at(-1));
  };

  it("show a private incident's follow-ups and title only to members of its channel, asking Slack once a minute per channel", async () => {
    bot = await TestBot.start({ now });
    const secret = await declarePrivate("Globex tenant data exposed sev2");
    await bot.command("action Rotate every Globex API key @alice", { channel_id: secret.channelId, user_id: "UALICE" });
    const open = await bot.declare("Search slow sev3");
    await bot.command("action Add a search latency alert @bob", { channel_id: open.channelId, user_id: "UALICE" });
    const reads = () => bot.slack.callsTo("conversations.members").length;

    const alices = await followUps("UALICE");
    expect(alices).toContain("Open action items* (2,");
    expect(alices).toContain("Globex tenant data exposed");
    expect(alices).toContain("Rotate every Globex API key");
    expect(reads()).toBe(1); // one private incident with open items: one read

    const bobs = await followUps("UBOB");
    expect(bobs).toContain("Open action items* (1,"); // the count leaves it out too
    expect(bobs).toContain("Add a search latency alert");
    expect(bobs).not.toContain("Globex");
    expect(await followUps("UBOB", "mine")).toContain("Add a search latency alert");
    expect(await followUps("UALICE", "mine")).toContain("Rotate every Globex API key");
    expect(reads()).toBe(1); // within the minute: from the cache

    // Bob is invited; within a minute the list knows.
    await bot.command("invite @bob", { channel_id: secret.channelId, user_id: "UALICE" });
    offset += 61_000;
    expect(await followUps("UBOB")).toContain("Rotate every Globex API key");
    expect(reads()).toBe(2);

    // Slack cannot say (the bot was removed from the channel): the incident is left out, for everyone.
    bot.slack.members.members.get(secret.channelId)!.delete(BOT_USER_ID);
    offset += 61_000;
    expect(await followUps("UALICE")).not.toContain("Globex");
    countCache();
  });

  it("are the operator's in the CLI: every incident, private ones marked", async () => {
    const database = await createTestDatabase({ onDisk: true, migrated: true });
    bot = await TestBot.start({ database });
    const secret = await declarePrivate("Globex tenant data exposed sev2");
    await bot.command("action Rotate every Globex API key", { channel_id: secret.channelId, user_id: "UALICE" });
    const where: Record<string, string> =
      database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir };
    const env = { LOG_LEVEL: "silent", ...where };
    const list = await runCli(["list"], env);
    const line = `^#1\tinvestigating\tSEV2\t.*\t#${secret.channelName} \\(private\\)\tGlobex tenant data exposed$`;
    expect(list.stdout).toMatch(new RegExp(line, "m"));
    const followups = await runCli(["followups"], env);
    expect(followups.stdout).toContain("#1 Globex tenant data exposed (private)\t1\t-\t-\t0d\tpending\tRotate every Globex API key");
  });

  it("offer a private incident in the Add to incident timeline picker only to members, and refuse its id from anyone else", async () => {
    bot = await TestBot.start({ now });
    const secret = await declarePrivate("Phishing campaign against finance sev2");
    const open = await bot.declare("Webhooks delayed sev3");
    const alert = { ts: bot.slack.nextTs(), user: "UCAROL", text: "Finance got a suspicious invoice email" };
    bot.slack.history.set(GENERAL, [alert]);
    const pickerFor = async (user: string) => {
      await bot.messageShortcut(ShortcutIds.addToTimeline, alert, { id: GENERAL, name: "general" }, user);
      const opened = bot.slack.members.openedViews.at(-1)!;
      expect(opened.view.callback_id).toBe(CallbackIds.addToTimelineModal);
      return opened;
    };
    const alices = JSON.stringify((await pickerFor("UALICE")).view.blocks);
    expect(alices).toContain("Phishing campaign against finance");
    expect(alices).toContain("Webhooks delayed");
    const bobsView = await pickerFor("UBOB");
    expect(JSON.stringify(bobsView.view.blocks)).not.toContain("Phishing");
    expect(JSON.stringify(bobsView.view.blocks)).toContain("Webhooks delayed");

    // A form naming the private incident anyway (made by hand, or from before Bob was removed).
    const choose = (incidentId: string) => ({
      [BlockIds.timelineIncident]: { [BlockIds.timelineIncident]: { type: "static_select", selected_option: { value: incidentId } } },
    });
    await bot.submitOpenedView(bobsView, choose(secret.id), "UBOB");
    expect(String(bot.slack.responses().at(-1)!.text)).toContain("That incident is private and you are not in its channel");
    expect((await bot.bot.deps.incidents.listEntries(secret.id)).filter((e) => e.kind === "quoted")).toEqual([]);
    await bot.submitOpenedView(await pickerFor("UBOB"), choose(open.id), "UBOB");
    expect((await bot.bot.deps.incidents.listEntries(open.id)).filter((e) => e.kind === "quoted")).toHaveLength(1);
    countCache();
  });

  it("leave a private incident's channel name out of other incidents' reports and issues", async () => {
    bot = await TestBot.start();
    const secret = await declarePrivate("Breach at Initech sev1");
    const open = await bot.declare("Login errors sev2");
    await bot.command(`log Security follow-up is in <#${secret.channelId}>`, { channel_id: open.channelId, user_id: "UALICE" });
    await bot.command(`action Close the gap found in <#${secret.channelId}>`, { channel_id: open.channelId, user_id: "UALICE" });
    await bot.command("resolve Fixed", { channel_id: open.channelId, user_id: "UALICE" });
    const report = await loadReport(bot.bot.deps, open.id);
    expect(report.compiled.markdown).not.toContain("initech");
    expect(report.compiled.markdown).toContain(open.channelName);
    expect(JSON.stringify(bot.github.issues)).not.toContain("initech");
    expect(bot.github.issues).toHaveLength(1);
  });
});

describe("issues and the report of a private incident", () => {
  /** Resolves the incident, posts its report and takes it through review to Publish, as the team does. */
  async function publish(incident: Incident) {
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel, user_id: "UALICE" });
    await bot.command("summary Keys of the Globex tenant were readable by other tenants.", { channel_id: channel, user_id: "UALICE" });
    await bot.command("action Add a tenant-isolation test @bob", { channel_id: channel, user_id: "UALICE" });
    await bot.command("resolve Revoked and rotated the keys", { channel_id: channel, user_id: "UALICE" });
    await bot.command("report", { channel_id: channel, user_id: "UALICE" });
    const posted = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => String(c.params.text).startsWith("Report of incident"))
      .at(-1)!;
    const blocks = posted.params.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[];
    const actions = blocks.find((b) => b.type === "actions")!;
    const button = (id: string) => actions.elements!.find((e) => e.action_id === id)!;
    await bot.press(button(ActionIds.requestReview), "UALICE", channel);
    await bot.press(button(ActionIds.approveReport), "UBOB", channel);
    return bot.press(button(ActionIds.publishReport), "UALICE", channel);
  }
  const writesTo = (repository: string) => bot.github.writes().filter((c) => c.path.startsWith(`/repos/${repository}/`));
  const resolution = (channel: string) => postedIn(channel).find((c) => String(c.params.text).includes("resolved after"))!;

  it("go only to the private repositories, which are checked to be private; their webhook is followed", async () => {
    const env = { PRIVATE_GITHUB_REPOSITORY: PRIVATE_ISSUES, PRIVATE_REPORTS_REPOSITORY: PRIVATE_REPORTS, STATUS_PAGE: "true" };
    bot = await TestBot.start({ env });
    const secret = await declarePrivate("Globex keys readable sev1");
    const published = await publish(secret);

    const [item] = await bot.bot.deps.actionItems.listActionItems(secret.id);
    expect(item!.issueUrl).toMatch(new RegExp(`^https://github.com/${PRIVATE_ISSUES}/issues/\\d+$`));
    expect(bot.github.issues.map((issue) => issue.repo)).toEqual([PRIVATE_ISSUES]);
    expect(writesTo("acme/incidents")).toEqual([]);
    // Asked whether it is private: by start-up's check, and once by the bot before its first issue there.
    expect(bot.github.calls.filter((c) => c.method === "GET" && c.path === `/repos/${PRIVATE_ISSUES}`)).toHaveLength(2);

    const report = await bot.bot.deps.reports.getReport(secret.id);
    const publishedUrl = expect.stringContaining(`https://github.com/${PRIVATE_REPORTS}/blob/`);
    expect(report).toMatchObject({ status: "published", publishedUrl });
    expect([...bot.github.files.keys()].map((key) => key.split(":")[0])).toEqual([PRIVATE_REPORTS]);
    expect(writesTo("acme/incident-reports")).toEqual([]);
    const file = [...bot.github.files.values()][0]!.content;
    expect(file).toMatch(/^---\n(?:.*\n)*private: true\n/);
    expect(file).toContain("| Visibility | Private: its channel, issues and report are not public |");
    expect(bot.answersTo(published.responseUrl).filter((a) => a.replace_original === true)).toHaveLength(1);
    // No customer-facing summary is kept for the status page.
    expect((await bot.bot.database.prisma.report.findUnique({ where: { incidentId: secret.id } }))!.publicSummary).toBeNull();

    // Closing the issue in the private repository marks the item done (the webhook covers both repositories).
    bot.github.setIssueState(item!.issueNumber!, "closed");
    expect((await bot.githubWebhook({ action: "closed", number: item!.issueNumber! })).status).toBe(200);
    expect((await bot.bot.deps.actionItems.listActionItems(secret.id))[0]!.status).toBe("done");
  });

  it("wait, saying why, and are published nowhere without the private repositories; never in the public ones", async () => {
    bot = await TestBot.start();
    const secret = await declarePrivate("Globex keys readable sev1");
    const published = await publish(secret);

    expect(bot.github.issues).toEqual([]);
    expect(bot.github.writes()).toEqual([]);
    const [item] = await bot.bot.deps.actionItems.listActionItems(secret.id);
    expect(item).toMatchObject({ issueUrl: null, status: "open" });
    const summary = JSON.stringify(resolution(secret.channelId).params.blocks);
    expect(summary).toContain("its action items become issues only in `PRIVATE_GITHUB_REPOSITORY`, which is not set");
    expect(summary).not.toContain(ActionIds.retryActionItemIssue); // retrying cannot help
    await bot.command("actions", { channel_id: secret.channelId, user_id: "UALICE" });
    expect(JSON.stringify(bot.slack.responses().at(-1)!.blocks)).toContain("never go to `GITHUB_REPOSITORY`");
    expect(await retryPendingIssues(bot.bot.deps)).toBe(0); // the sweep has nothing to take

    const refusal = String(bot.answersTo(published.responseUrl).at(-1)!.text);
    expect(refusal).toContain("its report is published only to `PRIVATE_REPORTS_REPOSITORY`, and that is not set");
    expect((await bot.bot.deps.reports.getReport(secret.id)).status).toBe("approved");
    expect(bot.github.files.size).toBe(0);

    // A public incident of the same bot still goes to GITHUB_REPOSITORY.
    const open = await bot.declare("Search slow sev3");
    await bot.command("action Add a latency alert", { channel_id: open.channelId, user_id: "UALICE" });
    await bot.command("resolve Fixed", { channel_id: open.channelId, user_id: "UALICE" });
    expect(bot.github.issues.map((issue) => issue.repo)).toEqual(["acme/incidents"]);

    // Once PRIVATE_GITHUB_REPOSITORY is set (and the bot restarted), the waiting item gets its issue there.
    bot = await bot.restart({ env: { PRIVATE_GITHUB_REPOSITORY: PRIVATE_ISSUES } });
    await bot.bot.idle();
    expect(bot.github.issues.map((issue) => issue.repo)).toEqual(["acme/incidents", PRIVATE_ISSUES]);
    expect((await bot.bot.deps.actionItems.listActionItems(secret.id))[0]!.issueUrl).toContain(`/${PRIVATE_ISSUES}/issues/`);
  });

  it("are not written to a PRIVATE_GITHUB_REPOSITORY that is public", async () => {
    bot = await TestBot.start({ env: { PRIVATE_GITHUB_REPOSITORY: PRIVATE_ISSUES } });
    bot.github.publicRepositories.add(PRIVATE_ISSUES);
    const secret = await declarePrivate("Globex keys readable sev1");
    await bot.command("action Add a tenant-isolation test", { channel_id: secret.channelId, user_id: "UALICE" });
    await bot.command("resolve Rotated", { channel_id: secret.channelId, user_id: "UALICE" });
    expect(bot.github.issues).toEqual([]);
    const [item] = await bot.bot.deps.actionItems.listActionItems(secret.id);
    const lastError = expect.stringContaining(`PRIVATE_GITHUB_REPOSITORY ${PRIVATE_ISSUES} is public`);
    expect(item).toMatchObject({ issueUrl: null, lastError });
  });
});

describe("/incident invite", () => {
  const members = (channel: string) => [...bot.slack.members.members.get(channel)!];

  it("in a private incident is the commander's and the tech lead's; a refusal names them and invites nobody", async () => {
    bot = await TestBot.start();
    const secret = await declarePrivate("Payroll export misrouted sev2");
    const channel = secret.channelId;

    await bot.command("invite @bob", { channel_id: channel, user_id: "UALICE" });
    expect(members(channel)).toContain("UBOB");
    expect(bot.lastReply()).toBe(`Invited <@UBOB> into <#${channel}>.`);
    const invited = (await bot.bot.deps.incidents.listEntries(secret.id)).filter((e) => e.kind === "invited");
    const entry = { authorId: "UALICE", text: "", data: { field: "invite", from: null, to: null, users: ["UBOB"] } };
    expect(invited).toEqual([expect.objectContaining(entry)]);

    // Bob is in, but holds no role: he may not open the channel to others.
    await bot.command("invite @carol", { channel_id: channel, user_id: "UBOB" });
    expect(bot.lastReply()).toBe(
      "Only the incident commander or the tech lead (now <@UALICE> as incident commander) can invite people into this private incident. " +
        "Nothing was changed.",
    );
    expect(members(channel)).not.toContain("UCAROL");

    // Making Dave tech lead brings him in; then he may invite.
    await bot.command("role tech-lead @dave", { channel_id: channel, user_id: "UALICE" });
    expect(members(channel)).toContain("UDAVE");
    await bot.command("invite <@UCAROL|carol> @bob", { channel_id: channel, user_id: "UDAVE" });
    expect(members(channel)).toContain("UCAROL");
    expect(bot.lastReply()).toBe(`Invited <@UCAROL> into <#${channel}>.\nAlready in: <@UBOB>.`);

    // What is not a user is said, and nobody is invited.
    await bot.command("invite @erin @nobody", { channel_id: channel, user_id: "UALICE" });
    expect(bot.lastReply()).toContain("@erin is not a user in this workspace.");
    await bot.command("invite", { channel_id: channel, user_id: "UALICE" });
    expect(bot.lastReply()).toContain("Whom should the bot invite?\nType `/incident invite <@user…>`");

    await bot.command("help", { channel_id: GENERAL });
    expect(bot.lastReply()).toContain(
      "`/incident invite <@user…>` (bring people into this incident's channel), e.g. `/incident invite @dana @erin` " +
        "(in a private incident: the incident commander or the tech lead)",
    );
  });

  it("in a public incident is anyone's", async () => {
    bot = await TestBot.start();
    const open = await bot.declare("Queue backlog sev3");
    await bot.command("invite @carol", { channel_id: open.channelId, user_id: "UBOB" });
    expect(members(open.channelId)).toContain("UCAROL");
    expect(bot.lastReply()).toBe(`Invited <@UCAROL> into <#${open.channelId}>.`);
  });
});

describe("export and import", () => {
  it("carry the flag; an export from before private incidents imports as public", async () => {
    bot = await TestBot.start();
    const secret = await declarePrivate("Globex keys readable sev1");
    await bot.declare("Search slow sev3");
    const exported = JSON.parse(JSON.stringify(await exportAll(bot.bot.database))) as { tables: { incidents: Record<string, unknown>[] } };
    expect(exported.tables.incidents.map((row) => row.private)).toEqual([true, false]);

    const older = structuredClone(exported);
    for (const row of older.tables.incidents) delete row.private;
    for (const [file, expected] of [
      [exported, [true, false]],
      [older, [false, false]],
    ] as const) {
      const target = await createTestDatabase();
      const database = await openDatabase(target.config, { pglite: target.pglite });
      try {
        await importAll(database.prisma, parseExport(JSON.stringify(file)));
        const rows = await database.prisma.incident.findMany({ orderBy: { number: "asc" }, select: { id: true, private: true } });
        expect(rows).toEqual([
          { id: secret.id, private: expected[0] },
          { id: expect.any(String), private: expected[1] },
        ]);
      } finally {
        await database.close();
        await target.dispose();
      }
    }
  });
});
