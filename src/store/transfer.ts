// Moving a deployment from the embedded database to PostgreSQL (or between any two): every table
// as JSON, in an order that respects foreign keys. Import is idempotent (existing rows are kept),
// and moves the incident-number sequence past the imported numbers.
import type { PrismaClient } from "../generated/prisma/client.js";

export const EXPORT_FORMAT = "incident-bot-export/1";

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  tables: {
    incidents: unknown[];
    roleAssignments: unknown[];
    timelineEntries: unknown[];
    timelineRevisions: unknown[];
    actionItems: unknown[];
    reports: unknown[];
    userProfiles: unknown[];
  };
}

export async function exportAll(prisma: PrismaClient, now = new Date()): Promise<ExportFile> {
  return {
    format: EXPORT_FORMAT,
    exportedAt: now.toISOString(),
    tables: {
      incidents: await prisma.incident.findMany({ orderBy: { number: "asc" } }),
      roleAssignments: await prisma.roleAssignment.findMany(),
      timelineEntries: await prisma.timelineEntry.findMany({ orderBy: { occurredAt: "asc" } }),
      timelineRevisions: await prisma.timelineRevision.findMany(),
      actionItems: await prisma.actionItem.findMany(),
      reports: await prisma.report.findMany(),
      userProfiles: await prisma.userProfile.findMany(),
    },
  };
}

type Rows<T> = T extends (args: { data: infer D }) => unknown ? D : never;

export async function importAll(prisma: PrismaClient, file: ExportFile): Promise<Record<string, number>> {
  if (file.format !== EXPORT_FORMAT) throw new Error(`Not an incident-bot export (format ${String(file.format)}); expected ${EXPORT_FORMAT}.`);
  const t = file.tables;
  const counts: Record<string, number> = {};
  // One statement at a time rather than an interactive transaction: createMany skips rows that
  // exist, so an import that stops half way is finished by running it again.
  {
    const tx = prisma;
    counts.incidents = (await tx.incident.createMany({ data: t.incidents as Rows<typeof tx.incident.createMany>, skipDuplicates: true })).count;
    counts.roleAssignments = (await tx.roleAssignment.createMany({ data: t.roleAssignments as Rows<typeof tx.roleAssignment.createMany>, skipDuplicates: true })).count;
    counts.timelineEntries = (await tx.timelineEntry.createMany({ data: t.timelineEntries as Rows<typeof tx.timelineEntry.createMany>, skipDuplicates: true })).count;
    counts.timelineRevisions = (await tx.timelineRevision.createMany({ data: t.timelineRevisions as Rows<typeof tx.timelineRevision.createMany>, skipDuplicates: true })).count;
    counts.actionItems = (await tx.actionItem.createMany({ data: t.actionItems as Rows<typeof tx.actionItem.createMany>, skipDuplicates: true })).count;
    counts.reports = (await tx.report.createMany({ data: t.reports as Rows<typeof tx.report.createMany>, skipDuplicates: true })).count;
    counts.userProfiles = (await tx.userProfile.createMany({ data: t.userProfiles as Rows<typeof tx.userProfile.createMany>, skipDuplicates: true })).count;
    // Numbers came with the rows; the sequence must continue after the highest, or the next
    // declared incident would collide with an imported one.
    await tx.$queryRaw`SELECT setval(pg_get_serial_sequence('"Incident"', 'number'), GREATEST((SELECT COALESCE(MAX(number), 0) FROM "Incident"), 1), (SELECT COUNT(*) > 0 FROM "Incident"))`;
  }
  return counts;
}
