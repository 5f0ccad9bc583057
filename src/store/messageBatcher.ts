// Group commit for the busiest write: messages. Events that arrive while a write is in flight are
// inserted together in one statement, and each caller still waits for its own row to be committed
// before Slack is answered, so nothing is acknowledged that is not stored. One multi-row
// INSERT ... ON CONFLICT DO NOTHING costs about what one row does, which is where the throughput
// under load comes from.
import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { CapturedMessage } from "../incidents/ports.js";
import { slackTsToDate } from "../incidents/slackTime.js";

interface Pending {
  incidentId: string;
  message: CapturedMessage;
  sourceKey: string;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/** Postgres allows 65,535 parameters a statement; 9 a row leaves plenty of room. */
const MAX_ROWS = 500;

export class MessageBatcher {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly prisma: PrismaClient) {}

  /** Resolves true when the message was stored now, false when it was already there. */
  insert(incidentId: string, message: CapturedMessage, sourceKey: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ incidentId, message, sourceKey, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_ROWS);
      try {
        const rows = batch.map(({ incidentId, message: m, sourceKey }) => {
          const editedAt = m.editedTs ? slackTsToDate(m.editedTs) : null;
          return Prisma.sql`(${randomUUID()}::uuid, ${incidentId}::uuid, ${sourceKey}, 'message', ${slackTsToDate(m.ts)}, ${m.ts}, ${m.threadTs}, ${m.authorId}, ${m.text}, ${JSON.stringify(m.files)}::jsonb, ${editedAt})`;
        });
        const inserted = await this.prisma.$queryRaw<{ incidentId: string; sourceKey: string }[]>`
          INSERT INTO "TimelineEntry" ("id", "incidentId", "sourceKey", "kind", "occurredAt", "ts", "threadTs", "authorId", "text", "files", "editedAt")
          VALUES ${Prisma.join(rows)}
          ON CONFLICT ("incidentId", "sourceKey") DO NOTHING
          RETURNING "incidentId", "sourceKey"`;
        const stored = new Set(inserted.map((r) => `${r.incidentId} ${r.sourceKey}`));
        for (const p of batch) {
          // A key twice in one batch is inserted once: the first caller stored it, the rest did not.
          const key = `${p.incidentId} ${p.sourceKey}`;
          p.resolve(stored.delete(key));
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
