// How times are shown back to people (formatMoment, and formatDueDate for due dates), the zones'
// names and abbreviations, and the zone check config uses. An unknown time zone is a configuration
// error (config validates it), so it throws a RangeError.
import { TZDate, tzOffset } from "@date-fns/tz";
// The one function, not the package index: importing "date-fns" loads all of its ~250 modules (11 MiB resident).
import { format } from "date-fns/format";

/** Two digits for a clock or calendar field ("07"); hot in big reports, so no padStart. */
export const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

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
