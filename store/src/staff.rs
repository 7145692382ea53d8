//! A supplier's staff accounts: the owner invites colleagues by a one-time link (valid 7
//! days, only its SHA-256 stored) and may deactivate them.

use crate::clock;
use crate::db::Db;
use crate::users::{self, NewUser};
use emall_domain::Role;

const INVITATION_SECS: i64 = 7 * 24 * 3600;

pub async fn is_owner(db: &Db, user_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT is_owner FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(o,)| o) == Some(1))
}

/// Records an invitation; returns when it expires.
pub async fn invite(
    db: &Db,
    supplier_id: i64,
    invited_by: i64,
    display_name: &str,
    token_hash: &str,
) -> sqlx::Result<i64> {
    let now = clock::now();
    sqlx::query(
        "INSERT INTO supplier_invitations (supplier_id, invited_by, display_name, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(supplier_id)
    .bind(invited_by)
    .bind(display_name)
    .bind(token_hash)
    .bind(now)
    .bind(now + INVITATION_SECS)
    .execute(db.pool())
    .await?;
    Ok(now + INVITATION_SECS)
}

/// An open invitation: (supplier name, the colleague's name).
pub async fn open_invitation(db: &Db, token_hash: &str) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT s.name, i.display_name FROM supplier_invitations i JOIN suppliers s ON s.id = i.supplier_id \
         WHERE i.token_hash = $1 AND i.accepted_user_id IS NULL AND i.expires_at > $2",
    )
    .bind(token_hash)
    .bind(clock::now())
    .fetch_optional(db.pool())
    .await
}

pub enum Accepted {
    Done,
    /// Unknown, used or expired.
    Gone,
    UsernameTaken,
}

/// Creates the colleague's account and closes the invitation, in one transaction.
pub async fn accept(
    db: &Db,
    token_hash: &str,
    username: &str,
    password_hash: &str,
) -> anyhow::Result<Accepted> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, supplier_id, display_name FROM supplier_invitations \
         WHERE token_hash = $1 AND accepted_user_id IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(clock::now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, supplier_id, display_name)) = row else {
        return Ok(Accepted::Gone);
    };
    let (taken,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(username.to_lowercase())
        .fetch_one(&mut *tx)
        .await?;
    if taken > 0 {
        return Ok(Accepted::UsernameTaken);
    }
    let user_id = users::insert(
        &mut *tx,
        &NewUser {
            username,
            password_hash,
            display_name: &display_name,
            role: Role::Supplier,
            unit_id: None,
            supplier_id: Some(supplier_id),
        },
    )
    .await?;
    let closed = sqlx::query(
        "UPDATE supplier_invitations SET accepted_user_id = $1 WHERE id = $2 AND accepted_user_id IS NULL",
    )
    .bind(user_id)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if closed == 0 {
        return Ok(Accepted::Gone);
    }
    tx.commit().await?;
    Ok(Accepted::Done)
}

pub use emall_model::StaffMemberView as StaffMember;

pub async fn list(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<StaffMember>> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT id, username, display_name, is_owner, active FROM users WHERE supplier_id = $1 ORDER BY id",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, owner, active)| StaffMember {
            id,
            username,
            display_name,
            is_owner: owner == 1,
            active: active == 1,
        })
        .collect())
}

/// Deactivates a colleague (never the owner) and ends their sessions; `false` if there is
/// no such colleague.
pub async fn deactivate(db: &Db, supplier_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE users SET active = 0 WHERE id = $1 AND supplier_id = $2 AND is_owner = 0",
    )
    .bind(user_id)
    .bind(supplier_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND $2 = 1")
        .bind(user_id)
        .bind(n as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(n == 1)
}
