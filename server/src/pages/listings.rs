//! The supplier's listings page and the operator's listing review queue.

use super::homes::{private, signed_in};
use super::{notice, page_error, refusal, PageUrl};
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::views;
use crate::views::offers::Updated;
use axum::extract::{Form, Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use emall_app::model::Notice;
use emall_app::model::{
    AddOfferState, CategoryOption, CityOption, Edited, ListingQueuePage, ListingsPage, OfferCreate,
    OfferForm,
};
use emall_app::Locale;
use emall_app::Msg;
use emall_domain::Role;
use emall_store as store;
use http::HeaderMap;
use serde::Deserialize;

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
    let (mut looking, mut pick) = (String::new(), None);
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        match k.as_ref() {
            "find" => looking = v.trim().chars().take(100).collect(),
            "pick" => pick = v.trim().parse::<i64>().ok(),
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
    let found = match looking.is_empty() {
        true => None,
        false => Some(store::catalogue::find_products(&state.db, &looking, 20).await?),
    };
    let chosen = found.iter().flatten().find(|p| Some(p.id) == pick).cloned();
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
        new_token: None,
        token_error: None,
        add: AddOfferState {
            find: looking,
            found,
            chosen,
            typed: None,
            refused: None,
        },
        proposal_refused: None,
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

/// 新增挂牌 as its plain form sends it: the product chosen (and the search that found it),
/// the numbers as typed.
#[derive(Deserialize)]
pub struct NewOfferForm {
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    find: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    stock: String,
    #[serde(default)]
    delivery_days: String,
}

/// Lists a product from the listings page: back to the page saying it is on sale or held
/// for review, or the page again with the numbers as typed and why not.
pub async fn create_offer(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<NewOfferForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let Ok(product_id) = form.product_id.trim().parse::<i64>() else {
        return page_error(&state, &url, crate::error::ApiError::BadRequest);
    };
    let created = async {
        let supplier_id = viewer.supplier_id()?;
        let cities = store::suppliers::served_cities(&state.db, supplier_id).await?;
        // What does not read as a number is refused by the listing's own checks.
        let body = OfferCreate {
            product_id,
            price_fen: emall_domain::Fen::parse_yuan(&form.price).map_or(0, |f| f.get()),
            stock: form.stock.trim().parse().unwrap_or(-1),
            delivery_days: form.delivery_days.trim().parse().unwrap_or(0),
            cities: cities.into_iter().map(|(code, _)| code).collect(),
            unit: None,
        };
        views::offers::create(&state, &viewer, body).await
    }
    .await;
    let refused = match created.map_err(|e| refusal(e, locale, Msg::ErrConflict)) {
        Ok(created) => {
            let held = created.status == emall_domain::listing::OfferStatus::InReview;
            let said = locale.t(if held {
                Msg::OfferHeld
            } else {
                Msg::OfferCreated
            });
            let back = locale.href("/workbench/listings#add-heading");
            return notice::redirect(&state, &viewer, &back, &Notice::done(said));
        }
        Err(Ok(said)) => said,
        Err(Err(e)) => return page_error(&state, &url, e),
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("find", &form.find)
        .append_pair("pick", &product_id.to_string())
        .finish();
    let loaded = async {
        let mut page = load(&state, &viewer, &query, locale).await?;
        page.add.typed = Some((form.price, form.stock, form.delivery_days));
        page.add.refused = Some(refused);
        Ok(page)
    }
    .await;
    listings_page(&state, &url, loaded)
}

/// A product proposal as its plain form sends it.
#[derive(Deserialize)]
pub struct ProposalFields {
    #[serde(default)]
    category_code: String,
    #[serde(default)]
    brand: String,
    #[serde(default)]
    model: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    reference_price: String,
    #[serde(default)]
    reference_source: String,
}

/// A product proposal from the listings page: waiting for the operator (said on the
/// page), or, when the catalogue has the same brand and model, that product chosen in
/// 新增挂牌; refused, the page again with the fields as typed and each one's fault.
pub async fn propose(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<ProposalFields>,
) -> Response {
    use views::proposals::Proposing;
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let input = emall_domain::proposal::ProposalInput {
        category_code: form.category_code,
        brand: form.brand,
        model: form.model,
        title: form.title,
        unit: form.unit,
        reference_price: form.reference_price,
        reference_source: form.reference_source,
    };
    let faults = match views::proposals::propose(&state, &viewer, &input).await {
        Ok(Proposing::Pending(_)) => {
            let said = Notice::done(locale.t(Msg::ProposalPending));
            let back = locale.href("/workbench/listings#propose-heading");
            return notice::redirect(&state, &viewer, &back, &said);
        }
        Ok(Proposing::Exists(product)) => {
            let said = Notice::done(locale.t(Msg::ProposalExistsChosen));
            let find = emall_app::format::urlencode(input.model.trim());
            let back = locale.href(&format!(
                "/workbench/listings?find={find}&pick={product}#add-heading"
            ));
            return notice::redirect(&state, &viewer, &back, &said);
        }
        Err(crate::error::ApiError::Invalid { fields }) => fields.words(locale),
        Err(e) => return page_error(&state, &url, e),
    };
    let loaded = async {
        let mut page = load(&state, &viewer, "", locale).await?;
        page.proposal_refused = Some((input, faults));
        Ok(page)
    }
    .await;
    listings_page(&state, &url, loaded)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// A token from the listings page's plain form: the page again, the secret shown this once
/// (never carried in a redirect), or why not.
pub async fn create_token(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    Form(form): Form<TokenForm>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let locale = url.locale;
    let created = views::tokens::create(&state, &viewer, &form.name).await;
    let (new_token, token_error) = match created.map_err(|e| refusal(e, locale, Msg::ErrConflict)) {
        Ok(created) => (Some(created.token), None),
        Err(Ok(said)) => (None, Some(said)),
        Err(Err(e)) => return page_error(&state, &url, e),
    };
    let loaded = async {
        let mut page = load(&state, &viewer, "", locale).await?;
        page.new_token = new_token;
        page.token_error = token_error;
        Ok(page)
    }
    .await;
    listings_page(&state, &url, loaded)
}

/// Revokes a token from its plain form; the listings page says so.
pub async fn revoke_token(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let viewer = match signed_in(viewer, &[Role::Supplier]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let back = notice::back(
        &headers,
        url.locale.href("/workbench/listings#tokens-heading"),
    );
    let revoked = views::tokens::revoke(&state, &viewer, id).await;
    let said = revoked.map(|()| Msg::NoticeTokenRevoked);
    notice::outcome(&state, &url, &viewer, &back, said, Msg::ErrConflict)
}

/// The catalogue's products a proposal may be: its brand and model, else its brand.
async fn same_product(
    state: &AppState,
    brand: &str,
    model: &str,
) -> ApiResult<Vec<emall_app::model::ProductPick>> {
    let exact = store::catalogue::find_products(&state.db, &format!("{brand} {model}"), 5).await?;
    if !exact.is_empty() {
        return Ok(exact);
    }
    Ok(store::catalogue::find_products(&state.db, brand, 5).await?)
}

#[derive(Deserialize)]
pub struct ProposalForm {
    #[serde(default)]
    decision: String,
    /// The product to merge into (the button pressed).
    #[serde(default)]
    merge: String,
    #[serde(default)]
    note: String,
}

/// The operator's decision on a proposal, from the queue's plain form.
pub async fn decide_proposal(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ProposalForm>,
) -> Response {
    use emall_app::model::{ProposalDecision, ProposalVerdict};
    let viewer = match signed_in(viewer, &[Role::Operator]) {
        Ok(viewer) => viewer,
        Err(e) => return page_error(&state, &url, e),
    };
    let merge_into = form.merge.trim().parse::<i64>().ok();
    let (decision, said) = match (merge_into, form.decision.as_str()) {
        (Some(_), _) => (ProposalVerdict::Merge, Msg::NoticeProposalMerged),
        (None, "approve") => (ProposalVerdict::Approve, Msg::NoticeProposalApproved),
        (None, "reject") => (ProposalVerdict::Reject, Msg::NoticeProposalRejected),
        _ => return page_error(&state, &url, crate::error::ApiError::BadRequest),
    };
    let body = ProposalDecision {
        decision,
        product_id: merge_into,
        note: form.note,
    };
    let decided = views::proposals::decide(&state, &viewer, id, body).await;
    let back = notice::back(
        &headers,
        url.locale.href("/console/listings#proposals-heading"),
    );
    notice::outcome(
        &state,
        &url,
        &viewer,
        &back,
        decided.map(|_| said),
        Msg::NoLongerOpen,
    )
}

pub async fn queue(
    State(state): State<AppState>,
    url: PageUrl,
    viewer: Option<Viewer>,
) -> Response {
    let loaded = async {
        let viewer = signed_in(viewer, &[Role::Operator, Role::Regulator])?;
        let proposals = store::proposals::list(&state.db, Some("pending"), None).await?;
        let mut merge_candidates = Vec::with_capacity(proposals.len());
        for p in &proposals {
            merge_candidates.push((p.id, same_product(&state, &p.brand, &p.model).await?));
        }
        Ok(ListingQueuePage {
            can_decide: viewer.role == Role::Operator,
            csrf_token: viewer.csrf_token.clone(),
            me: viewer.me(),
            reviews: store::offer_reviews::list(&state.db, "open", None, 200).await?,
            proposals,
            merge_candidates,
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
