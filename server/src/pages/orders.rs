//! An order's page and its contract (personal), and a supplier's performance page (public
//! summary; events for the supplier and the bureau).

use super::homes::{private, signed_in};
use super::{page_error, public, refusal, PageUrl};
use crate::auth::Viewer;
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::views;
use crate::views::orders::{actor_of, visible_order};
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::{
    AnswerRequest, ComplaintRequest, ContractPage, OrderAction, OrderPage, PendingStep,
    PerformancePage, StepForm,
};
use emall_app::Msg;
use emall_domain::lifecycle::{self, Action, Status};
use emall_domain::Role;
use emall_store as store;

pub async fn order(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &Role::ALL)?;
        load(&state, &viewer, order_id).await
    }
    .await;
    order_page(&state, &url, loaded)
}

/// The order page, or the page saying why it cannot be shown.
fn order_page(state: &AppState, url: &PageUrl, loaded: ApiResult<OrderPage>) -> Response {
    private(state, url, Msg::OrderTitle, loaded, emall_app::pages::order)
}

/// The order as the viewer sees it, with the steps open to them.
async fn load(state: &AppState, viewer: &Viewer, order_id: i64) -> ApiResult<OrderPage> {
    let detail = visible_order(state, viewer, order_id).await?;
    let status = Status::parse(&detail.order.status)
        .ok_or_else(|| anyhow::anyhow!("unknown status {}", detail.order.status))?;
    let actions = actor_of(viewer.role)
        .map(|actor| lifecycle::available(status, actor))
        .unwrap_or_default();
    let is_unit = matches!(viewer.role, Role::Buyer | Role::Approver);
    Ok(OrderPage {
        me: viewer.me(),
        can_complain: is_unit && status != Status::PendingApproval,
        can_answer: viewer.role == Role::Supplier,
        actions,
        detail,
        csrf_token: viewer.csrf_token.clone(),
        confirming: None,
        step_error: None,
    })
}

/// One step from the order page's plain form: an irreversible one is asked once more (the
/// page again, with the form as sent and a confirm button); a step taken shows the order;
/// a refused one shows it with why.
pub async fn step(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Response {
    let viewer = match signed_in(viewer, &Role::ALL) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let (mut confirming, mut refused) = (None, None);
    match Action::parse(form.action.trim()) {
        None => refused = Some(locale.t(Msg::ErrStepUnknown).to_string()),
        Some(action) if action.irreversible() && form.confirmed != "1" => {
            confirming = Some(PendingStep { action, form });
        }
        Some(action) => {
            match views::orders::step(&state, &viewer, order_id, asked(action, &form)).await {
                Ok(_) => {
                    let order = locale.href(&format!("/orders/{order_id}"));
                    return Redirect::to(&order).into_response();
                }
                Err(e) => match refusal(e, locale, Msg::ErrStepGone) {
                    Ok(said) => refused = Some(said),
                    Err(e) => return page_error(&state, &url, e),
                },
            }
        }
    }
    let loaded = async {
        let mut page = load(&state, &viewer, order_id).await?;
        page.confirming = confirming;
        page.step_error = refused;
        Ok(page)
    }
    .await;
    order_page(&state, &url, loaded)
}

/// A complaint from the order page's plain form (a buyer's or approver's).
pub async fn complain(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
    Form(form): Form<ComplaintRequest>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Buyer, Role::Approver]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let filed = views::orders::file_complaint(&state, &viewer, order_id, &form.body).await;
    let filed = filed.map(drop);
    after_complaint(
        &state,
        &url,
        &viewer,
        order_id,
        filed,
        Msg::ErrComplaintTooEarly,
    )
    .await
}

/// A supplier's answer to a complaint, from the order page's plain form.
pub async fn answer(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path((order_id, complaint_id)): Path<(i64, i64)>,
    Form(form): Form<AnswerRequest>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let answered =
        views::orders::answer_complaint(&state, &viewer, complaint_id, &form.answer).await;
    after_complaint(
        &state,
        &url,
        &viewer,
        order_id,
        answered,
        Msg::ErrAlreadyAnswered,
    )
    .await
}

/// The order's complaints once a complaint or answer is taken; the order with why not,
/// when it is refused for something the person can mend (`conflict`: what a conflict
/// means here).
async fn after_complaint(
    state: &AppState,
    url: &PageUrl,
    viewer: &Viewer,
    order_id: i64,
    outcome: ApiResult<()>,
    conflict: Msg,
) -> Response {
    let locale = url.locale;
    let refused = match outcome.map_err(|e| refusal(e, locale, conflict)) {
        Ok(()) => {
            let order = locale.href(&format!("/orders/{order_id}#complaints-heading"));
            return Redirect::to(&order).into_response();
        }
        Err(Ok(said)) => said,
        Err(Err(e)) => return page_error(state, url, e),
    };
    let loaded = async {
        let mut page = load(state, viewer, order_id).await?;
        page.step_error = Some(refused);
        Ok(page)
    }
    .await;
    order_page(state, url, loaded)
}

/// The step a form asks for, its fields as typed (blank ones not given).
fn asked(action: Action, form: &StepForm) -> OrderAction {
    let given = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
    OrderAction {
        action,
        note: form.note.trim().to_string(),
        rating: form.rating.trim().parse().ok(),
        invoice_no: given(&form.invoice_no),
        invoice_amount: None,
        carrier: given(&form.carrier),
        tracking_no: given(&form.tracking_no),
    }
}

pub async fn contract(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &Role::ALL)?;
        visible_order(&state, &viewer, order_id).await?;
        let stored = store::contracts::get(&state.db, order_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(ContractPage {
            order_id,
            contract: stored.doc,
            sha256: stored.sha256,
            intact: stored.intact,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::ContractTitle,
        loaded,
        emall_app::pages::contract,
    )
}

/// The public summary: the same for every visitor.
pub async fn performance(
    State(state): State<AppState>,
    url: PageUrl,
    Path(supplier_id): Path<i64>,
) -> Response {
    let loaded = async {
        let summary = store::performance::summary(&state.db, supplier_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(PerformancePage {
            summary,
            events: None,
        })
    }
    .await;
    let locale = url.locale;
    public(
        &state,
        &url,
        loaded,
        |p: &PerformancePage, m| {
            m.title = format!(
                "{} · {}",
                locale.t(Msg::PerformanceTitle),
                p.summary.supplier_name
            )
        },
        emall_app::pages::performance,
    )
}

/// With the events behind the score: the supplier's own staff and the bureau.
pub async fn performance_events(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(supplier_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Supplier, Role::Operator, Role::Regulator])?;
        viewer.check_supplier(supplier_id)?;
        let summary = store::performance::summary(&state.db, supplier_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(PerformancePage {
            summary,
            events: Some(store::performance::events(&state.db, supplier_id, 200).await?),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::PerformanceTitle,
        loaded,
        emall_app::pages::performance,
    )
}

impl Tagged for PerformancePage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::supplier(self.summary.supplier_id))
            .add(keys::performance(self.summary.supplier_id));
    }
}
