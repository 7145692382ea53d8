//! 小额零星采购: the rules an e-mall order must follow, as pure functions.

use crate::money::Fen;
use crate::pricing::PriceSchedule;
use serde::{Deserialize, Serialize};

/// The mall's small-purchase rules (configurable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseRules {
    /// Above this an order belongs to a formal procurement method (default ¥200,000).
    pub order_cap: Fen,
    /// Orders of one unit in one category within this many days count together for the
    /// split-purchase check.
    pub split_window_days: i64,
}

impl Default for PurchaseRules {
    fn default() -> Self {
        PurchaseRules {
            order_cap: Fen::from_yuan(200_000),
            split_window_days: 30,
        }
    }
}

/// One cart line as checkout sees it after re-reading the offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub offer_id: i64,
    pub supplier_id: i64,
    pub quantity: i64,
    pub schedule: PriceSchedule,
}

/// An order to be placed: the lines of one supplier, priced.
/// The most units one cart line or order line may hold.
pub const MAX_LINE_QUANTITY: i64 = 100_000;

/// Whether `quantity` may stand on one line (1 to [`MAX_LINE_QUANTITY`]).
pub fn line_quantity_ok(quantity: i64) -> bool {
    (1..=MAX_LINE_QUANTITY).contains(&quantity)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub supplier_id: i64,
    /// (offer, quantity, unit price, line total)
    pub lines: Vec<(i64, i64, Fen, Fen)>,
    pub total: Fen,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurchaseError {
    #[error("the cart is empty")]
    Empty,
    #[error("quantity must be at least 1")]
    Quantity,
    #[error("the amount is too large")]
    Overflow,
    #[error("order to supplier {supplier_id} is {total}, above the e-mall cap of {cap}: use a formal procurement method")]
    OverCap {
        supplier_id: i64,
        total: Fen,
        cap: Fen,
    },
}

/// Splits a cart into one order per supplier (in order of first appearance), pricing each
/// line at the unit price its quantity earns.
pub fn drafts(lines: &[Line], rules: &PurchaseRules) -> Result<Vec<Draft>, PurchaseError> {
    if lines.is_empty() {
        return Err(PurchaseError::Empty);
    }
    let mut out: Vec<Draft> = Vec::new();
    for line in lines {
        if line.quantity < 1 {
            return Err(PurchaseError::Quantity);
        }
        let unit = line.schedule.unit_price(line.quantity);
        let total = unit
            .checked_mul(line.quantity)
            .ok_or(PurchaseError::Overflow)?;
        let draft = match out
            .iter_mut()
            .position(|d| d.supplier_id == line.supplier_id)
        {
            Some(i) => &mut out[i],
            None => {
                out.push(Draft {
                    supplier_id: line.supplier_id,
                    lines: Vec::new(),
                    total: Fen::ZERO,
                });
                out.last_mut().expect("just pushed")
            }
        };
        draft
            .lines
            .push((line.offer_id, line.quantity, unit, total));
        draft.total = draft
            .total
            .checked_add(total)
            .ok_or(PurchaseError::Overflow)?;
    }
    for d in &out {
        if d.total > rules.order_cap {
            return Err(PurchaseError::OverCap {
                supplier_id: d.supplier_id,
                total: d.total,
                cap: rules.order_cap,
            });
        }
    }
    Ok(out)
}

/// Whether an order waits for the unit's approver.
pub fn needs_approval(total: Fen, unit_threshold: Fen) -> bool {
    total >= unit_threshold
}

/// 拆分采购: this order is under the cap, but with the unit's other orders in the same
/// category within the window it is over.
pub fn looks_split(order: Fen, same_category_in_window: Fen, rules: &PurchaseRules) -> bool {
    order <= rules.order_cap
        && same_category_in_window <= rules.order_cap
        && order
            .checked_add(same_category_in_window)
            .is_some_and(|sum| sum > rules.order_cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Tier;

    fn line(offer: i64, supplier: i64, quantity: i64, price: i64) -> Line {
        Line {
            offer_id: offer,
            supplier_id: supplier,
            quantity,
            schedule: PriceSchedule::new(Fen(price), vec![]).unwrap(),
        }
    }

    #[test]
    fn one_order_per_supplier_priced_by_quantity() {
        let tiered = Line {
            offer_id: 3,
            supplier_id: 1,
            quantity: 10,
            schedule: PriceSchedule::new(
                Fen(1000),
                vec![Tier {
                    min_quantity: 10,
                    price: Fen(900),
                }],
            )
            .unwrap(),
        };
        let d = drafts(
            &[line(1, 1, 2, 500), line(2, 2, 1, 700), tiered],
            &PurchaseRules::default(),
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].supplier_id, 1);
        assert_eq!(
            d[0].total,
            Fen(2 * 500 + 10 * 900),
            "the tier applies at 10 units"
        );
        assert_eq!(d[1].total, Fen(700));
    }

    #[test]
    fn refuses_empty_carts_bad_quantities_and_orders_over_the_cap() {
        let rules = PurchaseRules::default();
        assert_eq!(drafts(&[], &rules), Err(PurchaseError::Empty));
        assert_eq!(
            drafts(&[line(1, 1, 0, 500)], &rules),
            Err(PurchaseError::Quantity)
        );
        let big = drafts(&[line(1, 1, 3, 7_000_000)], &rules);
        assert!(
            matches!(
                big,
                Err(PurchaseError::OverCap {
                    total: Fen(21_000_000),
                    ..
                })
            ),
            "{big:?}"
        );
        assert_eq!(
            drafts(&[line(1, 1, i64::MAX, 2)], &rules),
            Err(PurchaseError::Overflow)
        );
        assert!(
            drafts(&[line(1, 1, 2, 10_000_000)], &rules).is_ok(),
            "exactly the cap is allowed"
        );
    }

    #[test]
    fn approval_and_split_purchase_thresholds() {
        assert!(needs_approval(Fen(5_000_000), Fen(5_000_000)));
        assert!(!needs_approval(Fen(4_999_999), Fen(5_000_000)));
        let rules = PurchaseRules::default();
        assert!(looks_split(Fen(15_000_000), Fen(6_000_000), &rules));
        assert!(
            !looks_split(Fen(15_000_000), Fen(5_000_000), &rules),
            "exactly at the cap is not over"
        );
        assert!(
            !looks_split(Fen(25_000_000), Fen(0), &rules),
            "over the cap alone is refused, not split"
        );
    }
}
