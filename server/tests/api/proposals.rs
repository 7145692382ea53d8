//! Standard-product proposals: a known brand and model is answered at once; the operator
//! approves (a new product the supplier may list), merges or rejects.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    proposals_are_matched_approved_merged_or_rejected,
    proposals_are_decided_with_plain_forms,
    a_product_is_proposed_with_a_plain_form,
);

async fn proposals_are_matched_approved_merged_or_rejected(app: TestApp) {
    let (brand, model, category): (String, String, String) =
        sqlx::query_as("SELECT brand, model, category_code FROM products ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (supplier, st) = app.as_user("demo-supplier").await;
    let propose = |brand: &str, model: &str| {
        let body = json!({
            "category_code": category, "brand": brand, "model": model,
            "title": format!("{brand} {model} 新品"), "unit": "台",
            "reference_price": "1,699.00", "reference_source": "品牌官网报价",
        });
        let (supplier, st, url) = (
            supplier.clone(),
            st.clone(),
            app.url("/api/v1/product-proposals"),
        );
        async move {
            supplier
                .post(url)
                .header("x-csrf-token", st)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let known = propose(&format!(" {brand} "), &model.to_lowercase()).await;
    assert_eq!(known.status(), StatusCode::OK, "same brand and model");
    assert_eq!(known.json::<Value>().await.unwrap()["state"], "exists");

    let fresh = propose("测试品牌", "TP-2026").await;
    assert_eq!(fresh.status(), StatusCode::CREATED);
    let first = fresh.json::<Value>().await.unwrap()["proposal_id"]
        .as_i64()
        .unwrap();
    let second = propose("测试品牌", "TP-2027")
        .await
        .json::<Value>()
        .await
        .unwrap()["proposal_id"]
        .as_i64()
        .unwrap();
    let third = propose("测试品牌", "TP-2028")
        .await
        .json::<Value>()
        .await
        .unwrap()["proposal_id"]
        .as_i64()
        .unwrap();

    let (operator, ot) = app.as_user("demo-operator").await;
    let queue: Value = app.get_json(&operator, "/api/v1/product-proposals").await;
    assert_eq!(queue.as_array().unwrap().len(), 3);
    let page = app.get_text(&operator, "/console/listings").await;
    assert!(
        page.contains(r#"id="proposal-queue""#) && page.contains("TP-2027"),
        "the operator's queue lists the proposals"
    );
    let decide = |id: i64, body: Value| {
        let (operator, ot, url) = (
            operator.clone(),
            ot.clone(),
            app.url(&format!("/api/v1/product-proposals/{id}/decision")),
        );
        async move {
            operator
                .post(url)
                .header("x-csrf-token", ot)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let approved: Value = decide(first, json!({"decision": "approve"}))
        .await
        .json()
        .await
        .unwrap();
    let product = approved["product_id"].as_i64().unwrap();
    // Nobody sells it yet: the catalogue lookup finds it, search (offers in a city) does not.
    let found: Value = app
        .get_json(
            &supplier,
            "/api/v1/catalogue/products?q=%E6%B5%8B%E8%AF%95%E5%93%81%E7%89%8C%20tp-2026",
        )
        .await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["id"], product);
    let wildcard: Value = app
        .get("/api/v1/catalogue/products?q=%25")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(wildcard, json!([]), "LIKE wildcards are not patterns");
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM products WHERE id = {product} AND model = 'TP-2026'"
        ))
        .await,
        1
    );
    let merged: Value = decide(second, json!({"decision": "merge", "product_id": product}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(merged["product_id"], product);
    assert_eq!(
        decide(third, json!({"decision": "reject"})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason"
    );
    assert_eq!(
        decide(
            third,
            json!({"decision": "reject", "note": "与现有商品重复"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        decide(third, json!({"decision": "approve"})).await.status(),
        StatusCode::CONFLICT
    );

    // The supplier lists the new standard product.
    let city = app.id("SELECT MIN(CAST(city AS BIGINT)) FROM supplier_cities WHERE supplier_id = (SELECT supplier_id FROM users WHERE username = 'demo-supplier')").await;
    let r = supplier
        .post(app.url("/api/v1/offers"))
        .header("x-csrf-token", &st)
        .json(&json!({"product_id": product, "price_fen": 160_000, "stock": 5, "delivery_days": 3, "cities": [city.to_string()]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "on_sale");
    let mine = app.get_text(&supplier, "/workbench/listings").await;
    assert!(
        mine.contains(r#"id="my-proposals""#) && mine.contains("与现有商品重复"),
        "the supplier sees what became of its proposals, with the reason"
    );
}

/// Without script: each pending proposal on the operator's queue is a form, offering the
/// catalogue's products of its brand to merge into; a refusal needs its reason.
async fn proposals_are_decided_with_plain_forms(app: TestApp) {
    let (brand, category): (String, String) =
        sqlx::query_as("SELECT brand, category_code FROM products ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (supplier, st) = app.as_user("demo-supplier").await;
    let mut ids = Vec::new();
    for model in ["PF-1", "PF-2"] {
        let body = json!({
            "category_code": category, "brand": brand, "model": model,
            "title": format!("{brand} {model} 新品"), "unit": "台",
            "reference_price": "99.00", "reference_source": "品牌官网报价",
        });
        let r = crate::helpers::post_json(&app, &supplier, &st, "/api/v1/product-proposals", body)
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(
            r.json::<Value>().await.unwrap()["proposal_id"]
                .as_i64()
                .unwrap(),
        );
    }
    // The first of the brand's products as the catalogue lists them (by title).
    let target = app
        .id(&format!(
            "SELECT id FROM products WHERE title LIKE '%{brand}%' OR brand LIKE '%{brand}%' \
             OR brand_en LIKE '%{brand}%' OR model LIKE '%{brand}%' ORDER BY title, id LIMIT 1"
        ))
        .await;
    let (operator, ot) = app.as_user("demo-operator").await;
    let queue = app.get_text(&operator, "/console/listings").await;
    assert!(queue.contains(&format!("action=\"/console/proposals/{}\"", ids[0])));
    assert!(
        queue.contains(&format!("name=\"merge\" value=\"{target}\"")),
        "a product of the brand is offered to merge into"
    );
    let send = |id: i64, fields: Vec<(&'static str, String)>| {
        let mut fields = fields;
        fields.push(("csrf_token", ot.clone()));
        let request = operator
            .post(app.url(&format!("/console/proposals/{id}")))
            .header("referer", app.url("/console/listings"))
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let state = |id: i64| format!("SELECT state FROM product_proposals WHERE id = {id}");
    // A refusal without its reason is not recorded, and says so.
    let r = send(ids[0], vec![("decision", "reject".into())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_text(&operator, "/console/listings")
        .await
        .contains("未完成：请填写理由。"));
    let (pending,): (String,) = sqlx::query_as(&state(ids[0]))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(pending, "pending");
    // Merged into the product offered; the other refused with its reason.
    let r = send(
        ids[0],
        vec![("merge", target.to_string()), ("note", String::new())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_text(&operator, "/console/listings")
        .await
        .contains("已认定为目录中的已有商品"));
    let r = send(
        ids[1],
        vec![("decision", "reject".into()), ("note", "信息不全".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for (id, expected) in [(ids[0], "merged"), (ids[1], "rejected")] {
        let (now,): (String,) = sqlx::query_as(&state(id))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(now, expected);
    }
    let (merged_into,): (Option<i64>,) = sqlx::query_as(&format!(
        "SELECT product_id FROM product_proposals WHERE id = {}",
        ids[0]
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(merged_into, Some(target));
    // Only the operator decides.
    let r = supplier
        .post(app.url(&format!("/console/proposals/{}", ids[1])))
        .form(&[("csrf_token", st.as_str()), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Without script: the listings page's proposal form. Refused, the page again with the
/// fields as typed and each one's fault; a brand and model the catalogue has leads to that
/// product chosen for listing; a new one waits for the operator.
async fn a_product_is_proposed_with_a_plain_form(app: TestApp) {
    let (id, brand, model, category): (i64, String, String, String) =
        sqlx::query_as("SELECT id, brand, model, category_code FROM products ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let (supplier, st) = app.as_user("demo-supplier").await;
    let propose = |brand: &str, model: &str, price: &str| {
        let fields = [
            ("csrf_token", st.clone()),
            ("category_code", category.clone()),
            ("brand", brand.to_string()),
            ("model", model.to_string()),
            ("title", format!("{brand} {model} 新品")),
            ("unit", "台".to_string()),
            ("reference_price", price.to_string()),
            ("reference_source", "品牌官网报价".to_string()),
        ];
        let request = supplier.post(app.url("/workbench/proposals")).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let r = propose("表单品牌", "FM-1", "九十九元").await;
    assert_eq!(r.status(), StatusCode::OK);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("value=\"九十九元\"") && refused.contains("value=\"FM-1\""),
        "as typed"
    );
    assert!(
        refused.contains("价格请填写金额"),
        "the price's fault is named"
    );
    // The catalogue has it: back to the listings with that product chosen.
    let r = propose(&brand, &model, "99.00").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert!(back.ends_with(&format!("&pick={id}#add-heading")), "{back}");
    let page = app.get_text(&supplier, &back).await;
    assert!(page.contains("中为您选中"), "said");
    assert!(page.contains("id=\"chosen-product\""), "{back}: chosen");
    // A new one waits for the operator.
    let r = propose("表单品牌", "FM-1", "99.00").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_text(&supplier, "/workbench/listings")
        .await
        .contains("等待运营审核"));
    let pending =
        "SELECT COUNT(*) FROM product_proposals WHERE model = 'FM-1' AND state = 'pending'";
    assert_eq!(app.id(pending).await, 1);
}
