//! The one sign-in procedure behind both the JSON API and the HTML form.
//!
//! Before any password is checked, the attempt is counted against the client's address and
//! against the account (auth/throttle.rs); both counts are atomic and shared by every node.
//! A browser that has signed in to the account before carries a device cookie, and its
//! wrong passwords count against that browser instead of the account: a stranger guessing
//! at an account slows only strangers down, never the owner at their usual desk.

use super::client::ClientAddr;
use super::session::{self, NewSession};
use super::throttle::Policy;
use super::{Viewer, DEVICE_COOKIE};
use crate::error::{ApiError, ApiResult, Fields};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use emall_app::Msg;
use http::request::Parts;
use std::convert::Infallible;
use std::net::IpAddr;

/// Where a sign-in comes from: the client's address, the browser's device cookie, its
/// user agent (shown in the person's list of sessions).
#[derive(Debug, Clone)]
pub struct Browser {
    pub addr: IpAddr,
    pub device: Option<String>,
    pub user_agent: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Browser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ClientAddr(addr) = ClientAddr::from_request_parts(parts, state).await?;
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        Ok(Browser {
            addr,
            device: session::cookie_value(&parts.headers, DEVICE_COOKIE)
                .filter(|t| t.len() == 64)
                .map(str::to_string),
            user_agent,
        })
    }
}

/// A successful sign-in.
pub struct SignedIn {
    pub session: NewSession,
    pub viewer: Viewer,
    /// A new device cookie for a browser signing in to this account for the first time.
    pub device: Option<String>,
}

impl SignedIn {
    /// The `Set-Cookie` values: session, CSRF and, for a new browser, its device cookie.
    pub fn cookies(&self, secure: bool) -> Vec<String> {
        let mut cookies = session::set_cookies(&self.session, secure).to_vec();
        if let Some(device) = &self.device {
            cookies.push(session::device_cookie(device, secure));
        }
        cookies
    }
}

/// Checks the throttles, the fields and the password; opens a session on success.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    browser: &Browser,
) -> ApiResult<SignedIn> {
    let mut fields = Fields::new();
    if username.trim().is_empty() || username.len() > 64 {
        fields.add("username", Msg::ErrRequired);
    }
    if password.is_empty() || password.len() > 256 {
        fields.add("password", Msg::ErrRequired);
    }
    ApiError::check(fields)?;
    let username = username.trim().to_lowercase();
    let credentials = emall_store::users::credentials(&state.db, &username).await?;
    let user_id = credentials.as_ref().map(|c| c.user_id);
    let device_hash = browser.device.as_deref().map(session::token_hash);
    let known_device = match (&device_hash, user_id) {
        (Some(hash), Some(user_id)) => {
            emall_store::users::device_of(&state.db, hash, user_id).await?
        }
        _ => false,
    };
    let address_key = format!("sign-in:addr:{}", browser.addr);
    let account_key = match (&device_hash, known_device) {
        (Some(hash), true) => format!("sign-in:device:{hash}:{username}"),
        _ => format!("sign-in:user:{username}"),
    };
    let account_policy = if known_device {
        Policy::DEVICE
    } else {
        Policy::account(
            state.settings.login_max_failures,
            state.settings.login_window_secs,
        )
    };
    // A browser that has signed in here before answers for itself alone; any other is
    // counted by its address too.
    if !known_device {
        state.throttle.take(&address_key, Policy::ADDRESS).await?;
    }
    if let Err(refused) = state.throttle.take(&account_key, account_policy).await {
        // No password was checked: the address is charged only for real failures.
        if !known_device {
            state.throttle.give_back(&address_key).await?;
        }
        return Err(refused);
    }
    let ok = super::password::verify_or_dummy(
        &state.scarce.hashing,
        credentials.map(|c| c.password_hash),
        password.to_string(),
    )
    .await?;
    let Some(user_id) = user_id.filter(|_| ok) else {
        state.metrics.login_failed();
        tracing::info!(username = %username, addr = %browser.addr, "failed sign-in");
        return Err(ApiError::BadCredentials);
    };
    // A right password: the account starts afresh, and the address's count is only of
    // failures.
    state.throttle.forget(&account_key).await?;
    if !known_device {
        state.throttle.give_back(&address_key).await?;
    }
    let device = if known_device {
        if let Some(hash) = &device_hash {
            emall_store::users::device_used(&state.db, hash).await?;
        }
        None
    } else {
        let token = session::random_token();
        emall_store::users::add_device(&state.db, &session::token_hash(&token), user_id).await?;
        Some(token)
    };
    let new = session::create(
        &state.db,
        user_id,
        &state.settings,
        &session::Origin {
            user_agent: &browser.user_agent,
            client_addr: &browser.addr.to_string(),
        },
    )
    .await?;
    let viewer = Viewer::of_session(&state.db, &session::token_hash(&new.token))
        .await?
        .ok_or(ApiError::Unauthorized)?;
    Ok(SignedIn {
        session: new,
        viewer,
        device,
    })
}
