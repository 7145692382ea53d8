//! Throttle counts (auth/throttle.rs): read, compare-and-swap, forget.

use crate::db::Db;

/// A key's attempts and the moment of the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub attempts: i64,
    pub last_at: i64,
}

pub async fn read(db: &Db, key: &str) -> sqlx::Result<Option<Count>> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT attempts, last_at FROM throttles WHERE key = $1")
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(attempts, last_at)| Count { attempts, last_at }))
}

/// Replaces the count `old` (none: no row) with `new`; false when another attempt changed
/// it first.
pub async fn swap(db: &Db, key: &str, old: Option<Count>, new: Count) -> sqlx::Result<bool> {
    let done = match old {
        None => {
            sqlx::query(
                "INSERT INTO throttles (key, attempts, last_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(new.attempts)
            .bind(new.last_at)
            .execute(db.pool())
            .await?
        }
        Some(old) => {
            sqlx::query(
                "UPDATE throttles SET attempts = $2, last_at = $3 \
                 WHERE key = $1 AND attempts = $4 AND last_at = $5",
            )
            .bind(key)
            .bind(new.attempts)
            .bind(new.last_at)
            .bind(old.attempts)
            .bind(old.last_at)
            .execute(db.pool())
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

pub async fn decrement(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE throttles SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM throttles WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Drops keys quiet since `before` (every policy has forgotten them).
pub async fn prune(db: &Db, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM throttles WHERE last_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?
        .rows_affected())
}
