//! 审计日志: the hash-chained audit log. Changes are gathered in a [`Journal`] while a
//! transaction writes and appended as its last write; this module also seals the appended
//! entries into the chain, reads an object's entries and verifies the chain, streaming,
//! from the start or from the last checkpoint.
//!
//! **Invariant:** `audit_log` holds entries numbered 1, 2, 3… with no gaps, each chained to
//! the one before. A change's transaction writes its entries to `audit_pending` (one
//! INSERT, no lock), so appenders never wait for one another's commits. The sealer
//! ([`seal`]) takes the single `audit_head` row (the last number and hash), numbers the
//! waiting entries in the order they were written, chains them into `audit_log` and deletes
//! them from `audit_pending`, all in one transaction: on PostgreSQL the head's row lock
//! orders sealers on every node, on SQLite the one write transaction does. An entry is
//! written after every change it depends on had committed, so the chain's order keeps
//! cause before effect. Every node runs a sealer ([`spawn_sealer`]) that a journal wakes;
//! readers of the log seal first, so what they read is chained.

use crate::db::{Arg, Backend, Db, Inserts, Sql};
use crate::{args, clock, outbox};
use emall_domain::audit::{Change, Digest, Entry, FirstBroken, Object, Verifier};
use futures::TryStreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// The changes of one transaction, in the order they happened.
#[derive(Debug, Default)]
pub struct Journal(Vec<Change>);

impl Journal {
    pub fn new() -> Journal {
        Journal::default()
    }

    pub fn push(&mut self, change: Change) {
        self.0.push(change);
    }

    /// Writes the changes for the sealer: call it as the transaction's last write, just
    /// before its commit.
    pub async fn append<S: Sql>(self, tx: &mut S) -> anyhow::Result<()> {
        append(tx, &self.0).await
    }

    /// [`Journal::append`], and records `change` in the outbox. On PostgreSQL the change
    /// rides on the first entry's INSERT: a round trip fewer in the write transaction (a
    /// checkout is six statements, not seven).
    pub async fn append_recording<S: Sql>(
        self,
        tx: &mut S,
        change: &outbox::Change,
    ) -> anyhow::Result<()> {
        let together = tx.backend() == Backend::Postgres && !change.is_empty();
        let Some((first, rest)) = self.0.split_first().filter(|_| together) else {
            outbox::record(tx, change).await?;
            return self.append(tx).await;
        };
        let entry = Entry::waiting(first);
        let row = outbox::Row::of(change);
        let args: Vec<Arg<'_>> = waiting_fields(&entry)
            .into_iter()
            .chain(row.args())
            .collect();
        tx.execute(WAITING_AND_CHANGE.as_str(), &args).await?;
        outbox::rang();
        append(tx, rest).await?;
        appended();
        Ok(())
    }
}

/// The columns a waiting entry is written with, in [`waiting_fields`]' order.
const WAITING: &str = "at, actor_id, actor_name, object_kind, object_id, action, \
     related_kind, related_id, amount_fen, before_sha256, after_sha256";
const WAITING_FIELDS: usize = 11;

/// The columns of a sealed entry, in [`sealed_fields`]' order.
const COLUMNS: &str =
    "seq, at, actor_id, actor_name, object_kind, object_id, action, related_kind, \
     related_id, amount_fen, before_sha256, after_sha256, hash";
const FIELDS: usize = 13;

static WAITING_INSERTS: std::sync::LazyLock<Inserts> =
    std::sync::LazyLock::new(|| Inserts::new("audit_pending", WAITING, WAITING_FIELDS));
/// One waiting entry and a change for the outbox, in one statement (PostgreSQL runs a
/// data-modifying `WITH` whether or not the statement reads it).
static WAITING_AND_CHANGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH recorded AS ({}) {}",
        outbox::insert_statement(WAITING_FIELDS + 1),
        WAITING_INSERTS.one
    )
});
static SEALED_INSERTS: std::sync::LazyLock<Inserts> =
    std::sync::LazyLock::new(|| Inserts::new("audit_log", COLUMNS, FIELDS));

fn waiting_fields(e: &Entry) -> [Arg<'_>; WAITING_FIELDS] {
    [
        e.at.into(),
        e.actor_id.into(),
        (&e.actor_name).into(),
        (&e.object_kind).into(),
        e.object_id.into(),
        (&e.action).into(),
        e.related_kind.as_deref().into(),
        e.related_id.into(),
        e.amount_fen.into(),
        e.before.as_deref().into(),
        e.after.as_deref().into(),
    ]
}

fn sealed_fields(e: &Entry) -> [Arg<'_>; FIELDS] {
    let [at, actor_id, actor_name, kind, id, action, rkind, rid, amount, before, after] =
        waiting_fields(e);
    [
        e.seq.into(),
        at,
        actor_id,
        actor_name,
        kind,
        id,
        action,
        rkind,
        rid,
        amount,
        before,
        after,
        (&e.hash).into(),
    ]
}

/// Appends made in this process since it started; a sealer seals when it has not seen
/// the latest.
static APPENDS: AtomicU64 = AtomicU64::new(0);
static APPENDED: Notify = Notify::const_new();

/// Writes `changes` to wait for the sealer (see the module's invariant).
pub async fn append<S: Sql>(tx: &mut S, changes: &[Change]) -> anyhow::Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let entries: Vec<Entry> = changes.iter().map(Entry::waiting).collect();
    WAITING_INSERTS.write(tx, &entries, waiting_fields).await?;
    appended();
    Ok(())
}

/// Wakes the sealer for entries just written.
fn appended() {
    APPENDS.fetch_add(1, Ordering::Release);
    APPENDED.notify_waiters();
}

/// Waiting entries sealed by one transaction.
const SEAL_BATCH: i64 = 512;

/// Seals every entry waiting now into the chain, in transactions of [`SEAL_BATCH`]; the
/// number sealed. Safe on any number of nodes at once (see the module's invariant).
pub async fn seal(db: &Db) -> anyhow::Result<u64> {
    let mut sealed = 0;
    loop {
        let (waiting,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM audit_pending LIMIT 1) w")
                .fetch_one(db.pool())
                .await?;
        if waiting == 0 {
            return Ok(sealed);
        }
        // On a SQLite file on the direct writer, as checkouts are: in process, no thread hops.
        let n = crate::write_tx!(db, tx => seal_batch(tx))?;
        if n == 0 {
            return Ok(sealed);
        }
        sealed += n;
    }
}

/// One sealing transaction's work: at most [`SEAL_BATCH`] entries, oldest first.
async fn seal_batch<S: Sql>(tx: &mut S) -> anyhow::Result<u64> {
    // Taken first: on PostgreSQL the read below then sees every entry committed before
    // this sealer's turn, and none that another sealer has already taken.
    let (last, hash): (i64, String) = tx
        .fetch_one(
            "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
            args![],
        )
        .await?;
    // Taken and removed by one statement: exactly the rows this batch seals, read as
    // entries numbered by their place in the queue and not yet chained.
    let mut rows: Vec<EntryRow> = tx
        .fetch_all(
            "DELETE FROM audit_pending WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT $1) \
             RETURNING id, at, actor_id, actor_name, object_kind, object_id, action, \
             related_kind, related_id, amount_fen, before_sha256, after_sha256, ''",
            args![SEAL_BATCH],
        )
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    rows.sort_unstable_by_key(|r| r.0);
    let mut prev = Digest::parse_hex(&hash)
        .ok_or_else(|| anyhow::anyhow!("the audit log's head holds no SHA-256: {hash}"))?;
    let mut entries = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let (e, hash) = entry(row).sealed(last + 1 + i as i64, &prev);
        prev = hash;
        entries.push(e);
    }
    SEALED_INSERTS.write(tx, &entries, sealed_fields).await?;
    tx.execute(
        "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
        args![last + entries.len() as i64, &prev.to_hex()],
    )
    .await?;
    Ok(entries.len() as u64)
}

/// How long a woken sealer lets appenders commit before it looks, so that one sealing
/// transaction takes many checkouts' entries.
const GATHER: Duration = Duration::from_millis(50);
/// How often a sealer looks without being woken: for entries appended by other nodes, and
/// for an append whose commit came after the sealer looked.
const SWEEP: Duration = Duration::from_secs(1);

/// Seals this node's (and any node's) appended entries in the background until the process
/// ends: woken by every append, and every [`SWEEP`] regardless.
pub fn spawn_sealer(db: Db) {
    tokio::spawn(async move {
        let mut seen = u64::MAX;
        loop {
            let woken = APPENDED.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let appends = APPENDS.load(Ordering::Acquire);
            if appends == seen {
                let _ = tokio::time::timeout(SWEEP, woken).await;
            }
            tokio::time::sleep(GATHER).await;
            seen = APPENDS.load(Ordering::Acquire);
            if let Err(e) = seal(&db).await {
                tracing::warn!(error = ?e, "cannot seal the audit log's new entries; retrying");
                tokio::time::sleep(SWEEP).await;
            }
        }
    });
}

type EntryRow = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
);

fn entry(r: EntryRow) -> Entry {
    Entry {
        seq: r.0,
        at: r.1,
        actor_id: r.2,
        actor_name: r.3,
        object_kind: r.4,
        object_id: r.5,
        action: r.6,
        related_kind: r.7,
        related_id: r.8,
        amount_fen: r.9,
        before: r.10,
        after: r.11,
        hash: r.12,
    }
}

/// An object's entries, oldest first: those that changed it and those that name it as
/// related (an order's contract, a budget line's movements), at most `limit`.
pub async fn of_object(db: &Db, object: Object, limit: i64) -> sqlx::Result<Vec<Entry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE (object_kind = $1 AND object_id = $2) \
         OR (related_kind = $1 AND related_id = $2) ORDER BY seq LIMIT $3"
    ))
    .bind(object.kind.as_str())
    .bind(object.id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// The newest entries, newest first.
pub async fn recent(db: &Db, limit: i64) -> sqlx::Result<Vec<Entry>> {
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// One entry by its number.
pub async fn get(db: &Db, seq: i64) -> sqlx::Result<Option<Entry>> {
    let row: Option<EntryRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq = $1"))
            .bind(seq)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(entry))
}

/// People's names by user id (for entries that name them).
pub async fn user_names(db: &Db, ids: &[i64]) -> sqlx::Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, display_name FROM users WHERE id IN ({})",
        super::id_list(ids)
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().collect())
}

/// What people call an object: an order's number, a budget line's code and purpose, a
/// pool's title, a supplier's name. Objects without a name are left out.
pub async fn labels(db: &Db, objects: &[Object]) -> sqlx::Result<HashMap<Object, String>> {
    use emall_domain::audit::ObjectKind as K;
    let mut out = HashMap::new();
    let queries: [(K, &str); 5] = [
        (K::Order, "SELECT id, order_no FROM orders"),
        (K::Contract, "SELECT id, 'HT' || order_no FROM orders"),
        (
            K::BudgetLine,
            "SELECT id, code || ' ' || purpose FROM budget_lines",
        ),
        (K::Pool, "SELECT id, title FROM pools"),
        (K::Supplier, "SELECT id, name FROM suppliers"),
    ];
    for (kind, select) in queries {
        let mut ids: Vec<i64> = objects
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| o.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            continue;
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as(&format!("{select} WHERE id IN ({})", super::id_list(&ids)))
                .fetch_all(db.pool())
                .await?;
        out.extend(rows.into_iter().map(|(id, l)| (Object::new(kind, id), l)));
    }
    Ok(out)
}

/// The last recorded verification.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// Entries 1..=seq were found intact.
    pub seq: i64,
    pub hash: String,
    pub checked_at: i64,
    /// The first broken entry a verification found, and why (a reason's code).
    pub broken: Option<(i64, String)>,
}

pub async fn checkpoint(db: &Db) -> sqlx::Result<Checkpoint> {
    let (seq, hash, checked_at, broken_seq, reason): (i64, String, i64, Option<i64>, Option<String>) =
        sqlx::query_as(
            "SELECT seq, hash, checked_at, broken_seq, broken_reason FROM audit_checkpoint WHERE id = 1",
        )
        .fetch_one(db.pool())
        .await?;
    Ok(Checkpoint {
        seq,
        hash,
        checked_at,
        broken: broken_seq.map(|s| (s, reason.unwrap_or_default())),
    })
}

/// Whether the chain holds up to an entry, as far as the reader can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    /// Every entry up to `through` verifies (those up to the checkpoint by the check at
    /// `checked_at`, the rest just now).
    Holds { through: i64, checked_at: i64 },
    /// It breaks at entry `seq`: entries before it verify, none from it on. `reason` is
    /// [`Reason::code`](emall_domain::audit::Reason::code).
    Broken {
        seq: i64,
        reason: String,
        checked_at: i64,
    },
}

/// Verifies the chain up to entry `upto`: from the last checkpoint, streaming the entries
/// after it; a break recorded by the last verification stands until one finds none.
pub async fn chain_through(db: &Db, upto: i64) -> anyhow::Result<ChainState> {
    let cp = checkpoint(db).await?;
    if let Some((seq, reason)) = cp.broken {
        return Ok(ChainState::Broken {
            seq,
            reason,
            checked_at: cp.checked_at,
        });
    }
    if upto <= cp.seq {
        return Ok(ChainState::Holds {
            through: cp.seq,
            checked_at: cp.checked_at,
        });
    }
    let Some(start) = Digest::parse_hex(&cp.hash) else {
        anyhow::bail!("the audit checkpoint holds no SHA-256");
    };
    let mut v = Verifier::resume(cp.seq, start);
    let now = clock::now();
    Ok(match walk(db, &mut v, upto, |_| {}).await? {
        Ok(()) => ChainState::Holds {
            through: v.last_seq(),
            checked_at: now,
        },
        Err((broken, _)) => ChainState::Broken {
            seq: broken.seq,
            reason: broken.reason.code().to_string(),
            checked_at: now,
        },
    })
}

/// The first broken entry and the row found in its place, if any.
pub type Break = (FirstBroken, Option<Entry>);

/// Streams the entries after the verifier's position up to `upto` into it.
async fn walk(
    db: &Db,
    v: &mut Verifier,
    upto: i64,
    mut progress: impl FnMut(&Verifier),
) -> anyhow::Result<Result<(), Break>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq");
    let mut rows = sqlx::query_as::<_, EntryRow>(&sql)
        .bind(v.last_seq())
        .bind(upto)
        .fetch(db.pool());
    while let Some(row) = rows.try_next().await? {
        let e = entry(row);
        if let Err(broken) = v.push(&e) {
            return Ok(Err((broken, Some(e))));
        }
        if v.count().is_multiple_of(65_536) {
            progress(v);
        }
    }
    Ok(Ok(()))
}

/// What a full verification found.
#[derive(Debug)]
pub struct Verified {
    /// Entries that verified.
    pub count: u64,
    /// The chain's head when the verification began.
    pub head: i64,
    pub result: Result<(), Break>,
}

/// Seals what waits, then recomputes the whole chain from the first entry to the head,
/// streaming (constant memory), and records the outcome as the checkpoint pages verify from. This is what
/// `emall audit verify` runs.
pub async fn verify_all(db: &Db, progress: impl FnMut(&Verifier)) -> anyhow::Result<Verified> {
    seal(db).await?;
    let (head, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(db.pool())
            .await?;
    let mut v = Verifier::new();
    let mut result = walk(db, &mut v, head, progress).await?;
    if result.is_ok() {
        if let Err(broken) = v.end(head, &head_hash) {
            let found = get(db, broken.seq).await?;
            result = Err((broken, found));
        }
    }
    let broken = result.as_ref().err().map(|(b, _)| b);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE audit_checkpoint SET seq = $1, hash = $2, checked_at = $3, broken_seq = $4, \
         broken_reason = $5 WHERE id = 1",
    )
    .bind(v.last_seq())
    .bind(v.last_hash().to_hex())
    .bind(clock::now())
    .bind(broken.map(|b| b.seq))
    .bind(broken.map(|b| b.reason.code()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Verified {
        count: v.count(),
        head,
        result,
    })
}

/// Seals what waits, verifies the entries sealed since the checkpoint and moves it forward (every timer
/// run, on any node: a move never goes back, and never over a recorded break). Returns the
/// break it found, if any.
pub async fn check_new(db: &Db, now: i64) -> anyhow::Result<Option<FirstBroken>> {
    seal(db).await?;
    let cp = checkpoint(db).await?;
    if cp.broken.is_some() {
        return Ok(None);
    }
    let Some(start) = Digest::parse_hex(&cp.hash) else {
        anyhow::bail!("the audit checkpoint holds no SHA-256");
    };
    let (head,): (i64,) = sqlx::query_as("SELECT seq FROM audit_head WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    if head <= cp.seq {
        return Ok(None);
    }
    let mut v = Verifier::resume(cp.seq, start);
    let result = walk(db, &mut v, head, |_| {}).await?;
    let broken = result.err().map(|(b, _)| b);
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE audit_checkpoint SET seq = $1, hash = $2, checked_at = $3, broken_seq = $4, \
         broken_reason = $5 WHERE id = 1 AND seq <= $1 AND broken_seq IS NULL",
    )
    .bind(v.last_seq())
    .bind(v.last_hash().to_hex())
    .bind(now)
    .bind(broken.as_ref().map(|b| b.seq))
    .bind(broken.as_ref().map(|b| b.reason.code()))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(broken)
}
