//! `emall seed --scale N`: a synthetic catalogue of about N offers (N/5 standard products,
//! five offers each, in the demo's cities) for benchmarks. Built from the demo catalogue's
//! products as templates, written with multi-row INSERTs in one transaction.

use super::insert::{self, next_id, V};
use super::rng::Rng;
use super::{catalogue, ensure_categories, regions};
use crate::clock;
use crate::db::Db;
use emall_domain::Uscc;
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
    let run = next_id(&mut tx, "suppliers").await?;

    // Suppliers, each serving one to three cities.
    let first_supplier = run;
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
    rows += insert::rows(
        &mut tx,
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
    .await?;
    let supplier_cities: Vec<Vec<&str>> = (0..supplier_count as usize)
        .map(|i| {
            CITIES
                .iter()
                .cycle()
                .skip(i % 3)
                .take(1 + i % 3)
                .map(|c| c.0)
                .collect()
        })
        .collect();
    rows += insert::rows(
        &mut tx,
        "supplier_cities",
        &["supplier_id", "city"],
        supplier_cities.iter().enumerate().flat_map(|(i, cities)| {
            cities
                .iter()
                .map(move |c| vec![V::I(first_supplier + i as i64), V::from(*c)])
        }),
    )
    .await?;

    let first_product = next_id(&mut tx, "products").await?;
    let first_offer = next_id(&mut tx, "offers").await?;
    const CHUNK: u64 = 20_000;
    let mut done = 0;
    while done < products {
        let n = CHUNK.min(products - done);
        let mut product_rows = Vec::with_capacity(n as usize);
        let mut offer_rows = Vec::with_capacity((n * OFFERS_PER_PRODUCT) as usize);
        let mut city_rows = Vec::with_capacity((n * OFFERS_PER_PRODUCT * 2) as usize);
        for k in done..done + n {
            let id = first_product + k as i64;
            let t = &catalogue.products[(k % catalogue.products.len() as u64) as usize];
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
        rows += insert::rows(
            &mut tx,
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
            product_rows,
        )
        .await?;
        rows += insert::rows(
            &mut tx,
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
            offer_rows,
        )
        .await?;
        rows += insert::rows(&mut tx, "offer_cities", &["offer_id", "city"], city_rows).await?;
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
