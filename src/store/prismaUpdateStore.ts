// The Prisma implementation of the domain's UpdateStore: stakeholder and customer updates, and the
// update reminders of SEV1/SEV2 incidents. Like the incident store, every write is keyed or
// conditional, so a replayed request, a second press of a button or a second replica changes nothing.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { IncidentUpdate } from "../incidents/model.js";
import type { NewIncidentUpdate, UpdateStore } from "../incidents/ports/updateStore.js";
import type { NewTypedEntry } from "../incidents/ports/incidentStore.js";
import type { Database } from "../database/database.js";
import { typedRow } from "./entryBatcher.js";
import { incidentInclude, toIncident, typedEntryData } from "./rows.js";

type UpdateRow = Prisma.StakeholderUpdateGetPayload<object>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toUpdate(row: UpdateRow): IncidentUpdate {
  return {
    id: row.id,
    incidentId: row.incidentId,
    public: row.public,
    text: row.text,
    status: row.status,
    postedBy: row.postedBy,
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
  };
}

export class PrismaUpdateStore implements UpdateStore {
  private readonly prisma: PrismaClient;

  constructor(database: Pick<Database, "prisma">) {
    this.prisma = database.prisma;
  }

  async addUpdate(incidentId: string, update: NewIncidentUpdate, entry?: NewTypedEntry) {
    const [{ count }] = await this.prisma.$transaction([
      // A public update's text is as typed; an internal one's is Slack's (see the schema).
      this.prisma.stakeholderUpdate.createMany({ data: [{ incidentId, ...update, slackEscaped: !update.public }], skipDuplicates: true }),
      ...(entry ? [this.prisma.timelineEntry.createMany({ data: [typedEntryData(incidentId, entry)], skipDuplicates: true })] : []),
    ]);
    const row = await this.prisma.stakeholderUpdate.findUniqueOrThrow({
      where: { incidentId_sourceKey: { incidentId, sourceKey: update.sourceKey } },
    });
    return { update: toUpdate(row), created: count === 1 };
  }

  async getUpdate(updateId: string) {
    // Button values come back from Slack: anything that is not one of our ids is simply not found.
    if (!UUID.test(updateId)) return null;
    const row = await this.prisma.stakeholderUpdate.findUnique({
      where: { id: updateId },
      include: { incident: { include: incidentInclude } },
    });
    return row && { update: toUpdate(row), incident: toIncident(row.incident) };
  }

  async publishUpdate(updateId: string, at: Date, entry: NewTypedEntry) {
    if (!UUID.test(updateId)) return null;
    const row = typedRow("", entry);
    // One statement: the conditional UPDATE decides who publishes, and the timeline entry is
    // written only by that winner, so a process dying in between cannot leave one without the other.
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH published AS (
        UPDATE "StakeholderUpdate" SET "publishedAt" = ${at}
        WHERE id = ${updateId}::uuid AND public AND "publishedAt" IS NULL
        RETURNING id, "incidentId"
      ), entry AS (
        INSERT INTO "TimelineEntry" (id, "incidentId", "sourceKey", kind, "occurredAt", "authorId", text, data, highlight)
        SELECT ${randomUUID()}::uuid, "incidentId", ${row.sourceKey}, ${row.kind}, ${row.occurredAt}, ${row.authorId}, ${row.text},
          ${row.data ? JSON.stringify(row.data) : null}::jsonb, ${row.highlight}
        FROM published
        ON CONFLICT ("incidentId", "sourceKey") DO NOTHING
      )
      SELECT id FROM published`;
    if (rows.length !== 1) return null;
    return toUpdate(await this.prisma.stakeholderUpdate.findUniqueOrThrow({ where: { id: updateId } }));
  }

  async discardUnpublished(updateId: string) {
    if (!UUID.test(updateId)) return false;
    const { count } = await this.prisma.stakeholderUpdate.deleteMany({ where: { id: updateId, public: true, publishedAt: null } });
    return count === 1;
  }

  async listUpdates(incidentId: string, options: { publishedOnly?: boolean } = {}) {
    const rows = await this.prisma.stakeholderUpdate.findMany({
      where: { incidentId, ...(options.publishedOnly ? { publishedAt: { not: null } } : {}) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toUpdate);
  }

  async claimUpdateReminders(now: Date, quietMs: number) {
    const quietSince = new Date(now.getTime() - quietMs);
    // The clock of each lapse starts at the latest of: the declaration, an escalation into
    // SEV1/SEV2, a reopening, the last published update and the last reminder. One UPDATE ...
    // RETURNING: a replica that runs it at the same moment waits for the row, sees the new
    // "updateRemindedAt" and skips it, so each lapse is claimed once.
    const claimed = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Incident" i SET "updateRemindedAt" = ${now}
      WHERE i.status <> 'resolved' AND i.severity IN ('sev1', 'sev2')
        AND GREATEST(
          i."declaredAt",
          i."updateRemindedAt",
          (SELECT MAX(u."publishedAt") FROM "StakeholderUpdate" u WHERE u."incidentId" = i.id),
          (SELECT MAX(e."occurredAt") FROM "TimelineEntry" e
            WHERE e."incidentId" = i.id AND (
              (e.kind = 'severity' AND e.data->>'to' IN ('sev1', 'sev2') AND COALESCE(e.data->>'from', '') NOT IN ('sev1', 'sev2'))
              OR (e.kind = 'status' AND e.data->>'from' = 'resolved')))
        ) < ${quietSince}
      RETURNING i.id`;
    if (claimed.length === 0) return [];
    const rows = await this.prisma.incident.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      include: incidentInclude,
      orderBy: { number: "asc" },
    });
    return rows.map(toIncident);
  }
}
