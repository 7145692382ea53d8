use crate::i18n::{Locale, Msg};
use crate::model::{AnswerRequest, ComplaintRequest, OrderAction};
use emall_domain::lifecycle::Action;
use leptos::prelude::*;
use serde::Serialize;

/// The steps open to the viewer on an order page: one form per action (a rating and notes
/// to accept, a reason to reject, the invoice number to invoice), a complaint form for the
/// buyer, and answer forms for the supplier. Each is a plain form the server takes without
/// script; with it, the island sends it and reloads the page when it is done.
#[island]
pub fn OrderActions(
    locale: Locale,
    order_id: i64,
    actions: Vec<Action>,
    total: emall_domain::Fen,
    can_complain: bool,
    unanswered: Vec<i64>,
    csrf_token: String,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let rating = RwSignal::new(5i64);
    let invoice_no = RwSignal::new(String::new());
    let carrier = RwSignal::new(String::new());
    let tracking_no = RwSignal::new(String::new());
    // An irreversible step asks once more before it is sent.
    let confirming = RwSignal::new(None::<Action>);
    let step = move |action: Action| {
        let body = OrderAction {
            action,
            note: note.get_untracked(),
            rating: Some(rating.get_untracked()),
            invoice_no: Some(invoice_no.get_untracked()),
            invoice_amount: Some(total.get()),
            carrier: Some(carrier.get_untracked()),
            tracking_no: Some(tracking_no.get_untracked()),
        };
        confirming.set(None);
        send(locale, busy, error, format!("/api/v1/orders/{order_id}/actions"), body);
    };
    // Cancelling, declining, refusing a delivery and paying cannot be taken back.
    let press = move |action: Action| {
        if action.irreversible() {
            confirming.set(Some(action))
        } else {
            step(action)
        }
    };
    let needs_note = actions.iter().any(|a| {
        matches!(
            a,
            Action::RejectDelivery | Action::Decline | Action::Cancel | Action::Accept
        )
    });
    let accepting = actions.contains(&Action::Accept);
    let invoicing = actions.contains(&Action::Invoice);
    let shipping = actions.contains(&Action::Ship);
    let nothing = actions.is_empty() && !can_complain && unanswered.is_empty();
    view! {
        <div class="order-actions">
            {nothing.then(|| view! { <p class="subtle">{t(Msg::NothingToDo)}</p> })}
            // Without script the form posts the step (an irreversible one is confirmed on
            // the page that answers); with it, each button sends its step here.
            <form method="post" action=locale.href(&format!("/orders/{order_id}/step")) class="step-form">
            <input type="hidden" name="csrf_token" value=csrf_token.clone()/>
            {accepting.then(|| view! {
                <label for="rating">{t(Msg::RatingLabel)}</label>
                <select id="rating" name="rating" on:change=move |ev| rating.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5).rev().map(|r| view! { <option value=r.to_string() selected=r == 5>{crate::format::stars(r)}" "{r}</option> }).collect_view()}
                </select>
            })}
            {invoicing.then(|| view! {
                <label for="invoice-no">{t(Msg::InvoiceNo)}</label>
                <input id="invoice-no" name="invoice_no" type="text" maxlength="60" autocomplete="off"
                    on:input=move |ev| invoice_no.set(event_target_value(&ev))/>
                <p class="subtle">{t(Msg::InvoiceAmount)}" "{total.to_string()}</p>
            })}
            {shipping.then(|| shipment_fields(locale, carrier, tracking_no))}
            {needs_note.then(|| view! {
                <label for="step-note">{if actions.contains(&Action::RejectDelivery) { t(Msg::InspectionNotes) } else { t(Msg::NoteOptional) }}</label>
                <textarea id="step-note" name="note" rows="2" maxlength="500" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            })}
            <div class="button-row">
                {actions.iter().copied().map(|a| {
                    let label = t(crate::format::action(a.as_str()));
                    let class = match a {
                        Action::Cancel | Action::Decline | Action::RejectDelivery => "secondary",
                        _ => "primary",
                    };
                    let id = format!("do-{}", a.as_str());
                    view! {
                        <button type="submit" name="action" value=a.as_str() class=class id=id
                            disabled=move || busy.get() || confirming.get().is_some()
                            on:click=move |ev| { ev.prevent_default(); press(a) }>{label}</button>
                    }
                }).collect_view()}
            </div>
            </form>
            {move || confirming.get().map(|a| confirm_step(locale, a, total, busy, confirming, step))}
            {complaint_forms(locale, order_id, &csrf_token, can_complain, unanswered, busy, error)}
            {move || error.get().map(|e| view! { <p class="alert error" role="alert" id="action-error">{e}</p> })}
        </div>
    }
}

/// The buyer's complaint form and the supplier's answer forms: plain forms the server
/// takes without script; with it, sent from here.
fn complaint_forms(
    locale: Locale,
    order_id: i64,
    csrf_token: &str,
    can_complain: bool,
    unanswered: Vec<i64>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let complaint = RwSignal::new(String::new());
    let csrf_token = csrf_token.to_string();
    view! {
        {can_complain.then(|| view! {
            <details class="complaint-form">
                <summary>{t(Msg::FileComplaint)}</summary>
                <form method="post" action=locale.href(&format!("/orders/{order_id}/complaints"))>
                    <input type="hidden" name="csrf_token" value=csrf_token.clone()/>
                    <label for="complaint">{t(Msg::ComplaintLabel)}</label>
                    <textarea id="complaint" name="body" rows="3" maxlength="2000" required
                        on:input=move |ev| complaint.set(event_target_value(&ev))></textarea>
                    <button type="submit" class="secondary" id="file-complaint" disabled=move || busy.get()
                        on:click=move |ev| { ev.prevent_default();
                            send(locale, busy, error, format!("/api/v1/orders/{order_id}/complaints"),
                                ComplaintRequest { body: complaint.get_untracked() }) }>{t(Msg::FileComplaint)}</button>
                </form>
            </details>
        })}
        {unanswered.into_iter().map(|id| {
            let answer = RwSignal::new(String::new());
            view! {
            <form class="answer-form" method="post"
                action=locale.href(&format!("/orders/{order_id}/complaints/{id}/answer"))>
                <input type="hidden" name="csrf_token" value=csrf_token.clone()/>
                <label for=format!("answer-{id}")>{t(Msg::AnswerLabel)}</label>
                <textarea id=format!("answer-{id}") name="answer" rows="3" maxlength="2000" required
                    on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                <button type="submit" class="primary" disabled=move || busy.get()
                    on:click=move |ev| { ev.prevent_default();
                        send(locale, busy, error, format!("/api/v1/complaints/{id}/answer"),
                            AnswerRequest { answer: answer.get_untracked() }) }>{t(Msg::SubmitAnswer)}</button>
            </form>
            }
        }).collect_view()}
    }
}

/// The shipment's carrier (common couriers offered) and tracking number.
fn shipment_fields(
    locale: Locale,
    carrier: RwSignal<String>,
    tracking_no: RwSignal<String>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <label for="carrier">{t(Msg::Carrier)}</label>
        <input id="carrier" name="carrier" type="text" maxlength="40" list="carriers" placeholder=t(Msg::CarrierHint)
            on:input=move |ev| carrier.set(event_target_value(&ev))/>
        <datalist id="carriers">
            {["顺丰速运", "京东物流", "中国邮政 EMS", "德邦快递", "中通快递", "圆通速递"].into_iter()
                .map(|c| view! { <option value=c></option> }).collect_view()}
            <option value=t(Msg::OwnDelivery)></option>
        </datalist>
        <label for="tracking-no">{t(Msg::TrackingNo)}</label>
        <input id="tracking-no" name="tracking_no" type="text" maxlength="40" autocomplete="off" inputmode="latin"
            on:input=move |ev| tracking_no.set(event_target_value(&ev))/>
    }
}

/// An irreversible step asked once more (paying with its amount): do it, or go back.
fn confirm_step(
    locale: Locale,
    a: Action,
    total: emall_domain::Fen,
    busy: RwSignal<bool>,
    confirming: RwSignal<Option<Action>>,
    step: impl Fn(Action) + Copy + 'static,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let action = t(crate::format::action(a.as_str()));
    let question = confirm_question(locale, a, total);
    view! {
        <div class="alert warning confirm-step" role="alertdialog" aria-labelledby="confirm-question" id="confirm-step">
            <p id="confirm-question">{question}</p>
            <div class="button-row">
                <button type="button" class="primary" id="confirm-yes" disabled=move || busy.get()
                    on:click=move |_| step(a)>{action}</button>
                <button type="button" class="secondary" id="confirm-no"
                    on:click=move |_| confirming.set(None)>{t(Msg::GoBack)}</button>
            </div>
        </div>
    }
}

/// Posts one step, complaint or answer; reloads the order when it is done.
fn send<B: Serialize + 'static>(
    locale: Locale,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    url: String,
    body: B,
) {
    error.set(None);
    super::submit(locale, super::Method::Post, url, Some(body), Some(busy), move |e| {
        error.set(Some(e))
    });
}

/// What an irreversible step asks before it is taken (paying names the amount).
pub fn confirm_question(locale: Locale, a: Action, total: emall_domain::Fen) -> String {
    let action = locale.t(crate::format::action(a.as_str()));
    if a == Action::Pay {
        locale.fill(Msg::ConfirmStepAmount, &[("action", &action), ("amount", &total)])
    } else {
        let asked = locale.fill(Msg::ConfirmStep, &[("action", &action)]);
        format!("{asked} {}", locale.t(Msg::ConfirmIrreversible))
    }
}
