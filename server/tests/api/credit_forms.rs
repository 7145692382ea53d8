//! 信用记录 without script: the regulator records an entry with a plain form (a suspension
//! or revocation only once ticked), the supplier appeals from its workbench, the bureau
//! scans for red flags; each returns to its page, which says what was done or why not.

use crate::helpers::TestApp;
use crate::on_both_backends;
use reqwest::StatusCode;

on_both_backends!(credit_entries_appeals_and_scans_are_plain_forms);

/// Posts a plain form as a browser on `page` would, and reads the page it returns to.
async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = client
        .post(app.url(action))
        .header("referer", app.url(page))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = r.status();
    if status != StatusCode::SEE_OTHER {
        return (status, r.text().await.unwrap());
    }
    assert_eq!(r.headers()["location"], page);
    (status, app.get_text(client, page).await)
}

async fn entries(app: &TestApp, supplier: i64) -> i64 {
    app.id(&format!(
        "SELECT COUNT(*) FROM credit_entries WHERE supplier_id = {supplier}"
    ))
    .await
}

async fn credit_entries_appeals_and_scans_are_plain_forms(app: TestApp) {
    let supplier_id = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let console = format!("/console/suppliers/{supplier_id}");
    let action = format!("/suppliers/{supplier_id}/credit-entries");
    let shown = app.get_text(&regulator, &console).await;
    assert!(
        shown.contains(&format!("action=\"{action}\"")) && shown.contains("name=\"confirmed\"")
    );
    let before = entries(&app, supplier_id).await;

    // A suspension is heavy: not without the tick.
    let suspend = [
        ("csrf_token", rt.as_str()),
        ("kind", "suspension"),
        ("days", "10"),
        ("reason", "串通报价"),
    ];
    let (status, page) = send(&app, &regulator, &console, &action, &suspend).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        page.contains("未完成：暂停或清退须勾选确认后再提交。"),
        "{page}"
    );
    assert_eq!(entries(&app, supplier_id).await, before);
    // A warning without grounds is refused; with them it is recorded.
    let bare = [
        ("csrf_token", rt.as_str()),
        ("kind", "warning"),
        ("reason", " "),
    ];
    let (_, page) = send(&app, &regulator, &console, &action, &bare).await;
    assert!(page.contains("未完成：请填写理由。"));
    let warn = [
        ("csrf_token", rt.as_str()),
        ("kind", "warning"),
        ("reason", "迟延交货三次"),
        ("orders", "1, 2,x"),
    ];
    let (_, page) = send(&app, &regulator, &console, &action, &warn).await;
    assert!(page.contains("已记入信用记录"), "{page}");
    assert_eq!(entries(&app, supplier_id).await, before + 1);
    let entry = app
        .id(&format!(
            "SELECT MAX(id) FROM credit_entries WHERE supplier_id = {supplier_id}"
        ))
        .await;

    // The supplier appeals from its workbench: grounds needed, and only once.
    let (supplier, st) = app.as_user("demo-supplier").await;
    let appeal = format!("/credit-entries/{entry}/appeal");
    let home = app.get_text(&supplier, "/workbench").await;
    assert!(
        home.contains(&format!("action=\"{appeal}\"")),
        "the entry has an appeal form"
    );
    let (_, page) = send(
        &app,
        &supplier,
        "/workbench",
        &appeal,
        &[("csrf_token", &st), ("text", "")],
    )
    .await;
    assert!(page.contains("未完成：请填写理由。"));
    let grounds = [
        ("csrf_token", st.as_str()),
        ("text", "三次均因暴雨封路，附证明"),
    ];
    let (_, page) = send(&app, &supplier, "/workbench", &appeal, &grounds).await;
    assert!(page.contains("申诉已提交"), "{page}");
    let (_, page) = send(&app, &supplier, "/workbench", &appeal, &grounds).await;
    assert!(page.contains("未完成："), "appealed once");
    // Only the regulator records.
    let (status, _) = send(
        &app,
        &supplier,
        "/workbench",
        &action,
        &[("csrf_token", &st), ("kind", "warning"), ("reason", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The bureau scans now, from the alerts page.
    let alerts = app.get_text(&regulator, "/console/alerts").await;
    assert!(alerts.contains("id=\"scan-form\"") && alerts.contains("form=\"scan-form\""));
    let (_, page) = send(
        &app,
        &regulator,
        "/console/alerts",
        "/console/alerts/scan",
        &[("csrf_token", &rt)],
    )
    .await;
    assert!(page.contains("扫描完成"), "{page}");
}
