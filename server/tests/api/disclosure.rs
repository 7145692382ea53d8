//! 信息公开: results at or above the disclosure amount, public without signing in; units
//! publish and withdraw procurement intentions, with every field error at once; the public
//! page shows results, pool results, credit records and intentions.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    results_above_the_disclosure_amount_are_public,
    units_publish_and_withdraw_procurement_intentions,
);

async fn results_above_the_disclosure_amount_are_public(app: TestApp) {
    let anonymous = crate::helpers::client();
    let r = anonymous
        .get(app.url("/api/v1/disclosure/results?limit=200"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let results: Vec<Value> = r.json().await.unwrap();
    let (expected,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE total_fen >= 1000000 AND status IN \
         ('placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced', 'paid')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(expected > 0, "the demo has orders above 10,000 yuan");
    assert_eq!(results.len() as i64, expected.min(200));
    for o in &results {
        assert!(o["total"].as_i64().unwrap() >= 1_000_000, "{o}");
        assert!(!o["supplier_name"].as_str().unwrap().is_empty());
    }
    let dates: Vec<&str> = results
        .iter()
        .map(|o| o["placed_at"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert!(dates == sorted, "newest first");

    // The public page: results, closed pools, intentions, the open-data links.
    let html = app.get_text(&anonymous, "/disclosure").await;
    for needle in [
        "id=\"disclosed-results\"",
        "id=\"disclosed-pools\"",
        "/api/v1/ocds/orders",
        "成交结果公告",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

async fn units_publish_and_withdraw_procurement_intentions(app: TestApp) {
    let (buyer, token) = app.as_user("demo-buyer").await;
    let year = i64::from(emall_store::clock::year_of(emall_store::clock::now()));
    let publish = |body: Value| {
        let buyer = buyer.clone();
        let token = token.clone();
        let url = app.url("/api/v1/intentions");
        async move {
            buyer
                .post(url)
                .header("x-csrf-token", token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    // Every fault at once, in Chinese by default.
    let r = publish(
        json!({"year": year + 5, "month": 13, "title": "", "category_code": "", "budget": "0"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    for field in ["year", "month", "title", "category_code", "budget"] {
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    assert!(body["error"]["fields"]["year"]
        .as_str()
        .unwrap()
        .contains("年度"));
    // An unknown category is refused, nothing written.
    let r = publish(json!({"year": year, "month": 6, "title": "复印纸", "category_code": "Z99", "budget": "1000"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM procurement_intentions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);

    let r = publish(
        json!({"year": year + 1, "month": 3, "title": " 办公用复印纸 ", "category_code": "A05",
        "budget": "12,000.00", "description": "A4 70g，约 400 箱"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // Public, without signing in, in its year.
    let anonymous = crate::helpers::client();
    let list: Vec<Value> = anonymous
        .get(app.url(&format!("/api/v1/intentions?year={}", year + 1)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine = list.iter().find(|i| i["id"] == id).expect("published");
    assert_eq!(mine["title"], "办公用复印纸");
    assert_eq!(mine["budget"], 1_200_000);
    let html = app
        .get_text(&anonymous, &format!("/disclosure?year={}", year + 1))
        .await;
    assert!(html.contains("办公用复印纸"));

    // Suppliers cannot publish; another unit cannot withdraw it.
    let (supplier, st) = app.as_user("demo-supplier").await;
    let r = supplier
        .post(app.url("/api/v1/intentions"))
        .header("x-csrf-token", &st)
        .json(
            &json!({"year": year, "month": 3, "title": "x", "category_code": "A05", "budget": "1"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (other_buyer,): (String,) = sqlx::query_as(
        "SELECT username FROM users WHERE role = 'buyer' AND unit_id <> \
         (SELECT unit_id FROM users WHERE username = 'demo-buyer') ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (stranger, stoken) = app.as_user(&other_buyer).await;
    let r = stranger
        .post(app.url(&format!("/api/v1/intentions/{id}/withdraw")))
        .header("x-csrf-token", &stoken)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The unit withdraws it: gone from the public list, kept on the unit's record.
    let withdraw = || {
        buyer
            .post(app.url(&format!("/api/v1/intentions/{id}/withdraw")))
            .header("x-csrf-token", &token)
            .send()
    };
    assert_eq!(withdraw().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(withdraw().await.unwrap().status(), StatusCode::CONFLICT);
    let list: Vec<Value> = anonymous
        .get(app.url(&format!("/api/v1/intentions?year={}", year + 1)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(list.iter().all(|i| i["id"] != id));
    let home = app.get_text(&buyer, "/buyer").await;
    assert!(home.contains("办公用复印纸") && home.contains("已撤回"));
}

on_both_backends!(open_data_exports_are_ocds_release_packages);

/// Orders and pools as OCDS release packages: the public gets the disclosed orders, the
/// bureau every contracted one; amounts in yuan match the orders. The exports are written
/// to `target/ocds/` for the test command to validate with libcoveocds.
async fn open_data_exports_are_ocds_release_packages(app: TestApp) {
    let anonymous = crate::helpers::client();
    let public: Value = anonymous
        .get(app.url("/api/v1/ocds/orders?limit=5000"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(public["version"], "1.1");
    assert!(public["uri"].as_str().unwrap().starts_with("http://"));
    let disclosed = public["releases"].as_array().unwrap().len() as i64;
    let (expected,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE total_fen >= 1000000 AND status IN \
         ('placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced', 'paid')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(disclosed, expected);

    let (regulator, _) = app.as_user("demo-regulator").await;
    let all: Value = app
        .get_json(&regulator, "/api/v1/ocds/orders?limit=5000")
        .await;
    let releases = all["releases"].as_array().unwrap();
    let (contracted, fen): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(total_fen) AS BIGINT) FROM orders WHERE status IN \
         ('placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced', 'paid')",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(releases.len() as i64, contracted.min(5000));
    if contracted <= 5000 {
        let yuan: f64 = releases
            .iter()
            .map(|r| r["contracts"][0]["value"]["amount"].as_f64().unwrap())
            .sum();
        assert!((yuan - fen as f64 / 100.0).abs() < 0.5, "{yuan} vs {fen}");
    }
    let paid = releases
        .iter()
        .find(|r| r["contracts"][0]["implementation"]["transactions"].is_array())
        .expect("a paid order carries its payment");
    assert!(paid["tag"]
        .as_array()
        .unwrap()
        .contains(&json!("implementation")));
    for r in releases {
        assert!(r["ocid"]
            .as_str()
            .unwrap()
            .starts_with("ocds-emall0-order-"));
    }

    let pools: Value = anonymous
        .get(app.url("/api/v1/ocds/pools"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let awarded = pools["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["tender"]["status"] == "complete")
        .expect("the demo's awarded pool");
    assert_eq!(awarded["awards"][0]["status"], "active");
    assert!(pools["releases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["tender"]["status"] == "unsuccessful"));

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ocds");
    std::fs::create_dir_all(&dir).unwrap();
    let backend = format!("{:?}", app.backend).to_lowercase();
    for (name, package) in [
        ("orders", &all),
        ("public-orders", &public),
        ("pools", &pools),
    ] {
        std::fs::write(
            dir.join(format!("{backend}-{name}.json")),
            serde_json::to_vec(package).unwrap(),
        )
        .unwrap();
    }
}
