// The public 2i2c LEAP outage report in test/fixtures, read as the messages its timeline shows:
// each "### 5:32 PM" section of "Timeline (times in BST)" becomes one message at that BST time.
import { readFile } from "node:fs/promises";
import path from "node:path";

export interface FixtureMessage {
  /** As written in the report, e.g. "5:32 PM". */
  label: string;
  /** 24-hour BST clock time, e.g. "17:32". */
  clock: string;
  at: Date;
  text: string;
}

export async function readLeapOutageTimeline(): Promise<FixtureMessage[]> {
  const file = path.resolve(import.meta.dirname, "../fixtures/2025-08-12-leap-outage.md");
  const markdown = await readFile(file, "utf8");
  const timeline = markdown.split(/^## Timeline.*$/m)[1]?.split(/^## /m)[0] ?? "";
  return [...timeline.matchAll(/^### (\d{1,2}):(\d{2}) (AM|PM)\s*\n([\s\S]*?)(?=^### |(?![\s\S]))/gm)].map((m) => {
    const hour = (Number(m[1]) % 12) + (m[3] === "PM" ? 12 : 0);
    const minute = Number(m[2]);
    return {
      label: `${m[1]}:${m[2]} ${m[3]}`,
      clock: `${String(hour).padStart(2, "0")}:${m[2]}`,
      // 12 August 2025 is in British Summer Time, UTC+1.
      at: new Date(Date.UTC(2025, 7, 12, hour - 1, minute)),
      text: m[4]!.trim(),
    };
  });
}
