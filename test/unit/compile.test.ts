import { createRequire } from "node:module";
import { approvalChecklist } from "../../src/incidents/report/checklist.js";
import { compileReport } from "../../src/incidents/report/compile.js";
import { mentionedIds } from "../../src/incidents/report/mentions.js";
import { publishedMarkdown } from "../../src/incidents/report/published.js";
import { renderDuration } from "../../src/incidents/report/duration.js";
import { parseTemplate } from "../../src/incidents/report/template.js";
import type { ActionItem, Incident, IncidentRecord, ReportState, TimelineEntry } from "../../src/incidents/model.js";
import { REPORT_SECTIONS } from "../../src/incidents/model.js";

const LONDON = "Europe/London";
const NOW = new Date("2025-08-13T09:00:00Z");
const PLACEHOLDER = "_Nothing recorded yet. Write this section with **Edit section** in Slack or `/incident report`._";

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: "inc-1",
    number: 42,
    title: "LEAP hub outage",
    channelId: "C0INC42",
    channelName: "inc-42-leap-hub-outage",
    status: "investigating",
    severity: "sev2",
    summary: null,
    resolution: null,
    declaredBy: "U0ALICE",
    declaredAt: new Date("2025-08-12T16:00:00Z"),
    detectedAt: null,
    impactStartedAt: null,
    impactEndedAt: null,
    resolvedAt: null,
    headerTs: null,
    roles: {},
    publicTitle: null,
    ...overrides,
  };
}

let entryCount = 0;
function entry(overrides: Partial<TimelineEntry> & { occurredAt: Date }): TimelineEntry {
  entryCount += 1;
  return {
    id: `e${entryCount}`,
    kind: "message",
    ts: `${Math.floor(overrides.occurredAt.getTime() / 1000)}.${String(entryCount).padStart(6, "0")}`,
    threadTs: null,
    authorId: "U0ALICE",
    text: `entry ${entryCount}`,
    files: [],
    data: null,
    highlight: true,
    deleted: false,
    editedAt: null,
    revisions: [],
    ...overrides,
  };
}

function actionItem(overrides: Partial<ActionItem> & { number: number; text: string }): ActionItem {
  return {
    id: `a${overrides.number}`,
    ownerId: null,
    dueDate: null,
    status: "open",
    createdBy: "U0ALICE",
    createdAt: new Date("2025-08-12T17:30:00Z"),
    issueNumber: null,
    issueUrl: null,
    lastError: null,
    ...overrides,
  };
}

function report(sections: ReportState["sections"]): ReportState {
  return { status: "draft", sections, version: 1, approvedBy: null, approvedVersion: null, publishedUrl: null, publishedAt: null };
}

function record(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return { incident: incident(), entries: [], actionItems: [], report: null, ...overrides };
}

const compile = (input: IncidentRecord, timeZone = LONDON) =>
  compileReport(input, { timeZone, now: NOW, userNames: { U0ALICE: "alice", U0BOB: "bob" } });

/** Asserts each needle occurs in the haystack after the previous one. */
function expectInOrder(haystack: string, needles: string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} not found after position ${from} in:\n${haystack}`);
    from = at + needle.length;
  }
}

describe("compileReport", () => {
  it("shows the placeholder in every section of an empty incident and no metrics", () => {
    const compiled = compile(record());
    for (const key of REPORT_SECTIONS) {
      expect(compiled.sections[key]).toMatchObject({ markdown: PLACEHOLDER, written: false });
    }
    expect(compiled.metrics).toEqual({
      timeToDetectMs: null,
      timeToDeclareMs: null,
      timeToMitigateMs: null,
      timeToResolveMs: null,
      durationMs: null,
    });
    const metricsBlock = compiled.markdown.slice(compiled.markdown.indexOf("## Metrics"), compiled.markdown.indexOf("## Summary"));
    expect(metricsBlock.match(/not recorded/g)).toHaveLength(5);
    expect(compiled.markdown.match(/^## /gm)).toHaveLength(REPORT_SECTIONS.length + 1);
    expect(compiled.title).toBe("Incident #42: LEAP hub outage");
    expect(compiled.markdown.startsWith("# Incident #42: LEAP hub outage\n")).toBe(true);
  });

  it("renders the metadata table with zoned times and role holders", () => {
    const compiled = compile(
      record({
        incident: incident({
          severity: "sev1",
          status: "resolved",
          detectedAt: new Date("2025-08-12T16:02:00Z"),
          impactStartedAt: new Date("2025-08-12T15:58:00Z"),
          impactEndedAt: new Date("2025-08-12T17:08:00Z"),
          resolvedAt: new Date("2025-08-12T17:11:00Z"),
          roles: { commander: "U0ALICE", tech_lead: "U0CAROL" },
        }),
      }),
    );
    expectInOrder(compiled.markdown, [
      "| Number | #42 |",
      "| Severity | SEV1 |",
      "| Status | Resolved |",
      "| Declared | 2025-08-12 17:00 BST |",
      "| Detected | 2025-08-12 17:02 BST |",
      "| Resolved | 2025-08-12 18:11 BST |",
      "| Impact start | 2025-08-12 16:58 BST |",
      "| Impact end | 2025-08-12 18:08 BST |",
      "| Duration | 1 h 10 min |",
      "| Incident commander | @alice |",
      "| Tech lead | @U0CAROL |",
    ]);
    expect(compiled.markdown).not.toContain("Scribe");
    expect(compiled.timeZoneLabel).toBe("Europe/London (BST)");
  });

  it("computes the metrics from the incident's times", () => {
    const compiled = compile(
      record({
        incident: incident({
          impactStartedAt: new Date("2025-08-12T15:50:00Z"),
          detectedAt: new Date("2025-08-12T15:55:00Z"),
          declaredAt: new Date("2025-08-12T16:00:00Z"),
          impactEndedAt: new Date("2025-08-12T17:02:00Z"),
          resolvedAt: new Date("2025-08-14T19:00:45Z"),
          status: "resolved",
        }),
      }),
    );
    expect(compiled.metrics).toEqual({
      timeToDetectMs: 5 * 60_000,
      timeToDeclareMs: 5 * 60_000,
      timeToMitigateMs: 72 * 60_000,
      timeToResolveMs: (2 * 24 * 3600 + 3 * 3600 + 45) * 1000,
      durationMs: 72 * 60_000,
    });
    expectInOrder(compiled.markdown, [
      "Time to detect (impact start → detected): 5 min",
      "Time to declare (detected → declared): 5 min",
      "Time to mitigate (impact start → impact end): 1 h 12 min",
      "Time to resolve (declared → resolved): 2 d 3 h",
      "Duration: 1 h 12 min",
    ]);
    expect(compiled.sections.impact.markdown).toBe("Impact started at 2025-08-12 16:50 BST and ended at 2025-08-12 18:02 BST: 1 h 12 min.");
    expect(compiled.sections.detection.markdown).toBe("Detected at 2025-08-12 16:55 BST, 5 min after impact started.");
  });

  it("falls back to declared → resolved for the duration, and to impact start for time to declare", () => {
    const { metrics } = compile(
      record({
        incident: incident({ status: "resolved", resolvedAt: new Date("2025-08-12T16:45:00Z") }),
      }),
    );
    expect(metrics.durationMs).toBe(45 * 60_000);
    expect(metrics.timeToDeclareMs).toBeNull();
    const started = compile(record({ incident: incident({ impactStartedAt: new Date("2025-08-12T15:30:00Z") }) }));
    expect(started.metrics.timeToDeclareMs).toBe(30 * 60_000);
    expect(started.sections.impact.markdown).toContain("was still ongoing when this report was compiled (2025-08-13 10:00 BST)");
  });

  it.each([
    [0, "0 s"],
    [45_000, "45 s"],
    [60_000, "1 min"],
    [61_000, "1 min 1 s"],
    [72 * 60_000, "1 h 12 min"],
    [3_600_000, "1 h"],
    [3_600_000 + 30_000, "1 h"],
    [(2 * 86_400 + 3 * 3_600 + 59 * 60) * 1000, "2 d 3 h"],
    [-90_000, "-1 min 30 s"],
  ])("renderDuration(%d) is %j", (ms, expected) => {
    expect(renderDuration(ms)).toBe(expected);
  });

  it("groups a multi-day timeline by local day, in time order whatever the input order", () => {
    const entries = [
      entry({ occurredAt: new Date("2025-08-13T08:15:00Z"), text: "second day" }),
      entry({ occurredAt: new Date("2025-08-12T22:59:00Z"), text: "late on the first day" }),
      entry({ occurredAt: new Date("2025-08-12T23:00:00Z"), text: "midnight in London" }),
      entry({ occurredAt: new Date("2025-08-12T16:00:00Z"), text: "first day" }),
    ];
    const timeline = compile(record({ entries })).sections.timeline;
    expect(timeline.title).toBe("Timeline (times in Europe/London (BST))");
    expect(timeline.written).toBe(true);
    expectInOrder(timeline.markdown, [
      "### Tuesday 12 August 2025",
      "- **17:00** — @alice: first day",
      "- **23:59** — @alice: late on the first day",
      "### Wednesday 13 August 2025",
      "- **00:00** — @alice: midnight in London",
      "- **09:15** — @alice: second day",
    ]);
    expect(timeline.markdown.match(/^### /gm)).toHaveLength(2);
  });

  it("names both abbreviations across the end of British Summer Time and shows each time in its own", () => {
    // Clocks go back at 01:00 UTC on 26 October 2025: 01:30 happens twice, once in BST and once in GMT.
    const compiled = compile(
      record({
        incident: incident({
          declaredAt: new Date("2025-10-25T23:50:00Z"),
          status: "resolved",
          resolvedAt: new Date("2025-10-26T02:10:00Z"),
        }),
        entries: [
          entry({ occurredAt: new Date("2025-10-25T23:50:00Z"), text: "declared" }),
          entry({ occurredAt: new Date("2025-10-26T00:30:00Z"), text: "first 01:30" }),
          entry({ occurredAt: new Date("2025-10-26T01:30:00Z"), text: "second 01:30" }),
        ],
      }),
    );
    expect(compiled.timeZoneLabel).toBe("Europe/London (BST/GMT)");
    expect(compiled.sections.timeline.title).toBe("Timeline (times in Europe/London (BST/GMT))");
    expect(compiled.markdown).toContain("## Timeline (times in Europe/London (BST/GMT))");
    expectInOrder(compiled.sections.timeline.markdown, [
      "### Sunday 26 October 2025",
      "- **00:50 BST** — @alice: declared",
      "- **01:30 BST** — @alice: first 01:30",
      "- **01:30 GMT** — @alice: second 01:30",
    ]);
    expect(compiled.markdown).toContain("| Declared | 2025-10-26 00:50 BST |");
    expect(compiled.markdown).toContain("| Resolved | 2025-10-26 02:10 GMT |");
  });

  it("names only the zone when it is its own abbreviation", () => {
    const compiled = compile(record({ entries: [entry({ occurredAt: new Date("2025-08-12T16:00:00Z") })] }), "UTC");
    expect(compiled.timeZoneLabel).toBe("UTC");
    expect(compiled.sections.timeline.markdown).toContain("- **16:00** —");
  });

  it("leaves out deleted entries and plain messages, keeps highlights and typed entries", () => {
    const at = (minute: number) => new Date(Date.UTC(2025, 7, 12, 16, minute));
    const entries = [
      entry({ occurredAt: at(1), text: "kept highlight" }),
      entry({ occurredAt: at(2), text: "deleted highlight", deleted: true }),
      entry({ occurredAt: at(3), text: "chatter", highlight: false }),
      entry({ occurredAt: at(4), kind: "status", ts: null, text: "Changed status from investigating to identified" }),
      entry({ occurredAt: at(5), kind: "log", ts: null, text: "deleted log", deleted: true }),
    ];
    const markdown = compile(record({ entries })).sections.timeline.markdown;
    expect(markdown).toContain("kept highlight");
    expect(markdown).toContain("- **17:04** — @alice: Changed status from investigating to identified");
    expect(markdown).not.toContain("deleted highlight");
    expect(markdown).not.toContain("chatter");
    expect(markdown).not.toContain("deleted log");
  });

  it("shows the current text of an edited entry", () => {
    const edited = entry({
      occurredAt: new Date("2025-08-12T16:05:00Z"),
      text: "rolled back to v41",
      editedAt: new Date("2025-08-12T16:07:00Z"),
      revisions: [{ text: "rolled back to v40", replacedAt: new Date("2025-08-12T16:07:00Z") }],
    });
    const markdown = compile(record({ entries: [edited] })).sections.timeline.markdown;
    expect(markdown).toContain("rolled back to v41");
    expect(markdown).not.toContain("v40");
  });

  it("marks thread replies and names the author's role", () => {
    const parent = entry({ occurredAt: new Date("2025-08-12T16:05:00Z"), text: "is the hub down?" });
    const reply = entry({
      occurredAt: new Date("2025-08-12T16:06:00Z"),
      authorId: "U0BOB",
      threadTs: parent.ts,
      text: "yes, 404s everywhere",
    });
    // Slack gives a thread's parent its own ts as thread_ts: it is not a reply.
    const threadParent = { ...parent, threadTs: parent.ts };
    const markdown = compile(record({ incident: incident({ roles: { tech_lead: "U0BOB" } }), entries: [threadParent, reply] })).sections
      .timeline.markdown;
    expect(markdown).toContain("- **17:05** — @alice: is the hub down?");
    expect(markdown).toContain("- **17:06** — @bob (Tech lead) (in thread): yes, 404s everywhere");
  });

  it("renders pasted commands as fenced blocks nested in the list item", () => {
    const entries = [
      entry({
        occurredAt: new Date("2025-08-12T16:10:00Z"),
        text: "Deleting the stuck pod:\n```kubectl -n prod delete pod jupyter-sarika &amp;&amp; echo done```\nthat did it",
      }),
      entry({ occurredAt: new Date("2025-08-12T16:11:00Z"), text: "```\nhelm upgrade --install prod ./hub\n```" }),
      entry({ occurredAt: new Date("2025-08-12T16:12:00Z"), text: "ran\n$ kubectl get ns\n$ kubectl get pods -n prod\nall fine" }),
    ];
    const markdown = compile(record({ entries })).sections.timeline.markdown;
    expect(markdown).toContain(
      [
        "- **17:10** — @alice: Deleting the stuck pod:",
        "  ```",
        "  kubectl -n prod delete pod jupyter-sarika && echo done",
        "  ```",
        "  that did it",
      ].join("\n"),
    );
    expect(markdown).toContain(["- **17:11** — @alice:", "  ```", "  helm upgrade --install prod ./hub", "  ```"].join("\n"));
    expect(markdown).toContain(
      ["- **17:12** — @alice: ran", "  ```", "  $ kubectl get ns", "  $ kubectl get pods -n prod", "  ```", "  all fine"].join("\n"),
    );
  });

  it("uses a longer fence when the pasted code holds backticks", () => {
    // An unpaired ``` is no Slack fence, so it stays inside the command line.
    const text = "$ echo ``` > fence.md";
    const markdown = compile(record({ entries: [entry({ occurredAt: new Date("2025-08-12T16:10:00Z"), text })] })).sections.timeline
      .markdown;
    expect(markdown).toContain(["- **17:10** — @alice:", "  ````", "  $ echo ``` > fence.md", "  ````"].join("\n"));
  });

  it("converts Slack markup for GitHub", () => {
    const text =
      "<@U0BOB> see <#C0OPS|ops> and <https://grafana.example.com/d/x?a=1&amp;b=2|the dashboard>, " +
      "also <https://status.example.com>, <!here> 5 &lt; 6 &amp;&amp; 7 &gt; 3, tag &lt;div&gt;, `&lt;@U0BOB&gt;`";
    const compiled = compile(
      record({
        incident: incident({ summary: text }),
        entries: [entry({ occurredAt: new Date("2025-08-12T16:10:00Z"), text: "ping <@U0NOBODY> and <@U0ALICE|al>" })],
      }),
    );
    expect(compiled.sections.summary.markdown).toBe(
      "@bob see #ops and [the dashboard](https://grafana.example.com/d/x?a=1&b=2), " +
        "also https://status.example.com, @here 5 < 6 && 7 > 3, tag &lt;div>, `<@U0BOB>`",
    );
    expect(compiled.sections.summary.written).toBe(true);
    expect(compiled.sections.timeline.markdown).toContain("ping @U0NOBODY and @alice");
  });

  it("uses sections people wrote verbatim instead of the compiled ones", () => {
    const compiled = compile(
      record({
        incident: incident({ summary: "compiled summary" }),
        entries: [entry({ occurredAt: new Date("2025-08-12T16:10:00Z"), text: "compiled entry" })],
        report: report({
          summary: "Written *summary* with <angle> text",
          timeline: "- 17:00 our own timeline",
          root_cause: "A circular dependency.",
          went_well: "   \n",
        }),
      }),
    );
    expect(compiled.sections.summary).toEqual({ title: "Summary", markdown: "Written *summary* with <angle> text", written: true });
    expect(compiled.sections.timeline).toEqual({ title: "Timeline", markdown: "- 17:00 our own timeline", written: true });
    expect(compiled.sections.root_cause).toMatchObject({ markdown: "A circular dependency.", written: true });
    // A blank section counts as not written.
    expect(compiled.sections.went_well).toMatchObject({ markdown: PLACEHOLDER, written: false });
    expect(compiled.markdown).not.toContain("compiled summary");
    expect(compiled.markdown).not.toContain("compiled entry");
    expect(compiled.markdown).toContain("## Root cause analysis\n\nA circular dependency.");
  });

  it("compiles detection from the detection time and the first detected entry", () => {
    const compiled = compile(
      record({
        incident: incident({ detectedAt: new Date("2025-08-12T15:55:00Z") }),
        entries: [
          entry({
            occurredAt: new Date("2025-08-12T16:20:00Z"),
            kind: "detected",
            ts: null,
            text: "Set the detection time to 2025-08-12 16:55 BST",
          }),
          entry({ occurredAt: new Date("2025-08-12T16:30:00Z"), kind: "detected", ts: null, text: "second one" }),
        ],
      }),
    );
    expect(compiled.sections.detection.markdown).toBe(
      "Detected at 2025-08-12 16:55 BST.\n\n- **2025-08-12 17:20 BST** — @alice: Set the detection time to 2025-08-12 16:55 BST",
    );
  });

  it("lists action items as a checklist with issue links", () => {
    const items = [
      actionItem({ number: 3, text: "Remove the nfs-share-creator job", status: "dropped" }),
      actionItem({
        number: 1,
        text: "Harden the deployer against nested kubeconfig contexts",
        ownerId: "U0BOB",
        dueDate: new Date("2025-09-01T00:00:00Z"),
        issueNumber: 12,
        issueUrl: "https://github.com/acme/infra/issues/12",
      }),
      actionItem({ number: 2, text: "Write a runbook for <https://runbooks.example.com|deleted namespaces>" }),
      actionItem({
        number: 4,
        text: "Write the report",
        status: "done",
        issueNumber: 14,
        issueUrl: "https://github.com/acme/infra/issues/14",
      }),
    ];
    const compiled = compile(record({ actionItems: items }));
    expect(compiled.sections.action_items.markdown).toBe(
      [
        "- [ ] Harden the deployer against nested kubeconfig contexts (owner @bob, due 2025-09-01) — [#12](https://github.com/acme/infra/issues/12)",
        "- [ ] Write a runbook for [deleted namespaces](https://runbooks.example.com) — issue pending",
        "- [ ] ~~Remove the nfs-share-creator job~~ (dropped)",
        "- [x] Write the report — [#14](https://github.com/acme/infra/issues/14)",
      ].join("\n"),
    );
  });

  it("links timeline times to their Slack messages when the team URL is known", () => {
    const parent = entry({ occurredAt: new Date("2025-08-12T16:05:00Z"), ts: "1755014700.000100" });
    const reply = entry({ occurredAt: new Date("2025-08-12T16:06:00Z"), ts: "1755014760.000200", threadTs: "1755014700.000100" });
    const compiled = compileReport(record({ entries: [parent, reply] }), {
      timeZone: LONDON,
      now: NOW,
      slackTeamUrl: "https://acme.slack.com/",
    });
    expect(compiled.sections.timeline.markdown).toContain(
      "- **[17:05](https://acme.slack.com/archives/C0INC42/p1755014700000100)** — @U0ALICE:",
    );
    expect(compiled.sections.timeline.markdown).toContain(
      "- **[17:06](https://acme.slack.com/archives/C0INC42/p1755014760000200?thread_ts=1755014700.000100&cid=C0INC42)** — @U0ALICE (in thread):",
    );
    expect(compiled.markdown).toContain("| Channel | [#inc-42-leap-hub-outage](https://acme.slack.com/archives/C0INC42) |");
  });

  it("rejects an unknown time zone", () => {
    expect(() => compile(record(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("compiles 10,000 entries", () => {
    const start = Date.parse("2025-10-24T12:00:00Z");
    const entries = Array.from({ length: 10_000 }, (_, index) =>
      entry({
        occurredAt: new Date(start + index * 47_000),
        text: index % 10 === 0 ? "```kubectl get pods```" : `step ${index} <@U0BOB>`,
        highlight: index % 3 !== 0,
        kind: index % 7 === 0 ? "log" : "message",
      }),
    );
    const shown = entries.filter((item) => item.highlight || item.kind !== "message").length;
    const compiled = compile(record({ entries: entries.reverse() }));
    expect(compiled.sections.timeline.markdown.match(/^- \*\*/gm)).toHaveLength(shown);
    // Spans the end of BST on 26 October.
    expect(compiled.timeZoneLabel).toBe("Europe/London (BST/GMT)");
  });
});

describe("replay of the 2025-08-12 LEAP hub outage", () => {
  // [BST time, text as Slack would send it, text expected in the report when it differs]
  const rows: Array<[string, string, string?]> = [
    ["17:00", "Incident declared"],
    ["17:00", "Hey all. I was deploying the new temple cluster, and ran into some NFS issues."],
    ["17:02", "Engineer updates the incident channel with clarification of the affected hub"],
    ["17:02", "OK, the cluster is LEAP, I'm confident -- no pods on prod :cry:"],
    ["17:02", "A second engineer joins a Huddle with the primary engineer."],
    ["17:15", "Second engineer updates LEAP community of an active outage."],
    ["17:32", "Uptime check on LEAP cluster fails"],
    [
      "17:32",
      "An uptime check on two-eye-two-see Uptime Check URL labels {project_id=two-eye-two-see, host=leap.2i2c.cloud} is failing. | Violation started: Aug 12, 2025 at 4:32PM UTC (less than 1 sec ago) | View incident: <https://console.cloud.google.com/monitoring/alerting/alerts/0.nvvomvjf6yo2?channelType=pagerduty&amp;project=two-eye-two-see>",
      "An uptime check on two-eye-two-see Uptime Check URL labels {project_id=two-eye-two-see, host=leap.2i2c.cloud} is failing. | Violation started: Aug 12, 2025 at 4:32PM UTC (less than 1 sec ago) | View incident: https://console.cloud.google.com/monitoring/alerting/alerts/0.nvvomvjf6yo2?channelType=pagerduty&project=two-eye-two-see",
    ],
    [
      "17:32",
      "Second engineer hands off to People Operations Lead to handle the communications responsibilities of the incident commander role.",
    ],
    [
      "17:33",
      "Primary engineer acknowledges that they would like to re-deploy `prod`, but are acting cautiously to avoid unnecessary data loss.",
    ],
    ["17:37", "First reports of users encountering 404 errors whilst accessing the hub arrive from Sarika de Bruyn."],
    ["17:43", "Tech lead confirms approach is to re-deploy `prod`, and encourages primary engineer to proceed."],
    ["17:48", "`nfs-share-creator` job is blocking deployment, the primary engineer kills the job."],
    ["17:51", "Primary engineer re-deploys `prod` with updated NFS server IP address."],
    ["17:55", "Primary engineer deletes `prod` ingress to prevent users spawning mid-deployment."],
    ["18:08", "Primary engineer declares `prod` hub online, shares this update with the LEAP community, and continues testing."],
    ["18:11", "Incident resolved."],
    ["20:16", "Sarika de Bruyn reports that some users are having trouble with logging in, or are experiencing kernel disconnections."],
    ["20:20", "Primary engineer acknowledges report."],
    ["20:37", "Primary engineer requests more information from Sarika."],
    ["21:03", "Sarika shares full-text of user reports."],
    [
      "21:16",
      "Primary engineer observes heavy Dask workloads being started (peaking at 200 dask *nodes* being provisioned), sees the " +
        "workload ultimately stabilise, and reports back to Sarika.",
    ],
  ];

  /** 2025-08-12 HH:MM BST (UTC+1) as a UTC instant. */
  const bst = (time: string) => new Date(`2025-08-12T${time}:00+01:00`);

  it("shows every original time and text in order under a heading that names BST", () => {
    const entries = rows.map(([time, text], index) => {
      const occurredAt = bst(time);
      // Rows sharing a minute keep their order through the Slack ts, as real messages would.
      const ts = `${occurredAt.getTime() / 1000}.${String(index).padStart(6, "0")}`;
      return entry({ occurredAt, ts, text, authorId: index % 2 ? "U0BOB" : "U0ALICE" });
    });
    const compiled = compile(
      record({
        incident: incident({
          declaredAt: bst("17:00"),
          impactStartedAt: bst("17:00"),
          impactEndedAt: bst("18:08"),
          resolvedAt: bst("18:11"),
          status: "resolved",
        }),
        entries: [...entries].reverse(),
      }),
    );
    const timeline = compiled.sections.timeline;
    expect(timeline.title).toBe("Timeline (times in Europe/London (BST))");
    expect(compiled.markdown).toContain("## Timeline (times in Europe/London (BST))");
    expect(timeline.markdown.startsWith("### Tuesday 12 August 2025\n")).toBe(true);
    expectInOrder(
      timeline.markdown,
      rows.flatMap(([time, text, expected]) => [`**${time}**`, expected ?? text]),
    );
    expect(compiled.metrics.timeToMitigateMs).toBe(68 * 60_000);
  });
});

describe("a timeline that reads as the team's", () => {
  const at = (time: string) => new Date(`2025-08-12T${time}:00+01:00`);
  const typed = (kind: TimelineEntry["kind"], time: string, text: string, data: TimelineEntry["data"]) =>
    entry({ kind, occurredAt: at(time), ts: null, text, data, highlight: false });

  /** The bot's typed entries of one incident, as declare/changes/resolve/review store them. */
  function bookkeeping(): TimelineEntry[] {
    return [
      typed("declared", "17:00", "Incident declared: LEAP hub outage (SEV3)", { field: "status", from: null, to: "investigating" }),
      typed("impact_start", "16:58", "Set the impact start to 2025-08-12 16:58 BST", {
        field: "impact_start",
        from: null,
        to: at("16:58").toISOString(),
      }),
      typed("detected", "17:02", "Set the detection time to 2025-08-12 17:02 BST", {
        field: "detected",
        from: null,
        to: at("17:02").toISOString(),
      }),
      typed("role", "17:05", "Made <@U0BOB> tech lead", { field: "tech_lead", from: null, to: "U0BOB" }),
      typed("role", "17:06", "Made <@U0CAROL> incident commander (was <@U0ALICE>)", { field: "commander", from: "U0ALICE", to: "U0CAROL" }),
      typed("severity", "17:10", "Changed severity from SEV3 to SEV2", { field: "severity", from: "sev3", to: "sev2" }),
      typed("status", "17:20", "Changed status from investigating to monitoring", {
        field: "status",
        from: "investigating",
        to: "monitoring",
      }),
      typed("summary", "17:21", "Set the summary: The prod namespace was deleted by mistake.", {
        field: "summary",
        from: null,
        to: "The prod namespace was deleted by mistake.",
      }),
      typed("title", "17:22", "Renamed the incident from “x” to “LEAP hub outage”", { field: "title", from: "x", to: "LEAP hub outage" }),
      typed("action", "17:23", "Action item 1: Write a runbook", { field: "action_item", from: null, to: "a1" }),
      typed("impact_end", "18:08", "Set the impact end to 2025-08-12 18:08 BST", {
        field: "impact_end",
        from: null,
        to: at("18:08").toISOString(),
      }),
      typed("resolved", "18:11", "Resolved the incident: Re-deployed prod after removing the last user pod", {
        field: "status",
        from: "monitoring",
        to: "resolved",
      }),
      typed("report", "18:30", "Requested review of the report", { field: "report", from: "draft", to: "in_review" }),
      entry({
        kind: "log",
        occurredAt: at("17:48"),
        ts: null,
        text: "Killed the nfs-share-creator job\nit was blocking the deploy",
        highlight: true,
      }),
    ];
  }

  const resolvedIncident = incident({
    severity: "sev2",
    status: "resolved",
    declaredAt: at("17:00"),
    impactStartedAt: at("16:58"),
    detectedAt: at("17:02"),
    impactEndedAt: at("18:08"),
    resolvedAt: at("18:11"),
    summary: "The prod namespace was deleted by mistake.",
    resolution: "Re-deployed prod after removing the last user pod",
    roles: { tech_lead: "U0BOB", commander: "U0CAROL" },
  });
  const names = { U0ALICE: "Alice", U0BOB: "Bob", U0CAROL: "Carol" };

  it("reads typed changes as events from their facts, without authors or repeated sections", () => {
    const compiled = compileReport(record({ incident: resolvedIncident, entries: bookkeeping() }), {
      timeZone: LONDON,
      now: NOW,
      userNames: names,
    });
    expect(compiled.sections.timeline.markdown.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      "- **16:58** — Impact started",
      "- **17:00** — Incident declared (SEV3)",
      "- **17:02** — Detected",
      "- **17:05** — Bob became tech lead",
      "- **17:06** — Carol became incident commander (after Alice)",
      "- **17:10** — Severity SEV3 → SEV2",
      "- **17:20** — Status → monitoring",
      "- **17:48** — @Alice: Killed the nfs-share-creator job\\",
      "- **18:08** — Impact ended",
      "- **18:11** — Resolved",
    ]);
    // The multi-line log entry keeps its lines.
    expect(compiled.sections.timeline.markdown).toContain(
      "- **17:48** — @Alice: Killed the nfs-share-creator job\\\n  it was blocking the deploy",
    );
    // Summary and resolution are in their own sections only.
    expect(compiled.markdown.match(/deleted by mistake/g)).toHaveLength(1);
    expect(compiled.markdown.match(/last user pod/g)).toHaveLength(1);
    expect(compiled.markdown).not.toMatch(/Requested review|Renamed the incident|Action item 1:/);
    // A detection time set by command is not repeated under the detection sentence.
    expect(compiled.sections.detection.markdown).toBe("Detected at 2025-08-12 17:02 BST, 4 min after impact started.");
  });

  it("reads a re-opening, a role left empty and a comment", () => {
    const entries = [
      typed("status", "17:30", "Re-opened the incident: status resolved → investigating", {
        field: "status",
        from: "resolved",
        to: "investigating",
      }),
      typed("severity", "17:31", "Changed severity", { field: "severity", from: "sev2", to: "sev1", comment: "customers affected" }),
      typed("role", "17:32", "", { field: "scribe", from: "U0ALICE", to: null }),
    ];
    const markdown = compile(record({ entries })).sections.timeline.markdown;
    expectInOrder(markdown, [
      "— Re-opened (status → investigating)",
      "— Severity SEV2 → SEV1 — customers affected",
      "— Nobody is scribe any more",
    ]);
    // The declared severity is the first change's "from".
    expect(
      compile(record({ entries: [...entries, typed("declared", "17:00", "", { field: "status", from: null, to: "investigating" })] }))
        .sections.timeline.markdown,
    ).toContain("— Incident declared (SEV2)");
  });

  it("keeps a message's line breaks as hard breaks, but not before a quote or after a heading", () => {
    const text = "Hey all.\nI deleted the prod namespace, C:\\\nit hung\n> quoted line\n# heading\nafter\n\nnew paragraph";
    const markdown = compile(record({ entries: [entry({ occurredAt: at("17:00"), text })] })).sections.timeline.markdown;
    expect(markdown).toContain(
      [
        "- **17:00** — @alice: Hey all.\\",
        "  I deleted the prod namespace, C:\\ \\",
        "  it hung",
        "  > quoted line",
        "  # heading",
        "  after",
        "",
        "  new paragraph",
      ].join("\n"),
    );
  });

  it("includes unpinned messages that carry evidence when few are pinned, and never an excluded one", () => {
    const entries = [
      entry({ occurredAt: at("17:01"), text: "pinned", highlight: true }),
      entry({ occurredAt: at("17:02"), text: "anyone around?", highlight: false }),
      entry({ occurredAt: at("17:03"), text: "$ kubectl -n prod get pods", highlight: false }),
      entry({ occurredAt: at("17:04"), text: "fix in <https://github.com/acme/hub/pull/12|#12>", highlight: false }),
      entry({ occurredAt: at("17:05"), text: "rolled back to v41", highlight: false, excluded: true }),
      entry({ occurredAt: at("17:06"), text: "pinned then excluded", highlight: true, excluded: true }),
    ];
    const markdown = compile(record({ entries })).sections.timeline.markdown;
    expectInOrder(markdown, ["pinned", "$ kubectl -n prod get pods", "fix in [#12](https://github.com/acme/hub/pull/12)"]);
    expect(markdown).not.toContain("anyone around");
    expect(markdown).not.toContain("rolled back");
    expect(markdown).not.toContain("then excluded");
  });

  it("names people and channels Slack sent without a label, Enterprise Grid ids included", () => {
    const compiled = compileReport(
      record({
        incident: incident({ summary: "<@UGEORGIANA|> and <@W0GRID01> in <#C0123|> and <#C0999|>, <#C0OPS|ops>" }),
      }),
      {
        timeZone: LONDON,
        now: NOW,
        userNames: { UGEORGIANA: "Georgiana", W0GRID01: "Grid Person" },
        channelNames: { C0123: "leap-support" },
      },
    );
    expect(compiled.sections.summary.markdown).toBe("@Georgiana and @Grid Person in #leap-support and #C0999, #ops");
    const bare = compileReport(record({ incident: incident({ summary: "<@UX|> in <#C0123|>" }) }), { timeZone: LONDON, now: NOW });
    expect(bare.sections.summary.markdown).toBe("@UX in #C0123");
  });

  it("lists every user and channel id the record mentions or is authored by, once", () => {
    const ids = mentionedIds(
      record({
        incident: incident({ declaredBy: "U0ALICE", roles: { tech_lead: "U0BOB" }, summary: "with <@UGEORGIANA> in <#C0123|>" }),
        entries: [
          entry({ occurredAt: at("17:00"), authorId: "W0GRID01", text: "ping <@U0BOB> and <@U0DAVE|dave> see <#C0OPS|ops>" }),
          typed("role", "17:05", "Made <@U0CAROL> scribe", { field: "scribe", from: "U0ERIN", to: "U0CAROL" }),
          entry({ occurredAt: at("17:06"), authorId: "U0GONE", text: "<@U0GONE2>", deleted: true }),
        ],
        actionItems: [actionItem({ number: 1, text: "ask <@U0FRANK>", ownerId: "U0GINA", createdBy: "U0ALICE" })],
      }),
    );
    expect(ids.users).toEqual(["U0ALICE", "U0BOB", "UGEORGIANA", "W0GRID01", "U0DAVE", "U0ERIN", "U0CAROL", "U0GINA", "U0FRANK"]);
    expect(ids.channels).toEqual(["C0123", "C0OPS"]);
  });
});

describe("report templates in the compiler", () => {
  const template = parseTemplate(
    JSON.stringify([
      { key: "summary", title: "What happened", compiled: "summary" },
      { key: "lucky", title: "Where we got lucky" },
      { key: "timeline", title: "Timeline", compiled: "timeline" },
    ]),
  );

  it("follows the template's titles and order, with people-only sections", () => {
    const compiled = compileReport(
      record({
        incident: incident({ summary: "Prod was deleted." }),
        entries: [entry({ occurredAt: new Date("2025-08-12T16:05:00Z"), text: "pinned" })],
        report: { ...report({}), sections: { lucky: "Storage was provisioned separately." } },
      }),
      { timeZone: LONDON, now: NOW, template },
    );
    expect(compiled.ordered.map((s) => [s.key, s.title, s.written])).toEqual([
      ["summary", "What happened", true],
      ["lucky", "Where we got lucky", true],
      ["timeline", "Timeline (times in Europe/London (BST))", true],
    ]);
    expectInOrder(compiled.markdown, [
      "## What happened\n\nProd was deleted.",
      "## Where we got lucky\n\nStorage was provisioned separately.",
      "## Timeline (times in",
    ]);
    expect(compiled.markdown).not.toContain("## Root cause analysis");
    // The standard sections stay available by key for the Slack views and the review.
    expect(compiled.sections.summary).toEqual({ title: "What happened", markdown: "Prod was deleted.", written: true });
    expect(compiled.sections.root_cause).toEqual({ title: "Root cause analysis", markdown: PLACEHOLDER, written: false });
  });
});

describe("the published report", () => {
  const yaml = createRequire(import.meta.url)("js-yaml") as { safeLoad(text: string): unknown };
  const resolved = record({
    incident: incident({
      title: 'LEAP hub "prod" outage: #1',
      status: "resolved",
      declaredAt: new Date("2025-08-12T16:00:00Z"),
      impactStartedAt: new Date("2025-08-12T16:00:00Z"),
      impactEndedAt: new Date("2025-08-12T17:08:00Z"),
      resolvedAt: new Date("2025-08-12T17:11:00Z"),
      summary: "Prod was deleted.",
      roles: { tech_lead: "U0BOB", commander: "U0NONAME" },
    }),
    actionItems: [
      actionItem({
        number: 2,
        text: "Remove the job\nfor good",
        status: "done",
        ownerId: "U0BOB",
        issueUrl: "https://github.com/acme/infra/issues/9",
        issueNumber: 9,
      }),
      actionItem({ number: 1, text: "See <https://example.com|the doc>", dueDate: new Date("2025-09-01T00:00:00Z") }),
    ],
  });
  const options = { timeZone: LONDON, now: NOW, userNames: { U0BOB: "Bob" } };

  it("leaves out sections nobody wrote, where the draft shows the placeholder", () => {
    const compiled = compileReport(resolved, options);
    expect(compiled.markdown).toContain(`## Root cause analysis\n\n${PLACEHOLDER}`);
    const published = publishedMarkdown(compiled, resolved, options);
    expect(published).not.toContain("Nothing recorded yet");
    expect(published).not.toContain("## Root cause analysis");
    expectInOrder(published, [
      "\n# Incident #42",
      "| Severity | SEV2 |",
      "## Metrics",
      "## Summary\n\nProd was deleted.",
      "## Impact",
      "## Action items",
    ]);
  });

  it("starts with YAML front matter of the report's facts", () => {
    const published = publishedMarkdown(compileReport(resolved, options), resolved, options);
    expect(published.startsWith("---\n")).toBe(true);
    const front = published.slice(4, published.indexOf("\n---\n"));
    expect(yaml.safeLoad(front)).toEqual({
      number: 42,
      title: 'LEAP hub "prod" outage: #1',
      severity: "SEV2",
      status: "resolved",
      declared: "2025-08-12T16:00:00Z",
      detected: null,
      resolved: "2025-08-12T17:11:00Z",
      impact_start: "2025-08-12T16:00:00Z",
      impact_end: "2025-08-12T17:08:00Z",
      duration: "1 h 8 min",
      duration_seconds: 4080,
      time_zone: "Europe/London",
      roles: { commander: "U0NONAME", tech_lead: "Bob" },
      action_items: [
        { number: 1, text: "See the doc", status: "open", owner: null, due: "2025-09-01", issue: null },
        {
          number: 2,
          text: "Remove the job for good",
          status: "done",
          owner: "Bob",
          due: null,
          issue: "https://github.com/acme/infra/issues/9",
        },
      ],
    });
    expect(front).toContain('title: "LEAP hub \\"prod\\" outage: #1"');
  });

  it("escapes what YAML would otherwise read as markup or line breaks", () => {
    const nasty = "a: b # c\u2028d\u0085e\u0007 \\ '\n- [x] &anchor *alias !tag \uD800";
    const input = record({ incident: incident({ title: nasty }), actionItems: [actionItem({ number: 1, text: nasty })] });
    const published = publishedMarkdown(compileReport(input, options), input, options);
    const front = published.slice(4, published.indexOf("\n---\n"));
    const parsed = yaml.safeLoad(front) as { title: string; action_items: Array<{ text: string }> };
    // The title is one line of words; an action item's text keeps everything but its line breaks.
    expect(parsed.title).toBe("a: b # c d\u0085e\u0007 \\ ' - [x] &anchor *alias !tag \uFFFD");
    expect(parsed.action_items[0]!.text).toBe("a: b # c\u2028d\u0085e\u0007 \\ ' - [x] &anchor *alias !tag \uFFFD");
    expect(front).toContain("\\u2028");
  });
});

describe("approvalChecklist", () => {
  it("says what is missing before approval", () => {
    const input = record({
      incident: incident({ impactStartedAt: new Date("2025-08-12T16:00:00Z"), summary: "Prod was deleted." }),
      actionItems: [
        actionItem({ number: 1, text: "a" }),
        actionItem({ number: 2, text: "b", status: "dropped" }),
        actionItem({ number: 3, text: "c", ownerId: "U0BOB" }),
      ],
    });
    expect(approvalChecklist(input, compile(input), 2)).toEqual([
      { item: "Impact window not set (no end)", ok: false },
      { item: "Summary written", ok: true },
      { item: "Root cause not written yet", ok: false },
      { item: "Resolution not written yet", ok: false },
      { item: "1 open action item has no owner", ok: false },
      { item: "2 blameless findings to look at", ok: false },
    ]);
  });

  it("is all ok for a finished report", () => {
    const input = record({
      incident: incident({ impactStartedAt: NOW, impactEndedAt: NOW, summary: "s", resolution: "r" }),
      actionItems: [actionItem({ number: 1, text: "a", ownerId: "U0BOB" }), actionItem({ number: 2, text: "b", status: "done" })],
      report: report({ root_cause: "A circular dependency." }),
    });
    expect(approvalChecklist(input, compile(input), 0).every((check) => check.ok)).toBe(true);
  });
});
