// A customer update's whole path, as the liaison and a customer see it: `/incident update public`
// in Slack, the private preview, Publish; then the status page, its feed and JSON show exactly the
// previewed words at once, and Atlassian Statuspage gets them exactly once. The internal update
// posted beside it, the internal title and people's names appear nowhere public.
import { ActionIds } from "../../src/slack/ids.js";
import { FakeStatuspage } from "../support/fakeStatuspage.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot | undefined;
let statuspage: FakeStatuspage | undefined;
afterEach(async () => {
  await bot?.stop();
  await statuspage?.close();
});

describe("a customer update, from Slack to the status page and Statuspage", () => {
  it("is previewed, published once, and shown on /status, in the feed, in the JSON and on Statuspage, with nothing internal", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({
      env: {
        STATUS_PAGE: "true",
        STATUSPAGE_API_KEY: statuspage.apiKey,
        STATUSPAGE_PAGE_ID: statuspage.pageId,
        STATUSPAGE_API_URL: statuspage.apiUrl,
      },
    });
    const incident = await bot.declare("Dave's bad migration took pg-primary-7 down sev1", "UALICE");
    const channel = incident.channelId;
    await bot.command("role liaison @carol", { channel_id: channel, user_id: "UALICE" });
    await bot.command("public-title Card payments failing", { channel_id: channel, user_id: "UCAROL" });
    await bot.command("update Internal: rolling back migration 0042 on pg-primary-7", { channel_id: channel, user_id: "UCAROL" });

    // Before anything is published, the status page lists no incident at all.
    const emptyPage = await (await fetch(`${bot.url}/status`)).text();
    expect(emptyPage).not.toContain("Card payments failing");

    await bot.command(
      "update public <@UDAVE> found the cause. Card payments are failing for some customers; we are rolling back a change.",
      {
        channel_id: channel,
        user_id: "UCAROL",
      },
    );
    const preview = bot.slack
      .responses()
      .filter((r) => Array.isArray(r.blocks))
      .at(-1)!;
    const buttons = (preview.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find(
      (b) => b.type === "actions",
    )!.elements!;
    const publish = buttons.find((b) => b.action_id === ActionIds.publishUpdate)!;
    await bot.press(publish, "UCAROL", channel);
    await bot.press(publish, "UCAROL", channel); // a second press publishes nothing more
    await bot.bot.idle();

    const [published] = (await bot.bot.deps.updates.listUpdates(incident.id)).filter((u) => u.public);
    expect(published!.publishedAt).toBeInstanceOf(Date);
    const words = published!.text;
    expect(words).toContain("Card payments are failing for some customers");
    expect(JSON.stringify(preview.blocks)).toContain(JSON.stringify(words).slice(1, -1)); // what was previewed is what is published

    // Visible at once (the page's cache is dropped on publish), everywhere customers look.
    const page = await (await fetch(`${bot.url}/status`)).text();
    const feed = await (await fetch(`${bot.url}/status/feed.atom`)).text();
    type Listing = { incidents: { incident_updates: unknown[] }[] };
    const summary = (await (await fetch(`${bot.url}/api/v2/summary.json`)).json()) as Listing;
    const incidents = (await (await fetch(`${bot.url}/api/v2/incidents.json`)).json()) as Listing;
    const escapedWords = words.replaceAll("'", "&#39;");
    expect(page).toContain("Card payments failing");
    expect(page.includes(words) || page.includes(escapedWords)).toBe(true);
    expect(feed).toContain("Card payments are failing for some customers");
    expect(summary).toMatchObject({
      status: { indicator: "critical" },
      incidents: [{ name: "Card payments failing", status: "investigating", impact: "critical" }],
    });
    expect(summary.incidents[0]!.incident_updates).toEqual([expect.objectContaining({ body: words, status: "investigating" })]);
    expect(incidents.incidents[0]!.incident_updates).toHaveLength(1);

    // Statuspage: one incident holding the one update, even though Publish was pressed twice.
    expect(statuspage.incidents).toHaveLength(1);
    expect(statuspage.incidents[0]).toMatchObject({ name: "Card payments failing", incident_updates: [{ body: words }] });
    const second = await bot.bot.pushPublicUpdates!();
    expect(second).toEqual({ pushed: 0, failed: 0 });
    expect(statuspage.incidents[0]!.incident_updates).toHaveLength(1);

    for (const surface of [page, feed, JSON.stringify(summary), JSON.stringify(incidents), JSON.stringify(statuspage.incidents)]) {
      for (const secret of ["pg-primary-7", "migration 0042", "Dave", "UDAVE", "UCAROL", channel, incident.title])
        expect(surface).not.toContain(secret);
    }
  });
});
