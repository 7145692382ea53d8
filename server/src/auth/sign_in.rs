//! The one sign-in procedure behind both the JSON API and the HTML form.

use super::session::{self, NewSession};
use super::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::Msg;
use std::net::IpAddr;

/// Checks the throttle, the fields and the password; opens a session on success and
/// returns it with the person it belongs to.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> ApiResult<(NewSession, Viewer)> {
    let locale = crate::error::request_locale();
    let mut fields = std::collections::BTreeMap::new();
    if username.trim().is_empty() {
        fields.insert(
            "username".to_string(),
            locale.t(Msg::ErrRequired).to_string(),
        );
    }
    if password.is_empty() {
        fields.insert(
            "password".to_string(),
            locale.t(Msg::ErrRequired).to_string(),
        );
    }
    if !fields.is_empty() {
        return Err(ApiError::Invalid { fields });
    }
    if let Some(retry_after_secs) = state.throttle.check(username, ip) {
        return Err(ApiError::Throttled { retry_after_secs });
    }
    let credentials = crate::store::users::credentials(&state.db, username).await?;
    let user_id = credentials.as_ref().map(|c| c.user_id);
    let ok = super::password::verify_or_dummy(
        credentials.map(|c| c.password_hash),
        password.to_string(),
    )
    .await;
    match (ok, user_id) {
        (true, Some(user_id)) => {
            state.throttle.succeeded(username);
            let new = session::create(&state.db, user_id, &state.settings).await?;
            let viewer =
                crate::store::users::viewer_by_session(&state.db, &session::token_hash(&new.token))
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
            Ok((new, viewer))
        }
        _ => {
            state.throttle.failed(username, ip);
            state.metrics.login_failed();
            tracing::info!(username = %username.trim(), ?ip, "failed sign-in");
            Err(ApiError::BadCredentials)
        }
    }
}
