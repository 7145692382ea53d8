//! A supplier's changes to its own listings. Every price change is kept with its reason.

use crate::db::{Db, Sql};
use crate::{args, clock};
use emall_domain::listing::OfferStatus;
use emall_domain::{Fen, PriceSchedule, Tier};
use std::collections::HashMap;

/// The volume tiers of some offers, lowest quantity first.
pub async fn tiers_of(db: &Db, offers: &[i64]) -> sqlx::Result<HashMap<i64, Vec<Tier>>> {
    if offers.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = super::id_list(offers);
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT offer_id, min_quantity, price_fen FROM offer_tiers WHERE offer_id IN ({ids}) \
         ORDER BY offer_id, min_quantity"
    ))
    .fetch_all(db.pool())
    .await?;
    let mut out: HashMap<i64, Vec<Tier>> = HashMap::new();
    for (offer, min_quantity, price) in rows {
        out.entry(offer).or_default().push(Tier {
            min_quantity,
            price: Fen(price),
        });
    }
    Ok(out)
}

/// What a supplier may change on a live listing; `None` leaves a value as it is.
#[derive(Debug, Default)]
pub struct OfferChange {
    pub price_fen: Option<i64>,
    pub stock: Option<i64>,
    pub delivery_days: Option<i64>,
    /// On sale or off sale: the two a supplier sets (see [`OfferChange::SUPPLIER_SETS`]).
    pub status: Option<OfferStatus>,
    /// Replaces the volume tiers when given (an empty list removes them).
    pub tiers: Option<Vec<Tier>>,
    pub reason: String,
}

impl OfferChange {
    /// The statuses a supplier moves its own offer between; from any other (in review,
    /// suspended by the operator) it cannot.
    pub const SUPPLIER_SETS: [OfferStatus; 2] = [OfferStatus::OnSale, OfferStatus::OffSale];
}

pub enum Changed {
    /// The offer's product, whose search listing must be refreshed.
    Product(i64),
    /// The other fields changed; the new price failed a listing check and waits for the
    /// operator (the old price stays live).
    PriceHeld(i64),
    NotFound,
    /// The offer is another supplier's.
    NotOwner,
    /// The tiers (given, or kept under a new base price) would not lower the price.
    BadTiers,
    /// Only an offer on or off sale may be put on or off sale: one held for review or
    /// suspended waits for the operator or for the cause to end.
    StatusLocked,
}

/// Applies a change in one transaction: the offer row and, for a new price, its history.
pub async fn change(
    db: &Db,
    supplier_id: i64,
    offer_id: i64,
    change: &OfferChange,
) -> anyhow::Result<Changed> {
    let mut tx = db.begin_write().await?;
    let changed = change_in(&mut tx, supplier_id, offer_id, change, clock::now()).await?;
    if let Changed::Product(product) | Changed::PriceHeld(product) = &changed {
        super::outbox::record(&mut *tx, &super::outbox::Change::products([*product])).await?;
        tx.commit().await?;
    }
    Ok(changed)
}

/// [`change`] inside a transaction (bulk imports apply many in one).
pub async fn change_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    supplier_id: i64,
    offer_id: i64,
    change: &OfferChange,
    now: i64,
) -> anyhow::Result<Changed> {
    let row: Option<(i64, i64, i64, OfferStatus)> = (**tx)
        .fetch_optional(
            "SELECT supplier_id, product_id, price_fen, status FROM offers WHERE id = $1",
            args![offer_id],
        )
        .await?;
    let Some((owner, product_id, old_price, status)) = row else {
        return Ok(Changed::NotFound);
    };
    if owner != supplier_id {
        return Ok(Changed::NotOwner);
    }
    if change.status.is_some() && !OfferChange::SUPPLIER_SETS.contains(&status) {
        return Ok(Changed::StatusLocked);
    }
    // A new price goes through the listing checks; one that fails waits for the operator.
    let mut held = false;
    if let Some(new) = change.price_fen.filter(|p| *p != old_price) {
        if let Some((reference, unit)) = super::offer_reviews::product_terms(tx, product_id).await?
        {
            let flags = emall_domain::listing::check(Fen(new), reference, &unit, None);
            if !flags.is_empty() {
                super::offer_reviews::open_review(
                    tx,
                    offer_id,
                    supplier_id,
                    "price_change",
                    Fen(new),
                    &change.reason,
                    &flags,
                    now,
                )
                .await?;
                held = true;
            }
        }
    }
    let live_price = if held { None } else { change.price_fen };
    // The schedule after the change must still be valid: new tiers under the new price, or
    // the kept tiers under a new price.
    let base = Fen(live_price.unwrap_or(old_price));
    let tiers = match &change.tiers {
        Some(t) => t.clone(),
        None => tiers_of_in(tx, offer_id).await?,
    };
    if PriceSchedule::new(base, tiers.clone()).is_err() {
        return Ok(Changed::BadTiers);
    }
    if let Some(new) = &change.tiers {
        sqlx::query("DELETE FROM offer_tiers WHERE offer_id = $1")
            .bind(offer_id)
            .execute(&mut **tx)
            .await?;
        for t in new {
            sqlx::query(
                "INSERT INTO offer_tiers (offer_id, min_quantity, price_fen) VALUES ($1, $2, $3)",
            )
            .bind(offer_id)
            .bind(t.min_quantity)
            .bind(t.price.get())
            .execute(&mut **tx)
            .await?;
        }
    }
    sqlx::query(
        "UPDATE offers SET price_fen = COALESCE($1, price_fen), stock = COALESCE($2, stock), \
         delivery_days = COALESCE($3, delivery_days), status = COALESCE($4, status), updated_at = $5 WHERE id = $6",
    )
    .bind(live_price)
    .bind(change.stock)
    .bind(change.delivery_days)
    .bind(change.status.map(OfferStatus::as_str))
    .bind(now)
    .bind(offer_id)
    .execute(&mut **tx)
    .await?;
    if let Some(price) = live_price.filter(|p| *p != old_price) {
        sqlx::query("INSERT INTO offer_price_history (offer_id, price_fen, reason, changed_at) VALUES ($1, $2, $3, $4)")
            .bind(offer_id)
            .bind(price)
            .bind(&change.reason)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(if held {
        Changed::PriceHeld(product_id)
    } else {
        Changed::Product(product_id)
    })
}

async fn tiers_of_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    offer_id: i64,
) -> sqlx::Result<Vec<Tier>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT min_quantity, price_fen FROM offer_tiers WHERE offer_id = $1 ORDER BY min_quantity",
    )
    .bind(offer_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(min_quantity, p)| Tier {
            min_quantity,
            price: Fen(p),
        })
        .collect())
}
