//! What must hold once the killed server is started again on the same database and data
//! directory.

use super::{list, one, order_ids, rows, send, Answer, Burst, Plan, CITY, LIVE};
use crate::node::{Mall, Server};
use emall_domain::Fen;
use emall_model::format;
use emall_model::i18n::Locale;
use emall_store::db::Db;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// Runs every check; returns what happened, for the test's output.
pub async fn check(mall: &Mall, server: &Server, db: &Db, plan: &Plan, burst: &Burst) -> String {
    for c in &burst.checkouts {
        if let Answer::Whole(status, body) = &c.answer {
            assert!(
                status.is_success() || *status == StatusCode::UNPROCESSABLE_ENTITY,
                "checkout {} answered {status}: {body}",
                c.key
            );
        }
    }
    let acknowledged = acknowledged_orders_survive(db, burst).await;
    let (committed_unanswered, placed_on_retry) =
        each_key_orders_once(server, db, plan, burst, &acknowledged).await;
    stock_adds_up(db, burst).await;
    budget_lines_balance(db).await;
    let repriced = acknowledged_prices_hold(db, burst).await;
    // Search agrees with the database: at once, or as soon as the restarted server has
    // announced again the changes the killed one committed and never applied.
    until_search_agrees(mall, server).await;
    let pages = pages_agree(server, db, burst, &repriced).await;
    let lost = burst
        .checkouts
        .iter()
        .filter(|c| matches!(c.answer, Answer::Lost))
        .count();
    let changes = burst
        .reprices
        .iter()
        .filter(|r| matches!(r.answer, Answer::Whole(StatusCode::NO_CONTENT, _)))
        .count();
    format!(
        "{} checkouts acknowledged before the kill, {lost} unanswered ({committed_unanswered} \
         had committed, {placed_on_retry} placed on retry); {changes} price changes \
         acknowledged; {} products re-read into search at the restart; {pages} product pages \
         checked",
        acknowledged.len(),
        recovered(server),
    )
}

/// Every acknowledged checkout's orders are there; returns them by key.
async fn acknowledged_orders_survive(db: &Db, burst: &Burst) -> BTreeMap<String, Vec<i64>> {
    let acknowledged: BTreeMap<String, Vec<i64>> = burst
        .checkouts
        .iter()
        .filter_map(|c| match &c.answer {
            Answer::Whole(StatusCode::CREATED, receipt) => {
                Some((c.key.clone(), order_ids(receipt)))
            }
            _ => None,
        })
        .collect();
    let orders: BTreeSet<i64> = acknowledged.values().flatten().copied().collect();
    let found = one(
        db,
        &format!(
            "SELECT COUNT(*) FROM orders WHERE id IN ({})",
            list(orders.iter().copied())
        ),
    )
    .await;
    assert_eq!(
        found as usize,
        orders.len(),
        "every acknowledged order survives the crash"
    );
    acknowledged
}

/// Each checkout again with its key: an acknowledged one is replayed with the same
/// orders; an unanswered one is replayed if it committed before the kill, else placed now
/// (or refused now, e.g. sold out), never twice. Then the orders since the burst began
/// are exactly those of its keys. Returns how many unanswered ones had committed and how
/// many were placed on retry.
async fn each_key_orders_once(
    server: &Server,
    db: &Db,
    plan: &Plan,
    burst: &Burst,
    acknowledged: &BTreeMap<String, Vec<i64>>,
) -> (usize, usize) {
    let (mut committed_unanswered, mut placed_on_retry) = (0, 0);
    let mut every_order: BTreeSet<i64> = acknowledged.values().flatten().copied().collect();
    for c in &burst.checkouts {
        if !matches!(
            c.answer,
            Answer::Whole(StatusCode::CREATED, _) | Answer::Lost
        ) {
            continue;
        }
        let (client, token) = &burst.buyers[c.buyer];
        let body = json!({"budget_line_id": plan.buyers[c.buyer].1, "items": [{"offer_id": c.offer, "quantity": 1}]});
        let again = send(
            client
                .post(server.url("/api/v1/checkout"))
                .header("x-csrf-token", token)
                .header("idempotency-key", &c.key)
                .json(&body),
        )
        .await;
        let Answer::Whole(status, receipt) = again else {
            panic!("checkout {} retried: no answer", c.key);
        };
        match (&c.answer, status) {
            (Answer::Whole(_, first), StatusCode::OK) => assert_eq!(
                order_ids(first),
                order_ids(&receipt),
                "checkout {} replayed with its orders",
                c.key
            ),
            (Answer::Lost, StatusCode::OK) => {
                committed_unanswered += 1;
                every_order.extend(order_ids(&receipt));
            }
            (Answer::Lost, StatusCode::CREATED) => {
                placed_on_retry += 1;
                every_order.extend(order_ids(&receipt));
            }
            (Answer::Lost, StatusCode::UNPROCESSABLE_ENTITY) => {}
            (first, status) => {
                panic!("checkout {} ({first:?}) retried: {status} {receipt}", c.key)
            }
        }
    }
    let new_orders: BTreeSet<i64> = rows::<(i64,)>(
        db,
        &format!("SELECT id FROM orders WHERE id > {}", burst.last_order),
    )
    .await
    .into_iter()
    .map(|(o,)| o)
    .collect();
    assert_eq!(
        new_orders, every_order,
        "the orders since the burst began are exactly those of its keys"
    );
    (committed_unanswered, placed_on_retry)
}

/// Each offer lost exactly what its new orders took.
async fn stock_adds_up(db: &Db, burst: &Burst) {
    let taken: BTreeMap<i64, i64> = rows::<(i64, i64)>(
        db,
        &format!(
            "SELECT offer_id, CAST(SUM(quantity) AS BIGINT) FROM order_items \
             WHERE order_id > {} GROUP BY offer_id",
            burst.last_order
        ),
    )
    .await
    .into_iter()
    .collect();
    for (offer, before) in &burst.stock_before {
        let now = one(db, &format!("SELECT stock FROM offers WHERE id = {offer}")).await;
        assert_eq!(
            now,
            before - taken.get(offer).copied().unwrap_or(0),
            "offer {offer}: stock {before} less what was ordered"
        );
    }
}

/// Every budget line balances to the fen: frozen is what its live orders and active
/// joint-purchase commitments hold, spent what its paid orders cost.
async fn budget_lines_balance(db: &Db) {
    let unbalanced: Vec<(i64, i64, i64, i64, i64)> = rows(
        db,
        "SELECT b.id, b.frozen_fen, \
             COALESCE((SELECT CAST(SUM(o.total_fen) AS BIGINT) FROM orders o WHERE o.budget_line_id = b.id \
                 AND o.status IN ('pending_approval', 'placed', 'confirmed', 'shipped', 'delivered', 'accepted', 'invoiced')), 0) \
             + COALESCE((SELECT CAST(SUM(c.frozen_fen) AS BIGINT) FROM pool_commitments c \
                 WHERE c.budget_line_id = b.id AND c.state = 'active'), 0), \
             b.spent_fen, \
             COALESCE((SELECT CAST(SUM(o.total_fen) AS BIGINT) FROM orders o WHERE o.budget_line_id = b.id \
                 AND o.status = 'paid'), 0) \
         FROM budget_lines b ORDER BY b.id",
    )
    .await
    .into_iter()
    .filter(|(_, frozen, held, spent, paid)| frozen != held || spent != paid)
    .collect();
    assert!(
        unbalanced.is_empty(),
        "budget lines out of balance (id, frozen, held by orders and commitments, spent, paid): {unbalanced:?}"
    );
}

/// Every acknowledged price is the price now, or a lower one sent after it that committed
/// unanswered; returns the offers with an acknowledged change.
async fn acknowledged_prices_hold(db: &Db, burst: &Burst) -> Vec<i64> {
    let mut last_acknowledged: BTreeMap<i64, i64> = BTreeMap::new();
    let mut last_sent: BTreeMap<i64, i64> = BTreeMap::new();
    for r in &burst.reprices {
        if let Answer::Whole(StatusCode::NO_CONTENT, _) = r.answer {
            last_acknowledged.insert(r.offer, r.price);
        }
        last_sent.insert(r.offer, r.price);
    }
    for (offer, acknowledged) in &last_acknowledged {
        let price = one(
            db,
            &format!("SELECT price_fen FROM offers WHERE id = {offer}"),
        )
        .await;
        assert!(
            price <= *acknowledged && price >= last_sent[offer],
            "offer {offer}: price {price}, acknowledged {acknowledged}"
        );
    }
    last_acknowledged.into_keys().collect()
}

/// The product pages of every offer of the burst show the database's prices and stock levels;
/// returns how many pages were read.
async fn pages_agree(server: &Server, db: &Db, burst: &Burst, repriced: &[i64]) -> usize {
    let offers: Vec<(i64, i64, i64, i64)> = rows(
        db,
        &format!(
            "SELECT DISTINCT o.product_id, o.id, o.price_fen, o.stock {LIVE} AND oc.city = '{CITY}' \
             AND o.product_id IN (SELECT product_id FROM offers WHERE id IN ({}))",
            list(burst.stock_before.keys().chain(repriced).copied())
        ),
    )
    .await;
    let client = reqwest::Client::new();
    let mut pages: BTreeMap<i64, String> = BTreeMap::new();
    for (product, offer, price, stock) in offers {
        let page = match pages.entry(product) {
            Entry::Occupied(page) => page.into_mut(),
            Entry::Vacant(slot) => {
                let r = client
                    .get(server.url(&format!("/product/{product}?city={CITY}")))
                    .send()
                    .await
                    .expect("product page");
                assert_eq!(r.status(), 200, "product {product}");
                slot.insert(r.text().await.expect("a page"))
            }
        };
        let cells = offer_cells(page, offer)
            .unwrap_or_else(|| panic!("product {product}: no row for offer {offer}"));
        assert!(
            cells[1].starts_with(&Fen(price).to_string()),
            "product {product}, offer {offer}: shows {:?}, database {}",
            cells[1],
            Fen(price)
        );
        assert_eq!(
            cells[4],
            format::stock_level(Locale::ZhCn, stock),
            "product {product}, offer {offer}: stock level shown"
        );
    }
    pages.len()
}

/// Polls `emall reindex --check` until the index agrees with the database.
async fn until_search_agrees(mall: &Mall, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let check = mall.run(&["reindex", "--check"]).await;
        if check.status.success() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the search index still differs from the database 30 s after the restart: {}\n{}",
            check.output,
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The products the server's starts found stale in the index and announced again.
fn recovered(server: &Server) -> usize {
    server
        .log()
        .lines()
        .filter(|l| l.contains("the search index missed changes"))
        .filter_map(|l| {
            l.split("products=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum()
}

/// A change that committed and was never announced -- what a kill between the two leaves
/// behind, here made on purpose -- is found and announced by the next start.
pub async fn a_lost_announcement_is_recovered(mall: &Mall, server: Server, db: &Db, offer: i64) {
    let before = recovered(&server);
    server.kill().await;
    sqlx::query(&format!(
        "UPDATE offers SET price_fen = price_fen - 7 WHERE id = {offer}"
    ))
    .execute(db.pool())
    .await
    .expect("reprice");
    let stale = mall.run(&["reindex", "--check"]).await;
    assert!(
        !stale.status.success() && stale.output.contains("index says"),
        "the index misses the change: {}",
        stale.output
    );
    let server = mall.serve().await;
    until_search_agrees(mall, &server).await;
    assert!(
        recovered(&server) > before,
        "the start says what it announced again: {}",
        server.log_tail()
    );
}

/// The text of each cell of the offers table's row for `offer`.
fn offer_cells(page: &str, offer: i64) -> Option<Vec<String>> {
    let at = page.find(&format!("data-offer=\"{offer}\""))?;
    let row = &page[at..];
    let row = &row[..row.find("</tr>")?];
    Some(
        row.split("<td")
            .skip(1)
            .map(|cell| {
                let cell = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                let mut text = String::new();
                let mut in_tag = false;
                for ch in cell.chars() {
                    match ch {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                text.trim().to_string()
            })
            .collect(),
    )
}
