//! 供应商入驻: registration with precise errors, the operator's review, resubmission.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    registration_reports_precise_field_errors,
    a_registered_supplier_is_reviewed_corrected_and_admitted,
);

/// A valid USCC for a serial number (the check character computed).
pub fn uscc(serial: u32) -> String {
    let first = format!("91310115MA{serial:06}Y");
    let check = emall_domain::uscc::check_character(first.as_bytes()).unwrap();
    format!("{first}{check}")
}

pub fn company(name: &str, uscc: &str) -> Value {
    json!({
        "company_name": name,
        "uscc": uscc,
        "legal_rep": "王建国",
        "contact": "李敏",
        "phone": "13812345678",
        "email": "sales@example.cn",
        "city": "310100",
        "district": "310115",
        "address": "浦东新区张江路 100 号",
        "size": "small",
        "sme_declared": true,
        "bank_name": "中国工商银行上海张江支行",
        "bank_account": "1001234567890123456",
        "bank_account_name": name,
        "cities": ["310100", "330100"],
    })
}

async fn register(app: &TestApp, company: Value, username: &str) -> reqwest::Response {
    crate::helpers::client()
        .post(app.url("/api/v1/supplier-registrations"))
        .json(&json!({"company": company, "username": username, "password": "Welcome2026!"}))
        .send()
        .await
        .unwrap()
}

async fn registration_reports_precise_field_errors(app: TestApp) {
    let form = app.get("/supplier/register").await;
    assert_eq!(form.status(), StatusCode::OK);
    assert!(form.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    assert!(form.text().await.unwrap().contains(r#"id="registration""#));
    let good = uscc(123);
    let wrong = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let r = register(&app, company("上海测试办公设备有限公司", &wrong), "newco").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let msg = body["error"]["fields"]["uscc"].as_str().unwrap();
    assert!(
        msg.contains("校验位错误") && msg.contains(&good[17..]),
        "{msg}"
    );

    let mut bad = company("上海测试办公设备有限公司", "91310115ma0001 2");
    bad["phone"] = json!("123");
    bad["district"] = json!("330102");
    bad["sme_declared"] = json!(false);
    let r = crate::helpers::client()
        .post(app.url("/api/v1/supplier-registrations"))
        .header("accept-language", "en")
        .json(&json!({"company": bad, "username": "X", "password": "short"}))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    let fields = body["error"]["fields"].as_object().unwrap();
    for f in [
        "uscc",
        "phone",
        "district",
        "sme_declared",
        "username",
        "password",
    ] {
        assert!(fields.contains_key(f), "{f} in {body}");
    }
    assert!(fields["uscc"].as_str().unwrap().contains("18 characters"));

    // The demo's suppliers hold their codes: a second registration of one is refused.
    let (taken,): (String,) = sqlx::query_as("SELECT uscc FROM suppliers ORDER BY id LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = register(&app, company("另一家公司名称", &taken), "another").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["uscc"]
        .as_str()
        .unwrap()
        .contains("已注册"));
    let r = register(&app, company("另一家公司名称", &uscc(124)), "demo-buyer").await;
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["username"].is_string(), "{body}");
    assert_eq!(
        app.id("SELECT COUNT(*) FROM suppliers WHERE name = '另一家公司名称'")
            .await,
        0,
        "nothing half-written"
    );
}

async fn a_registered_supplier_is_reviewed_corrected_and_admitted(app: TestApp) {
    let r = register(
        &app,
        company("上海新入驻文具有限公司", &uscc(777)),
        "newco-owner",
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["supplier_id"]
        .as_i64()
        .unwrap();
    let supplier = crate::helpers::client();
    let login = supplier
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "newco-owner", "password": "Welcome2026!"}))
        .send()
        .await
        .unwrap();
    let st = crate::helpers::csrf_cookie(&login).unwrap();
    let mine: Value = app
        .get_json(&supplier, "/api/v1/suppliers/me/application")
        .await;
    assert_eq!(
        (mine["status"].as_str(), mine["review_state"].as_str()),
        (Some("pending"), Some("submitted"))
    );
    assert_eq!(mine["company"]["cities"], json!(["310100", "330100"]));
    let put = |body: Value| {
        let (supplier, st) = (supplier.clone(), st.clone());
        let url = app.url("/api/v1/suppliers/me/application");
        async move {
            supplier
                .put(url)
                .header("x-csrf-token", st)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        put(company("上海新入驻文具有限公司", &uscc(777)))
            .await
            .status(),
        StatusCode::CONFLICT,
        "nothing asked yet"
    );

    let home = app.get_text(&supplier, "/workbench").await;
    assert!(
        home.contains(r#"id="application-state""#),
        "the supplier sees where it stands"
    );
    let (operator, ot) = app.as_user("demo-operator").await;
    let console = app.get_text(&operator, "/console").await;
    assert!(
        console.contains(&format!("/console/suppliers/{id}")),
        "in the admission queue"
    );
    let page = app
        .get_text(&operator, &format!("/console/suppliers/{id}"))
        .await;
    assert!(page.contains(r#"id="decide-admit""#) && page.contains("上海新入驻文具有限公司"));
    let (regulator, _) = app.as_user("demo-regulator").await;
    let page = app
        .get_text(&regulator, &format!("/console/suppliers/{id}"))
        .await;
    assert!(
        !page.contains(r#"id="decide-admit""#),
        "the regulator reads, the operator decides"
    );
    let review = |body: Value| {
        let (operator, ot) = (operator.clone(), ot.clone());
        let url = app.url(&format!("/api/v1/suppliers/{id}/review"));
        async move {
            operator
                .post(url)
                .header("x-csrf-token", ot)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        review(json!({"decision": "request_changes"}))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    assert_eq!(
        review(json!({"decision": "request_changes", "reason": "请补充联系人电话"}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        review(json!({"decision": "admit"})).await.status(),
        StatusCode::CONFLICT,
        "waiting for the supplier"
    );
    let mine: Value = app
        .get_json(&supplier, "/api/v1/suppliers/me/application")
        .await;
    assert_eq!(mine["review_state"], "changes_requested");
    assert_eq!(mine["review_reason"], "请补充联系人电话");

    let mut fixed = company("上海新入驻文具有限公司", &uscc(777));
    fixed["phone"] = json!("021-5080 1234");
    assert_eq!(put(fixed).await.status(), StatusCode::NO_CONTENT);
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let r = buyer
        .post(app.url(&format!("/api/v1/suppliers/{id}/review")))
        .header("x-csrf-token", bt)
        .json(&json!({"decision": "admit"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        review(json!({"decision": "admit"})).await.status(),
        StatusCode::NO_CONTENT
    );
    let mine: Value = app
        .get_json(&supplier, "/api/v1/suppliers/me/application")
        .await;
    assert_eq!(
        (mine["status"].as_str(), mine["review_state"].as_str()),
        (Some("admitted"), Some("admitted"))
    );
    assert_eq!(mine["company"]["phone"], "021-5080 1234");
    let history = app
        .id(&format!(
            "SELECT COUNT(*) FROM supplier_reviews WHERE supplier_id = {id}"
        ))
        .await;
    assert_eq!(history, 4, "submit, request changes, submit, admit");
}
