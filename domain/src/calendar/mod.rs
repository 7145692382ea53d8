//! Working days in China (工作日): deadlines such as "confirm within 2 working days" skip
//! weekends and public holidays, and count the make-up working weekends (调休).
//!
//! The holidays are data, not code: each year's come from the State Council's notice,
//! published late in the year before, as a file ([`YearCalendar::parse`]). The mall ships
//! the years known when it was built (`domain/calendar/YYYY.toml`); the operator loads the
//! next ones. A year without a file counts weekends and the fixed-date statutory holidays
//! only ([`fixed_holidays`]), and [`WorkCalendar::missing_years`] says so.
//!
//! Dates are civil dates in China Standard Time (UTC+8); times are unix seconds.

mod date;
mod syntax;
mod year;

pub use date::{beijing_time, Date, Month, Weekday};
pub use year::{fixed_holidays, YearCalendar, YearFileError, YearFileProblem};

use date::DAY;
use std::collections::BTreeMap;

/// The year files the mall ships with, as in the State Council's notices.
const SHIPPED: &[&str] = &[
    include_str!("../../calendar/2025.toml"),
    include_str!("../../calendar/2026.toml"),
];

/// Which days are worked: for a year with a calendar, Monday to Friday minus its holidays
/// plus its make-up days; for another year, Monday to Friday minus the fixed-date
/// statutory holidays.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearCalendar>,
}

impl WorkCalendar {
    /// The years the mall ships with.
    pub fn china() -> WorkCalendar {
        WorkCalendar::default().with_years(WorkCalendar::shipped())
    }

    /// The shipped years, parsed (their validity is a unit test).
    pub fn shipped() -> Vec<YearCalendar> {
        SHIPPED
            .iter()
            .map(|text| YearCalendar::parse(text).expect("shipped calendar files are valid"))
            .collect()
    }

    /// This calendar with `years` in place of any it had for the same years.
    pub fn with_years(mut self, years: impl IntoIterator<Item = YearCalendar>) -> WorkCalendar {
        for year in years {
            self.years.insert(year.year(), year);
        }
        self
    }

    pub fn year(&self, year: i32) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    /// The years with a calendar, in order.
    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        match self.years.get(&date.year()) {
            Some(year) => year.is_working_day(date),
            None => !(date.is_weekend() || fixed_holidays(date.year()).contains(&date)),
        }
    }

    /// The years a deadline set on `today` may reach (this one and the next) that have no
    /// calendar, so their lunar holidays would be counted as working days.
    pub fn missing_years(&self, today: Date) -> Vec<i32> {
        let this = today.year();
        [this, this.saturating_add(1)]
            .into_iter()
            .filter(|y| !self.years.contains_key(y))
            .collect()
    }

    /// The moment `n` working days after `ts`: the same time of day on the `n`th working
    /// day after `ts`'s date. An order placed on Friday at 15:00 must be confirmed by
    /// Tuesday 15:00; one placed on Saturday at 10:00, by Tuesday 10:00.
    pub fn add_working_days(&self, ts: i64, n: u32) -> i64 {
        let start = Date::of(ts);
        let mut date = start;
        let mut left = n;
        while left > 0 {
            let next = date.next();
            if next == date {
                break; // the end of the calendar
            }
            date = next;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        ts.saturating_add(start.days_until(date).saturating_mul(DAY))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    /// Unix time of a CST wall-clock time.
    fn cst(y: i32, m: u8, d: u8, hour: i64) -> i64 {
        day(y, m, d).start() + hour * 3600
    }

    #[test]
    fn the_shipped_files_are_valid() {
        let years: Vec<i32> = WorkCalendar::shipped().iter().map(|y| y.year()).collect();
        assert_eq!(years, [2025, 2026]);
        // 2026 as the mall had it in code before the calendar became data.
        let y2026 = WorkCalendar::china().year(2026).cloned().unwrap();
        let listed = |set: &std::collections::BTreeSet<Date>| {
            set.iter()
                .map(Date::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            listed(y2026.holidays()),
            "2026-01-01 2026-01-02 2026-01-03 2026-02-15 2026-02-16 2026-02-17 2026-02-18 \
             2026-02-19 2026-02-20 2026-02-21 2026-02-22 2026-02-23 2026-04-04 2026-04-05 \
             2026-04-06 2026-05-01 2026-05-02 2026-05-03 2026-05-04 2026-05-05 2026-06-19 \
             2026-06-20 2026-06-21 2026-09-25 2026-09-26 2026-09-27 2026-10-01 2026-10-02 \
             2026-10-03 2026-10-04 2026-10-05 2026-10-06 2026-10-07"
        );
        assert_eq!(
            listed(y2026.workdays()),
            "2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10"
        );
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
    fn skips_holidays_and_counts_make_up_days_in_2026() {
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
        assert!(!cal.is_working_day(day(2026, 2, 16)));
        assert!(cal.is_working_day(day(2026, 2, 28)));
        assert!(cal.is_working_day(day(2026, 1, 4)), "a make-up Sunday");
    }

    #[test]
    fn skips_spring_festival_2026() {
        let cal = WorkCalendar::china();
        // Friday 13 February 2026, 16:00: Saturday 14th is worked, then 15–23 are off.
        assert_eq!(
            cal.add_working_days(cst(2026, 2, 13, 16), 1),
            cst(2026, 2, 14, 16)
        );
        assert_eq!(
            cal.add_working_days(cst(2026, 2, 13, 16), 2),
            cst(2026, 2, 24, 16)
        );
    }

    #[test]
    fn knows_2025() {
        let cal = WorkCalendar::china();
        let cases = [
            ((2025, 1, 1), false, "元旦"),
            ((2025, 1, 26), true, "make-up Sunday before 春节"),
            ((2025, 1, 28), false, "春节"),
            ((2025, 2, 4), false, "春节, a Tuesday"),
            ((2025, 2, 5), true, "back to work"),
            ((2025, 2, 8), true, "make-up Saturday"),
            ((2025, 4, 4), false, "清明节"),
            ((2025, 4, 27), true, "make-up Sunday before 劳动节"),
            ((2025, 5, 5), false, "劳动节"),
            ((2025, 6, 2), false, "端午节, a Monday"),
            ((2025, 9, 28), true, "make-up Sunday"),
            ((2025, 10, 8), false, "国庆节、中秋节"),
            ((2025, 10, 11), true, "make-up Saturday"),
            ((2025, 10, 12), false, "an ordinary Sunday"),
            ((2025, 10, 13), true, "an ordinary Monday"),
        ];
        for ((y, m, d), worked, why) in cases {
            assert_eq!(
                cal.is_working_day(day(y, m, d)),
                worked,
                "{y}-{m}-{d}: {why}"
            );
        }
    }

    #[test]
    fn a_year_without_a_calendar_falls_back_to_the_fixed_holidays() {
        let cal = WorkCalendar::china();
        assert_eq!(cal.missing_years(day(2026, 12, 3)), [2027]);
        assert_eq!(cal.missing_years(day(2025, 6, 1)), Vec::<i32>::new());
        assert_eq!(cal.missing_years(day(2028, 1, 1)), [2028, 2029]);
        assert!(!cal.is_working_day(day(2027, 10, 1)), "国庆节, a Friday");
        assert!(!cal.is_working_day(day(2027, 1, 1)), "元旦, a Friday");
        assert!(!cal.is_working_day(day(2027, 5, 1)), "劳动节, a Saturday");
        assert!(
            cal.is_working_day(day(2027, 5, 3)),
            "a Monday: 劳动节 is 1–2 May by law"
        );
        assert!(
            cal.is_working_day(day(2027, 10, 4)),
            "a Monday: no notice, no day off"
        );
        assert!(!cal.is_working_day(day(2027, 10, 9)), "a Saturday");
    }

    #[test]
    fn counts_across_the_year_boundary() {
        let cal = WorkCalendar::china();
        // Wednesday 30 December 2026: Thursday 31st, then 1 January 2027 is off (no 2027
        // calendar, but 元旦 is fixed), then the weekend, then Monday 4 January.
        assert_eq!(
            cal.add_working_days(cst(2026, 12, 30, 11), 2),
            cst(2027, 1, 4, 11)
        );
        // With a 2027 calendar that makes Saturday 2 January a working day.
        let y2027 = YearCalendar::parse(
            "year = 2027\nholidays = [\"2027-01-01\", \"2027-05-01..2027-05-02\", \
             \"2027-10-01..2027-10-03\"]\nworkdays = [\"2027-01-02\"]\n",
        )
        .unwrap();
        let cal = cal.with_years([y2027]);
        assert_eq!(cal.missing_years(day(2026, 12, 3)), Vec::<i32>::new());
        assert_eq!(
            cal.add_working_days(cst(2026, 12, 30, 11), 2),
            cst(2027, 1, 2, 11)
        );
    }

    #[test]
    fn a_loaded_year_replaces_the_shipped_one() {
        let corrected = YearCalendar::parse(
            "year = 2026\nholidays = [\"2026-01-01\", \"2026-05-01..2026-05-02\", \
             \"2026-10-01..2026-10-03\"]\n",
        )
        .unwrap();
        let cal = WorkCalendar::china().with_years([corrected]);
        assert!(
            cal.is_working_day(day(2026, 2, 16)),
            "no 春节 in the replacement"
        );
        assert!(
            !cal.is_working_day(day(2025, 1, 28)),
            "other years unchanged"
        );
    }
}
