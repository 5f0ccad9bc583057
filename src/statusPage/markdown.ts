// The public summary is Markdown; the status page shows it as HTML that cannot carry anything but
// text and structure. It is parsed with the same maintained parser the sanitiser uses (micromark
// through mdast-util-from-markdown, with GFM), then rendered here from the syntax tree, so:
// - every piece of text is escaped (raw HTML in the Markdown is shown as the text it is);
// - a link is kept only when it is http(s), otherwise its words stay as plain text;
// - images become their alternative text (the page loads nothing from elsewhere);
// - headings move under the incident's own heading level.
import type { Nodes, Parents, TableRow } from "mdast";
import { markdownParser } from "../incidents/markdownParser.js";

/** Text and attribute values for HTML and XML: the five special characters, and no characters XML forbids. */
export function escapeMarkup(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// A disabled range, not the next line only: Prettier may move the expression to a line of its own.
/* eslint-disable no-control-regex -- finding control characters is the point */
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

/** Removes what XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, "");
}

export const isHttpUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url.trim());

export interface MarkdownHtmlOptions {
  /** The level an h1 in the Markdown becomes (h1 + 3 = h4 under an incident's h3). */
  headingOffset: number;
  /** Drop a level-1 heading that opens the document (it repeats the incident's title). */
  dropLeadingTitle?: boolean;
}

export async function markdownToSafeHtml(markdown: string, options: MarkdownHtmlOptions): Promise<string> {
  const tree = (await markdownParser())(markdown);
  const children = [...tree.children];
  if (options.dropLeadingTitle && children[0]?.type === "heading" && children[0].depth === 1) children.shift();
  return children.map((node) => render(node, options)).join("\n");
}

function renderChildren(node: Parents, options: MarkdownHtmlOptions): string {
  return node.children.map((child) => render(child as Nodes, options)).join("");
}

/** A table row; the first row's cells are headers. */
function renderRow(row: TableRow, cell: "th" | "td", options: MarkdownHtmlOptions): string {
  return `<tr>${row.children.map((c) => `<${cell}>${renderChildren(c, options)}</${cell}>`).join("")}</tr>`;
}

function render(node: Nodes, options: MarkdownHtmlOptions): string {
  switch (node.type) {
    case "root":
      return renderChildren(node, options);
    case "paragraph":
      return `<p>${renderChildren(node, options)}</p>`;
    case "heading": {
      const level = Math.min(6, node.depth + options.headingOffset);
      return `<h${level}>${renderChildren(node, options)}</h${level}>`;
    }
    case "thematicBreak":
      return "<hr>";
    case "blockquote":
      return `<blockquote>${renderChildren(node, options)}</blockquote>`;
    case "list": {
      const tag = node.ordered ? "ol" : "ul";
      const start = node.ordered && node.start != null && node.start !== 1 ? ` start="${Number(node.start)}"` : "";
      return `<${tag}${start}>${node.children.map((item) => render(item, options)).join("")}</${tag}>`;
    }
    case "listItem": {
      const box = node.checked == null ? "" : node.checked ? "☑ " : "☐ ";
      // A tight list's paragraphs are shown without their own margins.
      const inner = node.spread
        ? renderChildren(node, options)
        : node.children.map((c) => (c.type === "paragraph" ? renderChildren(c, options) : render(c, options))).join("");
      return `<li>${box}${inner}</li>`;
    }
    case "table":
      return `<table>${node.children.map((row, i) => renderRow(row, i === 0 ? "th" : "td", options)).join("")}</table>`;
    case "code":
      return `<pre><code>${escapeMarkup(node.value)}</code></pre>`;
    case "inlineCode":
      return `<code>${escapeMarkup(node.value)}</code>`;
    case "emphasis":
      return `<em>${renderChildren(node, options)}</em>`;
    case "strong":
      return `<strong>${renderChildren(node, options)}</strong>`;
    case "delete":
      return `<del>${renderChildren(node, options)}</del>`;
    case "break":
      return "<br>";
    case "link":
      return isHttpUrl(node.url)
        ? `<a href="${escapeMarkup(node.url.trim())}" rel="nofollow noopener noreferrer">${renderChildren(node, options)}</a>`
        : renderChildren(node, options);
    case "image":
      return escapeMarkup(node.alt ?? "");
    case "imageReference":
      return escapeMarkup(node.alt ?? "");
    case "linkReference":
      return renderChildren(node, options);
    case "text":
    case "html":
      return escapeMarkup(node.value);
    case "definition":
    case "footnoteDefinition":
    case "footnoteReference":
    case "yaml":
      return "";
    default:
      return "children" in node ? renderChildren(node, options) : "";
  }
}
