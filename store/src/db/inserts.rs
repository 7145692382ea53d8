//! Many rows of one table written with as few statements as it takes.

use super::{Arg, Sql};

/// Rows written by one statement when there are many (a pool's award, the demo seed's
/// history, a sealer's batch).
const MANY: usize = 16;

/// `INSERT INTO table (columns) VALUES (…), (…)` with `rows` rows of `fields` parameters.
fn insert_rows(table: &str, columns: &str, fields: usize, rows: usize) -> String {
    let rows: Vec<String> = (0..rows)
        .map(|r| {
            let params: Vec<String> = (1..=fields)
                .map(|f| format!("${}", r * fields + f))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!("INSERT INTO {table} ({columns}) VALUES {}", rows.join(", "))
}

/// The statements for one row and for [`MANY`], built once.
pub struct Inserts {
    pub one: String,
    pub many: String,
}

impl Inserts {
    pub fn new(table: &str, columns: &str, fields: usize) -> Inserts {
        Inserts {
            one: insert_rows(table, columns, fields, 1),
            many: insert_rows(table, columns, fields, MANY),
        }
    }

    /// Writes `rows` with as few statements as it takes.
    pub async fn write<S: Sql, T, const N: usize>(
        &'static self,
        tx: &mut S,
        rows: &[T],
        fields: impl for<'a> Fn(&'a T) -> [Arg<'a>; N],
    ) -> anyhow::Result<()> {
        let mut chunks = rows.chunks_exact(MANY);
        for chunk in &mut chunks {
            let args: Vec<Arg<'_>> = chunk.iter().flat_map(&fields).collect();
            tx.execute(&self.many, &args).await?;
        }
        for row in chunks.remainder() {
            tx.execute(&self.one, &fields(row)).await?;
        }
        Ok(())
    }
}
