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
        super::auth::login, super::auth::logout, super::auth::me, super::auth::list_sessions,
        super::auth::end_other_sessions, super::auth::end_session,
        super::catalogue::categories, super::catalogue::cities, super::catalogue::regions,
        super::catalogue::find_products,
        super::search::search, super::search::get_product, super::search::product_offers,
        super::offers::update_offer, super::offers::create_offer, super::offers::offer_reviews_queue,
        super::offers::decide_offer_review, super::imports::import_offers, super::imports::export_offers,
        super::images::upload, super::tokens::create_token, super::tokens::list_tokens,
        super::tokens::revoke_token, super::proposals::propose_product, super::proposals::list_proposals,
        super::proposals::decide_proposal, super::staff::list_staff, super::staff::invite_staff,
        super::staff::deactivate_staff, super::staff::accept_invitation,
        super::cart::cart, super::cart::put_item, super::cart::add_item, super::cart::remove_item, super::cart::checkout,
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
        super::audit::audit_log,
    ),
    tags(
        (name = "auth", description = "Sign-in and sessions"),
        (name = "calendar", description = "工作日历: the working-day calendar (days off and make-up working days per year) behind every deadline"),
        (name = "catalogue", description = "Categories and cities"),
        (name = "orders", description = "Orders"),
        (name = "disclosure", description = "信息公开: transaction results, procurement intentions, open data (OCDS)"),
        (name = "monitoring", description = "The finance bureau's dashboard, red flags, credit record and audit log"),
        (name = "pools", description = "Joint purchases (联合采购): pools, volume-tier bids, commitments, results"),
        (name = "suppliers", description = "Suppliers and their listings"),
        (name = "units", description = "Purchasing units and budget lines"),
    )
)]
pub struct ApiDoc;

/// Errors any operation can answer, whatever it does: a request the server cannot read
/// (400), a body too slow (408) or too large (413), a failure (500), a node at capacity or a
/// handler out of time (503).
const ANY_OPERATION: [(&str, &str); 5] = [
    ("400", "A parameter or the body cannot be read"),
    ("408", "The request body arrived too slowly"),
    ("413", "The request body is too large"),
    ("500", "Something failed on the server"),
    (
        "503",
        "The server is busy or the request took too long: try again",
    ),
];
/// Errors every state-changing operation can answer besides.
const ANY_CHANGE: [(&str, &str); 3] = [
    (
        "403",
        "Refused: not allowed, or the CSRF token is missing or wrong",
    ),
    ("415", "The body is not of the expected content type"),
    ("422", "The input breaks a rule"),
];

/// Operations anyone may call without signing in (method, path). Every other operation
/// answers 401 to a visitor and 403 to a role it is not for. The platform test reads the
/// handlers and checks this list against them.
pub const PUBLIC: [(&str, &str); 20] = [
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/regions"),
    ("get", "/api/v1/categories"),
    ("get", "/api/v1/cities"),
    ("get", "/api/v1/catalogue/products"),
    ("get", "/api/v1/suppliers/{id}/credit-entries"),
    ("get", "/api/v1/ocds/orders"),
    ("get", "/api/v1/ocds/pools"),
    ("get", "/api/v1/disclosure/results"),
    ("get", "/api/v1/intentions"),
    ("post", "/api/v1/supplier-registrations"),
    ("get", "/api/v1/pools"),
    ("get", "/api/v1/pools/{id}"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/products/{id}"),
    ("get", "/api/v1/products/{id}/offers"),
    ("post", "/api/v1/invitations/{token}/accept"),
    ("get", "/api/v1/suppliers/{id}/performance"),
    ("get", "/api/v1/units"),
];

/// Errors of every operation for the signed-in.
const SIGNED_IN: [(&str, &str); 2] = [
    ("401", "Not signed in"),
    ("403", "Not allowed for this role or organisation"),
];
/// The error of every operation that names a thing in its path.
const BY_ID: [(&str, &str); 1] = [("404", "No such thing, or not one the caller may see")];

/// The OpenAPI document: the handlers' annotations, with the errors every operation can
/// answer added to each, so the document lists every status the API returns: those of any
/// request (400, 408, 413, 500, 503), of any change (403 for the CSRF check, 415, 422), of
/// any operation for the signed-in (401, 403) and of any that names a thing by id (404).
pub fn document() -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let mut doc = ApiDoc::openapi();
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let names_a_thing = path.contains('{');
        let operations = [
            ("get", &mut item.get),
            ("head", &mut item.head),
            ("options", &mut item.options),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            let changing = !matches!(method, "get" | "head" | "options");
            let signed_in = !PUBLIC.contains(&(method, path.as_str()));
            let extra = ANY_OPERATION
                .iter()
                .chain(ANY_CHANGE.iter().filter(|_| changing))
                .chain(SIGNED_IN.iter().filter(|_| signed_in))
                .chain(BY_ID.iter().filter(|_| names_a_thing));
            for (status, description) in extra {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description));
            }
        }
    }
    doc
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}
