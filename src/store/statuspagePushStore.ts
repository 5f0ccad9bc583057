// The database side of pushing public updates to Atlassian Statuspage (see
// src/atlassianStatuspage/push.ts for the recipe): which updates wait, the per-update lease taken
// with one conditional UPDATE, and the writes that record what Statuspage now holds.
import type { LeaseRequest } from "../incidents/delivery.js";
import type { PendingPush, StatuspagePushStore } from "../incidents/ports/statuspagePushStore.js";
import type { Database } from "../database/database.js";

export class PrismaStatuspagePushStore implements StatuspagePushStore {
  constructor(private readonly database: Pick<Database, "prisma">) {}

  private get prisma() {
    return this.database.prisma;
  }

  /** Oldest first per incident: an incident's updates must arrive in order, so a later one waits for an earlier one. */
  async pending(now: Date, since: Date): Promise<PendingPush[]> {
    const rows = await this.prisma.stakeholderUpdate.findMany({
      // A private incident has no public updates to push; should one exist, it stays here all the same.
      where: { public: true, publishedAt: { not: null, gte: since }, pushedAt: null, incident: { private: false } },
      orderBy: [{ incidentId: "asc" }, { publishedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        text: true,
        status: true,
        publishedAt: true,
        pushLeaseUntil: true,
        pushNextAttemptAt: true,
        incident: { select: { id: true, number: true, publicTitle: true, severity: true, statuspageIncidentId: true } },
      },
    });
    return rows.map((row) => ({
      updateId: row.id,
      text: row.text,
      status: row.status,
      publishedAt: row.publishedAt!,
      due: (!row.pushLeaseUntil || row.pushLeaseUntil < now) && (!row.pushNextAttemptAt || row.pushNextAttemptAt <= now),
      incident: row.incident,
    }));
  }

  async claim(updateId: string, { now, until, ignoreBackoff }: LeaseRequest): Promise<{ attempts: number } | null> {
    // One conditional UPDATE: of several workers only one sees count 1.
    const { count } = await this.prisma.stakeholderUpdate.updateMany({
      where: {
        id: updateId,
        pushedAt: null,
        AND: [
          { OR: [{ pushLeaseUntil: null }, { pushLeaseUntil: { lt: now } }] },
          ...(ignoreBackoff ? [] : [{ OR: [{ pushNextAttemptAt: null }, { pushNextAttemptAt: { lte: now } }] }]),
        ],
      },
      data: { pushLeaseUntil: until, pushAttempts: { increment: 1 } },
    });
    if (count !== 1) return null;
    const row = await this.prisma.stakeholderUpdate.findUniqueOrThrow({ where: { id: updateId }, select: { pushAttempts: true } });
    return { attempts: row.pushAttempts };
  }

  async setStatuspageIncident(incidentId: string, statuspageIncidentId: string): Promise<void> {
    await this.prisma.incident.updateMany({ where: { id: incidentId, statuspageIncidentId: null }, data: { statuspageIncidentId } });
  }

  async pushedTexts(incidentId: string): Promise<string[]> {
    const rows = await this.prisma.stakeholderUpdate.findMany({
      where: { incidentId, public: true, pushedAt: { not: null } },
      select: { text: true },
    });
    return rows.map((r) => r.text);
  }

  async markPushed(updateId: string, at: Date): Promise<void> {
    await this.prisma.stakeholderUpdate.update({
      where: { id: updateId },
      data: { pushedAt: at, pushLeaseUntil: null, pushNextAttemptAt: null, pushLastError: null },
    });
  }

  async markFailed(updateId: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.prisma.stakeholderUpdate.update({
      where: { id: updateId },
      data: { pushLeaseUntil: null, pushNextAttemptAt: nextAttemptAt, pushLastError: error.slice(0, 1000) },
    });
  }
}
