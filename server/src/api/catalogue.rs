use super::extract::Json;
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use emall_app::model::{CityOption, ProductPick};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(categories))
        .route("/cities", get(cities))
        .route("/regions", get(regions))
        .route("/catalogue/products", get(find_products))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct RegionQuery {
    /// A province's or city's code; without it, the provinces.
    pub parent: Option<String>,
}

/// GB/T 2260 administrative divisions: the provinces, or the children of one region.
#[utoipa::path(get, path = "/api/v1/regions", tag = "catalogue", params(RegionQuery),
    responses((status = 200, description = "Regions, by code", body = [CityOption])))]
async fn regions(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<RegionQuery>,
) -> ApiResult<Json<Vec<CityOption>>> {
    Ok(Json(
        emall_store::regions::children(&state.db, q.parent.as_deref()).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Category {
    /// Government procurement catalogue code (政府采购品目分类目录), e.g. `A02010104`.
    pub code: String,
    pub parent: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    /// `goods` or `services`.
    pub kind: String,
}

/// The procurement catalogue's categories, parents before children.
#[utoipa::path(get, path = "/api/v1/categories", tag = "catalogue",
    responses((status = 200, description = "Every category", body = [Category])))]
async fn categories(State(state): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    let rows = emall_store::catalogue::categories(&state.db).await?;
    Ok(Json(
        rows.into_iter()
            .map(|c| Category {
                code: c.code,
                parent: c.parent,
                name_zh: c.name_zh,
                name_en: c.name_en,
                kind: c.kind,
            })
            .collect(),
    ))
}

/// The cities the mall trades in (GB/T 2260 codes).
#[utoipa::path(get, path = "/api/v1/cities", tag = "catalogue",
    responses((status = 200, description = "Cities", body = [CityOption])))]
async fn cities(State(state): State<AppState>) -> ApiResult<Json<Vec<CityOption>>> {
    Ok(Json(emall_store::regions::mall_cities(&state.db).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct ProductLookup {
    /// Words that must all appear in the title, brand or model.
    pub q: String,
}

/// Standard products in the whole catalogue, sold anywhere or not yet at all (at most 20):
/// what a supplier looks through before listing or proposing a product.
#[utoipa::path(get, path = "/api/v1/catalogue/products", tag = "catalogue", params(ProductLookup),
    responses((status = 200, description = "Matching products, by title", body = [ProductPick])))]
async fn find_products(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<ProductLookup>,
) -> ApiResult<Json<Vec<ProductPick>>> {
    let q: String = q.q.chars().take(100).collect();
    Ok(Json(
        emall_store::catalogue::find_products(&state.db, &q, 20).await?,
    ))
}
