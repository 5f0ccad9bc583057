// Secrets people paste into an incident channel (a token in a curl line, a connection string)
// are replaced before anything is stored or logged. The patterns are the well-known shapes of
// each provider's credentials; a generic rule catches `password=...`-style assignments.

const REDACTED = "[REDACTED]";

interface Rule {
  kind: string;
  pattern: RegExp;
  /** Replacement for the whole match; `$<keep>` keeps a named prefix such as `password=`. */
  replace: string;
}

const rules: Rule[] = [
  { kind: "private key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: `-----BEGIN PRIVATE KEY----- ${REDACTED} -----END PRIVATE KEY-----` },
  { kind: "Slack token", pattern: /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { kind: "Slack app token", pattern: /\bxapp-\d-[A-Za-z0-9-]{8,}/g, replace: REDACTED },
  { kind: "Slack webhook", pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]+/g, replace: `https://hooks.slack.com/${REDACTED}` },
  { kind: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})/g, replace: REDACTED },
  { kind: "AWS access key", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, replace: REDACTED },
  { kind: "AWS secret key", pattern: /(?<keep>aws_?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40,}/gi, replace: `$<keep>${REDACTED}` },
  { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: REDACTED },
  { kind: "Stripe key", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g, replace: REDACTED },
  { kind: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  { kind: "password in URL", pattern: /(?<keep>\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@<>|]+:)[^\s@/<>|]+(?=@)/gi, replace: `$<keep>${REDACTED}` },
  { kind: "bearer token", pattern: /(?<keep>\b(?:Bearer|token)\s+)[A-Za-z0-9._~+/-]{16,}=*/g, replace: `$<keep>${REDACTED}` },
  {
    kind: "secret assignment",
    pattern: /(?<keep>\b[\w.-]*(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|private[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^\s"'&,;]{4,}/gi,
    replace: `$<keep>${REDACTED}`,
  },
];

export interface RedactionResult {
  text: string;
  /** What kinds of secret were found (for a note to the channel), empty when none. */
  kinds: string[];
}

export function redactSecrets(input: string): RedactionResult {
  let text = input;
  const kinds: string[] = [];
  for (const rule of rules) {
    const next = text.replace(rule.pattern, rule.replace);
    if (next !== text) {
      kinds.push(rule.kind);
      text = next;
    }
  }
  return { text, kinds };
}
