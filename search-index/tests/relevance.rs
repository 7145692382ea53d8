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
        let specs: Vec<(String, String)> = p["specs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| {
                (
                    kv[0].as_str().unwrap().to_string(),
                    kv[1].as_str().unwrap().to_string(),
                )
            })
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
            specs,
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
            image: None,
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

/// A query mistyped with an input method is corrected to the catalogue's words, and the
/// correction finds what was meant.
#[test]
fn mistyped_words_are_corrected_from_the_index() {
    let (index, ids) = demo_index();
    for (typed, meant, product) in [
        ("钉书机", "订书机", "得力|0414"),
        ("西鼓 CF230A", "硒鼓 CF230A", "惠普|CF230A"),
        ("A4 复印只", "A4 复印纸", "得力|7401"),
    ] {
        assert_eq!(
            index.correct(typed).unwrap().as_deref(),
            Some(meant),
            "{typed}"
        );
        let found = index
            .search(&SearchRequest {
                text: meant.into(),
                city: "310100".into(),
                limit: 20,
                ..Default::default()
            })
            .unwrap();
        assert!(
            found.hits.iter().any(|h| h.product_id == ids[product]),
            "{meant} finds {product}"
        );
    }
    assert_eq!(index.correct("激光打印机").unwrap(), None);
}

/// Each spec value's count is the number of results choosing it gives; values of one spec
/// are alternatives, specs all apply. Each leaf category's count is its narrowing's total.
#[test]
fn spec_and_leaf_counts_agree_with_narrowing() {
    let (index, _) = demo_index();
    let search = |text: &str, path: Vec<String>, specs: Vec<(String, String)>| {
        index
            .search(&SearchRequest {
                text: text.into(),
                city: "310100".into(),
                category_path: path,
                specs,
                limit: 10,
                ..Default::default()
            })
            .unwrap()
    };
    let paper = vec!["A".into(), "A09".into(), "A0901".into(), "A090101".into()];
    let all = search("", paper.clone(), vec![]);
    let weight = all
        .facets
        .specs
        .iter()
        .find(|s| s.name == "克重")
        .expect("复印纸 are told apart by 克重");
    assert!(weight.values.len() >= 2, "{weight:?}");
    let mut both = Vec::new();
    for v in &weight.values {
        let chosen = vec![("克重".to_string(), v.value.clone())];
        let narrowed = search("", paper.clone(), chosen.clone());
        assert_eq!(v.count, narrowed.total as u64, "克重 {}", v.value);
        both.extend(chosen);
    }
    let either = search("", paper.clone(), both.clone());
    assert_eq!(
        either.total, all.total,
        "the values of one spec are alternatives"
    );
    both.push(("规格".into(), "A3".into()));
    assert!(search("", paper, both).total < all.total, "specs all apply");

    let printers = search("打印机", vec![], vec![]);
    assert!(
        printers.facets.leaves.len() >= 2,
        "{:?}",
        printers.facets.leaves
    );
    for leaf in &printers.facets.leaves {
        let code = &leaf.value;
        let path: Vec<String> = (1..=code.len())
            .filter(|n| n % 2 == 1)
            .map(|n| code[..n].to_string())
            .collect();
        assert_eq!(
            leaf.count,
            search("打印机", path, vec![]).total as u64,
            "{code}"
        );
    }
}
