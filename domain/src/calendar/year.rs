//! One year's official calendar as a file: the days off and the make-up working days (调休)
//! of the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知).
//!
//! The file is a small subset of TOML, one year per file:
//!
//! ```toml
//! # 国务院办公厅关于2026年部分节假日安排的通知
//! year = 2026
//! source = "国务院办公厅关于2026年部分节假日安排的通知"   # optional
//! holidays = [
//!     "2026-01-01..2026-01-03",   # 元旦; a range counts both ends
//!     "2026-02-15..2026-02-23",   # 春节
//! ]
//! workdays = ["2026-01-04", "2026-02-14", "2026-02-28"]
//! ```
//!
//! Dates may also be written unquoted (`2026-01-04`), as TOML local dates. Parsing reports
//! every fault with its line, so an operator copying a notice fixes them in one pass.

use super::date::Date;
use super::syntax::{read_entries, Entry, Item, Value};
use std::collections::BTreeSet;

/// The longest `source` kept.
const SOURCE_MAX_CHARS: usize = 200;

/// One year's days off and make-up working days, valid by construction: every date is in
/// the year, no day is both off and worked, every make-up day is a weekend, and the
/// fixed-date statutory holidays are off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCalendar {
    year: i32,
    source: Option<String>,
    holidays: BTreeSet<Date>,
    workdays: BTreeSet<Date>,
}

/// A fault in a year's file and its line (1-based; 0 for the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearFileError {
    pub line: usize,
    pub problem: YearFileProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearFileProblem {
    /// Not `key = value`, a comment or an empty line; an unclosed string or list.
    Syntax,
    /// A key other than `year`, `source`, `holidays`, `workdays`.
    UnknownKey(String),
    RepeatedKey(String),
    /// No `year = YYYY`.
    NoYear,
    /// `year` is not a whole number from 2000 to 2100.
    BadYear,
    /// `source` is not a string of at most 200 characters.
    BadSource,
    /// `holidays` or `workdays` is not a list.
    NotAList(String),
    /// Not a real day as `YYYY-MM-DD`, nor a range `YYYY-MM-DD..YYYY-MM-DD`.
    BadDate(String),
    /// A range that ends before it starts or is longer than a year.
    BadRange(String),
    /// A date in another year than `year`.
    OutsideYear(Date),
    /// A date listed twice in the same list.
    Repeated(Date),
    /// A make-up working day that is also a day off.
    OffAndWorked(Date),
    /// A make-up working day that is not a Saturday or Sunday.
    WorkdayNotWeekend(Date),
    /// A statutory holiday on a fixed date (元旦, 劳动节, 国庆节) that is not a day off.
    StatutoryMissing(Date),
}

/// The statutory holidays on fixed Gregorian dates (全国年节及纪念日放假办法): 元旦 1 January,
/// 劳动节 1 May (and 2 May from 2025), 国庆节 1–3 October. The others (春节, 清明节, 端午节,
/// 中秋节, 除夕) follow the lunar calendar or the solar terms and are known only from the
/// year's notice.
pub fn fixed_holidays(year: i32) -> Vec<Date> {
    let mut days = vec![(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)];
    if year >= 2025 {
        days.push((5, 2));
    }
    let mut dates: Vec<Date> = days
        .into_iter()
        .filter_map(|(m, d)| Date::from_ymd(year, m, d))
        .collect();
    dates.sort();
    dates
}

impl YearCalendar {
    /// Reads a year's file; every fault, in line order, if any.
    pub fn parse(text: &str) -> Result<YearCalendar, Vec<YearFileError>> {
        let entries = read_entries(text.strip_prefix('\u{feff}').unwrap_or(text));
        let mut errors = entries.errors;
        let mut year = None;
        let mut source = None;
        let mut lists: [Option<(usize, Vec<Item>)>; 2] = [None, None];
        let mut seen: Vec<String> = Vec::new();
        for Entry { line, key, value } in entries.entries {
            let mut fault = |problem| errors.push(YearFileError { line, problem });
            if seen.contains(&key) {
                fault(YearFileProblem::RepeatedKey(key));
                continue;
            }
            seen.push(key.clone());
            match (key.as_str(), value) {
                ("year", Value::Bare(v)) => match v.parse::<i32>() {
                    Ok(y)
                        if (2000..=2100).contains(&y) && v.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        year = Some(y)
                    }
                    _ => fault(YearFileProblem::BadYear),
                },
                ("year", _) => fault(YearFileProblem::BadYear),
                ("source", Value::Quoted(s)) if s.chars().count() <= SOURCE_MAX_CHARS => {
                    let s = s.trim().to_string();
                    source = (!s.is_empty()).then_some(s);
                }
                ("source", _) => fault(YearFileProblem::BadSource),
                ("holidays" | "workdays", Value::List(items)) => {
                    lists[usize::from(key == "workdays")] = Some((line, items));
                }
                ("holidays" | "workdays", _) => fault(YearFileProblem::NotAList(key.clone())),
                _ => fault(YearFileProblem::UnknownKey(key.clone())),
            }
        }
        if year.is_none() && !seen.iter().any(|k| k == "year") {
            errors.push(YearFileError {
                line: 0,
                problem: YearFileProblem::NoYear,
            });
        }
        let [off, worked] = lists;
        let holidays_line = off.as_ref().map_or(0, |(line, _)| *line);
        let check = |list: Option<(usize, Vec<Item>)>, errors: &mut Vec<YearFileError>| {
            let mut days = BTreeSet::new();
            let mut lines = Vec::new();
            for item in list.map(|(_, items)| items).unwrap_or_default() {
                let mut fault = |problem| {
                    errors.push(YearFileError {
                        line: item.line,
                        problem,
                    })
                };
                let Some(dates) = expand(&item.text, &mut fault) else {
                    continue;
                };
                for date in dates {
                    if year.is_some_and(|y| date.year() != y) {
                        fault(YearFileProblem::OutsideYear(date));
                    } else if !days.insert(date) {
                        fault(YearFileProblem::Repeated(date));
                    } else {
                        lines.push((date, item.line));
                    }
                }
            }
            (days, lines)
        };
        let (holidays, _) = check(off, &mut errors);
        let (workdays, worked_lines) = check(worked, &mut errors);
        for (date, line) in worked_lines {
            let problem = if holidays.contains(&date) {
                YearFileProblem::OffAndWorked(date)
            } else if !date.is_weekend() {
                YearFileProblem::WorkdayNotWeekend(date)
            } else {
                continue;
            };
            errors.push(YearFileError { line, problem });
        }
        // Unless the list is unreadable (its own faults say so), the fixed statutory days
        // must be off: a loaded year replaces the fallback that keeps them.
        let unreadable = errors.iter().any(|e| e.problem == YearFileProblem::Syntax)
            || (holidays_line == 0 && seen.iter().any(|k| k == "holidays"));
        if let Some(y) = year.filter(|_| !unreadable) {
            for date in fixed_holidays(y) {
                if !holidays.contains(&date) {
                    errors.push(YearFileError {
                        line: holidays_line,
                        problem: YearFileProblem::StatutoryMissing(date),
                    });
                }
            }
        }
        match year {
            Some(year) if errors.is_empty() => Ok(YearCalendar {
                year,
                source,
                holidays,
                workdays,
            }),
            _ => {
                errors.sort_by_key(|e| e.line);
                Err(errors)
            }
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// Where the dates come from, e.g. the notice's title.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The days off, weekends among them where the notice lists them.
    pub fn holidays(&self) -> &BTreeSet<Date> {
        &self.holidays
    }

    /// The make-up working days (调休), each a Saturday or Sunday.
    pub fn workdays(&self) -> &BTreeSet<Date> {
        &self.workdays
    }

    /// Whether a day of this year is worked.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.workdays.contains(&date) || !(date.is_weekend() || self.holidays.contains(&date))
    }
}

/// A date or an inclusive range of dates; `None` after reporting why not.
fn expand(text: &str, fault: &mut impl FnMut(YearFileProblem)) -> Option<Vec<Date>> {
    let Some((from, to)) = text.split_once("..") else {
        return match Date::parse(text.trim()) {
            Some(d) => Some(vec![d]),
            None => {
                fault(YearFileProblem::BadDate(text.to_string()));
                None
            }
        };
    };
    let (Some(from), Some(to)) = (Date::parse(from.trim()), Date::parse(to.trim())) else {
        fault(YearFileProblem::BadDate(text.to_string()));
        return None;
    };
    if !(0..366).contains(&from.days_until(to)) {
        fault(YearFileProblem::BadRange(text.to_string()));
        return None;
    }
    let mut dates = vec![from];
    let mut day = from;
    while day < to {
        day = day.next();
        dates.push(day);
    }
    Some(dates)
}

#[cfg(test)]
mod tests {
    use super::YearFileProblem as P;
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    /// A file with the fixed statutory days of 2027 and `rest` after them.
    fn file(rest: &str) -> String {
        format!(
            "year = 2027\nholidays = [\"2027-01-01\", \"2027-05-01..2027-05-02\", \
             \"2027-10-01..2027-10-03\"]\n{rest}"
        )
    }

    fn problems(text: &str) -> Vec<(usize, P)> {
        YearCalendar::parse(text)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.line, e.problem))
            .collect()
    }

    #[test]
    fn reads_dates_ranges_comments_and_unquoted_dates() {
        let text = "\u{feff}# 测试用，非国务院通知\n\
            year = 2027\n\
            source = 'a \"test\" file'\n\
            holidays = [\n  \"2027-01-01\",   # 元旦\n  2027-05-01..2027-05-02,\n\
            \"2027-10-01 .. 2027-10-03\", \"2027-10-09\",\n]\n\
            workdays = [ \"2027-10-10\" ]\n";
        let cal = YearCalendar::parse(text).unwrap();
        assert_eq!(cal.year(), 2027);
        assert_eq!(cal.source(), Some("a \"test\" file"));
        assert_eq!(cal.holidays().len(), 7);
        assert_eq!(
            cal.workdays().iter().copied().collect::<Vec<_>>(),
            [day(2027, 10, 10)]
        );
        assert!(!cal.is_working_day(day(2027, 10, 2)));
        assert!(
            !cal.is_working_day(day(2027, 10, 9)),
            "a holiday on a Saturday is fine"
        );
        assert!(cal.is_working_day(day(2027, 10, 10)), "a make-up Sunday");
        assert!(cal.is_working_day(day(2027, 10, 11)));
        assert!(
            YearCalendar::parse(&file("")).is_ok(),
            "workdays may be left out"
        );
    }

    #[test]
    fn the_readme_example_parses() {
        let text = r#"year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知"   # optional
holidays = [                       # days off; a range counts both ends
    "2027-01-01",
    "2027-05-01..2027-05-05",
    "2027-10-01..2027-10-07",
]
workdays = ["2027-10-09"]          # make-up working days, each a Saturday or Sunday
"#;
        let cal = YearCalendar::parse(text).unwrap();
        assert_eq!((cal.holidays().len(), cal.workdays().len()), (13, 1));
    }

    #[test]
    fn reports_every_fault_by_line() {
        let text = file(
            "workdays = [\n\
             \"2027-02-30\",\n\
             \"2026-12-26\",\n\
             \"2027-01-01\",\n\
             \"2027-01-06\",\n\
             \"2027-03-06\", \"2027-03-06\",\n\
             \"2027-03-10..2027-03-01\",\n\
             ]\n\
             colour = \"red\"\n\
             year = 2028\n\
             this is not toml\n\
             source = [\"x\"]\n",
        );
        assert_eq!(
            problems(&text),
            [
                (4, P::BadDate("2027-02-30".into())),
                (5, P::OutsideYear(day(2026, 12, 26))),
                (6, P::OffAndWorked(day(2027, 1, 1))),
                (7, P::WorkdayNotWeekend(day(2027, 1, 6))),
                (8, P::Repeated(day(2027, 3, 6))),
                (9, P::BadRange("2027-03-10..2027-03-01".into())),
                (11, P::UnknownKey("colour".into())),
                (12, P::RepeatedKey("year".into())),
                (13, P::Syntax),
                (14, P::BadSource),
            ]
        );
    }

    #[test]
    fn needs_the_year_and_its_fixed_holidays() {
        assert_eq!(problems("holidays = []\n"), [(0, P::NoYear)]);
        assert_eq!(problems("year = 1999\n"), [(1, P::BadYear)]);
        assert_eq!(problems("year = \"2027\"\n")[0], (1, P::BadYear));
        assert_eq!(
            problems("year = 2027\nholidays = [\"2027-01-01\", \"2027-10-01..2027-10-03\"]\n"),
            [
                (2, P::StatutoryMissing(day(2027, 5, 1))),
                (2, P::StatutoryMissing(day(2027, 5, 2))),
            ]
        );
        assert_eq!(
            problems("year = 2027\nholidays = \"2027-01-01\"\n"),
            [(2, P::NotAList("holidays".into()))]
        );
    }

    #[test]
    fn refuses_broken_syntax_and_goes_on() {
        for (text, line) in [
            ("year = 2027\nholidays = [\"2027-01-01\"", 2),
            ("year = 2027\nholidays = [\"2027-01-01\" \"2027-05-01\"]", 2),
            ("year = 2027\nholidays = [\"2027-01-01]\n", 2),
            (
                "year = 2027\nholidays = [\"2027-01-01\"，\"2027-05-01\"]\n",
                2,
            ),
            ("year 2027\n", 1),
            ("year = 2027 2028\n", 1),
        ] {
            let found = problems(text);
            assert!(found.contains(&(line, P::Syntax)), "{text:?}: {found:?}");
        }
        // An unclosed list does not swallow the entries after it.
        let found = problems("holidays = [\"2027-01-01\",\nyear = 2027\n");
        assert!(!found.iter().any(|(_, p)| *p == P::NoYear), "{found:?}");
    }

    #[test]
    fn refuses_ranges_longer_than_a_year() {
        assert_eq!(
            problems(&file("workdays = [\"2000-01-01..9999-12-31\"]\n")),
            [(3, P::BadRange("2000-01-01..9999-12-31".into()))]
        );
    }

    #[test]
    fn fixed_holidays_follow_the_law() {
        assert_eq!(fixed_holidays(2024).len(), 5);
        assert_eq!(
            fixed_holidays(2027),
            [
                day(2027, 1, 1),
                day(2027, 5, 1),
                day(2027, 5, 2),
                day(2027, 10, 1),
                day(2027, 10, 2),
                day(2027, 10, 3)
            ]
        );
    }
}
