import { publicSummary, sanitizeForPublic } from "../../src/incidents/report/publicSummary.js";

describe("sanitizeForPublic", () => {
  it.each([
    ["<@U123ABC> restarted the pods.", "The team restarted the pods."],
    ["Paged <@U1|alice>, <@U2> and @dave.", "Paged the team."],
    ["Rolled back by <!subteam^S1|@sre>.", "Rolled back by the team."],
    ["<@U2|bob>'s change was reverted.", "The team's change was reverted."],
    ["Alice Smith and Dave noticed errors.", "The team noticed errors."],
    [
      "See <https://acme.slack.com/archives/C1/p123|the thread> and <https://status.example.com/incidents/1|our status page>.",
      "See our status page.",
    ],
    ["Details: https://acme.slack.com/archives/C1/p1\nErrors stopped at 17:40.", "Errors stopped at 17:40."],
    ["As discussed in <#C123|inc-42> earlier, the cache was cold.", "As discussed earlier, the cache was cold."],
    ["The `max_connections` setting was too low.", "The setting was too low."],
    ["We rolled back with `helm rollback api 41`.", "We rolled back with a command."],
    ["Errors rose.\n$ psql -c 'select 1'\nkubectl get pods -n prod\nThey fell again.", "Errors rose.\nThey fell again."],
    ["- <https://x.slack.com/archives/C1/p1|notes>\n- Payments were delayed.", "- Payments were delayed."],
    [
      "Email support@example.com or read https://medium.com/@acme/post.",
      "Email support@example.com or read https://medium.com/@acme/post.",
    ],
  ])("%j → %j", async (input, expected) => {
    expect(await sanitizeForPublic(input, ["Alice Smith", "Alice", "Dave"])).toBe(expected);
  });

  it.each([
    [
      "an indented code block",
      "The pool was too small:\n\n    max_connections = 10\n\nWe raised it.",
      "The pool was too small:\n\nWe raised it.",
    ],
    [
      "a fence inside a quote",
      "> Config at the time:\n> ```\n> max_connections = 10\n> ```\n\nWe raised it.",
      "> Config at the time:\n\nWe raised it.",
    ],
    [
      "a fence inside a list item",
      "- We changed:\n  ```ini\n  max_connections = 10\n  ```\n- Errors stopped.",
      "- We changed:\n\n- Errors stopped.",
    ],
    ["inline code with a backtick in it", "Set ``pool`size`` to 50 and restarted.", "Set to 50 and restarted."],
    ["an unclosed fence, to the end", "The fix:\n```\nmax_connections = 10\nmore", "The fix:"],
  ])("removes code however Markdown writes it: %s", async (_, input, expected) => {
    expect(await sanitizeForPublic(input)).toBe(expected);
  });

  it("finds code on a line that starts with Slack markup, which is not HTML", async () => {
    expect(await sanitizeForPublic("<!here> we ran `kubectl delete pod api-1` twice.")).toBe("we ran a command twice.");
  });

  it("redacts a secret that survived the other rules", async () => {
    const out = await sanitizeForPublic("The token xoxb-123456-7890-abcdefghij leaked into a log.");
    expect(out).not.toContain("xoxb-123456");
    expect(out).toContain("[REDACTED]");
  });
});

describe("publicSummary", () => {
  const knownNames = ["Alice Smith", "Alice", "Dave"];
  let summary = "";
  beforeAll(async () => {
    summary = await publicSummary(
      {
        title: "Checkout errors after <@U1|alice>'s deploy",
        summary:
          "<@U123> and <@U456|bob> deployed a change to the payment service. Alice Smith noticed errors on the dashboard. See <https://acme.slack.com/archives/C1/p123|the thread> and <https://status.example.com/incidents/1|our status page>.",
        impact:
          "- @carol saw 40% of checkouts fail between 17:32 and 17:58 BST\n- <!here> <#C999|inc-42>\n- Payments were delayed by up to 12 minutes.",
        resolution: [
          "Dave rolled back with `helm rollback payments 41`:",
          "```",
          "kubectl rollout undo deploy/payments -n prod",
          "```",
          "$ curl -s https://payments.internal/healthz",
          "sudo systemctl restart payments",
          "git revert 1a2b3c",
          "Error rates returned to normal at 17:58. Thread: https://acme.slack.com/archives/C1/p999",
        ].join("\n"),
        prevention:
          "- Add a canary stage so a bad config reaches 5% of traffic first.\n- Alert on checkout error rate above 2%, paging <@U789>.",
      },
      { knownNames },
    );
  });

  it("has the customer-facing sections in order", async () => {
    const headings = summary.split("\n").filter((line) => line.startsWith("#"));
    expect(headings).toEqual([
      "# Checkout errors after the team's deploy",
      "## Summary",
      "## Impact",
      "## Resolution",
      "## What we are doing to prevent a repeat",
    ]);
  });

  it("keeps the substance", async () => {
    expect(summary).toContain("The team deployed a change to the payment service.");
    expect(summary).toContain("See our status page.");
    expect(summary).toContain("- The team saw 40% of checkouts fail between 17:32 and 17:58 BST");
    expect(summary).toContain("- Payments were delayed by up to 12 minutes.");
    expect(summary).toContain("Error rates returned to normal at 17:58.");
    expect(summary).toContain("- Add a canary stage so a bad config reaches 5% of traffic first.");
  });

  it("contains no mention, name, command, code or Slack link", async () => {
    expect(summary).not.toMatch(/<@|<#|<!|@carol|@U|U123|U456|U789/);
    for (const name of knownNames) expect(summary.toLowerCase()).not.toContain(name.toLowerCase());
    expect(summary).not.toMatch(/\bbob\b/i);
    expect(summary).not.toMatch(/kubectl|helm|curl|sudo|systemctl|git revert|healthz|\$ /);
    expect(summary).not.toContain("`");
    expect(summary).not.toMatch(/slack\.com|the thread|inc-42/);
  });

  it("marks a section nobody has written yet", async () => {
    const empty = await publicSummary({
      title: "Login outage",
      summary: "Logins failed.",
      impact: "",
      resolution: "<@U1>",
      prevention: "   ",
    });
    expect(empty).toBe(
      [
        "# Login outage",
        "## Summary",
        "Logins failed.",
        "## Impact",
        "_Details to follow._",
        "## Resolution",
        "The team",
        "## What we are doing to prevent a repeat",
        "_Details to follow._",
      ].join("\n\n") + "\n",
    );
  });
});
