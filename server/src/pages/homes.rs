//! The home page of each role.

use super::{respond, Lenient, PageUrl};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use emall_app::model::{
    BuyerHomePage, ConsolePage, DashboardFilter, FilterNote, SupplierHomePage, UnitIntentions,
};
use emall_app::Msg;
use emall_domain::Role;
use emall_store::{self as store, orders::OrderFilter, orders::OrderScope};

pub(super) fn private<T>(
    state: &AppState,
    url: &PageUrl,
    title: Msg,
    loaded: ApiResult<T>,
    page: impl FnOnce(emall_app::Locale, T) -> leptos::prelude::AnyView,
) -> Response {
    let locale = url.locale;
    respond(
        state,
        url,
        loaded,
        |_, m| m.title = locale.t(title).to_string(),
        page,
    )
}

pub(super) fn signed_in(viewer: Option<Viewer>, roles: &[Role]) -> ApiResult<Viewer> {
    let viewer = viewer.ok_or(ApiError::Unauthorized)?;
    viewer.require(roles)?;
    Ok(viewer)
}

pub async fn buyer(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Buyer, Role::Approver])?;
        buyer_home(&state, &viewer, url.locale).await
    }
    .await;
    buyer_home_page(&state, &url, loaded)
}

/// Renders the buyer's home (or the error page).
pub(super) fn buyer_home_page(
    state: &AppState,
    url: &PageUrl,
    loaded: ApiResult<BuyerHomePage>,
) -> Response {
    let page = emall_app::pages::buyer_home;
    private(state, url, Msg::BuyerHomeTitle, loaded, page)
}

/// The buyer's home: budget lines, orders to approve and recent, payments, the city's open
/// pools and the unit's intentions.
pub(super) async fn buyer_home(
    state: &AppState,
    viewer: &Viewer,
    locale: emall_app::Locale,
) -> ApiResult<BuyerHomePage> {
    let unit_id = viewer.unit_id()?;
    let code = store::units::city(&state.db, unit_id).await?;
    let city = crate::views::catalogue::city(state, code.map(|c| c.to_string()).as_deref())?;
    let this_year = i64::from(emall_store::clock::year_of(emall_store::clock::now()));
    let orders =
        |filter, limit| store::orders::list(&state.db, OrderScope::Unit(unit_id), filter, limit, 0);
    let mut intentions =
        store::disclosure::intentions(&state.db, this_year, Some(unit_id), true).await?;
    intentions.extend(
        store::disclosure::intentions(&state.db, this_year + 1, Some(unit_id), true).await?,
    );
    Ok(BuyerHomePage {
        me: viewer.me(),
        budget_lines: store::units::budget_lines(&state.db, unit_id).await?,
        awaiting_approval: orders(OrderFilter::AwaitingApproval, 50).await?,
        recent_orders: orders(OrderFilter::All, 20).await?,
        payments: store::performance::payments(&state.db, unit_id).await?,
        open_pools: store::pools::list(&state.db, Some(&city.code), true, 20).await?,
        intentions: UnitIntentions {
            intentions,
            categories: store::disclosure::category_options(
                &state.db,
                locale == emall_app::Locale::En,
            )
            .await?,
            this_year,
            csrf_token: viewer.csrf_token.clone(),
            sent: None,
            refused: Vec::new(),
        },
        city,
    })
}

pub async fn supplier(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Supplier])?;
        let supplier_id = viewer.supplier_id()?;
        let summary = store::suppliers::summary(&state.db, supplier_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(SupplierHomePage {
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            supplier_status: summary.status,
            size: summary.size,
            review_state: summary.review_state,
            review_reason: summary.review_reason,
            notices: store::qualifications::notices(&state.db, supplier_id, 5).await?,
            credit: store::credit::list(&state.db, supplier_id, false, emall_store::clock::now())
                .await?,
            offer_total: store::suppliers::offer_count(&state.db, supplier_id).await?,
            offers: store::suppliers::offers(&state.db, supplier_id, 50, 0).await?,
            open_orders: store::orders::list(
                &state.db,
                OrderScope::Supplier(supplier_id),
                OrderFilter::SupplierOpen,
                50,
                0,
            )
            .await?,
            supplier_id,
            score: store::suppliers::public_profile(&state.db, supplier_id)
                .await?
                .and_then(|p| p.score),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::SupplierHomeTitle,
        loaded,
        emall_app::pages::workbench,
    )
}

pub async fn console(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Lenient {
        value: filter,
        ignored,
    }: Lenient<DashboardFilter>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        // A filter the page cannot use in full shows what it can and says what it left out.
        let (scope, faults) =
            store::dashboard::Scope::parse_or_narrower(&filter, emall_store::clock::now());
        let filter_notes = ignored
            .into_iter()
            .map(|field| FilterNote::Ignored { field })
            .chain(faults.iter().map(|f| f.note()))
            .collect();
        let en = url.locale == emall_app::Locale::En;
        let (dashboard, supplier_queue) = tokio::try_join!(
            store::dashboard::load(&state.db, &scope, en),
            store::suppliers::admission_queue(&state.db, 20),
        )?;
        Ok(ConsolePage {
            me: viewer.me(),
            dashboard,
            supplier_queue,
            calendar: super::calendar::notice(&state, &viewer),
            filter_notes,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::ConsoleTitle,
        loaded,
        emall_app::pages::console,
    )
}
