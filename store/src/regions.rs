use crate::db::Db;
use emall_model::CityOption;

/// Cities where the mall trades: home of a purchasing unit or served by a supplier.
pub async fn mall_cities(db: &Db) -> sqlx::Result<Vec<CityOption>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM regions WHERE level = 2 AND code IN \
         (SELECT city FROM purchasing_units UNION SELECT city FROM supplier_cities) ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| CityOption { code, name })
        .collect())
}

pub async fn name(db: &Db, code: &str) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(|(n,)| n))
}

pub async fn count(db: &Db) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM regions")
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

/// The provinces (no parent given), or a region's children, by code.
pub async fn children(db: &Db, parent: Option<&str>) -> sqlx::Result<Vec<CityOption>> {
    let rows: Vec<(String, String)> = match parent {
        None => {
            sqlx::query_as("SELECT code, name FROM regions WHERE level = 1 ORDER BY code")
                .fetch_all(db.pool())
                .await?
        }
        Some(p) => {
            sqlx::query_as("SELECT code, name FROM regions WHERE parent = $1 ORDER BY code")
                .bind(p)
                .fetch_all(db.pool())
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .map(|(code, name)| CityOption { code, name })
        .collect())
}
