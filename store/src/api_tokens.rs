//! Supplier API tokens: created (the secret shown once), listed, revoked, and resolved
//! into the supplier's viewer.

use crate::clock;
use crate::db::Db;
use crate::users::SignedIn;
use sqlx::Row;

pub use emall_model::ApiTokenView as TokenView;

pub async fn create(
    db: &Db,
    supplier_id: i64,
    user_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (supplier_id, user_id, name, token_hash, prefix, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(supplier_id)
    .bind(user_id)
    .bind(name)
    .bind(token_hash)
    .bind(prefix)
    .bind(clock::now())
    .fetch_one(db.pool())
    .await?;
    Ok(id)
}

pub async fn list(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<TokenView>> {
    let rows: Vec<(i64, String, String, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE supplier_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, prefix, created, used, revoked)| TokenView {
            id,
            name,
            prefix,
            created_at: clock::rfc3339(created),
            last_used_at: used.map(clock::rfc3339),
            revoked: revoked.is_some(),
        })
        .collect())
}

/// Revokes one of the supplier's tokens; `false` if it has none by that id.
pub async fn revoke(db: &Db, supplier_id: i64, id: i64) -> sqlx::Result<bool> {
    let n = sqlx::query(
        "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND supplier_id = $3",
    )
    .bind(clock::now())
    .bind(id)
    .bind(supplier_id)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The supplier staff member behind a live token (marks the token used).
pub async fn by_token(db: &Db, token_hash: &str) -> sqlx::Result<Option<SignedIn>> {
    let row = sqlx::query(
        "SELECT t.id AS token_id, u.id, u.username, u.display_name, u.role, u.unit_id, u.supplier_id, sp.name AS org_name \
         FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN suppliers sp ON sp.id = t.supplier_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1 AND u.supplier_id = t.supplier_id",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let token_id: i64 = r.try_get("token_id")?;
    // At most one write a minute per token: an ERP syncing many offers is not slowed.
    let now = clock::now();
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 \
         AND (last_used_at IS NULL OR last_used_at < $1 - 60)",
    )
    .bind(now)
    .bind(token_id)
    .execute(db.pool())
    .await?;
    Ok(Some(SignedIn {
        user_id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: r.try_get("role")?,
        unit_id: r.try_get("unit_id")?,
        supplier_id: r.try_get("supplier_id")?,
        org_name: r.try_get("org_name")?,
        csrf_token: String::new(),
    }))
}
