//! Crash safety: buyers check out and a supplier reprices while the server is killed with
//! SIGKILL. Restarted on the same database and data directory, the mall has every
//! acknowledged write, an unanswered checkout retried with its key is placed exactly once,
//! budget lines and stock add up to the fen, and search and pages agree with the database.
//! Then a change committed and never announced, as a kill may leave one, is made on purpose:
//! the next start finds it and announces it.

mod after;

use crate::node::{sign_in, Mall};
use emall_store::db::{Backend, Db};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The city of the burst (Shanghai, where most demo buyers are).
const CITY: &str = "310100";
const BUYERS: usize = 8;
/// The server is killed once at least this many checkouts have been acknowledged, and
/// three more since the supplier's `REPRICED_BEFORE_KILL`th acknowledged price change.
const PLACED_BEFORE_KILL: usize = 40;
const REPRICED_BEFORE_KILL: usize = 5;

mod killed_mid_burst {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        killed_mid_burst(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        killed_mid_burst(Backend::Postgres).await
    }
}

/// How one request ended, as its client saw it.
#[derive(Debug, Clone)]
enum Answer {
    /// A whole answer: the status and the JSON body (or null).
    Whole(StatusCode, Value),
    /// The connection failed or closed before the whole answer: the server died.
    Lost,
}

/// One checkout of the burst.
#[derive(Debug)]
struct Checkout {
    buyer: usize,
    key: String,
    offer: i64,
    answer: Answer,
}

/// One price change of the burst.
#[derive(Debug)]
struct Reprice {
    offer: i64,
    price: i64,
    answer: Answer,
}

/// The burst as its clients saw it, and what the mall held before it.
struct Burst {
    /// The newest order before the burst.
    last_order: i64,
    /// Stock of every offer the buyers took from.
    stock_before: BTreeMap<i64, i64>,
    /// Each buyer's signed-in client and CSRF token.
    buyers: Vec<(reqwest::Client, String)>,
    checkouts: Vec<Checkout>,
    reprices: Vec<Reprice>,
    took: Duration,
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    match request.send().await {
        Ok(r) => {
            let status = r.status();
            match r.bytes().await {
                Ok(body) => {
                    Answer::Whole(status, serde_json::from_slice(&body).unwrap_or(Value::Null))
                }
                Err(_) => Answer::Lost,
            }
        }
        Err(_) => Answer::Lost,
    }
}

/// The orders of a checkout's receipt.
fn order_ids(receipt: &Value) -> Vec<i64> {
    receipt["orders"]
        .as_array()
        .map(|orders| orders.iter().filter_map(|o| o["id"].as_i64()).collect())
        .unwrap_or_default()
}

async fn rows<T>(db: &Db, sql: &str) -> Vec<T>
where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    sqlx::query_as(sql)
        .fetch_all(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn one(db: &Db, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    n
}

fn list(ids: impl IntoIterator<Item = i64>) -> String {
    let ids: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    if ids.is_empty() {
        "NULL".into()
    } else {
        ids.join(",")
    }
}

/// What the burst works on, chosen from the demo city.
struct Plan {
    /// (username, budget line) of each buyer.
    buyers: Vec<(String, i64)>,
    /// Offers the buyers take one unit of, in turn.
    offers: Vec<i64>,
    /// The demo supplier's offers that are the cheapest of their product somewhere, with
    /// their price: each change moves a lowest price that search shows.
    repriced: Vec<(i64, i64)>,
}

const LIVE: &str = "FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
     JOIN suppliers s ON s.id = o.supplier_id \
     WHERE o.status = 'on_sale' AND s.status = 'admitted'";

async fn plan(mall: &Mall, db: &Db) -> Plan {
    let buyers: Vec<(String, i64)> = rows(
        db,
        &format!(
            "SELECT u.username, MAX(b.id) FROM users u \
             JOIN purchasing_units p ON p.id = u.unit_id JOIN budget_lines b ON b.unit_id = p.id \
             WHERE u.role = 'buyer' AND u.username LIKE 'unit%-buyer' AND p.city = '{CITY}' \
             AND b.amount_fen - b.frozen_fen - b.spent_fen >= 2000000 \
             GROUP BY u.id, u.username ORDER BY u.id LIMIT {BUYERS}"
        ),
    )
    .await;
    assert_eq!(buyers.len(), BUYERS, "demo buyers with money: {buyers:?}");
    let mut offers: Vec<i64> = rows::<(i64,)>(
        db,
        &format!(
            "SELECT o.id {LIVE} AND oc.city = '{CITY}' AND o.stock >= 100 \
             AND o.price_fen BETWEEN 500 AND 20000 ORDER BY o.id LIMIT 12"
        ),
    )
    .await
    .into_iter()
    .map(|(o,)| o)
    .collect();
    // Three products are left with one offer in stock, two units of it: the burst sells
    // them out, which takes them out of search's "in stock".
    let sold_out: Vec<(i64, i64)> = rows(
        db,
        &format!(
            "SELECT o.product_id, MIN(o.id) {LIVE} AND oc.city = '{CITY}' \
             AND o.price_fen BETWEEN 500 AND 20000 \
             AND o.product_id NOT IN (SELECT product_id FROM offers WHERE id IN ({})) \
             GROUP BY o.product_id ORDER BY o.product_id LIMIT 3",
            list(offers.iter().copied())
        ),
    )
    .await;
    for (product, offer) in &sold_out {
        for sql in [
            format!("UPDATE offers SET stock = 0 WHERE product_id = {product}"),
            format!("UPDATE offers SET stock = 2 WHERE id = {offer}"),
        ] {
            sqlx::query(&sql).execute(db.pool()).await.expect(&sql);
        }
        offers.push(*offer);
    }
    let repriced: Vec<(i64, i64)> = rows(
        db,
        "SELECT o.id, o.price_fen FROM offers o \
         JOIN users u ON u.supplier_id = o.supplier_id AND u.username = 'demo-supplier' \
         WHERE o.status = 'on_sale' AND o.price_fen > 1000 \
         AND NOT EXISTS (SELECT 1 FROM offer_tiers t WHERE t.offer_id = o.id) \
         AND EXISTS (SELECT 1 FROM offer_cities oc WHERE oc.offer_id = o.id AND o.price_fen = \
             (SELECT MIN(o2.price_fen) FROM offers o2 JOIN offer_cities oc2 ON oc2.offer_id = o2.id \
              JOIN suppliers s2 ON s2.id = o2.supplier_id WHERE oc2.city = oc.city \
              AND o2.product_id = o.product_id AND o2.status = 'on_sale' AND s2.status = 'admitted')) \
         ORDER BY o.id LIMIT 6",
    )
    .await;
    assert!(repriced.len() >= 3, "offers to reprice: {repriced:?}");
    // The index is built again over the stock set here.
    mall.run_ok(&["reindex"]).await;
    Plan {
        buyers,
        offers,
        repriced,
    }
}

async fn killed_mid_burst(backend: Backend) {
    let started = Instant::now();
    let mall = Mall::demo(backend).await;
    let db = Db::connect(&mall.database_url, 2).await.expect("connect");
    let plan = plan(&mall, &db).await;
    let prepared = started.elapsed();
    let burst = burst_until_killed(&mall, &db, &plan).await;
    let server = mall.serve().await;
    let report = after::check(&mall, &server, &db, &plan, &burst).await;
    after::a_lost_announcement_is_recovered(&mall, server, &db, plan.repriced[0].0).await;
    println!(
        "crash on {backend:?}: {report}; prepared in {:.1}s, burst {:.1}s, {:.1}s in all",
        prepared.as_secs_f64(),
        burst.took.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

/// Serves the mall, runs the burst and kills the server in the middle of it.
async fn burst_until_killed(mall: &Mall, db: &Db, plan: &Plan) -> Burst {
    let last_order = one(db, "SELECT COALESCE(MAX(id), 0) FROM orders").await;
    let stock_before: BTreeMap<i64, i64> = rows::<(i64, i64)>(
        db,
        &format!(
            "SELECT id, stock FROM offers WHERE id IN ({})",
            list(plan.offers.iter().copied())
        ),
    )
    .await
    .into_iter()
    .collect();
    let server = mall.serve().await;
    let mut buyers = Vec::new();
    for (username, _) in &plan.buyers {
        buyers.push(sign_in(&server, username).await);
    }
    let supplier = sign_in(&server, "demo-supplier").await;

    // Every buyer checks out one unit at a time, each with its own key, and the supplier
    // lowers its prices a fen at a time, until the server is killed.
    let killed = Arc::new(AtomicBool::new(false));
    let placed = Arc::new(AtomicUsize::new(0));
    let repriced = Arc::new(AtomicUsize::new(0));
    let mut checkouts = Vec::new();
    for (b, (client, token)) in buyers.iter().enumerate() {
        let (client, token) = (client.clone(), token.clone());
        let (killed, placed) = (killed.clone(), placed.clone());
        let (line, offers) = (plan.buyers[b].1, plan.offers.clone());
        let url = server.url("/api/v1/checkout");
        checkouts.push(tokio::spawn(async move {
            let mut done = Vec::new();
            let mut i = b;
            while !killed.load(Ordering::SeqCst) {
                let offer = offers[i % offers.len()];
                let key = format!("crash-{b}-{i}");
                i += BUYERS;
                let answer = send(
                    client
                        .post(&url)
                        .header("x-csrf-token", &token)
                        .header("idempotency-key", &key)
                        .json(&json!({"budget_line_id": line, "items": [{"offer_id": offer, "quantity": 1}]})),
                )
                .await;
                if matches!(answer, Answer::Whole(StatusCode::CREATED, _)) {
                    placed.fetch_add(1, Ordering::SeqCst);
                }
                let lost = matches!(answer, Answer::Lost);
                done.push(Checkout {
                    buyer: b,
                    key,
                    offer,
                    answer,
                });
                if lost {
                    break;
                }
            }
            done
        }));
    }
    let reprices = {
        let (client, token) = supplier.clone();
        let (killed, count) = (killed.clone(), repriced.clone());
        let offers = plan.repriced.clone();
        let base = server.url("/api/v1/offers");
        tokio::spawn(async move {
            let mut done = Vec::new();
            let mut prices: Vec<i64> = offers.iter().map(|(_, p)| *p).collect();
            let mut i = 0;
            while !killed.load(Ordering::SeqCst) {
                let n = i % offers.len();
                i += 1;
                prices[n] -= 1;
                let (offer, price) = (offers[n].0, prices[n]);
                let answer = send(
                    client
                        .patch(format!("{base}/{offer}"))
                        .header("x-csrf-token", &token)
                        .json(&json!({"price_fen": price, "reason": "市场价格下调"})),
                )
                .await;
                if matches!(answer, Answer::Whole(StatusCode::NO_CONTENT, _)) {
                    count.fetch_add(1, Ordering::SeqCst);
                }
                let lost = matches!(answer, Answer::Lost);
                done.push(Reprice {
                    offer,
                    price,
                    answer,
                });
                if lost {
                    break;
                }
            }
            done
        })
    };
    let started = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(90);
    // The moment of the kill follows the buyers' progress, so it falls anywhere in the
    // supplier's requests: before a change commits, or between its commit and its answer.
    let mut kill_at = usize::MAX;
    while placed.load(Ordering::SeqCst) < kill_at {
        if kill_at == usize::MAX && repriced.load(Ordering::SeqCst) >= REPRICED_BEFORE_KILL {
            kill_at = PLACED_BEFORE_KILL.max(placed.load(Ordering::SeqCst) + 3);
        }
        assert!(
            Instant::now() < deadline,
            "the burst did not get going: {} placed, {} repriced; {}",
            placed.load(Ordering::SeqCst),
            repriced.load(Ordering::SeqCst),
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    killed.store(true, Ordering::SeqCst);
    server.kill().await;
    let took = started.elapsed();
    let mut done = Vec::new();
    for task in checkouts {
        done.extend(task.await.expect("buyer task"));
    }
    Burst {
        last_order,
        stock_before,
        // The buyers' sessions outlive the process: they go on with the same cookies.
        buyers,
        checkouts: done,
        reprices: reprices.await.expect("supplier task"),
        took,
    }
}
