// The rules that read a message's structure rather than match one pattern: a Kubernetes Secret's
// values (YAML or JSON), and a secret given as the argument after its name to a setting command.
// The table (./rules.ts) runs them like any other rule.
import { REDACTED } from "./rule.js";
import { ASSIGNMENT_KEYWORDS, isSecretName, realValue } from "./values.js";

// The Kubernetes Secret rule works line by line: the values under `data:`/`stringData:` of a
// manifest that says `kind: Secret`, whatever their keys are called.
export function redactKubernetesSecretYaml(text: string): string {
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

export function redactKubernetesSecretJson(text: string): string {
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
export const SETTING_VERBS = ["set", "config", "put", "add", "store", "write", "mysqladmin"];
// (`mysqladmin ... password <new password>` takes its secret the same way.)
const SETTING_VERB = /(?<![\w-])(?:set|setx|config|configure|put|add|store|write|mysqladmin)(?![\w-])/gi;
const NAME_THEN_VALUE = new RegExp(
  String.raw`(?<open>["']?)(?<name>[A-Za-z_][\w.:/-]{0,100})\k<open>[ \t]{1,3}` +
    String.raw`(?<vq>["']?)(?<value>[^\s"'${"`"}<>]{4,512})\k<vq>(?=[\s;|&)]|$)`,
  "y",
);
/** How many words after the verb the name may come (`mysqladmin -h db -u root password <value>`: the fifth). */
const WORDS_AFTER_VERB = 5;

export function redactSecretArguments(text: string): string {
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
