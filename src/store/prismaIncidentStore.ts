// The Prisma implementation of the domain's IncidentStore. Every write is keyed so that a repeat
// (Slack redelivering an event, a retried command, a second replica) changes nothing: messages on
// (incident, `message:<ts>`), commands on their trigger id, edits on Slack's edit ts.
import { randomUUID } from "node:crypto";
import type { IncidentPatch, IncidentStore, NewActionItem, NewTypedEntry, CapturedMessage, PersonNames, IssueObservation, FollowUp } from "../incidents/ports.js";
import type {
  ActionItem,
  AttachedFile,
  EntryKind,
  Incident,
  IssueState,
  IncidentRecord,
  ReportState,
  Role,
  TimelineEntry,
  UserId,
} from "../incidents/model.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { slackTsToDate } from "../incidents/slackTime.js";
import type { Database } from "./database.js";
import { EntryBatcher, messageRow, typedRow } from "./entryBatcher.js";

export const incidentInclude = { roles: true } as const;
type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;
type EntryRow = Prisma.TimelineEntryGetPayload<{ include: { revisions: true } }>;
type ActionItemRow = Prisma.ActionItemGetPayload<object>;
type ReportRow = Prisma.ReportGetPayload<object>;

export const messageKey = (ts: string) => `message:${ts}`;

export function toIncident(row: IncidentRow): Incident {
  const roles: Incident["roles"] = {};
  for (const r of row.roles) roles[r.role as Role] = r.userId;
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    channelId: row.channelId,
    channelName: row.channelName,
    status: row.status,
    severity: row.severity,
    summary: row.summary,
    resolution: row.resolution,
    declaredBy: row.declaredBy,
    declaredAt: row.declaredAt,
    detectedAt: row.detectedAt,
    impactStartedAt: row.impactStartedAt,
    impactEndedAt: row.impactEndedAt,
    resolvedAt: row.resolvedAt,
    headerTs: row.headerTs,
    roles,
    publicTitle: row.publicTitle,
  };
}

function toEntry(row: EntryRow): TimelineEntry {
  return {
    id: row.id,
    kind: row.kind as EntryKind,
    occurredAt: row.occurredAt,
    ts: row.ts,
    threadTs: row.threadTs,
    authorId: row.authorId,
    text: row.text,
    files: row.files as unknown as AttachedFile[],
    data: row.data as TimelineEntry["data"],
    highlight: row.highlight || row.pinnedBy.length > 0,
    excluded: row.excludedBy.length > 0,
    deleted: row.deleted,
    editedAt: row.editedAt,
    revisions: row.revisions
      .map((r) => ({ text: r.text, replacedAt: r.replacedAt }))
      .sort((a, b) => a.replacedAt.getTime() - b.replacedAt.getTime()),
  };
}

function toActionItem(row: ActionItemRow): ActionItem {
  return {
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
    issueState: row.issueState as IssueState | null,
  };
}

/** What an observation of its issue does to an item: closing finishes open work; reopening undoes only what closing did (or a reopen event says so). */
function statusAfter(row: ActionItemRow, observation: IssueObservation): { status: ActionItemRow["status"]; doneAt: Date | null } {
  if (observation.state === "closed" && row.status === "open") return { status: "done", doneAt: observation.closedAt ?? observation.observedAt };
  if (observation.state === "open" && row.status === "done" && (row.issueState === "closed" || observation.reopened)) return { status: "open", doneAt: null };
  return { status: row.status, doneAt: row.doneAt };
}

/** A calendar day as PostgreSQL's `date` literal (no session time zone involved). */
const dayLiteral = (day: Date) => day.toISOString().slice(0, 10);

function toReport(row: ReportRow): ReportState {
  return {
    status: row.status,
    sections: row.sections as ReportState["sections"],
    version: row.version,
    approvedBy: row.approvedBy,
    approvedVersion: row.approvedVersion,
    publishedUrl: row.publishedUrl,
    publishedPath: row.publishedPath,
    publishedAt: row.publishedAt,
  };
}

/** The same row the batcher writes, for the writes that must share a transaction with another. */
export function typedEntryData(incidentId: string, entry: NewTypedEntry): Prisma.TimelineEntryCreateManyInput {
  const { data, files, ...row } = typedRow(incidentId, entry);
  return { ...row, files: files as Prisma.InputJsonValue, data: data === null ? Prisma.DbNull : (data as Prisma.InputJsonValue) };
}

export class PrismaIncidentStore implements IncidentStore {
  private readonly entries: EntryBatcher;

  private readonly prisma: PrismaClient;

  private readonly sql: Database["sql"];

  constructor(database: Pick<Database, "prisma" | "sql">) {
    this.prisma = database.prisma;
    this.sql = database.sql;
    this.entries = new EntryBatcher(database.sql);
  }

  async claimRequest(key: string) {
    // Every command pays this once: sent to the driver, as the entry batcher's INSERT is, because
    // Prisma's per-query work here cost more than the rest of an `/incident log` (bench profile).
    const { rows } = await this.sql.query<{ key: string }>(`INSERT INTO "HandledRequest" ("key") VALUES ($1) ON CONFLICT DO NOTHING RETURNING "key"`, [key]);
    return rows.length === 1;
  }

  async forgetHandledRequests(before: Date) {
    return (await this.prisma.handledRequest.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }

  async createIncident(input: Parameters<IncidentStore["createIncident"]>[0], declared: NewTypedEntry): Promise<Incident> {
    const id = randomUUID();
    const [row] = await this.prisma.$transaction([
      this.prisma.incident.create({
        data: {
          id,
          ...input,
          roles: { create: { role: "commander", userId: input.declaredBy, assignedBy: input.declaredBy, assignedAt: input.declaredAt } },
          report: { create: {} },
        },
        include: incidentInclude,
      }),
      this.prisma.timelineEntry.createMany({ data: [typedEntryData(id, declared)], skipDuplicates: true }),
    ]);
    return toIncident(row);
  }

  async findIncidentByChannel(channelId: string) {
    const row = await this.prisma.incident.findUnique({ where: { channelId }, include: incidentInclude });
    return row && toIncident(row);
  }

  async findIncidentByNumber(number: number) {
    const row = await this.prisma.incident.findUnique({ where: { number }, include: incidentInclude });
    return row && toIncident(row);
  }

  async channelNames(channelIds: string[]) {
    if (channelIds.length === 0) return {};
    const rows = await this.prisma.incident.findMany({ where: { channelId: { in: channelIds } }, select: { channelId: true, channelName: true } });
    return Object.fromEntries(rows.map((row) => [row.channelId, row.channelName]));
  }

  async getIncident(incidentId: string) {
    return toIncident(await this.prisma.incident.findUniqueOrThrow({ where: { id: incidentId }, include: incidentInclude }));
  }

  async listIncidents(filter: { open?: boolean } = {}) {
    const rows = await this.prisma.incident.findMany({
      where: filter.open === undefined ? {} : filter.open ? { status: { not: "resolved" } } : { status: "resolved" },
      include: incidentInclude,
      orderBy: { number: "asc" },
    });
    return rows.map(toIncident);
  }

  async changeIncident(incidentId: string, patch: IncidentPatch, entry?: NewTypedEntry) {
    const [row] = await this.prisma.$transaction([
      this.prisma.incident.update({ where: { id: incidentId }, data: patch, include: incidentInclude }),
      ...(entry ? [this.prisma.timelineEntry.createMany({ data: [typedEntryData(incidentId, entry)], skipDuplicates: true })] : []),
    ]);
    return toIncident(row);
  }

  async assignRole(incidentId: string, role: Role, userId: UserId, assignedBy: UserId, entry: NewTypedEntry) {
    const at = entry.occurredAt;
    await this.prisma.$transaction([
      this.prisma.roleAssignment.upsert({
        where: { incidentId_role: { incidentId, role } },
        create: { incidentId, role, userId, assignedBy, assignedAt: at },
        update: { userId, assignedBy, assignedAt: at },
      }),
      this.prisma.timelineEntry.createMany({ data: [typedEntryData(incidentId, entry)], skipDuplicates: true }),
    ]);
    return this.getIncident(incidentId);
  }

  async addEntry(incidentId: string, entry: NewTypedEntry) {
    await this.entries.insert(typedRow(incidentId, entry));
  }

  recordMessage(incidentId: string, message: CapturedMessage) {
    return this.entries.insert(messageRow(incidentId, messageKey(message.ts), message));
  }

  async recordEdit(incidentId: string, message: CapturedMessage & { editedTs: string }, previousText: string | null) {
    const editedAt = slackTsToDate(message.editedTs);
    const key = messageKey(message.ts);
    await this.entries.insert(messageRow(incidentId, key, message)); // the edit may arrive before the original
    const entry = await this.prisma.timelineEntry.findUniqueOrThrow({ where: { incidentId_sourceKey: { incidentId, sourceKey: key } } });
    if (entry.text === message.text && previousText === null) return; // the entry was just created from this edit
    const revisionText = previousText ?? entry.text;
    await this.prisma.$transaction([
      this.prisma.timelineRevision.createMany({ data: [{ entryId: entry.id, editTs: message.editedTs, text: revisionText, replacedAt: editedAt }], skipDuplicates: true }),
      // Only a newer edit replaces the text, so edits redelivered out of order cannot roll it back.
      this.prisma.timelineEntry.updateMany({
        where: { id: entry.id, OR: [{ editedAt: null }, { editedAt: { lt: editedAt } }] },
        data: { text: message.text, files: message.files as unknown as Prisma.InputJsonValue, editedAt },
      }),
    ]);
  }

  async recordDeletion(incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null) {
    if (previous) await this.entries.insert(messageRow(incidentId, messageKey(ts), previous)); // deleted before we saw it
    await this.prisma.timelineEntry.updateMany({
      where: { incidentId, sourceKey: messageKey(ts), deleted: false },
      data: { deleted: true, deletedAt },
    });
  }

  async setPin(incidentId: string, ts: string, userId: UserId, pinned: boolean) {
    const sourceKey = messageKey(ts);
    // Array updates in SQL so two reactions arriving at once (or twice) cannot lose each other.
    if (pinned) {
      await this.prisma.$executeRaw`UPDATE "TimelineEntry" SET "pinnedBy" = array_append("pinnedBy", ${userId})
        WHERE "incidentId" = ${incidentId}::uuid AND "sourceKey" = ${sourceKey} AND NOT (${userId} = ANY("pinnedBy"))`;
    } else {
      await this.prisma.$executeRaw`UPDATE "TimelineEntry" SET "pinnedBy" = array_remove("pinnedBy", ${userId})
        WHERE "incidentId" = ${incidentId}::uuid AND "sourceKey" = ${sourceKey}`;
    }
  }

  async setExcluded(incidentId: string, ts: string, userId: UserId, excluded: boolean) {
    const sourceKey = messageKey(ts);
    // As setPin: array updates in SQL, so reactions arriving together or twice are all kept.
    if (excluded) {
      await this.prisma.$executeRaw`UPDATE "TimelineEntry" SET "excludedBy" = array_append("excludedBy", ${userId})
        WHERE "incidentId" = ${incidentId}::uuid AND "sourceKey" = ${sourceKey} AND NOT (${userId} = ANY("excludedBy"))`;
    } else {
      await this.prisma.$executeRaw`UPDATE "TimelineEntry" SET "excludedBy" = array_remove("excludedBy", ${userId})
        WHERE "incidentId" = ${incidentId}::uuid AND "sourceKey" = ${sourceKey}`;
    }
  }

  async captureCursor(incidentId: string) {
    const latest = await this.prisma.timelineEntry.findFirst({
      where: { incidentId, kind: "message" },
      orderBy: { ts: "desc" },
      select: { ts: true },
    });
    const parents = await this.prisma.timelineEntry.findMany({
      where: { incidentId, kind: "message", threadTs: { not: null } },
      distinct: ["threadTs"],
      select: { threadTs: true },
    });
    return { latestTs: latest?.ts ?? null, threadParents: parents.map((p) => p.threadTs as string) };
  }

  async listEntries(incidentId: string) {
    const rows = await this.prisma.timelineEntry.findMany({
      where: { incidentId },
      include: { revisions: true },
      orderBy: [{ occurredAt: "asc" }, { ts: "asc" }, { recordedAt: "asc" }],
    });
    return rows.map(toEntry);
  }

  async loadRecord(incidentId: string): Promise<IncidentRecord> {
    const [incident, entries, actionItems, report] = await Promise.all([
      this.getIncident(incidentId),
      this.listEntries(incidentId),
      this.listActionItems(incidentId),
      this.getReport(incidentId),
    ]);
    return { incident, entries, actionItems, report };
  }

  async addActionItem(incidentId: string, item: NewActionItem) {
    // Numbers are per incident; a concurrent insert taking the same number is retried.
    for (let attempt = 0; ; attempt++) {
      const existing = await this.prisma.actionItem.findUnique({ where: { incidentId_sourceKey: { incidentId, sourceKey: item.sourceKey } } });
      if (existing) return toActionItem(existing);
      const last = await this.prisma.actionItem.findFirst({ where: { incidentId }, orderBy: { number: "desc" }, select: { number: true } });
      try {
        return toActionItem(await this.prisma.actionItem.create({ data: { incidentId, number: (last?.number ?? 0) + 1, ...item } }));
      } catch (error) {
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") || attempt >= 5) throw error;
      }
    }
  }

  async listActionItems(incidentId: string) {
    const rows = await this.prisma.actionItem.findMany({ where: { incidentId }, orderBy: { number: "asc" } });
    return rows.map(toActionItem);
  }

  async getActionItem(actionItemId: string) {
    const row = await this.prisma.actionItem.findUnique({ where: { id: actionItemId }, include: { incident: { include: incidentInclude } } });
    return row && { item: toActionItem(row), incident: toIncident(row.incident) };
  }

  async setActionItem(actionItemId: string, patch: { status?: ActionItem["status"]; ownerId?: UserId | null }) {
    // doneAt follows the status: follow-up lists and reminders read it, not the timeline.
    const doneAt = patch.status === undefined ? {} : { doneAt: patch.status === "done" ? new Date() : null };
    return toActionItem(await this.prisma.actionItem.update({ where: { id: actionItemId }, data: { ...patch, ...doneAt } }));
  }

  async claimActionItemForIssue(actionItemId: string, { now, until, ignoreBackoff }: { now: Date; until: Date; ignoreBackoff: boolean }) {
    // One conditional UPDATE: of several workers (or replicas) only one sees count 1.
    const { count } = await this.prisma.actionItem.updateMany({
      where: {
        id: actionItemId,
        issueUrl: null,
        status: "open",
        AND: [
          { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
          ...(ignoreBackoff ? [] : [{ OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }]),
        ],
      },
      data: { leaseUntil: until, attempts: { increment: 1 } },
    });
    if (count !== 1) return null;
    const row = await this.prisma.actionItem.findUniqueOrThrow({ where: { id: actionItemId } });
    return { ...toActionItem(row), attempts: row.attempts };
  }

  async completeActionItemIssue(actionItemId: string, issue: { number: number; url: string }) {
    await this.prisma.actionItem.update({
      where: { id: actionItemId },
      data: { issueNumber: issue.number, issueUrl: issue.url, leaseUntil: null, nextAttemptAt: null, lastError: null },
    });
  }

  async failActionItemIssue(actionItemId: string, error: string, nextAttemptAt: Date) {
    await this.prisma.actionItem.update({ where: { id: actionItemId }, data: { lastError: error.slice(0, 500), leaseUntil: null, nextAttemptAt } });
  }

  async listActionItemsNeedingIssues(now: Date) {
    const rows = await this.prisma.actionItem.findMany({
      where: {
        issueUrl: null,
        status: "open",
        incident: { status: "resolved" },
        AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }, { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }],
      },
      include: { incident: { include: incidentInclude } },
      orderBy: [{ createdAt: "asc" }],
    });
    return rows.map((row) => ({ item: toActionItem(row), incident: toIncident(row.incident) }));
  }

  async findActionItemByIssue(repository: string, issueNumber: number) {
    // The issue's URL names its repository (github.com or an Enterprise Server host alike).
    const row = await this.prisma.actionItem.findFirst({
      where: { issueNumber, issueUrl: { endsWith: `/${repository}/issues/${issueNumber}`, mode: "insensitive" } },
      include: { incident: { include: incidentInclude } },
    });
    return row && { item: toActionItem(row), incident: toIncident(row.incident) };
  }

  async observeIssue(actionItemId: string, observation: IssueObservation, describe?: (before: ActionItem, after: ActionItem) => NewTypedEntry | null) {
    // Optimistic: read, decide, then one UPDATE guarded by what was read. Losing to a concurrent
    // observation means reading again; an observation older than the stored one does nothing.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.prisma.actionItem.findUnique({ where: { id: actionItemId }, include: { incident: true } });
      if (!row) return null;
      const stale = observation.claimedAt
        ? row.issueCheckedAt?.getTime() !== observation.claimedAt.getTime()
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
      const [{ count }] = await this.prisma.$transaction([
        this.prisma.actionItem.updateMany({ where: { id: actionItemId, status: row.status, issueState: row.issueState, issueCheckedAt: row.issueCheckedAt }, data }),
        ...(entry ? [this.prisma.timelineEntry.createMany({ data: [typedEntryData(row.incidentId, entry)], skipDuplicates: true })] : []),
      ]);
      if (count === 1) return { before, after };
      if (entry) await this.prisma.timelineEntry.deleteMany({ where: { incidentId: row.incidentId, sourceKey: entry.sourceKey } });
    }
    return null;
  }

  private async followUps(ids: string[]): Promise<FollowUp[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.actionItem.findMany({
      where: { id: { in: ids } },
      include: { incident: { include: incidentInclude } },
      orderBy: [{ createdAt: "asc" }, { number: "asc" }],
    });
    return rows.map((row) => ({ item: toActionItem(row), incident: toIncident(row.incident) }));
  }

  async claimIssueChecks(now: Date, checkedBefore: Date, limit: number) {
    // One UPDATE ... RETURNING over rows locked with SKIP LOCKED: replicas running this at the same
    // moment take different items, and an item checked by one is not due for the others.
    const claimed = await this.prisma.$queryRaw<{ id: string; issueEtag: string | null }[]>`
      UPDATE "ActionItem" a SET "issueCheckedAt" = ${now}
      WHERE a.id IN (
        SELECT id FROM "ActionItem"
        WHERE "issueNumber" IS NOT NULL
          AND (status = 'open' OR (status = 'done' AND "issueState" = 'closed'))
          AND ("issueState" IS NULL OR "issueState" <> 'deleted')
          AND ("issueCheckedAt" IS NULL OR "issueCheckedAt" < ${checkedBefore})
        ORDER BY "issueCheckedAt" ASC NULLS FIRST
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      AND (a."issueCheckedAt" IS NULL OR a."issueCheckedAt" < ${checkedBefore})
      RETURNING a.id, a."issueEtag"`;
    const etags = new Map(claimed.map((c) => [c.id, c.issueEtag]));
    return (await this.followUps(claimed.map((c) => c.id))).map((f) => ({ ...f, etag: etags.get(f.item.id) ?? null }));
  }

  async claimOverdueReminders(today: Date) {
    const day = dayLiteral(today);
    const claimed = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "ActionItem" SET "overdueRemindedOn" = ${day}::date
      WHERE status = 'open' AND "ownerId" IS NOT NULL AND "dueDate" < ${day}::date
        AND ("overdueRemindedOn" IS NULL OR "overdueRemindedOn" < ${day}::date)
      RETURNING id`;
    return this.followUps(claimed.map((c) => c.id));
  }

  async claimIncompleteReminders(now: Date, resolved: { after: Date; before: Date }) {
    const claimed = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "ActionItem" a SET "incompleteRemindedAt" = ${now}
      FROM "Incident" i
      WHERE a."incidentId" = i.id AND i.status = 'resolved' AND i."resolvedAt" < ${resolved.before} AND i."resolvedAt" > ${resolved.after}
        AND a.status = 'open' AND (a."ownerId" IS NULL OR a."dueDate" IS NULL) AND a."incompleteRemindedAt" IS NULL
      RETURNING a.id`;
    return this.followUps(claimed.map((c) => c.id));
  }

  async listFollowUps({ ownerId, dueBefore, limit }: { ownerId?: UserId; dueBefore?: Date; limit: number }) {
    const where: Prisma.ActionItemWhereInput = { status: "open", ...(ownerId ? { ownerId } : {}), ...(dueBefore ? { dueDate: { lt: dueBefore } } : {}) };
    const [rows, total] = await this.prisma.$transaction([
      this.prisma.actionItem.findMany({ where, include: { incident: { include: incidentInclude } }, orderBy: [{ createdAt: "asc" }, { number: "asc" }], take: limit }),
      this.prisma.actionItem.count({ where }),
    ]);
    return { items: rows.map((row) => ({ item: toActionItem(row), incident: toIncident(row.incident) })), total };
  }

  async setGithubLogin(userId: UserId, login: string | null) {
    await this.prisma.userProfile.upsert({ where: { slackUserId: userId }, create: { slackUserId: userId, githubLogin: login }, update: { githubLogin: login } });
  }

  async knownNames(userIds: UserId[]) {
    if (userIds.length === 0) return {};
    const rows = await this.prisma.userProfile.findMany({ where: { slackUserId: { in: userIds }, namesUpdatedAt: { not: null } } });
    return Object.fromEntries(
      rows.map((row) => [row.slackUserId, { userId: row.slackUserId, displayName: row.displayName, realName: row.realName, updatedAt: row.namesUpdatedAt as Date }]),
    );
  }

  async saveNames(people: PersonNames[], at: Date, options: { onlyKnown?: boolean } = {}) {
    for (const { userId, displayName, realName } of people) {
      const names = { displayName, realName, namesUpdatedAt: at };
      // An older read (a slow users.info racing a user_change) never replaces a newer one.
      const newer = { slackUserId: userId, OR: [{ namesUpdatedAt: null }, { namesUpdatedAt: { lte: at } }] };
      if (options.onlyKnown) {
        await this.prisma.userProfile.updateMany({ where: newer, data: names });
      } else {
        await this.prisma.userProfile.createMany({ data: [{ slackUserId: userId, ...names }], skipDuplicates: true });
        await this.prisma.userProfile.updateMany({ where: newer, data: names });
      }
    }
  }

  async githubLogins(userIds: UserId[]) {
    const rows = await this.prisma.userProfile.findMany({ where: { slackUserId: { in: userIds }, githubLogin: { not: null } } });
    return Object.fromEntries(rows.map((r) => [r.slackUserId, r.githubLogin as string]));
  }

  async getReport(incidentId: string) {
    const row = await this.prisma.report.upsert({ where: { incidentId }, create: { incidentId }, update: {} });
    return toReport(row);
  }

  async updateReport(
    incidentId: string,
    expectedVersion: number,
    patch: Parameters<IncidentStore["updateReport"]>[2],
    entry?: NewTypedEntry,
  ) {
    const current = await this.prisma.report.findUniqueOrThrow({ where: { incidentId } });
    if (current.version !== expectedVersion) return null;
    const sections = patch.section
      ? { ...(current.sections as Record<string, string>), [patch.section.key]: patch.section.markdown }
      : undefined;
    const data: Prisma.ReportUpdateManyMutationInput = {
      status: patch.status,
      sections,
      approvedBy: patch.approvedBy,
      approvedVersion: patch.approvedVersion,
      publishedUrl: patch.publishedUrl,
      publishedPath: patch.publishedPath,
      publishedAt: patch.publishedAt,
      publicSummary: patch.publicSummary,
      version: patch.bumpVersion || patch.section ? { increment: 1 } : undefined,
    };
    const [{ count }] = await this.prisma.$transaction([
      this.prisma.report.updateMany({ where: { incidentId, version: expectedVersion }, data }),
      ...(entry ? [this.prisma.timelineEntry.createMany({ data: [typedEntryData(incidentId, entry)], skipDuplicates: true })] : []),
    ]);
    if (count !== 1) {
      // Lost the race: take back the entry written for a change that did not happen.
      if (entry) await this.prisma.timelineEntry.deleteMany({ where: { incidentId, sourceKey: entry.sourceKey } });
      return null;
    }
    return this.getReport(incidentId);
  }

  async claimReportReminders(now: Date, lateAfterMs: number, everyMs: number) {
    const lateBefore = new Date(now.getTime() - lateAfterMs);
    const remindedBefore = new Date(now.getTime() - everyMs);
    // One UPDATE ... RETURNING: of several replicas running this at once, exactly one gets each row.
    const claimed = await this.prisma.$queryRaw<{ incidentId: string }[]>`
      UPDATE "Report" r SET "lastReminderAt" = ${now}
      FROM "Incident" i
      WHERE r."incidentId" = i.id AND i.status = 'resolved' AND r.status <> 'published'
        AND i."resolvedAt" < ${lateBefore}
        AND (r."lastReminderAt" IS NULL OR r."lastReminderAt" < ${remindedBefore})
      RETURNING r."incidentId"`;
    return Promise.all(claimed.map((c) => this.getIncident(c.incidentId)));
  }
}
