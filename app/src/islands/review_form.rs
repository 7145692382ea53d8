use super::decision::{default_blocker, form_action, send};
use crate::i18n::{Locale, Msg};
use crate::model::{AdmissionDecision, Verdict};
use leptos::prelude::*;

/// The operator's decision on an application: admit, ask for changes or reject (the last
/// two with a reason the supplier reads). A plain form like [`super::NoteDecision`], with
/// room for a longer reason.
#[island]
pub fn ReviewForm(locale: Locale, supplier_id: i64, csrf_token: String) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let button = move |decision: AdmissionDecision, label: Msg, id: &'static str, class: &'static str| {
        let verdict = Verdict::Admission(decision);
        view! {
            <button type="submit" name="verdict" value=verdict.form_value() class=class id=id
                on:click=move |ev| {
                    ev.prevent_default();
                    send(locale, verdict, supplier_id, reason.get_untracked(), error)
                }>{t(label)}</button>
        }
    };
    view! {
        <form class="stack review-form" method="post" action=form_action(locale, supplier_id)>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            {default_blocker()}
            <label for="review-reason">{t(Msg::ReviewReasonLabel)}</label>
            <textarea id="review-reason" name="note" rows="3" maxlength="500" on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
            <div class="button-row">
                {button(AdmissionDecision::Admit, Msg::DecisionAdmit, "decide-admit", "primary")}
                {button(AdmissionDecision::RequestChanges, Msg::DecisionRequestChanges, "decide-request_changes", "secondary")}
                {button(AdmissionDecision::Reject, Msg::DecisionReject, "decide-reject", "secondary")}
            </div>
        </form>
    }
}
