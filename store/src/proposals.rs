//! Standard-product proposals: matched against the catalogue by brand and model, then
//! approved, merged or refused by the operator.

use crate::clock;
use crate::db::Db;
use emall_domain::proposal::{identity, Proposal};
use emall_domain::Fen;
use emall_model::ProposalView;

pub enum Proposed {
    /// The catalogue already has it (same brand and model): list that product.
    Exists(i64),
    Pending(i64),
    /// Not a leaf category of the catalogue.
    BadCategory,
}

/// The product with this brand and model (compared folded), if any.
async fn same_product(db: &Db, brand: &str, model: &str) -> sqlx::Result<Option<i64>> {
    let (b, m) = identity(brand, model);
    // Narrow by the brand as typed, then compare folded in Rust (few rows per brand).
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, brand, model FROM products WHERE LOWER(REPLACE(brand, ' ', '')) = $1 OR brand = $2",
    )
    .bind(&b)
    .bind(brand.trim())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .find(|(_, pb, pm)| identity(pb, pm) == (b.clone(), m.clone()))
        .map(|(id, _, _)| id))
}

pub async fn propose(
    db: &Db,
    supplier_id: i64,
    user_id: i64,
    p: &Proposal,
) -> sqlx::Result<Proposed> {
    if let Some(id) = same_product(db, &p.brand, &p.model).await? {
        return Ok(Proposed::Exists(id));
    }
    let leaf: Option<(i64,)> = sqlx::query_as("SELECT is_leaf FROM categories WHERE code = $1")
        .bind(p.category_code.as_str())
        .fetch_optional(db.pool())
        .await?;
    if leaf.map(|(l,)| l) != Some(1) {
        return Ok(Proposed::BadCategory);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO product_proposals (supplier_id, user_id, category_code, brand, model, title, unit, ref_price_fen, \
         ref_price_source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(supplier_id)
    .bind(user_id)
    .bind(p.category_code.as_str())
    .bind(&p.brand)
    .bind(&p.model)
    .bind(&p.title)
    .bind(&p.unit)
    .bind(p.reference_price.get())
    .bind(&p.reference_source)
    .bind(clock::now())
    .fetch_one(db.pool())
    .await?;
    Ok(Proposed::Pending(id))
}

crate::named_row! {
    /// A proposal with its supplier's name.
    struct ProposalRow {
        id: i64,
        supplier_id: i64,
        supplier_name: String,
        category_code: String,
        brand: String,
        model: String,
        title: String,
        unit: String,
        price: i64,
        source: String,
        state: String,
        product_id: Option<i64>,
        note: String,
    }
}

/// Proposals in a state (`None`: every state, newest first), of one supplier or all.
pub async fn list(
    db: &Db,
    state: Option<&str>,
    supplier: Option<i64>,
) -> sqlx::Result<Vec<ProposalView>> {
    let rows: Vec<ProposalRow> = sqlx::query_as(
        "SELECT p.id, p.supplier_id, s.name, p.category_code, p.brand, p.model, p.title, p.unit, p.ref_price_fen, \
         p.ref_price_source, p.state, p.product_id, p.note FROM product_proposals p JOIN suppliers s ON s.id = p.supplier_id \
         WHERE ($1 = '' OR p.state = $1) AND ($2 = 0 OR p.supplier_id = $2) \
         ORDER BY CASE WHEN $1 = '' THEN -p.created_at ELSE p.created_at END, p.id LIMIT 200",
    )
    .bind(state.unwrap_or(""))
    .bind(supplier.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ProposalView {
            id: r.id,
            supplier_id: r.supplier_id,
            supplier_name: r.supplier_name,
            category_code: r.category_code,
            brand: r.brand,
            model: r.model,
            title: r.title,
            unit: r.unit,
            reference_price: Fen(r.price),
            reference_source: r.source,
            state: r.state,
            product_id: r.product_id,
            note: r.note,
        })
        .collect())
}

pub use emall_model::ProposalVerdict as Decision;

pub enum Decided {
    Product(i64),
    Rejected,
    NotFound,
    NotPending,
    NoSuchTarget,
}

pub async fn decide(
    db: &Db,
    id: i64,
    decision: Decision,
    target: Option<i64>,
    note: &str,
    user_id: i64,
) -> anyhow::Result<Decided> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, String, String, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT state, category_code, brand, model, title, unit, ref_price_fen, ref_price_source FROM product_proposals WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((state, category, brand, model, title, unit, price, source)) = row else {
        return Ok(Decided::NotFound);
    };
    if state != "pending" {
        return Ok(Decided::NotPending);
    }
    let now = clock::now();
    // Created meanwhile under the same brand and model: that is the product.
    let already: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM products WHERE brand = $1 AND model = $2")
            .bind(&brand)
            .bind(&model)
            .fetch_optional(&mut *tx)
            .await?;
    let (new_state, product) = match (decision, already) {
        (Decision::Approve, Some((existing,))) => ("merged", Some(existing)),
        (Decision::Approve, None) => {
            let (pid,): (i64,) = sqlx::query_as(
                "INSERT INTO products (category_code, brand, model, title, unit, ref_price_fen, ref_price_source, \
                 ref_price_date, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&category)
            .bind(&brand)
            .bind(&model)
            .bind(&title)
            .bind(&unit)
            .bind(price)
            .bind(&source)
            .bind(emall_domain::calendar::Date::of(now).to_string())
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            ("approved", Some(pid))
        }
        (Decision::Merge, _) => {
            let Some(target) = target else {
                return Ok(Decided::NoSuchTarget);
            };
            let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM products WHERE id = $1")
                .bind(target)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Ok(Decided::NoSuchTarget);
            }
            ("merged", Some(target))
        }
        (Decision::Reject, _) => ("rejected", None),
    };
    sqlx::query(
        "UPDATE product_proposals SET state = $1, product_id = $2, note = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $6 AND state = 'pending'",
    )
    .bind(new_state)
    .bind(product)
    .bind(note)
    .bind(user_id)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(product.map_or(Decided::Rejected, Decided::Product))
}
