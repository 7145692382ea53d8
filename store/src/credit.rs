//! 信用记录: credit entries, appeals and decisions, and the supplier status they imply.
//! Every change recomputes the standing from all of the supplier's entries in the same
//! transaction, so the status can never disagree with the record, and leaves its entry in
//! the audit log.

use crate::audit::Journal;
use crate::db::Db;
use crate::outbox;
use emall_domain::audit::{Action, Actor, Change, Object, ObjectKind, State, User};
use emall_domain::credit::{
    standing, AppealDecision, CreditKind, CreditState, Entry, NewEntry, Standing,
};
use emall_model::CreditEntryView;
use sqlx::{Any, Transaction};

/// What a change did: the supplier whose record changed, and whether its standing changed
/// with it (its products leave or return to search).
#[derive(Debug, Default)]
pub struct Effect {
    pub supplier_id: i64,
    pub status_changed: bool,
    /// The supplier's status before and after.
    pub status: [String; 2],
}

async fn apply_standing(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    now: i64,
) -> anyhow::Result<Effect> {
    let (was,): (String,) = sqlx::query_as("SELECT status FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_one(&mut **tx)
        .await?;
    let rows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT kind, state, recorded_at, ends_at FROM credit_entries WHERE supplier_id = $1",
    )
    .bind(supplier_id)
    .fetch_all(&mut **tx)
    .await?;
    let entries: Vec<Entry> = rows
        .into_iter()
        .filter_map(|(kind, state, recorded_at, ends_at)| {
            Some(Entry {
                kind: CreditKind::parse(&kind)?,
                state: CreditState::parse(&state)?,
                recorded_at,
                ends_at,
            })
        })
        .collect();
    let status = match standing(&entries, now) {
        Standing::Admitted => "admitted",
        Standing::Suspended => "suspended",
        Standing::Revoked => "revoked",
    };
    // Only an admitted supplier's standing moves: one still in review is not touched.
    let changed = sqlx::query(
        "UPDATE suppliers SET status = $1 WHERE id = $2 AND status <> $1 AND status IN ('admitted', 'suspended', 'revoked')",
    )
    .bind(status)
    .bind(supplier_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // The record is public at once; a change of standing also takes the supplier's offers
    // out of search and the storefront, or back.
    let announced = if changed == 1 {
        outbox::Change::supplier(supplier_id)
    } else {
        outbox::Change::supplier_record(supplier_id)
    };
    outbox::record(&mut **tx, &announced).await?;
    let now_status = if changed == 1 {
        status.to_string()
    } else {
        was.clone()
    };
    Ok(Effect {
        supplier_id,
        status_changed: changed == 1,
        status: [was, now_status],
    })
}

/// What the audit log digests of a credit entry: its state beside the supplier's status.
fn entry_state(id: i64, state: &str, supplier_status: &str) -> State {
    State::new()
        .int("id", id)
        .text("state", state)
        .text("supplier_status", supplier_status)
}

/// Appends the entry's change as the transaction's last write.
async fn audit(
    tx: &mut Transaction<'_, Any>,
    change: Change,
    supplier_id: i64,
) -> anyhow::Result<()> {
    let mut journal = Journal::new();
    journal.push(change.related(Object::new(ObjectKind::Supplier, supplier_id)));
    journal.append(&mut **tx).await
}

/// Records an entry; `None` when there is no such supplier.
pub async fn record(
    db: &Db,
    supplier_id: i64,
    entry: &NewEntry,
    alert_id: Option<i64>,
    evidence: &[i64],
    by: &User,
    now: i64,
) -> anyhow::Result<Option<(i64, Effect)>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO credit_entries (supplier_id, kind, reason, alert_id, evidence, recorded_by, recorded_at, ends_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(supplier_id)
    .bind(entry.kind.as_str())
    .bind(&entry.reason)
    .bind(alert_id)
    .bind(serde_json::to_string(evidence)?)
    .bind(user_id)
    .bind(now)
    .bind(entry.ends_at(now))
    .fetch_one(&mut *tx)
    .await?;
    if let Some(alert) = alert_id {
        // The alert was acted on.
        sqlx::query("UPDATE alerts SET status = 'acted' WHERE id = $1")
            .bind(alert)
            .execute(&mut *tx)
            .await?;
    }
    let effect = apply_standing(&mut tx, supplier_id, now).await?;
    let action = match entry.kind {
        CreditKind::Warning => Action::Warn,
        CreditKind::Suspension => Action::Suspend,
        CreditKind::Revocation => Action::Revoke,
    };
    let after = entry_state(id, "in_force", &effect.status[1])
        .text("kind", entry.kind.as_str())
        .text("reason", entry.reason.clone())
        .maybe_int("ends_at", entry.ends_at(now))
        .maybe_int("alert_id", alert_id);
    let change = Change::new(
        now,
        by.into(),
        Object::new(ObjectKind::CreditEntry, id),
        action,
    )
    .before(&State::new().text("supplier_status", effect.status[0].clone()))
    .after(&after);
    audit(&mut tx, change, supplier_id).await?;
    tx.commit().await?;
    Ok(Some((id, effect)))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    /// Another supplier's entry.
    NotYours,
    /// Not in a state that allows it (appealed already, or not appealed).
    WrongState,
}

/// The supplier appeals an entry in force, once.
pub async fn appeal(
    db: &Db,
    entry_id: i64,
    supplier_id: i64,
    by: &User,
    text: &str,
    now: i64,
) -> anyhow::Result<Result<(), Refusal>> {
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT supplier_id, state FROM credit_entries WHERE id = $1")
            .bind(entry_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((owner, state)) = row else {
        return Ok(Err(Refusal::NotFound));
    };
    if owner != supplier_id {
        return Ok(Err(Refusal::NotYours));
    }
    if !CreditState::parse(&state).is_some_and(CreditState::can_appeal) {
        return Ok(Err(Refusal::WrongState));
    }
    sqlx::query(
        "UPDATE credit_entries SET state = 'appealed', appeal = $1, appealed_at = $2 WHERE id = $3 AND state = 'in_force'",
    )
    .bind(text)
    .bind(now)
    .bind(entry_id)
    .execute(&mut *tx)
    .await?;
    let change = Change::new(
        now,
        by.into(),
        Object::new(ObjectKind::CreditEntry, entry_id),
        Action::Appeal,
    )
    .before(&State::new().int("id", entry_id).text("state", state))
    .after(
        &State::new()
            .int("id", entry_id)
            .text("state", "appealed")
            .text("appeal", text),
    );
    audit(&mut tx, change, supplier_id).await?;
    // The appeal shows on the public record at once.
    outbox::record(&mut *tx, &outbox::Change::supplier_record(supplier_id)).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The regulator decides an appeal: upheld stays in force, overturned ends at once.
pub async fn decide(
    db: &Db,
    entry_id: i64,
    decision: AppealDecision,
    note: &str,
    by: &User,
    now: i64,
) -> anyhow::Result<Result<Effect, Refusal>> {
    let user_id = by.id;
    let mut tx = db.begin_write().await?;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT supplier_id FROM credit_entries WHERE id = $1")
            .bind(entry_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((supplier_id,)) = row else {
        return Ok(Err(Refusal::NotFound));
    };
    let done = sqlx::query(
        "UPDATE credit_entries SET state = $1, decision_note = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND state = 'appealed'",
    )
    .bind(decision.outcome().as_str())
    .bind(note)
    .bind(user_id)
    .bind(now)
    .bind(entry_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(Err(Refusal::WrongState));
    }
    let effect = apply_standing(&mut tx, supplier_id, now).await?;
    let outcome = decision.outcome().as_str();
    let action = match decision {
        AppealDecision::Uphold => Action::Uphold,
        AppealDecision::Overturn => Action::Overturn,
    };
    let change = Change::new(
        now,
        by.into(),
        Object::new(ObjectKind::CreditEntry, entry_id),
        action,
    )
    .before(&entry_state(entry_id, "appealed", &effect.status[0]))
    .after(&entry_state(entry_id, outcome, &effect.status[1]).text("note", note));
    audit(&mut tx, change, supplier_id).await?;
    tx.commit().await?;
    Ok(Ok(effect))
}

/// Ends the suspensions whose time is up (the timer; safe on every node). Returns the
/// suppliers whose record changed.
pub async fn end_due(db: &Db, now: i64) -> anyhow::Result<Vec<i64>> {
    let due: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, supplier_id, state FROM credit_entries WHERE kind = 'suspension' \
         AND state IN ('in_force', 'appealed', 'upheld') AND ends_at <= $1 ORDER BY ends_at LIMIT 500",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let mut changed = Vec::new();
    for (id, supplier_id, state) in due {
        let mut tx = db.begin_write().await?;
        let ended = sqlx::query(
            "UPDATE credit_entries SET state = 'ended' WHERE id = $1 AND state IN ('in_force', 'appealed', 'upheld')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if ended == 1 {
            let effect = apply_standing(&mut tx, supplier_id, now).await?;
            let change = Change::new(
                now,
                Actor::System,
                Object::new(ObjectKind::CreditEntry, id),
                Action::End,
            )
            .before(&entry_state(id, &state, &effect.status[0]))
            .after(&entry_state(id, "ended", &effect.status[1]));
            audit(&mut tx, change, supplier_id).await?;
            changed.push(supplier_id);
        }
        tx.commit().await?;
    }
    Ok(changed)
}

/// A supplier's entries: all of them (the supplier and the bureau), or those still on the
/// public record.
pub async fn list(
    db: &Db,
    supplier_id: i64,
    public_only: bool,
    now: i64,
) -> sqlx::Result<Vec<CreditEntryView>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, kind, reason, alert_id, evidence, recorded_at, ends_at, state, appeal, decision_note \
         FROM credit_entries WHERE supplier_id = $1 ORDER BY recorded_at DESC, id DESC",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let kind: String = r.try_get("kind")?;
        let state: String = r.try_get("state")?;
        let recorded_at: i64 = r.try_get("recorded_at")?;
        let ends_at: Option<i64> = r.try_get("ends_at")?;
        let shown = match (CreditKind::parse(&kind), CreditState::parse(&state)) {
            (Some(kind), Some(state)) => Entry {
                kind,
                state,
                recorded_at,
                ends_at,
            }
            .shown(now),
            _ => false,
        };
        if public_only && !shown {
            continue;
        }
        let evidence: String = r.try_get("evidence")?;
        out.push(CreditEntryView {
            id: r.try_get("id")?,
            kind,
            reason: r.try_get("reason")?,
            alert_id: r.try_get("alert_id")?,
            orders: serde_json::from_str(&evidence).unwrap_or_default(),
            recorded_at: crate::clock::rfc3339(recorded_at),
            ends_at: ends_at.map(crate::clock::rfc3339),
            state,
            appeal: r.try_get("appeal")?,
            decision_note: r.try_get("decision_note")?,
            shown,
        });
    }
    Ok(out)
}
