//! 变更发件箱: the change feed's transactional outbox. A write that changes anything a
//! public page or the search index shows records a [`Change`] here, in its own transaction
//! (`record`), so the change and the news of it commit together or not at all. The drainer
//! (`crate::changes`) claims recorded rows, applies them and removes them:
//!
//! - stage [`Stage::Apply`]: the search index and this node's pages, and a notice to the
//!   other nodes (on PostgreSQL, `NOTIFY` in the transaction that finishes the stage);
//! - stage [`Stage::Cdn`], only when a CDN purge webhook is set: the CDN, with retries.
//!
//! A claim is a lease: a drainer that dies holding rows frees them when the lease runs out,
//! and any node takes them then. Applying a row twice is harmless (an index refresh and a
//! purge are idempotent); losing one is what the outbox exists to prevent.

use crate::args;
use crate::db::{Backend, Db, Sql};
use crate::keys;
use crate::pools::Closed;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Notify;

/// The PostgreSQL channel on which a node that applied changes tells the others.
pub const CHANNEL: &str = "emall_changes";

/// What one write changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// Products whose offers, details, picture or city price caps changed.
    pub products: BTreeSet<i64>,
    /// Suppliers all of whose products on sale changed (the supplier's standing or score,
    /// which search and every listing of theirs show); resolved to products when drained.
    pub suppliers: BTreeSet<i64>,
    /// Further surrogate keys (a supplier's page, a pool, the disclosure page).
    pub keys: BTreeSet<String>,
}

impl Change {
    pub fn products(ids: impl IntoIterator<Item = i64>) -> Change {
        Change::default().with_products(ids)
    }

    pub fn with_products(mut self, ids: impl IntoIterator<Item = i64>) -> Change {
        self.products.extend(ids);
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Change {
        self.keys.insert(key.into());
        self
    }

    /// A supplier's status or credit record changed: its page, the disclosure page, and
    /// every product it offers.
    pub fn supplier(id: i64) -> Change {
        Change::offers_of(id).key(keys::DISCLOSURE)
    }

    /// A supplier's public record changed, not its standing: its page and the disclosure
    /// page.
    pub fn supplier_record(id: i64) -> Change {
        Change::default()
            .key(keys::supplier(id))
            .key(keys::DISCLOSURE)
    }

    /// Every page showing the supplier and every product it offers (its score changed).
    pub fn offers_of(id: i64) -> Change {
        let mut change = Change::default().key(keys::supplier(id));
        change.suppliers.insert(id);
        change
    }

    /// A pool's commitments, bids or state changed.
    pub fn pool(id: i64) -> Change {
        Change::default().key(keys::pool(id)).key(keys::POOLS)
    }

    /// A pool closed: its pages and its result on the disclosure page; an award also caps
    /// the product's price in the city.
    pub fn pool_closed(id: i64, closed: &Closed) -> Change {
        let change = Change::pool(id).key(keys::DISCLOSURE);
        match closed {
            Closed::Awarded { product_id, .. } => change.with_products([*product_id]),
            _ => change,
        }
    }

    /// What the disclosure page lists changed (contracts, procurement intentions).
    pub fn disclosure() -> Change {
        Change::default().key(keys::DISCLOSURE)
    }

    /// A supplier's performance page changed (an order step, a complaint or its answer).
    pub fn performance(supplier: i64) -> Change {
        Change::default().key(keys::performance(supplier))
    }

    pub fn merge(&mut self, other: Change) {
        self.products.extend(other.products);
        self.suppliers.extend(other.suppliers);
        self.keys.extend(other.keys);
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.suppliers.is_empty() && self.keys.is_empty()
    }
}

/// Changes recorded by this process (committed or not), and the drainer's bell.
static RECORDED: AtomicU64 = AtomicU64::new(0);
static RECORDED_BELL: Notify = Notify::const_new();

/// How many changes this process has recorded: a request that moved it may have changed a
/// page, and waits for the drainer before it answers.
pub fn recorded() -> u64 {
    RECORDED.load(Ordering::Acquire)
}

/// Resolves once a change has been recorded since the call (committed a moment later).
pub async fn recorded_since(seen: u64) {
    let bell = RECORDED_BELL.notified();
    tokio::pin!(bell);
    bell.as_mut().enable();
    if recorded() == seen {
        bell.await;
    }
}

/// Records `change` in the write's transaction: call it before the commit. Nothing is
/// written for an empty change.
pub async fn record<S: Sql>(tx: &mut S, change: &Change) -> anyhow::Result<()> {
    if change.is_empty() {
        return Ok(());
    }
    tx.execute(INSERT.as_str(), &Row::of(change).args()).await?;
    rang();
    Ok(())
}

/// The statement that records a change, its four values numbered from `$first` (so that
/// another statement may carry it: see `audit::Journal::append_recording`).
pub(crate) fn insert_statement(first: usize) -> String {
    let [at, products, suppliers, keys] = [first, first + 1, first + 2, first + 3];
    format!(
        "INSERT INTO change_outbox (at, products, suppliers, keys) \
         VALUES (${at}, ${products}, ${suppliers}, ${keys})"
    )
}

static INSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| insert_statement(1));

/// The row that records a change: when, and its products, suppliers and keys.
pub(crate) struct Row {
    at: i64,
    products: String,
    suppliers: String,
    keys: String,
}

impl Row {
    pub(crate) fn of(change: &Change) -> Row {
        Row {
            at: crate::clock::now(),
            products: join(change.products.iter().map(i64::to_string)),
            suppliers: join(change.suppliers.iter().map(i64::to_string)),
            keys: join(change.keys.iter().cloned()),
        }
    }

    /// Its values, in [`insert_statement`]'s order.
    pub(crate) fn args(&self) -> [crate::db::Arg<'_>; 4] {
        [
            self.at.into(),
            (&self.products).into(),
            (&self.suppliers).into(),
            (&self.keys).into(),
        ]
    }
}

/// Rings the drainer's bell for a change just recorded.
pub(crate) fn rang() {
    RECORDED.fetch_add(1, Ordering::AcqRel);
    RECORDED_BELL.notify_waiters();
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(" ")
}

/// A row's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The search index, this node's pages and the other nodes.
    Apply = 0,
    /// The CDN.
    Cdn = 1,
}

/// The rows one claim took, merged.
#[derive(Debug, Default)]
pub struct Claimed {
    /// Names the rows in the statements that finish them (PostgreSQL).
    token: String,
    /// The first and last id taken: on SQLite the one drainer takes the run between them;
    /// on PostgreSQL the statements that finish the claim find its rows in that range.
    ids: (i64, i64),
    pub rows: usize,
    pub products: Vec<i64>,
    pub suppliers: Vec<i64>,
    pub keys: Vec<String>,
    /// The most tries any of the rows has had (the CDN stage).
    pub attempts: i64,
}

/// Whether a row of `stage` waits for a drainer (a read: the sweep's usual answer is no).
pub async fn waiting(db: &Db, stage: Stage, now: i64) -> anyhow::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT 1 FROM change_outbox WHERE stage = $1 AND lease_until <= $2 LIMIT 1",
    )
    .bind(stage as i64)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.is_some())
}

/// Rows recorded and not yet finished, at any stage (for the tests and the operator).
pub async fn pending(db: &Db) -> anyhow::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM change_outbox")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// Forgets every recorded change (after seeding a new mall, whose index is built whole).
pub async fn discard_all(db: &Db) -> anyhow::Result<u64> {
    crate::write_tx!(db, tx => tx.execute("DELETE FROM change_outbox", args![]))
}

/// A row as claimed: id, products, suppliers, keys, attempts.
type ClaimRow = (i64, String, String, String, i64);

/// Claims up to `limit` free rows of `stage`, oldest first, until `lease_until`. On
/// PostgreSQL, rows another node's drainer holds are passed over, not waited for. On SQLite
/// the one node's one drainer reads a run of ids without writing: ids are handed out in
/// commit order there, and none below the run's last can appear while that row is there.
pub async fn claim(
    db: &Db,
    stage: Stage,
    limit: i64,
    now: i64,
    lease_until: i64,
) -> anyhow::Result<Claimed> {
    let (token, rows): (String, Vec<ClaimRow>) = match db.backend() {
        Backend::Postgres => {
            let token = {
                use rand::Rng;
                format!("{:016x}", rand::thread_rng().gen::<u64>())
            };
            let rows = crate::write_tx!(db, tx => tx.fetch_all(
                "UPDATE change_outbox SET claim = $1, lease_until = $2 WHERE id IN \
                 (SELECT id FROM change_outbox WHERE stage = $3 AND lease_until <= $4 \
                  ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED) \
                 RETURNING id, products, suppliers, keys, attempts",
                args![&token, lease_until, stage as i64, now, limit],
            ))?;
            (token, rows)
        }
        Backend::Sqlite => {
            let rows = sqlx::query_as(
                "SELECT id, products, suppliers, keys, attempts FROM change_outbox \
                 WHERE stage = $1 AND lease_until <= $2 ORDER BY id LIMIT $3",
            )
            .bind(stage as i64)
            .bind(now)
            .bind(limit)
            .fetch_all(db.pool())
            .await?;
            (String::new(), rows)
        }
    };
    let ids = |text: &str| {
        text.split_whitespace()
            .filter_map(|id| id.parse::<i64>().ok())
            .collect::<Vec<_>>()
    };
    let mut claimed = Claimed {
        token,
        ids: (i64::MAX, i64::MIN),
        rows: rows.len(),
        ..Claimed::default()
    };
    let (mut products, mut suppliers, mut keys) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (id, p, s, k, a) in &rows {
        claimed.ids = (claimed.ids.0.min(*id), claimed.ids.1.max(*id));
        products.extend(ids(p));
        suppliers.extend(ids(s));
        keys.extend(k.split_whitespace().map(str::to_string));
        claimed.attempts = claimed.attempts.max(*a);
    }
    claimed.products = products.into_iter().collect();
    claimed.suppliers = suppliers.into_iter().collect();
    claimed.keys = keys.into_iter().collect();
    Ok(claimed)
}

/// Deletes the claimed rows of `stage`.
async fn remove<S: Sql>(tx: &mut S, stage: Stage, claimed: &Claimed) -> anyhow::Result<u64> {
    match tx.backend() {
        Backend::Postgres => {
            tx.execute(
                "DELETE FROM change_outbox WHERE id BETWEEN $1 AND $2 AND claim = $3",
                args![claimed.ids.0, claimed.ids.1, claimed.token.as_str()],
            )
            .await
        }
        Backend::Sqlite => {
            tx.execute(
                "DELETE FROM change_outbox WHERE stage = $1 AND id BETWEEN $2 AND $3",
                args![stage as i64, claimed.ids.0, claimed.ids.1],
            )
            .await
        }
    }
}

/// The apply stage of the claimed rows is done: they leave, and when the CDN is to be told,
/// one row of the CDN stage with the resolved `cdn_keys` takes their place. On PostgreSQL
/// each of `notices` goes to the other nodes as this transaction commits.
pub async fn applied(
    db: &Db,
    claimed: &Claimed,
    cdn_keys: Option<&[String]>,
    notices: &[String],
    now: i64,
) -> anyhow::Result<()> {
    let cdn = cdn_keys.filter(|k| !k.is_empty()).map(|k| k.join(" "));
    crate::write_tx!(db, tx => async {
        remove(tx, Stage::Apply, claimed).await?;
        if let Some(keys) = &cdn {
            queue_for_edge(tx, keys, now).await?;
        }
        for notice in notices {
            tx.execute("SELECT pg_notify($1, $2)", args![CHANNEL, notice.as_str()])
                .await?;
        }
        anyhow::Ok(())
    })
}

/// Queues `keys` for the edge alone (another node's change, already applied here).
pub async fn for_the_edge(db: &Db, keys: &[String], now: i64) -> anyhow::Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let keys = keys.join(" ");
    crate::write_tx!(db, tx => queue_for_edge(tx, &keys, now))?;
    Ok(())
}

/// A row of the CDN stage with `keys` (space separated).
async fn queue_for_edge<S: Sql>(tx: &mut S, keys: &str, now: i64) -> anyhow::Result<u64> {
    tx.execute(
        "INSERT INTO change_outbox (at, products, suppliers, keys, stage) \
         VALUES ($1, '', '', $2, 1)",
        args![now, keys],
    )
    .await
}

/// The CDN took the claimed rows' keys: they leave.
pub async fn sent(db: &Db, claimed: &Claimed) -> anyhow::Result<u64> {
    crate::write_tx!(db, tx => remove(tx, Stage::Cdn, claimed))
}

/// The CDN refused or did not answer: the rows wait until `retry_at`, each with one more
/// try, except those that have had `max_attempts`, which leave (their pages expire at the
/// CDN on their own). Returns how many were given up.
pub async fn unsent(
    db: &Db,
    claimed: &Claimed,
    retry_at: i64,
    max_attempts: i64,
) -> anyhow::Result<u64> {
    if claimed.attempts + 1 >= max_attempts {
        return sent(db, claimed).await;
    }
    crate::write_tx!(db, tx => async {
        match tx.backend() {
            Backend::Postgres => {
                tx.execute(
                    "UPDATE change_outbox SET attempts = attempts + 1, claim = NULL, \
                     lease_until = $1 WHERE id BETWEEN $2 AND $3 AND claim = $4",
                    args![retry_at, claimed.ids.0, claimed.ids.1, claimed.token.as_str()],
                )
                .await?;
            }
            Backend::Sqlite => {
                tx.execute(
                    "UPDATE change_outbox SET attempts = attempts + 1, lease_until = $1 \
                     WHERE stage = 1 AND id BETWEEN $2 AND $3",
                    args![retry_at, claimed.ids.0, claimed.ids.1],
                )
                .await?;
            }
        }
        anyhow::Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_merge_and_name_their_keys() {
        let mut c = Change::products([3, 1]);
        c.merge(Change::supplier(9).with_products([2]));
        c.merge(Change::pool(4));
        assert_eq!(c.products.into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(c.suppliers.into_iter().collect::<Vec<_>>(), vec![9]);
        assert_eq!(
            c.keys.into_iter().collect::<Vec<_>>(),
            vec!["disclosure", "pool-4", "pools", "supplier-9"]
        );
        assert!(Change::default().is_empty());
    }
}
