// A big incident against a Slack as strict as the real one (the fake refuses what breaks Block
// Kit's limits, with Slack's errors): a 5,000-character summary, 60 action items, a 5,000-character
// resolution, a report section longer than Slack's text input, a team template with more sections
// than one message shows. Everything is recorded whole, everything the bot sends is taken, and
// what Slack cannot show in one place says where the rest is.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ReportSectionKey } from "../../src/incidents/model.js";
import { editSection } from "../../src/incidents/report/review.js";
import { ActionIds, BlockIds, CallbackIds } from "../../src/slack/ids.js";
import { LIMITS } from "../../src/slack/limits.js";
import { driveBigIncident, prose } from "../support/bigIncident.js";
import { refuseView, sentMaxima } from "../support/slackStrictness.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

type Block = {
  type: string;
  text?: { text: string };
  elements?: { action_id: string; value?: string; options?: { text: { text: string }; value: string }[] }[];
  accessory?: { options: { value: string }[] };
};
const blocksOf = (message: Record<string, unknown>) => message.blocks as Block[];
const sectionTexts = (message: Record<string, unknown>) =>
  blocksOf(message)
    .filter((b) => b.type === "section")
    .map((b) => b.text!.text);

const declared = () => bot!.declare("Card payments timing out in the EU sev1");
/** The report the bot last posted (taken or refused: see its `error`). */
const lastReport = () =>
  bot!.slack
    .callsTo("chat.postMessage")
    .filter((c) => String(c.params.text).startsWith("Report of incident"))
    .at(-1)!;
/** Its "Edit section…" menu. */
const sectionPicker = (report: { params: Record<string, unknown> }) =>
  blocksOf(report.params)
    .find((b) => b.type === "actions")!
    .elements!.find((e) => e.action_id === ActionIds.editReportSection)!;

describe("a big incident", () => {
  it("is recorded whole, and everything the bot sends about it is within Slack's limits", async () => {
    bot = await TestBot.start();
    // GitHub refuses every request in this one: opening 59 issues waits 3 s between creations
    // (Octokit's throttling, as GitHub asks), which is a bench's business (bench/slackLimits.ts),
    // not a test's. A 422 is not retried, so the items are pending at once, and the summary
    // carries its Retry button too.
    bot.github.failNext(/./, { status: 422 }, 100_000);
    const incident = await driveBigIncident(bot, { messages: 200, actionItems: 60, summaryChars: 5000, resolutionChars: 5000 });
    const channel = incident.channelId;

    // Nothing Slack refused, nothing the sender had to cut, and the largest of it all.
    expect(bot.slack.refused()).toEqual([]);
    expect(bot.limitCuts).toEqual([]);
    const maxima = sentMaxima(bot.slack.calls);
    expect(maxima.blocksPerMessage).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(maxima.sectionText).toBeLessThanOrEqual(LIMITS.sectionText);

    // The record has every character.
    expect(incident.summary).toHaveLength(5000);
    expect(incident.resolution).toHaveLength(5000);
    expect(incident.status).toBe("resolved");

    // The pinned header shows what fits of the summary and where the rest is.
    const headers = bot.slack.accepted("chat.update").filter((call) => call.params.channel === channel);
    expect(JSON.stringify(headers.at(-1)!.params.blocks)).toContain("the whole summary is in the report: `/incident report`");

    // /incident actions: 20 a page, the way to the next page; Mark done showed the same page again.
    const lists = bot.slack.responses().filter((r) => String(r.text).startsWith("Action items of incident"));
    const [first, second, afterDone] = lists;
    expect(sectionTexts(first!)).toHaveLength(20);
    expect(String(first!.text)).toContain("page 1 of 3 (items 1–20 of 60)");
    expect(JSON.stringify(first!.blocks)).toContain("`/incident actions page 2` shows the next 20");
    expect(String(second!.text)).toContain("page 2 of 3 (items 21–40 of 60)");
    expect(afterDone).toMatchObject({ replace_original: true });
    expect(String(afterDone!.text)).toContain("page 2 of 3");
    expect(sectionTexts(afterDone!)[0]).toMatch(/^:white_check_mark: \*21\.\*/);

    // Resolve posted the summary with the whole resolution, the first page of items, and Retry for the 59 pending issues.
    const summary = bot.slack
      .accepted("chat.postMessage")
      .find((call) => call.params.channel === channel && String(call.params.text).includes("resolved after"))!;
    const shown = sectionTexts(summary.params).join("");
    expect(shown.replace(/\s/g, "")).toContain(incident.resolution!.replace(/\s/g, ""));
    expect(shown).toContain("…and 40 more: `/incident actions page 2` lists them.");
    expect(JSON.stringify(summary.params.blocks)).toContain("Retry 59 pending issues");

    // The report went out too, with its Markdown file.
    expect(bot.slack.accepted("chat.postMessage").some((call) => String(call.params.text).startsWith("Report of incident"))).toBe(true);
    expect(bot.slack.accepted("files.completeUploadExternal")).toHaveLength(1);
  });
});

describe("a report section longer than Slack's text input", () => {
  it("opens in an editor of several inputs Slack takes, and saves the whole section", async () => {
    bot = await TestBot.start();
    const incident = await declared();
    const channel = incident.channelId;
    await bot.command("resolve Failed over to the secondary gateway", { channel_id: channel });
    // A section written long ago (or imported) at 7,500 characters: more than one input holds.
    const key: ReportSectionKey = "root_cause";
    const long = prose(7500);
    const { version } = await bot.bot.deps.reports.getReport(incident.id);
    await editSection(bot.bot.deps, incident.id, { userId: "UCAROL", requestKey: "seed" }, { key, markdown: long, baseVersion: version });
    const stored = (await bot.bot.deps.reports.getReport(incident.id)).sections[key]!;
    expect(stored.length).toBeGreaterThan(LIMITS.textInput);

    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const option = sectionPicker(lastReport()).options!.find((o) => o.value.includes(`"${key}"`))!;
    await bot.press({ action_id: ActionIds.editReportSection, selected_option: option }, "UCAROL", channel);

    const opened = bot.slack.callsTo("views.open").at(-1)!;
    expect(opened.error).toBeUndefined();
    const modal = opened.params.view as {
      private_metadata: string;
      blocks: { type: string; block_id?: string; element?: { initial_value?: string; max_length?: number } }[];
    };
    const inputs = modal.blocks.filter((b) => b.type === "input");
    expect(inputs).toHaveLength(3);
    expect(
      inputs.every((input) => input.element!.initial_value!.length <= LIMITS.textInput && input.element!.max_length === LIMITS.textInput),
    ).toBe(true);
    // The editor Slack would have refused: all of it in one input.
    const single = { ...modal, blocks: [{ ...inputs[0], element: { ...inputs[0]!.element, initial_value: stored } }] };
    expect(refuseView(single)).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: [expect.stringContaining("[json-pointer:/view/blocks/0/element/initial_value]")] },
    });

    // The person changes a word in the second part and saves: the whole section is kept, with the change.
    const values = Object.fromEntries(
      inputs.map((input, index) => {
        const value = index === 1 ? input.element!.initial_value!.replace("rolled back", "ROLLED BACK") : input.element!.initial_value!;
        return [input.block_id!, { text: { type: "plain_text_input", value } }];
      }),
    );
    await bot.submitView({ callback_id: CallbackIds.editSectionModal, private_metadata: modal.private_metadata, values }, "UCAROL");
    const saved = (await bot.bot.deps.reports.getReport(incident.id)).sections[key]!;
    expect(saved).toHaveLength(stored.length);
    expect(saved).toContain("ROLLED BACK");
    expect(saved.replace("ROLLED BACK", "rolled back")).toBe(stored);
    expect(inputs[0]!.block_id).toBe(BlockIds.sectionText);
  });
});

describe("a team template with more sections than one message shows", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "incident-bot-template-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("posts the report Slack takes, says where the other sections are, and lists every section in the picker", async () => {
    const file = path.join(dir, "sixty.json");
    const sections = Array.from({ length: 60 }, (_, i) => ({
      key: `part_${i}`,
      title: `Part ${i}: ${"what the team wants to know about this ".repeat(5)}`.trim(),
    }));
    await writeFile(file, JSON.stringify([{ key: "summary", title: "Summary", compiled: "summary" }, ...sections]));
    bot = await TestBot.start({ env: { REPORT_TEMPLATE: file } });
    const incident = await declared();
    await bot.command("report", { channel_id: incident.channelId, user_id: "UALICE" });
    const report = lastReport();
    expect(report.error).toBeUndefined();
    const blocks = blocksOf(report.params);
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks)).toMatch(/…and \d+ more sections: the report's Markdown file has them all/);
    const picker = sectionPicker(report);
    expect(picker.options).toHaveLength(61);
    expect(picker.options!.every((o) => o.text.text.length <= LIMITS.optionText)).toBe(true);
  });
});

describe("Slack's triggers", () => {
  it("an editor Slack will not open for an old trigger (expired_trigger_id) tells the person to choose again", async () => {
    bot = await TestBot.start();
    const incident = await declared();
    await bot.command("report", { channel_id: incident.channelId, user_id: "UALICE" });
    const option = sectionPicker(lastReport()).options![0]!;
    const responseUrl = bot.slack.responseUrl();
    await bot.interact({
      type: "block_actions",
      team: { id: "T0ACME", domain: "acme" },
      user: { id: "UALICE", username: "alice", team_id: "T0ACME" },
      api_app_id: "A0BOT",
      token: "legacy-verification-token",
      trigger_id: `${Date.now() - 5000}.stale`, // issued 5 s ago: Slack's live for 3 s
      container: { type: "message", message_ts: "1.000001", channel_id: incident.channelId, is_ephemeral: false },
      channel: { id: incident.channelId, name: "incident" },
      message: { type: "message", ts: "1.000001", text: "" },
      response_url: responseUrl,
      actions: [
        {
          type: "static_select",
          action_id: ActionIds.editReportSection,
          block_id: "b",
          action_ts: `${Date.now() / 1000}`,
          selected_option: option,
        },
      ],
    });
    expect(bot.slack.callsTo("views.open").at(-1)!.error).toBe("expired_trigger_id");
    expect(bot.answersTo(responseUrl).at(-1)!.text).toBe(
      "Slack did not open the form: it needs it within 3 seconds of your click, and the bot took longer this time. Choose the section again.",
    );
  });
});
