//! 履约记录: performance events, the supplier score they add up to, and the units'
//! payment record.

use crate::clock;
use crate::db::Db;
use crate::outbox;
use emall_domain::performance::{self, EventKind, PartName, Record};
use emall_model::{PaymentTimeliness, PerformanceEventView, PerformanceSummary, ScorePart};
use sqlx::{Any, Transaction};

const DAY: i64 = 24 * 3600;

/// Who an event is about.
#[derive(Debug, Clone, Copy)]
pub struct Parties {
    pub order_id: i64,
    pub supplier_id: i64,
    pub unit_id: i64,
}

/// Records one fact. An order has at most one event of each kind except complaints, so a
/// retried step or two timers racing cannot count a fact twice.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    p: Parties,
    kind: EventKind,
    value: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO performance_events (order_id, supplier_id, unit_id, kind, value, at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(p.order_id)
    .bind(p.supplier_id)
    .bind(p.unit_id)
    .bind(kind.as_str())
    .bind(value)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A supplier's counts over the rolling window ending at `now`.
pub async fn record_of(db: &Db, supplier_id: i64, now: i64) -> sqlx::Result<Record> {
    let since = now - performance::WINDOW_DAYS * DAY;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*), CAST(COALESCE(SUM(value), 0) AS BIGINT) FROM performance_events \
         WHERE supplier_id = $1 AND at >= $2 GROUP BY kind",
    )
    .bind(supplier_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let (orders,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM orders WHERE supplier_id = $1 AND placed_at >= $2")
            .bind(supplier_id)
            .bind(since)
            .fetch_one(db.pool())
            .await?;
    let mut record = Record {
        orders,
        ..Record::default()
    };
    for (kind, count, sum) in rows {
        if let Some(kind) = EventKind::parse(&kind) {
            record.add(kind, count, sum);
        }
    }
    Ok(record)
}

/// Recomputes a supplier's stored score; `true` if it changed (search must then re-rank
/// its products).
pub async fn rescore(db: &Db, supplier_id: i64, now: i64) -> anyhow::Result<bool> {
    let score = performance::score(&record_of(db, supplier_id, now).await?);
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE suppliers SET performance_score = $1 WHERE id = $2 \
         AND (performance_score IS NULL OR performance_score <> $1)",
    )
    .bind(i64::from(score.total))
    .bind(supplier_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    // The performance page shows the event that led here; a new score re-ranks the
    // supplier's products in search and shows on every page naming the supplier.
    let mut change = outbox::Change::performance(supplier_id);
    if changed {
        change.merge(outbox::Change::offers_of(supplier_id));
    }
    outbox::record(&mut *tx, &change).await?;
    tx.commit().await?;
    Ok(changed)
}

pub fn part_name(name: PartName) -> &'static str {
    match name {
        PartName::Confirmation => "confirmation",
        PartName::Delivery => "delivery",
        PartName::Inspection => "inspection",
        PartName::Rating => "rating",
        PartName::Complaints => "complaints",
    }
}

/// The public summary of a supplier's last 12 months.
pub async fn summary(db: &Db, supplier_id: i64) -> sqlx::Result<Option<PerformanceSummary>> {
    let name: Option<(String,)> = sqlx::query_as("SELECT name FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_optional(db.pool())
        .await?;
    let Some((supplier_name,)) = name else {
        return Ok(None);
    };
    let r = record_of(db, supplier_id, clock::now()).await?;
    let score = performance::score(&r);
    Ok(Some(PerformanceSummary {
        supplier_id,
        supplier_name,
        score: i64::from(score.total),
        parts: score
            .parts
            .iter()
            .map(|p| ScorePart {
                name: part_name(p.name).to_string(),
                weight: i64::from(p.weight),
                observations: p.observations,
                percent: (p.rate * 100.0).round() as i64,
            })
            .collect(),
        orders: r.orders,
        delivered_on_time: r.delivered_on_time,
        delivered_late: r.delivered_late,
        inspections_passed: r.inspections_passed,
        inspections_failed: r.inspections_failed,
        average_rating_x100: (r.ratings > 0).then(|| r.rating_sum * 100 / r.ratings),
        average_confirm_hours: r.average_confirm_hours().map(|h| h.round() as i64),
        complaints: r.complaints,
        cancelled_by_supplier: r.supplier_cancelled,
        not_confirmed: r.not_confirmed,
    }))
}

/// A supplier's events, newest first (for the supplier and the regulator).
pub async fn events(
    db: &Db,
    supplier_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<PerformanceEventView>> {
    let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT e.order_id, o.order_no, pu.name, e.kind, e.value, e.at FROM performance_events e \
         JOIN orders o ON o.id = e.order_id JOIN purchasing_units pu ON pu.id = e.unit_id \
         WHERE e.supplier_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2",
    )
    .bind(supplier_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(order_id, order_no, unit_name, kind, value, at)| PerformanceEventView {
                order_id,
                order_no,
                unit_name,
                kind,
                value,
                at: clock::rfc3339(at),
            },
        )
        .collect())
}

/// A unit's payments over the last 12 months, and what is overdue now.
pub async fn payments(db: &Db, unit_id: i64) -> sqlx::Result<PaymentTimeliness> {
    let since = clock::now() - performance::WINDOW_DAYS * DAY;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*) FROM performance_events WHERE unit_id = $1 AND at >= $2 \
         AND kind IN ('paid_on_time', 'paid_late') GROUP BY kind",
    )
    .bind(unit_id)
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let (overdue_now,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE unit_id = $1 AND payment_overdue = 1 \
         AND status IN ('accepted', 'invoiced')",
    )
    .bind(unit_id)
    .fetch_one(db.pool())
    .await?;
    let count = |k: &str| rows.iter().find(|(kind, _)| kind == k).map_or(0, |r| r.1);
    Ok(PaymentTimeliness {
        paid_on_time: count("paid_on_time"),
        paid_late: count("paid_late"),
        overdue_now,
    })
}
