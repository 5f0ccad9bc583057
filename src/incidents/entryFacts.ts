// What a typed timeline entry records: the facts of one change, by the entry's kind, stored as its
// `data`. Its `text` stays empty (only people's own words are text: messages, `/incident log`, a
// message quoted from elsewhere or the one an incident was declared from: ports/incidentStore.ts), so
// nothing the bot wrote is frozen in one renderer's words: the report's timeline
// (report/sections.ts), Slack's notices (src/slack/notices.ts) and the CLI's JSON each say it their
// way. The `field`, `from` and `to` keys are those every typed entry has had; rows written before
// the other facts existed were given them by the migration `*_typed_entry_facts`.
import type { ActionItemStatus, IncidentStatus, IssueState, ReportStatus, Role, Severity, UserId } from "./model.js";

/** A time people set (the field is the entry's kind): ISO instants. */
interface MomentFacts {
  field: "impact_start" | "impact_end" | "detected";
  from: string | null;
  to: string;
}

/** Which action item, as people know it. */
interface ItemRef {
  number: number;
  /** The item's text when the change was made. */
  text: string;
}

/** A change to an action item; `issue` is set when it was seen on GitHub (the item followed its issue). */
export type ActionItemFacts =
  | ({ field: "action_item"; from: null; to: string; ownerId: UserId | null; due: string | null } & ItemRef)
  | ({ field: "action_item_status"; from: ActionItemStatus | null; to: ActionItemStatus; issue?: number } & ItemRef)
  | ({ field: "action_item_owner"; from: UserId | null; to: UserId | null } & ItemRef)
  /** Due dates as calendar days, `2025-09-01`. */
  | ({ field: "action_item_due"; from: string | null; to: string | null } & ItemRef)
  | ({ field: "action_item_issue"; from: IssueState | null; to: IssueState | null; issue: number } & ItemRef);

/** A step of the report's review. */
export type ReportStep = "section_edited" | "review_requested" | "approved" | "changes_requested" | "published";

export interface EntryFactsByKind {
  declared: { field: "status"; from: null; to: "investigating"; title: string; severity: Severity; private?: true };
  status: { field: "status"; from: IncidentStatus; to: IncidentStatus };
  severity: { field: "severity"; from: Severity; to: Severity };
  role: { field: Role; from: UserId | null; to: UserId | null };
  impact_start: MomentFacts;
  impact_end: MomentFacts;
  detected: MomentFacts;
  summary: { field: "summary"; from: string | null; to: string };
  title: { field: "title" | "public_title"; from: string | null; to: string };
  resolved: { field: "status"; from: IncidentStatus; to: "resolved"; resolution: string | null };
  /** `section` is the section's title; `url` where it was published; `comment` the tech lead's. */
  report: { field: "report"; step: ReportStep; from: ReportStatus; to: ReportStatus; section?: string; url?: string; comment?: string };
  /** What the liaison told stakeholders (internal) or customers (public), as published. */
  update: { field: "update"; from: null; to: "internal" | "public"; text: string };
  action: ActionItemFacts;
  /**
   * People invited into the channel (assemble.ts): those INVITE_ON_DECLARE names for the severity,
   * or those someone named with `/incident invite`.
   */
  invited: { field: "severity"; from: null; to: Severity; users: UserId[] } | { field: "invite"; from: null; to: null; users: UserId[] };
}

export type TypedKind = keyof EntryFactsByKind;

/** One recorded change: its kind and its facts. */
export type Change = { [K in TypedKind]: { kind: K; data: EntryFactsByKind[K] } }[TypedKind];

/** The change an entry records, or null for people's words and for entries without their facts. */
export function changeOf(entry: { kind: string; data: object | null }): Change | null {
  // People's words (and a message quoted from elsewhere, whose `data` is only where it came from).
  if (entry.kind === "message" || entry.kind === "log" || entry.kind === "quoted" || !entry.data) return null;
  // Typed entries are written only from Change values (ports/incidentStore.ts NewTypedEntry), and older rows were
  // migrated to the same shape, so the stored facts are the kind's.
  return { kind: entry.kind, data: entry.data } as Change;
}
