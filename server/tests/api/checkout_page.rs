//! The checkout in the browser without script: the cart proposes the budget line whose
//! economic classification fits what is bought, a plain form places the order (twice sent,
//! ordered once), a refusal shows the cart again with why, and a line for something else is
//! warned of on the order page the approver reads.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use crate::ordering::fixture;
use emall_domain::budget::EconClass;
use emall_domain::Fen;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(the_cart_places_on_a_proposed_line_without_script);

async fn run(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.db.pool()).await.unwrap();
}

/// Whether the budget line `line` is the one chosen in the checkout's list.
fn selected(page: &str, line: i64) -> bool {
    let at = page
        .find(&format!("<option value=\"{line}\""))
        .expect("the line's option");
    page[at..at + page[at..].find('>').unwrap()].contains(" selected")
}

/// The Idempotency-Key a cart page's checkout form sends.
fn key_of(page: &str) -> String {
    let at = page.find("name=\"key\" value=\"").expect("the page's key") + 18;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

async fn the_cart_places_on_a_proposed_line_without_script(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (category,): (String,) = sqlx::query_as(&format!(
        "SELECT p.category_code FROM offers o JOIN products p ON p.id = o.product_id WHERE o.id = {offer}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let goods = EconClass::of_purchase(&category, Fen(price));
    let other = EconClass::ALL.into_iter().find(|c| *c != goods).unwrap();
    // Two lines of this year with money: one for these goods (the last), the others for
    // something else.
    let (fits, wrong) = (f.budget_line, f.budget_line - 1);
    run(
        &app,
        &format!(
            "UPDATE budget_lines SET econ_class = '{}' WHERE unit_id = {}",
            other.as_str(),
            f.unit
        ),
    )
    .await;
    run(&app, &format!(
        "UPDATE budget_lines SET econ_class = '{}', amount_fen = amount_fen + 100000000 WHERE id = {fits}",
        goods.as_str()
    ))
    .await;
    run(
        &app,
        &format!(
            "UPDATE budget_lines SET econ_class = '{}', amount_fen = amount_fen + 100000000, \
         fiscal_year = (SELECT fiscal_year FROM budget_lines WHERE id = {fits}) WHERE id = {wrong}",
            other.as_str()
        ),
    )
    .await;
    let (buyer, token) = app.as_user("demo-buyer").await;
    let added = post_json(
        &app,
        &buyer,
        &token,
        &format!("/api/v1/cart/items/{offer}"),
        json!({ "quantity": 2 }),
    )
    .await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);

    let page = app.get_text(&buyer, "/buyer/cart").await;
    assert!(page.contains("id=\"budget-proposal\""), "{page}");
    assert!(
        selected(&page, fits),
        "the line for these goods is proposed: {page}"
    );
    assert!(!page.contains("id=\"budget-mismatch\""));
    let key = key_of(&page);

    let orders = || async {
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE unit_id = {} AND budget_line_id = {wrong}",
            f.unit
        ))
        .await
    };
    let before = orders().await;
    let send = |line: i64, csrf: bool, key: &str| {
        let mut fields = vec![
            ("budget_line_id", line.to_string()),
            ("payment_terms_days", "30".to_string()),
            ("key", key.to_string()),
        ];
        if csrf {
            fields.push(("csrf_token", token.clone()));
        }
        let request = buyer.post(app.url("/buyer/checkout")).form(&fields);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(
        send(wrong, false, &key).await.status(),
        StatusCode::FORBIDDEN,
        "no token"
    );
    assert_eq!(orders().await, before);
    // The buyer insists on the other line: placed, and the same form sent again orders once.
    for _ in 0..2 {
        let r = send(wrong, true, &key).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/orders?placed=1");
    }
    assert_eq!(orders().await, before + 1);
    let centre = app.get_text(&buyer, "/orders?placed=1").await;
    assert!(centre.contains("已提交 1 笔订单"), "{centre}");

    // The approver (and anyone reading the order) is told the line is for something else.
    let order = app
        .id(&format!(
            "SELECT MAX(id) FROM orders WHERE budget_line_id = {wrong}"
        ))
        .await;
    let (approver, _) = app.as_user("demo-approver").await;
    let shown = app.get_text(&approver, &format!("/orders/{order}")).await;
    assert!(shown.contains("id=\"budget-mismatch\""), "{shown}");

    // Refused (the line is short): the cart again, saying by how much, the line kept.
    let added = post_json(
        &app,
        &buyer,
        &token,
        &format!("/api/v1/cart/items/{offer}"),
        json!({ "quantity": 1 }),
    )
    .await;
    assert_eq!(added.status(), StatusCode::NO_CONTENT);
    run(
        &app,
        &format!(
            "UPDATE budget_lines SET amount_fen = frozen_fen + spent_fen + 100 WHERE id = {fits}"
        ),
    )
    .await;
    // The cart shown again has a key of its own: this is another checkout.
    let key = key_of(&app.get_text(&buyer, "/buyer/cart").await);
    let r = send(fits, true, &key).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("还差"), "{page}");
    assert!(selected(&page, fits), "{page}");
}
