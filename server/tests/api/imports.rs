//! Bulk import and export of listings: a preview that names every bad row, all or nothing,
//! CSV (UTF-8 or GBK) and XLSX.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    an_import_reports_bad_rows_then_applies_all_or_nothing,
    exports_round_trip_through_csv_xlsx_and_gbk,
    a_thousand_rows_import_in_one_go,
);

async fn a_thousand_rows_import_in_one_go(app: TestApp) {
    // The demo catalogue has a few hundred products; variants make it over a thousand.
    for suffix in ["B", "C"] {
        sqlx::query(&format!(
            "INSERT INTO products (category_code, brand, model, title, unit, ref_price_fen, ref_price_source, ref_price_date, created_at) \
             SELECT category_code, brand, model || '-{suffix}', title || '（{suffix}）', unit, ref_price_fen, ref_price_source, ref_price_date, created_at \
             FROM products WHERE model NOT LIKE '%-B' AND model NOT LIKE '%-C'"
        ))
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let products: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT brand, model, ref_price_fen FROM products WHERE id NOT IN (SELECT product_id FROM offers WHERE supplier_id = {supplier_id}) ORDER BY id LIMIT 1000"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(products.len(), 1000);
    let mut csv = String::from("品牌,型号,单价（元）,库存,送达天数,供货城市\n");
    for (brand, model, reference) in &products {
        csv.push_str(&format!(
            "{brand},{model},{},50,2,上海市\n",
            emall_domain::Fen(*reference).to_plain_yuan()
        ));
    }
    let (supplier, st) = app.as_user("demo-supplier").await;
    // The preview runs in parts, yielding the writer between them, and still sees the file
    // whole: the last line repeats the first product, a thousand lines earlier.
    let (brand, model, reference) = &products[0];
    let repeated = format!(
        "{csv}{brand},{model},{},50,2,上海市\n",
        emall_domain::Fen(*reference).to_plain_yuan()
    );
    let preview: Value = send(&app, &supplier, &st, true, repeated.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["created"], 1000, "{}", preview["errors"]);
    let errors = preview["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["line"], 1002);
    assert!(
        errors[0]["message"].as_str().unwrap().contains('2'),
        "{errors:?}"
    );
    let report: Value = send(&app, &supplier, &st, false, csv.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["created"], 1000, "{}", report["errors"]);
    assert_eq!(report["held"], 0, "at the reference price nothing waits");
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    dry_run: bool,
    body: Vec<u8>,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/offers/import?dry_run={dry_run}")))
        .header("x-csrf-token", token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn an_import_reports_bad_rows_then_applies_all_or_nothing(app: TestApp) {
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let products: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, ref_price_fen FROM products WHERE id NOT IN (SELECT product_id FROM offers WHERE supplier_id = {supplier_id}) ORDER BY id"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert!(products.len() > 100, "{}", products.len());
    let mut good = String::from("商品编号,单价（元）,库存,送达天数,供货城市\n");
    for (i, (id, reference)) in products.iter().enumerate() {
        // The first row asks above the reference price: it will wait for review.
        let price = if i == 0 {
            reference + 100
        } else {
            reference - 1
        };
        good.push_str(&format!(
            "{id},{},{},3,310100\n",
            emall_domain::Fen(price).to_plain_yuan(),
            10 + i
        ));
    }
    let mut bad = good.clone();
    bad.push_str(&format!("{},abc,5,3,310100\n", products[1].0));
    bad.push_str("999999,10.00,5,3,310100\n");
    bad.push_str(&format!("{},10.00,5,3,北京市\n", products[2].0));
    let bad_lines = products.len() + 2..=products.len() + 4;

    let (supplier, st) = app.as_user("demo-supplier").await;
    let offers_before = app
        .id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id}"
        ))
        .await;
    let on_sale = format!(
        "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND status = 'on_sale'"
    );
    let on_sale_before = app.id(&on_sale).await;
    let preview: Value = send(&app, &supplier, &st, true, bad.clone().into_bytes())
        .await
        .json()
        .await
        .unwrap();
    let error_lines: Vec<u64> = preview["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        error_lines,
        bad_lines.clone().map(|l| l as u64).collect::<Vec<_>>(),
        "{}",
        preview["errors"]
    );
    assert!(
        preview["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("12.50"),
        "zh-CN price hint"
    );
    assert_eq!(preview["applied"], false);
    let refused = send(&app, &supplier, &st, false, bad.into_bytes()).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert!(body["error"]["fields"]
        .as_object()
        .unwrap()
        .values()
        .any(|m| m
            .as_str()
            .unwrap()
            .starts_with(&format!("第 {} 行", bad_lines.start()))));
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id}"
        ))
        .await,
        offers_before,
        "nothing written"
    );

    let report: Value = send(&app, &supplier, &st, false, good.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["applied"], true);
    assert_eq!(report["created"], products.len());
    assert_eq!(report["held"], 1, "the price above the reference waits");
    assert_eq!(
        app.id(&on_sale).await,
        on_sale_before + products.len() as i64 - 1
    );
    assert_eq!(app.id(&format!("SELECT COUNT(*) FROM offers WHERE product_id = {} AND supplier_id = {supplier_id} AND status = 'in_review'", products[0].0)).await, 1);
}

async fn exports_round_trip_through_csv_xlsx_and_gbk(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let listed = app.id(&format!("SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND status IN ('on_sale', 'in_review', 'off_sale')")).await;
    let csv = supplier
        .get(app.url("/api/v1/offers/export"))
        .send()
        .await
        .unwrap();
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("offers.csv"));
    let csv = csv.bytes().await.unwrap().to_vec();
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    assert_eq!(text.lines().count() as i64, listed + 1);
    let xlsx = supplier
        .get(app.url("/api/v1/offers/export?format=xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert!(xlsx.starts_with(b"PK"));
    let (gbk, _, _) = encoding_rs::GBK.encode(text.trim_start_matches('\u{feff}'));
    for (name, file) in [("csv", csv), ("xlsx", xlsx), ("gbk", gbk.into_owned())] {
        let report: Value = send(&app, &supplier, &st, true, file)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            report["errors"].as_array().unwrap().len(),
            0,
            "{name}: {}",
            report["errors"]
        );
        assert_eq!(report["updated"], listed, "{name}");
    }
}
