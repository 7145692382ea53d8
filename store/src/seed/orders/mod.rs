//! `emall seed --orders M`: a synthetic two-year order history for the dashboard benchmark,
//! over the offers already in the database (from `--scale` or `--demo`). Adds purchasing
//! units with a buyer and a budget line each (about one unit per 300 orders), the sign-in
//! `bench-regulator` (password `Bench@2026`), and M orders with their items, milestones
//! and performance events, written with multi-row INSERTs in one transaction.
//!
//! The shape is a plausible mall: each unit buys mostly from a handful of regular
//! suppliers, most orders complete and are paid, a few are cancelled or paid late.

mod milestones;

use super::insert::{self, next_id, V};
use super::rng::Rng;
use crate::clock;
use crate::db::Db;
use emall_domain::Uscc;
use milestones::Milestones;
use sqlx::{Any, Transaction};
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

/// What each city sells: per city, its suppliers' sellable offers, by supplier id.
type Cities = Vec<(String, Vec<Vec<Sellable>>)>;

pub async fn seed(db: &Db, orders: u64) -> anyhow::Result<String> {
    anyhow::ensure!(orders > 0, "--orders must be at least 1");
    let started = Instant::now();
    let now = clock::now();
    let mut rng = Rng::new(orders ^ 0x5eed);
    let cities = cities(db).await?;
    let districts = districts(db, &cities).await?;

    let mut tx = db.pool().begin().await?;
    let mut rows = 0u64;
    let unit_count = (orders / ORDERS_PER_UNIT).max(10) as i64;
    let units = insert_units(&mut tx, &mut rng, &cities, &districts, unit_count, now).await?;
    rows += units.rows;
    insert_regulator(&mut tx, now).await?;

    let market = Market {
        cities: &cities,
        units: &units,
        now,
    };
    let first_order = next_id(&mut tx, "orders").await?;
    let first_item = next_id(&mut tx, "order_items").await?;
    let mut item_id = first_item;
    let progress = indicatif::ProgressBar::new(orders);
    const CHUNK: u64 = 20_000;
    let mut done = 0;
    while done < orders {
        let n = CHUNK.min(orders - done);
        let mut chunk = Chunk::with_capacity(n as usize);
        for k in 0..n {
            let id = first_order + (done + k) as i64;
            market.draw_order(&mut rng, id, &mut item_id, &mut chunk);
        }
        rows += chunk.insert(&mut tx).await?;
        done += n;
        progress.set_position(done);
    }
    crate::checkout::record_categories(&mut *tx, first_order, i64::MAX).await?;
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

/// What each city sells, by supplier, from the offers on sale.
async fn cities(db: &Db) -> anyhow::Result<Cities> {
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
    Ok(cities)
}

/// Each city's districts (the city itself when it has none on record).
async fn districts(db: &Db, cities: &Cities) -> sqlx::Result<HashMap<String, Vec<String>>> {
    let mut districts: HashMap<String, Vec<String>> = HashMap::new();
    for (city, _) in cities {
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
    Ok(districts)
}

/// The units added for the history and their buyers and budget lines (one each, with ids
/// from the first ones, in the units' order).
struct Units {
    first_unit: i64,
    first_user: i64,
    first_line: i64,
    /// (unit, city index, regular suppliers)
    list: Vec<(i64, usize, Vec<usize>)>,
    /// Rows written.
    rows: u64,
}

/// Adds `count` purchasing units, each in a city with a handful of regular suppliers, with a
/// buyer and a budget line each.
async fn insert_units(
    tx: &mut Transaction<'_, Any>,
    rng: &mut Rng,
    cities: &Cities,
    districts: &HashMap<String, Vec<String>>,
    unit_count: i64,
    now: i64,
) -> anyhow::Result<Units> {
    let mut rows = 0u64;
    let first_unit = next_id(tx, "purchasing_units").await?;
    let first_user = next_id(tx, "users").await?;
    let first_line = next_id(tx, "budget_lines").await?;
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
        tx,
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
        tx,
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
        tx,
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
    Ok(Units {
        first_unit,
        first_user,
        first_line,
        list: units,
        rows,
    })
}

/// Adds the sign-in `bench-regulator` unless it is there already.
async fn insert_regulator(tx: &mut Transaction<'_, Any>, now: i64) -> anyhow::Result<()> {
    // the regulator below takes its id from the sequence, which must first pass the rows above
    insert::advance_sequences(tx, &["users"]).await?;
    let (regulators,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = 'bench-regulator'")
            .fetch_one(&mut **tx)
            .await?;
    if regulators == 0 {
        sqlx::query(
            "INSERT INTO users (username, password_hash, display_name, role, created_at) \
             VALUES ('bench-regulator', $1, '基准测试监管员', 'regulator', $2)",
        )
        .bind(crate::password::hash("Bench@2026")?)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// What the history is drawn from: what each city sells, the units, the time now.
struct Market<'a> {
    cities: &'a Cities,
    units: &'a Units,
    now: i64,
}

/// One chunk of the history: orders, their items and their performance events.
struct Chunk {
    orders: Vec<Vec<V>>,
    items: Vec<Vec<V>>,
    events: Vec<Vec<V>>,
}

impl Market<'_> {
    /// Draws order `id`: a unit, mostly one of its regular suppliers, one to three of the
    /// supplier's offers (items from `item_id` on) and the order's milestones.
    fn draw_order(&self, rng: &mut Rng, id: i64, item_id: &mut i64, chunk: &mut Chunk) {
        let (now, cities) = (self.now, self.cities);
        let Units {
            first_unit,
            first_user,
            first_line,
            ref list,
            ..
        } = *self.units;
        let unit_count = list.len() as i64;
        let u = rng.range(0, unit_count - 1) as usize;
        let (unit, c, regulars) = &list[u];
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
            chunk.items.push(vec![
                V::I(*item_id),
                V::I(id),
                V::I(o.offer),
                V::I(o.product),
                V::from("基准测试商品"),
                V::from("件"),
                V::I(quantity),
                V::I(o.price),
                V::I(o.price * quantity),
            ]);
            *item_id += 1;
        }
        let m = Milestones::draw(rng, now);
        let Milestones {
            created,
            delivery_days,
            confirmed,
            delivered,
            accepted,
            paid,
            ..
        } = m;
        let status = m.status();
        let overdue = status == "accepted" && accepted.is_some_and(|a| now - a > 30 * DAY);
        chunk.orders.push(vec![
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
        m.events(rng, [id, supplier, *unit], &mut chunk.events);
    }
}

impl Chunk {
    /// Room for `n` orders, with two items and three events each on average.
    fn with_capacity(n: usize) -> Chunk {
        Chunk {
            orders: Vec::with_capacity(n),
            items: Vec::with_capacity(n * 2),
            events: Vec::with_capacity(n * 3),
        }
    }

    /// Writes the chunk's orders, items and events; the rows written.
    async fn insert(self, tx: &mut Transaction<'_, Any>) -> sqlx::Result<u64> {
        let mut rows = 0;
        rows += insert::rows(
            tx,
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
            self.orders,
        )
        .await?;
        rows += insert::rows(
            tx,
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
            self.items,
        )
        .await?;
        rows += insert::rows(
            tx,
            "performance_events",
            &["order_id", "supplier_id", "unit_id", "kind", "at"],
            self.events,
        )
        .await?;
        Ok(rows)
    }
}
