// A team's own report template (REPORT_TEMPLATE): checked at start-up with a clear configuration
// error, then followed everywhere: the posted report's sections and their order, the sections one
// can edit (including the team's own, such as "Where we got lucky"), and the published file.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { ActionIds, BlockIds, CallbackIds } from "../../src/slack/ids.js";
import type { SlackCall } from "../support/fakeSlack.js";
import { TestBot } from "../support/testBot.js";

const TEMPLATE_2I2C = path.resolve(import.meta.dirname, "../../src/incidents/report/templates/report-2i2c.json");

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

interface Button {
  action_id: string;
  value?: string;
  options?: { text: { text: string }; value: string }[];
}
const lastPostedReport = () =>
  bot!.slack
    .callsTo("chat.postMessage")
    .filter((c) => String(c.params.text).startsWith("Report of incident"))
    .at(-1)!;
const blocksOf = (call: SlackCall) => call.params.blocks as { type: string; text?: { text: string }; elements?: Button[] }[];
const buttonsOf = (call: SlackCall) =>
  Object.fromEntries(
    blocksOf(call)
      .find((b) => b.type === "actions")!
      .elements!.map((e) => [e.action_id, e]),
  );
const lastModal = () =>
  bot!.slack.callsTo("views.open").at(-1)!.params.view as {
    callback_id: string;
    private_metadata: string;
    blocks: { type: string; label?: { text: string } }[];
  };

describe("a team's report template", () => {
  it("orders the posted report, lets people write the team's own sections, and is what gets published", async () => {
    bot = await TestBot.start({ env: { REPORT_TEMPLATE: TEMPLATE_2I2C } });
    await bot.command("declare Hub down after a storage migration sev2", { user_id: "UALICE" });
    const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("summary Users could not start servers for an hour.", { channel_id: channel });
    await bot.command("resolve Restored the NFS server's address", { channel_id: channel });

    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const posted = lastPostedReport();
    const titles = blocksOf(posted)
      .filter((b) => b.type === "section" && /^\*[^*]+\*/.test(b.text?.text ?? ""))
      .map((b) => /^\*([^*]+)\*/.exec(b.text!.text)![1]!);
    expect(titles.slice(0, 10)).toEqual([
      "Summary",
      "Impact",
      "Detection",
      "Root cause",
      "Resolution",
      "What went well",
      "What didn't go so well?",
      "Where we got lucky",
      expect.stringMatching(/^Timeline/),
      "Action items",
    ]);
    const picker = buttonsOf(posted)[ActionIds.editReportSection]!;
    expect(picker.options!.map((o) => o.text.text)).toContain("Where we got lucky");

    // Write the team's own section through the picker and the modal.
    const lucky = picker.options!.find((o) => o.value.includes('"lucky"'))!;
    await bot.press({ action_id: ActionIds.editReportSection, selected_option: lucky }, "UCAROL", channel);
    const modal = lastModal();
    expect(modal.blocks.find((b) => b.type === "input")!.label!.text).toBe("Where we got lucky");
    await bot.submitView(
      {
        callback_id: modal.callback_id,
        private_metadata: modal.private_metadata,
        values: {
          [BlockIds.sectionText]: { text: { type: "plain_text_input", value: "The nightly backup had finished ten minutes before." } },
        },
      },
      "UCAROL",
    );
    expect((await bot.bot.deps.reports.getReport(incident.id)).sections).toMatchObject({
      lucky: "The nightly backup had finished ten minutes before.",
    });
    expect(
      bot.slack.callsTo("chat.postMessage").some((c) => String(c.params.text).includes("edited the report's *Where we got lucky* section")),
    ).toBe(true);

    // A key the template does not have is refused, and nothing is stored.
    const { version } = await bot.bot.deps.reports.getReport(incident.id);
    await bot.submitView(
      {
        callback_id: CallbackIds.editSectionModal,
        private_metadata: JSON.stringify({ incidentId: incident.id, key: "postmortem_poem", version }),
        values: { [BlockIds.sectionText]: { text: { type: "plain_text_input", value: "roses are red" } } },
      },
      "UCAROL",
    );
    expect((await bot.bot.deps.reports.getReport(incident.id)).sections).not.toHaveProperty("postmortem_poem");

    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const buttons = buttonsOf(lastPostedReport());
    await bot.press(buttons[ActionIds.requestReview]!, "UALICE", channel);
    await bot.press(buttons[ActionIds.approveReport]!, "UBOB", channel);
    await bot.press(buttons[ActionIds.publishReport]!, "UALICE", channel);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("published");
    const [, file] = [...bot.github.files.entries()].find(([key]) => key.startsWith("acme/incident-reports:reports/"))!;
    const headings = file.content
      .split("\n")
      .filter((line) => line.startsWith("## "))
      .map((line) => line.slice(3));
    expect(headings).toEqual(["Metrics", "Summary", "Impact", "Resolution", "Where we got lucky", expect.stringMatching(/^Timeline/)]);
    expect(file.content).toContain("## Where we got lucky\n\nThe nightly backup had finished ten minutes before.");
  });
});

describe("REPORT_TEMPLATE at start-up", () => {
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "secret" };
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "incident-bot-template-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const problemsOf = (extra: Record<string, string>) => {
    try {
      loadConfig({ ...env, ...extra });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it("reads a valid template", () => {
    const config = loadConfig({ ...env, REPORT_TEMPLATE: TEMPLATE_2I2C });
    expect(config.reportTemplate?.map((s) => s.key)).toContain("lucky");
    expect(loadConfig(env).reportTemplate).toBeUndefined();
  });

  it("says which file cannot be read", () => {
    const missing = path.join(dir, "nope.json");
    expect(problemsOf({ REPORT_TEMPLATE: missing })).toEqual([
      expect.stringMatching(new RegExp(`^REPORT_TEMPLATE cannot be read \\(ENOENT\\): ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)),
    ]);
  });

  it("says what is wrong in the template, with the other problems", async () => {
    const bad = path.join(dir, "bad.json");
    await writeFile(
      bad,
      JSON.stringify([
        { key: "summary", title: "Summary", compiled: "summary" },
        { key: "Lucky!", title: "Where we got lucky" },
      ]),
    );
    const problems = problemsOf({ REPORT_TEMPLATE: bad, PORT: "not a port" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("PORT"),
        expect.stringContaining(`REPORT_TEMPLATE (${bad}): Section 2 of the report template needs a "key"`),
      ]),
    );
  });
});
