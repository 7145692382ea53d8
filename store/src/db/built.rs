//! Statements whose text depends on the request (a list of ids of any length), built with
//! sqlx's `QueryBuilder` and bound values, never by editing SQL text.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::QueryAs;
use sqlx::{Any, FromRow, QueryBuilder};

/// A statement built in pieces. Each value is a numbered `$n` placeholder, bound in order
/// when the statement is built: sqlx's `Any` driver would write `?`, which PostgreSQL does
/// not read, while both databases read `$n`.
pub struct Built {
    sql: QueryBuilder<'static, Any>,
    values: Vec<i64>,
}

impl Built {
    pub fn new(sql: &str) -> Built {
        Built {
            sql: QueryBuilder::new(sql),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: &str) -> &mut Built {
        self.sql.push(sql);
        self
    }

    /// `value` as the next placeholder.
    pub fn push_value(&mut self, value: i64) -> &mut Built {
        self.values.push(value);
        self.sql.push(format_args!("${}", self.values.len()));
        self
    }

    /// `{joiner}{column} IN ($n, …)` over `ids` (which must not be empty).
    pub fn push_in(&mut self, joiner: &str, column: &str, ids: &[i64]) -> &mut Built {
        self.push(joiner).push(column).push(" IN (");
        for (i, &id) in ids.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_value(id);
        }
        self.push(")")
    }

    /// The statement, its values bound, reading rows as `T`.
    pub fn query_as<'q, T>(&'q mut self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, AnyRow>,
    {
        let values = self.values.clone();
        values
            .into_iter()
            .fold(self.sql.build_query_as(), |query, value| query.bind(value))
    }
}

#[cfg(test)]
mod tests {
    use super::Built;
    use sqlx::Execute;

    #[test]
    fn values_are_numbered_placeholders_in_the_order_pushed() {
        let mut sql = Built::new("SELECT id FROM offers WHERE status = 'on_sale'");
        sql.push_in(" AND ", "product_id", &[7, 8, 9])
            .push(" AND id > ")
            .push_value(3);
        let query = sql.query_as::<(i64,)>();
        assert_eq!(
            query.sql(),
            "SELECT id FROM offers WHERE status = 'on_sale' AND product_id IN ($1, $2, $3) AND id > $4"
        );
    }
}
