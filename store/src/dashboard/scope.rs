//! A dashboard query's narrowing: the filter parsed, and its WHERE clause over the rollup.

use super::WHOLE_ORDER;
use emall_domain::calendar::Month;
use emall_model::DashboardFilter;

/// A dashboard query's narrowing, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub from: Month,
    pub to: Month,
    pub city: Option<String>,
    pub district: Option<String>,
    /// A category code at any level; its subcategories count too.
    pub category: Option<String>,
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
    #[error("not a region or category code")]
    Code,
}

impl ScopeError {
    /// The filter field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            ScopeError::Month | ScopeError::Order | ScopeError::TooLong => "from",
            ScopeError::Code => "city",
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
        let code = |s: &str, len: std::ops::RangeInclusive<usize>, digits: bool| {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let ok = len.contains(&s.len())
                && s.chars().all(|c| {
                    if digits {
                        c.is_ascii_digit()
                    } else {
                        c.is_ascii_alphanumeric()
                    }
                });
            if ok {
                Ok(Some(s.to_string()))
            } else {
                Err(ScopeError::Code)
            }
        };
        Ok(Scope {
            from,
            to,
            city: code(&f.city, 6..=6, true)?,
            district: code(&f.district, 6..=6, true)?,
            category: code(&f.category, 1..=16, false)?,
            unit: f.unit.filter(|u| *u > 0),
        })
    }

    pub fn filter(&self) -> DashboardFilter {
        DashboardFilter {
            from: self.from.to_string(),
            to: self.to.to_string(),
            city: self.city.clone().unwrap_or_default(),
            district: self.district.clone().unwrap_or_default(),
            category: self.category.clone().unwrap_or_default(),
            unit: self.unit,
        }
    }

    /// The WHERE clause over `spend_rollup r` and its parameters, in order. `categories`:
    /// the category rows (for the category breakdown) rather than the whole-order rows.
    pub(super) fn clause(&self, categories: bool) -> (String, Vec<Param>) {
        let mut sql = String::from("r.month >= $1 AND r.month <= $2");
        let mut params = vec![
            Param::Text(self.from.to_string()),
            Param::Text(self.to.to_string()),
        ];
        // `cond`, with `$` where the parameter's number goes.
        let mut push = |cond: &str, p: Option<Param>| {
            sql.push_str(" AND ");
            match p {
                Some(p) => {
                    params.push(p);
                    sql.push_str(&cond.replace('$', &format!("${}", params.len())));
                }
                None => sql.push_str(cond),
            }
        };
        match (&self.category, categories) {
            (Some(c), false) => push("r.category_code = $", Some(Param::Text(c.clone()))),
            (None, false) => push("r.category_code = $", Some(Param::Text(WHOLE_ORDER.into()))),
            // the breakdown: the chosen category's children, or the second level
            (Some(c), true) => push(
                "r.category_code IN (SELECT code FROM categories WHERE parent = $)",
                Some(Param::Text(c.clone())),
            ),
            (None, true) => push(
                "r.category_code IN (SELECT code FROM categories WHERE parent IN \
                 (SELECT code FROM categories WHERE parent IS NULL))",
                None,
            ),
        }
        if let Some(c) = &self.city {
            push("r.city = $", Some(Param::Text(c.clone())));
        }
        if let Some(d) = &self.district {
            push("r.district = $", Some(Param::Text(d.clone())));
        }
        if let Some(u) = self.unit {
            push("r.unit_id = $", Some(Param::Int(u)));
        }
        (sql, params)
    }
}

/// A parameter of a [`Scope`]'s WHERE clause.
pub(super) enum Param {
    Text(String),
    Int(i64),
}
