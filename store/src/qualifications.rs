//! A supplier's qualifications: stored, listed, and what their lapse and renewal do to the
//! supplier's offers.

use crate::clock;
use crate::db::Db;
use emall_domain::qualification::Qualification;
use emall_model::{NoticeView, QualificationView};
use sqlx::{Any, Transaction};

pub struct NewFile<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
}

async fn products_of(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    reason: &str,
) -> sqlx::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT product_id FROM offers WHERE supplier_id = $1 AND suspended_reason = $2",
    )
    .bind(supplier_id)
    .bind(reason)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|(p,)| p).collect())
}

async fn notify(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    kind: &str,
    details: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO supplier_notices (supplier_id, kind, details, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(supplier_id)
    .bind(kind)
    .bind(details)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records an uploaded qualification. It supersedes lapsed ones of its kind; once none is
/// lapsed any more, the offers its lapse suspended go back on sale.
pub async fn add(
    db: &Db,
    supplier_id: i64,
    user_id: i64,
    q: &Qualification,
    file: &NewFile<'_>,
) -> anyhow::Result<i64> {
    let now = clock::now();
    let mut tx = db.begin_write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO qualifications (supplier_id, kind, number, issuer, valid_until, file_name, content_type, \
         size_bytes, sha256, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(supplier_id)
    .bind(q.kind.as_str())
    .bind(&q.number)
    .bind(&q.issuer)
    .bind(q.valid_until.map(|d| d.to_string()))
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.size_bytes)
    .bind(file.sha256)
    .bind(user_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE qualifications SET state = 'superseded' WHERE supplier_id = $1 AND kind = $2 AND state = 'lapsed'",
    )
    .bind(supplier_id)
    .bind(q.kind.as_str())
    .execute(&mut *tx)
    .await?;
    let (still_lapsed,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM qualifications WHERE supplier_id = $1 AND state = 'lapsed'",
    )
    .bind(supplier_id)
    .fetch_one(&mut *tx)
    .await?;
    if still_lapsed == 0 {
        // Search and the storefront show the offers again.
        let products = products_of(&mut tx, supplier_id, "qualification").await?;
        super::outbox::record(&mut *tx, &super::outbox::Change::products(products)).await?;
        let restored = sqlx::query(
            "UPDATE offers SET status = 'on_sale', suspended_reason = NULL, updated_at = $1 \
             WHERE supplier_id = $2 AND suspended_reason = 'qualification'",
        )
        .bind(now)
        .bind(supplier_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if restored > 0 {
            notify(
                &mut tx,
                supplier_id,
                "offers_restored",
                &restored.to_string(),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Lapses qualifications whose last valid day is before `today` (`YYYY-MM-DD`): the
/// supplier's offers on sale are suspended and the supplier is told. One qualification
/// lapses once, whichever node gets there first.
pub async fn lapse_expired(db: &Db, today: &str, now: i64) -> anyhow::Result<Vec<i64>> {
    let due: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT id, supplier_id, kind, number FROM qualifications WHERE state = 'valid' \
         AND valid_until IS NOT NULL AND valid_until < $1 ORDER BY id LIMIT 500",
    )
    .bind(today)
    .fetch_all(db.pool())
    .await?;
    let mut products = Vec::new();
    for (id, supplier_id, kind, number) in due {
        let mut tx = db.begin_write().await?;
        let lapsed = sqlx::query(
            "UPDATE qualifications SET state = 'lapsed' WHERE id = $1 AND state = 'valid'",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if lapsed == 1 {
            sqlx::query(
                "UPDATE offers SET status = 'suspended', suspended_reason = 'qualification', updated_at = $1 \
                 WHERE supplier_id = $2 AND status = 'on_sale'",
            )
            .bind(now)
            .bind(supplier_id)
            .execute(&mut *tx)
            .await?;
            let suspended = products_of(&mut tx, supplier_id, "qualification").await?;
            super::outbox::record(
                &mut *tx,
                &super::outbox::Change::products(suspended.clone()),
            )
            .await?;
            products.extend(suspended);
            notify(
                &mut tx,
                supplier_id,
                "qualification_lapsed",
                &format!("{kind} {number}"),
                now,
            )
            .await?;
        }
        tx.commit().await?;
    }
    products.sort_unstable();
    products.dedup();
    Ok(products)
}

pub use emall_model::Check;

/// Records the operator's check; a flag tells the supplier. `None`: no such qualification.
pub async fn check(
    db: &Db,
    id: i64,
    check: Check,
    note: &str,
    user_id: i64,
) -> anyhow::Result<Option<()>> {
    let now = clock::now();
    let mut tx = db.begin_write().await?;
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT supplier_id, kind, number FROM qualifications WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((supplier_id, kind, number)) = row else {
        return Ok(None);
    };
    let state = match check {
        Check::Verify => "verified",
        Check::Flag => "flagged",
    };
    sqlx::query(
        "UPDATE qualifications SET check_state = $1, check_note = $2, checked_by = $3, checked_at = $4 WHERE id = $5",
    )
    .bind(state)
    .bind(note)
    .bind(user_id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if check == Check::Flag {
        let details = format!("{kind} {number}: {note}");
        notify(&mut tx, supplier_id, "qualification_flagged", &details, now).await?;
    }
    tx.commit().await?;
    Ok(Some(()))
}

pub async fn list(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<QualificationView>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT id, kind, number, issuer, valid_until, state, content_type, size_bytes, uploaded_at, \
         check_state, check_note FROM qualifications WHERE supplier_id = $1 ORDER BY uploaded_at DESC, id DESC",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(QualificationView {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                number: r.try_get("number")?,
                issuer: r.try_get("issuer")?,
                valid_until: r.try_get("valid_until")?,
                state: r.try_get("state")?,
                content_type: r.try_get("content_type")?,
                size_bytes: r.try_get("size_bytes")?,
                uploaded_at: clock::rfc3339(r.try_get("uploaded_at")?),
                check_state: r.try_get("check_state")?,
                check_note: r.try_get("check_note")?,
            })
        })
        .collect()
}

/// The stored file of a qualification: (supplier, file name).
pub async fn file_of(db: &Db, id: i64) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT supplier_id, file_name FROM qualifications WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

pub async fn notices(db: &Db, supplier_id: i64, limit: i64) -> sqlx::Result<Vec<NoticeView>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kind, details, created_at FROM supplier_notices WHERE supplier_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(supplier_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, details, at)| NoticeView {
            kind,
            details,
            at: clock::rfc3339(at),
        })
        .collect())
}
