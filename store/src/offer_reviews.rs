//! New offers through the listing checks, and the operator's queue of what the checks held
//! back (a price above the reference, a unit of sale that does not fit).

use crate::db::{Db, Sql};
use crate::outbox;
use crate::{args, clock};
use emall_domain::listing::{self, Flag, OfferStatus};
use emall_domain::registration::SupplierStatus;
use emall_domain::Fen;
pub use emall_model::OfferCreated as Created;
use sqlx::{Any, Transaction};

/// A new listing as the supplier gives it.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub product_id: i64,
    pub price: Fen,
    pub stock: i64,
    pub delivery_days: i64,
    pub cities: Vec<String>,
    /// The supplier's unit of sale, when it says one.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotAdmitted,
    NoProduct,
    /// A live (or reviewed) offer of this product by this supplier exists: change it instead.
    Duplicate(i64),
    /// A city the supplier does not serve, by its name (its code if it is no known region).
    CityNotServed(String),
}

/// The product's reference price and unit.
pub async fn product_terms(
    tx: &mut Transaction<'_, Any>,
    product_id: i64,
) -> sqlx::Result<Option<(Fen, String)>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT ref_price_fen, unit FROM products WHERE id = $1")
            .bind(product_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(p, u)| (Fen(p), u)))
}

/// The first of `cities` the supplier does not serve, if any, by its name (its code if it is
/// no known region).
pub async fn first_unserved(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    cities: &[String],
) -> sqlx::Result<Option<String>> {
    for city in cities {
        let (serves,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM supplier_cities WHERE supplier_id = $1 AND city = $2",
        )
        .bind(supplier_id)
        .bind(city)
        .fetch_one(&mut **tx)
        .await?;
        if serves == 0 {
            let name: Option<(String,)> =
                sqlx::query_as("SELECT name FROM regions WHERE code = $1")
                    .bind(city)
                    .fetch_optional(&mut **tx)
                    .await?;
            return Ok(Some(name.map_or_else(|| city.clone(), |(n,)| n)));
        }
    }
    Ok(None)
}

/// Replaces the cities an offer is sold in.
pub async fn set_offer_cities(
    tx: &mut Transaction<'_, Any>,
    offer_id: i64,
    cities: &[String],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM offer_cities WHERE offer_id = $1")
        .bind(offer_id)
        .execute(&mut **tx)
        .await?;
    for city in cities {
        sqlx::query("INSERT INTO offer_cities (offer_id, city) VALUES ($1, $2)")
            .bind(offer_id)
            .bind(city)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Opens a review of an offer's price (replacing an open one of the offer).
pub async fn open_review(
    tx: &mut Transaction<'_, Any>,
    offer_id: i64,
    supplier_id: i64,
    kind: &str,
    price: Fen,
    reason: &str,
    flags: &[Flag],
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE offer_reviews SET state = 'withdrawn', decided_at = $1 WHERE offer_id = $2 AND state = 'open'")
        .bind(now)
        .bind(offer_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO offer_reviews (offer_id, supplier_id, kind, proposed_price_fen, reason, flags, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(offer_id)
    .bind(supplier_id)
    .bind(kind)
    .bind(price.get())
    .bind(reason)
    .bind(serde_json::to_string(flags)?)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates a listing inside `tx`: checked, live or held for review, with its cities and
/// first price-history row.
pub async fn create_in(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    offer: &NewOffer,
    now: i64,
) -> anyhow::Result<Result<Created, Refusal>> {
    let (status,): (SupplierStatus,) = (**tx)
        .fetch_one(
            "SELECT status FROM suppliers WHERE id = $1",
            args![supplier_id],
        )
        .await?;
    if status != SupplierStatus::Admitted {
        return Ok(Err(Refusal::NotAdmitted));
    }
    let Some((reference, unit)) = product_terms(tx, offer.product_id).await? else {
        return Ok(Err(Refusal::NoProduct));
    };
    let existing: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM offers WHERE supplier_id = $1 AND product_id = $2 AND status IN ('in_review', 'on_sale')",
    )
    .bind(supplier_id)
    .bind(offer.product_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id,)) = existing {
        return Ok(Err(Refusal::Duplicate(id)));
    }
    if let Some(city) = first_unserved(tx, supplier_id, &offer.cities).await? {
        return Ok(Err(Refusal::CityNotServed(city)));
    }
    let flags = listing::check(offer.price, reference, &unit, offer.unit.as_deref());
    let status = if flags.is_empty() {
        OfferStatus::OnSale
    } else {
        OfferStatus::InReview
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO offers (supplier_id, product_id, price_fen, stock, delivery_days, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(supplier_id)
    .bind(offer.product_id)
    .bind(offer.price.get())
    .bind(offer.stock)
    .bind(offer.delivery_days)
    .bind(status.as_str())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    set_offer_cities(tx, id, &offer.cities).await?;
    sqlx::query("INSERT INTO offer_price_history (offer_id, price_fen, reason, changed_at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(offer.price.get())
        .bind("上架定价")
        .bind(now)
        .execute(&mut **tx)
        .await?;
    if !flags.is_empty() {
        open_review(
            tx,
            id,
            supplier_id,
            "new_offer",
            offer.price,
            "",
            &flags,
            now,
        )
        .await?;
    }
    Ok(Ok(Created {
        id,
        product_id: offer.product_id,
        status,
        flags,
    }))
}

pub async fn create(
    db: &Db,
    supplier_id: i64,
    offer: &NewOffer,
) -> anyhow::Result<Result<Created, Refusal>> {
    let mut tx = db.begin_write().await?;
    let created = create_in(&mut tx, supplier_id, offer, clock::now()).await?;
    if let Ok(c) = &created {
        outbox::record(&mut *tx, &outbox::Change::products([c.product_id])).await?;
        tx.commit().await?;
    }
    Ok(created)
}

pub use emall_model::ListingReview as Review;

crate::named_row! {
    /// A review as the queue reads it, with its offer, product and supplier.
    struct ReviewRow {
        id: i64,
        offer_id: i64,
        product_id: i64,
        product_title: String,
        product_unit: String,
        supplier_id: i64,
        supplier_name: String,
        kind: String,
        current: i64,
        proposed: i64,
        reference: i64,
        reason: String,
        /// The listing checks' flags, as JSON.
        flags: String,
        state: String,
        note: String,
        at: i64,
    }
}

/// The reviews in a state, oldest first (the queue), or a supplier's own.
pub async fn list(
    db: &Db,
    state: &str,
    supplier: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Review>> {
    let rows: Vec<ReviewRow> = sqlx::query_as(
        "SELECT r.id, r.offer_id, p.id, p.title, p.unit, s.id, s.name, r.kind, o.price_fen, r.proposed_price_fen, \
         p.ref_price_fen, r.reason, r.flags, r.state, r.note, r.created_at FROM offer_reviews r \
         JOIN offers o ON o.id = r.offer_id JOIN products p ON p.id = o.product_id JOIN suppliers s ON s.id = r.supplier_id \
         WHERE r.state = $1 AND ($2 = 0 OR r.supplier_id = $2) ORDER BY r.created_at, r.id LIMIT $3",
    )
    .bind(state)
    .bind(supplier.unwrap_or(0))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Review {
            id: r.id,
            offer_id: r.offer_id,
            product_id: r.product_id,
            product_title: r.product_title,
            product_unit: r.product_unit,
            supplier_id: r.supplier_id,
            supplier_name: r.supplier_name,
            kind: r.kind,
            current_price: Fen(r.current),
            proposed_price: Fen(r.proposed),
            reference_price: Fen(r.reference),
            reason: r.reason,
            flags: serde_json::from_str(&r.flags).unwrap_or_default(),
            state: r.state,
            note: r.note,
            created_at: clock::rfc3339(r.at),
        })
        .collect())
}

pub use emall_model::OfferReviewDecision as Decision;

pub enum Decided {
    /// The product whose listing changed.
    Done(i64),
    NotFound,
    NotOpen,
}

/// The operator's decision: an approved new offer goes on sale and an approved price takes
/// effect (into the price history with the supplier's reason); a rejected new offer goes off
/// sale and a rejected price is dropped.
pub async fn decide(
    db: &Db,
    review_id: i64,
    decision: Decision,
    note: &str,
    user_id: i64,
) -> anyhow::Result<Decided> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT r.offer_id, r.kind, r.proposed_price_fen, r.reason, r.state, o.product_id FROM offer_reviews r \
         JOIN offers o ON o.id = r.offer_id WHERE r.id = $1",
    )
    .bind(review_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((offer_id, kind, price, reason, state, product_id)) = row else {
        return Ok(Decided::NotFound);
    };
    if state != "open" {
        return Ok(Decided::NotOpen);
    }
    let now = clock::now();
    let closed = sqlx::query(
        "UPDATE offer_reviews SET state = $1, note = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = 'open'",
    )
    .bind(if decision == Decision::Approve { "approved" } else { "rejected" })
    .bind(note)
    .bind(user_id)
    .bind(now)
    .bind(review_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        return Ok(Decided::NotOpen);
    }
    match (kind.as_str(), decision) {
        ("new_offer", Decision::Approve) => {
            sqlx::query("UPDATE offers SET status = 'on_sale', updated_at = $1 WHERE id = $2 AND status = 'in_review'")
                .bind(now)
                .bind(offer_id)
                .execute(&mut *tx)
                .await?;
        }
        ("new_offer", Decision::Reject) => {
            sqlx::query("UPDATE offers SET status = 'off_sale', updated_at = $1 WHERE id = $2 AND status = 'in_review'")
                .bind(now)
                .bind(offer_id)
                .execute(&mut *tx)
                .await?;
        }
        (_, Decision::Approve) => {
            sqlx::query("UPDATE offers SET price_fen = $1, updated_at = $2 WHERE id = $3")
                .bind(price)
                .bind(now)
                .bind(offer_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO offer_price_history (offer_id, price_fen, reason, changed_at) VALUES ($1, $2, $3, $4)")
                .bind(offer_id)
                .bind(price)
                .bind(&reason)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        (_, Decision::Reject) => {}
    }
    outbox::record(&mut *tx, &outbox::Change::products([product_id])).await?;
    tx.commit().await?;
    Ok(Decided::Done(product_id))
}
