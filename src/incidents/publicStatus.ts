// What customers are shown about incidents, as plain data: the public status page's read model
// (src/store/statusPageQueries.ts reads it through the StatusPageReader port, src/statusPage
// renders it) and a severity's impact in Statuspage's words, which the bot's own page and the push
// to Atlassian Statuspage both use.
import type { IncidentStatus, Severity } from "./model.js";

/** How far back resolved incidents are shown. */
export const STATUS_PAGE_HISTORY_DAYS = 90;
/** How long one read serves every request (the page says "updated every few seconds", not live). */
export const STATUS_PAGE_CACHE_MS = 15_000;

export interface PublicUpdate {
  id: string;
  text: string;
  /** The incident's status when the update was written. */
  status: IncidentStatus;
  publishedAt: Date;
}

export interface PublicIncident {
  id: string;
  number: number;
  /** The public title, or "Incident #N": never the internal title. */
  title: string;
  status: IncidentStatus;
  severity: Severity;
  declaredAt: Date;
  resolvedAt: Date | null;
  /** Published public updates, newest first. */
  updates: PublicUpdate[];
  /** The customer-facing summary (Markdown) as of the report's last publish; null before. */
  publicSummary: string | null;
}

export interface StatusPageSnapshot {
  /** Open incidents first (newest first), then resolved ones (newest first). */
  incidents: PublicIncident[];
  /** When this snapshot was read. */
  readAt: Date;
  /** The newest public change (an update published, an incident resolved): Last-Modified, the feed's updated. */
  lastChangedAt: Date | null;
}

/** Statuspage's name for how bad an incident is. */
export type Impact = "none" | "minor" | "major" | "critical";

const IMPACT_BY_SEVERITY: Record<Severity, Impact> = { sev1: "critical", sev2: "major", sev3: "minor", sev4: "none" };
export const impactOf = (severity: Severity): Impact => IMPACT_BY_SEVERITY[severity];
