// Declaring an incident: its own channel (named from the title and the day), the declarer as
// commander, the first entries of its record, the pinned header, then the response is assembled
// (assemble.ts): the announcement and the invitations by severity. A private incident gets a
// private channel, only the declarer in it; if the workspace has not granted what private
// channels need, it is refused before anything is made (no channel without an incident, and no
// incident without a channel).
import { announceIncident, inviteForSeverity } from "./assemble.js";
import type { IncidentDeps } from "./deps.js";
import { UserError } from "./errors.js";
import type { Incident, PickedMessage, Severity, UserId } from "./model.js";
import type { NewTypedEntry } from "./ports/incidentStore.js";
import { showHeader } from "./header.js";
import { redactSecrets } from "./redact.js";
import { formatInZone } from "./time/format.js";

const MAX_CHANNEL_NAME = 80; // Slack's limit

/** Slack channel names: lowercase letters, digits, hyphens and underscores. */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function channelNameFor(title: string, declaredAt: Date, timeZone: string, suffix = ""): string {
  const prefix = `inc-${formatInZone(declaredAt, timeZone, "yyyyMMdd")}-`;
  const slug = slugify(title)
    .slice(0, MAX_CHANNEL_NAME - prefix.length - suffix.length)
    .replace(/-+$/, "");
  return `${prefix}${slug || "incident"}${suffix}`;
}

/** What declaring needs: from `/incident declare`, or from the "Declare incident" shortcuts' modal. */
export interface Declaration {
  title: string;
  severity: Severity;
  declaredBy: UserId;
  summary?: string;
  /** A private incident: a private channel, and nothing leaves it unless someone chooses (assemble.ts, reachOf). */
  private?: boolean;
  /**
   * Declared from a message (the message shortcut): that message is the detection, at `detectedAt`
   * (its own time unless the person changed it), and the detection's entry links to it.
   */
  source?: { picked: PickedMessage; detectedAt: Date };
}

/** The entries a declaration starts the record with, written with the incident in one transaction. */
function firstEntries(declaration: Declaration & { title: string; summary?: string }, declaredAt: Date): NewTypedEntry[] {
  const { title, severity, declaredBy, summary, source } = declaration;
  const entries: NewTypedEntry[] = [
    {
      sourceKey: "declared",
      kind: "declared",
      occurredAt: declaredAt,
      authorId: declaredBy,
      data: {
        field: "status",
        from: null,
        to: "investigating",
        title,
        severity,
        ...(declaration.private ? { private: true as const } : {}),
      },
    },
  ];
  if (summary) {
    entries.push({
      sourceKey: "declared:summary",
      kind: "summary",
      occurredAt: declaredAt,
      authorId: declaredBy,
      data: { field: "summary", from: null, to: summary },
    });
  }
  if (source) {
    entries.push({
      sourceKey: "declared:detected",
      kind: "detected",
      occurredAt: source.detectedAt,
      authorId: declaredBy,
      // The message itself (redacted when it was picked): the report quotes it under Detection.
      text: source.picked.text,
      data: { field: "detected", from: null, to: source.detectedAt.toISOString(), source: source.picked.source },
    });
  }
  return entries;
}

export async function declareIncident(deps: IncidentDeps, declaration: Declaration): Promise<Incident> {
  // Redacted first: the title also becomes the channel's name, which redaction cannot reach later.
  const title = redactSecrets(declaration.title.trim()).text;
  if (!title) throw new UserError({ code: "no_title" });
  const summary = declaration.summary?.trim() ? redactSecrets(declaration.summary.trim()).text : undefined;
  const declaredAt = deps.clock.now();
  const isPrivate = declaration.private === true;
  if (isPrivate) {
    const allowed = await deps.channel.privateChannelsAllowed();
    if (!allowed.ok) throw new UserError({ code: "private_channels_not_allowed", missing: allowed.missing });
  }

  let created: { id: string; name: string } | undefined;
  for (let n = 1; n <= 50 && !created; n++) {
    const name = channelNameFor(title, declaredAt, deps.timeZone, n === 1 ? "" : `-${n}`);
    const result = await deps.channel.create(name, { private: isPrivate });
    if (result.ok) created = result;
    // Granted scopes can change between the check and the call (the app was reinstalled): still nothing made.
    else if (result.reason === "missing_scopes") throw new UserError({ code: "private_channels_not_allowed", missing: result.missing });
  }
  if (!created) throw new UserError({ code: "channel_names_taken" });

  let incident: Incident;
  try {
    const invitation = await deps.channel.invite(created.id, [declaration.declaredBy]);
    if (invitation.refused.length > 0) throw new Error(`Slack would not invite the declarer: ${invitation.refused[0]!.reason}`);
    incident = await deps.incidents.createIncident(
      {
        title,
        channelId: created.id,
        channelName: created.name,
        severity: declaration.severity,
        declaredBy: declaration.declaredBy,
        declaredAt,
        summary: summary ?? null,
        detectedAt: declaration.source?.detectedAt ?? null,
        private: isPrivate,
      },
      firstEntries({ ...declaration, title, summary }, declaredAt),
    );
  } catch (error) {
    // No incident was stored, so the channel would be an orphan nobody records: archive it, so
    // the person's retry is the only incident channel for this.
    await deps.channel
      .archive(created.id)
      .catch((archiveError: unknown) =>
        deps.logger.warn({ err: archiveError, channel: created.id }, "could not archive the channel of a failed declaration"),
      );
    throw error;
  }
  deps.logger.info({ incident: incident.number, channel: incident.channelId, private: isPrivate }, "incident declared");
  // The incident is declared and recorded; a header Slack refuses follows with its next change.
  incident = await showHeader(deps, incident);
  await announceIncident(deps, incident);
  await inviteForSeverity(deps, incident, { userId: declaration.declaredBy, sourceKey: "declared" });
  return incident;
}
