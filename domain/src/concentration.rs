//! How concentrated a market is: the share of the largest suppliers and the
//! Herfindahl–Hirschman index (HHI), over each supplier's contract value.
//!
//! The HHI is the sum of squared market shares in percent, from near 0 (many small
//! suppliers) to 10,000 (one supplier). Competition authorities read below 1,500 as
//! unconcentrated and above 2,500 as highly concentrated.

use serde::{Deserialize, Serialize};

/// Concentration of a set of suppliers' amounts (fen or any other non-negative measure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Concentration {
    /// Suppliers with a positive amount.
    pub suppliers: i64,
    /// Share of the five largest, in basis points (1/100 of a percent).
    pub top5_bp: i64,
    /// Herfindahl–Hirschman index, 0 to 10,000.
    pub hhi: i64,
}

impl Concentration {
    /// Negative amounts count as zero; an empty or all-zero market is `default()`.
    pub fn of(amounts: impl IntoIterator<Item = i64>) -> Concentration {
        let mut amounts: Vec<i128> = amounts
            .into_iter()
            .filter(|a| *a > 0)
            .map(i128::from)
            .collect();
        let total: i128 = amounts.iter().sum();
        if total == 0 {
            return Concentration::default();
        }
        amounts.sort_unstable_by(|a, b| b.cmp(a));
        let top5: i128 = amounts.iter().take(5).sum();
        // Σ (100 · aᵢ / total)², rounded: shares as fractions keep any amount in range.
        let hhi: f64 = amounts
            .iter()
            .map(|a| {
                let share = *a as f64 / total as f64;
                share * share * 10_000.0
            })
            .sum();
        Concentration {
            suppliers: amounts.len() as i64,
            top5_bp: (top5 * 10_000 / total) as i64,
            hhi: hhi.round() as i64,
        }
    }

    /// Above 2,500: highly concentrated.
    pub fn is_high(&self) -> bool {
        self.hhi > 2_500
    }
}

/// `part` of `whole` in basis points, 0 when `whole` is not positive.
pub fn share_bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    (i128::from(part) * 10_000 / i128::from(whole)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_supplier_is_a_monopoly() {
        let c = Concentration::of([5_000]);
        assert_eq!(
            c,
            Concentration {
                suppliers: 1,
                top5_bp: 10_000,
                hhi: 10_000
            }
        );
        assert!(c.is_high());
    }

    #[test]
    fn equal_suppliers_split_the_index() {
        // four equal suppliers: 4 × 25² = 2,500
        let c = Concentration::of([100, 100, 100, 100]);
        assert_eq!(c.hhi, 2_500);
        assert_eq!(c.top5_bp, 10_000);
        assert!(!c.is_high());
        // ten equal suppliers: the top five hold half, 10 × 10² = 1,000
        let c = Concentration::of([7; 10]);
        assert_eq!(c.hhi, 1_000);
        assert_eq!(c.top5_bp, 5_000);
    }

    #[test]
    fn shares_are_taken_largest_first_whatever_the_order() {
        let a = Concentration::of([1, 2, 3, 4, 5, 6, 79]);
        let b = Concentration::of([79, 6, 5, 4, 3, 2, 1]);
        assert_eq!(a, b);
        assert_eq!(a.top5_bp, 9_700); // 79 + 6 + 5 + 4 + 3 of 100
        assert_eq!(a.hhi, 79 * 79 + 36 + 25 + 16 + 9 + 4 + 1);
    }

    #[test]
    fn empty_zero_and_negative_amounts_are_no_market() {
        assert_eq!(Concentration::of([]), Concentration::default());
        assert_eq!(Concentration::of([0, -5]), Concentration::default());
        assert_eq!(Concentration::of([0, 10, -3]).suppliers, 1);
    }

    #[test]
    fn huge_amounts_do_not_overflow() {
        let c = Concentration::of([i64::MAX / 2, i64::MAX / 2]);
        assert_eq!(c.hhi, 5_000);
        assert_eq!(share_bp(i64::MAX / 2, i64::MAX / 2 * 2), 5_000);
    }

    #[test]
    fn share_of_nothing_is_zero() {
        assert_eq!(share_bp(5, 0), 0);
        assert_eq!(share_bp(1, 3), 3_333);
    }
}
