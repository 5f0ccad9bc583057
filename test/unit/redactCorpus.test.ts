// The redactor against the shared corpus: every fake secret in a real provider format is removed,
// every ordinary incident line comes through untouched, and what is kept still reads. Speed is
// measured by bench/redact.ts, not here.
import { redactFileName, redactFileUrl, redactionKinds, redactSecrets } from "../../src/incidents/redact.js";
import { fileNameCorpus, ordinaryFileNames, ordinaryLines, pathologicalMessages, secretCorpus } from "../fixtures/redaction/corpus.js";

const corpus = secretCorpus();

describe("the redaction corpus", () => {
  it("is broad enough to mean something", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(80);
    expect(new Set(corpus.map((s) => `${s.provider}/${s.format}`)).size).toBeGreaterThanOrEqual(40);
    expect(ordinaryLines.length).toBeGreaterThanOrEqual(100);
  });

  it("is the same on every run (seeded)", () => {
    expect(secretCorpus()).toEqual(corpus);
  });

  it("holds real secrets: the unredacted text contains every one", () => {
    for (const sample of corpus) for (const secret of sample.secrets) expect(sample.text).toContain(secret);
  });
});

describe("redactSecrets on real-format secrets", () => {
  it.each(corpus.map((s) => [`${s.provider} ${s.format}`, s] as const))("removes the %s", (_name, sample) => {
    const { text, kinds } = redactSecrets(sample.text);
    for (const secret of sample.secrets) expect(text).not.toContain(secret);
    expect(text).toContain("[REDACTED]");
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) expect(redactionKinds).toContain(kind);
  });

  it("gives the same text when run again on its own output", () => {
    for (const sample of corpus) {
      const once = redactSecrets(sample.text).text;
      expect(redactSecrets(once)).toEqual({ text: once, kinds: [] });
    }
  });
});

describe("redactSecrets on ordinary incident lines", () => {
  it.each(ordinaryLines.map((line) => [line]))("leaves %j alone", (line) => {
    expect(redactSecrets(line)).toEqual({ text: line, kinds: [] });
  });
});

describe("redactFileName on shared files' names", () => {
  const files = fileNameCorpus();

  it("holds real secrets: every one is in its name", () => {
    for (const sample of files) for (const secret of sample.secrets) expect(sample.text).toContain(secret);
  });

  it.each(files.map((s) => [`${s.provider} ${s.format}`, s] as const))("removes the %s", (_name, sample) => {
    const name = redactFileName(sample.text);
    for (const secret of sample.secrets) expect(name).not.toContain(secret);
    expect(name).toContain("[REDACTED]");
  });

  it.each(ordinaryFileNames.map((name) => [name]))("leaves %j alone", (name) => {
    expect(redactFileName(name)).toBe(name);
  });

  it("redacts the name in a file's permalink, and keeps the link to the file", () => {
    const [sample] = files;
    const url = `https://acme.slack.com/files/U0123ABCD/F0456EFGH/${encodeURIComponent(sample!.text)}`;
    const clean = redactFileUrl(url);
    expect(clean).toBe(`https://acme.slack.com/files/U0123ABCD/F0456EFGH/${encodeURIComponent(redactFileName(sample!.text))}`);
    for (const secret of sample!.secrets) expect(decodeURIComponent(clean)).not.toContain(secret);
    for (const name of ordinaryFileNames) {
      const ordinary = `https://acme.slack.com/files/U0123ABCD/F0456EFGH/${encodeURIComponent(name)}`;
      expect(redactFileUrl(ordinary)).toBe(ordinary);
    }
  });
});

describe("what redaction keeps", () => {
  const pw = ["S", "wordfish", "93", "!"].join("");

  it.each([
    [`password=${pw}`, "password=[REDACTED]"],
    [`Authorization: Basic ${Buffer.from(`deploy:${pw}`).toString("base64")}`, "Authorization: Basic [REDACTED]"],
    [`postgres://user:${pw}@host/db`, "postgres://user:[REDACTED]@host/db"],
    [`redis://:${pw}@cache:6379`, "redis://:[REDACTED]@cache:6379"],
    [`curl -u admin:${pw} https://x.internal`, "curl -u admin:[REDACTED] https://x.internal"],
    [`export DEPLOY_TOKEN=${pw}x`, "export DEPLOY_TOKEN=[REDACTED]"],
    [`{"user": "app", "password": "${pw}"}`, `{"user": "app", "password": "[REDACTED]"}`],
    [
      `AccountName=x;AccountKey=${"Ab1+".repeat(22)}==;EndpointSuffix=core.windows.net`,
      "AccountName=x;AccountKey=[REDACTED];EndpointSuffix=core.windows.net",
    ],
  ])("%j becomes %j", (input, expected) => {
    expect(redactSecrets(input).text).toBe(expected);
  });

  it("keeps a private key's header and footer and drops its body", () => {
    const body = "MIIEow" + "Ab3dE".repeat(40);
    const { text, kinds } = redactSecrets(`-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----`);
    expect(text).toBe("-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED]\n-----END OPENSSH PRIVATE KEY-----");
    expect(kinds).toEqual(["private key"]);
  });

  it("keeps a Kubernetes Secret's keys and drops its values", () => {
    const value = Buffer.from(pw).toString("base64");
    const manifest = `kind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${value}\n  host: ZGIuaW50ZXJuYWw=`;
    expect(redactSecrets(manifest).text).toBe("kind: Secret\nmetadata:\n  name: db\ndata:\n  password: [REDACTED]\n  host: [REDACTED]");
  });

  it("names what it found", () => {
    const gitlab = "glpat-" + "x1Y2z3".repeat(4);
    expect(redactSecrets(`token ${gitlab} and postgres://a:${pw}@h/db`).kinds).toEqual(["GitLab token", "password in URL"]);
  });
});

describe("redactSecrets on 40,000-character messages", () => {
  it.each(pathologicalMessages().map((m) => [m.name, m.text] as const))("returns for %s", (_name, text) => {
    const { text: out } = redactSecrets(text);
    expect(typeof out).toBe("string");
    expect(out.length).toBeGreaterThan(0);
  });

  it("still redacts in a long message", () => {
    const filler = "lorem ipsum ".repeat(3_000);
    const secret = "ghp_" + "aB3".repeat(12);
    expect(redactSecrets(filler + secret + filler).text).not.toContain(secret);
  });
});
