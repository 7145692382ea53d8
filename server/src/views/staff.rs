//! A supplier's staff: its owner invites colleagues by a one-time link and deactivates
//! them. The API's staff endpoints and the application page's plain forms alike.

use crate::auth::{session, Viewer};
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use emall_app::model::InvitationLink;
use emall_store::staff;

/// The viewer's supplier, if the viewer is its owner in a signed-in session.
pub async fn owner(state: &AppState, viewer: &Viewer) -> ApiResult<i64> {
    let supplier_id = viewer.supplier_id()?;
    if viewer.api_token || !staff::is_owner(&state.db, viewer.user_id).await? {
        return Err(ApiError::Forbidden);
    }
    Ok(supplier_id)
}

/// Invites a colleague by name (2–30 characters): a one-time link, valid for 7 days.
pub async fn invite(state: &AppState, viewer: &Viewer, name: &str) -> ApiResult<InvitationLink> {
    let supplier_id = owner(state, viewer).await?;
    let name = name.trim().to_string();
    if !(2..=30).contains(&name.chars().count()) {
        let fault = Problem::Length { min: 2, max: 30 };
        return Err(ApiError::field("display_name", fault));
    }
    let token = session::random_token();
    let hash = session::token_hash(&token);
    let expires = staff::invite(&state.db, supplier_id, viewer.user_id, &name, &hash).await?;
    Ok(InvitationLink {
        link: format!("/invite/{token}"),
        expires_at: emall_store::clock::rfc3339(expires),
    })
}

/// Deactivates a colleague: their sessions end at once (the owner cannot be removed).
pub async fn deactivate(state: &AppState, viewer: &Viewer, user_id: i64) -> ApiResult<()> {
    let supplier_id = owner(state, viewer).await?;
    match staff::deactivate(&state.db, supplier_id, user_id).await? {
        true => Ok(()),
        false => Err(ApiError::NotFound),
    }
}
