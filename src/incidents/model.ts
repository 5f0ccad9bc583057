// The domain's own types. Plain data: no Slack, Prisma or Octokit types leak in here.

export const STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Roles of the incident process. Stored with underscores; typed by people as `tech-lead`. */
export const ROLES = ["commander", "tech_lead", "liaison", "scribe"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  commander: "Incident commander",
  tech_lead: "Tech lead",
  liaison: "Communication liaison",
  scribe: "Scribe",
};

export const REPORT_STATUSES = ["draft", "in_review", "changes_requested", "approved", "published"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * What only some people may do (src/incidents/policy.ts says who); a refusal names the act.
 * `resolve_or_reopen` is a status change to or from resolved.
 */
export type PrivilegedAct =
  | "assign_roles"
  | "resolve"
  | "resolve_or_reopen"
  | "approve_report"
  | "request_changes"
  | "publish_report"
  | "post_updates"
  | "publish_public_update"
  | "cancel_public_update"
  | "set_public_title"
  /** `/incident invite` in a private incident (anyone may in a public one). */
  | "invite_to_private";

export type ActionItemStatus = "open" | "done" | "dropped";

/** Slack user id, e.g. U0123ABC. */
export type UserId = string;

export interface Incident {
  id: string;
  number: number;
  title: string;
  channelId: string;
  channelName: string;
  status: IncidentStatus;
  severity: Severity;
  summary: string | null;
  resolution: string | null;
  declaredBy: UserId;
  declaredAt: Date;
  detectedAt: Date | null;
  impactStartedAt: Date | null;
  impactEndedAt: Date | null;
  resolvedAt: Date | null;
  headerTs: string | null;
  roles: Partial<Record<Role, UserId>>;
  /** What customers see as the incident's name; null until the liaison sets one (see publicTitleOf). */
  publicTitle: string | null;
  /** Its announcement in INCIDENTS_CHANNEL, once posted (see assemble.ts). */
  announcement?: { channelId: string; ts: string } | null;
  /**
   * A private incident (security, customer data, HR): a private channel, nothing of it leaves that
   * channel unless someone chooses it (assemble.ts, reachOf). Absent or false: public.
   */
  private?: boolean;
}

/** The name customers see for an incident: the liaison's public title, or a neutral default (never the internal title). */
export const publicTitleOf = (incident: Pick<Incident, "number" | "publicTitle">): string =>
  incident.publicTitle?.trim() || `Incident #${incident.number}`;

/**
 * Kinds of timeline entry. `message` is something a person said in the channel; every other kind
 * is typed: written by the bot when someone changed the incident through a command.
 */
export type EntryKind =
  | "message"
  | "log"
  | "declared"
  | "status"
  | "severity"
  | "role"
  | "impact_start"
  | "impact_end"
  | "detected"
  | "summary"
  | "title"
  | "action"
  | "resolved"
  | "report"
  /** What the liaison told stakeholders or customers: communication is part of the timeline. */
  | "update"
  /** People invited into the channel for the incident's severity (INVITE_ON_DECLARE). */
  | "invited"
  /** A message from anywhere in Slack added with the "Add to incident timeline" shortcut. */
  | "quoted";

export interface AttachedFile {
  name: string;
  url?: string;
}

/** Where a message recorded from elsewhere in Slack came from, and the link back to it. */
export interface MessageSource {
  channelId: string;
  /** The channel's name when Slack said it (null for a direct message). */
  channelName: string | null;
  ts: string;
  /** chat.getPermalink's link to the original. */
  permalink: string;
  /** Its author, when a person wrote it. */
  authorId: UserId | null;
  /** An app or integration that posted it, by name (when no person did). */
  authorName: string | null;
}

/**
 * A Slack message someone picked with a shortcut, held while they fill in the modal: already
 * redacted, with its link, its author and where it came from.
 */
export interface PickedMessage {
  id: string;
  source: MessageSource;
  threadTs: string | null;
  text: string;
  files: AttachedFile[];
  pickedBy: UserId;
  pickedAt: Date;
}

export interface EntryRevision {
  text: string;
  /** When this version stopped being current (the time of the edit that replaced it). */
  replacedAt: Date;
}

export interface TimelineEntry {
  id: string;
  kind: EntryKind;
  /** When it happened: Slack's own message time, or the time a typed change was made (or backdated to). */
  occurredAt: Date;
  /** Slack message ts (messages only). */
  ts: string | null;
  /** For thread replies: the ts of the message they answer. */
  threadTs: string | null;
  authorId: UserId | null;
  /** What people said (messages, `/incident log`); empty for a typed change, which is its `data`. */
  text: string;
  files: AttachedFile[];
  /**
   * Typed entries: the change's facts (entryFacts.ts: read them with changeOf). A message quoted
   * from elsewhere, and a detection from a message, also hold where it came from.
   */
  data: {
    field?: string;
    from?: string | null;
    to?: string | null;
    comment?: string;
    /** A message from elsewhere in Slack (quoted, or the source of the detection): where it came from. */
    source?: MessageSource;
    /** The people an `invited` entry records. */
    users?: UserId[];
    /** The `declared` entry of a private incident. */
    private?: boolean;
  } | null;
  /** A message pinned (a :pushpin: reaction or Slack's "Pin to channel"): see isHighlight. */
  highlight: boolean;
  /** Someone asked for it to stay out of the report's timeline (it never appears there, pinned or not). */
  excluded?: boolean;
  deleted: boolean;
  editedAt: Date | null;
  revisions: EntryRevision[];
}

/**
 * A highlight (README, Glossary): an entry a person chose for the record: a pinned message, an
 * `/incident log` entry, a message quoted with "Add to incident timeline". The report's timeline
 * always shows it, and the read-in shows the last few.
 */
export const isHighlight = (entry: TimelineEntry): boolean =>
  !entry.deleted && !entry.excluded && ((entry.kind === "message" && entry.highlight) || entry.kind === "log" || entry.kind === "quoted");

export interface ActionItem {
  id: string;
  number: number;
  text: string;
  ownerId: UserId | null;
  /** Calendar date (UTC midnight of that day). */
  dueDate: Date | null;
  status: ActionItemStatus;
  createdBy: UserId;
  createdAt: Date;
  issueNumber: number | null;
  issueUrl: string | null;
  lastError: string | null;
  /** When it was marked done (in Slack, or by closing its issue); null while not done. */
  doneAt?: Date | null;
  /** The issue's state on GitHub as last seen (webhook or reconciliation); null before anyone looked. */
  issueState?: IssueState | null;
}

/** An action item's issue on GitHub: `deleted` (or moved away) stops the bot following it. */
export type IssueState = "open" | "closed" | "deleted";

/** Report sections in the order they appear. People may write any of them; the rest are compiled. */
export const REPORT_SECTIONS = [
  "summary",
  "detection",
  "impact",
  "timeline",
  "root_cause",
  "resolution",
  "went_well",
  "went_badly",
  "action_items",
] as const;
export type ReportSectionKey = (typeof REPORT_SECTIONS)[number];

export const SECTION_TITLES: Record<ReportSectionKey, string> = {
  summary: "Summary",
  detection: "Detection",
  impact: "Impact",
  timeline: "Timeline",
  root_cause: "Root cause analysis",
  resolution: "Resolution",
  went_well: "What went well",
  went_badly: "What didn't go so well",
  action_items: "Action items",
};

export interface ReportState {
  status: ReportStatus;
  /** Sections written or edited by people, by key (Markdown): the standard keys, or a team template's. */
  sections: Partial<Record<string, string>>;
  version: number;
  approvedBy: UserId | null;
  approvedVersion: number | null;
  publishedUrl: string | null;
  /** The file in the reports repository, fixed at the first publish so later ones update it. */
  publishedPath?: string | null;
  publishedAt: Date | null;
}

/** Everything the report compiler reads: the incident and its whole record. */
export interface IncidentRecord {
  incident: Incident;
  entries: TimelineEntry[];
  actionItems: ActionItem[];
  report: ReportState | null;
}

/**
 * What the communication liaison told people: stakeholders (internal: the incident channel and
 * UPDATES_CHANNEL) or customers (public). A public update is unpublished (publishedAt null) until the
 * liaison confirms the preview; internal ones are published when they are written.
 */
export interface IncidentUpdate {
  id: string;
  incidentId: string;
  public: boolean;
  /** Exactly what was posted; for a public update, exactly what the preview showed. */
  text: string;
  /** The incident's status when the update was written. */
  status: IncidentStatus;
  postedBy: UserId;
  createdAt: Date;
  publishedAt: Date | null;
}
