//! `emall bench-search`: query latency of the search index over a fixed set of queries,
//! beside the baselines a simpler stack would use over the same rows: SQLite FTS5 with the
//! trigram tokenizer, and PostgreSQL pg_trgm. Every engine answers the same question: the
//! standard products matching every word of the query, with their lowest price in the city,
//! 20 at most.

use crate::db::{Backend, Built, Db};
use emall_search::{CatalogueIndex, SearchRequest};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::log;

pub struct Latency {
    pub engine: String,
    pub queries: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub mean: Duration,
    pub setup: Option<Duration>,
}

impl Latency {
    pub fn from(engine: &str, mut samples: Vec<Duration>, setup: Option<Duration>) -> Latency {
        samples.sort();
        let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
        let mean = samples.iter().sum::<Duration>() / samples.len().max(1) as u32;
        Latency {
            engine: engine.into(),
            queries: samples.len(),
            p50: at(0.50),
            p99: at(0.99),
            mean,
            setup,
        }
    }

    pub fn row(&self) -> String {
        let ms = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1000.0);
        format!(
            "| {} | {} | {} | {} | {} | {} |",
            self.engine,
            self.queries,
            ms(self.p50),
            ms(self.p99),
            ms(self.mean),
            self.setup
                .map(|d| format!("{:.1} s", d.as_secs_f64()))
                .unwrap_or_else(|| "—".into())
        )
    }
}

fn words(query: &str) -> Vec<String> {
    emall_search::analysis::normalize(query)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The search index, in process (what a request handler pays, without HTTP). With
/// `report_slowest`, prints the slowest queries (mean over the rounds) to stderr.
pub fn index_latency(
    dir: &Path,
    queries: &[String],
    city: &str,
    rounds: usize,
    report_slowest: usize,
) -> anyhow::Result<Latency> {
    let index = CatalogueIndex::open_read_only(dir)?;
    let request = |q: &str| SearchRequest {
        text: q.to_string(),
        city: city.to_string(),
        limit: 20,
        ..Default::default()
    };
    for q in queries {
        index.search(&request(q))?; // warm the caches
    }
    let mut samples = Vec::with_capacity(queries.len() * rounds);
    let mut per_query = vec![(Duration::ZERO, 0usize); queries.len()];
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let started = Instant::now();
            let results = index.search(&request(q))?;
            let took = started.elapsed();
            samples.push(took);
            per_query[i].0 += took;
            per_query[i].1 = results.total;
        }
    }
    let mut slowest: Vec<(Duration, usize, &String)> = per_query
        .iter()
        .zip(queries)
        .map(|((d, n), q)| (*d / rounds.max(1) as u32, *n, q))
        .collect();
    slowest.sort_by(|a, b| b.0.cmp(&a.0));
    for (d, n, q) in slowest.into_iter().take(report_slowest) {
        eprintln!("{:>8.3} ms {:>7} hits  {q}", d.as_secs_f64() * 1000.0, n);
    }
    Ok(Latency::from("tantivy index (emall)", samples, None))
}

/// SQLite FTS5 (trigram) over title, brand and model; words shorter than three characters,
/// which trigrams cannot index, fall back to LIKE.
pub async fn fts5_latency(
    db: &Db,
    queries: &[String],
    city: &str,
    rounds: usize,
) -> anyhow::Result<Latency> {
    anyhow::ensure!(
        db.backend() == Backend::Sqlite,
        "the FTS5 baseline runs on SQLite"
    );
    let started = Instant::now();
    sqlx::raw_sql(
        "DROP TABLE IF EXISTS bench_products_fts; \
         CREATE VIRTUAL TABLE bench_products_fts USING fts5(title, brand, model, content='products', content_rowid='id', tokenize='trigram'); \
         INSERT INTO bench_products_fts(bench_products_fts) VALUES ('rebuild');",
    )
    .execute(db.pool())
    .await?;
    let setup = started.elapsed();
    let mut samples = Vec::with_capacity(queries.len() * rounds);
    for round in 0..=rounds {
        for q in queries {
            let words = words(q);
            let (long, short): (Vec<&String>, Vec<&String>) =
                words.iter().partition(|w| w.chars().count() >= 3);
            // the FTS expression and each LIKE pattern are bound values, never SQL text
            let mut sql = Built::new("SELECT p.id, MIN(o.price_fen) FROM (SELECT rowid AS id FROM bench_products_fts WHERE ");
            if long.is_empty() {
                sql.push("1 = 1");
            } else {
                let expr = long
                    .iter()
                    .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                sql.push("bench_products_fts MATCH ").push_value(expr);
            }
            for w in short {
                sql.push(" AND (title || ' ' || brand || ' ' || model) LIKE ")
                    .push_value(format!("%{w}%"));
            }
            sql.push(
                " LIMIT 200) m JOIN products p ON p.id = m.id \
                 JOIN offers o ON o.product_id = p.id AND o.status = 'on_sale' \
                 JOIN offer_cities oc ON oc.offer_id = o.id AND oc.city = ",
            )
            .push_value(city)
            .push(" GROUP BY p.id LIMIT 20");
            let t = Instant::now();
            let _rows: Vec<(i64, Option<i64>)> = sql.query_as().fetch_all(db.pool()).await?;
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
    }
    sqlx::raw_sql("DROP TABLE IF EXISTS bench_products_fts")
        .execute(db.pool())
        .await?;
    Ok(Latency::from("SQLite FTS5 trigram", samples, Some(setup)))
}

/// PostgreSQL pg_trgm: a GIN trigram index over title, brand and model, `ILIKE` every word.
pub async fn trgm_latency(
    url: &str,
    queries: &[String],
    city: &str,
    rounds: usize,
) -> anyhow::Result<Latency> {
    use sqlx::ConnectOptions;
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    let pool = sqlx::PgPool::connect_with(
        options
            .log_statements(log::LevelFilter::Off)
            .log_slow_statements(log::LevelFilter::Off, Duration::from_secs(60)),
    )
    .await?;
    let started = Instant::now();
    sqlx::raw_sql(
        "CREATE EXTENSION IF NOT EXISTS pg_trgm; \
         DROP INDEX IF EXISTS bench_products_trgm; \
         CREATE INDEX bench_products_trgm ON products USING gin ((title || ' ' || brand || ' ' || model) gin_trgm_ops); \
         ANALYZE products;",
    )
    .execute(&pool)
    .await?;
    let setup = started.elapsed();
    let mut samples = Vec::with_capacity(queries.len() * rounds);
    for round in 0..=rounds {
        for q in queries {
            let patterns: Vec<String> = words(q)
                .iter()
                .map(|w| {
                    format!(
                        "%{}%",
                        w.replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_")
                    )
                })
                .collect();
            let t = Instant::now();
            let _rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT p.id, MIN(o.price_fen) FROM (SELECT id FROM products \
                 WHERE (title || ' ' || brand || ' ' || model) ILIKE ALL ($1) LIMIT 200) m JOIN products p ON p.id = m.id \
                 JOIN offers o ON o.product_id = p.id AND o.status = 'on_sale' \
                 JOIN offer_cities oc ON oc.offer_id = o.id AND oc.city = $2 GROUP BY p.id LIMIT 20",
            )
            .bind(&patterns)
            .bind(city)
            .fetch_all(&pool)
            .await?;
            if round > 0 {
                samples.push(t.elapsed());
            }
        }
    }
    sqlx::raw_sql("DROP INDEX IF EXISTS bench_products_trgm")
        .execute(&pool)
        .await?;
    Ok(Latency::from("PostgreSQL pg_trgm", samples, Some(setup)))
}

/// `emall bench-orders`: checkouts per second through the same `checkout` the API calls,
/// by `concurrency` buyers at once for `seconds`, each placing one-line orders of random
/// offers in its city against its own budget line. Needs units with buyers and budget
/// lines (`emall seed --orders` makes them); their lines are topped up first so that money
/// never runs out, and offers' stock likewise. The time ends when the last order's audit
/// entry is sealed into the chain.
pub async fn orders(
    db: &Db,
    rules: emall_domain::purchase::PurchaseRules,
    timing: crate::lifecycle::Timing,
    payment_terms_days: i64,
    seconds: u64,
    concurrency: usize,
) -> anyhow::Result<String> {
    let buyers = buyers(db, concurrency).await?;
    top_up(db).await?;

    // Sealing the orders' audit entries into the chain is part of the work, as on a node.
    crate::audit::seal(db).await?;
    crate::audit::spawn_sealer(db.clone());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    // So is taking the changes the orders recorded out of the outbox, as a node's drainer
    // does (its index refresh and purges are not: the page benchmarks measure those).
    let drainer = {
        let db = db.clone();
        tokio::spawn(async move {
            loop {
                drain_outbox(&db).await?;
                if Instant::now() >= deadline {
                    return anyhow::Ok(());
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        })
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency.max(1) {
        let timing = timing.clone();
        let (db, buyers) = (db.clone(), buyers.clone());
        let turn = (t, concurrency.max(1));
        tasks.push(tokio::spawn(checkouts(
            db,
            buyers,
            rules,
            timing,
            payment_terms_days,
            turn,
            deadline,
        )));
    }
    let mut samples = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let (s, r) = task.await??;
        samples.extend(s);
        refused += r;
    }
    // Counted once every order's entry is in the chain and its change out of the outbox.
    drainer.await??;
    drain_outbox(db).await?;
    crate::audit::seal(db).await?;
    let elapsed = started.elapsed();
    let placed = samples.len();
    let latency = Latency::from("checkout", samples, None);
    Ok(format!(
        "{placed} orders in {:.1} s: {:.0} orders/s, p50 {:.2} ms, p99 {:.2} ms ({} buyers, {concurrency} at once, {refused} refused)",
        elapsed.as_secs_f64(),
        placed as f64 / elapsed.as_secs_f64(),
        latency.p50.as_secs_f64() * 1000.0,
        latency.p99.as_secs_f64() * 1000.0,
        buyers.len(),
    ))
}

/// A benchmark buyer: unit, user, budget line, the offers of its city, username.
type Buyer = (i64, i64, i64, Arc<Vec<i64>>, Arc<str>);

/// Up to four buyers per concurrent task: units with a buyer and a budget line, in a city
/// with offers on sale of at most ¥2,000.
async fn buyers(db: &Db, concurrency: usize) -> anyhow::Result<Vec<Buyer>> {
    use std::collections::HashMap;
    let buyers: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT f.unit, f.usr, f.line, f.city, n.username FROM (\
         SELECT u.id AS unit, MIN(usr.id) AS usr, MIN(b.id) AS line, u.city AS city FROM purchasing_units u \
         JOIN users usr ON usr.unit_id = u.id AND usr.role = 'buyer' \
         JOIN budget_lines b ON b.unit_id = u.id \
         GROUP BY u.id, u.city) f JOIN users n ON n.id = f.usr ORDER BY f.unit",
    )
    .fetch_all(db.pool())
    .await?;
    let offers: Vec<(i64, String)> = sqlx::query_as(
        "SELECT o.id, oc.city FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
         JOIN suppliers s ON s.id = o.supplier_id \
         WHERE o.status = 'on_sale' AND s.status = 'admitted' AND o.price_fen <= 200000",
    )
    .fetch_all(db.pool())
    .await?;
    let mut by_city: HashMap<String, Vec<i64>> = HashMap::new();
    for (offer, city) in offers {
        by_city.entry(city).or_default().push(offer);
    }
    let buyers: Vec<Buyer> = buyers
        .into_iter()
        .filter_map(|(unit, user, line, city, username)| {
            let offers = by_city.get(&city)?.clone();
            (!offers.is_empty()).then(|| (unit, user, line, Arc::new(offers), username.into()))
        })
        .take(concurrency.max(1) * 4)
        .collect();
    anyhow::ensure!(
        !buyers.is_empty(),
        "no buyer with a budget line in a city with offers: run `emall seed --scale N --orders M` first"
    );
    Ok(buyers)
}

/// Tops up the budget lines and the offers' stock that a run could exhaust.
async fn top_up(db: &Db) -> anyhow::Result<()> {
    // Only the rows that need it, and on PostgreSQL vacuumed after: rewriting every offer
    // before each run would leave the run to share the cores with autovacuum.
    sqlx::query(
        "UPDATE budget_lines SET amount_fen = frozen_fen + spent_fen + 100000000000 \
         WHERE amount_fen - frozen_fen - spent_fen < 10000000000",
    )
    .execute(db.pool())
    .await?;
    sqlx::query("UPDATE offers SET stock = 100000000 WHERE stock < 10000000")
        .execute(db.pool())
        .await?;
    if db.backend() == crate::db::Backend::Postgres {
        sqlx::query("VACUUM (ANALYZE) offers, budget_lines")
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// The `t`-th of `step` concurrent tasks: its buyers in turn (every `step`-th from the
/// `t`-th) each place a one-line order of a random offer of their city until `deadline`.
/// The placed orders' latencies, and how many were refused.
async fn checkouts(
    db: Db,
    buyers: Vec<Buyer>,
    rules: emall_domain::purchase::PurchaseRules,
    timing: crate::lifecycle::Timing,
    payment_terms_days: i64,
    (t, step): (usize, usize),
    deadline: Instant,
) -> anyhow::Result<(Vec<Duration>, u64)> {
    use crate::checkout::{self, Outcome};
    let mut rng = crate::seed::rng::Rng::new(0xbe7c + t as u64);
    let mut samples = Vec::new();
    let mut refused = 0u64;
    let mut i = t;
    while Instant::now() < deadline {
        let (unit, user, line, offers, username) = &buyers[i % buyers.len()];
        i += step;
        let offer = *rng.pick(offers);
        let began = Instant::now();
        let outcome = checkout::checkout(
            &db,
            &rules,
            &timing,
            checkout::Request {
                user_id: *user,
                username,
                unit_id: *unit,
                budget_line_id: *line,
                payment_terms_days,
                items: vec![(offer, 1)],
                from_cart: false,
                idempotency_key: None,
            },
        )
        .await?;
        match outcome {
            Outcome::Placed(_) => samples.push(began.elapsed()),
            _ => refused += 1,
        }
    }
    Ok((samples, refused))
}

/// Claims and finishes every waiting change in the outbox, as the drainer does, without its
/// index refresh and purges.
async fn drain_outbox(db: &Db) -> anyhow::Result<()> {
    use crate::outbox::{self, Stage};
    loop {
        let now = crate::clock::now();
        let claimed = outbox::claim(db, Stage::Apply, 256, now, now + 10).await?;
        if claimed.rows == 0 {
            return Ok(());
        }
        outbox::applied(db, &claimed, None, &[], now).await?;
    }
}
