// The public status page, end to end: incidents declared and resolved through the bot, public
// updates written into the database as `/incident update public` leaves them (published, or a
// draft), a report published through the review buttons; then /status, the Atom feed and the
// Statuspage-shaped JSON as a customer fetches them, and nothing internal anywhere.
import { ActionIds } from "../../src/slack/ids.js";
import type { Incident } from "../../src/incidents/model.js";
import { TestBot } from "../support/testBot.js";
import { checkWellFormedXml } from "../support/xml.js";

let bot: TestBot;
afterEach(() => bot?.stop());

const DAY_MS = 86_400_000;

async function addUpdate(
  incident: Incident,
  input: { text: string; public: boolean; published: boolean; status?: Incident["status"]; minutesAgo?: number },
) {
  const at = new Date(Date.now() - (input.minutesAgo ?? 0) * 60_000);
  return bot.bot.database.prisma.stakeholderUpdate.create({
    data: {
      incidentId: incident.id,
      sourceKey: `command:test-${Math.random().toString(36).slice(2)}`,
      public: input.public,
      text: input.text,
      status: input.status ?? incident.status,
      postedBy: "UCAROL",
      createdAt: at,
      publishedAt: input.published ? at : null,
    },
  });
}

/** Resolves the incident and publishes its report through the review buttons, as the team does. */
async function publishReport(incident: Incident) {
  const channel = incident.channelId;
  await bot.command("role tech-lead @bob", { channel_id: channel });
  await bot.command("role liaison @carol", { channel_id: channel });
  await bot.command("summary Renewal of the gateway certificate failed; customers saw TLS errors.", { channel_id: channel });
  await bot.command("resolve Renewed the certificate", { channel_id: channel });
  await bot.command("report", { channel_id: channel, user_id: "UCAROL" });
  const posted = bot.slack
    .callsTo("chat.postMessage")
    .filter((c) => String(c.params.text).startsWith("Report of incident"))
    .at(-1)!;
  const actions = (posted.params.blocks as { type: string; elements?: { action_id: string; value?: string }[] }[]).find(
    (b) => b.type === "actions",
  )!;
  const button = (id: string) => actions.elements!.find((e) => e.action_id === id)!;
  await bot.press(button(ActionIds.requestReview), "UCAROL", channel);
  await bot.press(button(ActionIds.approveReport), "UBOB", channel);
  await bot.press(button(ActionIds.publishReport), "UCAROL", channel);
  expect((await bot.bot.deps.reports.getReport(incident.id)).status).toBe("published");
}

async function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await fetch(`${bot.url}${path}`, { method, headers });
  return { response, body: await response.text() };
}

describe("status page", () => {
  it("shows published public updates and summaries on /status, in the Atom feed and the Statuspage JSON, and nothing internal", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true", STATUS_PAGE_TITLE: "Acme status" } });
    const { prisma } = bot.bot.database;

    // An open SEV1 with a public title, two published public updates, a draft and an internal update.
    const open = await bot.declare("Payments DB failover botched by Dave sev1");
    const openDeclaredAt = new Date(Date.now() - 3_600_000);
    await prisma.incident.update({ where: { id: open.id }, data: { publicTitle: "Card payments failing", declaredAt: openDeclaredAt } });
    await bot.command("log <@UALICE> is restarting pg-primary-7", { channel_id: open.channelId });
    const first = await addUpdate(open, {
      text: "We are investigating failed card payments.",
      public: true,
      published: true,
      minutesAgo: 30,
    });
    const second = await addUpdate(open, {
      text: 'Fix identified: <script>alert("x")</script> & failover "in progress" ]]> done\u0001',
      public: true,
      published: true,
      status: "identified",
      minutesAgo: 5,
    });
    await addUpdate(open, { text: "DRAFT not yet confirmed", public: true, published: false });
    await addUpdate(open, { text: "Internal: pg-primary-7 is wedged, paging the DBA", public: false, published: true });

    // An incident that never told customers anything: not shown.
    await bot.declare("Quiet internal hiccup sev3");

    // A resolved incident whose report is published: its public summary is stored, under its public title.
    const resolved = await bot.declare("Gateway cert expired sev2", "UALICE");
    await publishReport(resolved);
    const stored = await prisma.report.findUniqueOrThrow({ where: { incidentId: resolved.id } });
    expect(stored.publicSummary).toMatch(/^# Incident #3\n/);
    expect(stored.publicSummary).toContain("## Summary");
    expect(stored.publicSummary).not.toContain("Gateway cert expired");
    expect(stored.publicSummary).not.toContain("Dave");

    // A resolved incident from 100 days ago, with a public update: past the 90 days, not shown.
    const old = await bot.declare("Ancient outage sev2");
    await addUpdate(old, { text: "Old news from long ago", public: true, published: true, minutesAgo: 100 * 24 * 60 });
    await prisma.incident.update({
      where: { id: old.id },
      data: { declaredAt: new Date(Date.now() - 100 * DAY_MS), status: "resolved", resolvedAt: new Date(Date.now() - 99 * DAY_MS) },
    });

    // The HTML page.
    const page = await get("/status");
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = page.response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page.response.headers.get("cache-control")).toBe("public, max-age=15");
    const html = page.body;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain("<h1>Acme status</h1>");
    expect(html).toContain('<main id="main">');
    expect(html).not.toMatch(/<script|<img|<link rel="stylesheet"|src=/i);
    const [openPart, pastPart] = html.split('<h2 id="past-incidents">');
    expect(openPart).toContain('<h3 id="incident-1-title">Card payments failing</h3>');
    expect(pastPart).toContain('<h3 id="incident-3-title">Incident #3</h3>');
    // Updates newest first, escaped, each with its time in UTC and in the team's zone, named.
    expect(openPart!.indexOf("Fix identified")).toBeLessThan(openPart!.indexOf("We are investigating"));
    expect(html).toContain(
      "Fix identified: &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; failover &#34;in progress&#34; ]]&#62; done</p>",
    );
    expect(html).toMatch(
      new RegExp(`<time datetime="${second.publishedAt!.toISOString()}">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d (GMT|BST)</time>`),
    );
    expect(html).toMatch(/Times are shown in Europe\/London \((GMT|BST)\)/);
    // The public summary, rendered from Markdown, under the incident's heading level.
    expect(pastPart).toContain('<h4 id="incident-3-summary">Post-incident summary</h4>');
    expect(pastPart).toContain("<h5>Summary</h5>");
    expect(pastPart).toContain("customers saw TLS errors.");

    // The Atom feed: well-formed, ids stable URNs, one entry per published public update in the window.
    const feed = await get("/status/feed.atom");
    expect(feed.response.status).toBe(200);
    expect(feed.response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    checkWellFormedXml(feed.body);
    expect(feed.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(feed.body).toMatch(/<id>urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/id>/);
    expect(feed.body).toContain(`<link rel="self" type="application/atom+xml" href="${bot.url}/status/feed.atom"/>`);
    expect(feed.body).toContain(`<link rel="alternate" type="text/html" href="${bot.url}/status"/>`);
    expect(feed.body).toContain(`<updated>${second.publishedAt!.toISOString()}</updated>`);
    const entries = feed.body.match(/<entry>[\s\S]*?<\/entry>/g) ?? [];
    expect(entries).toHaveLength(2);
    expect(entries[0]).toContain(`<id>urn:uuid:${second.id}</id>`);
    expect(entries[0]).toContain('<title type="text">Card payments failing: Identified</title>');
    expect(entries[0]).toContain('<content type="text">Fix identified: &#60;script&#62;');
    expect(entries[1]).toContain(`<id>urn:uuid:${first.id}</id>`);
    expect((await get("/status/feed.atom")).body).toBe(feed.body);

    // summary.json: Statuspage's shape; the unresolved incident, the page indicator from its impact.
    const summary = await get("/api/v2/summary.json");
    expect(summary.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const summaryJson = JSON.parse(summary.body);
    expect(Object.keys(summaryJson).sort()).toEqual(["components", "incidents", "page", "scheduled_maintenances", "status"]);
    expect(summaryJson.page).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{12}$/),
      name: "Acme status",
      url: `${bot.url}/status`,
      time_zone: "Europe/London",
      updated_at: stored.publishedAt!.toISOString(),
    });
    expect(summaryJson.status).toEqual({ indicator: "critical", description: "Major System Outage" });
    expect(summaryJson.components).toEqual([]);
    expect(summaryJson.scheduled_maintenances).toEqual([]);
    expect(summaryJson.incidents).toHaveLength(1);
    const incident = summaryJson.incidents[0];
    expect(incident).toEqual({
      id: open.id,
      name: "Card payments failing",
      status: "investigating",
      created_at: openDeclaredAt.toISOString(),
      updated_at: second.publishedAt!.toISOString(),
      monitoring_at: null,
      resolved_at: null,
      impact: "critical",
      shortlink: `${bot.url}/status#incident-1`,
      started_at: openDeclaredAt.toISOString(),
      page_id: summaryJson.page.id,
      incident_updates: [expect.any(Object), expect.any(Object)],
      components: [],
    });
    expect(incident.incident_updates[0]).toEqual({
      id: second.id,
      status: "identified",
      body: second.text,
      incident_id: open.id,
      created_at: second.publishedAt!.toISOString(),
      updated_at: second.publishedAt!.toISOString(),
      display_at: second.publishedAt!.toISOString(),
      affected_components: [],
      deliver_notifications: true,
    });

    // incidents.json: the recent incidents, newest first, resolved ones with their resolved_at.
    const list = JSON.parse((await get("/api/v2/incidents.json")).body);
    expect(Object.keys(list).sort()).toEqual(["incidents", "page"]);
    expect(list.incidents.map((i: { name: string }) => i.name)).toEqual(["Incident #3", "Card payments failing"]);
    expect(list.incidents[0]).toMatchObject({
      status: "resolved",
      impact: "major",
      incident_updates: [],
      resolved_at: expect.stringMatching(/Z$/),
    });

    // Nothing internal anywhere: titles, people, the channel, drafts, internal updates, the log.
    const everything = [html, feed.body, summary.body, JSON.stringify(list)].join("\n");
    const channelNames = (await bot.bot.deps.incidents.listIncidents()).flatMap((i) => [i.channelName, i.channelId, i.title]);
    for (const secret of [
      ...channelNames,
      "Dave",
      "UALICE",
      "UCAROL",
      "UBOB",
      "<@",
      "DRAFT not yet confirmed",
      "pg-primary-7",
      "Old news",
      "Quiet internal",
      "slack.com",
    ]) {
      expect(everything).not.toContain(secret);
    }

    // Caching: a matching ETag is answered 304 without a body; HEAD has the headers only.
    const etag = page.response.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get("/status", { "if-none-match": etag });
    expect(again.response.status).toBe(304);
    expect(again.body).toBe("");
    const head = await get("/api/v2/summary.json", {}, "HEAD");
    expect(head.response.status).toBe(200);
    expect(head.response.headers.get("etag")).toBe(summary.response.headers.get("etag"));
    expect(head.body).toBe("");

    // Anything else is not found.
    for (const path of ["/status/", "/status/feed.rss", "/api/v2/subscribers.json", "/api/v2/incidents/unresolved", "/api/v2/components"]) {
      expect((await get(path)).response.status).toBe(404);
    }
    expect((await get("/status", {}, "POST")).response.status).toBe(405);
  });

  it("is not served unless STATUS_PAGE=true", async () => {
    bot = await TestBot.start();
    const incident = await bot.declare("Something public sev2");
    await addUpdate(incident, { text: "We are looking into it.", public: true, published: true });
    for (const path of ["/status", "/status/feed.atom", "/api/v2/summary.json", "/api/v2/incidents.json"]) {
      expect((await get(path)).response.status).toBe(404);
    }
    expect(bot.bot.statusPage).toBeUndefined();
  });
});
