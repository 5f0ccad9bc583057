// Assembling the response: who hears of an incident beyond its channel, and who is brought in.
//  - reachOf is the one place that decides what an incident reaches beyond its channel: its
//    announcement, the Join button, invitations by severity, a declaration visible where it was
//    typed, stakeholder updates in UPDATES_CHANNEL, anything customers see, the repositories its
//    issues and report go to, and reminders sent to one person. A private incident (security,
//    customer data, HR) answers no to each: nothing of it leaves its channel unless someone
//    chooses it (`/incident invite`, INVITE_ON_DECLARE_PRIVATE, the private repositories).
//  - The announcement in INCIDENTS_CHANNEL is one message per incident, posted at declaration and
//    kept current (chat.update on the same ts) when what it shows changes. Posting is best effort:
//    the incident is recorded whatever Slack says, and a failed announcement is posted with the
//    incident's next change.
//  - Join invites the presser into the incident channel; pressing it twice is harmless.
//  - INVITE_ON_DECLARE (INVITE_ON_DECLARE_PRIVATE for a private incident) invites people (and user
//    groups' members) when an incident is declared at a severity or escalated to it; each
//    invitation is one timeline entry, written once per request.
//  - `/incident invite` brings people into any incident's channel: anyone may in a public one; in
//    a private one the policy says who (policy.ts).
import { type Actor, entryKeyOf } from "./actor.js";
import type { IncidentDeps } from "./deps.js";
import { deliver, tell } from "./showing.js";
import { UserError } from "./errors.js";
import type { Incident, Severity, UserId } from "./model.js";
import { SEVERITIES } from "./model.js";
import { authorize, inviteAct } from "./policy.js";
import type { Invitation } from "./ports/incidentChannel.js";

/** What an incident reaches beyond its own channel. */
export interface Reach {
  /** Announced in INCIDENTS_CHANNEL (when set). */
  announce: boolean;
  /** Anyone may join it with the Join button. */
  join: boolean;
  /** Whose list invites people by severity: INVITE_ON_DECLARE, or INVITE_ON_DECLARE_PRIVATE. */
  inviteList: "public" | "private";
  /** The declaration is answered where it was typed, for everyone there to see. */
  visibleDeclaration: boolean;
  /** Stakeholder updates are also posted in UPDATES_CHANNEL. */
  updatesChannel: boolean;
  /** Customers hear of it: public updates, a public title, the status page, Statuspage, a public summary. */
  customers: boolean;
  /** Its action items' issues and its report go to GITHUB_REPOSITORY and REPORTS_REPOSITORY, or only to the private ones. */
  repositories: "public" | "private";
  /** A reminder for one person (an overdue action item) is a direct message; otherwise it is said in the incident channel. */
  directReminders: boolean;
}

const PUBLIC_REACH: Reach = {
  announce: true,
  join: true,
  inviteList: "public",
  visibleDeclaration: true,
  updatesChannel: true,
  customers: true,
  repositories: "public",
  directReminders: true,
};

/**
 * Nothing leaves the channel unless someone chooses it; a reminder for one person is said there
 * too, as a direct message would name the incident to someone who may not be in its channel.
 */
const PRIVATE_REACH: Reach = {
  announce: false,
  join: false,
  inviteList: "private",
  visibleDeclaration: false,
  updatesChannel: false,
  customers: false,
  repositories: "private",
  directReminders: false,
};

export const reachOf = (incident: Pick<Incident, "private">): Reach => (incident.private ? PRIVATE_REACH : PUBLIC_REACH);

/** The facts the announcement shows: when none of them changed, it is not touched. */
const announced = (incident: Incident) =>
  JSON.stringify([
    incident.title,
    incident.severity,
    incident.status,
    incident.roles.commander ?? null,
    incident.resolution,
    incident.resolvedAt?.getTime() ?? null,
  ]);

/**
 * Posts the incident's announcement, unless INCIDENTS_CHANNEL is unset or the incident is not
 * announced. What Slack refuses is told as anything recorded but not shown is (showing.ts): to the
 * declarer, or, `quiet`, to the log alone (a retry with a later change, after they were told).
 */
export async function announceIncident(deps: IncidentDeps, incident: Incident, options: { quiet?: boolean } = {}): Promise<void> {
  const channelId = deps.incidentsChannelId;
  if (!channelId || !reachOf(incident).announce) return;
  const showing = { what: "announcement" as const, channelId, incidentNumber: incident.number, quiet: options.quiet };
  const ts = await deliver(deps, showing, () => deps.channel.announce(channelId, incident));
  if (!ts) return;
  const announcement = { channelId, ts };
  const replacing = incident.announcement?.ts ?? null;
  if (!(await deps.incidents.setAnnouncement(incident.id, announcement, replacing))) {
    // Another replica announced it at the same moment: its message stays, this one goes.
    await deliver(deps, { ...showing, quiet: true }, () => deps.channel.withdrawAnnouncement(announcement));
  }
}

/**
 * After a change: the announcement shows it, when what it shows changed (title, severity, status,
 * commander, resolution). An incident whose announcement Slack refused is announced now (quietly:
 * the declarer was told); one whose message was deleted is announced again. Never fails the change.
 */
export async function keepAnnouncementCurrent(deps: IncidentDeps, before: Incident, after: Incident): Promise<void> {
  if (!deps.incidentsChannelId || !reachOf(after).announce || announced(before) === announced(after)) return;
  const announcement = after.announcement;
  if (!announcement) return announceIncident(deps, after, { quiet: true });
  const showing = { what: "announcement" as const, channelId: announcement.channelId, incidentNumber: after.number, quiet: true };
  const refreshed = await deliver(deps, showing, () => deps.channel.refreshAnnouncement(after, announcement));
  if (refreshed === "gone") await announceIncident(deps, after);
}

/** The Join button: the presser is invited into the incident channel. `joined` is false when they were already in. */
export async function joinIncident(deps: IncidentDeps, incidentId: string, actor: Actor): Promise<{ incident: Incident; joined: boolean }> {
  const incident = await deps.incidents.getIncident(incidentId);
  if (!reachOf(incident).join) throw new UserError({ code: "join_not_offered", incidentNumber: incident.number });
  const invitation = await deps.channel.invite(incident.channelId, [actor.userId]);
  const refused = invitation.refused[0];
  if (refused) throw new UserError({ code: "join_refused", incidentNumber: incident.number, reason: refused.reason });
  return { incident, joined: invitation.invited.includes(actor.userId) };
}

/** From the least to the most severe: escalating is moving towards sev1. */
const rank = (severity: Severity) => SEVERITIES.length - SEVERITIES.indexOf(severity);
export const isEscalation = (from: Severity, to: Severity) => rank(to) > rank(from);

/** Slack invites at most 1,000 people per call. */
const INVITES_PER_CALL = 1000;

/**
 * Invites INVITE_ON_DECLARE's people for the incident's severity: the users listed and the members
 * of the user groups listed. People already in the channel are left alone; each invitation is one
 * timeline entry under `sourceKey` (the declaration, or the request that escalated), so a repeated
 * request records nothing twice. Slack's refusals (a deactivated account, a group it cannot read)
 * are told to the channel; they never undo the declaration or the escalation.
 */
export async function inviteForSeverity(
  deps: IncidentDeps,
  incident: Incident,
  by: { userId: UserId | null; sourceKey: string },
): Promise<void> {
  const list = reachOf(incident).inviteList;
  const listed = (list === "private" ? deps.inviteOnDeclarePrivate : deps.inviteOnDeclare)?.[incident.severity] ?? [];
  if (listed.length === 0) return;
  const people = new Set(listed.filter((id) => !id.startsWith("S")));
  const unreadGroups: string[] = [];
  for (const group of listed.filter((id) => id.startsWith("S"))) {
    try {
      for (const member of await deps.userGroups.members(group)) people.add(member);
    } catch (error) {
      deps.logger.warn({ err: error, incident: incident.number, group }, "could not read a user group's members for INVITE_ON_DECLARE");
      unreadGroups.push(group);
    }
  }
  people.delete(incident.declaredBy);
  const invited: UserId[] = [];
  const refused: { userId: UserId; reason: string }[] = [];
  const everyone = [...people];
  try {
    for (let at = 0; at < everyone.length; at += INVITES_PER_CALL) {
      const invitation = await deps.channel.invite(incident.channelId, everyone.slice(at, at + INVITES_PER_CALL));
      invited.push(...invitation.invited);
      refused.push(...invitation.refused);
    }
  } catch (error) {
    // Those not invited yet are told as refused; the record holds whom Slack did take.
    deps.logger.warn({ err: error, incident: incident.number }, "could not invite INVITE_ON_DECLARE's people");
    refused.push(...everyone.filter((id) => !invited.includes(id)).map((userId) => ({ userId, reason: "error" })));
  }
  if (invited.length > 0) {
    await deps.incidents.addEntry(incident.id, {
      sourceKey: `${by.sourceKey}:invited`,
      kind: "invited",
      occurredAt: deps.clock.now(),
      authorId: by.userId,
      data: { field: "severity", from: null, to: incident.severity, users: invited },
      highlight: false,
    });
  }
  if (invited.length === 0 && refused.length === 0 && unreadGroups.length === 0) return;
  await tell(deps, incident, { kind: "invited_for_severity", severity: incident.severity, list, invited, refused, unreadGroups });
}

/**
 * `/incident invite <@user…>`: brings people into the incident's channel. Anyone may in a public
 * incident; in a private one only those the policy names (a refusal invites nobody). Those Slack
 * took are one timeline entry (keyed on the request) and a note in the channel; those already in
 * and those Slack refused are the answer to the person who asked.
 */
export async function inviteToIncident(deps: IncidentDeps, incident: Incident, actor: Actor, userIds: UserId[]): Promise<Invitation> {
  const act = inviteAct(incident);
  if (act) await authorize(deps, incident, actor.userId, act);
  const invitation = await deps.channel.invite(incident.channelId, userIds);
  if (invitation.invited.length > 0) {
    const change = { kind: "invited", data: { field: "invite", from: null, to: null, users: invitation.invited } } as const;
    await deps.incidents.addEntry(incident.id, {
      sourceKey: entryKeyOf(actor),
      occurredAt: deps.clock.now(),
      authorId: actor.userId,
      highlight: false,
      ...change,
    });
    await tell(deps, incident, { kind: "changed", by: actor.userId, change });
  }
  return invitation;
}
