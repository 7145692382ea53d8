//! A supplier's changes to its own listings. Every price change is kept with its reason.

use crate::clock;
use crate::db::Db;

/// What a supplier may change on a live listing; `None` leaves a value as it is.
#[derive(Debug, Default)]
pub struct OfferChange {
    pub price_fen: Option<i64>,
    pub stock: Option<i64>,
    pub delivery_days: Option<i64>,
    /// `on_sale` or `off_sale`
    pub status: Option<&'static str>,
    pub reason: String,
}

pub enum Changed {
    /// The offer's product, whose search listing must be refreshed.
    Product(i64),
    NotFound,
    /// The offer is another supplier's.
    NotOwner,
}

/// Applies a change in one transaction: the offer row and, for a new price, its history.
pub async fn change(
    db: &Db,
    supplier_id: i64,
    offer_id: i64,
    change: &OfferChange,
) -> sqlx::Result<Changed> {
    let mut tx = db.pool().begin().await?;
    let row: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT supplier_id, product_id, price_fen FROM offers WHERE id = $1")
            .bind(offer_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((owner, product_id, old_price)) = row else {
        return Ok(Changed::NotFound);
    };
    if owner != supplier_id {
        return Ok(Changed::NotOwner);
    }
    let now = clock::now();
    sqlx::query(
        "UPDATE offers SET price_fen = COALESCE($1, price_fen), stock = COALESCE($2, stock), \
         delivery_days = COALESCE($3, delivery_days), status = COALESCE($4, status), updated_at = $5 WHERE id = $6",
    )
    .bind(change.price_fen)
    .bind(change.stock)
    .bind(change.delivery_days)
    .bind(change.status)
    .bind(now)
    .bind(offer_id)
    .execute(&mut *tx)
    .await?;
    if let Some(price) = change.price_fen.filter(|p| *p != old_price) {
        sqlx::query("INSERT INTO offer_price_history (offer_id, price_fen, reason, changed_at) VALUES ($1, $2, $3, $4)")
            .bind(offer_id)
            .bind(price)
            .bind(&change.reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Changed::Product(product_id))
}
