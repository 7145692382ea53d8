//! 信用记录: a suspension takes the supplier's offers out of search at once and returns
//! them at its end or when an appeal succeeds; the record is public; only the regulator
//! records and decides, only the supplier appeals, once.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

on_both_backends!(
    a_suspension_empties_search_at_once_and_an_appeal_or_its_end_restores_it,
    warnings_and_revocations_and_who_may_do_what,
);

/// A product the supplier sells in its first city, with the offer's id and the city.
async fn sold_by(app: &TestApp, supplier_id: i64) -> (String, i64, String) {
    sqlx::query_as(&format!(
        "SELECT p.title, o.id, oc.city FROM offers o JOIN products p ON p.id = o.product_id \
         JOIN offer_cities oc ON oc.offer_id = o.id WHERE o.supplier_id = {supplier_id} AND o.status = 'on_sale' AND o.price_fen > 1000 \
         ORDER BY o.price_fen, o.id LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

/// Polls search until the supplier's offer is (or is not) among the offers behind the
/// product's hit, within a second.
async fn wait_in_search(app: &TestApp, title: &str, city: &str, supplier: &str, present: bool) {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let found: Value = app
            .client
            .get(app.url("/api/v1/search"))
            .query(&[("city", city), ("q", title)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let listed = found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["title"] == title && h["best_supplier"] == supplier);
        if listed == present {
            return;
        }
        assert!(Instant::now() < deadline, "search within a second: {found}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_suspension_empties_search_at_once_and_an_appeal_or_its_end_restores_it(app: TestApp) {
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let (name,): (String,) = sqlx::query_as(&format!(
        "SELECT name FROM suppliers WHERE id = {supplier_id}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (title, offer, city) = sold_by(&app, supplier_id).await;
    // Make it the cheapest, so it is the hit's best offer.
    sqlx::query(&format!(
        "UPDATE offers SET price_fen = 1 WHERE id = {offer}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {offer}"))
        .await;
    app.announce(emall_server::changes::Change::products([product]))
        .await;
    wait_in_search(&app, &title, &city, &name, true).await;

    let (regulator, rt) = app.as_user("demo-regulator").await;
    let path = format!("/api/v1/suppliers/{supplier_id}/credit-entries");
    let r = post_json(
        &app,
        &regulator,
        &rt,
        &path,
        json!({"kind": "suspension", "reason": "串通报价", "days": 10, "orders": [1, 2]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let entry = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    wait_in_search(&app, &title, &city, &name, false).await;
    assert_eq!(app.id(&format!("SELECT CASE status WHEN 'suspended' THEN 1 ELSE 0 END FROM suppliers WHERE id = {supplier_id}")).await, 1);
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(public[0]["kind"], "suspension");
    assert_eq!(public[0]["orders"], json!([1, 2]));
    let storefront = app
        .get(&format!("/supplier/{supplier_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        storefront.contains("串通报价"),
        "the storefront shows the record"
    );

    // The supplier appeals once; the regulator overturns it: back at once.
    let (supplier, st) = app.as_user("demo-supplier").await;
    let appeal = format!("/api/v1/credit-entries/{entry}/appeal");
    assert_eq!(
        post_json(&app, &supplier, &st, &appeal, json!({"text": ""}))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post_json(
            &app,
            &supplier,
            &st,
            &appeal,
            json!({"text": "报价系独立作出，附证明材料"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        post_json(&app, &supplier, &st, &appeal, json!({"text": "再次申诉"}))
            .await
            .status(),
        StatusCode::CONFLICT,
        "once"
    );
    // The kept storefront follows at once: the entry is under appeal.
    let storefront = app
        .get(&format!("/supplier/{supplier_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        storefront.contains("申诉中"),
        "the storefront shows the appeal"
    );
    let decision = format!("/api/v1/credit-entries/{entry}/decision");
    assert_eq!(
        post_json(
            &app,
            &supplier,
            &st,
            &decision,
            json!({"decision": "overturn", "note": "x"})
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
            &decision,
            json!({"decision": "overturn", "note": "证据不足，撤销处理"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    wait_in_search(&app, &title, &city, &name, true).await;
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(public, json!([]), "an overturned entry is not shown");

    // A second suspension runs out: the timer restores the supplier.
    let r = post_json(
        &app,
        &regulator,
        &rt,
        &path,
        json!({"kind": "suspension", "reason": "逾期未发货", "days": 3}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    wait_in_search(&app, &title, &city, &name, false).await;
    sqlx::query(&format!("UPDATE credit_entries SET ends_at = {} WHERE supplier_id = {supplier_id} AND state = 'in_force'", emall_store::clock::now() - 1))
        .execute(app.db.pool())
        .await
        .unwrap();
    let now = emall_store::clock::now();
    let (a, b) = tokio::join!(
        emall_server::timers::run_once(&app.state, now, false),
        emall_server::timers::run_once(&app.state, now, false),
    );
    assert_eq!(
        a.unwrap().suspensions_ended + b.unwrap().suspensions_ended,
        1,
        "ended once"
    );
    wait_in_search(&app, &title, &city, &name, true).await;
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(
        public[0]["state"], "ended",
        "an ended suspension stays on the record for the clean period"
    );
}

async fn warnings_and_revocations_and_who_may_do_what(app: TestApp) {
    let supplier_id = app
        .id("SELECT MIN(supplier_id) FROM users WHERE role = 'supplier' AND username <> 'demo-supplier'")
        .await;
    let path = format!("/api/v1/suppliers/{supplier_id}/credit-entries");
    let status_sql = format!("SELECT CASE status WHEN 'admitted' THEN 0 WHEN 'suspended' THEN 1 ELSE 2 END FROM suppliers WHERE id = {supplier_id}");
    let status = || app.id(&status_sql);
    let (operator, ot) = app.as_user("demo-operator").await;
    assert_eq!(
        post_json(
            &app,
            &operator,
            &ot,
            &path,
            json!({"kind": "warning", "reason": "x"})
        )
        .await
        .status(),
        StatusCode::FORBIDDEN,
        "the regulator records"
    );
    let (regulator, rt) = app.as_user("demo-regulator").await;
    for (body, field) in [
        (json!({"kind": "warning", "reason": " "}), "reason"),
        (json!({"kind": "suspension", "reason": "x"}), "days"),
        (
            json!({"kind": "suspension", "reason": "x", "days": 400}),
            "days",
        ),
    ] {
        let r = post_json(&app, &regulator, &rt, &path, body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            r.json::<Value>().await.unwrap()["error"]["fields"][field].is_string(),
            "{body}"
        );
    }
    assert_eq!(
        post_json(
            &app,
            &regulator,
            &rt,
            "/api/v1/suppliers/999999/credit-entries",
            json!({"kind": "warning", "reason": "x"})
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    let r = post_json(
        &app,
        &regulator,
        &rt,
        &path,
        json!({"kind": "warning", "reason": "价格多次异常调整"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(status().await, 0, "a warning does not stop sales");
    let entry = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (stranger, st) = app.as_user("demo-supplier").await;
    assert_eq!(
        post_json(
            &app,
            &stranger,
            &st,
            &format!("/api/v1/credit-entries/{entry}/appeal"),
            json!({"text": "x"})
        )
        .await
        .status(),
        StatusCode::FORBIDDEN,
        "another supplier's entry"
    );
    assert_eq!(
        post_json(
            &app,
            &regulator,
            &rt,
            &format!("/api/v1/credit-entries/{entry}/decision"),
            json!({"decision": "uphold", "note": "x"})
        )
        .await
        .status(),
        StatusCode::CONFLICT,
        "nothing to decide"
    );
    let r = post_json(
        &app,
        &regulator,
        &rt,
        &path,
        json!({"kind": "revocation", "reason": "提供虚假资质材料"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(status().await, 2, "清退");
    let public: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(public.as_array().unwrap().len(), 2);
}
