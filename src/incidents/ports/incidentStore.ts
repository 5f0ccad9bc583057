// Incidents and their timeline, as the domain stores them (src/store/prismaIncidentStore.ts).
import type {
  AttachedFile,
  Incident,
  IncidentRecord,
  IncidentStatus,
  MessageSource,
  Role,
  Severity,
  TimelineEntry,
  UserId,
} from "../model.js";
import type { Change, EntryFactsByKind } from "../entryFacts.js";

/**
 * A timeline entry a command writes: a change with its facts (entryFacts.ts), written together with
 * the change it describes, or an `/incident log` entry, whose text is what the person typed.
 */
export type NewTypedEntry = {
  sourceKey: string;
  occurredAt: Date;
  /** Null when the change came from outside Slack (an issue closed on GitHub). */
  authorId: UserId | null;
  highlight?: boolean;
} & (Change | { kind: "log"; text: string } | MessageFromElsewhere);

/**
 * People's words from elsewhere in Slack, recorded with where they came from: a message quoted
 * with the "Add to incident timeline" shortcut, or the message an incident was declared from (its
 * detection). Only these and `log` carry text: every other typed entry is its facts.
 */
export type MessageFromElsewhere =
  | { kind: "quoted"; text: string; files: AttachedFile[]; data: { source: MessageSource } }
  | { kind: "detected"; text: string; data: EntryFactsByKind["detected"] & { source: MessageSource } };

export interface IncidentPatch {
  title?: string;
  status?: IncidentStatus;
  severity?: Severity;
  summary?: string | null;
  resolution?: string | null;
  detectedAt?: Date | null;
  impactStartedAt?: Date | null;
  impactEndedAt?: Date | null;
  resolvedAt?: Date | null;
  headerTs?: string | null;
  publicTitle?: string | null;
}

/** A message as Slack gave it, already redacted. */
export interface CapturedMessage {
  ts: string;
  threadTs: string | null;
  authorId: UserId | null;
  text: string;
  files: AttachedFile[];
  /** Present when the message has been edited: Slack's ts of the latest edit. */
  editedTs?: string;
}

/** Incidents and their timeline. */
export interface IncidentStore {
  /** Stores a new incident (its declarer the commander) with its first entries, in one transaction. */
  createIncident(
    input: {
      title: string;
      channelId: string;
      channelName: string;
      severity: Severity;
      declaredBy: UserId;
      declaredAt: Date;
      summary?: string | null;
      detectedAt?: Date | null;
      /** A private incident (its channel is private); absent: public. */
      private?: boolean;
    },
    entries: NewTypedEntry[],
  ): Promise<Incident>;
  findIncidentByChannel(channelId: string): Promise<Incident | null>;
  findIncidentByNumber(number: number): Promise<Incident | null>;
  /**
   * Names of the given channels that are public incidents' channels (the bot named them); others are
   * left out, private incidents' too: their channel's name carries their title into any report that mentions it.
   */
  channelNames(channelIds: string[]): Promise<Record<string, string>>;
  getIncident(incidentId: string): Promise<Incident>;
  listIncidents(filter?: { open?: boolean }): Promise<Incident[]>;
  /** Applies the patch and writes the entry in one transaction. Returns the incident after it. */
  changeIncident(incidentId: string, patch: IncidentPatch, entry?: NewTypedEntry): Promise<Incident>;
  /** Sets (or clears, with null) the holder of a role and writes the entry, in one transaction. */
  assignRole(incidentId: string, role: Role, userId: UserId, assignedBy: UserId, entry: NewTypedEntry): Promise<Incident>;
  /** Adds a typed entry on its own (e.g. `/incident log`). Idempotent on sourceKey. */
  addEntry(incidentId: string, entry: NewTypedEntry): Promise<void>;

  /** Stores a message; a redelivery of the same ts changes nothing. Returns false if it was already there. */
  recordMessage(incidentId: string, message: CapturedMessage): Promise<boolean>;
  /** Applies an edit, keeping the replaced text as a revision. Creates the entry if the original never arrived. */
  recordEdit(incidentId: string, message: CapturedMessage & { editedTs: string }, previousText: string | null): Promise<void>;
  recordDeletion(incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null): Promise<void>;
  /** Adds or removes a user's :pushpin: on a message; the entry is a highlight while anyone has one. */
  setPin(incidentId: string, ts: string, userId: UserId, pinned: boolean): Promise<void>;
  /** Pins or unpins a message with Slack's own "Pin to channel": a highlight while pinned, whatever the :pushpin: reactions. */
  setSlackPin(incidentId: string, ts: string, pinned: boolean): Promise<void>;
  /** Makes a message a highlight for good (the "Add to incident timeline" shortcut on a message of the incident's channel). */
  highlightMessage(incidentId: string, ts: string): Promise<void>;
  /**
   * Remembers the incident's announcement in INCIDENTS_CHANNEL, if its current one is `replacing`
   * (null: none yet). False when another was there: two replicas announced at once, one message stays.
   */
  setAnnouncement(incidentId: string, announcement: { channelId: string; ts: string }, replacing: string | null): Promise<boolean>;
  /** Adds or removes a user's :no_entry_sign: on a message; the entry stays out of the report's timeline while anyone has one. */
  setExcluded(incidentId: string, ts: string, userId: UserId, excluded: boolean): Promise<void>;
  /** The newest message ts stored for the incident (backfill resumes after it), and the thread parents seen. */
  captureCursor(incidentId: string): Promise<{ latestTs: string | null; threadParents: string[] }>;

  /** The incident with its whole timeline, its action items and its report, read at once. */
  loadRecord(incidentId: string): Promise<IncidentRecord>;
  /** Entries in time order; the full record, including non-highlights and deleted ones. */
  listEntries(incidentId: string): Promise<TimelineEntry[]>;
}
