//! The operator's and the regulator's decisions with a note (a held listing, a qualification,
//! an application, a red flag, an appeal): the API's five decision endpoints and the pages'
//! plain form (`POST /decisions/{id}`) alike.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{Triage, Verdict};
use emall_app::Msg;
use emall_domain::Role;
use emall_store::{alerts, clock, credit, offer_reviews, onboarding, qualifications};

/// Who may give a verdict: the operator runs the market, the regulator judges conduct.
fn decider(verdict: Verdict) -> Role {
    match verdict {
        Verdict::Listing(_) | Verdict::Qualification(_) | Verdict::Admission(_) => Role::Operator,
        Verdict::Alert(_) | Verdict::Appeal(_) => Role::Regulator,
    }
}

/// Records `verdict` on the thing `id` names, with its `note` (trimmed and kept short;
/// required where the verdict must say why).
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    verdict: Verdict,
    note: &str,
) -> ApiResult<()> {
    viewer.require(&[decider(verdict)])?;
    let note = verdict.note(note);
    if verdict.needs_note() && note.is_empty() {
        return Err(ApiError::field(verdict.note_field(), Msg::ErrReason));
    }
    let db = &state.db;
    match verdict {
        Verdict::Listing(decision) => {
            use offer_reviews::Decided;
            match offer_reviews::decide(db, id, decision, &note, viewer.user_id).await? {
                Decided::Done(_) => Ok(()),
                Decided::NotFound => Err(ApiError::NotFound),
                Decided::NotOpen => Err(ApiError::Conflict),
            }
        }
        Verdict::Qualification(check) => {
            qualifications::check(db, id, check, &note, viewer.user_id)
                .await?
                .ok_or(ApiError::NotFound)
        }
        Verdict::Admission(decision) => {
            Ok(onboarding::review(db, id, decision, &note, &viewer.user()).await??)
        }
        Verdict::Alert(triage) => {
            let status = match triage {
                Triage::Confirm => "confirmed",
                Triage::Dismiss => "dismissed",
            };
            match alerts::triage(db, id, status, &note, viewer.user_id, clock::now()).await? {
                true => Ok(()),
                false => Err(ApiError::NotFound),
            }
        }
        Verdict::Appeal(decision) => {
            credit::decide(db, id, decision, &note, &viewer.user(), clock::now()).await??;
            Ok(())
        }
    }
}
