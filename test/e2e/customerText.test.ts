// Customer text reads exactly as the liaison typed it. Slack sends `&`, `<` and `>` as `&amp;`,
// `&lt;` and `&gt;`; the bot decodes them once, before sanitising, and stores what was typed. Every
// surface then escapes it for its own format: the status page (HTML), its Atom feed (XML), the
// Statuspage-shaped JSON, the push to Statuspage (JSON), and Slack itself (the preview and the
// channel's notice). No live HTML anywhere, and a typed `&amp;` or `&lt;b&gt;` stays those characters.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ActionIds } from "../../src/slack/ids.js";
import { FakeStatuspage } from "../support/fakeStatuspage.js";
import { TestBot } from "../support/testBot.js";
import { checkWellFormedXml } from "../support/xml.js";

let bot: TestBot | undefined;
let statuspage: FakeStatuspage | undefined;
afterEach(async () => {
  await bot?.stop();
  await statuspage?.close();
  bot = undefined;
  statuspage = undefined;
});

/** What Slack sends for text someone typed (its escaping, written out here rather than taken from the bot). */
const asSlackSends = (typed: string) => typed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Text of an HTML or XML fragment as a browser reads it (the bot escapes with numeric and the XML entities). */
const htmlText = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    // One pass, as a parser reads references: "&#38;lt;" is the text "&lt;".
    .replace(/&(#\d+|lt|gt|quot|apos|amp);/g, (_m, ref: string) =>
      ref.startsWith("#") ? String.fromCharCode(Number(ref.slice(1))) : { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" }[ref]!,
    );

const TITLE = "Payments & refunds <slow>";
const UPDATE = [
  "Payments are delayed & refunds are slower; 2 < 3 > 1.",
  "Typed literally: <script>alert(1)</script> <img src=x onerror=alert(2)> &lt;b&gt; and &amp; and &#39; too.",
].join("\n");

async function startWithStatuspage() {
  statuspage = await FakeStatuspage.start();
  bot = await TestBot.start({
    env: {
      STATUS_PAGE: "true",
      STATUSPAGE_API_KEY: statuspage.apiKey,
      STATUSPAGE_PAGE_ID: statuspage.pageId,
      STATUSPAGE_API_URL: statuspage.apiUrl,
    },
  });
  return bot;
}

describe("customer text, as typed", () => {
  it("reaches the preview, /status, the feed, the JSON, Statuspage and the channel as typed, and no HTML is live", async () => {
    const bot = await startWithStatuspage();
    const incident = await bot.declare("Card processor timeouts sev2", "UALICE");
    const channel = incident.channelId;
    await bot.command("role liaison @carol", { channel_id: channel, user_id: "UALICE" });
    await bot.command(`public-title ${asSlackSends(TITLE)}`, { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toBe(`Customers will see this incident as “${asSlackSends(TITLE)}”.`);
    await bot.command(`update public ${asSlackSends(UPDATE)}`, { channel_id: channel, user_id: "UCAROL" });

    // Stored as typed.
    const [draft] = (await bot.bot.deps.updates.listUpdates(incident.id)).filter((u) => u.public);
    expect(draft!.text).toBe(UPDATE);
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).publicTitle).toBe(TITLE);

    // The preview shows it as Slack shows any text: escaped for Slack, so it reads as typed there.
    const preview = bot.slack
      .responses()
      .filter((r) => Array.isArray(r.blocks))
      .at(-1)!;
    const texts = JSON.stringify(preview.blocks);
    expect(texts).toContain(JSON.stringify(asSlackSends(UPDATE)).slice(1, -1));
    expect(texts).toContain(JSON.stringify(asSlackSends(TITLE)).slice(1, -1));
    expect(String(preview.text)).toContain(asSlackSends(UPDATE));
    const publish = (preview.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .find((b) => b.type === "actions")!
      .elements!.find((b) => b.action_id === ActionIds.publishUpdate)!;
    await bot.press(publish, "UCAROL", channel);
    await bot.bot.idle();

    // The channel's notice, in Slack's format.
    const posts = bot.slack.callsTo("chat.postMessage").map((c) => String(c.params.text));
    const notice = posts.find((t) => t.includes("published an update for customers"))!;
    expect(notice).toContain(`under “${asSlackSends(TITLE)}”`);
    for (const line of asSlackSends(UPDATE).split("\n")) expect(notice).toContain(`> ${line}`);

    // /status: the words as typed once the page's escaping is read; no tag the liaison typed is a tag.
    const page = await (await fetch(`${bot.url}/status`)).text();
    const shown = [...page.matchAll(/<p class="update-text">([\s\S]*?)<\/p>/g)].map((m) => htmlText(m[1]!));
    expect(shown).toEqual([UPDATE]);
    expect(htmlText(/<h3 id="incident-1-title">([\s\S]*?)<\/h3>/.exec(page)![1]!)).toBe(TITLE);
    expect(page).not.toMatch(/<script|<img|<b>|<slow>/i);
    expect(page).toContain("delayed &#38; refunds"); // escaped once, for HTML

    // The Atom feed: well-formed, its text content is what was typed.
    const feed = await (await fetch(`${bot.url}/status/feed.atom`)).text();
    checkWellFormedXml(feed);
    expect(htmlText(/<content type="text">([\s\S]*?)<\/content>/.exec(feed)![1]!)).toBe(UPDATE);
    expect(htmlText(/<entry>[\s\S]*?<title type="text">([\s\S]*?)<\/title>/.exec(feed)![1]!)).toBe(`${TITLE}: Investigating`);
    expect(feed).not.toMatch(/<script|<img|<b>|<slow>/i);

    // The JSON: the strings are what was typed (JSON escapes nothing of it).
    type Listing = { incidents: { name: string; incident_updates: { body: string }[] }[] };
    for (const route of ["/api/v2/summary.json", "/api/v2/incidents.json"]) {
      const listing = (await (await fetch(`${bot.url}${route}`)).json()) as Listing;
      expect(listing.incidents[0]).toMatchObject({ name: TITLE, incident_updates: [{ body: UPDATE }] });
    }

    // Statuspage received the typed text as its JSON body, once.
    expect(statuspage!.incidents).toHaveLength(1);
    expect(statuspage!.incidents[0]).toMatchObject({ name: TITLE, incident_updates: [{ body: UPDATE }] });

    // The timeline's facts hold Slack text, as everything the timeline shows: the update and the
    // title as Slack would show them.
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ field: "update", to: "public", text: asSlackSends(UPDATE) }),
    );
    expect(entries.map((e) => e.data)).toContainEqual(expect.objectContaining({ field: "public_title", to: asSlackSends(TITLE) }));
  });

  it("measures an update's length as its preview is sent to Slack, so the preview is never cut", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const incident = await bot.declare("Queue backlog sev3", "UALICE");
    // 500 typed "&" are 500 characters for customers but 2,500 in the preview Slack receives.
    await bot.command(`update public ${asSlackSends("&".repeat(500))}`, { channel_id: incident.channelId, user_id: "UALICE" });
    expect(bot.lastReply()).toMatch(/at most 2000|2,000/);
    expect((await bot.bot.deps.updates.listUpdates(incident.id)).filter((u) => u.public)).toHaveLength(0);
  });

  it("publishes the report's public summary with the action items and the public title as typed", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const incident = await bot.declare("Card processor timeouts sev2", "UALICE");
    const channel = incident.channelId;
    await bot.command("role tech-lead @bob", { channel_id: channel });
    await bot.command("role liaison @carol", { channel_id: channel });
    await bot.command(`public-title ${asSlackSends(TITLE)}`, { channel_id: channel, user_id: "UCAROL" });
    await bot.command(`summary ${asSlackSends("Timeouts & retries <b>doubled</b> the load.")}`, { channel_id: channel });
    await bot.command(`action ${asSlackSends("Alert on queue depth & lag, and on a literal &amp; in names")}`, { channel_id: channel });
    await bot.command("resolve Scaled the workers", { channel_id: channel });
    await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
    await bot.publishReportThroughReview(channel, { liaison: "UCAROL", techLead: "UBOB" });

    const stored = (await bot.bot.database.prisma.report.findUniqueOrThrow({ where: { incidentId: incident.id } })).publicSummary!;
    // A heading of plain text: the characters Markdown would read are escaped.
    expect(stored.split("\n")[0]).toBe("# Payments & refunds \\<slow>");
    // `/incident report public` shows that Markdown's source in Slack, escaped for Slack.
    await bot.command("report public", { channel_id: channel, user_id: "UCAROL" });
    expect(bot.lastReply()).toContain(`\`\`\`\n${asSlackSends(stored)}\n\`\`\``);

    const page = await (await fetch(`${bot.url}/status`)).text();
    const summary = htmlText(/<section class="summary"[\s\S]*?<\/section>/.exec(page)![0]);
    expect(summary).toContain("Timeouts & retries <b>doubled</b> the load.");
    expect(summary).toContain("Alert on queue depth & lag, and on a literal &amp; in names");
    expect(page).not.toMatch(/<b>doubled/);
  });
});

describe("public texts stored before they were stored as typed", () => {
  const decodingStatements = async () => {
    const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
    const { readdir } = await import("node:fs/promises");
    const folder = (await readdir(dir)).find((name) => name.endsWith("_public_text_as_typed"))!;
    const sql = await readFile(path.join(dir, folder, "migration.sql"), "utf8");
    return [...sql.matchAll(/^UPDATE[\s\S]*?;$/gm)].map((m) => m[0]);
  };

  it("are decoded once by the migration, so the page shows them as they were typed", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const { prisma } = bot.bot.database;
    const incident = await bot.declare("Old incident sev2", "UALICE");
    // Rows as the previous version wrote them: Slack's text, flagged (by the column's default) as such.
    await prisma.incident.update({ where: { id: incident.id }, data: { publicTitle: asSlackSends(TITLE), publicTitleSlackEscaped: true } });
    const at = new Date();
    const row = (text: string, extra: { public: boolean; sourceKey: string }) => ({
      incidentId: incident.id,
      text,
      status: "investigating" as const,
      postedBy: "UCAROL",
      createdAt: at,
      publishedAt: at,
      ...extra,
    });
    await prisma.stakeholderUpdate.createMany({
      data: [
        row(asSlackSends(UPDATE), { public: true, sourceKey: "command:old-public" }),
        row(asSlackSends("internal & <@UALICE>"), { public: false, sourceKey: "command:old-internal" }),
      ],
    });

    const statements = await decodingStatements();
    expect(statements).toHaveLength(2);
    for (const statement of statements) await prisma.$executeRawUnsafe(statement);
    for (const statement of statements) await prisma.$executeRawUnsafe(statement); // a second run changes nothing

    const updates = await prisma.stakeholderUpdate.findMany({ where: { incidentId: incident.id }, orderBy: { sourceKey: "asc" } });
    expect(updates.map((u) => [u.sourceKey, u.text, u.slackEscaped])).toEqual([
      ["command:old-internal", asSlackSends("internal & <@UALICE>"), true], // Slack's text, as posted in Slack
      ["command:old-public", UPDATE, false],
    ]);
    const title = await prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(title).toMatchObject({ publicTitle: TITLE, publicTitleSlackEscaped: false });

    type Listing = { incidents: { name: string; incident_updates: { body: string }[] }[] };
    const listing = (await (await fetch(`${bot.url}/api/v2/incidents.json`)).json()) as Listing;
    expect(listing.incidents[0]).toMatchObject({ name: TITLE, incident_updates: [{ body: UPDATE }] });
  });

  it("are decoded on import from an export made before, whose rows lack the flags", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const { prisma } = bot.bot.database;
    const incident = await bot.declare("Imported incident sev2", "UALICE");
    await prisma.incident.update({ where: { id: incident.id }, data: { publicTitle: TITLE } });
    await bot.command(`update public ${asSlackSends(UPDATE)}`, { channel_id: incident.channelId, user_id: "UALICE" });
    const { exportAll, importAll } = await import("../../src/store/transfer.js");
    const file = await exportAll(bot.bot.database);
    // The export as the previous version wrote it: escaped texts, no flag columns.
    const old = structuredClone(file);
    old.tables.incidents = old.tables.incidents!.map((row) => {
      const { publicTitleSlackEscaped: _flag, ...rest } = row as Record<string, unknown>;
      return { ...rest, publicTitle: asSlackSends(String(rest.publicTitle)) };
    });
    old.tables.stakeholderUpdates = old.tables.stakeholderUpdates!.map((row) => {
      const { slackEscaped: _flag, ...rest } = row as Record<string, unknown>;
      return { ...rest, text: rest.public ? asSlackSends(String(rest.text)) : rest.text };
    });
    await prisma.incident.delete({ where: { id: incident.id } });

    await importAll(prisma, old);
    expect((await prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).publicTitle).toBe(TITLE);
    expect((await prisma.stakeholderUpdate.findFirstOrThrow({ where: { incidentId: incident.id, public: true } })).text).toBe(UPDATE);

    // An export made now imports unchanged: nothing is decoded twice.
    await prisma.incident.delete({ where: { id: incident.id } });
    await importAll(prisma, file);
    expect((await prisma.stakeholderUpdate.findFirstOrThrow({ where: { incidentId: incident.id, public: true } })).text).toBe(UPDATE);
  });
});
