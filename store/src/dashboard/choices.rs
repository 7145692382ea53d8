//! The dashboard filter's choices: districts, categories and units.

use super::Scope;
use crate::db::Db;
use emall_domain::RegionCode;
use emall_model::{Choice, CityOption};

/// The districts of the chosen city that have purchasing units; none until a city is chosen.
pub(super) async fn districts(db: &Db, city: Option<RegionCode>) -> sqlx::Result<Vec<CityOption>> {
    let Some(city) = city else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM regions WHERE parent = $1 AND code IN \
         (SELECT district FROM purchasing_units) ORDER BY code",
    )
    .bind(city.to_string())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| CityOption { code, name })
        .collect())
}

/// Categories down to the third level, indented by depth.
pub(super) async fn category_choices(db: &Db, en: bool) -> sqlx::Result<Vec<Choice>> {
    let name = if en { "name_en" } else { "name_zh" };
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT code, {name} FROM categories ORDER BY code"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(code, _)| code.len() <= 5)
        .map(|(code, name)| Choice {
            label: format!("{}{name}", "\u{3000}".repeat(code.len() / 2)),
            value: code,
        })
        .collect())
}

/// The units of the chosen city (or district), by name; none until a city is chosen.
pub(super) async fn unit_choices(db: &Db, scope: &Scope) -> sqlx::Result<Vec<Choice>> {
    let rows: Vec<(i64, String)> =
        match (&scope.city, &scope.district) {
            (_, Some(d)) => sqlx::query_as(
                "SELECT id, name FROM purchasing_units WHERE district = $1 ORDER BY name LIMIT 500",
            )
            .bind(d.to_string())
            .fetch_all(db.pool())
            .await?,
            (Some(c), None) => {
                sqlx::query_as(
                    "SELECT id, name FROM purchasing_units WHERE city = $1 ORDER BY name LIMIT 500",
                )
                .bind(c.to_string())
                .fetch_all(db.pool())
                .await?
            }
            (None, None) => {
                sqlx::query_as("SELECT id, name FROM purchasing_units WHERE id = $1")
                    .bind(scope.unit.unwrap_or(0))
                    .fetch_all(db.pool())
                    .await?
            }
        };
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name,
        })
        .collect())
}
