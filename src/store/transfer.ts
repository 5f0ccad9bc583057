// Moving a deployment from the embedded database to PostgreSQL (or between any two): every table
// as JSON, in an order that respects foreign keys. Import is idempotent (existing rows are kept),
// and moves the incident-number sequence past the imported numbers.
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "./database.js";
import { decodeSlackEscapedPublicText } from "./publicText.js";

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
    /** Absent in exports made before stakeholder updates existed. */
    stakeholderUpdates?: unknown[];
  };
}

/**
 * Every table, read in one transaction so the export is a consistent snapshot even while the bot
 * keeps writing: REPEATABLE READ on PostgreSQL; PGlite has a single session, so nothing else runs
 * until the export is read.
 */
export async function exportAll(database: Pick<Database, "prisma" | "kind">, now = new Date()): Promise<ExportFile> {
  const tables = await database.prisma.$transaction(
    async (tx) => ({
      incidents: await tx.incident.findMany({ orderBy: { number: "asc" } }),
      roleAssignments: await tx.roleAssignment.findMany(),
      timelineEntries: await tx.timelineEntry.findMany({ orderBy: { occurredAt: "asc" } }),
      timelineRevisions: await tx.timelineRevision.findMany(),
      actionItems: await tx.actionItem.findMany(),
      reports: await tx.report.findMany(),
      userProfiles: await tx.userProfile.findMany(),
      stakeholderUpdates: await tx.stakeholderUpdate.findMany({ orderBy: { createdAt: "asc" } }),
    }),
    { ...(database.kind === "postgres" ? { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead } : {}), maxWait: 60_000, timeout: 600_000 },
  );
  return { format: EXPORT_FORMAT, exportedAt: now.toISOString(), tables };
}

type Rows<T> = T extends (args: { data: infer D }) => unknown ? D : never;

export async function importAll(prisma: PrismaClient, file: ExportFile): Promise<Record<string, number>> {
  if (file.format !== EXPORT_FORMAT) throw new Error(`Not an incident-bot export (format ${String(file.format)}); expected ${EXPORT_FORMAT}.`);
  const t = file.tables;
  const counts: Record<string, number> = {};
  // One statement at a time rather than an interactive transaction: createMany skips rows that
  // exist, so an import that stops half way is finished by running it again.
  counts.incidents = (await prisma.incident.createMany({ data: t.incidents as Rows<typeof prisma.incident.createMany>, skipDuplicates: true })).count;
  counts.roleAssignments = (await prisma.roleAssignment.createMany({ data: t.roleAssignments as Rows<typeof prisma.roleAssignment.createMany>, skipDuplicates: true })).count;
  counts.timelineEntries = (await prisma.timelineEntry.createMany({ data: t.timelineEntries as Rows<typeof prisma.timelineEntry.createMany>, skipDuplicates: true })).count;
  counts.timelineRevisions = (await prisma.timelineRevision.createMany({ data: t.timelineRevisions as Rows<typeof prisma.timelineRevision.createMany>, skipDuplicates: true })).count;
  counts.actionItems = (await prisma.actionItem.createMany({ data: t.actionItems as Rows<typeof prisma.actionItem.createMany>, skipDuplicates: true })).count;
  counts.reports = (await prisma.report.createMany({ data: t.reports as Rows<typeof prisma.report.createMany>, skipDuplicates: true })).count;
  counts.userProfiles = (await prisma.userProfile.createMany({ data: t.userProfiles as Rows<typeof prisma.userProfile.createMany>, skipDuplicates: true })).count;
  counts.stakeholderUpdates = (await prisma.stakeholderUpdate.createMany({ data: (t.stakeholderUpdates ?? []) as Rows<typeof prisma.stakeholderUpdate.createMany>, skipDuplicates: true })).count;
  // An export made before public texts were stored as typed still holds Slack's escapes in them.
  await decodeSlackEscapedPublicText(prisma);
  // Numbers came with the rows; the sequence must continue after the highest, or the next
  // declared incident would collide with an imported one.
  await prisma.$queryRaw`SELECT setval(pg_get_serial_sequence('"Incident"', 'number'), GREATEST((SELECT COALESCE(MAX(number), 0) FROM "Incident"), 1), (SELECT COUNT(*) > 0 FROM "Incident"))`;
  return counts;
}
