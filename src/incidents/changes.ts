// Changes people make to a running incident through commands. Each one is applied together with a
// typed timeline entry (who, what, old and new value, when), then the header is refreshed and the
// channel is told who changed what.
import type { IncidentDeps } from "./deps.js";
import { deliver, tell } from "./delivery.js";
import { UserError } from "./errors.js";
import type { EntryKind, Incident, IncidentStatus, Role, Severity, UserId } from "./model.js";
import { ROLE_LABELS } from "./model.js";
import type { IncidentPatch } from "./ports.js";
import { showHeader } from "./header.js";
import { redactSecrets } from "./redact.js";
import { formatMoment } from "./time.js";

/** Who asked, and the key that makes a repeated request a no-op (Slack's trigger id). */
export interface Actor {
  userId: UserId;
  requestKey: string;
}

/** The source key of the timeline entry a request writes: one entry per request, however often it arrives. */
export const entryKeyOf = (actor: Actor) => `command:${actor.requestKey}`;

interface Change {
  kind: EntryKind;
  patch: IncidentPatch;
  text: string;
  data?: { field: string; from: string | null; to: string | null };
  occurredAt?: Date;
}

async function applyChange(deps: IncidentDeps, incident: Incident, actor: Actor, change: Change): Promise<Incident> {
  const updated = await deps.incidents.changeIncident(incident.id, change.patch, {
    sourceKey: entryKeyOf(actor),
    kind: change.kind,
    occurredAt: change.occurredAt ?? deps.clock.now(),
    authorId: actor.userId,
    text: change.text,
    data: change.data,
  });
  return publishChange(deps, updated, actor, change.text);
}

/** After a change is stored: the header shows it and the channel is told who made it (each as Slack allows: delivery.ts). */
async function publishChange(deps: IncidentDeps, updated: Incident, actor: Actor, text: string): Promise<Incident> {
  const shown = await showHeader(deps, updated);
  await tell(deps, updated, { kind: "changed", by: actor.userId, what: text });
  return shown;
}

export async function changeStatus(deps: IncidentDeps, incident: Incident, actor: Actor, status: IncidentStatus) {
  if (incident.status === status) throw new UserError({ code: "already_status", status });
  const reopening = incident.status === "resolved";
  return applyChange(deps, incident, actor, {
    kind: "status",
    patch: reopening ? { status, resolvedAt: null } : { status },
    text: reopening ? `Re-opened the incident: status ${incident.status} → ${status}` : `Changed status from ${incident.status} to ${status}`,
    data: { field: "status", from: incident.status, to: status },
  });
}

export async function changeSeverity(deps: IncidentDeps, incident: Incident, actor: Actor, severity: Severity) {
  if (incident.severity === severity) throw new UserError({ code: "already_severity", severity });
  return applyChange(deps, incident, actor, {
    kind: "severity",
    patch: { severity },
    text: `Changed severity from ${incident.severity.toUpperCase()} to ${severity.toUpperCase()}`,
    data: { field: "severity", from: incident.severity, to: severity },
  });
}

export async function assignRole(deps: IncidentDeps, incident: Incident, actor: Actor, role: Role, userId: UserId) {
  const previous = incident.roles[role] ?? null;
  if (previous === userId) throw new UserError({ code: "already_role", role, userId });
  const text = previous
    ? `Made <@${userId}> ${ROLE_LABELS[role].toLowerCase()} (was <@${previous}>)`
    : `Made <@${userId}> ${ROLE_LABELS[role].toLowerCase()}`;
  const updated = await deps.incidents.assignRole(incident.id, role, userId, actor.userId, {
    sourceKey: entryKeyOf(actor),
    kind: "role",
    occurredAt: deps.clock.now(),
    authorId: actor.userId,
    text,
    data: { field: role, from: previous, to: userId },
  });
  const inviting = { what: "invite" as const, channelId: updated.channelId, incidentNumber: updated.number };
  await deliver(deps, inviting, () => deps.channel.invite(updated.channelId, [userId]));
  return publishChange(deps, updated, actor, text);
}

export type MomentField = "impact_start" | "impact_end" | "detected";
const momentColumn = { impact_start: "impactStartedAt", impact_end: "impactEndedAt", detected: "detectedAt" } as const;
const momentLabel = { impact_start: "impact start", impact_end: "impact end", detected: "detection time" } as const;

export async function setMoment(deps: IncidentDeps, incident: Incident, actor: Actor, field: MomentField, at: Date) {
  const column = momentColumn[field];
  const start = field === "impact_end" ? incident.impactStartedAt : null;
  if (start && at < start) throw new UserError({ code: "impact_end_before_start", start });
  const end = field === "impact_start" ? incident.impactEndedAt : null;
  if (end && at > end) throw new UserError({ code: "impact_start_after_end", end });
  const was = incident[column];
  const before = was ? formatMoment(was, deps.timeZone, "full") : null;
  const after = formatMoment(at, deps.timeZone, "full");
  return applyChange(deps, incident, actor, {
    kind: field,
    patch: { [column]: at },
    occurredAt: at,
    text: before ? `Set the ${momentLabel[field]} to ${after} (was ${before})` : `Set the ${momentLabel[field]} to ${after}`,
    data: { field, from: incident[column]?.toISOString() ?? null, to: at.toISOString() },
  });
}

export async function setSummary(deps: IncidentDeps, incident: Incident, actor: Actor, summary: string) {
  const text = redactSecrets(summary.trim()).text;
  return applyChange(deps, incident, actor, {
    kind: "summary",
    patch: { summary: text },
    text: `Set the summary: ${text}`,
    data: { field: "summary", from: incident.summary, to: text },
  });
}

export async function setTitle(deps: IncidentDeps, incident: Incident, actor: Actor, title: string) {
  const text = redactSecrets(title.trim()).text;
  if (text === incident.title) throw new UserError({ code: "same_title" });
  return applyChange(deps, incident, actor, {
    kind: "title",
    patch: { title: text },
    text: `Renamed the incident from “${incident.title}” to “${text}”`,
    data: { field: "title", from: incident.title, to: text },
  });
}

/** `/incident log [at <time>] <text>`: an explicit, highlighted timeline entry. */
export async function logEntry(deps: IncidentDeps, incidentId: string, actor: Actor, text: string, at?: Date) {
  const { text: clean } = redactSecrets(text.trim());
  await deps.incidents.addEntry(incidentId, {
    sourceKey: entryKeyOf(actor),
    kind: "log",
    occurredAt: at ?? deps.clock.now(),
    authorId: actor.userId,
    text: clean,
    highlight: true,
  });
  return clean;
}
