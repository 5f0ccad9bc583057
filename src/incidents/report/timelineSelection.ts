// Which entries the report's timeline shows. The process asks responders to record what they tried:
// debugging actions, pasted commands, fixes tried or verified, pull requests. Teams that pin
// (":pushpin:") carefully get exactly what they pinned; when few messages are pinned, messages that
// carry that kind of evidence are included as well, so the timeline is not only the bot's
// bookkeeping. People always have the last word on a message: pinned is in, excluded is out. Pure.
import { isHighlight, type EntryKind, type Incident, type TimelineEntry } from "../model.js";
import { splitCode } from "./slackMarkdown.js";
import { escapeRegExp } from "./markdownText.js";

/** With fewer deliberate picks than this (pins and `/incident log` entries), evidence is added. */
export const FEW_HIGHLIGHTS = 5;

/**
 * Hosts (or host + path prefixes) of dashboards, logs and alert consoles: a link there is what
 * someone looked at while debugging. Matched as a substring of `host/path`, so "grafana" matches
 * grafana.example.com and acme.grafana.net.
 */
export const DEFAULT_EVIDENCE_HOSTS: readonly string[] = [
  "grafana",
  "datadoghq",
  "kibana",
  "honeycomb.io",
  "newrelic",
  "sentry.io",
  "splunk",
  "prometheus",
  "console.cloud.google.com/monitoring",
  "console.cloud.google.com/logs",
  "console.aws.amazon.com/cloudwatch",
  "portal.azure.com",
  "pagerduty.com/incidents",
];

/**
 * Words of a fix tried or verified. Each is matched as a whole word, case-insensitively; "rolled
 * back" also matches "rolled  back" and "rolled-back".
 */
export const FIX_WORDS: readonly string[] = [
  "roll back",
  "rolled back",
  "rolling back",
  "rollback",
  "rolled out",
  "rollout",
  "revert",
  "reverted",
  "reverting",
  "deploy",
  "deployed",
  "deploying",
  "redeploy",
  "redeployed",
  "re-deploy",
  "re-deployed",
  "re-deploys",
  "deploys",
  "restart",
  "restarted",
  "restarting",
  "rebooted",
  "killed",
  "kills",
  "deleted",
  "deletes",
  "scaled",
  "scaling",
  "failed over",
  "failover",
  "fail over",
  "fix",
  "fixed",
  "fixes",
  "hotfix",
  "patched",
  "mitigated",
  "mitigation",
  "resolved",
  "drained",
  "cordoned",
  "flushed",
  "purged",
  "upgraded",
  "downgraded",
  "merged",
  "back online",
  "back up",
  "recovered",
  "verified",
];

export type Evidence = "code" | "change" | "dashboard" | "runbook" | "fix";

export interface SelectionOptions {
  /** Replaces DEFAULT_EVIDENCE_HOSTS. */
  evidenceHosts?: readonly string[];
  /** Replaces FEW_HIGHLIGHTS. */
  fewHighlights?: number;
}

/**
 * Typed entries that never appear: report-review bookkeeping, renames and action-item changes
 * (the action items have their own section), and the summary, which is a section of its own.
 */
export const BOOKKEEPING_KINDS: ReadonlySet<EntryKind> = new Set<EntryKind>(["report", "title", "action", "summary"]);

const MOMENT_FIELDS = { impact_start: "impactStartedAt", impact_end: "impactEndedAt", detected: "detectedAt" } as const;
type MomentTimes = Pick<Incident, "impactStartedAt" | "impactEndedAt" | "detectedAt">;

const fixWordsPattern = (words: readonly string[]) =>
  new RegExp(`(?<![\\w-])(?:${words.map((word) => escapeRegExp(word).replace(/ /g, "[\\s-]+")).join("|")})(?![\\w-])`, "i");
const FIX_PATTERN = fixWordsPattern(FIX_WORDS);

// GitHub (and GitHub Enterprise) pull requests and commits, GitLab merge requests and commits, on any host.
const CHANGE_PATH =
  /^\/[^/]+\/[^/]+\/(?:pull\/\d+|commit\/[0-9a-f]{7,40})(?:\/|$)|\/-\/(?:merge_requests\/\d+|commit\/[0-9a-f]{7,40})(?:\/|$)/i;
const URL_IN_TEXT = /https?:\/\/[^\s<>|]+/g;

/** What a message carries that the process asks for; empty when it carries none of it. */
export function evidenceIn(text: string, hosts: readonly string[] = DEFAULT_EVIDENCE_HOSTS): Evidence[] {
  const found = new Set<Evidence>();
  if (splitCode(text).some((block) => block.kind === "code")) found.add("code");
  for (const match of text.matchAll(URL_IN_TEXT)) {
    let url: URL;
    try {
      url = new URL(match[0].replace(/&amp;/g, "&"));
    } catch {
      continue;
    }
    const where = `${url.hostname}${url.pathname}`.toLowerCase();
    if (CHANGE_PATH.test(url.pathname)) found.add("change");
    if (hosts.some((host) => where.includes(host.toLowerCase()))) found.add("dashboard");
    if (/runbook|playbook/.test(where)) found.add("runbook");
  }
  // Words are looked for in the prose around links, not inside them.
  if (FIX_PATTERN.test(text.replace(/<[^<>]*>|https?:\/\/\S+/g, " "))) found.add("fix");
  return [...found];
}

/** Only the last value of a time people set counts: an impact start corrected later is not an event. */
function isSuperseded(entry: TimelineEntry, incident: MomentTimes): boolean {
  if (!(entry.kind in MOMENT_FIELDS) || !entry.data?.to) return false;
  const current = incident[MOMENT_FIELDS[entry.kind as keyof typeof MOMENT_FIELDS]];
  const to = Date.parse(entry.data.to);
  return current !== null && !Number.isNaN(to) && to !== current.getTime();
}

/**
 * The timeline's entries, in the order they happened:
 *  - never deleted or excluded entries, nor bookkeeping kinds, nor a time set and later corrected;
 *  - every other typed entry, and every `/incident log` entry;
 *  - pinned messages;
 *  - when fewer than `fewHighlights` entries are highlights (model.ts, isHighlight), also each message that carries
 *    evidence: a code block or pasted `$ command`, a link to a pull request or commit, a dashboard
 *    or a runbook, or words of a fix tried or verified (see FIX_WORDS).
 */
export function selectTimeline(incident: MomentTimes, entries: readonly TimelineEntry[], options: SelectionOptions = {}): TimelineEntry[] {
  const candidates = entries.filter((entry) => !entry.deleted && !entry.excluded && !BOOKKEEPING_KINDS.has(entry.kind));
  const few = candidates.filter(isHighlight).length < (options.fewHighlights ?? FEW_HIGHLIGHTS);
  const hosts = options.evidenceHosts ?? DEFAULT_EVIDENCE_HOSTS;
  const chosen = candidates.filter((entry) => {
    if (entry.kind !== "message") return !isSuperseded(entry, incident);
    return entry.highlight || (few && evidenceIn(entry.text, hosts).length > 0);
  });
  return inTimeOrder(chosen);
}

/** Time order; Slack ts breaks ties within a millisecond; typed entries (no ts) follow messages. */
export function inTimeOrder(entries: readonly TimelineEntry[]): TimelineEntry[] {
  const keyed = entries.map((entry, index) => ({
    entry,
    index,
    at: entry.occurredAt.getTime(),
    ts: entry.ts ? Number(entry.ts) : Infinity,
  }));
  keyed.sort((a, b) => a.at - b.at || (a.ts === b.ts ? 0 : a.ts < b.ts ? -1 : 1) || a.index - b.index);
  return keyed.map((item) => item.entry);
}
