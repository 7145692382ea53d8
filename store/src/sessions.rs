//! A person's sessions as they see them: listed, and ended one by one or all but this one.
//! A session is named by the first 16 hex digits of its token's hash: enough to tell it
//! apart among one person's sessions, nothing that signs anyone in.

use crate::clock;
use crate::db::Db;
use emall_model::SessionView;

/// Hex digits of the token hash that name a session.
const ID_LEN: usize = 16;

/// A session as it opens: the hash of its token (never the token), whose it is, its CSRF
/// token, when it opens and expires, and where from.
pub struct Opened<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub user_agent: &'a str,
    pub client_addr: &'a str,
}

/// Opens a session; the person's expired sessions go as they sign in again.
pub async fn open(db: &Db, s: &Opened<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, user_agent, client_addr) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.token_hash)
    .bind(s.user_id)
    .bind(s.csrf_token)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.client_addr)
    .execute(db.pool())
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2")
        .bind(s.user_id)
        .bind(s.now)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends the session whose token hashes to `token_hash`.
pub async fn close(db: &Db, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The person's sessions that have not expired, newest first; `current` is the hash of the
/// request's own session.
pub async fn of_user(db: &Db, user_id: i64, current: &str) -> sqlx::Result<Vec<SessionView>> {
    let rows: Vec<(String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT token_hash, created_at, expires_at, user_agent, client_addr FROM sessions \
         WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
    )
    .bind(user_id)
    .bind(clock::now())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(hash, created_at, expires_at, user_agent, client_addr)| SessionView {
                id: hash[..ID_LEN.min(hash.len())].to_string(),
                created_at: clock::rfc3339(created_at),
                expires_at: clock::rfc3339(expires_at),
                user_agent,
                client_addr,
                current: hash == current,
            },
        )
        .collect())
}

/// Ends the person's session named `id`, never the current one; how many ended (0 or 1).
pub async fn end(db: &Db, user_id: i64, id: &str, current: &str) -> sqlx::Result<u64> {
    if id.len() != ID_LEN || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(0);
    }
    Ok(sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2 AND token_hash <> $3",
    )
    .bind(user_id)
    .bind(id.to_ascii_lowercase())
    .bind(current)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// Ends every session of the person but the current one; how many ended.
pub async fn end_others(db: &Db, user_id: i64, current: &str) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(current)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}
