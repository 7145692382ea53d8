//! 联合采购 / 带量采购: open a pool, bid volume tiers, commit quantities, close, and read
//! the result. Reading is public; writing needs the right role.

use super::extract::Json;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult, ErrorBody, Fields, Problem};
use crate::state::AppState;
use crate::views;
use crate::views::pools::Outcome;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use emall_app::model::{BidBody, CommitBody, PoolCreate, PoolOpened};
use emall_app::model::{MyPoolPart, PoolDetail, PoolSummary};
use emall_app::Msg;
use emall_domain::pool::{PoolTerms, PoolTermsError};
use emall_domain::{Fen, RegionCode, RegionLevel, Role};
use emall_store::clock;
use emall_store::pools::{self, NewPool, Opened, PoolEvent};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pools", get(list_pools).post(open_pool))
        .route("/pools/{id}", get(get_pool))
        .route("/pools/{id}/mine", get(my_pool_part))
        .route("/pools/{id}/bid", put(place_bid))
        .route(
            "/pools/{id}/commitment",
            put(commit_to_pool).delete(withdraw_from_pool),
        )
        .route("/pools/{id}/close", post(close_pool))
        .route("/pools/{id}/events", get(pool_events))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PoolQuery {
    /// City code (GB/T 2260); all cities without it.
    pub city: Option<String>,
    /// `open` (default) or `closed`.
    pub state: Option<String>,
}

/// Pools of a city: open ones by deadline with their current price and the next tier, or
/// closed ones newest first. Public.
#[utoipa::path(get, path = "/api/v1/pools", tag = "pools", params(PoolQuery),
    responses((status = 200, description = "Pools", body = [PoolSummary])))]
async fn list_pools(
    State(state): State<AppState>,
    Query(q): Query<PoolQuery>,
) -> ApiResult<Json<Vec<PoolSummary>>> {
    let open = q.state.as_deref() != Some("closed");
    Ok(Json(
        pools::list(&state.db, q.city.as_deref(), open, 100).await?,
    ))
}

/// One pool: terms, progress, bids (bidders named once it is closed) and the result.
#[utoipa::path(get, path = "/api/v1/pools/{id}", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")),
    responses((status = 200, description = "The pool", body = PoolDetail), (status = 404, description = "No such pool", body = ErrorBody)))]
async fn get_pool(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<PoolDetail>> {
    Ok(Json(
        pools::detail(&state.db, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    ))
}

fn text(fields: &mut Fields, name: &str, value: &str, max: usize) -> String {
    let v = value.trim().to_string();
    if v.is_empty() || v.chars().count() > max {
        fields.add(name, Problem::Length { min: 1, max });
    }
    v
}

/// Opens a pool for one standard product in one city: the operator, or a purchasing unit
/// as its lead (in its own city).
#[utoipa::path(post, path = "/api/v1/pools", tag = "pools", request_body = PoolCreate,
    responses(
        (status = 201, description = "Opened", body = PoolOpened),
        (status = 403, description = "Neither the operator nor a buyer", body = ErrorBody),
        (status = 422, description = "Field errors", body = ErrorBody),
    ))]
async fn open_pool(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(body): Json<PoolCreate>,
) -> ApiResult<(StatusCode, Json<PoolOpened>)> {
    viewer.require(&[Role::Operator, Role::Buyer])?;
    let (city, lead) = if viewer.role == Role::Buyer {
        let unit = viewer.unit_id()?;
        let city = emall_store::units::city(&state.db, unit)
            .await?
            .ok_or(ApiError::NotFound)?;
        (Some(city), Some(unit))
    } else {
        let city = body.city.as_deref().unwrap_or_default();
        (RegionCode::parse_at(city, RegionLevel::City).ok(), None)
    };
    let mut fields = Fields::new();
    if city.is_none() {
        fields.add("city", Msg::ErrCity);
    }
    let title = text(&mut fields, "title", &body.title, 80);
    let delivery_terms = text(&mut fields, "delivery_terms", &body.delivery_terms, 200);
    let description: String = body.description.trim().chars().take(2000).collect();
    let now = clock::now();
    let opens_at = match body.opens_at.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Some(now),
        Some(s) => clock::parse_time(s),
    };
    let closes_at = clock::parse_time(&body.closes_at);
    let ceiling = Fen::parse_yuan(&body.ceiling_price);
    let ceiling_too_large = matches!(ceiling, Err(emall_domain::MoneyError::Overflow(_)));
    let ceiling = ceiling.ok();
    let mut err = |k: &str, m: Msg| fields.add(k, m);
    if opens_at.is_none() {
        err("opens_at", Msg::ErrDateTime);
    }
    match closes_at {
        None => err("closes_at", Msg::ErrDateTime),
        Some(c) if c <= now => err("closes_at", Msg::ErrClosesInPast),
        _ => {}
    }
    if ceiling_too_large {
        err("ceiling_price", Msg::ErrMoneyMax);
    } else if ceiling.is_none() {
        err("ceiling_price", Msg::InvalidPrice);
    }
    let terms = match (opens_at, closes_at, ceiling) {
        (Some(o), Some(c), Some(p)) if fields.is_empty() => {
            match PoolTerms::new(body.min_total_quantity, p, o, c, body.validity_days) {
                Ok(t) => Some(t),
                Err(e) => {
                    let (k, m) = match e {
                        PoolTermsError::MinimumTooSmall => ("min_total_quantity", Msg::ErrQuantity),
                        PoolTermsError::CeilingNotPositive => ("ceiling_price", Msg::InvalidPrice),
                        PoolTermsError::ClosesBeforeOpening => ("closes_at", Msg::ErrClosesInPast),
                        PoolTermsError::ValidityOutOfRange => {
                            ("validity_days", Msg::ErrValidityDays)
                        }
                    };
                    fields.add(k, m);
                    None
                }
            }
        }
        _ => None,
    };
    let (Some(terms), Some(city)) = (terms, city) else {
        return Err(ApiError::Invalid { fields });
    };
    let new = NewPool {
        product_id: body.product_id,
        city,
        title,
        description,
        delivery_terms,
        terms,
        lead_unit_id: lead,
    };
    match pools::open(&state.db, &viewer.user(), &new).await? {
        Opened::Opened(id) => Ok((StatusCode::CREATED, Json(PoolOpened { id }))),
        Opened::NoSuchProduct => Err(ApiError::field("product_id", Msg::ErrNoProduct)),
        Opened::NoSuchCity => Err(ApiError::field("city", Msg::ErrCity)),
    }
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BidPlaced {
    pub bid_id: i64,
}

/// A supplier serving the city bids volume tiers, or revises its bid, until the close.
#[utoipa::path(put, path = "/api/v1/pools/{id}/bid", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")), request_body = BidBody,
    responses(
        (status = 200, description = "Placed or revised", body = BidPlaced),
        (status = 409, description = "The pool is not open", body = ErrorBody),
        (status = 422, description = "Bad tiers, or no offer of the product in the city", body = ErrorBody),
    ))]
async fn place_bid(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<BidBody>,
) -> ApiResult<Json<BidPlaced>> {
    let bid_id = views::pools::bid(&state, &viewer, id, body.tiers).await?;
    Ok(Json(BidPlaced { bid_id }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Frozen {
    /// Money held on the budget line for the commitment (or released by a withdrawal).
    pub frozen: Fen,
}

/// A buyer commits the unit's quantity against a budget line, or changes it: quantity ×
/// ceiling is frozen until the close settles it.
#[utoipa::path(put, path = "/api/v1/pools/{id}/commitment", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")), request_body = CommitBody,
    responses(
        (status = 200, description = "Committed", body = Frozen),
        (status = 409, description = "The pool is not open", body = ErrorBody),
        (status = 422, description = "Wrong city, budget line, quantity, or not enough budget", body = ErrorBody),
    ))]
async fn commit_to_pool(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Json(body): Json<CommitBody>,
) -> ApiResult<Json<Frozen>> {
    let frozen = views::pools::commit(&state, &viewer, id, body).await?;
    Ok(Json(Frozen { frozen }))
}

/// The buyer withdraws the unit's commitment before the close; the money is released.
#[utoipa::path(delete, path = "/api/v1/pools/{id}/commitment", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")),
    responses(
        (status = 200, description = "Withdrawn", body = Frozen),
        (status = 404, description = "No commitment", body = ErrorBody),
        (status = 409, description = "The pool is not open", body = ErrorBody),
    ))]
async fn withdraw_from_pool(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<Frozen>> {
    let frozen = views::pools::withdraw(&state, &viewer, id).await?;
    Ok(Json(Frozen { frozen }))
}

/// The viewer's own part in a pool: a unit's commitment or a supplier's bid.
#[utoipa::path(get, path = "/api/v1/pools/{id}/mine", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")),
    responses((status = 200, description = "The viewer's part", body = MyPoolPart)))]
async fn my_pool_part(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<MyPoolPart>> {
    Ok(Json(views::pools::part(&state, &viewer, id).await?))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PoolClosed {
    /// `awarded` or `failed`
    pub state: String,
    pub orders: Vec<i64>,
}

/// Closes a pool now (the operator; the timer closes it at the deadline): settles it once,
/// whoever asks again gets 409.
#[utoipa::path(post, path = "/api/v1/pools/{id}/close", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")),
    responses(
        (status = 200, description = "Settled", body = PoolClosed),
        (status = 404, description = "No such pool", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    ))]
async fn close_pool(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<PoolClosed>> {
    Ok(Json(
        match views::pools::close(&state, &viewer, id).await? {
            Outcome::Awarded(orders) => PoolClosed {
                state: "awarded".into(),
                orders,
            },
            Outcome::Failed => PoolClosed {
                state: "failed".into(),
                orders: Vec::new(),
            },
        },
    ))
}

/// Every step of a pool, for the operator and the regulator.
#[utoipa::path(get, path = "/api/v1/pools/{id}/events", tag = "pools",
    params(("id" = i64, Path, description = "Pool id")),
    responses((status = 200, description = "The audit trail", body = [PoolEvent])))]
async fn pool_events(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<PoolEvent>>> {
    viewer.require(&[Role::Operator, Role::Regulator])?;
    Ok(Json(pools::events(&state.db, id).await?))
}
