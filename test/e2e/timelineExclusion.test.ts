// :no_entry_sign: on a message keeps it out of the report's timeline, pinned or not, until the last
// such reaction is removed; :pushpin: still picks what goes in. Reactions as Slack sends them
// (https://docs.slack.dev/reference/events/reaction_added/), through the signed receiver.
import { loadReport } from "../../src/incidents/report/review.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
let channel: string;
let incidentId: string;
let seq = 0;

const tsAgo = (seconds: number) => `${Math.floor(Date.now() / 1000) - seconds}.${String(++seq).padStart(6, "0")}`;
const timeline = async () => (await loadReport(bot.bot.deps, incidentId)).compiled.sections.timeline.markdown;

function reaction(type: "reaction_added" | "reaction_removed", user: string, name: string, ts: string) {
  return { type, user, reaction: name, item_user: "UBOB", item: { type: "message", channel, ts }, event_ts: `${Date.now() / 1000}` };
}

beforeAll(async () => {
  bot = await TestBot.start();
  const incident = await bot.declare("Search results empty sev3");
  channel = incident.channelId;
  incidentId = incident.id;
});
afterAll(() => bot.stop());

describe("excluding a message from the report's timeline", () => {
  it("takes out a message that carries evidence, and puts it back when the last reaction goes", async () => {
    const ts = tsAgo(120);
    // Few messages are pinned, so a message with a pasted command is in the timeline on its own.
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "$ curl -s search.internal/health  # my lunch order is in here too",
      ts,
      channel_type: "channel",
    });
    expect(await timeline()).toContain("my lunch order");

    await bot.event(reaction("reaction_added", "UALICE", "no_entry_sign", ts));
    await bot.event(reaction("reaction_added", "UCAROL", "no_entry_sign", ts));
    expect(await timeline()).not.toContain("my lunch order");
    expect((await bot.bot.deps.incidents.listEntries(incidentId)).find((e) => e.ts === ts)).toMatchObject({
      excluded: true,
      deleted: false,
    });

    // One of two removed: still out. Both removed: back in.
    await bot.event(reaction("reaction_removed", "UALICE", "no_entry_sign", ts));
    expect(await timeline()).not.toContain("my lunch order");
    await bot.event(reaction("reaction_removed", "UCAROL", "no_entry_sign", ts));
    expect(await timeline()).toContain("my lunch order");
  });

  it("wins over a pin, and a repeated reaction counts once", async () => {
    const ts = tsAgo(110);
    await bot.event({
      type: "message",
      channel,
      user: "UCAROL",
      text: "the index alias points at the empty index",
      ts,
      channel_type: "channel",
    });
    await bot.event(reaction("reaction_added", "UALICE", "pushpin", ts));
    expect(await timeline()).toContain("the index alias points at the empty index");

    await bot.event(reaction("reaction_added", "UBOB", "no_entry_sign", ts));
    await bot.event(reaction("reaction_added", "UBOB", "no_entry_sign", ts)); // Slack redelivers
    expect(await timeline()).not.toContain("the index alias points at the empty index");
    await bot.event(reaction("reaction_removed", "UBOB", "no_entry_sign", ts));
    expect(await timeline()).toContain("the index alias points at the empty index");
  });

  it("leaves other reactions alone", async () => {
    const ts = tsAgo(100);
    await bot.event({ type: "message", channel, user: "UBOB", text: "rolled back the alias change", ts, channel_type: "channel" });
    await bot.event(reaction("reaction_added", "UALICE", "no_entry", ts));
    expect(await timeline()).toContain("rolled back the alias change");
  });
});
