// What the public status page may show, and nothing more: incidents that have told customers
// something (a published public update, or a published public summary), declared in the last 90
// days or still open, each with its public title, status, severity, times, published public
// updates and public summary. The internal title, people, the channel and the timeline are never
// selected, so no renderer can leak them by mistake. Private incidents are never selected at all:
// this is the one query every endpoint (HTML, feed, each JSON document) is served from.
//
// The page is public and unauthenticated: the result is cached for a few seconds (one query per
// window, shared by concurrent requests), so a burst of requests costs the database one query.
import { publicTitleOf } from "../incidents/model.js";
import type { StatusPageReader } from "../incidents/ports/statusPageReader.js";
import { STATUS_PAGE_CACHE_MS, STATUS_PAGE_HISTORY_DAYS, type PublicIncident, type StatusPageSnapshot } from "../incidents/publicStatus.js";
import { DAY_MS } from "../incidents/time/durations.js";
import type { Database } from "../database/database.js";

/** Reads the status page's incidents (no cache; see StatusPageReadModel). */
export async function readStatusPage(database: Pick<Database, "prisma">, now: Date): Promise<StatusPageSnapshot> {
  const since = new Date(now.getTime() - STATUS_PAGE_HISTORY_DAYS * DAY_MS);
  const publishedPublic = { public: true, publishedAt: { not: null } } as const;
  const rows = await database.prisma.incident.findMany({
    where: {
      private: false,
      AND: [
        { OR: [{ status: { not: "resolved" } }, { declaredAt: { gte: since } }] },
        { OR: [{ updates: { some: publishedPublic } }, { report: { is: { publicSummary: { not: null } } } }] },
      ],
    },
    // Only public fields: what is not selected cannot be shown.
    select: {
      id: true,
      number: true,
      publicTitle: true,
      status: true,
      severity: true,
      declaredAt: true,
      resolvedAt: true,
      updates: {
        where: publishedPublic,
        orderBy: [{ publishedAt: "desc" }, { createdAt: "desc" }],
        select: { id: true, text: true, status: true, publishedAt: true },
      },
      report: { select: { publicSummary: true, publishedAt: true } },
    },
    orderBy: { declaredAt: "desc" },
  });
  const incidents: PublicIncident[] = rows.map((row) => ({
    id: row.id,
    number: row.number,
    title: publicTitleOf(row),
    status: row.status,
    severity: row.severity,
    declaredAt: row.declaredAt,
    resolvedAt: row.resolvedAt,
    updates: row.updates.map((u) => ({ id: u.id, text: u.text, status: u.status, publishedAt: u.publishedAt! })),
    publicSummary: row.report?.publicSummary ?? null,
  }));
  const open = incidents.filter((i) => i.status !== "resolved");
  const resolved = incidents.filter((i) => i.status === "resolved");
  const changes = rows.flatMap((row) => [
    ...row.updates.map((u) => u.publishedAt!.getTime()),
    ...(row.resolvedAt ? [row.resolvedAt.getTime()] : []),
    ...(row.report?.publicSummary && row.report.publishedAt ? [row.report.publishedAt.getTime()] : []),
  ]);
  return { incidents: [...open, ...resolved], readAt: now, lastChangedAt: changes.length ? new Date(Math.max(...changes)) : null };
}

/** readStatusPage behind a short cache shared by every request (and one read in flight at a time). */
export class StatusPageReadModel implements StatusPageReader {
  private cached?: { snapshot: StatusPageSnapshot; until: number };
  private reading?: Promise<StatusPageSnapshot>;
  private generation = 0;

  constructor(
    private readonly database: Pick<Database, "prisma">,
    private readonly now: () => Date,
    private readonly cacheMs = STATUS_PAGE_CACHE_MS,
  ) {}

  async snapshot(): Promise<StatusPageSnapshot> {
    const now = this.now();
    if (this.cached && this.cached.until > now.getTime()) return this.cached.snapshot;
    if (this.reading) return this.reading;
    const generation = this.generation;
    const reading = readStatusPage(this.database, now).finally(() => {
      if (this.reading === reading) this.reading = undefined;
    });
    this.reading = reading;
    const snapshot = await reading;
    // A read that began before invalidate() may predate the change: serve it once, do not keep it.
    if (generation === this.generation) this.cached = { snapshot, until: now.getTime() + this.cacheMs };
    return snapshot;
  }

  /** Forgets the cached read: call after publishing something customers should see at once. */
  invalidate() {
    this.generation += 1;
    this.cached = undefined;
    this.reading = undefined;
  }
}
