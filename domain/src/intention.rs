//! 采购意向公开: what a purchasing unit means to buy in a year, published before it buys so
//! that suppliers can prepare. Each intention names a category, a budget and the month the
//! purchase is expected.

use crate::category::CategoryCode;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

/// An intention as a unit enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntentionInput {
    pub year: i64,
    /// 1 to 12
    pub month: i64,
    /// What is to be bought, e.g. 办公用复印纸.
    pub title: String,
    /// A category of the procurement catalogue.
    pub category_code: String,
    /// Budget in yuan, e.g. `12000.00`.
    pub budget: String,
    /// Quantity, specification, delivery: at most 500 characters; may be empty.
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intention {
    pub year: i64,
    pub month: i64,
    pub title: String,
    pub category_code: CategoryCode,
    pub budget: Fen,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntentionError {
    #[error("required, at most {0} characters")]
    Text(usize),
    #[error("at most {0} characters")]
    TooLong(usize),
    #[error("an amount in yuan above zero")]
    Budget,
    #[error("this year or the next")]
    Year,
    #[error("a month from 1 to 12")]
    Month,
    #[error("a code of the procurement catalogue")]
    Category,
}

impl Intention {
    /// Every fault at once, by field. `this_year`: intentions are for this year or the next.
    pub fn parse(
        input: &IntentionInput,
        this_year: i64,
    ) -> Result<Intention, Vec<(&'static str, IntentionError)>> {
        let mut errors = Vec::new();
        let text = |errors: &mut Vec<_>, field: &'static str, value: &str, max, required| {
            let v = value.trim().to_string();
            let n = v.chars().count();
            if required && (n == 0 || n > max) {
                errors.push((field, IntentionError::Text(max)));
            } else if n > max {
                errors.push((field, IntentionError::TooLong(max)));
            }
            v
        };
        let title = text(&mut errors, "title", &input.title, 100, true);
        let category_code = CategoryCode::parse(&input.category_code).ok();
        if category_code.is_none() {
            errors.push(("category_code", IntentionError::Category));
        }
        let description = text(&mut errors, "description", &input.description, 500, false);
        if !(this_year..=this_year + 1).contains(&input.year) {
            errors.push(("year", IntentionError::Year));
        }
        if !(1..=12).contains(&input.month) {
            errors.push(("month", IntentionError::Month));
        }
        let budget = Fen::parse_yuan(&input.budget).ok().filter(|b| b.get() > 0);
        if budget.is_none() {
            errors.push(("budget", IntentionError::Budget));
        }
        match (budget, category_code) {
            (Some(budget), Some(category_code)) if errors.is_empty() => Ok(Intention {
                year: input.year,
                month: input.month,
                title,
                category_code,
                budget,
                description,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> IntentionInput {
        IntentionInput {
            year: 2027,
            month: 3,
            title: " 办公用复印纸 ".into(),
            category_code: "A0510".into(),
            budget: "12,000.00".into(),
            description: "A4 70g，约 400 箱".into(),
        }
    }

    #[test]
    fn a_good_intention_is_trimmed_and_priced() {
        let i = Intention::parse(&input(), 2026).unwrap();
        assert_eq!(i.title, "办公用复印纸");
        assert_eq!(i.budget, Fen(1_200_000));
        assert_eq!((i.year, i.month), (2027, 3));
    }

    #[test]
    fn every_fault_is_listed() {
        let bad = IntentionInput {
            year: 2029,
            month: 13,
            title: "".into(),
            category_code: "".into(),
            budget: "0".into(),
            description: "长".repeat(501),
        };
        let errors = Intention::parse(&bad, 2026).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "title",
                "category_code",
                "description",
                "year",
                "month",
                "budget"
            ]
        );
        assert_eq!(errors[2].1, IntentionError::TooLong(500));
    }

    #[test]
    fn only_this_year_or_the_next() {
        assert!(Intention::parse(
            &IntentionInput {
                year: 2026,
                ..input()
            },
            2026
        )
        .is_ok());
        assert!(Intention::parse(
            &IntentionInput {
                year: 2025,
                ..input()
            },
            2026
        )
        .is_err());
    }
}
