use crate::db::Db;
use emall_domain::Fen;
use emall_model::Locale;
use emall_model::{CategoryNode, ProductCard, ProductPick};
use std::collections::HashMap;

/// The category tree, top levels first, each with the number of products under it.
pub async fn category_tree(db: &Db, locale: Locale) -> sqlx::Result<Vec<CategoryNode>> {
    let rows: Vec<(String, Option<String>, String, String)> =
        sqlx::query_as("SELECT code, parent, name_zh, name_en FROM categories ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    let counts: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT category_code, COUNT(*) FROM products GROUP BY category_code",
    )
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .collect();
    Ok(build_tree(&rows, &counts, None, locale))
}

fn build_tree(
    rows: &[(String, Option<String>, String, String)],
    counts: &HashMap<String, i64>,
    parent: Option<&str>,
    locale: Locale,
) -> Vec<CategoryNode> {
    rows.iter()
        .filter(|(_, p, _, _)| p.as_deref() == parent)
        .map(|(code, _, zh, en)| {
            let children = build_tree(rows, counts, Some(code), locale);
            let own = counts.get(code).copied().unwrap_or(0);
            let product_count = own + children.iter().map(|c| c.product_count).sum::<i64>();
            CategoryNode {
                code: code.clone(),
                name: if locale == Locale::En {
                    en.clone()
                } else {
                    zh.clone()
                },
                product_count,
                children,
            }
        })
        .filter(|n| n.product_count > 0)
        .collect()
}

/// The most ordered standard products, with the lowest live price in `city`.
pub async fn popular_products(
    db: &Db,
    city: &str,
    locale: Locale,
    limit: i64,
) -> sqlx::Result<Vec<ProductCard>> {
    let mut ids: Vec<i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT product_id, COUNT(*) AS n FROM order_items GROUP BY product_id \
         ORDER BY n DESC, product_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|(id, _)| id)
    .collect();
    if (ids.len() as i64) < limit {
        let more: Vec<(i64,)> = sqlx::query_as("SELECT id FROM products ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(db.pool())
            .await?;
        for (id,) in more {
            if (ids.len() as i64) < limit && !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let mut cards = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(card) = product_card(db, id, city, locale).await? {
            cards.push(card);
        }
    }
    Ok(cards)
}

pub async fn product_card(
    db: &Db,
    product_id: i64,
    city: &str,
    locale: Locale,
) -> sqlx::Result<Option<ProductCard>> {
    let row: Option<(i64, String, String, String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.title, p.brand, p.model, c.name_zh, c.name_en, p.unit, p.ref_price_fen, p.tags \
         FROM products p JOIN categories c ON c.code = p.category_code WHERE p.id = $1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, title, brand, model, zh, en, unit, ref_price, tags)) = row else {
        return Ok(None);
    };
    let (lowest, count): (Option<i64>, i64) = sqlx::query_as(
        "SELECT MIN(o.price_fen), COUNT(*) FROM offers o \
         JOIN offer_cities oc ON oc.offer_id = o.id \
         JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.product_id = $1 AND oc.city = $2 AND o.status = 'on_sale' AND s.status = 'admitted'",
    )
    .bind(id)
    .bind(city)
    .fetch_one(db.pool())
    .await?;
    Ok(Some(ProductCard {
        id,
        title,
        brand,
        model,
        category_name: if locale == Locale::En { en } else { zh },
        unit,
        reference_price: Fen(ref_price),
        lowest_price: lowest.map(Fen),
        offer_count: count,
        tags: tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
    }))
}

/// Standard products in the whole catalogue whose title, brand or model contains every
/// word of `q` (case-folded), for a supplier looking for what to list. Unlike search, it
/// finds products nobody sells yet.
pub async fn find_products(db: &Db, q: &str, limit: i64) -> sqlx::Result<Vec<ProductPick>> {
    let words: Vec<String> = q
        .split_whitespace()
        .map(|w| w.replace(['%', '_', '\\'], "").to_lowercase())
        .filter(|w| !w.is_empty())
        .take(5)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT id, title, brand, model, unit, category_code, ref_price_fen FROM products WHERE 1 = 1",
    );
    for i in 1..=words.len() {
        sql.push_str(&format!(
            " AND (LOWER(title) LIKE ${i} OR LOWER(brand) LIKE ${i} OR LOWER(brand_en) LIKE ${i} OR LOWER(model) LIKE ${i})"
        ));
    }
    sql.push_str(&format!(" ORDER BY title, id LIMIT ${}", words.len() + 1));
    let mut query = sqlx::query_as::<_, (i64, String, String, String, String, String, i64)>(&sql);
    for w in &words {
        query = query.bind(format!("%{w}%"));
    }
    let rows = query.bind(limit).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, brand, model, unit, category_code, price)| ProductPick {
                id,
                title,
                brand,
                model,
                unit,
                category_code,
                reference_price: Fen(price),
            },
        )
        .collect())
}

pub struct CategoryRow {
    pub code: String,
    pub parent: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
}

pub async fn categories(db: &Db) -> sqlx::Result<Vec<CategoryRow>> {
    let rows: Vec<(String, Option<String>, String, String, String)> =
        sqlx::query_as("SELECT code, parent, name_zh, name_en, kind FROM categories ORDER BY code")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, parent, name_zh, name_en, kind)| CategoryRow {
            code,
            parent,
            name_zh,
            name_en,
            kind,
        })
        .collect())
}

/// One category with its path from the root.
#[derive(Debug, Clone)]
pub struct CategoryInfo {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Codes from the root to this category.
    pub path: Vec<String>,
}

impl CategoryInfo {
    pub fn name(&self, locale: Locale) -> &str {
        if locale == Locale::En {
            &self.name_en
        } else {
            &self.name_zh
        }
    }
}

/// The category tree in memory: small, read on every search page.
#[derive(Debug, Default)]
pub struct Categories {
    by_code: HashMap<String, CategoryInfo>,
}

impl Categories {
    pub async fn load(db: &Db) -> sqlx::Result<Categories> {
        let rows = categories(db).await?;
        let parents: HashMap<&str, Option<&str>> = rows
            .iter()
            .map(|r| (r.code.as_str(), r.parent.as_deref()))
            .collect();
        let mut by_code = HashMap::with_capacity(rows.len());
        for r in &rows {
            let mut path = vec![r.code.clone()];
            let mut cursor = r.parent.as_deref();
            while let Some(code) = cursor {
                if path.len() > 16 {
                    break; // a cycle would be a data error; never loop forever on it
                }
                path.push(code.to_string());
                cursor = parents.get(code).copied().flatten();
            }
            path.reverse();
            by_code.insert(
                r.code.clone(),
                CategoryInfo {
                    code: r.code.clone(),
                    name_zh: r.name_zh.clone(),
                    name_en: r.name_en.clone(),
                    path,
                },
            );
        }
        Ok(Categories { by_code })
    }

    pub fn get(&self, code: &str) -> Option<&CategoryInfo> {
        self.by_code.get(code)
    }

    /// Every name along a category's path, in both languages (for matching).
    pub fn path_names(&self, code: &str) -> String {
        self.get(code)
            .map(|c| {
                c.path
                    .iter()
                    .filter_map(|p| self.get(p))
                    .map(|p| format!("{} {}", p.name_zh, p.name_en))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }
}

/// A standard product with its specs; the category name is resolved by the caller.
pub async fn product_detail(
    db: &Db,
    product_id: i64,
) -> sqlx::Result<Option<emall_model::ProductDetail>> {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT id, title, brand, model, category_code, unit, specs_json, barcode, ref_price_fen, \
         ref_price_source, ref_price_date, tags, image FROM products WHERE id = $1",
    )
    .bind(product_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let specs: String = r.try_get("specs_json")?;
    let tags: String = r.try_get("tags")?;
    let image: Option<String> = r.try_get("image")?;
    Ok(Some(emall_model::ProductDetail {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        brand: r.try_get("brand")?,
        model: r.try_get("model")?,
        category_name: String::new(),
        category_code: r.try_get("category_code")?,
        unit: r.try_get("unit")?,
        specs: serde_json::from_str(&specs).unwrap_or_default(),
        barcode: r.try_get("barcode")?,
        reference_price: Fen(r.try_get("ref_price_fen")?),
        reference_source: r.try_get("ref_price_source")?,
        reference_date: r.try_get("ref_price_date")?,
        tags: tags
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        image: image.map(|file| format!("/images/products/{file}")),
    }))
}

/// Live offers of a product in a city, lowest price first (ties: better score, then the
/// earlier listing).
/// The live offers of a product in a city, cheapest first. Under a city price cap
/// (同城限价, `cap`, from [`super::pools::current_cap`]) the pool's winner sells at no more
/// than the cap, and other offers above it come last, marked: they cannot be bought at
/// that price.
pub async fn city_offers(
    db: &Db,
    product_id: i64,
    city: &str,
    reference: Fen,
    cap: Option<super::pools::CityCap>,
) -> sqlx::Result<Vec<emall_model::CityOffer>> {
    let rows: Vec<(i64, i64, String, String, Option<i64>, i64, i64, i64)> = sqlx::query_as(
        "SELECT o.id, s.id, s.name, s.size, s.performance_score, o.price_fen, o.stock, o.delivery_days \
         FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.product_id = $1 AND oc.city = $2 AND o.status = 'on_sale' AND s.status = 'admitted' \
         ORDER BY o.price_fen, COALESCE(s.performance_score, 0) DESC, o.id",
    )
    .bind(product_id)
    .bind(city)
    .fetch_all(db.pool())
    .await?;
    let mut tiers =
        super::offers::tiers_of(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    let mut offers: Vec<_> = rows
        .into_iter()
        .map(
            |(
                offer_id,
                supplier_id,
                supplier_name,
                supplier_size,
                supplier_score,
                price,
                stock,
                delivery_days,
            )| {
                let mut schedule = emall_domain::PriceSchedule::new(
                    Fen(price),
                    tiers.remove(&offer_id).unwrap_or_default(),
                )
                .unwrap_or_else(|_| {
                    emall_domain::PriceSchedule::new(Fen(price), Vec::new())
                        .expect("a stored price is positive")
                });
                let mut above_cap = false;
                if let Some(c) = cap {
                    if c.supplier_id == supplier_id {
                        schedule = schedule.capped(c.price);
                    } else {
                        above_cap = Fen(price) > c.price;
                    }
                }
                let price = schedule.base().get();
                emall_model::CityOffer {
                    tiers: schedule.tiers().to_vec(),
                    offer_id,
                    supplier_id,
                    supplier_name,
                    supplier_size,
                    supplier_score,
                    price: Fen(price),
                    stock,
                    delivery_days,
                    vs_reference_bp: if reference.get() > 0 {
                        (price - reference.get()) * 10_000 / reference.get()
                    } else {
                        0
                    },
                    above_cap,
                }
            },
        )
        .collect();
    // Stable: the database's order (price, then score) holds within each group.
    offers.sort_by_key(|o| (o.above_cap, o.price));
    Ok(offers)
}

/// The lowest price among the city's currently listed offers after each recorded price
/// change since `since` (one point per day, the day's last value).
pub async fn price_history(
    db: &Db,
    product_id: i64,
    city: &str,
    since: i64,
) -> sqlx::Result<Vec<emall_model::PricePoint>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT h.offer_id, h.price_fen, h.changed_at FROM offer_price_history h \
         JOIN offers o ON o.id = h.offer_id JOIN offer_cities oc ON oc.offer_id = o.id \
         WHERE o.product_id = $1 AND oc.city = $2 AND o.status = 'on_sale' ORDER BY h.changed_at, h.id",
    )
    .bind(product_id)
    .bind(city)
    .fetch_all(db.pool())
    .await?;
    Ok(lowest_over_time(&rows, since))
}

/// Pure: replays price changes `(offer, price, at)` in time order and records the lowest
/// current price per day from `since` on.
pub fn lowest_over_time(changes: &[(i64, i64, i64)], since: i64) -> Vec<emall_model::PricePoint> {
    let mut current: HashMap<i64, i64> = HashMap::new();
    let mut points: Vec<emall_model::PricePoint> = Vec::new();
    for &(offer, price, at) in changes {
        current.insert(offer, price);
        if at < since {
            continue;
        }
        let lowest = *current.values().min().expect("just inserted");
        let date = crate::clock::rfc3339(at)[..10].to_string();
        match points.last_mut() {
            Some(last) if last.date == date => last.lowest = Fen(lowest),
            _ => points.push(emall_model::PricePoint {
                date,
                lowest: Fen(lowest),
            }),
        }
    }
    points
}

/// Names the product's picture (a file under `images/products`); false if there is no such
/// product.
pub async fn set_image(db: &Db, product_id: i64, file: &str) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query("UPDATE products SET image = $1 WHERE id = $2")
        .bind(file)
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    // The product's pages show the picture: here, at the edge and on the other nodes.
    super::outbox::record(&mut *tx, &super::outbox::Change::products([product_id])).await?;
    tx.commit().await?;
    Ok(true)
}

/// Every brand of the catalogue: `(name, name in Latin letters)`, for 您要找的是不是.
pub async fn brands(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT DISTINCT brand, brand_en FROM products ORDER BY brand_en, brand")
        .fetch_all(db.pool())
        .await
}

/// The leaf categories a listing may name: code, zh-CN name, English name.
pub async fn leaf_categories(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as("SELECT code, name_zh, name_en FROM categories WHERE is_leaf = 1 ORDER BY code")
        .fetch_all(db.pool())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_price_follows_every_offer() {
        let day = 86_400;
        // offer 1 lists at 100, offer 2 at 90, offer 1 drops to 80, offer 2 rises (same day).
        let changes = [
            (1, 100, 0),
            (2, 90, day),
            (1, 80, 2 * day),
            (2, 95, 2 * day + 60),
        ];
        let points = lowest_over_time(&changes, 0);
        let lows: Vec<i64> = points.iter().map(|p| p.lowest.get()).collect();
        assert_eq!(lows, [100, 90, 80]);
        assert_eq!(points[2].date, "1970-01-03");
        assert_eq!(
            lowest_over_time(&changes, 2 * day).len(),
            1,
            "earlier changes set the start only"
        );
    }
}
