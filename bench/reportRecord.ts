// A synthetic incident record of any size, for timing compileReport: people's messages (a share of
// them highlighted), typed entries from commands, code blocks and pasted shell commands, thread
// replies, edits with revisions, attachments, mentions and links, a few deletions and action items.
// Entries are spread over ~2 days across the Europe/London change from BST to GMT, so the report
// has several days and two zone abbreviations, as a long incident would.
import type { ActionItem, EntryKind, IncidentRecord, TimelineEntry } from "../src/incidents/model.js";

/** Deterministic pseudo-random numbers (a small LCG), so every run compiles the same record. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const USERS = ["UALICE", "UBOB", "UCAROL", "UDAVE", "UERIN", "UFRANK"];
export const USER_NAMES: Record<string, string> = {
  UALICE: "alice",
  UBOB: "bob",
  UCAROL: "carol",
  UDAVE: "dave",
  UERIN: "erin",
  UFRANK: "frank",
};

const PROSE = [
  "hub pods are crash-looping again, restarts at 14/min on hub-3",
  "<@UBOB> can you check the ingress controller logs? I see 502s from <https://grafana.example.com/d/abc|the dashboard>",
  "rolled back to v1.2.3, watching error rate",
  "error rate back under 1% &amp; p99 latency at 420ms",
  "looks like the leap second handling in `clock.go` is the trigger",
  "paging the database on-call <!subteam^S123|@dba>",
  "customers report login failures in EU, see <#C0SUPPORT|support>",
  "I think it's the config push at 17:20, diffing now",
  "memory on the node pool is at 93%, cordoning node-7 & node-9",
  "status page updated: <https://status.example.com/incidents/42>",
];

const CODE = [
  "```kubectl -n hub get pods | grep CrashLoopBackOff\nhub-3-7d9f   0/1   CrashLoopBackOff   14   22m```",
  "$ kubectl rollout undo deploy/hub -n hub\n$ kubectl rollout status deploy/hub -n hub",
  "here is the stack:\n```\npanic: runtime error: index out of range [3] with length 3\n\n" +
    "goroutine 1 [running]:\nmain.tick(...)\n\t/src/clock.go:88\n```\nsame on every pod",
  "```SELECT count(*) FROM sessions WHERE created_at > now() - interval '5 min';```",
];

const TYPED: Array<{ kind: EntryKind; text: string; data?: TimelineEntry["data"] }> = [
  { kind: "log", text: "Customer support notified; macro 'login issues' in use" },
  {
    kind: "status",
    text: "Changed status from investigating to identified",
    data: { field: "status", from: "investigating", to: "identified" },
  },
  { kind: "severity", text: "Changed severity from SEV2 to SEV1", data: { field: "severity", from: "sev2", to: "sev1" } },
  { kind: "role", text: "Made <@UBOB> tech lead", data: { field: "tech_lead", from: null, to: "UBOB" } },
  { kind: "log", text: "Decided to fail over to eu-west-2", data: { comment: "agreed with <@UCAROL>" } },
  { kind: "detected", text: "Set detected to 17:25 BST", data: { field: "detectedAt", from: null, to: "2025-10-25T16:25:00.000Z" } },
  { kind: "action", text: "Action item: add an alert on hub restart rate" },
];

const START = Date.UTC(2025, 9, 25, 12, 0, 0); // Saturday 25 October 2025, 13:00 BST; GMT from 26 Oct 01:00 UTC
const SPAN_MS = 54 * 3600 * 1000;

const slackTs = (ms: number, seq: number) => `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (seq % 1000)).padStart(6, "0")}`;

export function buildRecord(size: number, seed = 42): IncidentRecord {
  const rand = random(seed + size);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const step = SPAN_MS / size;
  const entries: TimelineEntry[] = [];
  const parents: string[] = [];
  for (let i = 0; i < size; i++) {
    const at = Math.round(START + i * step + rand() * step * 0.5);
    const occurredAt = new Date(at);
    const base = { id: `e${i}`, occurredAt, authorId: pick(USERS), files: [], data: null, deleted: false, editedAt: null, revisions: [] };
    const roll = rand();
    if (roll < 0.15) {
      const typed = pick(TYPED);
      entries.push({ ...base, kind: typed.kind, ts: null, threadTs: null, text: typed.text, data: typed.data ?? null, highlight: true });
      continue;
    }
    const ts = slackTs(at, i);
    const isReply = parents.length > 0 && rand() < 0.2;
    const isCode = rand() < 0.15;
    const isEdited = rand() < 0.1;
    const text = isCode ? pick(CODE) : pick(PROSE);
    const entry: TimelineEntry = {
      ...base,
      kind: "message",
      ts,
      threadTs: isReply ? pick(parents.slice(-20)) : null,
      text,
      highlight: rand() < 0.45,
      deleted: rand() < 0.02,
      files: rand() < 0.05 ? [{ name: "heap [profile].pb.gz", url: "https://files.slack.com/files-pri/T0ACME-F1/heap.pb.gz" }] : [],
      editedAt: isEdited ? new Date(at + 30_000) : null,
      revisions: isEdited ? [{ text: `${text} (typo)`, replacedAt: new Date(at + 30_000) }] : [],
    };
    if (!isReply) parents.push(ts);
    entries.push(entry);
  }

  const declaredAt = new Date(START - 10 * 60_000);
  const actionItems: ActionItem[] = Array.from({ length: Math.min(20, Math.max(3, Math.round(size / 500))) }, (_, n) => ({
    id: `a${n}`,
    number: n + 1,
    text: `Alert on hub restart rate above 5/min for <@${pick(USERS)}> [${n}]`,
    ownerId: n % 3 === 0 ? null : pick(USERS),
    dueDate: n % 2 === 0 ? new Date(Date.UTC(2025, 10, 1 + n)) : null,
    status: n % 7 === 6 ? "dropped" : n % 5 === 4 ? "done" : "open",
    createdBy: "UALICE",
    createdAt: new Date(START + n * 60_000),
    issueNumber: n % 2 === 0 ? 100 + n : null,
    issueUrl: n % 2 === 0 ? `https://github.com/acme/incidents/issues/${100 + n}` : null,
    lastError: null,
  }));

  return {
    incident: {
      id: "00000000-0000-0000-0000-000000000001",
      number: 42,
      title: "Hub pods crash-looping on leap | EU logins failing",
      channelId: "C0INC42",
      channelName: "inc-20251025-hub-pods-crash-looping-on-leap",
      status: "resolved",
      severity: "sev1",
      summary: "Hub pods crash-looped after a config push; <@UBOB> rolled back.",
      resolution: "Rolled back to v1.2.3 and pinned the config.",
      declaredBy: "UALICE",
      declaredAt,
      detectedAt: new Date(START - 15 * 60_000),
      impactStartedAt: new Date(START - 20 * 60_000),
      impactEndedAt: new Date(START + SPAN_MS - 3600_000),
      resolvedAt: new Date(START + SPAN_MS),
      headerTs: "1761393000.000100",
      roles: { commander: "UALICE", tech_lead: "UBOB", liaison: "UCAROL", scribe: "UDAVE" },
      publicTitle: null,
    },
    entries,
    actionItems,
    report: {
      status: "draft",
      // People wrote one section; the timeline and the rest are compiled.
      sections: { root_cause: "A leap-second bug in `clock.go` panicked on an out-of-range index." },
      version: 3,
      approvedBy: null,
      approvedVersion: null,
      publishedUrl: null,
      publishedAt: null,
    },
  };
}
