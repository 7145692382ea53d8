//! Filling the database: the demo city (`seed --demo`), a synthetic catalogue for
//! benchmarks (`seed --scale N`), a synthetic order history (`seed --orders M`), and the
//! GB/T 2260 regions they need.

pub mod demo;
mod history;
mod insert;
pub mod orders;
mod pools;
pub mod regions;
pub mod rng;
pub mod scale;
mod split;

use serde::Deserialize;

/// `store/seed/catalogue.json`: categories and standard products of the demo.
#[derive(Deserialize)]
pub struct CatalogueFile {
    pub categories: Vec<CategorySeed>,
    pub products: Vec<ProductSeed>,
}

#[derive(Deserialize)]
pub struct CategorySeed {
    pub code: String,
    pub parent: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
}

#[derive(Deserialize, Clone)]
pub struct ProductSeed {
    pub category: String,
    pub brand: String,
    pub brand_en: String,
    pub model: String,
    pub title: String,
    pub specs: Vec<(String, String)>,
    pub unit: String,
    pub barcode: Option<String>,
    pub ref_price_fen: i64,
    pub ref_source: String,
    pub tags: Vec<String>,
}

pub fn catalogue() -> anyhow::Result<CatalogueFile> {
    Ok(serde_json::from_str(include_str!(
        "../../seed/catalogue.json"
    ))?)
}

/// Inserts the catalogue's categories (parents first) unless they are there already.
pub async fn ensure_categories(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    categories: &[CategorySeed],
) -> anyhow::Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM categories")
        .fetch_one(&mut **tx)
        .await?;
    if n > 0 {
        return Ok(());
    }
    let parents: std::collections::HashSet<&str> = categories
        .iter()
        .filter_map(|c| c.parent.as_deref())
        .collect();
    let mut sorted: Vec<&CategorySeed> = categories.iter().collect();
    sorted.sort_by_key(|c| (c.code.len(), c.code.clone()));
    let rows = sorted.iter().map(|c| {
        vec![
            insert::V::from(c.code.as_str()),
            c.parent.as_deref().into(),
            c.name_zh.as_str().into(),
            c.name_en.as_str().into(),
            c.kind.as_str().into(),
            insert::V::I(i64::from(!parents.contains(c.code.as_str()))),
        ]
    });
    insert::rows(
        tx,
        "categories",
        &["code", "parent", "name_zh", "name_en", "kind", "is_leaf"],
        rows,
    )
    .await?;
    Ok(())
}
