// Compiles an incident's record into the post-incident report, as GitHub Markdown. Pure: no I/O, and
// no text of its own beyond headings, labels, short event phrases and placeholders. Sections people
// wrote win; the others are built from what the bot recorded while the incident ran. The timeline
// reads as the team's: facts from typed entries ("Severity SEV3 → SEV2"), people's words as they
// wrote them, and none of the bot's bookkeeping that a section of the report already holds.
// compileReport builds the context once (./reportContext.ts) and hands it to the sections'
// renderers (./sections.ts). Around the report, each in its own file: the names to look up first
// (./mentions.ts), the published file (./published.ts) and the approver's checklist (./checklist.ts).
import { COMPILED_SOURCES, type CompiledSource, DEFAULT_TEMPLATE, type Template } from "./template.js";
import {
  type Incident,
  type IncidentRecord,
  REPORT_SECTIONS,
  type ReportSectionKey,
  ROLE_LABELS,
  ROLES,
  SECTION_TITLES,
  type TimelineEntry,
  type UserId,
} from "../model.js";
import { computeMetrics, metricsMarkdown, type ReportMetrics } from "./metrics.js";
import { inTimeOrder, type SelectionOptions, selectTimeline } from "./timelineSelection.js";
import { assertTimeZone, formatMoment, zoneAbbreviation } from "../time/format.js";
import { renderDuration } from "./duration.js";
import { type SlackNames, slackProseToMarkdown, tableCell } from "./slackMarkdown.js";
import { ZoneClock } from "../time/wallClock.js";
import { type Context, mention, type PlacedEntry, textMarkdown } from "./reportContext.js";
import { actionItemsMarkdown, detectionMarkdown, impactMarkdown, timelineMarkdown } from "./sections.js";

export interface CompiledSection {
  title: string;
  /** The section's body, without its heading. */
  markdown: string;
  /** True when people wrote it or the record supplied it; false when it is the placeholder. */
  written: boolean;
}

/** A section of the template, compiled. */
export interface TemplatedSection extends CompiledSection {
  key: string;
  /** Its compiled source, or null for a section people write. */
  compiled: CompiledSource | null;
}

export interface CompiledReport {
  title: string;
  markdown: string;
  /**
   * Every standard section by key, whatever the template: the Slack views and the review read these.
   * A standard key the template lacks is compiled with its default title (and is not in `markdown`).
   */
  sections: Record<ReportSectionKey, CompiledSection>;
  /** The template's sections in its order: what `markdown` is made of. */
  ordered: TemplatedSection[];
  /** The title, metadata table and metrics: the report before its first section. */
  header: string;
  metrics: ReportMetrics;
  /** "Europe/London (BST)", or "Europe/London (BST/GMT)" across a change of offset. */
  timeZoneLabel: string;
}

export interface CompileOptions {
  timeZone: string;
  now: Date;
  /** e.g. https://acme.slack.com: timeline times then link to their Slack messages. */
  slackTeamUrl?: string;
  /** Slack user id -> display name; unknown ids are shown as Slack's label, else the raw id. See mentionedIds. */
  userNames?: Record<string, string>;
  /** Slack channel id -> name, for `<#C123|>` mentions Slack sent without a label. */
  channelNames?: Record<string, string>;
  /** The report's sections, titles and order; default DEFAULT_TEMPLATE. */
  template?: Template;
  /** How the timeline picks messages that nobody pinned (see timelineSelection.ts). */
  timeline?: SelectionOptions;
}

export const SECTION_PLACEHOLDER = "_Nothing recorded yet. Write this section with **Edit section** in Slack or `/incident report`._";

export function compileReport(record: IncidentRecord, options: CompileOptions): CompiledReport {
  const { incident } = record;
  const { timeZone } = options;
  assertTimeZone(timeZone);
  const names: SlackNames = { users: options.userNames ?? {}, channels: options.channelNames ?? {} };
  const clock = new ZoneClock(timeZone);
  const template = options.template ?? DEFAULT_TEMPLATE;
  const written = writtenSections(record);

  // Entries are placed in the zone once. The times the timeline shows also decide which
  // abbreviations the report names; a timeline people wrote (or no timeline) shows none of them.
  const timeline = placeEntries(selectTimeline(incident, record.entries, options.timeline), clock);
  const timelineShown = template.some((section) => section.compiled === "timeline" && !written.has(section.key));
  const shownEntries = timelineShown ? timeline : [];
  const abbreviationByOffset = new Map<number, string>();
  const abbreviations = zoneAbbreviations(incident, shownEntries, clock, abbreviationByOffset);
  const onlyAbbreviation = abbreviations.length === 1 ? abbreviations[0] : undefined;
  const timeZoneLabel = onlyAbbreviation === timeZone ? timeZone : `${timeZone} (${abbreviations.join("/")})`;

  const context: Context = {
    incident,
    timeZone,
    names,
    declaredSeverity: declaredSeverity(incident, record.entries),
    rolesByUser: rolesByUser(incident),
    channelUrl: options.slackTeamUrl ? `${options.slackTeamUrl.replace(/\/+$/, "")}/archives/${incident.channelId}` : null,
    abbreviationByOffset,
    showZoneOnEntries: abbreviations.length > 1,
  };
  const metrics = computeMetrics(incident);

  const compiled: Record<CompiledSource, string | null> = {
    summary: incident.summary ? textMarkdown(incident.summary, names) : null,
    detection: detectionMarkdown(context, timeline, metrics),
    impact: impactMarkdown(context, options.now),
    timeline: timelineMarkdown(context, timeline),
    resolution: incident.resolution ? textMarkdown(incident.resolution, names) : null,
    action_items: actionItemsMarkdown(context, record.actionItems),
  };
  const build = (key: string, title: string, source: CompiledSource | null): CompiledSection => {
    const byPeople = written.get(key);
    const body = byPeople ?? (source ? compiled[source] : null);
    const heading = source === "timeline" && !byPeople && body ? `${title} (times in ${timeZoneLabel})` : title;
    return { title: heading, markdown: body ?? SECTION_PLACEHOLDER, written: body !== null };
  };

  const ordered = template.map((section) => ({
    key: section.key,
    compiled: section.compiled ?? null,
    ...build(section.key, section.title, section.compiled ?? null),
  }));
  const sections = {} as Record<ReportSectionKey, CompiledSection>;
  for (const key of REPORT_SECTIONS) {
    const inTemplate = ordered.find((section) => section.key === key);
    sections[key] = inTemplate
      ? { title: inTemplate.title, markdown: inTemplate.markdown, written: inTemplate.written }
      : build(key, SECTION_TITLES[key], compiledSourceOf(key));
  }

  const title = `Incident #${incident.number}: ${slackProseToMarkdown(incident.title.replace(/\s+/g, " ").trim(), names)}`;
  const header = [`# ${title}`, metadataTable(context, metrics), `## Metrics\n\n${metricsMarkdown(metrics)}`].join("\n\n");
  const markdown = `${[header, ...ordered.map(sectionMarkdown)].join("\n\n")}\n`;
  return { title, markdown, sections, ordered, header, metrics, timeZoneLabel };
}

export const sectionMarkdown = (section: CompiledSection) => `## ${section.title}\n\n${section.markdown}`;

const compiledSourceOf = (key: string): CompiledSource | null =>
  (COMPILED_SOURCES as readonly string[]).includes(key) ? (key as CompiledSource) : null;

/**
 * People's sections by key, used verbatim; a blank one counts as not written so the compiled text
 * shows. Keys are read as plain strings: a team's template may store sections beyond the standard ones.
 */
function writtenSections(record: IncidentRecord): Map<string, string> {
  const written = new Map<string, string>();
  const stored: Partial<Record<string, string>> = record.report?.sections ?? {};
  for (const [key, text] of Object.entries(stored)) {
    if (text && text.trim()) written.set(key, text.replace(/^(?:[ \t]*\n)+/, "").trimEnd());
  }
  return written;
}

/** The entries the timeline shows, in the order they happened (the rule is in timelineSelection.ts). */
export function timelineEntries(entries: readonly TimelineEntry[], incident?: Incident, options?: SelectionOptions): TimelineEntry[] {
  return selectTimeline(incident ?? { impactStartedAt: null, impactEndedAt: null, detectedAt: null }, entries, options);
}

/** The severity at declaration is the first severity change's "from"; with no change, the current one. */
function declaredSeverity(incident: Incident, entries: readonly TimelineEntry[]): string {
  const first = inTimeOrder(entries.filter((entry) => entry.kind === "severity" && !entry.deleted && entry.data?.from))[0];
  return first?.data?.from ?? incident.severity;
}

function placeEntries(entries: TimelineEntry[], clock: ZoneClock): PlacedEntry[] {
  return entries.map((entry) => ({ entry, local: clock.local(entry.occurredAt) }));
}

/** Abbreviations of every time the report shows: the one at declaration first, then any others in time order. */
function zoneAbbreviations(incident: Incident, timeline: PlacedEntry[], clock: ZoneClock, byOffset: Map<number, string>): string[] {
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

function metadataTable(context: Context, metrics: ReportMetrics): string {
  const { incident, names } = context;
  const time = (date: Date | null) => (date ? formatMoment(date, context.timeZone, "full") : "not recorded");
  const channel = context.channelUrl ? `[#${incident.channelName}](${context.channelUrl})` : `#${incident.channelName}`;
  const duration =
    metrics.durationMs !== null ? renderDuration(metrics.durationMs) : incident.status === "resolved" ? "not recorded" : "ongoing";
  const rows: Array<[string, string]> = [
    ["Number", `#${incident.number}`],
    // Said where the report is read: a private incident's report is for its private repository only.
    ...(incident.private ? [["Visibility", "Private: its channel, issues and report are not public"] as [string, string]] : []),
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
