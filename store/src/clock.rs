//! Times are UTC unix seconds in the database and RFC 3339 at the edges.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(ts: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// A time as people enter it: RFC 3339, or a browser's `YYYY-MM-DDTHH:MM` (a
/// `datetime-local` field) read as Beijing time, where the mall's buyers are.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let local = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let beijing = time::macros::offset!(+8);
    time::PrimitiveDateTime::parse(s, &local)
        .ok()
        .map(|t| t.assume_offset(beijing).unix_timestamp())
}

/// `YYYY-MM` of a timestamp, for monthly series.
pub fn year_month(ts: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .map(|t| format!("{:04}-{:02}", t.year(), u8::from(t.month())))
        .unwrap_or_default()
}

pub fn year_of(ts: i64) -> i32 {
    OffsetDateTime::from_unix_timestamp(ts)
        .map(|t| t.year())
        .unwrap_or(1970)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(year_month(1_767_225_600), "2026-01");
        assert_eq!(year_of(1_767_225_600), 2026);
    }

    #[test]
    fn reads_entered_times_as_beijing_time() {
        for (input, expected) in [
            ("2026-01-01T08:00", Some(1_767_225_600)),
            ("2026-01-01T00:00:00Z", Some(1_767_225_600)),
            ("2026-01-01T08:00:00+08:00", Some(1_767_225_600)),
            ("2026-13-01T08:00", None),
            ("明天", None),
        ] {
            assert_eq!(parse_time(input), expected, "{input}");
        }
    }
}
