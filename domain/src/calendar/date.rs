//! Civil dates and months in China, over the `time` crate's calendar.
//!
//! China Standard Time is UTC+8 all year (no daylight saving), so the date at a unix time
//! is the UTC date of that time plus eight hours.

pub use time::Weekday;

pub(crate) const DAY: i64 = 24 * 3600;
/// China Standard Time has no daylight saving.
pub(crate) const CST_OFFSET: i64 = 8 * 3600;
/// The Julian day number of 1970-01-01, the unix epoch.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// A civil date in China (years −9999 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

impl Date {
    /// `None` when there is no such day (2027-02-29, month 13).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Date)
    }

    /// `YYYY-MM-DD` (the month and the day may have one digit); `None` unless it names a
    /// real day.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        let digits = |p: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if parts.next().is_some() || !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
            return None;
        }
        Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The date in China at a unix time (the first or last representable day for times
    /// beyond ±9999 years).
    pub fn of(ts: i64) -> Date {
        Date::from_days(ts.saturating_add(CST_OFFSET).div_euclid(DAY))
    }

    /// The date `days` after 1970-01-01, clamped to the representable range.
    fn from_days(days: i64) -> Date {
        let min = i64::from(time::Date::MIN.to_julian_day());
        let max = i64::from(time::Date::MAX.to_julian_day());
        let julian = days.saturating_add(UNIX_EPOCH_JULIAN_DAY).clamp(min, max);
        // In range by the clamp, so the fallback is never taken.
        Date(time::Date::from_julian_day(julian as i32).unwrap_or(time::Date::MIN))
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(self) -> i64 {
        i64::from(self.0.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
    }

    /// The unix time at which the day begins in China.
    pub fn start(self) -> i64 {
        self.days() * DAY - CST_OFFSET
    }

    pub fn weekday(self) -> Weekday {
        self.0.weekday()
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u8, u8) {
        let (y, m, d) = self.0.to_calendar_date();
        (y, m as u8, d)
    }

    /// The next day (the same day at the end of the representable range).
    pub fn next(self) -> Date {
        Date(self.0.next_day().unwrap_or(self.0))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days() - self.days()
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
    year: i32,
    /// 1 to 12
    month: u8,
}

impl Month {
    /// `YYYY-MM`, years 2000 to 2100.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
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
        // A month's year is always representable (see `plus`), so the day exists.
        Date::from_ymd(self.year, self.month, 1).map_or(i64::MAX, Date::start)
    }

    /// `n` months later (earlier when negative), within years −9999 to 9999.
    pub fn plus(self, n: i64) -> Month {
        let index = (i64::from(self.year) * 12 + i64::from(self.month) - 1)
            .saturating_add(n)
            .clamp(-9999 * 12, 9999 * 12 + 11);
        Month {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u8 + 1,
        }
    }

    /// Months from `self` to `later`, counting both; 0 when `later` is earlier.
    pub fn span(self, later: Month) -> i64 {
        let index = |m: Month| i64::from(m.year) * 12 + i64::from(m.month);
        (index(later) - index(self) + 1).max(0)
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
        let mut hms = time.strip_suffix('Z')?.split(':');
        let h: u8 = hms.next()?.parse().ok()?;
        let m: u8 = hms.next()?.parse().ok()?;
        time::Time::from_hms(h, m, 0).ok()?;
        Some(day.days() * DAY + i64::from(h) * 3600 + i64::from(m) * 60)
    };
    match parse() {
        Some(ts) => {
            let secs = (ts + CST_OFFSET).rem_euclid(DAY);
            format!(
                "{} {:02}:{:02}",
                Date::of(ts),
                secs / 3600,
                secs % 3600 / 60
            )
        }
        None => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(day(1970, 1, 1).days(), 0);
        assert_eq!(Date::of(0), day(1970, 1, 1));
        assert_eq!(day(2026, 11, 22).weekday(), Weekday::Sunday);
        assert_eq!(day(2026, 1, 1).weekday(), Weekday::Thursday);
        assert!(day(2026, 11, 21).is_weekend() && !day(2026, 11, 20).is_weekend());
        assert_eq!(Date::parse("2026-02-28"), Some(day(2026, 2, 28)));
        assert_eq!(Date::parse("2026-2-8"), Some(day(2026, 2, 8)));
        // 23:30 UTC on the 21st is already the 22nd in Beijing.
        assert_eq!(Date::of(day(2026, 11, 22).start()), day(2026, 11, 22));
        assert_eq!(Date::of(day(2026, 11, 22).start() - 1), day(2026, 11, 21));
        assert_eq!(day(2026, 12, 31).next(), day(2027, 1, 1));
        assert_eq!(day(2024, 2, 28).next(), day(2024, 2, 29), "a leap year");
        assert_eq!(day(2026, 12, 30).days_until(day(2027, 1, 2)), 3);
        for d in [day(2024, 2, 29), day(1970, 1, 1), day(2026, 12, 31)] {
            assert_eq!(Date::parse(&d.to_string()), Some(d));
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Some(d));
        }
    }

    #[test]
    fn only_real_days_parse() {
        for s in [
            "2026-13-01",
            "2026-02-29",
            "2026-04-31",
            "2026-00-10",
            "2026-01-00",
            "26-01-01",
            "2026/01/01",
            "2026-01-01-01",
            "2026-+1-01",
            "2026-01-001",
            "",
            "二〇二六-01-01",
        ] {
            assert_eq!(Date::parse(s), None, "{s}");
        }
        assert_eq!(Date::from_ymd(2027, 2, 29), None);
        assert_eq!(Date::from_ymd(2027, 13, 1), None);
    }

    #[test]
    fn far_times_saturate() {
        assert_eq!(Date::of(i64::MAX).next(), Date::of(i64::MAX));
        assert!(Date::of(i64::MIN) < Date::of(0));
    }

    #[test]
    fn shows_beijing_time() {
        assert_eq!(beijing_time("2026-11-21T23:30:00Z"), "2026-11-22 07:30");
        assert_eq!(beijing_time("2026-02-28T16:05:59Z"), "2026-03-01 00:05");
        assert_eq!(beijing_time("2026-12-31T16:00:00Z"), "2027-01-01 00:00");
        assert_eq!(beijing_time("garbage"), "garbage");
        assert_eq!(beijing_time("2026-02-30T01:00:00Z"), "2026-02-30T01:00:00Z");
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
            "2026-13", "2026-1", "26-01", "2026/01", "", "1999-12", "2026-00", "+026-01",
        ] {
            assert_eq!(Month::parse(s), None, "{s}");
        }
    }
}
