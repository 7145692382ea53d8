use crate::db::{stored, Db};
use emall_domain::budget::EconClass;
use emall_domain::{Fen, RegionCode};
use emall_model::BudgetLineView;

pub async fn exists(db: &Db, unit_id: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM purchasing_units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.is_some())
}

crate::named_row! {
    /// A budget line as kept.
    struct BudgetLineRow {
        id: i64,
        code: String,
        fiscal_year: i64,
        funding_source: String,
        purpose: String,
        econ_class: EconClass,
        amount: i64,
        frozen: i64,
        spent: i64,
    }
}

pub async fn budget_lines(db: &Db, unit_id: i64) -> sqlx::Result<Vec<BudgetLineView>> {
    let rows: Vec<BudgetLineRow> = sqlx::query_as(
        "SELECT id, code, fiscal_year, funding_source, purpose, econ_class, amount_fen, frozen_fen, \
         spent_fen FROM budget_lines WHERE unit_id = $1 ORDER BY fiscal_year DESC, code",
    )
    .bind(unit_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BudgetLineView {
            id: r.id,
            code: r.code,
            fiscal_year: r.fiscal_year as i32,
            funding_source: r.funding_source,
            purpose: r.purpose,
            econ_class: r.econ_class,
            amount: Fen(r.amount),
            frozen: Fen(r.frozen),
            spent: Fen(r.spent),
            available: Fen(r.amount - r.frozen - r.spent),
        })
        .collect())
}

/// The unit's city (its code).
pub async fn city(db: &Db, unit_id: i64) -> sqlx::Result<Option<RegionCode>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT city FROM purchasing_units WHERE id = $1")
        .bind(unit_id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|(c,)| stored(&c)).transpose()
}

/// The lines a unit may pay from at `now`: those of the fiscal year `now` falls in.
pub async fn payable_lines(db: &Db, unit_id: i64, now: i64) -> sqlx::Result<Vec<BudgetLineView>> {
    let year = crate::clock::year_of(now);
    let mut lines = budget_lines(db, unit_id).await?;
    lines.retain(|b| b.fiscal_year == year);
    Ok(lines)
}

pub use emall_model::UnitEntry;

/// 采购单位名录: the units of a city (every city without one), by id.
pub async fn directory(db: &Db, city: Option<RegionCode>) -> sqlx::Result<Vec<UnitEntry>> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, city, district, kind FROM purchasing_units WHERE ($1 = '' OR city = $1) ORDER BY id",
    )
    .bind(city.map(|c| c.to_string()).unwrap_or_default())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, city, district, kind)| UnitEntry {
            id,
            name,
            city,
            district,
            kind,
        })
        .collect())
}
