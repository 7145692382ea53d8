//! 信息公开: transaction results at or above the disclosure amount, the credit record of
//! every supplier, and the units' procurement intentions (采购意向公开), which units
//! publish and may withdraw.

use super::CONTRACTED_STATUSES;
use crate::clock;
use crate::db::Db;
use emall_domain::intention::Intention;
use emall_domain::Fen;
use emall_model::{CategoryOption, DisclosedOrder, IntentionView, PublicCreditEntry};
use sqlx::Row;

/// Contracted orders at or above `threshold`, newest first.
pub async fn results(
    db: &Db,
    threshold: Fen,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<DisclosedOrder>> {
    let rows = sqlx::query(&format!(
        "SELECT o.id, o.order_no, COALESCE(o.placed_at, o.created_at) AS placed, u.name AS unit_name, \
           o.supplier_id, s.name AS supplier_name, r.name AS city_name, o.total_fen, o.pool_id, \
           (SELECT MIN(i.title) FROM order_items i WHERE i.order_id = o.id) AS first_item, \
           (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS items \
         FROM orders o JOIN purchasing_units u ON u.id = o.unit_id JOIN suppliers s ON s.id = o.supplier_id \
         JOIN regions r ON r.code = o.city \
         WHERE o.status IN {CONTRACTED_STATUSES} AND o.total_fen >= $1 \
         ORDER BY placed DESC, o.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(threshold.get())
    .bind(limit)
    .bind(offset)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DisclosedOrder {
                id: r.try_get("id")?,
                order_no: r.try_get("order_no")?,
                placed_at: clock::rfc3339(r.try_get("placed")?),
                unit_name: r.try_get("unit_name")?,
                supplier_id: r.try_get("supplier_id")?,
                supplier_name: r.try_get("supplier_name")?,
                city_name: r.try_get("city_name")?,
                first_item: r
                    .try_get::<Option<String>, _>("first_item")?
                    .unwrap_or_default(),
                items: r.try_get("items")?,
                total: Fen(r.try_get("total_fen")?),
                pooled: r.try_get::<Option<i64>, _>("pool_id")?.is_some(),
            })
        })
        .collect()
}

/// Every supplier's entries still on the public record, newest first.
pub async fn credit_records(
    db: &Db,
    now: i64,
    limit: usize,
) -> sqlx::Result<Vec<PublicCreditEntry>> {
    let suppliers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.name FROM suppliers s WHERE s.id IN (SELECT supplier_id FROM credit_entries) ORDER BY s.id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for (supplier_id, supplier_name) in suppliers {
        for entry in super::credit::list(db, supplier_id, true, now).await? {
            out.push(PublicCreditEntry {
                supplier_id,
                supplier_name: supplier_name.clone(),
                entry,
            });
        }
    }
    out.sort_by(|a, b| b.entry.recorded_at.cmp(&a.entry.recorded_at));
    out.truncate(limit);
    Ok(out)
}

/// Publishes an intention of `unit_id`. The category must exist.
pub async fn publish(
    db: &Db,
    unit_id: i64,
    user_id: i64,
    i: &Intention,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let known: Option<(String,)> = sqlx::query_as("SELECT code FROM categories WHERE code = $1")
        .bind(i.category_code.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Ok(None);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO procurement_intentions (unit_id, year, month, title, category_code, budget_fen, \
         description, published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(unit_id)
    .bind(i.year)
    .bind(i.month)
    .bind(&i.title)
    .bind(i.category_code.as_str())
    .bind(i.budget.get())
    .bind(&i.description)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    super::outbox::record(&mut *tx, &super::outbox::Change::disclosure()).await?;
    tx.commit().await?;
    Ok(Some(id))
}

pub enum Withdrawn {
    Done,
    NotFound,
    Already,
}

/// Withdraws an intention of `unit_id`; it stays on record as withdrawn.
pub async fn withdraw(db: &Db, id: i64, unit_id: i64, now: i64) -> anyhow::Result<Withdrawn> {
    let mut tx = db.begin_write().await?;
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT withdrawn_at FROM procurement_intentions WHERE id = $1 AND unit_id = $2",
    )
    .bind(id)
    .bind(unit_id)
    .fetch_optional(&mut *tx)
    .await?;
    match row {
        None => Ok(Withdrawn::NotFound),
        Some((Some(_),)) => Ok(Withdrawn::Already),
        Some((None,)) => {
            sqlx::query("UPDATE procurement_intentions SET withdrawn_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            super::outbox::record(&mut *tx, &super::outbox::Change::disclosure()).await?;
            tx.commit().await?;
            Ok(Withdrawn::Done)
        }
    }
}

/// A year's intentions (of one unit, or of all; withdrawn ones too when `withdrawn`), by
/// expected month.
pub async fn intentions(
    db: &Db,
    year: i64,
    unit: Option<i64>,
    withdrawn: bool,
) -> sqlx::Result<Vec<IntentionView>> {
    let rows = sqlx::query(
        "SELECT i.id, i.unit_id, u.name AS unit_name, CAST(i.year AS BIGINT) AS year, CAST(i.month AS BIGINT) AS month, i.title, i.category_code, \
           c.name_zh AS category_name, i.budget_fen, i.description, i.published_at, i.withdrawn_at \
         FROM procurement_intentions i JOIN purchasing_units u ON u.id = i.unit_id \
         JOIN categories c ON c.code = i.category_code \
         WHERE i.year = $1 AND ($2 = 0 OR i.unit_id = $2) AND ($3 = 1 OR i.withdrawn_at IS NULL) \
         ORDER BY i.month, i.published_at DESC, i.id DESC LIMIT 500",
    )
    .bind(year)
    .bind(unit.unwrap_or(0))
    .bind(i64::from(withdrawn))
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(IntentionView {
                id: r.try_get("id")?,
                unit_id: r.try_get("unit_id")?,
                unit_name: r.try_get("unit_name")?,
                year: r.try_get::<i64, _>("year")?,
                month: r.try_get::<i64, _>("month")?,
                title: r.try_get("title")?,
                category_code: r.try_get("category_code")?,
                category_name: r.try_get("category_name")?,
                budget: Fen(r.try_get("budget_fen")?),
                description: r.try_get("description")?,
                published_at: clock::rfc3339(r.try_get("published_at")?),
                withdrawn_at: r
                    .try_get::<Option<i64>, _>("withdrawn_at")?
                    .map(clock::rfc3339),
            })
        })
        .collect()
}

/// Categories of the first three levels, to name an intention's.
pub async fn category_options(db: &Db, en: bool) -> sqlx::Result<Vec<CategoryOption>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name_zh, name_en FROM categories ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .filter(|(code, _, _)| code.len() >= 3)
        .map(|(code, zh, en_name)| CategoryOption {
            name: format!("{code} {}", if en { en_name } else { zh }),
            code,
        })
        .collect())
}
