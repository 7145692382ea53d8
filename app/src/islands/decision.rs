//! A decision with a note: the operator's or the regulator's verdict on a held listing, a
//! qualification, a red flag or an appeal. Each posts `{"decision", "note"}` to its path.

use crate::i18n::Locale;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Posts `body` to `path`; reloads on success, or shows the first error.
pub(super) fn post(
    locale: Locale,
    path: String,
    body: serde_json::Value,
    error: RwSignal<Option<String>>,
) {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        match super::api::send_json("POST", &path, &body, &[]).await {
            Ok((s, _)) if (200..300).contains(&s) => super::api::reload(),
            Ok((_, b)) => error.set(Some(super::api::error_message(&b))),
            Err(_) => error.set(Some(locale.t(crate::i18n::Msg::ErrInternal).to_string())),
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (locale, path, body, error);
}

/// One of the decisions offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// What is sent as `decision`.
    pub value: String,
    pub label: String,
    /// The button's element id, when a page or test needs one.
    pub id: Option<String>,
}

impl Choice {
    pub fn new(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
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
                let value = c.value.clone();
                view! {
                    <button type="button" class=if i == 0 { "primary" } else { "secondary" } id=c.id
                        on:click=move |_| {
                            let body = serde_json::json!({ "decision": value, "note": note.get_untracked() });
                            post(locale, path.clone(), body, error);
                        }>{c.label}</button>
                }
            }).collect_view()}
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </div>
    }
}
