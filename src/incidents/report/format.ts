// Formatting helpers for the report: durations, and Slack message text turned into GitHub Markdown.
// Pure. Times, zones and the wall clock (with ZoneClock, its cached fast path for reports) live in
// ../time/.
import { decodeSlackEscapes } from "../slackEscapes.js";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../time/durations.js";

// Unit sizes in seconds.
const DURATION_UNITS = [
  ["d", DAY_MS / SECOND_MS],
  ["h", HOUR_MS / SECOND_MS],
  ["min", MINUTE_MS / SECOND_MS],
  ["s", 1],
] as const;

/** "1 h 12 min", "45 s", "2 d 3 h": the largest unit and the next one down, unless that is zero. */
export function renderDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let remaining = Math.round(Math.abs(ms) / SECOND_MS);
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

/** Names for the ids Slack writes in message text: people (U… or, on Enterprise Grid, W…) and channels. */
export interface SlackNames {
  users: UserNames;
  channels: Readonly<Record<string, string>>;
}

/** A person's name, else the label Slack sent, else the id: an empty label ("<@U1|>") is no name. */
export const userName = (names: SlackNames, id: string, label?: string | null) => names.users[id] || label || id;

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

const escapeLinkLabel = (label: string) =>
  label
    .replace(/([[\]\\])/g, "\\$1")
    .replace(/&(?=[A-Za-z#])/g, (amp, at: number, all: string) => (CHARACTER_REFERENCE.test(all.slice(at + 1)) ? "&amp;" : amp));

/** One `<...>` token of Slack's message format. */
function slackToken(inner: string, names: SlackNames): SlackToken {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : decodeSlackEscapes(inner.slice(bar + 1));
  if (target.startsWith("@")) {
    const text = `@${userName(names, target.slice(1), label)}`;
    return { plain: text, markdown: text };
  }
  if (target.startsWith("#")) {
    // Slack sends "<#C1|>" when it leaves the name to the client: the caller's name, else the id.
    const id = target.slice(1);
    const text = `#${label || names.channels[id] || id}`;
    return { plain: text, markdown: text };
  }
  if (target.startsWith("!")) {
    // <!here>, <!channel>, <!subteam^S1|@sre>, <!date^…|fallback>
    const text = label ?? `@${target.slice(1).split("^")[0] ?? ""}`;
    return { plain: text, markdown: text };
  }
  const url = decodeSlackEscapes(target);
  return { plain: label ?? url, markdown: label && label !== url ? `[${escapeLinkLabel(label)}](${url})` : url };
}

const SLACK_MARKUP = /<([^<>\n]+)>|&(lt|gt|amp);/g;

/** Code: tokens become what the person typed, entities are unescaped (Slack escapes them in code too). */
export function slackCodeToText(raw: string, names: SlackNames): string {
  return raw.replace(SLACK_MARKUP, (_match, token: string | undefined, entity: string | undefined) =>
    token !== undefined ? slackToken(token, names).plain : entity === "lt" ? "<" : entity === "gt" ? ">" : "&",
  );
}

/** What makes "&" the start of a character reference in Markdown (CommonMark: named, decimal, hex). */
const CHARACTER_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/;

function proseToMarkdown(raw: string, names: SlackNames): string {
  return raw.replace(SLACK_MARKUP, (_match, token: string | undefined, entity: string | undefined, at: number) => {
    if (token !== undefined) return slackToken(token, names).markdown;
    if (entity === "gt") return ">";
    // A typed "&amp;" or "&#39;" must show as typed, not as the character it names.
    if (entity === "amp") return CHARACTER_REFERENCE.test(raw.slice(at + 5)) ? "&amp;" : "&";
    // A bare "<" before a letter would open an HTML tag on GitHub and vanish; the entity shows "<".
    return /[A-Za-z/!?]/.test(raw.charAt(at + 4)) ? "&lt;" : "<";
  });
}

const INLINE_CODE = /`[^`\n]+`/g;

/** Prose: Slack tokens become Markdown; inline `code` keeps its text literally. */
export function slackProseToMarkdown(raw: string, names: SlackNames): string {
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

/**
 * Plain text as Markdown that shows it as written: the characters that would open emphasis, code,
 * a link, an HTML tag or a character reference are backslash-escaped (CommonMark lets any ASCII
 * punctuation be), and so is a run of `#` that would close a heading.
 */
export function escapeMarkdownText(text: string): string {
  return text.replace(/[\\`*_[\]]|<(?=[A-Za-z/!?])|&(?=[A-Za-z#])/g, "\\$&").replace(/(^|\s)(#+\s*)$/, "$1\\$2");
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

/**
 * Message text as Markdown lines, unindented; callers indent them to nest them in a list item.
 * A line break someone typed stays a line break: GitHub would join the lines of a paragraph into
 * one, so each line that continues the paragraph ends in a CommonMark hard break (a backslash).
 */
export function slackTextToMarkdown(raw: string, names: SlackNames): MarkdownText {
  const lines: string[] = [];
  const blocks = splitCode(raw);
  for (const block of blocks) {
    if (block.kind === "prose") {
      lines.push(...withHardBreaks(slackProseToMarkdown(block.text, names).split("\n").map((line) => line.trimEnd())));
    } else {
      const code = slackCodeToText(block.text, names);
      const fence = fenceFor(code);
      lines.push(fence, ...code.split("\n"), fence);
    }
  }
  return { lines, startsWithCode: blocks[0]?.kind === "code" };
}

/** A line that opens a block of its own (quote, list item, heading, rule, fence) rather than continuing a paragraph. */
const OPENS_BLOCK = /^ {0,3}(?:>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|([-*_])(?:\s*\1){2,}\s*$|```|~~~)/;

/**
 * Ends each line of prose that the next line continues with a hard break. Not before a blank line
 * or a line that opens its own block, nor after a heading or rule: there a backslash would not be
 * a break but would show as a character.
 */
export function withHardBreaks(lines: readonly string[]): string[] {
  return lines.map((line, index) => {
    const next = lines[index + 1];
    if (!line.trim() || next === undefined || !next.trim() || OPENS_BLOCK.test(next)) return line;
    if (/^ {0,3}(?:#{1,6}(?:\s|$)|([-*_])(?:\s*\1){2,}\s*$)/.test(line)) return line;
    // A line already ending in a backslash would make "\\", an escaped backslash: keep it apart.
    return line.endsWith("\\") ? `${line} \\` : `${line}\\`;
  });
}

/** Table cells are one line and must not contain a bare "|". */
export function tableCell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

// --- YAML front matter -------------------------------------------------------------------------
// No YAML library is installed, and front matter needs very little of YAML: a mapping of fixed keys
// to strings, numbers, nulls, nested mappings and lists of mappings. Strings are always
// double-quoted with JSON's escapes, which YAML's double-quoted style reads the same way, so no
// value can be taken for a number, a date, a boolean or a comment.

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const YAML_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** JSON's string escapes, plus the characters YAML does not allow unescaped or reads as line breaks. */
export function yamlString(text: string): string {
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  return JSON.stringify(wellFormed).replace(
    /[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`YAML front matter cannot hold ${value}`);
    return String(value);
  }
  return typeof value === "boolean" ? String(value) : yamlString(value);
}

const isMapping = (value: YamlValue): value is { readonly [key: string]: YamlValue } =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function yamlLines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ["[]"];
    return value.flatMap((item: YamlValue) => {
      const [first = "", ...rest] = yamlBlock(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  return yamlBlock(value, indent);
}

/** A value as lines at `indent`; a scalar is one line without its indent. */
function yamlBlock(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) return yamlLines(value, indent);
  if (!isMapping(value)) return [yamlScalar(value as string | number | boolean | null)];
  const entries = Object.entries(value);
  if (entries.length === 0) return ["{}"];
  return entries.flatMap(([key, item]) => {
    if (!YAML_KEY.test(key)) throw new RangeError(`Not a plain YAML key: ${JSON.stringify(key)}`);
    const empty = (Array.isArray(item) && item.length === 0) || (isMapping(item) && Object.keys(item).length === 0);
    if (empty || !(Array.isArray(item) || isMapping(item))) return [`${indent}${key}: ${yamlBlock(item, "")[0]}`];
    return [`${indent}${key}:`, ...yamlLines(item, `${indent}  `)];
  });
}

/** `---`, the mapping, `---`: YAML front matter as GitHub and static site generators read it. */
export function yamlFrontMatter(fields: { readonly [key: string]: YamlValue }): string {
  return ["---", ...yamlBlock(fields, ""), "---"].join("\n");
}
