use crate::i18n::{Locale, Msg};
use crate::model::{AdmissionDecision, ReviewRequest};
use leptos::prelude::*;

/// The operator's decision on an application: admit, ask for changes or reject (the last
/// two with a reason the supplier reads).
#[island]
pub fn ReviewForm(locale: Locale, supplier_id: i64) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let decide = move |decision: AdmissionDecision| {
        let body = ReviewRequest {
            decision,
            reason: reason.get_untracked(),
        };
        let url = format!("/api/v1/suppliers/{supplier_id}/review");
        super::submit(locale, super::Method::Post, url, Some(body), Some(busy), move |e| {
            error.set(Some(e))
        });
    };
    view! {
        <div class="stack review-form">
            <label for="review-reason">{t(Msg::ReviewReasonLabel)}</label>
            <textarea id="review-reason" rows="3" maxlength="500" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="primary" id="decide-admit" disabled=move || busy.get() on:click=move |_| decide(AdmissionDecision::Admit)>{t(Msg::DecisionAdmit)}</button>
                <button type="button" class="secondary" id="decide-request_changes" disabled=move || busy.get() on:click=move |_| decide(AdmissionDecision::RequestChanges)>{t(Msg::DecisionRequestChanges)}</button>
                <button type="button" class="secondary" id="decide-reject" disabled=move || busy.get() on:click=move |_| decide(AdmissionDecision::Reject)>{t(Msg::DecisionReject)}</button>
            </div>
        </div>
    }
}
