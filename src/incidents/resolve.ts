// Resolving: mark it resolved (impact ends now unless someone said when), open the action items'
// issues, and hand back everything the resolution summary shows. Safe to run twice: the second
// run changes nothing and only retries issues that are still pending.
import { openIssuesFor } from "./actionItems.js";
import { keepAnnouncementCurrent } from "./assemble.js";
import { type Actor, entryKeyOf } from "./actor.js";
import type { IncidentDeps } from "./deps.js";
import type { ActionItem, Incident } from "./model.js";
import { showHeader } from "./header.js";
import { authorize } from "./policy.js";
import { redactSecrets } from "./redact.js";

export interface Resolution {
  incident: Incident;
  actionItems: ActionItem[];
  /** False when the incident was already resolved before this request. */
  newlyResolved: boolean;
}

export async function resolveIncident(deps: IncidentDeps, incident: Incident, actor: Actor, resolution?: string): Promise<Resolution> {
  await authorize(deps, incident, actor.userId, "resolve");
  let current = incident;
  const newlyResolved = incident.status !== "resolved";
  if (newlyResolved) {
    const now = deps.clock.now();
    const text = resolution ? redactSecrets(resolution.trim()).text : undefined;
    current = await deps.incidents.changeIncident(
      incident.id,
      {
        status: "resolved",
        resolvedAt: now,
        impactEndedAt: incident.impactEndedAt ?? now,
        ...(text ? { resolution: text } : {}),
      },
      {
        sourceKey: entryKeyOf(actor),
        kind: "resolved",
        occurredAt: now,
        authorId: actor.userId,
        data: { field: "status", from: incident.status, to: "resolved", resolution: text ?? null },
      },
    );
    current = await showHeader(deps, current);
    await keepAnnouncementCurrent(deps, incident, current);
  }
  const actionItems = await openIssuesFor(deps, current);
  return { incident: current, actionItems, newlyResolved };
}
