//! 信息公开: the public disclosure page, cacheable like the storefront.

use super::{public, Lenient, PageUrl};
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use emall_app::model::DisclosurePage;
use emall_app::Msg;
use emall_store as store;

#[derive(serde::Deserialize, Default)]
pub struct YearParam {
    year: Option<i64>,
}

pub async fn disclosure(
    State(state): State<AppState>,
    url: PageUrl,
    Lenient { value: q, .. }: Lenient<YearParam>,
) -> Response {
    let locale = url.locale;
    let loaded = async {
        let now = emall_store::clock::now();
        let year = q
            .year
            .filter(|y| (2000..=2100).contains(y))
            .unwrap_or_else(|| i64::from(emall_store::clock::year_of(now)));
        let threshold = state.settings.rules.disclosure();
        Ok::<_, ApiError>(DisclosurePage {
            threshold,
            results: store::disclosure::results(&state.db, threshold, 50, 0).await?,
            pools: store::pools::list(&state.db, None, false, 50).await?,
            credit: store::disclosure::credit_records(&state.db, now, 100).await?,
            year,
            intentions: store::disclosure::intentions(&state.db, year, None, false).await?,
        })
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |_, m| m.title = locale.t(Msg::DisclosureTitle).to_string(),
        emall_app::pages::disclosure,
    )
}

impl Tagged for DisclosurePage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::DISCLOSURE).add(keys::POOLS);
        for c in &self.credit {
            keys.add(keys::supplier(c.supplier_id));
        }
    }
}
