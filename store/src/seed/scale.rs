//! `emall seed --scale N`: a synthetic catalogue of about N offers (N/5 standard products,
//! five offers each, in the demo's cities) for benchmarks. Built from the demo catalogue's
//! products as templates, written with multi-row INSERTs in one transaction.

use super::insert::{self, next_id, V};
use super::rng::Rng;
use super::{catalogue, ensure_categories, regions, ProductSeed};
use crate::clock;
use crate::db::Db;
use emall_domain::Uscc;
use sqlx::{Any, Transaction};
use std::time::Instant;

const OFFERS_PER_PRODUCT: u64 = 5;
const CITIES: [(&str, &str); 3] = [
    ("310100", "310115"),
    ("330100", "330106"),
    ("320500", "320508"),
];
const SIZES: [&str; 4] = ["large", "medium", "small", "micro"];

pub async fn seed(db: &Db, offers: u64) -> anyhow::Result<String> {
    anyhow::ensure!(
        offers >= OFFERS_PER_PRODUCT,
        "--scale must be at least {OFFERS_PER_PRODUCT}"
    );
    let started = Instant::now();
    let now = clock::now();
    let catalogue = catalogue()?;
    let mut rng = Rng::new(offers);
    let products = offers / OFFERS_PER_PRODUCT;
    let supplier_count = (products / 400).clamp(20, 2_000);
    let progress = indicatif::ProgressBar::new(products);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} products {per_sec} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );

    let mut tx = db.pool().begin().await?;
    let mut rows = regions::ensure(&mut tx).await?;
    ensure_categories(&mut tx, &catalogue.categories).await?;
    let first_supplier = next_id(&mut tx, "suppliers").await?;

    // Suppliers, each serving one to three cities.
    rows += insert_suppliers(&mut tx, first_supplier, supplier_count, now).await?;
    let supplier_cities = supplier_cities(supplier_count);
    rows += insert_supplier_cities(&mut tx, first_supplier, &supplier_cities).await?;

    let templates = Templates {
        products: &catalogue.products,
        first_product: next_id(&mut tx, "products").await?,
        first_offer: next_id(&mut tx, "offers").await?,
        first_supplier,
        supplier_count,
        supplier_cities: &supplier_cities,
        now,
    };
    const CHUNK: u64 = 20_000;
    let mut done = 0;
    while done < products {
        let n = CHUNK.min(products - done);
        rows += templates.draw(&mut rng, done, n).insert(&mut tx).await?;
        done += n;
        progress.set_position(done);
    }
    insert::advance_sequences(&mut tx, &["suppliers", "products", "offers"]).await?;
    tx.commit().await?;
    progress.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    Ok(format!(
        "scale seed: {} suppliers, {products} standard products, {} offers; {rows} rows in {secs:.1}s ({:.0} rows/s)",
        supplier_count,
        products * OFFERS_PER_PRODUCT,
        rows as f64 / secs
    ))
}

/// Adds `supplier_count` admitted suppliers of every size, in turn in each of the cities.
async fn insert_suppliers(
    tx: &mut Transaction<'_, Any>,
    first_supplier: i64,
    supplier_count: u64,
    now: i64,
) -> sqlx::Result<u64> {
    let supplier_rows = (0..supplier_count as i64).map(|i| {
        let id = first_supplier + i;
        let (city, district) = CITIES[(i % 3) as usize];
        let code = Uscc::with_check(&format!("91{district}B{:08}", id % 100_000_000))
            .map(|u| u.to_string())
            .unwrap_or_default();
        vec![
            V::I(id),
            V::from(format!("基准测试供应商{id:06}有限公司")),
            V::from(format!("Benchmark Supplier {id:06} Co., Ltd.")),
            V::from(code),
            V::from(city),
            V::from(district),
            V::from(SIZES[(i % 4) as usize]),
            V::from("admitted"),
            V::from("张三"),
            V::from("李四"),
            V::from(format!("021-{:08}", id % 100_000_000)),
            V::from(format!("sales{id}@bench.example.cn")),
            V::from("上海市浦东新区世纪大道1号"),
            V::I(now),
            V::I(now),
        ]
    });
    insert::rows(
        tx,
        "suppliers",
        &[
            "id",
            "name",
            "name_en",
            "uscc",
            "city",
            "district",
            "size",
            "status",
            "legal_rep",
            "contact",
            "phone",
            "email",
            "address",
            "created_at",
            "admitted_at",
        ],
        supplier_rows,
    )
    .await
}

/// The cities each supplier serves: one to three, starting from its own.
fn supplier_cities(supplier_count: u64) -> Vec<Vec<&'static str>> {
    (0..supplier_count as usize)
        .map(|i| {
            CITIES
                .iter()
                .cycle()
                .skip(i % 3)
                .take(1 + i % 3)
                .map(|c| c.0)
                .collect()
        })
        .collect()
}

/// Records the cities each supplier serves.
async fn insert_supplier_cities(
    tx: &mut Transaction<'_, Any>,
    first_supplier: i64,
    supplier_cities: &[Vec<&str>],
) -> sqlx::Result<u64> {
    insert::rows(
        tx,
        "supplier_cities",
        &["supplier_id", "city"],
        supplier_cities.iter().enumerate().flat_map(|(i, cities)| {
            cities
                .iter()
                .map(move |c| vec![V::I(first_supplier + i as i64), V::from(*c)])
        }),
    )
    .await
}

/// What the synthetic catalogue is made from: the demo's products as templates, the
/// suppliers and their cities, and the first ids.
struct Templates<'a> {
    products: &'a [ProductSeed],
    first_product: i64,
    first_offer: i64,
    first_supplier: i64,
    supplier_count: u64,
    supplier_cities: &'a [Vec<&'a str>],
    now: i64,
}

/// One chunk of the catalogue: products, their offers and the offers' cities.
struct Chunk {
    products: Vec<Vec<V>>,
    offers: Vec<Vec<V>>,
    cities: Vec<Vec<V>>,
}

impl Templates<'_> {
    /// Draws products `done..done + n`, each from a template under its own model number,
    /// with five offers from random suppliers at prices around the reference price.
    fn draw(&self, rng: &mut Rng, done: u64, n: u64) -> Chunk {
        let Templates {
            products,
            first_product,
            first_offer,
            first_supplier,
            supplier_count,
            supplier_cities,
            now,
        } = *self;
        let mut product_rows = Vec::with_capacity(n as usize);
        let mut offer_rows = Vec::with_capacity((n * OFFERS_PER_PRODUCT) as usize);
        let mut city_rows = Vec::with_capacity((n * OFFERS_PER_PRODUCT * 2) as usize);
        for k in done..done + n {
            let id = first_product + k as i64;
            let t = &products[(k % products.len() as u64) as usize];
            let model = format!("{}-{:07}", t.model, id);
            product_rows.push(vec![
                V::I(id),
                V::from(t.category.as_str()),
                V::from(t.brand.as_str()),
                V::from(t.brand_en.as_str()),
                V::from(model.clone()),
                V::from(format!("{} {}", t.title, model)),
                V::from(t.unit.as_str()),
                V::I(t.ref_price_fen),
                V::from(t.ref_source.as_str()),
                V::from(&clock::rfc3339(now)[..10]),
                V::from(t.tags.join(",")),
                V::I(now),
            ]);
            for s in rng.sample(supplier_count as usize, OFFERS_PER_PRODUCT as usize) {
                let offer_id =
                    first_offer + offer_rows.len() as i64 + (done * OFFERS_PER_PRODUCT) as i64;
                let price = (t.ref_price_fen * rng.range(800, 1040) / 1000).max(1);
                offer_rows.push(vec![
                    V::I(offer_id),
                    V::I(first_supplier + s as i64),
                    V::I(id),
                    V::I(price),
                    V::I(rng.range(0, 500)),
                    V::I(rng.range(1, 7)),
                    V::from("on_sale"),
                    V::I(now),
                    V::I(now),
                ]);
                for c in &supplier_cities[s] {
                    city_rows.push(vec![V::I(offer_id), V::from(*c)]);
                }
            }
        }
        Chunk {
            products: product_rows,
            offers: offer_rows,
            cities: city_rows,
        }
    }
}

impl Chunk {
    /// Writes the chunk's products, offers and offer cities; the rows written.
    async fn insert(self, tx: &mut Transaction<'_, Any>) -> sqlx::Result<u64> {
        let mut rows = 0;
        rows += insert::rows(
            tx,
            "products",
            &[
                "id",
                "category_code",
                "brand",
                "brand_en",
                "model",
                "title",
                "unit",
                "ref_price_fen",
                "ref_price_source",
                "ref_price_date",
                "tags",
                "created_at",
            ],
            self.products,
        )
        .await?;
        rows += insert::rows(
            tx,
            "offers",
            &[
                "id",
                "supplier_id",
                "product_id",
                "price_fen",
                "stock",
                "delivery_days",
                "status",
                "created_at",
                "updated_at",
            ],
            self.offers,
        )
        .await?;
        rows += insert::rows(tx, "offer_cities", &["offer_id", "city"], self.cities).await?;
        Ok(rows)
    }
}
