// Every privileged use case refuses by itself, whatever calls it: these specs call the domain
// functions directly (no Slack, no subcommand table) on real stores, and see the refusal, naming
// the act, with nothing written to any table and nothing sent to any port. The person the rule
// allows then does the same thing, so each refusal is the rule's and not a broken use case.
import { inviteToIncident } from "../../src/incidents/assemble.js";
import { assignRole, changeStatus } from "../../src/incidents/changes.js";
import type { Actor } from "../../src/incidents/actor.js";
import { declareIncident } from "../../src/incidents/declare.js";
import { UserError } from "../../src/incidents/errors.js";
import type { Incident, PrivilegedAct, UserId } from "../../src/incidents/model.js";
import { approveReport, checkChangeRequest, publishReport, requestChanges, requestReview } from "../../src/incidents/report/review.js";
import { resolveIncident } from "../../src/incidents/resolve.js";
import {
  cancelPublicUpdate,
  previewPublicUpdate,
  postInternalUpdate,
  publishPublicUpdate,
  setPublicTitle,
} from "../../src/incidents/updates.js";
import { useCaseWorld, type UseCaseWorld } from "../support/useCaseDeps.js";

const [ALICE, BOB, CAROL, DAVE, ERIN] = ["UALICE", "UBOB", "UCAROL", "UDAVE", "UERIN"];

let world: UseCaseWorld;
beforeAll(async () => {
  world = await useCaseWorld({ names: { UALICE: "alice", UBOB: "bob", UCAROL: "carol", UDAVE: "dave", UERIN: "erin" }, admins: [ERIN] });
});
afterAll(() => world?.close());

let requests = 0;
/** Each call is a new request (a new trigger id), as each press or command is. */
const as = (userId: UserId): Actor => ({ userId, requestKey: `spec-${++requests}` });
const current = (incident: Incident) => world.deps.incidents.getIncident(incident.id);

/** The use case refuses `act`, and no table, channel call or published file changed. */
async function expectRefused(act: PrivilegedAct, attempt: () => Promise<unknown>) {
  const before = await world.snapshot();
  const refusal = await attempt().then(
    () => null,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(UserError);
  expect((refusal as UserError).problem).toMatchObject({ code: "not_allowed", act });
  expect(await world.snapshot()).toEqual(before);
}

/** Declared by Alice (commander), with Bob as tech lead and Carol as liaison. */
async function incidentWithRoles(title: string): Promise<Incident> {
  const incident = await declareIncident(world.deps, { title, severity: "sev2", declaredBy: ALICE });
  await assignRole(world.deps, incident, as(ALICE), "tech_lead", BOB);
  return assignRole(world.deps, await current(incident), as(ALICE), "liaison", CAROL);
}

describe("roles", () => {
  it("are assigned by the commander or an incident admin only", async () => {
    const incident = await declareIncident(world.deps, { title: "Role grab", severity: "sev3", declaredBy: ALICE });
    await expectRefused("assign_roles", () => assignRole(world.deps, incident, as(DAVE), "commander", DAVE));
    expect((await current(incident)).roles).toEqual({ commander: ALICE });

    await assignRole(world.deps, incident, as(ERIN), "tech_lead", BOB);
    await assignRole(world.deps, await current(incident), as(ALICE), "scribe", DAVE);
    expect((await current(incident)).roles).toEqual({ commander: ALICE, tech_lead: BOB, scribe: DAVE });
  });
});

describe("resolving and reopening", () => {
  it("are the commander's or the tech lead's, whichever use case is called", async () => {
    const incident = await incidentWithRoles("Who resolves");
    await expectRefused("resolve", () => resolveIncident(world.deps, incident, as(CAROL), "rolled back"));
    await expectRefused("resolve_or_reopen", () => changeStatus(world.deps, incident, as(DAVE), "resolved"));
    // Any other status change is anyone's.
    const identified = await changeStatus(world.deps, incident, as(DAVE), "identified");
    expect(identified.status).toBe("identified");

    const { incident: resolved } = await resolveIncident(world.deps, identified, as(BOB), "rolled back");
    expect(resolved.status).toBe("resolved");
    await expectRefused("resolve_or_reopen", () => changeStatus(world.deps, resolved, as(DAVE), "monitoring"));
    expect((await changeStatus(world.deps, resolved, as(ALICE), "monitoring")).status).toBe("monitoring");
  });
});

describe("updates and the public title", () => {
  it("are the liaison's or the commander's: internal and public updates, publishing and cancelling drafts, the public title", async () => {
    const incident = await incidentWithRoles("Who speaks for it");
    // The tech lead resolves and reviews, but does not speak for the incident.
    await expectRefused("post_updates", () => postInternalUpdate(world.deps, incident, as(BOB), "Checkout is failing in the EU."));
    await expectRefused("post_updates", () => previewPublicUpdate(world.deps, incident, as(DAVE), "Some payments fail."));
    await expectRefused("set_public_title", () => setPublicTitle(world.deps, incident, as(DAVE), "Slow checkout"));

    expect((await postInternalUpdate(world.deps, incident, as(CAROL), "Checkout is failing in the EU.")).posted).toBe(true);
    expect((await setPublicTitle(world.deps, incident, as(ALICE), "Slow checkout")).publicTitle).toBe("Slow checkout");
    const kept = await previewPublicUpdate(world.deps, incident, as(CAROL), "Some payments fail.");
    const dropped = await previewPublicUpdate(world.deps, incident, as(CAROL), "A draft to cancel.");

    await expectRefused("publish_public_update", () => publishPublicUpdate(world.deps, kept.update.id, as(DAVE)));
    await expectRefused("cancel_public_update", () => cancelPublicUpdate(world.deps, dropped.update.id, as(BOB)));
    expect((await publishPublicUpdate(world.deps, kept.update.id, as(CAROL))).update.publishedAt).not.toBeNull();
    await cancelPublicUpdate(world.deps, dropped.update.id, as(ALICE));
    const texts = (await world.deps.updates.listUpdates(incident.id)).map((u) => u.text);
    expect(texts).toEqual(["Checkout is failing in the EU.", "Some payments fail."]);
  });
});

describe("the report", () => {
  it("is approved and sent back by the tech lead only, and published by the liaison, commander or tech lead", async () => {
    const incident = await incidentWithRoles("Who approves");
    await resolveIncident(world.deps, incident, as(ALICE), "renewed the certificate");
    const inReview = await requestReview(world.deps, incident.id, as(DAVE));
    const version = inReview.report.version;

    await expectRefused("approve_report", () => approveReport(world.deps, incident.id, as(ALICE), version));
    await expectRefused("request_changes", () => checkChangeRequest(world.deps, incident.id, as(CAROL), version));
    await expectRefused("request_changes", () => requestChanges(world.deps, incident.id, as(CAROL), version, "Name the customers"));
    await checkChangeRequest(world.deps, incident.id, as(BOB), version);

    const approved = await approveReport(world.deps, incident.id, as(BOB), version);
    expect(approved.report.status).toBe("approved");
    await expectRefused("publish_report", () => publishReport(world.deps, incident.id, as(DAVE)));
    expect((await publishReport(world.deps, incident.id, as(CAROL))).report.status).toBe("published");
    expect(world.publisher.files).toHaveLength(1);
  });
});

describe("invitations", () => {
  it("into a private incident are the commander's or the tech lead's (not an incident admin's); into a public one anyone's", async () => {
    const declaration = { title: "Who lets people in", severity: "sev2", declaredBy: ALICE, private: true } as const;
    const incident = await declareIncident(world.deps, declaration);
    const withLead = await assignRole(world.deps, incident, as(ALICE), "tech_lead", BOB);
    await expectRefused("invite_to_private", () => inviteToIncident(world.deps, withLead, as(CAROL), [DAVE]));
    await expectRefused("invite_to_private", () => inviteToIncident(world.deps, withLead, as(ERIN), [DAVE]));
    expect((await inviteToIncident(world.deps, withLead, as(BOB), [DAVE])).invited).toEqual([DAVE]);
    expect((await inviteToIncident(world.deps, withLead, as(ALICE), [CAROL, DAVE])).alreadyIn).toEqual([DAVE]);

    const open = await declareIncident(world.deps, { title: "Anyone lets people in", severity: "sev3", declaredBy: ALICE });
    expect((await inviteToIncident(world.deps, open, as(DAVE), [ERIN])).invited).toEqual([ERIN]);
  });
});
