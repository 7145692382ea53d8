//! The catalogue as the pages show it and the API answers it: the city asked for, a
//! standard product with its category's name, and the price comparison of one product.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{CityOption, ProductPage};
use emall_app::Locale;
use emall_store as store;

const YEAR_SECS: i64 = 365 * 24 * 3600;

/// The city named in the URL, which must be one the mall trades in.
pub fn city(state: &AppState, code: Option<&str>) -> ApiResult<CityOption> {
    let code = code
        .filter(|c| !c.is_empty())
        .unwrap_or(&state.settings.default_city);
    state
        .renderer
        .cities()
        .iter()
        .find(|c| c.code == code)
        .cloned()
        .ok_or(ApiError::NotFound)
}

pub fn breadcrumb(state: &AppState, code: Option<&str>, locale: Locale) -> Vec<(String, String)> {
    code.and_then(|c| state.categories.get(c))
        .map(|c| {
            c.path
                .iter()
                .filter_map(|p| state.categories.get(p))
                .map(|p| (p.code.clone(), p.name(locale).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// A standard product with its category's name in `locale` (the page and the API).
pub async fn product_detail(
    state: &AppState,
    id: i64,
    locale: Locale,
) -> ApiResult<emall_app::model::ProductDetail> {
    let mut product = store::catalogue::product_detail(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    product.category_name = state
        .categories
        .get(&product.category_code)
        .map(|c| c.name(locale).to_string())
        .unwrap_or_default();
    Ok(product)
}

/// The comparison page's data.
pub async fn product_page(
    state: &AppState,
    id: i64,
    city: CityOption,
    locale: Locale,
) -> ApiResult<ProductPage> {
    let product = product_detail(state, id, locale).await?;
    let cap = store::pools::current_cap(&state.db, id, &city.code).await?;
    let offers =
        store::catalogue::city_offers(&state.db, id, &city.code, product.reference_price, cap)
            .await?;
    let history = store::catalogue::price_history(
        &state.db,
        id,
        &city.code,
        emall_store::clock::now() - YEAR_SECS,
    )
    .await?;
    Ok(ProductPage {
        breadcrumb: breadcrumb(state, Some(&product.category_code), locale),
        price_cap: match cap {
            Some(c) => Some(store::pools::cap_view(&state.db, c).await?),
            None => None,
        },
        product,
        city,
        offers,
        history,
    })
}
