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

import { escapeRegExp } from "./report/markdownText.js";

const REDACTED = "[REDACTED]";

interface Rule {
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
function regexRule(kind: string, keywords: readonly string[], pattern: RegExp, redact: (found: Found) => string | null): Rule {
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
function token(kind: string, keywords: readonly string[], body: string, accept?: (secret: string) => boolean): Rule {
  const rule = (before: string, after: string) =>
    regexRule(kind, keywords, new RegExp(`(?<![${before}])(?:${body})(?![${after}])`, "g"), ({ match }) =>
      accept && !accept(match) ? null : REDACTED,
    );
  return { ...rule(TOKEN_CHARS, TOKEN_CHARS), inFileNames: rule("A-Za-z0-9", "A-Za-z0-9") };
}

/** Base64 that decodes to text matching `pattern` (a credential file someone encoded). */
const decodesTo = (pattern: RegExp) => (base64: string) => pattern.test(Buffer.from(base64, "base64").toString("latin1"));

/**
 * A secret known by what comes before it: the pattern's `keep` group (a header, `AccountKey=`) stays,
 * its `secret` group is replaced, and its optional `tail` group stays.
 */
function afterContext(kind: string, keywords: readonly string[], pattern: RegExp, accept: (secret: string, found: Found) => boolean = realValue): Rule {
  return regexRule(kind, keywords, pattern, (found) => {
    const { keep = "", secret = "", tail = "" } = found.groups;
    return accept(secret, found) ? keep + REDACTED + tail : null;
  });
}

// ---------------------------------------------------------------------------------------------
// Telling a real value from a reference to one

const PLACEHOLDER_WORDS = new Set([
  "null", "nil", "none", "undefined", "true", "false", "yes", "no", "on", "off", "empty", "unset", "blank",
  "required", "optional", "changeme", "change_me", "change-me", "changeit", "redacted", "hidden", "masked",
  "removed", "omitted", "filtered", "secret", "password", "passwd", "token", "example", "placeholder", "dummy",
  "xxx", "string", "str", "int", "bool", "expired", "invalid", "revoked", "rotated", "missing", "wrong",
  "incorrect", "set", "updated", "changed", "reset", "ok", "done", "complete", "completed", "todo", "tbd",
  "n/a", "na", "basic", "bearer", "oidc", "ldap", "saml", "sso", "oauth", "oauth2", "env", "default",
]);

// Where a secret lives rather than what it is.
const REFERENCE_PREFIXES = [
  "$", "%", "{{", "<%", "#{", "process.env", "os.environ", "env.", "env(", "env[", "getenv", "secrets.", "vars.",
  ".values", "vault:", "ref+", "op://", "awssm", "arn:aws:", "sm://", "gcp:", "gcpsm", "azurekeyvault", "keyvault:",
  "@microsoft.keyvault", "secret/", "kv/", "projects/", "file:", "/", "./", "../", "~/", "-----", "[redacted]",
];

const MASK = /^(?:[*•·xX#.]{3,}|\*{3}.*|.*\*{3,}|<.*>|\(.*\)|\[.*\])$/;
const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const SENSITIVE_NAME_PART = /^(?:password|passwd|pwd|pass|secret|token|key|creds?|credentials?|auth)$/;

/** False for values that point at a secret, mask one, or hold a placeholder; true for the rest. */
function realValue(value: string): boolean {
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
  "password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey", "credential", "credentials",
  "creds", "privatekey", "secretkey", "accesskey", "authtoken", "pat", "pw", "requirepass", "masterauth",
]);
const FUSED_SECRET_ENDS = ["password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "secretkey", "accesskey"];
const KEY_QUALIFIERS = new Set([
  "api", "access", "secret", "private", "signing", "sign", "encryption", "enc", "master", "account", "auth", "client",
  "license", "licence", "service", "admin", "app", "application", "deploy", "webhook", "shared", "hmac", "storage",
  "subscription", "routing", "integration", "ingest", "write", "server", "session", "jwt", "cookie", "crypto", "aes",
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

function isSecretName(name: string): boolean {
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
function isSessionName(name: string): boolean {
  const last = nameWords(name).at(-1) ?? "";
  return /^(?:session|sessionid|sid|jsessionid|phpsessid)$/.test(last);
}

function assignmentKind(name: string): string {
  if (isSessionName(name)) return "session cookie";
  const last = nameWords(name).at(-1) ?? "";
  if (/pass|pwd/.test(last)) return "password assignment";
  if (last.endsWith("token") || last === "pat") return "token assignment";
  if (last.endsWith("key")) return "key assignment";
  return "secret assignment";
}

/** A word followed by more words after `name:` is a sentence ("password: rotated in 1Password"). */
function looksLikeProse(value: string, separator: string, after: string): boolean {
  return separator === ":" && /^[A-Za-z]+$/.test(value) && /^ [A-Za-z0-9]/.test(after);
}

// ---------------------------------------------------------------------------------------------
// Rules: the ones that recognise a credential by itself first, then the ones that need context.

function base64DecodesToDigits(segment: string): boolean {
  return /^\d{17,20}$/.test(Buffer.from(segment, "base64url").toString("latin1"));
}

const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);
const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);

const PEM = regexRule(
  "private key",
  ["private key"],
  /(?<head>-----BEGIN (?<label>[A-Z0-9]{1,20}(?: [A-Z0-9]{1,20}){0,3} )?PRIVATE KEY(?: BLOCK)?-----)(?<body>[\s\S]*?)(?<foot>-----END [A-Z0-9 ]{0,80}?PRIVATE KEY(?: BLOCK)?-----|$)/g,
  ({ groups }) => {
    const body = groups.body ?? "";
    const gap = body.includes("\n") ? "\n" : body.includes("\\n") ? "\\n" : " ";
    const foot = groups.foot || `-----END ${groups.label ?? ""}PRIVATE KEY-----`;
    return `${groups.head}${gap}${REDACTED}${gap}${foot}`;
  },
);

const SELF_EVIDENT: Rule[] = [
  PEM,
  token("age secret key", ["age-secret-key-1"], "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"),
  // chat
  token("Slack token", ["xox"], "xox[abposre]-[A-Za-z0-9-]{8,250}|xoxe\\.xox[bp]-[A-Za-z0-9-]{8,250}"),
  token("Slack app token", ["xapp-"], "xapp-\\d-[A-Za-z0-9-]{8,250}"),
  afterContext(
    "Slack webhook",
    ["hooks.slack.com"],
    /(?<keep>https?:\/\/hooks\.slack\.com\/)(?<secret>(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{8,300})/g,
    () => true,
  ),
  afterContext(
    "Discord webhook",
    ["discord"],
    /(?<keep>https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/)(?<secret>[\w-]{20,120})/g,
    () => true,
  ),
  afterContext(
    "Microsoft Teams webhook",
    ["webhook.office.com"],
    /(?<keep>https:\/\/[\w-]{1,64}\.webhook\.office\.com\/webhookb2\/)(?<secret>[\w@/-]{20,400})/g,
    () => true,
  ),
  token("Discord bot token", ["."], "[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}", (t) =>
    base64DecodesToDigits(t.slice(0, t.indexOf("."))),
  ),
  regexRule(
    "Telegram bot token",
    [":a"],
    /(?:(?<![\w-])|(?<=\/bot))\d{5,16}:A[A-Za-z0-9_-]{34}(?![\w-])/g,
    () => REDACTED,
  ),
  // version control
  token("GitHub token", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], "gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{40,255}"),
  token(
    "GitLab token",
    ["glpat-", "glrt-", "gldt-", "glptt-", "glft-", "glimt-", "glagent-", "gloas-", "glcbt-", "glsoat-", "glffct-", "gr1348941"],
    "gl(?:pat|rt|dt|ft|imt|soat|ffct)-[A-Za-z0-9_-]{20,300}(?:\\.[a-z0-9]{9})?|glptt-[a-f0-9]{40}|glagent-[\\w-]{50,300}|gloas-[\\w-]{64}|glcbt-[0-9a-zA-Z]{1,5}_[\\w-]{20,300}|GR1348941[\\w-]{20,300}",
  ),
  // cloud
  token("AWS access key", ["akia", "asia", "abia", "acca", "a3t", "agpa", "aida", "aroa", "anpa", "anva", "aipa"], "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}"),
  afterContext(
    "AWS secret key",
    ["aws"],
    /(?<keep>aws_?secret_?access_?key["']?[ \t]{0,3}[:=][ \t]{0,3}["']?)(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
  ),
  afterContext("signed URL signature", ["signature=", "security-token="], /(?<keep>[?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Goog-Signature|Signature)=)(?<secret>[A-Za-z0-9%+/=_-]{16,4096})/g),
  afterContext("Azure SAS signature", ["sig="], /(?<keep>[?&;]sig=)(?<secret>[A-Za-z0-9%+/=_-]{16,512})/g),
  afterContext(
    "Azure shared key",
    ["accountkey", "sharedaccesskey", "sharedsecret"],
    /(?<keep>(?<![A-Za-z])(?:AccountKey|SharedAccessKey|SharedSecret)[ \t]{0,2}=[ \t]{0,2})(?<secret>[A-Za-z0-9+/]{20,512}={0,2})/gi,
  ),
  token("Azure client secret", ["q~"], "[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}"),
  token("Google API key", ["aiza"], "AIza[0-9A-Za-z_-]{35}"),
  token("Google OAuth secret", ["gocspx-"], "GOCSPX-[A-Za-z0-9_-]{24,40}"),
  token("Google OAuth token", ["ya29."], "ya29\\.[A-Za-z0-9_-]{20,2048}"),
  token("Alibaba Cloud access key", ["ltai"], "LTAI[A-Za-z0-9]{12,30}"),
  token("DigitalOcean token", ["do"], "do[opr]_v1_[a-f0-9]{64}"),
  token("Heroku API key", ["hrku-"], "HRKU-[A-Za-z0-9_-]{20,100}"),
  token("Cloudflare origin CA key", ["v1.0-"], "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}"),
  // payments
  token("Stripe key", ["sk_", "rk_"], "(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,255}"),
  token("Stripe webhook secret", ["whsec_"], "whsec_[A-Za-z0-9+/=]{24,100}"),
  token("Square token", ["eaaa", "sq0"], "EAAA[A-Za-z0-9_-]{22,100}|sq0(?:atp|csp)-[A-Za-z0-9_-]{22,100}"),
  token("Shopify token", ["shpat_", "shpca_", "shppa_", "shpss_"], "shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}"),
  // AI
  token("Anthropic API key", ["sk-ant-"], "sk-ant-[a-z]{2,10}\\d{2}-[A-Za-z0-9_-]{20,300}"),
  token("OpenAI API key", ["sk-"], "sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,300}|sk-[A-Za-z0-9]{32,300}"),
  token("Hugging Face token", ["hf_", "api_org_"], "(?:hf|api_org)_[A-Za-z0-9]{30,40}"),
  token("Perplexity API key", ["pplx-"], "pplx-[A-Za-z0-9]{40,60}"),
  // email
  token("SendGrid API key", ["sg."], "SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}"),
  token("Mailgun API key", ["key-", "pubkey-"], "(?:pub)?key-[a-f0-9]{32}"),
  token("Mailchimp API key", ["-us"], "[a-f0-9]{32}-us\\d{1,2}"),
  token("Brevo API key", ["xkeysib-", "xsmtpsib-"], "x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}"),
  // infrastructure and developer tools
  token("Vault token", ["hvs.", "hvb.", "hvr."], "hv[sbr]\\.[A-Za-z0-9_-]{24,400}"),
  token("Vault token", ["s."], "s\\.[A-Za-z0-9]{24}", mixedCase),
  token("Doppler token", ["dp."], "dp\\.(?:pt|st|sa|ct|scim|audit)(?:\\.[a-z0-9_-]{1,40})?\\.[A-Za-z0-9]{40,44}"),
  token("Terraform Cloud token", ["atlasv1"], "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}"),
  token("npm token", ["npm_"], "npm_[A-Za-z0-9]{36}"),
  token("PyPI token", ["pypi-"], "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}|pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000}"),
  token("Docker Hub token", ["dckr_"], "dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,60}"),
  token("New Relic key", ["nrak-", "nrii-", "nrjs-", "nral"], "NR(?:AK|II|JS)-[A-Za-z0-9]{19,32}|[a-f0-9]{36}NRAL"),
  afterContext(
    "Sentry DSN",
    ["://"],
    /(?<keep>(?<![\w.+-])https?:\/\/)(?<secret>[a-f0-9]{32}(?::[a-f0-9]{32})?)(?<tail>@)/g,
    () => true,
  ),
  token("Sentry token", ["sntrys_", "sntryu_"], "sntryu_[a-f0-9]{64}|sntrys_[A-Za-z0-9+/=_]{50,600}"),
  token("Twilio API key", ["sk"], "SK[0-9a-fA-F]{32}"),
  token("Atlassian API token", ["atatt3", "atctt3"], "AT[AC]TT3[A-Za-z0-9_=-]{150,300}"),
  token("Linear API key", ["lin_api_", "lin_oauth_"], "lin_(?:api|oauth)_[A-Za-z0-9]{40,64}"),
  token("Grafana token", ["glsa_", "glc_", "eyjrijoi"], "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,3}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3}"),
  token("Databricks token", ["dapi"], "dapi[a-f0-9]{32}(?:-\\d)?"),
  token("Tailscale key", ["tskey-"], "tskey-(?:api|auth|client|webhook|scim)-[A-Za-z0-9]{6,40}-[A-Za-z0-9]{20,64}"),
  token("Pulumi token", ["pul-"], "pul-[a-f0-9]{40}"),
  token("Postman API key", ["pmak-"], "PMAK-[a-f0-9]{24}-[a-f0-9]{34}"),
  token("Supabase token", ["sbp_", "sb_secret_"], "sbp_[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,64}"),
  token("Figma token", ["figd_"], "figd_[A-Za-z0-9_-]{40,64}"),
  token("SonarQube token", ["sqp_", "squ_", "sqa_"], "sq[pua]_[a-f0-9]{40}"),
  token("PlanetScale token", ["pscale_"], "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}"),
  token("RubyGems API key", ["rubygems_"], "rubygems_[a-f0-9]{48}"),
  token("Notion token", ["ntn_", "secret_"], "ntn_\\d{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43}"),
  token("Dynatrace token", ["dt0c01."], "dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}"),
  token("Fly.io token", ["fo1_", "fm1", "fm2_"], "fo1_[A-Za-z0-9_-]{43}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,2000}={0,3}"),
  token("1Password token", ["ops_eyj"], "ops_eyJ[A-Za-z0-9+/]{250,4000}={0,3}"),
  token("Artifactory key", ["akcp", "cmvmd"], "AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59}"),
  token("Buildkite token", ["bkua_"], "bkua_[a-f0-9]{40}"),
  token("CircleCI token", ["ccipat_"], "CCIPAT_[A-Za-z0-9]{20,24}_[a-f0-9]{40}"),
  token("Render API key", ["rnd_"], "rnd_[A-Za-z0-9]{32}"),
  token("Netlify token", ["nfp_"], "nfp_[A-Za-z0-9]{36,40}"),
  token("Mapbox secret token", ["sk.eyj"], "sk\\.eyJ[A-Za-z0-9_-]{50,200}\\.[A-Za-z0-9_-]{20,30}"),
  token("JSON web token", ["eyj"], "eyJ[A-Za-z0-9_-]{8,4096}\\.eyJ[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{8,4096}"),
  // Credential files pasted base64-encoded, whatever key they sit under: a private key
  // ("-----BEGIN" encodes to "LS0tLS1CRUdJTi"), and a Docker config ('{"auths":' and its indented forms).
  token("private key (base64)", ["ls0tls1crudjti"], "LS0tLS1CRUdJTi[A-Za-z0-9+/]{16,65536}={0,2}", decodesTo(/PRIVATE KEY/)),
  token(
    "Docker config (base64)",
    ["eyjhdxrocyi6", "ewogicjhdxrocyi6", "ewoiyxv0ahmio", "eyaiyxv0ahmio"],
    "(?:eyJhdXRocyI6|ewogICJhdXRocyI6|ewoiYXV0aHMiO|eyAiYXV0aHMiO)[A-Za-z0-9+/]{16,65536}={0,2}",
    decodesTo(/"auths"\s*:/),
  ),
];

// The Kubernetes Secret rule works line by line: the values under `data:`/`stringData:` of a
// manifest that says `kind: Secret`, whatever their keys are called.
function redactKubernetesSecretYaml(text: string): string {
  if (!/kind:[ \t]*["']?Secret\b/.test(text)) return text;
  const lines = text.split("\n");
  let dataIndent = -1;
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (line.trim() === "" || line.trimStart().startsWith("```")) continue;
    if (blockIndent >= 0) {
      if (indent > blockIndent) {
        lines[i] = line.slice(0, indent) + REDACTED;
        continue;
      }
      blockIndent = -1;
    }
    if (dataIndent >= 0 && indent <= dataIndent) dataIndent = -1;
    if (dataIndent < 0) {
      const section = /^(\s*)(?:data|stringData):\s*$/.exec(line);
      if (section) dataIndent = section[1]!.length;
      continue;
    }
    const entry = /^(\s*[\w.-]{1,253}:[ \t]*)(.{1,65536})$/.exec(line);
    if (!entry) continue;
    const value = entry[2]!.trim();
    if (/^[|>][-+]?$/.test(value)) blockIndent = indent;
    else if (value !== REDACTED && realValue(value.replace(/^["']|["']$/g, ""))) lines[i] = entry[1] + REDACTED;
  }
  return lines.join("\n");
}

function redactKubernetesSecretJson(text: string): string {
  if (!/"kind"\s{0,3}:\s{0,3}"Secret"/.test(text)) return text;
  return text.replace(/("(?:data|stringData)"\s{0,3}:\s{0,3}\{)([^{}]{0,200000})\}/g, (_match, open: string, body: string) => {
    const clean = body.replace(/("[\w.-]{1,253}"\s{0,3}:\s{0,3}")([^"\\]{1,65536})"/g, (entry: string, key: string, value: string) =>
      realValue(value) ? `${key}${REDACTED}"` : entry,
    );
    return `${open}${clean}}`;
  });
}

// A secret given as the argument after its name, with no `=` or `:`, as setting commands take it:
// `aws configure set aws_secret_access_key <value>`, `npm|yarn config set npmAuthToken <value>`,
// `git config --global github.token <value>`, `redis-cli CONFIG SET requirepass <value>`, `setx
// API_TOKEN <value>`, `dotnet user-secrets set "Stripe:SecretKey" <value>`, `kubectl config set
// users.prod.token <value>`. The name is one of the few words after the setting verb and must name a
// secret; the word after it must look like a real value (not a reference, a flag or a plain word).
const SETTING_VERBS = ["set", "config", "put", "add", "store", "write", "mysqladmin"];
// (`mysqladmin ... password <new password>` takes its secret the same way.)
const SETTING_VERB = /(?<![\w-])(?:set|setx|config|configure|put|add|store|write|mysqladmin)(?![\w-])/gi;
const NAME_THEN_VALUE = new RegExp(
  String.raw`(?<open>["']?)(?<name>[A-Za-z_][\w.:/-]{0,100})\k<open>[ \t]{1,3}` +
    String.raw`(?<vq>["']?)(?<value>[^\s"'${"`"}<>]{4,512})\k<vq>(?=[\s;|&)]|$)`,
  "y",
);
/** How many words after the verb the name may come (`mysqladmin -h db -u root password <value>`: the fifth). */
const WORDS_AFTER_VERB = 5;

function redactSecretArguments(text: string): string {
  // Only worth a look when a secret's name could be there at all (as for assignments, below).
  const lower = text.toLowerCase();
  if (!ASSIGNMENT_KEYWORDS.some((keyword) => lower.includes(keyword))) return text;
  const edits: Array<{ from: number; to: number }> = [];
  const verbs = new RegExp(SETTING_VERB);
  const pair = new RegExp(NAME_THEN_VALUE);
  for (let verb = verbs.exec(text); verb; verb = verbs.exec(text)) {
    let at = verb.index + verb[0].length;
    for (let word = 0; word < WORDS_AFTER_VERB; word++) {
      while (text[at] === " " || text[at] === "\t") at++;
      if (at >= text.length || text[at] === "\n") break;
      pair.lastIndex = at;
      const found = pair.exec(text);
      const { name = "", value = "", vq = "" } = found?.groups ?? {};
      if (found && isSecretName(name) && realValue(value) && !value.startsWith("-") && !/^[a-z]+$/.test(value)) {
        const to = found.index + found[0].length - vq.length;
        edits.push({ from: to - value.length, to });
        verbs.lastIndex = found.index + found[0].length;
        break;
      }
      // On to the next word of the command.
      while (at < text.length && !/\s/.test(text[at]!)) at++;
    }
  }
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.from) + REDACTED + out.slice(edit.to);
  return out;
}

/** Keys Kubernetes Secrets, kubeconfigs and Helm values keep credential files under, base64-encoded. */
const CREDENTIAL_FILE_KEYS = [
  ".dockerconfigjson", ".dockercfg", "client-key-data", "ssh-privatekey", "tls.key", ".git-credentials", ".npmrc", ".netrc", ".pgpass",
  "credentials.json", "service-account.json", "key.json",
];
/** A secret store's flag that carries the value itself (see its rule below). */
const SECRET_VALUE_FLAG =
  /(?<keep>(?<![\w-])--(?:body|value|secret-string|secret-binary)(?:=|[ \t]{1,3})["']?)(?<secret>[^\s"'<>]{4,4096})/g;

const IN_CONTEXT: Rule[] = [
  { kind: "Kubernetes Secret", keywords: ["secret"], apply: (text) => redactKubernetesSecretJson(redactKubernetesSecretYaml(text)) },
  afterContext("Docker registry auth", ['"auth"'], /(?<keep>"auth"[ \t]{0,3}:[ \t]{0,3}")(?<secret>[A-Za-z0-9+/]{8,4096}={0,2})(?<tail>")/g),
  afterContext(
    "password in URL",
    ["://"],
    /(?<keep>(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/@<>|"'`]{0,128}:)(?<secret>[^\s/<>|"'`]{1,256})(?<tail>@)/g,
    (secret) => realValue(secret) && !secret.includes("@["),
  ),
  afterContext(
    "authorization header",
    ["authorization"],
    /(?<keep>(?<![\w-])(?:Proxy-)?Authorization["']?[ \t]{0,3}[:=][ \t]{0,3}["']?(?:(?:Basic|Bearer|Token|Digest|SSWS|Splunk|Negotiate|NTLM|ApiKey|Api-Key|GenieKey|Key|OAuth|JWT|token)[ \t]{1,3}(?:token=)?)?)(?<secret>[^\s"'`,<>]{8,4096})/gi,
  ),
  afterContext(
    "bearer token",
    ["bearer"],
    /(?<keep>(?<![\w-])Bearer[ \t]{1,3})(?<secret>[A-Za-z0-9._~+/-]{16,4096}=*)/gi,
    (secret) => realValue(secret) && hasDigitAndLetter(secret),
  ),
  afterContext(
    "curl user password",
    ["-u", "--user"],
    /(?<keep>(?<![\w-])(?:-u|--user)(?:[ \t]{1,3}|=)["']?[^\s:"'<>]{1,128}:)(?<secret>[^\s"'<>]{1,256})/g,
    (secret) => realValue(secret) && !/^\d+$/.test(secret),
  ),
  afterContext(
    "MySQL password",
    ["mysql"],
    /(?<keep>(?<![\w-])mysql(?:dump|admin|sh)?\b[^\n]{0,200}?[ \t]-p)(?<secret>[^\s-][^\s]{2,127})/g,
  ),
  afterContext(
    "password in command-line flag",
    ["pass", "redis-cli", "ldap"],
    /(?<keep>(?:(?<![\w-])-(?:storepass|keypass|srcstorepass|deststorepass|srckeypass|destkeypass|passin|passout)[ \t]{1,3}(?:pass:)?|\bredis-cli\b[^\n]{0,200}?[ \t]-a[ \t]{1,3}|\bldap[a-z]{0,10}\b[^\n]{0,200}?[ \t]-w[ \t]{1,3})["']?)(?<secret>[^\s"'-][^\s"']{0,255})/g,
  ),
  // `_auth` (base64 of user:password) and `_authToken`, scoped to a registry (`//host/:_auth=`) or not.
  afterContext(
    "npm registry auth",
    ["_auth"],
    /(?<keep>(?<![\w.-])_auth(?:Token)?(?:[ \t]{0,3}=[ \t]{0,3}|[ \t]{1,3})["']?)(?<secret>[^\s"']{8,512})/g,
    (secret) => realValue(secret) && !/^[a-z]+$/.test(secret),
  ),
  // Credential files under the keys Kubernetes Secrets, kubeconfigs and Helm values keep them in, as
  // base64: a Docker config, a client's private key, an SSH or TLS key, npm's, git's and netrc's files.
  afterContext(
    "credential file (base64)",
    ["dockerconfigjson", "dockercfg", "key-data", "privatekey", "tls.key", "credentials", ".npmrc", ".netrc", ".pgpass", "key.json"],
    new RegExp(
      String.raw`(?<keep>(?<![\w.-])["']?(?:${CREDENTIAL_FILE_KEYS.map(escapeRegExp).join("|")})["']?[ \t]{0,3}[:=][ \t]{0,3}["']?)` +
        String.raw`(?<secret>[A-Za-z0-9+/]{8,65536}={0,2})(?![A-Za-z0-9+/=])`,
      "g",
    ),
  ),
  // A secret store's command with the value as a flag: `gh secret set NAME --body <value>`, `az keyvault
  // secret set ... --value <value>`, `aws secretsmanager ... --secret-string <value>`, `aws ssm
  // put-parameter ... --type SecureString --value <value>`. The flag's name says nothing on its own.
  {
    kind: "secret in a secret store's command",
    keywords: ["--body", "--value", "--secret-"],
    apply: (text) =>
      text.replace(SECRET_VALUE_FLAG, (match, keep: string, secret: string, at: number) => {
        const line = text.slice(text.lastIndexOf("\n", at) + 1, (text.indexOf("\n", at) + 1 || text.length + 1) - 1);
        const secretStore = /(?<![\w-])(?:secrets?|secretsmanager|SecureString)(?![\w-])/i.test(line);
        return secretStore && realValue(secret) && !secret.startsWith("-") ? keep + REDACTED : match;
      }),
  },
  { kind: "secret argument after its name", keywords: SETTING_VERBS, apply: redactSecretArguments },
  afterContext("sshpass password", ["sshpass"], /(?<keep>\bsshpass[ \t]{1,3}-p[ \t]{0,3}["']?)(?<secret>[^\s"']{1,256})/g),
  afterContext(
    "secret in config key/value",
    ["value="],
    /(?<keep>\bkey[ \t]{0,3}=[ \t]{0,3}"(?<name>[\w.:-]{1,100})"[ \t]{1,10}value[ \t]{0,3}=[ \t]{0,3}")(?<secret>[^"]{1,512})(?<tail>")/gi,
    (secret, { groups }) => isSecretName(groups.name ?? "") && realValue(secret),
  ),
  afterContext(
    "secret in prose",
    ["pass", "pwd", "pw ", "token", "secret", "key"],
    /(?<keep>(?<![\w-])(?:password|passwd|passphrase|pwd|pw|token|secret|(?:api|access|secret|private|license|signing|encryption)[ \t]key|key)(?:[ \t]{1,3}(?:is|was|=)[ \t]{1,3}|:[ \t]{1,3}|[ \t]{1,3}))(?<secret>[A-Za-z0-9_+/=.!#%^*~$-]{6,256})(?![A-Za-z0-9_+/=.!#%^*~$-])/gi,
    (secret, { groups }) => {
      if (!realValue(secret) || !hasDigitAndLetter(secret)) return false;
      const keep = groups.keep ?? "";
      // "password is S3cret!" reads as a disclosure; "api key: <random>" when the word is mixed like a key;
      // a bare "token <random>" only when the word is long and mixed.
      if (/(?:is|was|=)[ \t]*$/i.test(keep)) return true;
      if (/:[ \t]*$/.test(keep)) return !/^key:/i.test(keep) && secret.length >= 8 && mixedCase(secret);
      return secret.length >= 20 && mixedCase(secret);
    },
  ),
  afterContext("netrc password", ["machine"], /(?<keep>\bmachine[ \t]+\S{1,255}[ \t]+login[ \t]+\S{1,255}[ \t]+password[ \t]+)(?<secret>\S{1,255})/g),
  afterContext(
    "secret in command-line flag",
    ["--"],
    /(?<keep>(?<![\w-])--(?<name>[A-Za-z][\w-]{0,60})(?<sep>=|[ \t]{1,3})["']?)(?<secret>[^\s"'<>]{4,512})/g,
    (secret, { groups }) =>
      isSecretName(groups.name ?? "") &&
      realValue(secret) &&
      !secret.startsWith("-") &&
      // `--secret id=npmrc,src=...` describes a secret; `--token flag` after a space is prose.
      !/^\w+=[^=]/.test(secret) &&
      !(groups.sep !== "=" && /^[a-z]+$/.test(secret)),
  ),
];

// `name = value` in any of the usual spellings: shell, env files, YAML, JSON, logfmt, query strings,
// connection strings, HTTP headers. The name decides, the value must look real. Only the name and
// separator are consumed by the scan, so an assignment nested in another's value
// (`postgresql://h/db?password=...`) is still seen; the value is read only after a secret's name.
const NAME_AND_SEPARATOR = /(?<![\w.$-])(?<!\$\{)(?<open>["']?)(?<name>[A-Za-z_][\w.-]{0,80})\k<open>[ \t]{0,3}(?<sep>:=|=>|=|:)[ \t]{0,3}/g;
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

const ASSIGNMENT_KEYWORDS = ["pass", "pwd", "pw", "secret", "token", "key", "cred", "auth", "pat", "sid", "session"];

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
