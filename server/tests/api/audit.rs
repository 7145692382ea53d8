//! 审计日志: checkout and every lifecycle step leave chained entries in their own
//! transactions; concurrent checkouts keep the chain gapless, and concurrent sealers
//! number each entry once; the bureau reads an object's
//! log in words, others may not; `emall audit verify`'s check passes on the demo city and
//! names the entry an SQL UPDATE altered.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use crate::ordering::{buy_now, checkout_one, fixture, supplier_username};
use emall_domain::audit::Reason;
use emall_store::audit;
use emall_store::db::Backend;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    checkout_and_every_step_leave_chained_entries,
    concurrent_checkouts_keep_the_chain_gapless,
    the_bureau_reads_an_orders_log_and_nobody_else_does,
    verification_passes_on_the_demo_city_and_names_an_altered_entry,
    admissions_credit_and_settings_are_logged,
    the_timers_act_as_the_system,
);

/// `(seq, action, object_kind, object_id, amount_fen, actor_name)` of an object's entries.
type Row = (i64, String, String, i64, Option<i64>, String);

/// The chain's head once every entry committed so far is sealed into it.
async fn sealed_head(app: &TestApp) -> i64 {
    audit::seal(&app.db).await.expect("seal");
    app.id("SELECT seq FROM audit_head").await
}

/// An object's entries once every entry committed so far is sealed.
async fn entries_of(app: &TestApp, kind: &str, id: i64) -> Vec<Row> {
    audit::seal(&app.db).await.expect("seal");
    sqlx::query_as(&format!(
        "SELECT seq, action, object_kind, object_id, amount_fen, actor_name FROM audit_log \
         WHERE (object_kind = '{kind}' AND object_id = {id}) OR (related_kind = '{kind}' AND related_id = {id}) \
         ORDER BY seq"
    ))
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

async fn verify(app: &TestApp) -> audit::Verified {
    audit::verify_all(&app.db, |_| {}).await.expect("verify")
}

async fn act(app: &TestApp, client: &reqwest::Client, token: &str, order: i64, body: Value) {
    let action = body["action"].clone();
    let r = post_json(
        app,
        client,
        token,
        &format!("/api/v1/orders/{order}/actions"),
        body,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK, "{action}");
}

async fn checkout_and_every_step_leave_chained_entries(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let supplier_name = supplier_username(&app, offer).await;
    let (supplier, st) = app.as_user(&supplier_name).await;
    let head = sealed_head(&app).await;
    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 2).await;
    for (client, token, body) in [
        (&supplier, &st, json!({"action": "confirm"})),
        (&supplier, &st, json!({"action": "ship"})),
        (&supplier, &st, json!({"action": "deliver"})),
        (&buyer, &bt, json!({"action": "accept", "rating": 5})),
        (
            &supplier,
            &st,
            json!({"action": "invoice", "invoice_no": "26310000000000000042"}),
        ),
        (&buyer, &bt, json!({"action": "pay"})),
    ] {
        act(&app, client, token, order, body).await;
    }

    let log = entries_of(&app, "order", order).await;
    let actions: Vec<(&str, &str)> = log.iter().map(|r| (r.1.as_str(), r.2.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("place", "order"),
            ("confirm", "order"),
            ("sign", "contract"),
            ("ship", "order"),
            ("deliver", "order"),
            ("accept", "order"),
            ("invoice", "order"),
            ("pay", "order"),
        ],
        "the checkout and each step, and the contract signed at confirmation"
    );
    let seqs: Vec<i64> = log.iter().map(|r| r.0).collect();
    assert_eq!(
        seqs,
        (head + 1..=head + 8).collect::<Vec<_>>(),
        "appended in order after the head, nothing else in between"
    );
    assert_eq!(log[0].4, Some(price * 2), "the checkout froze the total");
    assert_eq!(log[0].5, "demo-buyer", "named by username");
    assert_eq!(log[1].5, supplier_name);
    assert_eq!(log[7].4, Some(price * 2), "the payment spent it");
    let (contract_sha,): (String,) = sqlx::query_as(&format!(
        "SELECT sha256 FROM contracts WHERE order_id = {order}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (signed,): (Option<String>,) = sqlx::query_as(&format!(
        "SELECT after_sha256 FROM audit_log WHERE seq = {}",
        seqs[2]
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        signed.as_deref(),
        Some(contract_sha.as_str()),
        "the contract's SHA-256 entered the chain"
    );
    // The budget line's own log has the freeze and the spend.
    let line: Vec<String> = entries_of(&app, "budget_line", f.budget_line)
        .await
        .into_iter()
        .filter(|r| r.3 == order)
        .map(|r| r.1)
        .collect();
    assert_eq!(line, ["place", "pay"]);
    // A refused step leaves nothing.
    let again = post_json(
        &app,
        &buyer,
        &bt,
        &format!("/api/v1/orders/{order}/actions"),
        json!({"action": "pay"}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(sealed_head(&app).await, head + 8);
    let v = verify(&app).await;
    assert!(v.result.is_ok(), "{:?}", v.result);
    assert_eq!(v.count as i64, head + 8);
}

async fn concurrent_checkouts_keep_the_chain_gapless(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, _) = f.offers[0];
    sqlx::query(&format!(
        "UPDATE offers SET stock = 1000 WHERE id = {offer}"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    // Lines of their own, so the checkouts do not queue on one budget row but only at the
    // chain's head.
    let mut lines = Vec::new();
    for i in 0..4 {
        lines.push(
            app.id(&format!(
                "INSERT INTO budget_lines (unit_id, code, fiscal_year, funding_source, purpose, amount_fen, created_at) \
                 VALUES ({}, 'TEST-AUDIT-{i}', 2026, 'general', '审计并发', 100000000, 0) RETURNING id",
                f.unit
            ))
            .await,
        );
    }
    let head = sealed_head(&app).await;
    let token = app.sign_in("demo-buyer").await;
    let requests = (0..40).map(|i| checkout_one(&app, &token, lines[i % lines.len()], offer));
    // Three sealers besides the node's own, racing the checkouts and one another.
    let done = std::sync::atomic::AtomicBool::new(false);
    let sealers = futures::future::join_all((0..3).map(|_| async {
        let mut sealed = 0;
        while !done.load(std::sync::atomic::Ordering::Acquire) {
            sealed += audit::seal(&app.db).await.expect("seal");
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        sealed
    }));
    let checkouts = async {
        let statuses = futures::future::join_all(requests).await;
        done.store(true, std::sync::atomic::Ordering::Release);
        statuses
    };
    let (statuses, _) = futures::join!(checkouts, sealers);
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    assert_eq!(
        sealed_head(&app).await,
        head + 40,
        "one entry per order, each sealed once"
    );
    assert_eq!(
        app.id("SELECT COUNT(*) FROM audit_pending").await,
        0,
        "none left waiting"
    );
    assert_eq!(
        app.id(&format!(
            "SELECT COUNT(DISTINCT object_id) FROM audit_log WHERE seq > {head} AND action = 'place'"
        ))
        .await,
        40
    );
    let v = verify(&app).await;
    assert!(
        v.result.is_ok(),
        "numbered without gaps and chained: {:?}",
        v.result
    );
}

async fn the_bureau_reads_an_orders_log_and_nobody_else_does(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, price) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let (supplier, st) = app.as_user(&supplier_username(&app, offer).await).await;
    let order = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    act(&app, &supplier, &st, order, json!({"action": "confirm"})).await;
    let api = format!("/api/v1/audit?object=order&id={order}");

    for (client, who) in [(&buyer, "buyer"), (&supplier, "supplier")] {
        let r = client.get(app.url(&api)).send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "the {who} may not read it"
        );
        let page = client
            .get(app.url(&format!("/console/audit?object=order&id={order}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "nor its page ({who})");
        let order_page = app.get_text(client, &format!("/orders/{order}")).await;
        assert!(
            !order_page.contains(r#"id="audit-link""#),
            "no link for the {who}"
        );
    }
    let anonymous = crate::helpers::client()
        .get(app.url(&api))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let (regulator, _) = app.as_user("demo-regulator").await;
    let r = regulator.get(app.url(&api)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let log: Value = r.json().await.unwrap();
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["place", "confirm", "sign"]);
    assert!(entries.iter().all(|e| e["verified"] == true), "{log}");
    assert_eq!(log["chain"]["broken_at"], Value::Null);
    assert_eq!(entries[0]["actor_username"], "demo-buyer");
    assert!(entries[0]["actor_name"].is_string(), "the buyer's name");
    assert_eq!(entries[0]["amount"], price);
    assert_eq!(entries[0]["related"]["kind"], "budget_line");
    assert!(log["object"]["label"].as_str().unwrap().starts_with("EM"));

    let bad = regulator
        .get(app.url("/api/v1/audit?object=nonsense&id=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let no_id = regulator
        .get(app.url("/api/v1/audit?object=order"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_id.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The page, in words: names, yuan, actions; linked from the order and the console.
    let order_page = app.get_text(&regulator, &format!("/orders/{order}")).await;
    assert!(order_page.contains(&format!("/console/audit?object=order&amp;id={order}")));
    let console = app.get_text(&regulator, "/console").await;
    assert!(console.contains(r#"href="/console/audit""#));
    let yuan = emall_domain::Fen(price).to_string();
    for (path, words) in [
        (
            format!("/console/audit?object=order&id={order}"),
            [
                "下单，冻结预算",
                "供应商确认订单",
                "签订电子合同",
                "哈希链校验通过",
            ],
        ),
        (
            format!("/en/console/audit?object=order&id={order}"),
            [
                "Ordered; budget frozen",
                "Confirmed by the supplier",
                "Contract signed",
                "The hash chain verifies",
            ],
        ),
    ] {
        let html = app.get_text(&regulator, &path).await;
        for w in words {
            assert!(html.contains(w), "{path} says {w}");
        }
        assert!(html.contains(&yuan), "{path} shows {yuan}");
        assert!(html.contains("(demo-buyer)"), "{path} names the buyer");
        assert!(
            !html.contains(">place<") && !html.contains(">confirm<"),
            "{path}: no codes"
        );
        assert_eq!(html.matches(r#"data-verified="true""#).count(), 3, "{path}");
    }
    // The console's list of the newest entries, and the form without script.
    let newest = app.get_text(&regulator, "/console/audit").await;
    assert!(newest.contains(r#"id="audit-form""#) && newest.contains("data-seq"));
    let (operator, _) = app.as_user("demo-operator").await;
    let r = operator.get(app.url(&api)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the operator reads it too");
}

async fn verification_passes_on_the_demo_city_and_names_an_altered_entry(app: TestApp) {
    let v = verify(&app).await;
    assert!(
        v.result.is_ok(),
        "the demo city's chain holds: {:?}",
        v.result
    );
    let head = sealed_head(&app).await;
    assert!(
        head > 10_000,
        "the demo's history went through the real functions"
    );
    assert_eq!(v.count as i64, head);
    for (action, at_least) in [
        ("place", 2_000),
        ("sign", 1_000),
        ("pay", 1_000),
        ("commit", 1),
        ("award", 1),
        ("pool_order", 1),
        ("fail", 1),
        ("release", 1),
    ] {
        let n = app
            .id(&format!(
                "SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"
            ))
            .await;
        assert!(n >= at_least, "{action}: {n}");
    }

    // The table refuses changes…
    let victim = head / 2;
    let (order,): (i64,) = sqlx::query_as(&format!(
        "SELECT object_id FROM audit_log WHERE seq = {victim}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let alter = format!(
        "UPDATE audit_log SET amount_fen = COALESCE(amount_fen, 0) + 1 WHERE seq = {victim}"
    );
    assert!(
        sqlx::query(&alter).execute(app.db.pool()).await.is_err(),
        "the log is append-only"
    );
    // …until someone with the rights drops the guard: then the chain shows it.
    let drop = match app.backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "DROP TRIGGER audit_log_no_change ON audit_log",
    };
    sqlx::query(drop).execute(app.db.pool()).await.unwrap();
    sqlx::query(&alter).execute(app.db.pool()).await.unwrap();
    let v = verify(&app).await;
    let (broken, found) = v.result.expect_err("the altered entry is found");
    assert_eq!(broken.seq, victim);
    assert_eq!(broken.reason, Reason::Hash);
    assert_eq!(found.map(|e| e.seq), Some(victim), "the row is named");
    assert_eq!(v.count as i64, victim - 1, "everything before it verifies");

    // The bureau's view of that entry's object says so.
    let (kind,): (String,) = sqlx::query_as(&format!(
        "SELECT object_kind FROM audit_log WHERE seq = {victim}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (regulator, _) = app.as_user("demo-regulator").await;
    let log: Value = app
        .get_json(
            &regulator,
            &format!("/api/v1/audit?object={kind}&id={order}"),
        )
        .await;
    assert_eq!(log["chain"]["broken_at"], victim);
    assert_eq!(log["chain"]["broken_reason"], "hash");
    for e in log["entries"].as_array().unwrap() {
        let seq = e["seq"].as_i64().unwrap();
        assert_eq!(e["verified"], seq < victim, "entry {seq}");
    }
    let html = app
        .get_text(
            &regulator,
            &format!("/console/audit?object={kind}&id={order}"),
        )
        .await;
    assert!(html.contains(&format!(r#"data-broken-at="{victim}""#)));
    assert!(html.contains("哈希链在第") && html.contains("已被改动"));
}

async fn admissions_credit_and_settings_are_logged(app: TestApp) {
    // A supplier registers and the operator admits it.
    let r = crate::helpers::client()
        .post(app.url("/api/v1/supplier-registrations"))
        .json(&json!({
            "company": crate::onboarding::company("上海审计测试文具有限公司", &crate::onboarding::uscc(4242)),
            "username": "audit-newco",
            "password": "Welcome2026!",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let supplier = r.json::<Value>().await.unwrap()["supplier_id"]
        .as_i64()
        .unwrap();
    let (operator, ot) = app.as_user("demo-operator").await;
    let admit = post_json(
        &app,
        &operator,
        &ot,
        &format!("/api/v1/suppliers/{supplier}/review"),
        json!({"decision": "admit"}),
    )
    .await;
    assert!(admit.status().is_success(), "{}", admit.status());
    // The regulator warns it.
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let warned = post_json(
        &app,
        &regulator,
        &rt,
        &format!("/api/v1/suppliers/{supplier}/credit-entries"),
        json!({"kind": "warning", "reason": "资质材料不全"}),
    )
    .await;
    assert_eq!(warned.status(), StatusCode::CREATED);
    let entry = warned.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    // The operator loads a year of the working-day calendar.
    let year = 2031;
    let text = format!(
        "year = {year}\nholidays = [\"{year}-01-01\", \"{year}-05-01..{year}-05-02\", \"{year}-10-01..{year}-10-03\"]\n"
    );
    let loaded = operator
        .post(app.url("/api/v1/calendar/years"))
        .header("x-csrf-token", &ot)
        .header("content-type", "text/plain")
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(loaded.status(), StatusCode::CREATED);

    let supplier_log: Vec<String> = entries_of(&app, "supplier", supplier)
        .await
        .into_iter()
        .map(|r| format!("{} {}:{}", r.1, r.2, r.5))
        .collect();
    assert_eq!(
        supplier_log,
        [
            "register supplier:audit-newco",
            "admit supplier:demo-operator",
            "warn credit_entry:demo-regulator",
        ]
    );
    assert_eq!(entries_of(&app, "credit_entry", entry).await.len(), 1);
    let calendar = entries_of(&app, "calendar_year", i64::from(year)).await;
    assert_eq!(calendar.len(), 1);
    assert_eq!(
        (calendar[0].1.as_str(), calendar[0].5.as_str()),
        ("load_calendar", "demo-operator")
    );
    let v = verify(&app).await;
    assert!(v.result.is_ok(), "{:?}", v.result);
    // The timers verify what is new and move the checkpoint: pages start from there.
    let report = emall_server::timers::run_once(&app.state, emall_store::clock::now(), false)
        .await
        .unwrap();
    assert_eq!(report.audit_broken_at, None);
    let cp = audit::checkpoint(&app.db).await.unwrap();
    assert_eq!(cp.seq, sealed_head(&app).await);
}

async fn the_timers_act_as_the_system(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, _) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let late = buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    let unpaid = app
        .id("SELECT MIN(id) FROM orders WHERE status = 'accepted' AND payment_overdue = 0")
        .await;
    let now = emall_store::clock::now();
    for sql in [
        format!(
            "UPDATE orders SET confirm_by = {} WHERE id = {late}",
            now - 1
        ),
        format!(
            "UPDATE orders SET payment_due_at = {} WHERE id = {unpaid}",
            now - 1
        ),
    ] {
        sqlx::query(&sql).execute(app.db.pool()).await.unwrap();
    }
    emall_server::timers::run_once(&app.state, now, false)
        .await
        .unwrap();
    let system = |kind: &'static str, id: i64| {
        let app = &app;
        async move {
            let rows: Vec<(String, Option<i64>, String)> = sqlx::query_as(&format!(
                "SELECT action, actor_id, actor_name FROM audit_log \
                 WHERE object_kind = '{kind}' AND object_id = {id} AND actor_id IS NULL ORDER BY seq"
            ))
            .fetch_all(app.db.pool())
            .await
            .unwrap();
            rows
        }
    };
    assert_eq!(
        system("order", late).await,
        [("cancel".to_string(), None, String::new())],
        "not confirmed in time: cancelled by the system, the money released"
    );
    assert_eq!(
        system("order", unpaid).await,
        [("flag_overdue".to_string(), None, String::new())]
    );
    let v = verify(&app).await;
    assert!(v.result.is_ok(), "{:?}", v.result);
}
