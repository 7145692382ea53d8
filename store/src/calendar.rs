//! 工作日历: the years of the working-day calendar the operator loaded, kept as the files
//! they sent (parsed by `domain::calendar` on the way in and on every read). Loading a year
//! is a setting changed in the product: the audit log keeps the SHA-256 of the file before
//! and after.

use crate::audit::Journal;
use crate::db::Db;
use emall_domain::audit::{Action, Change, Digest, Object, ObjectKind, User};

/// A year's file as loaded.
#[derive(Debug, Clone)]
pub struct LoadedYear {
    pub year: i64,
    pub body: String,
    /// The operator's username.
    pub loaded_by: String,
    pub loaded_at: i64,
}

/// Every loaded year, in order.
pub async fn loaded(db: &Db) -> sqlx::Result<Vec<LoadedYear>> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT c.year, c.body, u.username, c.loaded_at FROM calendar_years c \
         JOIN users u ON u.id = c.loaded_by ORDER BY c.year",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(year, body, loaded_by, loaded_at)| LoadedYear {
            year,
            body,
            loaded_by,
            loaded_at,
        })
        .collect())
}

/// Stores a year's file (already parsed), in place of any loaded before for that year;
/// `true` when it replaced one.
pub async fn save(db: &Db, year: i32, body: &str, by: &User, now: i64) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let before: Option<(String,)> =
        sqlx::query_as("SELECT body FROM calendar_years WHERE year = $1")
            .bind(i64::from(year))
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO calendar_years (year, body, loaded_by, loaded_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (year) DO UPDATE SET body = excluded.body, loaded_by = excluded.loaded_by, \
         loaded_at = excluded.loaded_at",
    )
    .bind(i64::from(year))
    .bind(body)
    .bind(by.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut change = Change::new(
        now,
        by.into(),
        Object::new(ObjectKind::CalendarYear, i64::from(year)),
        Action::LoadCalendar,
    )
    .after_digest(Digest::of(body.as_bytes()));
    if let Some((old,)) = &before {
        change.before = Some(Digest::of(old.as_bytes()));
    }
    let mut journal = Journal::new();
    journal.push(change);
    journal.append(&mut *tx).await?;
    tx.commit().await?;
    Ok(before.is_some())
}
