// Problems the person who asked can put right, as facts: a code and what a message needs. The
// domain says what went wrong; src/slack/problems.ts says it in Slack's words (a table with one
// rendering per code, so a new code does not compile until it has one).
import type { IncidentStatus, PrivilegedAct, ReportStatus, Role, Severity, UserId } from "./model.js";

/**
 * A time or due date people typed that could not be taken (time/expressions.ts, time/dueDates.ts):
 * what was typed, and what the answer needs to show (the parser's echo of a clock or a date, an
 * example date that would be accepted). Dates are calendar days, `2025-08-19`.
 */
export type TimeProblem =
  | { code: "time_unreadable"; typed: string }
  | { code: "time_in_future"; at: Date; now: Date }
  /** A clock time later today: it is refused rather than taken as yesterday's. */
  | { code: "clock_in_future"; now: Date; clock: string }
  | { code: "due_not_in_calendar"; typed: string; example: string }
  | { code: "due_unreadable"; typed: string; example: string }
  | { code: "due_in_past"; date: string; today: string; example: string };

export type Problem =
  | TimeProblem
  // Changes to a running incident (changes.ts, declare.ts).
  | { code: "no_title" }
  | { code: "channel_names_taken" }
  /** A private incident was asked for, and the workspace has not granted what private channels need: nothing was created. */
  | { code: "private_channels_not_allowed"; missing: string[] }
  | { code: "already_status"; status: IncidentStatus }
  | { code: "already_severity"; severity: Severity }
  | { code: "already_role"; role: Role; userId: UserId }
  | { code: "impact_end_before_start"; start: Date }
  | { code: "impact_start_after_end"; end: Date }
  | { code: "same_title" }
  | { code: "action_item_gone" }
  /**
   * A privileged act by someone without the role (policy.ts): `act` what was refused; `roles`
   * and `admins` the rule; `holders` who hold those roles now, in the rule's order.
   */
  | { code: "not_allowed"; act: PrivilegedAct; roles: readonly Role[]; admins: boolean; holders: { role: Role; userId: UserId }[] }
  // The report's review (report/review.ts).
  | { code: "not_a_section"; key: string }
  | { code: "report_edit_conflict"; version: number; markdown: string }
  | { code: "review_needs_tech_lead" }
  | { code: "already_in_review"; techLeadId: UserId }
  | { code: "already_approved" }
  | { code: "approval_needs_review"; status: ReportStatus }
  | { code: "changes_need_review"; status: ReportStatus }
  | { code: "already_published"; url: string | null }
  | { code: "publishing_needs_approval"; status: ReportStatus }
  | { code: "publishing_not_configured" }
  /** A private incident's approved report, with no private reports repository to publish it to: nothing was published. */
  | { code: "private_publishing_not_configured" }
  /** The approver acted on a view of an older version (StaleReportError). */
  | { code: "report_changed"; version: number }
  // Stakeholder and customer updates (updates.ts).
  | { code: "update_empty" }
  | { code: "public_update_empty" }
  | { code: "public_update_too_long"; length: number; max: number }
  | { code: "public_update_cancelled" }
  | { code: "update_already_published" }
  | { code: "update_published_or_cancelled" }
  | { code: "update_not_cancellable" }
  | { code: "public_title_empty" }
  | { code: "public_title_too_long"; length: number; max: number }
  | { code: "same_public_title"; title: string }
  /** Customers never hear of a private incident: a public update or a public title is refused. */
  | { code: "private_incident_not_public"; refused: "public_update" | "public_title" }
  // Assembling the response (assemble.ts, sources.ts).
  /** The incident takes no one through its Join button (a private incident). */
  | { code: "join_not_offered"; incidentNumber: number }
  /** Slack would not invite the presser (a guest kept out of public channels, an archived channel...). */
  | { code: "join_refused"; incidentNumber: number; reason: string }
  /** A private incident chosen by someone not in its channel (a form from before they left, or made by hand). */
  | { code: "incident_not_visible" }
  /** A shortcut's message is no longer held (picked more than a day ago). */
  | { code: "picked_message_gone" }
  /** "Add to incident timeline" with no open incident to add to. */
  | { code: "no_open_incident" }
  /** Slack gives the bot no link to the message: a channel it cannot see, or a message since deleted. */
  | { code: "message_not_linkable"; reason: "channel_not_found" | "message_not_found"; channelName: string | null };

export type ProblemCode = Problem["code"];

/** A problem the person who asked can fix; shown to them (rendered by the front end they used), nothing else done. */
export class UserError extends Error {
  constructor(readonly problem: Problem) {
    // The code, for logs; people see the rendering.
    super(problem.code);
    this.name = "UserError";
  }
}

/**
 * The chat service (Slack) refused a call for a reason the bot cannot put right by itself: the
 * channel (the bot was removed from it, it was archived or deleted), the app's permissions, or a
 * workspace rule. A fact, raised by the adapter (src/slack/refusals.ts reads Slack's error codes)
 * and worded for the person and the log at the edge; the domain only decides that a refusal to
 * show something never undoes what was recorded (see showing.ts).
 */
export type ChannelRefusal =
  | { code: "not_in_channel"; channelId: string }
  | { code: "is_archived"; channelId: string }
  | { code: "channel_not_found"; channelId: string }
  /** The app lacks a permission (OAuth scope): `needed` is what the call needs, `provided` what the app has. */
  | { code: "missing_scope"; method: string; needed: string[]; provided: string[] }
  /** A workspace setting forbids the app this action (who may post in a channel, say). */
  | { code: "restricted_action"; method: string; channelId?: string }
  /** Slack refused what the bot built (invalid_blocks, msg_too_long...): a bug in the bot, not the person's. */
  | { code: "content_refused"; method: string; error: string; messages: string[] }
  /** Slack would not invite this person into the channel (a guest account, a deactivated one...): conversations.invite's `reason`. */
  | { code: "invite_refused"; channelId: string; userId: UserId; reason: string };

export class ChannelRefusedError extends Error {
  constructor(readonly refusal: ChannelRefusal) {
    super(`Slack refused: ${refusal.code}`);
    this.name = "ChannelRefusedError";
  }
}
