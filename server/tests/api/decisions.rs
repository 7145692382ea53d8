//! The console's decisions without script: a held listing, a red flag, an application, a
//! qualification and an appeal are each a plain form posting `verdict` and `note` to
//! `/decisions/{id}`. The person returns to the page the form was on, which says once
//! whether the decision is recorded; only the right role decides, and never without the
//! session's token.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    a_held_listing_is_decided_with_a_plain_form_and_the_outcome_said_once,
    a_red_flag_and_an_appeal_are_decided_with_plain_forms_that_say_why,
    an_application_is_admitted_with_a_plain_form,
);

/// Posts a decision form as a browser on `page` would (its `Referer`).
async fn decide(
    app: &TestApp,
    client: &reqwest::Client,
    page: Option<&str>,
    id: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client
        .post(app.url(&format!("/decisions/{id}")))
        .form(fields);
    if let Some(page) = page {
        request = request.header("referer", app.url(page));
    }
    request.send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

/// A price change held for review: its review, its offer and the price proposed.
async fn held_price_change(app: &TestApp) -> (i64, i64, i64) {
    let s = crate::listings::setup(app).await;
    let (product, reference) = s.products[0];
    let (supplier, st) = app.as_user("demo-supplier").await;
    let body = json!({"product_id": product, "price_fen": reference - 10, "stock": 9, "delivery_days": 3, "cities": [s.city]});
    let created: Value = post_json(app, &supplier, &st, "/api/v1/offers", body)
        .await
        .json()
        .await
        .unwrap();
    let offer = created["id"].as_i64().unwrap();
    let r = supplier
        .patch(app.url(&format!("/api/v1/offers/{offer}")))
        .header("x-csrf-token", &st)
        .json(&json!({"price_fen": reference + 500, "reason": "原材料上涨"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let review = app
        .id(&format!(
            "SELECT id FROM offer_reviews WHERE offer_id = {offer} AND state = 'open'"
        ))
        .await;
    (review, offer, reference + 500)
}

async fn a_held_listing_is_decided_with_a_plain_form_and_the_outcome_said_once(app: TestApp) {
    let (review, offer, proposed) = held_price_change(&app).await;
    let (operator, ot) = app.as_user("demo-operator").await;
    let queue = app.get_text(&operator, "/console/listings").await;
    assert!(
        queue.contains(&format!("action=\"/decisions/{review}\""))
            && queue.contains("value=\"listing:approve\"")
            && queue.contains("value=\"listing:reject\""),
        "each held listing is a form with a button per verdict"
    );
    // Without the session's token, from another role, or with a verdict that is not one:
    // nothing is decided.
    let approve = [("verdict", "listing:approve"), ("note", "")];
    let r = decide(&app, &operator, Some("/console/listings"), review, &approve).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let as_regulator = [("verdict", "listing:approve"), ("csrf_token", &rt)];
    let r = decide(&app, &regulator, None, review, &as_regulator).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the operator decides");
    let bogus = [("verdict", "listing:maybe"), ("csrf_token", &ot)];
    let r = decide(&app, &operator, None, review, &bogus).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let price = format!("SELECT price_fen FROM offers WHERE id = {offer}");
    assert_ne!(app.id(&price).await, proposed);

    // Approved: back to the page it came from, query and all, which says so once.
    let page = "/console/listings?from=queue";
    let approve = [("verdict", "listing:approve"), ("csrf_token", &ot)];
    let r = decide(&app, &operator, Some(page), review, &approve).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), page);
    assert_eq!(app.id(&price).await, proposed, "the new price is live");
    let said = app.get_text(&operator, page).await;
    assert!(
        said.contains("id=\"notice\"") && said.contains("已记录您的决定"),
        "{said}"
    );
    let again = app.get_text(&operator, page).await;
    assert!(!again.contains("id=\"notice\""), "said once");
    // Words put in the cookie by anyone but this server, for this session, are not shown.
    let login = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "demo-operator", "password": crate::helpers::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("emall_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_string();
    let forged = reqwest::Client::new()
        .get(app.url(page))
        .header(
            "cookie",
            format!("emall_session={session}; emall_notice=kind=done&text=%E8%AF%B7%E8%BD%AC%E8%B4%A6&mac=00"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(forged.contains("id=\"queue-heading\""), "the page itself");
    assert!(
        !forged.contains("id=\"notice\""),
        "an unsigned notice is ignored"
    );

    // Sent again (a second tab): no longer open, which is said; in English without a
    // Referer, the queue in English.
    let r = operator
        .post(app.url(&format!("/en/decisions/{review}")))
        .form(&approve)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/en/console/listings");
    let said = app.get_text(&operator, "/en/console/listings").await;
    assert!(said.contains("Not done: Someone else has decided this"));
    // A Referer on another site is not followed.
    let r = operator
        .post(app.url(&format!("/decisions/{review}")))
        .header("referer", "https://evil.example/console")
        .form(&approve)
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/console/listings");
}

async fn a_red_flag_and_an_appeal_are_decided_with_plain_forms_that_say_why(app: TestApp) {
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let now = emall_store::clock::now();
    sqlx::query(&format!(
        "INSERT INTO alerts (kind, key, supplier_id, evidence, details, created_at, updated_at) \
         VALUES ('above_reference', 'plain-form-test', {supplier_id}, \
         '{{\"orders\":[],\"offers\":[],\"suppliers\":[{supplier_id}]}}', '{{}}', {now}, {now})"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let alert = app
        .id("SELECT id FROM alerts WHERE key = 'plain-form-test'")
        .await;
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let page = format!("/console/alerts/{alert}");
    let shown = app.get_text(&regulator, &page).await;
    assert!(
        shown.contains(&format!("action=\"/decisions/{alert}\""))
            && shown.contains("value=\"alert:dismiss\"")
    );
    // A triage says why: without a note it is refused, and said on the alert's page.
    let dismiss = [
        ("verdict", "alert:dismiss"),
        ("note", "  "),
        ("csrf_token", &rt),
    ];
    let r = decide(&app, &regulator, Some(&page), alert, &dismiss).await;
    assert_eq!(location(&r), page);
    let said = app.get_text(&regulator, &page).await;
    assert!(said.contains("未完成：请填写理由。"), "{said}");
    let status =
        format!("SELECT CASE status WHEN 'open' THEN 1 ELSE 0 END FROM alerts WHERE id = {alert}");
    assert_eq!(app.id(&status).await, 1, "still open");
    let dismiss = [
        ("verdict", "alert:dismiss"),
        ("note", "价格随市场波动，已核实"),
        ("csrf_token", &rt),
    ];
    let r = decide(&app, &regulator, Some(&page), alert, &dismiss).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, note): (String, String) = sqlx::query_as(&format!(
        "SELECT status, note FROM alerts WHERE id = {alert}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), note.as_str()),
        ("dismissed", "价格随市场波动，已核实")
    );

    // An appealed credit entry is decided on the supplier's console page.
    let path = format!("/api/v1/suppliers/{supplier_id}/credit-entries");
    let body = json!({"kind": "warning", "reason": "迟延交货", "orders": []});
    let r = post_json(&app, &regulator, &rt, &path, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let entry = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (supplier, st) = app.as_user("demo-supplier").await;
    let appeal = format!("/api/v1/credit-entries/{entry}/appeal");
    let r = post_json(
        &app,
        &supplier,
        &st,
        &appeal,
        json!({"text": "交货记录附后"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let console = format!("/console/suppliers/{supplier_id}");
    let shown = app.get_text(&regulator, &console).await;
    assert!(
        shown.contains("value=\"appeal:overturn\""),
        "the appeal is a form"
    );
    let overturn = [
        ("verdict", "appeal:overturn"),
        ("note", "记录有误"),
        ("csrf_token", &rt),
    ];
    let r = decide(&app, &regulator, Some(&console), entry, &overturn).await;
    assert_eq!(location(&r), console);
    let said = app.get_text(&regulator, &console).await;
    assert!(said.contains("已记录您的决定"));
    let (state,): (String,) = sqlx::query_as(&format!(
        "SELECT state FROM credit_entries WHERE id = {entry}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(state, "overturned");
    // The supplier cannot decide its own appeal, even with its own token.
    let own = [
        ("verdict", "appeal:overturn"),
        ("note", "x"),
        ("csrf_token", &st),
    ];
    let r = decide(&app, &supplier, None, entry, &own).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn an_application_is_admitted_with_a_plain_form(app: TestApp) {
    use crate::onboarding::{company, uscc};
    let r = crate::helpers::client()
        .post(app.url("/api/v1/supplier-registrations"))
        .json(
            &json!({"company": company("上海表单入驻文具有限公司", &uscc(778)),
            "username": "formco-owner", "password": "Welcome2026!"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["supplier_id"]
        .as_i64()
        .unwrap();
    let (operator, ot) = app.as_user("demo-operator").await;
    let page = format!("/console/suppliers/{id}");
    let shown = app.get_text(&operator, &page).await;
    assert!(
        shown.contains(&format!("action=\"/decisions/{id}\""))
            && shown.contains("value=\"admission:request_changes\""),
        "the review is a form"
    );
    // Asking for changes says what: refused without a reason.
    let ask = [
        ("verdict", "admission:request_changes"),
        ("csrf_token", &ot),
    ];
    decide(&app, &operator, Some(&page), id, &ask).await;
    assert!(app
        .get_text(&operator, &page)
        .await
        .contains("未完成：请填写理由。"));
    let admit = [
        ("verdict", "admission:admit"),
        ("note", ""),
        ("csrf_token", &ot),
    ];
    let r = decide(&app, &operator, Some(&page), id, &admit).await;
    assert_eq!(location(&r), page);
    let (status,): (String,) =
        sqlx::query_as(&format!("SELECT status FROM suppliers WHERE id = {id}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(status, "admitted");
    let shown = app.get_text(&operator, &page).await;
    assert!(shown.contains("已记录您的决定") && !shown.contains("value=\"admission:admit\""));
}
