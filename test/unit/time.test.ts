import {
  assertTimeZone,
  formatDueDate,
  formatInZone,
  formatMoment,
  isTimeZone,
  offsetLabel,
  zoneAbbreviation,
} from "../../src/incidents/time/format.js";
import { parseDueDate } from "../../src/incidents/time/dueDates.js";
import { parseTimeExpression } from "../../src/incidents/time/expressions.js";
import { ZoneClock } from "../../src/incidents/time/wallClock.js";
import { problemText } from "../../src/slack/problems.js";

const LONDON = "Europe/London";
const NEW_YORK = "America/New_York";

/** Parses and returns the instant as an ISO string, failing the test with the reason if it was refused. */
function at(input: string, now: string, timeZone = LONDON): string {
  const result = parseTimeExpression(input, { now: new Date(now), timeZone });
  if (!result.ok) throw new Error(`expected “${input}” to parse, got: ${problemText(result.problem, { timeZone })}`);
  return result.at.toISOString();
}

/** The parser's refusal as people read it (the parser returns a problem; Slack words it). */
function refusal(input: string, now: string, timeZone = LONDON): string {
  const result = parseTimeExpression(input, { now: new Date(now), timeZone });
  if (result.ok) throw new Error(`expected “${input}” to be refused, got ${result.at.toISOString()}`);
  return problemText(result.problem, { timeZone });
}

describe("parseTimeExpression", () => {
  // Tuesday 12 August 2025, 17:45 BST (UTC+1).
  const SUMMER = "2025-08-12T16:45:00.000Z";

  it.each([
    ["17:32", "2025-08-12T16:32:00.000Z"],
    ["17:32:05", "2025-08-12T16:32:05.000Z"],
    ["5:32pm", "2025-08-12T16:32:00.000Z"],
    ["5:32 pm", "2025-08-12T16:32:00.000Z"],
    ["5:32 p.m.", "2025-08-12T16:32:00.000Z"],
    ["5pm", "2025-08-12T16:00:00.000Z"],
    ["12pm", "2025-08-12T11:00:00.000Z"],
    ["12am", "2025-08-11T23:00:00.000Z"],
    ["0:05", "2025-08-11T23:05:00.000Z"],
    ["today 09:00", "2025-08-12T08:00:00.000Z"],
    ["today at 9am", "2025-08-12T08:00:00.000Z"],
    ["yesterday 23:10", "2025-08-11T22:10:00.000Z"],
    ["yesterday 5:32pm", "2025-08-11T16:32:00.000Z"],
    ["23:10 yesterday", "2025-08-11T22:10:00.000Z"],
    ["  YESTERDAY   5:32PM ", "2025-08-11T16:32:00.000Z"],
    ["2025-08-12T17:32:00+01:00", "2025-08-12T16:32:00.000Z"],
    ["2025-08-12T16:32Z", "2025-08-12T16:32:00.000Z"],
    ["2025-08-12T12:32:00-04:00", "2025-08-12T16:32:00.000Z"],
    ["2025-08-12T16:32:07.250Z", "2025-08-12T16:32:07.250Z"],
    ["2025-08-12 17:32", "2025-08-12T16:32:00.000Z"],
    ["2025-08-12T17:32", "2025-08-12T16:32:00.000Z"],
    ["2025-08-11 at 5:32pm", "2025-08-11T16:32:00.000Z"],
    ["10m ago", "2025-08-12T16:35:00.000Z"],
    ["10 min ago", "2025-08-12T16:35:00.000Z"],
    ["10 minutes ago", "2025-08-12T16:35:00.000Z"],
    ["2h ago", "2025-08-12T14:45:00.000Z"],
    ["1h30m ago", "2025-08-12T15:15:00.000Z"],
    ["1 hour 30 minutes ago", "2025-08-12T15:15:00.000Z"],
    ["an hour ago", "2025-08-12T15:45:00.000Z"],
    ["90s ago", "2025-08-12T16:43:30.000Z"],
    ["3 hours ago", "2025-08-12T13:45:00.000Z"],
    ["now", SUMMER],
  ])("reads %j in Europe/London (BST) as %s", (input, expected) => {
    expect(at(input, SUMMER)).toBe(expected);
  });

  describe("daylight saving time", () => {
    it("reads a date without offset in the zone's offset on that date: BST in August, GMT in January", () => {
      expect(at("2025-08-12 17:32", SUMMER)).toBe("2025-08-12T16:32:00.000Z");
      expect(at("2025-01-12 17:32", SUMMER)).toBe("2025-01-12T17:32:00.000Z");
    });

    it("reads a clock time in winter as GMT", () => {
      expect(at("17:32", "2025-01-12T18:00:00.000Z")).toBe("2025-01-12T17:32:00.000Z");
    });

    it("on the spring-forward day (30 March 2025, 01:00 GMT → 02:00 BST) uses the right offset on each side", () => {
      const now = "2025-03-30T12:00:00.000Z"; // 13:00 BST
      expect(at("00:30", now)).toBe("2025-03-30T00:30:00.000Z"); // still GMT
      expect(at("03:00", now)).toBe("2025-03-30T02:00:00.000Z"); // BST
      expect(at("10:00", now)).toBe("2025-03-30T09:00:00.000Z");
      expect(at("yesterday 23:00", now)).toBe("2025-03-29T23:00:00.000Z");
    });

    it("moves a time in the spring-forward gap forward by the gap: 01:30 (never shown on clocks) is 02:30 BST", () => {
      const now = "2025-03-30T12:00:00.000Z";
      expect(at("01:30", now)).toBe("2025-03-30T01:30:00.000Z");
      expect(formatInZone(new Date(at("01:30", now)), LONDON, "HH:mm zzz")).toBe("02:30 GMT+1");
    });

    it("in the repeated fall-back hour picks the latest occurrence that is not in the future", () => {
      // 26 October 2025: 02:00 BST → 01:00 GMT, so 01:30 happens at 00:30Z and again at 01:30Z.
      expect(at("01:30", "2025-10-26T12:00:00.000Z")).toBe("2025-10-26T01:30:00.000Z");
      // At 01:45 BST (the first pass) the second 01:30 hasn't happened yet: the first is meant.
      expect(at("01:30", "2025-10-26T00:45:00.000Z")).toBe("2025-10-26T00:30:00.000Z");
    });

    it("handles America/New_York across its spring-forward day (9 March 2025)", () => {
      const now = "2025-03-09T15:00:00.000Z"; // 11:00 EDT
      expect(at("1:30am", now, NEW_YORK)).toBe("2025-03-09T06:30:00.000Z"); // EST, UTC-5
      expect(at("2:30am", now, NEW_YORK)).toBe("2025-03-09T07:30:00.000Z"); // gap: 03:30 EDT
      expect(at("10:00", now, NEW_YORK)).toBe("2025-03-09T14:00:00.000Z"); // EDT, UTC-4
      expect(at("yesterday 9pm", now, NEW_YORK)).toBe("2025-03-09T02:00:00.000Z"); // 8 March 21:00 EST
      expect(at("2024-07-04 12:00", now, NEW_YORK)).toBe("2024-07-04T16:00:00.000Z");
    });
  });

  describe("yesterday and today across midnight", () => {
    // 00:30 BST on Wednesday 13 August, but still 23:30 on the 12th in UTC.
    const JUST_AFTER_MIDNIGHT = "2025-08-12T23:30:00.000Z";

    it("takes today and yesterday from the team's zone, not from UTC", () => {
      expect(at("00:15", JUST_AFTER_MIDNIGHT)).toBe("2025-08-12T23:15:00.000Z");
      expect(at("yesterday 23:10", JUST_AFTER_MIDNIGHT)).toBe("2025-08-12T22:10:00.000Z");
      expect(at("yesterday 23:10", JUST_AFTER_MIDNIGHT, "UTC")).toBe("2025-08-11T23:10:00.000Z");
      expect(at("23:10", JUST_AFTER_MIDNIGHT, "UTC")).toBe("2025-08-12T23:10:00.000Z");
    });

    it("refuses a clock time later than now instead of rolling it back to yesterday", () => {
      const reason = refusal("23:10", JUST_AFTER_MIDNIGHT);
      expect(reason).toContain("That time is in the future");
      expect(reason).toContain("for yesterday type `yesterday 23:10`");
    });

    it("goes back across a month and a year boundary", () => {
      expect(at("yesterday 22:00", "2025-01-01T09:00:00.000Z")).toBe("2024-12-31T22:00:00.000Z");
      expect(at("yesterday 12:00", "2025-03-01T09:00:00.000Z")).toBe("2025-02-28T12:00:00.000Z");
    });
  });

  describe("future times", () => {
    it("refuses a clock time later today and shows how to say yesterday", () => {
      const reason = refusal("18:00", SUMMER);
      expect(reason).toBe("That time is in the future (it is now 17:45 BST in Europe/London); for yesterday type `yesterday 18:00`.");
    });

    it.each(["2025-08-13 10:00", "2025-08-12T17:00Z", "2025-08-12T18:00:00+01:00", "today 11pm"])(
      "refuses %j with an example of a valid input",
      (input) => {
        const reason = refusal(input, SUMMER);
        expect(reason).toMatch(/in the future/);
        expect(reason).toMatch(/`(?:10m ago|yesterday [\d:]+)`/);
      },
    );

    it("allows up to 60 seconds ahead, for clocks a little apart", () => {
      expect(at("17:46", "2025-08-12T16:45:30.000Z")).toBe("2025-08-12T16:46:00.000Z");
      expect(refusal("17:47", "2025-08-12T16:45:30.000Z")).toMatch(/in the future/);
    });
  });

  describe("unreadable input", () => {
    it("lists the accepted forms with examples and the zone", () => {
      expect(refusal("blah", SUMMER)).toBe(
        "Couldn't read “blah” as a time. Try 17:32, 5:32pm, yesterday 23:10, 10m ago or 2025-08-12T17:32+01:00 (times are in Europe/London).",
      );
    });

    it.each([
      "",
      "   ",
      "17", // a bare number could be an hour, a minute or a count: too easy to misread
      "25:00",
      "17:60",
      "13pm",
      "0am",
      "17:32pm",
      "2025-02-30 10:00",
      "2025-13-01 10:00",
      "2025-08-12T17:32+25:00",
      "10 parsecs ago",
      "10 constructor ago",
      "ago",
      "tomorrow 10:00",
      "17:32 restarted the pod", // `/incident log at` relies on whole-input matching to find where the time ends
    ])("refuses %j with the examples", (input) => {
      expect(refusal(input, SUMMER)).toContain("Try 17:32, 5:32pm, yesterday 23:10, 10m ago or 2025-08-12T17:32+01:00");
    });

    it("says so when nothing was typed", () => {
      expect(refusal("", SUMMER)).toMatch(/^No time given\./);
    });
  });

  it("throws on a time zone that doesn't exist (configuration error)", () => {
    expect(() => parseTimeExpression("17:32", { now: new Date(SUMMER), timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });
});

describe("formatInZone", () => {
  it("formats in the zone with the default pattern", () => {
    expect(formatInZone(new Date("2025-08-12T16:32:00Z"), LONDON)).toBe("2025-08-12 17:32");
    expect(formatInZone(new Date("2025-01-12T16:32:00Z"), LONDON)).toBe("2025-01-12 16:32");
    expect(formatInZone(new Date("2025-08-12T16:32:00Z"), NEW_YORK)).toBe("2025-08-12 12:32");
  });

  it("takes a date-fns pattern, and the calendar day is the zone's", () => {
    expect(formatInZone(new Date("2025-08-12T23:30:00Z"), LONDON, "EEE d MMM HH:mm")).toBe("Wed 13 Aug 00:30");
    expect(formatInZone(new Date("2025-08-12T23:30:00Z"), "UTC", "yyyyMMdd")).toBe("20250812");
  });
});

describe("zoneAbbreviation", () => {
  const AUGUST = new Date("2025-08-12T12:00:00Z");
  const JANUARY = new Date("2025-01-12T12:00:00Z");

  it.each([
    [LONDON, AUGUST, "BST"],
    [LONDON, JANUARY, "GMT"],
    [NEW_YORK, AUGUST, "EDT"],
    [NEW_YORK, JANUARY, "EST"],
    ["Europe/Berlin", AUGUST, "CEST"],
    ["UTC", AUGUST, "UTC"],
    ["Etc/UTC", JANUARY, "UTC"],
    ["Asia/Tokyo", AUGUST, "UTC+9"], // no English abbreviation in CLDR: the offset is the honest answer
  ])("%s at %s is %s", (zone, instant, expected) => {
    expect(zoneAbbreviation(instant, zone)).toBe(expected);
  });

  it("switches on the exact instant of the change", () => {
    expect(zoneAbbreviation(new Date("2025-03-30T00:59:59Z"), LONDON)).toBe("GMT");
    expect(zoneAbbreviation(new Date("2025-03-30T01:00:00Z"), LONDON)).toBe("BST");
  });

  it("writes offsets UTC+9 style, with minutes only when there are some", () => {
    expect(offsetLabel(0)).toBe("UTC");
    expect(offsetLabel(60)).toBe("UTC+1");
    expect(offsetLabel(330)).toBe("UTC+5:30");
    expect(offsetLabel(-180)).toBe("UTC-3");
    expect(offsetLabel(-570)).toBe("UTC-9:30");
  });

  it("refuses an unknown zone", () => {
    expect(() => zoneAbbreviation(AUGUST, "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("formatMoment", () => {
  const TUESDAY_EVENING = new Date("2025-08-12T16:32:00Z");

  it.each([
    ["full", "2025-08-12 17:32 BST"],
    ["short", "Tue 12 Aug 17:32 BST"],
    ["time", "17:32 BST"],
    ["plain", "2025-08-12 17:32"],
    ["clock", "17:32"],
    ["day", "Tuesday 12 August 2025"],
  ] as const)("shows the %s style as %s", (style, expected) => {
    expect(formatMoment(TUESDAY_EVENING, LONDON, style)).toBe(expected);
  });

  it("reads the calendar day and the abbreviation in the zone", () => {
    expect(formatMoment(new Date("2025-08-12T23:30:00Z"), LONDON, "short")).toBe("Wed 13 Aug 00:30 BST");
    expect(formatMoment(new Date("2025-01-12T16:32:00Z"), NEW_YORK, "full")).toBe("2025-01-12 11:32 EST");
  });

  it("refuses an unknown zone", () => {
    expect(() => formatMoment(TUESDAY_EVENING, "Mars/Olympus", "clock")).toThrow(RangeError);
  });
});

describe("formatDueDate", () => {
  it("shows the calendar date stored as UTC midnight, whatever the team's zone", () => {
    expect(formatDueDate(new Date(Date.UTC(2025, 8, 1)))).toBe("2025-09-01");
    expect(formatDueDate(new Date(Date.UTC(2025, 11, 31)))).toBe("2025-12-31");
  });
});

describe("isTimeZone and assertTimeZone", () => {
  it("knows IANA names and UTC, and nothing else", () => {
    expect(isTimeZone(LONDON)).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });

  it("throws a RangeError that names the zone", () => {
    expect(() => assertTimeZone(LONDON)).not.toThrow();
    expect(() => assertTimeZone("Mars/Olympus")).toThrow(/Unknown time zone “Mars\/Olympus”/);
  });
});

describe("ZoneClock", () => {
  it("reads the same wall clock as formatMoment, across a change of offset", () => {
    const clock = new ZoneClock(LONDON);
    // Every 10 minutes through the night London goes back to GMT, and an hour either side.
    for (let at = Date.parse("2025-10-25T23:00:00Z"); at <= Date.parse("2025-10-26T03:00:00Z"); at += 10 * 60_000) {
      const instant = new Date(at);
      const local = clock.local(instant);
      expect(local.clock).toBe(formatMoment(instant, LONDON, "clock"));
      expect(String(local.dayKey)).toBe(formatInZone(instant, LONDON, "yyyyMMdd"));
      expect(zoneAbbreviation(instant, LONDON)).toBe(local.offsetMinutes === 60 ? "BST" : "GMT");
    }
  });
});

describe("parseDueDate", () => {
  // Tuesday 12 August 2025, 17:45 BST.
  const now = new Date("2025-08-12T16:45:00.000Z");
  const due = (input: string, at = now, timeZone = LONDON) => {
    const result = parseDueDate(input, { now: at, timeZone });
    if (!result.ok) throw new Error(`expected “${input}” to parse, got: ${problemText(result.problem, { timeZone })}`);
    return result.date.toISOString();
  };
  const refused = (input: string, at = now) => {
    const result = parseDueDate(input, { now: at, timeZone: LONDON });
    if (result.ok) throw new Error(`expected “${input}” to be refused, got ${result.date.toISOString()}`);
    return problemText(result.problem, { timeZone: LONDON });
  };

  it.each([
    ["2025-09-01", "2025-09-01T00:00:00.000Z"],
    ["today", "2025-08-12T00:00:00.000Z"],
    ["tomorrow", "2025-08-13T00:00:00.000Z"],
    ["friday", "2025-08-15T00:00:00.000Z"],
    ["Next Fri", "2025-08-15T00:00:00.000Z"],
    ["monday", "2025-08-18T00:00:00.000Z"],
    ["tuesday", "2025-08-19T00:00:00.000Z"], // today is Tuesday: the next one is a week away
    ["in 3 days", "2025-08-15T00:00:00.000Z"],
    ["in 2 weeks", "2025-08-26T00:00:00.000Z"],
    ["in a week", "2025-08-19T00:00:00.000Z"],
    ["in 1 month", "2025-09-12T00:00:00.000Z"],
  ])("reads %j as %s (UTC midnight of the calendar date)", (input, expected) => {
    expect(due(input)).toBe(expected);
  });

  it("counts from the team's calendar day, not UTC's", () => {
    const afterMidnightInLondon = new Date("2025-08-12T23:30:00.000Z"); // Wednesday 00:30 BST
    expect(due("tomorrow", afterMidnightInLondon)).toBe("2025-08-14T00:00:00.000Z");
    expect(due("tomorrow", afterMidnightInLondon, "UTC")).toBe("2025-08-13T00:00:00.000Z");
    expect(due("wednesday", afterMidnightInLondon)).toBe("2025-08-20T00:00:00.000Z");
  });

  it("clamps a month ahead to the end of a shorter month", () => {
    expect(due("in a month", new Date("2025-01-31T12:00:00Z"))).toBe("2025-02-28T00:00:00.000Z");
  });

  it("refuses a past date with a valid example", () => {
    const reason = refused("2025-08-01");
    expect(reason).toContain("2025-08-01 is in the past (today is 2025-08-12 in Europe/London)");
    expect(reason).toContain("`2025-08-19`");
  });

  it.each(["someday", "constructor", "next blursday", "2025-02-30", "in 3 fortnights", "", "15/08/2025"])(
    "refuses %j with examples",
    (input) => {
      expect(refused(input)).toMatch(/`tomorrow`, `friday`, `in 3 days` or `in 2 weeks`/);
    },
  );
});
