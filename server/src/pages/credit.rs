//! 信用记录 without script: the regulator records an entry (a suspension or revocation
//! confirmed by a tick), the supplier appeals, the bureau scans for red flags now. Each
//! returns to the page it was sent from, which says what was done or why not.

use super::homes::signed_in;
use super::{notice, page_error, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use emall_app::model::{CreditEntryBody, Notice};
use emall_app::Msg;
use emall_domain::credit::CreditKind;
use emall_domain::Role;
use http::HeaderMap;
use serde::Deserialize;

/// The regulator's credit form, its fields as sent.
#[derive(Deserialize)]
pub struct CreditForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    reason: String,
    /// The red flag the entry acts on, and the orders it rests on (comma-separated).
    #[serde(default)]
    alert_id: String,
    #[serde(default)]
    orders: String,
    /// Ticked to suspend or revoke: the step is heavy and takes effect at once.
    #[serde(default)]
    confirmed: String,
}

impl CreditForm {
    fn to_body(&self) -> Option<CreditEntryBody> {
        Some(CreditEntryBody {
            kind: CreditKind::parse(self.kind.trim())?,
            reason: self.reason.clone(),
            days: self.days.trim().parse().ok(),
            alert_id: self.alert_id.trim().parse().ok(),
            orders: self
                .orders
                .split(',')
                .filter_map(|o| o.trim().parse().ok())
                .collect(),
        })
    }
}

pub async fn record(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(supplier): Path<i64>,
    Form(form): Form<CreditForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Regulator]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let Some(body) = form.to_body() else {
        return page_error(&state, &url, ApiError::BadRequest);
    };
    let fallback = url.locale.href(&format!("/console/suppliers/{supplier}"));
    let back = notice::back(&headers, fallback);
    let result = if body.kind != CreditKind::Warning && form.confirmed.is_empty() {
        Err(ApiError::field("confirmed", Msg::ErrConfirmHeavy))
    } else {
        views::credit::record(&state, &viewer, supplier, body).await
    };
    let said = result.map(|_| Msg::NoticeCreditRecorded);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::NoLongerOpen)
}

#[derive(Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    text: String,
}

pub async fn appeal(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(entry): Path<i64>,
    Form(form): Form<AppealForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let back = notice::back(&headers, url.locale.href("/workbench"));
    let appealed = views::credit::appeal(&state, &viewer, entry, &form.text).await;
    let said = appealed.map(|()| Msg::NoticeAppealed);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::ErrCreditState)
}

pub async fn scan(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
) -> Response {
    let viewer = match signed_in(viewer, &views::credit::BUREAU) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let back = notice::back(&headers, locale.href("/console/alerts"));
    match views::credit::scan(&state, &viewer).await {
        Ok((_, new)) => {
            let said = Notice::done(locale.fill(Msg::ScanDone, &[("new", &new)]));
            notice::redirect(&state, &viewer, &back, &said)
        }
        Err(e) => page_error(&state, &url, e),
    }
}
