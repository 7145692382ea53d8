//! 联合采购 / 带量采购: joint-purchase pools. Purchasing units commit quantities to a pool,
//! suppliers bid volume tiers, and at closing the whole pooled quantity goes to the bid that
//! is cheapest *at that total*. The winning price then holds as the city price cap for
//! [`PoolTerms::validity_days`].
//!
//! # Money
//!
//! A unit's money is frozen when it commits, at `quantity × ceiling` ([`freeze_amount`]).
//! No bid may ask more than the ceiling, so whichever bid wins, the frozen money covers the
//! bill and settlement never has to ask a unit for more. Amounts are integer fen with checked
//! arithmetic: an overflow is an error, never a wrap or a panic.
//!
//! # Settlement ([`settle`])
//!
//! | step      | rule                                                                          |
//! |-----------|-------------------------------------------------------------------------------|
//! | total     | the sum of the committed quantities                                           |
//! | minimum   | total below [`PoolTerms::min_total_quantity`]: failed, every fen released     |
//! | qualify   | a bid serves the total when its first tier's quantity ≤ total                 |
//! | price     | a qualifying bid asks the price of the highest tier the total reaches         |
//! | winner    | lowest price; then higher performance score; then earlier last revision; then lower bid id |
//! | award     | each commitment pays `quantity × price` and gets `frozen − amount` back      |
//!
//! The tie-breaks prefer the more reliable supplier, then the one that stood by its price
//! longer (a revision is a new commitment); the bid id only makes the order total, so the
//! same bids and commitments in any order settle the same way.

use crate::money::Fen;
use crate::pricing::Tier;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

/// More tiers than this is noise on the public result page, not a better offer.
pub const MAX_TIERS: usize = 10;
/// The city price cap from a pool holds at most two years: prices move.
pub const MAX_VALIDITY_DAYS: i64 = 730;

/// The published terms of a pool, valid by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PoolTerms {
    min_total_quantity: i64,
    ceiling: Fen,
    opens_at: i64,
    closes_at: i64,
    validity_days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolTermsError {
    #[error("the minimum total quantity must be at least 1")]
    MinimumTooSmall,
    #[error("the ceiling price must be positive")]
    CeilingNotPositive,
    #[error("the pool must close after it opens")]
    ClosesBeforeOpening,
    #[error("the price cap must hold for 1 to 730 days")]
    ValidityOutOfRange,
}

impl PoolTerms {
    pub fn new(
        min_total_quantity: i64,
        ceiling: Fen,
        opens_at: i64,
        closes_at: i64,
        validity_days: i64,
    ) -> Result<PoolTerms, PoolTermsError> {
        if min_total_quantity < 1 {
            return Err(PoolTermsError::MinimumTooSmall);
        }
        if ceiling.get() <= 0 {
            return Err(PoolTermsError::CeilingNotPositive);
        }
        if closes_at <= opens_at {
            return Err(PoolTermsError::ClosesBeforeOpening);
        }
        if !(1..=MAX_VALIDITY_DAYS).contains(&validity_days) {
            return Err(PoolTermsError::ValidityOutOfRange);
        }
        Ok(PoolTerms {
            min_total_quantity,
            ceiling,
            opens_at,
            closes_at,
            validity_days,
        })
    }

    /// Below this total the pool fails: the volume that justified the bids never came.
    pub fn min_total_quantity(&self) -> i64 {
        self.min_total_quantity
    }

    /// 最高限价: the highest unit price a bid may ask, and the unit price money is frozen at.
    pub fn ceiling(&self) -> Fen {
        self.ceiling
    }

    /// Unix seconds.
    pub fn opens_at(&self) -> i64 {
        self.opens_at
    }

    /// Unix seconds.
    pub fn closes_at(&self) -> i64 {
        self.closes_at
    }

    /// How long the winning price holds as the city price cap.
    pub fn validity_days(&self) -> i64 {
        self.validity_days
    }
}

/// A supplier's volume-tier bid: sorted, quantities strictly increasing from at least 1,
/// prices within the ceiling and never higher for a larger total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct BidTiers(Vec<Tier>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BidError {
    #[error("a bid needs at least one tier")]
    Empty,
    #[error("at most 10 tiers")]
    TooMany,
    #[error("a tier's minimum quantity must be at least 1")]
    QuantityTooSmall,
    #[error("two tiers have the same minimum quantity")]
    DuplicateQuantity,
    #[error("prices must be positive")]
    NotPositive,
    #[error("no price may exceed the pool's ceiling")]
    AboveCeiling,
    #[error("a larger total must not cost more per unit")]
    PricesIncreasing,
}

impl BidTiers {
    pub fn parse(mut tiers: Vec<Tier>, ceiling: Fen) -> Result<BidTiers, BidError> {
        if tiers.is_empty() {
            return Err(BidError::Empty);
        }
        if tiers.len() > MAX_TIERS {
            return Err(BidError::TooMany);
        }
        tiers.sort_by_key(|t| t.min_quantity);
        if tiers[0].min_quantity < 1 {
            return Err(BidError::QuantityTooSmall);
        }
        if tiers.iter().any(|t| t.price.get() <= 0) {
            return Err(BidError::NotPositive);
        }
        if tiers.iter().any(|t| t.price > ceiling) {
            return Err(BidError::AboveCeiling);
        }
        for w in tiers.windows(2) {
            if w[0].min_quantity == w[1].min_quantity {
                return Err(BidError::DuplicateQuantity);
            }
            // Equal is fine: a supplier may serve a larger volume without a further discount.
            if w[1].price > w[0].price {
                return Err(BidError::PricesIncreasing);
            }
        }
        Ok(BidTiers(tiers))
    }

    pub fn tiers(&self) -> &[Tier] {
        &self.0
    }

    /// The unit price for a pool of `total` units; `None` below the first tier, where the
    /// supplier has said it does not serve the volume.
    pub fn price_at(&self, total: i64) -> Option<Fen> {
        self.0
            .iter()
            .rev()
            .find(|t| t.min_quantity <= total)
            .map(|t| t.price)
    }
}

/// The money to freeze for a commitment: enough for any bid the pool can accept.
pub fn freeze_amount(quantity: i64, ceiling: Fen) -> Result<Fen, SettleError> {
    if quantity < 1 {
        return Err(SettleError::BadQuantity { quantity });
    }
    ceiling.checked_mul(quantity).ok_or(SettleError::Overflow)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bid {
    pub bid_id: i64,
    pub supplier_id: i64,
    pub tiers: BidTiers,
    /// The supplier's performance score (0–100).
    pub score: i64,
    /// Unix seconds of the latest revision.
    pub placed_at: i64,
}

/// A purchasing unit's share of the pool, with the money frozen for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    pub commitment_id: i64,
    pub unit_id: i64,
    pub quantity: i64,
    pub frozen: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error("a quantity must be at least 1, got {quantity}")]
    BadQuantity { quantity: i64 },
    #[error("amount out of range")]
    Overflow,
    #[error("commitment {commitment_id} has less money frozen than it owes")]
    UnderFrozen { commitment_id: i64 },
    #[error("bid {bid_id} appears twice")]
    DuplicateBid { bid_id: i64 },
    #[error("commitment {commitment_id} appears twice")]
    DuplicateCommitment { commitment_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Awarded(Award),
    Failed {
        reason: FailReason,
        /// `(commitment_id, amount)`: every frozen fen goes back, by commitment id.
        releases: Vec<(i64, Fen)>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FailReason {
    BelowMinimum { total: i64, minimum: i64 },
    NoQualifyingBid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    pub winner_bid_id: i64,
    pub supplier_id: i64,
    pub unit_price: Fen,
    pub total_quantity: i64,
    /// `unit_price × total_quantity`, the sum of the line amounts.
    pub total_amount: Fen,
    /// One per commitment, by commitment id.
    pub lines: Vec<Line>,
    /// `(bid_id, price at the total)`, winner first: the qualifying bids in settlement
    /// order, then the others, so the public result page shows why the winner won.
    pub ranking: Vec<(i64, Option<Fen>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub commitment_id: i64,
    pub unit_id: i64,
    pub quantity: i64,
    /// `quantity × unit_price`: what the unit pays.
    pub amount: Fen,
    /// `frozen − amount`: what goes back to the unit.
    pub release: Fen,
}

/// Settles a closed pool. Pure: the caller decides when the pool has closed.
pub fn settle(
    terms: &PoolTerms,
    bids: &[Bid],
    commitments: &[Commitment],
) -> Result<Outcome, SettleError> {
    let mut commitments = commitments.to_vec();
    commitments.sort_by_key(|c| c.commitment_id);
    if let Some(w) = commitments
        .windows(2)
        .find(|w| w[0].commitment_id == w[1].commitment_id)
    {
        let commitment_id = w[0].commitment_id;
        return Err(SettleError::DuplicateCommitment { commitment_id });
    }
    let mut bid_ids: Vec<i64> = bids.iter().map(|b| b.bid_id).collect();
    bid_ids.sort_unstable();
    if let Some(w) = bid_ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(SettleError::DuplicateBid { bid_id: w[0] });
    }
    let mut total: i64 = 0;
    for c in &commitments {
        if c.quantity < 1 {
            return Err(SettleError::BadQuantity {
                quantity: c.quantity,
            });
        }
        if c.frozen.is_negative() {
            let commitment_id = c.commitment_id;
            return Err(SettleError::UnderFrozen { commitment_id });
        }
        total = total.checked_add(c.quantity).ok_or(SettleError::Overflow)?;
    }

    let failed = |reason| Outcome::Failed {
        reason,
        releases: commitments
            .iter()
            .map(|c| (c.commitment_id, c.frozen))
            .collect(),
    };
    if total < terms.min_total_quantity {
        let minimum = terms.min_total_quantity;
        return Ok(failed(FailReason::BelowMinimum { total, minimum }));
    }

    let mut ranked: Vec<(&Bid, Option<Fen>)> =
        bids.iter().map(|b| (b, b.tiers.price_at(total))).collect();
    ranked.sort_by_key(|&(b, price)| {
        (
            price.is_none(),
            price,
            Reverse(b.score),
            b.placed_at,
            b.bid_id,
        )
    });
    let Some(&(winner, Some(unit_price))) = ranked.first() else {
        return Ok(failed(FailReason::NoQualifyingBid));
    };

    let mut lines = Vec::with_capacity(commitments.len());
    for c in &commitments {
        let amount = unit_price
            .checked_mul(c.quantity)
            .ok_or(SettleError::Overflow)?;
        let release = c
            .frozen
            .checked_sub(amount)
            .filter(|r| !r.is_negative())
            .ok_or(SettleError::UnderFrozen {
                commitment_id: c.commitment_id,
            })?;
        lines.push(Line {
            commitment_id: c.commitment_id,
            unit_id: c.unit_id,
            quantity: c.quantity,
            amount,
            release,
        });
    }
    Ok(Outcome::Awarded(Award {
        winner_bid_id: winner.bid_id,
        supplier_id: winner.supplier_id,
        unit_price,
        total_quantity: total,
        total_amount: unit_price.checked_mul(total).ok_or(SettleError::Overflow)?,
        lines,
        ranking: ranked.iter().map(|&(b, p)| (b.bid_id, p)).collect(),
    }))
}

/// Where an open pool stands, for the buyers' page: what the price would be if it closed
/// now, and how many more units would lower it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub current_price: Option<Fen>,
    pub next: Option<NextTier>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextTier {
    pub min_quantity: i64,
    pub price: Fen,
    /// `min_quantity − total`: the units still to be committed.
    pub missing: i64,
}

/// The current lowest price at `total`, and the nearest tier of any bid above `total` that
/// would beat it (any tier if nothing qualifies yet: that is where the pool gets a price).
/// A negative total counts as 0: a pool never holds less than nothing.
pub fn progress(bids: &[Bid], total: i64) -> Progress {
    let total = total.max(0);
    let current_price = bids.iter().filter_map(|b| b.tiers.price_at(total)).min();
    let next = bids
        .iter()
        .flat_map(|b| b.tiers.tiers())
        .filter(|t| t.min_quantity > total && current_price.is_none_or(|c| t.price < c))
        .min_by_key(|t| (t.min_quantity, t.price))
        .map(|t| NextTier {
            min_quantity: t.min_quantity,
            price: t.price,
            missing: t.min_quantity - total,
        });
    Progress {
        current_price,
        next,
    }
}

/// What pooling saved against a baseline price (e.g. the catalogue price before the pool).
/// Negative when the pool came out dearer: shown as it is, never hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Savings {
    pub per_unit: Fen,
    pub total: Fen,
    /// `per_unit / baseline` in 1/10000, rounded half away from zero; 0 for a zero baseline.
    pub basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavingsError {
    #[error("savings out of range")]
    Overflow,
}

pub fn savings(pool_price: Fen, baseline: Fen, quantity: i64) -> Result<Savings, SavingsError> {
    let per_unit = baseline
        .checked_sub(pool_price)
        .ok_or(SavingsError::Overflow)?;
    let total = per_unit
        .checked_mul(quantity)
        .ok_or(SavingsError::Overflow)?;
    let basis_points = if baseline.get() == 0 {
        0
    } else {
        // i128 holds per_unit × 10000 for any i64 per_unit.
        let n = i128::from(per_unit.get()) * 10_000;
        let d = i128::from(baseline.get());
        let mut q = n / d;
        if 2 * (n % d).abs() >= d.abs() {
            q += if (n < 0) == (d < 0) { 1 } else { -1 };
        }
        i64::try_from(q).map_err(|_| SavingsError::Overflow)?
    };
    Ok(Savings {
        per_unit,
        total,
        basis_points,
    })
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

    fn bid(bid_id: i64, tiers: &[(i64, i64)], score: i64, placed_at: i64) -> Bid {
        let tiers = tiers.iter().map(|&(q, p)| tier(q, p)).collect();
        Bid {
            bid_id,
            supplier_id: bid_id * 10,
            tiers: BidTiers::parse(tiers, Fen(1000)).unwrap(),
            score,
            placed_at,
        }
    }

    fn commitment(commitment_id: i64, quantity: i64, frozen: i64) -> Commitment {
        Commitment {
            commitment_id,
            unit_id: commitment_id + 500,
            quantity,
            frozen: Fen(frozen),
        }
    }

    fn terms(minimum: i64) -> PoolTerms {
        PoolTerms::new(minimum, Fen(1000), 0, 86_400, 365).unwrap()
    }

    fn award(outcome: Outcome) -> Award {
        match outcome {
            Outcome::Awarded(a) => a,
            other => panic!("expected an award, got {other:?}"),
        }
    }

    #[test]
    fn terms_refuse_each_bad_field() {
        let cases = [
            ((0, 1000, 0, 1, 30), PoolTermsError::MinimumTooSmall),
            ((1, 0, 0, 1, 30), PoolTermsError::CeilingNotPositive),
            ((1, 1000, 5, 5, 30), PoolTermsError::ClosesBeforeOpening),
            ((1, 1000, 0, 1, 0), PoolTermsError::ValidityOutOfRange),
            ((1, 1000, 0, 1, 731), PoolTermsError::ValidityOutOfRange),
        ];
        for ((min, ceiling, opens, closes, days), expected) in cases {
            let got = PoolTerms::new(min, Fen(ceiling), opens, closes, days);
            assert_eq!(
                got,
                Err(expected),
                "{min} {ceiling} {opens} {closes} {days}"
            );
        }
        let t = PoolTerms::new(1, Fen(1), 0, 1, 730).expect("edges are valid");
        assert_eq!(
            (
                t.min_total_quantity(),
                t.ceiling(),
                t.opens_at(),
                t.closes_at()
            ),
            (1, Fen(1), 0, 1)
        );
        assert_eq!(t.validity_days(), 730);
    }

    #[test]
    fn bid_tiers_refuse_each_error() {
        let eleven: Vec<Tier> = (1..=11).map(|q| tier(q, 500)).collect();
        let cases = [
            (vec![], BidError::Empty),
            (eleven, BidError::TooMany),
            (vec![tier(0, 900)], BidError::QuantityTooSmall),
            (
                vec![tier(5, 900), tier(5, 800)],
                BidError::DuplicateQuantity,
            ),
            (vec![tier(5, 0)], BidError::NotPositive),
            (vec![tier(5, 1001)], BidError::AboveCeiling),
            (
                vec![tier(5, 800), tier(10, 900)],
                BidError::PricesIncreasing,
            ),
        ];
        for (tiers, expected) in cases {
            let got = BidTiers::parse(tiers.clone(), Fen(1000));
            assert_eq!(got, Err(expected), "{tiers:?}");
        }
        let ok = BidTiers::parse(vec![tier(50, 900), tier(1, 1000), tier(90, 900)], Fen(1000))
            .expect("unsorted, equal prices and a price at the ceiling are fine");
        assert_eq!(ok.tiers(), [tier(1, 1000), tier(50, 900), tier(90, 900)]);
    }

    #[test]
    fn price_at_steps_at_the_boundaries() {
        let t = BidTiers::parse(
            vec![tier(10, 900), tier(50, 800), tier(100, 800)],
            Fen(1000),
        )
        .unwrap();
        let cases = [
            (-1, None),
            (0, None),
            (9, None),
            (10, Some(900)),
            (49, Some(900)),
            (50, Some(800)),
            (100, Some(800)),
            (i64::MAX, Some(800)),
        ];
        for (total, price) in cases {
            assert_eq!(t.price_at(total), price.map(Fen), "total {total}");
        }
    }

    #[test]
    fn winner_ties_break_by_score_then_time_then_id() {
        // (bid_id, price, score, placed_at); the expected winner
        let cases = [
            (
                "price beats score",
                vec![(1, 900, 100, 0), (2, 899, 0, 9)],
                2,
            ),
            ("higher score", vec![(1, 900, 80, 0), (2, 900, 81, 9)], 2),
            (
                "earlier revision",
                vec![(1, 900, 80, 5), (2, 900, 80, 4)],
                2,
            ),
            ("lower id", vec![(2, 900, 80, 4), (1, 900, 80, 4)], 1),
            (
                "all three",
                vec![(3, 900, 90, 1), (1, 900, 90, 2), (2, 900, 89, 0)],
                3,
            ),
        ];
        for (name, bids, winner) in cases {
            let bids: Vec<Bid> = bids
                .iter()
                .map(|&(id, price, score, at)| bid(id, &[(1, price)], score, at))
                .collect();
            let a = award(settle(&terms(1), &bids, &[commitment(1, 1, 1000)]).unwrap());
            assert_eq!(a.winner_bid_id, winner, "{name}");
            assert_eq!(a.supplier_id, winner * 10, "{name}");
        }
    }

    #[test]
    fn below_minimum_releases_everything() {
        let bids = [bid(1, &[(1, 900)], 80, 0)];
        let cases = [
            (vec![], 0),
            (
                vec![commitment(2, 30, 30_000), commitment(1, 19, 19_007)],
                49,
            ),
        ];
        for (commitments, total) in cases {
            let got = settle(&terms(50), &bids, &commitments).unwrap();
            let mut releases: Vec<_> = commitments
                .iter()
                .map(|c| (c.commitment_id, c.frozen))
                .collect();
            releases.sort();
            let reason = FailReason::BelowMinimum { total, minimum: 50 };
            assert_eq!(got, Outcome::Failed { reason, releases }, "total {total}");
        }
    }

    #[test]
    fn no_qualifying_bid_fails() {
        let bids = [bid(1, &[(100, 500)], 80, 0), bid(2, &[(60, 700)], 80, 0)];
        let got = settle(&terms(10), &bids, &[commitment(1, 59, 59_000)]).unwrap();
        let expected = Outcome::Failed {
            reason: FailReason::NoQualifyingBid,
            releases: vec![(1, Fen(59_000))],
        };
        assert_eq!(got, expected);
        let got = settle(&terms(10), &[], &[commitment(1, 59, 59_000)]).unwrap();
        assert_eq!(got, expected, "no bids at all");
    }

    #[test]
    fn award_charges_exact_amounts_and_releases_the_rest() {
        let bids = [
            bid(7, &[(100, 500)], 80, 0),
            bid(5, &[(1, 990), (40, 920)], 80, 0),
            bid(3, &[(10, 950), (50, 900)], 80, 0),
        ];
        let commitments = [commitment(2, 20, 20_005), commitment(1, 30, 30_000)];
        let a = award(settle(&terms(50), &bids, &commitments).unwrap());
        assert_eq!((a.winner_bid_id, a.unit_price), (3, Fen(900)));
        assert_eq!((a.total_quantity, a.total_amount), (50, Fen(45_000)));
        let lines: Vec<_> = a
            .lines
            .iter()
            .map(|l| {
                (
                    l.commitment_id,
                    l.unit_id,
                    l.quantity,
                    l.amount.get(),
                    l.release.get(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            [(1, 501, 30, 27_000, 3_000), (2, 502, 20, 18_000, 2_005)]
        );
        let ranking = [(3, Some(Fen(900))), (5, Some(Fen(920))), (7, None)];
        assert_eq!(a.ranking, ranking);
    }

    #[test]
    fn refuses_what_must_not_happen() {
        let bids = [bid(1, &[(1, 900)], 80, 0)];
        let cases = [
            (
                vec![commitment(1, 10, 8_999)],
                SettleError::UnderFrozen { commitment_id: 1 },
            ),
            (
                vec![commitment(1, 0, 0)],
                SettleError::BadQuantity { quantity: 0 },
            ),
            (
                vec![commitment(4, 1, -1)],
                SettleError::UnderFrozen { commitment_id: 4 },
            ),
            (
                vec![commitment(3, 1, 900), commitment(3, 2, 1800)],
                SettleError::DuplicateCommitment { commitment_id: 3 },
            ),
            (
                vec![commitment(1, i64::MAX, 0), commitment(2, 1, 900)],
                SettleError::Overflow,
            ),
        ];
        for (commitments, expected) in cases {
            let got = settle(&terms(1), &bids, &commitments);
            assert_eq!(got, Err(expected), "{commitments:?}");
        }
        let twice = [bid(1, &[(1, 900)], 80, 0), bid(1, &[(1, 800)], 80, 0)];
        let got = settle(&terms(1), &twice, &[commitment(1, 1, 1000)]);
        assert_eq!(got, Err(SettleError::DuplicateBid { bid_id: 1 }));
    }

    #[test]
    fn freeze_covers_the_ceiling() {
        assert_eq!(freeze_amount(3, Fen(1000)), Ok(Fen(3000)));
        assert_eq!(
            freeze_amount(0, Fen(1000)),
            Err(SettleError::BadQuantity { quantity: 0 })
        );
        assert_eq!(freeze_amount(i64::MAX, Fen(2)), Err(SettleError::Overflow));
    }

    #[test]
    fn progress_points_at_the_nearest_cheaper_tier() {
        let bids = [
            bid(1, &[(10, 950), (50, 900), (200, 700)], 80, 0),
            bid(2, &[(20, 940), (50, 880), (120, 800)], 80, 0),
        ];
        // total; current price; next (min_quantity, price, missing)
        let cases = [
            (0, None, Some((10, 950, 10))),
            (9, None, Some((10, 950, 1))),
            (10, Some(950), Some((20, 940, 10))),
            (20, Some(940), Some((50, 880, 30))),
            (50, Some(880), Some((120, 800, 70))),
            (150, Some(800), Some((200, 700, 50))),
            (200, Some(700), None),
            (-5, None, Some((10, 950, 10))),
        ];
        for (total, current, next) in cases {
            let expected = Progress {
                current_price: current.map(Fen),
                next: next.map(|(q, p, missing)| NextTier {
                    min_quantity: q,
                    price: Fen(p),
                    missing,
                }),
            };
            assert_eq!(progress(&bids, total), expected, "total {total}");
        }
        assert_eq!(
            progress(&[], 10),
            Progress {
                current_price: None,
                next: None
            }
        );
    }

    #[test]
    fn savings_round_half_away_from_zero() {
        // pool price, baseline, quantity; per unit, total, basis points
        let cases = [
            (900, 1000, 10, 100, 1000, 1000),
            (1000, 3000, 1, 2000, 2000, 6667),
            (3001, 3000, 2, -1, -2, -3),
            (19_999, 20_000, 1, 1, 1, 1),
            (20_001, 20_000, 1, -1, -1, -1),
            (5, 0, 3, -5, -15, 0),
        ];
        for (pool, base, q, per_unit, total, bp) in cases {
            let expected = Savings {
                per_unit: Fen(per_unit),
                total: Fen(total),
                basis_points: bp,
            };
            assert_eq!(
                savings(Fen(pool), Fen(base), q),
                Ok(expected),
                "{pool} vs {base}"
            );
        }
        let overflow = [(0, 2, i64::MAX), (-1, i64::MAX, 1), (i64::MIN, i64::MAX, 1)];
        for (pool, base, q) in overflow {
            let got = savings(Fen(pool), Fen(base), q);
            assert_eq!(got, Err(SavingsError::Overflow), "{pool} vs {base} × {q}");
        }
        let huge = savings(Fen(-(i64::MAX / 2)), Fen(1), 1);
        assert_eq!(huge, Err(SavingsError::Overflow), "basis points beyond i64");
    }

    /// The rules as properties over generated pools, not just the examples above.
    mod props {
        use super::*;
        use proptest::prelude::*;
        use proptest::sample::Index;

        /// Sorted tiers within `ceiling`, prices never increasing: always a valid bid.
        fn tiers_within(ceiling: i64) -> impl Strategy<Value = Vec<Tier>> {
            let steps = prop::collection::vec((1i64..40, 0..=ceiling / 3 + 1), 0..MAX_TIERS);
            (1i64..60, 0..ceiling, steps).prop_map(move |(mut q, drop, steps)| {
                let mut p = ceiling - drop;
                let mut tiers = vec![tier(q, p)];
                for (dq, dp) in steps {
                    q += dq;
                    p = (p - dp).max(1);
                    tiers.push(tier(q, p));
                }
                tiers
            })
        }

        /// Few distinct prices, scores and times, so that ties are common.
        fn pool() -> impl Strategy<Value = (PoolTerms, Vec<Bid>, Vec<Commitment>)> {
            (1i64..=30, 1i64..120).prop_flat_map(|(ceiling, minimum)| {
                let bid = (tiers_within(ceiling), 78i64..=80, 0i64..3);
                let commitment = (1i64..40, 0i64..100);
                (
                    Just(PoolTerms::new(minimum, Fen(ceiling), 0, 1, 30).unwrap()),
                    prop::collection::vec(bid, 0..6),
                    prop::collection::vec(commitment, 0..8),
                )
                    .prop_map(move |(terms, bids, commitments)| {
                        let bids = bids
                            .into_iter()
                            .enumerate()
                            .map(|(i, (tiers, score, placed_at))| Bid {
                                bid_id: 100 - i as i64,
                                supplier_id: i as i64,
                                tiers: BidTiers::parse(tiers, Fen(ceiling)).unwrap(),
                                score,
                                placed_at,
                            })
                            .collect();
                        let commitments = commitments
                            .into_iter()
                            .enumerate()
                            .map(|(i, (quantity, extra))| Commitment {
                                commitment_id: (i as i64 * 7) % 11,
                                unit_id: i as i64,
                                quantity,
                                frozen: Fen(
                                    freeze_amount(quantity, Fen(ceiling)).unwrap().get() + extra
                                ),
                            })
                            .collect();
                        (terms, bids, commitments)
                    })
            })
        }

        /// The specified order, written out the long way.
        fn reference_winner(bids: &[Bid], total: i64) -> Option<i64> {
            let mut best: Option<(&Bid, Fen)> = None;
            for b in bids {
                let Some(p) = b.tiers.price_at(total) else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((w, wp)) => {
                        p < wp
                            || (p == wp && b.score > w.score)
                            || (p == wp && b.score == w.score && b.placed_at < w.placed_at)
                            || (p == wp
                                && b.score == w.score
                                && b.placed_at == w.placed_at
                                && b.bid_id < w.bid_id)
                    }
                };
                if better {
                    best = Some((b, p));
                }
            }
            best.map(|(b, _)| b.bid_id)
        }

        fn total(commitments: &[Commitment]) -> i64 {
            commitments.iter().map(|c| c.quantity).sum()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn money_is_conserved((terms, bids, commitments) in pool()) {
                let frozen: i64 = commitments.iter().map(|c| c.frozen.get()).sum();
                match settle(&terms, &bids, &commitments).unwrap() {
                    Outcome::Awarded(a) => {
                        for l in &a.lines {
                            let c = commitments.iter().find(|c| c.commitment_id == l.commitment_id).unwrap();
                            prop_assert_eq!(l.amount.get() + l.release.get(), c.frozen.get());
                            prop_assert!(!l.release.is_negative());
                        }
                        let amounts: i64 = a.lines.iter().map(|l| l.amount.get()).sum();
                        prop_assert_eq!(amounts, a.unit_price.get() * a.total_quantity);
                        prop_assert_eq!(Fen(amounts), a.total_amount);
                        prop_assert_eq!(a.lines.len(), commitments.len());
                    }
                    Outcome::Failed { releases, .. } => {
                        let released: i64 = releases.iter().map(|r| r.1.get()).sum();
                        prop_assert_eq!(released, frozen);
                        prop_assert_eq!(releases.len(), commitments.len());
                    }
                }
            }

            #[test]
            fn the_winner_is_the_reference_winner((terms, bids, commitments) in pool()) {
                let total = total(&commitments);
                let outcome = settle(&terms, &bids, &commitments).unwrap();
                let expected = reference_winner(&bids, total);
                match outcome {
                    Outcome::Awarded(a) => {
                        prop_assert_eq!(Some(a.winner_bid_id), expected);
                        for b in &bids {
                            if let Some(p) = b.tiers.price_at(total) {
                                prop_assert!(a.unit_price <= p, "bid {} asks {p:?}", b.bid_id);
                            }
                        }
                        prop_assert_eq!(a.ranking.len(), bids.len());
                        let first_none = a.ranking.iter().position(|r| r.1.is_none()).unwrap_or(bids.len());
                        prop_assert!(a.ranking[first_none..].iter().all(|r| r.1.is_none()));
                        prop_assert!(a.ranking[..first_none].windows(2).all(|w| w[0].1 <= w[1].1));
                    }
                    Outcome::Failed { reason: FailReason::NoQualifyingBid, .. } => {
                        prop_assert_eq!(expected, None);
                    }
                    Outcome::Failed { reason: FailReason::BelowMinimum { total: t, minimum }, .. } => {
                        prop_assert_eq!(t, total);
                        prop_assert!(total < minimum);
                    }
                }
            }

            #[test]
            fn order_of_input_does_not_matter(
                ((terms, bids, commitments), shuffled_bids, shuffled_commitments) in pool()
                    .prop_flat_map(|(t, b, c)| {
                        let sb = Just(b.clone()).prop_shuffle();
                        let sc = Just(c.clone()).prop_shuffle();
                        (Just((t, b, c)), sb, sc)
                    })
            ) {
                prop_assert_eq!(
                    settle(&terms, &bids, &commitments),
                    settle(&terms, &shuffled_bids, &shuffled_commitments)
                );
            }

            #[test]
            fn valid_tiers_parse_and_price_never_rises(
                (ceiling, tiers, shuffled) in (1i64..100_000).prop_flat_map(|c| {
                    tiers_within(c).prop_flat_map(move |t| (Just(c), Just(t.clone()), Just(t).prop_shuffle()))
                })
            ) {
                let parsed = BidTiers::parse(shuffled, Fen(ceiling)).unwrap();
                prop_assert_eq!(parsed.tiers(), tiers.as_slice());
                let last = tiers.last().unwrap().min_quantity;
                let mut previous: Option<Fen> = None;
                for total in 0..=last + 2 {
                    let price = parsed.price_at(total);
                    if let Some(prev) = previous {
                        prop_assert!(price.is_some_and(|p| p <= prev), "total {total}");
                    }
                    prop_assert_eq!(price.is_some(), total >= tiers[0].min_quantity);
                    previous = price;
                }
            }

            #[test]
            fn enough_volume_and_a_serving_bid_is_always_awarded(
                (terms, bids, commitments) in pool(),
                minimum in any::<Index>(),
            ) {
                let total = total(&commitments);
                prop_assume!(total >= 1);
                prop_assume!(bids.iter().any(|b| b.tiers.tiers()[0].min_quantity <= total));
                let minimum = 1 + minimum.index(total as usize) as i64;
                let terms = PoolTerms::new(minimum, terms.ceiling(), 0, 1, 30).unwrap();
                let outcome = settle(&terms, &bids, &commitments).unwrap();
                prop_assert!(matches!(outcome, Outcome::Awarded(_)), "{outcome:?}");
            }
        }
    }
}
