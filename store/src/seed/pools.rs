//! The demo's joint purchases, made through the real pool code: one awarded (its price now
//! caps the product in the city), one open and gathering commitments, one that failed.

use super::rng::Rng;
use crate::db::Db;
use crate::lifecycle::Timing;
use crate::pools::{self, Closing, NewPool, Opened};
use crate::users;
use emall_domain::audit::Actor;
use emall_domain::pool::PoolTerms;
use emall_domain::{Fen, RegionCode, Tier};

const DAY: i64 = 86_400;

struct Plan {
    title: &'static str,
    min_total: i64,
    opened_days_ago: i64,
    closes_in_days: i64,
    /// Units committing, and their quantity range.
    units: usize,
    quantity: (i64, i64),
    /// Close now (awarded or failed), or leave open.
    close: bool,
}

const PLANS: [Plan; 3] = [
    Plan {
        title: "全市联合采购",
        min_total: 200,
        opened_days_ago: 20,
        closes_in_days: 1,
        units: 6,
        quantity: (40, 90),
        close: true,
    },
    Plan {
        title: "带量采购（征集中）",
        min_total: 300,
        opened_days_ago: 3,
        closes_in_days: 10,
        units: 4,
        quantity: (30, 60),
        close: false,
    },
    Plan {
        title: "联合采购（未成团）",
        min_total: 2000,
        opened_days_ago: 30,
        closes_in_days: 1,
        units: 2,
        quantity: (10, 30),
        close: true,
    },
];

/// Seeds the pools in the demo unit's city; returns how many.
pub async fn seed(db: &Db, now: i64) -> anyhow::Result<usize> {
    let mut rng = Rng::new(2027);
    let (operator,): (i64,) =
        sqlx::query_as("SELECT id FROM users WHERE username = 'demo-operator'")
            .fetch_one(db.pool())
            .await?;
    let operator = users::audit_user(db, operator).await?;
    let (city,): (String,) = sqlx::query_as(
        "SELECT p.city FROM users u JOIN purchasing_units p ON p.id = u.unit_id WHERE u.username = 'demo-buyer'",
    )
    .fetch_one(db.pool())
    .await?;
    // Everyday products several suppliers sell in the city.
    let products: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, p.ref_price_fen FROM products p JOIN offers o ON o.product_id = p.id \
         JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE oc.city = $1 AND o.status = 'on_sale' AND s.status = 'admitted' AND p.ref_price_fen BETWEEN 1000 AND 50000 \
         GROUP BY p.id, p.title, p.ref_price_fen HAVING COUNT(DISTINCT o.supplier_id) >= 3 ORDER BY p.id LIMIT 3",
    )
    .bind(&city)
    .fetch_all(db.pool())
    .await?;
    let buyers: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT u.unit_id, MIN(u.id), (SELECT MAX(b.id) FROM budget_lines b WHERE b.unit_id = u.unit_id) \
         FROM users u JOIN purchasing_units p ON p.id = u.unit_id WHERE u.role = 'buyer' AND p.city = $1 \
         GROUP BY u.unit_id ORDER BY u.unit_id",
    )
    .bind(&city)
    .fetch_all(db.pool())
    .await?;
    let timing = Timing {
        calendar: std::sync::Arc::new(emall_domain::calendar::WorkCalendar::china()),
        confirm_working_days: 2,
    };
    let mut seeded = 0;
    for (plan, (product, title, reference)) in PLANS.iter().zip(products) {
        let terms = PoolTerms::new(
            plan.min_total,
            Fen(reference),
            now - plan.opened_days_ago * DAY,
            now + plan.closes_in_days * DAY,
            365,
        )?;
        let new = NewPool {
            product_id: product,
            city: RegionCode::parse(&city)?,
            title: format!("{} {title}", plan.title),
            description: "本市各预算单位合并采购，成交价作为同城限价。".into(),
            delivery_terms: "成交后 5 个工作日内送达各单位".into(),
            terms,
            lead_unit_id: None,
        };
        let Opened::Opened(pool) = pools::open(db, &operator, &new).await? else {
            continue;
        };
        let bidders: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT o.supplier_id, MIN(u.id), MIN(o.price_fen) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
             JOIN users u ON u.supplier_id = o.supplier_id WHERE o.product_id = $1 AND oc.city = $2 AND o.status = 'on_sale' \
             GROUP BY o.supplier_id ORDER BY o.supplier_id LIMIT 3",
        )
        .bind(product)
        .bind(&city)
        .fetch_all(db.pool())
        .await?;
        for (supplier, user, price) in bidders {
            let base = price.min(reference);
            let cut = |permille: i64| Fen((base * permille / 1000).max(1));
            let tiers = vec![
                Tier {
                    min_quantity: 1,
                    price: cut(1000 - rng.range(0, 30)),
                },
                Tier {
                    min_quantity: plan.min_total,
                    price: cut(930 - rng.range(0, 40)),
                },
                Tier {
                    min_quantity: plan.min_total * 2,
                    price: cut(860 - rng.range(0, 40)),
                },
            ];
            let user = users::audit_user(db, user).await?;
            pools::bid(db, pool, supplier, &user, tiers, now)
                .await?
                .ok();
        }
        let start = rng.range(0, buyers.len().saturating_sub(plan.units) as i64) as usize;
        for &(unit, user, line) in buyers.iter().skip(start).take(plan.units) {
            let q = rng.range(plan.quantity.0, plan.quantity.1);
            // A unit without the budget for it stays out, as it would.
            let user = users::audit_user(db, user).await?;
            pools::commit(db, pool, unit, &user, line, q, now)
                .await?
                .ok();
        }
        if plan.close {
            let closing = Closing {
                by: Actor::User(operator.clone()),
                timing: &timing,
                payment_terms_days: 30,
            };
            pools::close(db, pool, &closing, now).await?;
        }
        seeded += 1;
    }
    Ok(seeded)
}
