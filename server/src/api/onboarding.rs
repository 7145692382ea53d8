//! 供应商入驻: self-registration, the application's status and resubmission, and the
//! operator's review.

use super::extract::Json;
use crate::auth::client::ClientAddr;
use crate::auth::throttle::Policy;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use emall_app::model::{RegistrationRequest, ReviewRequest, Verdict};
use emall_domain::registration::{self, Company, CompanyInput, FieldErrors};
use emall_store::onboarding::{self, Application};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/supplier-registrations", post(register))
        .route(
            "/suppliers/me/application",
            get(my_application).put(resubmit),
        )
        .route("/suppliers/{id}/application", get(application))
        .route("/suppliers/{id}/review", post(review_application))
}

fn invalid(errors: FieldErrors) -> ApiError {
    ApiError::Invalid {
        fields: errors.into_iter().collect(),
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Registered {
    pub supplier_id: i64,
    pub username: String,
}

/// 供应商注册: a company registers itself and its owner's account. The application waits
/// for the operator's review; one admission serves every city the supplier lists. Every
/// field is checked and every error reported at once; a USCC already registered is refused.
#[utoipa::path(post, path = "/api/v1/supplier-registrations", tag = "suppliers",
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered; sign in to follow the review", body = Registered),
        (status = 409, description = "Conflicts with existing data", body = ErrorBody),
        (status = 422, description = "Per-field errors", body = ErrorBody),
        (status = 429, description = "Too many registrations from this address: wait", body = ErrorBody),
    ))]
async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(body): Json<RegistrationRequest>,
) -> ApiResult<(StatusCode, Json<Registered>)> {
    let company = Company::parse(&body.company);
    let account = registration::check_account(&body.username, &body.password);
    let company = match (company, account.is_empty()) {
        (Ok(c), true) => c,
        (Ok(_), false) => return Err(invalid(account)),
        (Err(mut e), _) => {
            e.extend(account);
            return Err(invalid(e));
        }
    };
    let username = body.username.trim().to_lowercase();
    let password = body.password;
    // Every registration that gets this far costs a password hash: one address gets a few.
    state
        .throttle
        .take(&format!("sign-up:addr:{addr}"), Policy::SIGN_UP)
        .await?;
    let hash = crate::auth::password::hash_gated(&state.scarce.hashing, password).await?;
    match onboarding::register(&state.db, &company, &username, &hash).await? {
        Ok(r) => Ok((
            StatusCode::CREATED,
            Json(Registered {
                supplier_id: r.supplier_id,
                username,
            }),
        )),
        Err(refusal) => Err(refusal.into()),
    }
}

/// The signed-in supplier's application: its review state and the operator's reason.
#[utoipa::path(get, path = "/api/v1/suppliers/me/application", tag = "suppliers",
    responses(
        (status = 200, description = "The application", body = Application),
        (status = 403, description = "Not a supplier", body = ErrorBody),
    ))]
async fn my_application(
    State(state): State<AppState>,
    viewer: Viewer,
) -> ApiResult<Json<Application>> {
    let supplier_id = viewer.supplier_id()?;
    onboarding::application(&state.db, supplier_id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// A supplier's application, for the operator and the regulator (and the supplier itself).
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/application", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "The application", body = Application),
        (status = 403, description = "Another supplier's", body = ErrorBody),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(supplier_id): Path<i64>,
) -> ApiResult<Json<Application>> {
    viewer.check_supplier(supplier_id)?;
    onboarding::application(&state.db, supplier_id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Resubmits a corrected application after a rejection or a request for changes.
#[utoipa::path(put, path = "/api/v1/suppliers/me/application", tag = "suppliers",
    request_body = CompanyInput,
    responses(
        (status = 204, description = "Submitted again"),
        (status = 409, description = "Not waiting for changes", body = ErrorBody),
        (status = 422, description = "Per-field errors", body = ErrorBody),
    ))]
async fn resubmit(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<CompanyInput>,
) -> ApiResult<StatusCode> {
    let supplier_id = viewer.supplier_id()?;
    let company = Company::parse(&body).map_err(invalid)?;
    onboarding::resubmit(&state.db, supplier_id, &viewer.user(), &company)
        .await?
        .map_err(ApiError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The operator admits a submitted application, rejects it, or asks for changes (with a
/// reason the supplier sees).
#[utoipa::path(post, path = "/api/v1/suppliers/{id}/review", tag = "suppliers",
    params(("id" = i64, Path, description = "Supplier id")),
    request_body = ReviewRequest,
    responses(
        (status = 204, description = "Decided"),
        (status = 403, description = "Not the operator", body = ErrorBody),
        (status = 409, description = "Not waiting for a decision", body = ErrorBody),
        (status = 422, description = "A reason is required", body = ErrorBody),
    ))]
async fn review_application(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(supplier_id): Path<i64>,
    Json(body): Json<ReviewRequest>,
) -> ApiResult<StatusCode> {
    let verdict = Verdict::Admission(body.decision);
    views::decisions::decide(&state, &viewer, supplier_id, verdict, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
