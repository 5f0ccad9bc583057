// Formatting helpers for the report: local wall-clock times in the team's zone, durations, and
// Slack message text turned into GitHub Markdown. Pure; offsets are cached because one report may
// place thousands of times. Zone names and formatting in a zone live in ../time.ts.
import { tzOffset } from "@date-fns/tz";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface LocalTime {
  /** yyyymmdd of the local calendar day, for grouping. */
  dayKey: number;
  /** "17:32" */
  clock: string;
  offsetMinutes: number;
}

const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/**
 * Local wall-clock times for many instants in one zone. Asking Intl once per entry is the slow part
 * of a big report, so offsets are cached per UTC hour; only an hour that contains a change of
 * offset is asked instant by instant.
 */
export class ZoneClock {
  private readonly hourOffsets = new Map<number, number | null>();

  constructor(readonly timeZone: string) {}

  offsetAt(date: Date): number {
    const hour = Math.floor(date.getTime() / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      const atStart = tzOffset(this.timeZone, new Date(hour * HOUR_MS));
      const atEnd = tzOffset(this.timeZone, new Date((hour + 1) * HOUR_MS - 1));
      offset = atStart === atEnd ? atStart : null;
      this.hourOffsets.set(hour, offset);
    }
    return offset ?? tzOffset(this.timeZone, date);
  }

  local(date: Date): LocalTime {
    const offsetMinutes = this.offsetAt(date);
    // Shift by the offset and read the UTC fields: that is the wall clock in the zone.
    const shifted = new Date(date.getTime() + offsetMinutes * MINUTE_MS);
    return {
      dayKey: shifted.getUTCFullYear() * 10_000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate(),
      clock: `${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())}`,
      offsetMinutes,
    };
  }
}

const DURATION_UNITS = [
  ["d", 86_400],
  ["h", 3_600],
  ["min", 60],
  ["s", 1],
] as const;

/** "1 h 12 min", "45 s", "2 d 3 h": the largest unit and the next one down, unless that is zero. */
export function renderDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let remaining = Math.round(Math.abs(ms) / 1000);
  const counts = DURATION_UNITS.map(([unit, size]) => {
    const count = Math.floor(remaining / size);
    remaining -= count * size;
    return { unit, count };
  });
  const first = counts.findIndex((part) => part.count > 0);
  if (first < 0) return "0 s";
  const shown = counts.slice(first, first + 2).filter((part) => part.count > 0);
  return sign + shown.map((part) => `${part.count} ${part.unit}`).join(" ");
}

// --- Slack text -> GitHub Markdown ---------------------------------------------------------------

export type UserNames = Readonly<Record<string, string>>;

export interface TextBlock {
  kind: "prose" | "code";
  text: string;
}

const COMMAND_LINE = /^\s*\$ /;

/** Splits message text into prose and code: ``` fences, and runs of lines starting with "$ ". */
export function splitCode(raw: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let rest = raw;
  for (;;) {
    const open = rest.indexOf("```");
    const close = open < 0 ? -1 : rest.indexOf("```", open + 3);
    if (close < 0) break;
    pushProse(blocks, rest.slice(0, open));
    // Slack sends both "```code```" and "```\ncode\n```".
    const code = rest.slice(open + 3, close).replace(/^\n/, "").replace(/\n$/, "");
    if (code.trim()) blocks.push({ kind: "code", text: code });
    rest = rest.slice(close + 3);
  }
  pushProse(blocks, rest);
  return blocks;
}

function pushProse(blocks: TextBlock[], text: string): void {
  if (!text.includes("$ ")) return pushBlock(blocks, "prose", text);
  let prose: string[] = [];
  let commands: string[] = [];
  for (const line of text.split("\n")) {
    if (COMMAND_LINE.test(line)) {
      if (prose.length) pushBlock(blocks, "prose", prose.join("\n"));
      prose = [];
      commands.push(line);
    } else {
      if (commands.length) blocks.push({ kind: "code", text: commands.join("\n") });
      commands = [];
      prose.push(line);
    }
  }
  if (commands.length) blocks.push({ kind: "code", text: commands.join("\n") });
  if (prose.length) pushBlock(blocks, "prose", prose.join("\n"));
}

function pushBlock(blocks: TextBlock[], kind: TextBlock["kind"], text: string): void {
  const trimmed = text.replace(/^\s*\n/, "").trimEnd();
  if (trimmed.trim()) blocks.push({ kind, text: trimmed });
}

interface SlackToken {
  /** What it reads as in plain text ("@Alice", "#ops", "example.com"). */
  plain: string;
  /** Markdown for prose. */
  markdown: string;
}

function unescapeAll(text: string): string {
  return text.replace(/&(lt|gt|amp);/g, (_match, name: string) => (name === "lt" ? "<" : name === "gt" ? ">" : "&"));
}

const escapeLinkLabel = (label: string) => label.replace(/([[\]\\])/g, "\\$1");

/** One `<...>` token of Slack's message format. */
function slackToken(inner: string, names: UserNames): SlackToken {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : unescapeAll(inner.slice(bar + 1));
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const text = `@${names[id] ?? label ?? id}`;
    return { plain: text, markdown: text };
  }
  if (target.startsWith("#")) {
    const text = `#${label ?? target.slice(1)}`;
    return { plain: text, markdown: text };
  }
  if (target.startsWith("!")) {
    // <!here>, <!channel>, <!subteam^S1|@sre>, <!date^…|fallback>
    const text = label ?? `@${target.slice(1).split("^")[0] ?? ""}`;
    return { plain: text, markdown: text };
  }
  const url = unescapeAll(target);
  return { plain: label ?? url, markdown: label && label !== url ? `[${escapeLinkLabel(label)}](${url})` : url };
}

const SLACK_MARKUP = /<([^<>\n]+)>|&(lt|gt|amp);/g;

/** Code: tokens become what the person typed, entities are unescaped (Slack escapes them in code too). */
export function slackCodeToText(raw: string, names: UserNames): string {
  return raw.replace(SLACK_MARKUP, (_match, token: string | undefined, entity: string | undefined) =>
    token !== undefined ? slackToken(token, names).plain : entity === "lt" ? "<" : entity === "gt" ? ">" : "&",
  );
}

function proseToMarkdown(raw: string, names: UserNames): string {
  return raw.replace(SLACK_MARKUP, (_match, token: string | undefined, entity: string | undefined, at: number) => {
    if (token !== undefined) return slackToken(token, names).markdown;
    if (entity === "gt") return ">";
    if (entity === "amp") return "&";
    // A bare "<" before a letter would open an HTML tag on GitHub and vanish; the entity shows "<".
    return /[A-Za-z/!?]/.test(raw.charAt(at + 4)) ? "&lt;" : "<";
  });
}

const INLINE_CODE = /`[^`\n]+`/g;

/** Prose: Slack tokens become Markdown; inline `code` keeps its text literally. */
export function slackProseToMarkdown(raw: string, names: UserNames): string {
  // Most messages hold no markup at all; skip the regular expressions for them.
  if (!/[<&`]/.test(raw)) return raw;
  let result = "";
  let last = 0;
  for (const match of raw.matchAll(INLINE_CODE)) {
    const at = match.index;
    result += proseToMarkdown(raw.slice(last, at), names) + slackCodeToText(match[0], names);
    last = at + match[0].length;
  }
  return result + proseToMarkdown(raw.slice(last), names);
}

/** A fence longer than any run of backticks inside the code, so the code cannot close it. */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

export interface MarkdownText {
  lines: string[];
  /** True when the text opens with a code block, which cannot share a line with a bullet. */
  startsWithCode: boolean;
}

/** Message text as Markdown lines, unindented; callers indent them to nest them in a list item. */
export function slackTextToMarkdown(raw: string, names: UserNames): MarkdownText {
  const lines: string[] = [];
  const blocks = splitCode(raw);
  for (const block of blocks) {
    if (block.kind === "prose") {
      for (const line of slackProseToMarkdown(block.text, names).split("\n")) lines.push(line.trimEnd());
    } else {
      const code = slackCodeToText(block.text, names);
      const fence = fenceFor(code);
      lines.push(fence, ...code.split("\n"), fence);
    }
  }
  return { lines, startsWithCode: blocks[0]?.kind === "code" };
}

/** Table cells are one line and must not contain a bare "|". */
export function tableCell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}
