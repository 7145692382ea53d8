//! The supplier's listings page and the operator's listing review queue.

use super::homes::{private, signed_in};
use super::{page_error, refusal, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::views;
use crate::views::offers::Updated;
use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::{
    CategoryOption, CityOption, Edited, ListingQueuePage, ListingsPage, OfferForm,
};
use emall_app::Locale;
use emall_app::Msg;
use emall_domain::Role;
use emall_store as store;

const STATUSES: [&str; 5] = ["on_sale", "in_review", "off_sale", "suspended", "draft"];

/// Listings per page.
const PAGE: i64 = 50;

pub async fn listings(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    RawQuery(raw): RawQuery,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Supplier])?;
        load(&state, &viewer, raw.as_deref().unwrap_or(""), url.locale).await
    }
    .await;
    listings_page(&state, &url, loaded)
}

fn listings_page(state: &AppState, url: &PageUrl, loaded: ApiResult<ListingsPage>) -> Response {
    private(
        state,
        url,
        Msg::ListingsTitle,
        loaded,
        emall_app::pages::listings,
    )
}

/// The supplier's listings as `raw` (the page's query) narrows them; `edited` and `outcome`
/// (`saved`, `held`) say what became of a change just sent from an offer's plain form.
async fn load(
    state: &AppState,
    viewer: &Viewer,
    raw: &str,
    locale: Locale,
) -> ApiResult<ListingsPage> {
    let supplier_id = viewer.supplier_id()?;
    let mut q = String::new();
    let mut status = String::new();
    let mut wanted = 1;
    let (mut edited, mut outcome) = (None, None);
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "q" => q = v.chars().take(100).collect(),
            "status" if STATUSES.contains(&v.as_ref()) => status = v.into_owned(),
            "page" => wanted = v.trim().parse::<i64>().unwrap_or(1).max(1),
            "edited" => edited = v.trim().parse::<i64>().ok(),
            "outcome" if v == "saved" => outcome = Some(Msg::Saved),
            "outcome" if v == "held" => outcome = Some(Msg::PriceHeldNote),
            _ => {}
        }
    }
    let find = |page: i64| {
        store::suppliers::find_offers(&state.db, supplier_id, &q, &status, PAGE, (page - 1) * PAGE)
    };
    let (mut offers, total) = find(wanted).await?;
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    // A page past the last shows the last.
    let page = wanted.min(pages);
    if page != wanted {
        offers = find(page).await?.0;
    }
    let served = store::suppliers::served_cities(&state.db, supplier_id).await?;
    let leaves = store::catalogue::leaf_categories(&state.db).await?;
    Ok(ListingsPage {
        me: viewer.me(),
        csrf_token: viewer.csrf_token.clone(),
        edited: edited.zip(outcome).map(|(offer_id, said)| Edited {
            offer_id,
            ok: true,
            said: locale.t(said).to_string(),
        }),
        q,
        status,
        offers,
        total,
        page,
        pages,
        reviews: store::offer_reviews::list(&state.db, "open", Some(supplier_id), 100).await?,
        tokens: store::api_tokens::list(&state.db, supplier_id).await?,
        cities: served
            .into_iter()
            .map(|(code, name)| CityOption { code, name })
            .collect(),
        proposals: store::proposals::list(&state.db, None, Some(supplier_id)).await?,
        categories: leaves
            .into_iter()
            .map(|(code, zh, en)| CategoryOption {
                name: format!("{code} {}", if locale == Locale::En { en } else { zh }),
                code,
            })
            .collect(),
    })
}

/// A change to one offer from its plain form: the listings again, the offer's outcome said
/// beside it (a refusal in place, with the page as it was).
pub async fn update(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Path(offer_id): Path<i64>,
    RawQuery(raw): RawQuery,
    Form(form): Form<OfferForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let refused = match form.to_update() {
        Err(fault) => locale.t(fault).to_string(),
        Ok(body) => match views::offers::update(&state, &viewer, offer_id, body).await {
            Ok(updated) => {
                let outcome = match updated {
                    Updated::Live => "saved",
                    Updated::Held => "held",
                };
                // The page it was sent from (its query kept), the outcome said by the offer.
                let kept: String = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(
                        form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
                            .filter(|(k, _)| matches!(k.as_ref(), "q" | "status" | "page")),
                    )
                    .finish();
                let back = locale.href(&format!(
                    "/workbench/listings?{kept}&edited={offer_id}&outcome={outcome}#offer-{offer_id}"
                ));
                return Redirect::to(&back).into_response();
            }
            Err(e) => match refusal(e, locale, Msg::ErrConflict) {
                Ok(said) => said,
                Err(e) => return page_error(&state, &url, e),
            },
        },
    };
    let loaded = async {
        let mut page = load(&state, &viewer, raw.as_deref().unwrap_or(""), locale).await?;
        page.edited = Some(Edited {
            offer_id,
            ok: false,
            said: refused,
        });
        Ok(page)
    }
    .await;
    listings_page(&state, &url, loaded)
}

pub async fn queue(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        Ok(ListingQueuePage {
            can_decide: viewer.role == Role::Operator,
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            reviews: store::offer_reviews::list(&state.db, "open", None, 200).await?,
            proposals: store::proposals::list(&state.db, Some("pending"), None).await?,
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::ListingQueueTitle,
        loaded,
        emall_app::pages::listing_queue,
    )
}
