//! Supplier registration (public), the resubmission of an application (the supplier) and
//! its review (the operator).

use super::homes::{private, signed_in};
use super::{respond, Caching, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store;
use axum::extract::{Path, State};
use axum::response::Response;
use emall_app::model::{RegisterPage, ReviewPage};
use emall_app::Msg;
use emall_domain::Role;

async fn form(state: &AppState) -> Result<RegisterPage, ApiError> {
    Ok(RegisterPage {
        provinces: store::regions::children(&state.db, None).await?,
        mall_cities: state.renderer.cities().to_vec(),
        resubmit: None,
    })
}

/// The registration form: the same for every visitor.
pub async fn register(State(state): State<AppState>, url: PageUrl) -> Response {
    let loaded = form(&state).await;
    let locale = url.locale;
    respond(
        &state,
        &url,
        Caching::Public,
        loaded,
        |_, m| m.title = locale.t(Msg::RegisterTitle).to_string(),
        emall_app::pages::register,
    )
}

/// The supplier's own application, to correct and submit again.
pub async fn resubmit(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Supplier])?;
        let supplier_id = viewer.supplier_id()?;
        let mut page = form(&state).await?;
        page.resubmit = store::onboarding::view(&state.db, supplier_id).await?;
        Ok(page)
    }
    .await;
    private(
        &state,
        &url,
        Msg::MyApplication,
        loaded,
        emall_app::pages::register,
    )
}

/// One application with its history; the operator decides here.
pub async fn review(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(supplier_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let application = store::onboarding::view(&state.db, supplier_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(ReviewPage {
            can_decide: viewer.role == Role::Operator
                && application.status == "pending"
                && application.review_state == "submitted",
            me: viewer.me(),
            application,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::ReviewTitle,
        loaded,
        emall_app::pages::review,
    )
}
