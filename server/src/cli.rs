//! The `emall` command line.

use crate::settings::Settings;
use crate::startup::Application;
use clap::{Parser, Subcommand};
use emall_store::db::Db;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "emall",
    version,
    about = "政府采购电子卖场 · government e-procurement mall"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the mall
    Serve,
    /// Apply pending database migrations
    Migrate,
    /// Fill the database: the demo city, or a synthetic catalogue for benchmarks
    Seed {
        /// The demo city (Shanghai plus two more), only into an empty database
        #[arg(long, conflicts_with = "scale")]
        demo: bool,
        /// A synthetic catalogue of about N offers (N/5 standard products)
        #[arg(long, value_name = "N")]
        scale: Option<u64>,
        /// Then a synthetic two-year history of M orders over the offers there are
        #[arg(long, value_name = "M", conflicts_with = "demo")]
        orders: Option<u64>,
    },
    /// Rebuild the search index from the database (with --check: only compare them)
    Reindex {
        /// Compare the index with the database instead of rebuilding; fails on differences
        #[arg(long)]
        check: bool,
    },
    /// Fold changed orders into the dashboard's figures (with --full: rebuild every month)
    RefreshDashboard {
        #[arg(long)]
        full: bool,
    },
    /// Print the OpenAPI document of the JSON API
    Openapi,
    /// The audit log (审计日志)
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Measure search latency over a query file, with the FTS5 and pg_trgm baselines
    BenchSearch {
        /// One query per line
        #[arg(long)]
        queries: std::path::PathBuf,
        #[arg(long, default_value = "310100")]
        city: String,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// A PostgreSQL database holding the same rows, for the pg_trgm baseline
        #[arg(long)]
        postgres: Option<String>,
        /// Print the N slowest queries of the index to stderr
        #[arg(long, default_value_t = 0)]
        slowest: usize,
        /// Only the index (no baselines)
        #[arg(long)]
        index_only: bool,
    },
    /// Time the comparison page's render without the page cache
    BenchRender {
        #[arg(long)]
        product: i64,
        #[arg(long, default_value = "310100")]
        city: String,
        #[arg(long, default_value_t = 2000)]
        rounds: usize,
    },
    /// Measure checkouts per second (one-line orders by many buyers at once)
    BenchOrders {
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the whole hash chain (streaming); fails naming the first broken entry
    Verify,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    if let Command::Openapi = command {
        println!("{}", crate::api::openapi_document().to_pretty_json()?);
        return Ok(());
    }
    let settings = Settings::load()?;
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::Seed {
            demo,
            scale,
            orders,
        } => seed(&settings, demo, scale, orders).await,
        Command::Reindex { check: false } => reindex(&settings).await,
        Command::RefreshDashboard { full } => refresh_dashboard(&settings, full).await,
        Command::Reindex { check: true } => check_index(&settings).await,
        Command::Openapi => unreachable!("handled before settings are loaded"),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = connect(&settings).await?;
            db.migrate().await?;
            audit_verify(&db).await
        }
        Command::BenchRender {
            product,
            city,
            rounds,
        } => bench_render(settings, product, &city, rounds).await,
        Command::BenchOrders {
            seconds,
            concurrency,
        } => bench_orders(&settings, seconds, concurrency).await,
        Command::BenchSearch {
            queries,
            city,
            rounds,
            postgres,
            slowest,
            index_only,
        } => {
            bench_search(
                &settings, &queries, &city, rounds, postgres, slowest, index_only,
            )
            .await
        }
    }
}

/// `emall serve`: migrates the database and serves the mall until stopped.
async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "serving");
    app.run_until_stopped().await?;
    Ok(())
}

/// `emall migrate`: applies the pending migrations and names them.
async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    let applied = db.migrate().await?;
    if applied.is_empty() {
        println!("database is up to date");
    }
    for m in applied {
        println!("applied {m}");
    }
    Ok(())
}

/// `emall seed`: the demo city into an empty database, or a synthetic catalogue and order
/// history; then the seeded audit entries are chained.
async fn seed(
    settings: &Settings,
    demo: bool,
    scale: Option<u64>,
    orders: Option<u64>,
) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    db.migrate().await?;
    match (demo, scale, orders) {
        (true, _, _) => match emall_store::seed::demo::seed(&db).await? {
            Some(report) => println!("{report}"),
            None => println!("database already has data: demo seed skipped"),
        },
        (false, None, None) => {
            anyhow::bail!("say what to seed: --demo, --scale N and/or --orders M")
        }
        (false, scale, orders) => {
            if let Some(n) = scale {
                println!("{}", emall_store::seed::scale::seed(&db, n).await?);
            }
            if let Some(m) = orders {
                println!("{}", emall_store::seed::orders::seed(&db, m).await?);
            }
            db.analyze().await?;
        }
    }
    // The seeded history's audit entries, chained before anyone reads them.
    emall_store::audit::seal(&db).await?;
    db.close().await;
    Ok(())
}

/// `emall reindex`: rebuilds the search index from the database.
async fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    db.migrate().await?;
    let report = crate::search::reindex(&db, &settings.index_dir()).await?;
    println!("{report}");
    Ok(())
}

/// `emall reindex --check`: compares the search index with the database; fails on
/// differences, printing the first fifty.
async fn check_index(settings: &Settings) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    let problems = crate::search::check(&db, &settings.index_dir()).await?;
    for p in problems.iter().take(50) {
        println!("{p}");
    }
    anyhow::ensure!(
        problems.is_empty(),
        "{} differences between the index and the database",
        problems.len()
    );
    println!("index and database agree");
    Ok(())
}

/// `emall refresh-dashboard`: folds changed orders into the dashboard's figures (with
/// `full`, every month).
async fn refresh_dashboard(settings: &Settings, full: bool) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    db.migrate().await?;
    if full {
        emall_store::dashboard::forget(&db).await?;
    }
    let started = std::time::Instant::now();
    let months = emall_store::dashboard::refresh(&db, emall_store::clock::now()).await?;
    println!(
        "dashboard: {months} months rebuilt in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `emall bench-render`: times the comparison page's render without the page cache.
async fn bench_render(
    settings: Settings,
    product: i64,
    city: &str,
    rounds: usize,
) -> anyhow::Result<()> {
    let db = connect(&settings).await?;
    let state = crate::startup::state(settings, db).await?;
    println!(
        "{}",
        crate::bench::render(&state, product, city, rounds).await?
    );
    Ok(())
}

/// `emall bench-orders`: checkouts per second.
async fn bench_orders(settings: &Settings, seconds: u64, concurrency: usize) -> anyhow::Result<()> {
    let db = connect(settings).await?;
    let timing = emall_store::lifecycle::Timing {
        calendar: std::sync::Arc::new(emall_domain::calendar::WorkCalendar::china()),
        confirm_working_days: settings.rules.confirm_working_days,
    };
    let rules = settings.rules.purchase();
    let terms = settings.rules.payment_terms_days;
    println!(
        "{}",
        emall_store::bench::orders(&db, rules, timing, terms, seconds, concurrency).await?
    );
    Ok(())
}

/// `emall bench-search`: search latency over a query file, the index's and (unless
/// `index_only`) the FTS5 and pg_trgm baselines', as a Markdown table.
async fn bench_search(
    settings: &Settings,
    queries: &std::path::Path,
    city: &str,
    rounds: usize,
    postgres: Option<String>,
    slowest: usize,
    index_only: bool,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(queries)?;
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let db = connect(settings).await?;
    println!("| engine | queries | p50 (ms) | p99 (ms) | mean (ms) | index build |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let dir = settings.index_dir();
    let (q, c) = (queries.clone(), city.to_string());
    let index = tokio::task::spawn_blocking(move || {
        emall_store::bench::index_latency(&dir, &q, &c, rounds, slowest)
    })
    .await??;
    println!("{}", index.row());
    if index_only {
        return Ok(());
    }
    if db.backend() == emall_store::db::Backend::Sqlite {
        println!(
            "{}",
            emall_store::bench::fts5_latency(&db, &queries, city, rounds)
                .await?
                .row()
        );
    }
    if let Some(url) = postgres {
        println!(
            "{}",
            emall_store::bench::trgm_latency(&url, &queries, city, rounds)
                .await?
                .row()
        );
    }
    Ok(())
}

/// `emall audit verify`: the count and OK, or the first broken entry (and an error exit).
async fn audit_verify(db: &Db) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let verified = emall_store::audit::verify_all(db, |v| {
        eprintln!("{} entries verified…", v.count());
    })
    .await?;
    match verified.result {
        Ok(()) => {
            println!(
                "audit log: {} entries verified in {:.1}s, chain intact up to its head ({})",
                verified.count,
                started.elapsed().as_secs_f64(),
                verified.head
            );
            println!("OK");
            Ok(())
        }
        Err((broken, found)) => {
            let place = match found {
                Some(e) => format!(
                    " — the row found there: entry {}, {} #{} {}, at {}",
                    e.seq,
                    e.object_kind,
                    e.object_id,
                    e.action,
                    emall_store::clock::rfc3339(e.at)
                ),
                None => String::new(),
            };
            println!(
                "audit log: the chain is broken at entry {}: {}{place}",
                broken.seq, broken.reason
            );
            println!(
                "{} entries before it verify; the chain's head is at {}",
                verified.count, verified.head
            );
            anyhow::bail!("audit log broken at entry {}", broken.seq)
        }
    }
}

async fn connect(settings: &Settings) -> anyhow::Result<Db> {
    Db::connect(&settings.database_url(), settings.max_db_connections).await
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("EMALL_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tantivy=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
