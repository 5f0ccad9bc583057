// How long something took, as the report and Slack show it ("1 h 12 min").
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../time/durations.js";

// Unit sizes in seconds.
const DURATION_UNITS = [
  ["d", DAY_MS / SECOND_MS],
  ["h", HOUR_MS / SECOND_MS],
  ["min", MINUTE_MS / SECOND_MS],
  ["s", 1],
] as const;

/** "1 h 12 min", "45 s", "2 d 3 h": the largest unit and the next one down, unless that is zero. */
export function renderDuration(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let remaining = Math.round(Math.abs(ms) / SECOND_MS);
  const counts = DURATION_UNITS.map(([unit, size]) => {
    const count = Math.floor(remaining / size);
    remaining -= count * size;
    return { unit, count };
  });
  const first = counts.findIndex((part) => part.count > 0);
  if (first < 0) return "0 s";
  const shown = counts.slice(first, first + 2).filter((part) => part.count > 0);
  return sign + shown.map((part) => `${part.count} ${part.unit}`).join(" ");
}
