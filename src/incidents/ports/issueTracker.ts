// Action items' issues in the team's tracker (src/github/issueTracker.ts implements it).
import type { ActionItem, Incident, IssueState } from "../model.js";
import type { SlackNames } from "../report/slackMarkdown.js";

export interface IssueTracker {
  /** The issue already opened for this marker (found by label and body marker), if any. */
  findIssue(query: { labels: string[]; marker: string }): Promise<{ number: number; url: string } | null>;
  /**
   * Opens the action item's issue, worded by the tracker; `marker` goes in verbatim (findIssue
   * looks for it). `names` are those of the people and channels the item's text mentions.
   */
  createIssue(issue: {
    item: Pick<ActionItem, "text" | "ownerId" | "dueDate">;
    incident: Pick<Incident, "number" | "title" | "severity" | "channelName" | "declaredAt" | "resolvedAt" | "summary">;
    names: SlackNames;
    marker: string;
    labels: string[];
    assignees: string[];
  }): Promise<{ number: number; url: string }>;
  /**
   * Reads an issue's state, conditionally: with the ETag of the last read, GitHub answers "not
   * modified" (no rate limit spent) while nothing changed. `gone` when it was deleted or moved.
   */
  readIssue(number: number, etag: string | null): Promise<IssueRead>;
  /** Closes the issue as completed or as not planned; closing a closed issue changes nothing. */
  closeIssue(number: number, reason: "completed" | "not_planned"): Promise<void>;
  /** Makes these the issue's assignees (none: nobody); repeating it changes nothing. */
  setAssignees(number: number, assignees: string[]): Promise<void>;
}

export type IssueRead =
  | { kind: "unchanged" }
  | { kind: "gone" }
  | { kind: "read"; state: "open" | "closed"; etag: string | null; updatedAt: Date; closedAt: Date | null };

/** What was seen of an action item's issue, and when (GitHub's `updated_at`, or when the bot asked). */
export interface IssueObservation {
  state: IssueState;
  observedAt: Date;
  /** When the issue was closed, for the item's doneAt (defaults to `observedAt`). */
  closedAt?: Date | null;
  /** Reconciliation only: the ETag of this read. */
  etag?: string | null;
  /** Reconciliation only: the check this read belongs to; applied only if no newer observation came since. */
  claimedAt?: Date;
  /** The observation is itself a reopening (a webhook's `reopened`), whatever was seen before. */
  reopened?: boolean;
}
