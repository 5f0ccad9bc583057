// Action items, their GitHub issues and reminders, and the follow-up lists read from them.
import type { ActionItem, ActionItemStatus, Incident, UserId } from "../model.js";
import type { LeaseRequest } from "../delivery.js";
import type { IssueObservation } from "./issueTracker.js";
import type { NewTypedEntry } from "./incidentStore.js";

export interface NewActionItem {
  sourceKey: string;
  text: string;
  ownerId: UserId | null;
  dueDate: Date | null;
  createdBy: UserId;
  createdAt: Date;
}

/** Action items, their GitHub issues (created exactly once, observed) and their reminders. */
export interface ActionItemStore {
  addActionItem(incidentId: string, item: NewActionItem): Promise<ActionItem>;
  listActionItems(incidentId: string): Promise<ActionItem[]>;
  getActionItem(actionItemId: string): Promise<{ item: ActionItem; incident: Incident } | null>;
  /** Changes the item at `at` (the time a status change to done is recorded as `doneAt`). */
  setActionItem(
    actionItemId: string,
    patch: { status?: ActionItemStatus; ownerId?: UserId | null; dueDate?: Date | null },
    at: Date,
  ): Promise<ActionItem>;
  /**
   * Takes the item for issue creation (see delivery.ts), unless another worker holds it or it has its issue.
   * Returns null when it could not be claimed. This is what makes issue creation single-flight across replicas.
   */
  claimActionItemForIssue(actionItemId: string, lease: LeaseRequest): Promise<{ attempts: number } | null>;
  completeActionItemIssue(actionItemId: string, issue: { number: number; url: string }): Promise<void>;
  /** Releases the item after a failure; the sweeper tries again from `nextAttemptAt`. */
  failActionItemIssue(actionItemId: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** Open items of resolved incidents that still have no issue, are not held by a worker and are due a try. */
  listActionItemsNeedingIssues(now: Date, incidents?: { public: boolean; private: boolean }): Promise<FollowUp[]>;
  /** The item whose issue is number `issueNumber` in `repository` ("owner/name"), if any. */
  findActionItemByIssue(repository: string, issueNumber: number): Promise<FollowUp | null>;
  /**
   * Records what was seen of the item's issue and applies it to the item, in one conditional
   * UPDATE: nothing happens when a newer observation is already stored (an older or repeated
   * webhook, a reconciliation read overtaken by a webhook). Closing marks an open item done;
   * reopening marks an item done by its issue open again; a dropped item stays dropped.
   * `describe` gives the typed entry for the change, written in the same transaction.
   * Returns the item before and after, or null when the observation was stale.
   */
  observeIssue(
    actionItemId: string,
    observation: IssueObservation,
    describe?: (before: ActionItem, after: ActionItem) => NewTypedEntry | null,
  ): Promise<{ before: ActionItem; after: ActionItem } | null>;
  /**
   * Claims up to `limit` items whose issue is due a look (not checked since `checkedBefore`): open
   * items, and items done because their issue closed (so a reopening is seen). One UPDATE sets
   * their check time to `now`: of several replicas, one reads each issue.
   */
  claimIssueChecks(now: Date, checkedBefore: Date, limit: number): Promise<(FollowUp & { etag: string | null })[]>;
  /** Claims today's overdue reminder (`today`: the team's calendar day) for each open, owned item past due. */
  claimOverdueReminders(today: Date): Promise<FollowUp[]>;
  /** Claims the one reminder for open items without an owner or due date of incidents resolved between `resolvedAfter` and `resolvedBefore`. */
  claimIncompleteReminders(now: Date, resolved: { after: Date; before: Date }): Promise<FollowUp[]>;
  /** Open action items across incidents, oldest first, at most `limit`, with how many match in all. */
  listFollowUps(filter: FollowUpQuery & { limit: number }): Promise<{ items: FollowUp[]; total: number }>;
  /** The private incidents with open action items matching the filter (whose channels' members may see them listed). */
  privateIncidentsWithFollowUps(filter: Omit<FollowUpQuery, "privateIncidentIds">): Promise<Incident[]>;
}

/** Which open action items a follow-up list asks for. */
export interface FollowUpQuery {
  ownerId?: UserId;
  dueBefore?: Date;
  /** Items of private incidents only of these incidents; absent: every incident's (the CLI, the operator's tool). */
  privateIncidentIds?: string[];
}

/** An open action item with its incident, for follow-up lists and reminders. */
export interface FollowUp {
  item: ActionItem;
  incident: Incident;
}
