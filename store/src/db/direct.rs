//! The direct SQLite writer: a write transaction run start to finish on the calling thread.
//!
//! sqlx runs each SQLite connection on a worker thread of its own and hands every statement
//! across to it: a checkout's dozen statements cost a dozen round trips of thread wake-ups,
//! several times SQLite's own work, and SQLite writes one transaction at a time, so that cost
//! bounds the whole node's orders per second. This second connection to the same file
//! (rusqlite, over the same libsqlite3) runs the statements as plain calls.
//!
//! It writes only while holding the writer pool's one connection, so it takes its turn with
//! every other writer of the process, in order; other processes are kept out by SQLite's own
//! lock, waited for off the async workers. Code written once over [`Sql`] runs here through
//! [`run_ready`]: this connection's futures are finished when first polled.

use super::sql::{Arg, Row, Sql};
use rusqlite::config::DbConfig;
use rusqlite::{CachedStatement, Connection, ErrorCode};
use sqlx::AnyPool;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

#[derive(Clone)]
pub struct DirectWriter {
    conn: Arc<Mutex<Connection>>,
    /// The writer pool: holding its connection is this process's turn to write.
    turn: AnyPool,
}

impl DirectWriter {
    pub fn open(path: &Path, turn: AnyPool) -> anyhow::Result<DirectWriter> {
        let conn = Connection::open(path)?;
        conn.execute_batch(super::SQLITE_PRAGMAS)?;
        // Never sleep on an async worker: a busy file is waited for in `begin`.
        conn.busy_timeout(Duration::ZERO)?;
        // Plan each statement once: by default SQLite re-plans a statement whenever a new
        // value is bound to a parameter its table statistics could weigh, which on these key
        // lookups costs more than running them.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(DirectWriter {
            conn: Arc::new(Mutex::new(conn)),
            turn,
        })
    }

    /// Runs `work` in one write transaction (`BEGIN IMMEDIATE`). `work` commits with
    /// [`Direct::commit`]; whatever it has not committed when it returns is rolled back.
    pub async fn transaction<T>(
        &self,
        work: impl FnOnce(&mut Direct<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let _turn = self.turn.acquire().await?;
        // From here on nothing awaits: the transaction cannot be cut off halfway.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if !conn.is_autocommit() {
            // left open by a panic in an earlier `work`
            conn.execute_batch("ROLLBACK")?;
        }
        begin(&conn)?;
        let result = work(&mut Direct { conn: &mut conn });
        if !conn.is_autocommit() {
            conn.execute_batch("ROLLBACK")?;
        }
        result
    }
}

fn begin(conn: &Connection) -> anyhow::Result<()> {
    match conn.execute_batch("BEGIN IMMEDIATE") {
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
            // Another process is writing: wait as the pool's connections do.
            blocking(|| {
                conn.busy_timeout(super::BUSY_WAIT)?;
                let begun = conn.execute_batch("BEGIN IMMEDIATE");
                conn.busy_timeout(Duration::ZERO)?;
                begun
            })?;
            Ok(())
        }
        other => Ok(other?),
    }
}

/// Runs `f`, which may block, without holding up the other tasks of a multi-threaded runtime.
fn blocking<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// Runs to its end a future whose every wait is a statement on a [`Direct`] connection.
pub fn run_ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => unreachable!("only direct statements may be awaited in run_ready"),
    }
}

/// The direct connection inside a write transaction.
pub struct Direct<'c> {
    conn: &'c mut Connection,
}

impl Direct<'_> {
    pub fn commit(&mut self) -> anyhow::Result<()> {
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    fn prepare(&self, sql: &'static str, args: &[Arg<'_>]) -> anyhow::Result<CachedStatement<'_>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        // SQLite numbers parameters in order of first use; `$n` names the value.
        for i in 1..=statement.parameter_count() {
            let name = statement.parameter_name(i).unwrap_or("?");
            let arg = name
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| args.get(n.checked_sub(1)?))
                .ok_or_else(|| anyhow::anyhow!("no value for {name} in {sql}"))?;
            match *arg {
                Arg::Int(v) => statement.raw_bind_parameter(i, v)?,
                Arg::MaybeInt(v) => statement.raw_bind_parameter(i, v)?,
                Arg::Text(v) => statement.raw_bind_parameter(i, v)?,
                Arg::MaybeText(v) => statement.raw_bind_parameter(i, v)?,
            }
        }
        Ok(statement)
    }
}

impl Sql for Direct<'_> {
    fn backend(&self) -> super::Backend {
        super::Backend::Sqlite
    }

    async fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> anyhow::Result<u64> {
        Ok(self.prepare(sql, args)?.raw_execute()? as u64)
    }

    async fn fetch_all<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> anyhow::Result<Vec<T>> {
        let mut statement = self.prepare(sql, args)?;
        let mut rows = statement.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(T::from_direct(row)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args;
    use crate::db::Db;
    use std::time::Instant;

    async fn file_db(dir: &Path) -> Db {
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        let db = Db::connect(&url, 2).await.unwrap();
        sqlx::query("CREATE TABLE t (k INTEGER PRIMARY KEY, a INTEGER NOT NULL, b TEXT)")
            .execute(db.pool())
            .await
            .unwrap();
        db
    }

    async fn count(db: &Db) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM t")
            .fetch_one(db.pool())
            .await
            .unwrap();
        n
    }

    #[tokio::test]
    async fn values_go_to_their_numbered_parameters_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let db = file_db(dir.path()).await;
        let direct = db.direct().expect("a SQLite file has a direct writer");
        let row: (i64, i64, String) = direct
            .transaction(|tx| {
                run_ready(tx.execute(
                    "INSERT INTO t (b, k, a) VALUES ($3, $1, $1 + $2)",
                    args![7, 5, "seven"],
                ))?;
                let row = run_ready(tx.fetch_one("SELECT k, a, b FROM t WHERE k = $1", args![7]))?;
                tx.commit()?;
                Ok(row)
            })
            .await
            .unwrap();
        assert_eq!(row, (7, 12, "seven".to_owned()));
        let missing = direct
            .transaction(|tx| run_ready(tx.execute("DELETE FROM t WHERE k = $2", args![7])))
            .await;
        assert!(missing.unwrap_err().to_string().contains("no value for $2"));
        assert_eq!(count(&db).await, 1);
    }

    #[tokio::test]
    async fn what_is_not_committed_is_rolled_back_even_after_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let db = file_db(dir.path()).await;
        let direct = db.direct().unwrap().clone();
        direct
            .transaction(|tx| run_ready(tx.execute("INSERT INTO t (k, a) VALUES (1, 1)", &[])))
            .await
            .unwrap();
        let failed: anyhow::Result<()> = direct
            .transaction(|tx| {
                run_ready(tx.execute("INSERT INTO t (k, a) VALUES (2, 2)", &[]))?;
                anyhow::bail!("refused")
            })
            .await;
        assert!(failed.is_err());
        let panicked: Result<anyhow::Result<()>, _> = tokio::spawn(async move {
            direct
                .transaction(|tx| {
                    run_ready(tx.execute("INSERT INTO t (k, a) VALUES (3, 3)", &[])).unwrap();
                    panic!("mid-transaction")
                })
                .await
        })
        .await;
        assert!(panicked.is_err());
        // The next transaction finds the connection clean and commits alone.
        db.direct()
            .unwrap()
            .transaction(|tx| {
                run_ready(tx.execute("INSERT INTO t (k, a) VALUES (4, 4)", &[]))?;
                tx.commit()
            })
            .await
            .unwrap();
        let (keys,): (String,) = sqlx::query_as("SELECT group_concat(k) FROM t")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(keys, "4");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_process_holding_the_write_lock_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let db = file_db(dir.path()).await;
        // another process's connection, in the middle of a write
        let other = Connection::open(dir.path().join("t.db")).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO t (k, a) VALUES (1, 1);")
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            other.execute_batch("COMMIT").unwrap();
        });
        let began = Instant::now();
        let seen: (i64,) = db
            .direct()
            .unwrap()
            .transaction(|tx| {
                run_ready(tx.execute("INSERT INTO t (k, a) VALUES (2, 2)", &[]))?;
                let seen = run_ready(tx.fetch_one("SELECT COUNT(*) FROM t", &[]))?;
                tx.commit()?;
                Ok(seen)
            })
            .await
            .unwrap();
        release.join().unwrap();
        assert!(began.elapsed() >= Duration::from_millis(250));
        assert_eq!(seen, (2,), "it began after the other writer committed");
        assert_eq!(count(&db).await, 2);
    }
}
