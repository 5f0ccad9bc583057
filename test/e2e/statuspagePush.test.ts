// Public updates pushed to Atlassian Statuspage (a local fake speaking its wire format), exactly
// once each: under a 500 whose work was done and a 429 with Retry-After, with a second replica
// sweeping the same database, after a process that died between Statuspage's answer and our
// write, and at once when published while an earlier push is still running. Internal updates and
// unconfirmed drafts never leave.
import type { Incident } from "../../src/incidents/model.js";
import { ActionIds } from "../../src/slack/ids.js";
import { FakeStatuspage } from "../support/fakeStatuspage.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot | undefined;
let replica: TestBot | undefined;
let statuspage: FakeStatuspage | undefined;
afterEach(async () => {
  await replica?.bot.stop(); // shares bot's database and fakes: bot.stop() disposes them
  replica = undefined;
  await bot?.stop();
  await statuspage?.close();
});

const env = (fake: FakeStatuspage) => ({
  STATUSPAGE_API_KEY: fake.apiKey,
  STATUSPAGE_PAGE_ID: fake.pageId,
  STATUSPAGE_API_URL: fake.apiUrl,
});

let sequence = 0;
async function addUpdate(incident: Incident, input: { text: string; public?: boolean; published?: boolean; status?: Incident["status"] }) {
  const at = new Date(Date.now() + sequence++); // distinct, increasing publish times
  return bot!.bot.database.prisma.stakeholderUpdate.create({
    data: {
      incidentId: incident.id,
      sourceKey: `command:push-${sequence}`,
      public: input.public ?? true,
      text: input.text,
      status: input.status ?? "investigating",
      postedBy: "UCAROL",
      createdAt: at,
      publishedAt: input.published === false ? null : at,
    },
  });
}

const writes = () => statuspage!.calls.filter((c) => c.method !== "GET");

describe("Statuspage push", () => {
  it("creates one incident and adds each public update once, through a 500 and a 429, with two replicas", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({ env: env(statuspage) });
    const incident = await bot.declare("Payments DB failover botched by Dave sev1");
    await bot.bot.database.prisma.incident.update({ where: { id: incident.id }, data: { publicTitle: "Card payments failing" } });
    const first = await addUpdate(incident, { text: "We are investigating failed card payments." });
    await addUpdate(incident, { text: "Internal: pg-primary-7 is wedged", public: false });
    await addUpdate(incident, { text: "Draft nobody confirmed", published: false });

    // The POST is done by Statuspage but answered 500; the look that follows is refused with 429.
    statuspage.failNext({ status: 500, afterProcessing: true, method: "POST" }, { status: 429, retryAfter: 1 });
    const result = await bot.bot.pushPublicUpdates!();
    expect(result).toEqual({ pushed: 1, failed: 0 });
    expect(statuspage.incidents).toHaveLength(1);
    const [created] = statuspage.incidents;
    expect(created).toMatchObject({
      name: "Card payments failing",
      status: "investigating",
      impact: "critical",
      metadata: { incident_bot: { incident_id: incident.id } },
      incident_updates: [{ body: first.text, status: "investigating" }],
    });
    expect(statuspage.calls.map((c) => `${c.method} ${c.status}`)).toEqual(["GET 200", "POST 500", "GET 429", "GET 200"]);
    const row = await bot.bot.database.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(row.statuspageIncidentId).toBe(created!.id);

    // A 500 after the work was done on the PATCH, then a 429: the update is added once.
    const second = await addUpdate(incident, { text: "Fix identified; payments recovering.", status: "identified" });
    statuspage.failNext({ status: 500, afterProcessing: true, method: "PATCH" }, { status: 429, retryAfter: 1 });
    const before = statuspage.calls.length;
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 1, failed: 0 });
    expect(statuspage.calls.slice(before).map((c) => `${c.method} ${c.status}`)).toEqual(["GET 200", "PATCH 500", "GET 429", "GET 200"]);
    expect(created!.incident_updates.map((u) => u.body)).toEqual([second.text, first.text]);
    expect(created!.status).toBe("identified");

    // A second replica on the same database, sweeping at the same time as the first: nothing twice.
    replica = await TestBot.start({ database: bot.database, slack: bot.slack, github: bot.github, env: env(statuspage) });
    await replica.bot.idle(); // its start-up sweep has nothing to push yet
    const third = await addUpdate(incident, { text: "Payments are back to normal.", status: "resolved" });
    const sweeps = await Promise.all([bot.bot.pushPublicUpdates!(), replica.bot.pushPublicUpdates!(), bot.bot.pushPublicUpdates!()]);
    expect(sweeps.reduce((n, r) => n + r.pushed, 0)).toBe(1);
    expect(await replica.bot.pushPublicUpdates!()).toEqual({ pushed: 0, failed: 0 });
    expect(statuspage.incidents).toHaveLength(1);
    expect(created!.incident_updates.map((u) => u.body)).toEqual([third.text, second.text, first.text]);
    expect(created!.status).toBe("resolved");
    expect(writes().map((c) => `${c.method} ${c.status}`)).toEqual(["POST 500", "PATCH 500", "PATCH 200"]);
    const pushed = await bot.bot.database.prisma.stakeholderUpdate.findMany({
      where: { incidentId: incident.id },
      orderBy: { createdAt: "asc" },
    });
    expect(pushed.map((u) => [u.text, u.pushedAt !== null])).toEqual([
      [first.text, true],
      ["Internal: pg-primary-7 is wedged", false],
      ["Draft nobody confirmed", false],
      [second.text, true],
      [third.text, true],
    ]);
    // Nothing internal reached Statuspage.
    const sent = JSON.stringify(statuspage.calls.map((c) => c.body));
    for (const secret of ["Dave", "botched", "pg-primary-7", "Draft nobody", incident.channelName]) expect(sent).not.toContain(secret);
  });

  it("adds nothing twice after a process died between Statuspage's answer and our write", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({ env: env(statuspage) });
    const { prisma } = bot.bot.database;
    const incident = await bot.declare("Search is slow sev3");
    const first = await addUpdate(incident, { text: "Search is slow; we are looking into it." });
    await bot.bot.pushPublicUpdates!();
    expect(statuspage.incidents).toHaveLength(1);
    expect(statuspage.incidents[0]!.name).toBe(`Incident #${incident.number}`);

    // Died after the POST: Statuspage has the incident, our database neither its id nor pushedAt,
    // and the update's lease has run out.
    const expired = new Date(Date.now() - 1000);
    await prisma.incident.update({ where: { id: incident.id }, data: { statuspageIncidentId: null } });
    await prisma.stakeholderUpdate.update({ where: { id: first.id }, data: { pushedAt: null, pushLeaseUntil: expired } });
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 1, failed: 0 });
    expect(statuspage.incidents).toHaveLength(1);
    expect(statuspage.incidents[0]!.incident_updates).toHaveLength(1);
    expect((await prisma.incident.findUniqueOrThrow({ where: { id: incident.id } })).statuspageIncidentId).toBe(
      statuspage.incidents[0]!.id,
    );

    // Died after a PATCH: Statuspage has the update, our database does not know.
    const second = await addUpdate(incident, { text: "A fix is rolling out.", status: "identified" });
    await bot.bot.pushPublicUpdates!();
    await prisma.stakeholderUpdate.update({ where: { id: second.id }, data: { pushedAt: null, pushLeaseUntil: expired } });
    const writesBefore = writes().length;
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 1, failed: 0 });
    expect(writes()).toHaveLength(writesBefore);
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual([second.text, first.text]);

    // The same words posted again later are a new update, and are added.
    await addUpdate(incident, { text: "A fix is rolling out.", status: "identified" });
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 1, failed: 0 });
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual([second.text, second.text, first.text]);
  });

  it("pushes an update published in Slack while an earlier push of its incident runs, at once and once", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({ env: env(statuspage) });
    const incident = await bot.declare("Checkout errors sev2", "UALICE");
    const channel = incident.channelId;
    const first = await addUpdate(incident, { text: "Checkout fails for some customers." });

    // The sweep is pushing the first update: Statuspage has not answered its POST yet.
    const slowAnswer = statuspage.holdNext("POST");
    const sweep = bot.bot.pushPublicUpdates!();
    await slowAnswer.received;

    // Meanwhile the commander publishes the next update in Slack. The push its publishing starts must
    // not overtake the first update, so it leaves the update to the push that holds the incident.
    await bot.command("update public A fix is rolling out.", { channel_id: channel, user_id: "UALICE" });
    const preview = bot.slack
      .responses()
      .filter((r) => Array.isArray(r.blocks))
      .at(-1)!;
    type Blocks = { type: string; elements?: { action_id: string; value: string }[] }[];
    const buttons = (preview.blocks as Blocks).find((b) => b.type === "actions")!.elements!;
    await bot.press(
      buttons.find((b) => b.action_id === ActionIds.publishUpdate)!,
      "UALICE",
      channel,
    );
    const second = (await bot.bot.deps.updates.listUpdates(incident.id)).find((u) => u.text === "A fix is rolling out.")!;
    expect(second.publishedAt).toBeInstanceOf(Date);
    expect(statuspage.calls.filter((c) => c.method === "PATCH")).toHaveLength(0);

    // Statuspage answers the first push; the running sweep takes the second update straight after.
    const answeredAt = Date.now();
    slowAnswer.release();
    expect(await sweep).toEqual({ pushed: 2, failed: 0 });
    await bot.bot.idle();
    const patch = statuspage.calls.find((c) => c.method === "PATCH")!;
    expect(patch.status).toBe(200);
    // Well within the sweep's minute: what it waited for was the earlier push, not a sweep.
    expect(patch.at - answeredAt).toBeLessThan(5_000);
    expect(statuspage.incidents).toHaveLength(1);
    expect(statuspage.incidents[0]!.incident_updates.map((u) => u.body)).toEqual([second.text, first.text]);
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 0, failed: 0 });
    expect(writes().map((c) => c.method)).toEqual(["POST", "PATCH"]);
  });

  it("records a refusal, backs off, and keeps later updates of that incident waiting", async () => {
    statuspage = await FakeStatuspage.start();
    bot = await TestBot.start({ env: { ...env(statuspage), STATUSPAGE_API_KEY: "wrong-key" } });
    const incident = await bot.declare("Uploads failing sev2");
    const first = await addUpdate(incident, { text: "Uploads are failing." });
    await addUpdate(incident, { text: "Uploads are recovering.", status: "monitoring" });
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 0, failed: 1 });
    const row = await bot.bot.database.prisma.stakeholderUpdate.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.pushedAt).toBeNull();
    expect(row.pushLastError).toBe("GET /pages/kctbh9vrtdwd/incidents: 401 Could not authenticate");
    expect(row.pushNextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    expect(row.pushLastError).not.toContain("wrong-key");
    // Backing off: the next sweep does not call Statuspage at all.
    const calls = statuspage.calls.length;
    expect(await bot.bot.pushPublicUpdates!()).toEqual({ pushed: 0, failed: 0 });
    expect(statuspage.calls).toHaveLength(calls);
    expect(statuspage.incidents).toHaveLength(0);
  });
});
