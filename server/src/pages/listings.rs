//! The supplier's listings page and the operator's listing review queue.

use super::homes::{private, signed_in};
use super::PageUrl;
use crate::auth::Viewer;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use emall_app::model::{CategoryOption, CityOption, ListingQueuePage, ListingsPage};
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
        let supplier_id = viewer.supplier_id()?;
        let mut q = String::new();
        let mut status = String::new();
        let mut wanted = 1;
        for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match k.as_ref() {
                "q" => q = v.chars().take(100).collect(),
                "status" if STATUSES.contains(&v.as_ref()) => status = v.into_owned(),
                "page" => wanted = v.trim().parse::<i64>().unwrap_or(1).max(1),
                _ => {}
            }
        }
        let find = |page: i64| {
            store::suppliers::find_offers(
                &state.db,
                supplier_id,
                &q,
                &status,
                PAGE,
                (page - 1) * PAGE,
            )
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
                    name: format!("{code} {}", if url.locale == Locale::En { en } else { zh }),
                    code,
                })
                .collect(),
        })
    }
    .await;
    private(
        &state,
        &url,
        Msg::ListingsTitle,
        loaded,
        emall_app::pages::listings,
    )
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
