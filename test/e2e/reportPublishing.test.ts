// Publishing as readers get it: YAML front matter, only the sections that were written (no
// placeholders), people's display names (also of someone only mentioned) and timeline times that
// link to their Slack messages; and the approver's checklist in the posted report, with a confirm
// dialog on Approve that says what is missing. Through the signed receiver, fake Slack and GitHub.
import { createRequire } from "node:module";
import { ActionIds } from "../../src/slack/ids.js";
import type { SlackCall } from "../support/fakeSlack.js";
import { postPinned } from "../support/slackMessages.js";
import { TestBot } from "../support/testBot.js";

const yaml = createRequire(import.meta.url)("js-yaml") as { safeLoad(text: string): unknown };

let bot: TestBot;
afterEach(() => bot?.stop());

interface Button {
  action_id: string;
  value?: string;
  confirm?: {
    title: { type: string; text: string };
    text: { type: string; text: string };
    confirm: { text: string };
    deny: { text: string };
  };
}

const lastPostedReport = () =>
  bot.slack
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

async function resolvedIncident() {
  bot.slack.users.set("UFRANK", { id: "UFRANK", name: "frank", real_name: "Frank Fisher", display_name: "Frankie" });
  await bot.command("declare Certificate expired on the API gateway sev2", { user_id: "UALICE" });
  const incident = (await bot.bot.deps.incidents.listIncidents()).at(-1)!;
  const channel = incident.channelId;
  await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command("role liaison @carol", { channel_id: channel });
  await bot.command("summary The API gateway's TLS certificate expired and clients could not connect.", { channel_id: channel });
  const ts = `${Math.floor(Date.now() / 1000) - 60}.000100`;
  // Frank is only mentioned: he never wrote in the channel and holds no role.
  await postPinned(bot, channel, {
    user: "UALICE",
    text: "<@UFRANK> renewed the certificate by hand: ```$ certbot renew --cert-name api```",
    ts,
  });
  await bot.command("action Alert 14 days before certificates expire @dave", { channel_id: channel });
  await bot.command("resolve Renewed the certificate", { channel_id: channel });
  return { incident, channel, ts };
}

describe("the posted report", () => {
  it("shows the approver's checklist, and Approve asks first, naming what is missing", async () => {
    bot = await TestBot.start();
    const { channel } = await resolvedIncident();
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const posted = lastPostedReport();
    const checklist = blocksOf(posted).find((b) => b.type === "section" && b.text?.text.startsWith("*Before approving*"))!;
    expect(checklist.text!.text.split("\n")).toEqual(
      expect.arrayContaining([
        "✗ Impact window not set (no start)",
        "✓ Summary written",
        "✗ Root cause not written yet",
        "✓ Resolution written",
        "✓ Every open action item has an owner",
      ]),
    );
    const confirm = buttonsOf(posted)[ActionIds.approveReport]!.confirm!;
    expect(confirm.text.type).toBe("plain_text");
    expect(confirm.text.text.length).toBeLessThanOrEqual(300);
    expect(confirm.text.text).toContain("Impact window not set (no start)");
    expect(confirm.text.text).toContain("Root cause not written yet");
    expect(confirm.text.text).not.toContain("Summary");
    expect(confirm.confirm.text).toBe("Approve");
  });
});

describe("the published report", () => {
  it("has front matter, no placeholders, display names and links to the Slack messages", async () => {
    bot = await TestBot.start();
    const { incident, channel, ts } = await resolvedIncident();
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    const buttons = buttonsOf(lastPostedReport());
    await bot.press(buttons[ActionIds.requestReview]!, "UCAROL", channel);
    await bot.press(buttons[ActionIds.approveReport]!, "UBOB", channel);
    await bot.press(buttons[ActionIds.publishReport]!, "UCAROL", channel);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("published");

    const [, file] = [...bot.github.files.entries()].find(([key]) => key.startsWith("acme/incident-reports:reports/"))!;
    const content = file.content;
    const front = /^---\n([\s\S]*?)\n---\n/.exec(content);
    expect(front).not.toBeNull();
    expect(yaml.safeLoad(front![1]!)).toMatchObject({
      number: incident.number,
      title: "Certificate expired on the API gateway",
      severity: "SEV2",
      status: "resolved",
      time_zone: "Europe/London",
      roles: { commander: "alice", tech_lead: "bob", liaison: "carol" },
      action_items: [{ number: 1, text: "Alert 14 days before certificates expire", status: "open", owner: "dave" }],
    });
    expect(content.slice(front![0].length)).toMatch(/^\n# Incident #\d+: Certificate expired on the API gateway\n/);

    // Only what was written: no placeholder, no heading of an unwritten section.
    expect(content).not.toContain("_Nothing recorded yet");
    expect(content).not.toContain("## Root cause analysis");
    expect(content).toContain("## Summary");

    // Names, not ids, for people with a role, authors and someone only mentioned (the publisher puts
    // a zero-width space after each @ so that GitHub does not notify a namesake).
    const at = "@&#8203;";
    expect(content).toContain(`${at}Frankie renewed the certificate by hand`);
    expect(content).toContain(`| Tech lead | ${at}bob |`);
    expect(content).not.toMatch(/<@|UFRANK|UALICE|UBOB/);

    // The timeline's times link to their messages in Slack (the workspace URL comes from auth.test).
    expect(content).toContain(`](https://acme.slack.com/archives/${channel}/p${ts.replace(".", "")})** — ${at}alice (Incident commander):`);
  });
});
