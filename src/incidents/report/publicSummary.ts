// The customer-facing summary of an incident, and the sanitiser behind it.
//
// `sanitizeForPublic` removes what must not reach customers: people (mentions, @names, known names
// become "the team"), Slack links, channel and group mentions, code and pasted commands; and it runs
// the secret redactor as a last safety net. Code is found by a Markdown parser, which knows what a
// line scan does not (indented code, fences inside lists and quotes, ``double`` backticks); the
// inputs are the few sections people wrote, so the parse costs little here.
import type { Nodes } from "mdast";
import { markdownParser, type ParseMarkdown } from "../markdownParser.js";
import { redactSecrets } from "../redact.js";
import { decodeSlackEscapes } from "../slackEscapes.js";
import { escapeMarkdownText } from "./slackMarkdown.js";
import { AT_NAME, escapeRegExp, knownNamesSource, LINE_MARKERS, SLACK_MENTION } from "./markdownText.js";

export interface PublicSummaryParts {
  title: string;
  summary: string;
  impact: string;
  resolution: string;
  prevention: string;
}

export interface PublicSummaryOptions {
  /** Names of people involved (display and real names): replaced, case-insensitively, as whole words. */
  knownNames?: string[];
}

const CLI_NAMES = [
  "kubectl",
  "helm",
  "curl",
  "wget",
  "psql",
  "mysql",
  "redis-cli",
  "ssh",
  "scp",
  "sudo",
  "git",
  "docker",
  "terraform",
  "gcloud",
  "aws",
  "az",
  "systemctl",
  "journalctl",
  "npm",
  "npx",
];
/** A line (or inline code) that is a pasted shell command: a prompt, or a lower-case CLI name first. */
const COMMAND = new RegExp(String.raw`^(?:\$\s|(?:sudo\s+)?(?:${CLI_NAMES.map(escapeRegExp).join("|")})(?:\s|$))`);
const isSlackUrl = (url: string) => /^(?:https?:\/\/)?(?:[\w-]+\.)*(?:slack\.com|slack-edge\.com|slack-files\.com)(?:[/:?#]|$)/i.test(url);
const THE_TEAM = "the team";
/** Stands in for a removed Slack link or channel mention until the words around it are tidied. */
const GONE = "\uE000";

/**
 * Markdown made safe to show customers (the public summary's sections): no people (Slack mentions,
 * @names and known names become "the team"), no Slack links (a non-Slack `<url|label>` keeps its
 * label as plain text), no channel or group mentions, no code blocks, inline code or pasted command
 * lines, and no secrets. Character references are Markdown's to read and are left as they are.
 */
export function sanitizeForPublic(markdown: string, knownNames?: string[]): Promise<string> {
  return sanitize(markdown, knownNames, "markdown");
}

/**
 * What a liaison typed in Slack (a customer update, the public title), made safe as sanitizeForPublic
 * makes Markdown, and returned as plain text exactly as typed: Slack's escapes (`&amp;`, `&lt;`,
 * `&gt;`) are decoded once, after Slack's own markup is gone, so "delayed &amp; slower" reads
 * "delayed & slower" and a typed `<b>` is the four characters `<b>`. Renderers escape it for their format.
 */
export function publicTextFromSlack(slackText: string, knownNames?: string[]): Promise<string> {
  return sanitize(slackText, knownNames, "slack");
}

async function sanitize(text: string, knownNames: string[] | undefined, source: "slack" | "markdown"): Promise<string> {
  const lines = withoutCode(await parser(), text.replaceAll(GONE, "").replace(/\r\n?/g, "\n")).split("\n");
  let out = lines.filter((line) => !COMMAND.test(line.replace(LINE_MARKERS, "").trim())).join("\n");

  // Slack's own markup: <url|label>, <#C123|channel>, <!here>, <!subteam^S1|@sre>, <!date^...|fallback>.
  out = out.replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_, url: string, label: string | undefined) =>
    isSlackUrl(url) ? GONE : (label ?? url),
  );
  out = out.replace(/<#[A-Z0-9]+(?:\|[^>]*)?>/g, GONE);
  out = out.replace(/<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/g, THE_TEAM);
  out = out.replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1");
  out = out.replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, "");
  out = out.replace(new RegExp(SLACK_MENTION, "g"), THE_TEAM);
  // With its markup gone, what is left of Slack's text is what was typed.
  if (source === "slack") out = decodeSlackEscapes(out);
  // Markdown links and bare URLs pointing into Slack.
  out = out.replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (link, _label: string, url: string) => (isSlackUrl(url) ? GONE : link));
  out = out.replace(/(?<![\w.-])(?:https?:\/\/)?(?:[\w-]+\.)*(?:slack\.com|slack-edge\.com|slack-files\.com)(?:\/[^\s)>\]]*)?/gi, GONE);
  out = dropRemovedLinks(out);

  // People (Slack's mentions went with its markup, before a typed "<@U1>" could look like one).
  out = out.replace(new RegExp(AT_NAME, "g"), THE_TEAM);
  const knownSource = knownNamesSource(knownNames);
  if (knownSource) out = out.replace(new RegExp(knownSource, "gi"), THE_TEAM);

  out = redactSecrets(out).text;
  return tidy(out);
}

// Slack's own markup is not HTML: read as HTML, a line starting with <!here> would be a raw HTML
// block, and code on that line would not be found.
const parser = () => markdownParser({ rawHtml: false });

/**
 * Code blocks become an empty line. Inline code that is a command becomes "a command", so the
 * sentence still reads; other inline code (a config key, a hostname) is internal detail and goes.
 */
function withoutCode(parse: ParseMarkdown, markdown: string): string {
  const tree = parse(markdown);
  const edits: Array<{ from: number; to: number; text: string }> = [];
  const visit = (node: Nodes) => {
    if (node.type === "code" || node.type === "inlineCode") {
      const command = node.type === "inlineCode" && COMMAND.test(node.value.trim());
      // micromark gives every node it parses a position with offsets.
      edits.push({ from: node.position!.start.offset!, to: node.position!.end.offset!, text: command ? "a command" : "" });
    } else if ("children" in node) node.children.forEach(visit);
  };
  visit(tree);
  // Nodes are visited in document order and code never nests, so the edits are sorted and apart.
  let out = "";
  let copied = 0;
  for (const edit of edits) {
    out += markdown.slice(copied, edit.from) + edit.text;
    copied = edit.to;
  }
  return out + markdown.slice(copied);
}

/**
 * Removes the words that only pointed at a removed link: "See <thread> and <status page>." reads
 * "See status page.", and "Details: <thread>." goes altogether.
 */
function dropRemovedLinks(text: string): string {
  const lead = String.raw`(?:see|also|more|details|context|discussion|thread|link|links|here|there|in|at|on|via|per|from|the|is|are|was)`;
  return (
    text
      // Several removed links in a row count as one.
      .replace(new RegExp(`${GONE}(?:\\s*(?:,|and|or|&)?\\s*${GONE})+`, "g"), GONE)
      // "X and <gone>", "<gone>, X": drop the conjunction with the link.
      .replace(new RegExp(`${GONE}[ \\t]*(?:,|\\band\\b|\\bor\\b)[ \\t]*`, "gi"), `${GONE} `)
      .replace(new RegExp(`[ \\t]*(?:,|\\band\\b|\\bor\\b)[ \\t]*${GONE}`, "gi"), ` ${GONE}`)
      // A sentence that was only a pointer ("See <gone>.", "Thread: <gone>") goes with its full stop.
      .replace(
        new RegExp(
          `(^|[.!?][ \\t]+|\\n[ \\t]*(?:(?:[-*+>]|\\d+[.)])[ \\t]+)?)(?:${lead}\\b[ \\t]*:?[ \\t]*)*${GONE}[ \\t]*(?:[.!?:]|(?=\\n|$))[ \\t]*`,
          "gi",
        ),
        "$1",
      )
      // Elsewhere the link goes with the preposition that introduced it: "as discussed in <gone> earlier".
      .replace(new RegExp(`(?:[ \\t]+(?:in|at|on|via|per|from)\\b)?[ \\t]*:?[ \\t]*${GONE}`, "gi"), "")
  );
}

/** Repairs what the removals leave behind: doubled "the team", stray spaces and punctuation, empty items. */
function tidy(text: string): string {
  const repaired = text
    // "Alice, Bob and Carol" all became "the team": say it once.
    .replace(/\bthe team(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s*\/\s*)(?:the team))+/gi, THE_TEAM)
    .replace(/\(\s*\)|\[\s*\]/g, "")
    .replace(/(\S)[ \t]{2,}/g, "$1 ")
    .replace(/[ \t]+([,.;:!?])/g, "$1")
    .replace(/([,;])(?:\s*[,;])+/g, "$1")
    .replace(/[,;]\s*([.!?])/g, "$1")
    .replace(/[ \t]+$/gm, "")
    // "the team" that now starts the text, a sentence, a line, a list item or a heading.
    .replace(
      /(^\s*|[.!?][ \t]+|\n[ \t]*)((?:(?:[-*+>]|#{1,6}|\d+[.)])[ \t]+)?)the team\b/g,
      (_, before: string, marker: string) => `${before}${marker}The team`,
    );
  return (
    repaired
      .split("\n")
      // List items and quotes that held only a mention or a link.
      .filter((line) => !/^\s*(?:[-*+>]|\d+[.)])\s*$/.test(line))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/**
 * A customer-facing Markdown summary of the incident, with people, Slack links and commands removed.
 * The sections are Markdown; the title is plain text (the public title), escaped for its heading.
 */
export async function publicSummary(parts: PublicSummaryParts, options: PublicSummaryOptions = {}): Promise<string> {
  const clean = async (text: string) => (await sanitizeForPublic(text, options.knownNames)) || "_Details to follow._";
  const title =
    escapeMarkdownText((await sanitize(parts.title, options.knownNames, "markdown")).replace(/\s*\n\s*/g, " ")) || "Incident summary";
  return (
    [
      `# ${title}`,
      "## Summary",
      await clean(parts.summary),
      "## Impact",
      await clean(parts.impact),
      "## Resolution",
      await clean(parts.resolution),
      "## What we are doing to prevent a repeat",
      await clean(parts.prevention),
    ].join("\n\n") + "\n"
  );
}
