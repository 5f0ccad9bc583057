// Action items' due dates as people type them (`friday`, `in 2 weeks`, `2025-09-01`): a calendar
// day in the team's zone, stored as UTC midnight.
import type { TimeProblem } from "../errors.js";
import { addCalendarDays, type CalendarDate, isRealDate, showDate, wallClockAt } from "./wallClock.js";
import { normalise, type ParseOptions } from "./expressions.js";
import { assertTimeZone } from "./format.js";

export type DueDateParseResult = { ok: true; date: Date } | { ok: false; problem: TimeProblem };

const WEEKDAYS = new Map<string, number>(
  Object.entries({
    sun: 0,
    sunday: 0,
    mon: 1,
    monday: 1,
    tue: 2,
    tues: 2,
    tuesday: 2,
    wed: 3,
    weds: 3,
    wednesday: 3,
    thu: 4,
    thur: 4,
    thurs: 4,
    thursday: 4,
    fri: 5,
    friday: 5,
    sat: 6,
    saturday: 6,
  }),
);

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
  let date: CalendarDate | null;

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
