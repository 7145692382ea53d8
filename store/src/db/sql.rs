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
