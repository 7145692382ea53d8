//! 批量导入: a spreadsheet of listings applied all or nothing. Each row creates an offer or
//! changes the supplier's existing one, through the same listing checks as a single change.
//! A preview runs exactly the same work and rolls it back.

use super::offer_reviews::{self, NewOffer, Refusal};
use super::offers::{self, Changed, OfferChange};
use crate::clock;
use crate::db::Db;
use emall_domain::import::{ProductRef, Row};
pub use emall_model::RowOutcome;
use sqlx::{Any, Transaction};

/// A row the database refuses: (line, column, why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRefusal {
    UnknownProduct,
    DuplicateInFile(usize),
    UnknownCity(String),
    CityNotServed(String),
    BadTiers,
    NotAdmitted,
}

pub type Refusals = Vec<(usize, &'static str, RowRefusal)>;

async fn resolve_product(
    tx: &mut Transaction<'_, Any>,
    product: &ProductRef,
) -> sqlx::Result<Option<(i64, String)>> {
    match product {
        ProductRef::Id(id) => {
            sqlx::query_as("SELECT id, title FROM products WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await
        }
        ProductRef::BrandModel(brand, model) => {
            sqlx::query_as("SELECT id, title FROM products WHERE brand = $1 AND model = $2")
                .bind(brand)
                .bind(model)
                .fetch_optional(&mut **tx)
                .await
        }
    }
}

/// A city written as its code or its name (上海市 / 上海).
async fn resolve_city(tx: &mut Transaction<'_, Any>, city: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT code FROM regions WHERE level = 2 AND (code = $1 OR name = $1 OR name = $1 || '市') ORDER BY code LIMIT 1",
    )
    .bind(city)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(c,)| c))
}

/// The products met so far in a file, with the line that first named each.
type Seen = std::collections::HashMap<i64, usize>;

/// Applies the rows inside `tx`; refusals name their row. The caller commits only when
/// there are none. `seen` carries the file's products across calls.
async fn apply_in(
    tx: &mut Transaction<'_, Any>,
    supplier_id: i64,
    rows: &[Row],
    seen: &mut Seen,
) -> anyhow::Result<(Vec<RowOutcome>, Refusals)> {
    let now = clock::now();
    let mut outcomes = Vec::with_capacity(rows.len());
    let mut refusals = Refusals::new();
    for row in rows {
        let Some((product_id, title)) = resolve_product(tx, &row.product).await? else {
            refusals.push((row.line, "product_id", RowRefusal::UnknownProduct));
            continue;
        };
        if let Some(first) = seen.insert(product_id, row.line) {
            refusals.push((row.line, "product_id", RowRefusal::DuplicateInFile(first)));
            continue;
        }
        let mut cities = Vec::with_capacity(row.cities.len());
        let mut city_ok = true;
        for c in &row.cities {
            match resolve_city(tx, c).await? {
                Some(code) => cities.push(code),
                None => {
                    refusals.push((row.line, "cities", RowRefusal::UnknownCity(c.clone())));
                    city_ok = false;
                    break;
                }
            }
        }
        if !city_ok {
            continue;
        }
        let existing: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM offers WHERE supplier_id = $1 AND product_id = $2 AND status IN ('in_review', 'on_sale', 'off_sale') \
             ORDER BY CASE status WHEN 'on_sale' THEN 0 WHEN 'in_review' THEN 1 ELSE 2 END, id DESC LIMIT 1",
        )
        .bind(supplier_id)
        .bind(product_id)
        .fetch_optional(&mut **tx)
        .await?;
        let outcome = match existing {
            None => {
                let offer = NewOffer {
                    product_id,
                    price: row.price,
                    stock: row.stock,
                    delivery_days: row.delivery_days,
                    cities: cities.clone(),
                    unit: row.unit.clone(),
                };
                match offer_reviews::create_in(tx, supplier_id, &offer, now).await? {
                    Ok(created) => ("created", created.status.to_string()),
                    Err(Refusal::CityNotServed(c)) => {
                        refusals.push((row.line, "cities", RowRefusal::CityNotServed(c)));
                        continue;
                    }
                    Err(Refusal::NotAdmitted) => {
                        refusals.push((row.line, "product_id", RowRefusal::NotAdmitted));
                        continue;
                    }
                    Err(Refusal::NoProduct | Refusal::Duplicate(_)) => {
                        refusals.push((row.line, "product_id", RowRefusal::UnknownProduct));
                        continue;
                    }
                }
            }
            Some((offer_id,)) => {
                let change = OfferChange {
                    price_fen: Some(row.price.get()),
                    stock: Some(row.stock),
                    delivery_days: Some(row.delivery_days),
                    status: None,
                    tiers: None,
                    reason: if row.reason.is_empty() {
                        "批量导入".to_string()
                    } else {
                        row.reason.clone()
                    },
                };
                if let Some(c) = offer_reviews::first_unserved(tx, supplier_id, &cities).await? {
                    refusals.push((row.line, "cities", RowRefusal::CityNotServed(c)));
                    continue;
                }
                offer_reviews::set_offer_cities(tx, offer_id, &cities).await?;
                match offers::change_in(tx, supplier_id, offer_id, &change, now).await? {
                    Changed::Product(_) => ("updated", "on_sale".to_string()),
                    Changed::PriceHeld(_) => ("updated", "price_held".to_string()),
                    Changed::BadTiers => {
                        refusals.push((row.line, "price", RowRefusal::BadTiers));
                        continue;
                    }
                    // Imports never change the sale status.
                    Changed::NotFound | Changed::NotOwner | Changed::StatusLocked => {
                        refusals.push((row.line, "product_id", RowRefusal::UnknownProduct));
                        continue;
                    }
                }
            }
        };
        outcomes.push(RowOutcome {
            line: row.line,
            product_id,
            title,
            action: outcome.0.to_string(),
            status: outcome.1,
        });
    }
    Ok((outcomes, refusals))
}

/// Rows a preview runs per write transaction. Each row touches only the supplier's own
/// offer of its product, so rows are independent but for repeats within the file (`Seen`
/// carries them): a preview in parts reports exactly what the whole would. Between parts
/// the single writer goes to whoever waits (a checkout, a sign-in), so a preview of a
/// large file holds it for a few milliseconds at a time, never for the whole file.
const PREVIEW_ROWS_PER_TURN: usize = 250;

/// Runs the rows; keeps the result only when `commit` and nothing was refused. A preview
/// (`commit` false) runs in parts, each rolled back; an import runs whole, all or nothing.
pub async fn run(
    db: &Db,
    supplier_id: i64,
    rows: &[Row],
    commit: bool,
) -> anyhow::Result<(Vec<RowOutcome>, Refusals)> {
    let mut seen = Seen::new();
    if !commit {
        let mut outcomes = Vec::with_capacity(rows.len());
        let mut refusals = Refusals::new();
        for part in rows.chunks(PREVIEW_ROWS_PER_TURN) {
            let mut tx = db.begin_write().await?;
            let (o, r) = apply_in(&mut tx, supplier_id, part, &mut seen).await?;
            tx.rollback().await?;
            outcomes.extend(o);
            refusals.extend(r);
        }
        return Ok((outcomes, refusals));
    }
    let mut tx = db.begin_write().await?;
    let (outcomes, refusals) = apply_in(&mut tx, supplier_id, rows, &mut seen).await?;
    if refusals.is_empty() {
        let products = outcomes.iter().map(|o| o.product_id);
        super::outbox::record(&mut *tx, &super::outbox::Change::products(products)).await?;
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok((outcomes, refusals))
}

/// The supplier's listings in the import's own columns (to edit and import again).
pub async fn export(db: &Db, supplier_id: i64) -> sqlx::Result<Vec<Vec<String>>> {
    let rows: Vec<(i64, i64, String, String, String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT o.id, p.id, p.brand, p.model, p.title, o.price_fen, o.stock, o.delivery_days, p.unit \
         FROM offers o JOIN products p ON p.id = o.product_id \
         WHERE o.supplier_id = $1 AND o.status IN ('on_sale', 'in_review', 'off_sale') ORDER BY p.id",
    )
    .bind(supplier_id)
    .fetch_all(db.pool())
    .await?;
    let mut table = vec![emall_domain::import::COLUMNS
        .iter()
        .map(|(_, zh)| zh.to_string())
        .collect::<Vec<_>>()];
    for (offer_id, product_id, brand, model, title, price, stock, days, unit) in rows {
        let cities: Vec<(String,)> =
            sqlx::query_as("SELECT city FROM offer_cities WHERE offer_id = $1 ORDER BY city")
                .bind(offer_id)
                .fetch_all(db.pool())
                .await?;
        table.push(vec![
            product_id.to_string(),
            brand,
            model,
            title,
            emall_domain::Fen(price).to_plain_yuan(),
            stock.to_string(),
            days.to_string(),
            cities
                .into_iter()
                .map(|(c,)| c)
                .collect::<Vec<_>>()
                .join(";"),
            unit,
            String::new(),
        ]);
    }
    Ok(table)
}

/// The supplier's live offers (on sale or in review) of these products.
pub async fn live_offers(db: &Db, supplier_id: i64, products: &[i64]) -> sqlx::Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in products.chunks(500) {
        let list = super::id_list(chunk);
        let rows: Vec<(i64,)> = sqlx::query_as(&format!(
            "SELECT id FROM offers WHERE supplier_id = $1 AND status IN ('on_sale', 'in_review') \
             AND product_id IN ({list})"
        ))
        .bind(supplier_id)
        .fetch_all(db.pool())
        .await?;
        out.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(out)
}
