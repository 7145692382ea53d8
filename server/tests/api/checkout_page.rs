//! The checkout in the browser without script: the cart proposes the budget line whose
//! economic classification fits what is bought, a plain form places the order (twice sent,
//! ordered once), a refusal shows the cart again with why, and a line for something else is
//! warned of on the order page the approver reads; each step of an order is a plain form
//! too, an irreversible one confirmed on the page that answers, and so are a complaint and
//! the supplier's answer.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use crate::ordering::fixture;
use emall_domain::budget::EconClass;
use emall_domain::Fen;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    the_cart_places_on_a_proposed_line_without_script,
    an_order_moves_through_its_steps_with_plain_forms,
    complaints_and_answers_are_plain_forms_too,
);

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

async fn status(app: &TestApp, order: i64) -> String {
    let (status,): (String,) =
        sqlx::query_as(&format!("SELECT status FROM orders WHERE id = {order}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    status
}

/// An order placed by demo-buyer, with the buyer's and its supplier's signed-in clients
/// and CSRF tokens.
async fn placed(app: &TestApp) -> (i64, (reqwest::Client, String), (reqwest::Client, String)) {
    let f = fixture(app).await;
    let (offer, _) = f.offers[0];
    let buyer = app.as_user("demo-buyer").await;
    let username = crate::ordering::supplier_username(app, offer).await;
    let supplier = app.as_user(&username).await;
    let order = crate::ordering::buy_now(app, &buyer.0, &buyer.1, f.budget_line, offer, 1).await;
    (order, buyer, supplier)
}

async fn an_order_moves_through_its_steps_with_plain_forms(app: TestApp) {
    let (order, (buyer, bt), (supplier, st)) = placed(&app).await;
    let step = |client: &reqwest::Client, token: &str, fields: &[(&str, &str)]| {
        let mut fields: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        fields.push(("csrf_token".into(), token.to_string()));
        let request = client
            .post(app.url(&format!("/orders/{order}/step")))
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let moved = |r: reqwest::Response| {
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the step is taken");
        assert_eq!(r.headers()["location"], format!("/orders/{order}"));
    };
    // The page's form names each step; without the token nothing moves.
    let page = app.get_text(&supplier, &format!("/orders/{order}")).await;
    assert!(
        page.contains(&format!("action=\"/orders/{order}/step\"")),
        "{page}"
    );
    assert!(page.contains("name=\"action\" value=\"confirm\""));
    let r = supplier
        .post(app.url(&format!("/orders/{order}/step")))
        .form(&[("action", "confirm")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    moved(step(&supplier, &st, &[("action", "confirm")]).await);
    assert_eq!(status(&app, order).await, "confirmed");

    // A bad tracking number: the page again, saying why; nothing moved.
    let r = step(
        &supplier,
        &st,
        &[
            ("action", "ship"),
            ("carrier", "顺丰速运"),
            ("tracking_no", "SF#1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("id=\"step-error\""));
    assert_eq!(status(&app, order).await, "confirmed");
    moved(
        step(
            &supplier,
            &st,
            &[
                ("action", "ship"),
                ("carrier", "顺丰速运"),
                ("tracking_no", "SF1234567890"),
            ],
        )
        .await,
    );

    // The buyer finds it under 待收货, confirms it arrived and accepts it with a rating; a
    // step not theirs is refused.
    let waiting = app.get_text(&buyer, "/orders?tab=awaiting_delivery").await;
    assert!(
        waiting.contains(&format!("href=\"/orders/{order}\"")),
        "{waiting}"
    );
    moved(step(&buyer, &bt, &[("action", "deliver")]).await);
    assert_eq!(status(&app, order).await, "delivered");
    let r = step(&buyer, &bt, &[("action", "invoice")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    moved(
        step(
            &buyer,
            &bt,
            &[("action", "accept"), ("rating", "4"), ("note", "完好")],
        )
        .await,
    );
    assert_eq!(status(&app, order).await, "accepted");
    moved(
        step(
            &supplier,
            &st,
            &[("action", "invoice"), ("invoice_no", "INV-2026-000123")],
        )
        .await,
    );

    // Paying cannot be taken back: asked once more, with the amount, before it is taken.
    let r = step(&buyer, &bt, &[("action", "pay")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let asked = r.text().await.unwrap();
    assert!(asked.contains("id=\"confirm-step\""), "{asked}");
    assert!(asked.contains("name=\"confirmed\" value=\"1\""));
    assert_eq!(
        status(&app, order).await,
        "invoiced",
        "not paid before it is confirmed"
    );
    moved(step(&buyer, &bt, &[("action", "pay"), ("confirmed", "1")]).await);
    assert_eq!(status(&app, order).await, "paid");
    // Sent again (a reload of the confirmation): the order has moved on, which is said.
    let r = step(&buyer, &bt, &[("action", "pay"), ("confirmed", "1")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("订单状态已变化"));
}

async fn complaints_and_answers_are_plain_forms_too(app: TestApp) {
    let (order, (buyer, bt), (supplier, st)) = placed(&app).await;
    let post = |client: &reqwest::Client, path: String, fields: Vec<(&str, String)>| {
        let request = client.post(app.url(&path)).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let complaints = format!("/orders/{order}/complaints");
    let page = app.get_text(&buyer, &format!("/orders/{order}")).await;
    assert!(
        page.contains(&format!("action=\"{complaints}\"")),
        "the complaint is a form"
    );
    // Empty: the order again, saying why; nothing filed.
    let r = post(
        &buyer,
        complaints.clone(),
        vec![("body", " ".into()), ("csrf_token", bt.clone())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("id=\"step-error\""));
    let r = post(
        &buyer,
        complaints.clone(),
        vec![("body", "送货晚了两天".into()), ("csrf_token", bt.clone())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/orders/{order}#complaints-heading")
    );
    let complaint = app
        .id(&format!(
            "SELECT id FROM complaints WHERE order_id = {order}"
        ))
        .await;
    // The supplier answers on its order page: a form per unanswered complaint; a forged
    // post without the token does nothing, and a second answer is refused in words.
    let answer = format!("/orders/{order}/complaints/{complaint}/answer");
    let page = app.get_text(&supplier, &format!("/orders/{order}")).await;
    assert!(page.contains(&format!("action=\"{answer}\"")), "{page}");
    let r = post(&supplier, answer.clone(), vec![("answer", "抱歉".into())]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(
        &buyer,
        answer.clone(),
        vec![("answer", "我来答".into()), ("csrf_token", bt.clone())],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "only the supplier answers"
    );
    let r = post(
        &supplier,
        answer.clone(),
        vec![
            ("answer", "抱歉，已加派车辆".into()),
            ("csrf_token", st.clone()),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = app.get_text(&buyer, &format!("/orders/{order}")).await;
    assert!(
        shown.contains("抱歉，已加派车辆"),
        "the buyer reads the answer"
    );
    let r = post(
        &supplier,
        answer,
        vec![("answer", "再答一次".into()), ("csrf_token", st)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("这条投诉已经答复过了"));
}
