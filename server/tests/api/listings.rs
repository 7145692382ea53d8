//! New listings and price changes through the listing checks, and the operator's queue.

use crate::helpers::{post_json as post, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    new_listings_go_live_or_wait_for_review_with_their_reasons,
    a_price_above_the_reference_waits_while_the_old_one_stays_live,
    offers_go_on_and_off_sale_unless_held_or_suspended,
    an_offer_is_edited_with_its_plain_form,
    a_product_is_found_chosen_and_listed_with_plain_forms,
);

pub struct Setup {
    pub supplier_id: i64,
    pub city: String,
    /// Products the demo supplier does not list yet, with their reference prices.
    pub products: Vec<(i64, i64)>,
}

/// The demo supplier, a city it serves, and products it does not list yet.
pub async fn setup(app: &TestApp) -> Setup {
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let (city,): (String,) = sqlx::query_as(&format!(
        "SELECT city FROM supplier_cities WHERE supplier_id = {supplier_id} ORDER BY city LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let products: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, ref_price_fen FROM products WHERE ref_price_fen >= 1000 AND id NOT IN \
         (SELECT product_id FROM offers WHERE supplier_id = {supplier_id}) ORDER BY id LIMIT 3"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    Setup {
        supplier_id,
        city,
        products,
    }
}

async fn new_listings_go_live_or_wait_for_review_with_their_reasons(app: TestApp) {
    let s = setup(&app).await;
    let (supplier, st) = app.as_user("demo-supplier").await;
    let offer = |product: i64, price: i64, city: &str| json!({"product_id": product, "price_fen": price, "stock": 50, "delivery_days": 2, "cities": [city]});
    let (p1, ref1) = s.products[0];
    let r = post(
        &app,
        &supplier,
        &st,
        "/api/v1/offers",
        offer(p1, ref1, &s.city),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let live: Value = r.json().await.unwrap();
    assert_eq!(live["status"], "on_sale");
    let again = post(
        &app,
        &supplier,
        &st,
        "/api/v1/offers",
        offer(p1, ref1 - 1, &s.city),
    )
    .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one live offer per product"
    );
    let body: Value = again.json().await.unwrap();
    assert!(body["error"]["fields"]["product_id"]
        .as_str()
        .unwrap()
        .contains("已有"));
    let beijing = post(
        &app,
        &supplier,
        &st,
        "/api/v1/offers",
        offer(s.products[1].0, 100, "110100"),
    )
    .await;
    assert_eq!(
        beijing.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a city not served"
    );

    let (p2, ref2) = s.products[1];
    let r = post(
        &app,
        &supplier,
        &st,
        "/api/v1/offers",
        offer(p2, ref2 + 100, &s.city),
    )
    .await;
    let held: Value = r.json().await.unwrap();
    assert_eq!(held["status"], "in_review");
    assert_eq!(held["flags"][0]["kind"], "above_reference");
    let (p3, ref3) = s.products[2];
    let unit = post(&app, &supplier, &st, "/api/v1/offers", json!({"product_id": p3, "price_fen": ref3 / 10, "stock": 5, "delivery_days": 2, "cities": [s.city], "unit": "张"})).await;
    let unit: Value = unit.json().await.unwrap();
    let kinds: Vec<&str> = unit["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"implausible_price"), "{unit}");

    let (operator, ot) = app.as_user("demo-operator").await;
    let queue: Value = app.get_json(&operator, "/api/v1/offer-reviews").await;
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["offer_id"] == held["id"])
        .expect("in the queue")
        .clone();
    assert_eq!(item["reference_price"], ref2);
    assert_eq!(item["proposed_price"], ref2 + 100);
    assert_eq!(item["supplier_id"], s.supplier_id);
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let path = format!("/api/v1/offer-reviews/{}/decision", item["id"]);
    assert_eq!(
        post(&app, &buyer, &bt, &path, json!({"decision": "approve"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(
            &app,
            &operator,
            &ot,
            &path,
            json!({"decision": "approve", "note": "品牌溢价合理"})
        )
        .await
        .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        post(&app, &operator, &ot, &path, json!({"decision": "reject"}))
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM offers WHERE id = {} AND status = 'on_sale'",
            held["id"]
        ))
        .await,
        1
    );

    // A supplier awaiting admission cannot list.
    let pending = app.id("SELECT MIN(u.id) FROM users u JOIN suppliers s ON s.id = u.supplier_id WHERE s.status = 'pending'").await;
    let (name,): (String,) =
        sqlx::query_as(&format!("SELECT username FROM users WHERE id = {pending}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (p, pt) = app.as_user(&name).await;
    assert_eq!(
        post(&app, &p, &pt, "/api/v1/offers", offer(p1, ref1, &s.city))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

async fn a_price_above_the_reference_waits_while_the_old_one_stays_live(app: TestApp) {
    let s = setup(&app).await;
    let (supplier, st) = app.as_user("demo-supplier").await;
    let (product, reference) = s.products[0];
    let created: Value = post(&app, &supplier, &st, "/api/v1/offers", json!({"product_id": product, "price_fen": reference - 10, "stock": 9, "delivery_days": 3, "cities": [s.city]})).await.json().await.unwrap();
    let offer = created["id"].as_i64().unwrap();
    let r = supplier
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("x-csrf-token", &st)
        .json(&json!({"price_fen": reference + 500, "stock": 20, "reason": "原材料上涨"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let (price, stock): (i64, i64) = sqlx::query_as(&format!(
        "SELECT price_fen, stock FROM offers WHERE id = {offer}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (price, stock),
        (reference - 10, 20),
        "old price live, the stock changed"
    );
    let (operator, ot) = app.as_user("demo-operator").await;
    let queue: Value = app.get_json(&operator, "/api/v1/offer-reviews").await;
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["offer_id"] == offer)
        .unwrap()
        .clone();
    assert_eq!(item["kind"], "price_change");
    assert_eq!(item["reason"], "原材料上涨");
    let mine: Value = app.get_json(&supplier, "/api/v1/offer-reviews").await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|r| r["supplier_id"] == s.supplier_id),
        "a supplier sees its own"
    );
    let path = format!("/api/v1/offer-reviews/{}/decision", item["id"]);
    assert_eq!(
        post(&app, &operator, &ot, &path, json!({"decision": "approve"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.id(&format!("SELECT price_fen FROM offers WHERE id = {offer}"))
            .await,
        reference + 500
    );
    assert_eq!(
        app.id(&format!("SELECT COUNT(*) FROM offer_price_history WHERE offer_id = {offer} AND reason = '原材料上涨'")).await,
        1,
        "the history keeps the supplier's reason"
    );
}

async fn offers_go_on_and_off_sale_unless_held_or_suspended(app: TestApp) {
    let s = setup(&app).await;
    let (supplier, st) = app.as_user("demo-supplier").await;
    let offer = app
        .id(&format!(
            "SELECT MIN(id) FROM offers WHERE supplier_id = {} AND status = 'on_sale'",
            s.supplier_id
        ))
        .await;
    let patch = |body: Value| {
        let (supplier, st, url) = (
            supplier.clone(),
            st.clone(),
            app.url(&format!("/api/v1/offers/{offer}")),
        );
        async move {
            supplier
                .patch(url)
                .header("x-csrf-token", st)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let status_sql = format!("SELECT CASE status WHEN 'on_sale' THEN 1 WHEN 'off_sale' THEN 0 ELSE -1 END FROM offers WHERE id = {offer}");
    let status = || app.id(&status_sql);
    assert_eq!(
        patch(json!({"status": "off_sale", "delivery_days": 7}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(status().await, 0, "off sale");
    assert_eq!(
        app.id(&format!(
            "SELECT delivery_days FROM offers WHERE id = {offer}"
        ))
        .await,
        7
    );
    assert_eq!(
        patch(json!({"delivery_days": 91})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        patch(json!({"status": "on_sale"})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(status().await, 1, "back on sale");

    for locked in ["suspended", "in_review"] {
        sqlx::query(&format!(
            "UPDATE offers SET status = '{locked}' WHERE id = {offer}"
        ))
        .execute(app.db.pool())
        .await
        .unwrap();
        let r = patch(json!({"status": "on_sale"})).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "a {locked} offer is not put on sale by its supplier"
        );
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["status"].is_string());
        assert_eq!(status().await, -1, "still {locked}");
    }
}

/// The listings page's offer form without script: yuan and whole numbers as typed; saved
/// or refused beside the offer, the page it was sent from kept.
async fn an_offer_is_edited_with_its_plain_form(app: TestApp) {
    let offer = crate::catalogue::demo_supplier_offer(&app, "").await;
    let (supplier, token) = app.as_user("demo-supplier").await;
    // Each offer is a form whose boxes hold its numbers as they are.
    let page = app.get_text(&supplier, "/workbench/listings").await;
    assert!(
        page.contains("action=\"/workbench/listings/") && page.contains("name=\"price\""),
        "the offers are forms"
    );
    let (price, stock): (i64, i64) = sqlx::query_as(&format!(
        "SELECT price_fen, stock FROM offers WHERE id = {offer}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let was = emall_domain::Fen(price).to_plain_yuan();
    assert!(
        page.contains("inputmode=\"decimal\" value=\""),
        "the price boxes hold the prices without script"
    );
    let url = app.url(&format!("/workbench/listings/{offer}?q=&status=&page=1"));
    let send = |fields: Vec<(&'static str, String)>| {
        let request = supplier.post(&url).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let form = |price: &str, stock: &str, reason: &str| {
        vec![
            ("csrf_token", token.clone()),
            ("was", was.clone()),
            ("price", price.to_string()),
            ("stock", stock.to_string()),
            ("delivery_days", "3".to_string()),
            ("reason", reason.to_string()),
        ]
    };
    // Stock alone: the price unchanged needs no reason.
    let r = send(form(&was, &(stock + 5).to_string(), "")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        back,
        format!("/workbench/listings?q=&status=&page=1&edited={offer}&outcome=saved#offer-{offer}")
    );
    let shown = app.get_text(&supplier, &back).await;
    assert!(shown.contains("已保存"), "said beside the offer");
    let (now,): (i64,) = sqlx::query_as(&format!("SELECT stock FROM offers WHERE id = {offer}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(now, stock + 5);
    // A lower price without its reason: refused in place, nothing changed.
    let lower = emall_domain::Fen(price - 1).to_plain_yuan();
    let r = send(form(&lower, &stock.to_string(), "")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"edit-error\""), "{refused}");
    let r = send(form("十元", &stock.to_string(), "")).await;
    assert!(r.text().await.unwrap().contains("id=\"edit-error\""));
    let (unchanged,): (i64,) =
        sqlx::query_as(&format!("SELECT price_fen FROM offers WHERE id = {offer}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(unchanged, price);
    // With its reason the price is live.
    let r = send(form(&lower, &stock.to_string(), "促销")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Off sale by its own button; a forged post without the token does nothing.
    let r = supplier
        .post(&url)
        .form(&[("status", "off_sale")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = send(vec![
        ("csrf_token", token.clone()),
        ("status", "off_sale".to_string()),
    ])
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, now): (String, i64) = sqlx::query_as(&format!(
        "SELECT status, price_fen FROM offers WHERE id = {offer}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((status.as_str(), now), ("off_sale", price - 1));
    // Another supplier cannot touch it.
    let other = app
        .id(&format!(
            "SELECT MIN(u.id) FROM users u JOIN offers o ON o.supplier_id <> u.supplier_id \
             WHERE u.role = 'supplier' AND o.id = {offer}"
        ))
        .await;
    let (username,): (String,) =
        sqlx::query_as(&format!("SELECT username FROM users WHERE id = {other}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (intruder, it) = app.as_user(&username).await;
    let r = intruder
        .post(&url)
        .form(&[("csrf_token", it), ("status".into(), "on_sale".into())])
        .send()
        .await
        .unwrap();
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
}

/// 新增挂牌 without script: a search reloads the page with what it found, a link chooses a
/// product, and the listing form lists it; a price that is not one comes back as typed.
async fn a_product_is_found_chosen_and_listed_with_plain_forms(app: TestApp) {
    let s = setup(&app).await;
    let (product, reference) = s.products[0];
    let (model,): (String,) =
        sqlx::query_as(&format!("SELECT model FROM products WHERE id = {product}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (supplier, st) = app.as_user("demo-supplier").await;
    let find = emall_app::format::urlencode(&model);
    let found = app
        .get_text(&supplier, &format!("/workbench/listings?find={find}"))
        .await;
    let pick = format!("pick={product}");
    assert!(found.contains(&pick), "the product found, with its link");
    let chosen = app
        .get_text(
            &supplier,
            &format!("/workbench/listings?find={find}&{pick}"),
        )
        .await;
    assert!(
        chosen.contains("action=\"/workbench/offers\"") && chosen.contains("id=\"chosen-product\"")
    );
    let list = |price: String| {
        let request = supplier.post(app.url("/workbench/offers")).form(&[
            ("csrf_token", st.clone()),
            ("product_id", product.to_string()),
            ("find", model.clone()),
            ("price", price),
            ("stock", "40".to_string()),
            ("delivery_days", "2".to_string()),
        ]);
        async move { request.send().await.unwrap() }
    };
    let r = list("十元".into()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("id=\"offer-said\"") && refused.contains("value=\"十元\""),
        "{refused}"
    );
    let r = list(emall_domain::Fen(reference - 10).to_plain_yuan()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_text(&supplier, "/workbench/listings").await;
    assert!(page.contains("id=\"notice\""), "the listing is said");
    let listed = format!(
        "SELECT COUNT(*) FROM offers WHERE supplier_id = {} AND product_id = {product} AND status = 'on_sale'",
        s.supplier_id
    );
    assert_eq!(app.id(&listed).await, 1);
}
