import type { IncidentDeps } from "./deps.js";
import { UserError } from "./errors.js";
import type { Incident, Severity, UserId } from "./model.js";
import { showHeader } from "./header.js";
import { redactSecrets } from "./redact.js";
import { formatInZone } from "./time.js";

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
  const slug = slugify(title).slice(0, MAX_CHANNEL_NAME - prefix.length - suffix.length).replace(/-+$/, "");
  return `${prefix}${slug || "incident"}${suffix}`;
}

export async function declareIncident(
  deps: IncidentDeps,
  input: { title: string; severity: Severity; declaredBy: UserId },
): Promise<{ incident: Incident; headerShown: boolean }> {
  // Redacted first: the title also becomes the channel's name, which redaction cannot reach later.
  const title = redactSecrets(input.title.trim()).text;
  if (!title) throw new UserError({ code: "no_title" });
  const declaredAt = deps.clock.now();

  let created: { id: string; name: string } | undefined;
  for (let n = 1; n <= 50 && !created; n++) {
    const result = await deps.channel.create(channelNameFor(title, declaredAt, deps.timeZone, n === 1 ? "" : `-${n}`));
    if (result.ok) created = result;
  }
  if (!created) throw new UserError({ code: "channel_names_taken" });

  let incident: Incident;
  try {
    await deps.channel.invite(created.id, [input.declaredBy]);
    incident = await deps.incidents.createIncident(
      { title, channelId: created.id, channelName: created.name, severity: input.severity, declaredBy: input.declaredBy, declaredAt },
      {
        sourceKey: "declared",
        kind: "declared",
        occurredAt: declaredAt,
        authorId: input.declaredBy,
        text: `Incident declared: ${title} (${input.severity.toUpperCase()})`,
        data: { field: "status", from: null, to: "investigating" },
      },
    );
  } catch (error) {
    // No incident was stored, so the channel would be an orphan nobody records: archive it, so
    // the person's retry is the only incident channel for this.
    await deps.channel.archive(created.id).catch((archiveError: unknown) => deps.logger.warn({ err: archiveError, channel: created.id }, "could not archive the channel of a failed declaration"));
    throw error;
  }
  deps.logger.info({ incident: incident.number, channel: incident.channelId }, "incident declared");
  // The incident is declared and recorded; a header Slack refuses follows with its next change.
  const shown = await showHeader(deps, incident);
  return { incident: shown, headerShown: Boolean(shown.headerTs) };
}
