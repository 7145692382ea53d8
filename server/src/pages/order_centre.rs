//! 订单中心: every order of the viewer's unit or company (the bureau: the whole mall) by
//! tab, searched, a page at a time.

use super::homes::{private, signed_in};
use super::{Lenient, PageUrl};
use crate::auth::Viewer;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use emall_app::model::OrderCentrePage;
use emall_app::Msg;
use emall_domain::stage::Stage;
use emall_domain::Role;
use emall_store::order_centre::{self, Asked};
use emall_store::orders::OrderScope;

/// Orders per page.
const PAGE: i64 = 20;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CentreQuery {
    tab: String,
    q: String,
    page: Option<i64>,
    /// Orders just placed from the cart (their count).
    placed: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient { value: asked, .. }: Lenient<CentreQuery>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(
            viewer,
            &[
                Role::Buyer,
                Role::Approver,
                Role::Supplier,
                Role::Operator,
                Role::Regulator,
            ],
        )?;
        let scope = OrderScope::from(viewer.tenant);
        // An unknown tab shows every order; the search is at most 100 characters.
        let tab = Stage::parse(asked.tab.trim());
        let search: String = asked.q.trim().chars().take(100).collect();
        let wanted = asked.page.unwrap_or(1).clamp(1, 10_000);
        let find = |page: i64| Asked {
            scope,
            stage: tab,
            search: &search,
            limit: PAGE,
            offset: (page - 1) * PAGE,
        };
        let first = find(wanted);
        let (counts, mut found) = tokio::try_join!(
            order_centre::counts(&state.db, scope),
            order_centre::find(&state.db, &first),
        )?;
        let pages = ((found.matching + PAGE - 1) / PAGE).max(1);
        // A page past the last shows the last.
        let page = wanted.min(pages);
        if page != wanted {
            found = order_centre::find(&state.db, &find(page)).await?;
        }
        Ok(OrderCentrePage {
            me: viewer.me(),
            tab,
            counts,
            orders: found.rows,
            search,
            page,
            pages,
            matching: found.matching,
            placed: asked.placed.filter(|n| (1..=1000).contains(n)),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::OrderCentreTitle,
        loaded,
        emall_app::pages::order_centre,
    )
}
