// The rest of Statuspage's public API v2 that status tooling reads, beside summary.json and
// incidents.json: status.json, components.json, incidents/unresolved.json and the scheduled
// maintenances (all, upcoming, active). The bot has no components or maintenances, so those lists
// are empty, in Statuspage's documented shapes. Every document is served like the others: from the
// one cached read, with an ETag (304 on a match), a short max-age, HEAD, CORS and nosniff.
import type { Incident } from "../../src/incidents/model.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
afterEach(() => bot?.stop());

const API = [
  "/api/v2/summary.json",
  "/api/v2/status.json",
  "/api/v2/components.json",
  "/api/v2/incidents.json",
  "/api/v2/incidents/unresolved.json",
  "/api/v2/scheduled-maintenances.json",
  "/api/v2/scheduled-maintenances/upcoming.json",
  "/api/v2/scheduled-maintenances/active.json",
];

async function publicUpdate(incident: Incident, text: string, status: Incident["status"]) {
  const at = new Date();
  await bot.bot.database.prisma.stakeholderUpdate.create({
    data: {
      incidentId: incident.id,
      sourceKey: `command:${text}`,
      public: true,
      text,
      status,
      postedBy: "UCAROL",
      createdAt: at,
      publishedAt: at,
    },
  });
}

async function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await fetch(`${bot.url}${path}`, { method, headers });
  return { response, body: await response.text() };
}

describe("Statuspage's public API v2", () => {
  it("serves every document in Statuspage's shape, with the unresolved incidents where Statuspage lists them", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true", STATUS_PAGE_TITLE: "Acme status" } });
    const open = await bot.declare("Checkout errors sev2");
    await publicUpdate(open, "We are looking into failed checkouts.", "investigating");
    const watching = await bot.declare("Slow search sev3");
    await publicUpdate(watching, "A fix is out; we are watching.", "monitoring");
    await bot.command("status monitoring", { channel_id: watching.channelId });
    const done = await bot.declare("Login outage sev1");
    await publicUpdate(done, "Logins work again.", "resolved");
    await bot.command("resolve Restarted the auth service", { channel_id: done.channelId });
    bot.bot.statusPage!.invalidate();

    const documents = Object.fromEntries(await Promise.all(API.map(async (path) => [path, JSON.parse((await get(path)).body)] as const)));
    const page = documents["/api/v2/summary.json"].page;
    expect(page).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{12}$/),
      name: "Acme status",
      url: `${bot.url}/status`,
      time_zone: "Europe/London",
      updated_at: expect.stringMatching(/Z$/),
    });
    for (const path of API) expect(documents[path].page).toEqual(page);

    expect(documents["/api/v2/status.json"]).toEqual({ page, status: { indicator: "major", description: "Partial System Outage" } });
    expect(documents["/api/v2/components.json"]).toEqual({ page, components: [] });
    for (const path of API.filter((p) => p.includes("/scheduled-maintenances"))) {
      expect(documents[path]).toEqual({ page, scheduled_maintenances: [] });
    }

    // Unresolved: investigating, identified or monitoring, newest first; the same list as summary.json's.
    const unresolved = documents["/api/v2/incidents/unresolved.json"];
    expect(Object.keys(unresolved).sort()).toEqual(["incidents", "page"]);
    expect(unresolved.incidents.map((i: { name: string; status: string }) => [i.name, i.status])).toEqual([
      ["Incident #2", "monitoring"],
      ["Incident #1", "investigating"],
    ]);
    expect(unresolved.incidents).toEqual(documents["/api/v2/summary.json"].incidents);
    expect(unresolved.incidents[0]).toMatchObject({
      monitoring_at: expect.stringMatching(/Z$/),
      resolved_at: null,
      impact: "minor",
      incident_updates: [{ body: "A fix is out; we are watching." }],
    });
    const recent = documents["/api/v2/incidents.json"].incidents.map((i: { name: string }) => i.name);
    expect(recent).toEqual(["Incident #3", "Incident #2", "Incident #1"]);

    // Nothing internal in any of them.
    const everything = JSON.stringify(documents);
    for (const secret of ["Checkout errors", "Slow search", "Login outage", "UALICE", "UCAROL", open.channelId]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("answers each document like the existing ones: ETag and 304, HEAD, caching, CORS, nosniff", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const open = await bot.declare("Queue backlog sev2");
    await publicUpdate(open, "Some messages are delayed.", "investigating");
    for (const path of API) {
      const first = await get(path);
      expect(first.response.status).toBe(200);
      expect(first.response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(first.response.headers.get("cache-control")).toBe("public, max-age=15");
      expect(first.response.headers.get("access-control-allow-origin")).toBe("*");
      expect(first.response.headers.get("x-content-type-options")).toBe("nosniff");
      const etag = first.response.headers.get("etag")!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await get(path, { "if-none-match": `W/${etag}` });
      expect([again.response.status, again.body]).toEqual([304, ""]);
      const head = await get(path, {}, "HEAD");
      expect([head.response.status, head.body, head.response.headers.get("etag")]).toEqual([200, "", etag]);
      expect(head.response.headers.get("content-length")).toBe(String(Buffer.byteLength(first.body)));
      expect((await get(path, {}, "POST")).response.status).toBe(405);
    }
  });

  it("says all is well when nothing is unresolved, and is not served unless STATUS_PAGE=true", async () => {
    bot = await TestBot.start({ env: { STATUS_PAGE: "true" } });
    const { status } = JSON.parse((await get("/api/v2/status.json")).body);
    expect(status).toEqual({ indicator: "none", description: "All Systems Operational" });
    expect(JSON.parse((await get("/api/v2/incidents/unresolved.json")).body).incidents).toEqual([]);
    await bot.stop();
    bot = await TestBot.start();
    for (const path of API) expect((await get(path)).response.status).toBe(404);
  });
});
