//! What the search index needs: each standard product with the aggregates of its live
//! offers per city (on sale, supplier admitted).

use crate::db::Db;
use emall_search::Listing;
use futures::TryStreamExt;
use std::collections::HashMap;

struct ProductRow {
    title: String,
    brand: String,
    brand_en: String,
    model: String,
    unit: String,
    specs: String,
    barcode: Option<String>,
    category: String,
    reference_price: i64,
    tags: String,
}

fn specs_text(json: &str) -> String {
    serde_json::from_str::<Vec<(String, String)>>(json)
        .map(|pairs| {
            pairs
                .into_iter()
                .flat_map(|(k, v)| [k, v])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// Listings of the given products, or of every product when `only` is `None`.
pub async fn load(db: &Db, only: Option<&[i64]>) -> sqlx::Result<Vec<Listing>> {
    let filter = match only {
        Some(ids) if ids.is_empty() => return Ok(Vec::new()),
        Some(ids) => format!(
            " AND o.product_id IN ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
        None => String::new(),
    };
    let categories = super::catalogue::Categories::load(db).await?;
    let product_filter = filter
        .replace("o.product_id", "p.id")
        .replacen(" AND", " WHERE", 1);
    let mut products: HashMap<i64, ProductRow> = HashMap::new();
    {
        let sql = format!(
            "SELECT p.id, p.title, p.brand, p.brand_en, p.model, p.unit, p.specs_json, p.barcode, \
             p.category_code, p.ref_price_fen, p.tags FROM products p{product_filter}"
        );
        let mut rows = sqlx::query_as::<
            _,
            (
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
            ),
        >(&sql)
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
                    specs: specs_text(&specs),
                    barcode,
                    category,
                    reference_price,
                    tags,
                },
            );
        }
    }
    // Live offers, cheapest first within each product and city.
    let sql = format!(
        "SELECT o.product_id, oc.city, o.id, o.price_fen, o.delivery_days, o.stock, s.name, s.size, \
         COALESCE(s.performance_score, 0) \
         FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.status = 'on_sale' AND s.status = 'admitted'{filter} \
         ORDER BY o.product_id, oc.city, o.price_fen, o.id"
    );
    let mut rows =
        sqlx::query_as::<_, (i64, String, i64, i64, i64, i64, String, String, i64)>(&sql)
            .fetch(db.pool());
    let mut out: Vec<Listing> = Vec::new();
    while let Some((product_id, city, offer_id, price, days, stock, supplier, size, score)) =
        rows.try_next().await?
    {
        let same = out
            .last()
            .is_some_and(|l| l.product_id == product_id as u64 && l.city == city);
        if same {
            let l = out.last_mut().expect("checked");
            l.max_price = l.max_price.max(price as u64);
            l.offer_count += 1;
            l.min_delivery_days = l.min_delivery_days.min(days as u64);
            l.best_score = l.best_score.max(score as u64);
            l.in_stock |= stock > 0;
            if !l.supplier_sizes.contains(&size) {
                l.supplier_sizes.push(size);
            }
            continue;
        }
        let Some(p) = products.get(&product_id) else {
            continue;
        };
        let (path, category_name) = categories
            .get(&p.category)
            .map(|c| (c.path.clone(), c.name_zh.clone()))
            .unwrap_or_else(|| (vec![p.category.clone()], String::new()));
        let category_names = categories.path_names(&p.category);
        out.push(Listing {
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
            max_price: price as u64,
            offer_count: 1,
            min_delivery_days: days as u64,
            best_score: score as u64,
            best_offer_id: offer_id as u64,
            best_supplier: supplier,
            supplier_sizes: vec![size],
            in_stock: stock > 0,
        });
    }
    Ok(out)
}
