// Moving a deployment from the embedded database to PostgreSQL (or between any two): every table
// as JSON, in an order that respects foreign keys. Import is idempotent (existing rows are kept),
// and moves the incident-number sequence past the imported numbers. A file is checked whole before
// anything is written (parseExport): a newer format, a table or a column this version does not
// know, or a file that is not an export is refused in one line naming what is wrong.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { migrationsDir } from "../database/migrate.js";
import type { Database } from "../database/database.js";
import { decodeSlackEscapedPublicText } from "./publicText.js";

const FORMAT_NAME = "incident-bot-export";
const FORMAT_VERSION = 1;
export const EXPORT_FORMAT = `${FORMAT_NAME}/${FORMAT_VERSION}` as const;

/** Each exported table and its columns: Prisma's own list of the model's fields, so a new column is known at once. */
const EXPORTED_COLUMNS: Record<keyof ExportFile["tables"], readonly string[]> = {
  incidents: Object.values(Prisma.IncidentScalarFieldEnum),
  roleAssignments: Object.values(Prisma.RoleAssignmentScalarFieldEnum),
  timelineEntries: Object.values(Prisma.TimelineEntryScalarFieldEnum),
  timelineRevisions: Object.values(Prisma.TimelineRevisionScalarFieldEnum),
  actionItems: Object.values(Prisma.ActionItemScalarFieldEnum),
  reports: Object.values(Prisma.ReportScalarFieldEnum),
  userProfiles: Object.values(Prisma.UserProfileScalarFieldEnum),
  stakeholderUpdates: Object.values(Prisma.StakeholderUpdateScalarFieldEnum),
};

/** A file import will not load, with the one line that says why; nothing has been written. */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportRefused";
  }
}

const WRITTEN_BY_EXPORT = "give a file written by `incident-bot export`";

function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The export in `text`, checked whole: JSON, an object in this version's format (an older or
 * newer one is named), only tables and columns this version knows, each table a list of rows.
 * Throws ImportRefused with one line otherwise.
 */
export function parseExport(text: string): ExportFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = /end of JSON input|Unterminated/i.test((error as Error).message)
      ? "it ends part way: was it copied in full?"
      : (error as Error).message;
    throw new ImportRefused(`That file is not JSON (${text.trim() === "" ? "it is empty" : reason}); ${WRITTEN_BY_EXPORT}.`);
  }
  if (!isObject(value))
    throw new ImportRefused(`Not an incident-bot export (the file holds ${describeJson(value)}); ${WRITTEN_BY_EXPORT}.`);
  const format = typeof value.format === "string" ? /^incident-bot-export\/(\d+)$/.exec(value.format) : null;
  if (!format) throw new ImportRefused(`Not an incident-bot export (format ${String(value.format)}); expected ${EXPORT_FORMAT}.`);
  const version = Number(format[1]);
  if (version > FORMAT_VERSION) {
    throw new ImportRefused(
      `This export was written by a newer incident-bot (format ${version}; this one reads format ${FORMAT_VERSION}): upgrade first, then import.`,
    );
  }
  if (version < FORMAT_VERSION)
    throw new ImportRefused(`Not an incident-bot export this version reads (format ${version}); expected ${EXPORT_FORMAT}.`);
  if (!isObject(value.tables)) throw new ImportRefused(`Not an incident-bot export (it has no tables); ${WRITTEN_BY_EXPORT}.`);
  const tables = value.tables;
  const unknownTables = Object.keys(tables).filter((name) => !Object.hasOwn(EXPORTED_COLUMNS, name));
  if (unknownTables.length > 0) {
    throw new ImportRefused(
      `This export has tables this incident-bot does not know (${unknownTables.join(", ")}): ` +
        "it was written by a newer version; upgrade first. Nothing was imported.",
    );
  }
  const unknownColumns = new Set<string>();
  for (const [name, columns] of Object.entries(EXPORTED_COLUMNS)) {
    const rows = tables[name];
    if (rows === undefined) continue; // older exports lack tables added since
    if (!Array.isArray(rows))
      throw new ImportRefused(
        `Table ${name} in this export is ${describeJson(rows)}, not a list of rows; ${WRITTEN_BY_EXPORT}. Nothing was imported.`,
      );
    const known = new Set(columns);
    rows.forEach((row, index) => {
      if (!isObject(row))
        throw new ImportRefused(
          `Row ${index + 1} of table ${name} is ${describeJson(row)}, not a row; ${WRITTEN_BY_EXPORT}. Nothing was imported.`,
        );
      for (const column of Object.keys(row)) if (!known.has(column)) unknownColumns.add(`${name}.${column}`);
    });
  }
  if (unknownColumns.size > 0) {
    throw new ImportRefused(
      `This export has columns this incident-bot does not know (${[...unknownColumns].join(", ")}): ` +
        "it was written by a newer version; upgrade first. Nothing was imported.",
    );
  }
  return value as unknown as ExportFile;
}

export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  /** Every table is written by export; an older export may lack tables added since. */
  tables: {
    incidents?: unknown[];
    roleAssignments?: unknown[];
    timelineEntries?: unknown[];
    timelineRevisions?: unknown[];
    actionItems?: unknown[];
    reports?: unknown[];
    userProfiles?: unknown[];
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
    {
      ...(database.kind === "postgres" ? { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead } : {}),
      maxWait: 60_000,
      timeout: 600_000,
    },
  );
  return { format: EXPORT_FORMAT, exportedAt: now.toISOString(), tables };
}

type Rows<T> = T extends (args: { data: infer D }) => unknown ? D : never;

/** The database's refusal of a table's rows, in one line: Prisma's message repeats the rows themselves. */
async function load(table: string, write: () => Promise<{ count: number }>): Promise<number> {
  try {
    return (await write()).count;
  } catch (error) {
    const lines = (error instanceof Error ? error.message : String(error))
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    throw new Error(
      `the database refused rows of table ${table}: ${(lines.at(-1) ?? "").slice(0, 300)} (rows already imported stay; run import again once fixed)`,
      { cause: error },
    );
  }
}

/** Loads a file parseExport accepted. Tables absent from an older export count as empty. */
export async function importAll(prisma: PrismaClient, file: ExportFile): Promise<Record<string, number>> {
  const t = file.tables;
  const rows = <D>(table: unknown[] | undefined) => (table ?? []) as D;
  const counts: Record<string, number> = {};
  // One statement at a time rather than an interactive transaction: createMany skips rows that
  // exist, so an import that stops half way is finished by running it again.
  counts.incidents = await load("incidents", () =>
    prisma.incident.createMany({ data: rows<Rows<typeof prisma.incident.createMany>>(t.incidents), skipDuplicates: true }),
  );
  counts.roleAssignments = await load("roleAssignments", () =>
    prisma.roleAssignment.createMany({
      data: rows<Rows<typeof prisma.roleAssignment.createMany>>(t.roleAssignments),
      skipDuplicates: true,
    }),
  );
  counts.timelineEntries = await load("timelineEntries", () =>
    prisma.timelineEntry.createMany({ data: rows<Rows<typeof prisma.timelineEntry.createMany>>(t.timelineEntries), skipDuplicates: true }),
  );
  counts.timelineRevisions = await load("timelineRevisions", () =>
    prisma.timelineRevision.createMany({
      data: rows<Rows<typeof prisma.timelineRevision.createMany>>(t.timelineRevisions),
      skipDuplicates: true,
    }),
  );
  counts.actionItems = await load("actionItems", () =>
    prisma.actionItem.createMany({ data: rows<Rows<typeof prisma.actionItem.createMany>>(t.actionItems), skipDuplicates: true }),
  );
  counts.reports = await load("reports", () =>
    prisma.report.createMany({ data: rows<Rows<typeof prisma.report.createMany>>(t.reports), skipDuplicates: true }),
  );
  counts.userProfiles = await load("userProfiles", () =>
    prisma.userProfile.createMany({ data: rows<Rows<typeof prisma.userProfile.createMany>>(t.userProfiles), skipDuplicates: true }),
  );
  counts.stakeholderUpdates = await load("stakeholderUpdates", () =>
    prisma.stakeholderUpdate.createMany({
      data: rows<Rows<typeof prisma.stakeholderUpdate.createMany>>(t.stakeholderUpdates),
      skipDuplicates: true,
    }),
  );
  // An export made before public texts were stored as typed still holds Slack's escapes in them.
  await decodeSlackEscapedPublicText(prisma);
  // Numbers came with the rows; the sequence must continue after the highest, or the next
  // declared incident would collide with an imported one.
  await prisma.$queryRaw`SELECT setval(pg_get_serial_sequence('"Incident"', 'number'),
    GREATEST((SELECT COALESCE(MAX(number), 0) FROM "Incident"), 1), (SELECT COUNT(*) > 0 FROM "Incident"))`;
  await upgradeTypedEntries(prisma);
  return counts;
}

/** The data migration that gave typed entries their facts (src/incidents/entryFacts.ts). */
const TYPED_ENTRY_FACTS = "20261207183000_typed_entry_facts";

/**
 * An export made before that migration holds typed entries as sentences: the same SQL the
 * migration ran on the rows a database had then gives them their facts. It touches only rows
 * that still have a sentence, so it does nothing to a newer export.
 */
async function upgradeTypedEntries(prisma: PrismaClient): Promise<void> {
  await prisma.$executeRawUnsafe(await readFile(path.join(migrationsDir, TYPED_ENTRY_FACTS, "migration.sql"), "utf8"));
}
