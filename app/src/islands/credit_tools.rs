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
    csrf_token: String,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    // Without script every field shows and a tick confirms a heavy entry; with it the
    // days follow the kind and the confirmation is asked in place.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let kind = RwSignal::new("warning".to_string());
    let reason = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_string());
    let error = RwSignal::new(None::<String>);
    // Revoking (清退) or suspending a supplier is asked once more before it is sent.
    let confirming = RwSignal::new(false);
    let order_list = orders
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
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
        <form class="stack credit-form" method="post" action=locale.href(&format!("/suppliers/{supplier_id}/credit-entries"))>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            {alert_id.map(|a| view! { <input type="hidden" name="alert_id" value=a/> })}
            <input type="hidden" name="orders" value=order_list/>
            <label for="credit-kind">{t(Msg::CreditKindLabel)}</label>
            <select id="credit-kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                <option value="warning">{t(Msg::CreditWarning)}</option>
                <option value="suspension">{t(Msg::CreditSuspension)}</option>
                <option value="revocation">{t(Msg::CreditRevocation)}</option>
            </select>
            <label for="credit-days" hidden=move || hydrated.get() && kind.get() != "suspension">{t(Msg::SuspensionDays)}</label>
            <input id="credit-days" name="days" inputmode="numeric" value="30" hidden=move || hydrated.get() && kind.get() != "suspension"
                prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev))/>
            <label for="credit-reason">{t(Msg::ReviewReasonLabel)}</label>
            <textarea id="credit-reason" name="reason" rows="3" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            <label class="inline" hidden=move || hydrated.get()>
                <input type="checkbox" name="confirmed" value="1"/>{t(Msg::ConfirmHeavyCredit)}</label>
            <button type="submit" class="primary" id="record-credit" disabled=move || confirming.get()
                on:click=move |ev| {
                    ev.prevent_default();
                    if kind.get_untracked() == "warning" { submit() } else { confirming.set(true) }
                }>
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
        </form>
    }
}

/// The supplier appeals one entry in force.
#[island]
pub fn AppealForm(locale: Locale, entry_id: i64, csrf_token: String) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
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
        <form class="decision" method="post" action=locale.href(&format!("/credit-entries/{entry_id}/appeal"))>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            <input name="text" aria-label=t(Msg::AppealLabel) placeholder=t(Msg::AppealGrounds) on:input=move |ev| text.set(event_target_value(&ev))/>
            <button type="submit" class="secondary" on:click=submit>{t(Msg::Appeal)}</button>
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </form>
    }
}

/// Runs every red-flag rule now. Without script the button sends the page's
/// `#scan-form` (it sits inside the filter form, which cannot hold a form of its own).
#[island]
pub fn ScanButton(locale: Locale) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    view! {
        <button type="submit" form="scan-form" class="secondary" id="scan-alerts"
            on:click=move |ev| {
                ev.prevent_default();
                post_empty(locale, "/api/v1/alerts/scan".into(), error)
            }>{t(Msg::ScanNow)}</button>
        {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
    }
}
