// Slack's three escapes, and text leaving Slack's format for another: decoded once (so what was
// typed is what is kept), escaped again for Slack, and written as Markdown that shows it as typed.
import { escapeMarkdownText, slackCodeToText, slackProseToMarkdown } from "../../src/incidents/report/slackMarkdown.js";
import { publicTextFromSlack } from "../../src/incidents/report/publicSummary.js";
import { decodeSlackEscapes, escapeForSlack } from "../../src/incidents/slackEscapes.js";

const NAMES = { users: { U2: "Alice Adams" }, channels: { C9: "ops" } };

/** What Slack sends for typed text, written out independently of the code under test. */
const asSlackSends = (typed: string) => typed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

const TYPED = ["delayed & slower", "2 < 3 > 1", "<script>alert(1)</script>", "&lt;b&gt;", "&amp;", "&amp;lt;", "AT&T", "&#39; &eacute;"];

describe("Slack's escapes", () => {
  it.each(TYPED.map((t) => [t]))("%j survives Slack's escaping and decoding unchanged", async (typed) => {
    expect(decodeSlackEscapes(asSlackSends(typed))).toBe(typed);
    expect(escapeForSlack(typed)).toBe(asSlackSends(typed));
  });

  it("decodes only Slack's three, once", async () => {
    expect(decodeSlackEscapes("&quot;&eacute;&#39;")).toBe("&quot;&eacute;&#39;");
    expect(decodeSlackEscapes("&amp;amp;")).toBe("&amp;");
  });
});

describe("a customer's text from Slack", () => {
  it.each([
    [asSlackSends("Payments are delayed & refunds are slower."), "Payments are delayed & refunds are slower."],
    [asSlackSends("Typed: <img src=x onerror=alert(1)>, &lt;b&gt; and &amp;"), "Typed: <img src=x onerror=alert(1)>, &lt;b&gt; and &amp;"],
    [`<@U2|alice> says ${asSlackSends("<ok>")}: <https://status.example.com|status page> & more`, "The team says <ok>: status page & more"],
    ["<!here> <#C9|ops> fixed &amp; verified", "fixed & verified"],
  ])("%j → %j", async (slack, typed) => {
    expect(await publicTextFromSlack(slack)).toBe(typed);
  });
});

describe("Slack's text as Markdown", () => {
  it("shows a typed character reference as typed, not as the character it names", async () => {
    const typed = "a & b, &amp; and &#39; and &lt;b&gt;";
    expect(slackProseToMarkdown(asSlackSends(typed), NAMES)).toBe("a & b, &amp;amp; and &amp;#39; and &amp;lt;b&amp;gt;");
    expect(slackProseToMarkdown(asSlackSends("x <b>bold</b>"), NAMES)).toBe("x &lt;b>bold&lt;/b>");
  });

  it("names people and channels and decodes Slack's escapes in plain text", async () => {
    expect(slackCodeToText(`<@U2|alice> in <#C9> ${asSlackSends("A & <B>")}`, NAMES)).toBe("@Alice Adams in #ops A & <B>");
  });

  it.each([
    ["Payments & refunds <slow>", "Payments & refunds \\<slow>"],
    ["*bold* _it_ `code` [link](x)", "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)"],
    ["AT&amp;T", "AT\\&amp;T"],
    ["Incident #3", "Incident #3"],
    ["Ends in a hash #", "Ends in a hash \\#"],
  ])("plain text %j as Markdown: %j", async (text, markdown) => {
    expect(escapeMarkdownText(text)).toBe(markdown);
  });
});
