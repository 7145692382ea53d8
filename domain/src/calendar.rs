//! Working days in China (工作日): deadlines such as "confirm within 2 working days" skip
//! weekends and public holidays, and count the make-up working weekends (调休).
//!
//! Dates are civil dates in China Standard Time (UTC+8); times are unix seconds.

use std::collections::BTreeSet;

const DAY: i64 = 24 * 3600;
/// China Standard Time has no daylight saving.
const CST_OFFSET: i64 = 8 * 3600;

/// A civil date as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(i64);

impl Date {
    pub fn from_ymd(y: i64, m: i64, d: i64) -> Date {
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-').map(|p| p.parse::<i64>().ok());
        let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
        ((1..=12).contains(&m) && (1..=31).contains(&d) && parts.next().is_none())
            .then(|| Date::from_ymd(y, m, d))
    }

    /// The date in China at a unix time.
    pub fn of(ts: i64) -> Date {
        Date((ts + CST_OFFSET).div_euclid(DAY))
    }

    /// Monday is 0, Sunday 6.
    pub fn weekday(self) -> i64 {
        (self.0 + 3).rem_euclid(7)
    }

    /// `(year, month, day)` (Howard Hinnant's civil_from_days).
    pub fn ymd(self) -> (i64, i64, i64) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    pub fn next(self) -> Date {
        Date(self.0 + 1)
    }
}

/// `YYYY-MM-DD`.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A calendar month in China, the dashboard's unit of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i64,
    /// 1 to 12
    month: i64,
}

impl Month {
    /// `YYYY-MM`, years 2000 to 2100.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// The month in China at a unix time.
    pub fn of(ts: i64) -> Month {
        let (year, month, _) = Date::of(ts).ymd();
        Month { year, month }
    }

    /// The unix time at which the month begins in China.
    pub fn start(self) -> i64 {
        Date::from_ymd(self.year, self.month, 1).0 * DAY - CST_OFFSET
    }

    /// `n` months later (earlier when negative).
    pub fn plus(self, n: i64) -> Month {
        let index = self.year * 12 + self.month - 1 + n;
        Month {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) + 1,
        }
    }

    /// Months from `self` to `later`, counting both; 0 when `later` is earlier.
    pub fn span(self, later: Month) -> i64 {
        ((later.year * 12 + later.month) - (self.year * 12 + self.month) + 1).max(0)
    }
}

/// `YYYY-MM`.
impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A UTC RFC 3339 time (`2026-11-22T07:30:00Z`) as Beijing wall-clock time
/// (`2026-11-22 15:30`); the input unchanged if it does not parse.
pub fn beijing_time(rfc3339: &str) -> String {
    let parse = || -> Option<i64> {
        let (date, time) = rfc3339.split_once('T')?;
        let day = Date::parse(date)?;
        let mut hms = time.trim_end_matches('Z').split(':');
        let h: i64 = hms.next()?.parse().ok()?;
        let m: i64 = hms.next()?.parse().ok()?;
        Some(day.0 * DAY + h * 3600 + m * 60)
    };
    match parse() {
        Some(ts) => {
            let local = ts + CST_OFFSET;
            let (y, mo, d) = Date(local.div_euclid(DAY)).ymd();
            let secs = local.rem_euclid(DAY);
            format!(
                "{y:04}-{mo:02}-{d:02} {:02}:{:02}",
                secs / 3600,
                secs % 3600 / 60
            )
        }
        None => rfc3339.to_string(),
    }
}

/// Which days are worked: Monday to Friday, minus the holidays, plus the make-up days.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

/// 国务院办公厅关于2026年部分节假日安排的通知: the days off and the make-up working days.
const CN_2026_OFF: &[&str] = &[
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    "2026-02-15",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-02-21",
    "2026-02-22",
    "2026-02-23",
    "2026-04-04",
    "2026-04-05",
    "2026-04-06",
    "2026-05-01",
    "2026-05-02",
    "2026-05-03",
    "2026-05-04",
    "2026-05-05",
    "2026-06-19",
    "2026-06-20",
    "2026-06-21",
    "2026-09-25",
    "2026-09-26",
    "2026-09-27",
    "2026-10-01",
    "2026-10-02",
    "2026-10-03",
    "2026-10-04",
    "2026-10-05",
    "2026-10-06",
    "2026-10-07",
];
const CN_2026_WORK: &[&str] = &[
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

impl WorkCalendar {
    /// The official calendar the mall ships with.
    pub fn china() -> WorkCalendar {
        WorkCalendar::new(CN_2026_OFF, CN_2026_WORK).expect("built-in dates are valid")
    }

    /// A calendar from `YYYY-MM-DD` lists; `None` if a date does not parse.
    pub fn new(holidays: &[&str], workdays: &[&str]) -> Option<WorkCalendar> {
        let parse = |list: &[&str]| {
            list.iter()
                .map(|d| Date::parse(d))
                .collect::<Option<BTreeSet<Date>>>()
        };
        Some(WorkCalendar {
            holidays: parse(holidays)?,
            workdays: parse(workdays)?,
        })
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        if self.workdays.contains(&date) {
            return true;
        }
        date.weekday() < 5 && !self.holidays.contains(&date)
    }

    /// The moment `n` working days after `ts`: the same time of day on the `n`th working
    /// day after `ts`'s date. An order placed on Friday at 15:00 must be confirmed by
    /// Tuesday 15:00; one placed on Saturday at 10:00, by Tuesday 10:00.
    pub fn add_working_days(&self, ts: i64, n: u32) -> i64 {
        let start = Date::of(ts);
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date.next();
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        ts + (date.0 - start.0) * DAY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix time of a CST wall-clock time.
    fn cst(y: i64, m: i64, d: i64, hour: i64) -> i64 {
        Date::from_ymd(y, m, d).0 * DAY + hour * 3600 - CST_OFFSET
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(Date::from_ymd(1970, 1, 1), Date(0));
        assert_eq!(Date::from_ymd(2026, 11, 22).weekday(), 6, "a Sunday");
        assert_eq!(Date::from_ymd(2026, 1, 1).weekday(), 3, "a Thursday");
        assert_eq!(Date::parse("2026-02-28"), Some(Date::from_ymd(2026, 2, 28)));
        assert_eq!(Date::parse("2026-13-01"), None);
        // 23:30 UTC on the 21st is already the 22nd in Beijing.
        assert_eq!(Date::of(cst(2026, 11, 22, 7)), Date::from_ymd(2026, 11, 22));
    }

    #[test]
    fn shows_beijing_time() {
        assert_eq!(beijing_time("2026-11-21T23:30:00Z"), "2026-11-22 07:30");
        assert_eq!(beijing_time("2026-02-28T16:05:59Z"), "2026-03-01 00:05");
        assert_eq!(beijing_time("garbage"), "garbage");
        for d in [
            Date::from_ymd(2024, 2, 29),
            Date::from_ymd(1970, 1, 1),
            Date::from_ymd(2026, 12, 31),
        ] {
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), d);
        }
    }

    #[test]
    fn skips_weekends() {
        let cal = WorkCalendar::china();
        // Friday 2026-11-20 15:00 → Tuesday 24th 15:00.
        assert_eq!(
            cal.add_working_days(cst(2026, 11, 20, 15), 2),
            cst(2026, 11, 24, 15)
        );
        // Saturday 10:00 → Tuesday 10:00.
        assert_eq!(
            cal.add_working_days(cst(2026, 11, 21, 10), 2),
            cst(2026, 11, 24, 10)
        );
        // Monday → Wednesday.
        assert_eq!(
            cal.add_working_days(cst(2026, 11, 23, 9), 2),
            cst(2026, 11, 25, 9)
        );
    }

    #[test]
    fn skips_holidays_and_counts_make_up_days() {
        let cal = WorkCalendar::china();
        // Wednesday 30 September 2026: 1–7 October are off, Saturday 10 October is worked.
        assert_eq!(
            cal.add_working_days(cst(2026, 9, 30, 12), 1),
            cst(2026, 10, 8, 12)
        );
        assert_eq!(
            cal.add_working_days(cst(2026, 10, 9, 12), 1),
            cst(2026, 10, 10, 12)
        );
        assert!(!cal.is_working_day(Date::from_ymd(2026, 2, 16)));
        assert!(cal.is_working_day(Date::from_ymd(2026, 2, 28)));
    }

    #[test]
    fn months_begin_at_midnight_in_china() {
        let nov = Month::parse("2026-11").unwrap();
        // 2026-11-01 00:00 +08:00 is 2026-10-31 16:00 UTC
        assert_eq!(nov.start(), 1_793_462_400);
        assert_eq!(Month::of(nov.start()), nov);
        assert_eq!(Month::of(nov.start() - 1).to_string(), "2026-10");
        assert_eq!(nov.plus(2).to_string(), "2027-01");
        assert_eq!(nov.plus(-11).to_string(), "2025-12");
        assert_eq!(nov.plus(1).start() - nov.start(), 30 * DAY);
        assert_eq!(nov.plus(-10).span(nov), 11);
        assert_eq!(nov.span(nov.plus(-1)), 0);
    }

    #[test]
    fn bad_months_are_refused() {
        for s in [
            "2026-13", "2026-1", "26-01", "2026/01", "", "1999-12", "2026-00",
        ] {
            assert_eq!(Month::parse(s), None, "{s}");
        }
    }
}
