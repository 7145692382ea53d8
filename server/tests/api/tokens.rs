//! Supplier API tokens: shown once, stored hashed, scoped to the supplier's listings,
//! revocable.

use crate::catalogue::demo_supplier_offer;
use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    an_erp_token_syncs_listings_and_nothing_else_until_revoked,
    a_token_is_created_and_revoked_with_plain_forms,
);

async fn an_erp_token_syncs_listings_and_nothing_else_until_revoked(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let r = supplier
        .post(app.url("/api/v1/api-tokens"))
        .header("x-csrf-token", &st)
        .json(&json!({"name": "ERP 价格同步"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("emt_") && token.len() > 60);
    let stored = app
        .id(&format!(
            "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await;
    assert_eq!(stored, 0, "only a hash is kept");
    let list: Value = app.get_json(&supplier, "/api/v1/api-tokens").await;
    assert!(!list.to_string().contains(&token), "never shown again");

    let erp = crate::helpers::client();
    let bearer = format!("Bearer {token}");
    let offer = demo_supplier_offer(&app, "AND o.price_fen > 200").await;
    let price = app
        .id(&format!("SELECT price_fen FROM offers WHERE id = {offer}"))
        .await;
    let r = erp
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("authorization", &bearer)
        .json(&json!({"price_fen": price - 100, "stock": 77, "reason": "ERP 同步"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "no CSRF token needed with a bearer token"
    );
    assert_eq!(
        app.id(&format!("SELECT stock FROM offers WHERE id = {offer}"))
            .await,
        77
    );
    let export = erp
        .get(app.url("/api/v1/offers/export"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);

    for (method, path) in [
        ("GET", "/api/v1/orders"),
        ("POST", "/api/v1/api-tokens"),
        ("GET", "/workbench"),
    ] {
        let r = erp
            .request(method.parse().unwrap(), app.url(path))
            .header("authorization", &bearer)
            .json(&json!({"name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }
    let other = app
        .id(&format!(
            "SELECT MIN(id) FROM offers WHERE supplier_id <> (SELECT supplier_id FROM offers WHERE id = {offer})"
        ))
        .await;
    let r = erp
        .patch(app.url(&format!("/api/v1/offers/{other}")))
        .header("authorization", &bearer)
        .json(&json!({"stock": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "another supplier's offer"
    );
    let wrong = erp
        .get(app.url("/api/v1/offers/export"))
        .header("authorization", "Bearer emt_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);

    let id = created["id"].as_i64().unwrap();
    let r = supplier
        .delete(app.url(&format!("/api/v1/api-tokens/{id}")))
        .header("x-csrf-token", &st)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let after = erp
        .get(app.url("/api/v1/offers/export"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED, "revoked at once");
}

/// Without script: the listings page's form creates a token and shows its secret in the
/// answer itself (never in a redirect, never again); a revoke form stops it.
async fn a_token_is_created_and_revoked_with_plain_forms(app: TestApp) {
    let (supplier, st) = app.as_user("demo-supplier").await;
    let page = app.get_text(&supplier, "/workbench/listings").await;
    assert!(page.contains("action=\"/workbench/api-tokens\""));
    let create = |name: &'static str| {
        let request = supplier
            .post(app.url("/workbench/api-tokens"))
            .form(&[("csrf_token", st.as_str()), ("name", name)]);
        async move { request.send().await.unwrap() }
    };
    let r = create("  ").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("id=\"token-error\""));
    let r = create("ERP 库存同步").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the secret is in this answer, not a redirect"
    );
    let shown = r.text().await.unwrap();
    let mark = "<code id=\"new-token\">";
    let at = shown.find(mark).expect("the secret shown") + mark.len();
    let token = &shown[at..at + shown[at..].find('<').unwrap()];
    assert!(token.starts_with("emt_"), "{token}");
    assert!(
        !app.get_text(&supplier, "/workbench/listings")
            .await
            .contains(token),
        "shown once"
    );
    let id = app
        .id("SELECT MAX(id) FROM api_tokens WHERE name = 'ERP 库存同步'")
        .await;
    let revoke = format!("/workbench/api-tokens/{id}/revoke");
    assert!(shown.contains(&format!("action=\"{revoke}\"")));
    let r = supplier
        .post(app.url(&revoke))
        .form(&[("csrf_token", st.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_text(&supplier, "/workbench/listings")
        .await
        .contains("令牌已吊销"));
    let revoked =
        format!("SELECT COUNT(*) FROM api_tokens WHERE id = {id} AND revoked_at IS NOT NULL");
    assert_eq!(app.id(&revoked).await, 1);
    let erp = crate::helpers::client();
    let r = erp
        .get(app.url("/api/v1/api-tokens"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a revoked token is refused"
    );
}
