// The header pinned in every incident channel: title, status, severity, roles, report state.
import type { IncidentDeps } from "./deps.js";
import { deliver } from "./showing.js";
import type { Incident, ReportState } from "./model.js";

/**
 * Brings the pinned header up to date, posting it first if it is missing (Slack failed while the
 * incident was declared): the declaration stands, and the header appears with the next change.
 * Never throws for Slack: the change it shows is recorded already (see showing.ts). A header posted
 * but not pinned is kept (its ts saved), so the next change updates it instead of posting another.
 */
export async function showHeader(
  deps: IncidentDeps,
  incident: Incident,
  report?: Pick<ReportState, "status" | "publishedUrl">,
): Promise<Incident> {
  const where = { what: "header" as const, channelId: incident.channelId, incidentNumber: incident.number };
  if (incident.headerTs) {
    await deliver(deps, where, () => deps.channel.refreshHeader(incident, report));
    return incident;
  }
  const headerTs = await deliver(deps, where, () => deps.channel.publishHeader(incident, report));
  if (!headerTs) return incident;
  const shown = await deps.incidents.changeIncident(incident.id, { headerTs });
  await deliver(deps, { ...where, what: "pin" }, () => deps.channel.pinHeader(incident.channelId, headerTs));
  return shown;
}
