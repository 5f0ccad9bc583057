// Reading a report's Markdown as text: the people it names and the prose in it, sentence by
// sentence. The public summary looks for people to take them out; the blameless check reads the
// sentences and asks whether a person is the subject or object of a blaming phrase.
//
// Prose is found by a line scan, not by a Markdown parser: the blameless check runs on every view of
// a compiled report (up to 10,000 timeline entries, about 1.5 MB), and a micromark parse of that
// takes seconds where this scan takes about a tenth of one. What the scan knows is what the check
// needs: fenced code, list and quote markers, headings, tables, rules, inline code and URLs. It does
// not know indented code blocks or fences nested four spaces deep, which then read as prose.

// ---------------------------------------------------------------------------------------------
// People

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

const PERSON_WORDS =
  String.raw`\b(?:he|she|someone|somebody|(?:the|an|our) (?:on-?call |primary |secondary |same )?` +
  String.raw`(?:engineer|developer|dev|operator|admin|administrator|sre|intern|contractor|responder|person))`;

// Capitalised words that start sentences or name systems, so are not taken for a first name when
// followed by "failed to", "broke" and the like.
const NOT_A_NAME = new Set(
  `the this that these those it its our their his her a an each every some any all both no none nothing everything
  then after before when while because since once later finally eventually also however unfortunately initially first
  second next meanwhile yesterday today tonight tomorrow we they i you us them one nobody everyone everybody
  what who whom whose why how where which
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december
  deploy deploys deployment deployments build builds release releases rollout rollback job jobs cron alert alerts alerting
  monitoring service services server servers database databases cache queue queues worker workers pipeline pipelines
  migration migrations script scripts automation renewal certificate certificates cert config configuration change changes
  update updates upgrade upgrades patch test tests system systems cluster clusters node nodes pod pods container containers
  network backup backups failover healthcheck check checks process runbook traffic load disk memory request requests query
  queries replica replicas primary proxy gateway scheduler autoscaler staging production prod dev api app website site
  terraform kubernetes redis postgres postgresql mysql kafka nginx docker helm jenkins renovate dependabot github gitlab
  cloudflare vault consul elasticsearch prometheus grafana pagerduty opsgenie sentry datadog linux chrome safari android
  windows slack`
    .split(/\s+/)
    .filter(Boolean),
);

export interface PersonMatch {
  /** Index in the sentence where the person's name starts. */
  start: number;
  text: string;
}

/** A person named right at the end of `before` (the text preceding a verb), or null. */
export function personAtEnd(before: string, knownSource: string | null): PersonMatch | null {
  // Allow an adverb between person and verb: "Alice accidentally broke".
  // Lower case only, so a name ending in -ly ("Emily") is not taken for the adverb.
  const trimmed = before.replace(/\s+(?:[a-z]+ly|also|then|just|never|still|again)\s*$/, "").replace(/\s+$/, "");
  const candidates: RegExp[] = [new RegExp(`${SLACK_MENTION}$`), new RegExp(`${AT_NAME}$`), new RegExp(`${PERSON_WORDS}$`, "i")];
  if (knownSource) candidates.push(new RegExp(`${knownSource}$`, "i"));
  for (const pattern of candidates) {
    const match = pattern.exec(trimmed);
    if (match) return { start: match.index, text: match[0] };
  }
  // A capitalised first name, optionally with a surname: "Alice", "Alice Smith".
  const named = /(?<![\w'’-])([A-Z][a-z]+)(?: ([A-Z][a-z]+))?$/.exec(trimmed);
  if (!named) return null;
  const [whole, first, last] = named;
  if (last !== undefined) {
    if (!NOT_A_NAME.has(last.toLowerCase()) && !NOT_A_NAME.has(first!.toLowerCase())) return { start: named.index, text: whole };
    if (!NOT_A_NAME.has(last.toLowerCase())) return { start: named.index + first!.length + 1, text: last };
    return null;
  }
  return NOT_A_NAME.has(first!.toLowerCase()) ? null : { start: named.index, text: first! };
}

/** A person named right at the start of `after`, e.g. after "mistake by". */
export function personAtStart(after: string, knownSource: string | null): string | null {
  const sources = [
    SLACK_MENTION,
    AT_NAME,
    String.raw`(?:him|her|them|me|us|someone|somebody|one of (?:our|the) (?:engineers|developers|operators))\b`,
    PERSON_WORDS,
  ];
  if (knownSource) sources.push(knownSource);
  for (const source of sources) {
    const match = new RegExp(`^${source}`, "i").exec(after);
    if (match) return match[0];
  }
  const named = /^[A-Z][a-z]+\b/.exec(after);
  return named && !NOT_A_NAME.has(named[0].toLowerCase()) ? named[0] : null;
}

// ---------------------------------------------------------------------------------------------
// Prose

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
const SENTENCE_END = /[.!?]+["'”’)\]]*\s+(?=[A-Z0-9<@"“'([])/g;

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
