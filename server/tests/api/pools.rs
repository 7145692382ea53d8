//! Joint-purchase pools: bids and commitments until the close, settlement at the tier the
//! total reached, exact budget freezes, the city price cap after an award, a failed pool
//! releasing everything, and a close that happens once however many ask.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use crate::ordering::budget;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    a_pool_settles_at_the_tier_its_total_reached_and_caps_the_city_price,
    a_pool_below_its_minimum_fails_and_releases_every_freeze,
    commitments_racing_the_close_are_settled_or_refused_never_lost,
    a_unit_leads_a_pool_in_its_own_city,
);

pub struct Fixture {
    pub city: String,
    pub product: i64,
    pub ceiling: i64,
    /// (username, supplier id, offer id) of two suppliers listing the product in the city.
    pub suppliers: Vec<(String, i64, i64)>,
    /// (username, unit, budget line) of buyers of different units in the city.
    pub buyers: Vec<(String, i64, i64)>,
}

pub async fn fixture(app: &TestApp, buyers: usize) -> Fixture {
    let (city,): (String,) = sqlx::query_as(
        "SELECT p.city FROM users u JOIN purchasing_units p ON p.id = u.unit_id WHERE u.username = 'demo-buyer'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (product, reference): (i64, i64) = sqlx::query_as(&format!(
        "SELECT p.id, p.ref_price_fen FROM products p JOIN offers o ON o.product_id = p.id \
         JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE oc.city = '{city}' AND o.status = 'on_sale' AND s.status = 'admitted' \
         AND p.ref_price_fen BETWEEN 2000 AND 30000 AND p.id NOT IN (SELECT product_id FROM pools) \
         GROUP BY p.id, p.ref_price_fen \
         HAVING COUNT(DISTINCT o.supplier_id) >= 2 ORDER BY p.id LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let suppliers: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT MIN(u.username), o.supplier_id, MIN(o.id) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
         JOIN users u ON u.supplier_id = o.supplier_id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.product_id = {product} AND oc.city = '{city}' AND o.status = 'on_sale' AND s.status = 'admitted' \
         GROUP BY o.supplier_id ORDER BY o.supplier_id LIMIT 2"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let buyers: Vec<(String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT MIN(u.username), u.unit_id, (SELECT MAX(b.id) FROM budget_lines b WHERE b.unit_id = u.unit_id) \
         FROM users u JOIN purchasing_units p ON p.id = u.unit_id \
         WHERE u.role = 'buyer' AND p.city = '{city}' GROUP BY u.unit_id ORDER BY u.unit_id LIMIT {buyers}"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    // Room on each line for the freezes, whatever the demo spent.
    for (_, _, line) in &buyers {
        sqlx::query(&format!(
            "UPDATE budget_lines SET amount_fen = amount_fen + 100000000 WHERE id = {line}"
        ))
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    Fixture {
        city,
        product,
        ceiling: reference,
        suppliers,
        buyers,
    }
}

pub async fn open(app: &TestApp, f: &Fixture, min_total: i64) -> i64 {
    let (operator, ot) = app.as_user("demo-operator").await;
    let closes = emall_store::clock::rfc3339(emall_store::clock::now() + 3600);
    let r = post_json(app, &operator, &ot, "/api/v1/pools", json!({
        "product_id": f.product, "city": f.city, "title": "联合采购测试", "description": "全市统一采购",
        "delivery_terms": "成交后 5 个工作日内送达", "min_total_quantity": min_total,
        "ceiling_price": emall_domain::Fen(f.ceiling).to_plain_yuan(), "closes_at": closes, "validity_days": 365,
    }))
    .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn put(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    path: &str,
    body: Value,
) -> reqwest::Response {
    client
        .put(app.url(path))
        .header("x-csrf-token", token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn tiers(ceiling: i64, steps: &[(i64, i64)]) -> Value {
    // Prices as per-mille of the ceiling.
    json!({"tiers": steps.iter().map(|(q, permille)| json!({"min_quantity": q, "price": ceiling * permille / 1000})).collect::<Vec<_>>()})
}

async fn a_pool_settles_at_the_tier_its_total_reached_and_caps_the_city_price(app: TestApp) {
    let f = fixture(&app, 4).await;
    assert_eq!(f.suppliers.len(), 2);
    assert_eq!(f.buyers.len(), 4);
    let pool = open(&app, &f, 100).await;
    let bid_path = format!("/api/v1/pools/{pool}/bid");
    let commit_path = format!("/api/v1/pools/{pool}/commitment");

    let (s1, t1) = app.as_user(&f.suppliers[0].0).await;
    let (s2, t2) = app.as_user(&f.suppliers[1].0).await;
    let above = put(&app, &s1, &t1, &bid_path, tiers(f.ceiling, &[(1, 1001)])).await;
    assert_eq!(
        above.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "above the ceiling"
    );
    let rising = put(
        &app,
        &s1,
        &t1,
        &bid_path,
        tiers(f.ceiling, &[(1, 900), (100, 950)]),
    )
    .await;
    assert_eq!(
        rising.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "prices never rise"
    );
    // S1 is cheaper at 300; S2 is cheaper at 150, where the pool will end.
    assert_eq!(
        put(
            &app,
            &s1,
            &t1,
            &bid_path,
            tiers(f.ceiling, &[(1, 950), (150, 900), (300, 800)])
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        put(
            &app,
            &s2,
            &t2,
            &bid_path,
            tiers(f.ceiling, &[(1, 990), (120, 940)])
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        put(
            &app,
            &s2,
            &t2,
            &bid_path,
            tiers(f.ceiling, &[(50, 960), (150, 880), (250, 850)])
        )
        .await
        .status(),
        StatusCode::OK,
        "revised"
    );
    // Each supplier learns which anonymous bid is its own, and only that: the public list
    // shows it under the letter it is told, with the tiers it sent.
    let public: Value = app
        .get_json(&app.client, &format!("/api/v1/pools/{pool}"))
        .await;
    for (client, first_price) in [(&s1, 950), (&s2, 960)] {
        let mine: Value = app
            .get_json(client, &format!("/api/v1/pools/{pool}/mine"))
            .await;
        let label = mine["bid_label"].as_str().expect("its letter").to_string();
        let listed = public["bids"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["bidder"] == label.as_str())
            .expect("listed under it");
        assert_eq!(
            listed["tiers"][0]["price"],
            f.ceiling * first_price / 1000,
            "{label}: {listed}"
        );
    }

    let mut before = Vec::new();
    for (_, _, line) in &f.buyers {
        before.push(budget(&app, *line).await);
    }
    let quantities = [60, 50, 40];
    let mut clients = Vec::new();
    for (i, q) in quantities.iter().enumerate() {
        let (c, t) = app.as_user(&f.buyers[i].0).await;
        let r = put(
            &app,
            &c,
            &t,
            &commit_path,
            json!({"budget_line_id": f.buyers[i].2, "quantity": q}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
        assert_eq!(
            budget(&app, f.buyers[i].2).await.1,
            before[i].1 + q * f.ceiling,
            "frozen at the ceiling"
        );
        clients.push((c, t));
    }
    // A change and a withdrawal with a return: the freeze follows exactly.
    let (c0, t0) = &clients[0];
    assert_eq!(
        put(
            &app,
            c0,
            t0,
            &commit_path,
            json!({"budget_line_id": f.buyers[0].2, "quantity": 80})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        budget(&app, f.buyers[0].2).await.1,
        before[0].1 + 80 * f.ceiling
    );
    assert_eq!(
        put(
            &app,
            c0,
            t0,
            &commit_path,
            json!({"budget_line_id": f.buyers[0].2, "quantity": 60})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let (c2, t2b) = &clients[2];
    let w = c2
        .delete(app.url(&commit_path))
        .header("x-csrf-token", t2b)
        .send()
        .await
        .unwrap();
    assert_eq!(w.status(), StatusCode::OK);
    assert_eq!(
        budget(&app, f.buyers[2].2).await.1,
        before[2].1,
        "withdrawn: released"
    );
    assert_eq!(
        put(
            &app,
            c2,
            t2b,
            &commit_path,
            json!({"budget_line_id": f.buyers[2].2, "quantity": 40})
        )
        .await
        .status(),
        StatusCode::OK
    );

    let public: Value = app
        .get(&format!("/api/v1/pools/{pool}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(public["summary"]["total_quantity"], 150);
    assert_eq!(
        public["summary"]["current_price"],
        f.ceiling * 880 / 1000,
        "S2's tier at 150"
    );
    assert_eq!(public["summary"]["next_tier"]["min_quantity"], 250);
    assert_eq!(public["summary"]["next_tier"]["missing"], 100);
    assert!(
        public["bids"][0]["supplier_id"].is_null(),
        "bidders are not named while open"
    );

    let (operator, ot) = app.as_user("demo-operator").await;
    let close_path = format!("/api/v1/pools/{pool}/close");
    let (buyer_only, bt) = &clients[1];
    assert_eq!(
        post_json(&app, buyer_only, bt, &close_path, json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let closed: Value = post_json(&app, &operator, &ot, &close_path, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["state"], "awarded");
    assert_eq!(
        closed["orders"].as_array().unwrap().len(),
        3,
        "one order per unit"
    );
    assert_eq!(
        post_json(&app, &operator, &ot, &close_path, json!({}))
            .await
            .status(),
        StatusCode::CONFLICT,
        "once"
    );
    let late = put(
        &app,
        c0,
        t0,
        &commit_path,
        json!({"budget_line_id": f.buyers[0].2, "quantity": 10}),
    )
    .await;
    assert_eq!(
        late.status(),
        StatusCode::CONFLICT,
        "no commitment after the close"
    );

    let price = f.ceiling * 880 / 1000;
    for (i, q) in quantities.iter().enumerate() {
        let (_, frozen, spent) = budget(&app, f.buyers[i].2).await;
        assert_eq!(
            (frozen, spent),
            (before[i].1 + q * price, before[i].2),
            "unit {i}: exactly quantity × price"
        );
        let (total, supplier, status): (i64, i64, String) = sqlx::query_as(&format!(
            "SELECT total_fen, supplier_id, status FROM orders WHERE pool_id = {pool} AND unit_id = {}",
            f.buyers[i].1
        ))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(
            (total, supplier, status.as_str()),
            (q * price, f.suppliers[1].1, "placed")
        );
    }
    let result: Value = app
        .get(&format!("/api/v1/pools/{pool}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["result"]["unit_price"], price);
    assert_eq!(result["result"]["units_served"], 3);
    assert_eq!(
        result["result"]["vs_reference"]["per_unit"],
        f.ceiling - price
    );
    assert_eq!(
        result["bids"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["winner"] == true)
            .count(),
        1
    );
    let events: Value = app
        .get_json(&operator, &format!("/api/v1/pools/{pool}/events"))
        .await;
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"opened"));
    assert_eq!(kinds.last(), Some(&"awarded"));
    assert_eq!(kinds.iter().filter(|k| **k == "withdrawn").count(), 1);

    // The pages and search show the result and the cap.
    let list = app
        .get(&format!("/pools?city={}", f.city))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        list.contains(&format!(r#"data-pool="{pool}""#)),
        "the city's pools list it"
    );
    let page = app
        .get(&format!("/pools/{pool}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="pool-result""#));
    let compare = app
        .get(&format!("/product/{}?city={}", f.product, f.city))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        compare.contains(r#"id="price-cap""#),
        "the comparison page shows the cap"
    );
    let (title,): (String,) = sqlx::query_as(&format!(
        "SELECT title FROM products WHERE id = {}",
        f.product
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let found: Value = app
            .client
            .get(app.url("/api/v1/search"))
            .query(&[("city", f.city.as_str()), ("q", title.as_str())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let capped = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["product_id"] == f.product && h["price_cap"] == price);
        if capped {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search shows the cap: {found}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    // 同城同质同价: the fourth unit buys afterwards at no more than the pool price.
    let (later, lt) = app.as_user(&f.buyers[3].0).await;
    sqlx::query(&format!(
        "UPDATE offers SET price_fen = {}, stock = 1000 WHERE id IN ({}, {})",
        f.ceiling, f.suppliers[0].2, f.suppliers[1].2
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "DELETE FROM offer_tiers WHERE offer_id IN ({}, {})",
        f.suppliers[0].2, f.suppliers[1].2
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let checkout = |offer: i64| json!({"budget_line_id": f.buyers[3].2, "items": [{"offer_id": offer, "quantity": 2}]});
    let loser = post_json(
        &app,
        &later,
        &lt,
        "/api/v1/checkout",
        checkout(f.suppliers[0].2),
    )
    .await;
    assert_eq!(
        loser.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another supplier above the cap cannot be bought"
    );
    let body: Value = loser.json().await.unwrap();
    assert!(
        body["error"]["fields"].to_string().contains("限价"),
        "{body}"
    );
    let winner: Value = post_json(
        &app,
        &later,
        &lt,
        "/api/v1/checkout",
        checkout(f.suppliers[1].2),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        winner["orders"][0]["total"],
        2 * price,
        "the winner sells at the pool price: {winner}"
    );
}

/// The first supplier bids one tier: 90 % of the ceiling from the first unit on.
async fn one_bid_at_90_percent(app: &TestApp, f: &Fixture, pool: i64) {
    let (s1, t1) = app.as_user(&f.suppliers[0].0).await;
    let path = format!("/api/v1/pools/{pool}/bid");
    let r = put(app, &s1, &t1, &path, tiers(f.ceiling, &[(1, 900)])).await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn a_pool_below_its_minimum_fails_and_releases_every_freeze(app: TestApp) {
    let f = fixture(&app, 3).await;
    let pool = open(&app, &f, 1000).await;
    one_bid_at_90_percent(&app, &f, pool).await;
    let mut before = Vec::new();
    for (name, _, line) in &f.buyers {
        before.push(budget(&app, *line).await);
        let (c, t) = app.as_user(name).await;
        let r = put(
            &app,
            &c,
            &t,
            &format!("/api/v1/pools/{pool}/commitment"),
            json!({"budget_line_id": line, "quantity": 100}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    // The deadline passes; two nodes' timers race to close it.
    sqlx::query(&format!(
        "UPDATE pools SET opens_at = {0} - 60, closes_at = {0} - 1 WHERE id = {pool}",
        emall_store::clock::now()
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let now = emall_store::clock::now();
    let (a, b) = tokio::join!(
        emall_server::timers::run_once(&app.state, now, false),
        emall_server::timers::run_once(&app.state, now, false),
    );
    assert_eq!(
        a.unwrap().pools_closed + b.unwrap().pools_closed,
        1,
        "closed once"
    );
    let result: Value = app
        .get(&format!("/api/v1/pools/{pool}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["summary"]["state"], "failed");
    assert_eq!(result["result"]["fail_reason"], "below_minimum");
    for (i, (_, _, line)) in f.buyers.iter().enumerate() {
        assert_eq!(
            budget(&app, *line).await,
            before[i],
            "every freeze released"
        );
    }
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE pool_id = {pool}"
        ))
        .await,
        0
    );
}

async fn commitments_racing_the_close_are_settled_or_refused_never_lost(app: TestApp) {
    let f = fixture(&app, 6).await;
    let pool = open(&app, &f, 1).await;
    one_bid_at_90_percent(&app, &f, pool).await;
    let mut before = Vec::new();
    let mut signed = Vec::new();
    for (name, _, line) in &f.buyers {
        before.push(budget(&app, *line).await);
        signed.push(app.as_user(name).await);
    }
    let (operator, ot) = app.as_user("demo-operator").await;
    let path = format!("/api/v1/pools/{pool}/commitment");
    let commits = signed.iter().zip(&f.buyers).map(|((c, t), (_, _, line))| {
        put(
            &app,
            c,
            t,
            &path,
            json!({"budget_line_id": line, "quantity": 10}),
        )
    });
    let close_path = format!("/api/v1/pools/{pool}/close");
    let close = post_json(&app, &operator, &ot, &close_path, json!({}));
    let (statuses, closed) = tokio::join!(futures::future::join_all(commits), close);
    assert_eq!(closed.status(), StatusCode::OK);
    let price = f.ceiling * 900 / 1000;
    for (i, r) in statuses.iter().enumerate() {
        let (_, frozen, _) = budget(&app, f.buyers[i].2).await;
        let orders = app
            .id(&format!(
                "SELECT COUNT(*) FROM orders WHERE pool_id = {pool} AND unit_id = {}",
                f.buyers[i].1
            ))
            .await;
        match r.status() {
            StatusCode::OK => assert_eq!(
                (frozen, orders),
                (before[i].1 + 10 * price, 1),
                "unit {i}: in before the close, settled"
            ),
            StatusCode::CONFLICT => assert_eq!(
                (frozen, orders),
                (before[i].1, 0),
                "unit {i}: after the close, nothing held"
            ),
            other => panic!("unit {i}: {other}"),
        }
    }
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM pool_commitments WHERE pool_id = {pool} AND state = 'active'"
        ))
        .await,
        0
    );
}

async fn a_unit_leads_a_pool_in_its_own_city(app: TestApp) {
    let f = fixture(&app, 1).await;
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let closes = emall_store::clock::rfc3339(emall_store::clock::now() + 7200);
    let body = json!({
        "product_id": f.product, "city": "330100", "title": "本单位牵头采购", "delivery_terms": "5 日内",
        "min_total_quantity": 20, "ceiling_price": emall_domain::Fen(f.ceiling).to_plain_yuan(),
        "closes_at": closes, "validity_days": 90,
    });
    let r = post_json(&app, &buyer, &bt, "/api/v1/pools", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let pool: Value = app
        .get(&format!("/api/v1/pools/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        pool["summary"]["city"],
        f.city.as_str(),
        "a unit leads in its own city, whatever it asks"
    );
    let unit = app
        .id("SELECT unit_id FROM users WHERE username = 'demo-buyer'")
        .await;
    assert_eq!(
        app.id(&format!("SELECT lead_unit_id FROM pools WHERE id = {id}"))
            .await,
        unit
    );
    let home = app.get_text(&buyer, "/buyer").await;
    assert!(
        home.contains(&format!(r#"data-pool="{id}""#)),
        "the unit's home lists it"
    );

    let bad = json!({
        "product_id": f.product, "title": "", "delivery_terms": "5 日内", "min_total_quantity": 0,
        "ceiling_price": "abc", "closes_at": "明天", "validity_days": 0,
    });
    let r = post_json(&app, &buyer, &bt, "/api/v1/pools", bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json::<Value>().await.unwrap()["error"]["fields"].clone();
    for field in ["title", "ceiling_price", "closes_at"] {
        assert!(fields[field].is_string(), "{field} is named: {fields}");
    }
    let (supplier, st) = app.as_user("demo-supplier").await;
    let r = post_json(&app, &supplier, &st, "/api/v1/pools", json!({})).await;
    assert!(r.status().is_client_error());
}
