// Blameless language for post-incident reports, and the customer-facing summary.
//
// `checkBlameless` points at sentences that make a person the cause ("Alice forgot to renew the
// certificate", "human error", "should have checked") and offers a systemic rewording. It is a
// prompt for the report's authors, not a gate, so it prefers missing a subtle case to nagging about
// sentences that already describe the system ("The deploy failed to roll back").
//
// Decisions:
// - "should have" is flagged as hindsight whatever its subject ("The alert should have fired
//   earlier" too), because it judges the past by what we know now; "should have a runbook" (having
//   something) and forward-looking "should" ("The alert should fire earlier") are not flagged.
// - "failed to", "didn't", "broke", "caused" are flagged only with a person as subject: a Slack
//   mention, an @name, one of `knownNames`, he/she/someone/"the on-call engineer", or a capitalised
//   word that is not a common sentence opener or a well-known system name. That last guess can be
//   wrong either way ("Staging broke" would be read as a person); passing knownNames is the reliable
//   path. "<person> didn't get/receive/have/know/hear" is not flagged: it says what happened to them.
// - "forgot" is flagged whatever the subject: systems don't forget.
// - Fenced code blocks, inline code and URLs are never matched.
//
// `sanitizeForPublic` removes what must not reach customers: people (mentions, @names, known
// names → "the team"), Slack links, channel and group mentions, code and pasted commands; and it
// runs the secret redactor as a last safety net.

import { redactSecrets } from "./redact.js";

export interface BlamelessFinding {
  /** The sentence as written (Markdown markers at the start of the line removed). */
  sentence: string;
  /** The words that triggered the finding, as written. */
  phrase: string;
  reason: string;
  suggestion: string;
}

export interface BlamelessOptions {
  /** Names of people involved (display and real names): matched case-insensitively as whole words. */
  knownNames?: string[];
}

export interface PublicSummaryParts {
  title: string;
  summary: string;
  impact: string;
  resolution: string;
  prevention: string;
}

// ---------------------------------------------------------------------------------------------
// Shared patterns

const SLACK_MENTION = String.raw`<@[UW][A-Z0-9]+(?:\|[^>]*)?>`;
/** @carol, @bob.smith — but not the @ of an e-mail address or a URL. */
const AT_NAME = String.raw`(?<![\w.@/])@[A-Za-z0-9](?:[\w.-]*\w)?`;
const PERSON_WORDS = String.raw`\b(?:he|she|someone|somebody|(?:the|an|our) (?:on-?call |primary |secondary |same )?(?:engineer|developer|dev|operator|admin|administrator|sre|intern|contractor|responder|person))`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Longest first, so "Alice Smith" wins over "Alice". Blank names are ignored. */
function knownNamesSource(knownNames: readonly string[] | undefined): string | null {
  const names = [...new Set((knownNames ?? []).map((n) => n.trim()).filter((n) => n.length > 0))];
  if (names.length === 0) return null;
  names.sort((a, b) => b.length - a.length);
  return String.raw`(?<![\w@])(?:${names.map(escapeRegExp).join("|")})(?![\w])`;
}

// Capitalised words that start sentences or name systems, so are not taken for a first name when
// followed by "failed to", "broke" and the like.
const NOT_A_NAME = new Set(
  `the this that these those it its our their his her a an each every some any all both no none nothing everything
  then after before when while because since once later finally eventually also however unfortunately initially first
  second next meanwhile yesterday today tonight tomorrow we they i you us them one nobody everyone everybody
  what who whom whose why how where which
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december
  deploy deploys deployment deployments build builds release releases rollout rollback job jobs cron alert alerts alerting
  monitoring service services server servers database databases cache queue queues worker workers pipeline pipelines
  migration migrations script scripts automation renewal certificate certificates cert config configuration change changes
  update updates upgrade upgrades patch test tests system systems cluster clusters node nodes pod pods container containers
  network backup backups failover healthcheck check checks process runbook traffic load disk memory request requests query
  queries replica replicas primary proxy gateway scheduler autoscaler staging production prod dev api app website site
  terraform kubernetes redis postgres postgresql mysql kafka nginx docker helm jenkins renovate dependabot github gitlab
  cloudflare vault consul elasticsearch prometheus grafana pagerduty opsgenie sentry datadog linux chrome safari android
  windows slack`
    .split(/\s+/)
    .filter(Boolean),
);

interface PersonMatch {
  /** Index in the sentence where the person's name starts. */
  start: number;
  text: string;
}

/** A person named right at the end of `before` (the text preceding a verb), or null. */
function personAtEnd(before: string, knownSource: string | null): PersonMatch | null {
  // Allow an adverb between person and verb: "Alice accidentally broke".
  // Lower case only, so a name ending in -ly ("Emily") is not taken for the adverb.
  const trimmed = before.replace(/\s+(?:[a-z]+ly|also|then|just|never|still|again)\s*$/, "").replace(/\s+$/, "");
  const candidates: RegExp[] = [new RegExp(`${SLACK_MENTION}$`), new RegExp(`${AT_NAME}$`), new RegExp(`${PERSON_WORDS}$`, "i")];
  if (knownSource) candidates.push(new RegExp(`${knownSource}$`, "i"));
  for (const pattern of candidates) {
    const match = pattern.exec(trimmed);
    if (match) return { start: match.index, text: match[0] };
  }
  // A capitalised first name, optionally with a surname: "Alice", "Alice Smith".
  const named = /(?<![\w'’-])([A-Z][a-z]+)(?: ([A-Z][a-z]+))?$/.exec(trimmed);
  if (!named) return null;
  const [whole, first, last] = named;
  if (last !== undefined) {
    if (!NOT_A_NAME.has(last.toLowerCase()) && !NOT_A_NAME.has(first!.toLowerCase())) return { start: named.index, text: whole };
    if (!NOT_A_NAME.has(last.toLowerCase())) return { start: named.index + first!.length + 1, text: last };
    return null;
  }
  return NOT_A_NAME.has(first!.toLowerCase()) ? null : { start: named.index, text: first! };
}

/** A person named right at the start of `after`, e.g. after "mistake by". */
function personAtStart(after: string, knownSource: string | null): string | null {
  const sources = [SLACK_MENTION, AT_NAME, String.raw`(?:him|her|them|me|us|someone|somebody|one of (?:our|the) (?:engineers|developers|operators))\b`, PERSON_WORDS];
  if (knownSource) sources.push(knownSource);
  for (const source of sources) {
    const match = new RegExp(`^${source}`, "i").exec(after);
    if (match) return match[0];
  }
  const named = /^[A-Z][a-z]+\b/.exec(after);
  return named && !NOT_A_NAME.has(named[0].toLowerCase()) ? named[0] : null;
}

// ---------------------------------------------------------------------------------------------
// Turning "forgot to renew the certificate" into "The certificate renewal"

// A Map, so a typed word such as "constructor" can't hit Object.prototype.
const NOUN_OF_VERB = new Map<string, string>(Object.entries({
  renew: "renewal", rotate: "rotation", deploy: "deployment", configure: "configuration", update: "update",
  upgrade: "upgrade", restart: "restart", review: "review", merge: "merge", migrate: "migration",
  approve: "approval", remove: "removal", install: "installation", release: "release", extend: "extension",
  revoke: "revocation", notify: "notification", announce: "announcement", document: "documentation", back: "backup",
  monitor: "monitoring", scale: "scaling", provision: "provisioning", patch: "patch",
}));
const DOUBLES_LAST_LETTER = new Set(["run", "stop", "set", "get", "put", "plan", "ship", "tag", "log", "pin", "cut", "hit", "drop", "swap", "scan", "skip", "map", "let", "shut", "begin", "commit", "submit", "rerun", "reset"]);

function gerund(verb: string): string {
  const v = verb.toLowerCase();
  if (DOUBLES_LAST_LETTER.has(v)) return `${v}${v.slice(-1)}ing`;
  if (v.endsWith("ie")) return `${v.slice(0, -2)}ying`;
  if (/[^aeiouy]e$/.test(v)) return `${v.slice(0, -1)}ing`;
  return `${v}ing`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The action words after a trigger, up to the end of the clause: "renew the certificate". */
function clauseAfter(text: string, maxWords = 7): string {
  const clause = text.split(/[,;:.!?()"“”]|\s(?:because|before|after|when|while|so|and|but|which|since|until|during|as|even|although|though|despite|with|by|for|using|via)\b/i)[0] ?? "";
  return clause.trim().split(/\s+/).filter(Boolean).slice(0, maxWords).join(" ");
}

/** "renew the certificate" → "The certificate renewal"; "tell support" → "Telling support". */
function taskName(action: string): string | null {
  const [verb, ...rest] = action.split(" ");
  if (!verb || !/^[a-z]+$/i.test(verb)) return null;
  const object = rest.join(" ");
  const noun = NOUN_OF_VERB.get(verb.toLowerCase());
  if (noun && object && rest.length <= 4) {
    const determined = /^(?:the|a|an|our|its|their|this|that)\b/i.test(object) ? object : `the ${object}`;
    return capitalise(`${determined} ${noun}`);
  }
  return capitalise(object ? `${gerund(verb)} ${object}` : gerund(verb));
}

// ---------------------------------------------------------------------------------------------
// Rules

interface RuleContext {
  /** The sentence with code and URLs blanked out (same length as the original). */
  masked: string;
  match: RegExpExecArray;
  knownSource: string | null;
}

interface RuleHit {
  start: number;
  end: number;
  reason: string;
  suggestion: string;
}

interface Rule {
  pattern: RegExp;
  judge(context: RuleContext): RuleHit | null;
}

const SYSTEMIC_REWRITE = "describe what the system or process lacked (a check, an alert, a guard rail, a clearer runbook) rather than what a person did or didn't do";

function manualStep(action: string): string {
  const task = action ? taskName(action) : null;
  return task
    ? `${task} relied on a manual step that was missed; what would make it automatic or alerting?`
    : "Name the step that was missed and why the process depended on someone remembering it; what would make it automatic or alerting?";
}

const rules: Rule[] = [
  {
    // "Bob's fault", "<@U1>'s fault", "my fault" — but not "nobody's fault", "it's fault-tolerant".
    pattern: /(?:<@[UW][A-Z0-9]+(?:\|[^>]*)?>|(?<![\w@])@?[\w.-]+)['’]s fault\b(?!-)|\b(?:my|his|her|their|your) fault\b(?!-)/gi,
    judge: ({ match, masked }) => {
      const owner = match[0].replace(/['’]s fault$|\s*fault$/i, "").toLowerCase();
      if (/^(?:it|that|this|what|there|here|nobody|no-one|one|anyone|anybody)$/.test(owner)) return null;
      // "the load balancer's fault" blames a component, which is not what this check is about;
      // "the on-call engineer's fault" still blames a person.
      const component = /\b(?:the|a|an|this|that|our|its)\s+(?:[\w-]+\s+){0,2}$/i.test(masked.slice(0, match.index));
      if (component && !/^(?:engineer|developer|dev|operator|admin|sre|person|responder|intern|contractor|team)$/.test(owner)) return null;
      return {
        start: match.index,
        end: match.index + match[0].length,
        reason: "Assigns fault to a person; a blameless review looks for the conditions that made the failure possible.",
        suggestion: "Say what happened and which safeguard was missing or didn't work, e.g. “The change reached production without a review step that would have caught it.”",
      };
    },
  },
  {
    pattern: /\b(?:at fault|fault of)\b/gi,
    judge: ({ match, masked }) => {
      const after = masked.slice(match.index + match[0].length);
      // "the fault of the load balancer" is about a component; "the fault of the on-call engineer" is not.
      if (/^\s+(?:the|a|an|this|that|our|its)\s+(?!(?:on-?call\s+)?(?:team|engineer|developer|dev|operator|admin|sre|person|responder|intern|contractor|people|staff)\b)/i.test(after)) return null;
      return {
        start: match.index,
        end: match.index + match[0].length,
        reason: "Assigns fault; a blameless review looks for the conditions that made the failure possible.",
        suggestion: "Say what happened and which safeguard was missing or didn't work, e.g. “Nothing checked the config before it was applied.”",
      };
    },
  },
  {
    pattern: /(?<!git\s)\bblam(?:e|ed|es|ing)\b/gi,
    judge: ({ match, masked }) => {
      // "No one is to blame", "we don't blame anyone": saying there is no blame is fine.
      if (/\b(?:no one|no-one|nobody|not|never|without)\b[^.]{0,20}$|n['’]t\s+(?:\w+\s+)?$/i.test(masked.slice(0, match.index))) return null;
      return {
        start: match.index,
        end: match.index + match[0].length,
        reason: "Blame points at people; it stops the search for the conditions that let the incident happen.",
        suggestion: "State what happened and what made it possible, e.g. “The migration locked the table because nothing limited its batch size.”",
      };
    },
  },
  {
    pattern: /\bshould(?:n['’]t| not)?\s+have\b|\bshould(?:n['’]t)?['’]ve\b/gi,
    judge: ({ match, masked }) => {
      const end = match.index + match[0].length;
      const action = clauseAfter(masked.slice(end));
      // "Every service should have a runbook" is about having something, not hindsight.
      if (/^should\s+have$/i.test(match[0]) && /^(?:a|an|the|this|that|these|those|some|more|no|any|enough|its|their|our|his|her|my|your|one|two|three|several|many|fewer|less|better|clear|proper)\b/i.test(action)) return null;
      return {
        start: match.index,
        end,
        reason: `“${match[0]}” is hindsight: it judges a past decision by what we know now, and says nothing about why it made sense at the time.`,
        suggestion: action
          ? `Instead, ${SYSTEMIC_REWRITE}: what would have made “${action}” happen without relying on someone knowing or remembering to?`
          : `Instead, ${SYSTEMIC_REWRITE}.`,
      };
    },
  },
  {
    pattern: /\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppily|sloppiness|incompeten(?:t|tly|ce)|reckless(?:ly|ness)?)\b/gi,
    judge: ({ match }) => ({
      start: match.index,
      end: match.index + match[0].length,
      reason: `“${match[0]}” judges a person's care or skill; it explains nothing about why the action made sense at the time.`,
      suggestion: "Describe the action and its circumstances (time pressure, missing information, confusing tooling, no review) instead of judging it, e.g. “The config change was applied by hand with no diff shown first.”",
    }),
  },
  {
    pattern: /\b(?:human|operator)[- ]errors?\b/gi,
    judge: ({ match }) => ({
      start: match.index,
      end: match.index + match[0].length,
      reason: "“Human error” is where an investigation starts, not its conclusion.",
      suggestion: "Name the conditions that made the error easy to make and hard to notice, e.g. “The command ran against production without a confirmation prompt.”",
    }),
  },
  {
    // "errors from Stripe" is about a system, so only mistakes can come "from" or "of" someone.
    pattern: /\bmistakes?\s+(?:by|of|from)\s+|\b(?:error|slip)s?\s+by\s+/gi,
    judge: ({ match, masked, knownSource }) => {
      const end = match.index + match[0].length;
      const person = personAtStart(masked.slice(end), knownSource);
      if (!person) return null;
      return {
        start: match.index,
        end: end + person.length,
        reason: "Attributes the incident to one person's mistake.",
        suggestion: "Describe the action and what made it easy to get wrong (a missing confirmation, an ambiguous UI, no review), e.g. “The deploy tool accepted a config that failed validation.”",
      };
    },
  },
  {
    pattern: /\b(?:didn['’]t|did not|couldn['’]t|could not) (?:be )?bother(?:ed)?\b/gi,
    judge: ({ match, masked }) => {
      const end = match.index + match[0].length;
      const action = clauseAfter(masked.slice(end).replace(/^\s*(?:to|with)\s+/i, ""));
      return {
        start: match.index,
        end,
        reason: "“Didn't bother” implies a lack of care rather than explaining why the step was skipped.",
        suggestion: `Describe what wasn't done${action ? ` (“${action}”)` : ""} and what made skipping it easy or reasonable at the time: time pressure, unclear ownership, nothing prompting it.`,
      };
    },
  },
  {
    // Systems don't forget, so this is about a person whatever the subject.
    pattern: /\bforg(?:ot|otten)\b(?:\s+to\b)?/gi,
    judge: ({ match, masked, knownSource }) => {
      const end = match.index + match[0].length;
      const person = personAtEnd(masked.slice(0, match.index), knownSource);
      const action = clauseAfter(masked.slice(end));
      const start = person?.start ?? match.index;
      return {
        start,
        end,
        reason: "Puts the cause in someone's memory; a process that depends on remembering will fail again.",
        suggestion: /\bto$/i.test(match[0]) ? manualStep(action) : action ? `Remembering “${action}” was left to a person; what would make it automatic or alerting?` : manualStep(""),
      };
    },
  },
  {
    pattern: /\b(?:failed to|didn['’]t|did not|broke|caused|made (?:a|an) (?:\w+ )?(?:mistake|error)|messed up|screwed up)\b/gi,
    judge: ({ match, masked, knownSource }) => {
      const person = personAtEnd(masked.slice(0, match.index), knownSource);
      if (!person) return null;
      const verb = match[0].toLowerCase();
      const end = match.index + match[0].length;
      const action = clauseAfter(masked.slice(end));
      // "<person> didn't get paged" says what happened to them, which is the systemic view.
      if (/^(?:didn['’]t|did not)$/.test(verb) && /^(?:get|receive|have|know|hear)\b/i.test(action)) return null;
      const base = { start: person.start, end, reason: `Makes ${person.text} the cause; a blameless review asks what in the system let this happen.` };
      if (verb === "broke" || verb === "caused") {
        return {
          ...base,
          suggestion: `Describe the change rather than who made it, e.g. “The change to … ${verb}${action ? ` ${action}` : ""}”, and ask what let it through unchecked (review, tests, a staged rollout).`,
        };
      }
      if (/mistake|error|messed|screwed/.test(verb)) {
        return { ...base, suggestion: "Describe the action and what made it easy to get wrong (a missing confirmation, an ambiguous UI, no review) instead of who got it wrong." };
      }
      return { ...base, suggestion: manualStep(action) };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Sentences

interface Sentence {
  text: string;
  /** Same length as text, with inline code, URLs and emphasis markers blanked so they never match. */
  masked: string;
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})/;

/** Markdown lines without fenced code blocks (an unclosed fence hides the rest, as Markdown renders it). */
function linesOutsideFences(markdown: string): string[] {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const marker = FENCE_OPEN.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
      continue;
    }
    if (marker) {
      fence = marker;
      kept.push("");
      continue;
    }
    kept.push(line);
  }
  return kept;
}

const BLOCK_MARKER = /^\s*(?:(?:#{1,6}|>|[-*+]|\d+[.)])\s+)+/;
const blank = (text: string) => " ".repeat(text.length);

/** Paragraphs, list items, headings and quotes become separate blocks; wrapped lines are joined. */
function blocks(markdown: string): string[] {
  const result: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) result.push(current.join(" "));
    current = [];
  };
  for (const line of linesOutsideFences(markdown)) {
    if (!line.trim() || /^\s*(?:[-*_]\s*){3,}$/.test(line) || /^\s*\|/.test(line) || /^\s{0,3}#{1,6}\s/.test(line)) {
      // Blank lines, rules, table rows and headings end a paragraph; tables and headings are not prose.
      flush();
      continue;
    }
    if (BLOCK_MARKER.test(line)) flush();
    current.push(line.replace(BLOCK_MARKER, "").trim());
  }
  flush();
  return result;
}

function mask(text: string): string {
  return text
    .replace(/`[^`]*`/g, blank)
    .replace(/<(?:https?|mailto):[^>]*>/g, blank)
    .replace(/\bhttps?:\/\/\S+/g, blank)
    .replace(/\*+/g, blank);
}

function sentences(markdown: string): Sentence[] {
  const found: Sentence[] = [];
  for (const block of blocks(markdown)) {
    const masked = mask(block);
    // A sentence ends at . ! ? followed by space and something that can start a sentence.
    const boundary = /[.!?]+["'”’)\]]*\s+(?=[A-Z0-9<@"“'(\[])/g;
    let start = 0;
    const push = (end: number) => {
      const raw = block.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text) found.push({ text, masked: masked.slice(start + lead, start + lead + text.length) });
    };
    for (let match = boundary.exec(masked); match; match = boundary.exec(masked)) {
      const end = match.index + match[0].length;
      push(end);
      start = end;
    }
    push(block.length);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The check

/** Sentences that put the cause on a person, each with the phrase, why it matters and a systemic rewording. */
export function checkBlameless(markdown: string, options: BlamelessOptions = {}): BlamelessFinding[] {
  const knownSource = knownNamesSource(options.knownNames);
  const findings: BlamelessFinding[] = [];
  for (const sentence of sentences(markdown)) {
    const hits: RuleHit[] = [];
    for (const rule of rules) {
      const pattern = new RegExp(rule.pattern.source, rule.pattern.flags);
      for (let match = pattern.exec(sentence.masked); match; match = pattern.exec(sentence.masked)) {
        const hit = rule.judge({ masked: sentence.masked, match, knownSource });
        // Rules run most specific first; a later rule never reports words an earlier one did.
        if (hit && !hits.some((h) => hit.start < h.end && h.start < hit.end)) hits.push(hit);
      }
    }
    hits.sort((a, b) => a.start - b.start);
    for (const hit of hits) {
      findings.push({ sentence: sentence.text, phrase: sentence.text.slice(hit.start, hit.end), reason: hit.reason, suggestion: hit.suggestion });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Customer-facing text

const CLI_NAMES = ["kubectl", "helm", "curl", "wget", "psql", "mysql", "redis-cli", "ssh", "scp", "sudo", "git", "docker", "terraform", "gcloud", "aws", "az", "systemctl", "journalctl", "npm", "npx"];
/** A line (or inline code) that is a pasted shell command: a prompt, or a lower-case CLI name first. */
const COMMAND = new RegExp(String.raw`^(?:\$\s|(?:sudo\s+)?(?:${CLI_NAMES.map(escapeRegExp).join("|")})(?:\s|$))`);
const isSlackUrl = (url: string) => /^(?:https?:\/\/)?(?:[\w-]+\.)*(?:slack\.com|slack-edge\.com|slack-files\.com)(?:[/:?#]|$)/i.test(url);
const THE_TEAM = "the team";
/** Stands in for a removed Slack link or channel mention until the words around it are tidied. */
const GONE = "\uE000";

/**
 * Text made safe to show customers: no people (Slack mentions, @names and known names become
 * "the team"), no Slack links (a non-Slack `<url|label>` keeps its label as plain text), no channel
 * or group mentions, no code blocks, inline code or pasted command lines, and no secrets.
 */
export function sanitizeForPublic(text: string, knownNames?: string[]): string {
  const lines = linesOutsideFences(text.replaceAll(GONE, "")).filter((line) => !COMMAND.test(line.replace(BLOCK_MARKER, "").trim()));
  let out = lines.join("\n");

  // Inline code: a command becomes "a command" so the sentence still reads; anything else (a config
  // key, a hostname) is internal detail and goes.
  out = out.replace(/`([^`\n]*)`/g, (_, code: string) => (COMMAND.test(code.trim()) ? "a command" : ""));

  // Slack's own markup: <url|label>, <#C123|channel>, <!here>, <!subteam^S1|@sre>, <!date^...|fallback>.
  out = out.replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_, url: string, label: string | undefined) => (isSlackUrl(url) ? GONE : (label ?? url)));
  out = out.replace(/<#[A-Z0-9]+(?:\|[^>]*)?>/g, GONE);
  out = out.replace(/<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>/g, THE_TEAM);
  out = out.replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1");
  out = out.replace(/<!(?:here|channel|everyone)(?:\|[^>]*)?>/g, "");
  // Markdown links and bare URLs pointing into Slack.
  out = out.replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (link, _label: string, url: string) => (isSlackUrl(url) ? GONE : link));
  out = out.replace(/(?<![\w.-])(?:https?:\/\/)?(?:[\w-]+\.)*(?:slack\.com|slack-edge\.com|slack-files\.com)(?:\/[^\s)>\]]*)?/gi, GONE);
  out = dropRemovedLinks(out);

  // People.
  out = out.replace(new RegExp(SLACK_MENTION, "g"), THE_TEAM);
  out = out.replace(new RegExp(AT_NAME, "g"), THE_TEAM);
  const knownSource = knownNamesSource(knownNames);
  if (knownSource) out = out.replace(new RegExp(knownSource, "gi"), THE_TEAM);

  out = redactSecrets(out).text;
  return tidy(out);
}

/**
 * Removes the words that only pointed at a removed link: "See <thread> and <status page>." reads
 * "See status page.", and "Details: <thread>." goes altogether.
 */
function dropRemovedLinks(text: string): string {
  const lead = String.raw`(?:see|also|more|details|context|discussion|thread|link|links|here|there|in|at|on|via|per|from|the|is|are|was)`;
  return (
    text
      // Several removed links in a row count as one.
      .replace(new RegExp(`${GONE}(?:\\s*(?:,|and|or|&)?\\s*${GONE})+`, "g"), GONE)
      // "X and <gone>", "<gone>, X": drop the conjunction with the link.
      .replace(new RegExp(`${GONE}[ \\t]*(?:,|\\band\\b|\\bor\\b)[ \\t]*`, "gi"), `${GONE} `)
      .replace(new RegExp(`[ \\t]*(?:,|\\band\\b|\\bor\\b)[ \\t]*${GONE}`, "gi"), ` ${GONE}`)
      // A sentence that was only a pointer ("See <gone>.", "Thread: <gone>") goes with its full stop.
      .replace(new RegExp(`(^|[.!?][ \\t]+|\\n[ \\t]*(?:(?:[-*+>]|\\d+[.)])[ \\t]+)?)(?:${lead}\\b[ \\t]*:?[ \\t]*)*${GONE}[ \\t]*(?:[.!?:]|(?=\\n|$))[ \\t]*`, "gi"), "$1")
      // Elsewhere the link goes with the preposition that introduced it: "as discussed in <gone> earlier".
      .replace(new RegExp(`(?:[ \\t]+(?:in|at|on|via|per|from)\\b)?[ \\t]*:?[ \\t]*${GONE}`, "gi"), "")
  );
}

/** Repairs what the removals leave behind: doubled "the team", stray spaces and punctuation, empty items. */
function tidy(text: string): string {
  const repaired = text
    // "Alice, Bob and Carol" all became "the team": say it once.
    .replace(/\bthe team(?:(?:\s*,\s*|\s+and\s+|\s*&\s*|\s*\/\s*)(?:the team))+/gi, THE_TEAM)
    .replace(/\(\s*\)|\[\s*\]/g, "")
    .replace(/(\S)[ \t]{2,}/g, "$1 ")
    .replace(/[ \t]+([,.;:!?])/g, "$1")
    .replace(/([,;])(?:\s*[,;])+/g, "$1")
    .replace(/[,;]\s*([.!?])/g, "$1")
    .replace(/[ \t]+$/gm, "")
    // "the team" that now starts the text, a sentence, a line, a list item or a heading.
    .replace(/(^\s*|[.!?][ \t]+|\n[ \t]*)((?:(?:[-*+>]|#{1,6}|\d+[.)])[ \t]+)?)the team\b/g, (_, before: string, marker: string) => `${before}${marker}The team`);
  return repaired
    .split("\n")
    // List items and quotes that held only a mention or a link.
    .filter((line) => !/^\s*(?:[-*+>]|\d+[.)])\s*$/.test(line))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A customer-facing Markdown summary of the incident, with people, Slack links and commands removed. */
export function publicSummary(parts: PublicSummaryParts, options: BlamelessOptions = {}): string {
  const clean = (text: string) => sanitizeForPublic(text, options.knownNames) || "_Details to follow._";
  const title = sanitizeForPublic(parts.title, options.knownNames).replace(/\s*\n\s*/g, " ") || "Incident summary";
  return [
    `# ${title}`,
    "## Summary",
    clean(parts.summary),
    "## Impact",
    clean(parts.impact),
    "## Resolution",
    clean(parts.resolution),
    "## What we are doing to prevent a repeat",
    clean(parts.prevention),
  ].join("\n\n") + "\n";
}
