// Group commit for the busiest writes: single timeline entries (messages, and typed entries such as
// `/incident log`). Entries that arrive while a write is in flight are inserted together in one
// statement, and each caller still waits for its own row to be committed before it is answered,
// so nothing is acknowledged that is not stored. One multi-row INSERT ... ON CONFLICT DO NOTHING
// costs about what one row does, which is where the throughput under load comes from.
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

const COLUMNS = ["id", "incidentId", "sourceKey", "kind", "occurredAt", "ts", "threadTs", "authorId", "text", "files", "data", "highlight", "editedAt"];
const CASTS = ["uuid", "uuid", "text", "text", "timestamptz", "text", "text", "text", "text", "jsonb", "jsonb", "boolean", "timestamptz"];
/** PostgreSQL allows 65,535 parameters a statement; 13 a row leaves plenty of room. */
const MAX_ROWS = 500;

const rowParams = (r: NewEntryRow) => [
  randomUUID(),
  r.incidentId,
  r.sourceKey,
  r.kind,
  r.occurredAt.toISOString(),
  r.ts,
  r.threadTs,
  r.authorId,
  r.text,
  JSON.stringify(r.files),
  r.data === null ? null : JSON.stringify(r.data),
  r.highlight,
  r.editedAt?.toISOString() ?? null,
];

/** Statements for the usual batch sizes are kept (about 300 KB); rarer, larger ones are rebuilt. */
const statements = new Map<number, string>();
const KEEP_STATEMENTS_UP_TO_ROWS = 64;

/** `INSERT ... VALUES ($1::uuid, ...), (...) ON CONFLICT DO NOTHING RETURNING` for `rows` rows. */
function insertStatement(rows: number): string {
  const known = statements.get(rows);
  if (known) return known;
  const tuples = Array.from({ length: rows }, (_, row) => `(${CASTS.map((cast, col) => `$${row * CASTS.length + col + 1}::${cast}`).join(", ")})`);
  const statement = `INSERT INTO "TimelineEntry" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${tuples.join(", ")}
    ON CONFLICT ("incidentId", "sourceKey") DO NOTHING RETURNING "incidentId", "sourceKey"`;
  if (rows <= KEEP_STATEMENTS_UP_TO_ROWS) statements.set(rows, statement);
  return statement;
}

const compareKeys = (a: NewEntryRow, b: NewEntryRow) =>
  a.incidentId < b.incidentId ? -1 : a.incidentId > b.incidentId ? 1 : a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0;

export class EntryBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly sql: SqlClient) {}

  /** Resolves true when the entry was stored now, false when one with its source key was already there. */
  insert(row: NewEntryRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      // In key order: two replicas inserting overlapping keys (an event on one, its redelivery on
      // the other) then lock them in the same order, so their INSERTs wait for each other instead
      // of deadlocking (PostgreSQL would abort one, and its events would be answered 500).
      const batch = this.queue.splice(0, MAX_ROWS).sort((a, b) => compareKeys(a.row, b.row));
      try {
        const { rows: inserted } = await this.sql.query<{ incidentId: string; sourceKey: string }>(
          insertStatement(batch.length),
          batch.flatMap((p) => rowParams(p.row)),
        );
        const stored = new Set(inserted.map((r) => `${r.incidentId} ${r.sourceKey}`));
        for (const p of batch) {
          // A key twice in one batch is inserted once: the first caller stored it, the rest did not.
          p.resolve(stored.delete(`${p.row.incidentId} ${p.row.sourceKey}`));
        }
      } catch (error) {
        // The database failed (or stopped answering): fail what waits behind this batch too,
        // rather than make each batch wait out its own timeout. Slack redelivers them all.
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(error);
      }
    }
    this.flushing = false;
  }
}
