//! Complaints a buyer files on an order, and the supplier's answers.

use super::performance::{self, Parties};
use crate::clock;
use crate::db::Db;
use emall_domain::performance::EventKind;
use emall_model::ComplaintView;

pub const BODY_MAX_CHARS: usize = 2000;

pub async fn of_order(db: &Db, order_id: i64) -> sqlx::Result<Vec<ComplaintView>> {
    let rows: Vec<(i64, String, String, i64, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT c.id, c.body, u.display_name, c.filed_at, c.answer, c.answered_at FROM complaints c \
         JOIN users u ON u.id = c.filed_by WHERE c.order_id = $1 ORDER BY c.filed_at, c.id",
    )
    .bind(order_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, body, filed_by, filed_at, answer, answered_at)| ComplaintView {
                id,
                body,
                filed_by,
                filed_at: clock::rfc3339(filed_at),
                answer,
                answered_at: answered_at.map(clock::rfc3339),
            },
        )
        .collect())
}

/// Files a complaint and records it as a performance event, in one transaction.
pub async fn file(db: &Db, parties: Parties, user_id: i64, body: &str) -> anyhow::Result<i64> {
    let mut tx = db.begin_write().await?;
    let id = file_in(&mut tx, parties, user_id, body, clock::now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn file_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    parties: Parties,
    user_id: i64,
    body: &str,
    now: i64,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO complaints (order_id, unit_id, supplier_id, filed_by, body, filed_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(parties.order_id)
    .bind(parties.unit_id)
    .bind(parties.supplier_id)
    .bind(user_id)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    performance::record(tx, parties, EventKind::Complaint, 0, now).await?;
    Ok(id)
}

pub enum Answered {
    Done,
    NotFound,
    NotYours,
    AlreadyAnswered,
}

/// The supplier's answer; one per complaint.
pub async fn answer(
    db: &Db,
    complaint_id: i64,
    supplier_id: i64,
    user_id: i64,
    text: &str,
) -> anyhow::Result<Answered> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT supplier_id, answer FROM complaints WHERE id = $1")
            .bind(complaint_id)
            .fetch_optional(db.pool())
            .await?;
    match row {
        None => return Ok(Answered::NotFound),
        Some((owner, _)) if owner != supplier_id => return Ok(Answered::NotYours),
        Some((_, Some(_))) => return Ok(Answered::AlreadyAnswered),
        Some(_) => {}
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE complaints SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND answer IS NULL",
    )
    .bind(text)
    .bind(user_id)
    .bind(clock::now())
    .bind(complaint_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Ok(Answered::AlreadyAnswered);
    }
    // The answer shows on the supplier's performance page.
    super::outbox::record(&mut *tx, &super::outbox::Change::performance(supplier_id)).await?;
    tx.commit().await?;
    Ok(Answered::Done)
}
