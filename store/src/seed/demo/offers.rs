//! The demo's offers: each standard product sold by three to seven suppliers of its
//! category, mostly below the reference price, with a price history, sometimes volume tiers,
//! in the cities their suppliers serve.

use super::super::insert::{self, V};
use super::super::rng::Rng;
use super::super::ProductSeed;
use super::{Offer, Supplier, SupplierSeed, DAY};
use sqlx::{Any, Transaction};

/// Adds the offers of every product.
pub(super) async fn insert_offers(
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
        for s in sellers(p, suppliers, seeds, rng) {
            let product = (pi, product_ids[pi]);
            offers.push(insert_offer(tx, p, product, s, &suppliers[s], now, rng).await?);
        }
    }
    Ok(offers)
}

/// The suppliers that sell a product: three to seven of those whose specialties cover its
/// category (micro suppliers only when admitted), with random others when too few do.
fn sellers(
    p: &ProductSeed,
    suppliers: &[Supplier],
    seeds: &[SupplierSeed],
    rng: &mut Rng,
) -> Vec<usize> {
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
    rng.sample(eligible.len(), k)
        .into_iter()
        .map(|i| eligible[i])
        .collect()
}

/// Adds supplier `s`'s offer of product `pi` (with id `product_id`): its price history,
/// volume tiers on about a quarter of them, and the cities it is sold in.
async fn insert_offer(
    tx: &mut Transaction<'_, Any>,
    p: &ProductSeed,
    (pi, product_id): (usize, i64),
    s: usize,
    supplier: &Supplier,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<Offer> {
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
    let status = if supplier.admitted {
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
    .bind(supplier.id)
    .bind(product_id)
    .bind(price)
    .bind(stock)
    .bind(days)
    .bind(status)
    .bind(created)
    .bind(now - rng.range(1, 100) * DAY)
    .fetch_one(&mut **tx)
    .await?;
    let cities = supplier.cities.clone();
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
    Ok(Offer {
        id,
        supplier: s,
        supplier_id: supplier.id,
        live: supplier.admitted,
        product: pi,
        price,
        delivery_days: days,
        cities,
    })
}
