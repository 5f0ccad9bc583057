// The wall clock in a zone, both ways: where an instant falls (with ZoneClock, its cached fast path
// for reports), and which instants a local date and clock reading name.
// - A local time that does not exist (the spring-forward gap, e.g. 01:30 on 30 March 2025 in
//   Europe/London) resolves forward by the length of the gap (01:30 → 02:30 BST), as TZDate does.
// - A local time that happens twice (the fall-back hour) resolves to the later occurrence unless
//   that is in the future, then to the earlier one: the most recent past moment with that clock time.
import { TZDate, tzOffset } from "@date-fns/tz";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "./durations.js";
import { pad2 } from "./format.js";

/** How far after `now` a typed time may be before it counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 60 * SECOND_MS;

/** A calendar date and clock reading in some zone. Month is 1-12. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}
export type CalendarDate = Pick<WallClock, "year" | "month" | "day">;
export type ClockTime = Pick<WallClock, "hour" | "minute" | "second">;

/**
 * The instant moved by the zone's offset, so that its UTC fields read as the wall clock in the zone.
 * TZDate does the same (offsets rounded to whole seconds, for the odd historical one); this is the
 * one wall clock, which wallClockAt reads for the parser and ZoneClock for reports.
 */
function shiftedIntoZone(at: Date, offsetMinutes: number): Date {
  return new Date(at.getTime() + Math.round(offsetMinutes * 60) * SECOND_MS);
}

export function wallClockAt(at: Date, timeZone: string): WallClock {
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
export function resolveWallClock(wall: WallClock, timeZone: string, now: Date): Date {
  const instants = instantsFor(wall, timeZone);
  const past = instants.filter((at) => at.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS);
  return past[past.length - 1] ?? instants[0]!;
}

export function isRealDate({ year, month, day }: CalendarDate): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Calendar arithmetic on plain dates (through UTC, which has no DST to get in the way). */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

// The parser's echo of what was typed (a due date before it is stored, a clock with no instant yet).
export const showDate = (d: CalendarDate) => `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
export const showClock = (c: ClockTime) => `${pad2(c.hour)}:${pad2(c.minute)}${c.second ? `:${pad2(c.second)}` : ""}`;
