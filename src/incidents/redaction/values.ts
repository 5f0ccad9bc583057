// Telling a real secret from a reference to one (`$VAR`, a vault path, `changeme`), and which names
// hold secrets: shared by the rule table (./rules.ts) and the assignments scan (../redact.ts).

// ---------------------------------------------------------------------------------------------
// Telling a real value from a reference to one

const PLACEHOLDER_WORDS = new Set([
  "null",
  "nil",
  "none",
  "undefined",
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "empty",
  "unset",
  "blank",
  "required",
  "optional",
  "changeme",
  "change_me",
  "change-me",
  "changeit",
  "redacted",
  "hidden",
  "masked",
  "removed",
  "omitted",
  "filtered",
  "secret",
  "password",
  "passwd",
  "token",
  "example",
  "placeholder",
  "dummy",
  "xxx",
  "string",
  "str",
  "int",
  "bool",
  "expired",
  "invalid",
  "revoked",
  "rotated",
  "missing",
  "wrong",
  "incorrect",
  "set",
  "updated",
  "changed",
  "reset",
  "ok",
  "done",
  "complete",
  "completed",
  "todo",
  "tbd",
  "n/a",
  "na",
  "basic",
  "bearer",
  "oidc",
  "ldap",
  "saml",
  "sso",
  "oauth",
  "oauth2",
  "env",
  "default",
]);

// Where a secret lives rather than what it is.
const REFERENCE_PREFIXES = [
  "$",
  "%",
  "{{",
  "<%",
  "#{",
  "process.env",
  "os.environ",
  "env.",
  "env(",
  "env[",
  "getenv",
  "secrets.",
  "vars.",
  ".values",
  "vault:",
  "ref+",
  "op://",
  "awssm",
  "arn:aws:",
  "sm://",
  "gcp:",
  "gcpsm",
  "azurekeyvault",
  "keyvault:",
  "@microsoft.keyvault",
  "secret/",
  "kv/",
  "projects/",
  "file:",
  "/",
  "./",
  "../",
  "~/",
  "-----",
  "[redacted]",
];

const MASK = /^(?:[*•·xX#.]{3,}|\*{3}.*|.*\*{3,}|<.*>|\(.*\)|\[.*\])$/;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const SENSITIVE_NAME_PART = /^(?:password|passwd|pwd|pass|secret|token|key|creds?|credentials?|auth)$/;

/** False for values that point at a secret, mask one, or hold a placeholder; true for the rest. */
export function realValue(value: string): boolean {
  if (value.length === 0) return false;
  const lower = value.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return false;
  if (REFERENCE_PREFIXES.some((prefix) => lower.startsWith(prefix))) return false;
  if (lower.includes("${") || lower.includes("redacted")) return false;
  if (MASK.test(value) || ENV_NAME.test(value)) return false;
  if (/^\d{1,5}$/.test(value)) return false;
  // A Kubernetes-style resource name (`payments-db`, `smtp-relay-2`) names a secret rather than holding one.
  if (/^[a-z]{2,}(?:-[a-z]{2,})+(?:-\d+)?$/.test(value)) return false;
  // A resource name such as `payments-db-password` names a secret rather than holding one.
  const parts = lower.split(/[-_./:]/);
  if (parts.length > 1 && /^[a-z0-9_./:-]+$/.test(lower) && parts.some((p) => SENSITIVE_NAME_PART.test(p))) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Which names hold secrets (`DB_PASSWORD`, `apiKey`, `x-api-key`, `client_secret`)

const SECRET_NAME_ENDS = new Set([
  "password",
  "passwd",
  "pwd",
  "pass",
  "passphrase",
  "secret",
  "token",
  "apikey",
  "credential",
  "credentials",
  "creds",
  "privatekey",
  "secretkey",
  "accesskey",
  "authtoken",
  "pat",
  "pw",
  "requirepass",
  "masterauth",
]);
const FUSED_SECRET_ENDS = ["password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "secretkey", "accesskey"];
const KEY_QUALIFIERS = new Set([
  "api",
  "access",
  "secret",
  "private",
  "signing",
  "sign",
  "encryption",
  "enc",
  "master",
  "account",
  "auth",
  "client",
  "license",
  "licence",
  "service",
  "admin",
  "app",
  "application",
  "deploy",
  "webhook",
  "shared",
  "hmac",
  "storage",
  "subscription",
  "routing",
  "integration",
  "ingest",
  "write",
  "server",
  "session",
  "jwt",
  "cookie",
  "crypto",
  "aes",
]);
const AUTH_QUALIFIERS = new Set(["basic", "http", "proxy", "registry", "docker"]);
// Tokens that are not credentials: paging cursors and counters.
const HARMLESS_TOKEN_QUALIFIERS = new Set(["page", "next", "continuation", "cursor", "sync", "max", "min", "num", "count"]);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

// A pasted config or log repeats the same few names thousands of times.
const secretNameCache = new Map<string, boolean>();

export function isSecretName(name: string): boolean {
  let known = secretNameCache.get(name);
  if (known === undefined) {
    known = nameHoldsSecret(name);
    if (secretNameCache.size > 5_000) secretNameCache.clear();
    secretNameCache.set(name, known);
  }
  return known;
}

function nameHoldsSecret(name: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1);
  if (!last) return false;
  const qualifiers = words.slice(0, -1);
  if (qualifiers.some((w) => HARMLESS_TOKEN_QUALIFIERS.has(w))) return false;
  if (SECRET_NAME_ENDS.has(last)) return true;
  if (FUSED_SECRET_ENDS.some((end) => last.length > end.length && last.endsWith(end))) return true;
  if (last === "key") return qualifiers.some((w) => KEY_QUALIFIERS.has(w));
  // Rails' SECRET_KEY_BASE and the like.
  if (last === "base" && qualifiers.at(-1) === "key") return isSecretName(qualifiers.join("_"));
  if (last === "auth") return qualifiers.some((w) => AUTH_QUALIFIERS.has(w));
  return false;
}

/** Session cookies are bearer credentials too (`session=...`, `connect.sid=...`, `JSESSIONID=...`). */
export function isSessionName(name: string): boolean {
  const last = nameWords(name).at(-1) ?? "";
  return /^(?:session|sessionid|sid|jsessionid|phpsessid)$/.test(last);
}

export function assignmentKind(name: string): string {
  if (isSessionName(name)) return "session cookie";
  const last = nameWords(name).at(-1) ?? "";
  if (/pass|pwd/.test(last)) return "password assignment";
  if (last.endsWith("token") || last === "pat") return "token assignment";
  if (last.endsWith("key")) return "key assignment";
  return "secret assignment";
}

/** A word followed by more words after `name:` is a sentence ("password: rotated in 1Password"). */
export function looksLikeProse(value: string, separator: string, after: string): boolean {
  return separator === ":" && /^[A-Za-z]+$/.test(value) && /^ [A-Za-z0-9]/.test(after);
}

export const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);
export const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);

export const ASSIGNMENT_KEYWORDS = ["pass", "pwd", "pw", "secret", "token", "key", "cred", "auth", "pat", "sid", "session"];
