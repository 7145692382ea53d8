//! `emall seed --orders M`: a synthetic two-year order history for the dashboard benchmark,
//! over the offers already in the database (from `--scale` or `--demo`). Adds purchasing
//! units with a buyer and a budget line each (about one unit per 300 orders), the sign-in
//! `bench-regulator` (password `Bench@2026`), and M orders with their items, milestones
//! and performance events, written with multi-row INSERTs in one transaction.
//!
//! The shape is a plausible mall: each unit buys mostly from a handful of regular
//! suppliers, most orders complete and are paid, a few are cancelled or paid late.

use super::insert::{self, next_id, V};
use super::rng::Rng;
use crate::clock;
use crate::db::Db;
use emall_domain::Uscc;
use std::collections::HashMap;
use std::time::Instant;

const DAY: i64 = 86_400;
const HISTORY_DAYS: i64 = 730;
const ORDERS_PER_UNIT: u64 = 300;
const KINDS: [&str; 4] = ["agency", "school", "hospital", "institution"];

/// An offer that can be ordered: (offer, supplier, product, price, reference price).
#[derive(Clone, Copy)]
struct Sellable {
    offer: i64,
    supplier: i64,
    product: i64,
    price: i64,
}

pub async fn seed(db: &Db, orders: u64) -> anyhow::Result<String> {
    anyhow::ensure!(orders > 0, "--orders must be at least 1");
    let started = Instant::now();
    let now = clock::now();
    let mut rng = Rng::new(orders ^ 0x5eed);

    // What each city sells, by supplier.
    let offers: Vec<(i64, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT o.id, o.supplier_id, o.product_id, o.price_fen, oc.city FROM offers o \
         JOIN offer_cities oc ON oc.offer_id = o.id WHERE o.status = 'on_sale' ORDER BY o.id",
    )
    .fetch_all(db.pool())
    .await?;
    anyhow::ensure!(
        !offers.is_empty(),
        "no offers on sale: seed a catalogue first (--scale N or --demo)"
    );
    let mut by_city: HashMap<String, HashMap<i64, Vec<Sellable>>> = HashMap::new();
    for (offer, supplier, product, price, city) in offers {
        by_city
            .entry(city)
            .or_default()
            .entry(supplier)
            .or_default()
            .push(Sellable {
                offer,
                supplier,
                product,
                price,
            });
    }
    let mut cities: Vec<(String, Vec<Vec<Sellable>>)> = Vec::new();
    for (city, suppliers) in by_city {
        let mut suppliers: Vec<(i64, Vec<Sellable>)> = suppliers.into_iter().collect();
        suppliers.sort_by_key(|(id, _)| *id);
        cities.push((city, suppliers.into_iter().map(|(_, s)| s).collect()));
    }
    cities.sort_by(|a, b| a.0.cmp(&b.0));
    let mut districts: HashMap<String, Vec<String>> = HashMap::new();
    for (city, _) in &cities {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM regions WHERE parent = $1 ORDER BY code")
                .bind(city)
                .fetch_all(db.pool())
                .await?;
        let list: Vec<String> = rows.into_iter().map(|(c,)| c).collect();
        districts.insert(
            city.clone(),
            if list.is_empty() {
                vec![city.clone()]
            } else {
                list
            },
        );
    }

    let mut tx = db.pool().begin().await?;
    let mut rows = 0u64;
    let first_unit = next_id(&mut tx, "purchasing_units").await?;
    let first_user = next_id(&mut tx, "users").await?;
    let first_line = next_id(&mut tx, "budget_lines").await?;
    let unit_count = (orders / ORDERS_PER_UNIT).max(10) as i64;
    // (unit, city index, regular suppliers)
    let mut units = Vec::with_capacity(unit_count as usize);
    let mut unit_rows = Vec::new();
    let mut user_rows = Vec::new();
    let mut line_rows = Vec::new();
    for i in 0..unit_count {
        let id = first_unit + i;
        let c = (i as usize) % cities.len();
        let (city, suppliers) = &cities[c];
        let district = rng.pick(&districts[city]).clone();
        let regulars: Vec<usize> = rng.sample(suppliers.len(), suppliers.len().min(6));
        units.push((id, c, regulars));
        let uscc = Uscc::with_check(&format!("12{district}B{:08}", id % 100_000_000))
            .map(|u| u.to_string())
            .unwrap_or_default();
        unit_rows.push(vec![
            V::I(id),
            V::from(format!("基准测试预算单位{id:06}")),
            V::from(format!("Benchmark Unit {id:06}")),
            V::from(uscc),
            V::from(city.as_str()),
            V::from(district),
            V::from(*rng.pick(&KINDS)),
            V::I(now),
        ]);
        user_rows.push(vec![
            V::I(first_user + i),
            V::from(format!("bench-buyer-{id}")),
            // no password hash matches "!": a buyer for the records, not for signing in
            V::from("!"),
            V::from(format!("采购员{id}")),
            V::from("buyer"),
            V::I(id),
            V::I(now),
        ]);
        line_rows.push(vec![
            V::I(first_line + i),
            V::I(id),
            V::from(format!("BENCH-{id}")),
            V::I(clock::year_of(now) as i64),
            V::from("general"),
            V::from("基准测试 / benchmark"),
            V::I(1_000_000_000_000),
            V::I(now),
        ]);
    }
    rows += insert::rows(
        &mut tx,
        "purchasing_units",
        &[
            "id",
            "name",
            "name_en",
            "uscc",
            "city",
            "district",
            "kind",
            "created_at",
        ],
        unit_rows,
    )
    .await?;
    rows += insert::rows(
        &mut tx,
        "users",
        &[
            "id",
            "username",
            "password_hash",
            "display_name",
            "role",
            "unit_id",
            "created_at",
        ],
        user_rows,
    )
    .await?;
    rows += insert::rows(
        &mut tx,
        "budget_lines",
        &[
            "id",
            "unit_id",
            "code",
            "fiscal_year",
            "funding_source",
            "purpose",
            "amount_fen",
            "created_at",
        ],
        line_rows,
    )
    .await?;
    // the regulator below takes its id from the sequence, which must first pass the rows above
    insert::advance_sequences(&mut tx, &["users"]).await?;
    let (regulators,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = 'bench-regulator'")
            .fetch_one(&mut *tx)
            .await?;
    if regulators == 0 {
        sqlx::query(
            "INSERT INTO users (username, password_hash, display_name, role, created_at) \
             VALUES ('bench-regulator', $1, '基准测试监管员', 'regulator', $2)",
        )
        .bind(crate::auth::password::hash("Bench@2026")?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }

    let first_order = next_id(&mut tx, "orders").await?;
    let first_item = next_id(&mut tx, "order_items").await?;
    let mut item_id = first_item;
    let progress = indicatif::ProgressBar::new(orders);
    const CHUNK: u64 = 20_000;
    let mut done = 0;
    while done < orders {
        let n = CHUNK.min(orders - done);
        let mut order_rows = Vec::with_capacity(n as usize);
        let mut item_rows = Vec::with_capacity(n as usize * 2);
        let mut event_rows = Vec::with_capacity(n as usize * 3);
        for k in 0..n {
            let id = first_order + (done + k) as i64;
            let u = rng.range(0, unit_count - 1) as usize;
            let (unit, c, regulars) = &units[u];
            let (city, suppliers) = &cities[*c];
            let s = if rng.chance(80) {
                regulars[rng.range(0, regulars.len() as i64 - 1) as usize]
            } else {
                rng.range(0, suppliers.len() as i64 - 1) as usize
            };
            let sellables = &suppliers[s];
            let lines = if rng.chance(70) {
                1
            } else {
                rng.range(2, 3) as usize
            };
            let mut total = 0;
            let mut supplier = 0;
            for j in rng.sample(sellables.len(), lines.min(sellables.len())) {
                let o = sellables[j];
                let quantity = rng.range(1, 20);
                total += o.price * quantity;
                supplier = o.supplier;
                item_rows.push(vec![
                    V::I(item_id),
                    V::I(id),
                    V::I(o.offer),
                    V::I(o.product),
                    V::from("基准测试商品"),
                    V::from("件"),
                    V::I(quantity),
                    V::I(o.price),
                    V::I(o.price * quantity),
                ]);
                item_id += 1;
            }
            // Milestones follow one another and none lies in the future; the status is
            // the last one reached.
            let created = now - rng.range(0, HISTORY_DAYS * DAY);
            let cancelled = rng.chance(3);
            let past = |t: i64| (t <= now).then_some(t);
            let delivery_days = rng.range(2, 7);
            let late = rng.chance(6);
            let paid_late = rng.chance(8);
            let unpaid = rng.chance(4);
            let confirmed = (!cancelled)
                .then(|| created + rng.range(600, 40 * 3600))
                .and_then(past);
            let delivered = confirmed
                .map(|_| created + (delivery_days + if late { rng.range(1, 5) } else { 0 }) * DAY)
                .and_then(past);
            let accepted = delivered
                .map(|d| d + rng.range(3600, 3 * DAY))
                .and_then(past);
            let paid = accepted
                .filter(|_| !unpaid)
                .map(|a| {
                    a + if paid_late {
                        rng.range(31, 60)
                    } else {
                        rng.range(1, 25)
                    } * DAY
                })
                .and_then(past);
            let status = match (cancelled, confirmed, delivered, accepted, paid) {
                (true, ..) => "cancelled",
                (_, _, _, _, Some(_)) => "paid",
                (_, _, _, Some(_), None) => "accepted",
                (_, _, Some(_), None, None) => "delivered",
                (_, Some(_), None, None, None) => "confirmed",
                _ => "placed",
            };
            let overdue = status == "accepted" && accepted.is_some_and(|a| now - a > 30 * DAY);
            order_rows.push(vec![
                V::I(id),
                V::from(format!("B{id:010}")),
                V::I(*unit),
                V::I(first_user + (*unit - first_unit)),
                V::I(supplier),
                V::I(first_line + (*unit - first_unit)),
                V::from(city.as_str()),
                V::from(status),
                V::I(total),
                V::I(created),
                V::I(
                    paid.or(accepted)
                        .or(delivered)
                        .or(confirmed)
                        .unwrap_or(created),
                ),
                V::I(delivery_days),
                V::I(created),
                V::from(confirmed),
                V::from(delivered),
                V::from(accepted),
                V::from(accepted.map(|a| a + 30 * DAY)),
                V::from(paid),
                V::I(i64::from(overdue)),
            ]);
            let mut event = |kind: &str, at: i64| {
                event_rows.push(vec![
                    V::I(id),
                    V::I(supplier),
                    V::I(*unit),
                    V::from(kind),
                    V::I(at),
                ]);
            };
            if let Some(at) = confirmed {
                event("confirmed_in_time", at);
            }
            if let Some(at) = delivered {
                event(
                    if late {
                        "delivered_late"
                    } else {
                        "delivered_on_time"
                    },
                    at,
                );
            }
            if let Some(at) = accepted {
                event(
                    if rng.chance(2) {
                        "inspection_failed"
                    } else {
                        "inspection_passed"
                    },
                    at,
                );
            }
            if let Some(at) = paid {
                event(
                    if paid_late {
                        "paid_late"
                    } else {
                        "paid_on_time"
                    },
                    at,
                );
            }
        }
        rows += insert::rows(
            &mut tx,
            "orders",
            &[
                "id",
                "order_no",
                "unit_id",
                "buyer_id",
                "supplier_id",
                "budget_line_id",
                "city",
                "status",
                "total_fen",
                "created_at",
                "updated_at",
                "delivery_days",
                "placed_at",
                "confirmed_at",
                "delivered_at",
                "accepted_at",
                "payment_due_at",
                "paid_at",
                "payment_overdue",
            ],
            order_rows,
        )
        .await?;
        rows += insert::rows(
            &mut tx,
            "order_items",
            &[
                "id",
                "order_id",
                "offer_id",
                "product_id",
                "title",
                "unit",
                "quantity",
                "unit_price_fen",
                "line_total_fen",
            ],
            item_rows,
        )
        .await?;
        rows += insert::rows(
            &mut tx,
            "performance_events",
            &["order_id", "supplier_id", "unit_id", "kind", "at"],
            event_rows,
        )
        .await?;
        done += n;
        progress.set_position(done);
    }
    crate::store::checkout::record_categories(&mut *tx, first_order, i64::MAX).await?;
    insert::advance_sequences(
        &mut tx,
        &[
            "purchasing_units",
            "users",
            "budget_lines",
            "orders",
            "order_items",
        ],
    )
    .await?;
    tx.commit().await?;
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    Ok(format!(
        "order history: {unit_count} purchasing units, {orders} orders over {HISTORY_DAYS} days; \
         {rows} rows in {secs:.1}s ({:.0} rows/s)",
        rows as f64 / secs
    ))
}
