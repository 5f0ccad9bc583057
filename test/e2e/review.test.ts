// The report's review, end to end: /incident report, editing in a modal, request review, a refused
// approval, changes requested, approval, publishing to GitHub, republishing after an edit; the
// blameless check, the public summary and reminders.
import { CallbackIds, ActionIds, BlockIds } from "../../src/slack/ids.js";
import type { SlackCall } from "../support/fakeSlack.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
afterEach(() => bot?.stop());

interface Button {
  action_id: string;
  value?: string;
  options?: { value: string }[];
}

/** The review buttons on the most recent report view the bot posted or sent. */
function reportButtons(call: SlackCall | Record<string, unknown>): Record<string, Button> {
  const blocks = ("params" in call ? (call.params as Record<string, unknown>).blocks : call.blocks) as {
    type: string;
    elements?: Button[];
  }[];
  const actions = blocks.find((b) => b.type === "actions")!;
  return Object.fromEntries(actions.elements!.map((e) => [e.action_id, e]));
}

const lastPostedReport = () =>
  bot.slack
    .callsTo("chat.postMessage")
    .filter((c) => String(c.params.text).startsWith("Report of incident"))
    .at(-1)!;
const lastModal = () =>
  bot.slack.callsTo("views.open").at(-1)!.params.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
const channelTexts = () => bot.slack.callsTo("chat.postMessage").map((c) => String(c.params.text));

async function resolvedIncident(options: { techLead?: boolean } = {}) {
  await bot.command("declare Certificate expired on the API gateway sev2", { user_id: "UALICE" });
  const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
  const channel = incident.channelId;
  if (options.techLead !== false) await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command("role liaison @carol", { channel_id: channel });
  await bot.command("summary The API gateway's TLS certificate expired and clients could not connect.", { channel_id: channel });
  const ts = `${Math.floor(Date.now() / 1000) - 60}.000100`;
  await bot.event({
    type: "message",
    channel,
    user: "UALICE",
    text: "Dave forgot to renew the certificate. ```$ kubectl -n gw describe certificate api```",
    ts,
    channel_type: "channel",
  });
  await bot.event({ type: "reaction_added", user: "UALICE", reaction: "pushpin", item: { type: "message", channel, ts }, event_ts: ts });
  await bot.command("action Alert 14 days before certificates expire @dave", { channel_id: channel });
  await bot.command("resolve Renewed the certificate", { channel_id: channel });
  return incident;
}

describe("report review", () => {
  it("goes from draft to published, with only the tech lead approving, and republishes after an edit", async () => {
    bot = await TestBot.start();
    const incident = await resolvedIncident();
    const channel = incident.channelId;

    // The liaison posts the draft: a summary of each section, the Markdown as a file, the buttons.
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const posted = lastPostedReport();
    expect(posted.params.channel).toBe(channel);
    const postedText = JSON.stringify(posted.params.blocks);
    for (const title of [
      "Summary",
      "Detection",
      "Impact",
      "Timeline",
      "Root cause analysis",
      "Resolution",
      "What went well",
      "What didn't go so well",
      "Action items",
    ]) {
      expect(postedText).toContain(`*${title}`);
    }
    expect(postedText).toContain("Blameless check");
    expect(bot.slack.callsTo("files.completeUploadExternal")).toHaveLength(1);
    const uploaded = bot.slack.callsTo("file_upload").at(-1)!;
    expect(String(uploaded.params.body)).toContain("# Incident #1: Certificate expired on the API gateway");

    // Edit a section: the picker opens a modal pre-filled with that section; saving records who changed what.
    let buttons = reportButtons(posted);
    const rootCause = buttons[ActionIds.editReportSection]!.options!.find((o) => o.value.includes('"root_cause"'))!;
    await bot.press({ action_id: ActionIds.editReportSection, selected_option: rootCause }, "UCAROL", channel);
    const modal = lastModal();
    expect(modal.callback_id).toBe(CallbackIds.editSectionModal);
    const emptySubmit = await bot.submitView(
      {
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        values: { [BlockIds.sectionText]: { text: { type: "plain_text_input", value: "  " } } },
      },
      "UCAROL",
    );
    expect(await emptySubmit.json()).toMatchObject({ response_action: "errors" });
    await bot.submitView(
      {
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        values: {
          [BlockIds.sectionText]: {
            text: { type: "plain_text_input", value: "Certificate renewal was a manual step with no alert before expiry." },
          },
        },
      },
      "UCAROL",
    );
    let report = await bot.bot.deps.reports.getReport(incident.id);
    expect(report).toMatchObject({
      status: "draft",
      version: 2,
      sections: { root_cause: "Certificate renewal was a manual step with no alert before expiry." },
    });
    expect(channelTexts().some((t) => t.includes("<@UCAROL> edited the report's *Root cause analysis* section"))).toBe(true);

    // Request review: the tech lead is mentioned, with the blameless findings.
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    buttons = reportButtons(lastPostedReport());
    await bot.press(buttons[ActionIds.requestReview]!, "UCAROL", channel);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");
    expect(channelTexts().some((t) => t.startsWith("<@UBOB>, <@UCAROL> asks you to review") && t.includes("blameless check found 1"))).toBe(
      true,
    );

    // Someone who is not the tech lead cannot approve: an ephemeral refusal naming who can.
    const refused = await bot.press(buttons[ActionIds.approveReport]!, "UDAVE", channel);
    const refusal = bot.answersTo(refused.responseUrl).at(-1)!;
    expect(refusal).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(refusal.text)).toContain("Only the tech lead, <@UBOB>, can approve");
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");
    const notLead = await bot.press(buttons[ActionIds.requestChanges]!, "UDAVE", channel);
    expect(String(bot.answersTo(notLead.responseUrl).at(-1)!.text)).toContain("Only the tech lead");

    // The tech lead requests changes with a comment.
    await bot.press(buttons[ActionIds.requestChanges]!, "UBOB", channel);
    const changes = lastModal();
    expect(changes.callback_id).toBe(CallbackIds.requestChangesModal);
    await bot.submitView(
      {
        callback_id: changes.callback_id,
        private_metadata: changes.private_metadata,
        values: { [BlockIds.comment]: { text: { type: "plain_text_input", value: "Reword the timeline entry that names Dave." } } },
      },
      "UBOB",
    );
    report = await bot.bot.deps.reports.getReport(incident.id);
    expect(report.status).toBe("changes_requested");
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.at(-1)).toMatchObject({
      kind: "report",
      authorId: "UBOB",
      data: { comment: "Reword the timeline entry that names Dave.", from: "in_review", to: "changes_requested" },
    });

    // Fixed, back to review; an approval from a view of an older version is refused with a fresh view.
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const staleButtons = reportButtons(lastPostedReport());
    const timelinePick = staleButtons[ActionIds.editReportSection]!.options!.find((o) => o.value.includes('"timeline"'))!;
    await bot.press({ action_id: ActionIds.editReportSection, selected_option: timelinePick }, "UCAROL", channel);
    const timelineModal = lastModal();
    await bot.submitView(
      {
        callback_id: timelineModal.callback_id,
        private_metadata: timelineModal.private_metadata,
        values: {
          [BlockIds.sectionText]: {
            text: { type: "plain_text_input", value: "- **17:32** The certificate had no renewal reminder and expired." },
          },
        },
      },
      "UCAROL",
    );
    await bot.press(staleButtons[ActionIds.requestReview]!, "UCAROL", channel); // review is always of the current version
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");
    const stale = await bot.press(staleButtons[ActionIds.approveReport]!, "UBOB", channel);
    const staleAnswer = bot.answersTo(stale.responseUrl).at(-1)!;
    expect(String(staleAnswer.text)).toContain("changed since that view");
    expect(JSON.stringify(staleAnswer.blocks)).toContain(ActionIds.approveReport);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");

    // Approval by the tech lead on the current version; then publishing commits the Markdown.
    const fresh = reportButtons(staleAnswer);
    await bot.press(fresh[ActionIds.approveReport]!, "UBOB", channel);
    report = await bot.bot.deps.reports.getReport(incident.id);
    expect(report).toMatchObject({ status: "approved", approvedBy: "UBOB", approvedVersion: report.version });
    await bot.press(fresh[ActionIds.publishReport]!, "UCAROL", channel);
    report = await bot.bot.deps.reports.getReport(incident.id);
    expect(report.status).toBe("published");
    const [path, file] = [...bot.github.files.entries()].find(([key]) => key.startsWith("acme/incident-reports:reports/"))!;
    // The incident number is in the path, so two incidents with one title never share a file.
    expect(path).toMatch(/^acme\/incident-reports:reports\/\d{4}-\d{2}-\d{2}-incident-1-certificate-expired-on-the-api-gateway\.md$/);
    expect(file.content).toContain("Certificate renewal was a manual step with no alert before expiry.");
    expect(report.publishedUrl).toContain("/blob/main/reports/");
    expect(JSON.stringify(bot.slack.callsTo("chat.update").at(-1)!.params.blocks)).toContain(report.publishedUrl);
    expect(channelTexts().some((t) => t.includes(`published the report: ${report.publishedUrl}`))).toBe(true);

    // An edit after publishing sends it back to review; approve and publish again updates the file.
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    buttons = reportButtons(lastPostedReport());
    await bot.press(
      {
        action_id: ActionIds.editReportSection,
        selected_option: buttons[ActionIds.editReportSection]!.options!.find((o) => o.value.includes('"went_well"'))!,
      },
      "UCAROL",
      channel,
    );
    const wentWell = lastModal();
    await bot.submitView(
      {
        callback_id: wentWell.callback_id,
        private_metadata: wentWell.private_metadata,
        values: { [BlockIds.sectionText]: { text: { type: "plain_text_input", value: "Clients retried and recovered on their own." } } },
      },
      "UCAROL",
    );
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    buttons = reportButtons(lastPostedReport());
    await bot.press(buttons[ActionIds.approveReport]!, "UBOB", channel);
    await bot.press(buttons[ActionIds.publishReport]!, "UBOB", channel);
    const republished = bot.github.files.get(path)!;
    expect(republished.sha).not.toBe(file.sha);
    expect(republished.content).toContain("Clients retried and recovered on their own.");
    const puts = bot.github.calls.filter((c) => c.method === "PUT");
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body?.sha).toBe(file.sha);

    const transitions = (await bot.bot.deps.incidents.listEntries(incident.id))
      .filter((e) => e.kind === "report")
      .map((e) => `${e.data?.from}->${e.data?.to}`);
    expect(transitions).toEqual(
      expect.arrayContaining([
        "draft->in_review",
        "in_review->changes_requested",
        "in_review->approved",
        "approved->published",
        "published->in_review",
      ]),
    );
  });

  it("asks for a tech lead before review", async () => {
    bot = await TestBot.start();
    const incident = await resolvedIncident({ techLead: false });
    await bot.command("report", { channel_id: incident.channelId, user_id: "UCAROL" });
    const { responseUrl } = await bot.press(reportButtons(lastPostedReport())[ActionIds.requestReview]!, "UCAROL", incident.channelId);
    expect(String(bot.answersTo(responseUrl).at(-1)!.text)).toContain("/incident role tech-lead @user");
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("draft");
  });

  it("gives a public summary without names, Slack links or commands", async () => {
    bot = await TestBot.start();
    const incident = await resolvedIncident();
    await bot.command("report public", { channel_id: incident.channelId, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain(`# Incident #${incident.number}\n`); // customers never see the internal title
    await bot.command("summary Dave Diaz found that the TLS certificate expired and clients could not connect.", {
      channel_id: incident.channelId,
    });
    await bot.command("public-title Secure connections failing", { channel_id: incident.channelId, user_id: "UCAROL" });
    await bot.command("report public", { channel_id: incident.channelId, user_id: "UCAROL" });
    const text = bot.lastReply();
    expect(text).toContain("# Secure connections failing\n");
    expect(text).not.toContain(incident.title);
    // Dave's real name goes whole, not only the display name inside it ("the team Diaz").
    expect(text).not.toContain("Diaz");
    expect(text).toContain("## Summary");
    expect(text).toContain("TLS certificate expired");
    expect(text).toContain("Alert 14 days before certificates expire");
    for (const leak of ["Dave", "dave", "<@", "kubectl", "slack.com", "Bob", "Carol"]) expect(text).not.toContain(leak);
  });

  it("reminds the liaison once a day while a resolved incident's report is unpublished, with several replicas", async () => {
    bot = await TestBot.start();
    const incident = await resolvedIncident();
    const reminders = () => channelTexts().filter((t) => t.startsWith("<@UCAROL>, the report of incident #1 is not published yet"));
    expect(reminders()).toHaveLength(0);
    const hoursLater = (h: number) => () => new Date(Date.now() + h * 3600_000);
    bot = await bot.restart({ now: hoursLater(49) });
    await bot.bot.idle();
    expect(reminders()).toHaveLength(1);
    const second = await TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, now: hoursLater(50) });
    await second.bot.idle();
    await second.bot.stop();
    expect(reminders()).toHaveLength(1);
    bot = await bot.restart({ now: hoursLater(74) });
    await bot.bot.idle();
    expect(reminders()).toHaveLength(2);
    expect(incident.number).toBe(1);
  });
});
