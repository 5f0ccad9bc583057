// Public updates to Atlassian Statuspage, each exactly once (delivered as src/incidents/delivery.ts
// does it), in order per incident. The recipe:
//  1. list the published public updates not yet pushed, oldest first per incident; an incident
//     whose oldest waiting update is held by another worker or backing off is skipped (its later
//     updates must not overtake it);
//  2. lease the update with one conditional UPDATE (one worker, one replica at a time);
//  3. find the Statuspage incident: the id stored on ours, else look for one already made for ours
//     (an earlier attempt may have died after Statuspage answered and before we saved): every
//     incident we create carries `metadata.incident_bot.incident_id`; only if none has it, create
//     one (POST .../incidents with name, status, impact_override and the update as its body), and
//     store its id;
//  4. otherwise add the update (PATCH .../incidents/{id} with status and body), but first compare
//     with the incident's own updates: if Statuspage holds this text more often than the updates we
//     have marked as pushed, the earlier attempt got through and is only marked now;
//  5. mark the update pushed. A failure records the error and releases the update with a backoff;
//     the sweep (every minute, every replica) tries again, also after a restart;
//  6. list again until a pass pushes nothing, so an update published meanwhile goes out at once.
// Steps 3 and 4 run inside the client's `retrying`, so an answer lost to a 5xx or a dropped
// connection is followed by another look, not a blind second write.
import { deliverOnce, type LeaseRequest } from "../incidents/delivery.js";
import { publicTitleOf } from "../incidents/model.js";
import type { PendingPush, StatuspagePushStore } from "../incidents/ports/statuspagePushStore.js";
import { impactOf } from "../incidents/publicStatus.js";
import type { Logger } from "../log.js";
import type { StatuspageClient, StatuspageIncident } from "./client.js";

/** How long one attempt may hold an update: the client's own retries (Retry-After, backoff) included. */
const LEASE_MS = 5 * 60_000;
/** Updates older than this are not pushed: configuring Statuspage later must not replay history to subscribers. */
const PUSH_WINDOW_MS = 7 * 24 * 3_600_000;

/** The marker on each Statuspage incident we create (Statuspage wants objects as top-level values). */
export const statuspageMetadataFor = (incidentId: string) => ({ incident_bot: { incident_id: incidentId } });
const isOurs = (incident: StatuspageIncident, incidentId: string) => incident.metadata?.incident_bot?.incident_id === incidentId;

export interface StatuspagePushDeps {
  store: StatuspagePushStore;
  client: StatuspageClient;
  clock: { now(): Date };
  logger: Logger;
}

export interface PushResult {
  pushed: number;
  failed: number;
}

/**
 * Pushes what waits, in passes until a pass pushes nothing. An update published while this run
 * pushes an earlier one of its incident is skipped by the run its publishing started (it must not
 * overtake the earlier one, which this run holds); this run takes it in its next pass, at once
 * rather than at the next sweep. Any replica's run does the same for updates published elsewhere.
 */
export async function pushPublicUpdates(deps: StatuspagePushDeps): Promise<PushResult> {
  const result: PushResult = { pushed: 0, failed: 0 };
  for (;;) {
    const pass = await pushPass(deps);
    result.pushed += pass.pushed;
    result.failed += pass.failed;
    if (pass.pushed === 0) return result;
  }
}

async function pushPass(deps: StatuspagePushDeps): Promise<PushResult> {
  const now = deps.clock.now();
  const pending = await deps.store.pending(now, new Date(now.getTime() - PUSH_WINDOW_MS));
  const byIncident = new Map<string, PendingPush[]>();
  for (const update of pending) byIncident.set(update.incident.id, [...(byIncident.get(update.incident.id) ?? []), update]);
  const result: PushResult = { pushed: 0, failed: 0 };
  // Incidents one after another: Statuspage's rate limit is per key, so parallel pushes gain little.
  for (const updates of byIncident.values()) {
    let statuspageId = updates[0]!.incident.statuspageIncidentId;
    for (const update of updates) {
      if (!update.due) break;
      const ledger = {
        claim: (lease: LeaseRequest) => deps.store.claim(update.updateId, lease),
        release: (error: string, nextAttemptAt: Date) => deps.store.markFailed(update.updateId, error, nextAttemptAt),
      };
      const delivery = await deliverOnce(
        ledger,
        async () => {
          const id = await deps.client.retrying(() => pushOne(deps, update, statuspageId));
          await deps.store.markPushed(update.updateId, deps.clock.now());
          return id;
        },
        { clock: deps.clock, leaseMs: LEASE_MS },
      );
      if (delivery.outcome === "not_claimed") break;
      if (delivery.outcome === "failed") {
        const { attempts, error } = delivery;
        const context = { incident: update.incident.number, update: update.updateId, attempts, error };
        deps.logger.warn(context, "could not push a public update to Statuspage; will try again");
        result.failed += 1;
        break; // later updates of this incident wait for this one
      }
      statuspageId = delivery.result;
      result.pushed += 1;
    }
  }
  return result;
}

/** One attempt at steps 3-4; returns the Statuspage incident's id. */
async function pushOne(deps: StatuspagePushDeps, update: PendingPush, knownId: string | null): Promise<string> {
  const { client, store } = deps;
  let incident: StatuspageIncident | undefined;
  if (knownId) {
    incident = await client.getIncident(knownId);
  } else {
    incident = (await client.listRecentIncidents()).find((i) => isOurs(i, update.incident.id));
    if (!incident) {
      const created = await client.createIncident({
        name: publicTitleOf(update.incident),
        status: update.status,
        impact_override: impactOf(update.incident.severity),
        body: update.text,
        metadata: statuspageMetadataFor(update.incident.id),
      });
      await store.setStatuspageIncident(update.incident.id, created.id);
      return created.id;
    }
    await store.setStatuspageIncident(update.incident.id, incident.id);
  }
  // Compared trimmed: Statuspage may not keep surrounding whitespace.
  const text = update.text.trim();
  const onStatuspage = incident.incident_updates.filter((u) => u.body.trim() === text).length;
  const ours = (await store.pushedTexts(update.incident.id)).filter((pushed) => pushed.trim() === text).length;
  if (onStatuspage <= ours) {
    await client.updateIncident(incident.id, { name: publicTitleOf(update.incident), status: update.status, body: update.text });
  }
  return incident.id;
}
