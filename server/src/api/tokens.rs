//! A supplier's API tokens for its ERP: created (the secret shown once, only its SHA-256
//! kept), listed, revoked. Managed from a signed-in session only, never with a token.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::Router;
use emall_app::model::{CreatedToken, NewToken};
use emall_store::api_tokens::{self, TokenView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api-tokens", get(list_tokens).post(create_token))
        .route("/api-tokens/{id}", delete(revoke_token))
}

/// Creates an API token for the signed-in supplier.
#[utoipa::path(post, path = "/api/v1/api-tokens", tag = "suppliers", request_body = NewToken,
    responses(
        (status = 201, description = "Created; the token is shown only now", body = CreatedToken),
        (status = 403, description = "Not a supplier's session", body = ErrorBody),
        (status = 422, description = "No name", body = ErrorBody),
    ))]
async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<NewToken>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let created = views::tokens::create(&state, &viewer, &body.name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The supplier's tokens, without their secrets.
#[utoipa::path(get, path = "/api/v1/api-tokens", tag = "suppliers",
    responses((status = 200, description = "Tokens", body = [TokenView])))]
async fn list_tokens(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Vec<TokenView>>> {
    let supplier_id = views::tokens::session_supplier(&viewer)?;
    Ok(Json(api_tokens::list(&state.db, supplier_id).await?))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/api/v1/api-tokens/{id}", tag = "suppliers",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "Not one of the supplier's tokens", body = ErrorBody),
    ))]
async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    views::tokens::revoke(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
