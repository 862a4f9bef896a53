import { call, expectFails } from "../../../flows/toolkit/sim/functions/helpers";
import { setClock } from "../../../flows/toolkit/sim/functions";

describe("date and time functions", () => {
  afterEach(() => setClock());

  test("addDays — docs: +10 and -5 days", () => {
    expect(call("addDays", "2018-03-15T00:00:00Z", 10)).toBe("2018-03-25T00:00:00.0000000Z");
    expect(call("addDays", "2018-03-15T00:00:00Z", -5)).toBe("2018-03-10T00:00:00.0000000Z");
  });
  test("addHours — docs: +10 and -5 hours", () => {
    expect(call("addHours", "2018-03-15T00:00:00Z", 10)).toBe("2018-03-15T10:00:00.0000000Z");
    expect(call("addHours", "2018-03-15T15:00:00Z", -5)).toBe("2018-03-15T10:00:00.0000000Z");
  });
  test("addMinutes — docs: +10 and -5 minutes", () => {
    expect(call("addMinutes", "2018-03-15T00:10:00Z", 10)).toBe("2018-03-15T00:20:00.0000000Z");
    expect(call("addMinutes", "2018-03-15T00:20:00Z", -5)).toBe("2018-03-15T00:15:00.0000000Z");
  });
  test("addSeconds — docs: +10 and -5 seconds", () => {
    expect(call("addSeconds", "2018-03-15T00:00:00Z", 10)).toBe("2018-03-15T00:00:10.0000000Z");
    expect(call("addSeconds", "2018-03-15T00:00:30Z", -5)).toBe("2018-03-15T00:00:25.0000000Z");
  });
  test("addDays — format argument, zone-less input, bad input", () => {
    expect(call("addDays", "2018-03-15", 1, "yyyy-MM-dd")).toBe("2018-03-16");
    expect(call("addDays", "2018-03-15T08:00:00", 1)).toBe("2018-03-16T08:00:00.0000000");
    expect(call("addDays", "2018-03-15T08:00:00+02:00", 0)).toBe("2018-03-15T06:00:00.0000000Z");
    expectFails("addDays", "not a date", 1);
    expectFails("addDays", "2018-02-30T00:00:00Z", 1);
    expectFails("addDays", null, 1);
    expectFails("addDays", "2018-03-15T00:00:00Z", 1.5);
  });

  test("addToTime — docs: 1 Day, and with the 'D' format", () => {
    expect(call("addToTime", "2018-01-01T00:00:00Z", 1, "Day")).toBe("2018-01-02T00:00:00.0000000Z");
    expect(call("addToTime", "2018-01-01T00:00:00Z", 1, "Day", "D")).toBe("Tuesday, January 2, 2018");
  });
  test("addToTime — months clamp to the month's last day, weeks and years", () => {
    expect(call("addToTime", "2018-01-31T00:00:00Z", 1, "Month")).toBe("2018-02-28T00:00:00.0000000Z");
    expect(call("addToTime", "2016-02-29T00:00:00Z", 1, "Year")).toBe("2017-02-28T00:00:00.0000000Z");
    expect(call("addToTime", "2018-01-01T00:00:00Z", 2, "Week")).toBe("2018-01-15T00:00:00.0000000Z");
    expectFails("addToTime", "2018-01-01T00:00:00Z", 1, "Fortnight");
  });
  test("subtractFromTime — docs: 1 Day, and 'D' (page shows a stray comma: 'Monday, January, 1, 2018')", () => {
    expect(call("subtractFromTime", "2018-01-02T00:00:00Z", 1, "Day")).toBe("2018-01-01T00:00:00.0000000Z");
    expect(call("subtractFromTime", "2018-01-02T00:00:00Z", 1, "Day", "D")).toBe("Monday, January 1, 2018");
  });

  test("utcNow — docs: 2018-04-15 1 PM, default and 'D'", () => {
    setClock(() => new Date("2018-04-15T13:00:00Z"));
    expect(call("utcNow")).toBe("2018-04-15T13:00:00.0000000Z");
    expect(call("utcNow", "D")).toBe("Sunday, April 15, 2018");
  });
  test("getFutureTime — docs: now 2018-03-01, +5 days, and 'D'", () => {
    setClock(() => new Date("2018-03-01T00:00:00Z"));
    expect(call("getFutureTime", 5, "Day")).toBe("2018-03-06T00:00:00.0000000Z");
    expect(call("getFutureTime", 5, "Day", "D")).toBe("Tuesday, March 6, 2018");
  });
  test("getPastTime — docs: now 2018-02-01, -5 days, and 'D'", () => {
    setClock(() => new Date("2018-02-01T00:00:00Z"));
    expect(call("getPastTime", 5, "Day")).toBe("2018-01-27T00:00:00.0000000Z");
    expect(call("getPastTime", 5, "Day", "D")).toBe("Saturday, January 27, 2018");
  });

  test("startOfDay / startOfHour / startOfMonth — docs examples", () => {
    expect(call("startOfDay", "2018-03-15T13:30:30Z")).toBe("2018-03-15T00:00:00.0000000Z");
    expect(call("startOfHour", "2018-03-15T13:30:30Z")).toBe("2018-03-15T13:00:00.0000000Z");
    expect(call("startOfMonth", "2018-03-15T13:30:30Z")).toBe("2018-03-01T00:00:00.0000000Z");
    expect(call("startOfMonth", "2018-03-15T13:30:30Z", "yyyy-MM-dd")).toBe("2018-03-01");
  });

  test("dayOfMonth / dayOfWeek / dayOfYear — docs: 15, 4, 74", () => {
    expect(call("dayOfMonth", "2018-03-15T13:27:36Z")).toBe(15);
    expect(call("dayOfWeek", "2018-03-15T13:27:36Z")).toBe(4);
    expect(call("dayOfYear", "2018-03-15T13:27:36Z")).toBe(74);
    expect(call("dayOfYear", "2016-12-31T00:00:00Z")).toBe(366);
  });

  test("ticks — .NET DateTime.Ticks (the reference gives no example)", () => {
    expect(call("ticks", "0001-01-01T00:00:00Z")).toBe(0);
    expect(call("ticks", "2018-03-15T00:00:00Z")).toBe(636566688000000000);
  });

  test("dateDifference — docs: dateDifference('2015-02-08', '2018-07-30')", () => {
    expect(call("dateDifference", "2015-02-08", "2018-07-30")).toBe("1268.00:00:00");
    expect(call("dateDifference", "2018-01-01T10:00:00Z", "2018-01-01T12:30:15.5Z")).toBe("02:30:15.5000000");
    expect(call("dateDifference", "2018-01-02", "2018-01-01")).toBe("-1.00:00:00");
  });
});

describe("formatDateTime", () => {
  test("docs: formatDateTime('03/15/2018 12:00:00', 'yyyy-MM-ddTHH:mm:ss')", () => {
    expect(call("formatDateTime", "03/15/2018 12:00:00", "yyyy-MM-ddTHH:mm:ss")).toBe("2018-03-15T12:00:00");
  });
  test("docs: formatDateTime('03/15/2018') uses the 'o' format", () => {
    expect(call("formatDateTime", "03/15/2018")).toBe("2018-03-15T00:00:00.0000000");
  });
  test("docs: formatDateTime('01/31/2016', 'dddd MMMM d') in en-US and fr-fr", () => {
    expect(call("formatDateTime", "01/31/2016", "dddd MMMM d")).toBe("Sunday January 31");
    expect(call("formatDateTime", "01/31/2016", "dddd MMMM d", "fr-fr")).toBe("dimanche janvier 31");
  });
  test("standard formats o, s, u, d, D, t, T, g, f, M, Y, R", () => {
    const t = "2018-03-05T14:07:09.1234567Z";
    expect(call("formatDateTime", t, "o")).toBe("2018-03-05T14:07:09.1234567Z");
    expect(call("formatDateTime", t, "s")).toBe("2018-03-05T14:07:09");
    expect(call("formatDateTime", t, "u")).toBe("2018-03-05 14:07:09Z");
    expect(call("formatDateTime", t, "d")).toBe("3/5/2018");
    expect(call("formatDateTime", t, "D")).toBe("Monday, March 5, 2018");
    expect(call("formatDateTime", t, "t")).toBe("2:07 PM");
    expect(call("formatDateTime", t, "T")).toBe("2:07:09 PM");
    expect(call("formatDateTime", t, "g")).toBe("3/5/2018 2:07 PM");
    expect(call("formatDateTime", t, "f")).toBe("Monday, March 5, 2018 2:07 PM");
    expect(call("formatDateTime", t, "M")).toBe("March 5");
    expect(call("formatDateTime", t, "Y")).toBe("March 2018");
    expect(call("formatDateTime", t, "R")).toBe("Mon, 05 Mar 2018 14:07:09 GMT");
  });
  test("German standard and custom formats", () => {
    const t = "2018-03-05T14:07:09Z";
    expect(call("formatDateTime", t, "d", "de-DE")).toBe("05.03.2018");
    expect(call("formatDateTime", t, "D", "de-DE")).toBe("Montag, 5. März 2018");
    expect(call("formatDateTime", t, "g", "de-DE")).toBe("05.03.2018 14:07");
    expect(call("formatDateTime", t, "dd/MM/yyyy", "de-DE")).toBe("05.03.2018");
    expect(call("formatDateTime", t, "dddd, d. MMMM yyyy HH:mm", "de-DE")).toBe("Montag, 5. März 2018 14:07");
  });
  test("custom specifiers, literals and escapes", () => {
    const t = "2018-03-05T04:07:09.1200000Z";
    expect(call("formatDateTime", t, "yyyy-MM-ddTHH:mm:ssZ")).toBe("2018-03-05T04:07:09Z");
    expect(call("formatDateTime", t, "yyyyMMdd")).toBe("20180305");
    expect(call("formatDateTime", t, "yy-M-d h:m:s tt")).toBe("18-3-5 4:7:9 AM");
    expect(call("formatDateTime", t, "HH:mm:ss.fff")).toBe("04:07:09.120");
    expect(call("formatDateTime", t, "HH:mm:ss.FFFFFFF")).toBe("04:07:09.12");
    expect(call("formatDateTime", "2018-03-05T04:07:09Z", "ss.FFF")).toBe("09");
    expect(call("formatDateTime", t, "'Day' d 'of' MMM")).toBe("Day 5 of Mar");
    expect(call("formatDateTime", t, "\\h\\h HH")).toBe("hh 04");
    expect(call("formatDateTime", t, "%d")).toBe("5");
    expect(call("formatDateTime", t, "yyyy-MM-ddTHH:mm:sszzz")).toBe("2018-03-05T04:07:09+00:00");
  });
  test("errors: unknown single-letter format, bad timestamp, unknown locale", () => {
    expectFails("formatDateTime", "2018-03-05T04:07:09Z", "q");
    expectFails("formatDateTime", "2018-13-05T04:07:09Z");
    expectFails("formatDateTime", "2018-03-05T04:07:09Z", "d", "xx-XX");
    expectFails("formatDateTime", 1520222829);
  });
});

describe("time zone conversion", () => {
  test("convertFromUtc — docs: to Pacific Standard Time, and with 'D'", () => {
    expect(call("convertFromUtc", "2018-01-01T08:00:00.0000000Z", "Pacific Standard Time")).toBe("2018-01-01T00:00:00.0000000");
    expect(call("convertFromUtc", "2018-01-01T08:00:00.0000000Z", "Pacific Standard Time", "D")).toBe("Monday, January 1, 2018");
  });
  test("convertTimeZone — docs: UTC to Pacific Standard Time", () => {
    expect(call("convertTimeZone", "2018-01-01T08:00:00.0000000Z", "UTC", "Pacific Standard Time")).toBe("2018-01-01T00:00:00.0000000");
  });
  test("convertToUtc — docs: '01/01/2018 00:00:00' from Pacific Standard Time, and with 'D'", () => {
    expect(call("convertToUtc", "01/01/2018 00:00:00", "Pacific Standard Time")).toBe("2018-01-01T08:00:00.0000000Z");
    expect(call("convertToUtc", "01/01/2018 00:00:00", "Pacific Standard Time", "D")).toBe("Monday, January 1, 2018");
  });
  test("W. Europe Standard Time follows daylight saving time", () => {
    expect(call("convertFromUtc", "2018-01-15T10:00:00Z", "W. Europe Standard Time")).toBe("2018-01-15T11:00:00.0000000");
    expect(call("convertFromUtc", "2018-07-15T10:00:00Z", "W. Europe Standard Time")).toBe("2018-07-15T12:00:00.0000000");
    expect(call("convertToUtc", "2018-07-15T12:00:00", "W. Europe Standard Time")).toBe("2018-07-15T10:00:00.0000000Z");
    // Punctuation may be dropped from zone names (documented).
    expect(call("convertFromUtc", "2018-07-15T10:00:00Z", "W Europe Standard Time", "HH:mm")).toBe("12:00");
  });
  test("Eastern Standard Time, across the 2018 spring-forward boundary", () => {
    expect(call("convertFromUtc", "2018-03-11T06:59:00Z", "Eastern Standard Time", "yyyy-MM-dd HH:mm")).toBe("2018-03-11 01:59");
    expect(call("convertFromUtc", "2018-03-11T07:00:00Z", "Eastern Standard Time", "yyyy-MM-dd HH:mm")).toBe("2018-03-11 03:00");
    expect(call("convertTimeZone", "2018-07-01T09:00:00", "Eastern Standard Time", "W. Europe Standard Time", "HH:mm")).toBe("15:00");
  });
  test("unknown zones fail", () => {
    expectFails("convertFromUtc", "2018-01-01T00:00:00Z", "Mars Standard Time");
    expectFails("convertTimeZone", "2018-01-01T00:00:00Z", "UTC", "Europe/Berlin");
  });
});
