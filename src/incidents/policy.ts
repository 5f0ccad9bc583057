// Who may do what: the incident process's rules, as data. Roles are assigned by the incident
// commander (who hands the role over only by their own command) or by a break-glass list of
// incident admins; the tech lead alone approves or sends back the report; resolving and reopening
// are the commander's or the tech lead's; publishing is the liaison's, commander's or tech lead's;
// stakeholder and customer updates are the liaison's or the commander's; inviting people into a
// private incident's channel is the commander's or the tech lead's (in a public one, anyone's).
// Everything else (log, status, severity, impact times, action items, summary) is open
// to everyone in the channel, as responders expect.
// Each privileged use case calls `authorize` itself before it reads or writes anything else, so
// every entry point (command, button, modal, shortcut, CLI) gets the same rules; the subcommand
// table uses the same acts for help text and early refusal. A refusal is a typed problem naming
// the act and who can (worded in src/slack/problems.ts), and nothing is written.
import type { IncidentDeps } from "./deps.js";
import { UserError } from "./errors.js";
import type { Incident, IncidentStatus, PrivilegedAct, Role, UserId } from "./model.js";

export type Permission = "assign_roles" | "resolve" | "review" | "publish" | "update" | "invite_private";

interface Rule {
  roles: readonly Role[];
  /** Incident admins (INCIDENT_ADMINS) may also do it: the break-glass path. */
  admins: boolean;
}

export const POLICY: Record<Permission, Rule> = {
  assign_roles: { roles: ["commander"], admins: true },
  resolve: { roles: ["commander", "tech_lead"], admins: false },
  review: { roles: ["tech_lead"], admins: false },
  publish: { roles: ["liaison", "commander", "tech_lead"], admins: false },
  // Stakeholder and customer updates speak for the incident: the liaison's job, or the commander's.
  update: { roles: ["liaison", "commander"], admins: false },
  // Who is let into a private incident is decided by those who run it: no break-glass list here.
  invite_private: { roles: ["commander", "tech_lead"], admins: false },
};

/** The permission each privileged act needs. */
export const ACTS: Record<PrivilegedAct, Permission> = {
  assign_roles: "assign_roles",
  resolve: "resolve",
  resolve_or_reopen: "resolve",
  approve_report: "review",
  request_changes: "review",
  publish_report: "publish",
  post_updates: "update",
  publish_public_update: "update",
  cancel_public_update: "update",
  set_public_title: "update",
  invite_to_private: "invite_private",
};

/** Moving an incident to or from resolved is the resolvers' act; any other status change is anyone's. */
export const statusChangeAct = (incident: Pick<Incident, "status">, status: IncidentStatus): PrivilegedAct | null =>
  status === "resolved" || incident.status === "resolved" ? "resolve_or_reopen" : null;

/** Inviting people in is anyone's in a public incident; in a private one it is a privileged act. */
export const inviteAct = (incident: Pick<Incident, "private">): PrivilegedAct | null => (incident.private ? "invite_to_private" : null);

/** Throws a UserError naming who may, unless `userId` may do `act` on this incident. */
export async function authorize(deps: Pick<IncidentDeps, "admins">, incident: Incident, userId: UserId, act: PrivilegedAct): Promise<void> {
  const { roles, admins } = POLICY[ACTS[act]];
  if (roles.some((role) => incident.roles[role] === userId)) return;
  if (admins && (await deps.admins.includes(userId))) return;
  const holders = roles.flatMap((role) => {
    const holder = incident.roles[role];
    return holder ? [{ role, userId: holder }] : [];
  });
  throw new UserError({ code: "not_allowed", act, roles, admins, holders });
}
