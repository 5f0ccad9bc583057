// The signature-mismatch warning's rate limit: one line a minute, counting what it held back.
import { pino } from "pino";
import { signatureMismatchReporter } from "../../src/slack/signatureWarnings.js";

it("warns at once, then at most once a minute with the count since the last warning", () => {
  const lines: { signatureMismatches: number; msg: string }[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  let now = 1_000_000;
  const report = signatureMismatchReporter(logger, () => now);
  report();
  for (let i = 0; i < 499; i++) {
    now += 100;
    report();
  }
  expect(lines.map((l) => l.signatureMismatches)).toEqual([1]);
  now += 20_000;
  report();
  expect(lines.map((l) => l.signatureMismatches)).toEqual([1, 500]);
  expect(lines[1]!.msg).toMatch(
    /^500 request\(s\) with Slack's headers failed signature verification in the last 70 s and were answered 401: SLACK_SIGNING_SECRET/,
  );
});
