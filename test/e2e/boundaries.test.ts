// What comes back from Slack in a button's value, a menu's option or a modal's metadata is read with
// a schema, not cast: a value the bot did not write (hand-made, or from an older version) gets a
// private answer saying what to do, and changes nothing. The same holds for GitHub's webhook (400
// naming the field) and the admin socket (test/unit/adminSocket.test.ts).
import { ActionIds, BlockIds, CallbackIds } from "../../src/slack/ids.js";
import { UNREADABLE_BUTTON, UNREADABLE_FORM } from "../../src/slack/values.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
beforeAll(async () => {
  bot = await TestBot.start();
});
afterAll(() => bot?.stop());

/** Every table the bot writes, read whole: equal before and after means nothing was written. */
async function everything() {
  const { prisma } = bot.bot.database;
  const [incidents, entries, items, reports, updates] = await Promise.all([
    prisma.incident.findMany({ orderBy: { number: "asc" } }),
    prisma.timelineEntry.findMany({ orderBy: { id: "asc" } }),
    prisma.actionItem.findMany({ orderBy: { id: "asc" } }),
    prisma.report.findMany({ orderBy: { incidentId: "asc" } }),
    prisma.stakeholderUpdate.findMany({ orderBy: { id: "asc" } }),
  ]);
  return { incidents, entries, items, reports, updates };
}

describe("values Slack hands back", () => {
  it("refuses a report button, menu option, update or action item value the bot did not write, privately, changing nothing", async () => {
    const incident = await bot.declare("Checkout errors sev2");
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("action Alert on checkout errors", { channel_id: channel });
    await bot.command("resolve Rolled back", { channel_id: channel });
    const item = (await bot.bot.deps.actionItems.listActionItems(incident.id))[0]!;
    const before = await everything();

    const version = (await bot.bot.deps.reports.getReport(incident.id)).version;
    const incidentId = incident.id;
    const ref = { incidentId, version };
    const presses: [string, { action_id: string; value?: string; selected_option?: { value: string } }][] = [
      ["not JSON", { action_id: ActionIds.approveReport, value: "approve please" }],
      ["no incident", { action_id: ActionIds.approveReport, value: JSON.stringify({ version }) }],
      ["a version that is not a number", { action_id: ActionIds.publishReport, value: JSON.stringify({ incidentId, version: "1" }) }],
      ["an incident id that is not an id", { action_id: ActionIds.requestReview, value: JSON.stringify({ incidentId: "../1", version }) }],
      ["an empty value", { action_id: ActionIds.requestChanges, value: "" }],
      ["an option without a key", { action_id: ActionIds.editReportSection, selected_option: { value: JSON.stringify(ref) } }],
      ["a draft that is not an id", { action_id: ActionIds.publishUpdate, value: "'; drop table" }],
      ["no draft", { action_id: ActionIds.cancelUpdate }],
      ["an incident that is not an id", { action_id: ActionIds.retryActionItemIssue, value: "incident-1" }],
      ["a status the menu does not offer", { action_id: ActionIds.markActionDone, selected_option: { value: `open:${item.id}` } }],
      ["an item that is not an id", { action_id: ActionIds.markActionDone, selected_option: { value: "done:1" } }],
    ];
    for (const [what, press] of presses) {
      const { response, responseUrl } = await bot.press(press, "UBOB", channel);
      expect([what, response.status]).toEqual([what, 200]);
      const refusal = expect.objectContaining({ response_type: "ephemeral", text: UNREADABLE_BUTTON });
      expect([what, bot.answersTo(responseUrl)]).toEqual([what, [refusal]]);
    }
    expect(bot.slack.callsTo("views.open")).toHaveLength(0);
    expect(await everything()).toEqual(before);

    // The same buttons with the values the bot wrote still work.
    await bot.press({ action_id: ActionIds.requestReview, value: JSON.stringify({ incidentId: incident.id, version }) }, "UALICE", channel);
    expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("in_review");
  });

  it("answers a modal whose metadata the bot did not write in the modal itself, changing nothing", async () => {
    const { id: incidentId } = await bot.declare("Search slow sev3");
    const before = await everything();
    const [edit, changes] = [CallbackIds.editSectionModal, CallbackIds.requestChangesModal];
    const forms = [
      { callback_id: edit, private_metadata: "{not json", block: BlockIds.sectionText },
      { callback_id: edit, private_metadata: JSON.stringify({ incidentId, version: 0 }), block: BlockIds.sectionText },
      { callback_id: changes, private_metadata: JSON.stringify({ incidentId, version: -1 }), block: BlockIds.comment },
      { callback_id: changes, private_metadata: "", block: BlockIds.comment },
    ];
    for (const { block, ...form } of forms) {
      const values = { [block]: { text: { type: "plain_text_input", value: "Some text" } } };
      const response = await bot.submitView({ ...form, values }, "UALICE");
      expect(await response.json()).toEqual({ response_action: "errors", errors: { [block]: UNREADABLE_FORM } });
    }
    expect(await everything()).toEqual(before);
  });
});
