// The Block Kit of assembling a response (announcement, declaration, read-in, the shortcuts'
// modals) at the limits Slack publishes, whatever the incident's size: 5,000-character titles and
// texts, 60 action items, 2,000 messages, 150 open incidents, a 40,000-character message. And the
// read-in built from a record, and text shortened without breaking Slack's markup.
import type { ActionItem, Incident, IncidentRecord, PickedMessage, IncidentUpdate, TimelineEntry } from "../../src/incidents/model.js";
import { READ_IN_ACTION_ITEMS, READ_IN_HIGHLIGHTS, readInOf } from "../../src/incidents/readIn.js";
import { announcementMessage, declarationMessage } from "../../src/slack/views/announcement.js";
import { excerpt, plainExcerpt } from "../../src/slack/views/excerpt.js";
import { readInMessage } from "../../src/slack/views/readIn.js";
import { addToTimelineModal, declareModal, titleFrom } from "../../src/slack/views/shortcuts.js";

const LONDON = "Europe/London";
const NOW = new Date("2026-03-02T12:00:00Z");
const LONG = "Checkout <https://grafana.acme.dev/d/abc?x=1&amp;y=2|dashboard> is failing for <@U0BOB> `code span` ".repeat(80); // ~6,000

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: "0b6f9a8e-4a5c-4d7e-9f3a-2b1c0d9e8f7a",
    number: 1234,
    title: LONG,
    channelId: "C0INC1234",
    channelName: "inc-20260302-checkout",
    status: "resolved",
    severity: "sev1",
    summary: LONG,
    resolution: LONG,
    declaredBy: "U0ALICE",
    declaredAt: new Date("2026-03-02T09:00:00Z"),
    detectedAt: new Date("2026-03-02T08:55:00Z"),
    impactStartedAt: new Date("2026-03-02T08:40:00Z"),
    impactEndedAt: null,
    resolvedAt: new Date("2026-03-02T11:30:00Z"),
    headerTs: "1772442000.000100",
    roles: { commander: "U0ALICE", tech_lead: "U0BOB", liaison: "U0CAROL", scribe: "U0DAVE" },
    publicTitle: null,
    ...overrides,
  };
}

/** Block Kit JSON, as far as the limits below read it. */
interface Node {
  type?: string;
  text?: Node | string;
  fields?: Node[];
  elements?: Node[];
  element?: Node;
  options?: Node[];
  initial_option?: Node;
  value?: string;
  initial_value?: string;
  max_length?: number;
  label?: Node;
}

/** The limits Slack publishes for what these views use; a message holds 50 blocks, a modal 100. */
function checkBlocks(blocks: Node[], maxBlocks: number) {
  const problems: string[] = [];
  const text = (t: Node | string | undefined): string => (typeof t === "string" ? t : typeof t?.text === "string" ? t.text : "");
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks`);
  for (const b of blocks) {
    if (b.type === "header" && text(b.text).length > 150) problems.push("header over 150");
    if (b.type === "section") {
      if (text(b.text).length > 3000) problems.push("section text over 3000");
      if ((b.fields ?? []).length > 10) problems.push("more than 10 fields");
      for (const field of b.fields ?? []) if (text(field).length > 2000) problems.push("field over 2000");
    }
    if (b.type === "context" && (b.elements ?? []).length > 10) problems.push("context over 10 elements");
    for (const element of [...(b.elements ?? []), ...(b.element ? [b.element] : [])]) {
      if (element.type === "button" && (text(element.text).length > 75 || String(element.value ?? "").length > 2000))
        problems.push("button over its limits");
      if (element.type === "mrkdwn" && text(element).length > 3000) problems.push("context text over 3000");
      const options = element.options ?? [];
      if (options.length > 100) problems.push(`${options.length} options`);
      for (const option of [...options, ...(element.initial_option ? [element.initial_option] : [])]) {
        if (text(option.text).length > 75) problems.push("option text over 75");
        if (String(option.value).length > 150) problems.push("option value over 150");
      }
      if (element.initial_value !== undefined && element.initial_value.length > (element.max_length ?? 3000))
        problems.push("initial value over max_length");
    }
    if (b.type === "input" && text(b.label).length > 2000) problems.push("label over 2000");
  }
  return problems;
}

const picked = (text: string): PickedMessage => ({
  id: "4f1e2d3c-5b6a-4789-8abc-def012345678",
  source: {
    channelId: "C0ALERTS",
    channelName: "alerts",
    ts: "1772441700.123456",
    permalink: "https://acme.slack.com/archives/C0ALERTS/p1772441700123456",
    authorId: null,
    authorName: "Grafana",
  },
  threadTs: null,
  text,
  files: [],
  pickedBy: "U0CAROL",
  pickedAt: NOW,
});

describe("the announcement and the declaration", () => {
  it("stay within Slack's limits with a 6,000-character title and resolution, and show both as plain text", () => {
    const announcement = announcementMessage(incident());
    expect(checkBlocks(announcement.blocks as never, 50)).toEqual([]);
    expect(announcement.text.length).toBeLessThan(300);
    const resolution = announcement.blocks.find((b) => b.type === "section" && "text" in b && b.text?.type === "plain_text")!;
    expect(JSON.stringify(resolution)).toContain("Resolved after 2 h 30 min: Checkout");
    const declaration = declarationMessage(incident({ status: "investigating" }));
    expect(checkBlocks(declaration.blocks as never, 50)).toEqual([]);
    expect(declaration.blocks[0]).toMatchObject({ type: "section", text: { type: "plain_text" } });
  });
});

describe("the read-in", () => {
  const base = new Date("2026-03-02T09:00:00Z").getTime();
  const messages: TimelineEntry[] = Array.from({ length: 2000 }, (_, n) => ({
    id: `m${n}`,
    kind: "message",
    occurredAt: new Date(base + n * 5_000),
    ts: `${Math.floor((base + n * 5_000) / 1000)}.${String(n).padStart(6, "0")}`,
    threadTs: null,
    authorId: "U0BOB",
    text: n % 100 === 0 ? `pinned ${n}: ${LONG}` : `message ${n}`,
    files: [],
    data: null,
    highlight: n % 100 === 0,
    excluded: n === 1900,
    deleted: n === 1800,
    editedAt: null,
    revisions: [],
  }));
  const items: ActionItem[] = Array.from({ length: 60 }, (_, n) => ({
    id: `a${n}`,
    number: n + 1,
    text: `${n + 1}: ${LONG}`,
    ownerId: n % 2 ? "U0BOB" : null,
    dueDate: n % 3 ? new Date("2026-03-09T00:00:00Z") : null,
    status: n % 10 === 9 ? "done" : "open",
    createdBy: "U0ALICE",
    createdAt: NOW,
    issueNumber: null,
    issueUrl: null,
    lastError: null,
  }));
  const update = (text: string, at: Date, isPublic = false): IncidentUpdate => ({
    id: text,
    incidentId: "i",
    public: isPublic,
    text,
    status: "identified",
    postedBy: "U0CAROL",
    createdAt: at,
    publishedAt: at,
  });
  const record: IncidentRecord = {
    incident: incident({ status: "identified", resolvedAt: null }),
    entries: messages,
    actionItems: items,
    report: null,
  };
  const readIn = readInOf(
    record,
    [
      update("first", new Date(base + 1000)),
      update(LONG, new Date(base + 9000)),
      { ...update("draft", new Date(base + 99_000), true), publishedAt: null },
    ],
    { now: NOW, timeZone: LONDON },
  );

  it("takes the last highlights (not deleted or excluded), the open action items in order and the latest published update", () => {
    expect(readIn.highlightCount).toBe(18); // 20 pinned, one deleted, one excluded
    expect(readIn.highlights).toHaveLength(READ_IN_HIGHLIGHTS);
    expect(readIn.highlights.map((h) => h.text.split(":")[0])).toEqual([
      "pinned 1300",
      "pinned 1400",
      "pinned 1500",
      "pinned 1600",
      "pinned 1700",
    ]);
    expect(readIn.openActionItemCount).toBe(54);
    expect(READ_IN_ACTION_ITEMS).toBe(8);
    expect(readIn.openActionItems.map((item) => item.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readIn.latestUpdate?.text).toBe(LONG);
    expect(readIn.openForMs).toBe(3 * 3_600_000);
  });

  it("stays within Slack's limits for an incident of 2,000 messages, 60 action items and 6,000-character texts", () => {
    const message = readInMessage(readIn, { teamUrl: "https://acme.slack.com/", joined: true });
    expect(checkBlocks(message.blocks as never, 50)).toEqual([]);
    const all = JSON.stringify(message.blocks);
    expect(all).toContain("(the last 5 of 18)");
    expect(all).toContain("…and 46 more: `/incident actions` lists them all.");
    expect(all).toContain("|(whole message)>"); // a shortened highlight links to the whole message
    expect(all).toContain("https://acme.slack.com/archives/C0INC1234/p");
  });
});

describe("the read-in at its widest", () => {
  const source = (n: number) => ({
    channelId: "C0ALERTS",
    channelName: "a".repeat(80),
    ts: `1772441700.${String(n).padStart(6, "0")}`,
    permalink: `https://acme.slack.com/archives/C0ALERTS/p1772441700${String(n).padStart(6, "0")}?thread_ts=1772441700.000000&cid=C0ALERTS`,
    authorId: null,
    authorName: "G".repeat(80),
  });
  const wide = (latestUpdate: IncidentUpdate | null) =>
    readInMessage(
      {
        incident: incident({ status: "identified", resolvedAt: null }),
        timeZone: LONDON,
        openForMs: 3_600_000,
        latestUpdate,
        highlights: Array.from({ length: 5 }, (_, n) => ({
          kind: "quoted" as const,
          at: NOW,
          authorId: null,
          ts: null,
          text: LONG,
          source: source(n),
        })),
        highlightCount: 5,
        openActionItems: [],
        openActionItemCount: 0,
        now: NOW,
      },
      { teamUrl: "https://acme.slack.com/", joined: false },
    );

  it("packs quoted highlights with long links and names whole, and says where the rest is rather than cutting one", () => {
    const message = wide(null);
    expect(checkBlocks(message.blocks as never, 50)).toEqual([]);
    const highlights = JSON.stringify(message.blocks.find((b) => JSON.stringify(b).includes("*Highlights*")));
    expect(highlights).not.toMatch(/<https:[^>|]*(?:"|$)/); // no link left open
    const shown = (highlights.match(/\(whole message\)>/g) ?? []).length;
    if (shown < 5) expect(highlights).toContain(`…and ${5 - shown} more in the channel's pins and timeline.`);
  });

  it("shows a customer update as typed: escaped, so it links nothing", () => {
    const typed = "Try <https://evil.example/fix|the fix> & retry";
    const message = wide({
      id: "u",
      incidentId: "i",
      public: true,
      text: typed,
      status: "identified",
      postedBy: "U0CAROL",
      createdAt: NOW,
      publishedAt: NOW,
    });
    const all = JSON.stringify(message.blocks);
    expect(all).toContain("Try &lt;https://evil.example/fix|the fix&gt; &amp; retry");
    expect(all).not.toContain("<https://evil.example");
  });
});

describe("the shortcuts' modals", () => {
  it("offer at most 100 incidents, each option within 75 characters, with the channel's incident preselected", () => {
    const incidents = Array.from({ length: 150 }, (_, n) =>
      incident({ id: `0b6f9a8e-4a5c-4d7e-9f3a-${String(n).padStart(12, "0")}`, number: 1000 - n, status: "investigating" }),
    );
    const modal = addToTimelineModal({
      incidents,
      preselectedId: incidents[40]!.id,
      picked: picked(`${LONG}${LONG}`.repeat(4)),
      timeZone: LONDON,
      responseUrl: "https://hooks.slack.com/actions/T0/1/abc",
    });
    expect(checkBlocks(modal.blocks as never, 100)).toEqual([]);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.private_metadata!.length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(modal.blocks)).toContain("Showing the 100 most recently declared of 150 open incidents.");
    const select = (modal.blocks[1] as { element: { initial_option: { value: string } } }).element;
    expect(select.initial_option.value).toBe(incidents[40]!.id);
    // The message's own incident, however old, is offered first and chosen, within Slack's 100 options.
    const late = addToTimelineModal({ incidents, preselectedId: incidents[140]!.id, picked: picked("x"), timeZone: LONDON });
    expect(checkBlocks(late.blocks as never, 100)).toEqual([]);
    const lateSelect = (late.blocks[1] as { element: { initial_option: { value: string }; options: { value: string }[] } }).element;
    expect(lateSelect.initial_option.value).toBe(incidents[140]!.id);
    expect(lateSelect.options[0]!.value).toBe(incidents[140]!.id);
    expect(lateSelect.options).toHaveLength(100);
  });

  it("prefill a short plain title from a 40,000-character message, and carry only ids in their metadata", () => {
    const firstLine = "*[FIRING:1]* <https://grafana.acme.dev/alerting|CheckoutErrorRate> for <@U0BOB|bob> &amp; <#C0OPS|ops>";
    const alert = `${firstLine} ${"x".repeat(200)}\n${"y".repeat(39_000)}`;
    const modal = declareModal({ picked: picked(alert), timeZone: LONDON, responseUrl: "https://hooks.slack.com/actions/T0/1/abc" });
    expect(checkBlocks(modal.blocks as never, 100)).toEqual([]);
    expect(modal.private_metadata!.length).toBeLessThanOrEqual(3000);
    expect(titleFrom(alert)).toBe("[FIRING:1] CheckoutErrorRate for @bob & #ops…"); // cut between words
    expect(titleFrom(alert).length).toBeLessThanOrEqual(80);
    expect(declareModal({ timeZone: LONDON }).blocks.map((b) => b.block_id)).toEqual([
      "declare_title",
      "declare_severity",
      "declare_summary",
      "declare_private",
    ]);
  });
});

describe("shortening text people typed", () => {
  it("never cuts a link, a mention, an entity or a code span in half", () => {
    expect(excerpt("see <https://grafana.acme.dev/d/abc|the dashboard> now", 20)).toBe("see…");
    expect(excerpt("ping <@U0BOB> and <!subteam^S1|@sre> please", 22)).toBe("ping <@U0BOB> and…");
    expect(excerpt("tom &amp; jerry", 8)).toBe("tom…");
    expect(excerpt("run `kubectl rollout undo deploy/api` now", 20)).toBe("run…");
    expect(excerpt("```a\nb```and ```more code here", 18)).toBe("```a b```and…");
    expect(excerpt("short\n\ntext", 50)).toBe("short text");
  });

  it("gives plain words for a form: names and labels as shown, no markup", () => {
    expect(plainExcerpt("<!here> *db* `down` <https://x.dev|runbook> <https://y.dev> <#C1> &lt;3", 100)).toBe(
      "@here db down runbook https://y.dev #C1 <3",
    );
  });
});
