//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "emall API",
        description = "政府采购电子卖场 JSON API. Money is integer fen; times are RFC 3339 UTC. \
            Sign in with POST /api/v1/auth/login; state-changing calls made with the session \
            cookie must send the `emall_csrf` cookie's value in `X-CSRF-Token`. A supplier's ERP \
            may instead send `Authorization: Bearer <API token>` (created at POST /api/v1/api-tokens) \
            to manage its listings: create, change, import and export offers.",
        version = "1.0.0",
    ),
    paths(
        super::auth::login, super::auth::logout, super::auth::me,
        super::catalogue::categories, super::catalogue::cities, super::catalogue::regions,
        super::catalogue::find_products,
        super::search::search, super::search::get_product, super::search::product_offers,
        super::offers::update_offer, super::offers::create_offer, super::offers::offer_reviews_queue,
        super::offers::decide_offer_review, super::imports::import_offers, super::imports::export_offers,
        super::images::upload, super::tokens::create_token, super::tokens::list_tokens,
        super::tokens::revoke_token, super::proposals::propose_product, super::proposals::list_proposals,
        super::proposals::decide_proposal, super::staff::list_staff, super::staff::invite_staff,
        super::staff::deactivate_staff, super::staff::accept_invitation,
        super::cart::cart, super::cart::put_item, super::cart::remove_item, super::cart::checkout,
        super::cart::checkout_preview,
        super::orders::list_orders, super::orders::get_order, super::orders::order_action,
        super::orders::get_contract, super::orders::file_complaint, super::orders::answer_complaint,
        super::suppliers::supplier_offers, super::suppliers::performance,
        super::suppliers::performance_events,
        super::units::budget_lines, super::units::list_units,
        super::onboarding::register, super::onboarding::my_application,
        super::onboarding::application, super::onboarding::resubmit, super::onboarding::review_application,
        super::qualifications::upload_qualification, super::qualifications::supplier_qualifications,
        super::qualifications::download_qualification, super::qualifications::check_qualification,
        super::pools::list_pools, super::pools::get_pool, super::pools::open_pool, super::pools::place_bid,
        super::pools::commit_to_pool, super::pools::withdraw_from_pool, super::pools::my_pool_part,
        super::pools::close_pool, super::pools::pool_events,
        super::credit::credit_record, super::credit::record_credit_entry, super::credit::appeal_credit_entry,
        super::credit::decide_appeal, super::alerts::list_alerts, super::alerts::get_alert,
        super::alerts::scan_alerts, super::alerts::triage_alert,
        super::dashboard::get_dashboard, super::dashboard::export_dashboard,
        super::dashboard::refresh_dashboard,
        super::disclosure::disclosed_results, super::disclosure::list_intentions,
        super::disclosure::publish_intention, super::disclosure::withdraw_intention,
        super::disclosure::ocds_orders, super::disclosure::ocds_pools,
        super::calendar::load_year, super::calendar::list_years,
    ),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "calendar", description = "工作日历: the working-day calendar (days off and make-up working days per year) behind every deadline"),
        (name = "catalogue", description = "Categories and cities"),
        (name = "orders", description = "Orders"),
        (name = "disclosure", description = "信息公开: transaction results, procurement intentions, open data (OCDS)"),
        (name = "monitoring", description = "The finance bureau's dashboard, red flags and credit record"),
        (name = "pools", description = "Joint purchases (联合采购): pools, volume-tier bids, commitments, results"),
        (name = "suppliers", description = "Suppliers and their listings"),
        (name = "units", description = "Purchasing units and budget lines"),
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
