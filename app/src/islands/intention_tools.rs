//! 采购意向公开 in the browser: a unit publishes what it means to buy, and withdraws it.

use super::decision::{post, post_empty};
use crate::i18n::{Locale, Msg};
use crate::model::CategoryOption;
use emall_domain::intention::IntentionInput;
use leptos::prelude::*;

/// Publishes an intention of the signed-in buyer's unit: a plain form (`sent` and `refused`:
/// the form as typed and why, when the server refused it), whose errors script shows in
/// place.
#[island]
pub fn IntentionForm(
    locale: Locale,
    categories: Vec<CategoryOption>,
    this_year: i64,
    csrf_token: String,
    sent: Option<IntentionInput>,
    refused: Vec<String>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let sent = sent.unwrap_or(IntentionInput {
        year: this_year,
        month: 1,
        ..IntentionInput::default()
    });
    let year = RwSignal::new(sent.year.to_string());
    let month = RwSignal::new(sent.month.to_string());
    let title = RwSignal::new(sent.title.clone());
    let category = RwSignal::new(sent.category_code.clone());
    let budget = RwSignal::new(sent.budget.clone());
    let description = RwSignal::new(sent.description.clone());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
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
        <form class="stack intention-form" method="post" action=locale.href("/buyer/intentions")>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            {(!refused.is_empty()).then(|| view! {
                <ul class="alert error" role="alert" id="intention-errors">
                    {refused.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                </ul>
            })}
            <label for="intention-title">{t(Msg::IntentionTitle)}</label>
            <input id="intention-title" name="title" value=sent.title.clone() on:input=move |ev| title.set(event_target_value(&ev))/>
            <label for="intention-category">{t(Msg::DashCategory)}</label>
            <select id="intention-category" name="category_code" on:change=move |ev| category.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {categories.into_iter().map(|c| {
                    let chosen = c.code == sent.category_code;
                    view! { <option value=c.code selected=chosen>{c.name}</option> }
                }).collect_view()}
            </select>
            <label for="intention-year">{t(Msg::Year)}</label>
            <select id="intention-year" name="year" on:change=move |ev| year.set(event_target_value(&ev))>
                {[this_year, this_year + 1].into_iter().map(|y| view! {
                    <option value=y.to_string() selected=y == sent.year>{y}</option>
                }).collect_view()}
            </select>
            <label for="intention-month">{t(Msg::Month)}</label>
            <select id="intention-month" name="month" on:change=move |ev| month.set(event_target_value(&ev))>
                {(1..=12).map(|m| view! { <option value=m.to_string() selected=m == sent.month>{m}</option> }).collect_view()}
            </select>
            <label for="intention-budget">{t(Msg::Budget)}</label>
            <input id="intention-budget" name="budget" inputmode="decimal" value=sent.budget.clone() on:input=move |ev| budget.set(event_target_value(&ev))/>
            <label for="intention-description">{t(Msg::IntentionDescription)}</label>
            <textarea id="intention-description" name="description" rows="2" on:input=move |ev| description.set(event_target_value(&ev))>{sent.description.clone()}</textarea>
            <button type="submit" class="primary" id="publish-intention" on:click=submit>{t(Msg::PublishIntention)}</button>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
        </form>
    }
}

/// Withdraws one of the unit's intentions (a plain form; script sends it in place).
#[island]
pub fn WithdrawIntention(locale: Locale, id: i64, csrf_token: String) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    view! {
        <form method="post" action=locale.href(&format!("/buyer/intentions/{id}/withdraw"))>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            <button type="submit" class="secondary"
                on:click=move |ev| {
                    ev.prevent_default();
                    post_empty(locale, format!("/api/v1/intentions/{id}/withdraw"), error)
                }>
                {t(Msg::Withdraw)}</button>
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </form>
    }
}
