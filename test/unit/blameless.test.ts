import { checkBlameless } from "../../src/incidents/report/blameless.js";

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
    const report =
      "## What didn't go so well\n\nThe renewal job had no alert.\n\n### Why didn't the alert fire?\n\nWhat didn't work was the pager route.";
    expect(checkBlameless(report)).toEqual([]);
  });

  it("does not read table rows as prose, but reads quotes", () => {
    expect(checkBlameless("| Time | Note |\n| --- | --- |\n| 17:32 | Alice forgot to renew the cert. |")).toEqual([]);
    expect(checkBlameless("> Alice forgot to renew the cert.").map((f) => f.phrase)).toEqual(["Alice forgot to"]);
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
    expect(finding?.suggestion).toBe(
      "Following the runbook relied on a manual step that was missed; what would make it automatic or alerting?",
    );
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
    expect(
      checkBlameless("Yesterday Mallory van Dijk failed to rotate the key.", { knownNames: ["Mallory van Dijk"] }).map((f) => f.phrase),
    ).toEqual(["Mallory van Dijk failed to"]);
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
