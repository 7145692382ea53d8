//! Every cross-tenant and cross-role access must be refused on the server.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;

on_both_backends!(
    visitors_are_asked_to_sign_in,
    tenants_cannot_cross_into_each_others_data,
    roles_cannot_open_each_others_homes,
    state_changes_from_other_sites_are_refused,
);

async fn visitors_are_asked_to_sign_in(app: TestApp) {
    for path in [
        "/api/v1/auth/me",
        "/api/v1/orders",
        "/api/v1/units/1/budget-lines",
        "/api/v1/suppliers/1/offers",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized", "{path}");
    }
    for page in ["/buyer", "/workbench", "/console", "/en/console"] {
        let response = app.get(page).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page} redirects");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.contains("/login?next="), "{page} -> {location}");
    }
}

async fn tenants_cannot_cross_into_each_others_data(app: TestApp) {
    let own_unit = app
        .id("SELECT unit_id FROM users WHERE username = 'demo-buyer'")
        .await;
    let other_unit = app
        .id(&format!(
            "SELECT MIN(id) FROM purchasing_units WHERE id <> {own_unit}"
        ))
        .await;
    let own_supplier = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let other_supplier = app
        .id(&format!(
            "SELECT MIN(id) FROM suppliers WHERE id <> {own_supplier}"
        ))
        .await;
    let other_units_order = app
        .id(&format!(
            "SELECT MIN(id) FROM orders WHERE unit_id <> {own_unit}"
        ))
        .await;
    let own_order = app
        .id(&format!(
            "SELECT MIN(id) FROM orders WHERE unit_id = {own_unit}"
        ))
        .await;
    let other_suppliers_order = app
        .id(&format!(
            "SELECT MIN(id) FROM orders WHERE supplier_id <> {own_supplier}"
        ))
        .await;

    // (who, path, expected status)
    let cases: Vec<(&str, String, StatusCode)> = vec![
        (
            "demo-buyer",
            format!("/api/v1/units/{own_unit}/budget-lines"),
            StatusCode::OK,
        ),
        (
            "demo-buyer",
            format!("/api/v1/units/{other_unit}/budget-lines"),
            StatusCode::FORBIDDEN,
        ),
        (
            "demo-approver",
            format!("/api/v1/units/{other_unit}/budget-lines"),
            StatusCode::FORBIDDEN,
        ),
        (
            "demo-buyer",
            format!("/api/v1/orders/{own_order}"),
            StatusCode::OK,
        ),
        (
            "demo-buyer",
            format!("/api/v1/orders/{other_units_order}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "demo-buyer",
            format!("/api/v1/suppliers/{own_supplier}/offers"),
            StatusCode::FORBIDDEN,
        ),
        (
            "demo-supplier",
            format!("/api/v1/suppliers/{own_supplier}/offers"),
            StatusCode::OK,
        ),
        (
            "demo-supplier",
            format!("/api/v1/suppliers/{other_supplier}/offers"),
            StatusCode::FORBIDDEN,
        ),
        (
            "demo-supplier",
            format!("/api/v1/orders/{other_suppliers_order}"),
            StatusCode::NOT_FOUND,
        ),
        (
            "demo-supplier",
            format!("/api/v1/units/{own_unit}/budget-lines"),
            StatusCode::FORBIDDEN,
        ),
        (
            "demo-regulator",
            format!("/api/v1/units/{other_unit}/budget-lines"),
            StatusCode::OK,
        ),
        (
            "demo-operator",
            format!("/api/v1/suppliers/{other_supplier}/offers"),
            StatusCode::OK,
        ),
        (
            "demo-regulator",
            "/api/v1/units/999999/budget-lines".to_string(),
            StatusCode::NOT_FOUND,
        ),
    ];
    for (who, path, expected) in cases {
        let (client, _) = app.as_user(who).await;
        let response = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), expected, "{who} GET {path}");
    }

    // Lists are scoped by the session, whatever the query string says.
    let (buyer, _) = app.as_user("demo-buyer").await;
    let orders: Vec<serde_json::Value> = app
        .get_json(&buyer, "/api/v1/orders?limit=200&unit_id=1")
        .await;
    assert!(!orders.is_empty());
    let (unit_name,): (String,) = sqlx::query_as(&format!(
        "SELECT name FROM purchasing_units WHERE id = {own_unit}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(
        orders.iter().all(|o| o["unit_name"] == unit_name.as_str()),
        "only the buyer's unit's orders"
    );

    let (supplier, _) = app.as_user("demo-supplier").await;
    let orders: Vec<serde_json::Value> = app.get_json(&supplier, "/api/v1/orders?limit=200").await;
    let (supplier_name,): (String,) = sqlx::query_as(&format!(
        "SELECT name FROM suppliers WHERE id = {own_supplier}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(
        orders
            .iter()
            .all(|o| o["supplier_name"] == supplier_name.as_str()),
        "only the supplier's orders"
    );
}

async fn roles_cannot_open_each_others_homes(app: TestApp) {
    let cases = [
        ("demo-buyer", "/workbench"),
        ("demo-buyer", "/console"),
        ("demo-supplier", "/buyer"),
        ("demo-supplier", "/console"),
        ("demo-operator", "/buyer"),
        ("demo-regulator", "/workbench"),
    ];
    for (who, page) in cases {
        let (client, _) = app.as_user(who).await;
        let response = client.get(app.url(page)).send().await.unwrap();
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{who} opens {page}"
        );
    }
}

async fn state_changes_from_other_sites_are_refused(app: TestApp) {
    let token = app.sign_in("demo-buyer").await;
    let cross_site = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &token)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let foreign_origin = app
        .client
        .post(app.url("/login"))
        .header("origin", "https://evil.example")
        .form(&[("username", "demo-buyer"), ("password", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), StatusCode::FORBIDDEN, "login CSRF");
    let wrong_token = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", "0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/auth/me").await.status(),
        StatusCode::OK,
        "still signed in"
    );
}
