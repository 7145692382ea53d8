//! Statements whose text depends on the request (a list of ids of any length), built with
//! sqlx's `QueryBuilder` and bound values, never by editing SQL text.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, FromRow, QueryBuilder};

/// A value bound to one placeholder.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

/// `query` with each of `values` bound in order (a query and a typed query bind alike).
macro_rules! bind_all {
    ($query:expr, $values:expr) => {
        $values
            .clone()
            .into_iter()
            .fold($query, |query, value| match value {
                Value::Int(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
            })
    };
}

/// A statement built in pieces. Each value is a numbered `$n` placeholder, bound in order
/// when the statement is built: sqlx's `Any` driver would write `?`, which PostgreSQL does
/// not read, while both databases read `$n`.
pub struct Built {
    sql: QueryBuilder<'static, Any>,
    values: Vec<Value>,
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
    pub fn push_value(&mut self, value: impl Into<Value>) -> &mut Built {
        self.values.push(value.into());
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
        bind_all!(self.sql.build_query_as(), self.values)
    }

    /// The statement, its values bound, for rows read by position or a plain execute.
    pub fn query(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        bind_all!(self.sql.build(), self.values)
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
            .push_value(3)
            .push(" AND title = ")
            .push_value("A4 '; DROP TABLE offers; --");
        let query = sql.query_as::<(i64,)>();
        assert_eq!(
            query.sql(),
            "SELECT id FROM offers WHERE status = 'on_sale' AND product_id IN ($1, $2, $3) AND id > $4 AND title = $5"
        );
    }
}
