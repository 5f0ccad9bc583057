// What a redaction rule is, and the three ways the table (./rules.ts) builds one: a regex with its
// replacement, a credential recognisable by itself (a token), and a secret known by what comes
// before it. Why they are built this way (keywords, one-character lookbehinds, bounded repetition):
// src/incidents/redact.ts.
import { realValue } from "./values.js";

export const REDACTED = "[REDACTED]";

export interface Rule {
  kind: string;
  /** Lower-case substrings, one of which must be in the message for the rule to be worth running. */
  keywords: readonly string[];
  /** The text with this rule's secrets replaced (the same string when it found none). */
  apply: (text: string) => string;
  /** For a credential recognisable by itself: the same rule for file names (see redactFileName). */
  inFileNames?: Rule;
}

type Groups = Record<string, string | undefined>;

interface Found {
  match: string;
  groups: Groups;
  /** The characters right after the match (for telling prose from an assignment). */
  after: string;
}

/** Runs a global regex over the text; `redact` returns the match's replacement, or null to keep it. */
export function regexRule(kind: string, keywords: readonly string[], pattern: RegExp, redact: (found: Found) => string | null): Rule {
  return {
    kind,
    keywords,
    apply: (text) =>
      text.replace(pattern, (match: string, ...args: unknown[]) => {
        const groups = (args.at(-1) ?? {}) as Groups;
        const offset = args.at(-3) as number;
        const end = offset + match.length;
        return redact({ match, groups, after: text.slice(end, end + 2) }) ?? match;
      }),
  };
}

// Characters a token is made of: a token only starts where the one before is not one of them, which
// keeps each scan to one pass over every run of token characters.
const TOKEN_CHARS = "A-Za-z0-9_\\-";

/**
 * A credential recognisable by itself (a prefix and an alphabet): the whole of it is replaced. In a
 * file name words are joined by `_`, `-` and `.` (`deploy-ghp_….txt`), so there a token may start and
 * end at any character that is not a letter or digit.
 */
export function token(kind: string, keywords: readonly string[], body: string, accept?: (secret: string) => boolean): Rule {
  const rule = (before: string, after: string) =>
    regexRule(kind, keywords, new RegExp(`(?<![${before}])(?:${body})(?![${after}])`, "g"), ({ match }) =>
      accept && !accept(match) ? null : REDACTED,
    );
  return { ...rule(TOKEN_CHARS, TOKEN_CHARS), inFileNames: rule("A-Za-z0-9", "A-Za-z0-9") };
}

/**
 * A secret known by what comes before it: the pattern's `keep` group (a header, `AccountKey=`) stays,
 * its `secret` group is replaced, and its optional `tail` group stays.
 */
export function afterContext(
  kind: string,
  keywords: readonly string[],
  pattern: RegExp,
  accept: (secret: string, found: Found) => boolean = realValue,
): Rule {
  return regexRule(kind, keywords, pattern, (found) => {
    const { keep = "", secret = "", tail = "" } = found.groups;
    return accept(secret, found) ? keep + REDACTED + tail : null;
  });
}
