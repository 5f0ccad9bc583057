// Private incidents' use cases without Slack (issue 24): declaring refuses before anything is made
// when private channels are not allowed, also when that is learnt only from the channel's
// creation; updates, the public title and publishing follow the incident's reach; lists ask
// whether the viewer is in the channel.
import type { Actor } from "../../src/incidents/actor.js";
import { declareIncident } from "../../src/incidents/declare.js";
import { UserError } from "../../src/incidents/errors.js";
import { listFollowUps } from "../../src/incidents/followups.js";
import { addActionItem } from "../../src/incidents/actionItems.js";
import type { UserId } from "../../src/incidents/model.js";
import { approveReport, publishReport, requestReview } from "../../src/incidents/report/review.js";
import { resolveIncident } from "../../src/incidents/resolve.js";
import { postInternalUpdate, publishPublicUpdate } from "../../src/incidents/updates.js";
import { MemoryPublisher, useCaseWorld, type UseCaseWorld } from "../support/useCaseDeps.js";

const [ALICE, BOB] = ["UALICE", "UBOB"];
const LEAK = { title: "Leak", severity: "sev1", declaredBy: ALICE, private: true } as const;

let world: UseCaseWorld;
beforeAll(async () => {
  world = await useCaseWorld({ names: { UALICE: "alice", UBOB: "bob" } });
});
afterAll(() => world?.close());
afterEach(() => {
  world.channel.missingPrivateScopes = [];
  delete world.deps.privatePublisher;
  delete world.deps.updatesChannelId;
});

let requests = 0;
const as = (userId: UserId): Actor => ({ userId, requestKey: `private-spec-${++requests}` });
const problemOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => null,
    (error: unknown) => (error instanceof UserError ? error.problem : error),
  );

describe("declaring a private incident", () => {
  it("is refused with nothing made when the scopes are missing, whether the check or the channel's creation says so", async () => {
    world.channel.missingPrivateScopes = ["groups:write"];
    const before = await world.snapshot();
    expect(await problemOf(declareIncident(world.deps, LEAK))).toEqual({
      code: "private_channels_not_allowed",
      missing: ["groups:write"],
    });
    expect(await world.snapshot()).toEqual(before);

    // The check passed (the scopes were taken away between it and the call): the same refusal, no channel, no incident.
    const allowed = world.channel.privateChannelsAllowed.bind(world.channel);
    world.channel.privateChannelsAllowed = async () => ({ ok: true });
    try {
      const calls = world.channel.calls.length;
      expect(await problemOf(declareIncident(world.deps, LEAK))).toMatchObject({
        code: "private_channels_not_allowed",
      });
      expect(world.channel.calls.slice(calls).map((call) => call.method)).toEqual(["create"]);
      expect(await world.deps.incidents.listIncidents()).toEqual([]);
    } finally {
      world.channel.privateChannelsAllowed = allowed;
    }
  });

  it("makes a private channel, and keeps its updates out of UPDATES_CHANNEL", async () => {
    world.deps.updatesChannelId = "C0UPDATES";
    const incident = await declareIncident(world.deps, LEAK);
    expect(world.channel.calls.find((call) => call.method === "create" && call.private)).toBeTruthy();
    const result = await postInternalUpdate(world.deps, incident, as(ALICE), "Keys rotated");
    expect(result).toMatchObject({ posted: true, updatesChannel: "private" });
    expect(world.channel.calls.filter((call) => call.method === "notify" && call.channelId === "C0UPDATES")).toEqual([]);
  });
});

describe("publishing and customers", () => {
  it("refuses to publish a public update stored for a private incident; publishes its report only to the private publisher", async () => {
    const incident = await declareIncident(world.deps, LEAK);
    const now = new Date();
    const { update } = await world.deps.updates.addUpdate(incident.id, {
      sourceKey: "command:forced",
      public: true,
      text: "Customers see this",
      status: "investigating",
      postedBy: ALICE,
      createdAt: now,
      publishedAt: null,
    });
    const refused = await problemOf(publishPublicUpdate(world.deps, update.id, as(ALICE)));
    expect(refused).toEqual({ code: "private_incident_not_public", refused: "public_update" });
    expect((await world.deps.updates.getUpdate(update.id))!.update.publishedAt).toBeNull();

    const withLead = await world.deps.incidents.assignRole(incident.id, "tech_lead", BOB, ALICE, {
      sourceKey: "command:lead",
      kind: "role",
      occurredAt: now,
      authorId: ALICE,
      data: { field: "tech_lead", from: null, to: BOB },
    });
    await resolveIncident(world.deps, withLead, as(ALICE), "rotated");
    const inReview = await requestReview(world.deps, incident.id, as(ALICE));
    await approveReport(world.deps, incident.id, as(BOB), inReview.report.version);
    const published = world.publisher.files.length;
    expect(await problemOf(publishReport(world.deps, incident.id, as(ALICE)))).toEqual({ code: "private_publishing_not_configured" });
    const privatePublisher = new MemoryPublisher();
    world.deps.privatePublisher = privatePublisher;
    expect((await publishReport(world.deps, incident.id, as(ALICE))).report.status).toBe("published");
    expect(privatePublisher.files).toHaveLength(1);
    expect(world.publisher.files).toHaveLength(published);
  });
});

describe("follow-up lists", () => {
  it("leave out private incidents whose channel the viewer is not in, of the count too; without a viewer list all", async () => {
    const incident = await declareIncident(world.deps, { title: "Secret", severity: "sev2", declaredBy: ALICE, private: true });
    await addActionItem(world.deps, incident, as(ALICE), { text: "Secret follow-up", ownerId: null, dueDate: null });
    const options = { now: new Date(), timeZone: "Europe/London", limit: 100 };
    const texts = async (viewer?: UserId) => {
      const seenBy = viewer ? { viewer: { userId: viewer, members: world.deps.members } } : {};
      const list = await listFollowUps(world.deps.actionItems, {}, { ...options, ...seenBy });
      return { texts: list.items.map(({ item }) => item.text), total: list.total };
    };
    const all = await texts();
    expect(all.texts).toContain("Secret follow-up");
    const bobs = await texts(BOB);
    expect(bobs.texts).not.toContain("Secret follow-up");
    expect(bobs.total).toBe(all.total - 1);
    expect((await texts(ALICE)).texts).toContain("Secret follow-up");
  });
});
