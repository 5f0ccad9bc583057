// Slack message text turned into GitHub Markdown for the report: people's and channels' ids become
// names, code stays code, and nothing people typed can become Markdown they did not mean. Pure.
import { decodeSlackEscapes } from "../slackEscapes.js";

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
    const code = rest
      .slice(open + 3, close)
      .replace(/^\n/, "")
      .replace(/\n$/, "");
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
      lines.push(
        ...withHardBreaks(
          slackProseToMarkdown(block.text, names)
            .split("\n")
            .map((line) => line.trimEnd()),
        ),
      );
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
