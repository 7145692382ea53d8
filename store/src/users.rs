use crate::clock;
use crate::db::Db;
use sqlx::Row;

/// Whose data a person may see. Decided by the role, never by the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tenant {
    /// A buyer or approver of this purchasing unit.
    Unit(i64),
    /// Staff of this supplier.
    Supplier(i64),
    /// The finance bureau (operator, regulator): the whole mall.
    Bureau,
}

/// A stored user behind a live session or API token, as sign-in reads it: the server
/// makes its viewer of it (and refuses a role without its tenant).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub supplier_id: Option<i64>,
    /// Empty for the bureau: pages name it in their own language.
    pub org_name: String,
    /// Empty for an API token, which needs none.
    pub csrf_token: String,
}

/// The person behind a live session, with their organisation's name.
pub async fn by_session(db: &Db, token_hash: &str) -> sqlx::Result<Option<SignedIn>> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.unit_id, u.supplier_id, s.csrf_token, \
                COALESCE(pu.name, sp.name, '') AS org_name \
         FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         LEFT JOIN purchasing_units pu ON pu.id = u.unit_id \
         LEFT JOIN suppliers sp ON sp.id = u.supplier_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(token_hash)
    .bind(clock::now())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| SignedIn {
        user_id: r.get("id"),
        username: r.get("username"),
        display_name: r.get("display_name"),
        role: r.get("role"),
        unit_id: r.get("unit_id"),
        supplier_id: r.get("supplier_id"),
        org_name: r.get("org_name"),
        csrf_token: r.get("csrf_token"),
    }))
}

pub struct Credentials {
    pub user_id: i64,
    pub password_hash: String,
}

pub async fn credentials(db: &Db, username: &str) -> sqlx::Result<Option<Credentials>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE username = $1 AND active = 1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(user_id, password_hash)| Credentials {
        user_id,
        password_hash,
    }))
}

/// Whether the browser whose device cookie hashes to `token_hash` has signed in as `user_id`.
pub async fn device_of(db: &Db, token_hash: &str, user_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM trusted_devices WHERE token_hash = $1 AND user_id = $2")
            .bind(token_hash)
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.is_some())
}

pub async fn add_device(db: &Db, token_hash: &str, user_id: i64) -> sqlx::Result<()> {
    let now = crate::clock::now();
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn device_used(db: &Db, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE trusted_devices SET last_used_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(crate::clock::now())
        .execute(db.pool())
        .await?;
    Ok(())
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: emall_domain::Role,
    pub unit_id: Option<i64>,
    pub supplier_id: Option<i64>,
}

pub async fn insert<'e, E>(exec: E, user: &NewUser<'_>) -> sqlx::Result<i64>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, password_hash, display_name, role, unit_id, supplier_id, \
         active, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(user.username.to_lowercase())
    .bind(user.password_hash)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.unit_id)
    .bind(user.supplier_id)
    .bind(clock::now())
    .fetch_one(exec)
    .await?;
    Ok(id)
}

/// A person as the audit log names them (for work done on their behalf: the seeds).
pub async fn audit_user(db: &Db, id: i64) -> sqlx::Result<emall_domain::audit::User> {
    let (username,): (String,) = sqlx::query_as("SELECT username FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(emall_domain::audit::User::new(id, username))
}
