//! 采购意向公开 in the browser: a unit publishes what it means to buy, and withdraws it.

use super::decision::{post, post_empty};
use crate::i18n::{Locale, Msg};
use crate::model::CategoryOption;
use emall_domain::intention::IntentionInput;
use leptos::prelude::*;

/// Publishes an intention of the signed-in buyer's unit; every field error is shown.
#[island]
pub fn IntentionForm(
    locale: Locale,
    categories: Vec<CategoryOption>,
    this_year: i64,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let year = RwSignal::new(this_year.to_string());
    let month = RwSignal::new("1".to_string());
    let title = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let budget = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |_| {
        let body = IntentionInput {
            year: year.get_untracked().parse::<i64>().unwrap_or(0),
            month: month.get_untracked().parse::<i64>().unwrap_or(0),
            title: title.get_untracked(),
            category_code: category.get_untracked(),
            budget: budget.get_untracked(),
            description: description.get_untracked(),
        };
        post(locale, "/api/v1/intentions".into(), body, error);
    };
    view! {
        <div class="stack intention-form">
            <label for="intention-title">{t(Msg::IntentionTitle)}</label>
            <input id="intention-title" on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="intention-category">{t(Msg::DashCategory)}</label>
            <select id="intention-category" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {categories.into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
            </select>
            <label for="intention-year">{t(Msg::Year)}</label>
            <select id="intention-year" on:change=move |ev| year.set(event_target_value(&ev))>
                <option value=this_year.to_string()>{this_year}</option>
                <option value=(this_year + 1).to_string()>{this_year + 1}</option>
            </select>
            <label for="intention-month">{t(Msg::Month)}</label>
            <select id="intention-month" on:change=move |ev| month.set(event_target_value(&ev))>
                {(1..=12).map(|m| view! { <option value=m.to_string()>{m}</option> }).collect_view()}
            </select>
            <label for="intention-budget">{t(Msg::Budget)}</label>
            <input id="intention-budget" inputmode="decimal" on:input=move |ev| budget.set(event_target_value(&ev))/>
            <label for="intention-description">{t(Msg::IntentionDescription)}</label>
            <textarea id="intention-description" rows="2" on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            <button type="button" class="primary" id="publish-intention" on:click=submit>{t(Msg::PublishIntention)}</button>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
        </div>
    }
}

/// Withdraws one of the unit's intentions.
#[island]
pub fn WithdrawIntention(locale: Locale, id: i64) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    view! {
        <button type="button" class="secondary"
            on:click=move |_| post_empty(locale, format!("/api/v1/intentions/{id}/withdraw"), error)>
            {t(Msg::Withdraw)}</button>
        {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
    }
}
