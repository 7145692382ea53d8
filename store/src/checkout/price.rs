//! Pricing a checkout: every line re-read and re-checked against its offer as it is now,
//! priced with the offer's volume tiers under the city's price cap, and split into one
//! draft per supplier. Writes nothing.

use super::{LineFault, Refusal};
use crate::db::Sql;
use crate::{args, clock};
use emall_domain::budget::EconClass;
use emall_domain::listing::OfferStatus;
use emall_domain::purchase::{self, Draft, Line, PurchaseRules};
use emall_domain::registration::SupplierStatus;
use emall_domain::{Fen, PriceSchedule, Tier};
use std::collections::HashMap;

/// What a checkout would be: the re-checked lines priced into one draft per supplier.
pub(super) struct Priced {
    /// The unit's city and approval threshold.
    pub(super) city: String,
    pub(super) threshold: Fen,
    pub(super) drafts: Vec<Draft>,
    pub(super) needed: Fen,
    /// Promised delivery days per offer.
    pub(super) delivery_days: HashMap<i64, i64>,
    /// Procurement category per offer (for the split-purchase check).
    pub(super) categories: HashMap<i64, String>,
    /// The product of each offer bought (its page shows the offer's stock level).
    pub(super) product_of: HashMap<i64, i64>,
}

impl Priced {
    /// 支出经济分类 of what `drafts` buy: the classification most of their money falls
    /// under.
    pub(super) fn class_of<'a>(
        &self,
        drafts: impl IntoIterator<Item = &'a Draft>,
    ) -> Option<EconClass> {
        EconClass::of_lines(drafts.into_iter().flat_map(|d| d.lines.iter()).filter_map(
            |&(offer, _, unit_price, total)| {
                let category = self.categories.get(&offer)?;
                Some((category.as_str(), unit_price, total))
            },
        ))
    }
}

/// Re-reads and checks every line and prices the drafts; writes nothing.
/// `items`: `(offer, quantity)` for the unit `unit_id`.
pub(super) async fn price<S: Sql>(
    conn: &mut S,
    rules: &PurchaseRules,
    unit_id: i64,
    items: &[(i64, i64)],
) -> anyhow::Result<Result<Priced, Refusal>> {
    if items.is_empty() {
        return Ok(Err(Refusal::Empty));
    }
    // A checkout is a dozen statements in the write transaction: each one saved counts. The
    // unit's city and threshold come with each offer; the budget line is read only by the
    // freeze, or when it refuses.
    let mut unit: Option<(String, i64)> = None;
    let mut lines = Vec::with_capacity(items.len());
    let mut delivery_days = HashMap::new();
    let mut categories = HashMap::new();
    let mut product_of = HashMap::new();
    for &(offer_id, quantity) in items {
        let Some(offer) = read_offer(conn, unit_id, offer_id).await? else {
            return Ok(Err(Refusal::Line {
                offer_id,
                reason: LineFault::NotOnSale,
            }));
        };
        if let Some(reason) = offer.refusal(quantity) {
            return Ok(Err(Refusal::Line { offer_id, reason }));
        }
        let schedule = match schedule(conn, &offer, quantity).await? {
            Ok(schedule) => schedule,
            Err(reason) => return Ok(Err(Refusal::Line { offer_id, reason })),
        };
        delivery_days.insert(offer_id, offer.days);
        product_of.insert(offer_id, offer.product);
        lines.push(Line {
            offer_id,
            supplier_id: offer.supplier_id,
            quantity,
            schedule,
        });
        categories.insert(offer_id, offer.category);
        unit = Some((offer.city, offer.threshold));
    }
    let drafts = match purchase::drafts(&lines, rules) {
        Ok(d) => d,
        Err(e) => return Ok(Err(Refusal::Rule(e))),
    };
    let needed = drafts
        .iter()
        .try_fold(Fen::ZERO, |sum, d| sum.checked_add(d.total))
        .ok_or_else(|| anyhow::anyhow!("overflow"))?;
    let Some((city, threshold)) = unit else {
        return Ok(Err(Refusal::Empty));
    };
    Ok(Ok(Priced {
        city,
        threshold: Fen(threshold),
        drafts,
        needed,
        delivery_days,
        categories,
        product_of,
    }))
}

crate::named_row! {
    /// An offer as a checkout reads it, with the buyer's unit.
    struct Offer {
        id: i64,
        supplier_id: i64,
        /// The base price, before volume tiers.
        price: i64,
        stock: i64,
        status: OfferStatus,
        supplier_status: SupplierStatus,
        /// Serves the unit's city (0/1).
        serves: i64,
        /// Promised delivery days.
        days: i64,
        /// Procurement category (for the split-purchase check).
        category: String,
        tier_count: i64,
        /// The city's price cap on the product and the supplier it is the winner's price of
        /// ([`crate::pools::city_cap`]), if one holds.
        cap_price: Option<i64>,
        cap_supplier: Option<i64>,
        /// The unit's city and approval threshold.
        city: String,
        threshold: i64,
        product: i64,
    }
}

/// Reads an offer's facts with the buyer's unit, in one statement; `None` when there is no
/// such offer (or unit).
async fn read_offer<S: Sql>(
    conn: &mut S,
    unit_id: i64,
    offer_id: i64,
) -> anyhow::Result<Option<Offer>> {
    conn.fetch_optional(
        concat!(
            "SELECT o.id, o.supplier_id, o.price_fen, o.stock, o.status, s.status, \
             (SELECT COUNT(*) FROM offer_cities oc WHERE oc.offer_id = o.id AND oc.city = u.city), o.delivery_days, \
             p.category_code, (SELECT COUNT(*) FROM offer_tiers t WHERE t.offer_id = o.id), (",
            crate::city_cap_sql!("unit_price_fen", "o.product_id", "u.city", "$3"),
            "), (",
            crate::city_cap_sql!("winner_supplier_id", "o.product_id", "u.city", "$3"),
            "), u.city, u.approval_threshold_fen, o.product_id FROM offers o JOIN suppliers s ON s.id = o.supplier_id \
             JOIN products p ON p.id = o.product_id JOIN purchasing_units u ON u.id = $2 WHERE o.id = $1"
        ),
        args![offer_id, unit_id, clock::now()],
    )
    .await
}

impl Offer {
    /// Why `quantity` of the offer cannot be bought now, if it cannot: off sale or its
    /// supplier not admitted, not serving the unit's city, short of stock.
    fn refusal(&self, quantity: i64) -> Option<LineFault> {
        if self.status != OfferStatus::OnSale || self.supplier_status != SupplierStatus::Admitted {
            return Some(LineFault::NotOnSale);
        }
        if self.serves == 0 {
            return Some(LineFault::NotInCity);
        }
        if self.stock < quantity {
            return Some(LineFault::Stock);
        }
        None
    }
}

/// The offer's price schedule: its base price and volume tiers, capped by the city's price
/// cap when the offer is the winner's; `Err(AboveCap)` when another supplier's offer
/// costs more than the cap at this quantity.
async fn schedule<S: Sql>(
    conn: &mut S,
    offer: &Offer,
    quantity: i64,
) -> anyhow::Result<Result<PriceSchedule, LineFault>> {
    let offer_id = offer.id;
    let price = offer.price;
    let tiers: Vec<(i64, i64)> = if offer.tier_count == 0 {
        Vec::new()
    } else {
        conn.fetch_all(
            "SELECT min_quantity, price_fen FROM offer_tiers WHERE offer_id = $1",
            args![offer_id],
        )
        .await?
    };
    let tiers = tiers
        .into_iter()
        .map(|(q, p)| Tier {
            min_quantity: q,
            price: Fen(p),
        })
        .collect();
    // Stored tiers were validated when written; a broken one falls back to the base price.
    let mut schedule = PriceSchedule::new(Fen(price), tiers)
        .or_else(|_| PriceSchedule::new(Fen(price), Vec::new()))
        .map_err(|e| anyhow::anyhow!("offer {offer_id}: {e}"))?;
    // 同城同质同价: a pool's price caps the product in the city. Its winner sells at no
    // more; another supplier's offer above it cannot be bought.
    if let (Some(cap), Some(winner)) = (offer.cap_price.map(Fen), offer.cap_supplier) {
        if offer.supplier_id == winner {
            schedule = schedule.capped(cap);
        } else if schedule.unit_price(quantity) > cap {
            return Ok(Err(LineFault::AboveCap));
        }
    }
    Ok(Ok(schedule))
}
