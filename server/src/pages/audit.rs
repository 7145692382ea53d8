//! `/console/audit`: the audit log of any object for the finance bureau (the newest entries
//! without one), asked for with a plain GET form.

use super::homes::{private, signed_in};
use super::Lenient;
use super::PageUrl;
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::audit::{load, AuditQuery};
use axum::extract::State;
use axum::response::Response;
use emall_app::model::AuditPage;
use emall_app::Msg;
use emall_domain::Role;

/// As a form sends it: an empty or mistyped number is the page's own error, not axum's.
#[derive(serde::Deserialize, Default)]
pub struct Asked {
    object: Option<String>,
    id: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: asked, .. }: Lenient<Asked>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let id = match asked.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                s.parse::<i64>()
                    .map_err(|_| ApiError::field("id", Msg::ErrAuditObject))?,
            ),
        };
        let query = AuditQuery {
            object: asked.object,
            id,
        };
        Ok(AuditPage {
            me: viewer.me(),
            log: load(&state, &viewer, query.object()?).await?,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::AuditTitle,
        loaded,
        emall_app::pages::audit,
    )
}
