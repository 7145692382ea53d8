//! The relevance table (`relevance/cases.toml`): realistic queries and the products that
//! must come first, over the demo catalogue.

use emall_search::{CatalogueIndex, Listing, SearchRequest};
use serde_json::Value;
use std::collections::HashMap;

fn catalogue() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../store/seed/catalogue.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("catalogue.json")).expect("json")
}

/// The demo catalogue as listings in one city, keyed by "brand|model".
pub fn demo_index() -> (CatalogueIndex, HashMap<String, u64>) {
    let cat = catalogue();
    let categories: HashMap<String, (Option<String>, String, String)> = cat["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                (
                    c["parent"].as_str().map(str::to_string),
                    c["name_zh"].as_str().unwrap().to_string(),
                    c["name_en"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    let mut ids = HashMap::new();
    let mut listings = Vec::new();
    for (i, p) in cat["products"].as_array().unwrap().iter().enumerate() {
        let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
        let mut path = vec![s("category")];
        while let Some((Some(parent), _, _)) = categories.get(path.last().unwrap()) {
            path.push(parent.clone());
        }
        path.reverse();
        let names: Vec<String> = path
            .iter()
            .map(|c| format!("{} {}", categories[c].1, categories[c].2))
            .collect();
        let specs: Vec<String> = p["specs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| format!("{} {}", kv[0].as_str().unwrap(), kv[1].as_str().unwrap()))
            .collect();
        let id = i as u64 + 1;
        ids.insert(format!("{}|{}", s("brand"), s("model")), id);
        let price = p["ref_price_fen"].as_u64().unwrap();
        listings.push(Listing {
            product_id: id,
            city: "310100".into(),
            title: s("title"),
            brand: s("brand"),
            brand_en: s("brand_en"),
            model: s("model"),
            unit: s("unit"),
            specs: specs.join(" "),
            barcode: p["barcode"].as_str().map(str::to_string),
            category_name: categories[&s("category")].1.clone(),
            category_names: names.join(" "),
            category_path: path,
            reference_price: price,
            tags: vec![],
            min_price: price,
            max_price: price,
            offer_count: 1,
            min_delivery_days: 3,
            best_score: 0,
            best_offer_id: id,
            best_supplier: "s".into(),
            supplier_sizes: vec!["small".into()],
            in_stock: true,
            price_cap: 0,
        });
    }
    let index = CatalogueIndex::in_memory().unwrap();
    index.rebuild(listings).unwrap();
    (index, ids)
}

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    query: String,
    expect: Vec<String>,
    within: Option<usize>,
    why: String,
}

#[test]
fn relevance_table() {
    let (index, ids) = demo_index();
    let cases: Cases = toml::from_str(include_str!("../relevance/cases.toml")).unwrap();
    assert!(cases.case.len() >= 40);
    let mut failures = Vec::new();
    for case in &cases.case {
        let within = case.within.unwrap_or(3);
        let results = index
            .search(&SearchRequest {
                text: case.query.clone(),
                city: "310100".into(),
                limit: within.max(10),
                ..Default::default()
            })
            .unwrap();
        let top: Vec<u64> = results
            .hits
            .iter()
            .take(within)
            .map(|h| h.product_id)
            .collect();
        let missing: Vec<&String> = case
            .expect
            .iter()
            .filter(|e| !top.contains(&ids[*e]))
            .collect();
        if !missing.is_empty() {
            let got: Vec<String> = results
                .hits
                .iter()
                .take(within)
                .map(|h| format!("{}|{}", h.brand, h.model))
                .collect();
            failures.push(format!(
                "{:?} (within {within}, {}): missing {missing:?}; got {got:?}",
                case.query, case.why
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

/// Each category's count in the facet is the number of results narrowing to it gives, at
/// the top of the tree as below it.
#[test]
fn category_counts_agree_with_narrowing() {
    let (index, _) = demo_index();
    let search = |text: &str, path: Vec<String>| {
        index
            .search(&SearchRequest {
                text: text.into(),
                city: "310100".into(),
                category_path: path,
                limit: 10,
                ..Default::default()
            })
            .unwrap()
    };
    for text in ["", "纸", "电脑"] {
        let top = search(text, vec![]);
        let mut sum = 0;
        assert!(!top.facets.categories.is_empty(), "{text:?}");
        for c in &top.facets.categories {
            let narrowed = search(text, vec![c.value.clone()]);
            assert_eq!(c.count, narrowed.total as u64, "{text:?} in {}", c.value);
            sum += c.count;
            for sub in &narrowed.facets.categories {
                let deeper = search(text, vec![c.value.clone(), sub.value.clone()]);
                assert_eq!(sub.count, deeper.total as u64, "{text:?} in {}", sub.value);
            }
        }
        assert_eq!(
            sum, top.total as u64,
            "{text:?}: the roots cover every result"
        );
    }
}
