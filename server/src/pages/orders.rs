//! An order's page and its contract (personal), and a supplier's performance page (public
//! summary; events for the supplier and the bureau).

use super::homes::{private, signed_in};
use super::{public, PageUrl};
use crate::auth::Viewer;
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::orders::{actor_of, visible_order};
use axum::extract::{Path, State};
use axum::response::Response;
use emall_app::model::{ContractPage, OrderPage, PerformancePage};
use emall_app::Msg;
use emall_domain::lifecycle::{self, Status};
use emall_domain::Role;
use emall_store as store;

const ALL_ROLES: &[Role] = &[
    Role::Buyer,
    Role::Approver,
    Role::Supplier,
    Role::Operator,
    Role::Regulator,
];

pub async fn order(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, ALL_ROLES)?;
        let detail = visible_order(&state, &viewer, order_id).await?;
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
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::OrderTitle,
        loaded,
        emall_app::pages::order,
    )
}

pub async fn contract(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(order_id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, ALL_ROLES)?;
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
