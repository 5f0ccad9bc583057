// What the domain needs from the outside world. Adapters implement these: src/store (Prisma),
// src/slack/chat.ts (Slack Web API), src/github (Octokit). The domain never sees those libraries.
import type {
  ActionItem,
  ActionItemStatus,
  AttachedFile,
  EntryKind,
  Incident,
  IssueState,
  IncidentRecord,
  IncidentStatus,
  MessageSource,
  PickedMessage,
  ReportState,
  ReportStatus,
  Role,
  Severity,
  StakeholderUpdate,
  TimelineEntry,
  UserId,
} from "./model.js";
import type { LeaseRequest } from "./delivery.js";
import type { Change, EntryFactsByKind } from "./entryFacts.js";
import type { Notice } from "./notices.js";
import type { ReadIn } from "./readIn.js";
import type { StatusPageSnapshot } from "./publicStatus.js";
import type { SlackNames } from "./report/format.js";

export interface Clock {
  now(): Date;
}

/**
 * A timeline entry a command writes: a change with its facts (entryFacts.ts), written together with
 * the change it describes, or an `/incident log` entry, whose text is what the person typed.
 */
export type NewTypedEntry = {
  sourceKey: string;
  occurredAt: Date;
  /** Null when the change came from outside Slack (an issue closed on GitHub). */
  authorId: UserId | null;
  highlight?: boolean;
} & (Change | { kind: "log"; text: string } | MessageFromElsewhere);

/**
 * People's words from elsewhere in Slack, recorded with where they came from: a message quoted
 * with the "Add to incident timeline" shortcut, or the message an incident was declared from (its
 * detection). Only these and `log` carry text: every other typed entry is its facts.
 */
export type MessageFromElsewhere =
  | { kind: "quoted"; text: string; files: AttachedFile[]; data: { source: MessageSource } }
  | { kind: "detected"; text: string; data: EntryFactsByKind["detected"] & { source: MessageSource } };

export interface IncidentPatch {
  title?: string;
  status?: IncidentStatus;
  severity?: Severity;
  summary?: string | null;
  resolution?: string | null;
  detectedAt?: Date | null;
  impactStartedAt?: Date | null;
  impactEndedAt?: Date | null;
  resolvedAt?: Date | null;
  headerTs?: string | null;
  publicTitle?: string | null;
}

/** A message as Slack gave it, already redacted. */
export interface CapturedMessage {
  ts: string;
  threadTs: string | null;
  authorId: UserId | null;
  text: string;
  files: AttachedFile[];
  /** Present when the message has been edited: Slack's ts of the latest edit. */
  editedTs?: string;
}

/** A person's names as Slack gave them, cached by the store. */
export interface PersonNames {
  userId: UserId;
  /** Slack's profile display name; null when the person has not set one. */
  displayName: string | null;
  /** Slack's real name, or the username when no real name is set. */
  realName: string | null;
}

/** How a person is shown: the display name, else the real name (which holds the username when there is none). */
export const preferredName = (names: Pick<PersonNames, "displayName" | "realName">): string | null =>
  names.displayName?.trim() || names.realName?.trim() || null;

/** The names of people the bot has seen, kept in the database so reports show names without Slack. */
export interface NameCache {
  /** The cached names of these people (unknown ids are left out), with when they were read from Slack. */
  knownNames(userIds: UserId[]): Promise<Record<UserId, PersonNames & { updatedAt: Date }>>;
  /**
   * Stores names read from Slack at `at`. With `onlyKnown`, only people already in the store are
   * updated: a workspace-wide profile change does not add everyone in the workspace.
   */
  saveNames(people: PersonNames[], at: Date, options?: { onlyKnown?: boolean }): Promise<void>;
}

export interface NewActionItem {
  sourceKey: string;
  text: string;
  ownerId: UserId | null;
  dueDate: Date | null;
  createdBy: UserId;
  createdAt: Date;
}

// The stores, one per aggregate: incidents with their timeline, action items, reports, people,
// and the log of handled Slack requests. Stakeholder updates have theirs (UpdateStore, below).

/** Incidents and their timeline. */
export interface IncidentStore {
  /** Stores a new incident (its declarer the commander) with its first entries, in one transaction. */
  createIncident(input: {
    title: string;
    channelId: string;
    channelName: string;
    severity: Severity;
    declaredBy: UserId;
    declaredAt: Date;
    summary?: string | null;
    detectedAt?: Date | null;
    /** A private incident (its channel is private); absent: public. */
    private?: boolean;
  }, entries: NewTypedEntry[]): Promise<Incident>;
  findIncidentByChannel(channelId: string): Promise<Incident | null>;
  findIncidentByNumber(number: number): Promise<Incident | null>;
  /**
   * Names of the given channels that are public incidents' channels (the bot named them); others are
   * left out, private incidents' too: their channel's name carries their title into any report that mentions it.
   */
  channelNames(channelIds: string[]): Promise<Record<string, string>>;
  getIncident(incidentId: string): Promise<Incident>;
  listIncidents(filter?: { open?: boolean }): Promise<Incident[]>;
  /** Applies the patch and writes the entry in one transaction. Returns the incident after it. */
  changeIncident(incidentId: string, patch: IncidentPatch, entry?: NewTypedEntry): Promise<Incident>;
  /** Sets (or clears, with null) the holder of a role and writes the entry, in one transaction. */
  assignRole(incidentId: string, role: Role, userId: UserId, assignedBy: UserId, entry: NewTypedEntry): Promise<Incident>;
  /** Adds a typed entry on its own (e.g. `/incident log`). Idempotent on sourceKey. */
  addEntry(incidentId: string, entry: NewTypedEntry): Promise<void>;

  /** Stores a message; a redelivery of the same ts changes nothing. Returns false if it was already there. */
  recordMessage(incidentId: string, message: CapturedMessage): Promise<boolean>;
  /** Applies an edit, keeping the replaced text as a revision. Creates the entry if the original never arrived. */
  recordEdit(incidentId: string, message: CapturedMessage & { editedTs: string }, previousText: string | null): Promise<void>;
  recordDeletion(incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null): Promise<void>;
  /** Adds or removes a user's :pushpin: on a message; the entry is a highlight while anyone has one. */
  setPin(incidentId: string, ts: string, userId: UserId, pinned: boolean): Promise<void>;
  /** Pins or unpins a message with Slack's own "Pin to channel": a highlight while pinned, whatever the :pushpin: reactions. */
  setSlackPin(incidentId: string, ts: string, pinned: boolean): Promise<void>;
  /** Makes a message a highlight for good (the "Add to incident timeline" shortcut on a message of the incident's channel). */
  highlightMessage(incidentId: string, ts: string): Promise<void>;
  /**
   * Remembers the incident's announcement in INCIDENTS_CHANNEL, if its current one is `replacing`
   * (null: none yet). False when another was there: two replicas announced at once, one message stays.
   */
  setAnnouncement(incidentId: string, announcement: { channelId: string; ts: string }, replacing: string | null): Promise<boolean>;
  /** Adds or removes a user's :no_entry_sign: on a message; the entry stays out of the report's timeline while anyone has one. */
  setExcluded(incidentId: string, ts: string, userId: UserId, excluded: boolean): Promise<void>;
  /** The newest message ts stored for the incident (backfill resumes after it), and the thread parents seen. */
  captureCursor(incidentId: string): Promise<{ latestTs: string | null; threadParents: string[] }>;

  /** The incident with its whole timeline, its action items and its report, read at once. */
  loadRecord(incidentId: string): Promise<IncidentRecord>;
  /** Entries in time order; the full record, including non-highlights and deleted ones. */
  listEntries(incidentId: string): Promise<TimelineEntry[]>;
}

/** Action items, their GitHub issues (created exactly once, observed) and their reminders. */
export interface ActionItemStore {
  addActionItem(incidentId: string, item: NewActionItem): Promise<ActionItem>;
  listActionItems(incidentId: string): Promise<ActionItem[]>;
  getActionItem(actionItemId: string): Promise<{ item: ActionItem; incident: Incident } | null>;
  /** Changes the item at `at` (the time a status change to done is recorded as `doneAt`). */
  setActionItem(actionItemId: string, patch: { status?: ActionItemStatus; ownerId?: UserId | null; dueDate?: Date | null }, at: Date): Promise<ActionItem>;
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

/** A change to a report; unset fields are left as they are. */
export interface ReportPatch {
  status?: ReportStatus;
  /** A standard section (REPORT_SECTIONS) or one of the team's template. */
  section?: { key: string; markdown: string };
  approvedBy?: UserId | null;
  approvedVersion?: number | null;
  publishedUrl?: string;
  publishedPath?: string;
  publishedAt?: Date;
  /** The customer-facing summary as published (the status page shows it). */
  publicSummary?: string;
  bumpVersion?: boolean;
}

/** Incident reports: their sections, review state and publication. */
export interface ReportStore {
  getReport(incidentId: string): Promise<ReportState>;
  /**
   * Changes the report if its version is still `expectedVersion` (optimistic concurrency), bumping
   * the version when content changes. Returns null when someone else changed it first.
   */
  updateReport(incidentId: string, expectedVersion: number, patch: ReportPatch, entry?: NewTypedEntry): Promise<ReportState | null>;
  /** Claims today's reminder for each resolved incident whose report is late; one replica wins each. */
  claimReportReminders(now: Date, lateAfterMs: number, everyMs: number): Promise<Incident[]>;
}

/** People: the names Slack gave (cached) and the GitHub logins they set. */
export interface PeopleStore extends NameCache {
  setGithubLogin(userId: UserId, login: string | null): Promise<void>;
  githubLogins(userIds: UserId[]): Promise<Record<UserId, string>>;
}

/** Slack requests already handled, so that a replayed one is not handled again. */
export interface RequestLog {
  /**
   * Marks a Slack request (by its trigger id, or a modal's view id and hash) as handled. False when
   * it already was: a replayed request is then not handled again, so nothing is created or announced twice.
   */
  claimRequest(key: string): Promise<boolean>;
  /**
   * Forgets requests handled before `before`. Slack's signed requests are refused 5 minutes after
   * they were signed, and Socket Mode redelivers within minutes, so a day-old key can never recur.
   */
  forgetHandledRequests(before: Date): Promise<number>;
}

/** Messages picked with a shortcut, held while the person fills in its modal (see PickedMessage). */
export interface PickedMessageStore {
  pickMessage(message: Omit<PickedMessage, "id">): Promise<PickedMessage>;
  findPickedMessage(id: string): Promise<PickedMessage | null>;
  /** Forgets messages picked before `before` (their modals are long closed). */
  forgetPickedMessages(before: Date): Promise<number>;
}

export type ChannelCreated =
  | { ok: true; id: string; name: string }
  | { ok: false; reason: "name_taken" }
  | { ok: false; reason: "missing_scopes"; missing: string[] };

/**
 * Who is in a channel (Slack's conversations.members), cached briefly: a private incident is named
 * in lists outside its channel only to its members. False when Slack cannot say (the bot was
 * removed, a scope is missing, Slack is down): a list then leaves the incident out.
 */
export interface ChannelMembers {
  includes(channelId: string, userId: UserId): Promise<boolean>;
}

/** What became of an invitation into a channel, person by person. */
export interface Invitation {
  invited: UserId[];
  /** Already members (or the bot itself): nothing to do for them. */
  alreadyIn: UserId[];
  /** Slack refused them (a deactivated account, a guest who may not join...), with its reason. */
  refused: { userId: UserId; reason: string }[];
}

/** A message's link from Slack, or why Slack gives none to the bot. */
export type MessageLink = { ok: true; url: string } | { ok: false; reason: "channel_not_found" | "message_not_found" };

/** The incident's Slack side, in the domain's words. */
/**
 * The incident's channel in the chat service. A call Slack refuses for a reason the bot cannot fix
 * (removed from the channel, a missing permission...) rejects with ChannelRefusedError (errors.ts).
 */
export interface IncidentChannel {
  /**
   * Creates a channel, private when asked; `name_taken` when that name exists, `missing_scopes` when
   * the workspace has not granted what a private channel needs (nothing was created).
   */
  create(name: string, options?: { private?: boolean }): Promise<ChannelCreated>;
  /** Whether private channels can be made and recorded now (the token's scopes); `missing` names what is not granted. */
  privateChannelsAllowed(): Promise<{ ok: true } | { ok: false; missing: string[] }>;
  /** Invites people into the channel; one who cannot be invited does not keep the others out. */
  invite(channelId: string, userIds: UserId[]): Promise<Invitation>;
  /** Archives a channel the bot created (one left without an incident). */
  archive(channelId: string): Promise<void>;
  /** Posts the header; returns its ts. */
  publishHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">): Promise<string>;
  /** Pins the posted header (a step of its own: a header posted but not pinned is still the header). */
  pinHeader(channelId: string, ts: string): Promise<void>;
  /** Re-renders the header; `report` adds the report's state and link once there is one. */
  refreshHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">): Promise<void>;
  /** A visible note in the channel (who changed what), worded by the adapter; a user id as `channelId` is a direct message. */
  notify(channelId: string, notice: Notice): Promise<void>;
  /** Looks a user up by display/real/user name, for `@name` typed without a mention. */
  findUserByName(name: string): Promise<UserId | null>;
  userExists(userId: UserId): Promise<boolean>;
  /** Display names of users, for reports (unknown ids are left out). */
  userNames(userIds: UserId[]): Promise<Record<UserId, string>>;
  /** The workspace's URL (https://acme.slack.com/), for links to messages; null when Slack does not say. */
  teamUrl(): Promise<string | null>;
  /** People's messages in the channel after `oldest` (exclusive), oldest first, with the thread parents among them. */
  readHistory(channelId: string, oldest: string | null): AsyncIterable<CapturedMessage & { replyCount: number }>;
  /** People's replies in a thread (the parent excluded). */
  readReplies(channelId: string, threadTs: string): AsyncIterable<CapturedMessage>;

  // Assembling the response (assemble.ts, readIn.ts, sources.ts).
  /** Posts the incident's announcement in `channelId` (INCIDENTS_CHANNEL), worded by the adapter; its ts. A refusal is a ChannelRefusedError. */
  announce(channelId: string, incident: Incident): Promise<string>;
  /** Brings the announcement up to date; `gone` when its message no longer exists (someone deleted it). */
  refreshAnnouncement(incident: Incident, announcement: { channelId: string; ts: string }): Promise<"updated" | "gone">;
  /** Deletes an announcement posted twice (two replicas at once): the incident keeps one. */
  withdrawAnnouncement(announcement: { channelId: string; ts: string }): Promise<void>;
  /** The link to a message (chat.getPermalink); Slack gives none for a channel the bot cannot see. */
  messageLink(channelId: string, ts: string): Promise<MessageLink>;
  /** Sends a person the read-in of an incident, privately: a direct message from the bot. */
  sendReadIn(userId: UserId, readIn: ReadIn): Promise<void>;
}

/** User groups' members (usergroups.users.list), read briefly cached: the admins list and invitations share them. */
export interface UserGroups {
  members(groupId: string): Promise<UserId[]>;
}

/** What the public status page may show (src/store/statusPageQueries.ts), read at most every few seconds. */
export interface StatusPageReader {
  snapshot(): Promise<StatusPageSnapshot>;
}

/** The break-glass list of incident admins (INCIDENT_ADMINS): Slack users and user groups. */
export interface Admins {
  includes(userId: UserId): Promise<boolean>;
}

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

export interface ReportPublisher {
  /** Creates or updates the file; returns a link to it (or to the pull request). */
  publish(file: { path: string; content: string; message: string }): Promise<{ url: string }>;
}

/**
 * An update as written: `sourceKey` is the request that wrote it (command:<trigger id>), so a
 * replayed command adds nothing; `publishedAt` is set for an internal update (published as it is
 * written) and null for a public draft.
 */
export type NewStakeholderUpdate = Omit<StakeholderUpdate, "id" | "incidentId"> & { sourceKey: string };

/** A published public update waiting for Atlassian Statuspage, with what the push needs of its incident. */
export interface PendingPush {
  updateId: string;
  text: string;
  status: IncidentStatus;
  publishedAt: Date;
  /** Free to take now: not leased by a worker, not waiting out a backoff. */
  due: boolean;
  incident: Pick<Incident, "id" | "number" | "publicTitle" | "severity"> & { statuspageIncidentId: string | null };
}

/**
 * Public updates on their way to Atlassian Statuspage (src/atlassianStatuspage/push.ts): which
 * wait, the per-update lease (delivery.ts), and what Statuspage now holds.
 */
export interface StatuspagePushStore {
  /** Published public updates not yet on Statuspage, published since `since`, oldest first per incident. */
  pending(now: Date, since: Date): Promise<PendingPush[]>;
  /** Takes the update; null when another worker (or replica) holds it, or it is pushed or backing off. */
  claim(updateId: string, lease: LeaseRequest): Promise<{ attempts: number } | null>;
  /** Releases the update after a failure; the sweep tries again from `nextAttemptAt`. */
  markFailed(updateId: string, error: string, nextAttemptAt: Date): Promise<void>;
  markPushed(updateId: string, at: Date): Promise<void>;
  /** The Statuspage incident now known for ours (kept if one was already stored). */
  setStatuspageIncident(incidentId: string, statuspageIncidentId: string): Promise<void>;
  /** The texts of this incident's updates already on Statuspage (for the look-before-adding). */
  pushedTexts(incidentId: string): Promise<string[]>;
}

/** Stakeholder and customer updates (src/incidents/updates.ts). */
export interface UpdateStore {
  /**
   * Stores an update and, when given, its timeline entry, in one transaction. Idempotent on the
   * update's sourceKey: `created` is false when that request had already stored it.
   */
  addUpdate(incidentId: string, update: NewStakeholderUpdate, entry?: NewTypedEntry): Promise<{ update: StakeholderUpdate; created: boolean }>;
  getUpdate(updateId: string): Promise<{ update: StakeholderUpdate; incident: Incident } | null>;
  /**
   * Publishes a public draft and writes its timeline entry, in one statement: of any number of
   * presses (or replicas) exactly one gets the update back; the others, and a press on a
   * discarded draft, get null.
   */
  publishUpdate(updateId: string, at: Date, entry: NewTypedEntry): Promise<StakeholderUpdate | null>;
  /** Deletes a public draft that was not published; false when there is none any more. */
  discardDraft(updateId: string): Promise<boolean>;
  /** The incident's updates in the order they were written (drafts included unless `publishedOnly`). */
  listUpdates(incidentId: string, options?: { publishedOnly?: boolean }): Promise<StakeholderUpdate[]>;
  /**
   * Claims an update reminder for each open SEV1/SEV2 incident with no published update for
   * `quietMs` since the later of its last update, its declaration, escalation or reopening, and its
   * last reminder. One conditional UPDATE: of several replicas one claims each lapse.
   */
  claimUpdateReminders(now: Date, quietMs: number): Promise<Incident[]>;
}
