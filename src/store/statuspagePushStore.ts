// The database side of pushing public updates to Atlassian Statuspage (see
// src/atlassianStatuspage/push.ts for the recipe): which updates wait, the per-update lease taken
// with one conditional UPDATE, and the writes that record what Statuspage now holds.
import type { IncidentStatus, Severity } from "../incidents/model.js";
import type { Database } from "./database.js";

export interface PendingPush {
  updateId: string;
  text: string;
  status: IncidentStatus;
  publishedAt: Date;
  /** Free to take now: not leased by a worker, not waiting out a backoff. */
  due: boolean;
  incident: { id: string; number: number; publicTitle: string | null; severity: Severity; statuspageIncidentId: string | null };
}

export class StatuspagePushStore {
  constructor(private readonly database: Database) {}

  private get prisma() {
    return this.database.prisma;
  }

  /**
   * Published public updates not yet on Statuspage, published since `since`, oldest first per
   * incident (an incident's updates must arrive in order, so a later one waits for an earlier one).
   */
  async pending(now: Date, since: Date): Promise<PendingPush[]> {
    const rows = await this.prisma.stakeholderUpdate.findMany({
      where: { public: true, publishedAt: { not: null, gte: since }, pushedAt: null },
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

  /** Takes the update until `until`; false when another worker (or replica) holds it, or it is done or backing off. */
  async claim(updateId: string, now: Date, until: Date): Promise<boolean> {
    // One conditional UPDATE: of several workers only one sees count 1.
    const { count } = await this.prisma.stakeholderUpdate.updateMany({
      where: {
        id: updateId,
        pushedAt: null,
        AND: [{ OR: [{ pushLeaseUntil: null }, { pushLeaseUntil: { lt: now } }] }, { OR: [{ pushNextAttemptAt: null }, { pushNextAttemptAt: { lte: now } }] }],
      },
      data: { pushLeaseUntil: until, pushAttempts: { increment: 1 } },
    });
    return count === 1;
  }

  async attempts(updateId: string): Promise<number> {
    return (await this.prisma.stakeholderUpdate.findUniqueOrThrow({ where: { id: updateId }, select: { pushAttempts: true } })).pushAttempts;
  }

  /** The Statuspage incident now known for ours (kept if one was already stored). */
  async setStatuspageIncident(incidentId: string, statuspageIncidentId: string): Promise<void> {
    await this.prisma.incident.updateMany({ where: { id: incidentId, statuspageIncidentId: null }, data: { statuspageIncidentId } });
  }

  /** The texts of this incident's updates already on Statuspage (for the look-before-adding). */
  async pushedTexts(incidentId: string): Promise<string[]> {
    const rows = await this.prisma.stakeholderUpdate.findMany({ where: { incidentId, public: true, pushedAt: { not: null } }, select: { text: true } });
    return rows.map((r) => r.text);
  }

  async markPushed(updateId: string, at: Date): Promise<void> {
    await this.prisma.stakeholderUpdate.update({ where: { id: updateId }, data: { pushedAt: at, pushLeaseUntil: null, pushNextAttemptAt: null, pushLastError: null } });
  }

  /** Releases the update after a failure; the sweep tries again from `nextAttemptAt`. */
  async markFailed(updateId: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.prisma.stakeholderUpdate.update({ where: { id: updateId }, data: { pushLeaseUntil: null, pushNextAttemptAt: nextAttemptAt, pushLastError: error.slice(0, 1000) } });
  }
}
