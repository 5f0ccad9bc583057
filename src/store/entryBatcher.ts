// Group commit for the busiest writes: single timeline entries (messages, and typed entries such as
// `/incident log`). Entries that arrive while a write is in flight are inserted together in one
// statement, and each caller still waits for its own row to be committed before it is answered,
// so nothing is acknowledged that is not stored. One multi-row INSERT ... ON CONFLICT DO NOTHING
// costs about what one row does, which is where the throughput under load comes from. A batch is
// one prepared statement, whatever its size (INSERT ... SELECT FROM unnest of one array a column).
//
// The statement goes to the driver directly rather than through Prisma's client: in the ingest
// benchmark, Prisma's per-query work for this one statement cost more server CPU than our own
// code did for the whole request. Prisma still owns the schema and every other query.
import { randomUUID } from "node:crypto";
import type { CapturedMessage, NewTypedEntry } from "../incidents/ports/incidentStore.js";
import { slackTsToDate } from "../incidents/slackTime.js";
import type { SqlClient } from "../database/database.js";

/** One row of "TimelineEntry" as the batcher writes it; the other columns keep their defaults. */
export interface NewEntryRow {
  incidentId: string;
  sourceKey: string;
  kind: string;
  occurredAt: Date;
  ts: string | null;
  threadTs: string | null;
  authorId: string | null;
  text: string;
  files: unknown[];
  data: unknown;
  highlight: boolean;
  editedAt: Date | null;
}

export function messageRow(incidentId: string, sourceKey: string, m: CapturedMessage): NewEntryRow {
  return {
    incidentId,
    sourceKey,
    kind: "message",
    occurredAt: slackTsToDate(m.ts),
    ts: m.ts,
    threadTs: m.threadTs,
    authorId: m.authorId,
    text: m.text,
    files: m.files,
    data: null,
    highlight: false,
    editedAt: m.editedTs ? slackTsToDate(m.editedTs) : null,
  };
}

export function typedRow(incidentId: string, entry: NewTypedEntry): NewEntryRow {
  return {
    incidentId,
    sourceKey: entry.sourceKey,
    kind: entry.kind,
    occurredAt: entry.occurredAt,
    ts: null,
    threadTs: null,
    authorId: entry.authorId,
    // A change's facts are its data; only what people typed is text (log entries, messages from elsewhere).
    text: "text" in entry ? entry.text : "",
    files: "files" in entry ? entry.files : [],
    data: entry.kind === "log" ? null : entry.data,
    highlight: entry.highlight ?? true,
    editedAt: null,
  };
}

interface Pending {
  row: NewEntryRow;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

const COLUMNS = [
  "id",
  "incidentId",
  "sourceKey",
  "kind",
  "occurredAt",
  "ts",
  "threadTs",
  "authorId",
  "text",
  "files",
  "data",
  "highlight",
  "editedAt",
];
const CASTS = ["uuid", "uuid", "text", "text", "timestamptz", "text", "text", "text", "text", "jsonb", "jsonb", "boolean", "timestamptz"];
/** Rows a statement at most; what waits beyond that goes in the next one. */
const MAX_ROWS = 500;

/**
 * One statement for any number of rows: each column is one array parameter, unnested into rows. Its
 * text never changes, so PostgreSQL parses and plans it once per connection (a named prepared
 * statement) instead of once per batch, as it did for a VALUES list as long as the batch. The rows
 * go in in the order of the arrays (WITH ORDINALITY ... ORDER BY), which the caller sorts by key.
 */
const INSERT_ROWS = `INSERT INTO "TimelineEntry" (${COLUMNS.map((c) => `"${c}"`).join(", ")})
  SELECT ${COLUMNS.map((c) => `"${c}"`).join(", ")}
  FROM unnest(${CASTS.map((cast, i) => `$${i + 1}::${cast}[]`).join(", ")}) WITH ORDINALITY AS rows(${COLUMNS.map((c) => `"${c}"`).join(", ")}, "position")
  ORDER BY "position"
  ON CONFLICT ("incidentId", "sourceKey") DO NOTHING RETURNING "incidentId", "sourceKey"`;
const INSERT_ROWS_NAME = "incident_bot_insert_entries";

/** The batch as the statement's thirteen array parameters, one per column. */
function columnParams(rows: readonly NewEntryRow[]): unknown[][] {
  const columns: unknown[][] = COLUMNS.map((): unknown[] => new Array<unknown>(rows.length));
  rows.forEach((r, i) => {
    columns[0]![i] = randomUUID();
    columns[1]![i] = r.incidentId;
    columns[2]![i] = r.sourceKey;
    columns[3]![i] = r.kind;
    columns[4]![i] = r.occurredAt.toISOString();
    columns[5]![i] = r.ts;
    columns[6]![i] = r.threadTs;
    columns[7]![i] = r.authorId;
    columns[8]![i] = r.text;
    columns[9]![i] = JSON.stringify(r.files);
    columns[10]![i] = r.data === null ? null : JSON.stringify(r.data);
    columns[11]![i] = r.highlight;
    columns[12]![i] = r.editedAt?.toISOString() ?? null;
  });
  return columns;
}

const compareKeys = (a: NewEntryRow, b: NewEntryRow) =>
  a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0;

export interface EntryBatcherOptions {
  /**
   * How many batches may be in flight at once. PGlite has one session: one. PostgreSQL: one too.
   * More (four, on connections of their own) let a row arriving during a commit wait for its own
   * commit only, but under load they made many small batches, and each statement costs the bot a
   * write to PostgreSQL's socket, which on a busy machine is mostly waiting for PostgreSQL to run:
   * in the ingest bench on a quiet 2-core machine, one in flight halved the pg driver's CPU (1.4 s
   * -> 0.6 s), took the bot from 2,000-2,500 to 3,400-4,100 messages/s, and event p99 from 1.57x
   * to 1.17-1.47x bare Bolt's (issue 22).
   */
  inFlight: number;
  /** Whether the client takes a named prepared statement ({ name, text }): node-postgres does, PGlite does not. */
  namedStatements: boolean;
}

/** node-postgres's query() with a named statement: prepared on each connection once, then only executed. */
interface NamedStatementClient {
  query<Row>(statement: { name: string; text: string }, params: unknown[]): Promise<{ rows: Row[] }>;
}

export const POSTGRES_BATCHING: EntryBatcherOptions = { inFlight: 1, namedStatements: true };
export const PGLITE_BATCHING: EntryBatcherOptions = { inFlight: 1, namedStatements: false };

export class EntryBatcher {
  private queue: Pending[] = [];
  private inFlight = 0;
  /** A flush is scheduled for the next turn of the event loop (rows arriving until then join it). */
  private scheduled = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: EntryBatcherOptions = PGLITE_BATCHING,
  ) {}

  /** Resolves true when the entry was stored now, false when one with its source key was already there. */
  insert(row: NewEntryRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.options.inFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0 || this.inFlight >= this.options.inFlight) return;
    // In key order: two replicas inserting overlapping keys (an event on one, its redelivery on
    // the other), or two batches of this one in flight at once, then lock them in the same order,
    // so their INSERTs wait for each other instead of deadlocking (PostgreSQL would abort one, and
    // its events would be answered 500).
    const batch = this.queue.splice(0, MAX_ROWS).sort((a, b) => compareKeys(a.row, b.row));
    this.inFlight++;
    // What arrives while this batch is in flight goes in another one, if one may start.
    this.schedule();
    try {
      const params = columnParams(batch.map((p) => p.row));
      type Inserted = { incidentId: string; sourceKey: string };
      const { rows: inserted } = await (this.options.namedStatements
        ? (this.sql as unknown as NamedStatementClient).query<Inserted>({ name: INSERT_ROWS_NAME, text: INSERT_ROWS }, params)
        : this.sql.query<Inserted>(INSERT_ROWS, params));
      const stored = new Set(inserted.map((r) => `${r.incidentId} ${r.sourceKey}`));
      for (const p of batch) {
        // A key twice in one batch is inserted once: the first caller stored it, the rest did not.
        p.resolve(stored.delete(`${p.row.incidentId} ${p.row.sourceKey}`));
      }
    } catch (error) {
      // The database failed (or stopped answering): fail what waits behind this batch too,
      // rather than make each batch wait out its own timeout. Slack redelivers them all.
      for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
