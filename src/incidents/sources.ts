// Messages from anywhere in Slack brought into the record, with the shortcuts on them:
//  - "Add to incident timeline" records a message (an alert, a customer's report, a decision made
//    in another channel) in an open incident's timeline as a highlight, with its own time, its
//    author, its text (secrets redacted), the link to it and where it came from: once per message.
//  - "Declare incident" on a message makes that message the incident's detection (declare.ts).
// The message is picked first, while its modal opens: its link is asked of Slack then (a message
// the bot cannot link is refused before anyone fills in a form), and it is held, redacted, for the
// form's submission, which names only its id. A private incident is offered, and takes messages,
// only from members of its channel (privacy.ts).
import type { Actor } from "./actor.js";
import type { IncidentDeps } from "./deps.js";
import { UserError } from "./errors.js";
import type { AttachedFile, Incident, MessageSource, PickedMessage, UserId } from "./model.js";
import { redacted } from "./capture.js";
import { mayView, visibleTo } from "./privacy.js";
import { slackTsToDate } from "./slackTime.js";

/** A message as the shortcut's payload gave it, before redaction. */
export interface MessageToPick {
  channelId: string;
  channelName: string | null;
  ts: string;
  threadTs: string | null;
  authorId: UserId | null;
  authorName: string | null;
  text: string;
  files: AttachedFile[];
}

/** The key of a quoted message's entry: one per message and incident, however often the shortcut runs. */
export const quotedKey = (source: Pick<MessageSource, "channelId" | "ts">) => `quoted:${source.channelId}:${source.ts}`;

/** Holds a message for a shortcut's form: its link from Slack, its text and files' names redacted. */
export async function pickMessage(deps: IncidentDeps, actor: Actor, message: MessageToPick): Promise<PickedMessage> {
  const link = await deps.channel.messageLink(message.channelId, message.ts);
  if (!link.ok) throw new UserError({ code: "message_not_linkable", reason: link.reason, channelName: message.channelName });
  const { text, files } = redacted(message);
  return deps.picked.pickMessage({
    source: {
      channelId: message.channelId,
      channelName: message.channelName,
      ts: message.ts,
      permalink: link.url,
      authorId: message.authorId,
      authorName: message.authorName,
    },
    threadTs: message.threadTs,
    text,
    files,
    pickedBy: actor.userId,
    pickedAt: deps.clock.now(),
  });
}

/** The open incidents `viewer` may add a message to, most recently declared first; refused when there is none. */
export async function incidentsToAddTo(deps: IncidentDeps, viewer: UserId): Promise<Incident[]> {
  const open = await visibleTo(deps, await deps.incidents.listIncidents({ open: true }), viewer);
  if (open.length === 0) throw new UserError({ code: "no_open_incident" });
  return open.reverse();
}

/** A picked message, still held. */
export async function pickedMessage(deps: IncidentDeps, pickedId: string): Promise<PickedMessage> {
  const picked = await deps.picked.findPickedMessage(pickedId);
  if (!picked) throw new UserError({ code: "picked_message_gone" });
  return picked;
}

/**
 * The form's submission: the picked message goes into the incident's timeline as a highlight.
 * A message of the incident's own channel is the entry the channel already gave it, highlighted;
 * any other is a `quoted` entry keyed on the message. Either way, twice is once.
 */
export async function addToTimeline(
  deps: IncidentDeps,
  input: { incidentId: string; pickedId: string },
  actor: Actor,
): Promise<{ incident: Incident; picked: PickedMessage }> {
  const incident = await deps.incidents.getIncident(input.incidentId);
  if (!(await mayView(deps, incident, actor.userId))) throw new UserError({ code: "incident_not_visible" });
  const picked = await pickedMessage(deps, input.pickedId);
  const { source } = picked;
  if (source.channelId === incident.channelId) {
    await deps.incidents.recordMessage(incident.id, {
      ts: source.ts,
      threadTs: picked.threadTs,
      authorId: source.authorId,
      text: picked.text,
      files: picked.files,
    });
    await deps.incidents.highlightMessage(incident.id, source.ts);
  } else {
    await deps.incidents.addEntry(incident.id, {
      sourceKey: quotedKey(source),
      kind: "quoted",
      occurredAt: slackTsToDate(source.ts),
      authorId: source.authorId,
      text: picked.text,
      files: picked.files,
      data: { source },
      highlight: true,
    });
  }
  return { incident, picked };
}
