//! 同城限价: the city price cap an awarded pool leaves on its product, and its end.

use crate::db::{Db, Sql};
use crate::outbox;
use emall_domain::Fen;

/// 同城限价: the lowest price an awarded pool set for a product in a city that still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CityCap {
    pub price: Fen,
    pub supplier_id: i64,
    pub pool_id: i64,
    pub until: i64,
}

/// [`city_cap`] on a connection of its own.
pub async fn current_cap(db: &Db, product_id: i64, city: &str) -> anyhow::Result<Option<CityCap>> {
    let mut conn = db.pool().acquire().await?;
    city_cap(&mut *conn, product_id, city, crate::clock::now()).await
}

/// The statement that selects `$col` of the pool whose price caps product `$product` in
/// city `$city` at time `$now` (SQL expressions): the lowest awarded price still in force.
/// Checkout reads it inside its read of each offer.
#[macro_export]
macro_rules! city_cap_sql {
    ($col:literal, $product:literal, $city:literal, $now:literal) => {
        concat!(
            "SELECT ",
            $col,
            " FROM pools WHERE product_id = ",
            $product,
            " AND city = ",
            $city,
            " AND state = 'awarded' AND cap_until > ",
            $now,
            " ORDER BY unit_price_fen, closed_at DESC LIMIT 1"
        )
    };
}

pub async fn city_cap<S: Sql>(
    conn: &mut S,
    product_id: i64,
    city: &str,
    now: i64,
) -> anyhow::Result<Option<CityCap>> {
    let row: Option<(i64, i64, i64, i64)> = conn
        .fetch_optional(
            city_cap_sql!(
                "unit_price_fen, winner_supplier_id, id, cap_until",
                "$1",
                "$2",
                "$3"
            ),
            crate::args![product_id, city, now],
        )
        .await?;
    Ok(row.map(|(price, supplier_id, pool_id, until)| CityCap {
        price: Fen(price),
        supplier_id,
        pool_id,
        until,
    }))
}

/// City price caps that ran out in the `window` seconds before `now`: search and the
/// comparison pages show the offers' own prices again. Records the products (every node's
/// timer may; a change applied twice is harmless) and returns how many.
pub async fn announce_ended_caps(db: &Db, now: i64, window: i64) -> anyhow::Result<usize> {
    let mut tx = db.begin_write().await?;
    let ended: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT product_id FROM pools WHERE state = 'awarded' AND cap_until <= $1 AND cap_until > $2",
    )
    .bind(now)
    .bind(now - window)
    .fetch_all(&mut *tx)
    .await?;
    outbox::record(
        &mut *tx,
        &outbox::Change::products(ended.iter().map(|(p,)| *p)),
    )
    .await?;
    tx.commit().await?;
    Ok(ended.len())
}
