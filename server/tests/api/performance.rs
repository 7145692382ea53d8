//! The contract-performance record: milestones and events of every step, the signed
//! contract and its digest, complaints, the timers, the checkout preview and the pages.

use crate::helpers::{post_json as post, TestApp};
use crate::on_both_backends;
use crate::ordering::{budget, buy_now, fixture, supplier_username};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    each_step_records_its_facts_and_confirmation_signs_the_contract,
    timers_cancel_late_confirmations_and_flag_late_payments_once,
    complaints_are_answered_once_by_their_supplier,
    the_preview_shows_approval_and_split_warnings_before_placing,
    order_contract_and_performance_pages_follow_their_audience,
);

async fn events(app: &TestApp, order: i64) -> Vec<(String, i64)> {
    sqlx::query_as(&format!(
        "SELECT kind, value FROM performance_events WHERE order_id = {order} ORDER BY id"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

async fn each_step_records_its_facts_and_confirmation_signs_the_contract(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let (supplier, st) = app.as_user(&supplier_username(&app, offer).await).await;
    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 2).await;
    let act = |client: &reqwest::Client, token: &str, body: Value| {
        let (client, token) = (client.clone(), token.to_string());
        let url = app.url(&format!("/api/v1/orders/{order}/actions"));
        async move {
            client
                .post(url)
                .header("x-csrf-token", token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let contract_url = app.url(&format!("/api/v1/orders/{order}/contract"));
    assert_eq!(
        buyer.get(&contract_url).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "unsigned"
    );

    assert_eq!(
        act(&supplier, &st, json!({"action": "confirm"}))
            .await
            .status(),
        StatusCode::OK
    );
    let contract: Value = buyer
        .get(&contract_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let sha = contract["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    assert_eq!(contract["intact"], true);
    assert_eq!(contract["contract"]["total"], price * 2);
    assert_eq!(contract["contract"]["payment_terms_days"], 30);
    assert_eq!(contract["contract"]["items"][0]["quantity"], 2);

    for action in ["ship", "deliver"] {
        assert_eq!(
            act(&supplier, &st, json!({"action": action}))
                .await
                .status(),
            StatusCode::OK
        );
    }
    let no_rating = act(&buyer, &bt, json!({"action": "accept"})).await;
    assert_eq!(no_rating.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = no_rating.json().await.unwrap();
    assert!(
        body["error"]["fields"]["rating"]
            .as_str()
            .unwrap()
            .contains("1 到 5"),
        "{body}"
    );
    assert_eq!(
        act(
            &buyer,
            &bt,
            json!({"action": "accept", "rating": 4, "note": "包装完好"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    let bad_invoice = act(
        &supplier,
        &st,
        json!({"action": "invoice", "invoice_no": "12"}),
    )
    .await;
    assert_eq!(bad_invoice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_amount = act(
        &supplier,
        &st,
        json!({"action": "invoice", "invoice_no": "26310000000000000099", "invoice_amount": price}),
    )
    .await;
    assert_eq!(
        wrong_amount.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an invoice covers the whole order"
    );
    assert_eq!(
        act(
            &supplier,
            &st,
            json!({"action": "invoice", "invoice_no": "2631 0000 0000 0000 0099"})
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        act(&buyer, &bt, json!({"action": "pay"})).await.status(),
        StatusCode::OK
    );

    let kinds: Vec<String> = events(&app, order)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        kinds,
        [
            "confirmed_in_time",
            "delivered_on_time",
            "inspection_passed",
            "rated",
            "paid_on_time"
        ]
    );
    assert!(events(&app, order)
        .await
        .contains(&("rated".to_string(), 4)));
    let detail: Value = app
        .get_json(&buyer, &format!("/api/v1/orders/{order}"))
        .await;
    assert_eq!(detail["status"], "paid");
    assert_eq!(detail["rating"], 4);
    assert_eq!(detail["inspection_notes"], "包装完好");
    assert_eq!(detail["invoice_no"], "26310000000000000099");
    assert_eq!(detail["invoice_amount"], price * 2);
    assert_eq!(detail["contract_sha256"], sha.as_str());
    assert_eq!(
        detail["events"].as_array().unwrap().len(),
        7,
        "placed and six steps"
    );
    assert!(detail["payment_due"].is_string());
    let supplier_id = detail["supplier_id"].as_i64().unwrap();
    let summary: Value = app
        .get_json(
            &app.client,
            &format!("/api/v1/suppliers/{supplier_id}/performance"),
        )
        .await;
    let stored = app
        .id(&format!(
            "SELECT performance_score FROM suppliers WHERE id = {supplier_id}"
        ))
        .await;
    assert_eq!(
        summary["score"], stored,
        "the stored score is the summary's"
    );
    assert_eq!(summary["parts"].as_array().unwrap().len(), 5);

    // Any change to the signed text is detected.
    sqlx::query(&format!("UPDATE contracts SET body = REPLACE(body, '\"quantity\":2', '\"quantity\":3') WHERE order_id = {order}"))
        .execute(app.db.pool())
        .await
        .unwrap();
    let contract: Value = buyer
        .get(&contract_url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(contract["intact"], false);
}

async fn timers_cancel_late_confirmations_and_flag_late_payments_once(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let (supplier, st) = app.as_user(&supplier_username(&app, offer).await).await;
    let start = budget(&app, f.budget_line).await;
    let late = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    let now = emall_store::clock::now();
    // Before the deadline nothing happens.
    emall_server::timers::run_once(&app.state, now, false)
        .await
        .unwrap();
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = {late} AND status = 'placed'"
        ))
        .await,
        1
    );
    sqlx::query(&format!(
        "UPDATE orders SET confirm_by = {} WHERE id = {late}",
        now - 1
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    // Two nodes running the timers at once cancel it once.
    let (a, b) = tokio::join!(
        emall_server::timers::run_once(&app.state, now, false),
        emall_server::timers::run_once(&app.state, now, false),
    );
    assert_eq!(a.unwrap().cancelled + b.unwrap().cancelled, 1);
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = {late} AND status = 'cancelled'"
        ))
        .await,
        1
    );
    assert_eq!(events(&app, late).await, [("not_confirmed".to_string(), 0)]);
    assert_eq!(
        budget(&app, f.budget_line).await,
        start,
        "the money is released"
    );

    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    for action in ["confirm", "ship", "deliver"] {
        post(
            &app,
            &supplier,
            &st,
            &format!("/api/v1/orders/{order}/actions"),
            json!({"action": action}),
        )
        .await;
    }
    let r = post(
        &app,
        &buyer,
        &bt,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "accept", "rating": 5}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let due = app
        .id(&format!(
            "SELECT payment_due_at FROM orders WHERE id = {order}"
        ))
        .await;
    assert!(
        (due - now - 30 * 86_400).abs() < 120,
        "due 30 days after acceptance"
    );
    sqlx::query(&format!(
        "UPDATE orders SET payment_due_at = {} WHERE id = {order}",
        now - 86_400 * 3
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    for _ in 0..2 {
        emall_server::timers::run_once(&app.state, now, false)
            .await
            .unwrap();
    }
    assert_eq!(
        app.id(&format!(
            "SELECT payment_overdue FROM orders WHERE id = {order}"
        ))
        .await,
        1
    );
    let overdue: Vec<_> = events(&app, order)
        .await
        .into_iter()
        .filter(|(k, _)| k == "payment_overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "flagged once");
    let detail: Value = app
        .get_json(&buyer, &format!("/api/v1/orders/{order}"))
        .await;
    assert_eq!(detail["payment_overdue"], true);
    let overdue_now = app
        .id(&format!(
            "SELECT COUNT(*) FROM orders WHERE unit_id = {} AND payment_overdue = 1 AND status IN ('accepted', 'invoiced')",
            f.unit
        ))
        .await;
    assert!(overdue_now >= 1);
    let home = app.get_text(&buyer, "/buyer").await;
    assert!(
        home.contains(&format!(r#"id="overdue-now">{overdue_now}<"#)),
        "the buyer sees it"
    );
    let r = post(
        &app,
        &buyer,
        &bt,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "pay"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "not invoiced yet");
    post(
        &app,
        &supplier,
        &st,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "invoice", "invoice_no": "INV-2026-000123"}),
    )
    .await;
    post(
        &app,
        &buyer,
        &bt,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "pay"}),
    )
    .await;
    assert!(
        events(&app, order)
            .await
            .contains(&("paid_late".to_string(), 3)),
        "three days late"
    );
    assert_eq!(
        budget(&app, f.budget_line).await,
        (start.0, start.1, start.2 + price)
    );
}

async fn complaints_are_answered_once_by_their_supplier(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, _) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let (supplier, st) = app.as_user(&supplier_username(&app, offer).await).await;
    let (other, ot) = app
        .as_user(&supplier_username(&app, f.offers[1].0).await)
        .await;
    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    let path = format!("/api/v1/orders/{order}/complaints");
    let empty = post(&app, &buyer, &bt, &path, json!({"body": "  "})).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(&app, &supplier, &st, &path, json!({"body": "x"})).await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "suppliers do not complain about themselves"
    );
    let r = post(&app, &buyer, &bt, &path, json!({"body": "送货晚了三天"})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    assert_eq!(events(&app, order).await, [("complaint".to_string(), 0)]);
    let answer = format!("/api/v1/complaints/{id}/answer");
    let r = post(&app, &other, &ot, &answer, json!({"answer": "不是我们"})).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another supplier's complaint is none of its business"
    );
    let r = post(
        &app,
        &supplier,
        &st,
        &answer,
        json!({"answer": "已致歉并加急处理"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = post(&app, &supplier, &st, &answer, json!({"answer": "再答一次"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let detail: Value = app
        .get_json(&buyer, &format!("/api/v1/orders/{order}"))
        .await;
    assert_eq!(detail["complaints"][0]["answer"], "已致歉并加急处理");
}

async fn the_preview_shows_approval_and_split_warnings_before_placing(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    // Room to buy a lot: a big budget line and stock.
    sqlx::query(&format!(
        "UPDATE budget_lines SET amount_fen = amount_fen + 100000000 WHERE id = {}",
        f.budget_line
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "UPDATE offers SET stock = 1000000 WHERE id = {offer}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let orders_before = app.id("SELECT COUNT(*) FROM orders").await;
    let alerts_before = app.id("SELECT COUNT(*) FROM alerts").await;
    // 60% of the ¥200,000 cap: under it alone, over it twice.
    let quantity = 12_000_000 / price + 1;
    let items = json!([{"offer_id": offer, "quantity": quantity}]);
    let preview = |items: Value| {
        post(
            &app,
            &buyer,
            &bt,
            "/api/v1/checkout/preview",
            json!({"budget_line_id": f.budget_line, "items": items}),
        )
    };
    let first: Value = preview(items.clone()).await.json().await.unwrap();
    assert_eq!(
        first["orders"][0]["needs_approval"], true,
        "above the unit's threshold"
    );
    assert_eq!(first["total"], price * quantity);
    assert!(first["warnings"].as_array().unwrap().is_empty());
    assert_eq!(
        app.id("SELECT COUNT(*) FROM orders").await,
        orders_before,
        "a preview places nothing"
    );
    let big = buy_now(&app, &buyer, &bt, f.budget_line, offer, quantity).await;
    // It waits in the approver's queue; approval starts the supplier's clock.
    let (approver, at) = app.as_user("demo-approver").await;
    let home = app.get_text(&approver, "/buyer").await;
    assert!(home.contains(r#"id="approval-queue""#) && home.contains(&format!("/orders/{big}")));
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = {big} AND confirm_by IS NULL"
        ))
        .await,
        1
    );
    let r = post(
        &app,
        &approver,
        &at,
        &format!("/api/v1/orders/{big}/actions"),
        json!({"action": "approve"}),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "placed");
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(*) FROM orders WHERE id = {big} AND confirm_by > placed_at"
        ))
        .await,
        1
    );
    let second: Value = preview(items.clone()).await.json().await.unwrap();
    let warning = second["warnings"][0].as_str().expect("a split warning");
    assert!(warning.contains("拆分采购"), "{warning}");
    assert_eq!(
        app.id("SELECT COUNT(*) FROM alerts").await,
        alerts_before,
        "no alert from a preview"
    );
    let receipt: Value = post(
        &app,
        &buyer,
        &bt,
        "/api/v1/checkout",
        json!({"budget_line_id": f.budget_line, "items": items}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(receipt["warnings"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.id("SELECT COUNT(*) FROM alerts").await,
        alerts_before + 1,
        "the regulator is told"
    );
    let over = preview(json!([{"offer_id": offer, "quantity": quantity * 2}])).await;
    assert_eq!(
        over.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "over the cap"
    );
    let terms = post(&app, &buyer, &bt, "/api/v1/checkout/preview", json!({"budget_line_id": f.budget_line, "items": [{"offer_id": offer, "quantity": 1}], "payment_terms_days": 90})).await;
    assert_eq!(
        terms.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "at most 60 days"
    );
    // A cancelled order no longer counts. Two live orders of 60 % are over the cap already
    // (no split of this one); with one cancelled, this one and the other split the cap; with
    // both cancelled, nothing does.
    let second_order = receipt["orders"][0]["id"].as_i64().unwrap();
    let mut warned = Vec::new();
    for order in [big, second_order] {
        let r = post(
            &app,
            &buyer,
            &bt,
            &format!("/api/v1/orders/{order}/actions"),
            json!({"action": "cancel", "note": "需求取消"}),
        )
        .await;
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
        let after: Value = preview(items.clone()).await.json().await.unwrap();
        warned.push(after["warnings"].as_array().unwrap().len());
    }
    assert_eq!(warned, [1, 0]);
}

async fn order_contract_and_performance_pages_follow_their_audience(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, _) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let (supplier, st) = app.as_user(&supplier_username(&app, offer).await).await;
    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    let page = format!("/orders/{order}");
    let as_buyer = buyer.get(app.url(&page)).send().await.unwrap();
    assert_eq!(as_buyer.status(), StatusCode::OK);
    assert_eq!(as_buyer.headers()["cache-control"], "private, no-store");
    let html = as_buyer.text().await.unwrap();
    assert!(
        html.contains(r#"id="do-cancel""#) && !html.contains(r#"id="do-confirm""#),
        "the buyer may cancel"
    );
    let html = app.get_text(&supplier, &page).await;
    assert!(
        html.contains(r#"id="do-confirm""#),
        "the supplier may confirm"
    );
    let (stranger, _) = app
        .as_user(&supplier_username(&app, f.offers[1].0).await)
        .await;
    assert_eq!(
        stranger.get(app.url(&page)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let visitor = crate::helpers::client();
    let r = visitor.get(app.url(&page)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    post(
        &app,
        &supplier,
        &st,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "confirm"}),
    )
    .await;
    let contract = app
        .get_text(&buyer, &format!("/orders/{order}/contract"))
        .await;
    assert!(
        contract.contains("政府采购电子卖场合同") && contract.contains("校验一致"),
        "printable, verified"
    );
    let english = app
        .get_text(&buyer, &format!("/en/orders/{order}/contract"))
        .await;
    assert!(english.contains("Verified: unchanged since signing."));

    let supplier_id = app
        .id(&format!(
            "SELECT supplier_id FROM offers WHERE id = {offer}"
        ))
        .await;
    let public = visitor
        .get(app.url(&format!("/supplier/{supplier_id}/performance")))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    assert!(public.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let html = public.text().await.unwrap();
    assert!(html.contains(r#"id="score""#) && !html.contains(r#"id="performance-events""#));
    let events = format!("/supplier/{supplier_id}/performance/events");
    assert_eq!(
        visitor.get(app.url(&events)).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        stranger
            .get(app.url(&events))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let (regulator, _) = app.as_user("demo-regulator").await;
    let html = app.get_text(&regulator, &events).await;
    assert!(html.contains(r#"id="performance-events""#) && html.contains("按时确认"));
}
