// Compiles an incident's record into the post-incident report, as GitHub Markdown. Pure: no I/O, and
// no text of its own beyond headings, labels, short event phrases and placeholders. Sections people
// wrote win; the others are built from what the bot recorded while the incident ran. The timeline
// reads as the team's: facts from typed entries ("Severity SEV3 → SEV2"), people's words as they
// wrote them, and none of the bot's bookkeeping that a section of the report already holds.
import { changeOf } from "../entryFacts.js";
import type { ActionItem, Incident, IncidentRecord, MessageSource, ReportSectionKey, Role, TimelineEntry, UserId } from "../model.js";
import { REPORT_SECTIONS, ROLE_LABELS, ROLES, SECTION_TITLES } from "../model.js";
import { assertTimeZone, formatDueDate, formatMoment, zoneAbbreviation } from "../time/format.js";
import { type LocalTime, ZoneClock } from "../time/wallClock.js";
import { SECOND_MS } from "../time/durations.js";
import {
  renderDuration,
  slackCodeToText,
  type SlackNames,
  slackProseToMarkdown,
  slackTextToMarkdown,
  tableCell,
  userName,
  yamlFrontMatter,
  type YamlValue,
} from "./format.js";
import { type CompiledSource, COMPILED_SOURCES, DEFAULT_TEMPLATE, type Template } from "./template.js";
import { inTimeOrder, selectTimeline, type SelectionOptions } from "./timelineSelection.js";

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
  names: SlackNames;
  /** The severity it was declared with: the first change's "from", else the current one. */
  declaredSeverity: string;
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
    channelUrl: options.slackTeamUrl
      ? `${options.slackTeamUrl.replace(/\/+$/, "")}/archives/${incident.channelId}`
      : null,
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

  const ordered = template.map((section) => ({ key: section.key, compiled: section.compiled ?? null, ...build(section.key, section.title, section.compiled ?? null) }));
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

const sectionMarkdown = (section: CompiledSection) => `## ${section.title}\n\n${section.markdown}`;

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

const mention = (names: SlackNames, userId: UserId) => `@${userName(names, userId)}`;

function textMarkdown(raw: string, names: SlackNames): string | null {
  const text = slackTextToMarkdown(raw, names).lines.join("\n").trim();
  return text || null;
}

function metadataTable(context: Context, metrics: ReportMetrics): string {
  const { incident, names } = context;
  const time = (date: Date | null) => (date ? formatMoment(date, context.timeZone, "full") : "not recorded");
  const channel = context.channelUrl ? `[#${incident.channelName}](${context.channelUrl})` : `#${incident.channelName}`;
  const duration =
    metrics.durationMs !== null
      ? renderDuration(metrics.durationMs)
      : incident.status === "resolved"
        ? "not recorded"
        : "ongoing";
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
    parts.push(`Detected at ${formatMoment(incident.detectedAt, context.timeZone, "full")}${after}.`);
  }
  // A detection time set by command adds nothing to the sentence above; an older entry without
  // its facts is shown as it was recorded; one declared from a message quotes that message.
  const detected = timeline.find(({ entry }) => entry.kind === "detected");
  if (detected && eventText(context, detected.entry) === null) parts.push(entryLines(context, detected.entry, formatMoment(detected.entry.occurredAt, context.timeZone, "full")).join("\n"));
  const source = detected?.entry.data?.source;
  if (detected && source) {
    const quoted = slackTextToMarkdown(detected.entry.text, context.names).lines.map((line) => (line ? `> ${line}` : ">"));
    const from = `Source: ${sourceLink(source)} by ${sourceAuthor(context, source)}`;
    parts.push(quoted.length ? [`${from}:`, "", ...quoted].join("\n") : `${from}.`);
  }
  return parts.length ? parts.join("\n\n") : null;
}

function impactMarkdown(context: Context, now: Date): string | null {
  const { incident, timeZone } = context;
  const start = incident.impactStartedAt;
  const end = incident.impactEndedAt;
  if (start && end) {
    return `Impact started at ${formatMoment(start, timeZone, "full")} and ended at ${formatMoment(end, timeZone, "full")}: ${renderDuration(end.getTime() - start.getTime())}.`;
  }
  if (start && incident.status !== "resolved") {
    return `Impact started at ${formatMoment(start, timeZone, "full")} and was still ongoing when this report was compiled (${formatMoment(now, timeZone, "full")}).`;
  }
  if (start) return `Impact started at ${formatMoment(start, timeZone, "full")}; its end was not recorded.`;
  if (end) return `Impact ended at ${formatMoment(end, timeZone, "full")}; its start was not recorded.`;
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
      lines.push(`### ${formatMoment(entry.occurredAt, context.timeZone, "day")}`, "");
    }
    const zone = context.showZoneOnEntries ? ` ${context.abbreviationByOffset.get(local.offsetMinutes) ?? ""}`.trimEnd() : "";
    for (const line of entryLines(context, entry, `${local.clock}${zone}`)) lines.push(line);
  }
  return lines.join("\n");
}

const INDENT = "  ";

/**
 * One bullet. A typed change reads as the event it records, without an author:
 * `- **17:40** — Severity SEV3 → SEV2`. People's words (messages, `/incident log`, updates they
 * posted) keep who said them: `- **17:32** — @alice (Tech lead) (in thread): text`, code and files
 * nested under it. The name keeps the `@name` form the rest of the report uses, and the role is
 * kept because it says who was directing the response when they spoke. A typed entry without its
 * facts (a record made before typed entries had any) is shown as its stored text, with its author.
 */
function entryLines(context: Context, entry: TimelineEntry, time: string): string[] {
  const { names } = context;
  const source = entry.kind === "quoted" ? entry.data?.source : undefined;
  const permalink = source ? markdownUrl(source.permalink) : context.channelUrl && entry.ts ? messageLink(context.channelUrl, entry) : null;
  const stamp = `- **${permalink ? `[${time}](${permalink})` : time}** —`;
  const event = eventText(context, entry);
  if (event !== null) return [`${stamp} ${event}`];

  const who: string[] = [];
  if (entry.authorId) {
    const roles = context.rolesByUser.get(entry.authorId);
    who.push(mention(names, entry.authorId) + (roles ? ` (${roles.join(", ")})` : ""));
  } else if (source) {
    who.push(sourceAuthor(context, source));
  }
  // A message quoted from elsewhere says where it was said.
  if (source) who.push(`in ${sourcePlace(source)}`);
  if (isThreadReply(entry)) who.push("(in thread)");

  const comment = entry.data?.comment ? ` — ${entry.data.comment}` : "";
  const text = slackTextToMarkdown(saidIn(entry) + comment, names);
  const attached = entry.files.map((file) => (file.url ? `[${file.name.replace(/([[\]\\])/g, "\\$1")}](${file.url})` : file.name));
  const body = [...text.lines];
  if (attached.length) body.push(`Attached: ${attached.join(", ")}`);

  let head = stamp;
  if (who.length) head += ` ${who.join(" ")}:`;
  const rest = text.startsWithCode ? body : body.slice(1);
  if (!text.startsWithCode && body[0] !== undefined) head += ` ${body[0]}`;
  return [head, ...rest.map((line) => (line === "" ? "" : INDENT + line))];
}

const upper = (value: string | null | undefined) => (value ?? "?").toUpperCase();

/** What a person said in an entry: their message or log text, or the update they posted, introduced. */
function saidIn(entry: TimelineEntry): string {
  const change = changeOf(entry);
  if (change?.kind !== "update") return entry.text;
  return `${change.data.to === "public" ? "Public update" : "Update to stakeholders"}: ${change.data.text}`;
}

/** A typed change as the event it records, from its facts (`data`); null when it has none to read. */
function eventText(context: Context, entry: TimelineEntry): string | null {
  const { data } = entry;
  if (!data) return null;
  const comment = data.comment ? ` — ${slackProseToMarkdown(data.comment.replace(/\s*\n\s*/g, " "), context.names)}` : "";
  const phrase = eventPhrase(context, entry.kind, data);
  return phrase === null ? null : phrase + comment;
}

function eventPhrase(context: Context, kind: TimelineEntry["kind"], data: NonNullable<TimelineEntry["data"]>): string | null {
  switch (kind) {
    case "declared":
      return `Incident declared (${upper(context.declaredSeverity)})`;
    case "impact_start":
      return "Impact started";
    case "impact_end":
      return "Impact ended";
    case "detected":
      return data.source ? `Detected: ${sourceLink(data.source)}` : "Detected";
    case "invited": {
      const users = data.users ?? [];
      if (users.length === 0) return null;
      const people = users.map((id) => userName(context.names, id)).join(", ");
      // By severity (INVITE_ON_DECLARE), or by someone's `/incident invite`.
      return data.field === "severity" ? `Invited ${people} (${upper(data.to)})` : `Invited ${people}`;
    }
    case "resolved":
      return "Resolved";
    case "status":
      if (!data.to) return null;
      return data.from === "resolved" ? `Re-opened (status → ${data.to})` : `Status → ${data.to}`;
    case "severity":
      return data.to ? `Severity ${upper(data.from)} → ${upper(data.to)}` : null;
    case "role": {
      if (!data.field || !(ROLES as readonly string[]).includes(data.field)) return null;
      const role = ROLE_LABELS[data.field as Role].toLowerCase();
      if (!data.to) return `Nobody is ${role} any more`;
      const after = data.from ? ` (after ${userName(context.names, data.from)})` : "";
      return `${userName(context.names, data.to)} became ${role}${after}`;
    }
    default:
      return null;
  }
}

/** A link into Slack for Markdown: only http(s), and nothing in it can end the link early. */
function markdownUrl(url: string): string | null {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return null;
  return url.replace(/[()<>[\]\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** "#alerts" (Slack's name for it when it was picked), or "a direct message". */
const sourcePlace = (source: MessageSource) => (source.channelName ? `#${source.channelName.replace(/[^\w.-]/g, "")}` : "a direct message");

/** "[a message in #alerts](permalink)": where a message recorded from elsewhere was said. */
function sourceLink(source: MessageSource): string {
  const url = markdownUrl(source.permalink);
  const label = `a message in ${sourcePlace(source)}`;
  return url ? `[${label}](${url})` : label;
}

/** Who wrote a message from elsewhere: a person by name, or the app it came from. */
function sourceAuthor(context: Context, source: MessageSource): string {
  if (source.authorId) return mention(context.names, source.authorId);
  return (source.authorName ?? "").replace(/[^\p{L}\p{N} .'-]+/gu, " ").replace(/\s+/g, " ").trim() || "an app";
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
  if (item.dueDate) details.push(`due ${formatDueDate(item.dueDate)}`);
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

// --- Around the report: names to look up, the published file, the approver's checklist --------------

const USER_MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;
const CHANNEL_MENTION = /<#([A-Z0-9]+)(?:\|[^<>]*)?>/g;

/**
 * Every Slack user and channel id the record mentions or is authored by, in first-seen order, so a
 * caller can look their names up once (users: U… and Enterprise Grid W… ids alike). People's own
 * report sections are Markdown used verbatim, so ids in them are not listed.
 */
export function mentionedIds(record: IncidentRecord): { users: string[]; channels: string[] } {
  const users = new Set<string>();
  const channels = new Set<string>();
  const addUser = (id: string | null | undefined) => id && users.add(id);
  const scan = (text: string | null | undefined) => {
    if (!text) return;
    for (const match of text.matchAll(USER_MENTION)) users.add(match[1]!);
    for (const match of text.matchAll(CHANNEL_MENTION)) channels.add(match[1]!);
  };
  const { incident } = record;
  addUser(incident.declaredBy);
  for (const role of ROLES) addUser(incident.roles[role]);
  scan(incident.title);
  scan(incident.summary);
  scan(incident.resolution);
  for (const entry of record.entries) {
    if (entry.deleted) continue;
    addUser(entry.authorId);
    // Role changes and owner changes hold user ids as their facts; so do invitations and sources.
    const change = changeOf(entry);
    if (change?.kind === "role" || (change?.kind === "action" && change.data.field === "action_item_owner")) {
      addUser(change.data.from);
      addUser(change.data.to);
    }
    if (change?.kind === "action" && change.data.field === "action_item") addUser(change.data.ownerId);
    for (const id of entry.data?.users ?? []) addUser(id);
    addUser(entry.data?.source?.authorId);
    scan(entry.text);
    // A change's facts hold the words people typed (a summary, an update, an item's text, a comment).
    for (const value of Object.values(entry.data ?? {})) if (typeof value === "string") scan(value);
  }
  for (const item of record.actionItems) {
    addUser(item.ownerId);
    addUser(item.createdBy);
    scan(item.text);
  }
  return { users: [...users], channels: [...channels] };
}

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

export interface ChecklistItem {
  item: string;
  ok: boolean;
}

/** What the approver checks before approving; each item says what is missing when it is not ok. */
export function approvalChecklist(record: IncidentRecord, compiled: CompiledReport, findingsCount: number): ChecklistItem[] {
  const { incident } = record;
  const unowned = record.actionItems.filter((item) => item.status === "open" && !item.ownerId).length;
  const window = incident.impactStartedAt && incident.impactEndedAt;
  const missing = [!incident.impactStartedAt && "start", !incident.impactEndedAt && "end"].filter(Boolean).join(" and ");
  const written = (key: ReportSectionKey, what: string) => ({
    item: compiled.sections[key].written ? `${what} written` : `${what} not written yet`,
    ok: compiled.sections[key].written,
  });
  return [
    { item: window ? "Impact window set" : `Impact window not set (no ${missing})`, ok: Boolean(window) },
    written("summary", "Summary"),
    written("root_cause", "Root cause"),
    written("resolution", "Resolution"),
    {
      item: unowned === 0 ? "Every open action item has an owner" : `${unowned} open action item${unowned > 1 ? "s have" : " has"} no owner`,
      ok: unowned === 0,
    },
    {
      item: findingsCount === 0 ? "No blameless findings" : `${findingsCount} blameless finding${findingsCount > 1 ? "s" : ""} to look at`,
      ok: findingsCount === 0,
    },
  ];
}
