// Times as responders type them ("17:32", "yesterday 23:10", "10m ago"), read in the team's IANA
// time zone. Rules decided here:
// - Input must match one accepted form as a whole (no loose "first number wins" parsing): the
//   `/incident log at ...` command tries ever shorter runs of words, so a strict parser is what
//   separates the time from the text.
// - A clock time without a day is today in the zone. If that is in the future it is refused, never
//   silently moved to yesterday: a wrong guess would put the entry on the wrong day of the record.
// - Anything more than 60 s after `now` is refused (the 60 s allow for clocks a little apart).
// - Local times that do not exist or happen twice resolve as ./wallClock.ts says.
import type { TimeProblem } from "../errors.js";
import { addCalendarDays, type ClockTime, FUTURE_TOLERANCE_MS, isRealDate, resolveWallClock, showClock, wallClockAt } from "./wallClock.js";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "./durations.js";
import { assertTimeZone } from "./format.js";

export type TimeParseResult = { ok: true; at: Date } | { ok: false; problem: TimeProblem };
export interface ParseOptions {
  now: Date;
  timeZone: string;
}

/** Normalises what people type: case and surrounding or repeated spaces. */
export const normalise = (input: string) => input.trim().toLowerCase().replace(/\s+/g, " ");

/** `17:32`, `17:32:05`, `5:32pm`, `5 pm`, `5:32 p.m.`. A bare number ("17") is not a time: too easy to misread. */
function parseClock(text: string): ClockTime | null {
  const match = /^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)? ?(am|pm|a\.m\.?|p\.m\.?)?$/.exec(text);
  if (!match) return null;
  const [, h, m, s, meridiem] = match;
  if (m === undefined && !meridiem) return null;
  let hour = Number(h);
  const minute = m === undefined ? 0 : Number(m);
  const second = s === undefined ? 0 : Number(s);
  if (minute > 59 || second > 59) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    // 12am is midnight and 12pm is noon.
    hour = (hour % 12) + (meridiem.startsWith("p") ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  return { hour, minute, second };
}

// Maps rather than object literals, so typed words such as "constructor" can't hit Object.prototype.
const RELATIVE_UNITS = new Map<string, number>(
  Object.entries({
    s: SECOND_MS,
    sec: SECOND_MS,
    secs: SECOND_MS,
    second: SECOND_MS,
    seconds: SECOND_MS,
    m: MINUTE_MS,
    min: MINUTE_MS,
    mins: MINUTE_MS,
    minute: MINUTE_MS,
    minutes: MINUTE_MS,
    h: HOUR_MS,
    hr: HOUR_MS,
    hrs: HOUR_MS,
    hour: HOUR_MS,
    hours: HOUR_MS,
    d: DAY_MS,
    day: DAY_MS,
    days: DAY_MS,
  }),
);

/** `10m ago`, `1h30m ago`, `1 hour 30 minutes ago`, `an hour ago`: the duration in ms, or null. */
function parseAgo(text: string): number | null {
  const body = /^(.+?) ?ago$/.exec(text)?.[1];
  if (!body) return null;
  const part = /(\d+|an?) ?([a-z]+)(?:,? (?:and )?|(?=\d)|$)/y;
  let total = 0;
  let matched = 0;
  while (part.lastIndex < body.length) {
    const match = part.exec(body);
    if (!match) return null;
    const unit = RELATIVE_UNITS.get(match[2]!);
    if (unit === undefined) return null;
    total += (/^\d+$/.test(match[1]!) ? Number(match[1]) : 1) * unit;
    matched++;
  }
  return matched > 0 ? total : null;
}

const OFFSET = String.raw`(z|[+-]\d{2}(?::?\d{2})?)`;
const ISO_WITH_OFFSET = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)? ?${OFFSET}$`);
const DATE_THEN_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:t| (?:at )?)(.+)$/;

/** An ISO timestamp that carries its own offset: the zone setting does not apply. */
function parseIsoWithOffset(text: string): Date | "invalid" | null {
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, ms, offset] = match;
  const date = { year: Number(y), month: Number(mo), day: Number(d) };
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (!isRealDate(date) || hour > 23 || minute > 59 || second > 59) return "invalid";
  let offsetMinutes = 0;
  if (offset && offset !== "z") {
    const sign = offset.startsWith("-") ? -1 : 1;
    const digits = offset.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 14 || om > 59) return "invalid";
    offsetMinutes = sign * (oh * 60 + om);
  }
  const millis = ms === undefined ? 0 : Number(ms.padEnd(3, "0"));
  return new Date(Date.UTC(date.year, date.month - 1, date.day, hour, minute, second, millis) - offsetMinutes * MINUTE_MS);
}

const unreadable = (input: string): { ok: false; problem: TimeProblem } => ({
  ok: false,
  problem: { code: "time_unreadable", typed: input.trim() },
});

function checkNotFuture(at: Date, options: ParseOptions): TimeParseResult {
  if (at.getTime() <= options.now.getTime() + FUTURE_TOLERANCE_MS) return { ok: true, at };
  return { ok: false, problem: { code: "time_in_future", at, now: options.now } };
}

/**
 * Reads a time a responder typed, in the team's zone. Accepted: `now`, `17:32`, `17:32:05`, `5:32pm`,
 * `5pm`, `today 09:00`, `yesterday 23:10` (also `23:10 yesterday`), `2025-08-12 17:32`,
 * `2025-08-12T17:32`, ISO with offset (`2025-08-12T17:32:00+01:00`, `2025-08-12T16:32Z`), and
 * `10m ago`, `10 min ago`, `1h30m ago`, `90s ago`, `3 hours ago`, `an hour ago`.
 */
export function parseTimeExpression(input: string, options: ParseOptions): TimeParseResult {
  const { now, timeZone } = options;
  assertTimeZone(timeZone);
  const text = normalise(input);
  if (!text) return unreadable(input);

  if (text === "now" || text === "just now") return { ok: true, at: new Date(now.getTime()) };

  const ago = parseAgo(text);
  if (ago !== null) return { ok: true, at: new Date(now.getTime() - ago) };

  const iso = parseIsoWithOffset(text);
  if (iso === "invalid") return unreadable(input);
  if (iso) return checkNotFuture(iso, options);

  // A date and a clock without an offset: that wall clock in the team's zone.
  const dated = DATE_THEN_CLOCK.exec(text);
  if (dated) {
    const date = { year: Number(dated[1]), month: Number(dated[2]), day: Number(dated[3]) };
    const clock = parseClock(dated[4]!);
    if (!clock || !isRealDate(date)) return unreadable(input);
    return checkNotFuture(resolveWallClock({ ...date, ...clock }, timeZone, now), options);
  }

  // A clock with an optional day word before (`yesterday 23:10`, `today at 9am`) or after it.
  const dayWord = /^(today|yesterday) (?:at )?(.+)$/.exec(text) ?? /^()(.+?) (today|yesterday)$/.exec(text);
  const day = dayWord ? dayWord[1] || dayWord[3] : "today";
  const clock = parseClock(dayWord ? dayWord[2]! : text);
  if (!clock) return unreadable(input);

  const today = wallClockAt(now, timeZone);
  const date = day === "yesterday" ? addCalendarDays(today, -1) : today;
  const at = resolveWallClock({ ...date, ...clock }, timeZone, now);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    // Deliberately not rolled back to yesterday: say so and show how to ask for yesterday.
    return { ok: false, problem: { code: "clock_in_future", now, clock: showClock(clock) } };
  }
  return { ok: true, at };
}
