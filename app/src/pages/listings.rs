use super::page_heading;
use crate::i18n::{Locale, Msg};
use crate::islands::{
    AddOffer, Choice, ImportPanel, NoteDecision, PriceEditor, ProposalDecision, ProposalForm,
    TokenPanel,
};
use crate::model::{
    ListingQueuePage, ListingReview, ListingsPage, OfferReviewDecision, ProductPick, ProposalView,
    Verdict,
};
use emall_domain::listing::Flag;
use leptos::prelude::*;

fn offer_status(status: &str) -> Msg {
    match status {
        "on_sale" => Msg::OfferStatusOnSale,
        "off_sale" => Msg::OfferStatusOffSale,
        "in_review" => Msg::OfferStatusInReview,
        "suspended" => Msg::OfferStatusSuspended,
        _ => Msg::OfferStatusDraft,
    }
}

fn flag_text(locale: Locale, flag: &Flag) -> &'static str {
    locale.t(match flag {
        Flag::AboveReference { .. } => Msg::FlagAboveReference,
        Flag::UnitMismatch { .. } => Msg::FlagUnitMismatch,
        Flag::ImplausiblePrice { .. } => Msg::FlagImplausiblePrice,
    })
}

/// The held-back listings, with the evidence (shared by the supplier's and the operator's
/// pages; the operator's has the decision buttons).
/// The listings held for review; `decide` is the CSRF token of the operator's decision forms.
fn reviews_table(locale: Locale, reviews: Vec<ListingReview>, decide: Option<&str>) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if reviews.is_empty() {
        return view! { <p class="empty">{t(Msg::NoReviews)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id="listing-reviews">
            <thead><tr>
                <th scope="col">{t(Msg::Product)}</th>
                <th scope="col">{t(Msg::Supplier)}</th>
                <th scope="col">{t(Msg::Status)}</th>
                <th scope="col" class="num">{t(Msg::CurrentPrice)}</th>
                <th scope="col" class="num">{t(Msg::ProposedPrice)}</th>
                <th scope="col" class="num">{t(Msg::ReferencePrice)}</th>
                <th scope="col">{t(Msg::ReviewReasonLabel)}</th>
                {decide.is_some().then(|| view! { <th scope="col"></th> })}
            </tr></thead>
            <tbody>
                {reviews.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=locale.href(&format!("/product/{}", r.product_id))>{r.product_title.clone()}</a>" / "{r.product_unit.clone()}</td>
                        <td>{r.supplier_name.clone()}</td>
                        <td>{if r.kind == "new_offer" { t(Msg::ReviewKindNew) } else { t(Msg::ReviewKindPrice) }}</td>
                        <td class="num">{r.current_price.to_string()}</td>
                        <td class="num strong">{r.proposed_price.to_string()}</td>
                        <td class="num">{r.reference_price.to_string()}</td>
                        <td>
                            <ul class="flags">{r.flags.iter().map(|f| view! { <li>{flag_text(locale, f)}</li> }).collect_view()}</ul>
                            {(!r.reason.is_empty()).then(|| view! { <p class="subtle">{r.reason.clone()}</p> })}
                        </td>
                        {decide.map(|csrf_token| view! { <td><NoteDecision locale=locale subject=r.id csrf_token=csrf_token.to_string()
                            note_label=t(Msg::ReviewReasonLabel).to_string() id=None
                            choices=vec![Choice::new(Verdict::Listing(OfferReviewDecision::Approve), t(Msg::Approve)),
                                         Choice::new(Verdict::Listing(OfferReviewDecision::Reject), t(Msg::RejectButton))]/></td> })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

fn proposal_state(state: &str) -> Msg {
    match state {
        "approved" => Msg::ProposalApprovedState,
        "merged" => Msg::ProposalMergedState,
        "rejected" => Msg::ProposalRejectedState,
        _ => Msg::ProposalPendingState,
    }
}

/// Product proposals: the supplier's own (with what became of them), or the operator's
/// queue (with the decision).
/// Product proposals; `decide` (the operator's): the session's CSRF token and, per
/// proposal, the products it may be merged into.
fn proposals_table(
    locale: Locale,
    proposals: Vec<ProposalView>,
    decide: Option<(&str, &[(i64, Vec<ProductPick>)])>,
) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    if proposals.is_empty() {
        return view! { <p class="empty">{t(Msg::NoProposals)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id=if decide.is_some() { "proposal-queue" } else { "my-proposals" }>
            <thead><tr>
                <th scope="col">{t(Msg::ProductTitle)}</th>
                <th scope="col">{t(Msg::Brand)}" / "{t(Msg::Model)}</th>
                {decide.is_some().then(|| view! { <th scope="col">{t(Msg::Supplier)}</th> })}
                <th scope="col" class="num">{t(Msg::ReferencePrice)}</th>
                <th scope="col">{t(Msg::Status)}</th>
                {decide.is_some().then(|| view! { <th scope="col"></th> })}
            </tr></thead>
            <tbody>
                {proposals.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.title.clone()}<span class="subtle">" "{p.category_code.clone()}" · "{p.unit.clone()}</span></td>
                        <td>{p.brand.clone()}" / "{p.model.clone()}</td>
                        {decide.is_some().then(|| view! { <td>{p.supplier_name.clone()}</td> })}
                        <td class="num">{p.reference_price.to_string()}<span class="subtle">" "{p.reference_source.clone()}</span></td>
                        <td><span class=format!("status status-proposal-{}", p.state)>{t(proposal_state(&p.state))}</span>
                            {p.product_id.map(|id| view! { " "<a href=locale.href(&format!("/product/{id}"))>"#"{id}</a> })}
                            {(!p.note.is_empty()).then(|| view! { <p class="subtle">{p.note.clone()}</p> })}</td>
                        {decide.map(|(token, merge)| {
                            let candidates = merge.iter().find(|(id, _)| *id == p.id).map(|(_, c)| c.clone()).unwrap_or_default();
                            view! { <td><ProposalDecision locale=locale proposal_id=p.id brand=p.brand.clone()
                                candidates=candidates csrf_token=token.to_string()/></td> }
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// 商品管理: the supplier's listings with search and filter, inline edits, import and
/// export, new offers, what waits for review, and API tokens.
pub fn listings(locale: Locale, page: ListingsPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let statuses = ["on_sale", "in_review", "off_sale", "suspended"];
    // The query of page `p` of these listings; an offer's form comes back to its page.
    let query = {
        let (q, status) = (crate::format::urlencode(&page.q), page.status.clone());
        move |p: i64| format!("q={q}&status={status}&page={p}")
    };
    let shown = query(page.page);
    let csrf_token = page.csrf_token.clone();
    let edited = page.edited.clone();
    let refused = edited.clone().filter(|e| !e.ok);
    let pages = (page.pages > 1).then(|| {
        super::pager(locale, page.page, page.pages, move |p| {
            locale.href(&format!("/workbench/listings?{}", query(p)))
        })
    });
    view! {
        {page_heading(t(Msg::ListingsTitle), page.me.org_label(locale))}
        <section class="panel" aria-labelledby="listings-heading">
            <div class="panel-head">
                <h2 id="listings-heading">{t(Msg::MyOffers)}" · "{page.total}" "{t(Msg::ListingsCount)}</h2>
                <span>
                    <a class="button secondary" href="/api/v1/offers/export" download="">{t(Msg::ExportCsv)}</a>" "
                    <a class="button secondary" href="/api/v1/offers/export?format=xlsx" download="">{t(Msg::ExportXlsx)}</a>
                </span>
            </div>
            <form method="get" class="filter-bar" action=locale.href("/workbench/listings")>
                <input type="search" name="q" aria-label=t(Msg::SearchMyListings) placeholder=t(Msg::SearchMyListings) value=page.q.clone()/>
                <select name="status" aria-label=t(Msg::Status)>
                    <option value="">{t(Msg::AllStatuses)}</option>
                    {statuses.into_iter().map(|s| view! { <option value=s selected=page.status == s>{t(offer_status(s))}</option> }).collect_view()}
                </select>
                <button type="submit" class="secondary">{t(Msg::Filter)}</button>
            </form>
            {refused.map(|e| view! { <p class="alert error" role="alert" id="edit-error">
                <a href=format!("#offer-{}", e.offer_id)>{t(Msg::NotSaved)}</a>" "{e.said}</p> })}
            <div class="table-scroll" tabindex="0"><table class="data" id="my-listings">
                <thead><tr>
                    <th scope="col">{t(Msg::Product)}</th>
                    <th scope="col">{t(Msg::Status)}</th>
                    <th scope="col">{t(Msg::Price)}" · "{t(Msg::Stock)}" · "{t(Msg::DeliveryDays)}</th>
                    <th scope="col">{t(Msg::City)}</th>
                </tr></thead>
                <tbody>
                    {page.offers.into_iter().map(|o| view! {
                        <tr>
                            <td><a href=locale.href(&format!("/product/{}", o.product_id))>{o.product_title}</a></td>
                            <td><span class=format!("status status-{}", o.status)>{t(offer_status(&o.status))}</span></td>
                            <td><PriceEditor locale=locale offer_id=o.id price=o.price stock=o.stock
                                delivery_days=o.delivery_days status=o.status.clone() csrf_token=csrf_token.clone()
                                action=locale.href(&format!("/workbench/listings/{}?{shown}", o.id))
                                said=edited.as_ref().filter(|e| e.offer_id == o.id).map(|e| (e.ok, e.said.clone()))/></td>
                            <td>{o.cities.join("、")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            {pages}
        </section>
        <div class="grid-2">
            <section class="panel" aria-labelledby="import-heading">
                <h2 id="import-heading">{t(Msg::ImportHeading)}</h2>
                <ImportPanel locale=locale/>
            </section>
            <section class="panel" aria-labelledby="add-heading">
                <h2 id="add-heading">{t(Msg::AddOfferHeading)}</h2>
                <AddOffer locale=locale cities=page.cities csrf_token=page.csrf_token.clone() state=page.add/>
            </section>
        </div>
        <div class="grid-2">
            <section class="panel" aria-labelledby="propose-heading">
                <h2 id="propose-heading">{t(Msg::ProposeHeading)}</h2>
                <ProposalForm locale=locale categories=page.categories csrf_token=page.csrf_token.clone()
                    refused=page.proposal_refused/>
            </section>
            <section class="panel" aria-labelledby="my-proposals-heading">
                <h2 id="my-proposals-heading">{t(Msg::MyProposals)}</h2>
                {proposals_table(locale, page.proposals, None)}
            </section>
        </div>
        <section class="panel" aria-labelledby="held-heading">
            <h2 id="held-heading">{t(Msg::AwaitingReview)}</h2>
            {reviews_table(locale, page.reviews, None)}
        </section>
        <section class="panel" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">{t(Msg::TokensHeading)}</h2>
            <TokenPanel locale=locale tokens=page.tokens csrf_token=page.csrf_token.clone()
                new_token=page.new_token token_error=page.token_error/>
        </section>
    }
    .into_any()
}

/// The operator's listing review queue.
pub fn listing_queue(locale: Locale, page: ListingQueuePage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        {page_heading(t(Msg::ListingQueueTitle), page.me.org_label(locale))}
        <section class="panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{t(Msg::AwaitingReview)}</h2>
            {reviews_table(locale, page.reviews, page.can_decide.then_some(page.csrf_token.as_str()))}
        </section>
        <section class="panel" aria-labelledby="proposals-heading">
            <h2 id="proposals-heading">{t(Msg::ProposalsHeading)}</h2>
            {proposals_table(locale, page.proposals, page.can_decide.then_some((page.csrf_token.as_str(), page.merge_candidates.as_slice())))}
        </section>
    }
    .into_any()
}
