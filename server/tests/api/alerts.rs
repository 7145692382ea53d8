//! Red flags: the scan finds a real split-purchase pattern and suppliers sharing a phone,
//! names its evidence, does not repeat itself, and the regulator triages or acts.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    a_scan_finds_split_purchases_and_shared_contacts_and_the_regulator_triages,
    repeated_price_changes_are_flagged_as_they_happen,
);

/// An order of `yuan` for one product of `category`, placed `days_ago`.
async fn order(
    app: &TestApp,
    unit: i64,
    supplier: i64,
    category: &str,
    yuan: i64,
    days_ago: i64,
) -> i64 {
    let now = emall_store::clock::now();
    let (buyer, line, city): (i64, i64, String) = sqlx::query_as(&format!(
        "SELECT u.id, (SELECT MAX(b.id) FROM budget_lines b WHERE b.unit_id = {unit}), p.city FROM users u \
         JOIN purchasing_units p ON p.id = u.unit_id WHERE u.unit_id = {unit} AND u.role = 'buyer' LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (offer, product): (i64, i64) = sqlx::query_as(&format!(
        "SELECT o.id, o.product_id FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.supplier_id = {supplier} AND p.category_code = '{category}' LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let at = now - days_ago * 86_400;
    let (id,): (i64,) = sqlx::query_as(&format!(
        "INSERT INTO orders (order_no, unit_id, buyer_id, supplier_id, budget_line_id, city, status, total_fen, created_at, updated_at) \
         VALUES ('T-{unit}-{days_ago}-{yuan}', {unit}, {buyer}, {supplier}, {line}, '{city}', 'placed', {fen}, {at}, {at}) RETURNING id",
        fen = yuan * 100
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO order_items (order_id, offer_id, product_id, title, unit, quantity, unit_price_fen, line_total_fen) \
         VALUES ({id}, {offer}, {product}, 'x', '台', 1, {fen}, {fen})",
        fen = yuan * 100
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    id
}

async fn a_scan_finds_split_purchases_and_shared_contacts_and_the_regulator_triages(app: TestApp) {
    let (supplier, category): (i64, String) = sqlx::query_as(
        "SELECT o.supplier_id, MIN(p.category_code) FROM offers o JOIN products p ON p.id = o.product_id \
         GROUP BY o.supplier_id ORDER BY o.supplier_id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let units: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM purchasing_units WHERE id NOT IN (SELECT unit_id FROM orders WHERE created_at > 0) ORDER BY id LIMIT 2",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let units: Vec<i64> = if units.len() == 2 {
        units.into_iter().map(|(u,)| u).collect()
    } else {
        sqlx::query_as::<_, (i64,)>("SELECT id FROM purchasing_units ORDER BY id DESC LIMIT 2")
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .into_iter()
            .map(|(u,)| u)
            .collect()
    };
    // Must fire: three orders of 80,000 yuan within a week, each under the 200,000 cap,
    // together over it. Must not: two of 60,000 in another unit.
    let mut split = Vec::new();
    for d in [3, 5, 7] {
        split.push(order(&app, units[0], supplier, &category, 80_000, d).await);
    }
    for d in [3, 5] {
        order(&app, units[1], supplier, &category, 60_000, d).await;
    }
    // Two suppliers with the same phone, written differently.
    let pair: Vec<(i64,)> = sqlx::query_as("SELECT id FROM suppliers ORDER BY id DESC LIMIT 2")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    sqlx::query(&format!(
        "UPDATE suppliers SET phone = '+86 21 6123 4567' WHERE id = {}",
        pair[0].0
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE suppliers SET phone = '021-61234567' WHERE id = {}",
        pair[1].0
    ))
    .execute(app.db.pool())
    .await
    .unwrap();

    let (buyer, bt) = app.as_user("demo-buyer").await;
    assert_eq!(
        post_json(&app, &buyer, &bt, "/api/v1/alerts/scan", json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let first: Value = post_json(&app, &regulator, &rt, "/api/v1/alerts/scan", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(first["new"].as_u64().unwrap() >= 2, "{first}");
    let again: Value = post_json(&app, &regulator, &rt, "/api/v1/alerts/scan", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["new"], 0, "a second scan repeats nothing");
    assert_eq!(again["findings"], first["findings"]);

    let splits: Value = app
        .get_json(&regulator, "/api/v1/alerts?kind=split_purchase")
        .await;
    let mine: Vec<&Value> = splits
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["unit_id"] == units[0])
        .collect();
    assert_eq!(mine.len(), 1, "{splits}");
    split.sort_unstable();
    assert_eq!(
        mine[0]["orders"],
        json!(split),
        "the evidence names the three orders"
    );
    assert_eq!(mine[0]["amount"], 24_000_000);
    assert!(
        !splits
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["unit_id"] == units[1]),
        "under the cap together: no flag"
    );
    let shared: Value = app
        .get_json(&regulator, "/api/v1/alerts?kind=shared_contacts")
        .await;
    let mut expected = vec![pair[0].0, pair[1].0];
    expected.sort_unstable();
    assert!(
        shared
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["suppliers"] == json!(expected) && a["details"]["field"] == "phone"),
        "{shared}"
    );

    // Triage: a dismissal says why; acting is a credit entry naming the alert.
    let id = mine[0]["id"].as_i64().unwrap();
    let triage = format!("/api/v1/alerts/{id}/triage");
    let (operator, ot) = app.as_user("demo-operator").await;
    assert_eq!(
        post_json(
            &app,
            &operator,
            &ot,
            &triage,
            json!({"decision": "confirm"})
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_json(
            &app,
            &regulator,
            &rt,
            &triage,
            json!({"decision": "dismiss"})
        )
        .await
        .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post_json(
            &app,
            &regulator,
            &rt,
            &triage,
            json!({"decision": "confirm", "note": "已核实"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    let r = post_json(
        &app,
        &regulator,
        &rt,
        &format!("/api/v1/suppliers/{supplier}/credit-entries"),
        json!({"kind": "warning", "reason": "配合拆分采购", "alert_id": id, "orders": split}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let alert: Value = app
        .get_json(&regulator, &format!("/api/v1/alerts/{id}"))
        .await;
    assert_eq!(alert["status"], "acted");
    let page = app
        .get_text(&regulator, &format!("/console/alerts/{id}"))
        .await;
    assert!(
        page.contains(r#"id="alert-evidence""#),
        "the alert's page lists its evidence"
    );
    for o in &split {
        assert!(
            page.contains(&format!("/orders/{o}")),
            "order {o} is linked"
        );
    }
    // Measures in words and yuan, the category by name: no fen, no keys, no codes.
    let facts = &page[page.find(r#"id="alert-facts""#).unwrap()..];
    let facts = &facts[..facts.find("</dl>").unwrap()];
    assert!(facts.contains("订单") && facts.contains('¥'), "{facts}");
    for raw in ["count ", "cap ", "threshold", "_bp", "#"] {
        assert!(!facts.contains(raw), "{raw} in {facts}");
    }
    assert!(
        !facts.contains(alert["category_code"].as_str().unwrap_or("-")),
        "{facts}"
    );
}

/// A third price change within 90 days raises a red flag within a second, with no scan;
/// an offer changed twice raises none.
async fn repeated_price_changes_are_flagged_as_they_happen(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    // Two on-sale offers of the supplier, below the reference price, with no recent changes.
    let recent = emall_store::clock::now() - 100 * 86_400;
    let offers: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT o.id, o.price_fen FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN users u ON u.supplier_id = o.supplier_id WHERE u.username = 'demo-supplier' \
         AND o.status = 'on_sale' AND o.price_fen < p.ref_price_fen AND o.price_fen > 10000 \
         AND NOT EXISTS (SELECT 1 FROM offer_tiers t WHERE t.offer_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM offer_price_history h WHERE h.offer_id = o.id AND h.changed_at > {recent}) \
         ORDER BY o.id LIMIT 2"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        offers.len(),
        2,
        "the demo supplier has offers without price history"
    );
    let reprice = |offer: i64, price: i64| {
        let supplier = supplier.clone();
        let st = st.clone();
        let url = app.url(&format!("/api/v1/offers/{offer}"));
        async move {
            let r = supplier
                .patch(url)
                .header("x-csrf-token", &st)
                .json(&json!({"price_fen": price, "reason": "促销调价 / promotion"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
        }
    };
    let (flagged, flagged_price) = offers[0];
    let (calm, calm_price) = offers[1];
    for step in 1..=3 {
        reprice(flagged, flagged_price - step * 100).await;
    }
    for step in 1..=2 {
        reprice(calm, calm_price - step * 100).await;
    }
    let (regulator, _) = app.as_user("demo-regulator").await;
    let started = std::time::Instant::now();
    let alert = loop {
        let alerts: Value = app
            .get_json(
                &regulator,
                "/api/v1/alerts?kind=repeated_price_changes&status=all",
            )
            .await;
        let found = alerts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["offers"].as_array().unwrap().contains(&json!(flagged)))
            .cloned();
        if let Some(a) = found {
            break a;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "no red flag within a second of the third change"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(alert["status"], "open");
    let alerts: Value = app
        .get_json(
            &regulator,
            "/api/v1/alerts?kind=repeated_price_changes&status=all",
        )
        .await;
    assert!(
        !alerts
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["offers"].as_array().unwrap().contains(&json!(calm))),
        "two changes are no red flag"
    );
}
