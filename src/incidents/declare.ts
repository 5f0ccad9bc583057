import type { IncidentDeps } from "./deps.js";
import { UserError } from "./errors.js";
import type { Incident, Severity, UserId } from "./model.js";
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
): Promise<Incident> {
  const title = input.title.trim();
  if (!title) throw new UserError("An incident needs a title.");
  const declaredAt = deps.clock.now();

  let created: { id: string; name: string } | undefined;
  for (let n = 1; n <= 50 && !created; n++) {
    const result = await deps.channel.create(channelNameFor(title, declaredAt, deps.timeZone, n === 1 ? "" : `-${n}`));
    if (result.ok) created = result;
  }
  if (!created) throw new UserError("Every channel name for that title is taken; try a more specific title.");

  await deps.channel.invite(created.id, [input.declaredBy]);
  let incident = await deps.store.createIncident({
    title,
    channelId: created.id,
    channelName: created.name,
    severity: input.severity,
    declaredBy: input.declaredBy,
    declaredAt,
  });
  await deps.store.addEntry(incident.id, {
    sourceKey: "declared",
    kind: "declared",
    occurredAt: declaredAt,
    authorId: input.declaredBy,
    text: `Incident declared: ${title} (${input.severity.toUpperCase()})`,
    data: { field: "status", from: null, to: "investigating" },
  });
  const headerTs = await deps.channel.publishHeader(incident);
  incident = await deps.store.changeIncident(incident.id, { headerTs });
  deps.logger.info({ incident: incident.number, channel: incident.channelId }, "incident declared");
  return incident;
}
