// Secrets people paste into an incident channel (a token in a curl line, a connection string, a key
// file) are replaced before anything is stored or logged. It runs on every message, so it has to be
// cheap and can never be made slow by what someone pastes:
//  - each rule names a few lower-case keywords (a token's prefix, a header's name) and runs only when
//    one is in the message, as gitleaks does;
//  - every pattern is anchored where a token can begin (a lookbehind of one character) and every
//    repetition is bounded, so a 40,000-character message costs a few linear passes, not a
//    backtracking blow-up.
// The formats come from the providers' documentation and public secret-scanner rule sets (gitleaks,
// secretlint). What is redacted keeps its context (`password=[REDACTED]`, the PEM header and footer)
// so the line still reads; references to where a secret lives (`$VAR`, `process.env.X`, vault paths,
// placeholders such as `<redacted>` or `changeme`) are left as they are.
// This file is the engine; the rules are data in ./redaction/rules.ts (built with ./redaction/rule.ts).

import {
  ASSIGNMENT_KEYWORDS,
  assignmentKind,
  hasDigitAndLetter,
  isSecretName,
  isSessionName,
  looksLikeProse,
  realValue,
} from "./redaction/values.js";
import { REDACTED, type Rule } from "./redaction/rule.js";
import { IN_CONTEXT, SELF_EVIDENT } from "./redaction/rules.js";

// `name = value` in any of the usual spellings: shell, env files, YAML, JSON, logfmt, query strings,
// connection strings, HTTP headers. The name decides, the value must look real. Only the name and
// separator are consumed by the scan, so an assignment nested in another's value
// (`postgresql://h/db?password=...`) is still seen; the value is read only after a secret's name.
const NAME_AND_SEPARATOR =
  /(?<![\w.$-])(?<!\$\{)(?<open>["']?)(?<name>[A-Za-z_][\w.-]{0,80})\k<open>[ \t]{0,3}(?<sep>:=|=>|=|:)[ \t]{0,3}/g;
const VALUE = /(?<q>["'])(?<quoted>[^"'\r\n]{1,512})\k<q>|(?<bare>[^\s"'`,;&<>|()[\]{}]{1,512})/y;

const assignmentKinds = ["password assignment", "token assignment", "key assignment", "secret assignment", "session cookie"];

function redactAssignments(text: string, found: Set<string>): string {
  const pattern = new RegExp(NAME_AND_SEPARATOR);
  const valuePattern = new RegExp(VALUE);
  let out = "";
  let copied = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const { name = "", sep = "" } = m.groups!;
    if (!isSecretName(name) && !isSessionName(name)) continue;
    // In a colon-delimited identifier (an ARN such as `...:secret:stripe-live`) the name is a field.
    if (sep === ":" && text[m.index - 1] === ":") continue;
    valuePattern.lastIndex = pattern.lastIndex;
    const v = valuePattern.exec(text);
    if (!v) continue;
    const quoted = v.groups!.quoted;
    const value = quoted ?? v.groups!.bare ?? "";
    const valueStart = v.index + (quoted === undefined ? 0 : 1);
    const valueEnd = valueStart + value.length;
    const after = text.slice(v.index + v[0].length, v.index + v[0].length + 2);
    if (value.length < 4 || !realValue(value)) continue;
    // `password= host=db`: the value is empty and what follows is the next assignment.
    if (quoted === undefined && /[ \t]$/.test(m[0]) && /^[A-Za-z_][\w.-]*[:=]/.test(value)) continue;
    if (isSessionName(name) && !(value.length >= 16 && hasDigitAndLetter(value))) continue;
    if (quoted === undefined && (after.startsWith("(") || after.startsWith("["))) continue;
    if (looksLikeProse(value, sep, after)) continue;
    found.add(assignmentKind(name));
    out += text.slice(copied, valueStart) + REDACTED;
    copied = valueEnd;
    pattern.lastIndex = v.index + v[0].length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export interface RedactionResult {
  text: string;
  /** What kinds of secret were found (for a note to the channel), empty when none. */
  kinds: string[];
}

/** Every rule in the order it runs, built once: redactSecrets runs on every message. */
const RULES: readonly Rule[] = [...SELF_EVIDENT, ...IN_CONTEXT];

export function redactSecrets(input: string): RedactionResult {
  let text = input;
  const lower = input.toLowerCase();
  const found = new Set<string>();
  for (const rule of RULES) {
    if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    const next = rule.apply(text);
    if (next !== text) {
      found.add(rule.kind);
      text = next;
    }
  }
  if (ASSIGNMENT_KEYWORDS.some((keyword) => lower.includes(keyword))) text = redactAssignments(text, found);
  return { text, kinds: [...found] };
}

const FILE_NAME_RULES = SELF_EVIDENT.flatMap((rule) => (rule.inFileNames ? [rule.inFileNames] : []));

/**
 * A shared file's name, as it is stored and shown: what redactSecrets finds, and the credentials it
 * recognises by themselves also where a file name joins them to other words with `-`, `_` or `.`
 * (`deploy-ghp_….txt`, `backup_sk_live_….json`).
 */
export function redactFileName(name: string): string {
  let text = redactSecrets(name).text;
  const lower = text.toLowerCase();
  for (const rule of FILE_NAME_RULES) if (rule.keywords.some((keyword) => lower.includes(keyword))) text = rule.apply(text);
  return text;
}

/**
 * A shared file's address: Slack's permalinks end in the file's name (`…/files/U1/F2/<name>`), so each
 * path segment is redacted as a file name; the rest as any text (a signed URL's signature).
 */
export function redactFileUrl(url: string): string {
  const text = redactSecrets(url).text;
  const pathStart = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(text)?.[0].length ?? 0;
  const pathEnd = text.slice(pathStart).search(/[?#]/);
  const end = pathEnd < 0 ? text.length : pathStart + pathEnd;
  const redactedPath = text
    .slice(pathStart, end)
    .split("/")
    .map((segment) => {
      let name: string;
      try {
        name = decodeURIComponent(segment);
      } catch {
        return segment;
      }
      const clean = redactFileName(name);
      return clean === name ? segment : encodeURIComponent(clean);
    })
    .join("/");
  return text.slice(0, pathStart) + redactedPath + text.slice(end);
}

/** Every kind of secret the redactor can name (for documentation and tests). */
export const redactionKinds: readonly string[] = [...new Set([...SELF_EVIDENT, ...IN_CONTEXT].map((r) => r.kind).concat(assignmentKinds))];
