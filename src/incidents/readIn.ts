// The read-in: what someone joining an incident late needs, built from the record (not written by
// anyone, not generated): where it stands, who holds which role, when impact began and when it was
// detected, the latest update, the last few highlights and the open action items. It is sent,
// privately, to whoever joins the channel, and `/incident brief` shows it on demand. The Slack
// side words it (src/slack/views/readIn.ts) and adds the commands a newcomer needs.
import type { IncidentDeps } from "./deps.js";
import {
  isHighlight,
  type ActionItem,
  type Incident,
  type IncidentRecord,
  type IncidentUpdate,
  type MessageSource,
  type UserId,
} from "./model.js";

/** The last highlights shown: enough to follow the thread, few enough to read at a glance. */
export const READ_IN_HIGHLIGHTS = 5;
/** Open action items shown; the rest are counted (`/incident actions` lists them all). */
export const READ_IN_ACTION_ITEMS = 8;

export interface ReadInHighlight {
  kind: "message" | "log" | "quoted";
  at: Date;
  authorId: UserId | null;
  /** As recorded (redacted): Slack markup, possibly long; the view shortens it. */
  text: string;
  /** A message of the incident channel: its ts, for a link to it. */
  ts: string | null;
  /** A message quoted from elsewhere: where it came from. */
  source: MessageSource | null;
}

export interface ReadIn {
  incident: Incident;
  /** How long it has been going: declared until now, or until it was resolved. */
  openForMs: number;
  /** The latest published update, for stakeholders or customers; null before there is one. */
  latestUpdate: Pick<IncidentUpdate, "text" | "postedBy" | "publishedAt" | "public"> | null;
  /** The last few highlights, oldest first. */
  highlights: ReadInHighlight[];
  /** How many highlights the record holds in all. */
  highlightCount: number;
  openActionItems: Pick<ActionItem, "number" | "text" | "ownerId" | "dueDate">[];
  openActionItemCount: number;
  timeZone: string;
  now: Date;
}

/** The read-in of a record, as of `now`. Pure. */
export function readInOf(record: IncidentRecord, updates: readonly IncidentUpdate[], options: { now: Date; timeZone: string }): ReadIn {
  const { incident } = record;
  const highlights = record.entries.filter(isHighlight).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const open = record.actionItems.filter((item) => item.status === "open").sort((a, b) => a.number - b.number);
  const latest = updates
    .filter((update) => update.publishedAt)
    .sort((a, b) => a.publishedAt!.getTime() - b.publishedAt!.getTime())
    .at(-1);
  const end = incident.resolvedAt ?? options.now;
  return {
    incident,
    openForMs: Math.max(0, end.getTime() - incident.declaredAt.getTime()),
    latestUpdate: latest ? { text: latest.text, postedBy: latest.postedBy, publishedAt: latest.publishedAt, public: latest.public } : null,
    highlights: highlights.slice(-READ_IN_HIGHLIGHTS).map((entry) => ({
      kind: entry.kind as ReadInHighlight["kind"],
      at: entry.occurredAt,
      authorId: entry.authorId,
      text: entry.text,
      ts: entry.kind === "message" ? entry.ts : null,
      source: entry.data?.source ?? null,
    })),
    highlightCount: highlights.length,
    openActionItems: open.slice(0, READ_IN_ACTION_ITEMS).map(({ number, text, ownerId, dueDate }) => ({ number, text, ownerId, dueDate })),
    openActionItemCount: open.length,
    timeZone: options.timeZone,
    now: options.now,
  };
}

/** The incident's read-in now, read from the store (`/incident brief`, and for someone who joined). */
export async function readInFor(deps: IncidentDeps, incidentId: string): Promise<ReadIn> {
  const [record, updates] = await Promise.all([
    deps.incidents.loadRecord(incidentId),
    deps.updates.listUpdates(incidentId, { publishedOnly: true }),
  ]);
  return readInOf(record, updates, { now: deps.clock.now(), timeZone: deps.timeZone });
}

/**
 * Someone joined a channel (member_joined_channel): if it is an incident channel, they get its
 * read-in, once per join (`joinKey`, the event's id: Slack's redelivery sends nothing twice;
 * leaving and joining again is a new join). The declarer, who made the channel, gets none.
 * Returns whether one was sent.
 */
export async function readInOnJoin(deps: IncidentDeps, join: { channelId: string; userId: UserId; joinKey: string }): Promise<boolean> {
  // Read from the store, not the locator's cache: the bot's own join and the declarer's come while
  // the channel is being made, before its incident is stored, and must not be remembered as "not
  // an incident" (messages said there in the next seconds would then be ignored).
  const incident = await deps.incidents.findIncidentByChannel(join.channelId);
  if (!incident || join.userId === incident.declaredBy) return false;
  if (!(await deps.requests.claimRequest(`join:${join.channelId}:${join.userId}:${join.joinKey}`))) return false;
  try {
    await deps.channel.sendReadIn(join.userId, await readInFor(deps, incident.id));
    return true;
  } catch (error) {
    // Claimed, so a redelivery will not send it twice; `/incident brief` shows it to them any time.
    deps.logger.warn({ err: error, incident: incident.number, user: join.userId }, "could not send the read-in");
    return false;
  }
}
