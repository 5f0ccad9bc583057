// Text typed in Slack, copied to GitHub: issue titles and bodies, the published report file, its
// commit message. None of it may mention people or teams, cross-reference or close unrelated
// issues, or break the document with raw HTML; and two incidents never share a report file.
import { fromMarkdown } from "mdast-util-from-markdown";
import { ActionIds, BlockIds, CallbackIds } from "../../src/slack/ids.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
beforeAll(async () => {
  bot = await TestBot.start();
});
afterAll(() => bot?.stop());

/** Live GitHub syntax: a mention, a bare issue reference, or a closing keyword with one. */
const LIVE_MENTION = /(?<![\w`])@[A-Za-z0-9][\w-]*(?:\/[\w-]+)?/;
const LIVE_REFERENCE = /(?<![\w&/])#\d+\b|\bGH-\d+\b/;

const declare = (title: string) => bot.declare(title);

/** Approves and publishes the report of a resolved incident, as its tech lead. */
async function publish(channel: string) {
  await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command("report", { channel_id: channel, user_id: "UALICE" });
  const buttonsOf = () => {
    const call = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === channel && String(c.params.text).startsWith("Report of incident"))
      .at(-1)!;
    const blocks = call.params.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[];
    return Object.fromEntries(blocks.find((b) => b.type === "actions")!.elements!.map((e) => [e.action_id, e]));
  };
  await bot.press(buttonsOf()[ActionIds.requestReview] as { action_id: string; value: string }, "UALICE", channel);
  const latest = () => {
    const answers = bot.slack.responses().filter((r) => Array.isArray(r.blocks));
    const blocks = answers.at(-1)!.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[];
    return Object.fromEntries(blocks.find((b) => b.type === "actions")!.elements!.map((e) => [e.action_id, e]));
  };
  await bot.press(latest()[ActionIds.approveReport] as { action_id: string; value: string }, "UBOB", channel);
  await bot.press(latest()[ActionIds.publishReport] as { action_id: string; value: string }, "UBOB", channel);
}

it("opens action-item issues whose title and body mention, reference and close nothing", async () => {
  const incident = await declare("Payments webhook failures sev2");
  await bot.command("action Ask @octocat and @acme/sre-team to fix #7 <!-- before GH-12 closes", { channel_id: incident.channelId });
  await bot.command("resolve", { channel_id: incident.channelId });
  const issue = bot.github.issues.at(-1)!;
  expect(issue.title).toBe("Ask @\u200Boctocat and @\u200Bacme/sre-team to fix #\u200B7 <!-- before GH-\u200B12 closes");
  const body = issue.body.replace(/<!-- incident-bot:action-item:[0-9a-f-]+ -->$/, "");
  expect(body).not.toMatch(LIVE_MENTION);
  expect(body).not.toMatch(LIVE_REFERENCE);
  // Raw HTML can hide nothing: the only HTML GitHub sees is the bot's own marker, after all the text.
  const html = (fromMarkdown(issue.body).children as { type: string; value?: string }[]).filter((n) => n.type === "html");
  expect(html.map((n) => n.value)).toEqual([expect.stringMatching(/^<!-- incident-bot:action-item:/)]);
  expect(body).toContain("Ask @&#8203;octocat and @&#8203;acme/sre-team to fix #&#8203;7 <!-- before GH-&#8203;12 closes");
  // The marker the bot finds its issue by is still there, as it was.
  expect(issue.body).toMatch(/\n\n<!-- incident-bot:action-item:[0-9a-f-]+ -->$/);
});

it("names people and channels in the issue instead of Slack's ids, without mentioning anyone", async () => {
  const incident = await declare("Names in issues sev3");
  await bot.command("action Ask <@UCAROL|carol> to add the alert to <#" + incident.channelId + "|> @bob", {
    channel_id: incident.channelId,
  });
  await bot.command("resolve", { channel_id: incident.channelId });
  const issue = bot.github.issues.at(-1)!;
  expect(issue.title).toBe(`Ask @\u200Bcarol to add the alert to #${incident.channelName}`);
  expect(issue.body).toContain(`> Ask @&#8203;carol to add the alert to #${incident.channelName}`);
  expect(issue.body).toContain("- Owner: bob");
  expect(issue.body).not.toMatch(/<@U|<#C/);
});

it("publishes each incident to its own file, with a commit message that closes nothing and sections that cannot swallow the rest", async () => {
  const first = await declare("Checkout outage, fixes #7 sev2");
  await bot.command("action Alert when the retry queue passes 80%", { channel_id: first.channelId });
  await bot.command("resolve Drained the retry queue and raised its limit", { channel_id: first.channelId });
  // A section someone wrote that opens an HTML comment and never closes it.
  const { version } = await bot.bot.deps.reports.getReport(first.id);
  await bot.submitView(
    {
      callback_id: CallbackIds.editSectionModal,
      private_metadata: JSON.stringify({ incidentId: first.id, key: "root_cause", version }),
      values: {
        [BlockIds.sectionText]: {
          text: { type: "plain_text_input", value: "The retry queue filled up.\n\n<!-- draft: ask the payments team" },
        },
      },
    },
    "UCAROL",
  );
  await publish(first.channelId);

  const second = await declare("Checkout outage, fixes #7 sev3");
  await bot.command("resolve", { channel_id: second.channelId });
  await publish(second.channelId);

  const writes = bot.github.calls.filter((c) => c.method === "PUT" && decodeURIComponent(c.path).includes("/contents/reports/"));
  expect(writes).toHaveLength(2);
  const paths = writes.map((w) => decodeURIComponent(w.path.replace(/^.*\/contents\//, "")));
  expect(paths[0]).toMatch(new RegExp(`^reports/\\d{4}-\\d{2}-\\d{2}-incident-${first.number}-checkout-outage-fixes-7\\.md$`));
  expect(paths[1]).toMatch(new RegExp(`^reports/\\d{4}-\\d{2}-\\d{2}-incident-${second.number}-checkout-outage-fixes-7\\.md$`));
  for (const write of writes) {
    const message = String(write.body!.message);
    expect(message).not.toMatch(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+#\d/i);
    expect(message).toContain("fixes #\u200B7");
  }
  const content = Buffer.from(String(writes[0]!.body!.content), "base64").toString("utf8");
  expect(content).toContain("&lt;!-- draft: ask the payments team");
  const headings = fromMarkdown(content)
    .children.filter((n) => n.type === "heading")
    .map((h) => (h.children[0] as { value?: string }).value);
  expect(headings).toEqual(
    expect.arrayContaining(["Timeline (times in Europe/London (GMT))", "Root cause analysis", "Resolution", "Action items"]),
  );
});
