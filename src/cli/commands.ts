// The `incident-bot` commands that work on the database, as a table: how each is typed (for
// parsing and help) and what it does with an open database. The same `run` executes in the CLI's
// own process (PostgreSQL, or the embedded database while no bot runs) or inside the running bot
// (see adminSocket.ts), so there is one implementation of each.
import type { ParseArgsConfig } from "node:util";
import { ageInDays, isOverdue, listFollowUps, teamDay } from "../incidents/followups.js";
import { preferredName } from "../incidents/ports/peopleStore.js";
import type { Stores } from "../incidents/deps.js";
import { compileReport } from "../incidents/report/compile.js";
import { slackCodeToText } from "../incidents/report/slackMarkdown.js";
import { cachedReportNames } from "../incidents/report/names.js";
import { formatDueDate, formatMoment } from "../incidents/time/format.js";
import type { Database } from "../database/database.js";
import { pendingMigrations } from "../database/migrate.js";
import { exportAll, importAll, ImportRefused, parseExport, type ExportFile } from "../store/transfer.js";
import type { CliIO } from "./io.js";
import { UsageError } from "./io.js";

/** The stores are the bot's own (src/store/prismaStores.ts); the commands read incidents, action items and people. */
export interface DatabaseContext extends Pick<Stores, "incidents" | "actionItems" | "people"> {
  database: Database;
  timeZone: string;
  /** Set when the command runs inside the running bot rather than in its own process. */
  insideBot: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** The content of the file named on the command line, read by the CLI (import). */
  input?: string;
}

export interface DatabaseCommand {
  name: string;
  /** "<number> [--format markdown|json]" */
  synopsis: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  positionals: { min: number; max: number };
  /** Checks what was typed beyond its shape; throws UsageError. */
  validate?(args: ParsedArgs): void;
  run(ctx: DatabaseContext, args: ParsedArgs, io: CliIO): Promise<number>;
}

/** Slack's text as a terminal shows it: tokens as plain words, Slack's escapes decoded ("A &amp; B" is "A & B"). */
const asTyped = (text: string) => slackCodeToText(text, { users: {}, channels: {} });

export const databaseCommands: DatabaseCommand[] = [
  {
    name: "migrate",
    synopsis: "",
    summary: "apply pending database migrations and exit",
    options: {},
    positionals: { min: 0, max: 0 },
    async run(ctx, _args, io) {
      if (ctx.insideBot) {
        // The bot applied every migration it knows when it started; newer ones come with a newer bot.
        const pending = await pendingMigrations(ctx.database.sql);
        if (pending.length === 0) return (io.out("Database is up to date (the running bot applied the migrations when it started).\n"), 0);
        io.err(`${pending.length} migration(s) are not applied (${pending.join(", ")}): restart the bot to apply them.\n`);
        return 1;
      }
      io.out(ctx.database.migrated.length ? `Applied: ${ctx.database.migrated.join(", ")}\n` : "Database is up to date.\n");
      return 0;
    },
  },
  {
    name: "list",
    synopsis: "",
    summary: "list incidents, private ones too (marked): the CLI is the operator's",
    options: {},
    positionals: { min: 0, max: 0 },
    async run(ctx, _args, io) {
      const incidents = await ctx.incidents.listIncidents();
      if (incidents.length === 0) io.out("No incidents yet.\n");
      for (const i of incidents) {
        const channel = `#${i.channelName}${i.private ? " (private)" : ""}`;
        const declared = formatMoment(i.declaredAt, ctx.timeZone, "plain");
        io.out(`#${i.number}\t${i.status}\t${i.severity.toUpperCase()}\t${declared}\t${channel}\t${asTyped(i.title)}\n`);
      }
      return 0;
    },
  },
  {
    name: "report",
    synopsis: "<number> [--format markdown|json]",
    summary: "print an incident's current report (JSON: with the full record)",
    options: { format: { type: "string", default: "markdown" } },
    positionals: { min: 1, max: 1 },
    validate({ positionals, values }) {
      if (!/^\d+$/.test(positionals[0] ?? "")) throw new UsageError(`“${positionals[0]}” is not an incident number`);
      if (!["markdown", "json"].includes(String(values.format)))
        throw new UsageError(`--format is markdown or json, not “${String(values.format)}”`);
    },
    async run(ctx, { positionals, values }, io) {
      const number = Number(positionals[0]);
      const incident = await ctx.incidents.findIncidentByNumber(number);
      if (!incident) {
        io.err(`There is no incident #${number}. \`incident-bot list\` shows them.\n`);
        return 1;
      }
      const record = await ctx.incidents.loadRecord(incident.id);
      // The CLI cannot ask Slack: names are those the bot cached when it last looked people up.
      const names = await cachedReportNames(ctx, record);
      const report = compileReport(record, { timeZone: ctx.timeZone, now: new Date(), ...names });
      io.out(values.format === "json" ? `${JSON.stringify({ report, record }, null, 2)}\n` : `${report.markdown}\n`);
      return 0;
    },
  },
  {
    name: "export",
    synopsis: "[file]",
    summary: "write every table as JSON, a consistent snapshot (to a file, or standard output)",
    options: {},
    positionals: { min: 0, max: 1 },
    async run(ctx, _args, io) {
      io.out(`${JSON.stringify(await exportAll(ctx.database))}\n`);
      return 0;
    },
  },
  {
    name: "import",
    synopsis: "<file>",
    summary: "load an export into this database (existing rows are kept)",
    options: {},
    positionals: { min: 1, max: 1 },
    async run(ctx, { input }, io) {
      let file: ExportFile;
      try {
        file = parseExport(input ?? "");
      } catch (error) {
        if (!(error instanceof ImportRefused)) throw error;
        // One line, nothing written; "not JSON" needs no prefix to read as a sentence.
        io.err(error.message.startsWith("That file") ? `${error.message}\n` : `incident-bot import failed: ${error.message}\n`);
        return 1;
      }
      const counts = await importAll(ctx.database.prisma, file);
      io.out(
        `Imported: ${Object.entries(counts)
          .map(([table, n]) => `${n} ${table}`)
          .join(", ")}.\n`,
      );
      return 0;
    },
  },
  {
    name: "followups",
    synopsis: "[--mine <slack user id>] [--overdue]",
    summary: "list open action items across incidents, private ones' too, oldest first (--mine: owned by that person; --overdue: past due)",
    options: { mine: { type: "string" }, overdue: { type: "boolean" } },
    positionals: { min: 0, max: 0 },
    validate({ values }) {
      if (values.mine !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(String(values.mine))) {
        throw new UsageError(`--mine takes a Slack user id such as U0123ABCD, not “${String(values.mine)}”`);
      }
    },
    async run(ctx, { values }, io) {
      const now = new Date();
      const overdue = values.overdue === true;
      const { items, total } = await listFollowUps(
        ctx.actionItems,
        { ...(typeof values.mine === "string" ? { ownerId: values.mine } : {}), overdue },
        { now, timeZone: ctx.timeZone, limit: FOLLOW_UPS_PRINTED },
      );
      if (total === 0) return (io.out(overdue ? "No action item is overdue.\n" : "No open action items.\n"), 0);
      // The CLI cannot ask Slack: owners appear by the names the bot cached, else by id.
      const names = await ctx.people.knownNames([...new Set(items.flatMap(({ item }) => (item.ownerId ? [item.ownerId] : [])))]);
      const today = teamDay(now, ctx.timeZone);
      io.out("incident\titem\towner\tdue\tage\tissue\ttext\n");
      for (const { item, incident } of items) {
        const owner = item.ownerId
          ? `${names[item.ownerId] ? `${preferredName(names[item.ownerId]!) ?? item.ownerId} ` : ""}(${item.ownerId})`
          : "-";
        const due = item.dueDate ? `${formatDueDate(item.dueDate)}${isOverdue(item, today) ? " OVERDUE" : ""}` : "-";
        const text = asTyped(item.text).replace(/\s+/g, " ").trim();
        const name = `#${incident.number} ${asTyped(incident.title)}${incident.private ? " (private)" : ""}`;
        const columns = [name, item.number, owner, due, `${ageInDays(item, now)}d`, item.issueUrl ?? "pending", text];
        io.out(`${columns.join("\t")}\n`);
      }
      if (total > items.length) io.out(`…and ${total - items.length} more.\n`);
      return 0;
    },
  },
];

/** More than a sprint can take; the rest are counted. */
const FOLLOW_UPS_PRINTED = 1000;
