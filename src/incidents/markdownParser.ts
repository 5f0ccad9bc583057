// The one Markdown parser (micromark with GitHub Flavored Markdown, through mdast-util-from-markdown),
// loaded the first time something is parsed. Its modules hold about 15 MiB resident (HTML's named
// character references and GFM's tables among them), and a bot only parses Markdown when it writes
// for customers or GitHub: a public summary or update, an issue, a published report, the status
// page. Loaded at start-up they were a tenth of the idle bot's memory (issue 22).
//
// The callers (the public sanitiser, GitHub's safe Markdown, the status page's HTML) each take the
// variant they need; each variant is built once, since building GFM's extensions costs more than
// parsing a short section.
import type { Root } from "mdast";
import type { Options } from "mdast-util-from-markdown";

export type ParseMarkdown = (markdown: string) => Root;

export interface MarkdownParserVariant {
  /**
   * Read `<...>` as raw HTML, as GitHub does (default true). Off for Slack's own text, where a line
   * starting with `<!here>` would otherwise be an HTML block and hide the code after it.
   */
  rawHtml?: boolean;
  /**
   * Keep GFM's autolink-literal transform (default true). It adds the links it finds after parsing,
   * without source positions; a caller that edits the source by position leaves it out.
   */
  unpositionedAutolinks?: boolean;
}

type Libraries = [typeof import("mdast-util-from-markdown"), typeof import("mdast-util-gfm"), typeof import("micromark-extension-gfm")];
let libraries: Promise<Libraries> | undefined;
const variants = new Map<string, Promise<ParseMarkdown>>();

/** A parser for `variant`, loading the libraries on first use. */
export function markdownParser(variant: MarkdownParserVariant = {}): Promise<ParseMarkdown> {
  const rawHtml = variant.rawHtml ?? true;
  const unpositionedAutolinks = variant.unpositionedAutolinks ?? true;
  const key = `${rawHtml}:${unpositionedAutolinks}`;
  let parser = variants.get(key);
  if (!parser) variants.set(key, (parser = build(rawHtml, unpositionedAutolinks)));
  return parser;
}

/**
 * One after another, not at once: they share modules (micromark's), and Jest's ESM loader fails
 * ("module not been linked") when two imports link the same module concurrently. The cost is nil.
 */
async function loadLibraries(): Promise<Libraries> {
  const fromMarkdown = await import("mdast-util-from-markdown");
  const gfmFromMarkdown = await import("mdast-util-gfm");
  return [fromMarkdown, gfmFromMarkdown, await import("micromark-extension-gfm")];
}

async function build(rawHtml: boolean, unpositionedAutolinks: boolean): Promise<ParseMarkdown> {
  const [{ fromMarkdown }, { gfmFromMarkdown }, { gfm }] = await (libraries ??= loadLibraries());
  const options: Options = {
    extensions: rawHtml ? [gfm()] : [gfm(), { disable: { null: ["htmlFlow", "htmlText"] } }],
    mdastExtensions: unpositionedAutolinks ? gfmFromMarkdown() : gfmFromMarkdown().map(({ transforms: _unpositioned, ...rest }) => rest),
  };
  return (markdown) => fromMarkdown(markdown, options);
}
