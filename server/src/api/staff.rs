//! A supplier's staff: the owner invites colleagues by a one-time link and may deactivate
//! them; the colleague accepts by choosing a username and password.

use super::extract::Json;
use crate::auth::client::ClientAddr;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use emall_app::model::{Acceptance, Invitation, InvitationLink};
use emall_store::staff::{self, StaffMember};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/suppliers/me/staff", get(list_staff))
        .route("/suppliers/me/staff/{id}", delete(deactivate_staff))
        .route("/suppliers/me/invitations", post(invite_staff))
        .route("/invitations/{token}/accept", post(accept_invitation))
}

/// The supplier's accounts.
#[utoipa::path(get, path = "/api/v1/suppliers/me/staff", tag = "suppliers",
    responses((status = 200, description = "Staff", body = [StaffMember])))]
async fn list_staff(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Vec<StaffMember>>> {
    let supplier_id = viewer.supplier_id()?;
    Ok(Json(staff::list(&state.db, supplier_id).await?))
}

/// The owner invites a colleague: a one-time link, valid for 7 days.
#[utoipa::path(post, path = "/api/v1/suppliers/me/invitations", tag = "suppliers", request_body = Invitation,
    responses(
        (status = 201, description = "The link", body = InvitationLink),
        (status = 403, description = "Not the owner", body = ErrorBody),
    ))]
async fn invite_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<Invitation>,
) -> ApiResult<(StatusCode, Json<InvitationLink>)> {
    let link = views::staff::invite(&state, &viewer, &body.display_name).await?;
    Ok((StatusCode::CREATED, Json(link)))
}

/// The owner deactivates a colleague (their sessions end at once).
#[utoipa::path(delete, path = "/api/v1/suppliers/me/staff/{id}", tag = "suppliers",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "Not the owner", body = ErrorBody),
        (status = 404, description = "No such colleague (the owner cannot be removed)", body = ErrorBody),
    ))]
async fn deactivate_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(user_id): Path<i64>,
) -> ApiResult<StatusCode> {
    views::staff::deactivate(&state, &viewer, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accepts an invitation: the colleague's own sign-in for the supplier.
#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "suppliers",
    params(("token" = String, Path, description = "From the invitation link")),
    request_body = Acceptance,
    responses(
        (status = 201, description = "The account exists; sign in"),
        (status = 404, description = "Unknown, used or expired invitation", body = ErrorBody),
        (status = 429, description = "Too many tries from this address: wait", body = ErrorBody),
        (status = 422, description = "Username or password not acceptable", body = ErrorBody),
    ))]
async fn accept_invitation(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Path(token): Path<String>,
    Json(body): Json<Acceptance>,
) -> ApiResult<StatusCode> {
    crate::auth::invitation::accept(&state, addr, &token, &body.username, body.password).await?;
    Ok(StatusCode::CREATED)
}
