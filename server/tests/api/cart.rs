//! The buyer's cart in the browser: lines grouped by supplier and priced as the order will
//! be (volume tiers), added to rather than replaced, edited and removed with plain forms
//! (no script), and a line that cannot be ordered said on the line, checkout held back.

use crate::helpers::{post_json, TestApp};
use crate::on_both_backends;
use crate::ordering::fixture;
use emall_domain::Fen;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    the_cart_is_priced_as_the_order_and_edited_with_plain_forms,
    the_order_centre_finds_orders_by_tab_search_and_page,
    a_shipment_carries_its_carrier_and_tracking_number,
);

async fn quantity(app: &TestApp, offer: i64) -> Option<i64> {
    sqlx::query_as::<_, (i64,)>(&format!(
        "SELECT quantity FROM cart_items WHERE offer_id = {offer} \
         AND user_id = (SELECT id FROM users WHERE username = 'demo-buyer')"
    ))
    .fetch_optional(app.db.pool())
    .await
    .unwrap()
    .map(|(q,)| q)
}

async fn the_cart_is_priced_as_the_order_and_edited_with_plain_forms(app: TestApp) {
    let f = fixture(&app).await;
    let ((a, a_price), (b, b_price)) = (f.offers[0], f.offers[1]);
    // A volume tier from 5 units on the first offer.
    let tier = a_price - 100;
    sqlx::query(&format!(
        "INSERT INTO offer_tiers (offer_id, min_quantity, price_fen) VALUES ({a}, 5, {tier})"
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let (buyer, token) = app.as_user("demo-buyer").await;
    // Adding adds to what the line holds.
    for (offer, q) in [(a, 3), (a, 3), (b, 1)] {
        let r = post_json(
            &app,
            &buyer,
            &token,
            &format!("/api/v1/cart/items/{offer}"),
            json!({ "quantity": q }),
        )
        .await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(quantity(&app, a).await, Some(6));
    let r = post_json(
        &app,
        &buyer,
        &token,
        &format!("/api/v1/cart/items/{a}"),
        json!({ "quantity": 100_000 }),
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "over a line's most"
    );
    assert_eq!(quantity(&app, a).await, Some(6));

    // The page prices as the checkout's preview does: the tier at 6 units.
    let total = Fen(6 * tier + b_price);
    let page = app.get_text(&buyer, "/buyer/cart").await;
    assert!(
        page.contains(&format!("id=\"cart-total\">{total}<")),
        "{page}"
    );
    assert!(page.contains(&Fen(tier).to_string()), "the tier price");
    assert!(page.contains("阶梯价"));
    assert_eq!(
        page.matches("class=\"cart-group\"").count(),
        2,
        "one per supplier"
    );
    let preview: Value = post_json(
        &app,
        &buyer,
        &token,
        "/api/v1/checkout/preview",
        json!({ "budget_line_id": f.budget_line }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(preview["total"], total.get());

    // Plain forms: one fewer, a typed quantity, a bad one, remove; each without the token
    // refused.
    let form = |path: String, fields: Vec<(&'static str, String)>| {
        let buyer = buyer.clone();
        let url = app.url(&path);
        async move { buyer.post(url).form(&fields).send().await.unwrap() }
    };
    let csrf = || ("csrf_token", token.clone());
    let r = form(
        format!("/buyer/cart/{a}"),
        vec![("quantity", "6".into()), ("step", "-1".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no token");
    assert_eq!(quantity(&app, a).await, Some(6));
    let r = form(
        format!("/buyer/cart/{a}"),
        vec![csrf(), ("quantity", "6".into()), ("step", "-1".into())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/buyer/cart");
    assert_eq!(quantity(&app, a).await, Some(5));
    form(
        format!("/buyer/cart/{a}"),
        vec![csrf(), ("quantity", " 12 ".into()), ("step", "0".into())],
    )
    .await;
    assert_eq!(quantity(&app, a).await, Some(12));
    for bad in ["0", "-3", "abc", "100001"] {
        let r = form(
            format!("/en/buyer/cart/{a}"),
            vec![csrf(), ("quantity", bad.into()), ("step", "0".into())],
        )
        .await;
        assert_eq!(
            r.headers()["location"],
            format!("/en/buyer/cart?refused={a}"),
            "{bad}"
        );
        assert_eq!(quantity(&app, a).await, Some(12), "{bad} changes nothing");
    }
    let page = app
        .get_text(&buyer, &format!("/en/buyer/cart?refused={a}"))
        .await;
    assert!(page.contains("Quantity must be a whole number"));
    let r = form(format!("/buyer/cart/{b}/remove"), vec![csrf()]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(quantity(&app, b).await, None);

    // Without script: each offer of the comparison page has its own form, to a page that
    // names the offer and adds it when confirmed (a visitor signs in first).
    let product = app
        .id(&format!("SELECT product_id FROM offers WHERE id = {b}"))
        .await;
    let compare = app
        .get_text(&buyer, &format!("/product/{product}?city=310100"))
        .await;
    assert!(
        compare.contains(&format!(r#"name="offer" value="{b}""#)),
        "a form per offer"
    );
    let r = app
        .get(&format!("/buyer/cart/add?offer={b}&quantity=2"))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a visitor signs in first"
    );
    assert!(r.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next="));
    let page = app
        .get_text(&buyer, &format!("/buyer/cart/add?offer={b}&quantity=2"))
        .await;
    assert!(page.contains(r#"id="cart-add-form""#), "{page}");
    let r = form(
        "/buyer/cart/add".into(),
        vec![csrf(), ("offer", b.to_string()), ("quantity", "2".into())],
    )
    .await;
    assert_eq!(r.headers()["location"], "/buyer/cart");
    assert_eq!(quantity(&app, b).await, Some(2));
    let r = form(
        "/buyer/cart/add".into(),
        vec![csrf(), ("offer", b.to_string()), ("quantity", "x".into())],
    )
    .await;
    assert_eq!(
        r.headers()["location"],
        format!("/buyer/cart/add?offer={b}&refused=1")
    );
    assert_eq!(quantity(&app, b).await, Some(2));

    // A line short of stock is said on the line and holds the checkout back.
    sqlx::query(&format!("UPDATE offers SET stock = 3 WHERE id = {a}"))
        .execute(app.db.pool())
        .await
        .unwrap();
    let page = app.get_text(&buyer, "/buyer/cart").await;
    assert!(page.contains("库存不足"), "{page}");
    assert!(page.contains("id=\"cart-blocked\""));
    assert!(!page.contains("id=\"checkout-heading\""));

    // A budget line short of money says by how much.
    sqlx::query(&format!("UPDATE offers SET stock = 1000 WHERE id = {a}"))
        .execute(app.db.pool())
        .await
        .unwrap();
    sqlx::query(&format!(
        "UPDATE budget_lines SET amount_fen = frozen_fen + spent_fen + 100 WHERE id = {}",
        f.budget_line
    ))
    .execute(app.db.pool())
    .await
    .unwrap();
    let r = post_json(
        &app,
        &buyer,
        &token,
        "/api/v1/checkout/preview",
        json!({ "budget_line_id": f.budget_line }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let said = body["error"]["fields"]["budget_line_id"].as_str().unwrap();
    assert!(said.contains("¥1.00") && said.contains("还差"), "{said}");
}

/// 订单中心: each party's orders by tab with counts that agree with the orders, a search,
/// pages of 20, and never another party's order.
async fn the_order_centre_finds_orders_by_tab_search_and_page(app: TestApp) {
    let (buyer, _) = app.as_user("demo-buyer").await;
    let unit = app
        .id("SELECT unit_id FROM users WHERE username = 'demo-buyer'")
        .await;
    let count = |extra: &str| {
        let sql = format!("SELECT COUNT(*) FROM orders WHERE unit_id = {unit}{extra}");
        let app = &app;
        async move { app.id(&sql).await }
    };
    let all = count("").await;
    let shipped = count(" AND status = 'shipped'").await;
    let closed = count(" AND status IN ('cancelled', 'rejected')").await;
    assert!(all > 20, "the demo unit has orders to page through");

    let page = app.get_text(&buyer, "/orders").await;
    assert!(page.contains(&format!("共 {all} 个订单")), "{page}");
    // A personal page names who is signed in from the first paint (no header shift); a page
    // kept for everyone never does.
    assert!(
        page.contains(r#"class="who-name""#),
        "the header knows the buyer"
    );
    let public = app.get_text(&buyer, "/").await;
    assert!(
        !public.contains(r#"class="who-name""#),
        "the storefront is the same for all"
    );
    // Another city keeps the search and the product being compared.
    let search = app
        .get_text(&buyer, "/search?q=%E5%A4%8D%E5%8D%B0%E7%BA%B8&city=310100")
        .await;
    assert!(
        search.contains(
            r#"action="/search" class="city-picker"><input type="hidden" name="q" value="复印纸">"#
        ),
        "the city picker keeps the query"
    );

    // The bureau's alerts come a page at a time.
    let (regulator, _) = app.as_user("demo-regulator").await;
    let alerts = app.get_text(&regulator, "/console/alerts?status=all").await;
    assert!(alerts.contains(r#"id="alerts-matching""#));
    assert!(alerts.matches("data-alert=").count() <= 50);
    for (tab, n) in [
        ("all", all),
        ("awaiting_delivery", shipped),
        ("closed", closed),
    ] {
        let at = page.find(&format!("id=\"tab-{tab}\"")).expect(tab);
        assert!(
            page[at..].contains(&format!("<span class=\"count\">{n}</span>")),
            "{tab}: {n}"
        );
    }
    assert_eq!(page.matches("href=\"/orders/").count(), 20, "a page of 20");

    let page = app.get_text(&buyer, "/orders?tab=awaiting_delivery").await;
    assert!(page.contains(&format!("共 {shipped} 个订单")));
    assert!(page.contains("aria-current=\"page\""));

    // The last page holds the rest; a page past the end shows the last.
    let pages = (all + 19) / 20;
    let rest = all - (pages - 1) * 20;
    for asked in [pages, pages + 50] {
        let page = app.get_text(&buyer, &format!("/orders?page={asked}")).await;
        assert_eq!(
            page.matches("href=\"/orders/").count() as i64,
            rest,
            "page {asked}"
        );
    }

    // Search by an order number, exact, and by words no order has (wildcards are text).
    let (no,): (String,) = sqlx::query_as(&format!(
        "SELECT order_no FROM orders WHERE unit_id = {unit} ORDER BY id LIMIT 1"
    ))
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let page = app.get_text(&buyer, &format!("/orders?q={no}")).await;
    assert!(page.contains("共 1 个订单"), "{no}");
    for nothing in ["%25", "_", "zzzz-none"] {
        let page = app.get_text(&buyer, &format!("/orders?q={nothing}")).await;
        assert!(page.contains("共 0 个订单"), "{nothing}");
    }
    // Junk in the address shows every order rather than an error.
    let page = app.get_text(&buyer, "/orders?tab=nope&page=abc").await;
    assert!(page.contains(&format!("共 {all} 个订单")));

    // A supplier sees its own orders only.
    let (supplier, _) = app.as_user("demo-supplier").await;
    let company = app
        .id("SELECT supplier_id FROM users WHERE username = 'demo-supplier'")
        .await;
    let theirs = app
        .id(&format!(
            "SELECT COUNT(*) FROM orders WHERE supplier_id = {company}"
        ))
        .await;
    // Its listings come fifty to a page.
    let listed = app
        .id(&format!(
            "SELECT COUNT(*) FROM offers WHERE supplier_id = {company}"
        ))
        .await;
    let listings = app.get_text(&supplier, "/workbench/listings").await;
    let table = &listings[listings.find(r#"id="my-listings""#).unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows = table.matches("<tr").count() as i64 - 1;
    assert_eq!(rows, listed.min(50), "{listed} listed");
    assert_eq!(listings.contains(r#"rel="next""#), listed > 50);
    // So does its public page.
    let selling = app
        .id(&format!(
            "SELECT COUNT(*) FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
             WHERE o.supplier_id = {company} AND oc.city = '310100' AND o.status = 'on_sale'"
        ))
        .await;
    let public = app
        .get_text(&app.client, &format!("/supplier/{company}?city=310100"))
        .await;
    let shown = &public[public.find(r#"id="store-offers""#).unwrap()..];
    let shown = &shown[..shown.find("</table>").unwrap_or(0)];
    assert_eq!(shown.matches("<tr").count() as i64 - 1, selling.min(50));
    assert_eq!(public.contains(r#"rel="next""#), selling > 50);
    let page = app.get_text(&supplier, "/orders").await;
    assert!(page.contains(&format!("共 {theirs} 个订单")));
    let r = app.get("/orders").await;
    assert_ne!(r.status(), StatusCode::OK, "signed out");
}

/// 发货: the supplier ships with its carrier and tracking number, which the order's page
/// shows; a malformed number is refused by its field and nothing moves.
async fn a_shipment_carries_its_carrier_and_tracking_number(app: TestApp) {
    let f = fixture(&app).await;
    let (offer, _) = f.offers[0];
    let (buyer, bt) = app.as_user("demo-buyer").await;
    let username = crate::ordering::supplier_username(&app, offer).await;
    let (supplier, st) = app.as_user(&username).await;
    let order = crate::ordering::buy_now(&app, &buyer, &bt, f.budget_line, offer, 1).await;
    let path = format!("/api/v1/orders/{order}/actions");
    // The order's page says what comes next, who owes it and by when.
    let page = app.get_text(&buyer, &format!("/orders/{order}")).await;
    let next = &page[page.find(r#"id="next-step""#).expect("the next step")..];
    let next = &next[..next.find("</p>").unwrap()];
    assert!(
        next.contains("供应商") && next.contains("确认接单") && next.contains("截止"),
        "{next}"
    );
    assert!(page.contains(r#"aria-current="step""#));
    let r = post_json(&app, &supplier, &st, &path, json!({"action": "confirm"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    for (tracking, carrier) in [("SF#1", "顺丰速运"), ("SF12345678", "")] {
        let r = post_json(
            &app,
            &supplier,
            &st,
            &path,
            json!({"action": "ship", "carrier": carrier, "tracking_no": tracking}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{tracking}");
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["tracking_no"].is_string(), "{body}");
    }
    let r = post_json(
        &app,
        &supplier,
        &st,
        &path,
        json!({"action": "ship", "carrier": " 顺丰速运 ", "tracking_no": "sf 1234 5678 9012"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = app.get_text(&buyer, &format!("/orders/{order}")).await;
    assert!(page.contains("顺丰速运"), "the carrier is shown");
    assert!(
        page.contains("SF123456789012"),
        "the tracking number is shown"
    );
    let detail: Value = app
        .get_json(&buyer, &format!("/api/v1/orders/{order}"))
        .await;
    assert_eq!(detail["tracking_no"], "SF123456789012", "{detail}");
    assert_eq!(detail["carrier"], "顺丰速运");
}
