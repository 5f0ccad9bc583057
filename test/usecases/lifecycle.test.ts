// An incident's life, use case by use case, on the in-memory stores (no Slack, no database): declaring,
// logging and capturing, changing status, severity and roles, resolving with action items, the
// report's review and publication, updates, and following action items up. Each spec calls the
// domain function and reads the outcome from the stores and what the ports were asked. The
// end-to-end files (test/e2e) drive the same paths through Slack's requests; these pin the rules.
import { addActionItem, retryPendingIssues, updateActionItem } from "../../src/incidents/actionItems.js";
import { captureDeletion, captureEdit, captureMessage } from "../../src/incidents/capture.js";
import type { Actor } from "../../src/incidents/actor.js";
import { assignRole, changeSeverity, changeStatus, logEntry, setSummary } from "../../src/incidents/changes.js";
import { declareIncident } from "../../src/incidents/declare.js";
import { UserError } from "../../src/incidents/errors.js";
import { listFollowUps, observeIssue, sendOverdueReminders } from "../../src/incidents/followups.js";
import type { Incident, UserId } from "../../src/incidents/model.js";
import { approveReport, editSection, loadReport, publishReport, requestChanges, requestReview } from "../../src/incidents/report/review.js";
import { resolveIncident } from "../../src/incidents/resolve.js";
import { dateToSlackTs } from "../../src/incidents/slackTime.js";
import { cancelPublicUpdate, previewPublicUpdate, postInternalUpdate, publishPublicUpdate } from "../../src/incidents/updates.js";
import { useCaseWorld, type UseCaseWorld } from "../support/useCaseDeps.js";

const [ALICE, BOB, CAROL, DAVE] = ["UALICE", "UBOB", "UCAROL", "UDAVE"];
let now = new Date("2026-03-02T10:00:00.000Z");
const tick = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));

let world: UseCaseWorld;
beforeAll(async () => {
  world = await useCaseWorld({ names: { UALICE: "alice", UBOB: "bob", UCAROL: "carol", UDAVE: "dave" }, now: () => now });
});
afterAll(() => world?.close());

let requests = 0;
const as = (userId: UserId): Actor => ({ userId, requestKey: `lifecycle-${++requests}` });
const current = (incident: Incident) => world.deps.incidents.getIncident(incident.id);
const entries = (incident: Incident) => world.deps.incidents.listEntries(incident.id);
const problemOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => null,
    (error: unknown) => (error instanceof UserError ? error.problem : error),
  );
const declare = (title: string, declaredBy = ALICE) => declareIncident(world.deps, { title, severity: "sev2", declaredBy });

describe("declaring", () => {
  it("makes a channel named for the day and title, invites the declarer, posts and pins the header, and records the declaration", async () => {
    const incident = await declare("Checkout API returning 500s token=ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(incident).toMatchObject({ status: "investigating", severity: "sev2", roles: { commander: ALICE }, private: false });
    expect(incident.title).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789"); // the title becomes a channel name: redacted first
    expect(incident.channelName).toMatch(/^inc-20260302-checkout-api-returning-500s/);
    expect(incident.headerTs).not.toBeNull();
    const calls = world.channel.calls.filter((c) => "channelId" in c && c.channelId === incident.channelId).map((c) => c.method);
    expect(calls).toEqual(expect.arrayContaining(["invite", "pinHeader"]));
    expect((await entries(incident)).map((e) => e.kind)).toEqual(["declared"]);
  });

  it("takes the next free name when one is taken, and refuses an empty title with nothing made", async () => {
    const first = await declare("Same title");
    const second = await declare("Same title");
    expect(second.channelName).not.toBe(first.channelName);
    const made = world.channel.calls.length;
    expect(await problemOf(declare("   "))).toMatchObject({ code: "no_title" });
    expect(world.channel.calls.length).toBe(made);
  });
});

describe("the record while it runs", () => {
  it("logs an entry once per request, however often the request arrives, redacted and highlighted", async () => {
    const incident = await declare("Log replay");
    const actor = as(BOB);
    await logEntry(world.deps, incident.id, actor, "restarted the workers with password=hunter2hunter2");
    await logEntry(world.deps, incident.id, actor, "restarted the workers with password=hunter2hunter2");
    const logs = (await entries(incident)).filter((e) => e.kind === "log");
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ authorId: BOB, highlight: true });
    expect(logs[0]!.text).not.toContain("hunter2hunter2");
  });

  it("captures a message once, keeps its edits, and marks its deletion", async () => {
    const incident = await declare("Capture");
    const ts = dateToSlackTs(now);
    const message = { ts, threadTs: null, authorId: BOB, text: "db at 100% cpu", files: [] };
    expect(await captureMessage(world.deps, incident.id, message)).toBe(true);
    expect(await captureMessage(world.deps, incident.id, message)).toBe(false);
    await captureEdit(
      world.deps,
      incident.id,
      { ...message, text: "db at 100% cpu on the primary", editedTs: dateToSlackTs(tick(1)) },
      "db at 100% cpu",
    );
    await captureDeletion(world.deps, incident.id, ts, tick(1), null);
    const [captured] = (await entries(incident)).filter((e) => e.kind === "message");
    expect(captured).toMatchObject({ text: "db at 100% cpu on the primary", deleted: true, revisions: [{ text: "db at 100% cpu" }] });
  });

  it("changes status, severity and roles with an entry each, tells the channel who did it, and refuses a no-op", async () => {
    const incident = await declare("Changes");
    const identified = await changeStatus(world.deps, incident, as(BOB), "identified");
    const escalated = await changeSeverity(world.deps, identified, as(BOB), "sev1");
    const led = await assignRole(world.deps, escalated, as(ALICE), "tech_lead", BOB);
    expect(led).toMatchObject({ status: "identified", severity: "sev1", roles: { commander: ALICE, tech_lead: BOB } });
    const facts = (await entries(incident)).filter((e) => e.kind !== "declared").map((e) => [e.kind, e.data?.from, e.data?.to]);
    expect(facts).toEqual([
      ["status", "investigating", "identified"],
      ["severity", "sev2", "sev1"],
      ["role", null, BOB],
    ]);
    const told = world.channel.calls
      .filter((c) => c.method === "notify" && c.channelId === incident.channelId)
      .map((c) => c.method === "notify" && c.notice);
    expect(told).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "changed", by: BOB })]));
    expect(await problemOf(changeStatus(world.deps, led, as(BOB), "identified"))).toMatchObject({
      code: "already_status",
      status: "identified",
    });
  });
});

describe("resolving with action items", () => {
  it("opens one issue per open item, none for a dropped one, and never a second however often it is resolved", async () => {
    const incident = await declare("Certificates");
    await assignRole(world.deps, incident, as(ALICE), "tech_lead", BOB);
    const alert = await addActionItem(world.deps, await current(incident), as(ALICE), {
      text: "Alert on certificate expiry",
      ownerId: BOB,
      dueDate: new Date("2099-01-31T00:00:00.000Z"),
    });
    await addActionItem(world.deps, await current(incident), as(ALICE), { text: "Write a runbook", ownerId: null, dueDate: null });
    const dropped = await addActionItem(world.deps, await current(incident), as(ALICE), {
      text: "A typo fix",
      ownerId: null,
      dueDate: null,
    });
    await updateActionItem(world.deps, dropped.id, as(ALICE), { status: "dropped" });
    const before = world.tracker.issues.length;

    const actor = as(BOB);
    const {
      incident: resolved,
      actionItems,
      newlyResolved,
    } = await resolveIncident(world.deps, await current(incident), actor, "Renewed the certificate");
    expect(newlyResolved).toBe(true);
    expect(resolved).toMatchObject({ status: "resolved", resolution: "Renewed the certificate", resolvedAt: now, impactEndedAt: now });
    expect(actionItems.map((i) => [i.text, Boolean(i.issueUrl)])).toEqual([
      ["Alert on certificate expiry", true],
      ["Write a runbook", true],
      ["A typo fix", false],
    ]);
    expect(world.tracker.issues.slice(before).map((i) => i.title)).toEqual(["Alert on certificate expiry", "Write a runbook"]);
    expect(world.tracker.issues.find((i) => i.title === alert.text)!.labels).toEqual(
      expect.arrayContaining([`incident-${resolved.number}`, "severity:sev2"]),
    );

    // The same request again, another resolve: nothing new.
    expect((await resolveIncident(world.deps, resolved, actor)).newlyResolved).toBe(false);
    await resolveIncident(world.deps, await current(incident), as(BOB));
    expect(world.tracker.issues.length).toBe(before + 2);
    expect((await entries(incident)).filter((e) => e.kind === "resolved")).toHaveLength(1);
  });

  it("keeps an item pending while the tracker fails, and the sweeper opens its one issue once it recovers", async () => {
    const incident = await declare("Tracker down");
    await addActionItem(world.deps, incident, as(ALICE), { text: "Add a queue depth alert", ownerId: null, dueDate: null });
    world.tracker.failing = "GitHub is down";
    try {
      const { actionItems } = await resolveIncident(world.deps, await current(incident), as(ALICE));
      expect(actionItems[0]).toMatchObject({ issueUrl: null, lastError: "GitHub is down" });
    } finally {
      world.tracker.failing = null;
    }
    // The sweeper waits out the backoff...
    expect(await retryPendingIssues(world.deps)).toBe(0);
    tick(2);
    expect(await retryPendingIssues(world.deps)).toBe(1);
    expect(await retryPendingIssues(world.deps)).toBe(0);
    const [item] = await world.deps.actionItems.listActionItems(incident.id);
    expect(item).toMatchObject({ issueUrl: expect.stringContaining("/issues/"), lastError: null });
  });

  it("reopens only for the commander or tech lead, clearing the resolution time", async () => {
    const incident = await declare("Reopened");
    const { incident: resolved } = await resolveIncident(world.deps, incident, as(ALICE));
    expect(await problemOf(changeStatus(world.deps, resolved, as(DAVE), "investigating"))).toMatchObject({ code: "not_allowed" });
    const reopened = await changeStatus(world.deps, resolved, as(ALICE), "investigating");
    expect(reopened).toMatchObject({ status: "investigating", resolvedAt: null });
  });
});

describe("the report", () => {
  async function resolvedWithRoles(title: string) {
    const incident = await declare(title);
    await assignRole(world.deps, incident, as(ALICE), "tech_lead", BOB);
    await assignRole(world.deps, await current(incident), as(ALICE), "liaison", CAROL);
    await setSummary(world.deps, await current(incident), as(ALICE), "The checkout failed for 20 minutes.");
    return (await resolveIncident(world.deps, await current(incident), as(ALICE), "Rolled back")).incident;
  }

  it("goes through review: edits bump the version, the tech lead approves what they saw, the liaison publishes once", async () => {
    const incident = await resolvedWithRoles("Reviewed report");
    const draft = await loadReport(world.deps, incident.id);
    expect(draft.report).toMatchObject({ status: "draft", version: 1 });
    const edited = await editSection(world.deps, incident.id, as(CAROL), {
      key: "root_cause",
      markdown: "An expired certificate.",
      baseVersion: 1,
    });
    expect(edited.report).toMatchObject({ version: 2, sections: { root_cause: "An expired certificate." } });
    expect(
      await problemOf(editSection(world.deps, incident.id, as(CAROL), { key: "root_cause", markdown: "stale", baseVersion: 1 })),
    ).toMatchObject({ code: "report_edit_conflict", version: 2 });

    await requestReview(world.deps, incident.id, as(CAROL));
    expect(await problemOf(requestReview(world.deps, incident.id, as(CAROL)))).toMatchObject({ code: "already_in_review" });
    // Approving what one saw: an older version is refused.
    expect(await problemOf(approveReport(world.deps, incident.id, as(BOB), 1))).toBeInstanceOf(Object);
    expect(await problemOf(publishReport(world.deps, incident.id, as(CAROL)))).toMatchObject({ code: "publishing_needs_approval" });
    const approved = await approveReport(world.deps, incident.id, as(BOB), 2);
    expect(approved.report).toMatchObject({ status: "approved", approvedBy: BOB, approvedVersion: 2 });

    const before = world.publisher.files.length;
    const published = await publishReport(world.deps, incident.id, as(CAROL));
    expect(published.report).toMatchObject({ status: "published", publishedUrl: expect.stringContaining("reports/2026-03-02-incident-") });
    const [file] = world.publisher.files.slice(before);
    expect(file!.path).toBe(published.report.publishedPath);
    expect(file!.content).toContain("An expired certificate.");
    expect(await problemOf(publishReport(world.deps, incident.id, as(CAROL)))).toMatchObject({ code: "already_published" });
    expect(world.publisher.files.length).toBe(before + 1);

    // Editing a published report sends it back to review.
    const reedited = await editSection(world.deps, incident.id, as(CAROL), {
      key: "root_cause",
      markdown: "An expired certificate, unmonitored.",
      baseVersion: published.report.version,
    });
    expect(reedited.report).toMatchObject({ status: "in_review", approvedBy: null });
  });

  it("returns to the liaison with the tech lead's comment", async () => {
    const incident = await resolvedWithRoles("Changes requested");
    const review = await requestReview(world.deps, incident.id, as(CAROL));
    const changes = await requestChanges(world.deps, incident.id, as(BOB), review.report.version, "Say why the alert did not fire.");
    expect(changes.report.status).toBe("changes_requested");
    expect(world.channel.notices()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "report_changes_requested", comment: "Say why the alert did not fire.", liaisonId: CAROL }),
      ]),
    );
  });
});

describe("updates", () => {
  it("post an internal update at once, and publish a public draft once whoever presses how often", async () => {
    const incident = await declare("Customer facing");
    await assignRole(world.deps, incident, as(ALICE), "liaison", CAROL);
    const internal = await postInternalUpdate(world.deps, await current(incident), as(CAROL), "EU checkout failing, rollback under way.");
    expect(internal.posted).toBe(true);
    tick(1); // updates written at one moment are listed in no particular order (by their random ids, as in SQL)

    const published: string[] = [];
    world.deps.onPublicUpdatePublished = (id) => void published.push(id);
    try {
      const draft = await previewPublicUpdate(world.deps, await current(incident), as(CAROL), "Some payments are failing.");
      expect(draft.update.publishedAt).toBeNull();
      const presses = await Promise.all(
        [publishPublicUpdate(world.deps, draft.update.id, as(CAROL)), publishPublicUpdate(world.deps, draft.update.id, as(ALICE))].map(
          problemOf,
        ),
      );
      expect(presses.filter((p) => p === null)).toHaveLength(1);
      expect(published).toEqual([draft.update.id]);
      expect(await problemOf(cancelPublicUpdate(world.deps, draft.update.id, as(CAROL)))).toMatchObject({
        code: "update_already_published",
      });
    } finally {
      delete world.deps.onPublicUpdatePublished;
    }
    const updates = await world.deps.updates.listUpdates(incident.id);
    expect(updates.map((u) => [u.public, u.publishedAt !== null])).toEqual([
      [false, true],
      [true, true],
    ]);
    expect((await entries(incident)).filter((e) => e.kind === "update")).toHaveLength(2);
  });
});

describe("following action items up", () => {
  it("lists open items by owner and overdue, reminds an owner once a day, and closes an item when its issue closes", async () => {
    const incident = await declare("Follow-ups");
    const owner = "UFOLLOW";
    const overdue = await addActionItem(world.deps, incident, as(ALICE), {
      text: "Rotate the keys",
      ownerId: owner,
      dueDate: new Date("2026-03-01T00:00:00.000Z"),
    });
    await addActionItem(world.deps, incident, as(ALICE), { text: "Write it down", ownerId: owner, dueDate: null });
    const options = { now, timeZone: "Europe/London", limit: 10 };
    expect((await listFollowUps(world.deps.actionItems, { ownerId: owner }, options)).total).toBe(2);
    expect((await listFollowUps(world.deps.actionItems, { ownerId: owner, overdue: true }, options)).items.map((f) => f.item.id)).toEqual([
      overdue.id,
    ]);

    const reminded = () => world.channel.calls.filter((c) => c.method === "notify" && c.channelId === owner).length;
    await sendOverdueReminders(world.deps);
    await sendOverdueReminders(world.deps);
    expect(reminded()).toBe(1);
    tick(24 * 60);
    await sendOverdueReminders(world.deps);
    expect(reminded()).toBe(2);

    const { actionItems } = await resolveIncident(world.deps, await current(incident), as(ALICE));
    const withIssue = actionItems.find((i) => i.id === overdue.id)!;
    const followUp = { item: withIssue, incident: await current(incident) };
    expect(await observeIssue(world.deps, followUp, { state: "closed", observedAt: tick(1) })).toBe("changed");
    expect(await observeIssue(world.deps, followUp, { state: "closed", observedAt: new Date(now.getTime() - 1000) })).toBe("stale");
    expect((await world.deps.actionItems.getActionItem(overdue.id))!.item).toMatchObject({ status: "done", doneAt: now });
    expect((await listFollowUps(world.deps.actionItems, { ownerId: owner }, options)).total).toBe(1);
  });
});
