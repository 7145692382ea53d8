//! A dashboard query's narrowing: the filter parsed, and its WHERE clause over the rollup.

use super::WHOLE_ORDER;
use crate::db::Built;
use emall_domain::calendar::Month;
use emall_domain::{CategoryCode, RegionCode, RegionLevel};
use emall_model::{DashboardFilter, FilterNote};

/// A dashboard query's narrowing, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub from: Month,
    pub to: Month,
    pub city: Option<RegionCode>,
    pub district: Option<RegionCode>,
    /// A category at any level; its subcategories count too.
    pub category: Option<CategoryCode>,
    pub unit: Option<i64>,
}

/// Why a filter was refused (put into words by whoever answers).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("a month is YYYY-MM")]
    Month,
    #[error("the first month is after the last")]
    Order,
    #[error("more than MAX_MONTHS months")]
    TooLong,
    /// The field named holds no code of its kind.
    #[error("not a region or category code")]
    Code(&'static str),
}

impl ScopeError {
    /// The fault as the console notes it beside the figures.
    pub fn note(&self) -> FilterNote {
        match self {
            ScopeError::Month => FilterNote::Month,
            ScopeError::Order => FilterNote::MonthOrder,
            ScopeError::TooLong => FilterNote::MonthSpan { max: MAX_MONTHS },
            ScopeError::Code(field) => FilterNote::Ignored {
                field: field.to_string(),
            },
        }
    }

    /// The filter field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            ScopeError::Month | ScopeError::Order | ScopeError::TooLong => "from",
            ScopeError::Code(field) => field,
        }
    }
}

/// The longest period one query covers.
pub const MAX_MONTHS: i64 = 60;

impl Scope {
    /// Empty fields mean all; the period defaults to the twelve months up to `now`.
    pub fn parse(f: &DashboardFilter, now: i64) -> Result<Scope, ScopeError> {
        let month = |s: &str| Month::parse(s).ok_or(ScopeError::Month);
        let to = if f.to.trim().is_empty() {
            Month::of(now)
        } else {
            month(&f.to)?
        };
        let from = if f.from.trim().is_empty() {
            to.plus(-11)
        } else {
            month(&f.from)?
        };
        if from.span(to) == 0 {
            return Err(ScopeError::Order);
        }
        if from.span(to) > MAX_MONTHS {
            return Err(ScopeError::TooLong);
        }
        // An empty field means every one; a code of the wrong kind or level is refused.
        fn code<T>(
            s: &str,
            field: &'static str,
            read: impl Fn(&str) -> Option<T>,
        ) -> Result<Option<T>, ScopeError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            read(s).map(Some).ok_or(ScopeError::Code(field))
        }
        let region = |level| move |s: &str| RegionCode::parse_at(s, level).ok();
        let city = code(&f.city, "city", region(RegionLevel::City))?;
        let district = code(&f.district, "district", region(RegionLevel::District))?;
        // a district of another city than the one chosen
        if matches!((city, district), (Some(c), Some(d)) if d.city() != c) {
            return Err(ScopeError::Code("district"));
        }
        Ok(Scope {
            from,
            to,
            city,
            district,
            category: code(&f.category, "category", |s| CategoryCode::parse(s).ok())?,
            unit: f.unit.filter(|u| *u > 0),
        })
    }

    /// As [`Scope::parse`], but a fault leaves out what it is about (a bad month the
    /// period, a bad code its field) instead of refusing: the console shows what it can
    /// and says what it left out.
    pub fn parse_or_narrower(f: &DashboardFilter, now: i64) -> (Scope, Vec<ScopeError>) {
        let mut f = f.clone();
        let mut faults = Vec::new();
        loop {
            match Scope::parse(&f, now) {
                Ok(scope) => return (scope, faults),
                Err(e) => {
                    match e {
                        ScopeError::Month | ScopeError::Order | ScopeError::TooLong => {
                            f.from.clear();
                            f.to.clear();
                        }
                        ScopeError::Code("district") => f.district.clear(),
                        ScopeError::Code("category") => f.category.clear(),
                        ScopeError::Code(_) => {
                            f.city.clear();
                            f.district.clear();
                        }
                    }
                    faults.push(e);
                }
            }
        }
    }

    pub fn filter(&self) -> DashboardFilter {
        DashboardFilter {
            from: self.from.to_string(),
            to: self.to.to_string(),
            city: text(self.city),
            district: text(self.district),
            category: text(self.category.as_ref()),
            unit: self.unit,
        }
    }

    /// `sql` narrowed to the scope: the conditions over `spend_rollup r`, each after
    /// ` WHERE ` or ` AND `. `categories`: the category rows (for the category breakdown)
    /// rather than the whole-order rows.
    pub(super) fn narrow(&self, sql: &mut Built, categories: bool) {
        sql.push(" WHERE r.month >= ")
            .push_value(self.from.to_string())
            .push(" AND r.month <= ")
            .push_value(self.to.to_string());
        match (&self.category, categories) {
            (Some(c), false) => {
                sql.push(" AND r.category_code = ").push_value(c.as_str());
            }
            (None, false) => {
                sql.push(" AND r.category_code = ").push_value(WHOLE_ORDER);
            }
            // the breakdown: the chosen category's children, or the second level
            (Some(c), true) => {
                sql.push(" AND r.category_code IN (SELECT code FROM categories WHERE parent = ")
                    .push_value(c.as_str())
                    .push(")");
            }
            (None, true) => {
                sql.push(
                    " AND r.category_code IN (SELECT code FROM categories WHERE parent IN \
                     (SELECT code FROM categories WHERE parent IS NULL))",
                );
            }
        }
        if let Some(c) = self.city {
            sql.push(" AND r.city = ").push_value(c.to_string());
        }
        if let Some(d) = self.district {
            sql.push(" AND r.district = ").push_value(d.to_string());
        }
        if let Some(u) = self.unit {
            sql.push(" AND r.unit_id = ").push_value(u);
        }
    }
}

/// An optional code as the filter's form shows it (empty for every one).
fn text(code: Option<impl ToString>) -> String {
    code.map(|c| c.to_string()).unwrap_or_default()
}
