// The header pinned in every incident channel: title, status, severity, roles, report state.
import type { IncidentDeps } from "./deps.js";
import type { Incident, ReportState } from "./model.js";

/**
 * Brings the pinned header up to date, posting it first if it is missing (Slack failed while the
 * incident was declared): the declaration stands, and the header appears with the next change.
 */
export async function showHeader(deps: IncidentDeps, incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">): Promise<Incident> {
  if (incident.headerTs) {
    await deps.channel.refreshHeader(incident, report);
    return incident;
  }
  const headerTs = await deps.channel.publishHeader(incident, report);
  return deps.incidents.changeIncident(incident.id, { headerTs });
}
