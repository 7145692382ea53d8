//! A decision with a note: the operator's or the regulator's verdict on a held listing, a
//! qualification, a red flag or an appeal, each sent as the request its endpoint reads.

use crate::i18n::Locale;
use crate::model::{
    AppealDecisionBody, Check, OfferReviewDecision, QualificationCheck, ReviewDecision, Triage,
    TriageBody,
};
use emall_domain::credit::AppealDecision;
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

/// What a decision says, as the request its endpoint reads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Verdict {
    /// A listing held for review (`/offer-reviews/{id}/decision`).
    Listing(OfferReviewDecision),
    /// A qualification document (`/qualifications/{id}/check`).
    Qualification(Check),
    /// A red flag (`/alerts/{id}/triage`).
    Alert(Triage),
    /// An appeal against a credit entry (`/credit-entries/{id}/decision`).
    Appeal(AppealDecision),
}

impl Verdict {
    /// Sends the verdict with `note` to `path`; reloads on success.
    fn send(self, locale: Locale, path: String, note: String, error: RwSignal<Option<String>>) {
        match self {
            Verdict::Listing(decision) => {
                post(locale, path, ReviewDecision { decision, note }, error)
            }
            Verdict::Qualification(decision) => {
                post(locale, path, QualificationCheck { decision, note }, error)
            }
            Verdict::Alert(decision) => post(locale, path, TriageBody { decision, note }, error),
            Verdict::Appeal(decision) => {
                post(locale, path, AppealDecisionBody { decision, note }, error)
            }
        }
    }
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

/// A note field and a button per choice; the first choice is the primary one.
#[island]
pub fn NoteDecision(
    locale: Locale,
    path: String,
    note_label: String,
    choices: Vec<Choice>,
    id: Option<String>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="decision" id=id>
            <input aria-label=note_label.clone() placeholder=note_label on:input=move |ev| note.set(event_target_value(&ev))/>
            {choices.into_iter().enumerate().map(|(i, c)| {
                let path = path.clone();
                let verdict = c.verdict;
                view! {
                    <button type="button" class=if i == 0 { "primary" } else { "secondary" } id=c.id
                        on:click=move |_| verdict.send(locale, path.clone(), note.get_untracked(), error)>
                        {c.label}</button>
                }
            }).collect_view()}
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </div>
    }
}
