//! GB/T 2260 provinces, cities and districts (from `store/seed/regions/`).

use super::insert::{self, V};
use serde::Deserialize;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

#[derive(Deserialize)]
struct Entry {
    code: String,
    name: String,
}

/// Imports every region unless the table is filled already; returns how many were added.
pub async fn ensure(tx: &mut Transaction<'_, Any>) -> anyhow::Result<u64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM regions")
        .fetch_one(&mut **tx)
        .await?;
    if n > 0 {
        return Ok(0);
    }
    let provinces: Vec<Entry> =
        serde_json::from_str(include_str!("../../seed/regions/provinces.json"))?;
    let cities: Vec<Entry> = serde_json::from_str(include_str!("../../seed/regions/cities.json"))?;
    let areas: Vec<Entry> = serde_json::from_str(include_str!("../../seed/regions/areas.json"))?;
    let province_names: HashMap<&str, &str> = provinces
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let mut rows = Vec::with_capacity(provinces.len() + cities.len() + areas.len());
    for p in &provinces {
        rows.push(vec![
            V::from(format!("{}0000", p.code)),
            p.name.as_str().into(),
            V::I(1),
            V::Null,
        ]);
    }
    for c in &cities {
        // The four municipalities list their city level as "市辖区": show the province.
        let province = &c.code[..2];
        let name = if c.name == "市辖区" {
            province_names.get(province).copied().unwrap_or(&c.name)
        } else {
            &c.name
        };
        rows.push(vec![
            V::from(format!("{}00", c.code)),
            name.into(),
            V::I(2),
            V::from(format!("{province}0000")),
        ]);
    }
    // Cities without districts (东莞, 中山, 儋州) list themselves again as an area.
    for a in areas.iter().filter(|a| !a.code.ends_with("00")) {
        rows.push(vec![
            V::from(a.code.as_str()),
            a.name.as_str().into(),
            V::I(3),
            V::from(format!("{}00", &a.code[..4])),
        ]);
    }
    Ok(insert::rows(tx, "regions", &["code", "name", "level", "parent"], rows).await?)
}
