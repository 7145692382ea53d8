//! One way to run a statement on either driver, so that a transaction's logic is written once:
//! sqlx's `AnyConnection` (PostgreSQL, and SQLite off the hot path) and the direct SQLite
//! connection of [`super::direct`].
//!
//! Statements are fixed text (`&'static str`, `$n` placeholders): each driver prepares one
//! once per connection and keeps it. Values are the three kinds the schema uses: integers
//! (money in fen, times, ids, 0/1 flags), optional integers and text.

use super::Backend;
use sqlx::any::AnyRow;
use sqlx::Row as _;
use std::future::Future;

/// A value bound to a statement's `$n` (the n-th of the slice).
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(&'a str),
    MaybeText(Option<&'a str>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::MaybeInt(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::MaybeText(v)
    }
}

/// `args![a, b, c]`: a statement's values, in `$1, $2, $3` order.
#[macro_export]
macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$($crate::db::Arg::from($a)),*] };
}

/// `write_tx!(db, tx => work)`: runs `work` (a future over `tx: &mut impl Sql`) in one write
/// transaction and commits it when it succeeds; evaluates to its result. On a SQLite file
/// it runs on the direct writer, as checkouts do (in process, no thread hops, the writer's
/// turn held for exactly this work); elsewhere on a transaction of the writer pool.
#[macro_export]
macro_rules! write_tx {
    ($db:expr, $tx:ident => $work:expr) => {
        async {
            match $db.direct() {
                Some(direct) => {
                    direct
                        .transaction(|$tx| {
                            let out = $crate::db::run_ready($work)?;
                            $tx.commit()?;
                            Ok(out)
                        })
                        .await
                }
                None => {
                    let mut begun = $db.begin_write().await?;
                    let out = {
                        let $tx = &mut *begun;
                        $work.await?
                    };
                    begun.commit().await?;
                    anyhow::Ok(out)
                }
            }
        }
        .await
    };
}

/// Runs statements on one connection (inside a transaction when the caller began one).
pub trait Sql: Send {
    /// The database behind this connection (for the few statements that differ).
    fn backend(&self) -> Backend;

    /// Rows changed.
    fn execute(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = anyhow::Result<u64>> + Send;

    fn fetch_all<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = anyhow::Result<Vec<T>>> + Send;

    /// The first row, if any (statements here select by key or with `LIMIT 1`).
    fn fetch_optional<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = anyhow::Result<Option<T>>> + Send {
        async move { Ok(self.fetch_all(sql, args).await?.into_iter().next()) }
    }

    fn fetch_one<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = anyhow::Result<T>> + Send {
        async move {
            self.fetch_optional(sql, args)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no row: {sql}"))
        }
    }
}

/// A column value either driver can read.
pub trait Column: Sized + Send {
    fn from_any(row: &AnyRow, i: usize) -> sqlx::Result<Self>;
    fn from_direct(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
}

macro_rules! column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_any(row: &AnyRow, i: usize) -> sqlx::Result<Self> {
                row.try_get(i)
            }
            fn from_direct(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                row.get(i)
            }
        }
    )*};
}
column!(i64, String, Option<i64>, Option<String>);

/// A state the database keeps as text (its enum's one mapping is in `emall-domain`).
pub trait Stored: Sized {
    fn parse_stored(text: &str) -> Option<Self>;
}

/// `text` read as its state; text outside the enum is an error, never a default.
pub fn stored<T: Stored>(text: &str) -> sqlx::Result<T> {
    T::parse_stored(text).ok_or_else(|| {
        sqlx::Error::Decode(format!("{text:?} is no {}", std::any::type_name::<T>()).into())
    })
}

/// A state stored as text, read into its enum.
macro_rules! stored_state {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            fn parse_stored(text: &str) -> Option<Self> {
                <$t>::parse(text)
            }
        }
    )*};
}
stored_state!(
    emall_domain::budget::EconClass,
    emall_domain::listing::OfferStatus,
    emall_domain::registration::SupplierStatus,
    emall_domain::registration::EnterpriseSize
);

/// A code stored as text, read into its newtype.
macro_rules! stored_code {
    ($($t:ty),*) => {$(
        impl Stored for $t {
            fn parse_stored(text: &str) -> Option<Self> {
                <$t>::parse(text).ok()
            }
        }
    )*};
}
stored_code!(emall_domain::RegionCode, emall_domain::CategoryCode);

/// A stored state or code as a column; text outside it is an error, never a default.
macro_rules! stored_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_any(row: &AnyRow, i: usize) -> sqlx::Result<Self> {
                let text: String = row.try_get(i)?;
                stored(&text)
            }
            fn from_direct(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                let text: String = row.get(i)?;
                <$t as Stored>::parse_stored(&text).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        format!("{text:?} is no {}", stringify!($t)).into(),
                    )
                })
            }
        }
    )*};
}
stored_column!(
    emall_domain::budget::EconClass,
    emall_domain::listing::OfferStatus,
    emall_domain::registration::SupplierStatus,
    emall_domain::registration::EnterpriseSize,
    emall_domain::RegionCode,
    emall_domain::CategoryCode
);

/// A result row as a tuple of columns.
pub trait Row: Sized + Send {
    fn from_any(row: &AnyRow) -> sqlx::Result<Self>;
    fn from_direct(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! row {
    ($($n:tt $t:ident),+) => {
        impl<$($t: Column),+> Row for ($($t,)+) {
            fn from_any(row: &AnyRow) -> sqlx::Result<Self> {
                Ok(($($t::from_any(row, $n)?,)+))
            }
            fn from_direct(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok(($($t::from_direct(row, $n)?,)+))
            }
        }
    };
}
row!(0 A);
row!(0 A, 1 B);
row!(0 A, 1 B, 2 C);
row!(0 A, 1 B, 2 C, 3 D);
row!(0 A, 1 B, 2 C, 3 D, 4 E);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M);
row!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H, 8 I, 9 J, 10 K, 11 L, 12 M, 13 N);

/// `named_row! { struct Name { field: Type, … } }`: a struct read from a result row by
/// either driver (and by sqlx's `query_as`), its fields in the order of the statement's
/// columns, so that a wide row is read by name instead of by position in a tuple.
#[macro_export]
macro_rules! named_row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident: $ty:ty),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $ty),+
        }

        impl $crate::db::Row for $name {
            #[allow(unused_assignments)]
            fn from_any(row: &sqlx::any::AnyRow) -> sqlx::Result<Self> {
                let mut i = 0;
                Ok($name {
                    $($field: {
                        let value = <$ty as $crate::db::Column>::from_any(row, i)?;
                        i += 1;
                        value
                    }),+
                })
            }

            #[allow(unused_assignments)]
            fn from_direct(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                let mut i = 0;
                Ok($name {
                    $($field: {
                        let value = <$ty as $crate::db::Column>::from_direct(row, i)?;
                        i += 1;
                        value
                    }),+
                })
            }
        }

        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
                <$name as $crate::db::Row>::from_any(row)
            }
        }
    };
}

fn bind<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &[Arg<'q>],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for arg in args {
        query = match *arg {
            Arg::Int(v) => query.bind(v),
            Arg::MaybeInt(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::MaybeText(v) => query.bind(v),
        };
    }
    query
}

impl Sql for sqlx::AnyConnection {
    fn backend(&self) -> Backend {
        match self.backend_name() {
            "PostgreSQL" => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    async fn execute(&mut self, sql: &'static str, args: &[Arg<'_>]) -> anyhow::Result<u64> {
        Ok(bind(sqlx::query(sql), args)
            .execute(self)
            .await?
            .rows_affected())
    }

    async fn fetch_all<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> anyhow::Result<Vec<T>> {
        let rows = bind(sqlx::query(sql), args).fetch_all(self).await?;
        Ok(rows.iter().map(T::from_any).collect::<sqlx::Result<_>>()?)
    }

    async fn fetch_optional<T: Row>(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> anyhow::Result<Option<T>> {
        let row = bind(sqlx::query(sql), args).fetch_optional(self).await?;
        Ok(row.as_ref().map(T::from_any).transpose()?)
    }
}

#[cfg(test)]
mod tests {
    use emall_domain::budget::EconClass;
    use emall_domain::credit::{CreditKind, CreditState};
    use emall_domain::listing::OfferStatus;
    use emall_domain::registration::{EnterpriseSize, SupplierStatus};

    /// The values a column's `CHECK (column IN (…))` allows in the last `CREATE TABLE` of
    /// `table` (or of its rebuilt `table_next`) across one database's migrations.
    fn allowed(backend: &str, table: &str, column: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let all: String = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect();
        let starts = [
            format!("CREATE TABLE {table} ("),
            format!("CREATE TABLE {table}_next ("),
        ];
        let at = starts
            .iter()
            .filter_map(|s| all.rfind(s.as_str()))
            .max()
            .unwrap_or_else(|| panic!("no table {table} on {backend}"));
        let check = format!("CHECK ({column} IN (");
        let from = at
            + all[at..]
                .find(&check)
                .unwrap_or_else(|| panic!("{table}.{column}"))
            + check.len();
        let list = &all[from..from + all[from..].find(')').unwrap()];
        list.split(',')
            .map(|v| v.trim().trim_matches('\'').to_string())
            .collect()
    }

    /// Each state kept as text has one vocabulary: the enum the code reads it into and the
    /// database's CHECK constraint allow exactly the same values, on both databases.
    #[test]
    fn stored_states_match_the_schema() {
        fn texts<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
            all.iter().map(|&v| as_str(v).to_string()).collect()
        }
        let cases = [
            (
                "offers",
                "status",
                texts(OfferStatus::ALL, OfferStatus::as_str),
            ),
            (
                "suppliers",
                "status",
                texts(SupplierStatus::ALL, SupplierStatus::as_str),
            ),
            (
                "suppliers",
                "size",
                texts(EnterpriseSize::ALL, EnterpriseSize::as_str),
            ),
            (
                "credit_entries",
                "kind",
                texts(CreditKind::ALL, CreditKind::as_str),
            ),
            (
                "credit_entries",
                "state",
                texts(CreditState::ALL, CreditState::as_str),
            ),
            (
                "budget_lines",
                "econ_class",
                texts(&EconClass::ALL, EconClass::as_str),
            ),
        ];
        for backend in ["sqlite", "postgres"] {
            for (table, column, values) in &cases {
                let mut expected = values.clone();
                let mut found = allowed(backend, table, column);
                expected.sort();
                found.sort();
                assert_eq!(found, expected, "{backend}: {table}.{column}");
            }
        }
    }
}
