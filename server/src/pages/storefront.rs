use super::{public, Lenient, PageUrl};
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use emall_app::model::{CityOption, StorefrontPage};
use emall_app::Msg;
use emall_store as store;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct CityQuery {
    city: Option<String>,
}

/// The public storefront of a city (`/?city=310100`): the same HTML for every visitor.
pub async fn home(
    State(state): State<AppState>,
    url: PageUrl,
    Lenient { value: q, .. }: Lenient<CityQuery>,
) -> Response {
    let loaded = load(&state, &url, q.city).await;
    public(
        &state,
        &url,
        loaded,
        |p, m| m.city = Some(p.city.code.clone()),
        emall_app::pages::storefront,
    )
}

impl Tagged for StorefrontPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::listings(&self.city.code));
        for p in &self.featured {
            keys.add(keys::product(p.id));
        }
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
