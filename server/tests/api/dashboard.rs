//! 一屏管交易: the dashboard's pre-aggregated figures agree with the orders themselves,
//! follow a new order and its cancellation after a refresh, narrow by category and unit,
//! export every table, and refuse bad filters and the wrong people.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::ordering::{buy_now, fixture};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    the_dashboard_agrees_with_the_orders_and_follows_changes,
    dashboard_filters_exports_and_access,
    the_console_page_never_fails_on_its_filter,
);

const CONTRACTED: &str =
    "('placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced', 'paid')";

/// `(orders, fen, sme fen)` straight from the orders of the last twelve months, as the
/// dashboard should count them.
async fn from_orders(app: &TestApp, since: i64, extra: &str) -> (i64, i64, i64) {
    sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(o.total_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN s.size <> 'large' THEN o.total_fen ELSE 0 END), 0) AS BIGINT) \
         FROM orders o JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.status IN {CONTRACTED} AND o.created_at >= {since} {extra}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

fn twelve_months_start() -> i64 {
    let now = emall_store::clock::now();
    emall_domain::calendar::Month::of(now).plus(-11).start()
}

async fn refresh(app: &TestApp, client: &reqwest::Client, token: &str) -> Value {
    let r = client
        .post(app.url("/api/v1/dashboard/refresh"))
        .header("x-csrf-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn the_dashboard_agrees_with_the_orders_and_follows_changes(app: TestApp) {
    let (regulator, token) = app.as_user("demo-regulator").await;
    let first = refresh(&app, &regulator, &token).await;
    assert!(first["months"].as_u64().unwrap() >= 12, "{first}");

    let since = twelve_months_start();
    let (orders, fen, sme) = from_orders(&app, since, "").await;
    assert!(orders > 100, "the demo city has a year of orders");
    let d: Value = app.get_json(&regulator, "/api/v1/dashboard").await;
    let totals = &d["totals"];
    assert_eq!(totals["orders"], orders);
    assert_eq!(totals["amount"], fen);
    assert_eq!(totals["sme_amount"], sme);
    assert_eq!(d["monthly"].as_array().unwrap().len(), 12);
    let monthly_sum: i64 = d["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(monthly_sum, fen);
    // Breakdowns add up to the total (each is cut to 15 lines on the page, so compare
    // the units' full export instead below); shares are of the total.
    let top = &d["by_supplier"][0];
    assert_eq!(
        top["share_bp"].as_i64().unwrap(),
        top["figures"]["amount"].as_i64().unwrap() * 10_000 / fen
    );
    let c = &d["concentration"];
    assert!(c["hhi"].as_i64().unwrap() > 0 && c["hhi"].as_i64().unwrap() <= 10_000);
    // Savings against reference prices: the reference value of the same items.
    let (reference,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(SUM(p.ref_price_fen * i.quantity) AS BIGINT) FROM orders o \
         JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id \
         WHERE o.status IN {CONTRACTED} AND o.created_at >= {since}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(totals["reference"], reference);
    // Late payments: the overdue and unpaid orders.
    let (overdue,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM orders WHERE payment_overdue = 1 AND paid_at IS NULL \
         AND status IN {CONTRACTED} AND created_at >= {since}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(totals["overdue"], overdue);

    // A new order shows after a refresh, and leaves when it is cancelled.
    let f = fixture(&app).await;
    let (buyer, buyer_token) = app.as_user("demo-buyer").await;
    let order = buy_now(&app, &buyer, &buyer_token, f.budget_line, f.offers[0].0, 3).await;
    let (total,): (i64,) =
        sqlx::query_as(&format!("SELECT total_fen FROM orders WHERE id = {order}"))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let stale: Value = app.get_json(&regulator, "/api/v1/dashboard").await;
    assert_eq!(
        stale["totals"]["orders"], orders,
        "figures change only on refresh"
    );
    // The months of the orders changed since the last refresh (less its margin, so the
    // seeding's recent orders count too): this one and a few before it, not all.
    let changed: Vec<(i64,)> = sqlx::query_as(
        "SELECT created_at FROM orders \
         WHERE updated_at >= (SELECT watermark FROM rollup_state WHERE name = 'spend')",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let changed: std::collections::BTreeSet<_> = changed
        .into_iter()
        .map(|(at,)| emall_domain::calendar::Month::of(at))
        .collect();
    assert!(changed.contains(&emall_domain::calendar::Month::of(emall_store::clock::now())));
    let r = refresh(&app, &regulator, &token).await;
    assert_eq!(
        r["months"].as_u64().unwrap() as usize,
        changed.len(),
        "only changed months are rebuilt: {r}"
    );
    assert!(changed.len() < 12, "{changed:?}");
    let d: Value = app.get_json(&regulator, "/api/v1/dashboard").await;
    assert_eq!(d["totals"]["orders"], orders + 1);
    assert_eq!(d["totals"]["amount"], fen + total);
    let unit = format!("/api/v1/dashboard?unit={}", f.unit);
    let mine: Value = app.get_json(&regulator, &unit).await;
    let (unit_orders, unit_fen, _) =
        from_orders(&app, since, &format!("AND o.unit_id = {}", f.unit)).await;
    assert_eq!(mine["totals"]["orders"], unit_orders);
    assert_eq!(mine["totals"]["amount"], unit_fen);
    assert_eq!(mine["by_unit"].as_array().unwrap().len(), 1);

    let cancel = buyer
        .post(app.url(&format!("/api/v1/orders/{order}/actions")))
        .header("x-csrf-token", &buyer_token)
        .json(&json!({"action": "cancel", "note": "不再需要 / no longer needed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        cancel.status(),
        StatusCode::OK,
        "{}",
        cancel.text().await.unwrap()
    );
    refresh(&app, &regulator, &token).await;
    let d: Value = app.get_json(&regulator, "/api/v1/dashboard").await;
    assert_eq!(d["totals"]["orders"], orders);
    assert_eq!(d["totals"]["amount"], fen);
}

async fn dashboard_filters_exports_and_access(app: TestApp) {
    let (regulator, token) = app.as_user("demo-regulator").await;
    refresh(&app, &regulator, &token).await;
    let since = twelve_months_start();

    // A category counts the orders containing it, and its own items' value.
    let (category,): (String,) = sqlx::query_as(&format!(
        "SELECT SUBSTR(p.category_code, 1, 5) FROM order_items i JOIN products p ON p.id = i.product_id \
         JOIN orders o ON o.id = i.order_id WHERE o.status IN {CONTRACTED} AND o.created_at >= {since} \
         GROUP BY SUBSTR(p.category_code, 1, 5) ORDER BY COUNT(*) DESC LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let (orders, fen): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(DISTINCT o.id), CAST(SUM(i.line_total_fen) AS BIGINT) FROM order_items i \
         JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id \
         WHERE o.status IN {CONTRACTED} AND o.created_at >= {since} AND p.category_code LIKE '{category}%'"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let d: Value = app
        .get_json(
            &regulator,
            &format!("/api/v1/dashboard?category={category}"),
        )
        .await;
    assert_eq!(d["totals"]["amount"], fen, "category {category}");
    assert_eq!(d["totals"]["orders"], orders);
    // The breakdown shows its subcategories.
    let children = d["by_category"].as_array().unwrap();
    assert!(!children.is_empty());
    for c in children {
        let key = c["key"].as_str().unwrap();
        assert!(
            key.starts_with(&category) && key.len() > category.len(),
            "{key}"
        );
    }
    // Without a filter, the second level of the catalogue.
    let d: Value = app.get_json(&regulator, "/api/v1/dashboard").await;
    for c in d["by_category"].as_array().unwrap() {
        assert_eq!(c["key"].as_str().unwrap().len(), 3, "{c}");
    }

    // A city with no units of the mall has no figures; the period is echoed back.
    let d: Value = app
        .get_json(
            &regulator,
            "/api/v1/dashboard?city=110100&from=2026-01&to=2026-06",
        )
        .await;
    assert_eq!(d["totals"]["orders"], 0);
    assert_eq!(d["filter"]["from"], "2026-01");
    assert_eq!(d["monthly"].as_array().unwrap().len(), 6);

    // Every table exports in full, as CSV and as XLSX.
    let (suppliers,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(DISTINCT supplier_id) FROM orders WHERE status IN {CONTRACTED} AND created_at >= {since}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let csv = regulator
        .get(app.url("/api/v1/dashboard/export?table=suppliers&format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].contains("供应商"), "{}", lines[0]);
    assert_eq!(
        lines.len() as i64,
        suppliers + 1,
        "header and one line per supplier"
    );
    for table in [
        "indicators",
        "monthly",
        "categories",
        "units",
        "late_payments",
    ] {
        let r = regulator
            .get(app.url(&format!(
                "/api/v1/dashboard/export?table={table}&format=xlsx&lang=en"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{table}");
        assert!(
            r.bytes().await.unwrap().starts_with(b"PK\x03\x04"),
            "{table} is XLSX"
        );
    }
    let units_csv = regulator
        .get(app.url("/api/v1/dashboard/export?table=units&lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(units_csv.contains("Purchasing unit"));
    let (fen_all,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(SUM(total_fen) AS BIGINT) FROM orders WHERE status IN {CONTRACTED} AND created_at >= {since}"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let unit_sum: i64 = units_csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut rdr = csv_fields(l);
            let yuan = rdr.swap_remove(3);
            let (y, f) = yuan.split_once('.').unwrap();
            y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
        })
        .sum();
    assert_eq!(
        unit_sum, fen_all,
        "the units' full export adds up to the total"
    );

    // Bad filters are refused with the field and a message in the reader's language.
    for (q, field, zh, en) in [
        ("from=2026-13", "from", "月份格式", "A month is"),
        ("from=2026-10&to=2026-01", "from", "晚于", "after the last"),
        ("from=2020-01&to=2026-01", "from", "60 个月", "60 months"),
        ("city=abc", "city", "代码无效", "Not a region"),
        ("city=310000", "city", "代码无效", "Not a region"),
        ("district=310100", "district", "代码无效", "Not a region"),
        ("category=A0'", "category", "代码无效", "Not a region"),
    ] {
        for (language, words) in [("zh-CN", zh), ("en", en)] {
            let r = regulator
                .get(app.url(&format!("/api/v1/dashboard?{q}")))
                .header("Accept-Language", language)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{q}");
            let body: Value = r.json().await.unwrap();
            assert!(
                body["error"]["fields"][field]
                    .as_str()
                    .unwrap()
                    .contains(words),
                "{q} in {language}: {body}"
            );
        }
    }
    // The public directory of units: a city's, and a word that is no city refused by name.
    let units: Value = app.get_json(&regulator, "/api/v1/units?city=310100").await;
    assert!(!units.as_array().unwrap().is_empty());
    assert!(units
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["city"] == "310100"));
    let r = regulator
        .get(app.url("/api/v1/units?city=310000"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["city"].is_string(), "{body}");
    let r = regulator
        .get(app.url("/api/v1/dashboard/export?table=nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Only the bureau.
    let (buyer, _) = app.as_user("demo-buyer").await;
    for path in ["/api/v1/dashboard", "/api/v1/dashboard/export?table=units"] {
        let r = buyer.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let anonymous = app.get("/api/v1/dashboard").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // The console page shows the figures, charts and export links without JavaScript.
    let html = app.get_text(&regulator, "/console?city=310100").await;
    for needle in [
        "id=\"dash-kpis\"",
        "class=\"chart hbars\"",
        "table=suppliers&amp;format=xlsx",
        "dash-late-payments",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

/// Splits a CSV line whose quoted fields hold no quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    out.push(field);
    out
}

/// The console's plain GET form, as a browser sends it: empty choices mean "all", and a bad
/// month or code leaves that part out with a note beside the figures, never an error page.
async fn the_console_page_never_fails_on_its_filter(app: TestApp) {
    let (regulator, _) = app.as_user("demo-regulator").await;
    let get = |path: String| {
        let regulator = regulator.clone();
        let url = app.url(&path);
        async move {
            let r = regulator.get(url).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    // The filter four times in a row, as the form submits it (empty fields included).
    for q in [
        "from=2026-01&to=2026-06&city=310100&district=&category=&unit=",
        "from=2026-01&to=2026-06&city=310100&district=&category=A02&unit=",
        "from=2026-01&to=2026-06&city=310100&district=310115&category=A02&unit=",
        "from=&to=&city=&district=&category=&unit=",
    ] {
        let (status, html) = get(format!("/console?{q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}");
        assert!(html.contains("id=\"dash-filter\""), "{q}");
        assert!(!html.contains("id=\"dash-notes\""), "{q}");
    }
    // Faults are left out and said, in the page's language, with the rest still applied.
    let (status, html) =
        get("/console?from=2026-10&to=2026-01&city=310100&unit=abc&category=X9".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"dash-notes\""), "{html}");
    assert!(html.contains("起始月份晚于截止月份"));
    assert!(html.contains("已改为显示最近 12 个月"));
    assert!(html.contains("无法识别所选的预算单位"));
    assert!(html.contains("无法识别所选的品目"));
    assert!(
        html.contains(r#"<option value="310100" selected"#),
        "the city stays chosen"
    );
    let (status, html) = get("/en/console?from=2026-13".into()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("A month is YYYY-MM. Showing the last twelve months instead."));
}
