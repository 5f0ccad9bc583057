// Compiles an incident's record into the post-incident report, as GitHub Markdown. Pure: no I/O, and
// no text of its own beyond headings, labels and placeholders. Sections people wrote win; the others
// are built from what the bot recorded while the incident ran.
import type { ActionItem, Incident, IncidentRecord, ReportSectionKey, TimelineEntry, UserId } from "../model.js";
import { REPORT_SECTIONS, ROLE_LABELS, ROLES, SECTION_TITLES } from "../model.js";
import { assertTimeZone, formatInZone, zoneAbbreviation } from "../time.js";
import {
  type LocalTime,
  renderDuration,
  slackProseToMarkdown,
  slackTextToMarkdown,
  tableCell,
  type UserNames,
  ZoneClock,
} from "./format.js";

export { renderDuration } from "./format.js";

export interface ReportMetrics {
  /** impactStart -> detected */
  timeToDetectMs: number | null;
  /** detected (or impactStart) -> declared */
  timeToDeclareMs: number | null;
  /** impactStart -> impactEnd */
  timeToMitigateMs: number | null;
  /** declared -> resolved */
  timeToResolveMs: number | null;
  /** The impact window, or declared -> resolved when the window is not fully recorded. */
  durationMs: number | null;
}

export interface CompiledSection {
  title: string;
  /** The section's body, without its heading. */
  markdown: string;
  /** True when people wrote it or the record supplied it; false when it is the placeholder. */
  written: boolean;
}

export interface CompiledReport {
  title: string;
  markdown: string;
  sections: Record<ReportSectionKey, CompiledSection>;
  metrics: ReportMetrics;
  /** "Europe/London (BST)", or "Europe/London (BST/GMT)" across a change of offset. */
  timeZoneLabel: string;
}

export interface CompileOptions {
  timeZone: string;
  now: Date;
  /** e.g. https://acme.slack.com: timeline times then link to their Slack messages. */
  slackTeamUrl?: string;
  /** Slack user id -> display name; unknown ids are shown as the raw id. */
  userNames?: Record<string, string>;
}

export const SECTION_PLACEHOLDER =
  "_Nothing recorded yet. Write this section with **Edit section** in Slack or `/incident report`._";

const METRIC_LABELS: ReadonlyArray<[keyof ReportMetrics, string]> = [
  ["timeToDetectMs", "Time to detect (impact start → detected)"],
  ["timeToDeclareMs", "Time to declare (detected → declared)"],
  ["timeToMitigateMs", "Time to mitigate (impact start → impact end)"],
  ["timeToResolveMs", "Time to resolve (declared → resolved)"],
  ["durationMs", "Duration"],
];

interface PlacedEntry {
  entry: TimelineEntry;
  local: LocalTime;
}

/** What every renderer needs; built once per report. */
interface Context {
  incident: Incident;
  timeZone: string;
  names: UserNames;
  rolesByUser: Map<UserId, string[]>;
  /** https://team.slack.com/archives/C123, when the team URL is known. */
  channelUrl: string | null;
  abbreviationByOffset: Map<number, string>;
  /** Entry times carry their zone when the report spans more than one abbreviation. */
  showZoneOnEntries: boolean;
}

export function computeMetrics(incident: Incident): ReportMetrics {
  const span = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);
  const impactWindow = span(incident.impactStartedAt, incident.impactEndedAt);
  return {
    timeToDetectMs: span(incident.impactStartedAt, incident.detectedAt),
    timeToDeclareMs: span(incident.detectedAt ?? incident.impactStartedAt, incident.declaredAt),
    timeToMitigateMs: impactWindow,
    timeToResolveMs: span(incident.declaredAt, incident.resolvedAt),
    durationMs: impactWindow ?? span(incident.declaredAt, incident.resolvedAt),
  };
}

export function compileReport(record: IncidentRecord, options: CompileOptions): CompiledReport {
  const { incident } = record;
  const { timeZone } = options;
  assertTimeZone(timeZone);
  const names: UserNames = options.userNames ?? {};
  const clock = new ZoneClock(timeZone);
  const written = writtenSections(record);

  // Entries are placed in the zone once. The times the timeline shows also decide which
  // abbreviations the report names; a timeline people wrote shows none of them.
  const timeline = placeEntries(timelineEntries(record.entries), clock);
  const shownEntries = written.has("timeline") ? [] : timeline;
  const abbreviationByOffset = new Map<number, string>();
  const abbreviations = zoneAbbreviations(incident, shownEntries, clock, abbreviationByOffset);
  const onlyAbbreviation = abbreviations.length === 1 ? abbreviations[0] : undefined;
  const timeZoneLabel = onlyAbbreviation === timeZone ? timeZone : `${timeZone} (${abbreviations.join("/")})`;

  const context: Context = {
    incident,
    timeZone,
    names,
    rolesByUser: rolesByUser(incident),
    channelUrl: options.slackTeamUrl
      ? `${options.slackTeamUrl.replace(/\/+$/, "")}/archives/${incident.channelId}`
      : null,
    abbreviationByOffset,
    showZoneOnEntries: abbreviations.length > 1,
  };
  const metrics = computeMetrics(incident);

  const compiled: Record<ReportSectionKey, string | null> = {
    summary: incident.summary ? textMarkdown(incident.summary, names) : null,
    detection: detectionMarkdown(context, timeline, metrics),
    impact: impactMarkdown(context, options.now),
    timeline: timelineMarkdown(context, timeline),
    root_cause: null,
    resolution: incident.resolution ? textMarkdown(incident.resolution, names) : null,
    went_well: null,
    went_badly: null,
    action_items: actionItemsMarkdown(context, record.actionItems),
  };

  const sections = {} as Record<ReportSectionKey, CompiledSection>;
  for (const key of REPORT_SECTIONS) {
    const byPeople = written.get(key);
    const body = byPeople ?? compiled[key];
    const title =
      key === "timeline" && !byPeople && body ? `${SECTION_TITLES.timeline} (times in ${timeZoneLabel})` : SECTION_TITLES[key];
    sections[key] = { title, markdown: body ?? SECTION_PLACEHOLDER, written: body !== null };
  }

  const title = `Incident #${incident.number}: ${incident.title.replace(/\s+/g, " ").trim()}`;
  const parts = [`# ${title}`, metadataTable(context, metrics), `## Metrics\n\n${metricsMarkdown(metrics)}`];
  for (const key of REPORT_SECTIONS) parts.push(`## ${sections[key].title}\n\n${sections[key].markdown}`);
  return { title, markdown: `${parts.join("\n\n")}\n`, sections, metrics, timeZoneLabel };
}

/** People's sections, used verbatim; a blank one counts as not written so the compiled text shows. */
function writtenSections(record: IncidentRecord): Map<ReportSectionKey, string> {
  const written = new Map<ReportSectionKey, string>();
  for (const key of REPORT_SECTIONS) {
    const text = record.report?.sections[key];
    if (text && text.trim()) written.set(key, text.replace(/^(?:[ \t]*\n)+/, "").trimEnd());
  }
  return written;
}

/** Highlighted messages and every typed entry, in the order they happened. */
export function timelineEntries(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const keyed = entries
    .filter((entry) => !entry.deleted && (entry.highlight || entry.kind !== "message"))
    // Slack ts breaks ties within a millisecond; typed entries (no ts) follow messages.
    .map((entry, index) => ({ entry, index, at: entry.occurredAt.getTime(), ts: entry.ts ? Number(entry.ts) : Infinity }));
  keyed.sort((a, b) => a.at - b.at || (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1) || a.index - b.index);
  return keyed.map((item) => item.entry);
}

function placeEntries(entries: TimelineEntry[], clock: ZoneClock): PlacedEntry[] {
  return entries.map((entry) => ({ entry, local: clock.local(entry.occurredAt) }));
}

/** Abbreviations of every time the report shows: the one at declaration first, then any others in time order. */
function zoneAbbreviations(
  incident: Incident,
  timeline: PlacedEntry[],
  clock: ZoneClock,
  byOffset: Map<number, string>,
): string[] {
  const firstSeen = new Map<number, number>();
  const see = (offset: number, at: number) => {
    const seen = firstSeen.get(offset);
    if (seen === undefined || at < seen) firstSeen.set(offset, at);
  };
  const shown = [incident.detectedAt, incident.impactStartedAt, incident.impactEndedAt, incident.resolvedAt];
  for (const date of shown) if (date) see(clock.offsetAt(date), date.getTime());
  for (const { entry, local } of timeline) see(local.offsetMinutes, entry.occurredAt.getTime());

  const declaredOffset = clock.offsetAt(incident.declaredAt);
  const ordered = [...firstSeen.entries()].filter(([offset]) => offset !== declaredOffset).sort((a, b) => a[1] - b[1]);
  const names: string[] = [];
  for (const [offset, at] of [[declaredOffset, incident.declaredAt.getTime()], ...ordered] as const) {
    const name = zoneAbbreviation(new Date(at), clock.timeZone);
    byOffset.set(offset, name);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function rolesByUser(incident: Incident): Map<UserId, string[]> {
  const roles = new Map<UserId, string[]>();
  for (const role of ROLES) {
    const userId = incident.roles[role];
    if (userId) roles.set(userId, [...(roles.get(userId) ?? []), ROLE_LABELS[role]]);
  }
  return roles;
}

const mention = (names: UserNames, userId: UserId) => `@${names[userId] ?? userId}`;

function textMarkdown(raw: string, names: UserNames): string | null {
  const text = slackTextToMarkdown(raw, names).lines.join("\n").trim();
  return text || null;
}

/** "2025-08-12 17:32 BST" */
function zonedTime(context: Context, date: Date): string {
  const abbreviation = zoneAbbreviation(date, context.timeZone);
  return `${formatInZone(date, context.timeZone, "yyyy-MM-dd HH:mm")} ${abbreviation}`;
}

function metadataTable(context: Context, metrics: ReportMetrics): string {
  const { incident, names } = context;
  const time = (date: Date | null) => (date ? zonedTime(context, date) : "not recorded");
  const channel = context.channelUrl ? `[#${incident.channelName}](${context.channelUrl})` : `#${incident.channelName}`;
  const duration =
    metrics.durationMs !== null
      ? renderDuration(metrics.durationMs)
      : incident.status === "resolved"
        ? "not recorded"
        : "ongoing";
  const rows: Array<[string, string]> = [
    ["Number", `#${incident.number}`],
    ["Severity", incident.severity.toUpperCase()],
    ["Status", incident.status.charAt(0).toUpperCase() + incident.status.slice(1)],
    ["Channel", channel],
    ["Declared", time(incident.declaredAt)],
    ["Detected", time(incident.detectedAt)],
    ["Resolved", time(incident.resolvedAt)],
    ["Impact start", time(incident.impactStartedAt)],
    ["Impact end", time(incident.impactEndedAt)],
    ["Duration", duration],
  ];
  for (const role of ROLES) {
    const userId = incident.roles[role];
    if (userId) rows.push([ROLE_LABELS[role], mention(names, userId)]);
  }
  return ["| Field | Value |", "| --- | --- |", ...rows.map(([field, value]) => `| ${field} | ${tableCell(value)} |`)].join("\n");
}

function metricsMarkdown(metrics: ReportMetrics): string {
  return METRIC_LABELS.map(([key, label]) => {
    const value = metrics[key];
    return `- ${label}: ${value === null ? "not recorded" : renderDuration(value)}`;
  }).join("\n");
}

function detectionMarkdown(context: Context, timeline: PlacedEntry[], metrics: ReportMetrics): string | null {
  const { incident } = context;
  const parts: string[] = [];
  if (incident.detectedAt) {
    const after =
      metrics.timeToDetectMs !== null && metrics.timeToDetectMs >= 0
        ? `, ${renderDuration(metrics.timeToDetectMs)} after impact started`
        : "";
    parts.push(`Detected at ${zonedTime(context, incident.detectedAt)}${after}.`);
  }
  const detected = timeline.find(({ entry }) => entry.kind === "detected");
  if (detected) parts.push(entryLines(context, detected.entry, zonedTime(context, detected.entry.occurredAt)).join("\n"));
  return parts.length ? parts.join("\n\n") : null;
}

function impactMarkdown(context: Context, now: Date): string | null {
  const { incident } = context;
  const start = incident.impactStartedAt;
  const end = incident.impactEndedAt;
  if (start && end) {
    return `Impact started at ${zonedTime(context, start)} and ended at ${zonedTime(context, end)}: ${renderDuration(end.getTime() - start.getTime())}.`;
  }
  if (start && incident.status !== "resolved") {
    return `Impact started at ${zonedTime(context, start)} and was still ongoing when this report was compiled (${zonedTime(context, now)}).`;
  }
  if (start) return `Impact started at ${zonedTime(context, start)}; its end was not recorded.`;
  if (end) return `Impact ended at ${zonedTime(context, end)}; its start was not recorded.`;
  return null;
}

function timelineMarkdown(context: Context, timeline: PlacedEntry[]): string | null {
  if (timeline.length === 0) return null;
  const lines: string[] = [];
  let day = -1;
  for (const { entry, local } of timeline) {
    if (local.dayKey !== day) {
      day = local.dayKey;
      if (lines.length) lines.push("");
      lines.push(`### ${formatInZone(entry.occurredAt, context.timeZone, "EEEE d MMMM yyyy")}`, "");
    }
    const zone = context.showZoneOnEntries ? ` ${context.abbreviationByOffset.get(local.offsetMinutes) ?? ""}`.trimEnd() : "";
    for (const line of entryLines(context, entry, `${local.clock}${zone}`)) lines.push(line);
  }
  return lines.join("\n");
}

const INDENT = "  ";

/** One bullet: `- **17:32** — @alice (Tech lead) (in thread): text`, code and files nested under it. */
function entryLines(context: Context, entry: TimelineEntry, time: string): string[] {
  const { names } = context;
  const permalink = context.channelUrl && entry.ts ? messageLink(context.channelUrl, entry) : null;
  const who: string[] = [];
  if (entry.authorId) {
    const roles = context.rolesByUser.get(entry.authorId);
    who.push(mention(names, entry.authorId) + (roles ? ` (${roles.join(", ")})` : ""));
  }
  if (isThreadReply(entry)) who.push("(in thread)");

  const comment = entry.data?.comment ? ` — ${entry.data.comment}` : "";
  const text = slackTextToMarkdown(entry.text + comment, names);
  const attached = entry.files.map((file) => (file.url ? `[${file.name.replace(/([[\]\\])/g, "\\$1")}](${file.url})` : file.name));
  const body = [...text.lines];
  if (attached.length) body.push(`Attached: ${attached.join(", ")}`);

  let head = `- **${permalink ? `[${time}](${permalink})` : time}** —`;
  if (who.length) head += ` ${who.join(" ")}:`;
  const rest = text.startsWithCode ? body : body.slice(1);
  if (!text.startsWithCode && body[0] !== undefined) head += ` ${body[0]}`;
  return [head, ...rest.map((line) => (line === "" ? "" : INDENT + line))];
}

function isThreadReply(entry: TimelineEntry): boolean {
  return entry.threadTs !== null && entry.threadTs !== entry.ts;
}

function messageLink(channelUrl: string, entry: TimelineEntry): string {
  const link = `${channelUrl}/p${(entry.ts ?? "").replace(".", "")}`;
  if (!isThreadReply(entry) || !entry.threadTs) return link;
  const channelId = channelUrl.slice(channelUrl.lastIndexOf("/") + 1);
  return `${link}?thread_ts=${entry.threadTs}&cid=${channelId}`;
}

function actionItemsMarkdown(context: Context, items: readonly ActionItem[]): string | null {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => a.number - b.number);
  return sorted.map((item) => actionItemLine(context, item)).join("\n");
}

/** `- [ ] text (owner @x, due 2025-09-01) — [#12](url)`; done ticked, dropped struck through. */
function actionItemLine(context: Context, item: ActionItem): string {
  const details: string[] = [];
  if (item.ownerId) details.push(`owner ${mention(context.names, item.ownerId)}`);
  // A due date is a calendar day stored as UTC midnight: read it in UTC, not in the team's zone.
  if (item.dueDate) details.push(`due ${item.dueDate.toISOString().slice(0, 10)}`);
  let body = slackProseToMarkdown(item.text.replace(/\s*\n\s*/g, " ").trim(), context.names);
  if (details.length) body += ` (${details.join(", ")})`;
  if (item.status === "dropped") body = `~~${body}~~ (dropped)`;
  const issue = item.issueUrl
    ? `[${item.issueNumber !== null ? `#${item.issueNumber}` : "issue"}](${item.issueUrl})`
    : item.issueNumber !== null
      ? `#${item.issueNumber}`
      : item.status === "dropped"
        ? null // a dropped item will never get an issue
        : "issue pending";
  return `- [${item.status === "done" ? "x" : " "}] ${body}${issue ? ` — ${issue}` : ""}`;
}
