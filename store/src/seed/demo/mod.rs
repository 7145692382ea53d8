//! `emall seed --demo`: a believable Shanghai plus Hangzhou and Suzhou, with twelve months
//! of trading, so every page and report has something true to show. Deterministic: the
//! same day gives the same city. All or nothing: one transaction.

mod offers;
mod orders;
mod parties;

use super::rng::Rng;
use super::{catalogue, ensure_categories, regions, ProductSeed};
use crate::clock;
use crate::db::Db;
use emall_domain::Uscc;
use offers::insert_offers;
use orders::insert_orders;
use parties::{insert_suppliers, insert_units};
use serde::Deserialize;
use sqlx::{Any, Transaction};

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
    let parties: PartiesFile = serde_json::from_str(include_str!("../../../seed/parties.json"))?;
    let password_hash =
        tokio::task::spawn_blocking(|| crate::password::hash(DEMO_PASSWORD)).await??;
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
        crate::performance::rescore(db, s.id, now).await?;
    }
    let pools = super::pools::seed(db, now).await?;
    let alerts = super::split::seed(db, now).await?;
    // A new mall: its search index is built from the database whole, so the changes its
    // seeding recorded have nothing left to tell.
    crate::outbox::discard_all(db).await?;
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
