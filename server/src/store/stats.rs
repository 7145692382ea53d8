use super::CONTRACTED_STATUSES;
use crate::db::{Backend, Db};
use emall_app::model::{MallStats, MonthAmount, NamedAmount};
use emall_domain::Fen;

pub async fn mall(db: &Db) -> sqlx::Result<MallStats> {
    let (products, suppliers, units, live_offers): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM products), \
                (SELECT COUNT(*) FROM suppliers WHERE status = 'admitted'), \
                (SELECT COUNT(*) FROM purchasing_units), \
                (SELECT COUNT(*) FROM offers WHERE status = 'on_sale')",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(MallStats {
        products,
        suppliers,
        units,
        live_offers,
    })
}

pub struct SpendSummary {
    pub spend: Fen,
    pub orders: i64,
    pub sme_spend: Fen,
}

/// Contracted spend since `since` (unix seconds), and the part won by SMEs.
pub async fn spend_since(db: &Db, since: i64) -> sqlx::Result<SpendSummary> {
    let sql = format!(
        "SELECT COALESCE(CAST(SUM(o.total_fen) AS BIGINT), 0), COUNT(*), \
         COALESCE(CAST(SUM(CASE WHEN s.size <> 'large' THEN o.total_fen ELSE 0 END) AS BIGINT), 0) \
         FROM orders o JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.created_at >= $1 AND o.status IN {CONTRACTED_STATUSES}"
    );
    let (spend, orders, sme): (i64, i64, i64) = sqlx::query_as(&sql)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    Ok(SpendSummary {
        spend: Fen(spend),
        orders,
        sme_spend: Fen(sme),
    })
}

pub async fn monthly_spend(db: &Db, since: i64) -> sqlx::Result<Vec<MonthAmount>> {
    let month = match db.backend() {
        Backend::Sqlite => "strftime('%Y-%m', o.created_at, 'unixepoch')",
        Backend::Postgres => "to_char(to_timestamp(o.created_at) AT TIME ZONE 'UTC', 'YYYY-MM')",
    };
    let sql = format!(
        "SELECT {month} AS m, COALESCE(CAST(SUM(o.total_fen) AS BIGINT), 0), COUNT(*) FROM orders o \
         WHERE o.created_at >= $1 AND o.status IN {CONTRACTED_STATUSES} GROUP BY m ORDER BY m"
    );
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(&sql)
        .bind(since)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(month, amount, orders)| MonthAmount {
            month,
            amount: Fen(amount),
            orders,
        })
        .collect())
}

pub async fn top_suppliers(db: &Db, since: i64, limit: i64) -> sqlx::Result<Vec<NamedAmount>> {
    let sql = format!(
        "SELECT s.name, COALESCE(CAST(SUM(o.total_fen) AS BIGINT), 0) AS amount FROM orders o \
         JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.created_at >= $1 AND o.status IN {CONTRACTED_STATUSES} \
         GROUP BY s.id, s.name ORDER BY amount DESC LIMIT $2"
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(since)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|(name, amount)| NamedAmount {
            name,
            amount: Fen(amount),
        })
        .collect())
}
