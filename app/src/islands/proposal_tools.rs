//! 新增标准商品: the supplier's proposal of a standard product, and the operator's
//! decision on it.

use crate::i18n::{Locale, Msg};
use crate::model::CategoryOption;
use leptos::prelude::*;

/// 新增标准商品: propose a product the catalogue lacks. The same brand and model already
/// there is answered at once with that product.
#[island]
pub fn ProposalForm(locale: Locale, categories: Vec<CategoryOption>) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let fields = [
        "category_code",
        "brand",
        "model",
        "title",
        "unit",
        "reference_price",
        "reference_source",
    ]
    .map(|_| RwSignal::new(String::new()));
    let [category, brand, model, title, unit, price, source] = fields;
    let errors = RwSignal::new(serde_json::Map::new());
    let outcome = RwSignal::new(None::<(bool, String)>);
    let submit = move |_| {
        let body = serde_json::json!({
            "category_code": category.get_untracked(), "brand": brand.get_untracked(),
            "model": model.get_untracked(), "title": title.get_untracked(), "unit": unit.get_untracked(),
            "reference_price": price.get_untracked(), "reference_source": source.get_untracked(),
        });
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            errors.set(serde_json::Map::new());
            match super::api::send_json("POST", "/api/v1/product-proposals", &body, &[]).await {
                Ok((200, r)) => outcome.set(Some((
                    true,
                    format!("{}#{}", locale.t(Msg::ProposalExists), r["product_id"]),
                ))),
                Ok((201, _)) => {
                    outcome.set(Some((true, locale.t(Msg::ProposalPending).to_string())));
                    super::api::reload();
                }
                Ok((_, b)) => match b["error"]["fields"].as_object() {
                    Some(f) => errors.set(f.clone()),
                    None => outcome.set(Some((false, super::api::error_message(&b)))),
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
            <input id=format!("proposal-{id}") type="text" on:input=move |ev| value.set(event_target_value(&ev))/>
            {move || errors.with(|e| e.get(id).and_then(|v| v.as_str()).map(|m| view! { <span class="field-error">{m.to_string()}</span> }))}
        }
    };
    view! {
        <div class="stack proposal-form">
            <p class="subtle">{t(Msg::ProposeHelp)}</p>
            <label for="proposal-category_code">{t(Msg::CategoryLabel)}</label>
            <select id="proposal-category_code" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {categories.into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
            </select>
            {move || errors.with(|e| e.get("category_code").and_then(|v| v.as_str()).map(|m| view! { <span class="field-error">{m.to_string()}</span> }))}
            {field("brand", Msg::Brand, brand)}
            {field("model", Msg::Model, model)}
            {field("title", Msg::ProductTitle, title)}
            {field("unit", Msg::UnitOfSale, unit)}
            {field("reference_price", Msg::ReferencePrice, price)}
            {field("reference_source", Msg::ReferenceSource, source)}
            <button type="button" class="secondary" id="submit-proposal" on:click=submit>{t(Msg::SubmitProposal)}</button>
            {move || outcome.get().map(|(ok, m)| view! { <p id="proposal-outcome" class=if ok { "alert success" } else { "alert error" }>{m}</p> })}
        </div>
    }
}

/// The operator decides a product proposal: a new standard product, the same as one
/// already in the catalogue (found by brand or model), or refused with a reason.
#[island]
pub fn ProposalDecision(locale: Locale, proposal_id: i64, brand: String) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let note = RwSignal::new(String::new());
    let query = RwSignal::new(brand);
    let candidates = RwSignal::new(Vec::<serde_json::Value>::new());
    let error = RwSignal::new(None::<String>);
    let decide = move |decision: &'static str, product_id: Option<i64>| {
        let body = serde_json::json!({ "decision": decision, "product_id": product_id, "note": note.get_untracked() });
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/product-proposals/{proposal_id}/decision");
            match super::api::send_json("POST", &url, &body, &[]).await {
                Ok((200, _)) => super::api::reload(),
                Ok((_, b)) => error.set(Some(super::api::error_message(&b))),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, proposal_id, error);
    };
    let find = move |_| super::find_products(query.get_untracked(), candidates, None);
    view! {
        <div class="decision stack">
            <input aria-label=t(Msg::ReviewReasonLabel) placeholder=t(Msg::ReviewReasonLabel) on:input=move |ev| note.set(event_target_value(&ev))/>
            <div class="button-row">
                <button type="button" class="primary" on:click=move |_| decide("approve", None)>{t(Msg::Approve)}</button>
                <button type="button" class="secondary" on:click=move |_| decide("reject", None)>{t(Msg::RejectButton)}</button>
            </div>
            <div class="button-row">
                <input type="search" aria-label=t(Msg::FindSameProduct) prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <button type="button" class="secondary" on:click=find>{t(Msg::FindSameProduct)}</button>
            </div>
            <ul class="product-picks">
                {move || candidates.get().into_iter().map(|c| {
                    let id = c["id"].as_i64();
                    view! {
                        <li><button type="button" class="link" on:click=move |_| decide("merge", id)>{t(Msg::MergeInto)}</button>" "
                            {c["title"].as_str().unwrap_or("").to_string()}<span class="subtle">" "{c["model"].as_str().unwrap_or("").to_string()}</span></li>
                    }
                }).collect_view()}
            </ul>
            {move || error.get().map(|e| view! { <p class="alert error">{e}</p> })}
        </div>
    }
}
