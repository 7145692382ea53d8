use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    storefront_is_public_zh_cn_and_the_same_for_everyone,
    english_pages_live_under_en,
    unknown_pages_are_404
);

async fn storefront_is_public_zh_cn_and_the_same_for_everyone(app: TestApp) {
    let first = app.get("/").await;
    assert_eq!(first.status(), 200);
    assert!(first.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
    let a = first.text().await.unwrap();
    assert!(a.starts_with("<!DOCTYPE html><html lang=\"zh-CN\""));
    assert!(
        a.contains("政府采购电子卖场") && a.contains("上海市"),
        "names the mall and the city"
    );
    app.sign_in("demo-buyer").await;
    let b = app.get("/").await.text().await.unwrap();
    assert_eq!(a, b, "a signed-in visitor gets the same bytes as anyone");
    let suzhou = app.get("/?city=320500").await.text().await.unwrap();
    assert!(
        suzhou.contains("<option value=\"320500\" selected"),
        "the city comes from the URL"
    );
    assert_eq!(app.get("/?city=999999").await.status(), 404);
}

async fn english_pages_live_under_en(app: TestApp) {
    let html = app.get("/en").await.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Government e-Procurement Mall"));
    assert!(html.contains("href=\"/\""), "links back to Chinese");
    let login = app.get("/en/login").await.text().await.unwrap();
    assert!(login.contains("action=\"/en/login\""));
}

async fn unknown_pages_are_404(app: TestApp) {
    let page = app.get("/no-such-page").await;
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("页面不存在"));
    let api = app.get("/api/v1/no-such-thing").await;
    assert_eq!(api.status(), 404);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}
