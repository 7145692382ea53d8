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

    /// 同城限价: the schedule under a city price cap from a joint-purchase pool, for the
    /// pool's winner, who sells at no more than the pool price: the base drops to the cap
    /// and the tiers that would not be cheaper than it go.
    pub fn capped(&self, cap: Fen) -> PriceSchedule {
        if cap >= self.base {
            return self.clone();
        }
        PriceSchedule {
            base: cap,
            tiers: self
                .tiers
                .iter()
                .copied()
                .filter(|t| t.price < cap)
                .collect(),
        }
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
    fn a_cap_lowers_every_price_above_it_and_no_other() {
        let s = PriceSchedule::new(Fen(1000), vec![tier(10, 950), tier(50, 900)]).unwrap();
        for (cap, quantity, expected) in [
            (960, 1, 960),
            (960, 10, 950),
            (960, 50, 900),
            (920, 10, 920),
            (920, 50, 900),
            (800, 50, 800),
            (1200, 1, 1000),
        ] {
            let capped = s.capped(Fen(cap));
            assert_eq!(
                capped.unit_price(quantity),
                Fen(expected),
                "cap {cap}, quantity {quantity}"
            );
            assert_eq!(
                PriceSchedule::new(capped.base(), capped.tiers().to_vec()).as_ref(),
                Ok(&capped),
                "still a valid schedule"
            );
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
