//! Qualifications: uploads told by content, downloads only for their audience and never
//! inline, and a lapse that suspends the supplier's offers until a renewal restores them.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    qualifications_are_checked_by_content_and_served_only_to_their_audience,
    a_lapsed_qualification_suspends_offers_until_renewed,
    the_operator_verifies_or_flags_each_document,
);

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    query: &str,
    body: &'static [u8],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/qualifications?{query}")))
        .header("x-csrf-token", token)
        .header("content-type", "application/pdf")
        .body(body)
        .send()
        .await
        .unwrap()
}

const LICENCE: &str = "kind=business_licence&number=91310000MA1FL0TEST&issuer=%E4%B8%8A%E6%B5%B7%E5%B8%82%E5%B8%82%E5%9C%BA%E7%9B%91%E7%AE%A1%E5%B1%80";

async fn qualifications_are_checked_by_content_and_served_only_to_their_audience(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let html = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2030-12-31"),
        b"<html><script>alert(1)</script>",
    )
    .await;
    assert_eq!(
        html.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "HTML named as a PDF is refused"
    );
    let body: Value = html.json().await.unwrap();
    assert!(body["error"]["fields"]["file"].is_string());
    let expired = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2020-01-01"),
        PDF,
    )
    .await;
    assert_eq!(expired.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2030-12-31"),
        PDF,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let list: Value = app
        .get_json(
            &supplier,
            &format!("/api/v1/suppliers/{supplier_id}/qualifications"),
        )
        .await;
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["content_type"], "application/pdf");

    let file = format!("/api/v1/qualifications/{id}/file");
    let own = supplier.get(app.url(&file)).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    assert!(own.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(own.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(own.bytes().await.unwrap().as_ref(), PDF);
    for (who, expected) in [
        ("demo-operator", StatusCode::OK),
        ("demo-regulator", StatusCode::OK),
        ("demo-buyer", StatusCode::NOT_FOUND),
    ] {
        let (c, _) = app.as_user(who).await;
        assert_eq!(
            c.get(app.url(&file)).send().await.unwrap().status(),
            expected,
            "{who}"
        );
    }
    let (stranger, _) = app.as_user(&stranger_supplier(&app).await).await;
    assert_eq!(
        stranger.get(app.url(&file)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        crate::helpers::client()
            .get(app.url(&file))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    // Stored outside the web root: no static route serves the data directory.
    assert!(app
        .data_dir()
        .join("qualifications")
        .join(supplier_id.to_string())
        .is_dir());
}

async fn stranger_supplier(app: &TestApp) -> String {
    let (name,): (String,) = sqlx::query_as(
        "SELECT username FROM users WHERE role = 'supplier' AND username <> 'demo-supplier' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    name
}

async fn a_lapsed_qualification_suspends_offers_until_renewed(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let r = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2030-12-31"),
        PDF,
    )
    .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let on_sale = app
        .id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND status = 'on_sale'"
        ))
        .await;
    assert!(on_sale > 0);
    sqlx::query(&format!(
        "UPDATE qualifications SET valid_until = '2026-01-31' WHERE id = {id}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let now = emall_store::clock::now();
    let (a, b) = tokio::join!(
        emall_server::timers::run_once(&app.state, now, false),
        emall_server::timers::run_once(&app.state, now, false),
    );
    assert!(a.unwrap().suspended_products + b.unwrap().suspended_products > 0);
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND status = 'on_sale'"
        ))
        .await,
        0
    );
    assert_eq!(
        app.id(&format!("SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND suspended_reason = 'qualification'")).await,
        on_sale
    );
    assert_eq!(app.id(&format!("SELECT COUNT(*) FROM supplier_notices WHERE supplier_id = {supplier_id} AND kind = 'qualification_lapsed'")).await, 1, "told once");
    let home = app.get_text(&supplier, "/workbench").await;
    assert!(home.contains(r#"id="notices""#));

    let r = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2031-12-31"),
        PDF,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {supplier_id} AND status = 'on_sale'"
        ))
        .await,
        on_sale,
        "restored"
    );
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM qualifications WHERE id = {id} AND state = 'superseded'"
        ))
        .await,
        1
    );
}

async fn the_operator_verifies_or_flags_each_document(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let r = upload(
        &app,
        &supplier,
        &st,
        &format!("{LICENCE}&valid_until=2030-12-31"),
        PDF,
    )
    .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let path = format!("/api/v1/qualifications/{id}/check");
    let own =
        crate::helpers::post_json(&app, &supplier, &st, &path, json!({"decision": "verify"})).await;
    assert_eq!(
        own.status(),
        StatusCode::FORBIDDEN,
        "not the supplier's own check"
    );
    let (operator, ot) = app.as_user("demo-operator").await;
    let bare =
        crate::helpers::post_json(&app, &operator, &ot, &path, json!({"decision": "flag"})).await;
    assert_eq!(
        bare.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a flag says why"
    );
    let flag = json!({"decision": "flag", "note": "证照编号与营业执照不一致"});
    assert_eq!(
        crate::helpers::post_json(&app, &operator, &ot, &path, flag)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let list: Value = app
        .get_json(
            &supplier,
            &format!("/api/v1/suppliers/{supplier_id}/qualifications"),
        )
        .await;
    assert_eq!(list[0]["check_state"], "flagged");
    assert_eq!(list[0]["check_note"], "证照编号与营业执照不一致");
    assert_eq!(
        app.id(&format!("SELECT COUNT(*) FROM supplier_notices WHERE supplier_id = {supplier_id} AND kind = 'qualification_flagged'")).await,
        1,
        "the supplier is told"
    );
    let home = app.get_text(&supplier, "/workbench").await;
    assert!(home.contains("证照编号与营业执照不一致"));
    assert_eq!(
        crate::helpers::post_json(&app, &operator, &ot, &path, json!({"decision": "verify"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM qualifications WHERE id = {id} AND check_state = 'verified'"
        ))
        .await,
        1
    );
    let missing = crate::helpers::post_json(
        &app,
        &operator,
        &ot,
        "/api/v1/qualifications/999999/check",
        json!({"decision": "verify"}),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let review = app
        .get_text(&operator, &format!("/console/suppliers/{supplier_id}"))
        .await;
    assert!(
        review.contains("status-check-verified"),
        "the review page shows the check"
    );
}
