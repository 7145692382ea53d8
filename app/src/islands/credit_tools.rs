//! 信用记录 in the browser: the regulator records an entry and scans for red flags; the
//! supplier appeals.

use super::decision::{post, post_empty};
use crate::i18n::{Locale, Msg};
use crate::model::{AppealBody, CreditEntryBody};
use emall_domain::credit::CreditKind;
use leptos::prelude::*;

/// The regulator records a warning, a suspension or a revocation, with its grounds.
#[island]
pub fn CreditForm(
    locale: Locale,
    supplier_id: i64,
    alert_id: Option<i64>,
    orders: Vec<i64>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let kind = RwSignal::new("warning".to_string());
    let reason = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_string());
    let error = RwSignal::new(None::<String>);
    // Revoking (清退) or suspending a supplier is asked once more before it is sent.
    let confirming = RwSignal::new(false);
    let orders = StoredValue::new(orders);
    let submit = move || {
        confirming.set(false);
        let body = CreditEntryBody {
            kind: CreditKind::parse(&kind.get_untracked()).unwrap_or(CreditKind::Warning),
            reason: reason.get_untracked(),
            days: days.get_untracked().trim().parse::<i64>().ok(),
            alert_id,
            orders: orders.get_value(),
        };
        post(
            locale,
            format!("/api/v1/suppliers/{supplier_id}/credit-entries"),
            body,
            error,
        );
    };
    view! {
        <div class="stack credit-form">
            <label for="credit-kind">{t(Msg::CreditKindLabel)}</label>
            <select id="credit-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="warning">{t(Msg::CreditWarning)}</option>
                <option value="suspension">{t(Msg::CreditSuspension)}</option>
                <option value="revocation">{t(Msg::CreditRevocation)}</option>
            </select>
            <label for="credit-days" hidden=move || kind.get() != "suspension">{t(Msg::SuspensionDays)}</label>
            <input id="credit-days" inputmode="numeric" hidden=move || kind.get() != "suspension"
                prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
            <label for="credit-reason">{t(Msg::ReviewReasonLabel)}</label>
            <textarea id="credit-reason" rows="3" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <button type="button" class="primary" id="record-credit" disabled=move || confirming.get()
                on:click=move |_| if kind.get_untracked() == "warning" { submit() } else { confirming.set(true) }>
                {t(Msg::RecordCredit)}</button>
            {move || confirming.get().then(|| {
                let heavy = if kind.get() == "revocation" { Msg::CreditRevocation } else { Msg::CreditSuspension };
                view! {
                    <div class="alert warning confirm-step" role="alertdialog" aria-labelledby="credit-confirm-question" id="credit-confirm">
                        <p id="credit-confirm-question">{locale.fill(Msg::ConfirmStep, &[("action", &t(heavy))])}" "{t(Msg::ConfirmIrreversible)}</p>
                        <div class="button-row">
                            <button type="button" class="primary" id="credit-confirm-yes" on:click=move |_| submit()>{t(heavy)}</button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{t(Msg::GoBack)}</button>
                        </div>
                    </div>
                }
            })}
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
        </div>
    }
}

/// The supplier appeals one entry in force.
#[island]
pub fn AppealForm(locale: Locale, entry_id: i64) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |_| {
        let body = AppealBody {
            text: text.get_untracked(),
        };
        post(
            locale,
            format!("/api/v1/credit-entries/{entry_id}/appeal"),
            body,
            error,
        );
    };
    view! {
        <div class="decision">
            <input aria-label=t(Msg::AppealLabel) placeholder=t(Msg::AppealGrounds) on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="button" class="secondary" on:click=submit>{t(Msg::Appeal)}</button>
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </div>
    }
}

/// Runs every red-flag rule now.
#[island]
pub fn ScanButton(locale: Locale) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    view! {
        <button type="button" class="secondary" id="scan-alerts"
            on:click=move |_| post_empty(locale, "/api/v1/alerts/scan".into(), error)>{t(Msg::ScanNow)}</button>
        {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
    }
}
