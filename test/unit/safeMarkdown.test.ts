import type { Heading, Nodes, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import { safeMarkdownForGitHub, safePlainTextForGitHub } from "../../src/github/safeMarkdown.js";

const ZWSP = "\u200B";

/** Parsed the way GitHub reads it, with the autolink-literal transform. */
const parse = (markdown: string): Root => fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

function nodesOf(tree: Nodes, type: string): Nodes[] {
  const found: Nodes[] = [];
  const walk = (node: Nodes) => {
    if (node.type === type) found.push(node);
    if ("children" in node) node.children.forEach(walk);
  };
  walk(tree);
  return found;
}

/** The tree without positions and without the invisible characters: what a reader sees. */
function shape(markdown: string): unknown {
  return JSON.parse(
    JSON.stringify(parse(markdown), (key, value: unknown) =>
      key === "position" ? undefined : typeof value === "string" ? value.replaceAll(ZWSP, "") : value,
    ),
  );
}

/** Text GitHub scans for mentions and references: outside code and links, as GitHub renders it. */
function scannedText(markdown: string): string[] {
  const texts: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "text") texts.push(node.value);
    if (node.type === "link" || node.type === "linkReference") return;
    if ("children" in node) node.children.forEach(walk);
  };
  walk(parse(markdown));
  return texts;
}

// GitHub's patterns, as documented (autolinked references, mentions, closing keywords).
const GITHUB_MENTION = /(?:^|\W)@[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][\w-]*)?/i;
const GITHUB_REFERENCE = /(?:^|\W)(?:[\w.-]+\/[\w.-]+)?#\d+\b|\bGH-\d+\b/i;
const GITHUB_CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+(?:(?:[\w.-]+\/[\w.-]+)?#\d+|https?:\/\/\S+\/issues\/\d+)/i;

describe("safeMarkdownForGitHub", () => {
  it.each([
    ["Ask @octocat and @acme/sre-team.", "Ask @&#8203;octocat and @&#8203;acme/sre-team."],
    ["Same bug as #7, GH-7 and acme/api#7.", "Same bug as #&#8203;7, GH-&#8203;7 and acme/api#&#8203;7."],
    ["(@octocat) @octocat's, gh-12", "(@&#8203;octocat) @&#8203;octocat's, gh-&#8203;12"],
    ["**@bob**: see #7", "**@&#8203;bob**: see #&#8203;7"],
    ["- [ ] page @oncall about #7", "- [ ] page @&#8203;oncall about #&#8203;7"],
    ["> quoted @bob\n> and #8", "> quoted @&#8203;bob\n> and #&#8203;8"],
    ["| who | issue |\n| --- | --- |\n| @bob | #7 |", "| who | issue |\n| --- | --- |\n| @&#8203;bob | #&#8203;7 |"],
    ["## Follow-up for #7", "## Follow-up for #&#8203;7"],
    // Escapes and character references render as `#` and `@`, so GitHub would still link them.
    ["\\#7 &#35;8 &num;9 &#x23;10", "\\#&#8203;7 &#35;&#8203;8 &num;&#8203;9 &#x23;&#8203;10"],
    ["\\@bob &commat;carol @&#111;ctocat", "\\@&#8203;bob &commat;&#8203;carol @&#8203;&#111;ctocat"],
    // Not linked by GFM (a letter before the scheme), so the `@` after the slash is a mention.
    ["ahttps://example.com/@bob", "ahttps://example.com/@&#8203;bob"],
    // Mentions in a link's text are broken too; the link still works.
    ["[@bob](https://example.com)", "[@&#8203;bob](https://example.com)"],
  ])("neutralises mentions and references in %j", async (input, expected) => {
    expect(await safeMarkdownForGitHub(input)).toBe(expected);
  });

  it.each([
    "Ask @octocat and @acme/sre-team about #7, GH-7 and acme/api#7.",
    "**@bob** said _#7_ ~~@carol~~ and [see](https://example.com) #8",
    "1. @alice\n2. #7\n   - nested @bob GH-9\n\n[^1]: footnote @carol #10",
    "\\#7 &#35;8 &num;9 \\@bob &commat;carol",
  ])("leaves GitHub nothing to mention or link, with the same text and structure: %j", async (input) => {
    const output = await safeMarkdownForGitHub(input);
    for (const text of scannedText(output)) {
      expect(text).not.toMatch(GITHUB_MENTION);
      expect(text).not.toMatch(GITHUB_REFERENCE);
    }
    expect(scannedText(input).some((text) => GITHUB_MENTION.test(text) || GITHUB_REFERENCE.test(text))).toBe(true);
    expect(shape(output)).toEqual(shape(input));
  });

  it.each([
    ["an unclosed comment", "Before\n\n<!-- draft\n\n## Later\n\nAfter"],
    ["a closed comment", "Text <!-- hidden --> more"],
    ["a details block", "<details><summary>More</summary>\n\nhidden @bob\n\n</details>"],
    ["a script", "<script>alert(document.cookie)</script>"],
    ["a style", "<style>body { display: none }</style>"],
    ["an image with onerror", "Look <img src=x onerror=alert(1)> here"],
    ["a heading tag", "<h1>Fake title</h1>"],
    ["HTML in link text", "[<b>bold</b>](https://example.com)"],
    ["HTML in a table cell", "| a |\n| - |\n| <i>x</i> |"],
    ["HTML in a quote", "> <div>\n> text\n> </div>"],
    ["a processing instruction and CDATA", "<?php echo 1; ?>\n\n<![CDATA[ x ]]>\n\n<!DOCTYPE html>"],
  ])("shows raw HTML as text: %s", async (_name, input) => {
    const output = await safeMarkdownForGitHub(input);
    expect(nodesOf(parse(output), "html")).toEqual([]);
    expect(nodesOf(parse(input), "html").length).toBeGreaterThan(0);
    const visible = nodesOf(parse(output), "text")
      .map((node) => (node as { value: string }).value)
      .join("");
    expect(visible).toContain("<");
  });

  it("brings back every section after an unclosed comment, mentions in them neutralised", async () => {
    const output = await safeMarkdownForGitHub("Intro\n\n<!-- todo\n\n## Root cause\n\n@bob broke #7\n\n## Resolution\n\nDone");
    expect(output).toBe("Intro\n\n&lt;!-- todo\n\n## Root cause\n\n@&#8203;bob broke #&#8203;7\n\n## Resolution\n\nDone");
  });

  it.each([
    ["inline code", "Run `@x #7 <!-- GH-7` now"],
    ["a fenced code block", "```sh\ncurl -H '@x' https://x/#7 <!-- \n@bob #7\n```"],
    ["an indented code block", "Text\n\n    @bob #7 <b>\n    <!--"],
    ["code nested in a list", "- step\n\n  ```\n  @bob #7 <script>\n  ```"],
    ["e-mail addresses", "Mail alice@example.com or ops+pager@acme.co.uk, or <bob@example.com>"],
    [
      "URLs with fragments and @",
      "See https://github.com/acme/api/issues/7#issuecomment-1 and https://medium.com/@bob and www.example.com/a#7",
    ],
    ["URLs GitHub links after a quote mark", '"https://example.com/a#7" and (www.example.com/@bob)'],
    ["an autolink", "<https://example.com/#7> and <mailto:a@b.co>"],
    ["Markdown links", '[a #7 link](https://example.com/x#7 "title @bob #8") and ![@alt #9](https://example.com/i.png)'],
    [
      "the bot's issue links",
      "- [ ] Add alerting — [#12](https://github.com/acme/incidents/issues/12)\n- [x] Done — [#13](https://github.com/acme/incidents/issues/13)",
    ],
    [
      "reference links",
      "See [#12][issue] and [#13].\n\n[issue]: https://github.com/acme/incidents/issues/12\n[#13]: https://github.com/acme/incidents/issues/13",
    ],
    ["headings", "# Incident\n\n## Timeline #\n\n### Tuesday"],
    ["hashtags, colour codes and fragments", "#hashtag #incident-42 #fff #ff0000 #7a page#top C# F#"],
    ["a table", "| Field | Value |\n| :--- | ---: |\n| Severity | SEV2 |\n| Channel | [#inc-42](https://acme.slack.com/archives/C1) |"],
    ["emphasis and lists", "1. **bold** _em_ ~~gone~~\n2. item\n   - nested\n\n---\n\n> quote"],
    ["plain text", "The hub went down at 17:32 and came back at 18:05."],
    ["an @ or # on its own", "a @ b # c @- d #-7 e@ f"],
    ["an empty string", ""],
  ])("leaves %s unchanged", async (_name, input) => {
    expect(await safeMarkdownForGitHub(input)).toBe(input);
  });

  it("keeps the rest of the text byte for byte, however it was formatted", async () => {
    const input = "Text  with   odd\tspacing *and* __strong__ \\* escapes &amp; entities\r\nand CRLF @bob\r\n\r\n* star list\n+ plus list";
    const output = await safeMarkdownForGitHub(input);
    expect(output).toBe(input.replace("@bob", "@&#8203;bob"));
  });

  it("gives the same result when applied twice", async () => {
    const input = "@bob #7 GH-7 <!-- x\n\n<b>y</b> `@z` [#12](https://e.co/12) &#35;8";
    const once = await safeMarkdownForGitHub(input);
    expect(await safeMarkdownForGitHub(once)).toBe(once);
  });

  it("ends, with no HTML left, on HTML nested many levels deep", async () => {
    const input = Array.from({ length: 60 }, (_, index) => (index % 2 ? "<details>" : "<!-- open")).join("\n") + "\n\n`code <b>`\n";
    const output = await safeMarkdownForGitHub(input);
    expect(nodesOf(parse(output), "html")).toEqual([]);
  });

  it("keeps every heading of a realistic report that has an unclosed comment in the middle", async () => {
    const report = [
      "# Incident #42: LEAP hub outage",
      "",
      "| Field | Value |",
      "| --- | --- |",
      "| Number | #42 |",
      "| Severity | SEV2 |",
      "| Channel | [#inc-42-leap-hub-outage](https://acme.slack.com/archives/C0INC42) |",
      "| Tech lead | @alice |",
      "",
      "## Metrics",
      "",
      "- Time to detect (impact start → detected): 4m",
      "- Duration: 1h 10m",
      "",
      "## Summary",
      "",
      "The hub returned 502s for all users; @acme/sre-team was paged.",
      "",
      "## Timeline (times in Europe/London (BST))",
      "",
      "### Tuesday 12 August 2025",
      "",
      "- **[17:32](https://acme.slack.com/archives/C0INC42/p1755016320000100)** — @alice (Tech lead): restarting the hub",
      "  ```",
      "  $ kubectl -n leap rollout restart deployment/hub <!-- not html in code",
      "  ```",
      "- **17:40** — @bob: fixed by rollback, see #7",
      "",
      "## Root cause",
      "",
      "The config change dropped the readiness probe.",
      "<!-- TODO: confirm with @carol before publishing",
      "",
      "## Resolution",
      "",
      "Rolled back; fixes #7 upstream.",
      "",
      "## What went well",
      "",
      "<details><summary>Paging</summary>",
      "",
      "Paging worked.",
      "",
      "## What went badly",
      "",
      "<script>document.title = 'pwned'</script>",
      "",
      "## Action items",
      "",
      "- [ ] Add a readiness probe test (owner @alice, due 2025-09-01) — [#12](https://github.com/acme/incidents/issues/12)",
      "- [x] Alert on 502 rate — [#13](https://github.com/acme/incidents/issues/13)",
      "",
    ].join("\n");
    const headings = (markdown: string) =>
      (nodesOf(parse(markdown), "heading") as Heading[]).map((heading) => ({
        depth: heading.depth,
        text: nodesOf(heading, "text")
          .map((node) => (node as { value: string }).value)
          .join("")
          .replaceAll(ZWSP, ""),
      }));

    const output = await safeMarkdownForGitHub(report);

    expect(headings(report).map(({ text }) => text)).not.toContain("Resolution");
    expect(headings(output)).toEqual([
      { depth: 1, text: "Incident #42: LEAP hub outage" },
      { depth: 2, text: "Metrics" },
      { depth: 2, text: "Summary" },
      { depth: 2, text: "Timeline (times in Europe/London (BST))" },
      { depth: 3, text: "Tuesday 12 August 2025" },
      { depth: 2, text: "Root cause" },
      { depth: 2, text: "Resolution" },
      { depth: 2, text: "What went well" },
      { depth: 2, text: "What went badly" },
      { depth: 2, text: "Action items" },
    ]);
    const tree = parse(output);
    expect(nodesOf(tree, "html")).toEqual([]);
    expect(nodesOf(tree, "table")).toHaveLength(1);
    expect(nodesOf(tree, "code").map((node) => (node as { value: string }).value)).toEqual([
      "$ kubectl -n leap rollout restart deployment/hub <!-- not html in code",
    ]);
    const links = (nodesOf(tree, "link") as Array<{ url: string }>).map((link) => link.url);
    expect(links).toEqual(
      expect.arrayContaining(["https://github.com/acme/incidents/issues/12", "https://github.com/acme/incidents/issues/13"]),
    );
    expect(nodesOf(tree, "listItem").filter((item) => (item as { checked?: boolean | null }).checked !== null)).toHaveLength(2);
    for (const text of scannedText(output)) {
      expect(text).not.toMatch(GITHUB_MENTION);
      expect(text).not.toMatch(GITHUB_REFERENCE);
    }
    expect(output).toContain("[#12](https://github.com/acme/incidents/issues/12)");
  });
});

describe("safePlainTextForGitHub", () => {
  it.each([
    ["Page @octocat", `Page @${ZWSP}octocat`],
    ["Ask @acme/sre-team", `Ask @${ZWSP}acme/sre-team`],
    ["Follow up on #7", `Follow up on #${ZWSP}7`],
    ["GH-7 and gh-8", `GH-${ZWSP}7 and gh-${ZWSP}8`],
    ["Same as acme/api#7", `Same as acme/api#${ZWSP}7`],
    ["Incident #42: fixes #7", `Incident #${ZWSP}42: fixes #${ZWSP}7`],
  ])("breaks the reference in %j with a zero-width space", async (input, expected) => {
    expect(safePlainTextForGitHub(input)).toBe(expected);
  });

  const keywords = ["close", "closes", "closed", "fix", "fixes", "fixed", "resolve", "resolves", "resolved"];
  const closingTitles = keywords.flatMap((keyword) => [
    `Roll back the config, ${keyword} #7`,
    `${keyword.toUpperCase()}: #7`,
    `${keyword[0]!.toUpperCase()}${keyword.slice(1)} acme/api#7 and ${keyword} GH-8`,
    `${keyword} https://github.com/acme/api/issues/7`,
  ]);
  it.each(closingTitles)("makes the closing keyword inert in %j", async (input) => {
    expect(input).toMatch(GITHUB_CLOSING);
    const output = safePlainTextForGitHub(input);
    expect(output).not.toMatch(GITHUB_CLOSING);
    expect(output.replaceAll(ZWSP, "")).toBe(input);
  });

  it.each([
    "Mail alice@example.com about it",
    "See https://github.com/acme/api/issues/7#issuecomment-1 and https://medium.com/@bob",
    "#hashtag #fff #ff0000 #7a C# page#top",
    "Restart the hub after the 17:32 deploy",
    "Add alerting (see https://github.com/acme/api/issues/7)",
  ])("leaves %j unchanged", async (input) => {
    expect(safePlainTextForGitHub(input)).toBe(input);
  });

  it("collapses line breaks into one space for a title, and only when asked", async () => {
    expect(safePlainTextForGitHub("  Restart the hub\r\n\n  then check @bob \n")).toBe(
      `  Restart the hub\r\n\n  then check @${ZWSP}bob \n`,
    );
    expect(safePlainTextForGitHub("  Restart the hub\r\n\n  then check @bob \n", { singleLine: true })).toBe(
      `Restart the hub then check @${ZWSP}bob`,
    );
  });

  it("gives the same result when applied twice", async () => {
    const once = safePlainTextForGitHub("fixes #7 for @bob, GH-8, fixed https://github.com/a/b/issues/9");
    expect(safePlainTextForGitHub(once)).toBe(once);
  });
});
