//! Money is integer fen (分) end to end: no float ever touches a price.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of renminbi in fen (1 yuan = 100 fen).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Fen(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("not an amount of yuan: {0:?}")]
    Malformed(String),
    #[error("at most two decimal places (fen): {0:?}")]
    TooPrecise(String),
    #[error("amount out of range: {0:?}")]
    Overflow(String),
    #[error("amount must not be negative")]
    Negative,
}

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// The largest amount any input may name (¥100,000,000): a unit price, a ceiling, a
    /// budget, an invoice. Low enough that such an amount times any quantity the mall takes
    /// (at most a million) and the sum of many such lines stay far inside `i64`, so no
    /// arithmetic on inputs can overflow.
    pub const MAX_INPUT: Fen = Fen::from_yuan(100_000_000);

    /// Whether an amount from outside is one the mall takes: from zero to [`Fen::MAX_INPUT`].
    pub fn is_input(self) -> bool {
        (0..=Fen::MAX_INPUT.0).contains(&self.0)
    }

    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// Unit price times a quantity, refusing overflow rather than wrapping.
    pub fn checked_mul(self, quantity: i64) -> Option<Fen> {
        self.0.checked_mul(quantity).map(Fen)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Parses a yuan amount as people type it: `12`, `12.5`, `12.50`, `1,234.00`, `¥8`.
    /// Exact decimal parsing; more than two decimals is an error, never a rounding.
    pub fn parse_yuan(input: &str) -> Result<Fen, MoneyError> {
        let malformed = || MoneyError::Malformed(input.to_string());
        let s: String = input
            .trim()
            .trim_start_matches(['¥', '￥'])
            .chars()
            .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
            .collect();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        if negative {
            return Err(MoneyError::Negative);
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(malformed());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(malformed());
        }
        if frac_part.len() > 2 {
            return Err(MoneyError::TooPrecise(input.to_string()));
        }
        let overflow = || MoneyError::Overflow(input.to_string());
        let yuan: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| overflow())?
        };
        let mut fen_digits = frac_part.to_string();
        while fen_digits.len() < 2 {
            fen_digits.push('0');
        }
        let fen: i64 = fen_digits.parse().map_err(|_| malformed())?;
        yuan.checked_mul(100)
            .and_then(|v| v.checked_add(fen))
            .map(Fen)
            .filter(|f| f.is_input())
            .ok_or_else(overflow)
    }

    /// `1234.50` style, no currency sign or grouping (for inputs and CSV).
    pub fn to_plain_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// `¥1,234.50`: grouped, two decimals, as shown to people.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}¥{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_yuan_exactly() {
        let cases = [
            ("12", 1200),
            ("12.5", 1250),
            ("12.05", 1205),
            ("0.01", 1),
            (".5", 50),
            ("1,234.00", 123400),
            ("¥8", 800),
            (" 3 ", 300),
        ];
        for (input, fen) in cases {
            assert_eq!(Fen::parse_yuan(input), Ok(Fen(fen)), "input {input:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_money() {
        assert!(matches!(
            Fen::parse_yuan("1.234"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("abc"),
            Err(MoneyError::Malformed(_))
        ));
        assert!(matches!(Fen::parse_yuan(""), Err(MoneyError::Malformed(_))));
        assert!(matches!(
            Fen::parse_yuan("."),
            Err(MoneyError::Malformed(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("1e5"),
            Err(MoneyError::Malformed(_))
        ));
        assert_eq!(Fen::parse_yuan("-1"), Err(MoneyError::Negative));
        for too_much in [
            "99999999999999999999",
            "92233720368547758.07",
            "100000000.01",
        ] {
            assert!(
                matches!(Fen::parse_yuan(too_much), Err(MoneyError::Overflow(_))),
                "{too_much}"
            );
        }
        assert_eq!(Fen::parse_yuan("100000000"), Ok(Fen::MAX_INPUT));
        assert!(Fen::MAX_INPUT.is_input() && !Fen(-1).is_input());
        assert!(
            Fen::MAX_INPUT
                .checked_mul(1_000_000)
                .is_some_and(|f| f.get() < i64::MAX / 100),
            "the largest input times the largest quantity leaves room for sums"
        );
    }

    #[test]
    fn displays_grouped_with_two_decimals() {
        assert_eq!(Fen(0).to_string(), "¥0.00");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(123_456_789).to_string(), "¥1,234,567.89");
        assert_eq!(Fen(100_000).to_string(), "¥1,000.00");
        assert_eq!(Fen(-250).to_string(), "-¥2.50");
        assert_eq!(Fen(123_450).to_plain_yuan(), "1234.50");
    }

    #[test]
    fn arithmetic_refuses_overflow() {
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(250).checked_mul(4), Some(Fen(1000)));
        assert_eq!(Fen(i64::MAX / 2).checked_mul(3), None);
    }
}
