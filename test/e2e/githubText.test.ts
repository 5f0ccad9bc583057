// What the bot writes on GitHub from text typed in Slack reads as it was typed: the action item's
// issue quotes the incident's title and summary as it quotes the item (names instead of Slack's ids,
// no raw Slack markup, no pings), Slack's escapes are decoded once (a typed `&amp;` stays `&amp;`),
// and the published report's front matter and commit message carry the title as typed, as do the
// command line's listings. A change request typed in a modal is kept as Slack text like a message.
import { fromMarkdown } from "mdast-util-from-markdown";
import type { Nodes } from "mdast";
import { ActionIds, BlockIds, CallbackIds } from "../../src/slack/ids.js";
import { runCli } from "../support/cliProcess.js";
import { TestBot } from "../support/testBot.js";
import { createTestDatabase } from "../support/testDatabase.js";

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const asSlackSends = (typed: string) => typed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** The text GitHub shows for a Markdown node: character references read, markup gone. */
function shownText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode" || node.type === "html") return node.value;
  return "children" in node ? node.children.map((child) => shownText(child as Nodes)).join(node.type === "paragraph" ? "" : "\n") : "";
}

/** A live GitHub mention: `@name` not broken by the zero-width space the bot puts after the `@`. */
const LIVE_MENTION = /(?<![\w`])@[A-Za-z0-9][\w-]*/;

describe("an action item's issue", () => {
  it("converts the incident's title and summary as it converts the item: names, no Slack markup, no pings, text as typed", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare(`${asSlackSends("Refunds & payouts <delayed>")} sev2`, "UALICE");
    const channel = incident.channelId;
    const summary = `<@UCAROL|carol> saw <#C9OPS|ops> light up; <!here> ${asSlackSends("payouts & refunds lag; typed &amp; and <b>")}`;
    await bot.command(`summary ${summary}`, { channel_id: channel });
    await bot.command(`action Ask <@UDAVE> to ${asSlackSends("check the <payout> & refund queues")}`, { channel_id: channel });
    await bot.command("resolve Drained the queues", { channel_id: channel, user_id: "UALICE" });

    const issue = bot.github.issues.at(-1)!;
    const body = issue.body.replace(/\n\n<!-- incident-bot:action-item:[0-9a-f-]+ -->$/, "");
    expect(body).not.toMatch(/<@|<#|<!|&lt;@/);
    expect(body).not.toMatch(LIVE_MENTION);
    const tree = fromMarkdown(body);
    const paragraphs = tree.children.map((node) => shownText(node));
    // (A zero-width space after `@` and `#` keeps GitHub from pinging or cross-referencing.)
    expect(paragraphs[0]).toBe("Action item from incident #\u200B1: Refunds & payouts <delayed> (SEV2).");
    const quoted = tree.children.filter((n) => n.type === "blockquote").map((n) => shownText(n));
    expect(quoted[0]).toBe("Ask @\u200Bdave to check the <payout> & refund queues");
    expect(quoted.at(-1)).toBe("@\u200Bcarol saw #ops light up; @\u200Bhere payouts & refunds lag; typed &amp; and <b>");
    // The summary's HTML-looking text is text, not HTML GitHub would render.
    expect((tree.children as Nodes[]).some((n) => n.type === "html")).toBe(false);
  });
});

describe("the published report", () => {
  it("carries the title as typed in its front matter and commit message", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare(`${asSlackSends("Card & payment <errors>")} sev3`, "UALICE");
    const channel = incident.channelId;
    await bot.command("resolve Restarted the processor", { channel_id: channel, user_id: "UALICE" });
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("report", { channel_id: channel, user_id: "UALICE" });
    await bot.publishReportThroughReview(channel, { liaison: "UALICE", techLead: "UBOB" });

    const write = bot.github.calls.find((c) => c.method === "PUT" && decodeURIComponent(c.path).includes("/contents/reports/"))!;
    expect(decodeURIComponent(write.path)).toMatch(/incident-1-card-payment-errors\.md$/);
    expect(String(write.body!.message)).toBe("Post-incident report: incident #\u200B1, Card & payment <errors>");
    const content = Buffer.from(String(write.body!.content), "base64").toString("utf8");
    expect(content).toContain('\ntitle: "Card & payment <errors>"\n');
    const heading = fromMarkdown(content.replace(/^---\n[\s\S]*?\n---\n/, "")).children.find((n) => n.type === "heading")!;
    expect(shownText(heading)).toBe("Incident #1: Card & payment <errors>");
  });
});

describe("a change request typed in a modal", () => {
  it("is kept as Slack text like a message's (escaped as Slack escapes), so its <...> is shown, not made a link", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Webhook retries sev3", "UALICE");
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("resolve Replayed the queue", { channel_id: channel, user_id: "UALICE" });
    await bot.command("report", { channel_id: channel, user_id: "UALICE" });
    const posted = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => String(c.params.text).startsWith("Report of incident"))
      .at(-1)!;
    type Blocks = { type: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = (posted.params.blocks as Blocks).find((b) => b.type === "actions")!.elements!;
    await bot.press(
      buttons.find((b) => b.action_id === ActionIds.requestReview)!,
      "UALICE",
      channel,
    );
    const review = bot.slack
      .responses()
      .filter((r) => Array.isArray(r.blocks))
      .at(-1)!;
    const requestChanges = (review.blocks as Blocks)
      .find((b) => b.type === "actions")!
      .elements!.find((b) => b.action_id === ActionIds.requestChanges)!;
    await bot.press(requestChanges, "UBOB", channel);
    const modal = bot.slack.callsTo("views.open").at(-1)!.params.view as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(CallbackIds.requestChangesModal);
    const typed = "Say why in <https://evil.example|this thread> & drop the <b>bold</b>";
    const values = { [BlockIds.comment]: { text: { type: "plain_text_input", value: typed } } };
    await bot.submitView({ callback_id: modal.callback_id, private_metadata: modal.private_metadata, values }, "UBOB");

    const entry = (await bot.bot.deps.incidents.listEntries(incident.id)).at(-1)!;
    expect(entry.data).toMatchObject({ comment: asSlackSends(typed), to: "changes_requested" });
    const posts = bot.slack.callsTo("chat.postMessage").map((c) => String(c.params.text));
    const notice = posts.find((t) => t.includes("requested changes to the report"))!;
    expect(notice).toContain(asSlackSends(typed));
    expect(notice).not.toContain("<https://evil.example|");
  });
});

describe("the command line", () => {
  it("prints titles and items as typed, not as Slack escapes them", async () => {
    const database = await createTestDatabase({ onDisk: true, migrated: true });
    bot = await TestBot.start({ database });
    const incident = await bot.declare(`${asSlackSends("Refunds & payouts <delayed>")} sev2`, "UALICE");
    await bot.command(`action ${asSlackSends("Check the <payout> & refund queues")}`, { channel_id: incident.channelId });
    const where: Record<string, string> =
      database.config.kind === "postgres" ? { DATABASE_URL: database.config.url } : { DATA_DIR: database.config.dataDir };
    const env = { LOG_LEVEL: "silent", ...where };
    const list = await runCli(["list"], env);
    expect(list.stdout).toMatch(/\tRefunds & payouts <delayed>\n$/);
    const followups = await runCli(["followups"], env);
    expect(followups.stdout).toContain("#1 Refunds & payouts <delayed>\t1\t");
    expect(followups.stdout).toMatch(/\tCheck the <payout> & refund queues\n/);
  });
});
