// `/incident assign`: the follow-up reminders ask for an owner and a due date, and this is how
// people give them, through the receiver and fake Slack: the item changes, the record says who
// changed what (once, however often Slack delivers the command), the channel is told, the
// follow-up lists and the overdue reminder use the new values, and mistakes change nothing.
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
afterEach(() => bot?.stop());

describe("/incident assign", () => {
  it("gives an item an owner and a due date, records each change once, and the follow-ups use them", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Checkout errors sev2");
    const channel = incident.channelId;
    await bot.command("action Alert on certificate expiry", { channel_id: channel });
    const [before] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    expect(before).toMatchObject({ number: 1, ownerId: null, dueDate: null });

    const trigger = "assign.1.trigger";
    await bot.command("assign 1 @bob due 2099-01-31", { channel_id: channel, user_id: "UCAROL", trigger_id: trigger });
    await bot.command("assign 1 @bob due 2099-01-31", { channel_id: channel, user_id: "UCAROL", trigger_id: trigger }); // Slack's replay
    expect(bot.lastReply()).toContain("Updated: :white_medium_square: *1.* Alert on certificate expiry · owner <@UBOB> · due 2099-01-31");

    const [after] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    expect(after).toMatchObject({ ownerId: "UBOB" });
    expect(after!.dueDate!.toISOString().slice(0, 10)).toBe("2099-01-31");
    const entries = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) =>
      ["action_item_owner", "action_item_due"].includes(String(e.data?.field)),
    );
    expect(entries.map((e) => e.data)).toEqual([
      { field: "action_item_owner", from: null, to: "UBOB", number: 1, text: "Alert on certificate expiry" },
      { field: "action_item_due", from: null, to: "2099-01-31", number: 1, text: "Alert on certificate expiry" },
    ]);
    const notes = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === channel)
      .map((c) => String(c.params.text));
    expect(notes.filter((t) => t.includes("the owner of action item 1"))).toEqual([
      "<@UCAROL> made <@UBOB> the owner of action item 1: Alert on certificate expiry",
    ]);
    expect(notes.filter((t) => t.includes("due date of action item 1"))).toEqual([
      "<@UCAROL> set the due date of action item 1 to 2099-01-31: Alert on certificate expiry",
    ]);

    // Bob's follow-ups now hold it, anywhere.
    await bot.command("followups mine", { channel_id: "CGENERAL", user_id: "UBOB" });
    expect(bot.lastReply()).toBe("Your open action items: 1");
    expect(JSON.stringify(bot.slack.responses().at(-1)!.blocks)).toContain("Alert on certificate expiry");

    // A new owner alone, then a due date alone.
    await bot.command("assign #1 @carol", { channel_id: channel, user_id: "UALICE" });
    await bot.command("assign 1 due 2099-02-28", { channel_id: channel, user_id: "UALICE" });
    const [last] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    expect(last).toMatchObject({ ownerId: "UCAROL" });
    expect(last!.dueDate!.toISOString().slice(0, 10)).toBe("2099-02-28");
  });

  it("makes the new owner the assignee of the item's GitHub issue when GitHub knows them", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Checkout errors sev2");
    const channel = incident.channelId;
    await bot.command("action Alert on certificate expiry", { channel_id: channel });
    await bot.command("resolve Rolled back", { channel_id: channel, user_id: "UALICE" });
    await bot.bot.idle();
    const [item] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    const issue = () => bot.github.issues.find((i) => i.number === item!.issueNumber)!;
    expect(issue().assignees).toEqual([]);

    await bot.command("github-login bob-gh", { channel_id: channel, user_id: "UBOB" });
    await bot.command("assign 1 @bob", { channel_id: channel, user_id: "UALICE" });
    expect(issue().assignees).toEqual(["bob-gh"]);
    // Carol has told the bot no GitHub login: the issue is left with nobody rather than Bob.
    await bot.command("assign 1 @carol", { channel_id: channel, user_id: "UALICE" });
    expect(issue().assignees).toEqual([]);
    // A due date alone does not touch the issue's assignees.
    const patches = bot.github.calls.filter((c) => c.method === "PATCH").length;
    await bot.command("assign 1 due 2099-01-31", { channel_id: channel, user_id: "UALICE" });
    expect(bot.github.calls.filter((c) => c.method === "PATCH")).toHaveLength(patches);
  });

  it("answers mistakes with what to type, and changes nothing", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Checkout errors sev2");
    const channel = incident.channelId;
    await bot.command("action Alert on certificate expiry", { channel_id: channel });
    const entries = async () => (await bot.bot.deps.incidents.listEntries(incident.id)).length;
    const count = await entries();

    await bot.command("assign", { channel_id: channel });
    expect(bot.lastReply()).toContain("Which action item?");
    expect(bot.lastReply()).toContain("/incident assign <item number> [@owner] [due <date>]");
    await bot.command("assign one @bob", { channel_id: channel });
    expect(bot.lastReply()).toContain("“one” is not an action item number");
    await bot.command("assign 1", { channel_id: channel });
    expect(bot.lastReply()).toContain("Give the item an owner, a due date, or both.");
    await bot.command("assign 1 @bob tomorrow", { channel_id: channel });
    expect(bot.lastReply()).toContain("“tomorrow” is not `due <date>`");
    await bot.command("assign 7 @bob", { channel_id: channel });
    expect(bot.lastReply()).toBe("Incident #1 has no action item 7 (it has 1 to 1; `/incident actions` lists them).");
    // A bad date stops the whole command: the owner is not set either.
    await bot.command("assign 1 @bob due the day after never", { channel_id: channel });
    expect(bot.lastReply()).toContain("/incident assign <item number>");
    await bot.command("assign 1 @nobody-here", { channel_id: channel });
    expect(bot.lastReply()).toContain("@nobody-here is not a user in this workspace.");

    const [item] = await bot.bot.deps.actionItems.listActionItems(incident.id);
    expect(item).toMatchObject({ ownerId: null, dueDate: null });
    expect(await entries()).toBe(count);
  });
});
