// The redaction rule table: data, read by the engine in ../redact.ts. Each format comes from the
// provider's documentation or a public secret-scanner rule set (gitleaks, secretlint).
import { afterContext, REDACTED, regexRule, type Rule, token } from "./rule.js";
import { hasDigitAndLetter, isSecretName, mixedCase, realValue } from "./values.js";
import { redactKubernetesSecretJson, redactKubernetesSecretYaml, redactSecretArguments, SETTING_VERBS } from "./structured.js";
import { escapeRegExp } from "../report/markdownText.js";

/** Base64 that decodes to text matching `pattern` (a credential file someone encoded). */
const decodesTo = (pattern: RegExp) => (base64: string) => pattern.test(Buffer.from(base64, "base64").toString("latin1"));

// ---------------------------------------------------------------------------------------------
// Rules: the ones that recognise a credential by itself first, then the ones that need context.

function base64DecodesToDigits(segment: string): boolean {
  return /^\d{17,20}$/.test(Buffer.from(segment, "base64url").toString("latin1"));
}

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

export const SELF_EVIDENT: Rule[] = [
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
  regexRule("Telegram bot token", [":a"], /(?:(?<![\w-])|(?<=\/bot))\d{5,16}:A[A-Za-z0-9_-]{34}(?![\w-])/g, () => REDACTED),
  // version control
  token(
    "GitHub token",
    ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    "gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{40,255}",
  ),
  token(
    "GitLab token",
    ["glpat-", "glrt-", "gldt-", "glptt-", "glft-", "glimt-", "glagent-", "gloas-", "glcbt-", "glsoat-", "glffct-", "gr1348941"],
    "gl(?:pat|rt|dt|ft|imt|soat|ffct)-[A-Za-z0-9_-]{20,300}(?:\\.[a-z0-9]{9})?|glptt-[a-f0-9]{40}|glagent-[\\w-]{50,300}|" +
      "gloas-[\\w-]{64}|glcbt-[0-9a-zA-Z]{1,5}_[\\w-]{20,300}|GR1348941[\\w-]{20,300}",
  ),
  // cloud
  token(
    "AWS access key",
    ["akia", "asia", "abia", "acca", "a3t", "agpa", "aida", "aroa", "anpa", "anva", "aipa"],
    "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}",
  ),
  afterContext(
    "AWS secret key",
    ["aws"],
    /(?<keep>aws_?secret_?access_?key["']?[ \t]{0,3}[:=][ \t]{0,3}["']?)(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
  ),
  afterContext(
    "signed URL signature",
    ["signature=", "security-token="],
    /(?<keep>[?&](?:X-Amz-Signature|X-Amz-Security-Token|X-Goog-Signature|Signature)=)(?<secret>[A-Za-z0-9%+/=_-]{16,4096})/g,
  ),
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
  afterContext("Sentry DSN", ["://"], /(?<keep>(?<![\w.+-])https?:\/\/)(?<secret>[a-f0-9]{32}(?::[a-f0-9]{32})?)(?<tail>@)/g, () => true),
  token("Sentry token", ["sntrys_", "sntryu_"], "sntryu_[a-f0-9]{64}|sntrys_[A-Za-z0-9+/=_]{50,600}"),
  token("Twilio API key", ["sk"], "SK[0-9a-fA-F]{32}"),
  token("Atlassian API token", ["atatt3", "atctt3"], "AT[AC]TT3[A-Za-z0-9_=-]{150,300}"),
  token("Linear API key", ["lin_api_", "lin_oauth_"], "lin_(?:api|oauth)_[A-Za-z0-9]{40,64}"),
  token(
    "Grafana token",
    ["glsa_", "glc_", "eyjrijoi"],
    "glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,3}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3}",
  ),
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

/** Keys Kubernetes Secrets, kubeconfigs and Helm values keep credential files under, base64-encoded. */
const CREDENTIAL_FILE_KEYS = [
  ".dockerconfigjson",
  ".dockercfg",
  "client-key-data",
  "ssh-privatekey",
  "tls.key",
  ".git-credentials",
  ".npmrc",
  ".netrc",
  ".pgpass",
  "credentials.json",
  "service-account.json",
  "key.json",
];
/** A secret store's flag that carries the value itself (see its rule below). */
const SECRET_VALUE_FLAG =
  /(?<keep>(?<![\w-])--(?:body|value|secret-string|secret-binary)(?:=|[ \t]{1,3})["']?)(?<secret>[^\s"'<>]{4,4096})/g;

export const IN_CONTEXT: Rule[] = [
  { kind: "Kubernetes Secret", keywords: ["secret"], apply: (text) => redactKubernetesSecretJson(redactKubernetesSecretYaml(text)) },
  afterContext(
    "Docker registry auth",
    ['"auth"'],
    /(?<keep>"auth"[ \t]{0,3}:[ \t]{0,3}")(?<secret>[A-Za-z0-9+/]{8,4096}={0,2})(?<tail>")/g,
  ),
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
  afterContext(
    "netrc password",
    ["machine"],
    /(?<keep>\bmachine[ \t]+\S{1,255}[ \t]+login[ \t]+\S{1,255}[ \t]+password[ \t]+)(?<secret>\S{1,255})/g,
  ),
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
