// Stakeholder and customer updates as the domain stores them (src/store/prismaUpdateStore.ts).
import type { Incident, IncidentUpdate } from "../model.js";
import type { NewTypedEntry } from "./incidentStore.js";

/**
 * An update as written: `sourceKey` is the request that wrote it (command:<trigger id>), so a
 * replayed command adds nothing; `publishedAt` is set for an internal update (published as it is
 * written) and null for an unpublished public update.
 */
export type NewIncidentUpdate = Omit<IncidentUpdate, "id" | "incidentId"> & { sourceKey: string };

/** Stakeholder and customer updates (src/incidents/updates.ts). */
export interface UpdateStore {
  /**
   * Stores an update and, when given, its timeline entry, in one transaction. Idempotent on the
   * update's sourceKey: `created` is false when that request had already stored it.
   */
  addUpdate(incidentId: string, update: NewIncidentUpdate, entry?: NewTypedEntry): Promise<{ update: IncidentUpdate; created: boolean }>;
  getUpdate(updateId: string): Promise<{ update: IncidentUpdate; incident: Incident } | null>;
  /**
   * Publishes an unpublished public update and writes its timeline entry, in one statement: of any number of
   * presses (or replicas) exactly one gets the update back; the others, and a press on a
   * discarded update, get null.
   */
  publishUpdate(updateId: string, at: Date, entry: NewTypedEntry): Promise<IncidentUpdate | null>;
  /** Deletes an unpublished public update; false when there is none any more. */
  discardUnpublished(updateId: string): Promise<boolean>;
  /** The incident's updates in the order they were written (unpublished ones included unless `publishedOnly`). */
  listUpdates(incidentId: string, options?: { publishedOnly?: boolean }): Promise<IncidentUpdate[]>;
  /**
   * Claims an update reminder for each open SEV1/SEV2 incident with no published update for
   * `quietMs` since the later of its last update, its declaration, escalation or reopening, and its
   * last reminder. One conditional UPDATE: of several replicas one claims each lapse.
   */
  claimUpdateReminders(now: Date, quietMs: number): Promise<Incident[]>;
}
