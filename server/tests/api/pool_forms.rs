//! A person's part in a pool without script: the pool's kept page links to a personal page
//! where a unit commits, changes and withdraws, a supplier bids its tiers in yuan, and the
//! operator closes early, each a plain form; a refused form comes back as typed, with why.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::pools::{fixture, open};
use emall_domain::Fen;
use reqwest::StatusCode;

on_both_backends!(a_pool_is_joined_bid_and_closed_with_plain_forms);

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    pool: i64,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/pools/{pool}/part")))
        .form(fields)
        .send()
        .await
        .unwrap()
}

async fn a_pool_is_joined_bid_and_closed_with_plain_forms(app: TestApp) {
    let f = fixture(&app, 2).await;
    let pool = open(&app, &f, 10).await;
    let part = format!("/pools/{pool}/part");
    let public = app
        .get(&format!("/pools/{pool}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        public.contains(&format!("href=\"{part}\"")),
        "the kept page leads to the personal one"
    );

    // A supplier bids in yuan: above the ceiling comes back as typed, with why.
    let (supplier, st) = app.as_user(&f.suppliers[0].0).await;
    let page = app.get_text(&supplier, &part).await;
    assert!(page.contains("name=\"tier_from\"") && page.contains("value=\"bid\""));
    let above = Fen(f.ceiling + 100).to_plain_yuan();
    let bid = [
        ("csrf_token", st.as_str()),
        ("step", "bid"),
        ("tier_from", "1"),
        ("tier_price", &above),
    ];
    let r = send(&app, &supplier, pool, &bid).await;
    assert_eq!(r.status(), StatusCode::OK);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"part-error\"") && refused.contains("不得高于最高限价"));
    assert!(
        refused.contains(&format!("value=\"{above}\"")),
        "the row as typed"
    );
    let price = Fen(f.ceiling * 9 / 10).to_plain_yuan();
    let bid = [
        ("csrf_token", st.as_str()),
        ("step", "bid"),
        ("tier_from", "1"),
        ("tier_price", &price),
    ];
    let r = send(&app, &supplier, pool, &bid).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], part.as_str());
    let page = app.get_text(&supplier, &part).await;
    assert!(page.contains("报价已提交") && page.contains(&format!("value=\"{price}\"")));

    // A buyer commits: a quantity in words is refused in place; a number freezes money.
    let (buyer, bt) = app.as_user(&f.buyers[0].0).await;
    let line = f.buyers[0].2.to_string();
    let page = app.get_text(&buyer, &part).await;
    assert!(page.contains("name=\"budget_line_id\"") && page.contains("name=\"quantity\""));
    let commit = |quantity: &'static str| {
        [
            ("csrf_token", bt.clone()),
            ("step", "commit".into()),
            ("budget_line_id", line.clone()),
            ("quantity", quantity.into()),
        ]
    };
    let r = buyer
        .post(app.url(&part))
        .form(&commit("十二"))
        .send()
        .await
        .unwrap();
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains("数量须为") && refused.contains("value=\"十二\""),
        "{refused}"
    );
    let r = buyer
        .post(app.url(&part))
        .form(&commit("12"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let committed = format!(
        "SELECT quantity FROM pool_commitments WHERE pool_id = {pool} AND unit_id = {} AND state = 'active'",
        f.buyers[0].1
    );
    assert_eq!(app.id(&committed).await, 12);
    let page = app.get_text(&buyer, &part).await;
    assert!(page.contains("相应预算已冻结") && page.contains("id=\"my-commitment\""));
    assert!(page.contains("value=\"withdraw\""), "once in, it can leave");
    // Without the session's token nothing happens.
    let forged = [("step", "withdraw")];
    assert_eq!(
        send(&app, &buyer, pool, &forged).await.status(),
        StatusCode::FORBIDDEN
    );
    let withdraw = [("csrf_token", bt.as_str()), ("step", "withdraw")];
    assert_eq!(
        send(&app, &buyer, pool, &withdraw).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(app
        .get_text(&buyer, &part)
        .await
        .contains("冻结的预算已释放"));

    // Another unit commits; only the operator closes, and then the pool is awarded.
    let (other, ot) = app.as_user(&f.buyers[1].0).await;
    let other_line = f.buyers[1].2.to_string();
    let join = [
        ("csrf_token", ot.as_str()),
        ("step", "commit"),
        ("budget_line_id", &other_line),
        ("quantity", "20"),
    ];
    assert_eq!(
        send(&app, &other, pool, &join).await.status(),
        StatusCode::SEE_OTHER
    );
    let close = [("csrf_token", ot.as_str()), ("step", "close")];
    assert_eq!(
        send(&app, &other, pool, &close).await.status(),
        StatusCode::FORBIDDEN
    );
    let (operator, opt) = app.as_user("demo-operator").await;
    let close = [("csrf_token", opt.as_str()), ("step", "close")];
    let r = send(&app, &operator, pool, &close).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app
        .get_text(&operator, &part)
        .await
        .contains("已提前截止并完成结算"));
    let (state,): (String,) = sqlx::query_as(&format!("SELECT state FROM pools WHERE id = {pool}"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(state, "awarded");
    // Closed: a late commitment is refused in words, not with an error page.
    let r = send(&app, &other, pool, &join).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("不在征集期内"));
}
