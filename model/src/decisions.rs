//! A decision with a note: the operator's or the regulator's verdict on something that waits
//! for them (a held listing, a qualification document, a supplier's application, a red flag,
//! an appeal against a credit entry). The island sends it as the JSON its API endpoint reads;
//! a plain form sends it as `verdict=kind:decision` with a `note`, to `/decisions/{id}`.

use crate::{AdmissionDecision, Check, OfferReviewDecision, Triage};
use emall_domain::credit::AppealDecision;
use serde::{Deserialize, Serialize};

/// What a decision says, and so what the id it is posted with names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// A listing held for review (`POST /api/v1/offer-reviews/{id}/decision`).
    Listing(OfferReviewDecision),
    /// A qualification document (`POST /api/v1/qualifications/{id}/check`).
    Qualification(Check),
    /// A supplier's application (`POST /api/v1/suppliers/{id}/review`).
    Admission(AdmissionDecision),
    /// A red flag (`POST /api/v1/alerts/{id}/triage`).
    Alert(Triage),
    /// An appeal against a credit entry (`POST /api/v1/credit-entries/{id}/decision`).
    Appeal(AppealDecision),
}

impl Verdict {
    /// The API endpoint that takes this verdict on `id`.
    pub fn api_path(self, id: i64) -> String {
        match self {
            Verdict::Listing(_) => format!("/api/v1/offer-reviews/{id}/decision"),
            Verdict::Qualification(_) => format!("/api/v1/qualifications/{id}/check"),
            Verdict::Admission(_) => format!("/api/v1/suppliers/{id}/review"),
            Verdict::Alert(_) => format!("/api/v1/alerts/{id}/triage"),
            Verdict::Appeal(_) => format!("/api/v1/credit-entries/{id}/decision"),
        }
    }

    /// The locale-free page where `id` is decided, for a plain form whose page is not known.
    pub fn page(self, id: i64) -> String {
        match self {
            Verdict::Listing(_) => "/console/listings".into(),
            Verdict::Admission(_) => format!("/console/suppliers/{id}"),
            Verdict::Alert(_) => format!("/console/alerts/{id}"),
            Verdict::Qualification(_) | Verdict::Appeal(_) => "/console".into(),
        }
    }

    /// Whether this verdict must say why: whatever turns something down or changes a
    /// supplier's record is read later by the supplier or by whoever takes the case next.
    pub fn needs_note(self) -> bool {
        match self {
            Verdict::Listing(_) => false,
            Verdict::Qualification(c) => c == Check::Flag,
            Verdict::Admission(d) => d != AdmissionDecision::Admit,
            Verdict::Alert(_) | Verdict::Appeal(_) => true,
        }
    }

    /// The name of the note's field in the API's request (and in its field errors).
    pub fn note_field(self) -> &'static str {
        match self {
            Verdict::Admission(_) => "reason",
            _ => "note",
        }
    }

    /// The most characters of a note kept: a red flag's or an appeal's case file runs
    /// longer than a word to a supplier.
    pub fn note_max(self) -> usize {
        match self {
            Verdict::Alert(_) | Verdict::Appeal(_) => 1000,
            _ => 500,
        }
    }

    /// The note as kept: trimmed, at most [`Verdict::note_max`] characters.
    pub fn note(self, note: &str) -> String {
        note.trim().chars().take(self.note_max()).collect()
    }

    /// As a plain form's button sends it: `kind:decision`.
    pub fn form_value(self) -> String {
        let (kind, decision) = match self {
            Verdict::Listing(d) => ("listing", name(d)),
            Verdict::Qualification(d) => ("qualification", name(d)),
            Verdict::Admission(d) => ("admission", name(d)),
            Verdict::Alert(d) => ("alert", name(d)),
            Verdict::Appeal(d) => ("appeal", name(d)),
        };
        format!("{kind}:{decision}")
    }

    /// Reads [`Verdict::form_value`] back; `None` for anything else.
    pub fn from_form(value: &str) -> Option<Verdict> {
        let (kind, decision) = value.split_once(':')?;
        Some(match kind {
            "listing" => Verdict::Listing(parse(decision)?),
            "qualification" => Verdict::Qualification(parse(decision)?),
            "admission" => Verdict::Admission(parse(decision)?),
            "alert" => Verdict::Alert(parse(decision)?),
            "appeal" => Verdict::Appeal(parse(decision)?),
            _ => return None,
        })
    }
}

/// A decision enum's name as its JSON says it (`approve`, `request_changes`).
fn name<T: Serialize>(decision: T) -> String {
    match serde_json::to_value(decision) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn parse<T: for<'de> Deserialize<'de>>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_verdict() -> Vec<Verdict> {
        use AdmissionDecision as A;
        vec![
            Verdict::Listing(OfferReviewDecision::Approve),
            Verdict::Listing(OfferReviewDecision::Reject),
            Verdict::Qualification(Check::Verify),
            Verdict::Qualification(Check::Flag),
            Verdict::Admission(A::Admit),
            Verdict::Admission(A::Reject),
            Verdict::Admission(A::RequestChanges),
            Verdict::Alert(Triage::Confirm),
            Verdict::Alert(Triage::Dismiss),
            Verdict::Appeal(AppealDecision::Uphold),
            Verdict::Appeal(AppealDecision::Overturn),
        ]
    }

    #[test]
    fn a_verdict_reads_back_from_its_form_value() {
        for v in every_verdict() {
            assert_eq!(Verdict::from_form(&v.form_value()), Some(v), "{v:?}");
        }
        assert_eq!(
            Verdict::Admission(AdmissionDecision::RequestChanges).form_value(),
            "admission:request_changes"
        );
        for bad in [
            "",
            "listing",
            "listing:",
            ":approve",
            "listing:confirm",
            "alert:approve",
            "Listing:approve",
            "listing:approve:x",
        ] {
            assert_eq!(Verdict::from_form(bad), None, "{bad}");
        }
    }

    #[test]
    fn whatever_turns_down_or_changes_a_record_says_why() {
        let needing: Vec<_> = every_verdict()
            .into_iter()
            .filter(|v| !v.needs_note())
            .map(Verdict::form_value)
            .collect();
        assert_eq!(
            needing,
            [
                "listing:approve",
                "listing:reject",
                "qualification:verify",
                "admission:admit"
            ]
        );
    }

    #[test]
    fn a_note_is_trimmed_and_kept_short() {
        let flag = Verdict::Alert(Triage::Confirm);
        assert_eq!(flag.note("  价格偏高 \n"), "价格偏高");
        for v in every_verdict() {
            let kept = v.note(&"理".repeat(1200));
            assert_eq!(kept.chars().count(), v.note_max(), "{v:?}");
        }
    }
}
