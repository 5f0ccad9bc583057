// The tables behind the in-memory stores (memoryStores.ts): rows as the schema has them, and the
// mapping to the domain's types that the Prisma stores' rows.ts and toX functions do.
import { randomUUID } from "node:crypto";
import type {
  ActionItem,
  AttachedFile,
  EntryKind,
  Incident,
  PickedMessage,
  ReportState,
  Role,
  IncidentUpdate,
  TimelineEntry,
  UserId,
} from "../../../src/incidents/model.js";
import type { CapturedMessage, NewTypedEntry } from "../../../src/incidents/ports/incidentStore.js";
import { messageRow as storedMessageRow, typedRow as storedTypedRow, type NewEntryRow } from "../../../src/store/entryBatcher.js";

export const copy = <T>(value: T): T => structuredClone(value);
export const time = (date: Date | null | undefined) => (date ? date.getTime() : null);
/** PostgreSQL's `date`: the UTC calendar day, as Prisma reads it back. */
export const day = (date: Date | null) => (date ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())) : null);
export const messageKey = (ts: string) => `message:${ts}`;

export interface IncidentRow extends Omit<Incident, "roles" | "announcement"> {
  roles: Partial<Record<Role, { userId: UserId; assignedBy: UserId; assignedAt: Date }>>;
  announcementChannelId: string | null;
  announcementTs: string | null;
  statuspageIncidentId: string | null;
  updateRemindedAt: Date | null;
  publicTitleSlackEscaped: boolean;
}

export interface EntryRow {
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

export interface ActionItemRow extends ActionItem {
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

export interface ReportRow extends ReportState {
  publicSummary: string | null;
  lastReminderAt: Date | null;
}

export interface UpdateRow extends IncidentUpdate {
  sourceKey: string;
  slackEscaped: boolean;
}

export interface ProfileRow {
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
  insertEntry(
    row: Omit<EntryRow, "id" | "recorded" | "revisions" | "pinnedBy" | "excludedBy" | "slackPinned" | "deleted" | "deletedAt">,
  ): boolean {
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

/**
 * The rows the Prisma store writes for an entry: the batcher's own mapping (src/store/entryBatcher.ts),
 * so a default there (a typed entry is a highlight unless it says not) is the same here, typed as
 * this table holds it.
 */
const asTableRow = (row: NewEntryRow) => ({ ...row, files: row.files as AttachedFile[], data: row.data as TimelineEntry["data"] });
export const typedRow = (incidentId: string, entry: NewTypedEntry) => asTableRow(storedTypedRow(incidentId, entry));
export const messageRow = (incidentId: string, m: CapturedMessage) => asTableRow(storedMessageRow(incidentId, messageKey(m.ts), m));

export function toIncident(row: IncidentRow): Incident {
  const { roles, announcementChannelId, announcementTs, statuspageIncidentId, updateRemindedAt, publicTitleSlackEscaped, ...incident } =
    row;
  // Columns the domain type has no field for.
  void statuspageIncidentId;
  void updateRemindedAt;
  void publicTitleSlackEscaped;
  return copy({
    ...incident,
    roles: Object.fromEntries(Object.entries(roles).map(([role, holder]) => [role, holder.userId])),
    announcement: announcementChannelId && announcementTs ? { channelId: announcementChannelId, ts: announcementTs } : null,
  });
}

export function toEntry(row: EntryRow): TimelineEntry {
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
    revisions: row.revisions
      .map((r) => ({ text: r.text, replacedAt: r.replacedAt }))
      .sort((a, b) => a.replacedAt.getTime() - b.replacedAt.getTime()),
  });
}

export function toActionItem(row: ActionItemRow): ActionItem {
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

export function toReport(row: ReportRow): ReportState {
  const { publicSummary, lastReminderAt, ...report } = row;
  void publicSummary;
  void lastReminderAt;
  return copy(report);
}

export function toUpdate(row: UpdateRow): IncidentUpdate {
  const { sourceKey, slackEscaped, ...update } = row;
  void sourceKey;
  void slackEscaped;
  return copy(update);
}

/** PostgreSQL sorts NULL after every value in ascending order. */
export const compareNullable = (a: string | number | null, b: string | number | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const emptyReport = (): ReportRow => ({
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
