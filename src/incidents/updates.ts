// Stakeholder and customer updates. The recipe:
//  1. An internal update (`/incident update <text>`) is redacted, stored together with its timeline
//     entry (kind `update`, a highlight: communication is part of the timeline) under the request's
//     key, and only a request that stored it posts it: in the incident channel and, when
//     UPDATES_CHANNEL is set, there too with a link back. A replay posts nothing twice.
//  2. A public update (`/incident update public <text>`) goes through redaction and the public
//     sanitiser (no names, Slack links or commands) and is stored unpublished; the liaison sees
//     exactly that text, the public title and the status, privately, with Publish and Cancel.
//  3. Publish checks the presser again, then one conditional statement sets publishedAt and writes
//     the timeline entry: of any number of presses (or replicas) one publishes, tells the channel
//     and calls onPublicUpdatePublished (the Statuspage push); the rest change nothing.
//  4. While a SEV1/SEV2 incident is open, a lapse of UPDATE_REMINDER_MINUTES without an update
//     reminds the liaison (or the commander), claimed with one conditional UPDATE per lapse.
// A private incident's updates stay in its channel (not UPDATES_CHANNEL), and customers never hear
// of it: a public update, its publishing and a public title are refused (assemble.ts, reachOf).
import { reachOf } from "./assemble.js";
import { type Actor, entryKeyOf } from "./actor.js";
import type { IncidentDeps } from "./deps.js";
import { tell } from "./showing.js";
import { UserError } from "./errors.js";
import { publicTitleOf, type Incident, type IncidentStatus, type IncidentUpdate } from "./model.js";
import { authorize } from "./policy.js";
import { redactSecrets } from "./redact.js";
import { mentionedIds } from "./report/mentions.js";
import { namesToHide } from "./report/names.js";
import { publicTextFromSlack } from "./report/publicSummary.js";
import { escapeForSlack } from "./slackEscapes.js";

/**
 * A customer update is read on a status page and shown whole in the liaison's preview (Slack shows
 * at most 3,000 characters in one block): longer ones are refused rather than cut.
 */
export const PUBLIC_UPDATE_MAX_CHARS = 2_000;
/** A public title is a headline (Statuspage shows incident names in one line). */
export const PUBLIC_TITLE_MAX_CHARS = 120;

/** What the preview shows and what publishing will make public, word for word. */
export interface PublicUpdatePreview {
  update: IncidentUpdate;
  /** The public title it appears under (publicTitleOf). */
  title: string;
  status: IncidentStatus;
}

export interface InternalUpdateResult {
  update: IncidentUpdate;
  /** False when this request had already posted it (a replay): nothing was posted again. */
  posted: boolean;
  /**
   * Whether it also reached UPDATES_CHANNEL: unset, posted, failed (the incident channel has it
   * anyway), or kept out of it because the incident is private.
   */
  updatesChannel: "none" | "posted" | "failed" | "private";
}

/**
 * Text made fit for customers: secrets redacted, then no names, Slack links or commands, and stored
 * as typed (plain text, Slack's escapes decoded: see publicTextFromSlack). The timeline, which holds
 * Slack's format, gets it escaped again.
 */
async function publicText(deps: IncidentDeps, incident: Incident, text: string): Promise<string> {
  const { users } = mentionedIds(await deps.incidents.loadRecord(incident.id));
  const userNames = users.length ? await deps.channel.userNames(users) : {};
  return publicTextFromSlack(redactSecrets(text.trim()).text, await namesToHide(deps, userNames));
}

/** `/incident update <text>`: an update for stakeholders, posted in the incident channel and UPDATES_CHANNEL. */
export async function postInternalUpdate(
  deps: IncidentDeps,
  incident: Incident,
  actor: Actor,
  text: string,
): Promise<InternalUpdateResult> {
  await authorize(deps, incident, actor.userId, "post_updates");
  const clean = redactSecrets(text.trim()).text;
  if (!clean) throw new UserError({ code: "update_empty" });
  const now = deps.clock.now();
  const { update, created } = await deps.updates.addUpdate(
    incident.id,
    {
      sourceKey: entryKeyOf(actor),
      public: false,
      text: clean,
      status: incident.status,
      postedBy: actor.userId,
      createdAt: now,
      publishedAt: now,
    },
    {
      sourceKey: entryKeyOf(actor),
      kind: "update",
      occurredAt: now,
      authorId: actor.userId,
      data: { field: "update", from: null, to: "internal", text: clean },
      highlight: true,
    },
  );
  if (!created) return { update, posted: false, updatesChannel: "none" };

  await tell(deps, incident, { kind: "stakeholder_update", by: actor.userId, text: clean });
  if (!deps.updatesChannelId) return { update, posted: true, updatesChannel: "none" };
  if (!reachOf(incident).updatesChannel) return { update, posted: true, updatesChannel: "private" };
  // The update is recorded and in the incident channel; if UPDATES_CHANNEL refuses it, the person is told (showing.ts).
  const note = { kind: "stakeholder_update_elsewhere" as const, by: actor.userId, text: clean, incident };
  const elsewhere = await tell(deps, incident, note, deps.updatesChannelId);
  return { update, posted: true, updatesChannel: elsewhere === undefined ? "failed" : "posted" };
}

/** Customers never hear of a private incident. */
function refuseIfPrivate(incident: Incident, refused: "public_update" | "public_title"): void {
  if (!reachOf(incident).customers) throw new UserError({ code: "private_incident_not_public", refused });
}

/** `/incident update public <text>`: an unpublished customer-facing update, for the liaison to confirm. */
export async function previewPublicUpdate(
  deps: IncidentDeps,
  incident: Incident,
  actor: Actor,
  text: string,
): Promise<PublicUpdatePreview> {
  await authorize(deps, incident, actor.userId, "post_updates");
  refuseIfPrivate(incident, "public_update");
  const clean = await publicText(deps, incident, text);
  if (!clean) throw new UserError({ code: "public_update_empty" });
  // Measured as the preview sends it to Slack, where `&`, `<` and `>` take their escapes' length.
  const previewLength = escapeForSlack(clean).length;
  if (previewLength > PUBLIC_UPDATE_MAX_CHARS) {
    throw new UserError({ code: "public_update_too_long", length: previewLength, max: PUBLIC_UPDATE_MAX_CHARS });
  }
  const { update } = await deps.updates.addUpdate(incident.id, {
    sourceKey: entryKeyOf(actor),
    public: true,
    text: clean,
    status: incident.status,
    postedBy: actor.userId,
    createdAt: deps.clock.now(),
    publishedAt: null,
  });
  return { update, title: publicTitleOf(incident), status: update.status };
}

async function findUnpublished(deps: IncidentDeps, updateId: string, actor: Actor, act: "publish_public_update" | "cancel_public_update") {
  const found = await deps.updates.getUpdate(updateId);
  if (!found || !found.update.public) throw new UserError({ code: "public_update_cancelled" });
  await authorize(deps, found.incident, actor.userId, act);
  if (found.update.publishedAt) throw new UserError({ code: "update_already_published" });
  return found;
}

/** The Publish button: publishes the unpublished update, once, whoever presses how often. */
export async function publishPublicUpdate(deps: IncidentDeps, updateId: string, actor: Actor): Promise<PublicUpdatePreview> {
  const { incident, update: unpublished } = await findUnpublished(deps, updateId, actor, "publish_public_update");
  refuseIfPrivate(incident, "public_update");
  const now = deps.clock.now();
  const update = await deps.updates.publishUpdate(updateId, now, {
    // Keyed on the update, not the press: two presses write one entry.
    sourceKey: `update:${updateId}`,
    kind: "update",
    occurredAt: now,
    authorId: actor.userId,
    // Facts hold Slack text, as everything the timeline shows does: the update as typed, escaped for Slack.
    data: { field: "update", from: null, to: "public", text: escapeForSlack(unpublished.text) },
    highlight: true,
  });
  if (!update) throw new UserError({ code: "update_published_or_cancelled" });
  const title = publicTitleOf(incident);
  await tell(deps, incident, { kind: "public_update_published", by: actor.userId, title, status: update.status, text: update.text });
  try {
    await deps.onPublicUpdatePublished?.(update.id);
  } catch (error) {
    // The update is published; whatever the hook does next (the Statuspage push) retries on its own.
    deps.logger.warn({ err: error, incident: incident.number, update: update.id }, "the public-update hook failed");
  }
  return { update, title, status: update.status };
}

/** The Cancel button: the unpublished update goes, nothing is published. */
export async function cancelPublicUpdate(deps: IncidentDeps, updateId: string, actor: Actor): Promise<void> {
  await findUnpublished(deps, updateId, actor, "cancel_public_update");
  if (!(await deps.updates.discardUnpublished(updateId))) throw new UserError({ code: "update_not_cancellable" });
}

/** `/incident public-title <text>`: what customers see as the incident's name, sanitised like a public update. */
export async function setPublicTitle(deps: IncidentDeps, incident: Incident, actor: Actor, title: string): Promise<Incident> {
  await authorize(deps, incident, actor.userId, "set_public_title");
  refuseIfPrivate(incident, "public_title");
  const clean = (await publicText(deps, incident, title)).replace(/\s*\n\s*/g, " ");
  if (!clean) throw new UserError({ code: "public_title_empty" });
  if (clean.length > PUBLIC_TITLE_MAX_CHARS)
    throw new UserError({ code: "public_title_too_long", length: clean.length, max: PUBLIC_TITLE_MAX_CHARS });
  if (clean === incident.publicTitle) throw new UserError({ code: "same_public_title", title: clean });
  const updated = await deps.incidents.changeIncident(
    incident.id,
    { publicTitle: clean },
    {
      sourceKey: entryKeyOf(actor),
      kind: "title",
      occurredAt: deps.clock.now(),
      authorId: actor.userId,
      // Slack text, as every fact the timeline shows (the title is stored as typed).
      data: { field: "public_title", from: incident.publicTitle && escapeForSlack(incident.publicTitle), to: escapeForSlack(clean) },
      highlight: false,
    },
  );
  await tell(deps, incident, { kind: "public_title_set", by: actor.userId, title: clean, previous: incident.publicTitle });
  return updated;
}

/**
 * Reminds the liaison (or the commander) of each open SEV1/SEV2 incident without an update for
 * `minutes`, once per lapse across replicas (see UpdateStore.claimUpdateReminders).
 */
export async function sendUpdateReminders(deps: IncidentDeps, minutes: number): Promise<number> {
  const quiet = await deps.updates.claimUpdateReminders(deps.clock.now(), minutes * 60_000);
  for (const incident of quiet) {
    const who = incident.roles.liaison ?? incident.roles.commander ?? incident.declaredBy;
    const customers = reachOf(incident).customers;
    await tell(deps, incident, {
      kind: "updates_overdue",
      to: who,
      incidentNumber: incident.number,
      severity: incident.severity,
      minutes,
      customers,
    });
  }
  return quiet.length;
}
