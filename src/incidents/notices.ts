// What the incident channel is told, as facts: who did what, with ids and values. The domain says
// what happened; src/slack/notices.ts says it in Slack's words (mentions, bold, commands to type).
import type { Change } from "./entryFacts.js";
import type { ActionItem, Incident, IncidentStatus, Severity, UserId } from "./model.js";

export type Notice =
  /** A change to the incident recorded in its timeline, with the facts its entry holds. */
  | { kind: "changed"; by: UserId; change: Change }
  | { kind: "action_item_added"; by: UserId; item: Pick<ActionItem, "number" | "text" | "ownerId" | "dueDate"> }
  /** An item's issue changed on GitHub: closed (done), reopened, or deleted or moved (no longer followed). */
  | {
      kind: "action_item_followed";
      change: "done" | "reopened" | "issue_gone";
      item: Pick<ActionItem, "number" | "text" | "issueNumber" | "issueUrl">;
    }
  /** To the owner, directly: an open item past its due date. */
  | {
      kind: "action_item_overdue";
      item: Pick<ActionItem, "number" | "text" | "dueDate" | "issueNumber" | "issueUrl">;
      incident: Pick<Incident, "number" | "title" | "channelId">;
    }
  /** The same, said in a private incident's own channel to the owner (a direct message would carry it out). */
  | { kind: "action_item_overdue_here"; to: UserId; item: Pick<ActionItem, "number" | "text" | "dueDate" | "issueNumber" | "issueUrl"> }
  /** A week after resolve: open items without an owner or a due date, to `to`. */
  | {
      kind: "action_items_incomplete";
      to: UserId;
      incidentNumber: number;
      items: Pick<ActionItem, "number" | "text" | "ownerId" | "dueDate">[];
    }
  | { kind: "report_section_edited"; by: UserId; section: string; version: number; backToReview: boolean }
  | { kind: "report_review_requested"; by: UserId; techLeadId: UserId; incidentNumber: number; version: number; findings: number }
  | { kind: "report_approved"; by: UserId; version: number }
  | { kind: "report_changes_requested"; by: UserId; liaisonId: UserId | null; comment: string }
  | { kind: "report_published"; by: UserId; url: string }
  | { kind: "report_late"; to: UserId; incidentNumber: number; hours: number }
  | { kind: "stakeholder_update"; by: UserId; text: string }
  /** The same update in UPDATES_CHANNEL, with the incident it is about. */
  | {
      kind: "stakeholder_update_elsewhere";
      by: UserId;
      text: string;
      incident: Pick<Incident, "number" | "title" | "severity" | "status" | "channelId">;
    }
  | { kind: "public_update_published"; by: UserId; title: string; status: IncidentStatus; text: string }
  | { kind: "public_title_set"; by: UserId; title: string; previous: string | null }
  /** `customers`: whether the incident may have public updates (a private one may not). */
  | { kind: "updates_overdue"; to: UserId; incidentNumber: number; severity: Severity; minutes: number; customers: boolean }
  /** INVITE_ON_DECLARE's people for the severity: who was invited, whom Slack refused, the user groups it would not read. */
  | {
      kind: "invited_for_severity";
      severity: Severity;
      /** Whose list it was: INVITE_ON_DECLARE, or INVITE_ON_DECLARE_PRIVATE for a private incident. */
      list: "public" | "private";
      invited: UserId[];
      refused: { userId: UserId; reason: string }[];
      unreadGroups: string[];
    };

export type NoticeKind = Notice["kind"];
