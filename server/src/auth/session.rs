//! Server-side sessions: the cookie holds a random token, the database only its SHA-256.

use super::{CSRF_COOKIE, DEVICE_COOKIE, SESSION_COOKIE};
use crate::settings::Settings;
use emall_store::clock;
use emall_store::db::Db;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub max_age_secs: i64,
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Where a session was opened, as its owner sees it in their list of sessions.
pub struct Origin<'a> {
    pub user_agent: &'a str,
    pub client_addr: &'a str,
}

pub async fn create(
    db: &Db,
    user_id: i64,
    settings: &Settings,
    origin: &Origin<'_>,
) -> sqlx::Result<NewSession> {
    let token = random_token();
    let csrf = random_token();
    let now = clock::now();
    let max_age_secs = settings.session_ttl_hours * 3600;
    emall_store::sessions::open(
        db,
        &emall_store::sessions::Opened {
            token_hash: &token_hash(&token),
            user_id,
            csrf_token: &csrf,
            now,
            expires_at: now + max_age_secs,
            user_agent: origin.user_agent,
            client_addr: origin.client_addr,
        },
    )
    .await?;
    Ok(NewSession {
        token,
        csrf,
        max_age_secs,
    })
}

pub async fn delete(db: &Db, token: &str) -> sqlx::Result<()> {
    emall_store::sessions::close(db, &token_hash(token)).await
}

/// `Set-Cookie` values for a new session: the HttpOnly session cookie and the CSRF cookie
/// that the page's script reads and echoes in `X-CSRF-Token`.
pub fn set_cookies(s: &NewSession, secure: bool) -> [String; 2] {
    let secure = if secure { "; Secure" } else { "" };
    [
        format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            s.token, s.max_age_secs
        ),
        format!(
            "{CSRF_COOKIE}={}; Path=/; SameSite=Lax; Max-Age={}{secure}",
            s.csrf, s.max_age_secs
        ),
    ]
}

/// The device cookie of a browser that signed in (auth/sign_in.rs): HttpOnly, for 180 days.
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{DEVICE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        180 * 24 * 3600
    )
}

pub fn clear_cookies(secure: bool) -> [String; 2] {
    let secure = if secure { "; Secure" } else { "" };
    [
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        format!("{CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0{secure}"),
    ]
}

/// The hash of the session a request came with (its session cookie's token).
pub fn current_hash(headers: &http::HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE).map(token_hash)
}

/// The value of one cookie in a `Cookie` header.
pub fn cookie_value<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name && !v.is_empty()).then_some(v)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cookies_among_others() {
        let mut h = http::HeaderMap::new();
        h.append(
            http::header::COOKIE,
            "a=1; emall_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h, "emall_session"), Some("abc"));
        assert_eq!(cookie_value(&h, "emall_csrf"), None);
        h.append(http::header::COOKIE, "emall_csrf=".parse().unwrap());
        assert_eq!(
            cookie_value(&h, "emall_csrf"),
            None,
            "empty value is no cookie"
        );
    }

    #[test]
    fn token_hash_is_not_the_token() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
