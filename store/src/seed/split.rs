//! The demo's red flag to drill into: one purchasing unit splits a purchase of desktop
//! computers into five orders over a week, each just under the approval threshold and far
//! under the e-mall cap, together over the cap (拆分采购). Placed through the real
//! checkout, then the red-flag scan runs over the whole demo as the hourly timer would.

use crate::checkout::{self, Outcome, Request};
use crate::db::Db;
use crate::lifecycle::Timing;
use emall_domain::calendar::WorkCalendar;
use emall_domain::{Fen, PurchaseRules};

const ORDERS: i64 = 5;
/// Each order stays under the default approval threshold of 50,000 yuan.
const EACH_UNDER: Fen = Fen(4_800_000);

/// Returns the number of red flags the scan found.
pub async fn seed(db: &Db, now: i64) -> anyhow::Result<usize> {
    let rules = PurchaseRules::default();
    // A unit of the demo city other than the demo buyer's, with a special-fund line for
    // replacing its computers.
    let (unit, buyer, city): (i64, i64, String) = sqlx::query_as(
        "SELECT p.id, MIN(u.id), p.city FROM purchasing_units p \
         JOIN users u ON u.unit_id = p.id AND u.role = 'buyer' \
         WHERE p.city = '310100' AND u.username <> 'demo-buyer' GROUP BY p.id, p.city ORDER BY p.id LIMIT 1 OFFSET 2",
    )
    .fetch_one(db.pool())
    .await?;
    let (line,): (i64,) = sqlx::query_as(
        "INSERT INTO budget_lines (unit_id, code, fiscal_year, funding_source, purpose, amount_fen, created_at) \
         VALUES ($1, $2, $3, 'special', '信息化设备更新专项', 30000000, $4) RETURNING id",
    )
    .bind(unit)
    .bind(format!("{}-XXH-01", crate::clock::year_of(now)))
    .bind(i64::from(crate::clock::year_of(now)))
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    // The cheapest desktop computer on sale there, without volume tiers.
    let (offer, price): (i64, i64) = sqlx::query_as(
        "SELECT o.id, o.price_fen FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE p.category_code = 'A02010104' AND oc.city = $1 AND o.status = 'on_sale' AND s.status = 'admitted' \
         AND o.stock >= 100 AND NOT EXISTS (SELECT 1 FROM offer_tiers t WHERE t.offer_id = o.id) \
         ORDER BY o.price_fen LIMIT 1",
    )
    .bind(&city)
    .fetch_one(db.pool())
    .await?;
    let buyer = crate::users::audit_user(db, buyer).await?;
    let timing = Timing {
        calendar: std::sync::Arc::new(WorkCalendar::china()),
        confirm_working_days: 2,
    };
    let quantity = (EACH_UNDER.get() / price).max(1);
    for i in 0..ORDERS {
        let outcome = checkout::checkout(
            db,
            &rules,
            &timing,
            Request {
                user_id: buyer.id,
                username: &buyer.username,
                unit_id: unit,
                budget_line_id: line,
                payment_terms_days: 30,
                items: vec![(offer, quantity - i % 2)],
                from_cart: false,
                idempotency_key: None,
            },
        )
        .await?;
        if let Outcome::Refused(why) = outcome {
            anyhow::bail!("the demo's split purchase was refused: {why:?}");
        }
    }
    let thresholds = emall_domain::redflags::Thresholds {
        order_cap: rules.order_cap,
        split_window_days: rules.split_window_days,
        ..Default::default()
    };
    let (found, _) = crate::alerts::scan(db, &thresholds, now).await?;
    Ok(found)
}
