// The one place that knows about times: as responders type them ("17:32", "yesterday 23:10",
// "10m ago"), read in the team's IANA time zone; as they are shown back (formatMoment, and
// formatDueDate for due dates); the wall clock in a zone (with ZoneClock, its cached fast path for
// reports); the zone check config uses; and the duration constants the rest of the code counts in.
//
// Rules decided here:
// - Input must match one accepted form as a whole (no loose "first number wins" parsing): the
//   `/incident log at ...` command tries ever shorter runs of words, so a strict parser is what
//   separates the time from the text.
// - A clock time without a day is today in the zone. If that is in the future it is refused, never
//   silently moved to yesterday: a wrong guess would put the entry on the wrong day of the record.
// - Anything more than 60 s after `now` is refused (the 60 s allow for clocks a little apart).
// - A local time that does not exist (the spring-forward gap, e.g. 01:30 on 30 March 2025 in
//   Europe/London) resolves forward by the length of the gap (01:30 → 02:30 BST), as TZDate does.
// - A local time that happens twice (the fall-back hour) resolves to the later occurrence unless
//   that is in the future, then to the earlier one: the most recent past moment with that clock time.
// - An unknown time zone is a configuration error (config validates it), so it throws a RangeError.

import { TZDate, tzOffset } from "@date-fns/tz";
// The one function, not the package index: importing "date-fns" loads all of its ~250 modules (11 MiB resident).
import { format } from "date-fns/format";
import type { TimeProblem } from "./errors.js";

export type TimeParseResult = { ok: true; at: Date } | { ok: false; problem: TimeProblem };
export type DueDateParseResult = { ok: true; date: Date } | { ok: false; problem: TimeProblem };
export interface ParseOptions {
  now: Date;
  timeZone: string;
}

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** How far after `now` a typed time may be before it counts as "in the future". */
const FUTURE_TOLERANCE_MS = 60 * SECOND_MS;

/** Two digits for a clock or calendar field ("07"); hot in big reports, so no padStart. */
export const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/** A calendar date and clock reading in some zone. Month is 1-12. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}
type CalendarDate = Pick<WallClock, "year" | "month" | "day">;
type ClockTime = Pick<WallClock, "hour" | "minute" | "second">;

// ---------------------------------------------------------------------------------------------
// Formatting and zone names

/**
 * Formats an instant as wall-clock time in the zone with a date-fns pattern (default
 * "yyyy-MM-dd HH:mm"). For strings that are not read as times (file names, channel names); a
 * time shown to people goes through formatMoment, so it reads the same everywhere.
 */
export function formatInZone(at: Date, timeZone: string, pattern = "yyyy-MM-dd HH:mm"): string {
  assertTimeZone(timeZone);
  return format(new TZDate(at.getTime(), timeZone), pattern);
}

// The ways a moment is shown to people, by what the callers print; `zone` adds the zone's
// abbreviation, which a time shown alone always needs.
const MOMENT_STYLES = {
  /** "2025-08-12 17:32 BST": records, messages, refusals and the report's facts. */
  full: { pattern: "yyyy-MM-dd HH:mm", zone: true },
  /** "Tue 12 Aug 17:32 BST": the channel header, where the week day helps. */
  short: { pattern: "EEE d MMM HH:mm", zone: true },
  /** "17:32 BST": today's time. */
  time: { pattern: "HH:mm", zone: true },
  /** "2025-08-12 17:32": beside a zone named once for many times (the CLI's list). */
  plain: { pattern: "yyyy-MM-dd HH:mm", zone: false },
  /** "17:32": a clock to type, or a time under a heading that names the zone (see ZoneClock). */
  clock: { pattern: "HH:mm", zone: false },
  /** "Tuesday 12 August 2025": the report's day headings. */
  day: { pattern: "EEEE d MMMM yyyy", zone: false },
} as const;
export type MomentStyle = keyof typeof MOMENT_STYLES;

/** A moment as people read it, in the team's zone: see MOMENT_STYLES for each style's look. */
export function formatMoment(at: Date, timeZone: string, style: MomentStyle): string {
  const { pattern, zone } = MOMENT_STYLES[style];
  const shown = formatInZone(at, timeZone, pattern);
  return zone ? `${shown} ${zoneAbbreviation(at, timeZone)}` : shown;
}

/** A due date is a calendar day stored as UTC midnight: read it in UTC, never in the team's zone. */
export const formatDueDate = (date: Date) => date.toISOString().slice(0, 10);

// CLDR only gives a zone its familiar abbreviation in locales where it is in common use (BST only in
// en-GB, EDT only in en-US/en-CA, AEST only in en-AU, IST only in en-IN), so ask a few English
// locales in turn and keep the first real abbreviation; if none has one, the offset ("UTC+9") is
// the honest answer.
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-IE", "en-IN", "en-AU", "en-NZ", "en-CA", "en-ZA"];
const OFFSET_STYLE = /^(?:GMT|UTC)[+\-\u2212]/;
const shortNameFormats = new Map<string, Intl.DateTimeFormat>();
// One report may ask for thousands of abbreviations, so they are cached per zone and offset.
const abbreviationCache = new Map<string, string>();

function shortZoneName(at: Date, timeZone: string, locale: string): string {
  const key = `${locale}\u0000${timeZone}`;
  let formatter = shortNameFormats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" });
    shortNameFormats.set(key, formatter);
  }
  return formatter.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
}

/** "UTC+1", "UTC+5:30", "UTC-3", "UTC". */
export function offsetLabel(offsetMinutes: number): string {
  if (offsetMinutes === 0) return "UTC";
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(Math.round(offsetMinutes));
  const hours = Math.floor(absolute / 60);
  const minutes = absolute % 60;
  return `UTC${sign}${hours}${minutes ? `:${pad2(minutes)}` : ""}`;
}

/**
 * The short name of the zone at that instant: "BST"/"GMT" for Europe/London, "EDT", "CEST", "UTC";
 * a zone with no English abbreviation gets its offset, "UTC+9" style.
 */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  const offset = tzOffset(timeZone, at);
  // Within one zone the abbreviation follows the offset, so the offset is a safe cache key.
  const key = `${timeZone}\u0000${offset}`;
  const cached = abbreviationCache.get(key);
  if (cached !== undefined) return cached;
  let abbreviation = offsetLabel(offset);
  for (const locale of ABBREVIATION_LOCALES) {
    const name = shortZoneName(at, timeZone, locale);
    if (name && !OFFSET_STYLE.test(name)) {
      abbreviation = name;
      break;
    }
  }
  abbreviationCache.set(key, abbreviation);
  return abbreviation;
}

const knownZones = new Set<string>();
/** Whether the runtime knows the zone: an IANA name such as Europe/London, or UTC. */
export function isTimeZone(timeZone: string): boolean {
  if (knownZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    return false;
  }
  knownZones.add(timeZone);
  return true;
}

/** Throws a RangeError for a zone the runtime does not know, before anything is half rendered. */
export function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`Unknown time zone “${timeZone}”: expected an IANA name such as Europe/London.`);
}

// ---------------------------------------------------------------------------------------------
// Wall clock ↔ instant

/**
 * The instant moved by the zone's offset, so that its UTC fields read as the wall clock in the zone.
 * TZDate does the same (offsets rounded to whole seconds, for the odd historical one); this is the
 * one wall clock, which wallClockAt reads for the parser and ZoneClock for reports.
 */
function shiftedIntoZone(at: Date, offsetMinutes: number): Date {
  return new Date(at.getTime() + Math.round(offsetMinutes * 60) * SECOND_MS);
}

function wallClockAt(at: Date, timeZone: string): WallClock {
  const shifted = shiftedIntoZone(at, tzOffset(timeZone, at));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

/** Where an instant falls on a report's page: its local day, its clock and the offset in force. */
export interface LocalTime {
  /** yyyymmdd of the local calendar day, for grouping. */
  dayKey: number;
  /** "17:32", as formatMoment's "clock" style shows it. */
  clock: string;
  offsetMinutes: number;
}

/**
 * The fast path of the same wall clock, for the thousands of instants in one report. Asking Intl
 * once per entry is the slow part of a big report, so offsets are cached per UTC hour; only an
 * hour that contains a change of offset is asked instant by instant.
 */
export class ZoneClock {
  private readonly hourOffsets = new Map<number, number | null>();

  constructor(readonly timeZone: string) {}

  offsetAt(date: Date): number {
    const hour = Math.floor(date.getTime() / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      const atStart = tzOffset(this.timeZone, new Date(hour * HOUR_MS));
      const atEnd = tzOffset(this.timeZone, new Date((hour + 1) * HOUR_MS - 1));
      offset = atStart === atEnd ? atStart : null;
      this.hourOffsets.set(hour, offset);
    }
    return offset ?? tzOffset(this.timeZone, date);
  }

  local(date: Date): LocalTime {
    const offsetMinutes = this.offsetAt(date);
    const shifted = shiftedIntoZone(date, offsetMinutes);
    return {
      dayKey: shifted.getUTCFullYear() * 10_000 + (shifted.getUTCMonth() + 1) * 100 + shifted.getUTCDate(),
      clock: `${pad2(shifted.getUTCHours())}:${pad2(shifted.getUTCMinutes())}`,
      offsetMinutes,
    };
  }
}

const sameWallClock = (a: WallClock, b: WallClock) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;

/**
 * Every instant that reads as this wall clock in the zone, earliest first: one normally, two in the
 * fall-back hour. In the spring-forward gap there is none, and TZDate's forward shift is used.
 */
function instantsFor(wall: WallClock, timeZone: string): Date[] {
  const asIfUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // The offsets a day either side cover both sides of any transition near this wall clock.
  const offsets = new Set([tzOffset(timeZone, new Date(asIfUtc - DAY_MS)), tzOffset(timeZone, new Date(asIfUtc + DAY_MS))]);
  const found = [...offsets]
    .map((offsetMinutes) => new Date(asIfUtc - offsetMinutes * MINUTE_MS))
    .filter((candidate) => sameWallClock(wallClockAt(candidate, timeZone), wall))
    .sort((a, b) => a.getTime() - b.getTime());
  if (found.length > 0) return found;
  return [new Date(new TZDate(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, timeZone).getTime())];
}

/** The latest instant with this wall clock that is not in the future; the earliest when all are. */
function resolveWallClock(wall: WallClock, timeZone: string, now: Date): Date {
  const instants = instantsFor(wall, timeZone);
  const past = instants.filter((at) => at.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS);
  return past[past.length - 1] ?? instants[0]!;
}

function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Calendar arithmetic on plain dates (through UTC, which has no DST to get in the way). */
function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

// The parser's echo of what was typed (a due date before it is stored, a clock with no instant yet).
const showDate = (d: CalendarDate) => `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
const showClock = (c: ClockTime) => `${pad2(c.hour)}:${pad2(c.minute)}${c.second ? `:${pad2(c.second)}` : ""}`;

// ---------------------------------------------------------------------------------------------
// Time expressions

/** Normalises what people type: case and surrounding or repeated spaces. */
const normalise = (input: string) => input.trim().toLowerCase().replace(/\s+/g, " ");

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
const RELATIVE_UNITS = new Map<string, number>(Object.entries({
  s: SECOND_MS, sec: SECOND_MS, secs: SECOND_MS, second: SECOND_MS, seconds: SECOND_MS,
  m: MINUTE_MS, min: MINUTE_MS, mins: MINUTE_MS, minute: MINUTE_MS, minutes: MINUTE_MS,
  h: HOUR_MS, hr: HOUR_MS, hrs: HOUR_MS, hour: HOUR_MS, hours: HOUR_MS,
  d: DAY_MS, day: DAY_MS, days: DAY_MS,
}));

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

// ---------------------------------------------------------------------------------------------
// Due dates

const WEEKDAYS = new Map<string, number>(Object.entries({
  sun: 0, sunday: 0,
  mon: 1, monday: 1,
  tue: 2, tues: 2, tuesday: 2,
  wed: 3, weds: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5,
  sat: 6, saturday: 6,
}));

const utcMidnight = (d: CalendarDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));

/** A date to give as an example: a week ahead, so the example itself would be accepted. */
const exampleDueDate = (today: CalendarDate) => showDate(addCalendarDays(today, 7));

/** Reads the calendar date part of `in 3 days`, `in 2 weeks`, `in a month`. */
function parseInDuration(text: string, today: CalendarDate): CalendarDate | null {
  const match = /^in (\d+|an?|one) ?(d|days?|w|wks?|weeks?|months?)$/.exec(text);
  if (!match) return null;
  const count = /^\d+$/.test(match[1]!) ? Number(match[1]) : 1;
  const unit = match[2]!;
  if (unit.startsWith("mo")) {
    // Same day of month n months on, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
    const target = new Date(Date.UTC(today.year, today.month - 1 + count, 1));
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    return { year: target.getUTCFullYear(), month: target.getUTCMonth() + 1, day: Math.min(today.day, lastDay) };
  }
  return addCalendarDays(today, unit.startsWith("w") ? count * 7 : count);
}

/**
 * Reads an action item's due date: `2025-09-01`, `today`, `tomorrow`, a weekday (`friday`, `next fri`:
 * the next such day after today, so a week ahead when today is that day), `in 3 days`, `in 2 weeks`,
 * `in a month`. "Today" is the team's calendar day. Returns UTC midnight of that calendar date.
 */
export function parseDueDate(input: string, options: ParseOptions): DueDateParseResult {
  const { now, timeZone } = options;
  assertTimeZone(timeZone);
  const text = normalise(input);
  const today = wallClockAt(now, timeZone);
  let date: CalendarDate | null = null;

  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    if (!isRealDate(date)) return { ok: false, problem: { code: "due_not_in_calendar", typed: text, example: exampleDueDate(today) } };
  } else if (text === "today") {
    date = today;
  } else if (text === "tomorrow") {
    date = addCalendarDays(today, 1);
  } else {
    const weekday = /^(?:(?:next|on) )?([a-z]+)$/.exec(text)?.[1];
    const target = weekday === undefined ? undefined : WEEKDAYS.get(weekday);
    if (target !== undefined) {
      const todayDow = utcMidnight(today).getUTCDay();
      date = addCalendarDays(today, (target - todayDow + 7) % 7 || 7);
    } else {
      date = parseInDuration(text, today);
    }
  }

  if (!date) return { ok: false, problem: { code: "due_unreadable", typed: input.trim(), example: exampleDueDate(today) } };
  if (utcMidnight(date) < utcMidnight(today)) {
    return { ok: false, problem: { code: "due_in_past", date: showDate(date), today: showDate(today), example: exampleDueDate(today) } };
  }
  return { ok: true, date: utcMidnight(date) };
}
