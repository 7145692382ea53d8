//! 上架检查: the automatic checks every new offer and price change goes through, as the
//! big provincial malls do: above the reference market price, or a unit of sale that does
//! not fit the product, goes to the operator instead of going live.

use crate::money::Fen;
use serde::{Deserialize, Serialize};

crate::stored::stored_text! {
    /// Where an offer stands: only `OnSale` offers of admitted suppliers can be bought.
    pub enum OfferStatus {
        Draft = "draft",
        /// Held by a listing check for the operator.
        InReview = "in_review",
        OnSale = "on_sale",
        /// Taken off sale by its supplier.
        OffSale = "off_sale",
        /// Taken off sale by the operator.
        Suspended = "suspended",
    }
}

/// Why a listing waits for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// The price is above the reference market price.
    AboveReference { price: Fen, reference: Fen },
    /// The unit of sale differs from the standard product's.
    UnitMismatch {
        product_unit: String,
        offered_unit: String,
    },
    /// The price is so far from the reference (a fifth or five times) that the unit of sale
    /// is probably wrong (a sheet priced as a ream, a box as a piece).
    ImplausiblePrice { price: Fen, reference: Fen },
}

/// How far from the reference a price may be before the unit looks wrong.
pub const IMPLAUSIBLE_FACTOR: i64 = 5;

/// The checks on a price for a product with this reference price and unit. No flags: the
/// listing goes live.
pub fn check(
    price: Fen,
    reference: Fen,
    product_unit: &str,
    offered_unit: Option<&str>,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if let Some(unit) = offered_unit.map(str::trim).filter(|u| !u.is_empty()) {
        if unit != product_unit.trim() {
            flags.push(Flag::UnitMismatch {
                product_unit: product_unit.trim().to_string(),
                offered_unit: unit.to_string(),
            });
        }
    }
    let (p, r) = (price.get(), reference.get());
    if r > 0
        && (p.saturating_mul(IMPLAUSIBLE_FACTOR) < r || p > r.saturating_mul(IMPLAUSIBLE_FACTOR))
    {
        flags.push(Flag::ImplausiblePrice { price, reference });
    } else if p > r {
        flags.push(Flag::AboveReference { price, reference });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_or_below_reference_goes_live() {
        assert!(check(Fen(2_500), Fen(2_600), "包", None).is_empty());
        assert!(check(Fen(2_600), Fen(2_600), "包", Some("包")).is_empty());
    }

    #[test]
    fn above_reference_waits_for_review() {
        assert_eq!(
            check(Fen(2_700), Fen(2_600), "包", None),
            [Flag::AboveReference {
                price: Fen(2_700),
                reference: Fen(2_600)
            }]
        );
    }

    #[test]
    fn wrong_units_are_flagged() {
        let flags = check(Fen(5), Fen(2_600), "包", Some("张"));
        assert!(matches!(flags[0], Flag::UnitMismatch { .. }));
        assert!(matches!(flags[1], Flag::ImplausiblePrice { .. }));
        assert!(matches!(
            check(Fen(26_000), Fen(2_600), "包", None)[0],
            Flag::ImplausiblePrice { .. }
        ));
        assert!(matches!(
            check(Fen(500), Fen(2_600), "包", None)[0],
            Flag::ImplausiblePrice { .. }
        ));
        assert!(
            check(Fen(521), Fen(2_600), "包", None).is_empty(),
            "a fifth of the reference is plausible"
        );
    }
}
