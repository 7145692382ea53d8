//! Supplier registration (public), the resubmission of an application (the supplier) and
//! its review (the operator).

use super::homes::{private, signed_in};
use super::{public, PageUrl};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use emall_app::model::{RegisterPage, ReviewPage, StaffSection};
use emall_app::Msg;
use emall_domain::Role;
use emall_store as store;

async fn form(state: &AppState) -> Result<RegisterPage, ApiError> {
    Ok(RegisterPage {
        provinces: store::regions::children(&state.db, None).await?,
        mall_cities: state.renderer.cities().to_vec(),
        resubmit: None,
        staff: None,
    })
}

/// The registration form: the same for every visitor.
pub async fn register(State(state): State<AppState>, url: PageUrl) -> Response {
    let loaded = form(&state).await;
    let locale = url.locale;
    public(
        &state,
        &url,
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
        application(&state, &viewer).await
    }
    .await;
    application_page(&state, &url, loaded)
}

/// Renders the supplier's application page (or the error page).
pub(super) fn application_page(
    state: &AppState,
    url: &PageUrl,
    loaded: ApiResult<RegisterPage>,
) -> Response {
    private(
        state,
        url,
        Msg::MyApplication,
        loaded,
        emall_app::pages::register,
    )
}

/// The supplier's application page: its application, documents and, for its owner, staff.
pub(super) async fn application(state: &AppState, viewer: &Viewer) -> ApiResult<RegisterPage> {
    let supplier_id = viewer.supplier_id()?;
    let mut page = form(state).await?;
    page.resubmit = store::onboarding::view(&state.db, supplier_id).await?;
    if store::staff::is_owner(&state.db, viewer.user_id).await? {
        page.staff = Some(StaffSection {
            members: store::staff::list(&state.db, supplier_id).await?,
            csrf_token: viewer.csrf_token.clone(),
            invited: None,
            refused: None,
        });
    }
    Ok(page)
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
            credit: store::credit::list(&state.db, supplier_id, false, emall_store::clock::now())
                .await?,
            can_record_credit: viewer.role == Role::Regulator,
            can_decide: viewer.role == Role::Operator
                && application.status == "pending"
                && application.review_state == "submitted",
            csrf_token: viewer.csrf_token.clone(),
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

#[derive(serde::Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn invitation_page(
    state: &AppState,
    url: &PageUrl,
    status: axum::http::StatusCode,
    page: emall_app::model::InvitationPage,
) -> Response {
    let locale = url.locale;
    let body = state
        .renderer
        .render(url.meta(locale.t(Msg::InvitationTitle)), || {
            emall_app::pages::invitation(locale, page)
        });
    super::html(status, super::Caching::Private, body)
}

/// The invitation link: who invites, and the form to choose a sign-in.
pub async fn invitation(
    State(state): State<AppState>,
    url: PageUrl,
    Path(token): Path<String>,
) -> Response {
    match store::staff::open_invitation(&state.db, &crate::auth::session::token_hash(&token)).await
    {
        Ok(Some((supplier_name, display_name))) => invitation_page(
            &state,
            &url,
            axum::http::StatusCode::OK,
            emall_app::model::InvitationPage {
                supplier_name,
                display_name,
                username: String::new(),
                error: None,
            },
        ),
        Ok(None) => super::page_error(&state, &url, ApiError::NotFound),
        Err(e) => super::page_error(&state, &url, e.into()),
    }
}

/// The form post: the account, then the sign-in page; or the form again with the reason.
pub async fn accept_invitation(
    State(state): State<AppState>,
    url: PageUrl,
    crate::auth::client::ClientAddr(addr): crate::auth::client::ClientAddr,
    Path(token): Path<String>,
    axum::extract::Form(form): axum::extract::Form<InvitationForm>,
) -> Response {
    use axum::response::IntoResponse;
    let locale = url.locale;
    let hash = crate::auth::session::token_hash(&token);
    let Ok(Some((supplier_name, display_name))) =
        store::staff::open_invitation(&state.db, &hash).await
    else {
        return super::page_error(&state, &url, ApiError::NotFound);
    };
    let result = crate::error::REQUEST_LOCALE
        .scope(
            locale,
            crate::auth::invitation::accept(&state, addr, &token, &form.username, form.password),
        )
        .await;
    match result {
        Ok(()) => {
            axum::response::Redirect::to(&locale.href("/login?next=/workbench")).into_response()
        }
        Err(e) => {
            let message = match &e {
                ApiError::Invalid { fields } => fields
                    .first()
                    .map(|(_, problem)| problem.words(locale))
                    .unwrap_or_default(),
                ApiError::NotFound => locale.t(Msg::InvitationGone).to_string(),
                other => locale.t(other.message()).to_string(),
            };
            invitation_page(
                &state,
                &url,
                e.status(),
                emall_app::model::InvitationPage {
                    supplier_name,
                    display_name,
                    username: form.username,
                    error: Some(message),
                },
            )
        }
    }
}

/// The registration form names nothing that changes: it lives until it expires.
impl crate::cache::Tagged for RegisterPage {
    fn surrogate_keys(&self, _: &mut crate::cache::SurrogateKeys) {}
}
