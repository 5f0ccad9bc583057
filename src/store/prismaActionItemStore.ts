// The Prisma implementation of the domain's ActionItemStore: action items, the exactly-once
// creation of their GitHub issues (a lease per item), what was seen of those issues, and the
// reminders. Claims are one conditional UPDATE each, so several replicas share the work.
import type { LeaseRequest } from "../incidents/delivery.js";
import { isStaleObservation, statusAfterObservation } from "../incidents/issueObservation.js";
import type { ActionItemStore, FollowUp, FollowUpQuery, NewActionItem } from "../incidents/ports/actionItemStore.js";
import type { IssueObservation } from "../incidents/ports/issueTracker.js";
import type { NewTypedEntry } from "../incidents/ports/incidentStore.js";
import type { ActionItem, IssueState, UserId } from "../incidents/model.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../database/database.js";
import { incidentInclude, toIncident, typedEntryData } from "./rows.js";

type ActionItemRow = Prisma.ActionItemGetPayload<object>;

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

/** A calendar day as PostgreSQL's `date` literal (no session time zone involved). */
const dayLiteral = (day: Date) => day.toISOString().slice(0, 10);

export class PrismaActionItemStore implements ActionItemStore {
  private readonly prisma: PrismaClient;

  constructor(database: Pick<Database, "prisma">) {
    this.prisma = database.prisma;
  }

  async addActionItem(incidentId: string, item: NewActionItem) {
    // Numbers are per incident; a concurrent insert taking the same number is retried.
    for (let attempt = 0; ; attempt++) {
      const existing = await this.prisma.actionItem.findUnique({
        where: { incidentId_sourceKey: { incidentId, sourceKey: item.sourceKey } },
      });
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
    const row = await this.prisma.actionItem.findUnique({
      where: { id: actionItemId },
      include: { incident: { include: incidentInclude } },
    });
    return row && { item: toActionItem(row), incident: toIncident(row.incident) };
  }

  async setActionItem(
    actionItemId: string,
    patch: { status?: ActionItem["status"]; ownerId?: UserId | null; dueDate?: Date | null },
    at: Date,
  ) {
    // doneAt follows the status: follow-up lists and reminders read it, not the timeline.
    const doneAt = patch.status === undefined ? {} : { doneAt: patch.status === "done" ? at : null };
    return toActionItem(await this.prisma.actionItem.update({ where: { id: actionItemId }, data: { ...patch, ...doneAt } }));
  }

  async claimActionItemForIssue(actionItemId: string, { now, until, ignoreBackoff }: LeaseRequest) {
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
    return this.prisma.actionItem.findUniqueOrThrow({ where: { id: actionItemId }, select: { attempts: true } });
  }

  async completeActionItemIssue(actionItemId: string, issue: { number: number; url: string }) {
    await this.prisma.actionItem.update({
      where: { id: actionItemId },
      data: { issueNumber: issue.number, issueUrl: issue.url, leaseUntil: null, nextAttemptAt: null, lastError: null },
    });
  }

  async failActionItemIssue(actionItemId: string, error: string, nextAttemptAt: Date) {
    await this.prisma.actionItem.update({
      where: { id: actionItemId },
      data: { lastError: error.slice(0, 500), leaseUntil: null, nextAttemptAt },
    });
  }

  async listActionItemsNeedingIssues(now: Date, incidents = { public: true, private: true }) {
    // Only incidents whose issues have somewhere to go: a private incident's never go to the public tracker.
    const which = incidents.public && incidents.private ? {} : { private: incidents.private };
    const rows = await this.prisma.actionItem.findMany({
      where: {
        issueUrl: null,
        status: "open",
        incident: { status: "resolved", ...which },
        AND: [
          { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
          { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
        ],
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

  async observeIssue(
    actionItemId: string,
    observation: IssueObservation,
    describe?: (before: ActionItem, after: ActionItem) => NewTypedEntry | null,
  ) {
    // Optimistic: read, decide, then one UPDATE guarded by what was read. Losing to a concurrent
    // observation means reading again; an observation older than the stored one does nothing.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await this.prisma.actionItem.findUnique({ where: { id: actionItemId }, include: { incident: true } });
      if (!row) return null;
      if (isStaleObservation(row.issueCheckedAt, observation)) return null;
      const data = {
        issueState: observation.state,
        issueCheckedAt: observation.claimedAt ?? observation.observedAt,
        ...(observation.etag !== undefined ? { issueEtag: observation.etag } : {}),
        ...statusAfterObservation({ ...row, issueState: row.issueState as IssueState | null }, observation),
      };
      const before = toActionItem(row);
      const after = toActionItem({ ...row, ...data });
      const entry = describe?.(before, after) ?? null;
      const [{ count }] = await this.prisma.$transaction([
        this.prisma.actionItem.updateMany({
          where: { id: actionItemId, status: row.status, issueState: row.issueState, issueCheckedAt: row.issueCheckedAt },
          data,
        }),
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

  async listFollowUps({ limit, ...query }: FollowUpQuery & { limit: number }) {
    const where = followUpsWhere(query);
    const [rows, total] = await this.prisma.$transaction([
      this.prisma.actionItem.findMany({
        where,
        include: { incident: { include: incidentInclude } },
        orderBy: [{ createdAt: "asc" }, { number: "asc" }],
        take: limit,
      }),
      this.prisma.actionItem.count({ where }),
    ]);
    return { items: rows.map((row) => ({ item: toActionItem(row), incident: toIncident(row.incident) })), total };
  }

  async privateIncidentsWithFollowUps(query: Omit<FollowUpQuery, "privateIncidentIds">) {
    const rows = await this.prisma.incident.findMany({
      where: { private: true, actionItems: { some: followUpsWhere(query) } },
      include: incidentInclude,
      orderBy: { number: "asc" },
    });
    return rows.map(toIncident);
  }
}

/** Open items, by owner and due date; private incidents' only of those listed, when a list is given. */
function followUpsWhere({ ownerId, dueBefore, privateIncidentIds }: FollowUpQuery): Prisma.ActionItemWhereInput {
  return {
    status: "open",
    ...(ownerId ? { ownerId } : {}),
    ...(dueBefore ? { dueDate: { lt: dueBefore } } : {}),
    ...(privateIncidentIds ? { OR: [{ incident: { private: false } }, { incidentId: { in: privateIncidentIds } }] } : {}),
  };
}
