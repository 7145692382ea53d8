//! A supplier's API tokens for its ERP: created (the secret shown once, only its SHA-256
//! kept) and revoked from a signed-in session only, never with a token. The API's token
//! endpoints and the listings page's plain forms alike.

use crate::auth::{session, tokens, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::CreatedToken;
use emall_app::Msg;
use emall_store::api_tokens;

/// The supplier of a signed-in session (a token cannot manage tokens).
pub fn session_supplier(viewer: &Viewer) -> ApiResult<i64> {
    if viewer.api_token {
        return Err(ApiError::Forbidden);
    }
    viewer.supplier_id()
}

/// Creates a token named `name` (1–60 characters); its secret is in the answer only.
pub async fn create(state: &AppState, viewer: &Viewer, name: &str) -> ApiResult<CreatedToken> {
    let supplier_id = session_supplier(viewer)?;
    let name = name.trim().to_string();
    if !(1..=60).contains(&name.chars().count()) {
        return Err(ApiError::field("name", Msg::ErrRequired));
    }
    let token = format!("{}{}", tokens::PREFIX, session::random_token());
    let prefix: String = token.chars().take(12).collect();
    let hash = session::token_hash(&token);
    let id = api_tokens::create(
        &state.db,
        supplier_id,
        viewer.user_id,
        &name,
        &hash,
        &prefix,
    )
    .await?;
    Ok(CreatedToken { id, name, token })
}

/// Revokes one of the supplier's tokens: it stops working at once.
pub async fn revoke(state: &AppState, viewer: &Viewer, id: i64) -> ApiResult<()> {
    let supplier_id = session_supplier(viewer)?;
    match api_tokens::revoke(&state.db, supplier_id, id).await? {
        true => Ok(()),
        false => Err(ApiError::NotFound),
    }
}
