//! Glue between the database (the source of truth) and the search index.

use crate::db::Db;
use emall_search::{CatalogueIndex, ProductDoc};
use std::path::Path;

/// Loads every standard product and rebuilds the index from it.
pub async fn reindex(db: &Db, dir: &Path) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let docs = load_docs(db).await?;
    let count = docs.len() as u64;
    let dir = dir.to_path_buf();
    let progress = indicatif::ProgressBar::new(count);
    let written = tokio::task::spawn_blocking(move || {
        let index = CatalogueIndex::open(&dir)?;
        let n = index.rebuild(docs.into_iter().inspect(|_| progress.inc(1)))?;
        progress.finish_and_clear();
        anyhow::Ok(n)
    })
    .await??;
    Ok(format!(
        "indexed {written} standard products in {:.1}s",
        started.elapsed().as_secs_f64()
    ))
}

pub async fn load_docs(db: &Db) -> sqlx::Result<Vec<ProductDoc>> {
    let rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT p.id, p.title, p.brand, p.model, p.category_code, c.name_zh, p.specs_json \
         FROM products p JOIN categories c ON c.code = p.category_code ORDER BY p.id",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, brand, model, category_code, category_name, specs)| ProductDoc {
                id: id as u64,
                title,
                brand,
                model,
                category_code,
                category_name,
                specs: specs_text(&specs),
            },
        )
        .collect())
}

/// `[["规格","A4"],["克重","70g"]]` → `规格 A4 克重 70g`.
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
