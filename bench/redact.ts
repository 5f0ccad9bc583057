// How well and how fast the secret redactor works, in figures: how many corpus secrets it catches,
// how many ordinary incident lines it alters, and how long 40,000-character pathological messages take
// (it runs on every stored message, so one slow message stalls everyone). Timings stay out of the tests.
// Run: npx tsx bench/redact.ts [path/to/other/redact.ts]  (the argument compares another version).
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { fileNameCorpus, ordinaryFileNames, ordinaryLines, pathologicalMessages, secretCorpus } from "../test/fixtures/redaction/corpus.js";
import { median, ms, table } from "./stats.js";

type Redactor = (input: string) => { text: string; kinds: string[] };
type FileNameRedactor = (name: string) => string;

const RUNS = 20;

async function loadRedactor(): Promise<{ redactSecrets: Redactor; redactFileName?: FileNameRedactor }> {
  const other = process.argv[2];
  return other
    ? ((await import(pathToFileURL(other).href)) as { redactSecrets: Redactor; redactFileName?: FileNameRedactor })
    : await import("../src/incidents/redact.js");
}

function corpusFigures(redact: Redactor) {
  const samples = secretCorpus();
  const missed = samples.filter((sample) => {
    const { text } = redact(sample.text);
    return sample.secrets.some((secret) => text.includes(secret));
  });
  const altered = ordinaryLines.filter((line) => redact(line).text !== line);
  const formats = new Set(samples.map((s) => `${s.provider}/${s.format}`)).size;
  const providers = new Set(samples.map((s) => s.provider)).size;
  return { samples, missed, altered, formats, providers };
}

function timeIt(redact: Redactor, text: string, budgetMs: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    redact(text);
    const elapsed = performance.now() - start;
    samples.push(elapsed);
    // A backtracking redactor takes seconds per run; a few runs tell the story.
    if (elapsed > budgetMs && i >= 2) break;
  }
  return samples;
}

const redactor = await loadRedactor();
const redact = redactor.redactSecrets;
// A version without redactFileName stored file names through redactSecrets.
const redactName: FileNameRedactor = redactor.redactFileName ?? ((name) => redact(name).text);
const { samples, missed, altered, formats, providers } = corpusFigures(redact);
const caughtPct = (100 * (samples.length - missed.length)) / samples.length;

console.log(
  `Secrets caught:      ${samples.length - missed.length}/${samples.length} (${caughtPct.toFixed(1)}%) across ${formats} formats from ${providers} providers`,
);
console.log(`Ordinary lines altered: ${altered.length}/${ordinaryLines.length}`);
for (const sample of missed) console.log(`  missed: ${sample.provider} ${sample.format}`);
for (const line of altered) console.log(`  altered: ${JSON.stringify(line)} -> ${JSON.stringify(redact(line).text)}`);
const fileNames = fileNameCorpus();
const missedNames = fileNames.filter((sample) => sample.secrets.some((secret) => redactName(sample.text).includes(secret)));
const alteredNames = ordinaryFileNames.filter((name) => redactName(name) !== name);
const caughtNames = `${fileNames.length - missedNames.length}/${fileNames.length}`;
console.log(`File names caught:   ${caughtNames}; ordinary file names altered: ${alteredNames.length}/${ordinaryFileNames.length}`);
for (const sample of missedNames) console.log(`  missed: ${sample.provider} ${sample.format}`);
for (const name of alteredNames) console.log(`  altered: ${JSON.stringify(name)} -> ${JSON.stringify(redactName(name))}`);

// Warm up the regular expressions once so the first timed run is not a compile.
redact(ordinaryLines.join("\n"));

// The everyday load: short messages, most with nothing to redact.
const everyday = [...ordinaryLines, ...samples.map((s) => s.text)];
const rounds = 50;
const start = performance.now();
for (let i = 0; i < rounds; i++) for (const message of everyday) redact(message);
const perMessageUs = ((performance.now() - start) * 1000) / (rounds * everyday.length);
console.log(`Everyday messages:   ${perMessageUs.toFixed(1)} µs per message on average (${everyday.length} corpus messages × ${rounds})`);
const rows: string[][] = [["40,000-character message", "runs", "median", "max"]];
for (const message of pathologicalMessages()) {
  const times = timeIt(redact, message.text, 1_000);
  rows.push([message.name, String(times.length), ms(median(times), 2), ms(Math.max(...times), 2)]);
}
console.log("");
console.log(table(rows));
