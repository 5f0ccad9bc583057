// Row mapping shared by the Prisma stores: an incident as the domain sees it, and a typed timeline
// entry written in the same transaction as the change it describes (action items, reports and
// updates write those too).
import type { Incident } from "../incidents/model.js";
import type { NewTypedEntry } from "../incidents/ports/incidentStore.js";
import { Prisma } from "../generated/prisma/client.js";
import { typedRow } from "./entryBatcher.js";

export const incidentInclude = { roles: true } as const;
export type IncidentRow = Prisma.IncidentGetPayload<{ include: typeof incidentInclude }>;

export function toIncident(row: IncidentRow): Incident {
  const roles: Incident["roles"] = {};
  for (const r of row.roles) roles[r.role] = r.userId;
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
    announcement: row.announcementChannelId && row.announcementTs ? { channelId: row.announcementChannelId, ts: row.announcementTs } : null,
    private: row.private,
  };
}

/** The same row the batcher writes, for the writes that must share a transaction with another. */
export function typedEntryData(incidentId: string, entry: NewTypedEntry): Prisma.TimelineEntryCreateManyInput {
  const { data, files, ...row } = typedRow(incidentId, entry);
  return { ...row, files: files as Prisma.InputJsonValue, data: data === null ? Prisma.DbNull : data };
}
