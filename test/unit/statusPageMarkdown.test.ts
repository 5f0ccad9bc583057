import { escapeMarkup, markdownToSafeHtml } from "../../src/statusPage/markdown.js";

describe("the public summary as safe HTML", () => {
  const render = (markdown: string) => markdownToSafeHtml(markdown, { headingOffset: 3, dropLeadingTitle: true });

  it("keeps structure, moves headings under the incident's and drops the repeated title", async () => {
    expect(await render("# Incident #3\n\n## Summary\n\nLogins *failed* for **20 minutes**.\n\n- one\n- two")).toBe(
      "<h5>Summary</h5>\n<p>Logins <em>failed</em> for <strong>20 minutes</strong>.</p>\n<ul><li>one</li><li>two</li></ul>",
    );
  });

  it("shows raw HTML as text and keeps only http(s) links", async () => {
    const html = await render(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [ok](https://example.com/a?b=1&c="2") [bad](javascript:alert(1)) [mail](mailto:a@b.c) ![tracker](https://evil.example/p.png)',
    );
    expect(html).not.toMatch(/<script|<img|javascript:|mailto:|evil\.example/);
    expect(html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(html).toContain('<a href="https://example.com/a?b=1&#38;c=&#34;2&#34;" rel="nofollow noopener noreferrer">ok</a>');
    expect(html).toContain(" bad mail tracker");
  });

  it("escapes code and removes characters XML forbids", async () => {
    expect(await render("```\n<b>&</b>\n```")).toBe("<pre><code>&#60;b&#62;&#38;&#60;/b&#62;</code></pre>");
    expect(escapeMarkup("a\u0000b\u0007c\uD800d\u{1F600}")).toBe("abcd\u{1F600}");
  });
});
