//! 采购意向公开 without script: the buyer home's form publishes an intention (refused, the
//! home comes back with the form as typed and every reason), and the unit withdraws it with
//! its own form; the home says what was done.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;

on_both_backends!(an_intention_is_published_and_withdrawn_with_plain_forms);

async fn an_intention_is_published_and_withdrawn_with_plain_forms(app: TestApp) {
    let year = i64::from(emall_store::clock::year_of(emall_store::clock::now()));
    let next = (year + 1).to_string();
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let home = app.get_text(&buyer, "/buyer").await;
    assert!(
        home.contains("action=\"/buyer/intentions\"") && home.contains("name=\"category_code\"")
    );
    let post = |fields: Vec<(&'static str, String)>| {
        let request = buyer.post(app.url("/buyer/intentions")).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let form = |title: &str, category: &str, budget: &str| {
        vec![
            ("csrf_token", bt.clone()),
            ("year", next.clone()),
            ("month", "3".to_string()),
            ("title", title.to_string()),
            ("category_code", category.to_string()),
            ("budget", budget.to_string()),
            ("description", "A4 70g，约 400 箱".to_string()),
        ]
    };
    // Every fault at once, the form as typed.
    let r = post(form("", "", "一万二")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"intention-errors\""), "{refused}");
    let faults = refused.matches("<li>").count();
    assert!(faults >= 3, "title, category and budget: {faults}");
    assert!(refused.contains("value=\"一万二\"") && refused.contains("约 400 箱"));
    assert!(
        refused.contains(&format!("<option value=\"{next}\" selected")),
        "the year kept"
    );
    let count = "SELECT COUNT(*) FROM procurement_intentions";
    assert_eq!(app.id(count).await, 0);
    // Published: the home says so and lists it with its withdraw form.
    let r = post(form("办公用复印纸", "A05", "12,000.00")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/buyer#intentions-heading");
    let home = app.get_text(&buyer, "/buyer").await;
    assert!(home.contains("采购意向已公开") && home.contains("办公用复印纸"));
    let id = app.id("SELECT MAX(id) FROM procurement_intentions").await;
    let withdraw = format!("/buyer/intentions/{id}/withdraw");
    assert!(home.contains(&format!("action=\"{withdraw}\"")));
    // Another unit cannot withdraw it; its own unit can, once.
    let (supplier, st) = app.as_user("demo-supplier").await;
    let r = supplier
        .post(app.url(&withdraw))
        .form(&[("csrf_token", &st)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let send = || {
        buyer
            .post(app.url(&withdraw))
            .header("referer", app.url("/buyer"))
            .form(&[("csrf_token", &bt)])
            .send()
    };
    let r = send().await.unwrap();
    assert_eq!(r.headers()["location"], "/buyer");
    assert!(app
        .get_text(&buyer, "/buyer")
        .await
        .contains("采购意向已撤回"));
    send().await.unwrap();
    assert!(app
        .get_text(&buyer, "/buyer")
        .await
        .contains("未完成：该采购意向已撤回。"));
}
