//! 新增标准商品: the supplier's proposal of a standard product, and the operator's
//! decision on it.

use crate::i18n::{Locale, Msg};
use crate::model::{
    CategoryOption, ProductPick, ProposalDecision as Decision, ProposalVerdict,
};
use emall_domain::proposal::ProposalInput;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// 新增标准商品: propose a product the catalogue lacks. The same brand and model already
/// there is answered at once with that product. A plain form (`refused`: the fields as
/// typed and each one's fault, when the server refused it), sent in place with script.
#[island]
pub fn ProposalForm(
    locale: Locale,
    categories: Vec<CategoryOption>,
    csrf_token: String,
    refused: Option<(ProposalInput, BTreeMap<String, String>)>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let (sent, faults) = refused.unwrap_or_default();
    let typed = [
        &sent.category_code,
        &sent.brand,
        &sent.model,
        &sent.title,
        &sent.unit,
        &sent.reference_price,
        &sent.reference_source,
    ]
    .map(|v| RwSignal::new(v.clone()));
    let [category, brand, model, title, unit, price, source] = typed;
    let errors = RwSignal::new(faults);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let submit = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let body = ProposalInput {
            category_code: category.get_untracked(),
            brand: brand.get_untracked(),
            model: model.get_untracked(),
            title: title.get_untracked(),
            unit: unit.get_untracked(),
            reference_price: price.get_untracked(),
            reference_source: source.get_untracked(),
        };
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            errors.set(BTreeMap::new());
            let url = "/api/v1/product-proposals";
            match super::api::send(super::api::Method::Post, url, &body, &[]).await {
                Ok(answer) if answer.status == 200 => {
                    let product = answer.json::<crate::model::ProposalOutcome>().and_then(|o| o.product_id);
                    let id = product.map(|p| p.to_string()).unwrap_or_default();
                    outcome.set(Some((true, format!("{}#{id}", locale.t(Msg::ProposalExists)))))
                }
                Ok(answer) if answer.is_ok() => {
                    outcome.set(Some((true, locale.t(Msg::ProposalPending).to_string())));
                    super::api::reload();
                }
                Ok(answer) => match answer
                    .json::<crate::model::ErrorBody>()
                    .and_then(|e| e.error.fields)
                {
                    Some(f) => errors.set(f),
                    None => outcome.set(Some((false, answer.error_message()))),
                },
                Err(_) => outcome.set(Some((false, locale.t(Msg::ErrInternal).to_string()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, errors, outcome);
    };
    let field = move |id: &'static str, label: Msg, value: RwSignal<String>| {
        view! {
            <label for=format!("proposal-{id}")>{t(label)}</label>
            <input id=format!("proposal-{id}") name=id type="text" value=value.get_untracked()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            {move || errors.with(|e| e.get(id).map(|m| view! { <span class="field-error">{m.clone()}</span> }))}
        }
    };
    view! {
        <form class="stack proposal-form" method="post" action=locale.href("/workbench/proposals")>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            <p class="subtle">{t(Msg::ProposeHelp)}</p>
            <label for="proposal-category_code">{t(Msg::CategoryLabel)}</label>
            <select id="proposal-category_code" name="category_code" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {categories.into_iter().map(|c| {
                    let chosen = c.code == sent.category_code;
                    view! { <option value=c.code selected=chosen>{c.name}</option> }
                }).collect_view()}
            </select>
            {move || errors.with(|e| e.get("category_code").map(|m| view! { <span class="field-error">{m.clone()}</span> }))}
            {field("brand", Msg::Brand, brand)}
            {field("model", Msg::Model, model)}
            {field("title", Msg::ProductTitle, title)}
            {field("unit", Msg::UnitOfSale, unit)}
            {field("reference_price", Msg::ReferencePrice, price)}
            {field("reference_source", Msg::ReferenceSource, source)}
            <button type="submit" class="secondary" id="submit-proposal" on:click=submit>{t(Msg::SubmitProposal)}</button>
            {move || outcome.get().map(|(ok, m)| view! { <p id="proposal-outcome" class=if ok { "alert success" } else { "alert error" }>{m}</p> })}
        </form>
    }
}

/// The operator decides a product proposal: a new standard product, the same as one
/// already in the catalogue (found by brand or model), or refused with a reason. A plain
/// form (`candidates`: the products of its brand the server found, each a button to merge
/// into); with script, other products can be looked up in place.
#[island]
pub fn ProposalDecision(
    locale: Locale,
    proposal_id: i64,
    brand: String,
    candidates: Vec<ProductPick>,
    csrf_token: String,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let note = RwSignal::new(String::new());
    let query = RwSignal::new(brand);
    let candidates = RwSignal::new(candidates);
    let error = RwSignal::new(None::<String>);
    let decide = move |ev: leptos::ev::MouseEvent, decision: ProposalVerdict, product_id: Option<i64>| {
        ev.prevent_default();
        let body = Decision {
            decision,
            product_id,
            note: note.get_untracked(),
        };
        let url = format!("/api/v1/product-proposals/{proposal_id}/decision");
        super::submit(locale, super::Method::Post, url, Some(body), None, move |e| {
            error.set(Some(e))
        });
    };
    let find = move |_| super::find_products(query.get_untracked(), candidates, None);
    view! {
        <form class="decision stack" method="post" action=locale.href(&format!("/console/proposals/{proposal_id}"))>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            {super::decision::default_blocker()}
            <input name="note" aria-label=t(Msg::ReviewReasonLabel) placeholder=t(Msg::ReviewReasonLabel) on:input=move |ev| note.set(event_target_value(&ev))/>
            <div class="button-row">
                <button type="submit" name="decision" value="approve" class="primary"
                    on:click=move |ev| decide(ev, ProposalVerdict::Approve, None)>{t(Msg::Approve)}</button>
                <button type="submit" name="decision" value="reject" class="secondary"
                    on:click=move |ev| decide(ev, ProposalVerdict::Reject, None)>{t(Msg::RejectButton)}</button>
            </div>
            <div class="button-row">
                <input type="search" aria-label=t(Msg::FindSameProduct) prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="button" class="secondary" on:click=find>{t(Msg::FindSameProduct)}</button>
            </div>
            <ul class="product-picks">
                {move || candidates.get().into_iter().map(|c| {
                    let id = c.id;
                    view! {
                        <li><button type="submit" name="merge" value=id class="link"
                            on:click=move |ev| decide(ev, ProposalVerdict::Merge, Some(id))>{t(Msg::MergeInto)}</button>" "
                            {c.title}<span class="subtle">" "{c.model}</span></li>
                    }
                }).collect_view()}
            </ul>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
        </form>
    }
}
