//! Volume tiers (阶梯价): a lower unit price from a minimum quantity on. One price per city
//! still holds: the tiers are part of the offer, the same for every buyer.

use crate::money::Fen;
use serde::{Deserialize, Serialize};

/// One step: from `min_quantity` units on, each costs `price`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tier {
    pub min_quantity: i64,
    pub price: Fen,
}

/// A base price with volume tiers that are valid by construction: quantities strictly
/// increasing from 2, prices strictly decreasing below the base price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceSchedule {
    base: Fen,
    tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TierError {
    #[error("prices must be positive")]
    NotPositive,
    #[error("a tier's minimum quantity must be at least 2")]
    QuantityTooSmall,
    #[error("tier quantities must increase")]
    QuantitiesNotIncreasing,
    #[error("each tier must be cheaper than the one before it and than the base price")]
    PricesNotDecreasing,
    #[error("at most 10 tiers")]
    TooMany,
}

impl PriceSchedule {
    pub fn new(base: Fen, mut tiers: Vec<Tier>) -> Result<PriceSchedule, TierError> {
        if base.get() <= 0 || tiers.iter().any(|t| t.price.get() <= 0) {
            return Err(TierError::NotPositive);
        }
        if tiers.len() > 10 {
            return Err(TierError::TooMany);
        }
        tiers.sort_by_key(|t| t.min_quantity);
        if tiers.iter().any(|t| t.min_quantity < 2) {
            return Err(TierError::QuantityTooSmall);
        }
        if tiers
            .windows(2)
            .any(|w| w[0].min_quantity == w[1].min_quantity)
        {
            return Err(TierError::QuantitiesNotIncreasing);
        }
        let mut previous = base;
        for t in &tiers {
            if t.price >= previous {
                return Err(TierError::PricesNotDecreasing);
            }
            previous = t.price;
        }
        Ok(PriceSchedule { base, tiers })
    }

    pub fn base(&self) -> Fen {
        self.base
    }

    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The unit price for an order of `quantity` units.
    pub fn unit_price(&self, quantity: i64) -> Fen {
        self.tiers
            .iter()
            .rev()
            .find(|t| quantity >= t.min_quantity)
            .map(|t| t.price)
            .unwrap_or(self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(q: i64, p: i64) -> Tier {
        Tier {
            min_quantity: q,
            price: Fen(p),
        }
    }

    #[test]
    fn unit_price_follows_the_steps() {
        let s = PriceSchedule::new(Fen(1000), vec![tier(50, 900), tier(10, 950)]).unwrap();
        assert_eq!(s.tiers()[0].min_quantity, 10, "sorted by quantity");
        let cases = [
            (1, 1000),
            (9, 1000),
            (10, 950),
            (49, 950),
            (50, 900),
            (1000, 900),
        ];
        for (q, p) in cases {
            assert_eq!(s.unit_price(q), Fen(p), "quantity {q}");
        }
    }

    #[test]
    fn refuses_tiers_that_do_not_lower_the_price() {
        let cases = [
            (vec![tier(10, 1000)], TierError::PricesNotDecreasing),
            (
                vec![tier(10, 900), tier(20, 950)],
                TierError::PricesNotDecreasing,
            ),
            (vec![tier(1, 900)], TierError::QuantityTooSmall),
            (
                vec![tier(10, 900), tier(10, 800)],
                TierError::QuantitiesNotIncreasing,
            ),
            (vec![tier(10, 0)], TierError::NotPositive),
        ];
        for (tiers, expected) in cases {
            assert_eq!(
                PriceSchedule::new(Fen(1000), tiers.clone()),
                Err(expected),
                "{tiers:?}"
            );
        }
        assert!(
            PriceSchedule::new(Fen(1000), vec![]).is_ok(),
            "no tiers is fine"
        );
    }
}
