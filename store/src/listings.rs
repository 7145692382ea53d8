//! What the search index needs: each standard product with the aggregates of its live
//! offers per city (on sale, supplier admitted).

use super::catalogue::Categories;
use crate::db::{Backend, Built, Db};
use emall_search::Listing;
use futures::TryStreamExt;
use std::collections::HashMap;

/// Which products' listings are read: every product, or some (read in batches of
/// [`BATCH`], their ids bound as values).
#[derive(Debug, Clone, Copy)]
enum Narrowing<'a> {
    Every,
    Products(&'a [i64]),
}

/// Products read per statement when only some are asked for.
const BATCH: usize = 500;

impl Narrowing<'_> {
    /// Appends `{joiner}{column} IN ($…)` for some products; nothing for every product.
    fn push(self, sql: &mut Built, joiner: &str, column: &str) {
        if let Narrowing::Products(ids) = self {
            sql.push_in(joiner, column, ids);
        }
    }
}
struct ProductRow {
    title: String,
    brand: String,
    brand_en: String,
    model: String,
    unit: String,
    specs: Vec<(String, String)>,
    barcode: Option<String>,
    category: String,
    reference_price: i64,
    tags: String,
    image: Option<String>,
}

/// Listings of the given products, or of every product when `only` is `None`.
pub async fn load(db: &Db, only: Option<&[i64]>) -> sqlx::Result<Vec<Listing>> {
    let mut out = Vec::new();
    for_each(db, only, |l| out.push(l)).await?;
    Ok(out)
}

/// Streams the listings to `sink` as the database produces them (a full rebuild indexes
/// while it reads).
pub async fn for_each(
    db: &Db,
    only: Option<&[i64]>,
    mut sink: impl FnMut(Listing),
) -> sqlx::Result<()> {
    let narrowings: Vec<Narrowing> = match only {
        Some(ids) => ids.chunks(BATCH).map(Narrowing::Products).collect(),
        None => vec![Narrowing::Every],
    };
    if narrowings.is_empty() {
        return Ok(());
    }
    let categories = Categories::load(db).await?;
    let caps = city_caps(db, crate::clock::now()).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    for narrowing in narrowings {
        let products = products(db, narrowing).await?;
        let cheapest = cheapest(db, narrowing).await?;
        let mut sql = city_rows_sql(db.backend(), narrowing);
        let mut rows = sql.query_as::<CityRow>().fetch(db.pool());
        while let Some(row) = rows.try_next().await? {
            let Some(p) = products.get(&row.product_id) else {
                continue;
            };
            sink(listing(p, row, &cheapest, &caps, &categories, &mut names));
        }
    }
    Ok(())
}

/// The products' own facts (title, brand, specs, category…), by id.
async fn products(db: &Db, narrowing: Narrowing<'_>) -> sqlx::Result<HashMap<i64, ProductRow>> {
    let mut products: HashMap<i64, ProductRow> = HashMap::new();
    let mut sql = Built::new(
        "SELECT p.id, p.title, p.brand, p.brand_en, p.model, p.unit, p.specs_json, p.barcode, \
         p.category_code, p.ref_price_fen, p.tags, p.image FROM products p",
    );
    narrowing.push(&mut sql, " WHERE ", "p.id");
    let mut rows = sql
        .query_as::<(
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            String,
            i64,
            String,
            Option<String>,
        )>()
        .fetch(db.pool());
    while let Some((
        id,
        title,
        brand,
        brand_en,
        model,
        unit,
        specs,
        barcode,
        category,
        reference_price,
        tags,
        image,
    )) = rows.try_next().await?
    {
        products.insert(
            id,
            ProductRow {
                title,
                brand,
                brand_en,
                model,
                unit,
                // Specs are written by the catalogue's import as JSON pairs; a product
                // whose specs do not read is still found by everything else.
                specs: serde_json::from_str(&specs).unwrap_or_default(),
                barcode,
                category,
                reference_price,
                tags,
                image,
            },
        );
    }
    Ok(products)
}

// One row per product and city: the cheapest live offer with the aggregates of all live
// offers there, computed by the database. On SQLite the cheapest offer comes from its own
// query, where MIN() is the only aggregate: SQLite's bare-column rule then takes that
// row's other columns (much faster than a window); with several MIN/MAX aggregates it
// would take them from an arbitrary one. PostgreSQL uses a lateral join.
const AGGREGATES: &str =
    "MAX(o.price_fen) AS max_price, COUNT(*) AS offers, MIN(o.delivery_days) AS min_days, \
     MAX(COALESCE(s.performance_score, 0)) AS best_score, \
     MAX(CASE WHEN o.stock > 0 THEN 1 ELSE 0 END) AS in_stock, \
     MAX(CASE WHEN s.size = 'large' THEN 1 ELSE 0 END) AS large, \
     MAX(CASE WHEN s.size = 'medium' THEN 1 ELSE 0 END) AS medium, \
     MAX(CASE WHEN s.size = 'small' THEN 1 ELSE 0 END) AS small, \
     MAX(CASE WHEN s.size = 'micro' THEN 1 ELSE 0 END) AS micro";
const LIVE: &str = "FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.status = 'on_sale' AND s.status = 'admitted'";

/// The statement of one row per product and city with the live offers' aggregates there
/// (see [`AGGREGATES`]).
fn city_rows_sql(backend: Backend, narrowing: Narrowing<'_>) -> Built {
    let mut sql = Built::new(match backend {
        Backend::Sqlite => "SELECT o.product_id, oc.city, 0, MIN(o.price_fen), '', ",
        Backend::Postgres => {
            "SELECT a.product_id, a.city, b.id, a.min_price, b.name, a.max_price, a.offers, a.min_days, a.best_score, \
                    a.in_stock, a.large, a.medium, a.small, a.micro \
             FROM (SELECT o.product_id, oc.city, MIN(o.price_fen) AS min_price, "
        }
    });
    sql.push(AGGREGATES).push(" ").push(LIVE);
    narrowing.push(&mut sql, " AND ", "o.product_id");
    sql.push(" GROUP BY o.product_id, oc.city");
    if backend == Backend::Postgres {
        sql.push(") a JOIN LATERAL (SELECT o.id, s.name ")
            .push(LIVE)
            .push(
                " AND o.product_id = a.product_id AND oc.city = a.city \
             ORDER BY o.price_fen, o.id LIMIT 1) b ON TRUE",
            );
    }
    sql
}

crate::named_row! {
    /// A product in a city with the aggregates of its live offers there.
    struct CityRow {
        product_id: i64,
        city: String,
        /// The cheapest offer, its price and supplier (on SQLite 0, the price and '': see
        /// [`cheapest`]).
        offer_id: i64,
        price: i64,
        supplier: String,
        max_price: i64,
        offers: i64,
        min_days: i64,
        score: i64,
        /// 0/1 each.
        in_stock: i64,
        large: i64,
        medium: i64,
        small: i64,
        micro: i64,
    }
}

/// On SQLite, the cheapest live offer of each product in each city and its supplier's name
/// (on PostgreSQL the city rows bring it: empty).
async fn cheapest(
    db: &Db,
    narrowing: Narrowing<'_>,
) -> sqlx::Result<HashMap<(i64, String), (i64, String)>> {
    Ok(match db.backend() {
        Backend::Sqlite => {
            let mut sql =
                Built::new("SELECT o.product_id, oc.city, o.id, MIN(o.price_fen), s.name ");
            sql.push(LIVE);
            narrowing.push(&mut sql, " AND ", "o.product_id");
            sql.push(" GROUP BY o.product_id, oc.city");
            let mut rows = sql
                .query_as::<(i64, String, i64, i64, String)>()
                .fetch(db.pool());
            let mut map = HashMap::new();
            while let Some((product, city, offer, _, name)) = rows.try_next().await? {
                map.insert((product, city), (offer, name));
            }
            map
        }
        Backend::Postgres => HashMap::new(),
    })
}

/// The listing of a product in a city: the city row's aggregates, the cheapest offer (or the
/// city cap's winner when it sells for less), and the product's own facts.
fn listing(
    p: &ProductRow,
    row: CityRow,
    cheapest: &HashMap<(i64, String), (i64, String)>,
    caps: &HashMap<(i64, String), Cap>,
    categories: &Categories,
    names: &mut HashMap<String, String>,
) -> Listing {
    let CityRow {
        product_id,
        city,
        mut offer_id,
        mut price,
        mut supplier,
        max_price,
        offers,
        min_days,
        score,
        in_stock,
        large,
        medium,
        small,
        micro,
    } = row;
    if let Some((offer, name)) = cheapest.get(&(product_id, city.clone())) {
        offer_id = *offer;
        supplier = name.clone();
    }
    // 同城限价: the pool's winner sells at no more than the cap, so it may be the
    // cheapest offer now.
    let cap = caps.get(&(product_id, city.clone()));
    if let Some(c) = cap.filter(|c| c.price < price) {
        price = c.price;
        offer_id = c.offer_id;
        supplier = c.supplier.clone();
    }
    let (path, category_name) = categories
        .get(&p.category)
        .map(|c| (c.path.clone(), c.name_zh.clone()))
        .unwrap_or_else(|| (vec![p.category.clone()], String::new()));
    let category_names = names
        .entry(p.category.clone())
        .or_insert_with(|| categories.path_names(&p.category))
        .clone();
    let sizes = [
        ("large", large),
        ("medium", medium),
        ("small", small),
        ("micro", micro),
    ]
    .into_iter()
    .filter(|(_, present)| *present == 1)
    .map(|(size, _)| size.to_string())
    .collect();
    Listing {
        product_id: product_id as u64,
        city,
        title: p.title.clone(),
        brand: p.brand.clone(),
        brand_en: p.brand_en.clone(),
        model: p.model.clone(),
        unit: p.unit.clone(),
        specs: p.specs.clone(),
        barcode: p.barcode.clone(),
        category_path: path,
        category_name,
        category_names,
        reference_price: p.reference_price as u64,
        tags: p
            .tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        min_price: price as u64,
        max_price: max_price as u64,
        offer_count: offers as u64,
        min_delivery_days: min_days as u64,
        best_score: score as u64,
        best_offer_id: offer_id as u64,
        best_supplier: supplier,
        supplier_sizes: sizes,
        in_stock: in_stock == 1,
        price_cap: cap.map_or(0, |c| c.price as u64),
        image: p.image.clone(),
    }
}

struct Cap {
    price: i64,
    offer_id: i64,
    supplier: String,
}

/// The city price caps that hold now, with the winner's live offer there.
async fn city_caps(db: &Db, now: i64) -> sqlx::Result<HashMap<(i64, String), Cap>> {
    let rows: Vec<(i64, String, i64, i64, String)> = sqlx::query_as(
        "SELECT p.product_id, p.city, p.unit_price_fen, o.id, s.name FROM pools p \
         JOIN offers o ON o.supplier_id = p.winner_supplier_id AND o.product_id = p.product_id AND o.status = 'on_sale' \
         JOIN offer_cities oc ON oc.offer_id = o.id AND oc.city = p.city \
         JOIN suppliers s ON s.id = o.supplier_id AND s.status = 'admitted' \
         WHERE p.state = 'awarded' AND p.cap_until > $1 ORDER BY p.unit_price_fen DESC",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    // The lowest cap of a product and city wins (inserted last).
    Ok(rows
        .into_iter()
        .map(|(product, city, price, offer_id, supplier)| {
            (
                (product, city),
                Cap {
                    price,
                    offer_id,
                    supplier,
                },
            )
        })
        .collect())
}

/// Where `products` are offered and by whom (any offer status): the cities whose listings
/// and the suppliers whose storefronts show them.
pub async fn sellers(db: &Db, products: &[i64]) -> sqlx::Result<(Vec<String>, Vec<i64>)> {
    let mut cities = std::collections::BTreeSet::new();
    let mut suppliers = std::collections::BTreeSet::new();
    for chunk in products.chunks(BATCH) {
        let mut sql = Built::new(
            "SELECT DISTINCT o.supplier_id, oc.city FROM offers o \
             LEFT JOIN offer_cities oc ON oc.offer_id = o.id",
        );
        Narrowing::Products(chunk).push(&mut sql, " WHERE ", "o.product_id");
        let rows: Vec<(i64, Option<String>)> = sql.query_as().fetch_all(db.pool()).await?;
        for (supplier, city) in rows {
            suppliers.insert(supplier);
            cities.extend(city);
        }
    }
    Ok((
        cities.into_iter().collect(),
        suppliers.into_iter().collect(),
    ))
}
