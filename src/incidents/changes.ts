// Changes people make to a running incident through commands. Each one is applied together with a
// typed timeline entry (who, what, old and new value, when: its facts, entryFacts.ts), then the
// header is refreshed, the channel is told who changed what (the same facts, worded by Slack's
// renderer) and the announcement is kept current.
import { inviteForSeverity, isEscalation, keepAnnouncementCurrent } from "./assemble.js";
import type { IncidentDeps } from "./deps.js";
import { deliver, tell } from "./showing.js";
import { ChannelRefusedError, UserError } from "./errors.js";
import type { Change } from "./entryFacts.js";
import type { Incident, IncidentStatus, Role, Severity, UserId } from "./model.js";
import { authorize, statusChangeAct } from "./policy.js";
import type { IncidentPatch } from "./ports/incidentStore.js";
import { showHeader } from "./header.js";
import { redactSecrets } from "./redact.js";
import { type Actor, entryKeyOf } from "./actor.js";

async function applyChange(
  deps: IncidentDeps,
  incident: Incident,
  actor: Actor,
  patch: IncidentPatch,
  change: Change,
  occurredAt?: Date,
): Promise<Incident> {
  const updated = await deps.incidents.changeIncident(incident.id, patch, {
    sourceKey: entryKeyOf(actor),
    occurredAt: occurredAt ?? deps.clock.now(),
    authorId: actor.userId,
    ...change,
  });
  const shown = await publishChange(deps, updated, actor, change);
  await keepAnnouncementCurrent(deps, incident, shown);
  return shown;
}

/** After a change is stored: the header shows it and the channel is told who made it (each as Slack allows: showing.ts). */
async function publishChange(deps: IncidentDeps, updated: Incident, actor: Actor, change: Change): Promise<Incident> {
  const shown = await showHeader(deps, updated);
  await tell(deps, updated, { kind: "changed", by: actor.userId, change });
  return shown;
}

export async function changeStatus(deps: IncidentDeps, incident: Incident, actor: Actor, status: IncidentStatus) {
  const act = statusChangeAct(incident, status);
  if (act) await authorize(deps, incident, actor.userId, act);
  if (incident.status === status) throw new UserError({ code: "already_status", status });
  const reopening = incident.status === "resolved";
  return applyChange(deps, incident, actor, reopening ? { status, resolvedAt: null } : { status }, {
    kind: "status",
    data: { field: "status", from: incident.status, to: status },
  });
}

export async function changeSeverity(deps: IncidentDeps, incident: Incident, actor: Actor, severity: Severity) {
  if (incident.severity === severity) throw new UserError({ code: "already_severity", severity });
  const data = { field: "severity", from: incident.severity, to: severity } as const;
  const updated = await applyChange(deps, incident, actor, { severity }, { kind: "severity", data });
  // Escalated: the people INVITE_ON_DECLARE names for the new severity are brought in.
  if (isEscalation(incident.severity, severity)) {
    await inviteForSeverity(deps, updated, { userId: actor.userId, sourceKey: entryKeyOf(actor) });
  }
  return updated;
}

export async function assignRole(deps: IncidentDeps, incident: Incident, actor: Actor, role: Role, userId: UserId) {
  await authorize(deps, incident, actor.userId, "assign_roles");
  const previous = incident.roles[role] ?? null;
  if (previous === userId) throw new UserError({ code: "already_role", role, userId });
  const change = { kind: "role", data: { field: role, from: previous, to: userId } } as const;
  const updated = await deps.incidents.assignRole(incident.id, role, userId, actor.userId, {
    sourceKey: entryKeyOf(actor),
    occurredAt: deps.clock.now(),
    authorId: actor.userId,
    ...change,
  });
  const inviting = { what: "invite" as const, channelId: updated.channelId, incidentNumber: updated.number };
  await deliver(deps, inviting, async () => {
    // Slack answers a refusal of the person (a guest account...) rather than failing: it is still not shown.
    const [refused] = (await deps.channel.invite(updated.channelId, [userId])).refused;
    if (refused) throw new ChannelRefusedError({ code: "invite_refused", channelId: updated.channelId, ...refused });
  });
  const shown = await publishChange(deps, updated, actor, change);
  await keepAnnouncementCurrent(deps, incident, shown);
  return shown;
}

export type MomentField = "impact_start" | "impact_end" | "detected";
const momentColumn = { impact_start: "impactStartedAt", impact_end: "impactEndedAt", detected: "detectedAt" } as const;

export async function setMoment(deps: IncidentDeps, incident: Incident, actor: Actor, field: MomentField, at: Date) {
  const column = momentColumn[field];
  const start = field === "impact_end" ? incident.impactStartedAt : null;
  if (start && at < start) throw new UserError({ code: "impact_end_before_start", start });
  const end = field === "impact_start" ? incident.impactEndedAt : null;
  if (end && at > end) throw new UserError({ code: "impact_start_after_end", end });
  const data = { field, from: incident[column]?.toISOString() ?? null, to: at.toISOString() };
  return applyChange(deps, incident, actor, { [column]: at }, { kind: field, data }, at);
}

export async function setSummary(deps: IncidentDeps, incident: Incident, actor: Actor, summary: string) {
  const text = redactSecrets(summary.trim()).text;
  const data = { field: "summary", from: incident.summary, to: text } as const;
  return applyChange(deps, incident, actor, { summary: text }, { kind: "summary", data });
}

export async function setTitle(deps: IncidentDeps, incident: Incident, actor: Actor, title: string) {
  const text = redactSecrets(title.trim()).text;
  if (text === incident.title) throw new UserError({ code: "same_title" });
  return applyChange(deps, incident, actor, { title: text }, { kind: "title", data: { field: "title", from: incident.title, to: text } });
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
