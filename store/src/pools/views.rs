//! What the pages and the API read of pools.

use crate::clock;
use crate::db::Db;
use emall_domain::pool::{progress, savings, Bid, BidTiers};
use emall_domain::{Fen, Tier};
use emall_model::{
    BidView, MyCommitment, MyPoolPart, NextTierView, PoolDetail, PoolResultView, PoolSummary,
    PriceCapView, SavingsView,
};
use sqlx::Row;

const SUMMARY: &str = "SELECT p.id, p.title, p.product_id, pr.title AS product_title, pr.unit, p.city, r.name AS city_name, \
     p.state, p.opens_at, p.closes_at, p.min_total_quantity, p.total_quantity, p.ceiling_fen, pr.ref_price_fen, \
     p.unit_price_fen, \
     (SELECT CAST(COALESCE(SUM(c.quantity), 0) AS BIGINT) FROM pool_commitments c WHERE c.pool_id = p.id AND c.state IN ('active', 'settled')) AS committed, \
     (SELECT COUNT(*) FROM pool_commitments c WHERE c.pool_id = p.id AND c.state IN ('active', 'settled')) AS units, \
     (SELECT COUNT(*) FROM pool_bids b WHERE b.pool_id = p.id) AS bidders \
     FROM pools p JOIN products pr ON pr.id = p.product_id JOIN regions r ON r.code = p.city";

/// The bids of a pool, oldest first, as the domain settles them.
async fn bids_of(db: &Db, pool_id: i64, ceiling: Fen) -> anyhow::Result<Vec<(Bid, String)>> {
    let rows: Vec<(i64, i64, String, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT b.id, b.supplier_id, b.tiers, b.placed_at, s.performance_score, s.name FROM pool_bids b \
         JOIN suppliers s ON s.id = b.supplier_id WHERE b.pool_id = $1 ORDER BY b.created_at, b.id",
    )
    .bind(pool_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(bid_id, supplier_id, tiers, placed_at, score, name)| {
            let tiers: Vec<Tier> = serde_json::from_str(&tiers)?;
            Ok((
                Bid {
                    bid_id,
                    supplier_id,
                    tiers: BidTiers::parse(tiers, ceiling)?,
                    score: score.unwrap_or(0),
                    placed_at,
                },
                name,
            ))
        })
        .collect()
}

async fn summary_of(
    db: &Db,
    row: &sqlx::any::AnyRow,
) -> anyhow::Result<(PoolSummary, Vec<(Bid, String)>)> {
    let id: i64 = row.try_get("id")?;
    let state: String = row.try_get("state")?;
    let ceiling = Fen(row.try_get("ceiling_fen")?);
    let bids = bids_of(db, id, ceiling).await?;
    let open = state == "open";
    let total: i64 = if open {
        row.try_get("committed")?
    } else {
        row.try_get::<Option<i64>, _>("total_quantity")?
            .unwrap_or(0)
    };
    let plain: Vec<Bid> = bids.iter().map(|(b, _)| b.clone()).collect();
    let p = progress(&plain, total);
    let award: Option<i64> = row.try_get("unit_price_fen")?;
    Ok((
        PoolSummary {
            id,
            title: row.try_get("title")?,
            product_id: row.try_get("product_id")?,
            product_title: row.try_get("product_title")?,
            unit: row.try_get("unit")?,
            city: row.try_get("city")?,
            city_name: row.try_get("city_name")?,
            opens_at: clock::rfc3339(row.try_get("opens_at")?),
            closes_at: clock::rfc3339(row.try_get("closes_at")?),
            min_total_quantity: row.try_get("min_total_quantity")?,
            total_quantity: total,
            units: row.try_get("units")?,
            bidders: row.try_get("bidders")?,
            ceiling,
            reference_price: Fen(row.try_get("ref_price_fen")?),
            current_price: if open {
                p.current_price
            } else {
                award.map(Fen)
            },
            next_tier: p.next.filter(|_| open).map(|n| NextTierView {
                min_quantity: n.min_quantity,
                price: n.price,
                missing: n.missing,
            }),
            state,
        },
        bids,
    ))
}

/// Pools of a city (or all), `open` or closed (`awarded` and `failed`), newest first.
pub async fn list(
    db: &Db,
    city: Option<&str>,
    open: bool,
    limit: i64,
) -> anyhow::Result<Vec<PoolSummary>> {
    let sql = format!(
        "{SUMMARY} WHERE ($1 = '' OR p.city = $1) AND (p.state = 'open') = ($2 = 1) ORDER BY {} LIMIT $3",
        if open { "p.closes_at, p.id" } else { "p.closed_at DESC, p.id DESC" }
    );
    let rows = sqlx::query(&sql)
        .bind(city.unwrap_or(""))
        .bind(i64::from(open))
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(summary_of(db, row).await?.0);
    }
    Ok(out)
}

fn savings_view(price: Fen, baseline: Option<i64>, quantity: i64) -> Option<SavingsView> {
    let baseline = Fen(baseline?);
    let s = savings(price, baseline, quantity).ok()?;
    Some(SavingsView {
        baseline,
        per_unit: s.per_unit,
        total: s.total,
        basis_points: s.basis_points,
    })
}

/// The letter an open pool lists the `i`-th bid under (by when it was first placed).
fn bidder_letter(i: usize) -> String {
    char::from(b'A' + (i % 26) as u8).to_string()
}

/// One pool with its bids (bidders named only once closed) and its result.
pub async fn detail(db: &Db, pool_id: i64) -> anyhow::Result<Option<PoolDetail>> {
    let row = sqlx::query(&format!("{SUMMARY} WHERE p.id = $1"))
        .bind(pool_id)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else { return Ok(None) };
    let (summary, bids) = summary_of(db, &row).await?;
    let extra: (String, String, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<String>) =
        sqlx::query_as(
            "SELECT description, delivery_terms, validity_days, closed_at, closed_by, winner_supplier_id, cap_until, \
             baseline_fen, reference_fen, result FROM pools WHERE id = $1",
        )
        .bind(pool_id)
        .fetch_one(db.pool())
        .await?;
    let (
        description,
        delivery_terms,
        validity_days,
        closed_at,
        closed_by,
        winner,
        cap_until,
        baseline,
        reference,
        result,
    ) = extra;
    let open = summary.state == "open";
    let total = summary.total_quantity;
    let bids_view = bids
        .iter()
        .enumerate()
        .map(|(i, (b, name))| BidView {
            bidder: if open { bidder_letter(i) } else { name.clone() },
            supplier_id: (!open).then_some(b.supplier_id),
            tiers: b.tiers.tiers().to_vec(),
            price_at_total: b.tiers.price_at(total),
            winner: winner == Some(b.supplier_id),
        })
        .collect();
    let result = match closed_at {
        None => None,
        Some(at) => {
            let winner_name = bids
                .iter()
                .find(|(b, _)| Some(b.supplier_id) == winner)
                .map(|(_, n)| n.clone());
            let price = summary.current_price.filter(|_| summary.state == "awarded");
            let fail_reason = result
                .as_deref()
                .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
                .and_then(|v| v["reason"]["kind"].as_str().map(str::to_string));
            Some(PoolResultView {
                closed_at: clock::rfc3339(at),
                closed_early: closed_by.is_some() && at < row.try_get::<i64, _>("closes_at")?,
                unit_price: price,
                winner_name,
                winner_supplier_id: winner,
                cap_until: cap_until.map(clock::rfc3339),
                vs_history: price.and_then(|p| savings_view(p, baseline, total)),
                vs_reference: price.and_then(|p| savings_view(p, reference, total)),
                units_served: summary.units,
                fail_reason: fail_reason.filter(|_| summary.state == "failed"),
            })
        }
    };
    Ok(Some(PoolDetail {
        summary,
        description,
        delivery_terms,
        validity_days,
        bids: bids_view,
        result,
    }))
}

/// The viewer's own part: a unit's commitment, a supplier's bid.
pub async fn my_part(
    db: &Db,
    pool_id: i64,
    unit_id: Option<i64>,
    supplier_id: Option<i64>,
    city: &str,
) -> sqlx::Result<MyPoolPart> {
    let mut part = MyPoolPart {
        commitment: None,
        bid: None,
        bid_label: None,
        can_commit: false,
        can_bid: false,
        can_close: false,
        budget_lines: Vec::new(),
    };
    if let Some(unit) = unit_id {
        let row: Option<(i64, i64, i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT quantity, budget_line_id, frozen_fen, state, amount_fen, order_id FROM pool_commitments \
             WHERE pool_id = $1 AND unit_id = $2",
        )
        .bind(pool_id)
        .bind(unit)
        .fetch_optional(db.pool())
        .await?;
        part.commitment = row.map(
            |(quantity, budget_line_id, frozen, state, amount, order_id)| MyCommitment {
                quantity,
                budget_line_id,
                frozen: Fen(frozen),
                state,
                amount: amount.map(Fen),
                order_id,
            },
        );
        let (same_city,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM purchasing_units WHERE id = $1 AND city = $2")
                .bind(unit)
                .bind(city)
                .fetch_one(db.pool())
                .await?;
        part.can_commit = same_city == 1;
        part.budget_lines = crate::units::payable_lines(db, unit, crate::clock::now()).await?;
    }
    if let Some(supplier) = supplier_id {
        // Its place among the bids in the order the pool page lists them.
        let row: Option<(String, i64, String)> = sqlx::query_as(
            "SELECT b.tiers, (SELECT COUNT(*) FROM pool_bids o WHERE o.pool_id = b.pool_id \
             AND (o.created_at < b.created_at OR (o.created_at = b.created_at AND o.id < b.id))), p.state \
             FROM pool_bids b JOIN pools p ON p.id = b.pool_id WHERE b.pool_id = $1 AND b.supplier_id = $2",
        )
        .bind(pool_id)
        .bind(supplier)
        .fetch_optional(db.pool())
        .await?;
        if let Some((tiers, before, state)) = row {
            part.bid = serde_json::from_str(&tiers).ok();
            part.bid_label = (state == "open").then(|| bidder_letter(before as usize));
        }
        let (serves,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM supplier_cities WHERE supplier_id = $1 AND city = $2",
        )
        .bind(supplier)
        .bind(city)
        .fetch_one(db.pool())
        .await?;
        part.can_bid = serves == 1;
    }
    Ok(part)
}

pub use emall_model::PoolEvent;

pub async fn events(db: &Db, pool_id: i64) -> sqlx::Result<Vec<PoolEvent>> {
    let rows: Vec<(String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT e.kind, u.display_name, e.details, e.at FROM pool_events e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.pool_id = $1 ORDER BY e.at, e.id",
    )
    .bind(pool_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, user, details, at)| PoolEvent {
            kind,
            user,
            details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            at: clock::rfc3339(at),
        })
        .collect())
}

/// 同城限价 as the comparison page shows it.
pub async fn cap_view(db: &Db, cap: super::CityCap) -> sqlx::Result<PriceCapView> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM suppliers WHERE id = $1")
        .bind(cap.supplier_id)
        .fetch_one(db.pool())
        .await?;
    Ok(PriceCapView {
        price: cap.price,
        pool_id: cap.pool_id,
        supplier_id: cap.supplier_id,
        supplier_name: name,
        until: clock::rfc3339(cap.until),
    })
}

/// The pool's city (its code); `None` if there is no such pool.
pub async fn city(db: &Db, pool_id: i64) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT city FROM pools WHERE id = $1")
        .bind(pool_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(c,)| c))
}
