use super::{html, page_error, Caching, PageUrl};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use emall_app::model::{CityOption, StorefrontPage};
use emall_app::Msg;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CityQuery {
    city: Option<String>,
}

/// The public storefront of a city (`/?city=310100`): the same HTML for every visitor.
pub async fn home(
    State(state): State<AppState>,
    url: PageUrl,
    Query(q): Query<CityQuery>,
) -> Response {
    match load(&state, &url, q.city).await {
        Ok(page) => {
            let locale = url.locale;
            let mut meta = url.meta(String::new());
            meta.city = Some(page.city.code.clone());
            let body = state
                .renderer
                .render(meta, || emall_app::pages::storefront(locale, page));
            html(StatusCode::OK, Caching::Public, body)
        }
        Err(e) => page_error(&state, &url, e),
    }
}

async fn load(state: &AppState, url: &PageUrl, city: Option<String>) -> ApiResult<StorefrontPage> {
    let code = city.unwrap_or_else(|| state.settings.default_city.clone());
    let city = state
        .renderer
        .cities()
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .or_else(|| state.renderer.cities().first().cloned())
        .unwrap_or(CityOption {
            code: code.clone(),
            name: url.locale.t(Msg::City).to_string(),
        });
    if city.code != code && !state.renderer.cities().is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(StorefrontPage {
        stats: store::stats::mall(&state.db).await?,
        categories: store::catalogue::category_tree(&state.db, url.locale).await?,
        featured: store::catalogue::popular_products(&state.db, &city.code, url.locale, 12).await?,
        city,
    })
}
