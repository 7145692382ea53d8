//! The audit log as the API answers it and `/console/audit` shows it: an object's entries,
//! the names of the people and objects they mention, and how far the chain verifies.

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use emall_app::model::{AuditChainView, AuditEntryView, AuditLog, AuditObjectView};
use emall_app::Msg;
use emall_domain::audit::{Entry, Object, ObjectKind};
use emall_domain::{Fen, Role};
use emall_store::audit::{self, ChainState};
use emall_store::clock;
use std::collections::HashMap;

/// The most entries one object's log shows (an order has a dozen).
const OBJECT_LIMIT: i64 = 500;
/// The newest entries shown without an object.
const RECENT_LIMIT: i64 = 100;

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// `order`, `contract`, `budget_line`, `pool`, `supplier`, `credit_entry` or
    /// `calendar_year`; with `id`. Without both: the newest entries of the whole log.
    pub object: Option<String>,
    /// The object's id (a calendar year's is the year).
    pub id: Option<i64>,
}

impl AuditQuery {
    /// The object asked for; `None` for the newest entries.
    pub fn object(&self) -> ApiResult<Option<Object>> {
        match (self.object.as_deref().filter(|s| !s.is_empty()), self.id) {
            (None, None) => Ok(None),
            (Some(kind), Some(id)) => ObjectKind::parse(kind)
                .map(|k| Some(Object::new(k, id)))
                .ok_or_else(|| ApiError::field("object", Msg::ErrAuditObject)),
            (Some(_), None) => Err(ApiError::field("id", Msg::ErrAuditObject)),
            (None, Some(_)) => Err(ApiError::field("object", Msg::ErrAuditObject)),
        }
    }
}

/// The log as the API answers it and the page shows it.
pub async fn load(
    state: &AppState,
    viewer: &Viewer,
    object: Option<Object>,
) -> ApiResult<AuditLog> {
    viewer.require(&[Role::Operator, Role::Regulator])?;
    let db = &state.db;
    // Entries of changes committed a moment ago may still wait for the sealer.
    audit::seal(db).await?;
    let entries = match object {
        Some(o) => audit::of_object(db, o, OBJECT_LIMIT).await?,
        None => audit::recent(db, RECENT_LIMIT).await?,
    };
    let upto = entries.iter().map(|e| e.seq).max().unwrap_or(0);
    let chain = audit::chain_through(db, upto).await?;
    let mut users: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    users.sort_unstable();
    users.dedup();
    let names = audit::user_names(db, &users).await?;
    let mut objects: Vec<Object> = entries
        .iter()
        .flat_map(|e| [e.object(), e.related()])
        .flatten()
        .chain(object)
        .collect();
    objects.sort_unstable_by_key(|o| (o.kind.as_str(), o.id));
    objects.dedup();
    let labels = audit::labels(db, &objects).await?;
    let view = |kind: &str, id: i64| AuditObjectView {
        kind: kind.to_string(),
        id,
        label: ObjectKind::parse(kind).and_then(|k| labels.get(&Object::new(k, id)).cloned()),
    };
    let (verified_through, broken, checked_at) = match chain {
        ChainState::Holds {
            through,
            checked_at,
        } => (through, None, checked_at),
        ChainState::Broken {
            seq,
            reason,
            checked_at,
        } => (seq - 1, Some((seq, reason)), checked_at),
    };
    Ok(AuditLog {
        object: object.map(|o| view(o.kind.as_str(), o.id)),
        entries: entries
            .into_iter()
            .map(|e| entry_view(e, verified_through, &names, &view))
            .collect(),
        chain: AuditChainView {
            verified_through,
            broken_at: broken.as_ref().map(|b| b.0),
            broken_reason: broken.map(|b| b.1),
            checked_at: clock::rfc3339(checked_at),
        },
    })
}

fn entry_view(
    e: Entry,
    verified_through: i64,
    names: &HashMap<i64, String>,
    view: &impl Fn(&str, i64) -> AuditObjectView,
) -> AuditEntryView {
    AuditEntryView {
        seq: e.seq,
        at: clock::rfc3339(e.at),
        actor_id: e.actor_id,
        actor_name: e.actor_id.and_then(|id| names.get(&id).cloned()),
        actor_username: e.actor_name,
        object: view(&e.object_kind, e.object_id),
        related: e
            .related_kind
            .as_deref()
            .zip(e.related_id)
            .map(|(k, id)| view(k, id)),
        action: e.action,
        amount: e.amount_fen.map(Fen),
        before_sha256: e.before,
        after_sha256: e.after,
        hash: e.hash,
        verified: e.seq <= verified_through,
    }
}
