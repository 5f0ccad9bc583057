// The Prisma implementation of the domain's ReportStore: each incident's report, changed under
// optimistic concurrency (its version), and the late-report reminders, claimed once per replica set.
import type { NewTypedEntry } from "../incidents/ports/incidentStore.js";
import type { ReportPatch, ReportStore } from "../incidents/ports/reportStore.js";
import type { ReportState } from "../incidents/model.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../database/database.js";
import { incidentInclude, toIncident, typedEntryData } from "./rows.js";

type ReportRow = Prisma.ReportGetPayload<object>;

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

export class PrismaReportStore implements ReportStore {
  private readonly prisma: PrismaClient;

  constructor(database: Pick<Database, "prisma">) {
    this.prisma = database.prisma;
  }

  async getReport(incidentId: string) {
    const row = await this.prisma.report.upsert({ where: { incidentId }, create: { incidentId }, update: {} });
    return toReport(row);
  }

  async updateReport(incidentId: string, expectedVersion: number, patch: ReportPatch, entry?: NewTypedEntry) {
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
    return Promise.all(
      claimed.map(async (c) =>
        toIncident(await this.prisma.incident.findUniqueOrThrow({ where: { id: c.incidentId }, include: incidentInclude })),
      ),
    );
  }
}
