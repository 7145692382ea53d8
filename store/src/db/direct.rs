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
use std::collections::VecDeque;
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone)]
pub struct DirectWriter {
    state: Arc<Mutex<Writer>>,
    /// The writer pool: holding its connection is this process's turn to write.
    turn: AnyPool,
    /// Direct writers waiting for the turn: while one waits, a finished transaction's
    /// group is left open for it to join.
    waiting: Arc<AtomicUsize>,
    /// The number of the last group that finished (committed or failed).
    finished: Arc<watch::Sender<u64>>,
}

/// The connection and its open group.
struct Writer {
    conn: Connection,
    /// The group left open for the next writer: its number and how many transactions it
    /// holds.
    open: Option<(u64, usize)>,
    /// The last group's number.
    last: u64,
    /// Recent groups whose COMMIT failed: their members answer with the error.
    failed: VecDeque<(u64, String)>,
}

/// A group holds at most this many transactions before it commits.
const GROUP_LIMIT: usize = 64;

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
            state: Arc::new(Mutex::new(Writer {
                conn,
                open: None,
                last: 0,
                failed: VecDeque::new(),
            })),
            turn,
            waiting: Arc::new(AtomicUsize::new(0)),
            finished: Arc::new(watch::channel(0).0),
        })
    }

    /// Runs `work` as one write transaction. `work` keeps its writes with
    /// [`Direct::commit`]; whatever it has not kept when it returns (or panics) is rolled
    /// back, and nothing else is.
    ///
    /// Group commit: `work` runs in a savepoint of a SQLite transaction that several
    /// writers share. When another direct writer waits for the turn, the transaction is left
    /// open for it, and the last of a run (or the 64th) commits the group; each writer
    /// returns only once its group has committed, with the group's error if the COMMIT
    /// failed. So a burst of checkouts writes each shared page (the last page of a table or
    /// an index) to the log once per group instead of once per checkout, and nothing is
    /// answered before it is on disk. Anyone else who takes the turn (`Db::begin_write`,
    /// the pool's own writes) first commits an open group (`commit_open_group`).
    pub async fn transaction<T>(
        &self,
        work: impl FnOnce(&mut Direct<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let turn = {
            let queued = Queued::new(self);
            let turn = self.turn.acquire().await?;
            queued.served();
            turn
        };
        // Nothing awaits until the turn is given back: the work cannot be cut off halfway.
        let (group, outcome) = self.run_in_group(work)?;
        drop(turn);
        let result = match outcome {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        self.finished_with(group).await?;
        result
    }

    /// Runs `work` in a savepoint of the open group (beginning one if none is open), and
    /// commits the group unless another writer waits to join it. The caller holds the turn.
    #[allow(clippy::type_complexity)]
    fn run_in_group<T>(
        &self,
        work: impl FnOnce(&mut Direct<'_>) -> anyhow::Result<T>,
    ) -> anyhow::Result<(u64, std::thread::Result<anyhow::Result<T>>)> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let group = match state.open {
            Some((group, _)) => group,
            None => {
                if !state.conn.is_autocommit() {
                    state.conn.execute_batch("ROLLBACK")?;
                }
                begin(&state.conn)?;
                state.last += 1;
                state.open = Some((state.last, 0));
                state.last
            }
        };
        state.conn.execute_batch("SAVEPOINT work")?;
        let mut kept = false;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            work(&mut Direct {
                conn: &mut state.conn,
                kept: &mut kept,
            })
        }));
        if state.conn.is_autocommit() {
            // The work's error ended the whole transaction (a full disk, an I/O error):
            // the group is gone with it.
            state.open = None;
            fail(
                &mut state,
                group,
                "the write transaction was rolled back by SQLite",
            );
            self.finished.send_replace(group);
            return Ok((group, outcome));
        }
        if !kept {
            state.conn.execute_batch("ROLLBACK TO work")?;
        }
        state.conn.execute_batch("RELEASE work")?;
        if let Some((_, members)) = state.open.as_mut() {
            *members += 1;
        }
        let members = state.open.map_or(0, |(_, m)| m);
        if self.waiting.load(AtomicOrdering::SeqCst) == 0 || members >= GROUP_LIMIT {
            self.commit_group(&mut state);
        }
        Ok((group, outcome))
    }

    /// Commits the open group (the caller holds the turn).
    fn commit_group(&self, state: &mut Writer) {
        let Some((group, _)) = state.open.take() else {
            return;
        };
        if let Err(e) = state.conn.execute_batch("COMMIT") {
            if !state.conn.is_autocommit() {
                let _ = state.conn.execute_batch("ROLLBACK");
            }
            fail(state, group, &e.to_string());
        }
        self.finished.send_replace(group);
    }

    /// Commits a group left open for a writer that will not come: for whoever takes the
    /// turn other than through [`DirectWriter::transaction`], once they hold it.
    pub fn commit_open_group(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.commit_group(&mut state);
    }

    /// Waits until `group` has finished; its error if its COMMIT failed.
    async fn finished_with(&self, group: u64) -> anyhow::Result<()> {
        let mut finished = self.finished.subscribe();
        // The sender lives as long as `self`: waiting cannot fail.
        let _ = finished.wait_for(|f| *f >= group).await;
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match state.failed.iter().find(|(g, _)| *g == group) {
            Some((_, e)) => anyhow::bail!("the write was not committed: {e}"),
            None => Ok(()),
        }
    }
}

fn fail(state: &mut Writer, group: u64, error: &str) {
    state.failed.push_back((group, error.to_string()));
    while state.failed.len() > 64 {
        state.failed.pop_front();
    }
}

/// A direct writer waiting for the turn. Dropped unserved (its request cancelled), it
/// commits an open group that was left for it, once no other writer is waiting.
struct Queued<'w> {
    writer: &'w DirectWriter,
    served: bool,
}

impl<'w> Queued<'w> {
    fn new(writer: &'w DirectWriter) -> Queued<'w> {
        writer.waiting.fetch_add(1, AtomicOrdering::SeqCst);
        Queued {
            writer,
            served: false,
        }
    }

    fn served(mut self) {
        self.served = true;
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        let left = self.writer.waiting.fetch_sub(1, AtomicOrdering::SeqCst) - 1;
        if self.served || left > 0 {
            return;
        }
        let open = self
            .writer
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .open
            .is_some();
        if open {
            let writer = self.writer.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Ok(_turn) = writer.turn.acquire().await {
                        writer.commit_open_group();
                    }
                });
            }
        }
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
    /// Whether the work keeps its writes.
    kept: &'c mut bool,
}

impl Direct<'_> {
    /// Keeps this transaction's writes: they commit with its group (see
    /// [`DirectWriter::transaction`]). Call it last.
    pub fn commit(&mut self) -> anyhow::Result<()> {
        *self.kept = true;
        Ok(())
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writers_commit_in_groups_and_each_keeps_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let db = file_db(dir.path()).await;
        let direct = db.direct().unwrap().clone();
        let mut tasks = Vec::new();
        for k in 0..200i64 {
            let direct = direct.clone();
            tasks.push(tokio::spawn(async move {
                direct
                    .transaction(|tx| {
                        run_ready(tx.execute("INSERT INTO t (k, a) VALUES ($1, $1)", args![k]))?;
                        match k % 10 {
                            3 => anyhow::bail!("refused"),
                            5 => Ok(false), // returns without keeping its write
                            7 if k == 77 => panic!("mid-transaction"),
                            _ => tx.commit().map(|()| true),
                        }
                    })
                    .await
            }));
        }
        let mut kept = Vec::new();
        for (k, task) in tasks.into_iter().enumerate() {
            match task.await {
                Ok(Ok(true)) => kept.push(k as i64),
                Ok(Ok(false)) | Ok(Err(_)) => {}
                Err(panic) => assert!(panic.is_panic() && k == 77),
            }
        }
        assert_eq!(kept.len(), 200 - 20 - 20 - 1);
        // Every answer came after its commit: another connection sees exactly the kept rows.
        let (keys,): (String,) =
            sqlx::query_as("SELECT group_concat(k) FROM (SELECT k FROM t ORDER BY k)")
                .fetch_one(db.pool())
                .await
                .unwrap();
        let kept_keys: Vec<String> = kept.iter().map(i64::to_string).collect();
        assert_eq!(keys, kept_keys.join(","));
        let groups = direct.state.lock().unwrap().last;
        assert!(
            groups < 200,
            "the writers shared commits: {groups} groups for 200"
        );
        // Nothing was left open: a writer through the pool begins at once.
        let mut tx = tokio::time::timeout(Duration::from_secs(2), db.begin_write())
            .await
            .expect("no group holds the write lock")
            .unwrap();
        sqlx::query("INSERT INTO t (k, a) VALUES (1000, 1)")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_group_left_for_a_writer_that_gives_up_is_committed_all_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let db = file_db(dir.path()).await;
        let direct = db.direct().unwrap().clone();
        let insert = |k: i64| {
            let direct = direct.clone();
            async move {
                direct
                    .transaction(|tx| {
                        run_ready(tx.execute("INSERT INTO t (k, a) VALUES ($1, $1)", args![k]))?;
                        tx.commit()
                    })
                    .await
            }
        };
        // In line for the turn, in this order: the first writer, the test, a second writer.
        let held = db.writer.acquire().await.unwrap();
        let first = tokio::spawn(insert(1));
        tokio::time::sleep(Duration::from_millis(50)).await;
        let test_turn = tokio::spawn({
            let writer = db.writer.clone();
            async move { writer.acquire().await.unwrap() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let second = tokio::spawn(insert(2));
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(held);
        // The first writer saw the second waiting and left its group open for it; the test
        // holds the turn now, and the second writer gives up before it comes.
        let turn = test_turn.await.unwrap();
        assert!(direct.state.lock().unwrap().open.is_some());
        second.abort();
        let _ = second.await;
        drop(turn);
        tokio::time::timeout(Duration::from_secs(2), first)
            .await
            .expect("the group is committed once no writer is left to join it")
            .unwrap()
            .unwrap();
        assert_eq!(count(&db).await, 1);
    }
}
