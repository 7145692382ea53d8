//! The bureau's red flags: the list with its filters, and one alert with its evidence.

use super::homes::{private, signed_in};
use super::Lenient;
use super::PageUrl;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use emall_app::model::{AlertPage, AlertsPage};
use emall_app::Msg;
use emall_domain::redflags::RuleKind;
use emall_domain::Role;
use emall_store as store;

#[derive(serde::Deserialize, Default)]
pub struct AlertFilter {
    status: Option<String>,
    kind: Option<String>,
    page: Option<i64>,
}

/// Alerts per page.
const PAGE: i64 = 50;

pub async fn list(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: f, .. }: Lenient<AlertFilter>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let status = match f.status.as_deref() {
            Some(s @ ("open" | "confirmed" | "dismissed" | "acted" | "all")) => s.to_string(),
            _ => "open".to_string(),
        };
        let kind = f
            .kind
            .as_deref()
            .and_then(RuleKind::parse)
            .map(|k| k.as_str().to_string())
            .unwrap_or_default();
        let filter = if status == "all" { "" } else { status.as_str() };
        let matching = store::alerts::count(&state.db, filter, &kind).await?;
        let pages = ((matching + PAGE - 1) / PAGE).max(1);
        let page = f.page.unwrap_or(1).clamp(1, pages);
        let alerts = store::alerts::page(&state.db, filter, &kind, PAGE, (page - 1) * PAGE).await?;
        Ok(AlertsPage {
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            alerts,
            status,
            kind,
            page,
            pages,
            matching,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::AlertsTitle,
        loaded,
        emall_app::pages::alerts,
    )
}

pub async fn detail(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(id): Path<i64>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let alert = store::alerts::get(&state.db, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(AlertPage {
            can_triage: viewer.role == Role::Regulator,
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            orders: store::alerts::evidence_orders(&state.db, &alert.orders).await?,
            suppliers: store::alerts::evidence_suppliers(&state.db, &alert.suppliers).await?,
            offers: store::alerts::evidence_offers(&state.db, &alert.offers).await?,
            alert,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::AlertsTitle,
        loaded,
        emall_app::pages::alert,
    )
}
