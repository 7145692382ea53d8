//! Checkout: money frozen exactly, one order per supplier, idempotent retries, and no
//! overspend under concurrent checkouts.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    cart_checkout_freezes_the_exact_amount,
    a_retried_checkout_never_orders_twice,
    concurrent_checkouts_never_overspend,
    checkout_refuses_what_cannot_be_bought,
);

pub struct Fixture {
    pub unit: i64,
    pub budget_line: i64,
    pub offers: Vec<(i64, i64)>, // (offer, price) of two different suppliers serving the unit's city
}

pub async fn fixture(app: &TestApp) -> Fixture {
    let unit = app
        .id("SELECT unit_id FROM users WHERE username = 'demo-buyer'")
        .await;
    let budget_line = app
        .id(&format!(
            "SELECT MAX(id) FROM budget_lines WHERE unit_id = {unit}"
        ))
        .await;
    let city_offers = format!(
        "FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id JOIN suppliers s ON s.id = o.supplier_id \
         WHERE oc.city = (SELECT city FROM purchasing_units WHERE id = {unit}) AND o.status = 'on_sale' \
         AND s.status = 'admitted' AND o.stock >= 100 AND o.price_fen BETWEEN 1000 AND 100000 \
         AND NOT EXISTS (SELECT 1 FROM offer_tiers t WHERE t.offer_id = o.id)"
    );
    let first = app.id(&format!("SELECT MIN(o.id) {city_offers}")).await;
    let first_supplier = app
        .id(&format!(
            "SELECT supplier_id FROM offers WHERE id = {first}"
        ))
        .await;
    let second = app
        .id(&format!(
            "SELECT MIN(o.id) {city_offers} AND o.supplier_id <> {first_supplier}"
        ))
        .await;
    let price = |o: i64| async move {
        app.id(&format!("SELECT price_fen FROM offers WHERE id = {o}"))
            .await
    };
    Fixture {
        unit,
        budget_line,
        offers: vec![(first, price(first).await), (second, price(second).await)],
    }
}

pub async fn budget(app: &TestApp, line: i64) -> (i64, i64, i64) {
    sqlx::query_as(&format!(
        "SELECT amount_fen, frozen_fen, spent_fen FROM budget_lines WHERE id = {line}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

async fn cart_checkout_freezes_the_exact_amount(app: TestApp) {
    let f = fixture(&app).await;
    let token = app.sign_in("demo-buyer").await;
    for (offer, _) in &f.offers {
        let r = app
            .client
            .put(app.url(&format!("/api/v1/cart/items/{offer}")))
            .header("x-csrf-token", &token)
            .json(&json!({"quantity": 3}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let cart: Vec<Value> = app.get("/api/v1/cart").await.json().await.unwrap();
    assert_eq!(cart.len(), 2);
    let before = budget(&app, f.budget_line).await;
    let stock_before = app
        .id(&format!(
            "SELECT stock FROM offers WHERE id = {}",
            f.offers[0].0
        ))
        .await;
    let response = app
        .client
        .post(app.url("/api/v1/checkout"))
        .header("x-csrf-token", &token)
        .json(&json!({"budget_line_id": f.budget_line}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: Value = response.json().await.unwrap();
    let expected: i64 = f.offers.iter().map(|(_, p)| p * 3).sum();
    assert_eq!(receipt["frozen"], expected);
    assert_eq!(
        receipt["orders"].as_array().unwrap().len(),
        2,
        "one order per supplier"
    );
    let after = budget(&app, f.budget_line).await;
    assert_eq!(after.1 - before.1, expected, "frozen exactly the total");
    assert_eq!(after.2, before.2, "nothing spent yet");
    assert_eq!(
        app.id(&format!(
            "SELECT stock FROM offers WHERE id = {}",
            f.offers[0].0
        ))
        .await,
        stock_before - 3
    );
    let cart: Vec<Value> = app.get("/api/v1/cart").await.json().await.unwrap();
    assert!(cart.is_empty(), "the cart is emptied");
    let orders = app
        .id(&format!(
            "SELECT COUNT(*) FROM orders WHERE unit_id = {} AND total_fen IN ({}, {})",
            f.unit,
            f.offers[0].1 * 3,
            f.offers[1].1 * 3
        ))
        .await;
    assert!(orders >= 2);
}

async fn a_retried_checkout_never_orders_twice(app: TestApp) {
    let f = fixture(&app).await;
    let token = app.sign_in("demo-buyer").await;
    let before = app.id("SELECT COUNT(*) FROM orders").await;
    let send = || {
        app.client
            .post(app.url("/api/v1/checkout"))
            .header("x-csrf-token", &token)
            .header("idempotency-key", "retry-7f3a")
            .json(&json!({"budget_line_id": f.budget_line, "items": [{"offer_id": f.offers[0].0, "quantity": 2}]}))
            .send()
    };
    let (a, b) = tokio::join!(send(), send());
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "one placed, one replayed"
    );
    let (ra, rb): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(
        ra["orders"], rb["orders"],
        "the replay returns the same orders"
    );
    let third = send().await.unwrap();
    assert_eq!(third.status(), StatusCode::OK);
    assert_eq!(
        app.id("SELECT COUNT(*) FROM orders").await,
        before + 1,
        "exactly one order"
    );
}

async fn concurrent_checkouts_never_overspend(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    // A budget line with room for exactly 7 units.
    let line = app.id(&format!(
        "INSERT INTO budget_lines (unit_id, code, fiscal_year, funding_source, purpose, amount_fen, created_at) \
         VALUES ({}, 'TEST-CONCURRENCY', 2026, 'general', '并发测试', {}, 0) RETURNING id",
        f.unit,
        price * 7 + price / 2
    ))
    .await;
    sqlx::query(&format!(
        "UPDATE offers SET stock = 1000 WHERE id = {offer}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let token = app.sign_in("demo-buyer").await;
    let requests = (0..100).map(|_| checkout_one(&app, &token, line, offer));
    let statuses = futures::future::join_all(requests).await;
    let placed = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!(
        placed, 7,
        "exactly as many as the budget allows: {statuses:?}"
    );
    assert_eq!(refused, 93, "the rest are refused, none fail: {statuses:?}");
    let (amount, frozen, spent) = budget(&app, line).await;
    assert_eq!(frozen, price * 7);
    assert!(frozen + spent <= amount);
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE budget_line_id = {line}"
        ))
        .await,
        7
    );
}

async fn checkout_refuses_what_cannot_be_bought(app: TestApp) {
    let f = fixture(&app).await;
    let start = budget(&app, f.budget_line).await;
    let orders_before = app.id("SELECT COUNT(*) FROM orders").await;
    let token = app.sign_in("demo-buyer").await;
    let checkout = |body: Value| {
        app.client
            .post(app.url("/api/v1/checkout"))
            .header("x-csrf-token", &token)
            .header("accept-language", "en")
            .json(&body)
            .send()
    };
    let field = |v: &Value| {
        v["error"]["fields"]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    };
    let empty = checkout(json!({"budget_line_id": f.budget_line}))
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&empty.json().await.unwrap()), "The cart is empty.");
    let other_unit_line = app
        .id(&format!(
            "SELECT MIN(id) FROM budget_lines WHERE unit_id <> {}",
            f.unit
        ))
        .await;
    let foreign = checkout(json!({"budget_line_id": other_unit_line, "items": [{"offer_id": f.offers[0].0, "quantity": 1}]})).await.unwrap();
    assert_eq!(
        foreign.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another unit's budget line"
    );
    let too_many = checkout(json!({"budget_line_id": f.budget_line, "items": [{"offer_id": f.offers[0].0, "quantity": 99999}]})).await.unwrap();
    let body: Value = too_many.json().await.unwrap();
    assert!(
        field(&body) == "Not enough stock." || field(&body).contains("e-mall limit"),
        "{body}"
    );
    let off = app
        .id("SELECT MIN(id) FROM offers WHERE status <> 'on_sale'")
        .await;
    let not_on_sale = checkout(
        json!({"budget_line_id": f.budget_line, "items": [{"offer_id": off, "quantity": 1}]}),
    )
    .await
    .unwrap();
    assert_eq!(
        field(&not_on_sale.json().await.unwrap()),
        "This offer is no longer on sale."
    );
    let (supplier, supplier_token) = app.as_user("demo-supplier").await;
    let forbidden = supplier
        .post(app.url("/api/v1/checkout"))
        .header("x-csrf-token", supplier_token)
        .json(&json!({"budget_line_id": f.budget_line, "items": [{"offer_id": f.offers[0].0, "quantity": 1}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        forbidden.status(),
        StatusCode::FORBIDDEN,
        "suppliers cannot buy"
    );
    assert_eq!(
        budget(&app, f.budget_line).await,
        start,
        "refusals leave the budget untouched"
    );
    assert_eq!(
        app.id("SELECT COUNT(*) FROM orders").await,
        orders_before,
        "and place nothing"
    );
}

on_both_backends!(the_lifecycle_moves_money_exactly);

async fn the_lifecycle_moves_money_exactly(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, buyer_token) = app.as_user("demo-buyer").await;
    let (supplier, supplier_token) = app.as_user(&supplier_username(&app, offer).await).await;
    let start = budget(&app, f.budget_line).await;
    let order = buy_now(&app, &buyer, &buyer_token, f.budget_line, offer, 1).await;
    let step = |client: &reqwest::Client, token: &str, action: &str| {
        client
            .post(app.url(&format!("/api/v1/orders/{order}/actions")))
            .header("x-csrf-token", token.to_string())
            .json(&json!({"action": action, "rating": 5, "invoice_no": "26310000000000000001"}))
            .send()
    };
    assert_eq!(
        budget(&app, f.budget_line).await.1,
        start.1 + price,
        "frozen at checkout"
    );
    assert_eq!(
        step(&buyer, &buyer_token, "confirm")
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN,
        "the buyer cannot confirm"
    );
    assert_eq!(
        step(&supplier, &supplier_token, "ship")
            .await
            .unwrap()
            .status(),
        StatusCode::CONFLICT,
        "not confirmed yet"
    );
    for (client, token, action, status) in [
        (&supplier, &supplier_token, "confirm", "confirmed"),
        (&supplier, &supplier_token, "ship", "shipped"),
        (&supplier, &supplier_token, "deliver", "delivered"),
        (&buyer, &buyer_token, "accept", "accepted"),
        (&supplier, &supplier_token, "invoice", "invoiced"),
    ] {
        let r = step(client, token, action).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{action}");
        assert_eq!(r.json::<Value>().await.unwrap()["status"], status);
        assert_eq!(
            budget(&app, f.budget_line).await,
            (start.0, start.1 + price, start.2),
            "still frozen after {action}"
        );
    }
    assert_eq!(
        step(&buyer, &buyer_token, "pay").await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        budget(&app, f.budget_line).await,
        (start.0, start.1, start.2 + price),
        "paid: frozen becomes spent"
    );
    assert_eq!(
        step(&buyer, &buyer_token, "pay").await.unwrap().status(),
        StatusCode::CONFLICT,
        "paid once"
    );
    let events = app
        .id(&format!(
            "SELECT COUNT(*) FROM order_events WHERE order_id = {order}"
        ))
        .await;
    assert_eq!(events, 7, "placing and every step are recorded");

    // A cancelled order gives its money back.
    let second = buy_now(&app, &buyer, &buyer_token, f.budget_line, offer, 2).await;
    let cancel = buyer
        .post(app.url(&format!("/api/v1/orders/{second}/actions")))
        .header("x-csrf-token", &buyer_token)
        .json(&json!({"action": "cancel", "note": "需求取消"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::OK);
    assert_eq!(
        budget(&app, f.budget_line).await,
        (start.0, start.1, start.2 + price),
        "released exactly"
    );
    let (other, other_token) = app.as_user("demo-regulator").await;
    let r = other
        .post(app.url(&format!("/api/v1/orders/{second}/actions")))
        .header("x-csrf-token", other_token)
        .json(&json!({"action": "cancel"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the regulator does not act on orders"
    );
}

/// One checkout of one unit of `offer` against budget line `line`, by the buyer signed in
/// with the client's cookie and CSRF `token`: its status.
pub async fn checkout_one(app: &TestApp, token: &str, line: i64, offer: i64) -> StatusCode {
    app.client
        .post(app.url("/api/v1/checkout"))
        .header("x-csrf-token", token)
        .json(&json!({"budget_line_id": line, "items": [{"offer_id": offer, "quantity": 1}]}))
        .send()
        .await
        .unwrap()
        .status()
}

pub async fn supplier_username(app: &TestApp, offer: i64) -> String {
    let (name,): (String,) = sqlx::query_as(&format!(
        "SELECT u.username FROM users u JOIN offers o ON o.supplier_id = u.supplier_id WHERE o.id = {offer} ORDER BY u.id LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    name
}

/// One-click purchase of one offer; returns the new order's id.
pub async fn buy_now(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    line: i64,
    offer: i64,
    quantity: i64,
) -> i64 {
    let receipt: Value = client
        .post(app.url("/api/v1/checkout"))
        .header("x-csrf-token", token)
        .json(
            &json!({"budget_line_id": line, "items": [{"offer_id": offer, "quantity": quantity}]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    receipt["orders"][0]["id"]
        .as_i64()
        .expect("an order was placed")
}
