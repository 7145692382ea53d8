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
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            busy.set(true);
            let url = format!("/api/v1/suppliers/{supplier_id}/review");
            match super::api::send(super::api::Method::Post, &url, &body, &[]).await {
                Ok(answer) if answer.is_ok() => super::api::reload(),
                Ok(answer) => error.set(Some(answer.error_message())),
                Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
            busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, supplier_id);
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
