//! Multi-row INSERTs for seeding: thousands of rows per statement.

use sqlx::{Any, Transaction};

/// A value to bind.
#[derive(Debug, Clone)]
pub enum V {
    I(i64),
    S(String),
    Null,
}

impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}

impl From<&str> for V {
    fn from(v: &str) -> V {
        V::S(v.to_string())
    }
}

impl From<String> for V {
    fn from(v: String) -> V {
        V::S(v)
    }
}

impl From<Option<&str>> for V {
    fn from(v: Option<&str>) -> V {
        v.map(V::from).unwrap_or(V::Null)
    }
}

impl From<Option<i64>> for V {
    fn from(v: Option<i64>) -> V {
        v.map(V::I).unwrap_or(V::Null)
    }
}

/// Well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters per statement.
const MAX_PARAMS: usize = 30_000;

/// Inserts all `rows` (each as long as `columns`), returning how many were written.
pub async fn rows(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<V>>,
) -> sqlx::Result<u64> {
    let per_batch = (MAX_PARAMS / columns.len()).max(1);
    let mut batch: Vec<Vec<V>> = Vec::with_capacity(per_batch);
    let mut written = 0;
    for row in rows {
        debug_assert_eq!(row.len(), columns.len());
        batch.push(row);
        if batch.len() == per_batch {
            written += flush(tx, table, columns, &mut batch).await?;
        }
    }
    written += flush(tx, table, columns, &mut batch).await?;
    Ok(written)
}

async fn flush(
    tx: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[&str],
    batch: &mut Vec<Vec<V>>,
) -> sqlx::Result<u64> {
    if batch.is_empty() {
        return Ok(0);
    }
    // SQLite records every named or numbered parameter (`$1`, `?1`) in a list it scans
    // linearly, which is quadratic in a statement of thousands; anonymous `?` are bound by
    // position at no cost. PostgreSQL wants `$1`.
    let numbered = tx.backend_name() == "PostgreSQL";
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for (i, row) in batch.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (j, v) in row.iter().enumerate() {
            if j > 0 {
                sql.push_str(", ");
            }
            // a NULL parameter would be typed as text, which PostgreSQL refuses for a number
            // column: written inline, it takes the column's type
            if matches!(v, V::Null) {
                sql.push_str("NULL");
                continue;
            }
            n += 1;
            if numbered {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    let mut query = sqlx::query(&sql);
    for row in batch.drain(..) {
        for v in row {
            query = match v {
                V::I(i) => query.bind(i),
                V::S(s) => query.bind(s),
                V::Null => query,
            };
        }
    }
    Ok(query.execute(&mut **tx).await?.rows_affected())
}

/// The id after the table's largest, for rows written with explicit ids.
pub async fn next_id(tx: &mut Transaction<'_, Any>, table: &str) -> sqlx::Result<i64> {
    let (max,): (Option<i64>,) = sqlx::query_as(&format!("SELECT MAX(id) FROM {table}"))
        .fetch_one(&mut **tx)
        .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// After rows written with explicit ids, moves PostgreSQL's identity sequences past them
/// (SQLite needs nothing).
pub async fn advance_sequences(tx: &mut Transaction<'_, Any>, tables: &[&str]) -> sqlx::Result<()> {
    if tx.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    for table in tables {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
