//! Rebuilding `spend_rollup` and its three narrower sums, month by month.

use super::{sums, MEASURES, WHOLE_ORDER};
use crate::db::{Backend, Db};
use crate::CONTRACTED_STATUSES;
use emall_domain::calendar::Month;

/// Orders changed this close to a refresh are folded in again by the next one, so a
/// transaction that commits late is never missed.
const MARGIN_SECS: i64 = 120;
/// Any key will do: it only has to be the same on every node.
const REFRESH_LOCK_KEY: i64 = 0x726f_6c6c_7570;

/// Rebuilds the months of the orders changed since the last refresh. Returns the number
/// of months rebuilt.
pub async fn refresh(db: &Db, now: i64) -> sqlx::Result<usize> {
    let watermark: Option<(i64,)> =
        sqlx::query_as("SELECT watermark FROM rollup_state WHERE name = 'spend'")
            .fetch_optional(db.pool())
            .await?;
    let since = watermark.map_or(i64::MIN, |(w,)| w);
    let month = month_of(db.backend(), "created_at");
    let months: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT DISTINCT {month} FROM orders WHERE updated_at >= $1"
    ))
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    for (m,) in &months {
        if let Some(m) = Month::parse(m) {
            rebuild_month(db, m).await?;
        }
    }
    sqlx::query(
        "INSERT INTO rollup_state (name, watermark, refreshed_at) VALUES ('spend', $1, $2) \
         ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark, refreshed_at = excluded.refreshed_at",
    )
    .bind(now - MARGIN_SECS)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(months.len())
}

/// Drops the watermark: the next refresh rebuilds every month.
pub async fn forget(db: &Db) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rollup_state WHERE name = 'spend'")
        .execute(db.pool())
        .await
        .map(|_| ())
}

/// `YYYY-MM` in Beijing time of a unix-seconds column.
fn month_of(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => format!("strftime('%Y-%m', {column} + 28800, 'unixepoch')"),
        Backend::Postgres => {
            format!("to_char(to_timestamp({column} + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')")
        }
    }
}

fn tagged(tag: &str) -> String {
    format!("CASE WHEN (',' || p.tags || ',') LIKE '%,{tag},%' THEN i.line_total_fen ELSE 0 END")
}

/// Replaces one month's rows with fresh sums, in one transaction.
async fn rebuild_month(db: &Db, month: Month) -> sqlx::Result<()> {
    // `join`: more tables after the product's
    let items = |category: &str, join: &str, group: &str| {
        format!(
            "SELECT i.order_id, {category} AS cat, SUM(i.line_total_fen) AS amount, \
             SUM(p.ref_price_fen * i.quantity) AS reference, SUM({energy}) AS energy, \
             SUM({environmental}) AS environmental, SUM({poverty}) AS poverty \
             FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id{join} \
             WHERE o.created_at >= $2 AND o.created_at < $3 AND o.status || '' IN {CONTRACTED_STATUSES} \
             GROUP BY {group}",
            energy = tagged("energy_saving"),
            environmental = tagged("environmental"),
            poverty = tagged("poverty_area"),
        )
    };
    // Every line counts in its category and in each of the category's ancestors (`anc`,
    // leaf to ancestor), so a category at any level is one exact key and its orders are
    // counted once.
    let by_category = items(
        "anc.code",
        " JOIN anc ON anc.leaf = p.category_code",
        "i.order_id, anc.code",
    );
    let whole = items(&format!("'{WHOLE_ORDER}'"), "", "i.order_id");
    let overdue = "o.payment_overdue = 1 AND o.paid_at IS NULL";
    // The month's orders are found by date (`status || ''` keeps the planner off the
    // status index, which matches nearly every order).
    let sql = format!(
        "WITH anc AS MATERIALIZED (SELECT d.code AS leaf, a.code FROM categories d \
           JOIN categories a ON SUBSTR(d.code, 1, LENGTH(a.code)) = a.code) \
         INSERT INTO spend_rollup (month, city, district, unit_id, supplier_id, category_code, orders, \
           amount_fen, reference_fen, pool_amount_fen, pool_reference_fen, energy_fen, environmental_fen, \
           poverty_fen, delivered, delivered_on_time, inspected, inspection_passed, confirmed, confirm_secs, \
           paid, paid_late, overdue, overdue_fen) \
         SELECT CAST($1 AS TEXT), u.city, u.district, o.unit_id, o.supplier_id, x.cat, COUNT(*), \
           SUM(x.amount), SUM(x.reference), \
           SUM(CASE WHEN o.pool_id IS NULL THEN 0 ELSE x.amount END), \
           SUM(CASE WHEN o.pool_id IS NULL THEN 0 ELSE x.reference END), \
           SUM(x.energy), SUM(x.environmental), SUM(x.poverty), \
           SUM(CASE WHEN o.delivered_at IS NULL THEN 0 ELSE 1 END), \
           SUM(COALESCE(e.on_time, 0)), SUM(COALESCE(e.inspected, 0)), SUM(COALESCE(e.passed, 0)), \
           SUM(CASE WHEN o.confirmed_at IS NULL THEN 0 ELSE 1 END), \
           SUM(CASE WHEN o.confirmed_at IS NULL THEN 0 ELSE o.confirmed_at - COALESCE(o.placed_at, o.created_at) END), \
           SUM(CASE WHEN o.paid_at IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(e.paid_late, 0)), \
           SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), SUM(CASE WHEN {overdue} THEN x.amount ELSE 0 END) \
         FROM ({by_category} UNION ALL {whole}) x \
         JOIN orders o ON o.id = x.order_id \
         JOIN purchasing_units u ON u.id = o.unit_id \
         LEFT JOIN (SELECT pe.order_id, \
             SUM(CASE WHEN pe.kind = 'delivered_on_time' THEN 1 ELSE 0 END) AS on_time, \
             SUM(CASE WHEN pe.kind IN ('inspection_passed', 'inspection_failed') THEN 1 ELSE 0 END) AS inspected, \
             SUM(CASE WHEN pe.kind = 'inspection_passed' THEN 1 ELSE 0 END) AS passed, \
             SUM(CASE WHEN pe.kind = 'paid_late' THEN 1 ELSE 0 END) AS paid_late \
           FROM orders o2 JOIN performance_events pe ON pe.order_id = o2.id \
           WHERE o2.created_at >= $2 AND o2.created_at < $3 GROUP BY pe.order_id) e ON e.order_id = o.id \
         GROUP BY u.city, u.district, o.unit_id, o.supplier_id, x.cat"
    );
    let mut tx = db.begin_write().await?;
    if db.backend() == Backend::Postgres {
        // Nodes refreshing at once take turns (SQLite's write transaction already does).
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(REFRESH_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM spend_rollup WHERE month = $1")
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(&sql)
        .bind(month.to_string())
        .bind(month.start())
        .bind(month.plus(1).start())
        .execute(&mut *tx)
        .await?;
    let columns = MEASURES.join(", ");
    let summed = sums();
    // (table, its key columns, their values from spend_rollup, grouped by)
    for (table, keys, select, by) in [
        (
            "spend_by_unit",
            "city, district, unit_id, category_code",
            "MAX(r.city), MAX(r.district), r.unit_id, r.category_code",
            "r.unit_id, r.category_code",
        ),
        (
            "spend_by_supplier",
            "city, district, supplier_id, category_code",
            "r.city, r.district, r.supplier_id, r.category_code",
            "r.city, r.district, r.supplier_id, r.category_code",
        ),
        (
            "spend_by_category",
            "city, district, category_code",
            "r.city, r.district, r.category_code",
            "r.city, r.district, r.category_code",
        ),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE month = $1"))
            .bind(month.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "INSERT INTO {table} (month, {keys}, {columns}) \
             SELECT CAST($1 AS TEXT), {select}, {summed} FROM spend_rollup r WHERE r.month = $1 GROUP BY {by}"
        ))
        .bind(month.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
