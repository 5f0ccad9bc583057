// Text people typed in Slack ends up on GitHub: issue titles and bodies, report files, commit messages
// and pull-request titles. GitHub reads more into that text than the person meant: `@name` notifies a
// user or team, `#7` links and cross-references an issue, "fixes #7" in a commit on the default
// branch closes it, and raw HTML (an unclosed `<!--`) can hide the rest of a report. This is the
// GitHub adapter's last step before sending such text: it keeps what people wrote, shown the same,
// and takes away only those effects.
//
// GitHub's documented rules this follows:
//  - Autolinked references (https://docs.github.com/en/get-started/writing-on-github/
//    working-with-advanced-formatting/autolinked-references-and-urls): `#26`, `GH-26` and
//    `owner/repo#26` become issue or pull-request links (and cross-references) in conversations, not
//    in files in a repository; URLs become links. Link text and code are left alone.
//  - Mentions (https://docs.github.com/en/get-started/writing-on-github/
//    getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax,
//    "Mentioning people and teams"): `@user` and `@org/team` notify. Renovate and Dependabot write
//    `@&#8203;user`: shown as "@user", no link, no notification.
//  - Closing keywords (https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/
//    linking-a-pull-request-to-an-issue): close, closes, closed, fix, fixes, fixed, resolve, resolves,
//    resolved, followed by `#10` or `owner/repo#100`, in a pull-request description or a commit message.
//    A broken reference is no longer one, so the keyword is inert; a keyword before an issue URL is
//    broken too, in case GitHub accepts the URL form.
//
// Markdown is parsed (mdast, GFM) only to know where code, links and raw HTML are; the edits go into
// the source text at those positions, so everything else stays byte for byte as people wrote it.
import type { Nodes, Root } from "mdast";
import { markdownParser, type ParseMarkdown } from "../incidents/markdownParser.js";

const ZERO_WIDTH_SPACE = "\u200B";
const ZERO_WIDTH_SPACE_ENTITY = "&#8203;";

/** After this many rounds of escaping the tags each parse finds, escape every `<` outside code instead. */
const TARGETED_HTML_ROUNDS = 4;

interface Edit {
  from: number;
  to: number;
  text: string;
}

/**
 * Markdown for an issue body or a published report file: the same text and formatting, with mentions
 * and issue references that no longer notify or link, and raw HTML shown as text. Code, links (the
 * bot's own `[#12](url)` included), URLs and e-mail addresses are left as they are.
 */
export async function safeMarkdownForGitHub(markdown: string, options: { references?: boolean } = {}): Promise<string> {
  const { source, tree } = escapeRawHtml(markdown, await parser());
  return neutraliseMentionsAndReferences(source, tree, options.references ?? true);
}

/**
 * A Markdown file committed to a repository: GitHub does not autolink `#7` in repository files
 * (autolinked references are for conversations), so the report's own "Incident #7" stays as written;
 * mentions and raw HTML are made safe as everywhere else.
 */
export const safeMarkdownFileForGitHub = (markdown: string): Promise<string> => safeMarkdownForGitHub(markdown, { references: false });

export interface PlainTextOptions {
  /** For titles: line breaks (and the blanks around them) become one space, and the ends are trimmed. */
  singleLine?: boolean;
}

/**
 * Plain text GitHub still scans (issue and pull-request titles, commit messages): no entities there,
 * so a zero-width space goes after the `@`, the `#`, the `GH-`, and after a closing keyword that is
 * followed by an issue URL. URLs and e-mail addresses are left as they are.
 */
export function safePlainTextForGitHub(text: string, options: PlainTextOptions = {}): string {
  const line = options.singleLine ? text.replace(/\s*[\r\n\u2028\u2029]\s*/g, " ").trim() : text;
  const offsets = [...breakOffsets(line, { references: true }), ...closingKeywordBeforeUrlOffsets(line)];
  return applyEdits(
    line,
    offsets.map((at) => ({ from: at, to: at, text: ZERO_WIDTH_SPACE })),
  );
}

// --- parsing ---------------------------------------------------------------------------------------

// The autolink-literal transform adds the links it finds after parsing without source positions. We
// keep the positioned ones micromark finds and recognise the rest in text ourselves (protectedSpans).
const parser = () => markdownParser({ unpositionedAutolinks: false });

function startOf(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

function endOf(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}

function visit(node: Nodes, enter: (node: Nodes) => boolean | void): void {
  if (enter(node) === false) return;
  if ("children" in node) for (const child of node.children) visit(child, enter);
}

/** `<https://…>` and bare URLs or e-mail addresses: their text is their address. */
function isAutolink(node: Nodes, source: string): boolean {
  return node.type === "link" && source[startOf(node)] !== "[";
}

/** Edits never overlap; one pass, so a long report with thousands of them stays linear. */
function applyEdits(source: string, edits: Edit[]): string {
  if (edits.length === 0) return source;
  const parts: string[] = [];
  let copied = 0;
  for (const edit of [...edits].sort((a, b) => a.from - b.from)) {
    parts.push(source.slice(copied, edit.from), edit.text);
    copied = edit.to;
  }
  parts.push(source.slice(copied));
  return parts.join("");
}

// --- raw HTML --------------------------------------------------------------------------------------

/**
 * Escapes the `<` that opens each raw HTML node, then parses again: an unclosed `<!--` or `<details>`
 * block swallows everything after it, and what it swallowed is Markdown again once the block is
 * gone, possibly with more HTML. Only the opening `<` is touched because what follows may turn out
 * to be code, where `&lt;` would show literally. Pathological input (HTML nested many levels deep)
 * falls back to escaping every `<` outside code, and finally every `<`.
 */
function escapeRawHtml(markdown: string, parse: ParseMarkdown): { source: string; tree: Root } {
  let source = markdown;
  for (let round = 0; ; round++) {
    const tree = parse(source);
    const html: Nodes[] = [];
    visit(tree, (node) => {
      if (node.type === "html") html.push(node);
    });
    if (html.length === 0) return { source, tree };
    if (round < TARGETED_HTML_ROUNDS) {
      source = applyEdits(
        source,
        html.map((node) => escapeAt(source.indexOf("<", startOf(node)))),
      );
    } else if (round === TARGETED_HTML_ROUNDS) {
      source = applyEdits(source, everyAngleBracketOutsideCode(tree, source).map(escapeAt));
    } else {
      source = source.replaceAll("<", "&lt;");
    }
  }
}

function escapeAt(offset: number): Edit {
  return { from: offset, to: offset + 1, text: "&lt;" };
}

function everyAngleBracketOutsideCode(tree: Root, source: string): number[] {
  // In document order and never nested, so one sweep checks each `<` against them.
  const kept: Array<[number, number]> = [];
  visit(tree, (node) => {
    if (node.type === "code" || node.type === "inlineCode" || isAutolink(node, source)) {
      kept.push([startOf(node), endOf(node)]);
      return false;
    }
  });
  const offsets: number[] = [];
  let next = 0;
  for (let at = source.indexOf("<"); at !== -1; at = source.indexOf("<", at + 1)) {
    while (next < kept.length && kept[next]![1] <= at) next++;
    const span = kept[next];
    if (!span || at < span[0]) offsets.push(at);
  }
  return offsets;
}

// --- mentions and references in Markdown -------------------------------------------------------------

function neutraliseMentionsAndReferences(source: string, tree: Root, references: boolean): string {
  const edits: Edit[] = [];
  const walk = (node: Nodes, inLinkText: boolean): void => {
    switch (node.type) {
      case "text":
        edits.push(...textEdits(source, startOf(node), endOf(node), !references || inLinkText));
        return;
      // Not shown as text, or shown as written: nothing GitHub would link in there.
      case "code":
      case "inlineCode":
      case "html":
      case "definition":
      case "image":
      case "imageReference":
      case "footnoteReference":
        return;
      case "link":
      case "linkReference":
        if (isAutolink(node, source)) return;
        // GitHub does not link references inside a link's text; the bot's `[#12](url)` relies on it.
        for (const child of node.children) walk(child, true);
        return;
      default:
        if ("children" in node) for (const child of node.children) walk(child, inLinkText);
    }
  };
  walk(tree, false);
  return applyEdits(source, edits);
}

/**
 * A text node's source may hold backslash escapes and character references (`\#7`, `&#35;7`) that
 * GitHub renders as `#7` and then links; so the text is decoded first, with each decoded character
 * remembering where its source ends, and the entity goes in after the source of the `@`, `#` or `GH-`.
 */
function textEdits(source: string, from: number, to: number, skipReferences: boolean): Edit[] {
  const { text, sourceEnds } = decodeMarkdownText(source, from, to);
  return breakOffsets(text, { references: !skipReferences }).map((at) => {
    const offset = sourceEnds[at - 1]!;
    return { from: offset, to: offset, text: ZERO_WIDTH_SPACE_ENTITY };
  });
}

const ESCAPABLE = /^[!-/:-@[-`{-~]$/;
const CHARACTER_REFERENCE = /&(?:#[xX]([\da-fA-F]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z\d]{0,31}));/y;
// Named references other than these decode to something that is not part of a name, a number or a
// URL, so reading them as their literal characters gives the same word boundaries.
const NAMED_REFERENCES: Record<string, string> = { commat: "@", num: "#", sol: "/", period: ".", lowbar: "_", UnderBar: "_", fjlig: "fj" };

function decodeMarkdownText(source: string, from: number, to: number): { text: string; sourceEnds: number[] } {
  let text = "";
  const sourceEnds: number[] = [];
  const push = (value: string, end: number) => {
    text += value;
    for (let index = 0; index < value.length; index++) sourceEnds.push(end);
  };
  for (let at = from; at < to;) {
    const char = source[at]!;
    if (char === "\\" && at + 1 < to && ESCAPABLE.test(source[at + 1]!)) {
      push(source[at + 1]!, at + 2);
      at += 2;
      continue;
    }
    if (char === "&") {
      CHARACTER_REFERENCE.lastIndex = at;
      const match = CHARACTER_REFERENCE.exec(source);
      const value = match && at + match[0].length <= to ? referenceValue(match) : null;
      if (match && value !== null) {
        push(value, at + match[0].length);
        at += match[0].length;
        continue;
      }
    }
    push(char, at + 1);
    at += 1;
  }
  return { text, sourceEnds };
}

function referenceValue([, hex, decimal, name]: RegExpExecArray): string | null {
  if (name !== undefined) return NAMED_REFERENCES[name] ?? null;
  const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return valid ? String.fromCodePoint(code) : "\uFFFD";
}

// --- what GitHub would read as a mention or a reference --------------------------------------------

// Over-matching costs nothing (the inserted character is invisible), so these are wider than
// GitHub's own patterns: an `@` not preceded by a word character and followed by a name character
// (`@user`, `@org/team`; an e-mail's `@` follows a word character), and a number after `#` or `GH-`
// with no word character right after it (`#7`, `owner/repo#7`; not `#fff`, `#7a`, `#hashtag`).
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;
const HASH_REFERENCE = /#(?=\d+(?!\w))/g;
const GH_REFERENCE = /(?<!\w)GH-(?=\d+(?!\w))/gi;

/** Offsets in `text` before which an invisible character breaks a mention or a reference. */
function breakOffsets(text: string, { references }: { references: boolean }): number[] {
  if (!text.includes("@") && !(references && (text.includes("#") || /gh-/i.test(text)))) return [];
  const kept = protectedSpans(text);
  const outsideKept = (at: number) => !kept.some(([from, to]) => at > from && at < to);
  const offsets: number[] = [];
  const patterns = references ? [MENTION, HASH_REFERENCE, GH_REFERENCE] : [MENTION];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const at = match.index + match[0].length;
      if (outsideKept(at)) offsets.push(at);
    }
  }
  return offsets;
}

// What GitHub turns into a link by itself (GFM autolink literals, as mdast-util-gfm-autolink-literal
// recognises them): an `@` or a `#7` in there is part of an address.
const URL_LITERAL = /(?<![\da-z])(?:https?:\/\/|(?=www\.))([\w-]*\.[\w\-.]*)[^\t\n\r ]*/gi;
const EMAIL_LITERAL = /(?<![\w+\-.])[\w+\-.]+@[\w-]+(?:\.[\w-]+)+/g;
const URL_MAY_FOLLOW = /[\s\p{P}\p{S}]/u;

function protectedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(URL_LITERAL)) {
    const before = text[match.index - 1];
    if ((before === undefined || URL_MAY_FOLLOW.test(before)) && isDomain(match[1]!)) {
      spans.push([match.index, match.index + match[0].length]);
    }
  }
  for (const match of text.matchAll(EMAIL_LITERAL)) spans.push([match.index, match.index + match[0].length]);
  return spans;
}

/** GFM wants at least two labels, the last two without `_` and with a letter or digit. */
function isDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2 || /^[\p{P}\p{S}]/u.test(domain)) return false;
  return labels.slice(-2).every((label) => label === "" || (!label.includes("_") && /[\dA-Za-z]/.test(label)));
}

const CLOSING_KEYWORD_BEFORE_URL = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?=:?\s+(?:https?:\/\/|www\.)\S*\/(?:issues|pull)\/\d)/gi;

function closingKeywordBeforeUrlOffsets(text: string): number[] {
  return [...text.matchAll(CLOSING_KEYWORD_BEFORE_URL)].map((match) => match.index + match[0].length);
}
