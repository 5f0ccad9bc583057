// Action items and their GitHub issues, exactly once, delivered as delivery.ts does it:
//  1. claim the item in the database with a lease (one worker, one replica at a time);
//  2. ask GitHub whether an issue with the item's marker already exists (an earlier attempt may
//     have died after GitHub answered and before we saved);
//  3. only then create it, and save its number. A failure releases the item for a later retry
//     with backoff; a sweeper retries pending items, also after a restart.
// Where: a public incident's issues go to GITHUB_REPOSITORY; a private incident's only to
// PRIVATE_GITHUB_REPOSITORY, and while that is not set they wait, never going anywhere else.
import { reachOf } from "./assemble.js";
import { type Actor, entryKeyOf } from "./actor.js";
import { deliverOnce, type LeaseRequest } from "./delivery.js";
import type { IncidentDeps } from "./deps.js";
import type { ActionItemFacts } from "./entryFacts.js";
import { tell } from "./showing.js";
import { UserError } from "./errors.js";
import type { ActionItem, ActionItemStatus, Incident, UserId } from "./model.js";
import type { IssueTracker } from "./ports/issueTracker.js";
import { redactSecrets } from "./redact.js";
import type { SlackNames } from "./report/slackMarkdown.js";
import { formatDueDate } from "./time/format.js";

/** How long one attempt may hold an item: GitHub's answers come within seconds, retries included. */
const LEASE_MS = 120_000;

export const issueMarker = (item: Pick<ActionItem, "id">) => `<!-- incident-bot:action-item:${item.id} -->`;
export const incidentLabel = (incident: Pick<Incident, "number">) => `incident-${incident.number}`;

/** The tracker the incident's issues go to: GITHUB_REPOSITORY's, or for a private incident PRIVATE_GITHUB_REPOSITORY's alone. */
export const issueTrackerFor = (
  deps: Pick<IncidentDeps, "issueTracker" | "privateIssueTracker">,
  incident: Pick<Incident, "private">,
): IssueTracker | undefined => (reachOf(incident).repositories === "private" ? deps.privateIssueTracker : deps.issueTracker);

/** Why an incident's open items wait without issues whatever GitHub says. */
export type IssuesWithheld = "private_repository_not_set";

/**
 * Why the incident's open items wait without issues, if they do: a private incident with no
 * PRIVATE_GITHUB_REPOSITORY (they never go to GITHUB_REPOSITORY instead).
 */
export const issuesWithheld = (
  deps: Pick<IncidentDeps, "privateIssueTracker">,
  incident: Pick<Incident, "private">,
): IssuesWithheld | null =>
  reachOf(incident).repositories === "private" && !deps.privateIssueTracker ? "private_repository_not_set" : null;

export async function addActionItem(
  deps: IncidentDeps,
  incident: Incident,
  actor: Actor,
  input: { text: string; ownerId: UserId | null; dueDate: Date | null },
): Promise<ActionItem> {
  const text = redactSecrets(input.text.trim()).text;
  const now = deps.clock.now();
  const item = await deps.actionItems.addActionItem(incident.id, {
    sourceKey: entryKeyOf(actor),
    text,
    ownerId: input.ownerId,
    dueDate: input.dueDate,
    createdBy: actor.userId,
    createdAt: now,
  });
  await deps.incidents.addEntry(incident.id, {
    sourceKey: entryKeyOf(actor),
    kind: "action",
    occurredAt: now,
    authorId: actor.userId,
    data: { field: "action_item", from: null, to: item.id, number: item.number, text, ownerId: input.ownerId, due: isoDay(input.dueDate) },
  });
  const added = { number: item.number, text, ownerId: input.ownerId, dueDate: input.dueDate };
  await tell(deps, incident, { kind: "action_item_added", by: actor.userId, item: added });
  // Items added after the incident was resolved get their issue straight away.
  if (incident.status === "resolved") await openIssueFor(deps, item, incident);
  return item;
}

/** One change to an action item: its status, its owner, or its due date. */
export type ActionItemChange = { status: ActionItemStatus } | { ownerId: UserId | null } | { dueDate: Date | null };

const isoDay = (date: Date | null) => (date ? formatDueDate(date) : null);

/** The facts of one change to an item, from the item before and after it. */
function factsOf(change: ActionItemChange, before: ActionItem, after: ActionItem): ActionItemFacts {
  const item = { number: after.number, text: after.text };
  if ("status" in change) return { field: "action_item_status", from: before.status, to: change.status, ...item };
  if ("ownerId" in change) return { field: "action_item_owner", from: before.ownerId, to: change.ownerId, ...item };
  return { field: "action_item_due", from: isoDay(before.dueDate), to: isoDay(change.dueDate), ...item };
}

/**
 * Applies one change to an item and records it (a typed entry, a note in the channel). `part`
 * tells apart the entries of one request that changes two things (`/incident assign 3 @bob due
 * friday`): each is written once, however often Slack delivers the request.
 */
export async function updateActionItem(
  deps: IncidentDeps,
  actionItemId: string,
  actor: Actor,
  change: ActionItemChange,
  part?: string,
): Promise<{ item: ActionItem; incident: Incident }> {
  const found = await deps.actionItems.getActionItem(actionItemId);
  if (!found) throw new UserError({ code: "action_item_gone" });
  const item = await deps.actionItems.setActionItem(actionItemId, change, deps.clock.now());
  const recorded = { kind: "action", data: factsOf(change, found.item, item) } as const;
  await deps.incidents.addEntry(found.incident.id, {
    sourceKey: part ? `${entryKeyOf(actor)}:${part}` : entryKeyOf(actor),
    occurredAt: deps.clock.now(),
    authorId: actor.userId,
    highlight: false,
    ...recorded,
  });
  await tell(deps, found.incident, { kind: "changed", by: actor.userId, change: recorded });
  if ("ownerId" in change) await followOwnerOnGitHub(deps, item, found.incident);
  if ("status" in change && change.status !== "open" && found.item.status === "open") await closeOnGitHub(deps, item, found.incident);
  return { item, incident: found.incident };
}

/**
 * An item marked done (or dropped) in Slack closes its issue (as completed, or not planned), so
 * GitHub's board agrees with the record. Its webhook then reports a close the record already has:
 * nothing changes twice. Best effort, like the assignee: a failure is logged, and the issue stays
 * open for someone to close by hand.
 */
async function closeOnGitHub(deps: IncidentDeps, item: ActionItem, incident: Incident): Promise<void> {
  const issues = issueTrackerFor(deps, incident);
  if (!issues || !item.issueNumber) return;
  try {
    await issues.closeIssue(item.issueNumber, item.status === "done" ? "completed" : "not_planned");
  } catch (error) {
    deps.logger.warn(
      { err: error, incident: incident.number, actionItem: item.number, issue: item.issueNumber },
      "could not close the action item's issue on GitHub",
    );
  }
}

/**
 * A new owner is also the issue's assignee when GitHub knows them (`/incident github-login`), as
 * at creation. Best effort: the record has the owner already, and a failure is logged, not thrown.
 */
async function followOwnerOnGitHub(deps: IncidentDeps, item: ActionItem, incident: Incident): Promise<void> {
  const issues = issueTrackerFor(deps, incident);
  if (!issues || !item.issueNumber) return;
  const logins = item.ownerId ? await deps.people.githubLogins([item.ownerId]) : {};
  const login = item.ownerId ? logins[item.ownerId] : undefined;
  try {
    await issues.setAssignees(item.issueNumber, login ? [login] : []);
  } catch (error) {
    deps.logger.warn(
      { err: error, incident: incident.number, actionItem: item.number, issue: item.issueNumber },
      "could not reassign the action item's issue on GitHub",
    );
  }
}

/**
 * The names behind the Slack ids in what the issue quotes (the item's text, the incident's title and
 * summary) and the item's owner: GitHub shows text, not Slack's `<@U123>` markup, so people and
 * channels appear by name (or by id when the bot never saw them).
 */
async function namesFor(deps: IncidentDeps, item: ActionItem, incident: Incident): Promise<SlackNames> {
  const quoted = [item.text, incident.title, incident.summary ?? ""].join("\n");
  const users = [...new Set([...quoted.matchAll(/<@([UW][A-Z0-9]+)/g)].map((m) => m[1]!).concat(item.ownerId ? [item.ownerId] : []))];
  const channels = [...new Set([...quoted.matchAll(/<#(C[A-Z0-9]+)/g)].map((m) => m[1]!))];
  return {
    users: users.length ? await deps.channel.userNames(users) : {},
    channels: channels.length ? await deps.incidents.channelNames(channels) : {},
  };
}

async function createIssue(
  deps: IncidentDeps,
  issues: NonNullable<IncidentDeps["issueTracker"]>,
  item: ActionItem,
  incident: Incident,
  labels: string[],
) {
  const logins = item.ownerId ? await deps.people.githubLogins([item.ownerId]) : {};
  return issues.createIssue({
    item,
    incident,
    names: await namesFor(deps, item, incident),
    marker: issueMarker(item),
    labels,
    assignees: item.ownerId && logins[item.ownerId] ? [logins[item.ownerId]!] : [],
  });
}

/**
 * Opens the item's issue unless it has one or someone else is opening it. Never throws for
 * GitHub's errors: the item stays pending and is retried. `ignoreBackoff` is for a person's
 * explicit request (resolve, the Retry button); the sweeper waits out the backoff.
 */
export async function openIssueFor(
  deps: IncidentDeps,
  item: ActionItem,
  incident: Incident,
  options: { ignoreBackoff?: boolean } = {},
): Promise<ActionItem> {
  const issues = issueTrackerFor(deps, incident);
  if (!issues || item.issueUrl || item.status !== "open") return item;
  const ledger = {
    claim: (lease: LeaseRequest) => deps.actionItems.claimActionItemForIssue(item.id, lease),
    release: (error: string, nextAttemptAt: Date) => deps.actionItems.failActionItemIssue(item.id, error, nextAttemptAt),
  };
  const delivery = await deliverOnce(
    ledger,
    async () => {
      const existing = await issues.findIssue({ labels: [incidentLabel(incident)], marker: issueMarker(item) });
      const labels = [incidentLabel(incident), `severity:${incident.severity}`, "incident-action-item"];
      const issue = existing ?? (await createIssue(deps, issues, item, incident, labels));
      await deps.actionItems.completeActionItemIssue(item.id, issue);
      const context = { incident: incident.number, actionItem: item.number, issue: issue.number, reused: Boolean(existing) };
      deps.logger.info(context, "action item issue ready");
      return issue;
    },
    { clock: deps.clock, leaseMs: LEASE_MS, ignoreBackoff: options.ignoreBackoff ?? true },
  );
  switch (delivery.outcome) {
    case "not_claimed":
      return item;
    case "delivered":
      return { ...item, issueNumber: delivery.result.number, issueUrl: delivery.result.url, lastError: null };
    case "failed": {
      const { error, retryAt } = delivery;
      const context = { incident: incident.number, actionItem: item.number, err: error, retryAt };
      deps.logger.warn(context, "could not open the action item's issue yet");
      return { ...item, lastError: error };
    }
  }
}

/** Issues for every open item of the incident that lacks one, in item order. */
export async function openIssuesFor(deps: IncidentDeps, incident: Incident): Promise<ActionItem[]> {
  const items = await deps.actionItems.listActionItems(incident.id);
  const results: ActionItem[] = [];
  for (const item of items) results.push(await openIssueFor(deps, item, incident));
  return results;
}

/** The sweeper: items of resolved incidents still waiting for their issue, whoever's they were, where a tracker takes them. */
export async function retryPendingIssues(deps: IncidentDeps): Promise<number> {
  if (!deps.issueTracker && !deps.privateIssueTracker) return 0;
  let opened = 0;
  const incidents = { public: Boolean(deps.issueTracker), private: Boolean(deps.privateIssueTracker) };
  for (const { item, incident } of await deps.actionItems.listActionItemsNeedingIssues(deps.clock.now(), incidents)) {
    if ((await openIssueFor(deps, item, incident, { ignoreBackoff: false })).issueUrl) opened++;
  }
  return opened;
}
