use crate::helpers::{csrf_cookie, TestApp, DEMO_PASSWORD};
use crate::on_both_backends;
use serde_json::{json, Value};

on_both_backends!(
    every_demo_account_signs_in_and_sees_its_home,
    wrong_password_is_refused_in_the_callers_language,
    missing_fields_are_named,
    repeated_failures_are_throttled,
    sign_out_ends_the_session,
    html_form_signs_in_and_redirects_home,
    cookies_are_http_only_and_same_site,
);

async fn every_demo_account_signs_in_and_sees_its_home(app: TestApp) {
    let cases = [
        ("demo-buyer", "buyer", "/buyer"),
        ("demo-approver", "approver", "/buyer"),
        ("demo-supplier", "supplier", "/workbench"),
        ("demo-operator", "operator", "/console"),
        ("demo-regulator", "regulator", "/console"),
    ];
    for (username, role, home) in cases {
        let (client, _) = app.as_user(username).await;
        let me: Value = app.get_json(&client, "/api/v1/auth/me").await;
        assert_eq!(me["role"], role, "{username}'s role");
        assert_eq!(me["home"], home, "{username}'s home");
        let page = client.get(app.url(home)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{username} opens {home}");
        assert_eq!(
            page.headers()["cache-control"],
            "private, no-store",
            "{home} is personal"
        );
        let html = page.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-CN\""), "{home} is zh-CN");
    }
}

async fn wrong_password_is_refused_in_the_callers_language(app: TestApp) {
    let cases = [
        ("zh-CN,zh;q=0.9", "用户名或密码错误。"),
        ("en-US,en;q=0.8", "Wrong username or password."),
    ];
    for (accept, message) in cases {
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("accept-language", accept)
            .json(&json!({"username": "demo-buyer", "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_credentials");
        assert_eq!(body["error"]["message"], message, "for {accept}");
    }
    let unknown = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "nobody", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401, "unknown users get the same answer");
}

async fn missing_fields_are_named(app: TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": " ", "password": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid");
    assert_eq!(body["error"]["fields"]["username"], "必填。");
    assert_eq!(body["error"]["fields"]["password"], "必填。");
}

async fn repeated_failures_are_throttled(app: TestApp) {
    for attempt in 1..=5 {
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "demo-operator", "password": format!("guess{attempt}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    let blocked = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "demo-operator", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        blocked.status(),
        429,
        "even the right password waits out the window"
    );
    assert!(blocked.headers().contains_key("retry-after"));
    // Other accounts are not locked out by someone guessing at one.
    app.sign_in("demo-regulator").await;
}

async fn sign_out_ends_the_session(app: TestApp) {
    let token = app.sign_in("demo-buyer").await;
    let refused = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        403,
        "sign-out without the CSRF token is refused"
    );
    let out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let me = app.get("/api/v1/auth/me").await;
    assert_eq!(me.status(), 401, "the session is gone");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0, "and deleted on the server");
}

async fn html_form_signs_in_and_redirects_home(app: TestApp) {
    let bad = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("username", "demo-supplier"),
            ("password", "nope"),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let html = bad.text().await.unwrap();
    assert!(html.contains("用户名或密码错误"), "the form shows why");
    assert!(
        html.contains("value=\"demo-supplier\""),
        "and keeps the username"
    );

    let good = app
        .client
        .post(app.url("/en/login"))
        .form(&[
            ("username", "demo-supplier"),
            ("password", DEMO_PASSWORD),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 303);
    assert_eq!(good.headers()["location"], "/en/workbench");

    let next = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("username", "demo-buyer"),
            ("password", DEMO_PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        next.headers()["location"],
        "/buyer",
        "an off-site next is ignored"
    );
}

async fn cookies_are_http_only_and_same_site(app: TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "demo-buyer", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("emall_session="))
        .expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("emall_csrf="))
        .expect("csrf cookie");
    assert!(
        !csrf.contains("HttpOnly"),
        "the page script must read the CSRF cookie"
    );
    assert!(csrf_cookie(&response).is_some_and(|t| t.len() == 64));
}
