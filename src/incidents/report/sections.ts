// The report's compiled sections as GitHub Markdown: detection, impact, the timeline and the action
// items. Pure; called by compileReport (./compile.ts) with the context it built once.
import { type Context, mention, type PlacedEntry } from "./reportContext.js";
import type { ReportMetrics } from "./metrics.js";
import { renderDuration } from "./duration.js";
import { slackProseToMarkdown, slackTextToMarkdown, userName } from "./slackMarkdown.js";
import { formatDueDate, formatMoment } from "../time/format.js";
import { type ActionItem, type MessageSource, type Role, ROLE_LABELS, ROLES, type TimelineEntry } from "../model.js";
import { changeOf } from "../entryFacts.js";

export function detectionMarkdown(context: Context, timeline: PlacedEntry[], metrics: ReportMetrics): string | null {
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
  if (detected && eventText(context, detected.entry) === null)
    parts.push(entryLines(context, detected.entry, formatMoment(detected.entry.occurredAt, context.timeZone, "full")).join("\n"));
  const source = detected?.entry.data?.source;
  if (detected && source) {
    const quoted = slackTextToMarkdown(detected.entry.text, context.names).lines.map((line) => (line ? `> ${line}` : ">"));
    const from = `Source: ${sourceLink(source)} by ${sourceAuthor(context, source)}`;
    parts.push(quoted.length ? [`${from}:`, "", ...quoted].join("\n") : `${from}.`);
  }
  return parts.length ? parts.join("\n\n") : null;
}

export function impactMarkdown(context: Context, now: Date): string | null {
  const { incident, timeZone } = context;
  const start = incident.impactStartedAt;
  const end = incident.impactEndedAt;
  if (start && end) {
    const lasted = renderDuration(end.getTime() - start.getTime());
    return `Impact started at ${formatMoment(start, timeZone, "full")} and ended at ${formatMoment(end, timeZone, "full")}: ${lasted}.`;
  }
  if (start && incident.status !== "resolved") {
    const compiled = formatMoment(now, timeZone, "full");
    return `Impact started at ${formatMoment(start, timeZone, "full")} and was still ongoing when this report was compiled (${compiled}).`;
  }
  if (start) return `Impact started at ${formatMoment(start, timeZone, "full")}; its end was not recorded.`;
  if (end) return `Impact ended at ${formatMoment(end, timeZone, "full")}; its start was not recorded.`;
  return null;
}

export function timelineMarkdown(context: Context, timeline: PlacedEntry[]): string | null {
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
  return (
    (source.authorName ?? "")
      .replace(/[^\p{L}\p{N} .'-]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim() || "an app"
  );
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

export function actionItemsMarkdown(context: Context, items: readonly ActionItem[]): string | null {
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
