//! The database handle: one `AnyPool` over SQLite (embedded default) or PostgreSQL.
//!
//! SQL is written once for both backends: `$1` placeholders (SQLite accepts them), integer
//! money and times, 0/1 booleans, and `CAST(SUM(..) AS BIGINT)` where PostgreSQL would
//! otherwise answer NUMERIC. Migrations are per backend.

mod built;
mod direct;
mod inserts;
mod sql;

pub use built::Built;
pub use direct::{run_ready, Direct, DirectWriter};
pub use inserts::Inserts;
pub use sql::{stored, Arg, Column, Row, Sql, Stored};

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    /// Where write transactions run. On SQLite a pool of one connection: writers queue in
    /// process, in order, instead of each polling the file lock with the busy handler's
    /// growing sleeps. On PostgreSQL (and an in-memory SQLite) the same pool as reads.
    writer: AnyPool,
    backend: Backend,
    /// On a SQLite file: the direct writer for hot write transactions (checkout).
    direct: Option<DirectWriter>,
}

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

macro_rules! migrations {
    ($dir:literal: $($version:literal $name:literal $file:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../migrations/", $dir, "/", $file)),
        }),*]
    };
}

const SQLITE_MIGRATIONS: &[Migration] = migrations!("sqlite":
    1 "foundation" "0001_foundation.sql",
    2 "catalogue_search" "0002_catalogue_search.sql",
    3 "ordering" "0003_ordering.sql",
    4 "performance" "0004_performance.sql",
    5 "onboarding" "0005_onboarding.sql",
    6 "qualifications" "0006_qualifications.sql",
    7 "listing_checks" "0007_listing_checks.sql",
    8 "api_tokens" "0008_api_tokens.sql",
    9 "product_proposals" "0009_product_proposals.sql",
    10 "supplier_staff" "0010_supplier_staff.sql",
    11 "qualification_checks" "0011_qualification_checks.sql",
    12 "pools" "0012_pools.sql",
    13 "credit" "0013_credit.sql",
    14 "red_flags" "0014_red_flags.sql",
    15 "dashboard" "0015_dashboard.sql",
    16 "dashboard_rollups" "0016_dashboard_rollups.sql",
    17 "intentions" "0017_intentions.sql",
    18 "order_categories" "0018_order_categories.sql",
    19 "calendar_years" "0019_calendar_years.sql",
    20 "sign_in_hardening" "0020_sign_in_hardening.sql",
    21 "audit_log" "0021_audit_log.sql",
    22 "audit_pending" "0022_audit_pending.sql",
    23 "change_outbox" "0023_change_outbox.sql",
    24 "shipments" "0024_shipments.sql",
    25 "budget_classes" "0025_budget_classes.sql",
);
const POSTGRES_MIGRATIONS: &[Migration] = migrations!("postgres":
    1 "foundation" "0001_foundation.sql",
    2 "catalogue_search" "0002_catalogue_search.sql",
    3 "ordering" "0003_ordering.sql",
    4 "performance" "0004_performance.sql",
    5 "onboarding" "0005_onboarding.sql",
    6 "qualifications" "0006_qualifications.sql",
    7 "listing_checks" "0007_listing_checks.sql",
    8 "api_tokens" "0008_api_tokens.sql",
    9 "product_proposals" "0009_product_proposals.sql",
    10 "supplier_staff" "0010_supplier_staff.sql",
    11 "qualification_checks" "0011_qualification_checks.sql",
    12 "pools" "0012_pools.sql",
    13 "credit" "0013_credit.sql",
    14 "red_flags" "0014_red_flags.sql",
    15 "dashboard" "0015_dashboard.sql",
    16 "dashboard_rollups" "0016_dashboard_rollups.sql",
    17 "intentions" "0017_intentions.sql",
    18 "order_categories" "0018_order_categories.sql",
    19 "calendar_years" "0019_calendar_years.sql",
    20 "sign_in_hardening" "0020_sign_in_hardening.sql",
    21 "audit_log" "0021_audit_log.sql",
    22 "audit_pending" "0022_audit_pending.sql",
    23 "change_outbox" "0023_change_outbox.sql",
    24 "outbox_claims" "0024_outbox_claims.sql",
    25 "shipments" "0025_shipments.sql",
    26 "budget_classes" "0026_budget_classes.sql",
);

/// Any key will do: it only has to be the same on every node migrating this database.
const MIGRATION_LOCK_KEY: i64 = 0x656d_616c_6c;

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("unsupported database URL (use sqlite:// or postgres://)");
        };
        if backend == Backend::Sqlite {
            create_sqlite_dir(url)?;
        }
        let options = AnyConnectOptions::from_str(url)
            .context("invalid database URL")?
            // Bulk seeding sends statements of megabytes: never echo SQL into the log.
            .log_statements(tracing::log::LevelFilter::Off)
            .log_slow_statements(tracing::log::LevelFilter::Off, Duration::from_secs(60));
        let pool = pool_options(backend)
            .max_connections(max_connections)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot connect to the {backend:?} database"))?;
        let file = backend == Backend::Sqlite && !url.contains(":memory:");
        let writer = if file {
            pool_options(backend)
                .max_connections(1)
                .min_connections(1)
                // queued behind a long write (a bulk import) rather than failed
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(options)
                .await
                .with_context(|| format!("cannot connect to the {backend:?} database"))?
        } else {
            pool.clone()
        };
        let direct = if file {
            let path = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
                .get_filename()
                .to_owned();
            Some(DirectWriter::open(&path, writer.clone()).context("cannot open the SQLite file")?)
        } else {
            None
        };
        Ok(Db {
            pool,
            writer,
            backend,
            direct,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The direct SQLite writer, on a SQLite file; elsewhere write with [`Db::begin_write`].
    pub fn direct(&self) -> Option<&DirectWriter> {
        self.direct.as_ref()
    }

    /// Applies pending migrations in order, each in its own transaction. Refuses to run when
    /// an applied migration's text has changed. Safe when several nodes start at once.
    pub async fn migrate(&self) -> anyhow::Result<Vec<String>> {
        let migrations = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        let mut conn = self.pool.acquire().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
        }
        let result = async {
            Executor::execute(
                &mut *conn,
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at BIGINT NOT NULL)",
            )
            .await?;
            let applied: Vec<(i64, String)> =
                sqlx::query_as("SELECT version, checksum FROM schema_migrations ORDER BY version")
                    .fetch_all(&mut *conn)
                    .await?;
            let mut done = Vec::new();
            for m in migrations {
                let checksum = checksum(m.sql);
                if let Some((_, existing)) = applied.iter().find(|(v, _)| *v == m.version) {
                    anyhow::ensure!(
                        *existing == checksum,
                        "migration {} ({}) was changed after it was applied",
                        m.version,
                        m.name
                    );
                    continue;
                }
                let mut tx = conn.begin().await?;
                sqlx::raw_sql(m.sql)
                    .execute(&mut *tx)
                    .await
                    .with_context(|| format!("migration {} ({}) failed", m.version, m.name))?;
                sqlx::query(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(m.version)
                .bind(m.name)
                .bind(&checksum)
                .bind(crate::clock::now())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                done.push(format!("{:04}_{}", m.version, m.name));
            }
            anyhow::Ok(done)
        }
        .await;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK_KEY)
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    /// A transaction that will write. On SQLite it runs on the writer connection and takes
    /// the write lock at BEGIN (`BEGIN IMMEDIATE`): a deferred transaction that reads and
    /// then writes can fail at once with "database is locked" when another writer got in
    /// between, while an immediate one waits its turn. Never begin a second write while
    /// holding one: on SQLite it would wait for itself.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writer_turn().await?;
                sqlx::Transaction::begin(turn, Some("BEGIN IMMEDIATE".into())).await
            }
            Backend::Postgres => self.writer.begin().await,
        }
    }

    /// The writer connection, with any group the direct writer left open committed (see
    /// [`DirectWriter::transaction`]).
    async fn writer_turn(&self) -> sqlx::Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        let turn = self.writer.acquire().await?;
        if let Some(direct) = &self.direct {
            direct.commit_open_group();
        }
        Ok(turn)
    }

    /// Closes the pool; on SQLite first folds the write-ahead log back into the database
    /// file, so that the next reader does not wade through a large WAL.
    pub async fn close(&self) {
        if self.backend == Backend::Sqlite {
            if let Ok(mut turn) = self.writer_turn().await {
                let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(&mut *turn)
                    .await;
            }
        }
        self.pool.close().await;
        self.writer.close().await;
    }

    /// Refreshes the query planner's statistics: after a bulk load PostgreSQL has none until
    /// autovacuum comes round, and plans joins over "empty" tables badly meanwhile.
    pub async fn analyze(&self) -> sqlx::Result<()> {
        let mut turn = self.writer_turn().await?;
        sqlx::query("ANALYZE").execute(&mut *turn).await.map(|_| ())
    }

    /// Is the database answering? (`/readyz`)
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Every SQLite connection's settings. WAL lets readers run beside the one writer; a busy
/// writer is waited for rather than failing the request. A 64 MiB page cache, sorts in memory
/// and memory-mapped reads: SQLite's defaults (2 MiB, temp files) make big sorts spill to disk.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
     PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;";

/// How long a SQLite writer waits for another process's write lock (`busy_timeout` above).
const BUSY_WAIT: Duration = Duration::from_secs(10);

/// Connection settings shared by the read and write pools.
fn pool_options(backend: Backend) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    Executor::execute(conn, SQLITE_PRAGMAS).await?;
                }
                Ok(())
            })
        })
}

fn checksum(sql: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(sql.as_bytes()))
}

fn create_sqlite_dir(url: &str) -> anyhow::Result<()> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
    }
    Ok(())
}
