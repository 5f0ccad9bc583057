// The Prisma implementation of the domain's IncidentStore: incidents and their timeline. Every
// write is keyed so that a repeat (Slack redelivering an event, a retried command, a second
// replica) changes nothing: messages on (incident, `message:<ts>`), commands on their trigger id,
// edits on Slack's edit ts.
import { randomUUID } from "node:crypto";
import type { ActionItemStore } from "../incidents/ports/actionItemStore.js";
import type { CapturedMessage, IncidentPatch, IncidentStore, NewTypedEntry } from "../incidents/ports/incidentStore.js";
import type { ReportStore } from "../incidents/ports/reportStore.js";
import type { AttachedFile, EntryKind, Incident, IncidentRecord, Role, TimelineEntry, UserId } from "../incidents/model.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { slackTsToDate } from "../incidents/slackTime.js";
import type { Database } from "../database/database.js";
import { EntryBatcher, messageRow, PGLITE_BATCHING, POSTGRES_BATCHING, typedRow } from "./entryBatcher.js";
import { incidentInclude, toIncident, typedEntryData } from "./rows.js";

type EntryRow = Prisma.TimelineEntryGetPayload<{ include: { revisions: true } }>;

export const messageKey = (ts: string) => `message:${ts}`;

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
    highlight: row.highlight || row.pinnedBy.length > 0 || row.slackPinned,
    excluded: row.excludedBy.length > 0,
    deleted: row.deleted,
    editedAt: row.editedAt,
    revisions: row.revisions
      .map((r) => ({ text: r.text, replacedAt: r.replacedAt }))
      .sort((a, b) => a.replacedAt.getTime() - b.replacedAt.getTime()),
  };
}

/**
 * What a record holds beyond the incident and its timeline, read from the stores that own it:
 * loadRecord asks for all four parts at once, so it costs one round of queries as before.
 */
export interface RestOfRecord {
  actionItems: Pick<ActionItemStore, "listActionItems">;
  reports: Pick<ReportStore, "getReport">;
}

export class PrismaIncidentStore implements IncidentStore {
  private readonly entries: EntryBatcher;

  private readonly prisma: PrismaClient;

  private readonly rest: RestOfRecord;

  constructor(database: Pick<Database, "prisma" | "sql"> & Partial<Pick<Database, "kind">>, rest: RestOfRecord) {
    this.prisma = database.prisma;
    this.entries = new EntryBatcher(database.sql, database.kind === "postgres" ? POSTGRES_BATCHING : PGLITE_BATCHING);
    this.rest = rest;
  }

  async createIncident(input: Parameters<IncidentStore["createIncident"]>[0], entries: NewTypedEntry[]): Promise<Incident> {
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
      this.prisma.timelineEntry.createMany({ data: entries.map((entry) => typedEntryData(id, entry)), skipDuplicates: true }),
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
    const rows = await this.prisma.incident.findMany({
      where: { channelId: { in: channelIds }, private: false },
      select: { channelId: true, channelName: true },
    });
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
      // A public title is stored as typed (see the schema).
      this.prisma.incident.update({
        where: { id: incidentId },
        data: { ...patch, ...(patch.publicTitle != null ? { publicTitleSlackEscaped: false } : {}) },
        include: incidentInclude,
      }),
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
      this.prisma.timelineRevision.createMany({
        data: [{ entryId: entry.id, editTs: message.editedTs, text: revisionText, replacedAt: editedAt }],
        skipDuplicates: true,
      }),
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

  async setSlackPin(incidentId: string, ts: string, pinned: boolean) {
    // Slack's pin is one state per message (anyone may unpin what another pinned), unlike reactions.
    await this.prisma.timelineEntry.updateMany({ where: { incidentId, sourceKey: messageKey(ts) }, data: { slackPinned: pinned } });
  }

  async highlightMessage(incidentId: string, ts: string) {
    await this.prisma.timelineEntry.updateMany({ where: { incidentId, sourceKey: messageKey(ts) }, data: { highlight: true } });
  }

  async setAnnouncement(incidentId: string, announcement: { channelId: string; ts: string }, replacing: string | null) {
    // Conditional on the one it replaces, so of two replicas announcing at once one message is kept.
    const { count } = await this.prisma.incident.updateMany({
      where: { id: incidentId, announcementTs: replacing },
      data: { announcementChannelId: announcement.channelId, announcementTs: announcement.ts },
    });
    return count === 1;
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
      this.rest.actionItems.listActionItems(incidentId),
      this.rest.reports.getReport(incidentId),
    ]);
    return { incident, entries, actionItems, report };
  }
}
