use emall_search::{CatalogueIndex, ProductDoc};

fn doc(id: u64, title: &str, brand: &str, model: &str) -> ProductDoc {
    ProductDoc {
        id,
        title: title.into(),
        brand: brand.into(),
        model: model.into(),
        category_code: "A02".into(),
        category_name: "设备".into(),
        specs: String::new(),
    }
}

#[test]
fn finds_by_chinese_words_and_model_numbers() {
    let index = CatalogueIndex::in_memory().unwrap();
    index
        .rebuild([
            doc(1, "惠普 M227fdw 黑白激光多功能一体机", "惠普", "M227fdw"),
            doc(2, "得力 7401 A4 复印纸 70g 500张/包", "得力", "7401"),
            doc(3, "联想 启天M437 台式计算机 i5-12500", "联想", "启天M437"),
        ])
        .unwrap();
    let cases: &[(&str, u64)] = &[
        ("激光一体机", 1),
        ("m227FDW", 1),
        ("复印纸", 2),
        ("A4 70g", 2),
        ("台式计算机", 3),
    ];
    for (query, expected) in cases {
        let hits = index.search(query, 10).unwrap();
        assert_eq!(
            hits.first().map(|h| h.id),
            Some(*expected),
            "query {query:?} gave {hits:?}"
        );
    }
}

#[test]
fn any_query_string_is_safe() {
    let index = CatalogueIndex::in_memory().unwrap();
    index.rebuild([doc(1, "复印纸", "得力", "7401")]).unwrap();
    let long = "纸".repeat(1000);
    for q in [
        "",
        "\"",
        "a:b",
        "*",
        "AND OR NOT",
        "(((",
        "[1 TO 2]",
        long.as_str(),
    ] {
        assert!(index.search(q, 10).is_ok(), "{q:?}");
    }
}
