import { checkBlameless, publicSummary, sanitizeForPublic } from "../../src/incidents/blameless.js";

describe("checkBlameless", () => {
  // [sentence, the phrase that must be reported]
  const blaming: Array<[string, string]> = [
    ["Alice forgot to renew the certificate.", "Alice forgot to"],
    ["It was Bob's fault for deploying on a Friday.", "Bob's fault"],
    ["<@U123ABC> should have checked the dashboard before merging.", "should have"],
    ["The outage was caused by human error.", "human error"],
    ["@carol failed to follow the runbook.", "@carol failed to"],
    ["This was a mistake by Erin.", "mistake by Erin"],
    ["The on-call engineer didn't bother to read the alert.", "didn't bother"],
    ["Frank caused the outage by restarting the primary.", "Frank caused"],
    ["The team blamed the database migration.", "blamed"],
    ["Sloppy code review let the bug through.", "Sloppy"],
    ["At 17:32 Emily accidentally broke the build.", "Emily accidentally broke"],
    ["Greta didn't check the logs before deploying.", "Greta didn't"],
    ["It was the on-call engineer's fault.", "engineer's fault"],
    ["The fault of the developer was not testing locally.", "fault of"],
    ["Someone forgot the feature flag.", "Someone forgot"],
    ["The release was negligent.", "negligent"],
    ["He should've paged the database team.", "should've"],
    ["The alert should have fired earlier.", "should have"], // hindsight, whatever the subject
  ];

  it.each(blaming)("flags %j", (sentence, phrase) => {
    const findings = checkBlameless(sentence);
    expect(findings.map((f) => f.phrase)).toContain(phrase);
    for (const finding of findings) {
      expect(finding.sentence).toBe(sentence);
      expect(finding.reason.length).toBeGreaterThan(20);
      expect(finding.suggestion.length).toBeGreaterThan(20);
    }
  });

  const systemic = [
    "The certificate expired because renewal was manual.",
    "The deploy failed to roll back because the health check timed out.",
    "Deploy failed to roll back.",
    "Kubernetes failed to schedule the pods because the node pool was full.",
    "Alerts went to a channel nobody was watching.",
    "The runbook did not cover restoring from a snapshot.",
    "Nobody was paged because the on-call rotation was empty.",
    "The config change caused a spike in 502s.",
    "Error rates rose to 40% after the 17:32 deploy.",
    "The alert should fire earlier.", // forward-looking "should" is a plan, not hindsight
    "Every service should have a runbook.", // having something, not hindsight
    "No one is to blame for this.",
    "It was nobody's fault.",
    "The system is fault-tolerant by design.",
    "It was the load balancer's fault.",
    "We saw errors from Stripe for ten minutes.",
    "<@U999> didn't get paged because the rotation was empty.",
    "We used git blame to find the commit.",
    "Then the migration broke the replica's replication slot.",
  ];

  it.each(systemic)("does not flag %j", (sentence) => {
    expect(checkBlameless(sentence)).toEqual([]);
  });

  it("does not flag the report's own headings or questions", () => {
    const report = "## What didn't go so well\n\nThe renewal job had no alert.\n\n### Why didn't the alert fire?\n\nWhat didn't work was the pager route.";
    expect(checkBlameless(report)).toEqual([]);
  });

  it("suggests a systemic rewording built from the sentence", () => {
    const [finding] = checkBlameless("Alice forgot to renew the certificate.");
    expect(finding).toEqual({
      sentence: "Alice forgot to renew the certificate.",
      phrase: "Alice forgot to",
      reason: expect.stringContaining("remembering"),
      suggestion: "The certificate renewal relied on a manual step that was missed; what would make it automatic or alerting?",
    });
  });

  it("turns an unknown verb into a gerund in the suggestion", () => {
    const [finding] = checkBlameless("@carol failed to follow the runbook for failover.");
    expect(finding?.suggestion).toBe("Following the runbook relied on a manual step that was missed; what would make it automatic or alerting?");
  });

  it("answers “should have” with what the system lacked, quoting the action", () => {
    const [finding] = checkBlameless("<@U123ABC> should have checked the dashboard before merging.");
    expect(finding?.suggestion).toContain("describe what the system or process lacked");
    expect(finding?.suggestion).toContain("“checked the dashboard”");
  });

  it("names the change, not the person, for “broke”", () => {
    const [finding] = checkBlameless("Bob broke the build.");
    expect(finding?.suggestion).toContain("“The change to … broke the build”");
    expect(finding?.reason).toContain("Makes Bob the cause");
  });

  it("reports each problem once, in the order they appear", () => {
    const findings = checkBlameless("Dave broke production with a careless config change.");
    expect(findings.map((f) => f.phrase)).toEqual(["Dave broke", "careless"]);
    // "didn't bother" is one finding, not also "<person> didn't".
    expect(checkBlameless("Greta didn't bother to check.").map((f) => f.phrase)).toEqual(["didn't bother"]);
  });

  it("uses knownNames to recognise people written in lower case or with a surname", () => {
    expect(checkBlameless("jo broke the build.")).toEqual([]);
    expect(checkBlameless("jo broke the build.", { knownNames: ["Jo"] }).map((f) => f.phrase)).toEqual(["jo broke"]);
    expect(checkBlameless("Yesterday Mallory van Dijk failed to rotate the key.", { knownNames: ["Mallory van Dijk"] }).map((f) => f.phrase)).toEqual([
      "Mallory van Dijk failed to",
    ]);
  });

  it("splits Markdown into sentences and ignores code", () => {
    const markdown = [
      "## Root cause",
      "",
      "The certificate expired at 17:32. Alice forgot to renew the cert.",
      "It was caught by",
      "a synthetic check.",
      "",
      "- 17:40 Then Bob broke it again.",
      "- The deploy `Bob broke` failed to roll back.",
      "",
      "```",
      "Carol forgot to renew; human error",
      "```",
      "",
      "~~~sh",
      "$ echo 'blame Dave'",
      "~~~",
      "See https://example.com/should-have-been-blamed for the graph.",
    ].join("\n");
    const findings = checkBlameless(markdown);
    expect(findings.map((f) => [f.sentence, f.phrase])).toEqual([
      ["Alice forgot to renew the cert.", "Alice forgot to"],
      ["17:40 Then Bob broke it again.", "Bob broke"],
    ]);
  });

  it("copes with words that are also Object.prototype keys", () => {
    expect(checkBlameless("Alice forgot to constructor the toString.").map((f) => f.suggestion)).toEqual([
      "Constructoring the toString relied on a manual step that was missed; what would make it automatic or alerting?",
    ]);
  });

  it("finds nothing in an empty or purely technical document", () => {
    expect(checkBlameless("")).toEqual([]);
    expect(checkBlameless("```\nkubectl rollout undo deploy/api\n```")).toEqual([]);
  });
});

describe("sanitizeForPublic", () => {
  it.each([
    ["<@U123ABC> restarted the pods.", "The team restarted the pods."],
    ["Paged <@U1|alice>, <@U2> and @dave.", "Paged the team."],
    ["Rolled back by <!subteam^S1|@sre>.", "Rolled back by the team."],
    ["<@U2|bob>'s change was reverted.", "The team's change was reverted."],
    ["Alice Smith and Dave noticed errors.", "The team noticed errors."],
    ["See <https://acme.slack.com/archives/C1/p123|the thread> and <https://status.example.com/incidents/1|our status page>.", "See our status page."],
    ["Details: https://acme.slack.com/archives/C1/p1\nErrors stopped at 17:40.", "Errors stopped at 17:40."],
    ["As discussed in <#C123|inc-42> earlier, the cache was cold.", "As discussed earlier, the cache was cold."],
    ["The `max_connections` setting was too low.", "The setting was too low."],
    ["We rolled back with `helm rollback api 41`.", "We rolled back with a command."],
    ["Errors rose.\n$ psql -c 'select 1'\nkubectl get pods -n prod\nThey fell again.", "Errors rose.\nThey fell again."],
    ["- <https://x.slack.com/archives/C1/p1|notes>\n- Payments were delayed.", "- Payments were delayed."],
    ["Email support@example.com or read https://medium.com/@acme/post.", "Email support@example.com or read https://medium.com/@acme/post."],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeForPublic(input, ["Alice Smith", "Alice", "Dave"])).toBe(expected);
  });

  it("redacts a secret that survived the other rules", () => {
    const out = sanitizeForPublic("The token xoxb-123456-7890-abcdefghij leaked into a log.");
    expect(out).not.toContain("xoxb-123456");
    expect(out).toContain("[REDACTED]");
  });
});

describe("publicSummary", () => {
  const knownNames = ["Alice Smith", "Alice", "Dave"];
  const summary = publicSummary(
    {
      title: "Checkout errors after <@U1|alice>'s deploy",
      summary:
        "<@U123> and <@U456|bob> deployed a change to the payment service. Alice Smith noticed errors on the dashboard. See <https://acme.slack.com/archives/C1/p123|the thread> and <https://status.example.com/incidents/1|our status page>.",
      impact: "- @carol saw 40% of checkouts fail between 17:32 and 17:58 BST\n- <!here> <#C999|inc-42>\n- Payments were delayed by up to 12 minutes.",
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
      prevention: "- Add a canary stage so a bad config reaches 5% of traffic first.\n- Alert on checkout error rate above 2%, paging <@U789>.",
    },
    { knownNames },
  );

  it("has the customer-facing sections in order", () => {
    const headings = summary.split("\n").filter((line) => line.startsWith("#"));
    expect(headings).toEqual([
      "# Checkout errors after the team's deploy",
      "## Summary",
      "## Impact",
      "## Resolution",
      "## What we are doing to prevent a repeat",
    ]);
  });

  it("keeps the substance", () => {
    expect(summary).toContain("The team deployed a change to the payment service.");
    expect(summary).toContain("See our status page.");
    expect(summary).toContain("- The team saw 40% of checkouts fail between 17:32 and 17:58 BST");
    expect(summary).toContain("- Payments were delayed by up to 12 minutes.");
    expect(summary).toContain("Error rates returned to normal at 17:58.");
    expect(summary).toContain("- Add a canary stage so a bad config reaches 5% of traffic first.");
  });

  it("contains no mention, name, command, code or Slack link", () => {
    expect(summary).not.toMatch(/<@|<#|<!|@carol|@U|U123|U456|U789/);
    for (const name of knownNames) expect(summary.toLowerCase()).not.toContain(name.toLowerCase());
    expect(summary).not.toMatch(/\bbob\b/i);
    expect(summary).not.toMatch(/kubectl|helm|curl|sudo|systemctl|git revert|healthz|\$ /);
    expect(summary).not.toContain("`");
    expect(summary).not.toMatch(/slack\.com|the thread|inc-42/);
  });

  it("marks a section nobody has written yet", () => {
    const empty = publicSummary({ title: "Login outage", summary: "Logins failed.", impact: "", resolution: "<@U1>", prevention: "   " });
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
