//! `emall seed --demo`: a believable Shanghai plus Hangzhou and Suzhou, with twelve months
//! of trading, so every page and report has something true to show. Deterministic: the
//! same day gives the same city. All or nothing: one transaction.

use super::insert::{self, V};
use super::rng::Rng;
use super::{catalogue, ensure_categories, regions, ProductSeed};
use crate::clock;
use crate::db::Db;
use crate::store::audit::Journal;
use crate::store::users::{self, NewUser};
use crate::store::{budgets, checkout, lifecycle};
use emall_domain::audit::{Action, Actor};
use emall_domain::{Fen, Role, Uscc};
use serde::Deserialize;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

pub const DEMO_PASSWORD: &str = "Demo@2026";
const DAY: i64 = 24 * 3600;
/// Small purchases only: an order above this belongs to a formal procurement method.
const ORDER_CAP_FEN: i64 = 20_000_000;
const ORDERS: usize = 2_400;

#[derive(Deserialize)]
struct PartiesFile {
    units: Vec<UnitSeed>,
    suppliers: Vec<SupplierSeed>,
}

#[derive(Deserialize)]
struct UnitSeed {
    name: String,
    name_en: String,
    city: String,
    district: String,
    kind: String,
}

#[derive(Deserialize)]
struct SupplierSeed {
    name: String,
    name_en: String,
    city: String,
    district: String,
    size: String,
    specialties: Vec<String>,
    legal_rep: String,
    contact: String,
    phone: String,
    email: String,
    address: String,
}

struct Unit {
    id: i64,
    city: String,
    threshold: i64,
    buyer: i64,
    approver: i64,
    buyer_name: String,
    approver_name: String,
}

struct Supplier {
    id: i64,
    admitted: bool,
    cities: Vec<String>,
    user: i64,
    username: String,
}

struct Offer {
    id: i64,
    supplier: usize,
    supplier_id: i64,
    /// On sale (its supplier is admitted), so orders may use it.
    live: bool,
    product: usize,
    price: i64,
    delivery_days: i64,
    cities: Vec<String>,
}

struct Budget {
    id: i64,
    unit: usize,
    year: i32,
    amount: i64,
    frozen: i64,
    spent: i64,
}

/// Seeds the demo into an empty database; `None` if it already holds purchasing units.
pub async fn seed(db: &Db) -> anyhow::Result<Option<String>> {
    let (units,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM purchasing_units")
        .fetch_one(db.pool())
        .await?;
    if units > 0 {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let now = clock::now();
    let mut rng = Rng::new(2026);
    let catalogue = catalogue()?;
    let parties: PartiesFile = serde_json::from_str(include_str!("../../seed/parties.json"))?;
    let password_hash =
        tokio::task::spawn_blocking(|| crate::auth::password::hash(DEMO_PASSWORD)).await??;
    let progress = indicatif::ProgressBar::new(7).with_message("regions");
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );

    let mut tx = db.pool().begin().await?;
    regions::ensure(&mut tx).await?;
    progress.inc(1);
    progress.set_message("catalogue");
    ensure_categories(&mut tx, &catalogue.categories).await?;
    let product_ids = insert_products(&mut tx, &catalogue.products, now).await?;
    progress.inc(1);
    progress.set_message("purchasing units");
    let (units, budgets) =
        insert_units(&mut tx, &parties.units, &password_hash, now, &mut rng).await?;
    progress.inc(1);
    progress.set_message("suppliers");
    let suppliers =
        insert_suppliers(&mut tx, &parties.suppliers, &password_hash, now, &mut rng).await?;
    progress.inc(1);
    progress.set_message("offers");
    let offers = insert_offers(
        &mut tx,
        &catalogue.products,
        &product_ids,
        &suppliers,
        &parties.suppliers,
        now,
        &mut rng,
    )
    .await?;
    progress.inc(1);
    progress.set_message("orders");
    let mut budgets = budgets;
    let orders = insert_orders(
        &mut tx,
        &units,
        &suppliers,
        &mut budgets,
        &offers,
        &catalogue.products,
        &product_ids,
        now,
        &mut rng,
    )
    .await?;
    progress.inc(1);
    tx.commit().await?;
    for s in &suppliers {
        crate::store::performance::rescore(db, s.id, now).await?;
    }
    let pools = super::pools::seed(db, now).await?;
    let alerts = super::split::seed(db, now).await?;
    // A new mall: its search index is built from the database whole, so the changes its
    // seeding recorded have nothing left to tell.
    crate::store::outbox::discard_all(db).await?;
    progress.finish_and_clear();
    Ok(Some(format!(
        "demo city seeded in {:.1}s: {} purchasing units, {} budget lines, {} suppliers, {} standard products, {} offers, {} orders, {} joint purchases, {} red flags",
        started.elapsed().as_secs_f64(),
        units.len(),
        budgets.len(),
        suppliers.len(),
        product_ids.len(),
        offers.len(),
        orders,
        pools,
        alerts
    )))
}

async fn insert_products(
    tx: &mut Transaction<'_, Any>,
    products: &[ProductSeed],
    now: i64,
) -> anyhow::Result<Vec<i64>> {
    let date = clock::rfc3339(now - 20 * DAY);
    let mut ids = Vec::with_capacity(products.len());
    for p in products {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO products (category_code, brand, brand_en, model, title, specs_json, unit, \
             barcode, ref_price_fen, ref_price_source, ref_price_date, tags, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&p.category)
        .bind(&p.brand)
        .bind(&p.brand_en)
        .bind(&p.model)
        .bind(&p.title)
        .bind(serde_json::to_string(&p.specs)?)
        .bind(&p.unit)
        .bind(p.barcode.as_deref())
        .bind(p.ref_price_fen)
        .bind(&p.ref_source)
        .bind(&date[..10])
        .bind(p.tags.join(","))
        .bind(now - 400 * DAY)
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "胡", "郭", "何",
    "沈", "顾", "陆", "钱",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "磊", "洋", "婷", "军", "杰", "丽", "强", "艳", "勇", "娟", "涛", "明",
    "超", "霞", "平", "刚", "晨", "佳怡", "子涵", "雨轩", "建华", "志强", "秀英", "海燕",
];

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// A valid USCC for a synthetic organisation: registration authority and kind, the
/// division code, a random organisation code and the computed check character.
fn uscc(prefix: &str, district: &str, rng: &mut Rng) -> anyhow::Result<String> {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut s = format!("{prefix}{district}");
    for _ in 0..9 {
        s.push(CHARS[rng.range(0, CHARS.len() as i64 - 1) as usize] as char);
    }
    Ok(Uscc::with_check(&s)?.to_string())
}

async fn insert_units(
    tx: &mut Transaction<'_, Any>,
    seeds: &[UnitSeed],
    password_hash: &str,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<(Vec<Unit>, Vec<Budget>)> {
    let year = clock::year_of(now);
    // The demo buyer works for the first Shanghai unit that is not the finance bureau itself.
    let demo_unit = seeds
        .iter()
        .position(|u| u.city == "310100" && !u.name.contains("财政"))
        .unwrap_or(0);
    let mut units = Vec::with_capacity(seeds.len());
    let mut budgets = Vec::new();
    for (i, u) in seeds.iter().enumerate() {
        let threshold = match u.kind.as_str() {
            "hospital" => 10_000_000,
            "school" => 3_000_000,
            _ => 5_000_000,
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO purchasing_units (name, name_en, uscc, city, district, kind, \
             approval_threshold_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&u.name)
        .bind(&u.name_en)
        .bind(uscc(if u.kind == "agency" { "11" } else { "12" }, &u.district, rng)?)
        .bind(&u.city)
        .bind(&u.district)
        .bind(&u.kind)
        .bind(threshold)
        .bind(now - 500 * DAY)
        .fetch_one(&mut **tx)
        .await?;
        let (buyer_name, approver_name) = if i == demo_unit {
            ("demo-buyer".to_string(), "demo-approver".to_string())
        } else {
            (
                format!("unit{id:03}-buyer"),
                format!("unit{id:03}-approver"),
            )
        };
        let buyer = users::insert(
            &mut **tx,
            &NewUser {
                username: &buyer_name,
                password_hash,
                display_name: &person(rng),
                role: Role::Buyer,
                unit_id: Some(id),
                supplier_id: None,
            },
        )
        .await?;
        let approver = users::insert(
            &mut **tx,
            &NewUser {
                username: &approver_name,
                password_hash,
                display_name: &person(rng),
                role: Role::Approver,
                unit_id: Some(id),
                supplier_id: None,
            },
        )
        .await?;
        let purposes: [(&str, &str); 3] = match u.kind.as_str() {
            "hospital" => [
                ("general", "办公用品及耗材"),
                ("special", "医疗信息化设备更新"),
                ("own", "后勤保障及食堂"),
            ],
            "school" => [
                ("general", "教学办公用品"),
                ("general", "信息化设备更新"),
                ("own", "食堂食材及后勤"),
            ],
            _ => [
                ("general", "办公用品及耗材"),
                ("general", "信息化设备更新"),
                ("fund", "后勤保障及物业"),
            ],
        };
        for fy in [year - 1, year] {
            for (n, (source, purpose)) in purposes.iter().enumerate() {
                let amount = rng.range(40, 300) * 1_000_000 / 10; // ¥40,000 – ¥300,000 in ¥1,000 steps
                let code = format!("{fy}-{id:03}-{:02}", n + 1);
                let (bid,): (i64,) = sqlx::query_as(
                    "INSERT INTO budget_lines (unit_id, code, fiscal_year, funding_source, purpose, \
                     amount_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(id)
                .bind(&code)
                .bind(i64::from(fy))
                .bind(*source)
                .bind(*purpose)
                .bind(amount)
                .bind(now - 400 * DAY)
                .fetch_one(&mut **tx)
                .await?;
                budgets.push(Budget {
                    id: bid,
                    unit: units.len(),
                    year: fy,
                    amount,
                    frozen: 0,
                    spent: 0,
                });
            }
        }
        units.push(Unit {
            id,
            city: u.city.clone(),
            threshold,
            buyer,
            approver,
            buyer_name,
            approver_name,
        });
    }
    Ok((units, budgets))
}

async fn insert_suppliers(
    tx: &mut Transaction<'_, Any>,
    seeds: &[SupplierSeed],
    password_hash: &str,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Supplier>> {
    const CITIES: [&str; 3] = ["310100", "330100", "320500"];
    let n = seeds.len();
    let mut suppliers = Vec::with_capacity(n);
    for (i, s) in seeds.iter().enumerate() {
        // The last two wait for admission; the one before them is suspended.
        let status = match n - i {
            1 | 2 => "pending",
            3 => "suspended",
            _ => "admitted",
        };
        let admitted_at = (status != "pending").then_some(now - rng.range(200, 700) * DAY);
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO suppliers (name, name_en, uscc, city, district, size, status, legal_rep, \
             contact, phone, email, address, created_at, admitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&s.name)
        .bind(&s.name_en)
        .bind(uscc("91", &s.district, rng)?)
        .bind(&s.city)
        .bind(&s.district)
        .bind(&s.size)
        .bind(status)
        .bind(&s.legal_rep)
        .bind(&s.contact)
        .bind(&s.phone)
        .bind(&s.email)
        .bind(&s.address)
        .bind(admitted_at.unwrap_or(now) - 10 * DAY)
        .bind(admitted_at)
        .fetch_one(&mut **tx)
        .await?;
        // 一地注册 区域通用: larger suppliers serve all three cities.
        let mut cities = vec![s.city.clone()];
        for c in CITIES {
            let serve = match s.size.as_str() {
                "large" | "medium" => true,
                "small" => rng.chance(40),
                _ => false,
            };
            if serve && !cities.iter().any(|x| x == c) {
                cities.push(c.to_string());
            }
        }
        for c in &cities {
            sqlx::query("INSERT INTO supplier_cities (supplier_id, city) VALUES ($1, $2)")
                .bind(id)
                .bind(c)
                .execute(&mut **tx)
                .await?;
        }
        let username = if i == 0 {
            "demo-supplier".to_string()
        } else {
            format!("supplier{id:03}")
        };
        let user = users::insert(
            &mut **tx,
            &NewUser {
                username: &username,
                password_hash,
                display_name: &s.contact,
                role: Role::Supplier,
                unit_id: None,
                supplier_id: Some(id),
            },
        )
        .await?;
        // The registering account owns the supplier's staff.
        sqlx::query("UPDATE users SET is_owner = 1 WHERE id = $1")
            .bind(user)
            .execute(&mut **tx)
            .await?;
        suppliers.push(Supplier {
            id,
            admitted: status == "admitted",
            cities,
            user,
            username,
        });
    }
    users::insert(
        &mut **tx,
        &NewUser {
            username: "demo-operator",
            password_hash,
            display_name: "卖场运营 · 周敏",
            role: Role::Operator,
            unit_id: None,
            supplier_id: None,
        },
    )
    .await?;
    users::insert(
        &mut **tx,
        &NewUser {
            username: "demo-regulator",
            password_hash,
            display_name: "财政监管 · 沈建华",
            role: Role::Regulator,
            unit_id: None,
            supplier_id: None,
        },
    )
    .await?;
    Ok(suppliers)
}

#[allow(clippy::too_many_arguments)]
async fn insert_offers(
    tx: &mut Transaction<'_, Any>,
    products: &[ProductSeed],
    product_ids: &[i64],
    suppliers: &[Supplier],
    seeds: &[SupplierSeed],
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Offer>> {
    let mut offers = Vec::new();
    for (pi, p) in products.iter().enumerate() {
        let mut eligible: Vec<usize> = (0..suppliers.len())
            .filter(|&s| suppliers[s].admitted || seeds[s].size != "micro")
            .filter(|&s| {
                seeds[s]
                    .specialties
                    .iter()
                    .any(|sp| p.category.starts_with(sp.as_str()))
            })
            .collect();
        if eligible.len() < 3 {
            for s in rng.sample(suppliers.len(), 4) {
                if !eligible.contains(&s) {
                    eligible.push(s);
                }
            }
        }
        let k = rng.range(3, 7).min(eligible.len() as i64) as usize;
        let chosen: Vec<usize> = rng
            .sample(eligible.len(), k)
            .into_iter()
            .map(|i| eligible[i])
            .collect();
        for s in chosen {
            // Mostly below the reference price, a few above it (the review queue's cases).
            let factor = if rng.chance(6) {
                rng.range(1010, 1080)
            } else {
                rng.range(800, 1000)
            };
            let raw = p.ref_price_fen * factor / 1000;
            let price = if raw >= 10_000 {
                raw / 100 * 100
            } else {
                (raw / 10 * 10).max(10)
            };
            let status = if suppliers[s].admitted {
                "on_sale"
            } else {
                "suspended"
            };
            let days = if p.category.starts_with('C') {
                rng.range(1, 3)
            } else {
                rng.range(1, 7)
            };
            let stock = if rng.chance(5) { 0 } else { rng.range(20, 800) };
            let created = now - rng.range(120, 390) * DAY;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO offers (supplier_id, product_id, price_fen, stock, delivery_days, status, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(suppliers[s].id)
            .bind(product_ids[pi])
            .bind(price)
            .bind(stock)
            .bind(days)
            .bind(status)
            .bind(created)
            .bind(now - rng.range(1, 100) * DAY)
            .fetch_one(&mut **tx)
            .await?;
            let cities = suppliers[s].cities.clone();
            let history = [
                (created, price + price * rng.range(2, 8) / 100, "上架定价"),
                (now - rng.range(20, 110) * DAY, price, "市场价格调整"),
            ];
            insert::rows(
                tx,
                "offer_price_history",
                &["offer_id", "price_fen", "reason", "changed_at"],
                history
                    .iter()
                    .map(|(at, pr, why)| vec![V::I(id), V::I(*pr), V::from(*why), V::I(*at)]),
            )
            .await?;
            // About a quarter of the offers give volume discounts.
            if rng.chance(25) && price >= 500 {
                let first = rng.range(5, 20);
                let tiers = [(first, price * 97 / 100), (first * 5, price * 93 / 100)];
                insert::rows(
                    tx,
                    "offer_tiers",
                    &["offer_id", "min_quantity", "price_fen"],
                    tiers
                        .iter()
                        .map(|(q, p)| vec![V::I(id), V::I(*q), V::I(*p)]),
                )
                .await?;
            }
            insert::rows(
                tx,
                "offer_cities",
                &["offer_id", "city"],
                cities.iter().map(|c| vec![V::I(id), V::from(c.as_str())]),
            )
            .await?;
            offers.push(Offer {
                id,
                supplier: s,
                supplier_id: suppliers[s].id,
                live: suppliers[s].admitted,
                product: pi,
                price,
                delivery_days: days,
                cities,
            });
        }
    }
    Ok(offers)
}

#[allow(clippy::too_many_arguments)]
async fn insert_orders(
    tx: &mut Transaction<'_, Any>,
    units: &[Unit],
    suppliers: &[Supplier],
    budgets: &mut [Budget],
    offers: &[Offer],
    products: &[ProductSeed],
    product_ids: &[i64],
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<usize> {
    let live: Vec<usize> = (0..offers.len()).filter(|&o| offers[o].live).collect();
    let mut by_city: HashMap<&str, Vec<usize>> = HashMap::new();
    for &o in &live {
        for c in &offers[o].cities {
            by_city.entry(c.as_str()).or_default().push(o);
        }
    }
    let mut by_supplier_city: HashMap<(usize, &str), Vec<usize>> = HashMap::new();
    for &o in &live {
        for c in &offers[o].cities {
            by_supplier_city
                .entry((offers[o].supplier, c.as_str()))
                .or_default()
                .push(o);
        }
    }
    let mut seq_per_day: HashMap<String, u32> = HashMap::new();
    // History has a generator of its own so the choice of orders stays as it was.
    let mut history_rng = Rng::new(2612);
    let timing = crate::store::lifecycle::Timing {
        calendar: std::sync::Arc::new(emall_domain::calendar::WorkCalendar::china()),
        confirm_working_days: 2,
    };
    let mut written = 0;
    let mut attempts = 0;
    // Every order's entries, appended once the history is written (one head update).
    let mut journal = Journal::new();
    while written < ORDERS && attempts < ORDERS * 4 {
        attempts += 1;
        let ui = rng.range(0, units.len() as i64 - 1) as usize;
        let unit = &units[ui];
        let Some(city_offers) = by_city.get(unit.city.as_str()) else {
            continue;
        };
        let first = *rng.pick(city_offers);
        let supplier = offers[first].supplier;
        let same_supplier = &by_supplier_city[&(supplier, unit.city.as_str())];
        let mut lines = vec![first];
        for _ in 0..rng.range(0, 2) {
            let o = *rng.pick(same_supplier);
            if !lines.contains(&o) {
                lines.push(o);
            }
        }
        let items: Vec<(usize, i64)> = lines
            .iter()
            .map(|&o| {
                let price = offers[o].price;
                let qty = match price {
                    p if p < 10_000 => rng.range(5, 60),
                    p if p < 100_000 => rng.range(1, 12),
                    _ => rng.range(1, 3),
                };
                (o, qty)
            })
            .collect();
        let total: i64 = items.iter().map(|(o, q)| offers[*o].price * q).sum();
        if total > ORDER_CAP_FEN {
            continue;
        }
        let created = now - rng.range(3600, 364 * DAY);
        let age_days = (now - created) / DAY;
        let year = clock::year_of(created);
        let Some(bi) = budgets
            .iter()
            .enumerate()
            .filter(|(_, b)| {
                b.unit == ui && b.year == year && b.amount - b.frozen - b.spent >= total
            })
            .max_by_key(|(_, b)| b.amount - b.frozen - b.spent)
            .map(|(i, _)| i)
        else {
            continue;
        };
        let mut created = created;
        let status = match age_days {
            d if d > 60 => {
                if rng.chance(5) {
                    "cancelled"
                } else {
                    "paid"
                }
            }
            d if d > 30 => *rng.pick(&["paid", "paid", "invoiced", "accepted"]),
            d if d > 10 => *rng.pick(&["paid", "invoiced", "accepted", "delivered", "shipped"]),
            _ if total >= unit.threshold => "pending_approval",
            _ => *rng.pick(&["placed", "confirmed", "shipped", "delivered", "accepted"]),
        };
        match status {
            "paid" => budgets[bi].spent += total,
            "cancelled" => {}
            _ => budgets[bi].frozen += total,
        }
        if status == "placed" {
            // Still waiting for the supplier: within the confirmation deadline.
            created = now - history_rng.range(600, 20 * 3600);
        }
        let pending = total >= unit.threshold;
        let (initial, placed_at, confirm_by) = if pending {
            ("pending_approval", None, None)
        } else {
            ("placed", Some(created), Some(timing.confirm_by(created)))
        };
        let delivery_days = lines
            .iter()
            .map(|&o| offers[o].delivery_days)
            .max()
            .unwrap_or(3);
        let day = clock::rfc3339(created)[..10].replace('-', "");
        let seq = seq_per_day.entry(day.clone()).or_insert(0);
        *seq += 1;
        let order_no = format!("EM{day}{:05}", *seq);
        let (order_id,): (i64,) = sqlx::query_as(
            "INSERT INTO orders (order_no, unit_id, buyer_id, supplier_id, budget_line_id, city, status, \
             total_fen, created_at, updated_at, delivery_days, placed_at, confirm_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12) RETURNING id",
        )
        .bind(&order_no)
        .bind(unit.id)
        .bind(unit.buyer)
        .bind(offers[first].supplier_id)
        .bind(budgets[bi].id)
        .bind(&unit.city)
        .bind(initial)
        .bind(total)
        .bind(created)
        .bind(delivery_days)
        .bind(placed_at)
        .bind(confirm_by)
        .fetch_one(&mut **tx)
        .await?;
        // As checkout does: the money is frozen, then the history moves it.
        let line = budgets::freeze(&mut **tx, budgets[bi].id, unit.id, Fen(total))
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo order {order_id}: the budget line ran out"))?;
        journal.push(checkout::placed(
            Action::Place,
            created,
            Actor::user(unit.buyer, &unit.buyer_name),
            order_id,
            Fen(total),
            lifecycle::order_state(order_id, initial, Fen(total), budgets[bi].id),
            [line.before(Fen(total), Fen::ZERO), line],
        ));
        sqlx::query("INSERT INTO order_events (order_id, action, status, user_id, note, at) VALUES ($1, 'place', $2, $3, '', $4)")
            .bind(order_id)
            .bind(initial)
            .bind(unit.buyer)
            .bind(created)
            .execute(&mut **tx)
            .await?;
        insert::rows(
            tx,
            "order_items",
            &[
                "order_id",
                "offer_id",
                "product_id",
                "title",
                "unit",
                "quantity",
                "unit_price_fen",
                "line_total_fen",
            ],
            items.iter().map(|&(o, qty)| {
                let offer = &offers[o];
                let product = &products[offer.product];
                vec![
                    V::I(order_id),
                    V::I(offer.id),
                    V::I(product_ids[offer.product]),
                    V::from(product.title.as_str()),
                    V::from(product.unit.as_str()),
                    V::I(qty),
                    V::I(offer.price),
                    V::I(offer.price * qty),
                ]
            }),
        )
        .await?;
        checkout::record_categories(&mut **tx, order_id, order_id).await?;
        let supplier = &suppliers[supplier];
        let order = super::history::Order {
            id: order_id,
            unit_id: unit.id,
            buyer: (unit.buyer, &unit.buyer_name),
            approver: (unit.approver, &unit.approver_name),
            supplier_id: supplier.id,
            supplier_user: (supplier.user, &supplier.username),
            created,
            delivery_days,
            needs_approval: pending,
            // Every fifth supplier is a less reliable one, so scores differ.
            reliable: supplier.id % 5 != 0,
        };
        super::history::replay(
            tx,
            &timing,
            &order,
            status,
            now,
            &mut history_rng,
            &mut journal,
        )
        .await?;
        written += 1;
    }
    journal.append(&mut **tx).await?;
    Ok(written)
}
