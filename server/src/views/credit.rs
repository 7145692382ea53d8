//! 信用记录 and red flags: the regulator records an entry against a supplier, the supplier
//! appeals it, the bureau scans for red flags now. The API's endpoints and the pages' plain
//! forms alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::CreditEntryBody;
use emall_app::Msg;
use emall_domain::credit::{CreditError, NewEntry};
use emall_domain::Role;
use emall_store::{alerts, clock, credit};

/// The bureau: the operator and the regulator read and scan red flags.
pub const BUREAU: [Role; 2] = [Role::Operator, Role::Regulator];

/// The regulator records a warning, a suspension for N days or a revocation (清退); the
/// entry's id.
pub async fn record(
    state: &AppState,
    viewer: &Viewer,
    supplier: i64,
    body: CreditEntryBody,
) -> ApiResult<i64> {
    viewer.require(&[Role::Regulator])?;
    let entry = NewEntry::parse(body.kind, &body.reason, body.days).map_err(|e| match e {
        CreditError::Reason => ApiError::field("reason", Msg::ErrReason),
        CreditError::Days => ApiError::field("days", Msg::ErrSuspensionDays),
    })?;
    let orders: Vec<i64> = body.orders.into_iter().take(100).collect();
    let user = viewer.user();
    let now = clock::now();
    let (id, _) = credit::record(
        &state.db,
        supplier,
        &entry,
        body.alert_id,
        &orders,
        &user,
        now,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(id)
}

/// The supplier appeals one of its entries in force, once, with its grounds.
pub async fn appeal(state: &AppState, viewer: &Viewer, entry: i64, text: &str) -> ApiResult<()> {
    let supplier = viewer.supplier_id()?;
    let text: String = text.trim().chars().take(2000).collect();
    if text.is_empty() {
        return Err(ApiError::field("text", Msg::ErrReason));
    }
    let now = clock::now();
    credit::appeal(&state.db, entry, supplier, &viewer.user(), &text, now).await??;
    Ok(())
}

/// Runs every red-flag rule now: (findings, of which new).
pub async fn scan(state: &AppState, viewer: &Viewer) -> ApiResult<(usize, usize)> {
    viewer.require(&BUREAU)?;
    Ok(alerts::scan(&state.db, &state.thresholds(), clock::now()).await?)
}
