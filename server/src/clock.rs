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
}
