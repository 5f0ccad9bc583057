// How the bot's Block Kit builders stay inside Slack's limits (src/slack/limits.ts) on purpose, with
// a pointer to where the whole text is rather than a silent cut. Every builder of a message or a
// modal uses these for anything whose size people decide (titles, summaries, lists of items):
//   - cutText(text, max, tail): one text, cut at a readable place, ending with `tail` ("… the full
//     summary: `/incident report`");
//   - splitText(text, max): one long text in parts that each fit, nothing lost (sections, editor inputs);
//   - packLines(lines, max): many lines in as few sections as fit, none cut unless one alone is too long;
//   - capBlocks(blocks, max, more): at most `max` blocks, the last saying what was left out and where it is;
//   - page(items, number, size): one page of a long list, for commands that take `page <n>`.
// The sender's last line (fitToLimits, applied in src/slack/text.ts) only catches what a builder
// missed, and says so in the log.
import type { KnownBlock } from "@slack/types";
import { cutText } from "./limitCheck.js";
import { LIMITS } from "./limits.js";

export { cutText, LIMITS };

/** Lines joined by `separator` into as few texts of at most `max` characters as they fit in; a line too long alone is cut. */
export function packLines(lines: readonly string[], max: number = LIMITS.sectionText, separator = "\n"): string[] {
  const packed: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = cutText(raw, max);
    if (current && current.length + separator.length + line.length > max) {
      packed.push(current);
      current = line;
    } else {
      current = current ? `${current}${separator}${line}` : line;
    }
  }
  if (current) packed.push(current);
  return packed;
}

const BREAKS = ["\n\n", "\n", " "] as const;

/**
 * `text` in parts of at most `max` characters, nothing lost: each part ends at a paragraph break,
 * else a line break, else a space, in its last fifth when there is one (else mid-word), never inside
 * a Slack token (`<@U123>`) or a surrogate pair. `separators[i]` is what was taken out between part
 * i and part i + 1, so `parts` joined with them is `text` again.
 */
export function splitText(text: string, max: number): { parts: string[]; separators: string[] } {
  const parts: string[] = [];
  const separators: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let at = -1;
    let separator = "";
    for (const candidate of BREAKS) {
      const found = rest.lastIndexOf(candidate, max);
      if (found >= Math.floor(max * 0.8) && found > 0 && found + candidate.length <= rest.length) {
        at = found;
        separator = candidate;
        break;
      }
    }
    if (at < 0) {
      at = max;
      const open = rest.lastIndexOf("<", at - 1);
      if (open > 0 && rest.lastIndexOf(">", at - 1) < open && at - open < 500) at = open;
      const code = rest.charCodeAt(at - 1);
      if (code >= 0xd800 && code <= 0xdbff) at -= 1;
    }
    parts.push(rest.slice(0, at));
    separators.push(separator);
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return { parts, separators };
}

/** mrkdwn sections for `text`, each at most Slack's 3,000 characters, nothing lost. */
export function textSections(text: string): KnownBlock[] {
  return splitText(text, LIMITS.sectionText)
    .parts.filter((part) => part.trim())
    .map((part) => ({ type: "section", text: { type: "mrkdwn", text: part } }));
}

/** A context block with one mrkdwn line (a note, a pointer): Slack's text-object limit applies. */
export const contextNote = (text: string): KnownBlock => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: cutText(text, LIMITS.textObject) }],
});

/** At most `max` blocks: when there are more, the last one kept is `more(hidden)`, saying what was left out and where it is. */
export function capBlocks(blocks: KnownBlock[], max: number, more: (hidden: number) => KnownBlock): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), more(blocks.length - max + 1)];
}

/** Page `requested` (from 1, clamped to the pages there are) of `items`, `size` a page. */
export function page<T>(
  items: readonly T[],
  requested: number,
  size: number,
): { items: T[]; number: number; count: number; first: number } {
  const count = Math.max(1, Math.ceil(items.length / size));
  const number = Math.min(Math.max(1, Math.floor(requested) || 1), count);
  const first = (number - 1) * size;
  return { items: items.slice(first, first + size), number, count, first };
}
