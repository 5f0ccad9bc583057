// What seeing an action item's GitHub issue does to the item: the rules every ActionItemStore
// applies inside its own guarded write (PrismaActionItemStore, and the in-memory store the
// use-case specs run on), kept here so that there is one copy of them.
import type { ActionItem } from "./model.js";
import type { IssueObservation } from "./ports/issueTracker.js";

/**
 * Newest observation wins. A reconciliation read applies only if no other observation came since
 * its claim; any other observation only if it is newer than the last one applied.
 */
export function isStaleObservation(issueCheckedAt: Date | null, observation: IssueObservation): boolean {
  return observation.claimedAt
    ? issueCheckedAt?.getTime() !== observation.claimedAt.getTime()
    : issueCheckedAt !== null && issueCheckedAt.getTime() >= observation.observedAt.getTime();
}

/** Closing finishes open work; reopening undoes only what closing did (or a reopen event says so). */
export function statusAfterObservation(
  item: Pick<ActionItem, "status" | "doneAt" | "issueState">,
  observation: IssueObservation,
): Pick<ActionItem, "status" | "doneAt"> {
  if (observation.state === "closed" && item.status === "open")
    return { status: "done", doneAt: observation.closedAt ?? observation.observedAt };
  if (observation.state === "open" && item.status === "done" && (item.issueState === "closed" || observation.reopened))
    return { status: "open", doneAt: null };
  return { status: item.status, doneAt: item.doneAt ?? null };
}
