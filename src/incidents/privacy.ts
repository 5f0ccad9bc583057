// Who may see an incident named outside its channel. A public incident is anyone's to see; a
// private one is shown in lists typed elsewhere (`/incident followups`, the "Add to incident
// timeline" picker) only to the members of its channel, as Slack says they are
// (ChannelMembers: conversations.members, cached briefly). What leaves the channel otherwise is
// reachOf's to decide (assemble.ts). The CLI is an operator's tool: it asks with no viewer and
// sees every incident.
import type { IncidentDeps } from "./deps.js";
import type { Incident, UserId } from "./model.js";

/** Whether `viewer` may see the incident named outside its channel. */
export async function mayView(
  deps: Pick<IncidentDeps, "members">,
  incident: Pick<Incident, "private" | "channelId">,
  viewer: UserId,
): Promise<boolean> {
  return !incident.private || (await deps.members.includes(incident.channelId, viewer));
}

/** The incidents among these that `viewer` may see, in the same order. */
export async function visibleTo<T extends Pick<Incident, "private" | "channelId">>(
  deps: Pick<IncidentDeps, "members">,
  incidents: T[],
  viewer: UserId,
): Promise<T[]> {
  const seen = await Promise.all(incidents.map((incident) => mayView(deps, incident, viewer)));
  return incidents.filter((_, index) => seen[index]);
}
