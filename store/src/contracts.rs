//! 电子合同: the contract of an order, written once when the supplier confirms (the moment
//! both parties have agreed), kept as canonical JSON with its SHA-256.

use crate::clock;
use crate::db::Db;
use emall_domain::Fen;
use emall_model::{ContractDoc, ContractParty, OrderItemView};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

/// The standard terms the contract text refers to; a new wording gets a new version.
pub const TERMS_VERSION: &str = "emall-standard-terms-2026.1";

pub fn sha256_hex(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

type OrderFacts = (String, i64, Option<i64>, i64, i64, i64, String, String, i64);
type UnitFacts = (String, String, String, String);
type SupplierFacts = (String, String, String, String, String, String, String);

/// Builds the contract from the order as it stands and stores it with its hash, which it
/// returns. Signing twice keeps the first text (and returns `None`).
pub async fn sign(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let (order_no, created_at, placed_at, delivery_days, terms, total, code, purpose, supplier_id): OrderFacts =
        sqlx::query_as(
            "SELECT o.order_no, o.created_at, o.placed_at, o.delivery_days, o.payment_terms_days, o.total_fen, \
             b.code, b.purpose, o.supplier_id FROM orders o JOIN budget_lines b ON b.id = o.budget_line_id \
             WHERE o.id = $1",
        )
        .bind(order_id)
        .fetch_one(&mut **tx)
        .await?;
    let (unit_name, unit_uscc, unit_place, buyer_name): UnitFacts = sqlx::query_as(
        "SELECT pu.name, pu.uscc, c.name || d.name, u.display_name FROM purchasing_units pu \
         JOIN regions c ON c.code = pu.city JOIN regions d ON d.code = pu.district \
         JOIN orders o ON o.unit_id = pu.id JOIN users u ON u.id = o.buyer_id WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let (s_name, s_uscc, s_address, s_rep, s_contact, s_phone, s_size): SupplierFacts =
        sqlx::query_as(
            "SELECT name, uscc, address, legal_rep, contact, phone, size FROM suppliers WHERE id = $1",
        )
        .bind(supplier_id)
        .fetch_one(&mut **tx)
        .await?;
    let items = items(&mut **tx, order_id).await?;
    let doc = ContractDoc {
        terms_version: TERMS_VERSION.into(),
        contract_no: format!("HT{order_no}"),
        order_no,
        placed_at: clock::rfc3339(placed_at.unwrap_or(created_at)),
        signed_at: clock::rfc3339(now),
        buyer: ContractParty {
            name: unit_name,
            uscc: unit_uscc,
            address: unit_place.clone(),
            contact: buyer_name,
        },
        supplier: ContractParty {
            name: s_name,
            uscc: s_uscc,
            address: s_address,
            contact: format!("{s_rep} / {s_contact} {s_phone}"),
        },
        supplier_is_sme: s_size != "large",
        items,
        total: Fen(total),
        delivery_place: unit_place,
        delivery_days,
        payment_terms_days: terms,
        budget_line: format!("{code} {purpose}"),
    };
    let body = serde_json::to_string(&doc)?;
    let sha256 = sha256_hex(&body);
    let written = sqlx::query(
        "INSERT INTO contracts (order_id, body, sha256, signed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind(order_id)
    .bind(&body)
    .bind(&sha256)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((written == 1).then_some(sha256))
}

/// An order's lines.
pub async fn items<'e, E>(executor: E, order_id: i64) -> sqlx::Result<Vec<OrderItemView>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_id, title, unit, quantity, unit_price_fen, line_total_fen FROM order_items \
         WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(product_id, title, unit, quantity, price, total)| OrderItemView {
                product_id,
                title,
                unit,
                quantity,
                unit_price: Fen(price),
                line_total: Fen(total),
            },
        )
        .collect())
}

pub struct Stored {
    pub doc: ContractDoc,
    pub sha256: String,
    /// The stored text still hashes to the stored SHA-256.
    pub intact: bool,
}

pub async fn get(db: &Db, order_id: i64) -> anyhow::Result<Option<Stored>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT body, sha256 FROM contracts WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(db.pool())
            .await?;
    let Some((body, sha256)) = row else {
        return Ok(None);
    };
    Ok(Some(Stored {
        doc: serde_json::from_str(&body)?,
        intact: sha256_hex(&body) == sha256,
        sha256,
    }))
}
