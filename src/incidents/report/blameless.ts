// Blameless language in post-incident reports.
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
// - Fenced code blocks, inline code and URLs are never matched; headings and tables are not prose.
import { knownNamesSource, personAtEnd, personAtStart, proseSentences } from "./markdownText.js";

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

// ---------------------------------------------------------------------------------------------
// Turning "forgot to renew the certificate" into "The certificate renewal"

// A Map, so a typed word such as "constructor" can't hit Object.prototype.
const NOUN_OF_VERB = new Map<string, string>(
  Object.entries({
    renew: "renewal",
    rotate: "rotation",
    deploy: "deployment",
    configure: "configuration",
    update: "update",
    upgrade: "upgrade",
    restart: "restart",
    review: "review",
    merge: "merge",
    migrate: "migration",
    approve: "approval",
    remove: "removal",
    install: "installation",
    release: "release",
    extend: "extension",
    revoke: "revocation",
    notify: "notification",
    announce: "announcement",
    document: "documentation",
    back: "backup",
    monitor: "monitoring",
    scale: "scaling",
    provision: "provisioning",
    patch: "patch",
  }),
);
const DOUBLES_LAST_LETTER = new Set([
  "run",
  "stop",
  "set",
  "get",
  "put",
  "plan",
  "ship",
  "tag",
  "log",
  "pin",
  "cut",
  "hit",
  "drop",
  "swap",
  "scan",
  "skip",
  "map",
  "let",
  "shut",
  "begin",
  "commit",
  "submit",
  "rerun",
  "reset",
]);

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
  const clause =
    text.split(
      /[,;:.!?()"“”]|\s(?:because|before|after|when|while|so|and|but|which|since|until|during|as|even|although|though|despite|with|by|for|using|via)\b/i,
    )[0] ?? "";
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

const SYSTEMIC_REWRITE =
  "describe what the system or process lacked (a check, an alert, a guard rail, a clearer runbook) rather than what a person did or didn't do";

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
        suggestion:
          "Say what happened and which safeguard was missing or didn't work, " +
          "e.g. “The change reached production without a review step that would have caught it.”",
      };
    },
  },
  {
    pattern: /\b(?:at fault|fault of)\b/gi,
    judge: ({ match, masked }) => {
      const after = masked.slice(match.index + match[0].length);
      // "the fault of the load balancer" is about a component; "the fault of the on-call engineer" is not.
      if (
        /^\s+(?:the|a|an|this|that|our|its)\s+(?!(?:on-?call\s+)?(?:team|engineer|developer|dev|operator|admin|sre|person|responder|intern|contractor|people|staff)\b)/i.test(
          after,
        )
      )
        return null;
      return {
        start: match.index,
        end: match.index + match[0].length,
        reason: "Assigns fault; a blameless review looks for the conditions that made the failure possible.",
        suggestion:
          "Say what happened and which safeguard was missing or didn't work, e.g. “Nothing checked the config before it was applied.”",
      };
    },
  },
  {
    pattern: /(?<!git\s)\bblam(?:e|ed|es|ing)\b/gi,
    judge: ({ match, masked }) => {
      // "No one is to blame", "we don't blame anyone": saying there is no blame is fine.
      if (/\b(?:no one|no-one|nobody|not|never|without)\b[^.]{0,20}$|n['’]t\s+(?:\w+\s+)?$/i.test(masked.slice(0, match.index)))
        return null;
      return {
        start: match.index,
        end: match.index + match[0].length,
        reason: "Blame points at people; it stops the search for the conditions that let the incident happen.",
        suggestion:
          "State what happened and what made it possible, e.g. “The migration locked the table because nothing limited its batch size.”",
      };
    },
  },
  {
    pattern: /\bshould(?:n['’]t| not)?\s+have\b|\bshould(?:n['’]t)?['’]ve\b/gi,
    judge: ({ match, masked }) => {
      const end = match.index + match[0].length;
      const action = clauseAfter(masked.slice(end));
      // "Every service should have a runbook" is about having something, not hindsight.
      if (
        /^should\s+have$/i.test(match[0]) &&
        /^(?:a|an|the|this|that|these|those|some|more|no|any|enough|its|their|our|his|her|my|your|one|two|three|several|many|fewer|less|better|clear|proper)\b/i.test(
          action,
        )
      )
        return null;
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
      suggestion:
        "Describe the action and its circumstances (time pressure, missing information, confusing tooling, no review) instead of judging it, " +
        "e.g. “The config change was applied by hand with no diff shown first.”",
    }),
  },
  {
    pattern: /\b(?:human|operator)[- ]errors?\b/gi,
    judge: ({ match }) => ({
      start: match.index,
      end: match.index + match[0].length,
      reason: "“Human error” is where an investigation starts, not its conclusion.",
      suggestion:
        "Name the conditions that made the error easy to make and hard to notice, e.g. “The command ran against production without a confirmation prompt.”",
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
        suggestion:
          "Describe the action and what made it easy to get wrong (a missing confirmation, an ambiguous UI, no review), " +
          "e.g. “The deploy tool accepted a config that failed validation.”",
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
        suggestion:
          `Describe what wasn't done${action ? ` (“${action}”)` : ""} and what made skipping it easy or reasonable at the time: ` +
          "time pressure, unclear ownership, nothing prompting it.",
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
        suggestion: /\bto$/i.test(match[0])
          ? manualStep(action)
          : action
            ? `Remembering “${action}” was left to a person; what would make it automatic or alerting?`
            : manualStep(""),
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
      const base = {
        start: person.start,
        end,
        reason: `Makes ${person.text} the cause; a blameless review asks what in the system let this happen.`,
      };
      if (verb === "broke" || verb === "caused") {
        return {
          ...base,
          suggestion:
            `Describe the change rather than who made it, e.g. “The change to … ${verb}${action ? ` ${action}` : ""}”, ` +
            "and ask what let it through unchecked (review, tests, a staged rollout).",
        };
      }
      if (/mistake|error|messed|screwed/.test(verb)) {
        return {
          ...base,
          suggestion:
            "Describe the action and what made it easy to get wrong (a missing confirmation, an ambiguous UI, no review) instead of who got it wrong.",
        };
      }
      return { ...base, suggestion: manualStep(action) };
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The check

/** Sentences that put the cause on a person, each with the phrase, why it matters and a systemic rewording. */
export function checkBlameless(markdown: string, options: BlamelessOptions = {}): BlamelessFinding[] {
  const knownSource = knownNamesSource(options.knownNames);
  const findings: BlamelessFinding[] = [];
  for (const sentence of proseSentences(markdown)) {
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
      findings.push({
        sentence: sentence.text,
        phrase: sentence.text.slice(hit.start, hit.end),
        reason: hit.reason,
        suggestion: hit.suggestion,
      });
    }
  }
  return findings;
}
