// The store ports in memory, for use-case specs that run in milliseconds. They keep the contracts
// the Prisma stores keep (test/usecases/storeContract.test.ts runs the same checks against both),
// because a fake kinder than the real store would let a use case pass here and fail in production:
//  - keyed writes are idempotent: an entry, update or action item with a source key already stored
//    is stored once, and a handled request is handled once;
//  - conditional writes are conditional: a report's version, a draft published or discarded once,
//    an announcement replaced only if it is the one expected, an issue observation only if newer,
//    a lease only if free;
//  - reads come back in the order the SQL orders them (entries by time, then ts, then arrival;
//    updates by creation; action items by number), and as copies: changing what a read returned
//    changes nothing stored, as with rows read from a database;
//  - a column's precision is the database's: an action item's due date is a calendar day.
// What SQL does inside one statement (a transaction, a conditional UPDATE) is one synchronous step
// here, which is what JavaScript's single thread gives for free between awaits.
import { randomUUID } from "node:crypto";
import type { Stores } from "../../src/incidents/deps.js";
import type { LeaseRequest } from "../../src/incidents/delivery.js";
import type {
  ActionItem,
  AttachedFile,
  EntryKind,
  Incident,
  IncidentRecord,
  PickedMessage,
  ReportState,
  Role,
  StakeholderUpdate,
  TimelineEntry,
  UserId,
} from "../../src/incidents/model.js";
import type {
  ActionItemStore,
  CapturedMessage,
  FollowUp,
  FollowUpQuery,
  IncidentPatch,
  IncidentStore,
  IssueObservation,
  NewActionItem,
  NewStakeholderUpdate,
  NewTypedEntry,
  PeopleStore,
  PersonNames,
  PickedMessageStore,
  ReportPatch,
  ReportStore,
  RequestLog,
  UpdateStore,
} from "../../src/incidents/ports.js";
import { slackTsToDate } from "../../src/incidents/slackTime.js";

const copy = <T>(value: T): T => structuredClone(value);
const time = (date: Date | null | undefined) => (date ? date.getTime() : null);
/** PostgreSQL's `date`: the UTC calendar day, as Prisma reads it back. */
const day = (date: Date | null) => (date ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())) : null);
const messageKey = (ts: string) => `message:${ts}`;

interface IncidentRow extends Omit<Incident, "roles" | "announcement"> {
  roles: Partial<Record<Role, { userId: UserId; assignedBy: UserId; assignedAt: Date }>>;
  announcementChannelId: string | null;
  announcementTs: string | null;
  statuspageIncidentId: string | null;
  updateRemindedAt: Date | null;
  publicTitleSlackEscaped: boolean;
}

interface EntryRow {
  id: string;
  incidentId: string;
  sourceKey: string;
  kind: string;
  occurredAt: Date;
  ts: string | null;
  threadTs: string | null;
  authorId: UserId | null;
  text: string;
  files: AttachedFile[];
  data: TimelineEntry["data"];
  highlight: boolean;
  pinnedBy: UserId[];
  excludedBy: UserId[];
  slackPinned: boolean;
  deleted: boolean;
  deletedAt: Date | null;
  editedAt: Date | null;
  /** The order rows arrived in (the table's recordedAt). */
  recorded: number;
  revisions: { editTs: string; text: string; replacedAt: Date }[];
}

interface ActionItemRow extends ActionItem {
  incidentId: string;
  sourceKey: string;
  leaseUntil: Date | null;
  nextAttemptAt: Date | null;
  attempts: number;
  issueEtag: string | null;
  issueCheckedAt: Date | null;
  overdueRemindedOn: Date | null;
  incompleteRemindedAt: Date | null;
}

interface ReportRow extends ReportState {
  publicSummary: string | null;
  lastReminderAt: Date | null;
}

interface UpdateRow extends StakeholderUpdate {
  sourceKey: string;
  slackEscaped: boolean;
}

interface ProfileRow {
  githubLogin: string | null;
  displayName: string | null;
  realName: string | null;
  namesUpdatedAt: Date | null;
}

/** The tables, in memory. One instance is one database: every store built on it shares it. */
export class MemoryTables {
  incidents = new Map<string, IncidentRow>();
  entries: EntryRow[] = [];
  actionItems = new Map<string, ActionItemRow>();
  reports = new Map<string, ReportRow>();
  profiles = new Map<UserId, ProfileRow>();
  handled = new Map<string, Date>();
  updates = new Map<string, UpdateRow>();
  picked = new Map<string, PickedMessage>();
  nextIncidentNumber = 1;
  recorded = 0;

  constructor(readonly now: () => Date = () => new Date()) {}

  incident(incidentId: string): IncidentRow {
    const row = this.incidents.get(incidentId);
    if (!row) throw new Error(`No incident ${incidentId} (Prisma: P2025, record not found)`);
    return row;
  }

  /** INSERT ... ON CONFLICT ("incidentId", "sourceKey") DO NOTHING: true when stored now. */
  insertEntry(row: Omit<EntryRow, "id" | "recorded" | "revisions" | "pinnedBy" | "excludedBy" | "slackPinned" | "deleted" | "deletedAt">): boolean {
    this.incident(row.incidentId); // the foreign key
    if (this.findEntry(row.incidentId, row.sourceKey)) return false;
    this.entries.push({
      ...copy(row),
      id: randomUUID(),
      pinnedBy: [],
      excludedBy: [],
      slackPinned: false,
      deleted: false,
      deletedAt: null,
      recorded: ++this.recorded,
      revisions: [],
    });
    return true;
  }

  findEntry(incidentId: string, sourceKey: string) {
    return this.entries.find((e) => e.incidentId === incidentId && e.sourceKey === sourceKey);
  }

  deleteEntry(incidentId: string, sourceKey: string) {
    this.entries = this.entries.filter((e) => !(e.incidentId === incidentId && e.sourceKey === sourceKey));
  }

  /** A copy of every table: equal before and after means nothing was written. */
  snapshot() {
    return copy({
      incidents: [...this.incidents.values()],
      entries: this.entries,
      actionItems: [...this.actionItems.values()],
      reports: [...this.reports.entries()],
      profiles: [...this.profiles.entries()],
      handled: [...this.handled.keys()],
      updates: [...this.updates.values()],
      picked: [...this.picked.values()],
    });
  }
}

function typedRow(incidentId: string, entry: NewTypedEntry) {
  return {
    incidentId,
    sourceKey: entry.sourceKey,
    kind: entry.kind,
    occurredAt: entry.occurredAt,
    ts: null,
    threadTs: null,
    authorId: entry.authorId,
    text: "text" in entry ? entry.text : "",
    files: "files" in entry ? entry.files : [],
    data: (entry.kind === "log" ? null : entry.data) as TimelineEntry["data"],
    highlight: entry.highlight ?? true,
    editedAt: null,
  };
}

function messageRow(incidentId: string, m: CapturedMessage) {
  return {
    incidentId,
    sourceKey: messageKey(m.ts),
    kind: "message",
    occurredAt: slackTsToDate(m.ts),
    ts: m.ts,
    threadTs: m.threadTs,
    authorId: m.authorId,
    text: m.text,
    files: m.files,
    data: null,
    highlight: false,
    editedAt: m.editedTs ? slackTsToDate(m.editedTs) : null,
  };
}

function toIncident(row: IncidentRow): Incident {
  const { roles, announcementChannelId, announcementTs, statuspageIncidentId, updateRemindedAt, publicTitleSlackEscaped, ...incident } = row;
  void statuspageIncidentId, updateRemindedAt, publicTitleSlackEscaped;
  return copy({
    ...incident,
    roles: Object.fromEntries(Object.entries(roles).map(([role, holder]) => [role, holder!.userId])),
    announcement: announcementChannelId && announcementTs ? { channelId: announcementChannelId, ts: announcementTs } : null,
  });
}

function toEntry(row: EntryRow): TimelineEntry {
  return copy({
    id: row.id,
    kind: row.kind as EntryKind,
    occurredAt: row.occurredAt,
    ts: row.ts,
    threadTs: row.threadTs,
    authorId: row.authorId,
    text: row.text,
    files: row.files,
    data: row.data,
    highlight: row.highlight || row.pinnedBy.length > 0 || row.slackPinned,
    excluded: row.excludedBy.length > 0,
    deleted: row.deleted,
    editedAt: row.editedAt,
    revisions: row.revisions.map((r) => ({ text: r.text, replacedAt: r.replacedAt })).sort((a, b) => a.replacedAt.getTime() - b.replacedAt.getTime()),
  });
}

function toActionItem(row: ActionItemRow): ActionItem {
  return copy({
    id: row.id,
    number: row.number,
    text: row.text,
    ownerId: row.ownerId,
    dueDate: row.dueDate,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    issueNumber: row.issueNumber,
    issueUrl: row.issueUrl,
    lastError: row.lastError,
    doneAt: row.doneAt,
    issueState: row.issueState,
  });
}

function toReport(row: ReportRow): ReportState {
  const { publicSummary, lastReminderAt, ...report } = row;
  void publicSummary, lastReminderAt;
  return copy(report);
}

function toUpdate(row: UpdateRow): StakeholderUpdate {
  const { sourceKey, slackEscaped, ...update } = row;
  void sourceKey, slackEscaped;
  return copy(update);
}

/** PostgreSQL sorts NULL after every value in ascending order. */
const compareNullable = (a: string | number | null, b: string | number | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class MemoryIncidentStore implements IncidentStore {
  constructor(
    private readonly t: MemoryTables,
    private readonly rest: { actionItems: Pick<ActionItemStore, "listActionItems">; reports: Pick<ReportStore, "getReport"> },
  ) {}

  async createIncident(input: Parameters<IncidentStore["createIncident"]>[0], entries: NewTypedEntry[]) {
    if ([...this.t.incidents.values()].some((i) => i.channelId === input.channelId)) {
      throw new Error(`Unique constraint failed on the fields: (\`channelId\`) (Prisma: P2002)`);
    }
    const id = randomUUID();
    const row: IncidentRow = {
      id,
      number: this.t.nextIncidentNumber++,
      title: input.title,
      channelId: input.channelId,
      channelName: input.channelName,
      status: "investigating",
      severity: input.severity,
      summary: input.summary ?? null,
      resolution: null,
      declaredBy: input.declaredBy,
      declaredAt: input.declaredAt,
      detectedAt: input.detectedAt ?? null,
      impactStartedAt: null,
      impactEndedAt: null,
      resolvedAt: null,
      headerTs: null,
      publicTitle: null,
      private: input.private ?? false,
      roles: { commander: { userId: input.declaredBy, assignedBy: input.declaredBy, assignedAt: input.declaredAt } },
      announcementChannelId: null,
      announcementTs: null,
      statuspageIncidentId: null,
      updateRemindedAt: null,
      publicTitleSlackEscaped: true,
    };
    this.t.incidents.set(id, copy(row));
    this.t.reports.set(id, emptyReport());
    for (const entry of entries) this.t.insertEntry(typedRow(id, entry));
    return toIncident(this.t.incident(id));
  }

  async findIncidentByChannel(channelId: string) {
    const row = [...this.t.incidents.values()].find((i) => i.channelId === channelId);
    return row ? toIncident(row) : null;
  }

  async findIncidentByNumber(number: number) {
    const row = [...this.t.incidents.values()].find((i) => i.number === number);
    return row ? toIncident(row) : null;
  }

  async channelNames(channelIds: string[]) {
    const rows = [...this.t.incidents.values()].filter((i) => channelIds.includes(i.channelId) && !i.private);
    return Object.fromEntries(rows.map((row) => [row.channelId, row.channelName]));
  }

  async getIncident(incidentId: string) {
    return toIncident(this.t.incident(incidentId));
  }

  async listIncidents(filter: { open?: boolean } = {}) {
    return [...this.t.incidents.values()]
      .filter((i) => filter.open === undefined || (i.status !== "resolved") === filter.open)
      .sort((a, b) => a.number - b.number)
      .map(toIncident);
  }

  async changeIncident(incidentId: string, patch: IncidentPatch, entry?: NewTypedEntry) {
    const row = this.t.incident(incidentId);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    Object.assign(row, copy(defined));
    if (patch.publicTitle != null) row.publicTitleSlackEscaped = false;
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    return toIncident(row);
  }

  async assignRole(incidentId: string, role: Role, userId: UserId, assignedBy: UserId, entry: NewTypedEntry) {
    const row = this.t.incident(incidentId);
    row.roles[role] = { userId, assignedBy, assignedAt: entry.occurredAt };
    this.t.insertEntry(typedRow(incidentId, entry));
    return toIncident(row);
  }

  async addEntry(incidentId: string, entry: NewTypedEntry) {
    this.t.insertEntry(typedRow(incidentId, entry));
  }

  async recordMessage(incidentId: string, message: CapturedMessage) {
    return this.t.insertEntry(messageRow(incidentId, message));
  }

  async recordEdit(incidentId: string, message: CapturedMessage & { editedTs: string }, previousText: string | null) {
    const editedAt = slackTsToDate(message.editedTs);
    this.t.insertEntry(messageRow(incidentId, message)); // the edit may arrive before the original
    const entry = this.t.findEntry(incidentId, messageKey(message.ts))!;
    if (entry.text === message.text && previousText === null) return;
    const revisionText = previousText ?? entry.text;
    if (!entry.revisions.some((r) => r.editTs === message.editedTs)) {
      entry.revisions.push({ editTs: message.editedTs, text: revisionText, replacedAt: editedAt });
    }
    if (entry.editedAt === null || entry.editedAt.getTime() < editedAt.getTime()) {
      Object.assign(entry, { text: message.text, files: copy(message.files), editedAt });
    }
  }

  async recordDeletion(incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null) {
    if (previous) this.t.insertEntry(messageRow(incidentId, previous));
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry && !entry.deleted) Object.assign(entry, { deleted: true, deletedAt });
  }

  async setPin(incidentId: string, ts: string, userId: UserId, pinned: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (!entry) return;
    if (pinned && !entry.pinnedBy.includes(userId)) entry.pinnedBy.push(userId);
    if (!pinned) entry.pinnedBy = entry.pinnedBy.filter((id) => id !== userId);
  }

  async setSlackPin(incidentId: string, ts: string, pinned: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry) entry.slackPinned = pinned;
  }

  async highlightMessage(incidentId: string, ts: string) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry) entry.highlight = true;
  }

  async setAnnouncement(incidentId: string, announcement: { channelId: string; ts: string }, replacing: string | null) {
    const row = this.t.incidents.get(incidentId);
    if (!row || row.announcementTs !== replacing) return false;
    row.announcementChannelId = announcement.channelId;
    row.announcementTs = announcement.ts;
    return true;
  }

  async setExcluded(incidentId: string, ts: string, userId: UserId, excluded: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (!entry) return;
    if (excluded && !entry.excludedBy.includes(userId)) entry.excludedBy.push(userId);
    if (!excluded) entry.excludedBy = entry.excludedBy.filter((id) => id !== userId);
  }

  async captureCursor(incidentId: string) {
    const messages = this.t.entries.filter((e) => e.incidentId === incidentId && e.kind === "message");
    const latest = messages.map((m) => m.ts!).sort((a, b) => compareNullable(b, a))[0] ?? null;
    const parents = [...new Set(messages.flatMap((m) => (m.threadTs === null ? [] : [m.threadTs])))];
    return { latestTs: latest, threadParents: parents };
  }

  async listEntries(incidentId: string) {
    return this.t.entries
      .filter((e) => e.incidentId === incidentId)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || compareNullable(a.ts, b.ts) || a.recorded - b.recorded)
      .map(toEntry);
  }

  async loadRecord(incidentId: string): Promise<IncidentRecord> {
    const [incident, entries, actionItems, report] = await Promise.all([
      this.getIncident(incidentId),
      this.listEntries(incidentId),
      this.rest.actionItems.listActionItems(incidentId),
      this.rest.reports.getReport(incidentId),
    ]);
    return { incident, entries, actionItems, report };
  }
}

const emptyReport = (): ReportRow => ({
  status: "draft",
  sections: {},
  version: 1,
  approvedBy: null,
  approvedVersion: null,
  publishedUrl: null,
  publishedPath: null,
  publishedAt: null,
  publicSummary: null,
  lastReminderAt: null,
});

/** What an observation of its issue does to an item (as PrismaActionItemStore's statusAfter). */
function statusAfter(row: ActionItemRow, observation: IssueObservation): Pick<ActionItem, "status" | "doneAt"> {
  if (observation.state === "closed" && row.status === "open") return { status: "done", doneAt: observation.closedAt ?? observation.observedAt };
  if (observation.state === "open" && row.status === "done" && (row.issueState === "closed" || observation.reopened)) return { status: "open", doneAt: null };
  return { status: row.status, doneAt: row.doneAt };
}

export class MemoryActionItemStore implements ActionItemStore {
  constructor(private readonly t: MemoryTables) {}

  private rows(incidentId?: string) {
    return [...this.t.actionItems.values()].filter((row) => incidentId === undefined || row.incidentId === incidentId);
  }

  private row(actionItemId: string) {
    const row = this.t.actionItems.get(actionItemId);
    if (!row) throw new Error(`No action item ${actionItemId} (Prisma: P2025, record not found)`);
    return row;
  }

  private followUp(row: ActionItemRow): FollowUp {
    return { item: toActionItem(row), incident: toIncident(this.t.incident(row.incidentId)) };
  }

  /** Rows as followUps orders them: oldest first, then by number. */
  private followUps(rows: ActionItemRow[]): FollowUp[] {
    return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number).map((row) => this.followUp(row));
  }

  async addActionItem(incidentId: string, item: NewActionItem) {
    this.t.incident(incidentId);
    const existing = this.rows(incidentId).find((row) => row.sourceKey === item.sourceKey);
    if (existing) return toActionItem(existing);
    const row: ActionItemRow = {
      id: randomUUID(),
      incidentId,
      number: Math.max(0, ...this.rows(incidentId).map((r) => r.number)) + 1,
      sourceKey: item.sourceKey,
      text: item.text,
      ownerId: item.ownerId,
      dueDate: day(item.dueDate),
      status: "open",
      createdBy: item.createdBy,
      createdAt: item.createdAt,
      issueNumber: null,
      issueUrl: null,
      lastError: null,
      doneAt: null,
      issueState: null,
      leaseUntil: null,
      nextAttemptAt: null,
      attempts: 0,
      issueEtag: null,
      issueCheckedAt: null,
      overdueRemindedOn: null,
      incompleteRemindedAt: null,
    };
    this.t.actionItems.set(row.id, copy(row));
    return toActionItem(row);
  }

  async listActionItems(incidentId: string) {
    return this.rows(incidentId).sort((a, b) => a.number - b.number).map(toActionItem);
  }

  async getActionItem(actionItemId: string) {
    const row = this.t.actionItems.get(actionItemId);
    return row ? this.followUp(row) : null;
  }

  async setActionItem(actionItemId: string, patch: { status?: ActionItem["status"]; ownerId?: UserId | null; dueDate?: Date | null }, at: Date) {
    const row = this.row(actionItemId);
    if (patch.status !== undefined) Object.assign(row, { status: patch.status, doneAt: patch.status === "done" ? at : null });
    if (patch.ownerId !== undefined) row.ownerId = patch.ownerId;
    if (patch.dueDate !== undefined) row.dueDate = day(patch.dueDate);
    return toActionItem(row);
  }

  async claimActionItemForIssue(actionItemId: string, { now, until, ignoreBackoff }: LeaseRequest) {
    const row = this.t.actionItems.get(actionItemId);
    const free = (row?.leaseUntil ?? null) === null || row!.leaseUntil!.getTime() < now.getTime();
    const due = ignoreBackoff || (row?.nextAttemptAt ?? null) === null || row!.nextAttemptAt!.getTime() <= now.getTime();
    if (!row || row.issueUrl !== null || row.status !== "open" || !free || !due) return null;
    row.leaseUntil = until;
    row.attempts += 1;
    return { attempts: row.attempts };
  }

  async completeActionItemIssue(actionItemId: string, issue: { number: number; url: string }) {
    Object.assign(this.row(actionItemId), { issueNumber: issue.number, issueUrl: issue.url, leaseUntil: null, nextAttemptAt: null, lastError: null });
  }

  async failActionItemIssue(actionItemId: string, error: string, nextAttemptAt: Date) {
    Object.assign(this.row(actionItemId), { lastError: error.slice(0, 500), leaseUntil: null, nextAttemptAt });
  }

  async listActionItemsNeedingIssues(now: Date, incidents = { public: true, private: true }) {
    const rows = this.rows().filter((row) => {
      const incident = this.t.incident(row.incidentId);
      return (
        row.issueUrl === null &&
        row.status === "open" &&
        incident.status === "resolved" &&
        ((incidents.public && incidents.private) || incident.private === incidents.private) &&
        (row.leaseUntil === null || row.leaseUntil.getTime() < now.getTime()) &&
        (row.nextAttemptAt === null || row.nextAttemptAt.getTime() <= now.getTime())
      );
    });
    return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((row) => this.followUp(row));
  }

  async findActionItemByIssue(repository: string, issueNumber: number) {
    const suffix = `/${repository}/issues/${issueNumber}`.toLowerCase();
    const row = this.rows().find((r) => r.issueNumber === issueNumber && r.issueUrl !== null && r.issueUrl.toLowerCase().endsWith(suffix));
    return row ? this.followUp(row) : null;
  }

  async observeIssue(actionItemId: string, observation: IssueObservation, describe?: (before: ActionItem, after: ActionItem) => NewTypedEntry | null) {
    const row = this.t.actionItems.get(actionItemId);
    if (!row) return null;
    const stale = observation.claimedAt
      ? time(row.issueCheckedAt) !== observation.claimedAt.getTime()
      : row.issueCheckedAt !== null && row.issueCheckedAt.getTime() >= observation.observedAt.getTime();
    if (stale) return null;
    const data = {
      issueState: observation.state,
      issueCheckedAt: observation.claimedAt ?? observation.observedAt,
      ...(observation.etag !== undefined ? { issueEtag: observation.etag } : {}),
      ...statusAfter(row, observation),
    };
    const before = toActionItem(row);
    const after = toActionItem({ ...row, ...data });
    const entry = describe?.(before, after) ?? null;
    Object.assign(row, data);
    if (entry) this.t.insertEntry(typedRow(row.incidentId, entry));
    return { before, after };
  }

  async claimIssueChecks(now: Date, checkedBefore: Date, limit: number) {
    const due = this.rows()
      .filter(
        (row) =>
          row.issueNumber !== null &&
          (row.status === "open" || (row.status === "done" && row.issueState === "closed")) &&
          row.issueState !== "deleted" &&
          (row.issueCheckedAt === null || row.issueCheckedAt.getTime() < checkedBefore.getTime()),
      )
      // ORDER BY "issueCheckedAt" ASC NULLS FIRST: never-checked items first.
      .sort((a, b) => (time(a.issueCheckedAt) ?? -Infinity) - (time(b.issueCheckedAt) ?? -Infinity))
      .slice(0, limit);
    const etags = new Map(due.map((row) => [row.id, row.issueEtag]));
    for (const row of due) row.issueCheckedAt = now;
    return this.followUps(due).map((f) => ({ ...f, etag: etags.get(f.item.id) ?? null }));
  }

  async claimOverdueReminders(today: Date) {
    const todayDay = day(today)!.getTime();
    const due = this.rows().filter(
      (row) =>
        row.status === "open" &&
        row.ownerId !== null &&
        row.dueDate !== null &&
        row.dueDate.getTime() < todayDay &&
        (row.overdueRemindedOn === null || row.overdueRemindedOn.getTime() < todayDay),
    );
    for (const row of due) row.overdueRemindedOn = new Date(todayDay);
    return this.followUps(due);
  }

  async claimIncompleteReminders(now: Date, resolved: { after: Date; before: Date }) {
    const due = this.rows().filter((row) => {
      const incident = this.t.incident(row.incidentId);
      const at = incident.resolvedAt?.getTime();
      return (
        incident.status === "resolved" &&
        at !== undefined &&
        at < resolved.before.getTime() &&
        at > resolved.after.getTime() &&
        row.status === "open" &&
        (row.ownerId === null || row.dueDate === null) &&
        row.incompleteRemindedAt === null
      );
    });
    for (const row of due) row.incompleteRemindedAt = now;
    return this.followUps(due);
  }

  private matching({ ownerId, dueBefore, privateIncidentIds }: FollowUpQuery) {
    return this.rows().filter(
      (row) =>
        row.status === "open" &&
        (!ownerId || row.ownerId === ownerId) &&
        (!dueBefore || (row.dueDate !== null && row.dueDate.getTime() < dueBefore.getTime())) &&
        (!privateIncidentIds || !this.t.incident(row.incidentId).private || privateIncidentIds.includes(row.incidentId)),
    );
  }

  async listFollowUps({ limit, ...query }: FollowUpQuery & { limit: number }) {
    const rows = this.matching(query);
    return { items: this.followUps(rows).slice(0, limit), total: rows.length };
  }

  async privateIncidentsWithFollowUps(query: Omit<FollowUpQuery, "privateIncidentIds">) {
    const ids = new Set(this.matching(query).map((row) => row.incidentId));
    return [...ids]
      .map((id) => this.t.incident(id))
      .filter((incident) => incident.private)
      .sort((a, b) => a.number - b.number)
      .map(toIncident);
  }
}

export class MemoryReportStore implements ReportStore {
  constructor(private readonly t: MemoryTables) {}

  async getReport(incidentId: string) {
    this.t.incident(incidentId);
    if (!this.t.reports.has(incidentId)) this.t.reports.set(incidentId, emptyReport());
    return toReport(this.t.reports.get(incidentId)!);
  }

  async updateReport(incidentId: string, expectedVersion: number, patch: ReportPatch, entry?: NewTypedEntry) {
    const row = this.t.reports.get(incidentId);
    if (!row) throw new Error(`No report for ${incidentId} (Prisma: P2025, record not found)`);
    if (row.version !== expectedVersion) return null;
    const { section, bumpVersion, ...fields } = patch;
    Object.assign(row, copy(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))));
    if (section) row.sections = { ...row.sections, [section.key]: section.markdown };
    if (bumpVersion || section) row.version += 1;
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    return toReport(row);
  }

  async claimReportReminders(now: Date, lateAfterMs: number, everyMs: number) {
    const lateBefore = now.getTime() - lateAfterMs;
    const remindedBefore = now.getTime() - everyMs;
    const claimed = [...this.t.reports.entries()].filter(([incidentId, report]) => {
      const incident = this.t.incident(incidentId);
      return (
        incident.status === "resolved" &&
        report.status !== "published" &&
        incident.resolvedAt !== null &&
        incident.resolvedAt.getTime() < lateBefore &&
        (report.lastReminderAt === null || report.lastReminderAt.getTime() < remindedBefore)
      );
    });
    for (const [, report] of claimed) report.lastReminderAt = now;
    return claimed.map(([incidentId]) => toIncident(this.t.incident(incidentId)));
  }
}

export class MemoryPeopleStore implements PeopleStore {
  constructor(private readonly t: MemoryTables) {}

  async knownNames(userIds: UserId[]) {
    const known = userIds.flatMap((userId) => {
      const row = this.t.profiles.get(userId);
      return row?.namesUpdatedAt ? [[userId, copy({ userId, displayName: row.displayName, realName: row.realName, updatedAt: row.namesUpdatedAt })] as const] : [];
    });
    return Object.fromEntries(known);
  }

  async saveNames(people: PersonNames[], at: Date, options: { onlyKnown?: boolean } = {}) {
    for (const { userId, displayName, realName } of people) {
      let row = this.t.profiles.get(userId);
      if (!row && options.onlyKnown) continue;
      if (!row) {
        row = { githubLogin: null, displayName, realName, namesUpdatedAt: at };
        this.t.profiles.set(userId, row);
      }
      // An older read never replaces a newer one.
      if (row.namesUpdatedAt === null || row.namesUpdatedAt.getTime() <= at.getTime()) Object.assign(row, { displayName, realName, namesUpdatedAt: at });
    }
  }

  async setGithubLogin(userId: UserId, login: string | null) {
    const row = this.t.profiles.get(userId);
    if (row) row.githubLogin = login;
    else this.t.profiles.set(userId, { githubLogin: login, displayName: null, realName: null, namesUpdatedAt: null });
  }

  async githubLogins(userIds: UserId[]) {
    return Object.fromEntries(userIds.flatMap((id) => (this.t.profiles.get(id)?.githubLogin ? [[id, this.t.profiles.get(id)!.githubLogin!]] : [])));
  }
}

export class MemoryRequestLog implements RequestLog {
  constructor(private readonly t: MemoryTables) {}

  async claimRequest(key: string) {
    if (this.t.handled.has(key)) return false;
    this.t.handled.set(key, this.t.now());
    return true;
  }

  async forgetHandledRequests(before: Date) {
    let forgotten = 0;
    for (const [key, at] of this.t.handled) {
      if (at.getTime() < before.getTime()) {
        this.t.handled.delete(key);
        forgotten++;
      }
    }
    return forgotten;
  }
}

export class MemoryUpdateStore implements UpdateStore {
  constructor(private readonly t: MemoryTables) {}

  async addUpdate(incidentId: string, update: NewStakeholderUpdate, entry?: NewTypedEntry) {
    this.t.incident(incidentId);
    const existing = [...this.t.updates.values()].find((u) => u.incidentId === incidentId && u.sourceKey === update.sourceKey);
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    if (existing) return { update: toUpdate(existing), created: false };
    const row: UpdateRow = { ...copy(update), id: randomUUID(), incidentId, slackEscaped: !update.public };
    this.t.updates.set(row.id, row);
    return { update: toUpdate(row), created: true };
  }

  async getUpdate(updateId: string) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    return row ? { update: toUpdate(row), incident: toIncident(this.t.incident(row.incidentId)) } : null;
  }

  async publishUpdate(updateId: string, at: Date, entry: NewTypedEntry) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    if (!row || !row.public || row.publishedAt !== null) return null;
    row.publishedAt = at;
    this.t.insertEntry(typedRow(row.incidentId, entry));
    return toUpdate(row);
  }

  async discardDraft(updateId: string) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    if (!row || !row.public || row.publishedAt !== null) return false;
    return this.t.updates.delete(updateId);
  }

  async listUpdates(incidentId: string, options: { publishedOnly?: boolean } = {}) {
    return [...this.t.updates.values()]
      .filter((u) => u.incidentId === incidentId && (!options.publishedOnly || u.publishedAt !== null))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(toUpdate);
  }

  async claimUpdateReminders(now: Date, quietMs: number) {
    const quietSince = now.getTime() - quietMs;
    const claimed = [...this.t.incidents.values()].filter((incident) => {
      if (incident.status === "resolved" || !["sev1", "sev2"].includes(incident.severity)) return false;
      const published = [...this.t.updates.values()].filter((u) => u.incidentId === incident.id && u.publishedAt).map((u) => u.publishedAt!.getTime());
      const restarted = this.t.entries
        .filter(
          (e) =>
            e.incidentId === incident.id &&
            ((e.kind === "severity" && ["sev1", "sev2"].includes(e.data?.to ?? "") && !["sev1", "sev2"].includes(e.data?.from ?? "")) ||
              (e.kind === "status" && e.data?.from === "resolved")),
        )
        .map((e) => e.occurredAt.getTime());
      // GREATEST ignores NULLs.
      const latest = Math.max(incident.declaredAt.getTime(), time(incident.updateRemindedAt) ?? -Infinity, ...published, ...restarted);
      return latest < quietSince;
    });
    for (const incident of claimed) incident.updateRemindedAt = now;
    return claimed.sort((a, b) => a.number - b.number).map(toIncident);
  }
}

export class MemoryPickedMessageStore implements PickedMessageStore {
  constructor(private readonly t: MemoryTables) {}

  async pickMessage(message: Omit<PickedMessage, "id">) {
    const row = { ...copy(message), id: randomUUID() };
    this.t.picked.set(row.id, row);
    return copy(row);
  }

  async findPickedMessage(id: string) {
    const row = UUID.test(id) ? this.t.picked.get(id) : undefined;
    return row ? copy(row) : null;
  }

  async forgetPickedMessages(before: Date) {
    let forgotten = 0;
    for (const [id, row] of this.t.picked) {
      if (row.pickedAt.getTime() < before.getTime()) {
        this.t.picked.delete(id);
        forgotten++;
      }
    }
    return forgotten;
  }
}

/** The seven stores over one set of tables, as prismaStores builds them over one database. */
export function memoryStores(tables?: MemoryTables, now: () => Date = () => new Date()): Stores & { tables: MemoryTables } {
  tables ??= new MemoryTables(now);
  const actionItems = new MemoryActionItemStore(tables);
  const reports = new MemoryReportStore(tables);
  return {
    tables,
    incidents: new MemoryIncidentStore(tables, { actionItems, reports }),
    actionItems,
    reports,
    people: new MemoryPeopleStore(tables),
    requests: new MemoryRequestLog(tables),
    updates: new MemoryUpdateStore(tables),
    picked: new MemoryPickedMessageStore(tables),
  };
}
