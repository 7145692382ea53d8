use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// The steps open to the viewer on an order page: one form per action (a rating and notes
/// to accept, a reason to reject, the invoice number to invoice), a complaint form for the
/// buyer, and answer forms for the supplier. A done step reloads the page.
#[island]
pub fn OrderActions(
    locale: Locale,
    order_id: i64,
    actions: Vec<String>,
    total: emall_domain::Fen,
    can_complain: bool,
    unanswered: Vec<i64>,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let rating = RwSignal::new(5i64);
    let invoice_no = RwSignal::new(String::new());
    let complaint = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let post = move |url: String, body: serde_json::Value| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            busy.set(true);
            error.set(None);
            match super::api::send_json("POST", &url, &body, &[]).await {
                Ok((200..=299, _)) => super::api::reload(),
                Ok((_, body)) => error.set(Some(super::api::error_message(&body))),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, body);
    };
    let step = move |action: String| {
        let body = serde_json::json!({
            "action": action,
            "note": note.get_untracked(),
            "rating": rating.get_untracked(),
            "invoice_no": invoice_no.get_untracked(),
            "invoice_amount": total.get(),
        });
        post(format!("/api/v1/orders/{order_id}/actions"), body);
    };
    let needs_note = actions.iter().any(|a| {
        matches!(
            a.as_str(),
            "reject_delivery" | "decline" | "cancel" | "accept"
        )
    });
    let accepting = actions.iter().any(|a| a == "accept");
    let invoicing = actions.iter().any(|a| a == "invoice");
    let nothing = actions.is_empty() && !can_complain && unanswered.is_empty();
    view! {
        <div class="order-actions">
            {nothing.then(|| view! { <p class="subtle">{t(Msg::NothingToDo)}</p> })}
            {accepting.then(|| view! {
                <label for="rating">{t(Msg::RatingLabel)}</label>
                <select id="rating" on:change=move |ev| rating.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5).rev().map(|r| view! { <option value=r.to_string() selected=r == 5>{crate::format::stars(r)}" "{r}</option> }).collect_view()}
                </select>
            })}
            {invoicing.then(|| view! {
                <label for="invoice-no">{t(Msg::InvoiceNo)}</label>
                <input id="invoice-no" type="text" maxlength="60" autocomplete="off"
                    on:input=move |ev| invoice_no.set(event_target_value(&ev))/>
                <p class="subtle">{t(Msg::InvoiceAmount)}" "{total.to_string()}</p>
            })}
            {needs_note.then(|| view! {
                <label for="step-note">{if actions.iter().any(|a| a == "reject_delivery") { t(Msg::InspectionNotes) } else { t(Msg::NoteOptional) }}</label>
                <textarea id="step-note" rows="2" maxlength="500" on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            })}
            <div class="button-row">
                {actions.iter().cloned().map(|a| {
                    let label = t(crate::format::action(&a));
                    let class = match a.as_str() {
                        "cancel" | "decline" | "reject_delivery" => "secondary",
                        _ => "primary",
                    };
                    let id = format!("do-{a}");
                    view! {
                        <button type="button" class=class id=id disabled=move || busy.get()
                            on:click=move |_| step(a.clone())>{label}</button>
                    }
                }).collect_view()}
            </div>
            {can_complain.then(|| view! {
                <details class="complaint-form">
                    <summary>{t(Msg::FileComplaint)}</summary>
                    <label for="complaint">{t(Msg::ComplaintLabel)}</label>
                    <textarea id="complaint" rows="3" maxlength="2000" on:input=move |ev| complaint.set(event_target_value(&ev))></textarea>
                    <button type="button" class="secondary" id="file-complaint" disabled=move || busy.get()
                        on:click=move |_| post(format!("/api/v1/orders/{order_id}/complaints"),
                            serde_json::json!({ "body": complaint.get_untracked() }))>{t(Msg::FileComplaint)}</button>
                </details>
            })}
            {unanswered.into_iter().map(|id| view! {
                <div class="answer-form">
                    <label for=format!("answer-{id}")>{t(Msg::AnswerLabel)}</label>
                    <textarea id=format!("answer-{id}") rows="3" maxlength="2000" on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                    <button type="button" class="primary" disabled=move || busy.get()
                        on:click=move |_| post(format!("/api/v1/complaints/{id}/answer"),
                            serde_json::json!({ "answer": answer.get_untracked() }))>{t(Msg::SubmitAnswer)}</button>
                </div>
            }).collect_view()}
            {move || error.get().map(|e| view! { <p class="alert error" role="alert" id="action-error">{e}</p> })}
        </div>
    }
}
