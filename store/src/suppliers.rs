use crate::db::{stored, Db};
use emall_domain::registration::SupplierStatus;
use emall_domain::Fen;
use emall_model::{OfferRow, SupplierQueueRow};

pub struct SupplierSummary {
    pub id: i64,
    pub name: String,
    pub status: SupplierStatus,
    pub size: String,
    pub review_state: String,
    pub review_reason: String,
}

pub async fn summary(db: &Db, supplier_id: i64) -> sqlx::Result<Option<SupplierSummary>> {
    let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, status, size, review_state, review_reason FROM suppliers WHERE id = $1",
    )
    .bind(supplier_id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|(id, name, status, size, review_state, review_reason)| {
        Ok(SupplierSummary {
            id,
            name,
            status: stored(&status)?,
            size,
            review_state,
            review_reason,
        })
    })
    .transpose()
}

/// Suppliers waiting for the operator's admission decision.
pub async fn admission_queue(db: &Db, limit: i64) -> sqlx::Result<Vec<SupplierQueueRow>> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, s.uscc, s.size, r.name FROM suppliers s \
         JOIN regions r ON r.code = s.city WHERE s.status = 'pending' AND s.review_state = 'submitted' \
         ORDER BY s.submitted_at, s.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, uscc, size, city_name)| SupplierQueueRow {
            id,
            name,
            uscc,
            size,
            city_name,
        })
        .collect())
}

pub async fn offer_count(db: &Db, supplier_id: i64) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM offers WHERE supplier_id = $1")
        .bind(supplier_id)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// A supplier's own listings, newest first, with the names of the cities they serve.
pub async fn offers(
    db: &Db,
    supplier_id: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<OfferRow>> {
    Ok(find_offers(db, supplier_id, "", "", limit, offset).await?.0)
}

/// A supplier's listings matching a text (title, brand or model) and a status (`""`: any),
/// newest first, and how many match.
pub async fn find_offers(
    db: &Db,
    supplier_id: i64,
    text: &str,
    status: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<OfferRow>, i64)> {
    let pattern = format!("%{}%", text.trim());
    const FROM: &str = "FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.supplier_id = $1 AND ($2 = '' OR o.status = $2) \
         AND (p.title LIKE $3 OR p.brand LIKE $3 OR p.model LIKE $3)";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {FROM}"))
        .bind(supplier_id)
        .bind(status)
        .bind(&pattern)
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<(i64, i64, String, i64, i64, i64, String)> = sqlx::query_as(&format!(
        "SELECT o.id, o.product_id, p.title, o.price_fen, o.stock, o.delivery_days, o.status {FROM} \
         ORDER BY o.updated_at DESC, o.id DESC LIMIT $4 OFFSET $5"
    ))
    .bind(supplier_id)
    .bind(status)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, product_id, title, price, stock, days, status) in rows {
        let cities: Vec<(String,)> = sqlx::query_as(
            "SELECT r.name FROM offer_cities oc JOIN regions r ON r.code = oc.city \
             WHERE oc.offer_id = $1 ORDER BY oc.city",
        )
        .bind(id)
        .fetch_all(db.pool())
        .await?;
        out.push(OfferRow {
            id,
            product_id,
            product_title: title,
            price: Fen(price),
            stock,
            delivery_days: days,
            status,
            cities: cities.into_iter().map(|(n,)| n).collect(),
        });
    }
    Ok((out, total))
}

pub struct PublicProfile {
    pub name: String,
    pub size: String,
    pub status: SupplierStatus,
    pub score: Option<i64>,
    pub home_city: String,
    pub cities: Vec<String>,
    pub admitted_at: Option<i64>,
}

pub async fn public_profile(db: &Db, supplier_id: i64) -> sqlx::Result<Option<PublicProfile>> {
    let row: Option<(String, String, String, Option<i64>, String, Option<i64>)> = sqlx::query_as(
        "SELECT s.name, s.size, s.status, s.performance_score, r.name, s.admitted_at FROM suppliers s \
         JOIN regions r ON r.code = s.city WHERE s.id = $1",
    )
    .bind(supplier_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((name, size, status, score, home_city, admitted_at)) = row else {
        return Ok(None);
    };
    let cities: Vec<(String,)> = sqlx::query_as(
        "SELECT r.name FROM supplier_cities sc JOIN regions r ON r.code = sc.city WHERE sc.supplier_id = $1 ORDER BY sc.city",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    Ok(Some(PublicProfile {
        name,
        size,
        status: stored(&status)?,
        score,
        home_city,
        cities: cities.into_iter().map(|(c,)| c).collect(),
        admitted_at,
    }))
}

/// A supplier's live offers in a city (the public storefront), and how many there are.
pub async fn city_offers(
    db: &Db,
    supplier_id: i64,
    city: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<emall_model::SupplierOffer>, i64)> {
    const FROM: &str = "FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN products p ON p.id = o.product_id \
         WHERE o.supplier_id = $1 AND oc.city = $2 AND o.status = 'on_sale'";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {FROM}"))
        .bind(supplier_id)
        .bind(city)
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<(i64, String, String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT p.id, p.title, p.unit, o.price_fen, p.ref_price_fen, o.stock, o.delivery_days {FROM} \
         ORDER BY p.category_code, p.id LIMIT $3 OFFSET $4"
    ))
    .bind(supplier_id)
    .bind(city)
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    let offers = rows
        .into_iter()
        .map(
            |(product_id, title, unit, price, reference, stock, delivery_days)| {
                emall_model::SupplierOffer {
                    product_id,
                    title,
                    unit,
                    price: Fen(price),
                    reference_price: Fen(reference),
                    stock,
                    delivery_days,
                }
            },
        )
        .collect();
    Ok((offers, total))
}

/// The products a supplier has on sale (whose search listings follow its changes).
pub async fn live_products(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT product_id FROM offers WHERE supplier_id = $1 AND status = 'on_sale'",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

/// Every supplier's id (the hourly rescore).
pub async fn all_ids(db: &Db) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM suppliers ORDER BY id")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The cities the supplier serves: code and name, by code.
pub async fn served_cities(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT r.code, r.name FROM supplier_cities sc JOIN regions r ON r.code = sc.city \
         WHERE sc.supplier_id = $1 ORDER BY r.code",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await
}
