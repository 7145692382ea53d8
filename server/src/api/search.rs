use super::extract::Json;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::extract::{Path, Query, RawQuery, State};
use axum::routing::get;
use axum::Router;
use emall_app::model::{CityOffer, ProductDetail, SearchResponse};
use emall_app::Msg;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/products/{id}", get(get_product))
        .route("/products/{id}/offers", get(product_offers))
}

/// Search parameters (repeat `brand`, `size`, `tag`, `spec` to choose several).
#[allow(dead_code)]
#[derive(utoipa::IntoParams)]
struct SearchParams {
    /// What the buyer typed; empty to browse.
    q: Option<String>,
    /// City code (GB/T 2260), e.g. `310100`; default the mall's home city.
    city: Option<String>,
    /// Category code; includes its sub-categories.
    category: Option<String>,
    brand: Option<Vec<String>>,
    /// `large`, `medium`, `small`, `micro`
    size: Option<Vec<String>>,
    /// `energy_saving`, `environmental`, `poverty_area`, `sme_made`
    tag: Option<Vec<String>>,
    /// A spec value as `name:value`, e.g. `克重:70g/㎡`; values of one spec are
    /// alternatives, specs all apply.
    spec: Option<Vec<String>>,
    /// Lowest price in yuan, e.g. `12.50`.
    min: Option<String>,
    max: Option<String>,
    /// `1`: only products in stock.
    stock: Option<String>,
    /// `relevance` (default), `price_asc`, `price_desc`, `delivery`, `score`
    sort: Option<String>,
    /// 1-based; 20 results a page.
    page: Option<u32>,
}

/// Standard products matching a query in a city, grouped by product: lowest price, number
/// of offers and spread, with facet counts. Public.
#[utoipa::path(get, path = "/api/v1/search", tag = "catalogue", params(SearchParams),
    responses(
        (status = 200, description = "Results", body = SearchResponse),
        (status = 404, description = "Unknown city", body = ErrorBody),
        (status = 422, description = "Bad price bound", body = ErrorBody),
    ))]
async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<SearchResponse>> {
    let locale = crate::error::request_locale();
    let query =
        crate::search::parse_query(raw.as_deref().unwrap_or(""), &state.settings.default_city);
    crate::views::catalogue::city(&state, Some(&query.city))?;
    let request = crate::search::to_request(&query, &state.categories).map_err(|_| {
        ApiError::field(
            if query.min.is_empty() { "max" } else { "min" },
            Msg::InvalidPrice,
        )
    })?;
    let results = state.search.search(request).await?;
    Ok(Json(crate::search::to_response(
        results,
        &state.categories,
        locale,
    )))
}

/// One standard product.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue",
    params(("id" = i64, Path, description = "Standard product id")),
    responses(
        (status = 200, description = "The product", body = ProductDetail),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
async fn get_product(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<ProductDetail>> {
    let locale = crate::error::request_locale();
    Ok(Json(
        crate::views::catalogue::product_detail(&state, id, locale).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct CityParam {
    /// City code; default the mall's home city.
    city: Option<String>,
}

/// Every live offer for a product in a city, lowest price first (全网比价).
#[utoipa::path(get, path = "/api/v1/products/{id}/offers", tag = "catalogue",
    params(("id" = i64, Path, description = "Standard product id"), CityParam),
    responses(
        (status = 200, description = "Offers", body = [CityOffer]),
        (status = 404, description = "No such product or city", body = ErrorBody),
    ))]
async fn product_offers(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<CityParam>,
) -> ApiResult<Json<Vec<CityOffer>>> {
    let city = crate::views::catalogue::city(&state, q.city.as_deref())?;
    let product = emall_store::catalogue::product_detail(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(
        emall_store::catalogue::city_offers(
            &state.db,
            id,
            &city.code,
            product.reference_price,
            emall_store::pools::current_cap(&state.db, id, &city.code).await?,
        )
        .await?,
    ))
}
