//! A decision with a note: the operator's or the regulator's verdict on a held listing, a
//! qualification, an application, a red flag or an appeal ([`Verdict`]), a plain form that
//! script turns into the request its API endpoint reads.

use crate::i18n::Locale;
use crate::model::{
    AppealDecisionBody, QualificationCheck, ReviewDecision, ReviewRequest, TriageBody, Verdict,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Posts `body` to `path` from the browser; reloads on success, or shows the first error.
pub(super) fn post<B: serde::Serialize + 'static>(
    locale: Locale,
    path: String,
    body: B,
    error: RwSignal<Option<String>>,
) {
    super::submit(locale, super::Method::Post, path, Some(body), None, move |e| {
        error.set(Some(e))
    });
}

/// Posts to `path` without a body (a scan, a withdrawal); reloads on success.
pub(super) fn post_empty(locale: Locale, path: String, error: RwSignal<Option<String>>) {
    super::submit(locale, super::Method::Post, path, None::<()>, None, move |e| {
        error.set(Some(e))
    });
}

/// Sends `verdict` on `subject` with `note` to the API endpoint that takes it; reloads on
/// success, or shows the first error.
pub(super) fn send(
    locale: Locale,
    verdict: Verdict,
    subject: i64,
    note: String,
    error: RwSignal<Option<String>>,
) {
    let path = verdict.api_path(subject);
    match verdict {
        Verdict::Listing(decision) => post(locale, path, ReviewDecision { decision, note }, error),
        Verdict::Qualification(decision) => {
            post(locale, path, QualificationCheck { decision, note }, error)
        }
        Verdict::Admission(decision) => post(
            locale,
            path,
            ReviewRequest {
                decision,
                reason: note,
            },
            error,
        ),
        Verdict::Alert(decision) => post(locale, path, TriageBody { decision, note }, error),
        Verdict::Appeal(decision) => {
            post(locale, path, AppealDecisionBody { decision, note }, error)
        }
    }
}

/// Where a decision form posts without script: `verdict` (its button's value), `note` and
/// the CSRF token go to `/decisions/{subject}`.
pub(super) fn form_action(locale: Locale, subject: i64) -> String {
    locale.href(&format!("/decisions/{subject}"))
}

/// One of the decisions offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub verdict: Verdict,
    pub label: String,
    /// The button's element id, when a page or test needs one.
    pub id: Option<String>,
}

impl Choice {
    pub fn new(verdict: Verdict, label: &str) -> Choice {
        Choice {
            verdict,
            label: label.into(),
            id: None,
        }
    }

    pub fn with_id(self, id: &str) -> Choice {
        Choice {
            id: Some(id.into()),
            ..self
        }
    }
}

/// A note field and a button per choice; the first choice is the primary one. A plain form
/// that works without script; with script, the choice is sent to the API and any refusal
/// shown beside the buttons.
#[island]
pub fn NoteDecision(
    locale: Locale,
    /// What is decided: the listing review's, qualification's, alert's or credit entry's id.
    subject: i64,
    csrf_token: String,
    note_label: String,
    choices: Vec<Choice>,
    id: Option<String>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let max = choices.first().map_or(500, |c| c.verdict.note_max());
    view! {
        <form class="decision" id=id method="post" action=form_action(locale, subject)>
            <input type="hidden" name="csrf_token" value=csrf_token/>
            {default_blocker()}
            <input name="note" aria-label=note_label.clone() placeholder=note_label maxlength=max
                on:input=move |ev| note.set(event_target_value(&ev))/>
            {choices.into_iter().enumerate().map(|(i, c)| {
                let verdict = c.verdict;
                view! {
                    <button type="submit" name="verdict" value=verdict.form_value()
                        class=if i == 0 { "primary" } else { "secondary" } id=c.id
                        on:click=move |ev| {
                            ev.prevent_default();
                            send(locale, verdict, subject, note.get_untracked(), error)
                        }>
                        {c.label}</button>
                }
            }).collect_view()}
            {move || error.get().map(|e| view! { <span class="field-error" role="alert">{e}</span> })}
        </form>
    }
}

/// A disabled first submit button: pressing Enter in the note then sends nothing, since a
/// decision is the button pressed, never the first one by default.
pub(super) fn default_blocker() -> impl IntoView {
    view! { <button type="submit" disabled=true hidden=true aria-hidden="true" tabindex="-1"></button> }
}
