// The report as a published file: the compiled Markdown with YAML front matter holding its facts
// for machines (static site generators, scripts).
import { type CompiledReport, type CompileOptions, sectionMarkdown } from "./compile.js";
import { type IncidentRecord, ROLES } from "../model.js";
import { renderDuration } from "./duration.js";
import { slackCodeToText, type SlackNames, userName } from "./slackMarkdown.js";
import { yamlFrontMatter, type YamlValue } from "./frontMatter.js";
import { SECOND_MS } from "../time/durations.js";
import { formatDueDate } from "../time/format.js";

/** "2025-08-12T16:00:00Z": an ISO 8601 instant in UTC, to the second. */
const isoInstant = (date: Date | null) => (date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : null);

/** The report's facts for machines (static site generators, scripts): YAML front matter fields. */
export function frontMatterFields(
  compiled: Pick<CompiledReport, "metrics">,
  record: IncidentRecord,
  options: Pick<CompileOptions, "timeZone" | "userNames">,
): Record<string, YamlValue> {
  const { incident } = record;
  const names: SlackNames = { users: options.userNames ?? {}, channels: {} };
  const roles: Record<string, YamlValue> = {};
  for (const role of ROLES) {
    const userId = incident.roles[role];
    if (userId) roles[role] = userName(names, userId);
  }
  const duration = compiled.metrics.durationMs;
  return {
    number: incident.number,
    title: slackCodeToText(incident.title.replace(/\s+/g, " ").trim(), names),
    ...(incident.private ? { private: true } : {}),
    severity: incident.severity.toUpperCase(),
    status: incident.status,
    declared: isoInstant(incident.declaredAt),
    detected: isoInstant(incident.detectedAt),
    resolved: isoInstant(incident.resolvedAt),
    impact_start: isoInstant(incident.impactStartedAt),
    impact_end: isoInstant(incident.impactEndedAt),
    duration: duration === null ? null : renderDuration(duration),
    duration_seconds: duration === null ? null : Math.round(duration / SECOND_MS),
    time_zone: options.timeZone,
    roles,
    action_items: [...record.actionItems]
      .sort((a, b) => a.number - b.number)
      .map((item) => ({
        number: item.number,
        text: slackCodeToText(item.text.replace(/\s*\n\s*/g, " ").trim(), names),
        status: item.status,
        owner: item.ownerId ? userName(names, item.ownerId) : null,
        due: item.dueDate ? formatDueDate(item.dueDate) : null,
        issue: item.issueUrl,
      })),
  };
}

/**
 * The report as it is published: YAML front matter, then the header, then only the sections that
 * were written or compiled from the record. The draft (`compiled.markdown`) keeps the placeholders,
 * so people see what is left to write; the published file leaves those sections out.
 */
export function publishedMarkdown(
  compiled: CompiledReport,
  record: IncidentRecord,
  options: Pick<CompileOptions, "timeZone" | "userNames">,
): string {
  const sections = compiled.ordered.filter((section) => section.written).map(sectionMarkdown);
  return `${[yamlFrontMatter(frontMatterFields(compiled, record, options)), compiled.header, ...sections].join("\n\n")}\n`;
}
