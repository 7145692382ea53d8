use crate::db::Db;
use emall_app::model::{OfferRow, SupplierQueueRow};
use emall_domain::Fen;

pub struct SupplierSummary {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub size: String,
}

pub async fn summary(db: &Db, supplier_id: i64) -> sqlx::Result<Option<SupplierSummary>> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, name, status, size FROM suppliers WHERE id = $1")
            .bind(supplier_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(id, name, status, size)| SupplierSummary {
        id,
        name,
        status,
        size,
    }))
}

/// Suppliers waiting for the operator's admission decision.
pub async fn admission_queue(db: &Db, limit: i64) -> sqlx::Result<Vec<SupplierQueueRow>> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, s.uscc, s.size, r.name FROM suppliers s \
         JOIN regions r ON r.code = s.city WHERE s.status = 'pending' ORDER BY s.created_at LIMIT $1",
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
    let rows: Vec<(i64, i64, String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT o.id, o.product_id, p.title, o.price_fen, o.stock, o.delivery_days, o.status \
         FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.supplier_id = $1 ORDER BY o.updated_at DESC, o.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(supplier_id)
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
    Ok(out)
}
