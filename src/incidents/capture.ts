// Capture: everything people say in an incident channel becomes a timeline entry, keyed on the
// message's Slack ts, with Slack's time, redacted before it is stored.
import type { IncidentDeps } from "./deps.js";
import type { UserId } from "./model.js";
import type { CapturedMessage } from "./ports/incidentStore.js";
import { redactFileName, redactFileUrl, redactSecrets } from "./redact.js";

/** A message as it may be stored: secrets redacted from its text and from its files' names and links (wherever it was said). */
export function redacted<T extends Pick<CapturedMessage, "text" | "files">>(message: T): T {
  return {
    ...message,
    text: redactSecrets(message.text).text,
    files: message.files.map((f) => ({ ...f, name: redactFileName(f.name), ...(f.url ? { url: redactFileUrl(f.url) } : {}) })),
  };
}

export const captureMessage = (deps: IncidentDeps, incidentId: string, message: CapturedMessage) =>
  deps.incidents.recordMessage(incidentId, redacted(message));

export const captureEdit = (
  deps: IncidentDeps,
  incidentId: string,
  message: CapturedMessage & { editedTs: string },
  previousText: string | null,
) =>
  deps.incidents.recordEdit(
    incidentId,
    { ...redacted(message), editedTs: message.editedTs },
    previousText === null ? null : redactSecrets(previousText).text,
  );

export const captureDeletion = (deps: IncidentDeps, incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null) =>
  deps.incidents.recordDeletion(incidentId, ts, deletedAt, previous && redacted(previous));

export const capturePin = (deps: IncidentDeps, incidentId: string, ts: string, userId: UserId, pinned: boolean) =>
  deps.incidents.setPin(incidentId, ts, userId, pinned);

/**
 * Slack's own "Pin to channel" (pin_added, pin_removed): a highlight, exactly as a :pushpin:
 * reaction is, and kept apart from the reactions, so neither undoes the other (unpinning leaves a
 * highlight that a reaction still holds). A pin on a message the record lacks (its event was
 * lost) records the message first, from the copy the pin event carries.
 */
export async function captureSlackPin(deps: IncidentDeps, incidentId: string, message: CapturedMessage, pinned: boolean): Promise<void> {
  if (pinned) await captureMessage(deps, incidentId, message);
  await deps.incidents.setSlackPin(incidentId, message.ts, pinned);
}

/**
 * After the bot was down: read what was said in every open incident channel since the last
 * message we stored, and every thread we know of, through the same idempotent writes.
 */
export async function backfillOpenIncidents(deps: IncidentDeps): Promise<{ incidents: number; stored: number }> {
  let stored = 0;
  const open = await deps.incidents.listIncidents({ open: true });
  for (const incident of open) {
    const cursor = await deps.incidents.captureCursor(incident.id);
    const threads = new Set(cursor.threadParents);
    for await (const message of deps.channel.readHistory(incident.channelId, cursor.latestTs)) {
      if (await captureMessage(deps, incident.id, message)) stored++;
      if (message.replyCount > 0) threads.add(message.ts);
    }
    for (const threadTs of threads) {
      for await (const reply of deps.channel.readReplies(incident.channelId, threadTs)) {
        if (await captureMessage(deps, incident.id, reply)) stored++;
      }
    }
  }
  if (stored > 0) deps.logger.info({ incidents: open.length, stored }, "backfilled messages said while the bot was away");
  return { incidents: open.length, stored };
}
