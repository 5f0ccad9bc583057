// Incident reports: their sections, review state and publication.
import type { Incident, ReportState, ReportStatus, UserId } from "../model.js";
import type { NewTypedEntry } from "./incidentStore.js";

/** A change to a report; unset fields are left as they are. */
export interface ReportPatch {
  status?: ReportStatus;
  /** A standard section (REPORT_SECTIONS) or one of the team's template. */
  section?: { key: string; markdown: string };
  approvedBy?: UserId | null;
  approvedVersion?: number | null;
  publishedUrl?: string;
  publishedPath?: string;
  publishedAt?: Date;
  /** The customer-facing summary as published (the status page shows it). */
  publicSummary?: string;
  bumpVersion?: boolean;
}

/** Incident reports: their sections, review state and publication. */
export interface ReportStore {
  getReport(incidentId: string): Promise<ReportState>;
  /**
   * Changes the report if its version is still `expectedVersion` (optimistic concurrency), bumping
   * the version when content changes. Returns null when someone else changed it first.
   */
  updateReport(incidentId: string, expectedVersion: number, patch: ReportPatch, entry?: NewTypedEntry): Promise<ReportState | null>;
  /** Claims today's reminder for each resolved incident whose report is late; one replica wins each. */
  claimReportReminders(now: Date, lateAfterMs: number, everyMs: number): Promise<Incident[]>;
}
