use crate::db::Db;
use emall_app::model::{CategoryNode, ProductCard};
use emall_app::Locale;
use emall_domain::Fen;
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
