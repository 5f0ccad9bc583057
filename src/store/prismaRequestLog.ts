// The Prisma implementation of the domain's RequestLog: the keys of Slack requests already handled.
// claimRequest is on every command's path, so it is one INSERT sent to the driver directly.
import type { RequestLog } from "../incidents/ports/requestLog.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "../database/database.js";

export class PrismaRequestLog implements RequestLog {
  private readonly prisma: PrismaClient;

  private readonly sql: Database["sql"];

  constructor(database: Pick<Database, "prisma" | "sql">) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  async claimRequest(key: string) {
    // Every command pays this once: sent to the driver, as the entry batcher's INSERT is, because
    // Prisma's per-query work here cost more than the rest of an `/incident log` (bench profile).
    const { rows } = await this.sql.query<{ key: string }>(
      `INSERT INTO "HandledRequest" ("key") VALUES ($1) ON CONFLICT DO NOTHING RETURNING "key"`,
      [key],
    );
    return rows.length === 1;
  }

  async forgetHandledRequests(before: Date) {
    return (await this.prisma.handledRequest.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }
}
