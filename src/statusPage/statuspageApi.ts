// GET /api/v2/summary.json and /api/v2/incidents.json in the shape of Atlassian Statuspage's
// public API v2, so existing status-page consumers and dashboards can read this page:
// page {id, name, url, time_zone, updated_at}, status {indicator, description}, components,
// incidents [{id, name, status, created_at, updated_at, monitoring_at, resolved_at, impact,
// shortlink, started_at, page_id, incident_updates [...], components}], scheduled_maintenances.
// The bot has no components or maintenances: those lists are empty.
import { impactOf, type Impact, type PublicIncident, type StatusPageSnapshot } from "../incidents/publicStatus.js";
import { INDICATOR_DESCRIPTIONS, worstImpact } from "./vocabulary.js";

export interface StatuspageApiOptions {
  /** The page's id (Statuspage's are 12 characters; ours is derived from the page, see routes). */
  pageId: string;
  name: string;
  timeZone: string;
  /** Absolute base URL of the page as the client reached it. */
  baseUrl: string;
}

const iso = (at: Date | null) => (at ? at.toISOString() : null);

function page(snapshot: StatusPageSnapshot, options: StatuspageApiOptions) {
  return {
    id: options.pageId,
    name: options.name,
    url: `${options.baseUrl}/status`,
    time_zone: options.timeZone,
    updated_at: iso(snapshot.lastChangedAt ?? snapshot.readAt),
  };
}

function incidentJson(incident: PublicIncident, options: StatuspageApiOptions) {
  const times = [incident.declaredAt, ...incident.updates.map((u) => u.publishedAt), ...(incident.resolvedAt ? [incident.resolvedAt] : [])];
  const monitoring = incident.updates.filter((u) => u.status === "monitoring").map((u) => u.publishedAt.getTime());
  return {
    id: incident.id,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.declaredAt),
    updated_at: iso(new Date(Math.max(...times.map((t) => t.getTime())))),
    monitoring_at: monitoring.length ? iso(new Date(Math.min(...monitoring))) : null,
    resolved_at: incident.status === "resolved" ? iso(incident.resolvedAt) : null,
    impact: impactOf(incident.severity),
    shortlink: `${options.baseUrl}/status#incident-${incident.number}`,
    started_at: iso(incident.declaredAt),
    page_id: options.pageId,
    incident_updates: incident.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.text,
      incident_id: incident.id,
      created_at: iso(u.publishedAt),
      updated_at: iso(u.publishedAt),
      display_at: iso(u.publishedAt),
      affected_components: [],
      deliver_notifications: true,
    })),
    components: [],
  };
}

/** summary.json: the page's indicator (from the worst open incident), and the unresolved incidents. */
export function summaryJson(snapshot: StatusPageSnapshot, options: StatuspageApiOptions) {
  const open = snapshot.incidents.filter((i) => i.status !== "resolved");
  const indicator: Impact = worstImpact(open.map((i) => impactOf(i.severity)));
  return {
    page: page(snapshot, options),
    status: { indicator, description: INDICATOR_DESCRIPTIONS[indicator] },
    components: [],
    incidents: open.map((i) => incidentJson(i, options)),
    scheduled_maintenances: [],
  };
}

/** incidents.json: the recent incidents (open ones and the last 90 days), newest first. */
export function incidentsJson(snapshot: StatusPageSnapshot, options: StatuspageApiOptions) {
  const newestFirst = [...snapshot.incidents].sort((a, b) => b.declaredAt.getTime() - a.declaredAt.getTime());
  return { page: page(snapshot, options), incidents: newestFirst.map((i) => incidentJson(i, options)) };
}
