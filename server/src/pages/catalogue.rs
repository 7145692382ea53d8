//! Public catalogue pages: search and category browsing, the price comparison of one
//! standard product, and a supplier's storefront. The same HTML for every visitor.

use super::{public, Lenient, PageUrl};
use crate::cache::{keys, SurrogateKeys, Tagged};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views::catalogue::{breadcrumb, city, product_page};
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use emall_app::model::{DidYouMean, ProductPage, SearchPage, SupplierPage};
use emall_app::Msg;
use emall_domain::registration::SupplierStatus;
use emall_store as store;
use serde::Deserialize;

pub async fn search(
    State(state): State<AppState>,
    url: PageUrl,
    RawQuery(raw): RawQuery,
) -> Response {
    let locale = url.locale;
    let loaded = async {
        let query =
            crate::search::parse_query(raw.as_deref().unwrap_or(""), &state.settings.default_city);
        let city = city(&state, Some(&query.city))?;
        let (request, error) = match crate::search::to_request(&query, &state.categories) {
            Ok(r) => (r, None),
            Err(_) => {
                let cleared = emall_app::model::SearchQuery {
                    min: String::new(),
                    max: String::new(),
                    ..query.clone()
                };
                let r = crate::search::to_request(&cleared, &state.categories)
                    .map_err(|_| ApiError::NotFound)?;
                (r, Some(locale.t(Msg::InvalidPrice).to_string()))
            }
        };
        let results = state.search.search(request.clone()).await?;
        let did_you_mean = if results.total == 0 && !query.q.trim().is_empty() {
            did_you_mean(&state, &query.q, request).await?
        } else {
            None
        };
        Ok(SearchPage {
            did_you_mean,
            breadcrumb: breadcrumb(&state, query.category.as_deref(), locale),
            results: crate::search::to_response(results, &state.categories, locale),
            query,
            city,
            page_size: crate::search::PAGE_SIZE,
            error,
        })
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |p, m| {
            m.title = if p.query.q.is_empty() {
                p.breadcrumb
                    .last()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_else(|| locale.t(Msg::SearchTitle).to_string())
            } else {
                p.query.q.clone()
            };
            m.city = Some(p.city.code.clone());
            m.query = p.query.q.clone();
        },
        emall_app::pages::search,
    )
}

/// 您要找的是不是, for a query that found nothing: the brand it misspells, else the
/// catalogue words it mistypes, when searching those (with the same filters) finds something.
async fn did_you_mean(
    state: &AppState,
    typed: &str,
    request: emall_search::SearchRequest,
) -> Result<Option<DidYouMean>, ApiError> {
    let brands = store::catalogue::brands(&state.db).await?;
    if let Some((name, latin)) = emall_search::suggest::brand(typed, &brands) {
        let shown = if name == latin {
            name.clone()
        } else {
            format!("{name} {latin}")
        };
        return Ok(Some(DidYouMean {
            query: latin.clone(),
            shown,
        }));
    }
    let Some(corrected) = state.search.correct(typed).await? else {
        return Ok(None);
    };
    let found = state
        .search
        .search(emall_search::SearchRequest {
            text: corrected.clone(),
            offset: 0,
            limit: 1,
            ..request
        })
        .await?;
    Ok((found.total > 0).then(|| DidYouMean {
        query: corrected.clone(),
        shown: corrected,
    }))
}

/// `?city=` of a public page.
#[derive(Deserialize, Default)]
pub struct CityParam {
    pub city: Option<String>,
    /// A supplier page's page of offers.
    pub page: Option<i64>,
}

pub async fn product(
    State(state): State<AppState>,
    url: PageUrl,
    Path(id): Path<i64>,
    Lenient { value: q, .. }: Lenient<CityParam>,
) -> Response {
    let loaded = async {
        let city = city(&state, q.city.as_deref())?;
        product_page(&state, id, city, url.locale).await
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |p, m| {
            m.title = p.product.title.clone();
            m.city = Some(p.city.code.clone());
        },
        emall_app::pages::product,
    )
}

/// A supplier page's offers per page.
const PAGE: i64 = 50;

pub async fn supplier(
    State(state): State<AppState>,
    url: PageUrl,
    Path(id): Path<i64>,
    Lenient { value: q, .. }: Lenient<CityParam>,
) -> Response {
    let loaded = async {
        let city = city(&state, q.city.as_deref())?;
        let profile = store::suppliers::public_profile(&state.db, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        // A supplier still in review has no public page; a suspended or revoked one shows
        // its credit record and no offers.
        if profile.status == SupplierStatus::Pending {
            return Err(ApiError::NotFound);
        }
        // Fifty offers a page; a page past the last shows the last.
        let wanted = q.page.unwrap_or(1).max(1);
        let find = |page: i64| {
            store::suppliers::city_offers(&state.db, id, &city.code, PAGE, (page - 1) * PAGE)
        };
        let (mut offers, offer_total) = if profile.status == SupplierStatus::Admitted {
            find(wanted).await?
        } else {
            (Vec::new(), 0)
        };
        let pages = ((offer_total + PAGE - 1) / PAGE).max(1);
        let page = wanted.min(pages);
        if page != wanted && offer_total > 0 {
            offers = find(page).await?.0;
        }
        let credit = store::credit::list(&state.db, id, true, emall_store::clock::now()).await?;
        Ok(SupplierPage {
            id,
            name: profile.name,
            size: profile.size,
            status: profile.status,
            score: profile.score,
            home_city: profile.home_city,
            cities: profile.cities,
            admitted_on: profile
                .admitted_at
                .map(|t| emall_store::clock::rfc3339(t)[..10].to_string()),
            city,
            offers,
            offer_total,
            page,
            pages,
            credit,
        })
    }
    .await;
    public(
        &state,
        &url,
        loaded,
        |p, m| {
            m.title = p.name.clone();
            m.city = Some(p.city.code.clone());
        },
        emall_app::pages::supplier,
    )
}

/// The categories of a breadcrumb.
fn category_keys(breadcrumb: &[(String, String)], keys: &mut SurrogateKeys) {
    for (code, _) in breadcrumb {
        keys.add(keys::category(code));
    }
}

impl Tagged for SearchPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::listings(&self.city.code));
        category_keys(&self.breadcrumb, keys);
        for hit in &self.results.hits {
            keys.add(keys::product(hit.product_id));
        }
    }
}

impl Tagged for ProductPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::product(self.product.id));
        category_keys(&self.breadcrumb, keys);
        for offer in &self.offers {
            keys.add(keys::offer(offer.offer_id))
                .add(keys::supplier(offer.supplier_id));
        }
        if let Some(cap) = &self.price_cap {
            keys.add(keys::pool(cap.pool_id));
        }
    }
}

impl Tagged for SupplierPage {
    fn surrogate_keys(&self, keys: &mut SurrogateKeys) {
        keys.add(keys::supplier(self.id))
            .add(keys::storefront(self.id));
    }
}
