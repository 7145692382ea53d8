//! Search, price comparison and freshness after a price change.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

on_both_backends!(
    a_misspelt_brand_that_finds_nothing_is_asked_about,
    specs_leaf_categories_and_pinyin_narrow_a_search,
    search_groups_offers_by_product_with_the_city_price,
    filters_facets_sorting_and_paging_work_together,
    any_query_string_is_safe,
    bad_filters_get_clear_errors,
    comparison_lists_every_live_offer_lowest_first,
    a_price_change_shows_in_search_and_comparison_within_a_second,
    only_the_owning_supplier_may_change_an_offer,
    catalogue_pages_render_in_both_languages,
);

async fn search(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "search {query}");
    response.json().await.unwrap()
}

/// The lowest-numbered live Shanghai offer of `demo-supplier`, with an extra SQL condition.
pub async fn demo_supplier_offer(app: &TestApp, and: &str) -> i64 {
    let supplier = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    app.id(&format!(
        "SELECT MIN(o.id) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
         WHERE o.supplier_id = {supplier} AND o.status = 'on_sale' AND oc.city = '310100' {and}"
    ))
    .await
}

/// The comparison API's offers of a product in Shanghai.
async fn city_offers(app: &TestApp, product: i64) -> Vec<Value> {
    app.get(&format!("/api/v1/products/{product}/offers?city=310100"))
        .await
        .json()
        .await
        .unwrap()
}

/// The lowest live price of a product in a city, straight from the database.
async fn lowest_in_db(app: &TestApp, product: i64, city: &str) -> i64 {
    app.id(&format!(
        "SELECT MIN(o.price_fen) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
         JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.product_id = {product} AND oc.city = '{city}' AND o.status = 'on_sale' AND s.status = 'admitted'"
    ))
    .await
}

async fn search_groups_offers_by_product_with_the_city_price(app: TestApp) {
    let results = search(&app, "q=%E5%A4%8D%E5%8D%B0%E7%BA%B8&city=310100").await; // 复印纸
    assert!(results["total"].as_i64().unwrap() >= 5);
    let hits = results["hits"].as_array().unwrap();
    assert!(
        hits[0]["title"].as_str().unwrap().contains("复印纸"),
        "{}",
        hits[0]["title"]
    );
    let mut seen = std::collections::HashSet::new();
    for hit in hits {
        let id = hit["product_id"].as_i64().unwrap();
        assert!(seen.insert(id), "one row per standard product");
        assert_eq!(
            hit["lowest_price"].as_i64().unwrap(),
            lowest_in_db(&app, id, "310100").await,
            "product {id}"
        );
        assert!(hit["highest_price"].as_i64() >= hit["lowest_price"].as_i64());
    }
    assert!(results["took_micros"].as_i64().is_some());
    let by_model = search(&app, "q=m227FDW&city=310100").await;
    assert!(by_model["hits"][0]["model"]
        .as_str()
        .unwrap()
        .contains("M227fdw"));
}

async fn filters_facets_sorting_and_paging_work_together(app: TestApp) {
    let all = search(&app, "city=310100&sort=price_asc").await;
    let total = all["total"].as_i64().unwrap();
    assert!(total > 100, "browsing lists the city's catalogue");
    let prices: Vec<i64> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["lowest_price"].as_i64().unwrap())
        .collect();
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "sorted by price: {prices:?}"
    );
    let page2 = search(&app, "city=310100&sort=price_asc&page=2").await;
    assert_ne!(page2["hits"][0]["product_id"], all["hits"][0]["product_id"]);

    let brand = all["facets"]["brands"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let brand_count = all["facets"]["brands"][0]["count"].as_i64().unwrap();
    let encoded: String = brand.bytes().map(|b| format!("%{b:02X}")).collect();
    let by_brand = search(&app, &format!("city=310100&brand={encoded}")).await;
    assert_eq!(
        by_brand["total"].as_i64().unwrap(),
        brand_count,
        "facet count matches the filter"
    );
    assert!(by_brand["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["brand"] == brand.as_str()));

    let ranged = search(&app, "city=310100&min=100&max=500").await;
    assert!(ranged["hits"].as_array().unwrap().iter().all(|h| {
        let p = h["lowest_price"].as_i64().unwrap();
        (10_000..=50_000).contains(&p)
    }));

    let top = all["facets"]["categories"][0]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let in_category = search(&app, &format!("city=310100&category={top}")).await;
    assert!(in_category["total"].as_i64().unwrap() < total);
    assert!(
        in_category["facets"]["categories"]
            .as_array()
            .unwrap()
            .len()
            > 0,
        "sub-categories are counted"
    );

    let stocked = search(&app, "city=310100&stock=1").await;
    assert_eq!(stocked["total"], all["facets"]["in_stock"]);

    let hangzhou = search(&app, "city=330100").await;
    assert_ne!(
        hangzhou["total"], all["total"],
        "each city has its own offers"
    );
}

/// 您要找的是不是: a query that finds nothing because it misspells a brand names the brand,
/// linking to its search; a query near no brand suggests nothing.
async fn a_misspelt_brand_that_finds_nothing_is_asked_about(app: TestApp) {
    let page = app
        .get_text(&app.client, "/search?q=lenvo&city=310100")
        .await;
    let at = page.find("id=\"did-you-mean\"").expect("a suggestion");
    let said = &page[at..at + page[at..].find("</p>").unwrap()];
    assert!(said.contains("联想 Lenovo"), "{said}");
    assert!(
        said.contains("href=\"/search?q=Lenovo&amp;city=310100\""),
        "{said}"
    );
    let found = app
        .get_text(&app.client, "/search?q=Lenovo&city=310100")
        .await;
    assert!(
        found.contains("class=\"hit"),
        "the suggested search finds the brand"
    );
    let page = app
        .get_text(&app.client, "/search?q=zzqxj&city=310100")
        .await;
    assert!(!page.contains("did-you-mean"), "nothing close");
    // Mistyped with an input method: a character of the same sound.
    for (typed, meant) in [("联相", "联想"), ("钉书机", "订书机")] {
        let page = app
            .get_text(&app.client, &format!("/search?q={typed}&city=310100"))
            .await;
        let at = page.find("id=\"did-you-mean\"").expect(typed);
        let said = &page[at..at + page[at..].find("</p>").unwrap()];
        assert!(said.contains(&format!(">{meant}</a>")), "{typed}: {said}");
    }
    let english = app
        .get_text(&app.client, "/en/search?q=lenvo&city=310100")
        .await;
    assert!(english.contains("Did you mean: "), "in the page's language");
}

async fn specs_leaf_categories_and_pinyin_narrow_a_search(app: TestApp) {
    // Typed pinyin, whole or by initials, finds 复印纸.
    for typed in ["fuyinzhi", "fyz"] {
        let r = search(&app, &format!("q={typed}&city=310100")).await;
        assert!(
            r["hits"][0]["category_name"].as_str() == Some("复印纸"),
            "{typed}: {}",
            r["hits"][0]
        );
        assert_eq!(r["facets"]["leaves"][0]["label"], "复印纸", "{typed}");
    }
    // In the category, the specs that tell the papers apart, each value's count the
    // number of papers choosing it finds.
    let paper = search(&app, "category=A090101&city=310100").await;
    let weight = paper["facets"]["specs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "克重")
        .expect("克重 is a filter")
        .clone();
    let values = weight["values"].as_array().unwrap();
    assert!(values.len() >= 2, "{weight}");
    for v in values {
        let value = v["value"].as_str().unwrap();
        let chosen = search(
            &app,
            &format!(
                "category=A090101&city=310100&spec={}",
                emall_app::format::urlencode(&format!("克重:{value}"))
            ),
        )
        .await;
        assert_eq!(chosen["total"], v["count"], "克重 {value}");
    }
    // The page offers them as links that work without a script.
    let page = app
        .get_text(&app.client, "/search?category=A090101&city=310100")
        .await;
    assert!(page.contains("<legend>克重</legend>"), "the spec's filter");
    assert!(page.contains("spec=%E5%85%8B%E9%87%8D%3A"), "its links");
    // A spec without a value, or nonsense, is ignored rather than refused.
    let odd = search(
        &app,
        "category=A090101&city=310100&spec=%E5%85%8B%E9%87%8D&spec=:",
    )
    .await;
    assert_eq!(odd["total"], paper["total"]);
}

async fn any_query_string_is_safe(app: TestApp) {
    let long = "纸".repeat(1000);
    let hostile = [
        "",
        "%22",
        "a%3Ab",
        "*",
        "AND%20OR%20NOT",
        "(((",
        "%5B1%20TO%202%5D",
        "%27%3B%20DROP%20TABLE%20offers%3B--",
        long.as_str(),
    ];
    for q in hostile {
        let response = app.get(&format!("/api/v1/search?city=310100&q={q}")).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "q={}",
            &q[..q.len().min(30)]
        );
        let page = app.get(&format!("/search?city=310100&q={q}")).await;
        assert_eq!(
            page.status(),
            StatusCode::OK,
            "page q={}",
            &q[..q.len().min(30)]
        );
    }
}

async fn bad_filters_get_clear_errors(app: TestApp) {
    let response = app
        .client
        .get(app.url("/api/v1/search?q=a4&min=abc"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"]["min"],
        "Enter prices as amounts, e.g. 12.50."
    );
    assert_eq!(
        app.get("/api/v1/search?city=999999").await.status(),
        StatusCode::NOT_FOUND
    );
    let page = app.get("/search?q=a4&min=abc").await;
    assert_eq!(
        page.status(),
        StatusCode::OK,
        "the page still searches, without the bad bound"
    );
    assert!(page.text().await.unwrap().contains("价格请填写金额"));
}

async fn comparison_lists_every_live_offer_lowest_first(app: TestApp) {
    let product = app.id("SELECT product_id FROM order_items GROUP BY product_id ORDER BY COUNT(*) DESC, product_id LIMIT 1").await;
    let offers: Vec<Value> = city_offers(&app, product).await;
    let live = app
        .id(&format!(
            "SELECT COUNT(*) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
             WHERE o.product_id = {product} AND oc.city = '310100' AND o.status = 'on_sale' AND s.status = 'admitted'"
        ))
        .await;
    assert_eq!(offers.len() as i64, live);
    let prices: Vec<i64> = offers
        .iter()
        .map(|o| o["price"].as_i64().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let page = app.get(&format!("/product/{product}?city=310100")).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("全网比价") && html.contains("<svg"),
        "comparison with a price chart"
    );
    assert_eq!(
        app.get("/product/999999?city=310100").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/products/999999").await.status(),
        StatusCode::NOT_FOUND
    );
}

/// Polls `check` until it holds or the deadline passes; returns how long it took.
async fn within(deadline: Duration, mut check: impl AsyncFnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    None
}

async fn a_price_change_shows_in_search_and_comparison_within_a_second(app: TestApp) {
    let offer = demo_supplier_offer(&app, "").await;
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {offer}"))
        .await;
    let new_price = lowest_in_db(&app, product, "310100").await - 1;
    let token = app.sign_in("demo-supplier").await;
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("x-csrf-token", token)
        .json(&json!({"price_fen": new_price, "reason": "季度调价"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (model_text,): (String,) =
        sqlx::query_as(&format!("SELECT model FROM products WHERE id = {product}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let q: String = model_text.bytes().map(|b| format!("%{b:02X}")).collect();
    let seen = within(Duration::from_secs(1), async || {
        let results = search(&app, &format!("city=310100&q={q}")).await;
        results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["product_id"] == product && h["lowest_price"] == new_price)
    })
    .await;
    assert!(seen.is_some(), "search shows the new price within a second");
    let page = app
        .get(&format!("/product/{product}?city=310100"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&emall_domain::Fen(new_price).to_string()),
        "comparison page shows it"
    );
    let (reason,): (String,) = sqlx::query_as(&format!(
        "SELECT reason FROM offer_price_history WHERE offer_id = {offer} ORDER BY changed_at DESC, id DESC LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(reason, "季度调价", "the change is kept with its reason");

    // Taking the offer off sale removes it from the city's listing as quickly.
    let token = crate::helpers::csrf_cookie_of(&app).await;
    app.client
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("x-csrf-token", token)
        .json(&json!({"status": "off_sale"}))
        .send()
        .await
        .unwrap();
    let gone = within(Duration::from_secs(1), async || {
        let offers: Vec<Value> = city_offers(&app, product).await;
        let results = search(&app, &format!("city=310100&q={q}")).await;
        !offers.iter().any(|o| o["offer_id"] == offer)
            && results["hits"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["lowest_price"] != new_price)
    })
    .await;
    assert!(
        gone.is_some(),
        "an offer taken off sale leaves search within a second"
    );
}

async fn only_the_owning_supplier_may_change_an_offer(app: TestApp) {
    let own = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let foreign_offer = app
        .id(&format!(
            "SELECT MIN(id) FROM offers WHERE supplier_id <> {own}"
        ))
        .await;
    let own_offer = app
        .id(&format!(
            "SELECT MIN(id) FROM offers WHERE supplier_id = {own}"
        ))
        .await;
    let (supplier, token) = app.as_user("demo-supplier").await;
    let patch = |offer: i64, body: Value| {
        supplier
            .patch(app.url(&format!("/api/v1/offers/{offer}")))
            .header("x-csrf-token", token.clone())
            .json(&body)
            .send()
    };
    assert_eq!(
        patch(foreign_offer, json!({"stock": 1}))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        patch(999_999, json!({"stock": 1})).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let bad = patch(
        own_offer,
        json!({"price_fen": -5, "delivery_days": 0, "status": "gone"}),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    for field in ["price_fen", "delivery_days", "status", "reason"] {
        assert!(
            body["error"]["fields"].get(field).is_some(),
            "{field} named in {body}"
        );
    }
    let (buyer, buyer_token) = app.as_user("demo-buyer").await;
    let refused = buyer
        .patch(app.url(&format!("/api/v1/offers/{own_offer}")))
        .header("x-csrf-token", buyer_token)
        .json(&json!({"stock": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "buyers cannot change offers"
    );
    let anonymous = crate::helpers::client()
        .patch(app.url(&format!("/api/v1/offers/{own_offer}")))
        .json(&json!({"stock": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

async fn catalogue_pages_render_in_both_languages(app: TestApp) {
    for path in [
        "/search?q=%E6%89%93%E5%8D%B0%E6%9C%BA",
        "/en/search?q=printer",
        "/search?category=A02&city=320500",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status(), StatusCode::OK, "{path}");
    }
    let supplier = app
        .id("SELECT MIN(id) FROM suppliers WHERE status = 'admitted'")
        .await;
    let store = app.get(&format!("/supplier/{supplier}?city=310100")).await;
    assert_eq!(store.status(), StatusCode::OK);
    let pending = app
        .id("SELECT MIN(id) FROM suppliers WHERE status = 'pending'")
        .await;
    assert_eq!(
        app.get(&format!("/supplier/{pending}")).await.status(),
        StatusCode::NOT_FOUND,
        "no storefront before admission"
    );
}

on_both_backends!(consistency_check_finds_what_the_index_missed);

async fn consistency_check_finds_what_the_index_missed(app: TestApp) {
    let dir = app.data_dir().join("index");
    let problems = emall_server::search::check(&app.db, &dir).await.unwrap();
    assert!(
        problems.is_empty(),
        "a fresh index agrees with the database: {problems:?}"
    );
    // A change behind the application's back (no refresh queued) is reported.
    let offer = app
        .id("SELECT MIN(id) FROM offers WHERE status = 'on_sale'")
        .await;
    sqlx::query(&format!(
        "UPDATE offers SET price_fen = 1 WHERE id = {offer}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let problems = emall_server::search::check(&app.db, &dir).await.unwrap();
    assert!(!problems.is_empty(), "the stale price is found");
    assert!(problems[0].contains("index says"), "{problems:?}");
    // So is a product sold out at the same lowest price: search would still find it under
    // "in stock".
    let product = app
        .id(
            "SELECT MAX(o.product_id) FROM offers o JOIN suppliers s ON s.id = o.supplier_id \
             WHERE o.status = 'on_sale' AND s.status = 'admitted' AND o.stock > 0",
        )
        .await;
    sqlx::query(&format!(
        "UPDATE offers SET stock = 0 WHERE product_id = {product}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let problems = emall_server::search::check(&app.db, &dir).await.unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&format!("product {product} in ")) && p.contains("stock")),
        "the stale stock is found: {problems:?}"
    );
}

on_both_backends!(volume_tiers_are_kept_valid_and_shown);

async fn volume_tiers_are_kept_valid_and_shown(app: TestApp) {
    let offer = demo_supplier_offer(&app, "AND o.price_fen >= 1000").await;
    let price = app
        .id(&format!("SELECT price_fen FROM offers WHERE id = {offer}"))
        .await;
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {offer}"))
        .await;
    let (client, token) = app.as_user("demo-supplier").await;
    let patch = |body: Value| {
        client
            .patch(app.url(&format!("/api/v1/offers/{offer}")))
            .header("x-csrf-token", token.clone())
            .json(&body)
            .send()
    };
    let tiers = json!([{"min_quantity": 10, "price": price - 50}, {"min_quantity": 50, "price": price - 100}]);
    assert_eq!(
        patch(json!({"tiers": tiers})).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let offers: Vec<Value> = city_offers(&app, product).await;
    let shown = offers
        .iter()
        .find(|o| o["offer_id"] == offer)
        .expect("offer listed");
    assert_eq!(shown["tiers"], tiers, "tiers are shown with the offer");

    let rising = json!([{"min_quantity": 10, "price": price + 1}]);
    let refused = patch(json!({"tiers": rising})).await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a tier above the base price"
    );
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["fields"]["tiers"].is_string());
    let below = patch(json!({"price_fen": price - 100, "reason": "降价"}))
        .await
        .unwrap();
    assert_eq!(
        below.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a base price at a tier's price leaves the tiers invalid"
    );
    let both = patch(json!({"price_fen": price - 100, "tiers": [], "reason": "降价"}))
        .await
        .unwrap();
    assert_eq!(
        both.status(),
        StatusCode::NO_CONTENT,
        "lowering the price and dropping the tiers together works"
    );
}

on_both_backends!(operators_set_product_images_checked_by_content);

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn operators_set_product_images_checked_by_content(app: TestApp) {
    let product = app.id("SELECT MIN(id) FROM products").await;
    let url = app.url(&format!("/api/v1/products/{product}/image"));
    let (supplier, supplier_token) = app.as_user("demo-supplier").await;
    let refused = supplier
        .put(&url)
        .header("x-csrf-token", supplier_token)
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "only the operator sets images"
    );
    let (operator, token) = app.as_user("demo-operator").await;
    let svg = operator
        .put(&url)
        .header("x-csrf-token", &token)
        .body("<svg onload=alert(1)/>")
        .send()
        .await
        .unwrap();
    assert_eq!(
        svg.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an SVG named .png is not an image"
    );
    // The comparison page, kept by the page cache before the picture arrives.
    let page_url = format!("/product/{product}?city=310100");
    for _ in 0..2 {
        let before = app.get(&page_url).await.text().await.unwrap();
        assert!(!before.contains("/images/products/"), "no picture yet");
    }
    let ok = operator
        .put(&url)
        .header("x-csrf-token", &token)
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::NO_CONTENT);
    let detail: Value = app
        .get(&format!("/api/v1/products/{product}"))
        .await
        .json()
        .await
        .unwrap();
    let src = detail["image"].as_str().expect("image path").to_string();
    let image = app.get(&src).await;
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    // The upload announced the change: the kept page was replaced at once.
    let page = app.get(&page_url).await.text().await.unwrap();
    assert!(
        page.contains(&format!("src=\"{src}\"")),
        "the comparison page shows it"
    );
    // …and the search's card, once the index has it (within a second).
    let title: String = detail["title"].as_str().unwrap().to_string();
    let search = format!(
        "/search?q={}&city=310100",
        emall_app::format::urlencode(&title)
    );
    let start = Instant::now();
    loop {
        let cards = app.get(&search).await.text().await.unwrap();
        if cards.contains(&format!("src=\"{src}\"")) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "the search card shows the picture within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.get("/images/products/..%2F..%2Femall.db")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Last: the server answers an oversized body early and may drop the connection while
    // the client is still sending, so a transport error counts as a refusal too.
    let big = operator
        .put(&url)
        .header("x-csrf-token", &token)
        .body(vec![0xFFu8; 3 * 1024 * 1024])
        .send()
        .await;
    if let Ok(big) = big {
        assert!(
            matches!(
                big.status(),
                StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{}",
            big.status()
        );
    }
    let (image,): (Option<String>,) =
        sqlx::query_as(&format!("SELECT image FROM products WHERE id = {product}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(
        image.is_some_and(|i| i.ends_with(".png")),
        "the refused upload left the image as it was"
    );
}
