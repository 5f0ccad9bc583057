// Action items tracked to closure: their GitHub issues' state flows back, late ones are chased.
// The recipe:
//  1. whatever GitHub tells us about an item's issue (a webhook, or reconciliation's read) is an
//     observation with a time. The store applies it in one guarded UPDATE, with its timeline entry
//     in the same transaction, only when nothing newer was seen: a repeated or an older event
//     changes nothing, so redeliveries and races between replicas are harmless;
//  2. only a change of the item's status (done, open again) is announced in the incident channel;
//  3. reconciliation (for bots GitHub cannot call) claims a bounded batch of due items with one
//     UPDATE, so replicas share the work, and reads each issue with its ETag: a 304 changes
//     nothing and costs no rate limit;
//  4. reminders are claimed with one UPDATE too: per item and calendar day when overdue, once per
//     item when it has no owner or due date a week after the incident was resolved.
import { issueTrackerFor } from "./actionItems.js";
import { reachOf } from "./assemble.js";
import type { IncidentDeps } from "./deps.js";
import type { ActionItemFacts } from "./entryFacts.js";
import { tell } from "./showing.js";
import type { ActionItem, Incident, IssueState, UserId } from "./model.js";
import type { ActionItemStore, FollowUp } from "./ports/actionItemStore.js";
import type { ChannelMembers } from "./ports/channelMembers.js";
import type { IssueObservation } from "./ports/issueTracker.js";
import type { NewTypedEntry } from "./ports/incidentStore.js";
import { visibleTo } from "./privacy.js";
import { DAY_MS } from "./time/durations.js";
import { formatInZone } from "./time/format.js";

/** Items without an owner or due date are brought to the tech lead this long after resolve. */
export const INCOMPLETE_REMINDER_AFTER_MS = 7 * DAY_MS;
/**
 * ...and not for incidents resolved longer ago than this: the first start of a bot with this
 * feature must not nudge about every old incident at once.
 */
const INCOMPLETE_REMINDER_UNTIL_MS = 30 * DAY_MS;

export type ObservationResult = "changed" | "unchanged" | "stale";

function entryFor(observation: IssueObservation, before: ActionItem, after: ActionItem): NewTypedEntry | null {
  const seen = { number: after.number, text: after.text, issue: after.issueNumber ?? 0 };
  const data: ActionItemFacts | null =
    before.status !== after.status
      ? { field: "action_item_status", from: before.status, to: after.status, ...seen }
      : after.issueState === "deleted" && before.issueState !== "deleted"
        ? { field: "action_item_issue", from: before.issueState ?? null, to: after.issueState, ...seen }
        : null;
  if (!data) return null;
  return {
    // The same change seen twice (a redelivery, a webhook and a reconciliation) is one entry.
    sourceKey: `github:issue:${after.id}:${after.issueState}:${observation.observedAt.toISOString()}`,
    kind: "action",
    occurredAt: observation.observedAt,
    authorId: null,
    data,
    highlight: false,
  };
}

/** Applies what was seen of the item's issue; announces a change of status in the incident channel. */
export async function observeIssue(
  deps: IncidentDeps,
  { item, incident }: FollowUp,
  observation: IssueObservation,
): Promise<ObservationResult> {
  const result = await deps.actionItems.observeIssue(item.id, observation, (before, after) => entryFor(observation, before, after));
  if (!result) return "stale";
  const { before, after } = result;
  const change =
    before.status !== after.status
      ? after.status === "done"
        ? "done"
        : "reopened"
      : after.issueState === "deleted" && before.issueState !== "deleted"
        ? "issue_gone"
        : null;
  if (!change) return "unchanged";
  deps.logger.info(
    { incident: incident.number, actionItem: after.number, issue: after.issueNumber, status: after.status, issueState: after.issueState },
    "action item follows its issue",
  );
  // The record is already right; a note Slack did not take is not worth failing the delivery for.
  await tell(deps, incident, { kind: "action_item_followed", change, item: after });
  return "changed";
}

/** An `issues` webhook: `closed`, `reopened`, `deleted`/`transferred`. Unknown issues are ignored. */
export async function applyIssueEvent(
  deps: IncidentDeps,
  event: {
    repository: string;
    issueNumber: number;
    action: "closed" | "reopened" | "deleted" | "transferred";
    updatedAt: Date;
    closedAt: Date | null;
  },
): Promise<ObservationResult | "unknown"> {
  const found = await deps.actionItems.findActionItemByIssue(event.repository, event.issueNumber);
  if (!found) return "unknown";
  const state: IssueState = event.action === "closed" ? "closed" : event.action === "reopened" ? "open" : "deleted";
  return observeIssue(deps, found, {
    state,
    observedAt: event.updatedAt,
    closedAt: event.action === "closed" ? (event.closedAt ?? event.updatedAt) : null,
    reopened: event.action === "reopened",
  });
}

/**
 * One reconciliation run: claims up to `limit` items not checked for `intervalMs` and reads each
 * issue, one request at a time (GitHub asks integrators not to make requests concurrently).
 */
export async function reconcileIssues(deps: IncidentDeps, { intervalMs, limit }: { intervalMs: number; limit: number }) {
  const counts = { claimed: 0, unchanged: 0, read: 0, changed: 0, failed: 0 };
  if (!deps.issueTracker && !deps.privateIssueTracker) return counts;
  const now = deps.clock.now();
  const due = await deps.actionItems.claimIssueChecks(now, new Date(now.getTime() - intervalMs), limit);
  counts.claimed = due.length;
  for (const followUp of due) {
    // Each issue is read where its incident's issues go; one whose repository is no longer configured waits.
    const issues = issueTrackerFor(deps, followUp.incident);
    if (!issues) continue;
    try {
      const read = await issues.readIssue(followUp.item.issueNumber!, followUp.etag);
      if (read.kind === "unchanged") {
        counts.unchanged++;
        continue;
      }
      counts.read++;
      const observation: IssueObservation =
        read.kind === "gone"
          ? { state: "deleted", observedAt: now, claimedAt: now }
          : { state: read.state, observedAt: read.updatedAt, closedAt: read.closedAt, etag: read.etag, claimedAt: now };
      if ((await observeIssue(deps, followUp, observation)) === "changed") counts.changed++;
    } catch (error) {
      // Checked again next run; Octokit already retried and waited out rate limits.
      counts.failed++;
      deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error), actionItem: followUp.item.number, issue: followUp.item.issueNumber },
        "could not read the action item's issue",
      );
    }
  }
  return counts;
}

/** The team's calendar day at `now`, as UTC midnight (how due dates are stored). */
export const teamDay = (now: Date, timeZone: string) => new Date(`${formatInZone(now, timeZone, "yyyy-MM-dd")}T00:00:00.000Z`);

/** Due before today (the team's day) and still open. */
export const isOverdue = (item: ActionItem, today: Date) =>
  item.status === "open" && item.dueDate !== null && item.dueDate.getTime() < today.getTime();

/** Whole days since the item was added. */
export const ageInDays = (item: ActionItem, now: Date) => Math.max(0, Math.floor((now.getTime() - item.createdAt.getTime()) / DAY_MS));

/**
 * Each open, owned item past its due date reminds its owner once a day: in a direct message, or,
 * for a private incident, in its own channel (a direct message would name it to an owner who may
 * not be a member).
 */
export async function sendOverdueReminders(deps: IncidentDeps): Promise<number> {
  const now = deps.clock.now();
  const overdue = await deps.actionItems.claimOverdueReminders(teamDay(now, deps.timeZone));
  for (const { item, incident } of overdue) {
    if (!reachOf(incident).directReminders) {
      await tell(deps, incident, { kind: "action_item_overdue_here", to: item.ownerId!, item });
      continue;
    }
    // A DM: chat.postMessage to the user's id opens the conversation with chat:write alone.
    await tell(deps, incident, { kind: "action_item_overdue", item, incident }, item.ownerId!);
  }
  return overdue.length;
}

/** Who hears about an incident's loose action items: the tech lead, else the commander. */
const chaserOf = (incident: Incident): UserId => incident.roles.tech_lead ?? incident.roles.commander ?? incident.declaredBy;

/** A week after resolve, open items without an owner or a due date are brought to the tech lead, once. */
export async function sendIncompleteReminders(deps: IncidentDeps): Promise<number> {
  const now = deps.clock.now();
  const loose = await deps.actionItems.claimIncompleteReminders(now, {
    after: new Date(now.getTime() - INCOMPLETE_REMINDER_UNTIL_MS),
    before: new Date(now.getTime() - INCOMPLETE_REMINDER_AFTER_MS),
  });
  const byIncident = new Map<string, FollowUp[]>();
  for (const followUp of loose) byIncident.set(followUp.incident.id, [...(byIncident.get(followUp.incident.id) ?? []), followUp]);
  for (const followUps of byIncident.values()) {
    const { incident } = followUps[0]!;
    const items = followUps.map(({ item }) => item);
    await tell(deps, incident, { kind: "action_items_incomplete", to: chaserOf(incident), incidentNumber: incident.number, items });
  }
  return loose.length;
}

export interface FollowUpFilter {
  /** Only items this person owns. */
  ownerId?: UserId;
  /** Only items past their due date. */
  overdue?: boolean;
}

/** Who asks for a list in Slack: private incidents' items are theirs to see only if they are in its channel. */
export interface Viewer {
  userId: UserId;
  members: ChannelMembers;
}

/**
 * Open action items across incidents, oldest first: at most `limit`, and how many there are in all.
 * With a viewer, items of private incidents whose channel they are not in are left out, of the
 * count too (the store leaves them out, so the limit and the total stay true); without one (the
 * CLI), every incident's items are listed.
 */
export async function listFollowUps(
  store: Pick<ActionItemStore, "listFollowUps" | "privateIncidentsWithFollowUps">,
  filter: FollowUpFilter,
  options: { now: Date; timeZone: string; limit: number; viewer?: Viewer },
) {
  const query = {
    ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(filter.overdue ? { dueBefore: teamDay(options.now, options.timeZone) } : {}),
  };
  const { viewer } = options;
  if (!viewer) return store.listFollowUps({ ...query, limit: options.limit });
  const privateIncidents = await store.privateIncidentsWithFollowUps(query);
  const visible = await visibleTo(viewer, privateIncidents, viewer.userId);
  return store.listFollowUps({ ...query, privateIncidentIds: visible.map((incident) => incident.id), limit: options.limit });
}
