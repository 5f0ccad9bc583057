// Public updates on their way to Atlassian Statuspage (src/store/statuspagePushStore.ts implements it).
import type { Incident, IncidentStatus } from "../model.js";
import type { LeaseRequest } from "../delivery.js";

/** A published public update waiting for Atlassian Statuspage, with what the push needs of its incident. */
export interface PendingPush {
  updateId: string;
  text: string;
  status: IncidentStatus;
  publishedAt: Date;
  /** Free to take now: not leased by a worker, not waiting out a backoff. */
  due: boolean;
  incident: Pick<Incident, "id" | "number" | "publicTitle" | "severity"> & { statuspageIncidentId: string | null };
}

/**
 * Public updates on their way to Atlassian Statuspage (src/atlassianStatuspage/push.ts): which
 * wait, the per-update lease (delivery.ts), and what Statuspage now holds.
 */
export interface StatuspagePushStore {
  /** Published public updates not yet on Statuspage, published since `since`, oldest first per incident. */
  pending(now: Date, since: Date): Promise<PendingPush[]>;
  /** Takes the update; null when another worker (or replica) holds it, or it is pushed or backing off. */
  claim(updateId: string, lease: LeaseRequest): Promise<{ attempts: number } | null>;
  /** Releases the update after a failure; the sweep tries again from `nextAttemptAt`. */
  markFailed(updateId: string, error: string, nextAttemptAt: Date): Promise<void>;
  markPushed(updateId: string, at: Date): Promise<void>;
  /** The Statuspage incident now known for ours (kept if one was already stored). */
  setStatuspageIncident(incidentId: string, statuspageIncidentId: string): Promise<void>;
  /** The texts of this incident's updates already on Statuspage (for the look-before-adding). */
  pushedTexts(incidentId: string): Promise<string[]>;
}
