// Reading a report's Markdown as text: the prose in it, sentence by sentence, and the ways it names
// people. The blameless check reads the sentences and looks for people in them; the public summary
// looks for the same people to take them out.
//
// Prose is found by a line scan, not by a Markdown parser: the blameless check runs on every view of
// a compiled report (up to 10,000 timeline entries, about 1.5 MB), and a micromark parse of that
// takes seconds where this scan takes about a tenth of one. What the scan knows is what the check
// needs: fenced code, list and quote markers, headings, tables, rules, inline code and URLs. It does
// not know indented code blocks or fences nested four spaces deep, which then read as prose.

export const SLACK_MENTION = String.raw`<@[UW][A-Z0-9]+(?:\|[^>]*)?>`;
/** @carol, @bob.smith — but not the @ of an e-mail address or a URL. */
export const AT_NAME = String.raw`(?<![\w.@/])@[A-Za-z0-9](?:[\w.-]*\w)?`;

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Any of `knownNames` as a whole word, longest first so "Alice Smith" wins over "Alice"; null when there are none. */
export function knownNamesSource(knownNames: readonly string[] | undefined): string | null {
  const names = [...new Set((knownNames ?? []).map((n) => n.trim()).filter((n) => n.length > 0))];
  if (names.length === 0) return null;
  names.sort((a, b) => b.length - a.length);
  return String.raw`(?<![\w@])(?:${names.map(escapeRegExp).join("|")})(?![\w])`;
}

/** The heading, quote and list markers at the start of a line ("- ", "> 1. ", "## "). */
export const LINE_MARKERS = /^\s*(?:(?:#{1,6}|>|[-*+]|\d+[.)])\s+)+/;

export interface Sentence {
  text: string;
  /** Same length as text, with inline code, URLs and emphasis markers blanked so they never match. */
  masked: string;
}

/** The sentences of the paragraphs, list items and quotes; wrapped lines are joined, code is left out. */
export function proseSentences(markdown: string): Sentence[] {
  return proseBlocks(markdown).flatMap(sentencesOf);
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})/;

/** Markdown lines without fenced code blocks (an unclosed fence hides the rest, as Markdown renders it). */
function linesOutsideFences(markdown: string): string[] {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const marker = FENCE_OPEN.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      kept.push("");
      continue;
    }
    kept.push(line);
  }
  return kept;
}

/** Blank lines, rules, table rows and headings end a paragraph; tables and headings are not prose. */
const NOT_PROSE = /^\s*$|^\s*(?:[-*_]\s*){3,}$|^\s*\||^\s{0,3}#{1,6}\s/;

/** Paragraphs, list items and quote lines, each as one line of text. */
function proseBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) blocks.push(current.join(" "));
    current = [];
  };
  for (const line of linesOutsideFences(markdown)) {
    if (NOT_PROSE.test(line)) {
      flush();
      continue;
    }
    if (LINE_MARKERS.test(line)) flush();
    current.push(line.replace(LINE_MARKERS, "").trim());
  }
  flush();
  return blocks;
}

const blank = (text: string) => " ".repeat(text.length);

function mask(text: string): string {
  return text
    .replace(/`[^`]*`/g, blank)
    .replace(/<(?:https?|mailto):[^>]*>/g, blank)
    .replace(/\bhttps?:\/\/\S+/g, blank)
    .replace(/\*+/g, blank);
}

/** A sentence ends at . ! ? followed by space and something that can start a sentence. */
const SENTENCE_END = /[.!?]+["'”’)\]]*\s+(?=[A-Z0-9<@"“'(\[])/g;

function sentencesOf(block: string): Sentence[] {
  const masked = mask(block);
  const found: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = block.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) found.push({ text, masked: masked.slice(start + lead, start + lead + text.length) });
    start = end;
  };
  for (const match of masked.matchAll(SENTENCE_END)) push(match.index + match[0].length);
  push(block.length);
  return found;
}
