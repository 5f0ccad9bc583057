import type { TimelineEntry } from "../../src/incidents/model.js";
import { DEFAULT_EVIDENCE_HOSTS, evidenceIn, FEW_HIGHLIGHTS, selectTimeline } from "../../src/incidents/report/timelineSelection.js";

let count = 0;
function entry(overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  count += 1;
  const occurredAt = overrides.occurredAt ?? new Date(Date.UTC(2025, 7, 12, 16, count % 60));
  return {
    id: `e${count}`,
    kind: "message",
    occurredAt,
    ts: `${occurredAt.getTime() / 1000}.${String(count).padStart(6, "0")}`,
    threadTs: null,
    authorId: "U0ALICE",
    text: `entry ${count}`,
    files: [],
    data: null,
    highlight: false,
    deleted: false,
    editedAt: null,
    revisions: [],
    ...overrides,
  };
}

const NO_TIMES = { impactStartedAt: null, impactEndedAt: null, detectedAt: null };
const texts = (entries: TimelineEntry[]) => entries.map((e) => e.text);

describe("evidenceIn", () => {
  it.each([
    ["```kubectl get pods -n prod```", "code"],
    ["ran this:\n$ helm rollback prod 41", "code"],
    ["see <https://github.com/2i2c-org/infrastructure/pull/6555|the PR>", "change"],
    ["https://github.com/acme/hub/commit/3f9c2a1b", "change"],
    ["https://gitlab.example.com/acme/hub/-/merge_requests/12", "change"],
    ["error rate on <https://acme.grafana.net/d/abc?from=now-1h&amp;to=now>", "dashboard"],
    ["https://app.datadoghq.com/dashboard/xyz", "dashboard"],
    ["https://console.cloud.google.com/monitoring/alerting/alerts/0.nv?project=x", "dashboard"],
    ["following https://wiki.example.com/runbooks/nfs-recovery", "runbook"],
    ["Rolled back to v41", "fix"],
    ["we rolled-back the config", "fix"],
    ["Primary engineer re-deploys `prod` with updated NFS server IP address.", "fix"],
    ["restarted the hub pod, 404s gone", "fix"],
    ["failed over to eu-west-2", "fix"],
    ["scaled the node pool to 6", "fix"],
    ["mitigated by blocking the crawler", "fix"],
  ])("finds evidence in %j (%s)", (text, kind) => {
    expect(evidenceIn(text)).toContain(kind);
  });

  it.each([
    "is the hub down?",
    "looking into it",
    "https://example.com/blog/post",
    "thanks all :tada:",
    "the fixture file is prefixed", // "fix" only as a whole word
    "`inline code` is not a code block",
    "https://github.com/acme/hub/issues/12", // an issue is not a change
  ])("finds none in %j", (text) => {
    expect(evidenceIn(text)).toEqual([]);
  });

  it("does not read fix words inside a link", () => {
    expect(evidenceIn("<https://example.com/how-we-fixed-it|a post>")).toEqual([]);
  });

  it("takes a team's own list of dashboard hosts", () => {
    expect(evidenceIn("https://metrics.internal.acme/d/1")).toEqual([]);
    expect(evidenceIn("https://metrics.internal.acme/d/1", ["metrics.internal.acme"])).toEqual(["dashboard"]);
    expect(DEFAULT_EVIDENCE_HOSTS).toContain("grafana");
  });
});

describe("selectTimeline", () => {
  const fixTried = () => entry({ text: "rolled back to v41" });
  const chatter = () => entry({ text: "anyone around?" });

  it("adds messages with evidence when fewer than FEW_HIGHLIGHTS are pinned", () => {
    const pinned = Array.from({ length: FEW_HIGHLIGHTS - 1 }, () => entry({ highlight: true }));
    const selected = selectTimeline(NO_TIMES, [...pinned, fixTried(), chatter()]);
    expect(texts(selected)).toEqual([...texts(pinned), "rolled back to v41"]);
  });

  it("gives a team that pins carefully exactly what it pinned", () => {
    const pinned = Array.from({ length: FEW_HIGHLIGHTS }, () => entry({ highlight: true }));
    const selected = selectTimeline(NO_TIMES, [...pinned, fixTried(), chatter()]);
    expect(texts(selected)).toEqual(texts(pinned));
  });

  it("counts /incident log entries as deliberate picks", () => {
    const logs = Array.from({ length: FEW_HIGHLIGHTS }, () => entry({ kind: "log", ts: null, highlight: true }));
    expect(texts(selectTimeline(NO_TIMES, [...logs, fixTried()]))).not.toContain("rolled back to v41");
  });

  it("never shows an excluded or deleted entry, pinned or with evidence", () => {
    const selected = selectTimeline(NO_TIMES, [
      entry({ text: "pinned but excluded", highlight: true, excluded: true }),
      entry({ text: "$ kubectl delete ns prod", excluded: true }),
      entry({ text: "deleted fix", deleted: true }),
      entry({
        kind: "status",
        ts: null,
        text: "excluded status",
        data: { field: "status", from: "investigating", to: "identified" },
        excluded: true,
      }),
    ]);
    expect(selected).toEqual([]);
  });

  it("leaves out report bookkeeping, renames, action-item changes and the summary", () => {
    const typed = (kind: TimelineEntry["kind"]) => entry({ kind, ts: null, text: kind, data: { field: kind, from: null, to: "x" } });
    const selected = selectTimeline(NO_TIMES, [
      typed("report"),
      typed("title"),
      typed("action"),
      typed("summary"),
      typed("status"),
      typed("resolved"),
    ]);
    expect(texts(selected)).toEqual(["status", "resolved"]);
  });

  it("keeps only the last value of a time people corrected", () => {
    const first = entry({
      kind: "impact_start",
      ts: null,
      text: "first",
      data: { field: "impact_start", from: null, to: "2025-08-12T15:00:00.000Z" },
    });
    const second = entry({
      kind: "impact_start",
      ts: null,
      text: "second",
      data: { field: "impact_start", from: "2025-08-12T15:00:00.000Z", to: "2025-08-12T15:58:00.000Z" },
    });
    const selected = selectTimeline({ ...NO_TIMES, impactStartedAt: new Date("2025-08-12T15:58:00Z") }, [first, second]);
    expect(texts(selected)).toEqual(["second"]);
  });

  it("puts entries in time order, Slack ts breaking ties", () => {
    const at = new Date("2025-08-12T16:00:00Z");
    const later = entry({ highlight: true, text: "later", occurredAt: new Date("2025-08-12T16:05:00Z") });
    const b = entry({ highlight: true, text: "b", occurredAt: at, ts: "1755014400.000200" });
    const a = entry({ highlight: true, text: "a", occurredAt: at, ts: "1755014400.000100" });
    expect(texts(selectTimeline(NO_TIMES, [later, b, a]))).toEqual(["a", "b", "later"]);
  });

  it("takes the threshold and hosts from its options", () => {
    const pinned = entry({ highlight: true });
    const dashboard = entry({ text: "https://metrics.internal.acme/d/1" });
    expect(selectTimeline(NO_TIMES, [pinned, dashboard], { evidenceHosts: ["metrics.internal.acme"] })).toHaveLength(2);
    expect(selectTimeline(NO_TIMES, [pinned, dashboard], { evidenceHosts: ["metrics.internal.acme"], fewHighlights: 1 })).toHaveLength(1);
  });
});
